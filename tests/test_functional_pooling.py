"""Max and average pooling against torch.nn.functional (float64), central differences, errors.

Max pooling has a fused rule; it is also compared with the composition of primitives that
defines it (sliding window, reshape, max along the last dim), forward, backward and second
order. Inputs are drawn from a few integers on purpose: ties must route the gradient to one
element per window, the first maximum, as torch does.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import Tensor, grad
from autograd.gradcheck import gradcheck
from nn.functional.pooling import (
    _max_pool2d_composed,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
)

MAX = {1: max_pool1d, 2: max_pool2d, 3: max_pool3d}
TMAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG = {1: avg_pool1d, 2: avg_pool2d, 3: avg_pool3d}
TAVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
TOL = {"rtol": 1e-12, "atol": 1e-12}


def has_real_elements(n, k, s, p, d, ceil_mode) -> bool:
    """Whether every window along a dim of size ``n`` holds at least one input element."""
    room = n + 2 * p - d * (k - 1) - 1
    out = (-(-room // s) if ceil_mode else room // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return all(any(0 <= o * s - p + j * d < n for j in range(k)) for o in range(out))


@st.composite
def pool_problems(draw, nd=2, dilate=True, max_size=7):
    """(input shape, kernel, stride, padding, dilation, ceil_mode) that torch accepts."""
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) if dilate else 1 for _ in range(nd))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3) for _ in range(nd)])))
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    ceil_mode = draw(st.booleans())
    smallest = [max(1, span - 2 * p) for span, p in zip(spans, padding)]
    if nd == 3:  # torch's 3-D pooling wants the input at least as large as the window
        smallest = [max(m, span) for m, span in zip(smallest, spans)]
    spatial = tuple(draw(st.integers(m, max_size)) for m in smallest)
    # a window wholly in the padding has its own test (torch mishandles its gradient)
    assume(
        all(
            has_real_elements(n, k, s, p, d, ceil_mode)
            for n, k, s, p, d in zip(spatial, kernel, stride or kernel, padding, dilation)
        )
    )
    batch = draw(st.sampled_from([(), (1,), (2,), (3,)]))  # () is unbatched
    channels = draw(st.integers(1, 3))
    return batch + (channels,) + spatial, kernel, stride, padding, dilation, ceil_mode


def tied_values(rng, shape):
    """Values from a few integers: many ties within a window."""
    return rng.integers(-3, 4, size=shape).astype(np.float64)


def compare(ours, theirs, x, rng, indices=False):
    xs = Tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    out, expected = ours(xs), theirs(xt)
    if indices:
        (out, idx), (expected, tidx) = out, expected
        assert idx.dtype == np.int64
        np.testing.assert_array_equal(idx.data, tidx.numpy())
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)
    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(xs.grad.data, xt.grad.numpy(), **TOL)


@pytest.mark.parametrize("nd, examples", [(1, 60), (2, 150), (3, 30)])
def test_max_pool_matches_torch_with_ties(nd, examples):
    @settings(max_examples=examples, deadline=None)
    @given(problem=pool_problems(nd=nd), seed=st.integers(0, 2**32 - 1), ties=st.booleans())
    def check(problem, seed, ties):
        shape, kernel, stride, padding, dilation, ceil_mode = problem
        rng = np.random.default_rng(seed)
        x = tied_values(rng, shape) if ties else rng.standard_normal(shape)
        kwargs = dict(
            kernel_size=kernel,
            stride=stride,
            padding=padding,
            dilation=dilation,
            ceil_mode=ceil_mode,
            return_indices=True,
        )
        compare(lambda t: MAX[nd](t, **kwargs), lambda t: TMAX[nd](t, **kwargs), x, rng, True)

    check()


@pytest.mark.parametrize("nd, examples", [(1, 60), (2, 150), (3, 30)])
def test_avg_pool_matches_torch(nd, examples):
    @settings(max_examples=examples, deadline=None)
    @given(
        problem=pool_problems(nd=nd, dilate=False),
        seed=st.integers(0, 2**32 - 1),
        count_include_pad=st.booleans(),
        divisor=st.sampled_from([None, None, 3]),
    )
    def check(problem, seed, count_include_pad, divisor):
        shape, kernel, stride, padding, _, ceil_mode = problem
        rng = np.random.default_rng(seed)
        kwargs = dict(
            kernel_size=kernel,
            stride=stride,
            padding=padding,
            ceil_mode=ceil_mode,
            count_include_pad=count_include_pad,
        )
        if nd > 1:
            kwargs["divisor_override"] = divisor
        x = rng.standard_normal(shape)
        compare(lambda t: AVG[nd](t, **kwargs), lambda t: TAVG[nd](t, **kwargs), x, rng)

    check()


def test_defaults_and_int_arguments_match_torch():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 9, 8))
    compare(lambda t: max_pool2d(t, 2), lambda t: F.max_pool2d(t, 2), x, rng)
    compare(lambda t: max_pool2d(t, 3, 2, 1), lambda t: F.max_pool2d(t, 3, 2, 1), x, rng)
    compare(lambda t: avg_pool2d(t, 2), lambda t: F.avg_pool2d(t, 2), x, rng)
    compare(lambda t: avg_pool2d(t, 3, 2, 1), lambda t: F.avg_pool2d(t, 3, 2, 1), x, rng)
    compare(lambda t: avg_pool1d(t[0], 3), lambda t: F.avg_pool1d(t[0], 3), x[:, :, 0], rng)


def test_non_finite_inputs_and_gradients_follow_torch():
    """-inf windows, NaN maxima (torch takes the last NaN), and inf/NaN upstream gradients."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 7, 7))
    x[0, 0, :3, :3] = -np.inf  # a window of -inf next to the -inf padding
    x[1, 1, 2, 2] = np.nan
    x[1, 2, 3:5, 3:5] = np.nan
    kwargs = dict(kernel_size=3, stride=2, padding=1, return_indices=True)
    xs, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (out, idx), (expected, tidx) = max_pool2d(xs, **kwargs), F.max_pool2d(xt, **kwargs)
    np.testing.assert_array_equal(idx.data, tidx.numpy())
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    g = rng.standard_normal(out.shape)
    g[0, 0, 0, 0], g[1, 1, 1, 1], g[0, 2, 2, 2] = np.inf, np.nan, -np.inf
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(xs.grad.data, xt.grad.numpy(), equal_nan=True, **TOL)


def test_a_window_wholly_in_the_padding_reports_torchs_index_and_takes_no_gradient():
    """(1, 2) windows dilated by 2 over a width-1 input padded by 1: both taps are padding.

    torch gives -inf and index 1 (outside the 1-element plane), and adds the gradient to the
    next plane's element; we give -inf, the same index, and no gradient (no element won).
    """
    x = np.arange(4.0).reshape(1, 4, 1, 1)
    kwargs = dict(kernel_size=(1, 2), stride=2, padding=(0, 1), dilation=(1, 2))
    xs = Tensor(x, requires_grad=True)
    out, idx = max_pool2d(xs, return_indices=True, **kwargs)
    expected, tidx = F.max_pool2d(torch.tensor(x), return_indices=True, **kwargs)
    np.testing.assert_array_equal(out.data, expected.numpy())
    np.testing.assert_array_equal(idx.data, tidx.numpy())
    out.sum().backward()
    np.testing.assert_array_equal(xs.grad.data, 0)


# the definition from primitives, which the fused rule is registered with
max_pool_by_composition = _max_pool2d_composed


@settings(max_examples=40, deadline=None)
@given(problem=pool_problems(nd=2, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_fused_max_pool_matches_the_composition(problem, seed):
    """Forward, backward and second order, on tied values (both take the first maximum)."""
    shape, kernel, stride, padding, dilation, _ = problem
    stride = kernel if stride is None else stride
    rng = np.random.default_rng(seed)
    x = tied_values(rng, shape)
    fused = Tensor(x, requires_grad=True)
    composed = Tensor(x, requires_grad=True)
    y = max_pool2d(fused, kernel, stride, padding, dilation)
    z = max_pool_by_composition(composed, kernel, stride, padding, dilation)
    np.testing.assert_array_equal(y.data, z.data)

    u = Tensor(rng.standard_normal(y.shape))
    (gy,) = grad((y * y * u).sum(), fused, create_graph=True)
    (gz,) = grad((z * z * u).sum(), composed, create_graph=True)
    np.testing.assert_allclose(gy.data, gz.data, **TOL)
    v = Tensor(rng.standard_normal(x.shape))
    (hy,) = grad((gy * v).sum(), fused)
    (hz,) = grad((gz * v).sum(), composed)
    np.testing.assert_allclose(hy.data, hz.data, **TOL)


def second_order(ours, theirs, x, rng, loss="square"):
    """Gradient of <d L / d x, v> with respect to x, against torch's."""
    xs, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = ours(xs), theirs(xt)
    u = rng.standard_normal(y.shape)
    if loss == "square":
        total, ttotal = (y * y * Tensor(u)).sum(), (ty * ty * torch.tensor(u)).sum()
    else:
        total, ttotal = (y * Tensor(u)).sum(), (ty * torch.tensor(u)).sum()
    (first,) = grad(total, xs, create_graph=True)
    (tfirst,) = torch.autograd.grad(ttotal, xt, create_graph=True)
    np.testing.assert_allclose(first.data, tfirst.detach().numpy(), **TOL)
    v = rng.standard_normal(x.shape)
    inner, tinner = (first * Tensor(v)).sum(), (tfirst * torch.tensor(v)).sum()
    second = grad(inner, xs, allow_unused=True)[0] if inner.requires_grad else None
    tsecond = (
        torch.autograd.grad(tinner, xt, allow_unused=True)[0] if tinner.requires_grad else None
    )
    second = np.zeros(x.shape) if second is None else second.data
    tsecond = np.zeros(x.shape) if tsecond is None else tsecond.numpy()
    np.testing.assert_allclose(second, tsecond, **TOL)
    return second


@settings(max_examples=30, deadline=None)
@given(problem=pool_problems(nd=2, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_second_order_matches_torch(problem, seed):
    shape, kernel, stride, padding, dilation, ceil_mode = problem
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    kwargs = dict(kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
    second_order(lambda t: avg_pool2d(t, **kwargs), lambda t: F.avg_pool2d(t, **kwargs), x, rng)
    kwargs["dilation"] = dilation
    second_order(lambda t: max_pool2d(t, **kwargs), lambda t: F.max_pool2d(t, **kwargs), x, rng)


def test_max_pool_gradient_of_gradient_is_zero_for_a_linear_loss():
    """d/dx of d<y, u>/dx: the winners are constants, so it is zero, as in torch."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 6, 6))
    second = second_order(
        lambda t: max_pool2d(t, 3, 2, 1), lambda t: F.max_pool2d(t, 3, 2, 1), x, rng, "linear"
    )
    np.testing.assert_array_equal(second, 0)


@pytest.mark.parametrize(
    "fn, kwargs",
    [
        (max_pool2d, dict(kernel_size=2)),
        (max_pool2d, dict(kernel_size=(3, 2), stride=(2, 1), padding=1, dilation=(1, 2))),
        (max_pool1d, dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
        (avg_pool2d, dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
        (avg_pool2d, dict(kernel_size=2, ceil_mode=True, divisor_override=3)),
        (avg_pool1d, dict(kernel_size=2, stride=1, padding=1)),
    ],
)
def test_gradcheck(fn, kwargs):
    rng = np.random.default_rng(3)
    shape = (2, 2, 5) if fn in (max_pool1d, avg_pool1d) else (2, 2, 5, 5)
    # distinct values, far apart: central differences must not cross a tie
    x = rng.permutation(np.prod(shape)).reshape(shape) * 0.1
    assert gradcheck(lambda t: fn(t, **kwargs), Tensor(x, requires_grad=True))


def test_float32_stays_float32_and_empty_batch_works():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    for fn in (max_pool2d, avg_pool2d):
        out = fn(x, 2)
        assert out.dtype == np.float32
        x.grad = None
        (out * out).sum().backward()
        assert x.grad.dtype == np.float32
    for fn, tfn in ((max_pool2d, F.max_pool2d), (avg_pool2d, F.avg_pool2d)):
        empty = Tensor(np.zeros((0, 3, 6, 6)), requires_grad=True)
        out = fn(empty, 3, 2, 1)
        assert out.shape == tuple(tfn(torch.zeros(0, 3, 6, 6), 3, 2, 1).shape)
        out.sum().backward()
        assert empty.grad.shape == (0, 3, 6, 6)


def test_outputs_are_batch_innermost():
    """What the next convolution reads without a copy: memory (C, H, W, N) under (N, C, H, W)."""
    x = Tensor(np.random.default_rng(0).standard_normal((4, 3, 8, 8)), requires_grad=True)
    for y in (max_pool2d(x, 2), max_pool2d(x, 3, 2, 1), avg_pool2d(x, 2)):
        assert np.argmin(y.data.strides) == 0
        (g,) = grad(y.sum(), x)
        assert g.shape == x.shape


def test_graph_names_the_operations():
    x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    y = max_pool2d(x, 2)
    assert y.op == "max_pool2d"
    (g,) = grad((y * y).sum(), x, create_graph=True)
    assert g.op == "max_pool_backward"
    assert avg_pool2d(x, 2).label == "avg_pool2d"
    assert max_pool1d(x[0], 2).op == "max_pool1d"


def _t(*shape, dtype=np.float64):
    return Tensor(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: max_pool2d(_t(1, 1, 5, 5), 3, padding=2),
            ValueError,
            r"pad should be smaller than or equal to half of kernel size, but got padding=2 "
            r"and kernel_size=3",
        ),
        (
            lambda: max_pool2d(_t(1, 1, 2, 2), 3),
            ValueError,
            r"Given input size: \(1x2x2\). Calculated output size: \(1x0x0\). Output size is "
            r"too small",
        ),
        (
            lambda: avg_pool2d(_t(1, 1, 5, 5), 2, padding=2),
            ValueError,
            r"pad should be smaller than or equal to half of kernel size",
        ),
        (
            lambda: max_pool2d(_t(5, 5), 2),
            ValueError,
            r"Expected 3D \(unbatched\) or 4D \(batched\) input to max_pool2d, but got input "
            r"of size: \[5, 5\]",
        ),
        (lambda: max_pool2d(_t(1, 1, 5, 5), 0), ValueError, r"kernel_size must be positive"),
        (lambda: max_pool2d(_t(1, 1, 5, 5), 2, stride=0), ValueError, r"stride must be positive"),
        (
            lambda: max_pool2d(_t(1, 1, 5, 5), (2, 2, 2)),
            TypeError,
            r"kernel_size must be an int or a tuple of 2 ints",
        ),
        (
            lambda: avg_pool2d(_t(1, 1, 5, 5), 2, divisor_override=0),
            ValueError,
            r"divisor must be a non-zero int",
        ),
        (
            lambda: max_pool2d(_t(1, 1, 5, 5, dtype=np.int64), 2),
            TypeError,
            r"expected a floating point input, got dtype int64",
        ),
        (
            lambda: avg_pool2d(np.zeros((1, 1, 4, 4)), 2),
            TypeError,
            r"argument 'input' \(position 1\) must be Tensor",
        ),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
