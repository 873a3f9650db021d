"""What every layer's constructor shares: torch's ``device``/``dtype`` arguments, size checks,
the legacy loss arguments, and ``_single``/``_pair`` (an int or a sequence, as a tuple)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np


def float_dtype(dtype, device, layer: str) -> np.dtype:
    """The dtype of a layer's new parameters: float32 unless given; ``device`` must be the CPU.

    ``dtype`` is anything ``np.dtype`` reads (``np.float64``, ``"float64"``) and must be a
    floating type, as torch requires of a parameter that is to be trained.
    """
    if device is not None and str(device) != "cpu":
        raise ValueError(
            f"{layer}: device {device!r} is not available: chainrule computes with numpy on the "
            "CPU; leave device=None (or 'cpu')"
        )
    if dtype is None:
        return np.dtype(np.float32)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"{layer}: dtype must be a numpy floating dtype such as np.float32 or 'float64', got "
            f"{dtype!r}"
        ) from None
    if dtype.kind != "f":
        raise TypeError(
            f"{layer}: parameters need a floating point dtype (np.float32 or np.float64), got "
            f"{dtype}"
        )
    return dtype


def check_size(layer: str, name: str, value, positive: bool = False) -> int:
    """``value`` as an int, checked: a non-negative (or positive) whole number."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{layer}: {name} must be an int, got {value!r}")
    if value < 0 or (positive and value == 0):
        what = "a positive" if positive else "a non-negative"
        raise ValueError(f"{layer}: {name} must be {what} int, got {value}")
    return int(value)


def _ntuple(n: int):
    def parse(x) -> tuple:
        if isinstance(x, Iterable) and not isinstance(x, str):
            return tuple(x)
        return (x,) * n

    return parse


_single = _ntuple(1)
_pair = _ntuple(2)


def legacy_reduction(size_average, reduce, reduction: str) -> str:
    """torch's pre-1.0 ``size_average``/``reduce`` arguments turned into a ``reduction``.

    Either one given (not None) overrides ``reduction``, with torch's deprecation warning.
    """
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        reduction = "mean"
    elif reduce:
        reduction = "sum"
    else:
        reduction = "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
        "instead.",
        UserWarning,
        stacklevel=3,
    )
    return reduction
