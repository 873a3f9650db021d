"""``Dropout``: zero a random fraction ``p`` of the elements while training, PyTorch's."""

from __future__ import annotations

from autograd import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """In training mode, each element zeroed with probability ``p``, the rest scaled by
    ``1 / (1 - p)``; in evaluation mode (``model.eval()``) the input unchanged.

    Parameters
    ----------
    p : float
        The probability of zeroing an element, in [0, 1] (default 0.5).
    inplace : bool
        Accepted for torch's signature and repr; the result is always a new Tensor (the input
        is never overwritten), with the same values as torch's in-place dropout.

    The mask comes from the global stream: ``autograd.manual_seed`` (``np.random.seed``)
    makes it repeatable.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> _ = autograd.manual_seed(0)
    >>> drop = nn.Dropout(0.5)
    >>> y = drop(autograd.ones(1000))
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    >>> drop.eval()(autograd.ones(3))
    tensor([1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0 <= p <= 1:  # also rejects nan
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
