"""Convolutions (``conv1d``, ``conv2d``, ``conv3d``), as ``torch.nn.functional`` defines them.

Each is one node, ``Convolution``, a fused rule registered with the composition of primitives
it replaces (``_convolution_composed``; ``tests/test_fused_rules.py`` checks the two against
each other to second order). The composition, which the forward also runs (unrecorded) to cut
the columns:

    x (N, C, *spatial)
      -> permute to (C, *spatial, N)                      batch innermost: see below
      -> pad                                              zeros, "same"/"valid"/ints
      -> sliding_window, window (*kernel, 1)              (C, *out, N, *kernel, 1), a view
      -> permute + reshape to (C * prod(kernel), prod(out) * N)        im2col: the one copy
      -> weight (O, C * prod(kernel)) @ columns           one GEMM (batched over groups)
      -> + bias, reshape to (O, *out, N), permute to (N, O, *out)

The fused node records none of these steps: measured per convolution (forward and backward,
LeNet's two, batch 64), 10% faster than the composition (1.77 -> 1.47 ms and 2.21 -> 2.04
ms), from a dozen shape operations fewer to record and walk and a bias added in place instead
of into a second output. Its derivative (rules.py, ``convolution``) is that of a matmul and a
bias, with ``_columns_adjoint`` (the fold: the derivative of the sliding window) taking the
input's gradient back; under ``create_graph`` it recomputes the columns from the input with
the same engine operations, so second derivatives come from their rules.

**Batch innermost.** The columns, the GEMM's result and the fold in the backward are laid out
with the batch as the fastest-moving dim (cuda-convnet's CHWN layout). A window row then reads
``out_w * N`` consecutive numbers instead of ``out_w``, so numpy's copies and the fold's strided
adds run in long contiguous runs: on LeNet's second convolution (batch 64) the im2col copy is
7x and the fold 5x faster than with the batch outermost, and the whole convolution (forward and
backward) 1.6x faster. The output is an ``(N, O, *out)`` tensor whose memory is ``(O, *out,
N)``; elementwise ops keep that layout, so the next convolution or pooling reads contiguous
memory with no copy. An input in any other layout (data as it comes, batch outermost) is copied
once to batch-innermost first (``pad`` makes that copy where there is padding): the copy is the
size of the input, the columns ``prod(kernel)`` times larger. The sliding window treats the
batch as one more window dim of size 1, so that the fold's output, which it allocates in the
logical order of its input, is batch-innermost as well.

**Per shape.** A 1x1 kernel at stride 1 without padding needs no windows: on a batch-outermost
input it is a batch of GEMMs ``(O, C) @ (N, C, H W)`` on a view of the input, with no copy at
all; on a batch-innermost one, one GEMM on the input reshaped. Everything else is one im2col
GEMM, with ``groups`` as a batch of GEMMs. The other formulations, written from the same
primitives in ``bench/conv.py`` (im2col with the batch outermost; torch's ``unfold`` rows
``(N oh ow, C k k) @ W^T``; one GEMM per kernel offset on a shifted view, accumulated), were
slower at every shape measured there.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from autograd import Function, Tensor, fold_windows, pad, sliding_window
from autograd.fused import register_fused
from autograd.rules import table_backward

from ._checks import int_tuple as _ints
from ._checks import tensor

__all__ = ["conv1d", "conv2d", "conv3d"]


def _padding(op: str, padding, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    """``(before, after)`` per spatial dim from ``padding``: ints, or "valid" / "same"."""
    nd = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding != "same":
            raise ValueError(
                f"{op}(): Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
            )
        if any(s != 1 for s in stride):
            raise ValueError(
                f"{op}(): padding='same' is not supported for strided convolutions (stride "
                f"{stride}); pad explicitly with an int or a tuple instead"
            )
        # as torch: the total d * (k - 1) split evenly, the odd one out on the right
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in totals)
    return tuple((p, p) for p in _ints(op, "padding", padding, nd, 0))


def _shape(shape) -> str:
    return "[" + ", ".join(str(n) for n in shape) + "]"


def _check(op: str, nd: int, x: Tensor, weight: Tensor, bias, groups) -> None:
    """torch's errors for inputs, weights and biases that do not fit together."""
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(
            f"{op}(): Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {op}, "
            f"but got input of size: {_shape(x.shape)}"
        )
    if weight.ndim != nd + 2:
        raise ValueError(
            f"{op}(): weight must have {nd + 2} dims (out_channels, in_channels / groups, "
            f"*kernel_size), but got weight of size {_shape(weight.shape)}"
        )
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"{op}(): groups must be an int, got {groups!r}")
    if groups < 1:
        raise ValueError(f"{op}(): non-positive groups is not supported, got {groups}")
    channels = x.shape[0] if x.ndim == nd + 1 else x.shape[1]
    out_channels, group_channels = weight.shape[:2]
    if out_channels % groups:
        raise ValueError(
            f"{op}(): Given groups={groups}, expected weight to be divisible by {groups} at "
            f"dimension 0, but got weight of size {_shape(weight.shape)} instead"
        )
    if channels != group_channels * groups:
        raise ValueError(
            f"{op}(): Given groups={groups}, weight of size {_shape(weight.shape)}, expected "
            f"input{_shape(x.shape)} to have {group_channels * groups} channels, but got "
            f"{channels} channels instead; the weight's dim 1 is in_channels / groups"
        )
    if bias is not None and bias.shape != (out_channels,):
        raise ValueError(
            f"{op}(): Given weight of size {_shape(weight.shape)}, expected bias to be "
            f"1-dimensional with {out_channels} elements, but got bias of size "
            f"{_shape(bias.shape)} instead"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.dtype != x.dtype:
            raise TypeError(
                f"{op}(): Input type ({x.dtype}) and {name} type ({t.dtype}) should be the "
                f"same; convert one of them with .float() or .double()"
            )
    if x.dtype.kind != "f":
        raise TypeError(
            f"{op}(): expected a floating point input, got dtype {x.dtype}; convert it first "
            "with .float()"
        )


# What a convolution's columns depend on besides the input, with the input's rank: ``widths``
# are (before, after) zeros per spatial dim.
_Geometry = namedtuple("_Geometry", "nd batched kernel stride dilation widths groups")


def _prepare(op, nd, input, weight, bias, stride, padding, dilation, groups) -> tuple:
    """The checked ``(x, weight, bias, geometry)`` of a call, torch's errors for bad ones."""
    x = tensor(op, input, "input", 1)
    weight = tensor(op, weight, "weight", 2)
    if bias is not None:
        bias = tensor(op, bias, "bias", 3)
    _check(op, nd, x, weight, bias, groups)
    stride = _ints(op, "stride", stride, nd, 1)
    dilation = _ints(op, "dilation", dilation, nd, 1)
    kernel = weight.shape[2:]
    widths = _padding(op, padding, kernel, stride, dilation)
    batched = x.ndim == nd + 2
    spatial = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[x.ndim - nd :], widths))
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(span > n for span, n in zip(spans, spatial)):
        raise ValueError(
            f"{op}(): Calculated padded input size per channel: ({' x '.join(map(str, spatial))})"
            f". Kernel size: ({' x '.join(map(str, spans))}). Kernel size can't be greater "
            f"than actual input size (input {_shape(input.shape)}, weight "
            f"{_shape(weight.shape)}, padding {padding!r}, dilation {dilation})"
        )
    return x, weight, bias, _Geometry(nd, batched, kernel, stride, dilation, widths, int(groups))


def _pointwise(g: _Geometry) -> bool:
    """A 1x1 kernel at stride 1: every (padded) input position is a window of its own."""
    return all(k == 1 for k in g.kernel) and all(s == 1 for s in g.stride)


def _columns(x: Tensor, g: _Geometry) -> Tensor:
    """im2col, batch innermost: x (N, C, *spatial) -> (C * prod(kernel), prod(out) * N).

    Row ``(c, tap)`` holds channel ``c`` at kernel offset ``tap`` of every window, the windows
    ordered (out position, sample). Engine operations: differentiable, and a plain computation
    when nothing records (the fused forward calls it so).
    """
    nd = g.nd
    # the batch innermost: (C, *spatial, N); an unbatched input is already (C, *spatial)
    x = x.permute(*range(1, nd + 2), 0) if g.batched else x.unsqueeze(-1)
    if any(lo or hi for lo, hi in g.widths):
        # pad() lists (before, after) from the last dim back: the batch, then spatial dims
        x = pad(x, (0, 0) + tuple(w for lo_hi in reversed(g.widths) for w in lo_hi))
    elif not x.data.flags.c_contiguous:
        # batch-outermost memory (an (N, C, ...) array as it comes): one copy of the input
        # to batch-innermost makes the im2col copy, k times larger, read contiguous runs
        x = x.reshape(x.data.size).reshape(x.shape)
    channels, lanes = x.shape[0], x.shape[-1]
    if _pointwise(g):
        columns = x.reshape(channels, x.data.size // channels)
    else:
        windows = sliding_window(x, g.kernel + (1,), g.stride + (1,), g.dilation + (1,))
        out = windows.shape[1 : nd + 1]
        # (C, *out, N, *kernel, 1) -> (C, *kernel, 1, *out, N): rows (c, taps), columns (out, n)
        order = (0, *range(nd + 2, 2 * nd + 3), *range(1, nd + 2))
        taps = math.prod(g.kernel)
        columns = windows.permute(*order).reshape(channels * taps, math.prod(out) * lanes)
    columns.label = "im2col"
    return columns


def _columns_adjoint(grad: Tensor, g: _Geometry, shape: tuple) -> Tensor:
    """The transpose of ``_columns``: a gradient of the columns back onto an input of ``shape``
    (fold the windows, cut the padding, the batch back to dim 0). Engine operations."""
    nd = g.nd
    channels = shape[1] if g.batched else shape[0]
    lanes = shape[0] if g.batched else 1
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(shape[len(shape) - nd :], g.widths))
    if _pointwise(g):
        x = grad.reshape(channels, *padded, lanes)
    else:
        out = _out(shape, g)
        # (C, *kernel, 1, *out, N) -> (C, *out, N, *kernel, 1), the windows' own layout
        order = (0, *range(nd + 2, 2 * nd + 3), *range(1, nd + 2))
        inverse = tuple(order.index(axis) for axis in range(len(order)))
        windows = grad.reshape(channels, *g.kernel, 1, *out, lanes).permute(*inverse)
        x = fold_windows(windows, padded + (lanes,), g.stride + (1,), g.dilation + (1,))
    if any(lo or hi for lo, hi in g.widths):
        inside = tuple(slice(lo, n - hi) for n, (lo, hi) in zip(padded, g.widths))
        x = x[(slice(None),) + inside + (slice(None),)]
    return x.permute(nd + 1, *range(nd + 1)) if g.batched else x.squeeze(-1)


def _weight_rows(weight, groups: int):
    """(O, C/g, *kernel) -> (O, C/g taps), or per group (g, O/g, C/g taps)."""
    out_channels = weight.shape[0]
    if groups == 1:
        return weight.reshape(out_channels, -1)
    return weight.reshape(groups, out_channels // groups, -1)


def _batch_first(y, g: _Geometry, out_channels: int, out: tuple):
    """The GEMM's (O, positions) result, an array or a Tensor, as (N, O, *out) over
    (O, *out, N) memory: a view."""
    y = y.reshape(out_channels, *out, -1)
    order = (g.nd + 1, *range(g.nd + 1))
    if isinstance(y, np.ndarray):
        return y.transpose(order) if g.batched else y[..., 0]
    return y.permute(*order) if g.batched else y.squeeze(-1)


def _out(x_shape: tuple, g: _Geometry) -> tuple:
    """The output's spatial size for an input of ``x_shape`` (batched or not)."""
    spatial = x_shape[len(x_shape) - g.nd :]
    return tuple(
        (n + lo + hi - d * (k - 1) - 1) // s + 1
        for n, (lo, hi), k, s, d in zip(spatial, g.widths, g.kernel, g.stride, g.dilation)
    )


class Convolution(Function):
    """A convolution as one node: ``W (O, C taps) @ im2col(x) + b``, per group.

    Fused because the composition (``_convolution_composed``, its reference, registered below)
    records a dozen shape operations per convolution and a bias add that allocates a second
    output; here the bias is added in place and the backward is one rule (rules.py,
    ``convolution``): the gradients of a matmul and a bias, with ``_columns_adjoint`` (the
    fold) taking the input's back. The im2col matrix is saved for the weight's gradient, as
    the composition's matmul saved it, and freed with the graph's saved tensors.
    """

    op = "convolution"

    @staticmethod
    def forward(ctx, x, weight, bias, geometry):
        columns = _columns(x, geometry).data  # nothing records inside a forward
        groups, out_channels = geometry.groups, weight.shape[0]
        rows = _weight_rows(weight.data, groups)
        y = rows @ (columns if groups == 1 else columns.reshape(groups, -1, columns.shape[1]))
        if bias is not None:
            y += bias.data.reshape(rows.shape[:-1] + (1,))  # in place: y is ours
        # the columns too, for the weight's gradient: saved, so that a backward frees them as
        # it frees the composition's matmul operands (an attribute would outlive the backward)
        kept = (Tensor._from_array(columns),) if ctx.needs_input_grad[1] else ()
        ctx.save_for_backward(x, weight, *kept)
        ctx.geometry = geometry
        return _batch_first(y, geometry, out_channels, _out(x.shape, geometry))

    backward = table_backward("convolution", columns=_columns, columns_adjoint=_columns_adjoint)


class _Conv1d(Convolution):
    op = "conv1d"


class _Conv2d(Convolution):
    op = "conv2d"


class _Conv3d(Convolution):
    op = "conv3d"


_CONVOLUTIONS = {1: _Conv1d, 2: _Conv2d, 3: _Conv3d}


def _convnd(op, nd, input, weight, bias, stride, padding, dilation, groups) -> Tensor:
    x, weight, bias, g = _prepare(op, nd, input, weight, bias, stride, padding, dilation, groups)
    if _pointwise(g) and g.groups == 1 and g.batched and not any(lo or hi for lo, hi in g.widths):
        if x.data.flags.c_contiguous:  # batch outermost, as data comes: no copy at all
            return _pointwise_batch_first(op, x, weight, bias)
    if g.batched and x.shape[0] == 0:
        y = _convolution_composed(x, weight, bias, g)
    else:
        y = _CONVOLUTIONS[nd].apply(x, weight, bias, g)
    y.label = op
    return y


def _convolution_composed(x: Tensor, weight: Tensor, bias, g: _Geometry) -> Tensor:
    """The convolution from primitives: the fused rule's reference, and the empty batch's path."""
    empty = g.batched and x.shape[0] == 0
    if empty:  # no windows over an empty batch: convolve one sample of zeros, keep none
        x = pad(x, (0, 0) * (g.nd + 1) + (0, 1))
    columns = _columns(x, g)
    out_channels = weight.shape[0]
    rows = _weight_rows(weight, g.groups)
    if g.groups == 1:
        y = rows @ columns
    else:  # one GEMM per group, batched: (g, O/g, K) @ (g, K, L)
        y = rows @ columns.reshape(g.groups, -1, columns.shape[1])
    if bias is not None:
        y = y + bias.reshape(rows.shape[:-1] + (1,))
    y = _batch_first(y, g, out_channels, _out(x.shape, g))
    return y[:0] if empty else y


def _pointwise_batch_first(op, x, weight, bias) -> Tensor:
    """A 1x1 convolution of a batch-outermost (N, C, *spatial) input: (O, C) @ (N, C, L), a
    batch of GEMMs on a view of the input (the batch-innermost path would copy it first)."""
    batch, channels = x.shape[:2]
    out_channels = weight.shape[0]
    y = weight.reshape(out_channels, channels) @ x.reshape(batch, channels, math.prod(x.shape[2:]))
    if bias is not None:
        y = y + bias.reshape(out_channels, 1)
    y = y.reshape(batch, out_channels, *x.shape[2:])
    y.label = op
    return y


def _reference(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """``conv2d`` from primitives: the registered reference of the fused rule."""
    x, weight, bias, g = _prepare(
        "conv2d", 2, input, weight, bias, stride, padding, dilation, groups
    )
    return _convolution_composed(x, weight, bias, g)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """1-D cross-correlation, ``torch.nn.functional.conv1d``.

    Parameters
    ----------
    input : Tensor
        (N, C_in, L), or (C_in, L) unbatched.
    weight : Tensor
        (C_out, C_in / groups, k).
    bias : Tensor, optional
        (C_out,).
    stride, dilation : int or tuple of 1 int
    padding : int, tuple of 1 int, "valid" or "same"
        Zeros on both sides; "same" keeps the length (stride 1 only).
    groups : int
        Split the channels into ``groups`` independent convolutions.

    Returns
    -------
    Tensor
        (N, C_out, L_out) with ``L_out = (L + 2 p - d (k - 1) - 1) // s + 1``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> x = autograd.tensor([[[1.0, 2.0, 3.0, 4.0]]])
    >>> F.conv1d(x, autograd.tensor([[[1.0, 0.0, -1.0]]]))
    tensor([[[-2., -2.]]])
    """
    return _convnd("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """2-D cross-correlation, ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    input : Tensor
        (N, C_in, H, W), or (C_in, H, W) unbatched.
    weight : Tensor
        (C_out, C_in / groups, kh, kw).
    bias : Tensor, optional
        (C_out,).
    stride, dilation : int or (int, int)
    padding : int, (int, int), "valid" or "same"
        Zeros on both sides of each spatial dim; "same" keeps H and W (stride 1 only; an even
        kernel gets the extra zero on the bottom/right, as torch).
    groups : int
        Split the channels into ``groups`` independent convolutions (``groups = C_in`` is a
        depthwise convolution).

    Returns
    -------
    Tensor
        (N, C_out, H_out, W_out), ``H_out = (H + 2 p - d (kh - 1) - 1) // s + 1`` (W alike).

    Examples
    --------
    >>> x = Tensor(np.random.randn(8, 3, 32, 32).astype(np.float32))
    >>> w = Tensor(np.random.randn(16, 3, 3, 3).astype(np.float32), requires_grad=True)
    >>> conv2d(x, w, padding=1).shape
    (8, 16, 32, 32)
    """
    return _convnd("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """3-D cross-correlation, ``torch.nn.functional.conv3d``: as ``conv2d`` with (D, H, W).

    ``input`` (N, C_in, D, H, W) or unbatched (C_in, D, H, W); ``weight``
    (C_out, C_in / groups, kd, kh, kw); result (N, C_out, D_out, H_out, W_out).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.conv3d(autograd.ones(1, 2, 5, 5, 5), autograd.ones(4, 2, 3, 3, 3), padding=1).shape
    (1, 4, 5, 5, 5)
    """
    return _convnd("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _example(rng) -> tuple:
    x = Tensor(rng.standard_normal((2, 4, 7, 6)), requires_grad=True)
    w = Tensor(rng.standard_normal((6, 2, 3, 2)), requires_grad=True)
    b = Tensor(rng.standard_normal(6), requires_grad=True)
    return (x, w, b), {"stride": (2, 1), "padding": 1, "dilation": (1, 2), "groups": 2}


register_fused(
    "convolution",
    fused=conv2d,
    reference=_reference,
    example=_example,
    functions=(Convolution, _Conv1d, _Conv2d, _Conv3d),
)
