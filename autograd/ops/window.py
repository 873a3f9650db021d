"""Sliding windows (im2col): the view that convolution and pooling are built from.

``sliding_window(a, (kh, kw), stride, dilation)`` turns ``a`` of shape (..., H, W) into
(..., out_h, out_w, kh, kw), where window (i, j) holds

    out[..., i, j, p, q] = a[..., i * sh + p * dh, j * sw + q * dw]
    out_h = (H - dh * (kh - 1) - 1) // sh + 1        (the same for w)

without copying: it is a strided view of ``a``'s memory. Any number of trailing dims works.

Its derivative sums each window's gradient back onto the elements it covers (col2im, PyTorch's
``fold``): windows overlap, so an element gets the sum over every window that holds it. That
sum is ``fold_windows``, a Function of its own that loops over the kh * kw kernel offsets and
adds one strided slice per offset. Folding and sliding are adjoint, so the derivative of the
fold is the sliding window again, and second derivatives come for free.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from ..function import Primitive
from ..rules import table_backward


def _per_dim(op: str, name: str, value, k: int) -> tuple:
    """``value`` (an int or a tuple of ``k`` ints, each >= 1) as a tuple of ``k`` ints."""
    values = (value,) * k if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != k or not all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1 for v in values
    ):
        raise ValueError(
            f"{op}: {name} must be a positive int or a tuple of {k} positive ints (one per "
            f"window dim), got {value!r}"
        )
    return tuple(int(v) for v in values)


def _out_size(n: int, k: int, stride: int, dilation: int) -> int:
    return (n - dilation * (k - 1) - 1) // stride + 1


def _offset_slices(window, out, stride, dilation):
    """For each kernel offset: the input slices that offset's windows read, and its index."""
    for offset in itertools.product(*(range(k) for k in window)):
        spatial = tuple(
            slice(j * d, j * d + s * (o - 1) + 1, s)
            for j, o, s, d in zip(offset, out, stride, dilation)
        )
        yield spatial, offset


class SlidingWindow(Primitive):
    op = "sliding_window"

    @staticmethod
    def forward(ctx, a, window, stride, dilation):
        ctx.args = (a.shape[a.ndim - len(window) :], window, stride, dilation)
        x = a.data
        k = len(window)
        lead, spatial = x.shape[: x.ndim - k], x.shape[x.ndim - k :]
        lead_strides, spatial_strides = x.strides[: x.ndim - k], x.strides[x.ndim - k :]
        out = tuple(_out_size(*args) for args in zip(spatial, window, stride, dilation))
        # in bytes: stride * step from window to window, dilation * step within a window
        return np.lib.stride_tricks.as_strided(
            x,
            shape=lead + out + window,
            strides=lead_strides
            + tuple(s * st for s, st in zip(stride, spatial_strides))
            + tuple(d * st for d, st in zip(dilation, spatial_strides)),
            writeable=False,
        )


class FoldWindows(Primitive):
    """Sum windows (..., *out, *window) back onto an input of shape (..., *spatial)."""

    op = "fold"

    @staticmethod
    def forward(ctx, windows, spatial, window, stride, dilation):
        ctx.args = (window, stride, dilation)
        g = windows.data
        k = len(window)
        lead = g.shape[: g.ndim - 2 * k]
        out_shape = g.shape[g.ndim - 2 * k : g.ndim - k]
        out = np.zeros(lead + spatial, dtype=g.dtype)
        for target, source in _fold_indices(window, out_shape, stride, dilation):
            slab = out[target]
            np.add(slab, g[source], out=slab)  # in place: `out[target] += ...` copies it back too
        return out


@functools.lru_cache(maxsize=256)
def _fold_indices(window: tuple, out: tuple, stride: tuple, dilation: tuple) -> tuple:
    """Per kernel offset, the index pair (input slices, that element of every window): the
    offset's element of every window lands on input positions offset * dilation + window_index
    * stride. Cached per geometry: building the 25 index tuples of a 5x5 kernel took as long as
    the adds on a batch of one (LeNet's second convolution: the fold 111 -> 67 us)."""
    every_window = (slice(None),) * len(window)
    return tuple(
        ((Ellipsis,) + target, (Ellipsis,) + every_window + offset)
        for target, offset in _offset_slices(window, out, stride, dilation)
    )


# each is the other's derivative: fold is the adjoint of the sliding window
SlidingWindow.backward = table_backward("sliding_window", fold=FoldWindows)
FoldWindows.backward = table_backward("fold_windows", windows=SlidingWindow)


def _check(op: str, spatial: tuple, shape: tuple, window, stride, dilation) -> tuple:
    out = []
    for i, (n, k, s, d) in enumerate(zip(spatial, window, stride, dilation)):
        span = d * (k - 1) + 1
        if span > n:
            dim = len(shape) - len(window) + i
            raise ValueError(
                f"{op}: window size {k}"
                + (f" with dilation {d} (spanning {span})" if d != 1 else "")
                + f" is larger than the input size {n} at dim {dim} (input shape {shape}, "
                f"window {tuple(window)}); pad the input or use a smaller window"
            )
        out.append(_out_size(n, k, s, d))
    return tuple(out)


def sliding_window(a, window_shape, stride=1, dilation=1):
    """Every window of ``window_shape`` over the last ``len(window_shape)`` dims of ``a``.

    Shapes: ``(..., *spatial) -> (..., *out, *window_shape)``, with per dim
    ``out = (n - dilation * (k - 1) - 1) // stride + 1``. ``stride`` and ``dilation`` are ints
    or tuples (one per window dim). A zero-copy, read-only view; e.g. a 3x3 convolution is
    ``sliding_window(x, (3, 3))`` ``(N, C, H-2, W-2, 3, 3)`` contracted with the kernel.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> autograd.sliding_window(x, (3, 3)).shape
    (1, 1, 2, 2, 3, 3)
    """
    if isinstance(window_shape, (int, np.integer)):
        window_shape = (window_shape,)
    k = len(window_shape)
    window = _per_dim("sliding_window", "window_shape", tuple(window_shape), k)
    stride = _per_dim("sliding_window", "stride", stride, k)
    dilation = _per_dim("sliding_window", "dilation", dilation, k)
    if k == 0 or k > a.ndim:
        raise ValueError(
            f"sliding_window: a window of {k} dims {tuple(window_shape)} needs an input with at "
            f"least {k} dims (and at least one window dim), got shape {a.shape}"
        )
    _check("sliding_window", a.shape[a.ndim - k :], a.shape, window, stride, dilation)
    return SlidingWindow.apply(a, window, stride, dilation)


def fold_windows(windows, output_size, stride=1, dilation=1):
    """The adjoint of ``sliding_window``: add every window back at the place it was taken from.

    ``windows`` has shape ``(..., *out, *window)``; ``output_size`` is the spatial shape to fold
    onto. Result: ``(..., *output_size)``, each element the sum over the windows that cover it.
    Used for the gradient of ``sliding_window``, and for transposed convolution.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.ones(5)
    >>> w = autograd.sliding_window(x, (3,))
    >>> autograd.fold_windows(w, (5,))
    tensor([1., 2., 3., 2., 1.])
    """
    output_size = tuple(int(n) for n in output_size)
    k = len(output_size)
    if k == 0 or windows.ndim < 2 * k:
        raise ValueError(
            f"fold_windows: windows of shape {windows.shape} need at least {2 * k} dims for an "
            f"output_size of {k} dims {output_size}"
        )
    window = windows.shape[windows.ndim - k :]
    stride = _per_dim("fold_windows", "stride", stride, k)
    dilation = _per_dim("fold_windows", "dilation", dilation, k)
    out = _check("fold_windows", output_size, output_size, window, stride, dilation)
    got = windows.shape[windows.ndim - 2 * k : windows.ndim - k]
    if got != out:
        raise ValueError(
            f"fold_windows: windows of shape {windows.shape} hold a {got} grid of windows, but "
            f"an output of size {output_size} with window {window}, stride {stride} and "
            f"dilation {dilation} has a {out} grid"
        )
    return FoldWindows.apply(windows, output_size, window, stride, dilation)
