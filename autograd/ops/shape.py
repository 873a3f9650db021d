"""Shape operations: views of the same numbers in another arrangement.

Each derivative (``rules.py``) arranges the gradient back the way the input was: a reshape is
undone by a reshape to the input's shape, a permutation by the inverse permutation, a
broadcast by a sum.
Every forward returns a numpy view (no copy), as PyTorch's views do.
"""

from __future__ import annotations

import math

import numpy as np

from ..function import Primitive
from ..rules import table_backward
from ..versions import share_if_view


def _shape_args(shape) -> tuple:
    """Accept ``reshape(2, 3)`` and ``reshape((2, 3))`` alike, as PyTorch does."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def wrap_dim(op: str, dim, ndim: int, extra: int = 0) -> int:
    """``dim`` as a non-negative index into ``ndim + extra`` dimensions (PyTorch's wrapping).

    ``extra`` is 1 where a new dimension may be named (``unsqueeze``, ``stack``). A 0-d tensor
    accepts dims 0 and -1, as in PyTorch.
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}: a dimension must be an int, got {type(dim).__name__} {dim!r}")
    rank = max(ndim + extra, 1)
    if not -rank <= dim < rank:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], "
            f"but got {dim}) for a tensor with {ndim} dimensions"
        )
    return int(dim) % rank


class Reshape(Primitive):
    op = "reshape"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        try:
            return a.data.reshape(shape)
        except ValueError:
            raise ValueError(
                f"reshape: shape {tuple(shape)} is invalid for input of size {a.data.size} "
                f"(shape {a.shape}); the sizes must multiply to the same number"
            ) from None

    backward = table_backward("reshape")


class Expand(Primitive):
    op = "expand"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return np.broadcast_to(a.data, shape)

    backward = table_backward("expand")


def reshape(a, *shape):
    """The same elements in ``shape`` (one dimension may be -1); ``view`` is the same."""
    return share_if_view(Reshape.apply(a, _shape_args(shape)), a)


def expand(a, *sizes):
    """Broadcast to ``sizes`` without copying (-1 keeps a dimension), as ``Tensor.expand``."""
    sizes = _shape_args(sizes)
    lead = len(sizes) - a.ndim
    if lead < 0:
        raise ValueError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({a.ndim}), shape {a.shape}"
        )
    shape = tuple(a.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    for i, n in enumerate(a.shape):
        if n != 1 and n != shape[lead + i]:
            raise ValueError(
                f"expand: the expanded size of the tensor ({shape[lead + i]}) must match the "
                f"existing size ({n}) at non-singleton dimension {lead + i}; target sizes "
                f"{sizes}, tensor shape {a.shape}"
            )
    if shape == a.shape:
        return a
    return share_if_view(Expand.apply(a, shape), a)


class Flatten(Reshape):
    """A reshape that merges dims ``start_dim..end_dim``; its own name in drawings."""

    op = "flatten"


class Squeeze(Reshape):
    op = "squeeze"


class Unsqueeze(Reshape):
    op = "unsqueeze"


class Permute(Primitive):
    op = "permute"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.transpose(a.data, dims)


class Transpose(Permute):
    """A permute that swaps two dims; its own name in drawings."""

    op = "transpose"


# undone by the inverse permutation, applied as the primitive itself (the public permute's
# checks are for user input)
Permute.backward = table_backward("permute", permute=Permute)


def flatten(a, start_dim: int = 0, end_dim: int = -1):
    """Merge dims ``start_dim..end_dim`` (inclusive) into one: (2, 3, 4) -> (24,) by default.

    A 0-d tensor becomes shape (1,), as in PyTorch.
    """
    start = wrap_dim("flatten", start_dim, a.ndim)
    end = wrap_dim("flatten", end_dim, a.ndim)
    if start > end:
        raise ValueError(
            f"flatten() has invalid args: start_dim cannot come after end_dim (start_dim="
            f"{start_dim}, end_dim={end_dim} for a tensor of shape {a.shape})"
        )
    shape = a.shape
    if not shape:
        return share_if_view(Flatten.apply(a, (1,)), a)
    merged = math.prod(shape[start : end + 1])  # explicit: -1 is ambiguous with a size-0 dim
    return share_if_view(Flatten.apply(a, shape[:start] + (merged,) + shape[end + 1 :]), a)


def transpose(a, dim0: int, dim1: int):
    """Swap dimensions ``dim0`` and ``dim1`` (negative dims count from the end)."""
    d0 = wrap_dim("transpose", dim0, a.ndim)
    d1 = wrap_dim("transpose", dim1, a.ndim)
    dims = list(range(a.ndim))
    if dims:  # a 0-d tensor accepts dims 0 and -1, and stays as it is
        dims[d0], dims[d1] = dims[d1], dims[d0]
    return share_if_view(Transpose.apply(a, tuple(dims)), a)


def permute(a, *dims):
    """Reorder the dimensions: output dim ``i`` is input dim ``dims[i]``.

    ``permute(2, 0, 1)`` and ``permute((2, 0, 1))`` alike; (N, H, W, C) -> (N, C, H, W) is
    ``permute(0, 3, 1, 2)``.
    """
    dims = _shape_args(dims)
    if len(dims) != a.ndim:
        raise ValueError(
            f"permute: number of dims don't match: the tensor has {a.ndim} dimensions (shape "
            f"{a.shape}) but {len(dims)} were given ({dims}); name every dimension once"
        )
    wrapped = tuple(wrap_dim("permute", d, a.ndim) for d in dims)
    if len(set(wrapped)) != len(wrapped):
        raise ValueError(f"permute(): duplicate dims are not allowed, got {dims}")
    return share_if_view(Permute.apply(a, wrapped), a)


def squeeze(a, dim=None):
    """Remove dims of size 1: all of them, or those named in ``dim`` (an int or a tuple).

    A named dim whose size is not 1 is left alone, as in PyTorch.
    """
    if dim is None:
        drop = {i for i, n in enumerate(a.shape) if n == 1}
    else:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        wrapped = [wrap_dim("squeeze", d, a.ndim) for d in dims]
        for i, d in enumerate(wrapped):
            if d in wrapped[:i]:
                raise ValueError(f"squeeze: dim {d} appears multiple times in the list of dims")
        drop = {d for d in wrapped if a.ndim and a.shape[d] == 1}
    return share_if_view(
        Squeeze.apply(a, tuple(n for i, n in enumerate(a.shape) if i not in drop)), a
    )


def unsqueeze(a, dim: int):
    """Insert a dim of size 1 at ``dim`` (in ``[-ndim-1, ndim]``): (3,) -> (1, 3) at dim 0."""
    d = wrap_dim("unsqueeze", dim, a.ndim, extra=1)
    return share_if_view(Unsqueeze.apply(a, a.shape[:d] + (1,) + a.shape[d:]), a)


def t(a):
    """All dims reversed (``Tensor.T``): (m, n) -> (n, m); a tensor of 0 or 1 dims as it is."""
    if a.ndim < 2:
        return a
    if a.ndim == 2:
        return share_if_view(Transpose.apply(a, (1, 0)), a)
    return share_if_view(Permute.apply(a, tuple(range(a.ndim))[::-1]), a)
