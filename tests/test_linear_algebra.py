"""cumsum, linalg.inv, linalg.det and linalg.solve against torch (float64): values, gradients and
second-order gradients, batched and broadcast, plus gradcheck and torch's errors."""

from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import Tensor, linalg
from autograd.gradcheck import gradcheck

TOL = {"rtol": 1e-9, "atol": 1e-10}
check_against_torch = partial(torch_oracle.check_against_torch, tol=TOL, float64=True)
seeds = st.integers(0, 2**32 - 1)


def well_conditioned(rng, shape):
    """Random square matrices with a dominant diagonal: far from singular."""
    n = shape[-1]
    return rng.standard_normal(shape) + 2 * n * np.eye(n)


@settings(max_examples=20, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
    seed=seeds,
    data=st.data(),
)
def test_cumsum_matches_torch_to_second_order(shape, seed, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    check_against_torch(lambda a: a.cumsum(dim), lambda t: t.cumsum(dim), [x], rng)
    check_against_torch(lambda a: autograd.cumsum(a, dim), lambda t: torch.cumsum(t, dim), [x], rng)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.bool_, np.uint8, np.float32])
def test_cumsum_dtypes_match_torch(dtype):
    data = np.array([[1, 0, 1], [1, 1, 0]], dtype=dtype)
    ours, theirs = autograd.cumsum(Tensor(data), 1), torch.cumsum(torch.tensor(data), 1)
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.data, theirs.numpy())


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (2, 1, 2, 2), (1, 1)])
@pytest.mark.parametrize("name", ["inv", "det"])
def test_inv_and_det_match_torch_to_second_order(name, shape):
    rng = np.random.default_rng(sum(shape))
    a = well_conditioned(rng, shape)
    check_against_torch(getattr(linalg, name), getattr(torch.linalg, name), [a], rng)
    method = {"inv": "inverse", "det": "det"}[name]
    check_against_torch(lambda x: getattr(x, method)(), lambda t: getattr(t, method)(), [a], rng)


@pytest.mark.parametrize(
    "a_shape, b_shape",
    [
        ((3, 3), (3, 2)),
        ((3, 3), (3,)),
        ((2, 4, 4), (2, 4, 1)),
        ((2, 3, 3), (3, 2)),
        ((1, 3, 3), (2, 3, 4)),
        ((2, 3, 3), (2, 3)),
    ],
)
def test_solve_matches_torch_to_second_order(a_shape, b_shape):
    rng = np.random.default_rng(len(a_shape) + len(b_shape))
    a, b = well_conditioned(rng, a_shape), rng.standard_normal(b_shape)
    check_against_torch(linalg.solve, torch.linalg.solve, [a, b], rng)


def test_gradcheck_to_second_order():
    rng = np.random.default_rng(3)
    a = Tensor(well_conditioned(rng, (3, 3)), requires_grad=True)
    b = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    for fn, args in (
        (linalg.inv, (a,)),
        (linalg.det, (a,)),
        (linalg.solve, (a, b)),
        (lambda x: x.cumsum(0), (b,)),
    ):
        assert gradcheck(fn, args)
        torch_oracle_first = torch_oracle.first_derivative(
            fn, Tensor(rng.standard_normal(fn(*args).shape))
        )
        assert gradcheck(torch_oracle_first, args)


def test_errors_name_the_problem():
    with pytest.raises(RuntimeError, match="square matrices"):
        linalg.inv(Tensor(np.ones((2, 3))))
    with pytest.raises(RuntimeError, match="singular"):
        linalg.inv(Tensor(np.zeros((2, 2))))
    with pytest.raises(RuntimeError, match="singular"):
        linalg.solve(Tensor(np.zeros((2, 2))), Tensor(np.ones(2)))
    assert float(linalg.det(Tensor(np.zeros((2, 2)))).item()) == 0.0  # det of a singular: 0
