"""sliding_window (im2col) and its adjoint fold_windows against PyTorch (float64).

The oracle chains ``Tensor.unfold`` once per window dim, each over the dilated span
``dilation * (k - 1) + 1``, then keeps every ``dilation``-th element of each span.
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_oracle import check_against_torch

from autograd import Tensor, enable_grad, grad
from autograd.gradcheck import gradcheck
from autograd.ops.window import fold_windows, sliding_window

seeds = st.integers(0, 2**32 - 1)


def torch_windows(t, window, stride, dilation):
    lead = t.ndim - len(window)
    for i, (k, s, d) in enumerate(zip(window, stride, dilation)):
        t = t.unfold(lead + i, d * (k - 1) + 1, s)  # appends the span as the last dim
    return t[(Ellipsis,) + tuple(slice(None, None, d) for d in dilation)]


@st.composite
def window_problems(draw, max_dims=3):
    """(input shape, window, stride, dilation) with the dilated window fitting the input."""
    k = draw(st.integers(1, max_dims))
    lead = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    window = tuple(draw(st.lists(st.integers(1, 3), min_size=k, max_size=k)))
    stride = tuple(draw(st.lists(st.integers(1, 3), min_size=k, max_size=k)))
    dilation = tuple(draw(st.lists(st.integers(1, 2), min_size=k, max_size=k)))
    spatial = tuple(d * (w - 1) + 1 + draw(st.integers(0, 3)) for w, d in zip(window, dilation))
    return lead + spatial, window, stride, dilation


def as_arg(values, data):
    """An int where all values agree and hypothesis says so: both spellings get tested."""
    if len(set(values)) == 1 and data.draw(st.booleans()):
        return values[0]
    return values


@settings(max_examples=25, deadline=None)
@given(problem=window_problems(), seed=seeds, data=st.data())
def test_sliding_window_against_torch_unfold(problem, seed, data):
    shape, window, stride, dilation = problem
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    s, d = as_arg(stride, data), as_arg(dilation, data)
    check_against_torch(
        lambda a: sliding_window(a, window, stride=s, dilation=d),
        lambda t: torch_windows(t, window, stride, dilation),
        [x],
        rng,
    )


@settings(max_examples=25, deadline=None)
@given(problem=window_problems(), seed=seeds)
def test_fold_windows_is_the_vjp_of_unfold(problem, seed):
    shape, window, stride, dilation = problem
    rng = np.random.default_rng(seed)
    spatial = shape[len(shape) - len(window) :]
    probe = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    windows_shape = tuple(torch_windows(probe, window, stride, dilation).shape)

    def theirs(g):  # fold = the vector-Jacobian product of unfold, linear in g
        out = torch_windows(probe, window, stride, dilation)
        return torch.autograd.grad(out, probe, g, create_graph=True)[0]

    check_against_torch(
        lambda g: fold_windows(g, spatial, stride=stride, dilation=dilation),
        theirs,
        [rng.standard_normal(windows_shape)],
        rng,
    )


def test_matches_a_manual_numpy_construction():
    x = np.arange(2 * 9 * 10, dtype=float).reshape(2, 9, 10)
    out = sliding_window(Tensor(x), (3, 2), stride=(2, 3), dilation=(3, 2)).data
    assert out.shape == (2, 2, 3, 3, 2)  # (9 - 3*2 - 1)//2 + 1 = 2, (10 - 2 - 1)//3 + 1 = 3
    for i in range(2):
        for j in range(3):
            for p in range(3):
                for q in range(2):
                    expected = x[:, i * 2 + p * 3, j * 3 + q * 2]
                    np.testing.assert_array_equal(out[:, i, j, p, q], expected)


def test_conv2d_built_from_windows_matches_torch():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 7, 6))
    w = rng.standard_normal((4, 3, 3, 2))
    xs, ws = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    cols = sliding_window(xs, (3, 2), stride=2, dilation=(1, 2))  # (N, C, oh, ow, kh, kw)
    n, c, oh, ow, kh, kw = cols.shape
    rows = cols.permute(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
    out = (rows @ ws.reshape(4, c * kh * kw).T).reshape(n, oh, ow, 4).permute(0, 3, 1, 2)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    expected = torch.nn.functional.conv2d(xt, wt, stride=2, dilation=(1, 2))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(xs.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ws.grad.data, wt.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_windows_are_a_read_only_view_and_overlaps_accumulate():
    x = Tensor(np.arange(5.0), requires_grad=True)
    y = sliding_window(x, 3)
    assert y.shape == (3, 3) and y.op == "sliding_window"
    assert np.shares_memory(y.data, x.data) and not y.data.flags.writeable
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0, 2.0, 1.0]  # how many windows hold each element


def test_gradcheck_first_and_second_order():
    rng = np.random.default_rng(2)
    x = Tensor(rng.standard_normal((2, 5, 4)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 2, 3, 2, 2)))

    def windows(a):
        return sliding_window(a, (2, 2), stride=(2, 1), dilation=(2, 1))

    def first_derivative(a):
        with enable_grad():  # gradcheck evaluates fn under no_grad for its differences
            y = windows(a)
            return grad((y * y * w).sum(), a, create_graph=True)[0]

    assert gradcheck(windows, (x,))
    assert gradcheck(first_derivative, (x,))
    g = Tensor(rng.standard_normal((2, 2, 3, 2, 2)), requires_grad=True)
    assert gradcheck(lambda t: fold_windows(t, (5, 4), stride=(2, 1), dilation=(2, 1)), (g,))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda x: sliding_window(x, (3, 7)), ["window size 7", "input size 6", "dim 2"]),
        (
            lambda x: sliding_window(x, (3, 3), dilation=(1, 3)),
            ["window size 3", "dilation 3", "spanning 7", "input size 6", "(2, 5, 6)"],
        ),
        (lambda x: sliding_window(x, (2, 2), stride=0), ["stride", "positive", "0"]),
        (lambda x: sliding_window(x, (2, 2), stride=(1, 2, 3)), ["stride", "2 positive"]),
        (lambda x: sliding_window(x, (1, 1, 1, 1)), ["4 dims", "(2, 5, 6)"]),
        (
            lambda x: fold_windows(Tensor(np.zeros((2, 2, 2))), (4,)),
            ["(2, 2, 2)", "a (2,) grid", "size (4,)", "a (3,) grid"],
        ),
    ],
)
def test_window_errors_name_the_sizes(call, words):
    x = Tensor(np.zeros((2, 5, 6)))
    with pytest.raises(ValueError) as info:
        call(x)
    for word in words:
        assert word in str(info.value)
