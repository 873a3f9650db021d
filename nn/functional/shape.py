"""``flatten``: merge a run of dimensions into one (what feeds a conv net's linear head)."""

from __future__ import annotations

from autograd import Tensor

from ._checks import tensor

__all__ = ["flatten"]


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dims ``start_dim..end_dim`` (inclusive) merged into one, as ``torch.flatten``.

    ``flatten(x, 1)`` turns (N, C, H, W) into (N, C*H*W). ``nn.Flatten`` starts at dim 1 by
    default; this function, like ``torch.flatten``, at dim 0.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.flatten(autograd.zeros(2, 3, 4), 1).shape
    (2, 12)
    """
    return tensor("flatten", input).flatten(start_dim, end_dim)
