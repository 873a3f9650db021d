"""Type promotion: the dtype PyTorch gives an operation on several operands (``torch.result_type``).

numpy (2.x) already treats Python numbers as "weak" (``float32 array * 2.5`` stays float32).
PyTorch goes further, and its users rely on float32 staying float32. Its operands come in three
ranks: tensors with dimensions, 0-d tensors, and Python (or numpy) numbers. Each rank is promoted
on its own, then the ranks are combined from the highest down (c10's ``combine_categories``):

- a lower rank changes the result only if its *category* (bool < int < float) is higher, so a
  uint8 tensor minus an int32 0-d tensor stays uint8 (and wraps: ``[0] - 1`` is ``[255]``), and
  a float32 tensor plus a float64 0-d tensor stays float32;
- a bool result takes the lower rank's type whatever its category (``bool tensor + int32 0-d``
  is int32);
- a number's type is the default of its kind: float32 for floats, int64 for ints;
- within one rank, the highest category wins without widening (int64 + float32 is float32);
- true division of integers gives the default float dtype, float32.

Every operation that combines operands (arithmetic, ``maximum``, ``where``, ``clamp``, ``cat``,
``stack``) takes its result dtype from here.
"""

from __future__ import annotations

import numpy as np

_BOOL, _INT, _FLOAT = 0, 1, 2
_DEFAULT = {_BOOL: np.dtype(np.bool_), _INT: np.dtype(np.int64), _FLOAT: np.dtype(np.float32)}


def _category(dtype: np.dtype) -> int:
    return _FLOAT if dtype.kind in "fc" else (_BOOL if dtype.kind == "b" else _INT)


def promote_types(dtypes) -> np.dtype:
    """Promotion within one rank: the highest category wins, then numpy's rule within it
    (which is torch's for the dtypes both have: int8 with uint8 is int16)."""
    top = max(_category(d) for d in dtypes)
    return np.result_type(*[d for d in dtypes if _category(d) == top])


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """c10's ``combine_categories``: a higher rank's type, unless the lower rank brings a
    higher category (or the higher rank is bool)."""
    if higher is None:
        return lower
    if lower is None or _category(higher) == _FLOAT:
        return higher
    if _category(higher) == _BOOL or _category(lower) == _FLOAT:
        return promote_types((higher, lower))
    return higher


def result_dtype(*operands, true_divide: bool = False) -> np.dtype:
    """The dtype of PyTorch's result for ``operands`` (ndarrays or Python/numpy numbers).

    An ndarray with dimensions counts as a tensor, a 0-d ndarray as a 0-d tensor, anything else
    as a number (numpy scalars too, as in torch). ``None`` operands (an absent clamp bound) are
    skipped.
    """
    ranked = ([], [], [])  # arrays with dimensions, 0-d arrays, numbers
    for x in operands:
        if x is None:
            continue
        if isinstance(x, np.ndarray):
            ranked[0 if x.ndim else 1].append(x.dtype)
        else:
            ranked[2].append(_DEFAULT[_category(np.asarray(x).dtype)])
    dims, zero_dim, numbers = (promote_types(r) if r else None for r in ranked)
    result = _combine(dims, _combine(zero_dim, numbers))
    if true_divide and _category(result) < _FLOAT:
        result = _DEFAULT[_FLOAT]
    return result


def match_torch_dtype(out: np.ndarray, a, b, true_divide: bool = False) -> np.ndarray:
    """Cast numpy's result ``out`` of ``a <op> b`` to PyTorch's result dtype if they differ.

    The common cases cost two type tests: where every array operand already has ``out``'s dtype
    (a float32 tensor with a float32 tensor or a Python number), numpy and torch agree.
    """
    dtype = out.dtype
    if (type(a) is not np.ndarray or a.dtype is dtype) and (
        type(b) is not np.ndarray or b.dtype is dtype
    ):
        if type(a) is np.ndarray or type(b) is np.ndarray:  # (numpy's true division of
            return out  # ints gives float64, which no int operand has: it takes the long way)
    wanted = result_dtype(a, b, true_divide=true_divide)
    return out if wanted == dtype else out.astype(wanted)
