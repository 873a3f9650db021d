"""Argument checks shared by the functional operations: clear errors for common mistakes."""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from autograd.dtypes import scalar_type_name


def tensor(op: str, x, name: str = "input", position: int = 1) -> Tensor:
    """``x`` itself if it is a Tensor; otherwise torch's error for the call, with the fix."""
    if isinstance(x, Tensor):
        return x
    kind = type(x)
    kind = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    raise TypeError(
        f"{op}(): argument '{name}' (position {position}) must be Tensor, not {kind}; wrap it "
        "with Tensor(...)"
    )


def constant(x, dtype) -> Tensor:
    """A Tensor (used as it is), or an array-like made a Tensor of ``dtype`` (no gradient)."""
    if isinstance(x, Tensor):
        return x
    return Tensor(np.asarray(x), dtype=dtype)


def int_tuple(op: str, name: str, value, nd: int, minimum: int, range_error=None) -> tuple:
    """``value`` (an int or a sequence of ``nd`` ints, each >= ``minimum``) as ``nd`` ints.

    A value below ``minimum`` raises ``range_error(op, name, value, minimum)`` if given, else
    torch's convolution wording.
    """
    if type(value) is int and value >= minimum:  # the common case, first
        return (value,) * nd
    values = (value,) * nd if isinstance(value, (int, np.integer)) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    if (
        values is None
        or len(values) != nd
        or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values)
    ):
        raise TypeError(f"{op}(): {name} must be an int or a tuple of {nd} ints, got {value!r}")
    if any(v < minimum for v in values):
        if range_error is not None:
            raise range_error(op, name, value, minimum)
        what = "non-positive" if minimum == 1 else "negative"
        raise ValueError(f"{op}(): {what} {name} is not supported, got {value!r}")
    return tuple(int(v) for v in values)


torch_dtype_name = scalar_type_name  # torch's name of a dtype in its messages
