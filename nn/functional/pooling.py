"""Pooling (``max_pool1d/2d/3d``, ``avg_pool1d/2d/3d``), as ``torch.nn.functional`` defines it.

Both work with the batch innermost, as the convolutions do (see ``conv.py``): on (C, *spatial,
N), so a pooling between two convolutions reads and writes long contiguous runs, and an input
in another layout is copied there once. Average pooling permutes (views, no copies); max
pooling transposes numpy views inside its Function and records no permute at all.

**Average pooling** is a composition of primitives: pad with zeros, ``sliding_window`` (a view),
``sum`` over the window dims, divide by the window's count. Its derivative is the fold of the
gradient over the windows, and the derivative of that is the sliding window again.

**Max pooling** has a fused rule. As in torch, the gradient of a window goes to one element:
the first maximum in the window's row-major order (the last NaN, where there are NaNs). The
composition ``sliding_window -> reshape(..., k) -> max(dim=-1)`` has that rule, but numpy
reduces a short last axis slowly and the reshape copies every window: on LeNet's first pooling
(64x6x28x28, 2x2) it takes 3.8 ms forward and backward, the fused rule below 0.5 ms.
It keeps a running maximum over the kernel offsets (one strided slice of the input per offset,
so a window is never materialised) and records, per output, which offset won. Padding is never
materialised either: each offset reads the block of windows where it lands inside the input,
so a window's first candidate is its first real element, as in torch.

The derivative routes the gradient to the winners: ``_MaxPoolScatter``, a Function whose own
derivative is the gather ``_MaxPoolGather``, and whose gather's derivative is the scatter
again, so gradients of gradients need no other rule (the second derivative with respect to the
input is zero: the winners are constants). Tests compare the fused rule with the composition.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import namedtuple

import numpy as np

from autograd import Function, Tensor, pad, sliding_window
from autograd.fused import register_fused
from autograd.rules import table_backward

from ._checks import int_tuple, tensor

__all__ = [
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
]


# -- geometry --------------------------------------------------------------------------------


def _ints(op: str, name: str, value, nd: int, minimum: int) -> tuple:
    """``int_tuple`` with torch's pooling wording for values out of range."""
    return int_tuple(op, name, value, nd, minimum, range_error=_range_error)


def _range_error(op: str, name: str, value, minimum: int) -> ValueError:
    what = "positive" if minimum == 1 else "non-negative"
    return ValueError(f"{op}(): {name} must be {what}, but got {name}={value!r}")


# Per spatial dim: kernel, stride, dilation, padding (``before``), input size and output size.
_Geometry = namedtuple("_Geometry", "kernel stride dilation before size out")


def _geometry(op, nd, x, kernel_size, stride, padding, dilation, ceil_mode) -> _Geometry:
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(
            f"{op}(): Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {op}, "
            f"but got input of size: {list(x.shape)}"
        )
    if x.dtype.kind != "f":
        raise TypeError(
            f"{op}(): expected a floating point input, got dtype {x.dtype}; convert it first "
            "with .float()"
        )
    kernel = _ints(op, "kernel_size", kernel_size, nd, 1)
    if stride is None or (isinstance(stride, (tuple, list)) and not stride):
        stride = kernel  # torch's default: windows side by side
    else:
        stride = _ints(op, "stride", stride, nd, 1)
    before = _ints(op, "padding", padding, nd, 0)
    dilation = _ints(op, "dilation", dilation, nd, 1)
    size = x.shape[x.ndim - nd :]
    out = []
    for n, k, s, p, d in zip(size, kernel, stride, before, dilation):
        if p > k // 2:
            raise ValueError(
                f"{op}(): pad should be smaller than or equal to half of kernel size, but got "
                f"padding={padding!r} and kernel_size={kernel_size!r}"
            )
        room = n + 2 * p - d * (k - 1) - 1
        o = (-(-room // s) if ceil_mode else room // s) + 1
        if ceil_mode and (o - 1) * s >= n + p:
            o -= 1  # as torch: the last window must start inside the input or its left padding
        out.append(o)
    if any(o < 1 for o in out):
        raise ValueError(
            f"{op}(): Given input size: ({'x'.join(map(str, x.shape[x.ndim - nd - 1 :]))}). "
            f"Calculated output size: ({'x'.join(map(str, [x.shape[x.ndim - nd - 1]] + out))})"
            f". Output size is too small (kernel_size {kernel}, stride {stride}, padding "
            f"{before}, dilation {dilation}); use a smaller kernel or pad the input"
        )
    return _Geometry(kernel, stride, dilation, before, tuple(size), tuple(out))


@functools.lru_cache(maxsize=256)
def _blocks(g: _Geometry) -> tuple:
    """Per kernel offset: (flat offset, output block, input slice) where the offset is real.

    On a layout (C, *spatial, N): offset ``j`` (per dim) of output ``o`` reads input position
    ``o * stride + j * dilation - before``; the block holds the outputs where that position is
    inside the input (all of them, unless there is padding or ceil_mode's overhang).
    """
    per_dim = []
    for k, s, d, p, n, out in zip(g.kernel, g.stride, g.dilation, g.before, g.size, g.out):
        options = []
        for j in range(k):
            first = max(0, -(-(p - j * d) // s))  # the first o with o * s + j * d >= p
            stop = min(out, (p + n - 1 - j * d) // s + 1)  # past the last inside the input
            if first >= stop:
                options.append(None)
                continue
            start = first * s + j * d - p
            options.append(
                (slice(first, stop), slice(start, start + s * (stop - first - 1) + 1, s))
            )
        per_dim.append(options)
    blocks = []
    for flat, choice in enumerate(itertools.product(*per_dim)):
        if None in choice:
            continue
        every = (slice(None),)
        blocks.append(
            (
                flat,
                every + tuple(c[0] for c in choice) + every,
                every + tuple(c[1] for c in choice) + every,
            )
        )
    return tuple(blocks)


def _full_blocks(g: _Geometry) -> bool:
    """Whether every offset reads every window (no padding reached, no ceil_mode overhang)."""
    return all(
        (o - 1) * s + d * (k - 1) + 1 <= n and p == 0
        for k, s, d, p, n, o in zip(g.kernel, g.stride, g.dilation, g.before, g.size, g.out)
    )


def _tiling(g: _Geometry) -> bool:
    """Whether the windows cover the input exactly once (side by side, nothing left over)."""
    return all(
        d == 1 and s == k and o * k == n and p == 0
        for k, s, d, p, n, o in zip(g.kernel, g.stride, g.dilation, g.before, g.size, g.out)
    )


def _overlapping(g: _Geometry) -> bool:
    """Whether an input element can sit in two windows (then scattered gradients add up)."""
    return any(s < d * (k - 1) + 1 for k, s, d in zip(g.kernel, g.stride, g.dilation))


def _first_real_offset(g: _Geometry, dtype) -> np.ndarray:
    """Per output (broadcast over C and N): the flat offset of its window's first real element."""
    flat = np.zeros((1,) * (len(g.out) + 2), dtype=dtype)
    for axis, (k, s, d, p, n, out) in enumerate(
        zip(g.kernel, g.stride, g.dilation, g.before, g.size, g.out)
    ):
        positions = np.arange(out)[:, None] * s + np.arange(k)[None, :] * d - p
        first = np.argmax((positions >= 0) & (positions < n), axis=1)  # (out,)
        shape = [1] * flat.ndim
        shape[axis + 1] = out
        flat = flat * k + first.reshape(shape).astype(dtype)
    return flat


def _select(mask: np.ndarray, values: np.ndarray, finite: bool, out=None) -> np.ndarray:
    """``values`` where ``mask``, else 0. With ``finite`` values it is a multiply, which has no
    branches to mispredict (``np.where`` is 20x slower on a random mask); NaN and inf take the
    exact ``where`` (a multiply would turn ``inf * 0`` into NaN)."""
    if finite:
        return np.multiply(values, mask, out=out)
    if out is None:
        return np.where(mask, values, 0).astype(values.dtype, copy=False)
    out[...] = np.where(mask, values, 0)
    return out


def _batch_last(a: np.ndarray, batched: bool) -> np.ndarray:
    """A view: (N, C, *spatial) -> (C, *spatial, N), or unbatched (C, *spatial) -> (..., 1)."""
    return a.transpose(*range(1, a.ndim), 0) if batched else a[..., None]


def _batch_first(a: np.ndarray, batched: bool) -> np.ndarray:
    """A view, the inverse of ``_batch_last``."""
    return a.transpose(a.ndim - 1, *range(a.ndim - 1)) if batched else a[..., 0]


# -- max pooling: the fused rule ---------------------------------------------------------------


def _winners(x: np.ndarray, g: _Geometry) -> tuple:
    """On (C, *spatial, N): the maxima (C, *out, N) and the flat kernel offset that won each."""
    taps = math.prod(g.kernel)
    index_dtype = np.uint8 if taps < 2**8 else np.uint16 if taps < 2**16 else np.uint32
    blocks = _blocks(g)
    shape = (x.shape[0],) + g.out + (x.shape[-1],)
    if _full_blocks(g):  # the first offset is every window's first candidate
        _, _, source = blocks[0]
        best = np.array(x[source], order="C")
        which = np.zeros(shape, dtype=index_dtype)
        rest = blocks[1:]
    else:
        best = np.full(shape, -np.inf, dtype=x.dtype)
        which = np.array(np.broadcast_to(_first_real_offset(g, index_dtype), shape))
        rest = blocks
    for flat, target, source in rest:
        candidate = x[source]
        taken = candidate > best[target]
        # offsets come in increasing order: the last one taken is the largest taken
        np.maximum(which[target], taken * index_dtype(flat), out=which[target])
        np.maximum(best[target], candidate, out=best[target])  # NaN wins, as in torch
    if np.isnan(best).any():  # redo the choice: torch takes the last NaN of a window
        which = _winners_with_nan(x, g, shape, blocks, index_dtype)
    return best, which


def _winners_with_nan(x, g, shape, blocks, index_dtype) -> np.ndarray:
    best = np.full(shape, -np.inf, dtype=x.dtype)
    which = np.array(np.broadcast_to(_first_real_offset(g, index_dtype), shape))
    for flat, target, source in blocks:
        candidate = x[source]
        taken = (candidate > best[target]) | np.isnan(candidate)
        which[target] = np.where(taken, index_dtype(flat), which[target])
        best[target] = np.where(taken, candidate, best[target])
    return which


class _MaxPool(Function):
    """Max pooling of (N, C, *spatial) (or unbatched (C, *spatial)); ``op`` names it per nd.

    ``winners`` are ``_winners``' maxima and offsets, computed by the caller so that
    ``return_indices`` has the offsets even when nothing is recorded. Internally everything is
    batch-last (numpy views both ways), so the op itself costs no permute nodes.
    """

    op = "max_pool"

    @staticmethod
    def forward(ctx, x, geometry, batched, winners):
        best, which = winners
        ctx.args = (which, geometry, batched, x.shape)
        return _batch_first(best, batched)


class _MaxPool1d(_MaxPool):
    op = "max_pool1d"


class _MaxPool2d(_MaxPool):
    op = "max_pool2d"


class _MaxPool3d(_MaxPool):
    op = "max_pool3d"


class _MaxPoolScatter(Function):
    """Each window's gradient onto its winner: pooled shape -> the input's ``shape``."""

    op = "max_pool_backward"

    @staticmethod
    def forward(ctx, grad, which, geometry, batched, shape):
        ctx.args = (which, geometry, batched)
        # one transposing copy if needed, then every offset reads contiguous runs
        g = np.ascontiguousarray(_batch_last(grad.data, batched))
        finite = bool(np.isfinite(g).all())
        layout = (shape[1:] + shape[:1]) if batched else (shape + (1,))
        # windows side by side over the whole input write every slot once: no zeros needed
        out = (np.empty if _tiling(geometry) else np.zeros)(layout, dtype=g.dtype)
        add = _overlapping(geometry)
        for flat, target, source in _blocks(geometry):
            won = which[target] == flat
            if add:
                out[source] += _select(won, g[target], finite)
            else:  # disjoint windows: write straight into the input's slots
                _select(won, g[target], finite, out=out[source])
        return _batch_first(out, batched)


class _MaxPoolGather(Function):
    """The input-shaped ``h`` read at each window's winner: input shape -> pooled shape."""

    op = "max_pool_gather"

    @staticmethod
    def forward(ctx, h, which, geometry, batched):
        ctx.args = (which, geometry, batched, h.shape)
        data = _batch_last(h.data, batched)
        finite = bool(np.isfinite(data).all())
        out = np.zeros(which.shape, dtype=data.dtype)
        for flat, target, source in _blocks(geometry):
            out[target] += _select(which[target] == flat, data[source], finite)
        return _batch_first(out, batched)


# the derivatives (rules.py): each pooled gradient goes to its window's winner, by the scatter,
# whose derivative is the gather, whose derivative is the scatter again
_MaxPool.backward = table_backward("max_pool", scatter=_MaxPoolScatter)
_MaxPoolScatter.backward = table_backward("max_pool_backward", gather=_MaxPoolGather)
_MaxPoolGather.backward = table_backward("max_pool_gather", scatter=_MaxPoolScatter)

_MAX_POOLS = {1: _MaxPool1d, 2: _MaxPool2d, 3: _MaxPool3d}


def _indices(which: np.ndarray, g: _Geometry) -> np.ndarray:
    """torch's ``return_indices``: each winner's flat position in its (C, N) input plane.

    A window that lies wholly in the padding (dilation can skip over the input) has no winner;
    there torch reports the position its search would have started at, and so do we.
    """
    flat = np.zeros(which.shape, dtype=np.int64)
    fallback = np.zeros((1,) * which.ndim, dtype=np.int64)
    empty = np.zeros((1,) * which.ndim, dtype=bool)
    rest = which.astype(np.int64)
    for axis in reversed(range(len(g.kernel))):
        k, s, d, p, n = (
            g.kernel[axis],
            g.stride[axis],
            g.dilation[axis],
            g.before[axis],
            g.size[axis],
        )
        j, rest = rest % k, rest // k
        shape = [1] * which.ndim
        shape[axis + 1] = g.out[axis]
        start = np.arange(g.out[axis]).reshape(shape) * s - p
        plane_stride = math.prod(g.size[axis + 1 :])
        flat += (start + j * d) * plane_stride
        first = start + np.maximum(0, -(start // d)) * d  # the first position >= 0
        fallback = fallback + first * plane_stride
        empty = empty | (first >= np.minimum(n, start + d * (k - 1) + 1))
    return np.where(empty, fallback, flat)


def _max_pool(op, nd, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    x = tensor(op, input)
    g = _geometry(op, nd, x, kernel_size, stride, padding, dilation, ceil_mode)
    batched = x.ndim == nd + 2
    data = _batch_last(x.data, batched)
    if not data.flags.c_contiguous:  # one copy, then every offset reads contiguous runs
        data = np.ascontiguousarray(data)
    best, which = _winners(data, g)
    y = _MAX_POOLS[nd].apply(x, g, batched, (best, which))
    if not return_indices:
        return y
    return y, Tensor._from_array(np.ascontiguousarray(_batch_first(_indices(which, g), batched)))


def max_pool1d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """1-D max pooling, ``torch.nn.functional.max_pool1d``: (N, C, L) or (C, L).

    As ``max_pool2d`` with one spatial dim.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.max_pool1d(autograd.tensor([[[1.0, 3.0, 2.0, 5.0]]]), 2)
    tensor([[[3., 5.]]])
    """
    return _max_pool(
        "max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices
    )


def max_pool2d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """2-D max pooling, ``torch.nn.functional.max_pool2d``.

    Parameters
    ----------
    input : Tensor
        (N, C, H, W), or (C, H, W) unbatched.
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size`` (windows side by side).
    padding : int or (int, int)
        Implicit -inf on both sides, at most half the (dilated) kernel.
    dilation : int or (int, int)
    ceil_mode : bool
        Round the output size up (a last, partial window), as torch.
    return_indices : bool
        Also return, per output, the flat index (into H * W) of the element that won.

    Returns
    -------
    Tensor, or (Tensor, Tensor)
        (N, C, H_out, W_out), ``H_out = (H + 2 p - d (k - 1) - 1) // s + 1`` (W alike); and the
        int64 indices of the same shape when ``return_indices``. The gradient of each window
        goes to one element: its first maximum (torch's rule for ties).

    Examples
    --------
    >>> x = Tensor(np.random.randn(8, 16, 28, 28).astype(np.float32), requires_grad=True)
    >>> max_pool2d(x, 2).shape
    (8, 16, 14, 14)
    """
    return _max_pool(
        "max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices
    )


def max_pool3d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """3-D max pooling, ``torch.nn.functional.max_pool3d``: (N, C, D, H, W) or (C, D, H, W).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.max_pool3d(autograd.ones(1, 2, 4, 4, 4), 2).shape
    (1, 2, 2, 2, 2)
    """
    return _max_pool(
        "max_pool3d", 3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices
    )


def _max_pool2d_composed(x, kernel_size, stride, padding, dilation):
    """The definition, from primitives: -inf padding, every window, the maximum along the
    flattened window. The reference of the fused rule (tuples of two ints for each argument)."""
    if any(padding):
        x = pad(x, tuple(w for p in reversed(padding) for w in (p, p)), value=-np.inf)
    windows = sliding_window(x, kernel_size, stride, dilation)
    flat = windows.reshape(*windows.shape[: windows.ndim - len(kernel_size)], -1)
    return flat.max(dim=-1).values


def _max_pool2d_example(rng) -> tuple:
    x = Tensor(rng.standard_normal((2, 3, 7, 6)), requires_grad=True)
    return (x, (3, 2), (2, 2), (1, 1), (1, 2)), {}  # overlapping, padded, dilated windows


register_fused(
    "max_pool2d",
    fused=max_pool2d,
    reference=_max_pool2d_composed,
    example=_max_pool2d_example,
    functions=(_MaxPool, _MaxPool1d, _MaxPool2d, _MaxPool3d, _MaxPoolScatter, _MaxPoolGather),
)


# -- average pooling: a composition ------------------------------------------------------------


def _to_batch_last(x: Tensor, nd: int) -> tuple:
    """(N, C, *spatial) -> (C, *spatial, N), and (C, *spatial) -> (C, *spatial, 1)."""
    if x.ndim == nd + 2:
        return x.permute(*range(1, nd + 2), 0), True
    return x.unsqueeze(-1), False


def _from_batch_last(y: Tensor, nd: int, batched: bool) -> Tensor:
    return y.permute(nd + 1, *range(nd + 1)) if batched else y.squeeze(-1)


def _divisor(g: _Geometry, count_include_pad: bool, dtype):
    """Per output, how many elements its window averages: a number, or a (1, *out, 1) array.

    As torch: with ``count_include_pad`` the zeros of the padding count, but not the part of a
    ceil_mode window that hangs past the padding; without it only real elements count.
    """
    counts = []
    for k, s, p, n, out in zip(g.kernel, g.stride, g.before, g.size, g.out):
        start = np.arange(out) * s - p
        stop = start + k
        if count_include_pad:
            counts.append(np.minimum(stop, n + p) - start)
        else:
            counts.append(np.minimum(stop, n) - np.maximum(start, 0))
    total = counts[0]
    for c in counts[1:]:
        total = np.multiply.outer(total, c)
    total = np.asarray(total)
    if (total == total.flat[0]).all():
        return int(total.flat[0])
    return total.reshape((1,) + g.out + (1,)).astype(dtype)


def _avg_pool(op, nd, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor):
    x = tensor(op, input)
    g = _geometry(op, nd, x, kernel_size, stride, padding, 1, ceil_mode)
    x, batched = _to_batch_last(x, nd)
    # zeros before and after; ceil_mode's last window may hang past the padding: more zeros
    widths = []
    for k, s, p, n, out in zip(g.kernel, g.stride, g.before, g.size, g.out):
        widths.append((p, max(p, (out - 1) * s + k - n - p)))
    if any(lo or hi for lo, hi in widths):
        x = pad(x, (0, 0) + tuple(w for lo_hi in reversed(widths) for w in lo_hi))
    elif not x.data.flags.c_contiguous:
        # numpy sums short window axes fast only with a long contiguous axis inside them:
        # one copy to batch-innermost memory first (5x faster on a (64, 6, 28, 28) input)
        x = x.reshape(x.data.size).reshape(x.shape)
    empty = x.shape[-1] == 0
    if empty:  # no windows over an empty batch: pool one sample of zeros, keep none
        x = pad(x, (0, 1))
    windows = sliding_window(x, g.kernel + (1,), g.stride + (1,))
    total = windows.sum(dim=tuple(range(nd + 2, 2 * nd + 3)))
    if empty:
        total = total[..., :0]
    if divisor is None:
        divisor = _divisor(g, count_include_pad, x.dtype)
    elif isinstance(divisor, bool) or not isinstance(divisor, (int, np.integer)) or divisor == 0:
        raise ValueError(f"{op}(): divisor must be a non-zero int, got {divisor!r}")
    y = total / (divisor if isinstance(divisor, (int, np.integer)) else Tensor(divisor))
    y = _from_batch_last(y, nd, batched)
    y.label = op
    return y


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """1-D average pooling, ``torch.nn.functional.avg_pool1d``: (N, C, L) or (C, L).

    As ``avg_pool2d`` with one spatial dim (and no ``divisor_override``, as torch).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.avg_pool1d(autograd.tensor([[[1.0, 3.0, 5.0, 7.0]]]), 2)
    tensor([[[2., 6.]]])
    """
    return _avg_pool(
        "avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None
    )


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """2-D average pooling, ``torch.nn.functional.avg_pool2d``.

    Parameters
    ----------
    input : Tensor
        (N, C, H, W), or (C, H, W) unbatched.
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size``.
    padding : int or (int, int)
        Implicit zeros on both sides, at most half the kernel.
    ceil_mode : bool
        Round the output size up (a last, partial window), as torch.
    count_include_pad : bool
        Whether the padding's zeros count in the average (torch's default: yes).
    divisor_override : int, optional
        Divide every window's sum by this instead.

    Returns
    -------
    Tensor
        (N, C, H_out, W_out), ``H_out = (H + 2 p - k) // s + 1`` (W alike).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.avg_pool2d(autograd.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    return _avg_pool(
        "avg_pool2d",
        2,
        input,
        kernel_size,
        stride,
        padding,
        ceil_mode,
        count_include_pad,
        divisor_override,
    )


def avg_pool3d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """3-D average pooling, ``torch.nn.functional.avg_pool3d``: (N, C, D, H, W) or (C, D, H, W).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.avg_pool3d(autograd.ones(1, 2, 4, 4, 4), 2).shape
    (1, 2, 2, 2, 2)
    """
    return _avg_pool(
        "avg_pool3d",
        3,
        input,
        kernel_size,
        stride,
        padding,
        ceil_mode,
        count_include_pad,
        divisor_override,
    )
