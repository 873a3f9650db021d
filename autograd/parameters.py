"""The parameter protocol: one surface over the two kinds of trainable leaf, in numpy arrays.

A model's parameters are scalar Values (micrograd's: a Python float in ``data``, a float
``grad`` that is 0.0 until a backward pass adds to it) or Tensors (``nn.Parameter``: an
ndarray in ``data``, ``grad`` a Tensor of the same shape or None). Everything above ``autograd``
that reads or writes parameters (``Module`` state dicts, the optimizers, ``nn.fit``, ``viz``)
goes through the functions here, so scalar and tensor models share one code path. This module is
the only place that tells the two kinds apart.

In array terms a ``Value`` is a parameter of shape ``()`` and dtype float64:

====================  ========================================  ===============================
function              Tensor                                    Value
====================  ========================================  ===============================
``shape``/``numel``   ``data.shape``, ``data.size``             ``()``, 1
``data_array``        ``data`` itself: writes reach the Tensor  a new 0-d float64 array
``assign_data``       copied into ``data`` in place, cast       ``data = float(array)``
``grad_array``        ``grad.data``; None without a gradient    ``grad``: a 0-d float64 array
``assign_grad``       ``grad = Tensor(array)``; None clears     ``grad = float(array)``; None: 0
``zero_grad``         ``grad`` None, or zeroed in place         ``grad = 0.0``
``detach``            ``detach()``: shares ``data``             a new 0-d float64 Tensor
====================  ========================================  ===============================

A Python float has no storage to share, so a Value's array is a copy: code that updates a
parameter through ``data_array`` writes the result back with ``assign_data`` (which does nothing
when given a Tensor's own array)::

    array = data_array(p)
    array -= lr * grad_array(p)
    assign_data(p, array)
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

from . import versions
from .tensor import Tensor
from .value import Value

__all__ = [
    "Trainable",
    "assign_data",
    "assign_grad",
    "astype_",
    "data_array",
    "detach",
    "dtype",
    "grad_array",
    "is_leaf",
    "is_node",
    "is_scalar",
    "numel",
    "requires_grad_",
    "retains_grad",
    "shape",
    "zero_grad",
]

Trainable: TypeAlias = Value | Tensor  # a parameter: a Value, or a Tensor such as nn.Parameter

_FLOAT64 = np.dtype(np.float64)


def is_node(obj: object) -> bool:
    """True for a ``Value`` or a ``Tensor``: a node of the graph, and so a possible parameter."""
    return isinstance(obj, (Value, Tensor))


def is_scalar(obj: object) -> bool:
    """True for a scalar ``Value`` (micrograd's kind: one Python float, shape ``()``).

    Models made of them take one sample at a time, as lists of Values, where a tensor model
    takes a batch in one array.
    """
    return isinstance(obj, Value)


def shape(param: Trainable) -> tuple[int, ...]:
    """The parameter's shape: ``()`` for a Value."""
    return () if isinstance(param, Value) else param.data.shape


def numel(param: Trainable) -> int:
    """How many numbers the parameter holds: 1 for a Value."""
    return 1 if isinstance(param, Value) else int(param.data.size)


def dtype(param: Trainable) -> np.dtype:
    """The parameter's dtype: float64 for a Value (a Python float)."""
    return _FLOAT64 if isinstance(param, Value) else param.data.dtype


def data_array(param: Trainable) -> np.ndarray:
    """The parameter's numbers as an array of its shape and dtype.

    For a Tensor this is ``param.data`` itself, so in-place writes update the parameter; for a
    Value it is a new 0-d float64 array (write it back with ``assign_data``).
    """
    if isinstance(param, Value):
        return np.array(param.data, dtype=np.float64)
    return param.data


def assign_data(param: Trainable, array) -> None:
    """Write ``array`` (of the parameter's shape) into the parameter, in place.

    A Tensor keeps its array object (views of it and optimizers holding it stay valid); the
    numbers are cast to its dtype. A Value gets ``float(array)``. Given a Tensor's own ``data``
    (from ``data_array``, already updated in place) nothing is copied. Either way a Tensor's
    version goes up, as for any in-place operation: a backward through a graph that saved the
    old values raises instead of using the new ones.
    """
    if isinstance(param, Value):
        param.data = float(array)
        return
    if array is not param.data:
        np.copyto(param.data, array, casting="unsafe")
    versions.bump(param)  # an in-place change: a graph that saved the old values must not run


def grad_array(param: Trainable) -> np.ndarray | None:
    """The parameter's gradient as an array, or None when it has none.

    A Tensor without a gradient (``grad`` None: no backward reached it, or it was zeroed with
    ``set_to_none``) gives None; otherwise ``grad.data`` itself (not a copy). A Value always has
    a gradient (0.0 before any backward): a new 0-d float64 array.
    """
    if isinstance(param, Value):
        return np.array(param.grad, dtype=np.float64)
    grad = param.grad
    if grad is None:
        return None
    return grad.data if isinstance(grad, Tensor) else np.asarray(grad)


def assign_grad(param: Trainable, grad) -> None:
    """Set the parameter's gradient to ``grad`` (an array of its shape), or clear it with None.

    A Tensor gets a new gradient Tensor holding a copy of ``grad`` in its own dtype (None clears
    it); a Value gets ``float(grad)`` (None sets 0.0, as a Value has no absent gradient).
    """
    if isinstance(param, Value):
        param.grad = 0.0 if grad is None else float(grad)
    elif grad is None:
        param.grad = None
    else:
        param.grad = Tensor._from_array(np.array(grad, dtype=param.data.dtype, copy=True))


def zero_grad(param: Trainable, set_to_none: bool = True) -> None:
    """Reset the parameter's gradient, as ``torch.optim.Optimizer.zero_grad`` does.

    A Tensor's gradient becomes None (``set_to_none``) or zeros: in place when it is a plain
    writable array, else a new zero Tensor (a gradient recorded by ``create_graph`` is replaced,
    not zeroed through its graph). A Value's gradient becomes 0.0.
    """
    if isinstance(param, Value):
        param.grad = 0.0
        return
    grad = param.grad
    if grad is None:
        return
    if set_to_none:
        param.grad = None
    elif (
        isinstance(grad, Tensor)
        and not grad.requires_grad
        and grad.grad_fn is None
        and grad.data.flags.writeable
    ):
        grad.data[...] = 0
    else:
        param.grad = Tensor._from_array(np.zeros_like(grad_array(param)))


def is_leaf(param: Trainable) -> bool:
    """True when the parameter was made by the user, not computed by an operation."""
    return not param.parents if isinstance(param, Value) else param.is_leaf


def retains_grad(param: Trainable) -> bool:
    """True for a computed Tensor that keeps its ``grad`` (``retain_grad()``); never a Value."""
    return not isinstance(param, Value) and param.retains_grad


def detach(param: Trainable) -> Tensor:
    """The parameter's numbers as a Tensor outside the graph (what a state dict holds).

    A Tensor's ``detach()`` shares its array, so it follows later updates; a Value gives a new
    0-d float64 Tensor holding its number now (a Python float has no storage to share).
    """
    if isinstance(param, Value):
        return Tensor(np.array(param.data, dtype=np.float64))
    return param.detach()


def requires_grad_(param: Trainable, requires_grad: bool = True) -> None:
    """Switch gradient recording of a Tensor parameter; a Value always records (no change)."""
    if not isinstance(param, Value):
        param.requires_grad_(requires_grad)


def astype_(param: Trainable, dtype) -> None:
    """Convert a floating Tensor's array (and its gradient) to ``dtype``, keeping the object.

    A Value (a Python float) and a Tensor of integers or booleans stay as they are.
    """
    if isinstance(param, Value) or param.data.dtype.kind != "f":
        return
    param.data = param.data.astype(dtype)
    if param.grad is not None:
        param.grad = Tensor._from_array(param.grad.data.astype(dtype))
