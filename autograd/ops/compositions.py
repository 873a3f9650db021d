"""torch's operations that are compositions of the primitives: no rule of their own.

Every function here is written with ``getitem`` (basic and advanced indexing), its adjoint
``index_backward`` (a scatter-add), ``where``, ``cat``/``stack``, the shape ops, ``sum``,
``matmul`` and the arithmetic, so its first and second derivatives are those of the
primitives it calls: none of them adds a ``Function``.

Groups: slicing and rearranging (``split`` ... ``repeat_interleave``), products (``outer`` ...
``cross``), gathering and scattering (``gather`` ... ``index_add``), reductions and logic
(``amax`` ... ``logical_xor``), ordering (``sort`` ... ``median``) and norms (``norm``,
``dist``; ``linalg.py`` builds on them).

Where torch leaves a choice unspecified (ties in ``sort``, ``topk``, ``kthvalue``,
``median(dim)``; duplicate indices in ``scatter``) this module picks the stable one: the first
of tied elements in input order goes first, as in a stable sort (torch's ``sort(stable=True)``
agrees; its partial sorts in ``topk``, ``kthvalue`` and ``median(dim)`` may return another of
the tied indices), and the last write of duplicates in C order wins (as in torch's CPU kernel).
"""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np

from ..dtypes import scalar_type_name
from ..promotion import result_dtype
from ..tensor import Tensor
from .arithmetic import matmul
from .elementwise import abs as abs_
from .elementwise import cast, sqrt, where
from .indexing import getitem, index_backward
from .joining import stack
from .reduction import ValuesIndices, resolve_dims
from .reduction import sum as sum_
from .shape import expand, permute, reshape, wrap_dim


def _torch_dtype_name(dtype: np.dtype) -> str:
    """torch's spelling of a dtype in its messages: Long, Float, Double, Bool, ..."""
    names = {
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "float64": "Double",
        "float32": "Float",
        "float16": "Half",
        "bool": "Bool",
    }
    return names.get(np.dtype(dtype).name, np.dtype(dtype).name)


def _constant(array: np.ndarray) -> Tensor:
    """A Tensor outside the graph around ``array`` (no copy)."""
    return Tensor._from_array(np.asarray(array))


def _along(dim: int, piece) -> tuple:
    """The index that takes ``piece`` along ``dim`` and all of every earlier dim."""
    return (slice(None),) * dim + (piece,)


def _dims_arg(dims) -> tuple:
    """``dims`` given as ints or one sequence (``flip(0, 1)`` or ``flip((0, 1))``)."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        return tuple(dims[0])
    return tuple(dims)


def _is_int(n) -> bool:
    return isinstance(n, (int, np.integer)) and not isinstance(n, bool)


def _index_array(op: str, index, *, allow_int32: bool = True) -> np.ndarray:
    """An index (Tensor, array or list) as an int64 array; floats and bools are refused."""
    array = index.data if isinstance(index, Tensor) else np.asarray(index)
    if array.size == 0 and array.dtype.kind == "f" and not isinstance(index, Tensor):
        array = array.astype(np.int64)  # an empty list
    allowed = (np.int64, np.int32) if allow_int32 else (np.int64,)
    if array.dtype not in [np.dtype(d) for d in allowed]:
        expected = "int32/int64" if allow_int32 else "int64"
        raise RuntimeError(
            f"{op}(): Expected dtype {expected} for index, got "
            f"{_torch_dtype_name(array.dtype)}; convert it with .long()"
        )
    return array.astype(np.int64, copy=False)


# -- slicing and rearranging ------------------------------------------------------------------


def split(a: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``a`` along ``dim``: of ``split_size`` each (the last may be smaller), or of
    the sizes in a list (which must sum to ``a.shape[dim]``). A tuple of views' copies."""
    d = wrap_dim("split", dim, a.ndim)
    if a.ndim == 0:
        raise RuntimeError("split: dimension specified as 0 but tensor has no dimensions")
    n = a.shape[d]
    if _is_int(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 0:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={size}"
            )
        if size == 0 and n != 0:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
            )
        starts = range(0, n, size) if n else [0]
        bounds = [(s, builtins.min(s + size, n)) for s in starts]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if builtins.sum(sizes) != n or builtins.any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size "
                f"at dimension {d}), but got split_sizes={sizes}"
            )
        edges = np.cumsum([0] + sizes).tolist()
        bounds = list(zip(edges[:-1], edges[1:]))
    return tuple(getitem(a, _along(d, slice(lo, hi))) for lo, hi in bounds)


def chunk(a: Tensor, chunks: int, dim: int = 0) -> tuple:
    """``a`` in at most ``chunks`` pieces of ``ceil(size / chunks)`` along ``dim`` (torch's)."""
    if not _is_int(chunks) or chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if a.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    d = wrap_dim("chunk", dim, a.ndim)
    n = a.shape[d]
    size = -(-n // chunks)
    if size == 0:  # an empty dim: torch gives `chunks` empty pieces
        return tuple(getitem(a, _along(d, slice(0, 0))) for _ in range(chunks))
    return split(a, size, d)


def unbind(a: Tensor, dim: int = 0) -> tuple:
    """The slices of ``a`` along ``dim``, each without that dim: (3, 4) -> three (4,)."""
    if a.ndim == 0:
        raise IndexError("unbind: Dimension specified as 0 but tensor has no dimensions")
    d = wrap_dim("unbind", dim, a.ndim)
    return tuple(getitem(a, _along(d, i)) for i in range(a.shape[d]))


def narrow(a: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``a`` restricted to ``start:start + length`` along ``dim`` (start may be negative)."""
    if a.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim("narrow", dim, a.ndim)
    start = int(start.item() if isinstance(start, Tensor) else start)
    n = a.shape[d]
    if not -n <= start <= n:
        raise IndexError(
            f"start out of range (expected to be in range of [{-n}, {n}], but got {start})"
        )
    if start < 0:
        start += n
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return getitem(a, _along(d, slice(start, start + length)))


def movedim(a: Tensor, source, destination) -> Tensor:
    """``a`` with dims ``source`` moved to positions ``destination`` (ints or sequences), the
    other dims keeping their order."""
    src = (source,) if _is_int(source) else tuple(source)
    dst = (destination,) if _is_int(destination) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
            f"contain the same number of dims as destination ({list(dst)} dims)"
        )
    src = [wrap_dim("movedim", s, a.ndim) for s in src]
    dst = [wrap_dim("movedim", s, a.ndim) for s in dst]
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(source)})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(destination)})")
    order = [None] * a.ndim
    for s, t in zip(src, dst):
        order[t] = s
    rest = iter(i for i in range(a.ndim) if i not in src)
    order = [next(rest) if o is None else o for o in order]
    return permute(a, *order) if a.ndim else a


def flip(a: Tensor, dims) -> Tensor:
    """``a`` with the order of elements reversed along each dim in ``dims``."""
    dims = (dims,) if _is_int(dims) else tuple(dims)
    wrapped = [wrap_dim("flip", d, a.ndim) for d in dims]
    if len(set(wrapped)) != len(wrapped):
        duplicate = next(d for i, d in enumerate(wrapped) if d in wrapped[:i])
        raise RuntimeError(f"dim {duplicate} appears multiple times in the list of dims")
    if a.ndim == 0 or not wrapped:
        return getitem(a, ...)
    index = tuple(slice(None, None, -1) if i in wrapped else slice(None) for i in range(a.ndim))
    return getitem(a, index)


def roll(a: Tensor, shifts, dims=None) -> Tensor:
    """``a`` with elements shifted by ``shifts`` along ``dims`` (cyclically: what leaves one end
    comes back at the other); the flattened tensor when ``dims`` is None."""
    shifts = (shifts,) if _is_int(shifts) else tuple(shifts)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return reshape(roll(reshape(a, -1), shifts[0], 0), a.shape)
    dims = (dims,) if _is_int(dims) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    out = a
    for shift, dim in zip(shifts, dims):
        d = wrap_dim("roll", dim, a.ndim)
        n = a.shape[d] if a.ndim else 1
        if n == 0 or shift % n == 0:
            continue
        # output position i holds input position (i - shift) mod n
        source = (np.arange(n) - shift) % n
        out = getitem(out, _along(d, source))
    return out if out is not a else getitem(a, ...)


def _triangle(op: str, a: Tensor, diagonal: int, lower: bool) -> Tensor:
    if a.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions")
    rows, cols = a.shape[-2:]
    offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]  # j - i
    keep = offset <= diagonal if lower else offset >= diagonal
    return where(keep, a, _constant(np.zeros((), dtype=a.dtype)))


def tril(a: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims (``j - i <= diagonal``), zeros above."""
    return _triangle("tril", a, diagonal, lower=True)


def triu(a: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims (``j - i >= diagonal``), zeros below."""
    return _triangle("triu", a, diagonal, lower=False)


def _diagonal_positions(rows: int, cols: int, offset: int) -> tuple:
    """Row and column indices of the ``offset`` diagonal of a (rows, cols) matrix."""
    first_row, first_col = builtins.max(-offset, 0), builtins.max(offset, 0)
    length = builtins.max(builtins.min(rows - first_row, cols - first_col), 0)
    steps = np.arange(length, dtype=np.int64)
    return steps + first_row, steps + first_col


def diagonal(a: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset`` diagonal of the matrices in dims ``dim1``, ``dim2``, as a last dim:
    (..., n, m) with dim1=-2, dim2=-1 -> (..., min(n, m)) at offset 0. A copy, not a view."""
    if a.ndim < 2:
        raise RuntimeError(f"diagonal(): input must be at least 2-dimensional, got {a.ndim}-D")
    d1, d2 = wrap_dim("diagonal", dim1, a.ndim), wrap_dim("diagonal", dim2, a.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    rest = [i for i in range(a.ndim) if i not in (d1, d2)]
    moved = permute(a, *rest, d1, d2)
    rows, cols = _diagonal_positions(a.shape[d1], a.shape[d2], offset)
    return getitem(moved, (Ellipsis, rows, cols))


_diagonal = diagonal  # diag's argument is named as torch's, `diagonal`


def diag(a: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D ``a`` as the ``diagonal`` of a square matrix of zeros; the ``diagonal`` of a 2-D
    ``a`` as a vector: (n,) -> (n + abs(k), n + abs(k)); (n, m) -> (that diagonal's length,)."""
    if a.ndim == 1:
        n = a.shape[0] + builtins.abs(diagonal)
        rows, cols = _diagonal_positions(n, n, diagonal)
        return index_backward(a, (n, n), (rows, cols))
    if a.ndim == 2:
        return _diagonal(a, diagonal, 0, 1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {a.ndim}D")


def repeat(a: Tensor, *sizes) -> Tensor:
    """``a`` tiled ``sizes[i]`` times along dim i (leading sizes add dims): (2, 3) repeated
    (2, 1, 2) -> (2, 2, 6)."""
    sizes = _dims_arg(sizes)
    if len(sizes) < a.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            f"of tensor (repeat dims {list(sizes)}, tensor of shape {a.shape})"
        )
    if builtins.any(s < 0 for s in sizes):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(sizes)}")
    shape = (1,) * (len(sizes) - a.ndim) + a.shape
    # (s0, s1) -> (1, s0, 1, s1), broadcast to (r0, s0, r1, s1), merged to (r0 s0, r1 s1)
    interleaved = tuple(n for s in shape for n in (1, s))
    spread = tuple(n for r, s in zip(sizes, shape) for n in (r, s))
    merged = tuple(r * s for r, s in zip(sizes, shape))
    return reshape(expand(reshape(a, interleaved), spread), merged)


def tile(a: Tensor, *dims) -> Tensor:
    """``repeat``, with ``dims`` padded by leading 1s when shorter than ``a.ndim``."""
    dims = _dims_arg(dims)
    return repeat(a, *((1,) * (a.ndim - len(dims)) + tuple(dims)))


def repeat_interleave(a: Tensor, repeats, dim=None, *, output_size=None) -> Tensor:
    """Each element repeated ``repeats`` times along ``dim`` (the flattened ``a`` if None):
    [1, 2] with 2 -> [1, 1, 2, 2]. ``repeats`` is an int, or a Tensor of one count per
    element (or a single count)."""
    if dim is None:
        a, d = reshape(a, -1), 0
    else:
        d = wrap_dim("repeat_interleave", dim, a.ndim)
        if a.ndim == 0:
            a = reshape(a, 1)
    n = a.shape[d]
    if isinstance(repeats, Tensor) or isinstance(repeats, (np.ndarray, list)):
        counts = _index_array("repeat_interleave", repeats)
        if counts.ndim > 1:
            raise RuntimeError("repeat_interleave: repeats must be 0-dim or 1-dim tensor")
        if counts.size == 1:
            counts = np.full(n, int(counts.reshape(())), dtype=np.int64)
        if counts.shape != (n,):
            raise RuntimeError(
                f"repeats must have the same size as input along dim, but got repeats.size(0) "
                f"= {counts.size} and input.size({d}) = {n}"
            )
        if (counts < 0).any():
            raise RuntimeError("repeat_interleave: repeats can not be negative")
        source = np.repeat(np.arange(n, dtype=np.int64), counts)
    else:
        if not _is_int(repeats) or repeats < 0:
            raise RuntimeError(f"repeat_interleave: repeats can not be negative, got {repeats}")
        # each element once more along a new dim after d, then merged: no index needed
        shape = a.shape
        grown = reshape(a, shape[: d + 1] + (1,) + shape[d + 1 :])
        spread = expand(grown, shape[: d + 1] + (int(repeats),) + shape[d + 1 :])
        out = reshape(spread, shape[:d] + (n * int(repeats),) + shape[d + 1 :])
        source = None
    if source is not None:
        out = getitem(a, _along(d, source))
    if output_size is not None and out.shape[d] != output_size:
        raise RuntimeError(
            f"repeat_interleave: allocated size does not match required size: output_size="
            f"{output_size}, but the repeats sum to {out.shape[d]}"
        )
    return out


# -- products ------------------------------------------------------------------------------


def _require_ndim(op: str, name: str, t: Tensor, ndim: int) -> None:
    if t.ndim != ndim:
        raise RuntimeError(f"{op}: Expected {ndim}-D argument {name}, but got {t.ndim}-D")


def _same_dtype(op: str, a: Tensor, b: Tensor) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"{op}: expected both arguments to have the same dtype, but found "
            f"{_torch_dtype_name(a.dtype)} and {_torch_dtype_name(b.dtype)}; convert one "
            "with .to(other.dtype)"
        )


def outer(a: Tensor, b: Tensor) -> Tensor:
    """The outer product of two vectors: (n,) and (m,) -> (n, m), ``a[i] * b[j]``."""
    _require_ndim("outer", "self", a, 1)
    _require_ndim("outer", "vec2", b, 1)
    return reshape(a, a.shape[0], 1) * reshape(b, 1, b.shape[0])


def dot(a: Tensor, b: Tensor) -> Tensor:
    """The inner product of two vectors of one size and dtype: (n,), (n,) -> ()."""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    _same_dtype("dot", a, b)
    return matmul(a, b)


def mv(a: Tensor, v: Tensor) -> Tensor:
    """Matrix times vector: (n, m) and (m,) -> (n,)."""
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim} (mv takes a 2-D "
            "matrix and a 1-D vector)"
        )
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})"
        )
    _same_dtype("mv", a, v)
    return matmul(a, v)


def bmm(a: Tensor, b: Tensor) -> Tensor:
    """Batched matrix product without broadcasting: (B, n, m) and (B, m, p) -> (B, n, p)."""
    if a.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor (got shape {a.shape})")
    if b.ndim != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor (got shape {b.shape})")
    if b.shape[:2] != (a.shape[0], a.shape[2]):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}]."
        )
    _same_dtype("bmm", a, b)
    return matmul(a, b)


def _scaled_sum(op: str, base: Tensor, product: Tensor, beta, alpha) -> Tensor:
    """``beta * base + alpha * product``, as torch's addmm family: ``base`` broadcast to the
    product's shape, and ignored (nan and inf included) when ``beta`` is 0."""
    if base.dtype.kind in "iub" and (isinstance(beta, float) or isinstance(alpha, float)):
        raise RuntimeError(
            f"{op}: For integral input tensors, argument beta and alpha must not be a floating "
            "point number."
        )
    try:
        np.broadcast_shapes(base.shape, product.shape)
        if np.broadcast_shapes(base.shape, product.shape) != product.shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(
            f"{op}: the input of shape {base.shape} does not broadcast to the product's shape "
            f"{product.shape}"
        ) from None
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:
        # torch ignores the input; it still gets a (zero) gradient
        ignored = where(np.zeros(base.shape, dtype=bool), base, 0)
        return scaled + ignored
    return scaled + (base if beta == 1 else base * beta)


def addmm(base: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``: (n, m) @ (m, p), input broadcast to (n, p)."""
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(
            f"addmm: mat1 and mat2 must be matrices, got {mat1.ndim}-D and {mat2.ndim}-D"
        )
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
            f"{mat2.shape[0]}x{mat2.shape[1]})"
        )
    return _scaled_sum("addmm", base, matmul(mat1, mat2), beta, alpha)


def baddbmm(base: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``: input broadcast to (B, n, p)."""
    return _scaled_sum("baddbmm", base, bmm(batch1, batch2), beta, alpha)


def cross(a: Tensor, b: Tensor, dim=None) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (a and b broadcast together).

    ``dim=None`` takes the first dim of size 3 and warns, as ``torch.cross`` does
    (``torch.linalg.cross`` defaults to -1).
    """
    shape = np.broadcast_shapes(a.shape, b.shape)
    if dim is None:
        sized = [i for i, n in enumerate(shape) if n == 3]
        if not sized:
            raise RuntimeError(f"no dimension of size 3 in input (shapes {a.shape}, {b.shape})")
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated. Please either pass "
            "the dim explicitly or simply use torch.linalg.cross. The default value of dim will "
            "change to agree with that of linalg.cross in a future release.",
            UserWarning,
            stacklevel=3,
        )
        dim = sized[0]
    if a.ndim != b.ndim:
        raise RuntimeError(
            f"linalg.cross: inputs must have the same number of dimensions (got {a.ndim} and "
            f"{b.ndim})"
        )
    d = wrap_dim("cross", dim, len(shape))
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {a.shape[d]} and "
            f"{b.shape[d]}"
        )
    x = [getitem(a, _along(d, i)) for i in range(3)]
    y = [getitem(b, _along(d, i)) for i in range(3)]
    parts = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]]
    return stack(parts, d)


# -- gathering and scattering -----------------------------------------------------------------


def _positions(dim: int, index: np.ndarray) -> tuple:
    """The advanced index that reads element ``[i0, ..., index[i], ..., ik]`` for every
    position ``i`` of ``index``: ``index`` along ``dim``, broadcast ranges elsewhere."""
    grids = []
    for axis, n in enumerate(index.shape):
        if axis == dim:
            grids.append(index)
        else:
            shape = [1] * index.ndim
            shape[axis] = n
            grids.append(np.arange(n, dtype=np.int64).reshape(shape))
    return tuple(grids)


def _check_scatter_index(op: str, a: Tensor, dim: int, index: np.ndarray, others=()) -> None:
    """torch's checks of gather/scatter's index: same rank, no larger than ``a`` outside
    ``dim`` (nor than each of ``others``), values within ``a.shape[dim]``."""
    rank = builtins.max(a.ndim, 1)
    if builtins.max(index.ndim, 1) != rank and index.size:
        raise RuntimeError(
            "Index tensor must have the same number of dimensions as "
            f"{'input' if op == 'gather' else 'self'} tensor (index has {index.ndim}, "
            f"{op} input has {a.ndim})"
        )
    shape = a.shape or (1,)
    ishape = index.shape or (1,)
    for axis, (i, n) in enumerate(zip(ishape, shape)):
        if axis != dim and i > n and index.size:
            raise RuntimeError(
                f"Size does not match at dimension {axis} expected index {list(ishape)} to be "
                f"no larger than self {list(shape)} apart from dimension {dim}"
            )
    for name, other in others:
        for i, n in zip(ishape, other.shape or (1,)):
            if i > n and index.size:
                raise RuntimeError(
                    f"Expected index {list(ishape)} to be no larger than {name} "
                    f"{list(other.shape)} apart from dimension {dim}"
                )
    if index.size:
        bad = (index < 0) | (index >= shape[dim])
        if bad.any():
            value = int(index[bad].flat[0])
            raise RuntimeError(
                f"index {value} is out of bounds for dimension {dim} with size {shape[dim]}"
            )


def gather(a: Tensor, dim: int, index, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j][k] = a[index[i][j][k]][j][k]`` (for dim 0): picks along ``dim`` by an int64
    ``index`` of ``a``'s rank; the result has ``index``'s shape. The gradient adds back at the
    picked positions (repeats accumulate), as torch's. ``sparse_grad`` is accepted and ignored:
    gradients are dense."""
    index = _index_array("gather", index)
    d = wrap_dim("gather", dim, a.ndim)
    _check_scatter_index("gather", a, d, index)
    if a.ndim == 0:  # a 0-d tensor reads as 1 element along dim 0
        return reshape(getitem(reshape(a, 1), index.reshape(-1)), index.shape)
    if index.size == 0:
        return getitem(reshape(a, -1), np.zeros(index.shape, dtype=np.int64))
    return getitem(a, _positions(d, index))


def take_along_dim(a: Tensor, indices, dim=None) -> Tensor:
    """``a`` picked at ``indices`` along ``dim``, the two broadcast except along ``dim``
    (numpy's ``take_along_axis``); the flattened ``a`` and ``indices`` when ``dim`` is None."""
    index = _index_array("take_along_dim", indices, allow_int32=False)
    if dim is None:
        return gather(reshape(a, -1), 0, index.reshape(-1))
    d = wrap_dim("take_along_dim", dim, a.ndim)
    if index.ndim != a.ndim:
        raise RuntimeError(
            f"torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {a.ndim} dimensions for input, and {index.ndim} dimensions "
            "for indices"
        )
    a_shape, i_shape = list(a.shape), list(index.shape)
    a_shape[d] = i_shape[d] = 1
    common = np.broadcast_shapes(tuple(a_shape), tuple(i_shape))
    a_target = common[:d] + (a.shape[d],) + common[d + 1 :]
    i_target = common[:d] + (index.shape[d],) + common[d + 1 :]
    expanded = a if a.shape == a_target else expand(a, a_target)
    return gather(expanded, d, np.broadcast_to(index, i_target))


def index_select(a: Tensor, dim: int, index) -> Tensor:
    """The slices of ``a`` at ``index`` (a 1-D int tensor) along ``dim``; repeats allowed."""
    index = _index_array("index_select", index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    index = index.reshape(-1)
    if a.ndim == 0:  # one element along dim 0; the result stays 0-d
        wrap_dim("index_select", dim, 0)
        if index.size != 1:
            raise IndexError(
                f"index_select(): Index to scalar can have only 1 value, got {index.size} value(s)"
            )
        return reshape(getitem(reshape(a, 1), _checked(index, 1)), ())
    d = wrap_dim("index_select", dim, a.ndim)
    return getitem(a, _along(d, _checked(index, a.shape[d])))


def _checked(index: np.ndarray, size: int) -> np.ndarray:
    if index.size and ((index < 0) | (index >= size)).any():
        raise IndexError(f"index out of range in self (indices {index.tolist()}, size {size})")
    return index


def _bool_mask(op: str, mask) -> np.ndarray:
    mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype != np.bool_:
        raise RuntimeError(
            f"{op} only supports boolean masks, but got mask with dtype "
            f"{_torch_dtype_name(mask.dtype)}; compare to get one (x > 0)"
        )
    return mask


def masked_fill(a: Tensor, mask, value) -> Tensor:
    """``a`` with ``value`` where the boolean ``mask`` holds (broadcast to ``a``'s shape).

    ``value`` is a number or a 0-d Tensor (differentiable), cast to ``a``'s dtype.
    """
    mask = _bool_mask("masked_fill_", mask)
    try:
        shape = np.broadcast_shapes(a.shape, mask.shape)
    except ValueError:
        raise RuntimeError(
            f"masked_fill: the mask of shape {mask.shape} does not broadcast to the tensor's "
            f"shape {a.shape}"
        ) from None
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        fill = cast(value, a.dtype)
    else:
        fill = _constant(np.asarray(value).astype(a.dtype))
    out = where(mask, fill, a)
    return out if out.shape == shape else expand(out, shape)


def masked_select(a: Tensor, mask) -> Tensor:
    """The elements of ``a`` where ``mask`` holds (the two broadcast), as a 1-D tensor."""
    mask = _bool_mask("masked_select:", mask)
    shape = np.broadcast_shapes(a.shape, mask.shape)
    spread = a if a.shape == shape else expand(a, shape)
    return getitem(reshape(spread, -1), np.broadcast_to(mask, shape).reshape(-1))


def nonzero(a: Tensor, *, as_tuple: bool = False):
    """The int64 indices of the nonzero elements: (count, ndim), or one (count,) tensor per
    dim when ``as_tuple`` (a 0-d tensor counts as 1-D there). Not differentiable."""
    data = a.data
    if as_tuple:
        return tuple(_constant(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return _constant(np.argwhere(data).astype(np.int64))


def _scatter_target(op: str, a: Tensor, dim, index, src_shape=None) -> tuple:
    index = _index_array(op, index, allow_int32=False)
    d = wrap_dim(op, dim, a.ndim)
    others = () if src_shape is None else (("src", src_shape),)
    _check_scatter_index(op, a, d, index, others)
    return d, index


def _scatter_source(a: Tensor, src, index: np.ndarray, op: str) -> Tensor:
    if src.dtype != a.dtype:
        raise RuntimeError(
            f"{op}(): Expected self.dtype to be equal to src.dtype (got "
            f"{_torch_dtype_name(a.dtype)} and {_torch_dtype_name(src.dtype)})"
        )
    # src's elements at index's positions: its leading corner of index's shape
    return getitem(src, tuple(slice(0, n) for n in index.shape)) if src.ndim else src


def scatter(a: Tensor, dim: int, index, src=None, *, value=None, reduce=None) -> Tensor:
    """``a`` with ``src[i][j]`` written at ``[index[i][j]][j]`` (for dim 0), or ``value``.

    Out of place. With duplicate positions in ``index`` the last write in C order wins (torch
    leaves it unspecified); the gradient is torch's all the same: each element of ``src`` gets
    the gradient of the position it was written to, and ``a`` that of the positions not written.
    """
    if reduce is not None:
        raise NotImplementedError(
            "scatter(reduce=...) is deprecated in torch; use scatter_add or scatter_reduce"
        )
    if src is None and value is None:
        raise TypeError("scatter() missing 1 required argument: 'src' or 'value'")
    if not isinstance(src, Tensor) and src is not None:
        value, src = src, None
    if a.ndim == 0:  # a 0-d tensor reads as 1 element along dim 0
        flat_index = _index_array("scatter", index).reshape(-1)
        flat_src = None if src is None else reshape(src, -1)
        return reshape(scatter(reshape(a, 1), dim, flat_index, flat_src, value=value), ())
    d, index = _scatter_target("scatter", a, dim, index, None if src is None else src)
    where_ = _positions(d, index)
    hit = np.zeros(a.shape, dtype=bool)
    hit[where_] = True
    if src is None:
        return where(hit, _constant(np.asarray(value).astype(a.dtype)), a)
    piece = _scatter_source(a, src, index, "scatter")
    written = index_backward(piece, a.shape, where_)
    flat = np.ravel_multi_index(where_, a.shape)
    if np.unique(flat).size != flat.size:
        # duplicates: the scatter-add above summed them; keep its gradient (every source gets
        # its position's) and move its value to the last write's
        last = np.zeros(a.shape, dtype=a.dtype)
        last[where_] = piece.data
        written = written + _constant(last - written.data)
    return where(hit, written, a)


def scatter_add(a: Tensor, dim: int, index, src: Tensor) -> Tensor:
    """``a`` with ``src[i][j]`` added at ``[index[i][j]][j]`` (for dim 0); duplicates add."""
    d, index = _scatter_target("scatter_add", a, dim, index, src)
    piece = _scatter_source(a, src, index, "scatter_add")
    return a + index_backward(piece, a.shape, _positions(d, index))


def index_add(a: Tensor, dim: int, index, source: Tensor, *, alpha=1) -> Tensor:
    """``a`` with ``alpha * source[..., i, ...]`` added at ``a[..., index[i], ...]`` along
    ``dim``; repeated indices add up."""
    index = _index_array("index_add", index).reshape(-1)
    d = wrap_dim("index_add", dim, a.ndim)
    expected = a.shape[:d] + (index.size,) + a.shape[d + 1 :] if a.ndim else (index.size,)
    if source.ndim == a.ndim and a.ndim and source.shape[d] != index.size:
        raise RuntimeError(
            f"index_add_(): Number of indices ({index.size}) should be equal to "
            f"source.size(dim): ({source.shape[d]}), for dim: {d}"
        )
    if source.shape != expected and not (a.ndim == 0 and source.ndim == 0):
        raise RuntimeError(
            f"index_add_(): Source/destination tensor must have same slice shapes (source "
            f"{source.shape}, destination {a.shape}, {index.size} indices along dim {d})"
        )
    _same_dtype("index_add_()", a, source)
    target = a if a.ndim else reshape(a, 1)
    _checked(index, target.shape[d])
    scaled = source if alpha == 1 else source * alpha
    added = index_backward(reshape(scaled, expected), target.shape, _along(d, index))
    return reshape(target + added, a.shape)


# -- reductions and logic ----------------------------------------------------------------------


def _extreme_value(op: str, a: Tensor, dim, keepdim: bool, reduce) -> Tensor:
    """``amax``/``amin``: the extreme over ``dim``; the gradient split evenly among ties.

    Written as ``m + _tie_share(...)`` (see there): the value is exactly ``m``, its derivative
    the tie weights, torch's rule. A slice whose extreme is NaN gets NaN gradients, as torch's.
    """
    dims = resolve_dims(op, a.ndim, dim)
    for d in dims if dims is not None else range(a.ndim):
        if a.shape[d] == 0:
            raise IndexError(
                f"{op}(): Expected reduction dim {d} to have non-zero size (input shape "
                f"{a.shape}); reduce over another dim"
            )
    if dims is None and a.ndim and a.data.size == 0:
        raise IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0")
    axis = dims if dims is not None else None
    m = reduce(a.data, axis=axis, keepdims=True)
    shaped = m if keepdim else m.reshape(_reduced(a.shape, dims))
    if a.dtype.kind != "f":
        return _constant(np.asarray(shaped))
    ties = a.data == m
    with np.errstate(invalid="ignore"):  # a NaN extreme ties with nothing: 0/0, as torch's
        weights = ties / ties.sum(axis=axis, keepdims=True)
    return _constant(np.asarray(shaped)) + sum_(_tie_share(a, m, ties, weights), dims, keepdim)


def _tie_share(a: Tensor, m: np.ndarray, ties: np.ndarray, weights: np.ndarray) -> Tensor:
    """Zero in value, ``weights`` in derivative: ``where(ties, a - m, 0) * weights``, to add
    to the extreme ``m`` (broadcast to ``a``) taken outside the graph.

    ``a - m`` is exactly 0 at the ties, so ``m`` plus the sum is exactly ``m`` and its
    derivative is ``weights``. ``where`` keeps the elements that are not ties out of the
    arithmetic (``(-inf - m) * 0`` would be NaN), and an infinite extreme is subtracted as 0
    (``inf - inf`` would be NaN): its ties then add ``inf * weights``, which sum to ``inf``.
    """
    finite = np.where(np.isfinite(m), m, 0).astype(a.dtype)
    through = ties | np.isnan(weights)  # amax's NaN slices (0/0 weights) pass NaN on, as torch's
    share = where(through, a - _constant(finite), _constant(np.zeros((), dtype=a.dtype)))
    return share * _constant(weights.astype(a.dtype))


def _reduced(shape: tuple, dims) -> tuple:
    if dims is None:
        return ()
    return tuple(n for i, n in enumerate(shape) if i not in dims)


def amax(a: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """The maximum over ``dim`` (an int, a tuple; all dims when empty); ties share the
    gradient evenly, as torch's."""
    return _extreme_value("amax", a, dim, keepdim, np.max)


def amin(a: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """The minimum over ``dim``, as ``amax``."""
    return _extreme_value("amin", a, dim, keepdim, np.min)


def _logical_reduction(op: str, fn, a: Tensor, dim, keepdim: bool) -> Tensor:
    dims = resolve_dims(op, a.ndim, dim)
    out = fn(a.data, axis=dims, keepdims=keepdim)
    # torch keeps uint8 for uint8 inputs, bool for the rest
    dtype = np.uint8 if a.dtype == np.uint8 else np.bool_
    return _constant(np.asarray(out).astype(dtype))


def all(a: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001 -- torch's name
    """Whether every element (over ``dim``) is nonzero; True for none. Bool."""
    return _logical_reduction("all", np.all, a, dim, keepdim)


def any(a: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001 -- torch's name
    """Whether some element (over ``dim``) is nonzero; False for none. Bool."""
    return _logical_reduction("any", np.any, a, dim, keepdim)


def isnan(a: Tensor) -> Tensor:
    """Bool: where ``a`` is NaN (never for ints)."""
    return _constant(np.isnan(a.data))


def isinf(a: Tensor) -> Tensor:
    """Bool: where ``a`` is +inf or -inf."""
    return _constant(np.isinf(a.data))


def isfinite(a: Tensor) -> Tensor:
    """Bool: where ``a`` is neither NaN nor infinite."""
    return _constant(np.isfinite(a.data))


def _logical(fn, a: Tensor, other) -> Tensor:
    if not isinstance(other, (Tensor, np.ndarray)):  # torch takes Tensors only
        raise TypeError(
            f"{fn.__name__}(): argument 'other' (position 1) must be Tensor, not "
            f"{type(other).__name__}"
        )
    other = other.data if isinstance(other, Tensor) else other
    return _constant(np.asarray(fn(a.data, other)))


def _bitwise(name: str, fn, a: Tensor, other) -> Tensor:
    """torch's ``&``, ``|``, ``^``: logical on bool, bitwise on integers, in the promoted dtype
    (a Python int wraps into a uint8 tensor's range, as torch's); floats are refused."""
    if isinstance(other, Tensor):
        other = other.data
    elif not isinstance(other, (np.ndarray, builtins.int, builtins.float, np.number, np.bool_)):
        raise TypeError(
            f"{name}(): argument 'other' must be a Tensor or a number, not {type(other).__name__}"
        )
    dtype = result_dtype(a.data, other)
    if dtype.kind == "f":
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_type_name(dtype)}'")
    if not isinstance(other, np.ndarray):  # a number: its bits in the result's dtype
        other = np.array(builtins.int(other)).astype(dtype)
    return _constant(np.asarray(fn(a.data.astype(dtype, copy=False), other.astype(dtype))))


def bitwise_and(a: Tensor, other) -> Tensor:
    """``a & other``: and of the bits (logical and for bool), broadcast; not differentiable."""
    return _bitwise("bitwise_and", np.bitwise_and, a, other)


def bitwise_or(a: Tensor, other) -> Tensor:
    """``a | other``: or of the bits (logical or for bool), broadcast."""
    return _bitwise("bitwise_or", np.bitwise_or, a, other)


def bitwise_xor(a: Tensor, other) -> Tensor:
    """``a ^ other``: exclusive or of the bits (logical xor for bool), broadcast."""
    return _bitwise("bitwise_xor", np.bitwise_xor, a, other)


def logical_and(a: Tensor, other) -> Tensor:
    """Bool: both nonzero, broadcast."""
    return _logical(np.logical_and, a, other)


def logical_or(a: Tensor, other) -> Tensor:
    """Bool: either nonzero, broadcast."""
    return _logical(np.logical_or, a, other)


def logical_xor(a: Tensor, other) -> Tensor:
    """Bool: exactly one nonzero, broadcast."""
    return _logical(np.logical_xor, a, other)


def logical_not(a: Tensor) -> Tensor:
    """Bool: zero."""
    return _constant(np.logical_not(a.data))


# -- ordering ----------------------------------------------------------------------------------


class SortResult(ValuesIndices):
    """What ``sort`` returns, as ``torch.return_types.sort``: ``values`` and ``indices``."""

    __slots__ = ()


class TopkResult(ValuesIndices):
    """What ``topk`` returns, as ``torch.return_types.topk``."""

    __slots__ = ()


class KthvalueResult(ValuesIndices):
    """What ``kthvalue`` returns, as ``torch.return_types.kthvalue``."""

    __slots__ = ()


class MedianResult(ValuesIndices):
    """What ``median(dim)`` returns, as ``torch.return_types.median``."""

    __slots__ = ()


def _order(x: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable int64 sort indices along ``axis``: ties keep input order, NaN sorts as the
    largest (last ascending, first descending), as torch's stable sort."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable").astype(np.int64)
    # a stable ascending sort of the reversed array, reversed: descending, ties in input order
    n = x.shape[axis]
    flipped = np.flip(x, axis=axis)
    order = np.flip(np.argsort(flipped, axis=axis, kind="stable"), axis=axis)
    return (n - 1 - order).astype(np.int64)


def _picked(a: Tensor, d: int, indices: np.ndarray) -> Tensor:
    """``a`` gathered at ``indices`` along ``d``: the differentiable half of sort and co. (the
    gradient goes back to each picked position, as torch's ``value_selecting`` rule)."""
    return getitem(a, _positions(d, indices))


def sort(a: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """``(values, indices)``: ``a`` sorted along ``dim``; NaN sorts as the largest.

    The sort is always stable (ties in input order), which ``stable=False`` allows. The
    gradient goes back to each value's position (a gather of the indices).
    """
    d = wrap_dim("sort", dim, a.ndim)
    if a.ndim == 0:
        return SortResult(getitem(a, ...), _constant(np.zeros((), dtype=np.int64)))
    indices = _order(a.data, d, descending)
    return SortResult(_picked(a, d, indices), _constant(indices))


def argsort(a: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The int64 indices that sort ``a`` along ``dim`` (stable)."""
    return sort(a, dim, descending, stable).indices


def topk(a: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """``(values, indices)`` of the ``k`` largest (smallest when not ``largest``) along ``dim``.

    Always sorted (``sorted=False`` leaves the order to the implementation in torch). Among
    tied values the first in input order comes first; torch's partial sort may pick another of
    them, which changes the indices and which of the tied elements gets the gradient, not the
    values.
    """
    d = wrap_dim("topk", dim, a.ndim)
    n = a.shape[d] if a.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"selected index k out of range (k={k}, size {n} along dim {d})")
    if a.ndim == 0:
        return TopkResult(getitem(a, ...), _constant(np.zeros((), dtype=np.int64)))
    indices = _order(a.data, d, descending=largest)[_along(d, slice(0, k))]
    return TopkResult(_picked(a, d, indices), _constant(np.ascontiguousarray(indices)))


def _selected(result, a: Tensor, d: int, indices: np.ndarray, keepdim: bool):
    """``(values, indices)`` picked at one index per slice (``indices`` keeps ``d``)."""
    values = _picked(a, d, indices)
    if not keepdim:
        values = reshape(values, _reduced(a.shape, (d,)))
        indices = indices.reshape(_reduced(a.shape, (d,)))
    return result(values, _constant(indices))


def kthvalue(a: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """``(values, indices)`` of the ``k``-th smallest element (1-based) along ``dim``.

    Among tied values the index is the one a stable sort puts at place ``k`` (torch's may be
    another of them, see ``topk``); the gradient goes to the element at the index."""
    d = wrap_dim("kthvalue", dim, a.ndim)
    n = a.shape[d] if a.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(
            f"kthvalue(): selected number k out of range for dimension {d} (k={k}, size {n})"
        )
    if a.ndim == 0:
        return KthvalueResult(getitem(a, ...), _constant(np.zeros((), dtype=np.int64)))
    indices = _order(a.data, d, descending=False)[_along(d, slice(k - 1, k))]
    return _selected(KthvalueResult, a, d, np.ascontiguousarray(indices), keepdim)


def median(a: Tensor, dim=None, keepdim: bool = False):
    """The lower median: of all elements (a 0-d tensor; NaN if any is NaN or ``a`` is empty),
    or ``(values, indices)`` along ``dim`` (NaN where a slice holds one, at its first NaN).

    Gradients as torch's: the global median shares it evenly among elements equal to it; along
    ``dim`` it goes to the element at ``indices``, which among tied values is the one a stable
    sort puts in the middle (torch's may be another of them, see ``topk``).
    """
    if dim is None:
        flat = a.data.reshape(-1)
        if flat.size == 0:
            if a.dtype.kind != "f":
                raise RuntimeError("median() input tensor cannot be empty")
            return _constant(np.asarray(np.nan, dtype=a.dtype))
        nans = np.isnan(flat) if a.dtype.kind == "f" else None
        if nans is not None and nans.any():
            m, ties = np.asarray(np.nan, dtype=a.dtype), nans.reshape(a.shape)
        else:
            m = np.asarray(np.sort(flat, kind="stable")[(flat.size - 1) // 2])
            ties = a.data == m
        if a.dtype.kind != "f":
            return _constant(m)
        weights = ties / builtins.max(int(ties.sum()), 1)
        return _constant(m) + sum_(_tie_share(a, m, ties, weights))
    d = wrap_dim("median", dim, a.ndim)
    if a.ndim == 0:
        return MedianResult(getitem(a, ...), _constant(np.zeros((), dtype=np.int64)))
    n = a.shape[d]
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    x = a.data
    indices = _order(x, d, descending=False)[_along(d, slice((n - 1) // 2, (n + 1) // 2))]
    if x.dtype.kind == "f":
        nans = np.isnan(x)
        has_nan = nans.any(axis=d, keepdims=True)
        first_nan = np.argmax(nans, axis=d, keepdims=True)
        indices = np.where(has_nan, first_nan, indices)
    return _selected(MedianResult, a, d, np.ascontiguousarray(indices, dtype=np.int64), keepdim)


# -- norms -------------------------------------------------------------------------------------


def _require_floating(op: str, a: Tensor) -> None:
    if a.dtype.kind != "f":
        raise RuntimeError(
            f"{op}: Expected a floating point or complex tensor as input. Got "
            f"{_torch_dtype_name(a.dtype)}"
        )


def vector_norm(a: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """The ``ord``-norm of the elements over ``dim`` (all dims when None): ``ord`` is a number,
    ``inf`` (the largest ``|x|``), ``-inf`` (the smallest), or 0 (the count of nonzeros).

    Gradients as torch's: 0 where the norm is 0 (2-norm, p-norm); split evenly among ties for
    ``±inf``; 0 for ``ord=0``. One difference: at a zero norm torch's second derivative of the
    2-norm is NaN, this one's is 0 (the masked branch is constant).

    Examples
    --------
    >>> import autograd
    >>> from autograd import linalg
    >>> x = autograd.tensor([[3.0, 4.0], [1.0, 1.0]], dtype=autograd.float64)
    >>> linalg.vector_norm(x, dim=1)
    tensor([5.0000, 1.4142], dtype=float64)
    >>> linalg.vector_norm(x, ord=float('inf'))
    tensor(4., dtype=float64)
    """
    _require_floating("linalg.vector_norm", a)
    if dtype is not None:
        if np.dtype(dtype).kind != "f" or np.dtype(dtype).itemsize < a.dtype.itemsize:
            raise RuntimeError(
                f"linalg.vector_norm: the dtype of the input ({_torch_dtype_name(a.dtype)}) "
                "should be convertible without narrowing to the specified dtype "
                f"({_torch_dtype_name(np.dtype(dtype))})"
            )
        a = cast(a, dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    dims = resolve_dims("linalg.vector_norm", a.ndim, dim)
    p = float(ord)
    if p == math.inf:
        return amax(abs_(a), () if dims is None else dims, keepdim)
    if p == -math.inf:
        return amin(abs_(a), () if dims is None else dims, keepdim)
    if p == 0:
        # the count of nonzeros, with torch's zero gradient (a mask that selects nothing)
        count = _constant(np.asarray((a.data != 0).sum(axis=dims, keepdims=keepdim), a.dtype))
        return count + sum_(where(np.zeros(a.shape, dtype=bool), a, 0), dims, keepdim)
    if p == 2:
        total = sum_(a * a, dims, keepdim)
    elif p == 1:
        return sum_(abs_(a), dims, keepdim)
    else:
        total = sum_(abs_(a) ** p, dims, keepdim)
    # the norm's derivative is 0 at 0, as torch's (the root's would be infinite there)
    zero = total.data == 0
    if not zero.any():
        return sqrt(total) if p == 2 else total ** (1 / p)
    safe = where(zero, 1.0, total)
    root = sqrt(safe) if p == 2 else safe ** (1 / p)
    return where(zero, 0.0, root)


def norm(a: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """torch.norm: the ``p``-norm over ``dim`` (all dims when None) of the elements.

    ``p`` is ``'fro'`` (the 2-norm of the elements), a number, ``inf`` or ``-inf``; ``'nuc'``
    needs singular values and raises NotImplementedError.
    """
    if isinstance(p, str):
        if p == "nuc":
            raise NotImplementedError(
                "norm(p='nuc') needs singular values, which this engine does not compute; "
                "the nuclear norm is the sum of the singular values"
            )
        if p != "fro":
            raise RuntimeError(f"norm: invalid norm type {p!r}; use 'fro', 'nuc' or a number")
        if isinstance(dim, (tuple, list)) and len(dim) > 2:  # torch takes it for a matrix norm
            raise RuntimeError(
                f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
            )
        p = 2
    if a.dtype.kind != "f":
        _require_floating("linalg.vector_norm", a)
    return vector_norm(a, p, dim, keepdim, dtype=dtype)


def dist(a: Tensor, other: Tensor, p=2) -> Tensor:
    """``norm(a - other, p)`` over all elements (the two broadcast)."""
    return vector_norm(a - other, p)
