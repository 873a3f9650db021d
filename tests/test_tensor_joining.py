"""cat, stack and pad against PyTorch (float64): forward, first and second derivatives, errors."""

from functools import partial

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torch_oracle
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_oracle import gradcheck_to_second_order

from autograd import Tensor, cat, pad, stack

seeds = st.integers(0, 2**32 - 1)


check_against_torch = partial(torch_oracle.check_against_torch, exact_forward=True)


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=3), seed=seeds,
       data=st.data())  # fmt: skip
def test_cat(shape, seed, data):
    rng = np.random.default_rng(seed)
    nd = len(shape)
    dim = data.draw(st.integers(-nd, nd - 1))
    sizes = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
    arrays = []
    for n in sizes:
        piece = list(shape)
        piece[dim] = n  # only the cat dim differs
        arrays.append(rng.standard_normal(piece))
    check_against_torch(
        lambda *xs: cat(list(xs), dim=dim), lambda *ts: torch.cat(ts, dim=dim), arrays, rng
    )


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3), seed=seeds,
       data=st.data())  # fmt: skip
def test_stack(shape, seed, data):
    rng = np.random.default_rng(seed)
    nd = len(shape)
    dim = data.draw(st.integers(-nd - 1, nd))
    count = data.draw(st.integers(1, 4))
    arrays = [rng.standard_normal(shape) for _ in range(count)]
    check_against_torch(
        lambda *xs: stack(xs, dim=dim), lambda *ts: torch.stack(ts, dim=dim), arrays, rng
    )


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4), seed=seeds,
       data=st.data())  # fmt: skip
def test_constant_pad(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    dims = data.draw(st.integers(0, len(shape)))
    widths = []
    for n in reversed(shape[len(shape) - dims :]):  # from the last dim back, as torch
        lo = data.draw(st.integers(-n, 3))
        hi = data.draw(st.integers(-(n + min(lo, 0)), 3))  # crop no more than is there
        widths += [lo, hi]
    value = data.draw(st.sampled_from([0.0, -1.5, 2.0]))
    check_against_torch(
        lambda a: pad(a, tuple(widths), value=value),
        lambda t: F.pad(t, tuple(widths), value=value),
        [x],
        rng,
    )


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@settings(max_examples=25, deadline=None)
@given(seed=seeds, data=st.data())
def test_gathering_pad_modes(mode, seed, data):
    # torch pads the last 1, 2 or 3 dims of a (batch, channel, *spatial) input in these modes
    spatial = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)))
    shape += tuple(data.draw(st.lists(st.integers(1, 4), min_size=spatial, max_size=spatial)))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    widths = []
    for n in reversed(shape[-spatial:]):
        top = {"reflect": n - 1, "replicate": 3, "circular": n}[mode]
        widths += [data.draw(st.integers(0, top)), data.draw(st.integers(0, top))]
    check_against_torch(
        lambda a: pad(a, tuple(widths), mode=mode),
        lambda t: F.pad(t, tuple(widths), mode=mode),
        [x],
        rng,
    )


def test_cat_of_one_tensor_twice_accumulates():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = cat([x, x * 3.0, x])
    assert y.tolist() == [1.0, 2.0, 3.0, 6.0, 1.0, 2.0]
    y.sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


def test_inputs_that_need_no_grad_get_none():
    a = Tensor(np.ones((2, 2)), requires_grad=True)
    b = Tensor(np.ones((1, 2)))
    s = stack([a, a], dim=1)
    c = cat([a, b])
    (c.sum() + s.sum()).backward()
    assert a.grad.tolist() == [[3.0, 3.0], [3.0, 3.0]] and b.grad is None
    assert c.op == "cat" and s.op == "stack" and pad(a, (1, 1)).op == "pad"


def test_cat_and_stack_accept_tuples_and_arrays():
    a = Tensor(np.zeros((2, 2)))
    assert cat((a, np.ones((1, 2))), dim=-2).shape == (3, 2)
    assert stack((a, a), dim=-1).shape == (2, 2, 2)


def test_negative_pad_crops():
    x = Tensor(np.arange(10.0).reshape(2, 5), requires_grad=True)
    y = pad(x, (-1, 2, 0, -1), value=9.0)
    assert y.tolist() == [[1.0, 2.0, 3.0, 4.0, 9.0, 9.0]]
    y.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 1.0, 1.0, 1.0], [0.0] * 5]


def test_joining_errors():
    a, b = Tensor(np.zeros((2, 3))), Tensor(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"dimension 0.*\(2, 3\) and \(2, 4\) differ in dim"):
        cat([a, b], dim=0)
    assert cat([a, b], dim=1).shape == (2, 7)
    with pytest.raises(ValueError, match="non-empty list"):
        cat([])
    with pytest.raises(TypeError, match="list or tuple of Tensors"):
        cat(a)
    with pytest.raises(ValueError, match=r"same number of dimensions: got 2 and 1.*\(2,\)"):
        cat([a, Tensor(np.zeros(2))])
    with pytest.raises(ValueError, match="zero-dimensional tensor"):
        cat([Tensor(1.0), Tensor(2.0)])
    with pytest.raises(IndexError, match=r"\[-2, 1\], but got 2"):
        cat([a, a], dim=2)
    with pytest.raises(ValueError, match=r"equal size.*\(2, 3\) at entry 0 and \(2, 4\) at"):
        stack([a, a, b])
    with pytest.raises(IndexError, match=r"\[-3, 2\], but got 3"):
        stack([a, a], dim=3)


def test_pad_errors():
    x = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="divisible by 2"):
        pad(x, (1, 2, 3))
    with pytest.raises(ValueError, match="padding length 6 and input of dimension 2"):
        pad(x, (1, 1, 1, 1, 1, 1))
    with pytest.raises(ValueError, match="input size 3, plus negative padding -2 and -2"):
        pad(x, (-2, -2))
    with pytest.raises(ValueError, match="unknown mode 'mirror'"):
        pad(x, (1, 1), mode="mirror")
    with pytest.raises(ValueError, match=r"\(3, 0\) at dimension 1 .*smaller than .* size 3"):
        pad(x, (3, 0), mode="reflect")
    with pytest.raises(ValueError, match="only supported in 'constant' mode"):
        pad(x, (-1, 0), mode="replicate")
    with pytest.raises(TypeError, match="tuple of ints"):
        pad(x, (1.5, 1))


GRADCHECK_CASES = {
    "cat": ([(2, 3), (2, 1), (2, 2)], lambda *xs: cat(list(xs), dim=-1)),
    "stack": ([(2, 3), (2, 3)], lambda *xs: stack(xs, dim=1)),
    "pad_constant": ([(2, 3, 4)], lambda a: pad(a, (1, -2, 2, 0), value=0.5)),
    "pad_reflect": ([(1, 3, 4)], lambda a: pad(a, (3, 1, 2, 0), mode="reflect")),
    "pad_replicate": ([(1, 3, 4)], lambda a: pad(a, (0, 2, 3, 1), mode="replicate")),
    "pad_circular": ([(1, 3, 4)], lambda a: pad(a, (4, 1, 1, 3), mode="circular")),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK_CASES))
def test_gradcheck_first_and_second_order(name):
    shapes, fn = GRADCHECK_CASES[name]
    gradcheck_to_second_order(fn, shapes, seed=len(name))
