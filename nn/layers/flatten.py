"""``Flatten``: merge dims ``start_dim..end_dim`` into one, PyTorch's ``nn.Flatten``."""

from __future__ import annotations

from autograd import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["Flatten"]


class Flatten(Module):
    """Merge dims ``start_dim..end_dim`` (inclusive) of the input into one.

    The defaults (``start_dim=1, end_dim=-1``) keep the batch dim: ``(N, C, H, W)`` becomes
    ``(N, C * H * W)``, what a conv net hands to its ``Linear`` head. (``torch.flatten`` and
    ``nn.functional.flatten`` start at dim 0.)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return F.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
