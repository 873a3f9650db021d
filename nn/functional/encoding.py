"""``one_hot``: class indices as rows of zeros with a single one."""

from __future__ import annotations

import numpy as np

from autograd import Tensor

__all__ = ["one_hot"]


def one_hot(tensor, num_classes: int = -1) -> Tensor:
    """An int64 Tensor of shape ``tensor.shape + (num_classes,)``, 1 at each index, else 0.

    ``tensor`` holds non-negative integer class indices (a Tensor or an array). With
    ``num_classes=-1`` the number of classes is one more than the largest index.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.one_hot(autograd.tensor([0, 2, 1]))
    tensor([[1, 0, 0],
            [0, 0, 1],
            [0, 1, 0]])
    >>> F.one_hot(autograd.tensor([1]), num_classes=4)
    tensor([[0, 1, 0, 0]])
    """
    indices = tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if indices.dtype.kind not in "iu":
        raise ValueError(
            f"one_hot is only applicable to index tensor of type LongTensor. Got dtype "
            f"{indices.dtype}; convert it with .long()"
        )
    if num_classes == -1:
        if indices.size == 0:
            raise ValueError(
                "Can not infer total number of classes from empty tensor. Pass num_classes."
            )
        num_classes = int(indices.max()) + 1
    elif num_classes < 0:
        raise ValueError(f"one_hot: num_classes must be -1 or non-negative, got {num_classes}")
    if indices.size:
        low, high = int(indices.min()), int(indices.max())
        if low < 0:
            raise ValueError(f"Class values must be non-negative. Got {low}.")
        if high >= num_classes:
            raise ValueError(
                f"Class values must be smaller than num_classes. Got {high} for "
                f"num_classes={num_classes}."
            )
    classes = np.arange(num_classes, dtype=indices.dtype)
    return Tensor(indices[..., None] == classes, dtype=np.int64)
