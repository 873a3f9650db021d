"""Shape operations against PyTorch (float64): forward, first and second derivatives, errors.

reshape/view, flatten, transpose, permute, squeeze, unsqueeze, expand and ``.T``, over
hypothesis-drawn shapes (size-1 and empty dims included).
"""

from functools import partial

import numpy as np
import pytest
import torch_oracle
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_oracle import gradcheck_to_second_order

from autograd import Tensor

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
seeds = st.integers(0, 2**32 - 1)


check_against_torch = partial(torch_oracle.check_against_torch, exact_forward=True)


def random_array(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds, data=st.data())
def test_reshape_and_view(shape, seed, data):
    x, rng = random_array(shape, seed)
    target = tuple(int(n) for n in rng.permutation(np.array(shape, dtype=int)))
    if data.draw(st.booleans()) and x.size:
        target = (-1,) + target[1:]  # -1 infers the size
    method = data.draw(st.sampled_from(["reshape", "view"]))
    check_against_torch(lambda a: getattr(a, method)(target), lambda a: a.reshape(target), [x], rng)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds, data=st.data())
def test_flatten(shape, seed, data):
    x, rng = random_array(shape, seed)
    rank = max(len(shape), 1)
    start = data.draw(st.integers(-rank, rank - 1))
    end = data.draw(st.integers(-rank, rank - 1).filter(lambda e: e % rank >= start % rank))
    check_against_torch(lambda a: a.flatten(start, end), lambda a: a.flatten(start, end), [x], rng)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds, data=st.data())
def test_transpose(shape, seed, data):
    x, rng = random_array(shape, seed)
    rank = max(len(shape), 1)
    d0, d1 = data.draw(st.tuples(st.integers(-rank, rank - 1), st.integers(-rank, rank - 1)))
    check_against_torch(lambda a: a.transpose(d0, d1), lambda a: a.transpose(d0, d1), [x], rng)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds, data=st.data())
def test_permute(shape, seed, data):
    x, rng = random_array(shape, seed)
    dims = data.draw(st.permutations(range(len(shape))))
    dims = tuple(d - len(shape) if data.draw(st.booleans()) else d for d in dims)  # negatives
    as_tuple = data.draw(st.booleans())
    check_against_torch(
        lambda a: a.permute(dims) if as_tuple else a.permute(*dims),
        lambda a: a.permute(dims),
        [x],
        rng,
    )


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=2), seed=seeds,
       data=st.data())  # fmt: skip
def test_squeeze(shape, seed, data):
    x, rng = random_array(shape, seed)
    rank = max(len(shape), 1)
    kind = data.draw(st.sampled_from(["all", "int", "tuple"]))
    if kind == "all":
        dim = None
    elif kind == "int":
        dim = data.draw(st.integers(-rank, rank - 1))  # may name a dim that is not size 1
    else:
        dim = tuple(data.draw(st.lists(st.integers(0, rank - 1), unique=True, max_size=rank)))
    check_against_torch(
        lambda a: a.squeeze(dim),
        lambda a: a.squeeze() if dim is None else a.squeeze(dim),
        [x],
        rng,
    )


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds, data=st.data())
def test_unsqueeze(shape, seed, data):
    x, rng = random_array(shape, seed)
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check_against_torch(lambda a: a.unsqueeze(dim), lambda a: a.unsqueeze(dim), [x], rng)


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3), seed=seeds,
       data=st.data())  # fmt: skip
def test_expand(shape, seed, data):
    x, rng = random_array(shape, seed)
    lead = tuple(data.draw(st.lists(st.integers(0, 3), max_size=2)))
    sizes = tuple(data.draw(st.sampled_from([-1, 0, 2, 3])) if n == 1 else -1 for n in shape)
    target = lead + sizes
    check_against_torch(lambda a: a.expand(target), lambda a: a.expand(target), [x], rng)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds)
def test_T_reverses_all_dims(shape, seed):
    x, rng = random_array(shape, seed)
    check_against_torch(
        lambda a: a.T, lambda a: a.permute(tuple(reversed(range(a.ndim)))), [x], rng
    )


def test_views_share_memory_with_the_input():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    for y in (x.reshape(4, 6), x.transpose(0, 2), x.permute(1, 2, 0), x.T, x.flatten(1),
              x.unsqueeze(1), x[None].squeeze(0)):  # fmt: skip
        assert np.shares_memory(y.data, x.data)
    assert x.T.shape == (4, 3, 2)
    assert x.transpose(0, 2).op == "transpose" and x.permute(2, 1, 0).op == "permute"
    assert x.flatten().op == "flatten" and x.squeeze().op == "squeeze"


def test_T_of_vectors_and_scalars_is_the_tensor_itself():
    v = Tensor([1.0, 2.0])
    s = Tensor(3.0)
    assert v.T is v and s.T is s


def test_zero_dim_tensors():
    s = Tensor(np.float64(2.0), requires_grad=True)
    assert s.flatten().shape == (1,)
    assert s.unsqueeze(0).shape == (1,) and s.unsqueeze(-1).shape == (1,)
    assert s.squeeze().shape == () and s.squeeze(0).shape == () and s.squeeze(-1).shape == ()
    assert s.transpose(0, -1).shape == () and s.permute().shape == ()
    (s.flatten() * 3.0).sum().backward()
    assert s.grad.item() == 3.0


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda x: x.transpose(0, 3), ["got 3", "[-3, 2]", "3 dimensions"]),
        (lambda x: x.transpose(-4, 0), ["got -4", "[-3, 2]"]),
        (lambda x: x.unsqueeze(4), ["got 4", "[-4, 3]", "3 dimensions"]),
        (lambda x: x.squeeze(5), ["got 5", "[-3, 2]"]),
        (lambda x: x.flatten(0, 7), ["got 7", "[-3, 2]"]),
    ],
)
def test_out_of_range_dims_name_the_dim_the_rank_and_the_range(call, words):
    x = Tensor(np.zeros((2, 3, 4)))
    with pytest.raises(IndexError) as info:
        call(x)
    for word in words:
        assert word in str(info.value)


def test_shape_errors():
    x = Tensor(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"3 dimensions .*\(2, 3, 4\).* 2 were given"):
        x.permute(0, 1)
    with pytest.raises(ValueError, match="duplicate dims"):
        x.permute(0, 0, 1)
    with pytest.raises(ValueError, match="appears multiple times"):
        x.squeeze((0, -3))
    with pytest.raises(ValueError, match="start_dim cannot come after end_dim"):
        x.flatten(2, 1)
    with pytest.raises(ValueError, match=r"shape \(5, 5\) is invalid for input of size 24"):
        x.reshape(5, 5)
    with pytest.raises(ValueError, match=r"expanded size .*\(5\).* existing size \(4\)"):
        x.expand(2, 3, 5)
    with pytest.raises(TypeError, match="must be an int"):
        x.transpose(0, 1.0)


GRADCHECK_CASES = {
    "reshape": ([(2, 3, 2)], lambda a: a.reshape(3, -1)),
    "view": ([(2, 3)], lambda a: a.view(6)),
    "flatten": ([(2, 1, 3, 2)], lambda a: a.flatten(1, 2)),
    "transpose": ([(2, 3, 2)], lambda a: a.transpose(0, -1)),
    "permute": ([(2, 3, 1, 2)], lambda a: a.permute(2, 3, 0, 1)),
    "squeeze": ([(2, 1, 3, 1)], lambda a: a.squeeze((1, 3))),
    "unsqueeze": ([(2, 3)], lambda a: a.unsqueeze(-2)),
    "expand": ([(2, 1, 3)], lambda a: a.expand(2, 2, 4, 3)),
    "T": ([(2, 3, 2)], lambda a: a.T),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK_CASES))
def test_gradcheck_first_and_second_order(name):
    shapes, fn = GRADCHECK_CASES[name]
    gradcheck_to_second_order(fn, shapes, seed=len(name))
