"""Argument checks shared by the functional operations: clear errors for common mistakes."""

from __future__ import annotations

import numpy as np

from autograd import Tensor


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
