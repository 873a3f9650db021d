"""Joining and padding: ``cat``, ``stack`` and ``pad`` (PyTorch's names and semantics).

Each output is made of pieces of the inputs, so each input's gradient is its piece of the
output's gradient, cut out with ``getitem`` (itself differentiable, so second order works);
the rules are in ``rules.py``.
"""

from __future__ import annotations

import numpy as np

from ..function import Primitive
from ..promotion import promote_types
from ..rules import table_backward
from ..tensor import Tensor
from .indexing import getitem
from .shape import wrap_dim


def _tensors(op: str, tensors) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{op}: expected a list or tuple of Tensors, got {type(tensors).__name__}; "
            f"call {op}([a, b], dim=...)"
        )
    if not tensors:
        raise ValueError(f"{op}(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, (Tensor, np.ndarray)):  # torch's message (it takes Tensors only)
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]


def _joined_dtype(tensors) -> np.dtype:
    """torch's result type of joined tensors (int64 with float32 is float32; numpy's float64)."""
    first = tensors[0].dtype
    if all(t.dtype == first for t in tensors):
        return first
    return promote_types([t.dtype for t in tensors])


def _along(dim: int, piece) -> tuple:
    """The index that takes ``piece`` (an int or a slice) along ``dim`` and all of the rest."""
    return (slice(None),) * dim + (piece,)


class Cat(Primitive):
    op = "cat"

    @staticmethod
    def forward(ctx, *tensors, dim):
        ctx.dim = dim
        ctx.bounds = np.cumsum([0] + [t.shape[dim] for t in tensors]).tolist()
        return np.concatenate([t.data for t in tensors], axis=dim, dtype=_joined_dtype(tensors))

    backward = table_backward("cat")


class Stack(Primitive):
    op = "stack"

    @staticmethod
    def forward(ctx, *tensors, dim):
        ctx.dim = dim
        return np.stack([t.data for t in tensors], axis=dim, dtype=_joined_dtype(tensors))

    backward = table_backward("stack")


def cat(tensors, dim: int = 0):
    """Join tensors along an existing ``dim``: (2, 3) and (4, 3) -> (6, 3) along dim 0.

    All shapes must match except along ``dim``.

    Examples
    --------
    >>> import autograd
    >>> a, b = autograd.zeros(2, 3), autograd.ones(4, 3)
    >>> autograd.cat([a, b]).shape, autograd.cat([a, a], dim=1).shape
    ((6, 3), (2, 6))
    """
    tensors = _tensors("cat", tensors)
    first = tensors[0]
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise ValueError(
                f"cat: zero-dimensional tensor (at position {i}) cannot be concatenated; "
                "use stack, or unsqueeze it first"
            )
        if t.ndim != first.ndim:
            raise ValueError(
                f"cat: Tensors must have same number of dimensions: got {first.ndim} and "
                f"{t.ndim} (shapes {first.shape} and {t.shape}, tensors 0 and {i})"
            )
    d = wrap_dim("cat", dim, first.ndim)
    for i, t in enumerate(tensors):
        for axis, (m, n) in enumerate(zip(first.shape, t.shape)):
            if axis != d and m != n:
                raise ValueError(
                    f"cat: Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{m} but got size {n} for tensor number {i} in the list: shapes "
                    f"{first.shape} and {t.shape} differ in dimension {axis}"
                )
    return Cat.apply(*tensors, dim=d)


def stack(tensors, dim: int = 0):
    """Join equally shaped tensors along a new ``dim``: three (2, 3) -> (3, 2, 3) at dim 0.

    Examples
    --------
    >>> import autograd
    >>> a = autograd.zeros(2, 3)
    >>> autograd.stack([a, a, a]).shape, autograd.stack([a, a], dim=2).shape
    ((3, 2, 3), (2, 3, 2))
    """
    tensors = _tensors("stack", tensors)
    first = tensors[0]
    for i, t in enumerate(tensors):
        if t.shape != first.shape:
            raise ValueError(
                f"stack expects each tensor to be equal size, but got {first.shape} at entry 0 "
                f"and {t.shape} at entry {i}"
            )
    d = wrap_dim("stack", dim, first.ndim, extra=1)
    return Stack.apply(*tensors, dim=d)


class Pad(Primitive):
    """Constant padding; ``widths`` has one ``(before, after)`` per dim, negative crops."""

    op = "pad"

    @staticmethod
    def forward(ctx, a, widths, value):
        ctx.widths = widths
        out_shape = tuple(n + lo + hi for n, (lo, hi) in zip(a.shape, widths))
        out = np.full(out_shape, value, dtype=a.dtype)
        # the input's kept part: skip -lo/-hi elements where cropped, land lo in where padded
        src = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(a.shape, widths))
        dst = tuple(slice(max(lo, 0), m - max(hi, 0)) for m, (lo, hi) in zip(out_shape, widths))
        out[dst] = a.data[src]
        return out


Pad.backward = table_backward("pad", pad=Pad)  # padding by the opposite widths undoes it


_GATHER_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(a, pad, mode: str = "constant", value=0.0):
    """Pad ``a`` as ``torch.nn.functional.pad``: ``pad`` lists widths from the LAST dim back.

    ``pad = (left, right)`` pads the last dim, ``(left, right, top, bottom)`` the last two, and
    so on. ``mode``: ``"constant"`` (fills with ``value``; negative widths crop),
    ``"reflect"``, ``"replicate"`` or ``"circular"``. Shape (..., n) -> (..., left + n + right).

    Examples
    --------
    >>> import autograd
    >>> autograd.pad(autograd.tensor([[1, 2]]), (1, 2))
    tensor([[0, 1, 2, 0, 0]])
    >>> autograd.pad(autograd.tensor([1.0, 2.0, 3.0]), (2, 0), mode='reflect')
    tensor([3., 2., 1., 2., 3.])
    """
    if isinstance(pad, (int, np.integer)) or not all(
        isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad
    ):
        raise TypeError(f"pad: pad must be a tuple of ints, got {pad!r}")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise ValueError(f"pad: Padding length must be divisible by 2, got {pad}")
    if len(pad) // 2 > a.ndim:
        raise ValueError(
            f"pad: Padding length should be less than or equal to two times the input "
            f"dimension but got padding length {len(pad)} and input of dimension {a.ndim} "
            f"(shape {a.shape})"
        )
    # (left, right, top, bottom) pads dims -1 then -2: turn it into (before, after) per dim
    widths = [(0, 0)] * a.ndim
    for k in range(len(pad) // 2):
        widths[a.ndim - 1 - k] = (pad[2 * k], pad[2 * k + 1])
    if mode == "constant":
        for d, (n, (lo, hi)) in enumerate(zip(a.shape, widths)):
            if n + min(lo, 0) + min(hi, 0) < 0:
                raise ValueError(
                    f"pad: the input size {n}, plus negative padding {lo} and {hi} resulted in "
                    f"a negative output size, which is invalid. Check dimension {d} of your "
                    f"input (shape {a.shape}, pad {pad})"
                )
        return Pad.apply(a, tuple(widths), 0.0 if value is None else value)
    if mode not in _GATHER_MODES:
        raise ValueError(
            f"pad: unknown mode {mode!r}; use 'constant', 'reflect', 'replicate' or 'circular'"
        )
    if value not in (None, 0):
        raise ValueError(f'pad: Padding mode "{mode}" doesn\'t take in value argument')
    # the other modes gather existing elements: pick, per padded dim, which input index lands
    # at each output position (repeats accumulate in the backward through getitem)
    out = a
    for d, (n, (lo, hi)) in enumerate(zip(a.shape, widths)):
        if lo == hi == 0:
            continue
        if min(lo, hi) < 0:
            problem = "negative widths (cropping) are only supported in 'constant' mode"
        elif mode == "reflect" and max(lo, hi) >= n:
            problem = f"'reflect' needs widths smaller than the input size {n}"
        elif mode == "circular" and max(lo, hi) > n:
            problem = f"'circular' needs widths at most the input size {n}"
        elif n == 0:
            problem = f"{mode!r} cannot pad an empty dimension"
        else:
            problem = None
        if problem:
            raise ValueError(
                f"pad: padding ({lo}, {hi}) at dimension {d} of input shape {a.shape} is "
                f"invalid: {problem}"
            )
        positions = np.pad(np.arange(n), (lo, hi), mode=_GATHER_MODES[mode])
        out = getitem(out, _along(d, positions))
    return out
