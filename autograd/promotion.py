"""Type promotion: the dtype PyTorch gives a binary operation, where numpy's differs.

numpy (2.x) already treats Python numbers as "weak" (``float32 array * 2.5`` stays float32).
PyTorch goes further, and its users rely on float32 staying float32:

- a tensor with dimensions outranks a 0-d tensor, which outranks a Python number: only a
  higher *category* (bool < int < float) from a lower rank changes the result, and then a
  number brings the default dtype (float32, int64) rather than float64;
- within one rank, the float dtype wins over ints without widening (int64 + float32 is
  float32);
- true division of integers gives the default float dtype, float32.
"""

from __future__ import annotations

import numpy as np

_DEFAULT = {0: np.dtype(np.bool_), 1: np.dtype(np.int64), 2: np.dtype(np.float32)}


def _category(dtype: np.dtype) -> int:
    return 2 if dtype.kind in "fc" else (0 if dtype.kind == "b" else 1)


def _promote(dtypes: list) -> np.dtype:
    """Promotion within one rank: the highest category wins, then numpy's rule within it."""
    top = max(_category(d) for d in dtypes)
    return np.result_type(*[d for d in dtypes if _category(d) == top])


def result_dtype(*operands, true_divide: bool = False) -> np.dtype:
    """The dtype of PyTorch's result for ``operands`` (ndarrays or Python/numpy numbers)."""
    ranked = ([], [], [])  # arrays with dimensions, 0-d arrays, numbers
    for x in operands:
        if isinstance(x, np.ndarray):
            ranked[0 if x.ndim else 1].append(x.dtype)
        else:
            ranked[2].append(np.asarray(x).dtype)
    result = None
    for rank, dtypes in enumerate(ranked):
        if not dtypes:
            continue
        candidate = _promote(dtypes)
        if result is None:
            result = candidate
        elif _category(candidate) > _category(result):
            result = candidate if rank == 1 else _DEFAULT[_category(candidate)]
    if true_divide and _category(result) < 2:
        result = _DEFAULT[2]
    return result


def match_torch_dtype(out: np.ndarray, a, b, true_divide: bool = False) -> np.ndarray:
    """Cast numpy's result ``out`` of ``a <op> b`` to PyTorch's result dtype if they differ.

    They can differ only when numpy chose float64 (cheap to test, so the common float32 path
    pays one comparison).
    """
    if out.dtype != np.float64:
        return out
    dtype = result_dtype(a, b, true_divide=true_divide)
    return out if dtype == out.dtype else out.astype(dtype)
