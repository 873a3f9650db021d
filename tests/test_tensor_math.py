"""The math functions PyTorch users reach for (issue 12), against torch in float64.

Each differentiable function: forward, first and second derivatives (torch_oracle), as a function
at ``autograd``'s top level and as a Tensor method; integer inputs promote as torch's do; the
non-differentiable ones (predicates, logical ops, all/any) match values and dtypes.
"""

from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import Tensor
from autograd.gradcheck import gradcheck

TOL = {"rtol": 1e-10, "atol": 1e-12}
check_against_torch = partial(
    torch_oracle.check_against_torch, tol=TOL, float64=True, detached_ok=False
)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
seeds = st.integers(0, 2**32 - 1)


def away_from_integers(x, margin=1e-3):
    """Inputs off the jumps of floor/ceil/round/trunc/frac, where central differences break."""
    frac = x - np.round(x)
    return np.where(np.abs(frac) < margin, x + 0.25, x)


def inside(low, high):
    return lambda x: low + (high - low) * (np.tanh(x) + 1) / 2


# name -> input transform (into the function's domain, away from its kinks)
UNARY = {
    "sin": lambda x: 3 * x,
    "cos": lambda x: 3 * x,
    "tan": inside(-1.4, 1.4),
    "asin": inside(-0.95, 0.95),
    "acos": inside(-0.95, 0.95),
    "atan": lambda x: 3 * x,
    "sinh": lambda x: x,
    "cosh": lambda x: x,
    "erf": lambda x: x,
    "erfc": lambda x: x,
    "log1p": lambda x: np.abs(x) - 0.5,
    "expm1": lambda x: x,
    "log2": lambda x: np.abs(x) + 0.1,
    "log10": lambda x: np.abs(x) + 0.1,
    "exp2": lambda x: x,
    "rsqrt": lambda x: np.abs(x) + 0.2,
    "reciprocal": lambda x: np.sign(x) * (np.abs(x) + 0.2),
    "square": lambda x: x,
    "sign": lambda x: np.where(np.abs(x) < 1e-3, 0.5, x),
    "floor": lambda x: away_from_integers(3 * x),
    "ceil": lambda x: away_from_integers(3 * x),
    "round": lambda x: away_from_integers(3 * x) + 0.5 * (np.abs(3 * x) < 1e-9),
    "trunc": lambda x: away_from_integers(3 * x),
    "frac": lambda x: away_from_integers(3 * x),
}


STEPS = ("floor", "ceil", "round", "trunc", "sign")


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=12, deadline=None)
@given(shape=shapes, seed=seeds)
def test_unary_functions_match_torch_to_second_order(name, shape, seed):
    rng = np.random.default_rng(seed)
    x = UNARY[name](rng.standard_normal(shape))
    # a piecewise-constant function's zero slope is a constant: torch leaves it out of the
    # graph, so its second derivatives are compared as zeros
    check = partial(check_against_torch, detached_ok=name in STEPS)
    check(getattr(autograd, name), getattr(torch, name), [x], rng)
    check(lambda a: getattr(a, name)(), lambda t: getattr(t, name)(), [x], rng)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_functions_pass_gradcheck(name):
    rng = np.random.default_rng(1)
    x = Tensor(UNARY[name](rng.standard_normal((2, 3))), requires_grad=True)
    assert gradcheck(getattr(autograd, name), (x,))


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.float32])
def test_unary_functions_promote_as_torch(name, dtype):
    data = np.array([[0, 1], [1, 0]], dtype=dtype)
    if name in ("asin", "acos", "log2", "log10", "rsqrt", "reciprocal", "log1p"):
        data = np.array([[1, 1], [1, 1]], dtype=dtype)
    try:
        theirs = getattr(torch, name)(torch.tensor(data))
    except (NotImplementedError, RuntimeError) as error:  # torch refuses (frac of ints, ...)
        with pytest.raises(type(error)):
            getattr(autograd, name)(Tensor(data))
        return
    ours = getattr(autograd, name)(Tensor(data))
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6)


# name -> (our call, torch's, transform of the second operand)
BINARY = {
    "atan2": (autograd.__dict__.get("atan2"), torch.atan2, lambda y: y),
    "fmod": (autograd.__dict__.get("fmod"), torch.fmod, lambda y: np.sign(y) * (np.abs(y) + 0.5)),
    "remainder": (
        autograd.__dict__.get("remainder"),
        torch.remainder,
        lambda y: np.sign(y) * (np.abs(y) + 0.5),
    ),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=12, deadline=None)
@given(shape=shapes, seed=seeds)
def test_binary_functions_match_torch_to_second_order(name, shape, seed):
    rng = np.random.default_rng(seed)
    _, theirs, transform = BINARY[name]
    a = 3 * rng.standard_normal(shape)
    b = transform(rng.standard_normal(shape[-1:] if shape else ()))  # broadcast over a
    if name != "atan2":  # off the jumps of the quotient's floor or trunc
        q = a / b
        a = np.where(np.abs(q - np.round(q)) < 1e-3, a + 0.3 * b, a)
    check_against_torch(getattr(autograd, name), theirs, [a, b], rng)
    check_against_torch(lambda x, y: getattr(x, name)(y), theirs, [a, b], rng)


def test_floor_divide_and_modulo_operators_follow_python_and_torch():
    a = np.array([-7.0, -3.5, 0.0, 2.0, 7.5])
    b = np.array([2.0, -2.0, 3.0, -0.75, 2.5])
    ours, theirs = Tensor(a), torch.tensor(a)
    for op in (lambda x, y: x // y, lambda x, y: x % y):
        np.testing.assert_array_equal(op(ours, Tensor(b)).data, op(theirs, torch.tensor(b)).numpy())
        np.testing.assert_array_equal(op(ours, 2).data, op(theirs, 2).numpy())
        np.testing.assert_array_equal(op(5, Tensor(b)).data, op(5, torch.tensor(b)).numpy())
    i = Tensor(np.array([-7, 7, 3]))
    for op in (lambda x: x // 2, lambda x: x % 2, lambda x: x // -2, lambda x: x % -2):
        out, expected = op(i), op(torch.tensor([-7, 7, 3]))
        assert out.dtype == np.int64 and out.tolist() == expected.tolist()


PREDICATES = ["isnan", "isinf", "isfinite"]


@pytest.mark.parametrize("name", PREDICATES)
def test_predicates_match_torch(name):
    data = np.array([0.0, np.nan, np.inf, -np.inf, -1.5])
    for x in (data, data.astype(np.float32), np.array([1, 2, 3])):
        ours, theirs = getattr(autograd, name)(Tensor(x)), getattr(torch, name)(torch.tensor(x))
        assert ours.dtype == np.bool_ and ours.tolist() == theirs.tolist()
        assert getattr(Tensor(x), name)().tolist() == theirs.tolist()


def test_nan_to_num_matches_torch_and_passes_gradients_where_finite():
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -2.0])
    for kwargs in ({}, {"nan": 0.5, "posinf": 10.0, "neginf": -10.0}):
        ours = Tensor(x, requires_grad=True)
        theirs = torch.tensor(x, requires_grad=True)
        out, expected = autograd.nan_to_num(ours, **kwargs), torch.nan_to_num(theirs, **kwargs)
        np.testing.assert_array_equal(out.data, expected.detach().numpy())
        out.sum().backward()
        expected.sum().backward()
        np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_binary_ops_match_torch(name):
    a = np.array([[0.0, 1.0, -2.0], [np.nan, 0.0, 3.0]])
    b = np.array([1, 0, 0])
    ours = getattr(autograd, name)(Tensor(a), Tensor(b))
    theirs = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
    assert ours.dtype == np.bool_ and ours.tolist() == theirs.tolist()
    assert getattr(Tensor(a), name)(Tensor(b)).tolist() == theirs.tolist()


def test_logical_not_all_any_match_torch():
    a = np.array([[0.0, 1.0, -2.0], [np.nan, 0.0, 3.0]])
    t = torch.tensor(a)
    assert autograd.logical_not(Tensor(a)).tolist() == torch.logical_not(t).tolist()
    for name in ("all", "any"):
        for kwargs in ({}, {"dim": 0}, {"dim": 1, "keepdim": True}, {"dim": -1}):
            ours, theirs = (
                getattr(autograd, name)(Tensor(a), **kwargs),
                getattr(torch, name)(t, **kwargs),
            )
            assert ours.dtype == np.bool_ and ours.shape == tuple(theirs.shape)
            assert ours.tolist() == theirs.tolist()
            assert getattr(Tensor(a), name)(**kwargs).tolist() == theirs.tolist()
    assert autograd.all(Tensor(np.zeros((0, 3)))).item() is True
    assert autograd.any(Tensor(np.zeros((0, 3)))).item() is False


def test_floor_divide_is_recorded_but_its_backward_raises_as_torch():
    x = Tensor(np.array([3.0, -2.5]), requires_grad=True)
    y = x // 2
    assert y.requires_grad and torch.tensor([3.0], requires_grad=True).floor_divide(2).requires_grad
    with pytest.raises(RuntimeError, match="derivative for 'floor_divide' is not implemented"):
        (y.sum() + x.sum()).backward()
