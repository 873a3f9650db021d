"""Gradient clipping, PyTorch's ``clip_grad_norm_`` and ``clip_grad_value_``.

Both change the gradients in place (``p.grad``'s array for a Tensor, ``p.grad`` for a scalar
``Value``), outside the graph, and skip parameters without a gradient. They work on any iterable
of parameters (a generator such as ``model.parameters()`` is read once) or on one Tensor.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from autograd import Tensor
from autograd import parameters as protocol

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _parameter_list(params) -> list:
    if isinstance(params, Tensor) or protocol.is_scalar(params):
        return [params]
    if not isinstance(params, Iterable):
        raise TypeError(
            f"expected a Tensor or an iterable of parameters (such as model.parameters()), got "
            f"{type(params).__name__}"
        )
    return list(params)


def _check_foreach(foreach) -> None:
    if foreach not in (None, True, False):
        raise TypeError(f"foreach must be None or a bool, got {foreach!r}")


def _vector_norm(array: np.ndarray, norm_type: float) -> np.ndarray:
    """``torch.linalg.vector_norm(array, norm_type)`` of all the entries, in the array's dtype."""
    magnitudes = np.abs(array)
    if norm_type == np.inf:
        return magnitudes.max(initial=0).astype(array.dtype)
    if norm_type == -np.inf:
        return magnitudes.min(initial=np.inf).astype(array.dtype)
    if norm_type == 0:
        return np.asarray(np.count_nonzero(array), dtype=array.dtype)
    if norm_type == 1:
        return magnitudes.sum(dtype=array.dtype)
    if norm_type == 2:
        return np.sqrt((magnitudes * magnitudes).sum(dtype=array.dtype))
    return (magnitudes**norm_type).sum(dtype=array.dtype) ** (1.0 / norm_type)


def clip_grad_norm_(
    parameters: Tensor | Iterable,
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale the gradients so that their joint norm is at most ``max_norm``; return that norm.

    The total norm is the ``norm_type``-norm of all the gradients' entries taken together (the
    norm of the per-parameter norms, as torch computes it). Each gradient is multiplied by
    ``min(max_norm / (total_norm + 1e-6), 1)``, in place.

    Parameters
    ----------
    parameters : Tensor or iterable of parameters
        Those whose ``grad`` is clipped (parameters without a gradient are skipped).
    max_norm : float
        The largest norm the gradients keep.
    norm_type : float or "inf"
        The p of the p-norm (default 2); ``inf`` (or ``"inf"``) is the largest magnitude.
    error_if_nonfinite : bool
        Raise (torch's ``RuntimeError``) when the total norm is nan or infinite, instead of
        scaling by it (default False).
    foreach : bool or None
        Accepted for torch's signature; every path here is the same loop over numpy arrays.

    Returns
    -------
    Tensor
        The total norm before clipping, a 0-d Tensor in the gradients' dtype (float32 0.0 when
        no parameter has a gradient).

    Examples
    --------
    >>> import autograd
    >>> w = autograd.tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()  # gradient (6, 8), norm 10
    >>> clip_grad_norm_([w], max_norm=5.0).item()
    10.0
    >>> [round(g, 4) for g in w.grad.tolist()]
    [3.0, 4.0]
    """
    _check_foreach(foreach)
    params = _parameter_list(parameters)
    norm_type = float(norm_type)
    max_norm = float(max_norm)
    grads = [(p, g) for p in params if (g := _gradient_array(p)) is not None]
    if not grads:
        return Tensor(np.array(0.0, dtype=np.float32))
    norms = [_vector_norm(g, norm_type) for _, g in grads]
    dtype = norms[0].dtype  # torch stacks the norms: the first one's dtype leads
    total = _vector_norm(np.stack([n.astype(dtype) for n in norms]), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    with np.errstate(divide="ignore", invalid="ignore"):  # an infinite norm gives nan, as torch
        coefficient = np.minimum(dtype.type(max_norm) / (total + dtype.type(1e-6)), 1.0)
        for param, grad in grads:
            grad *= coefficient.astype(grad.dtype)
            _write_back(param, grad)
    return Tensor(np.asarray(total, dtype=dtype))


def clip_grad_value_(
    parameters: Tensor | Iterable, clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient entry into ``[-clip_value, clip_value]``, in place.

    Parameters
    ----------
    parameters : Tensor or iterable of parameters
        Those whose ``grad`` is clipped (parameters without a gradient are skipped).
    clip_value : float
        The largest magnitude an entry keeps.
    foreach : bool or None
        Accepted for torch's signature.

    Examples
    --------
    >>> import autograd
    >>> w = autograd.tensor([1.0, -2.0, 3.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> clip_grad_value_([w], 2.5)
    >>> w.grad.tolist()
    [2.0, -2.5, 2.5]
    """
    _check_foreach(foreach)
    clip_value = float(clip_value)
    for param in _parameter_list(parameters):
        grad = _gradient_array(param)
        if grad is None:
            continue
        np.clip(grad, -clip_value, clip_value, out=grad)
        _write_back(param, grad)


def _gradient_array(param) -> np.ndarray | None:
    """The gradient's array to change in place: a Tensor's own, a writable copy for a Value."""
    grad = protocol.grad_array(param)
    if grad is not None and not grad.flags.writeable:
        protocol.assign_grad(param, grad)  # a fresh, writable copy of the same numbers
        grad = protocol.grad_array(param)
    return grad


def _write_back(param, grad: np.ndarray) -> None:
    if protocol.is_scalar(param):  # a Value's gradient is a float: its array was a copy
        protocol.assign_grad(param, grad)
