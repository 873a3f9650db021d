"""conv1d / conv2d / conv3d against torch.nn.functional (float64), central differences, errors.

Every derivative is checked for the input, the weight and the bias, with a random upstream
gradient; second order through ``autograd.grad(create_graph=True)`` against torch's.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import nn.functional.conv as conv_module
from autograd import Tensor, grad
from autograd.gradcheck import gradcheck
from nn.functional.conv import conv1d, conv2d, conv3d

OURS = {1: conv1d, 2: conv2d, 3: conv3d}
THEIRS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
TOL = {"rtol": 1e-10, "atol": 1e-10}

# torch's note that it copies the input for padding="same" with an even kernel: not our concern
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")


@st.composite
def conv_problems(draw, nd=2, max_size=7):
    """(input shape, weight shape, bias?, stride, padding, dilation, groups) that torch accepts."""
    groups = draw(st.integers(1, 3))
    in_per_group = draw(st.integers(1, 3))
    out_per_group = draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    padding = draw(
        st.one_of(
            st.just("valid"),
            st.just("same") if all(s == 1 for s in stride) else st.just(0),
            st.integers(0, 2),
            st.tuples(*[st.integers(0, 2) for _ in range(nd)]),
        )
    )
    pads = (padding,) * nd if isinstance(padding, int) else padding
    if isinstance(padding, str):
        pads = (0,) * nd  # the input must fit the window without padding then
    spatial = tuple(
        max(1, draw(st.integers(max(span - 2 * p, 1), max_size))) for span, p in zip(spans, pads)
    )
    batch = draw(st.sampled_from([None, 1, 2, 3]))  # None: unbatched
    channels = groups * in_per_group
    shape = ((channels,) if batch is None else (batch, channels)) + spatial
    weight = (groups * out_per_group, in_per_group) + kernel
    bias = draw(st.booleans())
    return shape, weight, bias, stride, padding, dilation, groups


def check_first_order(nd, problem, seed, perm=None):
    """``perm``: lay the input out in memory in this order of its dims (the ops must not care)."""
    shape, wshape, has_bias, stride, padding, dilation, groups = problem
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if perm is not None:
        x = np.ascontiguousarray(x.transpose(perm)).transpose(np.argsort(perm))
    w = rng.standard_normal(wshape)
    b = rng.standard_normal(wshape[0]) if has_bias else None
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)

    xs = Tensor(x, requires_grad=True)
    ws = Tensor(w, requires_grad=True)
    bs = Tensor(b, requires_grad=True) if has_bias else None
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True) if has_bias else None

    out = OURS[nd](xs, ws, bs, **kwargs)
    expected = THEIRS[nd](xt, wt, bt, **kwargs)
    assert out.shape == tuple(expected.shape)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)

    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(xs.grad.data, xt.grad.numpy(), **TOL)
    np.testing.assert_allclose(ws.grad.data, wt.grad.numpy(), **TOL)
    if has_bias:
        np.testing.assert_allclose(bs.grad.data, bt.grad.numpy(), **TOL)


@settings(max_examples=150, deadline=None)
@given(problem=conv_problems(nd=2), seed=st.integers(0, 2**32 - 1))
def test_conv2d_matches_torch(problem, seed):
    check_first_order(2, problem, seed)


@settings(max_examples=60, deadline=None)
@given(problem=conv_problems(nd=2), seed=st.integers(0, 2**32 - 1), data=st.data())
def test_conv2d_input_memory_layout_does_not_matter(problem, seed, data):
    perm = data.draw(st.permutations(range(len(problem[0]))))
    check_first_order(2, problem, seed, tuple(perm))


@settings(max_examples=80, deadline=None)
@given(problem=conv_problems(nd=1, max_size=9), seed=st.integers(0, 2**32 - 1))
def test_conv1d_matches_torch(problem, seed):
    check_first_order(1, problem, seed)


@settings(max_examples=25, deadline=None)
@given(problem=conv_problems(nd=3, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_conv3d_matches_torch(problem, seed):
    check_first_order(3, problem, seed)


@pytest.mark.parametrize("layout", [None, (1, 2, 3, 0), (0, 2, 3, 1)])
@pytest.mark.parametrize("bias", [True, False])
def test_pointwise_conv_in_every_layout(layout, bias):
    """1x1 kernels skip the windows: a batch of GEMMs on (N, C, H W) or one on (C, H W N)."""
    check_first_order(2, ((3, 4, 5, 6), (7, 4, 1, 1), bias, 1, 0, 1, 1), seed=4, perm=layout)


@pytest.mark.parametrize(
    "nd, shape, wshape, kwargs",
    [
        (2, (0, 3, 5, 5), (2, 3, 3, 3), dict(padding=1)),
        (2, (0, 3, 5, 5), (2, 3, 1, 1), {}),
        (1, (0, 4, 5), (4, 2, 3), dict(padding=1, groups=2)),
    ],
)
def test_empty_batch_gives_empty_output_and_zero_weight_gradient(nd, shape, wshape, kwargs):
    x = Tensor(np.zeros(shape), requires_grad=True)
    w = Tensor(np.ones(wshape), requires_grad=True)
    b = Tensor(np.ones(wshape[0]), requires_grad=True)
    out = OURS[nd](x, w, b, **kwargs)
    expected = THEIRS[nd](torch.zeros(shape), torch.ones(wshape), torch.ones(wshape[0]), **kwargs)
    assert out.shape == tuple(expected.shape)
    out.sum().backward()
    assert x.grad.shape == shape
    np.testing.assert_array_equal(w.grad.data, 0)
    np.testing.assert_array_equal(b.grad.data, 0)


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((2, 3, 8, 8)).astype(np.float32), requires_grad=True)
    w = Tensor(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    out = conv2d(x, w, b, padding=1, stride=2)
    assert out.dtype == np.float32
    (out * out).mean().backward()
    for t in (x, w, b):
        assert t.grad.dtype == np.float32
    expected = F.conv2d(
        torch.tensor(x.data), torch.tensor(w.data), torch.tensor(b.data), padding=1, stride=2
    )
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "nd, shape, wshape, kwargs",
    [
        (
            2,
            (2, 4, 5, 4),
            (2, 2, 2, 3),
            dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
        ),
        (2, (3, 4, 4), (3, 3, 2, 2), dict(padding="same")),
        (2, (1, 3, 4, 4), (2, 3, 1, 1), dict(stride=2)),
        (1, (2, 2, 7), (4, 1, 3), dict(stride=2, padding=1, dilation=2, groups=2)),
    ],
)
def test_gradcheck(nd, shape, wshape, kwargs):
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    w = Tensor(rng.standard_normal(wshape), requires_grad=True)
    b = Tensor(rng.standard_normal(wshape[0]), requires_grad=True)
    assert gradcheck(lambda x, w, b: OURS[nd](x, w, b, **kwargs), (x, w, b))


def second_order(nd, shape, wshape, kwargs, seed):
    """With L = sum(u * y^2): first derivatives (create_graph), then d<first, v>/d(x, w, b)."""
    rng = np.random.default_rng(seed)
    arrays = [
        rng.standard_normal(shape),
        rng.standard_normal(wshape),
        rng.standard_normal(wshape[0]),
    ]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    y = OURS[nd](*ours, **kwargs)
    ty = THEIRS[nd](*theirs, **kwargs)
    u = rng.standard_normal(y.shape)
    vs = [rng.standard_normal(a.shape) for a in arrays]

    firsts = grad((y * y * Tensor(u)).sum(), ours, create_graph=True)
    tfirsts = torch.autograd.grad((ty * ty * torch.tensor(u)).sum(), theirs, create_graph=True)
    for f, tf in zip(firsts, tfirsts):
        np.testing.assert_allclose(f.data, tf.detach().numpy(), **TOL)
    total = sum((f * Tensor(v)).sum() for f, v in zip(firsts, vs))
    ttotal = sum((f * torch.tensor(v)).sum() for f, v in zip(tfirsts, vs))
    seconds = grad(total, ours, allow_unused=True)
    tseconds = torch.autograd.grad(ttotal, theirs, allow_unused=True)
    for s, ts, a in zip(seconds, tseconds, arrays):
        s = np.zeros(a.shape) if s is None else s.data
        ts = np.zeros(a.shape) if ts is None else ts.numpy()
        np.testing.assert_allclose(s, ts, **TOL)


@settings(max_examples=25, deadline=None)
@given(problem=conv_problems(nd=2, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_conv2d_second_order_matches_torch(problem, seed):
    shape, wshape, _, stride, padding, dilation, groups = problem
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    second_order(2, shape, wshape, kwargs, seed)


def test_conv1d_second_order_matches_torch():
    second_order(1, (2, 4, 6), (4, 2, 3), dict(padding=1, stride=2, groups=2), seed=3)


def test_output_is_batch_innermost_and_the_next_conv_reads_it_without_a_copy():
    """The layout that makes im2col and the fold fast: memory (O, H, W, N) under (N, O, H, W)."""
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3, 9, 9)), requires_grad=True)
    w1 = Tensor(rng.standard_normal((5, 3, 3, 3)), requires_grad=True)
    h = conv2d(x, w1, padding=1).relu()
    assert h.shape == (4, 5, 9, 9)
    assert np.argmin(h.data.strides) == 0  # the batch moves fastest
    # the next convolution's columns start from the batch-innermost view, which is h's memory
    # as it is: no copy before the im2col
    batch_last = h.data.transpose(1, 2, 3, 0)
    assert batch_last.flags.c_contiguous and np.shares_memory(batch_last, h.data)


def test_the_convolution_is_one_node_and_its_reference_names_the_steps():
    """conv2d records one node (the fused rule); the composition it replaces, the registered
    reference, is the im2col pipeline that the notebooks describe."""
    x = Tensor(np.ones((1, 1, 4, 4)), requires_grad=True)
    w = Tensor(np.ones((1, 1, 3, 3)), requires_grad=True)
    b = Tensor(np.ones(1), requires_grad=True)
    out = conv2d(x, w, b, padding=1)
    assert out.label == "conv2d" and out.op == "conv2d"
    assert list(out.parents) == [x, w, b]
    reference = conv_module._reference(x, w, b, padding=1)
    np.testing.assert_array_equal(reference.data, out.data)
    ops, labels, stack, seen = set(), set(), [reference], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        ops.add(node.op)
        labels.add(node.label)
        stack.extend(node.parents)
    assert {"pad", "sliding_window", "matmul"} <= ops
    assert "im2col" in labels


# -- errors: torch's wording where torch has one, with the shapes involved -------------------


def _t(*shape, dtype=np.float64):
    return Tensor(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: conv2d(_t(2, 3), _t(1, 3, 1, 1)),
            ValueError,
            r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of "
            r"size: \[2, 3\]",
        ),
        (lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3)), ValueError, r"weight must have 4 dims"),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 4, 3, 3)),
            ValueError,
            r"Given groups=1, weight of size \[2, 4, 3, 3\], expected input\[1, 3, 5, 5\] to "
            r"have 4 channels, but got 3 channels instead",
        ),
        (
            lambda: conv2d(_t(1, 4, 5, 5), _t(3, 2, 3, 3), groups=2),
            ValueError,
            r"Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight "
            r"of size \[3, 2, 3, 3\]",
        ),
        (
            lambda: conv2d(_t(1, 4, 5, 5), _t(2, 4, 3, 3), groups=2),
            ValueError,
            r"Given groups=2, weight of size \[2, 4, 3, 3\], expected input\[1, 4, 5, 5\] to "
            r"have 8",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), _t(3)),
            ValueError,
            r"expected bias to be 1-dimensional with 2 elements, but got bias of size \[3\]",
        ),
        (
            lambda: conv2d(_t(1, 3, 4, 4), _t(2, 3, 5, 5), padding=0),
            ValueError,
            r"Calculated padded input size per channel: \(4 x 4\). Kernel size: \(5 x 5\). Kernel "
            r"size can't be greater than actual input size",
        ),
        (
            lambda: conv2d(_t(1, 3, 4, 4), _t(2, 3, 3, 3), dilation=2),
            ValueError,
            r"Kernel size: \(5 x 5\)",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), stride=2, padding="same"),
            ValueError,
            r"padding='same' is not supported for strided convolutions",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), padding="full"),
            ValueError,
            r"Invalid padding string 'full'",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), padding=-1),
            ValueError,
            r"negative padding is not supported",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), stride=0),
            ValueError,
            r"non-positive stride is not supported",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), stride=(1, 1, 1)),
            TypeError,
            r"stride must be an int or a tuple of 2 ints",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3), groups=0),
            ValueError,
            r"non-positive groups is not supported",
        ),
        (
            lambda: conv2d(_t(1, 3, 5, 5), _t(2, 3, 3, 3, dtype=np.float32)),
            TypeError,
            r"Input type \(float64\) and weight type \(float32\) should be the same",
        ),
        (
            lambda: conv2d(np.zeros((1, 3, 5, 5)), _t(2, 3, 3, 3)),
            TypeError,
            r"argument 'input' \(position 1\) must be Tensor",
        ),
        (
            lambda: conv1d(_t(1, 2, 3, 4), _t(1, 2, 3)),
            ValueError,
            r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d",
        ),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_integer_input_is_refused():
    x = Tensor(np.zeros((1, 1, 3, 3), dtype=np.int64))
    w = Tensor(np.zeros((1, 1, 2, 2), dtype=np.int64))
    with pytest.raises(TypeError, match="expected a floating point input, got dtype int64"):
        conv2d(x, w)
