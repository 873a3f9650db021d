"""Convolutions (``conv1d``, ``conv2d``, ``conv3d``), as ``torch.nn.functional`` defines them.

Each is a composition of autograd's primitives, so first and second derivatives come from their
rules (the derivative of the sliding window is the fold, the fold's is the sliding window):

    x (N, C, *spatial)
      -> permute to (C, *spatial, N)                      batch innermost: see below
      -> pad                                              zeros, "same"/"valid"/ints
      -> sliding_window, window (*kernel, 1)              (C, *out, N, *kernel, 1), a view
      -> permute + reshape to (C * prod(kernel), prod(out) * N)        im2col: the one copy
      -> weight (O, C * prod(kernel)) @ columns           one GEMM (batched over groups)
      -> + bias, reshape to (O, *out, N), permute to (N, O, *out)

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

import numpy as np

from autograd import Tensor, pad, sliding_window

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


def _convnd(op, nd, input, weight, bias, stride, padding, dilation, groups) -> Tensor:
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
    pointwise = all(k == 1 for k in kernel) and all(s == 1 for s in stride)
    if pointwise and groups == 1 and batched and not any(lo or hi for lo, hi in widths):
        if x.data.flags.c_contiguous:  # batch outermost, as data comes: no copy at all
            return _pointwise_batch_first(op, x, weight, bias)

    # the batch innermost: (C, *spatial, N); an unbatched input is already (C, *spatial)
    x = x.permute(*range(1, nd + 2), 0) if batched else x.unsqueeze(-1)
    spatial = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], widths))
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(span > n for span, n in zip(spans, spatial)):
        raise ValueError(
            f"{op}(): Calculated padded input size per channel: ({' x '.join(map(str, spatial))})"
            f". Kernel size: ({' x '.join(map(str, spans))}). Kernel size can't be greater "
            f"than actual input size (input {_shape(input.shape)}, weight "
            f"{_shape(weight.shape)}, padding {padding!r}, dilation {dilation})"
        )
    if any(lo or hi for lo, hi in widths):
        # pad() lists (before, after) from the last dim back: the batch, then spatial dims
        x = pad(x, (0, 0) + tuple(w for lo_hi in reversed(widths) for w in lo_hi))
    elif not x.data.flags.c_contiguous:
        # batch-outermost memory (an (N, C, ...) array as it comes): one copy of the input
        # to batch-innermost makes the im2col copy, k times larger, read contiguous runs
        x = x.reshape(x.data.size).reshape(x.shape)

    channels, batch = x.shape[0], x.shape[-1]
    if batch == 0:  # no windows over an empty batch: convolve one sample of zeros, keep none
        x = pad(x, (0, 1))
    lanes = x.shape[-1]  # the batch, at least 1
    out_channels = weight.shape[0]
    taps = math.prod(kernel)
    if pointwise:
        out = spatial  # a 1x1 kernel at stride 1: every input position is a window
        columns = x.reshape(channels, x.data.size // channels)
    else:
        windows = sliding_window(x, kernel + (1,), stride + (1,), dilation + (1,))
        out = windows.shape[1 : nd + 1]
        # (C, *out, N, *kernel, 1) -> (C, *kernel, 1, *out, N): rows (c, taps), columns (out, n)
        order = (0, *range(nd + 2, 2 * nd + 3), *range(1, nd + 2))
        columns = windows.permute(*order).reshape(channels * taps, math.prod(out) * lanes)
    columns.label = "im2col"

    if groups == 1:
        y = weight.reshape(out_channels, channels * taps) @ columns
        if bias is not None:
            y = y + bias.reshape(out_channels, 1)
    else:  # one GEMM per group, batched: (g, O/g, K) @ (g, K, L)
        per_group = channels // groups * taps
        per_group_columns = columns.reshape(groups, per_group, columns.shape[1])
        y = weight.reshape(groups, out_channels // groups, per_group) @ per_group_columns
        if bias is not None:
            y = y + bias.reshape(groups, out_channels // groups, 1)
    y = y.reshape(out_channels, *out, lanes)
    if batch == 0:
        y = y[..., :0]
    y = y.permute(nd + 1, *range(nd + 1)) if batched else y.squeeze(-1)
    y.label = op
    return y


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
