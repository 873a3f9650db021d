"""Making tensors as PyTorch does: ``tensor``, ``zeros``, ``arange``, ``linspace``, ``eye``, ...

Torch's names, signatures and default dtypes: a size is given as ints or as one tuple, the
default floating dtype is float32, integers are int64, and a fill value picks the dtype of its
kind (``full((2,), 7)`` is int64, ``full((2,), 7.0)`` float32). ``dtype`` is a numpy dtype
(``np.float64``), as everywhere in this project. Random tensors are in ``randomness.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .dtypes import check_device
from .dtypes import device as Device
from .randomness import new_leaf, size_args
from .tensor import Tensor

__all__ = [
    "arange",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "linspace",
    "logspace",
    "ones",
    "ones_like",
    "tensor",
    "zeros",
    "zeros_like",
]

DType = np.dtype | type | str | None
_DEFAULT_FLOAT = np.dtype(np.float32)


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _number(where: str, name: str, x) -> int | float:
    if isinstance(x, Tensor):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number, got {type(x).__name__} {x!r}")
    return x


def tensor(
    data, *, dtype: DType = None, requires_grad: bool = False, device: str | Device | None = None
) -> Tensor:
    """A new leaf holding a copy of ``data`` (a number, nested lists, an ndarray or a Tensor).

    As ``torch.tensor``: Python floats become float32, ints int64, bools bool; an ndarray keeps
    its dtype. ``from_numpy`` shares an ndarray's memory instead of copying it.

    Examples
    --------
    >>> tensor([1.0, 2.0]).dtype
    dtype('float32')
    >>> tensor([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    check_device(device)
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def _filled(where: str, size: tuple, value, dtype: DType, requires_grad: bool) -> Tensor:
    shape = size_args(where, size)
    return new_leaf(
        np.full(shape, value, dtype=_DEFAULT_FLOAT if dtype is None else dtype), requires_grad
    )


def zeros(
    *size: int | Sequence[int],
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """A tensor of zeros, shape ``size`` (float32 unless ``dtype``).

    Examples
    --------
    >>> zeros(2, 3).shape == zeros((2, 3)).shape == (2, 3)
    True
    """
    check_device(device)
    return _filled("zeros", size, 0, dtype, requires_grad)


def ones(
    *size: int | Sequence[int],
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """A tensor of ones, shape ``size`` (float32 unless ``dtype``).

    Examples
    --------
    >>> import autograd
    >>> autograd.ones(2, 2)
    tensor([[1., 1.],
            [1., 1.]])
    >>> autograd.ones((3,), dtype=autograd.int64)
    tensor([1, 1, 1])
    """
    check_device(device)
    return _filled("ones", size, 1, dtype, requires_grad)


def empty(
    *size: int | Sequence[int],
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """A tensor of shape ``size`` whose values are whatever the memory held (fill it yourself).

    Examples
    --------
    >>> import autograd
    >>> autograd.empty(2, 3).shape, autograd.empty((2,), dtype=autograd.int64).dtype
    ((2, 3), dtype('int64'))
    """
    check_device(device)
    shape = size_args("empty", size)
    dtype = _DEFAULT_FLOAT if dtype is None else dtype
    return new_leaf(np.empty(shape, dtype=dtype), requires_grad)


def _fill_dtype(value) -> np.dtype:
    """The dtype torch gives ``full(size, value)``: bool, int64, or the default float."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(bool)
    if _is_int(value):
        return np.dtype(np.int64)
    return _DEFAULT_FLOAT


def full(
    size: Sequence[int],
    fill_value: float,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value``; its dtype follows the value's kind.

    Examples
    --------
    >>> full((2,), 7).dtype, full((2,), 7.0).dtype
    (dtype('int64'), dtype('float32'))
    """
    check_device(device)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = _fill_dtype(fill_value) if dtype is None else dtype
    return _filled("full", (size,), fill_value, dtype, requires_grad)


def _like(
    where: str, input: Tensor, value, dtype: DType, requires_grad: bool, empty: bool = False
) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{where}: input must be a Tensor, got {type(input).__name__}")
    dtype = input.dtype if dtype is None else dtype
    array = np.empty(input.shape, dtype) if empty else np.full(input.shape, value, dtype)
    return new_leaf(array, requires_grad)


def zeros_like(
    input: Tensor,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """Zeros with ``input``'s shape and (unless ``dtype``) dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.zeros_like(autograd.tensor([[1, 2]]))
    tensor([[0, 0]])
    """
    check_device(device)
    return _like("zeros_like", input, 0, dtype, requires_grad)


def ones_like(
    input: Tensor,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """Ones with ``input``'s shape and (unless ``dtype``) dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.ones_like(autograd.tensor([[1.5, 2.5]]))
    tensor([[1., 1.]])
    """
    check_device(device)
    return _like("ones_like", input, 1, dtype, requires_grad)


def full_like(
    input: Tensor,
    fill_value: float,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """``fill_value`` everywhere, with ``input``'s shape and (unless ``dtype``) dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.full_like(autograd.tensor([1, 2]), 7)
    tensor([7, 7])
    """
    check_device(device)
    return _like("full_like", input, fill_value, dtype, requires_grad)


def empty_like(
    input: Tensor,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """Uninitialised memory with ``input``'s shape and (unless ``dtype``) dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.empty_like(autograd.zeros(2, 3, dtype=autograd.float64)).dtype
    dtype('float64')
    """
    check_device(device)
    return _like("empty_like", input, None, dtype, requires_grad, empty=True)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """``start, start + step, ...`` up to (not including) ``end``; ``arange(end)`` starts at 0.

    int64 when every bound is an int, else float32 (unless ``dtype``). Element ``i`` is
    ``start + i * step`` computed in float64 then cast, as torch, so ``arange(0, 1, 0.1)`` has
    10 elements and no accumulated rounding.

    Examples
    --------
    >>> arange(5).tolist()
    [0, 1, 2, 3, 4]
    >>> arange(1, 2, 0.25).tolist()
    [1.0, 1.25, 1.5, 1.75]
    """
    check_device(device)
    if end is None:
        start, end = 0, start
    start, end, step = (
        _number("arange", n, x) for n, x in (("start", start), ("end", end), ("step", step))
    )
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if not all(map(math.isfinite, (start, end, step))):
        raise RuntimeError(f"arange: unsupported range: {start} -> {end} (finite bounds needed)")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"arange: upper bound and larger bound inconsistent with step sign (start {start}, "
            f"end {end}, step {step})"
        )
    integral = all(_is_int(x) for x in (start, end, step))
    if dtype is None:
        dtype = np.dtype(np.int64) if integral else _DEFAULT_FLOAT
    dtype = np.dtype(dtype)
    if integral:
        count = max(0, -((start - end) // step))  # ceil((end - start) / step) in integers
        values = start + np.arange(count, dtype=np.int64) * step
    else:
        count = max(0, math.ceil((end - start) / step))
        values = start + np.arange(count, dtype=np.float64) * step
    return new_leaf(values.astype(dtype), requires_grad)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """``steps`` evenly spaced numbers from ``start`` to ``end``, both included (float32 unless
    ``dtype``).

    As torch, the first half counts up from ``start`` and the second half down from ``end``, with
    the step in the result's dtype, so both ends are exact.

    Examples
    --------
    >>> linspace(0, 1, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    check_device(device)
    start, end = _number("linspace", "start", start), _number("linspace", "end", end)
    if not _is_int(steps) or steps < 0:
        raise RuntimeError(f"linspace: number of steps must be a non-negative int, got {steps!r}")
    dtype = _DEFAULT_FLOAT if dtype is None else np.dtype(dtype)
    work = dtype if dtype.kind == "f" else np.dtype(np.float64)  # integers step in float64
    if steps == 1:
        values = np.array([start], dtype=work)
    else:
        index = np.arange(steps)
        first, last = work.type(start), work.type(end)
        step = (last - first) / work.type(max(steps - 1, 1))
        halfway = steps // 2
        # each element rounded once from float64, as torch's kernel does with a fused multiply-add
        first64, last64, step64 = np.float64(first), np.float64(last), np.float64(step)
        values = np.where(
            index < halfway, first64 + step64 * index, last64 - step64 * (steps - 1 - index)
        ).astype(work)
    return new_leaf(values.astype(dtype), requires_grad)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """``base ** linspace(start, end, steps)`` (float32 unless ``dtype``).

    Examples
    --------
    >>> logspace(0, 2, 3).tolist()
    [1.0, 10.0, 100.0]
    """
    check_device(device)
    dtype = _DEFAULT_FLOAT if dtype is None else np.dtype(dtype)
    work = dtype if dtype.kind == "f" else np.dtype(np.float64)
    exponents = linspace(start, end, steps, dtype=work).data
    return new_leaf(np.power(work.type(base), exponents).astype(dtype), requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: DType = None,
    requires_grad: bool = False,
    device: str | Device | None = None,
) -> Tensor:
    """The ``(n, m)`` identity matrix (``m = n`` by default; float32 unless ``dtype``).

    Examples
    --------
    >>> import autograd
    >>> autograd.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    >>> autograd.eye(2, 3).shape
    (2, 3)
    """
    check_device(device)
    for name, k in (("n", n), ("m", m)):
        if k is not None and (not _is_int(k) or k < 0):
            raise RuntimeError(f"eye: {name} must be greater or equal to 0, got {k!r}")
    dtype = _DEFAULT_FLOAT if dtype is None else dtype
    return new_leaf(np.eye(n, n if m is None else m, dtype=dtype), requires_grad)
