"""Reductions over ``dim`` (an int, a tuple or None) with ``keepdim``.

numpy's spelling (``axis``, ``keepdims``) is accepted too, as PyTorch accepts it.

Primitives: ``sum``, ``max``/``min`` (of all, or along a dim), and the fused ``softmax`` and
``log_softmax``. ``mean``, ``var``, ``std`` and ``logsumexp`` are compositions of primitives.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from ..function import Primitive
from ..fused import register_fused
from ..rules import table_backward
from ..tensor import Tensor
from .elementwise import exp, log, maximum, minimum, recording, sqrt, where


def resolve_dims(op: str, ndim: int, dim=None, axis=None) -> tuple | None:
    """Normalise ``dim`` (or numpy's ``axis``) to a sorted tuple of non-negative dims, or None
    for every dim (``dim=None``, and ``dim=()`` as in torch)."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{op}: pass dim or axis, not both")
        dim = axis
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else dim
    if not isinstance(dims, (tuple, list)) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in dims
    ):
        raise TypeError(
            f"{op}(): argument 'dim' must be an int or a tuple of ints, got {dim!r} "
            f"({type(dim).__name__}); name dimensions by their index, e.g. dim=0 or dim=(0, 1)"
        )
    dims = tuple(dims)
    if not dims:  # torch reads dim=() as every dim (numpy's axis=() would reduce none)
        return None
    rank = builtins.max(ndim, 1)  # this module defines its own max and sum
    out = []
    for d in dims:
        if not -rank <= d < rank:
            raise IndexError(
                f"{op}: dimension {d} is out of range for a tensor with {ndim} dimensions "
                f"(expected to be in range of [{-rank}, {rank - 1}])"
            )
        out.append(int(d) % rank)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: dimension {dims} appears more than once")
    return tuple(sorted(out)) if ndim else None


def keepdim_shape(shape: tuple, dims: tuple | None) -> tuple:
    """``shape`` with size 1 at each reduced dim (all of them when ``dims`` is None)."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


def _keep(keepdim: bool, keepdims: bool | None) -> bool:
    return bool(keepdim if keepdims is None else keepdims)


class Sum(Primitive):
    op = "sum"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        # torch sums bools and every int type in int64 (numpy: uint8 in uint64)
        dtype = np.int64 if a.data.dtype.kind in "biu" else None
        return np.asarray(np.sum(a.data, axis=dims, keepdims=keepdim, dtype=dtype))

    backward = table_backward("sum")


def sum(a, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
    """Sum over ``dim`` (all dims when None)."""
    dims = resolve_dims("sum", a.ndim, dim, axis)
    return Sum.apply(a, dims, _keep(keepdim, keepdims))


def _require_float(op: str, a) -> None:
    if a.dtype.kind != "f":
        raise TypeError(
            f"{op}(): expected a floating point tensor, got dtype {a.dtype}; convert it first "
            "with .float()"
        )


def _count(shape: tuple, dims: tuple | None) -> int:
    """How many elements each reduction over ``dims`` takes in."""
    return int(np.prod([shape[d] for d in dims] if dims is not None else shape))


def _reduced_shape(shape: tuple, dims: tuple | None) -> tuple:
    """``shape`` without the reduced dims (all of them when ``dims`` is None)."""
    return () if dims is None else tuple(n for i, n in enumerate(shape) if i not in dims)


def mean(a, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
    """Mean over ``dim`` (all dims when None); shaped as ``sum``. ``nan`` over zero elements."""
    if a.dtype.kind != "f":
        raise TypeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {a.dtype}; convert it first with .float()"
        )
    dims = resolve_dims("mean", a.ndim, dim, axis)
    return sum(a, dims, _keep(keepdim, keepdims)) / _count(a.shape, dims)


def _correction(op: str, correction, unbiased) -> float:
    if unbiased is None:
        return 1 if correction is None else correction
    if correction is not None:
        raise ValueError(f"{op}: cannot specify both correction and unbiased arguments")
    return 1 if unbiased else 0


def var(
    a, dim=None, *, correction=None, keepdim: bool = False, unbiased=None, axis=None, keepdims=None
):
    """Variance over ``dim`` (all dims when None): ``Σ (a - mean)² / (N - correction)``.

    As torch: ``correction`` defaults to 1 (Bessel's), ``unbiased=False`` means 0. Shaped as
    ``sum``; ``nan`` or ``inf`` where ``N - correction <= 0``.
    """
    _require_float("var", a)
    dims = resolve_dims("var", a.ndim, dim, axis)
    correction = _correction("var", correction, unbiased)
    denominator = builtins.max(_count(a.shape, dims) - correction, 0)
    center = mean(a, dims, keepdim=True)
    if denominator == 0:
        # The variance is Σ (a - mean)² / 0, and its exact gradient 2 (a - mean) / 0: ±inf, nan
        # where a == mean. The mean's own term is 0 (Σ (a - mean) = 0), but through the chain
        # rule it is a mean of +inf and -inf, nan, which would swamp every element; a constant
        # mean leaves it out. (torch gives +inf for every a != mean without a dim, and a finite
        # -2 (a - mean) for N - correction < 0 with one: the exact value is ours.)
        center = center.detach()
    centered = a - center
    return sum(centered * centered, dims, _keep(keepdim, keepdims)) / denominator


def std(
    a, dim=None, *, correction=None, keepdim: bool = False, unbiased=None, axis=None, keepdims=None
):
    """Standard deviation, ``sqrt(var(...))``, with ``var``'s arguments and shapes.

    Where the deviation is 0 (a constant slice) the gradient is 0, as in torch, not the
    ``inf * 0 = nan`` of the chain rule through the square root.
    """
    _require_float("std", a)
    v = var(
        a,
        dim,
        correction=correction,
        keepdim=keepdim,
        unbiased=unbiased,
        axis=axis,
        keepdims=keepdims,
    )
    zero = v.data == 0
    if not zero.any():
        return sqrt(v)
    # the double where: sqrt never sees the zeros, so its infinite slope stays out of the graph
    return where(zero, 0, sqrt(where(zero, 1, v)))


def logsumexp(a, dim, keepdim: bool = False):
    """``log(sum(exp(a), dim))`` without overflow (inputs of ±1000 included); shaped as ``sum``.

    Computed as ``m + log(sum(exp(a - m)))`` with ``m`` the maximum: the result does not depend
    on ``m``, so it is a constant and no gradient flows through it.
    """
    if a.dtype.kind != "f":
        a = a.float()  # as torch: the log-sum-exp of integers is a float
    dims = resolve_dims("logsumexp", a.ndim, dim)
    with np.errstate(invalid="ignore"):
        m = np.max(a.data, axis=dims, keepdims=True, initial=-np.inf)
    m = np.where(np.isinf(m), 0, m)  # a slice of -inf (or holding +inf): shift by 0, as torch
    out = log(sum(exp(a - m), dims, keepdim=True)) + m
    return out if keepdim else out.reshape(_reduced_shape(a.shape, dims))


def _shift_by_max(x: np.ndarray, dim) -> np.ndarray:
    """``x`` minus its maximum along ``dim``: its exponentials are at most 1."""
    with np.errstate(invalid="ignore"):  # a slice of -inf gives nan, as in torch
        return x - np.max(x, axis=dim, keepdims=True, initial=-np.inf)


class Softmax(Primitive):
    """A fused rule: its backward is three operations where the composition
    ``exp(a - m) / sum(exp(a - m))`` records many more; forward and backward together run
    about 7x faster on a (256, 1000) float32 input. Tests compare it with the composition."""

    op = "softmax"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        e = np.exp(_shift_by_max(a.data, dim))
        return ctx.save_output(e / e.sum(axis=dim, keepdims=True))

    backward = table_backward("softmax")


class LogSoftmax(Primitive):
    """A fused rule, as ``Softmax``: the composition is ``a - logsumexp(a, dim, keepdim=True)``."""

    op = "log_softmax"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        shifted = _shift_by_max(a.data, dim)
        with np.errstate(divide="ignore"):
            lse = np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        return ctx.save_output(shifted - lse)

    backward = table_backward("log_softmax")


def _softmax_composed(a, dim: int):
    """``softmax`` from primitives: the fused rule's reference."""
    return exp(a - logsumexp(a, dim, keepdim=True))


def _log_softmax_composed(a, dim: int):
    """``log_softmax`` from primitives: the fused rule's reference."""
    return a - logsumexp(a, dim, keepdim=True)


def _softmax_example(rng) -> tuple:
    return (Tensor(rng.standard_normal((3, 5)) * 3, requires_grad=True), 1), {}


def _softmax_dim(op: str, a, dim) -> int | None:
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}: dim must be an int, got {dim!r}")
    _require_float(op, a)
    dims = resolve_dims(op, a.ndim, dim)
    return None if dims is None else dims[0]


def softmax(a, dim: int):
    """``exp(a) / sum(exp(a), dim)``, stable at any input; same shape as ``a``."""
    return Softmax.apply(a, _softmax_dim("softmax", a, dim))


def log_softmax(a, dim: int):
    """``a - logsumexp(a, dim)``, stable at any input; same shape as ``a``."""
    return LogSoftmax.apply(a, _softmax_dim("log_softmax", a, dim))


register_fused(
    "softmax",
    fused=softmax,
    reference=_softmax_composed,
    example=_softmax_example,
    functions=(Softmax,),
)
register_fused(
    "log_softmax",
    fused=log_softmax,
    reference=_log_softmax_composed,
    example=_softmax_example,
    functions=(LogSoftmax,),
)


# -- max and min: of all elements, or along one dim with the indices ------------------------


class Max(Primitive):
    """The maximum (or minimum) of all elements; tied extremes share the gradient evenly."""

    op = "max"

    @staticmethod
    def forward(ctx, a, reduce, keepdim):
        out = reduce(a.data, keepdims=keepdim)
        if recording(ctx):
            x = a.data
            ctx.hits = np.isnan(x) if np.isnan(out).any() else x == out
        return np.asarray(out)

    backward = table_backward("max")


class Min(Max):
    op = "min"


class MaxDim(Primitive):
    """The values of ``max(dim)`` (or ``min(dim)``): ``a`` picked at ``indices`` along ``dim``.

    ``indices`` (int64, shaped as the result with ``keepdim=True``) come from argmax or argmin;
    the gradient goes to the picked element only.
    """

    op = "max"

    @staticmethod
    def forward(ctx, a, indices, dim, keepdim):
        ctx.shape, ctx.indices, ctx.dim = a.shape, indices, dim
        values = np.take_along_axis(a.data, indices, axis=dim)
        return values if keepdim else values.reshape(_reduced_shape(a.shape, (dim,)))

    backward = table_backward("max_dim")


class MinDim(MaxDim):
    op = "min"


ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


class MaxResult(ValuesIndices):
    """What ``max(dim)`` returns, as ``torch.return_types.max``: ``values`` and ``indices``."""

    __slots__ = ()


class MinResult(ValuesIndices):
    """What ``min(dim)`` returns, as ``torch.return_types.min``: ``values`` and ``indices``."""

    __slots__ = ()


def _arg_extreme(op: str, arg_fn, a, dim, keepdim: bool) -> np.ndarray:
    """The int64 indices of argmax/argmin (``arg_fn``) along ``dim``, or flat when None."""
    x = a.data
    if dim is None:
        if x.size == 0:
            raise ValueError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        index = np.asarray(arg_fn(x), dtype=np.int64)
        return index.reshape((1,) * x.ndim) if keepdim else index
    dims = resolve_dims(op, x.ndim, dim)
    if dims is None:  # a 0-d tensor: dim 0 (or -1) is the element itself
        return np.zeros((), dtype=np.int64)
    (d,) = dims
    if x.shape[d] == 0:
        raise IndexError(
            f"{op}(): Expected reduction dim {d} to have non-zero size (input shape {x.shape}); "
            "reduce over another dim or check the input"
        )
    return arg_fn(x, axis=d, keepdims=keepdim).astype(np.int64, copy=False)


def _dim_or_axis(op: str, dim, axis):
    if axis is None:
        return dim
    if dim is not None:
        raise TypeError(f"{op}: pass dim or axis, not both")
    return axis


def _extreme(op: str, a, dim, keepdim: bool, reduce, arg_fn, full_fn, dim_fn, result):
    """``max``/``min`` of all elements (dim None), or (values, indices) along one int dim."""
    if dim is None:
        if a.data.size == 0:
            raise ValueError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return full_fn.apply(a, reduce, keepdim)
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(
            f"{op}(): dim must be an int, got {dim!r}; reduce one dim at a time, or flatten first"
        )
    indices = _arg_extreme(op, arg_fn, a, dim, keepdim=True)
    if a.ndim == 0:
        return result(a.reshape(()), Tensor._from_array(indices))
    (d,) = resolve_dims(op, a.ndim, dim)
    values = dim_fn.apply(a, indices, d, keepdim)
    if not keepdim:
        indices = indices.reshape(values.shape)
    return result(values, Tensor._from_array(indices))


def max(a, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
    """The maximum of all elements (a 0-d Tensor), or ``(values, indices)`` along ``dim``.

    As torch: ``max()`` shares the gradient evenly among tied maxima; ``max(dim)`` returns a
    named tuple (``values``, ``indices``: int64, the first maximal element of each slice), and
    the gradient goes to the element at ``indices``. ``max(other_tensor)`` is ``maximum``.
    """
    if isinstance(dim, Tensor):
        return maximum(a, dim)
    dim = _dim_or_axis("max", dim, axis)
    return _extreme(
        "max", a, dim, _keep(keepdim, keepdims), np.max, np.argmax, Max, MaxDim, MaxResult
    )


def min(a, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
    """The minimum of all elements (a 0-d Tensor), or ``(values, indices)`` along ``dim``.

    As ``max``, with minima.
    """
    if isinstance(dim, Tensor):
        return minimum(a, dim)
    dim = _dim_or_axis("min", dim, axis)
    return _extreme(
        "min", a, dim, _keep(keepdim, keepdims), np.min, np.argmin, Min, MinDim, MinResult
    )


def argmax(a, dim=None, keepdim: bool = False):
    """The int64 index of the maximum: of the flattened tensor (dim None), or along ``dim``.

    Ties and NaN: the first occurrence. Not differentiable.
    """
    return Tensor._from_array(_arg_extreme("argmax", np.argmax, a, dim, keepdim))


def argmin(a, dim=None, keepdim: bool = False):
    """The int64 index of the minimum: of the flattened tensor (dim None), or along ``dim``."""
    return Tensor._from_array(_arg_extreme("argmin", np.argmin, a, dim, keepdim))
