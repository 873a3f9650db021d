"""A model's parameters as one vector and back: ``parameters_to_vector``, ``vector_to_parameters``.

PyTorch's functions, as used by second-order methods and evolution strategies that treat the
whole model as one point in parameter space.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from autograd import Tensor, cat
from autograd import parameters as protocol

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and joined into one vector, in the order given.

    Differentiable, as torch's: the vector is ``cat([p.reshape(-1) for p in parameters])``.

    Parameters
    ----------
    parameters : iterable of Tensor
        Usually ``model.parameters()``.

    Returns
    -------
    Tensor
        Shape ``(total number of entries,)``.

    Examples
    --------
    >>> import nn
    >>> parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    pieces = []
    for index, param in enumerate(parameters):
        if not isinstance(param, Tensor):
            raise TypeError(
                f"parameters_to_vector: parameter {index} is a {type(param).__name__}; it takes "
                "Tensors (nn.Parameter), as torch does"
            )
        pieces.append(param.reshape(-1))
    if not pieces:
        raise RuntimeError(
            "torch.cat(): expected a non-empty list of Tensors: parameters_to_vector got no "
            "parameters"
        )
    return cat(pieces)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters, each reshaped to its shape.

    The inverse of ``parameters_to_vector``. The numbers are copied into each parameter's own
    array (cast to its dtype), so optimizers and views holding the parameters stay valid; torch
    instead makes each parameter a view of ``vec``. Entries of ``vec`` beyond the parameters'
    total are ignored, as in torch.

    Parameters
    ----------
    vec : Tensor
        Shape ``(n,)`` with n at least the parameters' total number of entries.
    parameters : iterable of Tensor
        The parameters to overwrite, in the order ``parameters_to_vector`` used.

    Examples
    --------
    >>> import autograd, nn
    >>> layer = nn.Linear(3, 2)
    >>> vector_to_parameters(autograd.zeros(8), layer.parameters())
    >>> layer.bias.tolist()
    [0.0, 0.0]
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    flat = vec.data.reshape(-1)
    params = list(parameters)
    total = sum(_numel(p) for p in params)
    if total > flat.size:
        raise RuntimeError(
            f"vector_to_parameters: the vector has {flat.size} entries but the parameters need "
            f"{total}; pass parameters_to_vector(...) of the same parameters"
        )
    pointer = 0
    for param in params:
        count = _numel(param)
        piece = flat[pointer : pointer + count].reshape(protocol.shape(param))
        protocol.assign_data(param, np.array(piece))
        pointer += count


def _numel(param) -> int:
    if not protocol.is_node(param):
        raise TypeError(
            f"vector_to_parameters: expected parameters (Tensors), got {type(param).__name__}"
        )
    return protocol.numel(param)
