"""Broadcasting: the one helper that sums a gradient back to the shape of its input.

When ``a`` of shape (3, 1) meets ``b`` of shape (4,), numpy stretches both to (3, 4). Each
stretched element of ``a`` was used several times, so its gradient is the sum over the copies:
sum over the leading dimensions ``a`` lacks, and over those where ``a`` had size 1.
"""

from __future__ import annotations

import numpy as np


def sum_to_shape(grad, shape: tuple):
    """Sum ``grad`` (a Tensor) over broadcast dimensions so that it has ``shape``."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    dims = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    if dims:
        grad = grad.sum(dim=dims, keepdim=True)
    return grad.reshape(shape)


def broadcast_error(op: str, *shapes: tuple) -> ValueError:
    """The error for operands whose shapes do not broadcast, naming every shape."""
    listed = " and ".join(str(tuple(s)) for s in shapes)
    return ValueError(
        f"{op}: shapes {listed} cannot be broadcast together; dimensions are compared from the "
        "right and must be equal or 1 (reshape or unsqueeze one operand)"
    )


def broadcast_shapes(op: str, *shapes: tuple) -> tuple:
    """numpy's broadcast shape, or an error that names the operation and the shapes."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise broadcast_error(op, *shapes) from None
