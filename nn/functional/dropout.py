"""``dropout``: zero a random fraction ``p`` of the elements while training (inverted dropout)."""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from ._checks import tensor

__all__ = ["dropout"]


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Each element zeroed with probability ``p``, the others scaled by ``1 / (1 - p)``.

    The scaling keeps every element's expected value, so evaluation needs no correction:
    with ``training=False`` (or ``p=0``) the input is returned as it is. ``p=1`` gives zeros.
    The mask is drawn from the global stream, so ``autograd.manual_seed`` (or
    ``np.random.seed``, the same call) makes it repeatable;
    the gradient flows through the kept elements, scaled alike.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> _ = autograd.manual_seed(0)
    >>> y = F.dropout(autograd.ones(1000), p=0.2)
    >>> sorted(set(y.tolist())), F.dropout(autograd.ones(2), training=False)
    ([0.0, 1.25], tensor([1., 1.]))
    """
    x = tensor("dropout", input)
    if not 0.0 <= p <= 1.0:  # also rejects nan
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x
    keep = 1.0 - p
    mask = np.random.random_sample(x.shape) < keep
    scale = 0.0 if keep == 0.0 else 1.0 / keep
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    return x * Tensor(mask * np.asarray(scale, dtype=dtype), dtype=dtype)
