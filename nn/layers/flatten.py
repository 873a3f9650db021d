"""``Flatten``: merge dims ``start_dim..end_dim`` into one, PyTorch's ``nn.Flatten``; and its
inverse ``Unflatten``: split one dim into several."""

from __future__ import annotations

import math

from autograd import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Merge dims ``start_dim..end_dim`` (inclusive) of the input into one.

    The defaults (``start_dim=1, end_dim=-1``) keep the batch dim: ``(N, C, H, W)`` becomes
    ``(N, C * H * W)``, what a conv net hands to its ``Linear`` head. (``torch.flatten`` and
    ``nn.functional.flatten`` start at dim 0.)

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> x = autograd.zeros(8, 3, 4, 4)
    >>> nn.Flatten()(x).shape, nn.Flatten(0, 1)(x).shape
    ((8, 48), (24, 4, 4))
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return F.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` of the input into the dims ``unflattened_size``.

    Parameters
    ----------
    dim : int
        The dim to split (negative counts from the end).
    unflattened_size : tuple or list of int
        The sizes it becomes; their product must be the dim's size (one of them may be -1, to
        be inferred).

    Shape: input ``(*, S, *)`` with ``S`` at ``dim``, output ``(*, U1, ..., Un, *)``.

    Examples
    --------
    >>> import autograd
    >>> Unflatten(1, (2, 5))(autograd.zeros(3, 10)).shape
    (3, 2, 5)
    """

    def __init__(self, dim: int, unflattened_size: tuple | list) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                "unflattened_size must be a tuple of ints, but found type "
                f"{type(unflattened_size).__name__}"
            )
        for index, size in enumerate(unflattened_size):
            if not isinstance(size, int):
                raise TypeError(
                    "unflattened_size must be tuple of ints, but found element of type "
                    f"{type(size).__name__} at pos {index}"
                )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


def unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """``input`` with dim ``dim`` split into ``sizes`` (torch's ``Tensor.unflatten``): a reshape."""
    shape = input.shape
    if not -len(shape) <= dim < len(shape):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-len(shape)}, "
            f"{len(shape) - 1}], but got {dim})"
        )
    dim %= len(shape)
    sizes = tuple(sizes)
    known = math.prod(s for s in sizes if s != -1)
    inferred = sizes.count(-1)
    if (
        inferred > 1
        or (inferred == 0 and known != shape[dim])
        or (inferred == 1 and (known == 0 or shape[dim] % known))
    ):
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
            f"({shape[dim]}) in the input tensor"
        )
    return input.reshape(shape[:dim] + sizes + shape[dim + 1 :])
