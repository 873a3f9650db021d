"""Loss layers, PyTorch's: ``MSELoss``, ``L1Loss``, ``BCELoss``, ``BCEWithLogitsLoss``,
``CrossEntropyLoss``, ``NLLLoss`` and ``HingeEmbeddingLoss``.

Each stores its settings and calls its ``nn.functional`` namesake: ``loss = criterion(input,
target)``. ``reduction`` is ``"mean"`` (the default), ``"sum"`` or ``"none"``. The constructors
take torch's arguments in torch's order, the deprecated ``size_average`` and ``reduce``
included (either one given overrides ``reduction``, with torch's warning). A class ``weight``
(and ``BCEWithLogitsLoss``'s ``pos_weight``) is a buffer, as in torch: it follows the model
into its state dict.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from .. import functional as F
from ..module import Module
from ._factory import legacy_reduction

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HingeEmbeddingLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
]

_REDUCTIONS = ("mean", "sum", "none")


def _buffer(value, name: str, loss: str) -> Tensor | None:
    """A weight given as a Tensor (kept), an ndarray or a list (made a Tensor), or None."""
    if value is None or isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"{loss}: {name} must be a Tensor (or an array of numbers), got {type(value).__name__}"
        )
    return Tensor(array if array.dtype.kind == "f" else array.astype(np.float32))


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        reduction = legacy_reduction(size_average, reduce, reduction)
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"{reduction} is not a valid value for reduction; use 'mean', 'sum' or 'none'"
            )
        self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(
        self, weight=None, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _buffer(weight, "weight", type(self).__name__))


class MSELoss(_Loss):
    """The mean squared error: ``(input - target)^2`` per element, reduced.

    ``input`` and ``target`` have the same shape; ``reduction="none"`` keeps it.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.MSELoss()(autograd.tensor([1.0, 2.0]), autograd.tensor([2.0, 4.0]))
    tensor(2.5000)
    >>> nn.MSELoss(reduction='sum')(autograd.tensor([1.0, 2.0]), autograd.tensor([2.0, 4.0]))
    tensor(5.)
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """The mean absolute error: ``|input - target|`` per element, reduced.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.L1Loss()(autograd.tensor([1.0, 2.0]), autograd.tensor([2.0, 4.0]))
    tensor(1.5000)
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """The binary cross-entropy of probabilities ``input`` (in [0, 1]) and targets in [0, 1].

    ``-weight * (t log x + (1 - t) log(1 - x))`` per element, each log clamped to ``>= -100``.
    ``weight`` (optional) broadcasts to the input's shape. For logits, ``BCEWithLogitsLoss``
    is the stable choice.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> loss = nn.BCELoss()
    >>> p = autograd.tensor([0.8, 0.3], dtype=autograd.float64)
    >>> loss(p, autograd.tensor([1.0, 0.0], dtype=autograd.float64))
    tensor(0.2899, dtype=float64)
    """

    def __init__(
        self, weight=None, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)

    def forward(self, input: Tensor, target) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """The binary cross-entropy of ``sigmoid(input)`` and ``target``, stable at any logit.

    ``weight`` (optional) broadcasts to the input's shape; ``pos_weight`` (optional, e.g. one
    per class along the last dim) weighs the positive term. Both are buffers.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> loss = nn.BCEWithLogitsLoss()
    >>> logits = autograd.tensor([0.0, 100.0], dtype=autograd.float64)
    >>> loss(logits, autograd.tensor([1.0, 1.0], dtype=autograd.float64))
    tensor(0.3466, dtype=float64)
    """

    def __init__(
        self,
        weight=None,
        size_average=None,
        reduce=None,
        reduction: str = "mean",
        pos_weight=None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _buffer(weight, "weight", "BCEWithLogitsLoss"))
        self.register_buffer("pos_weight", _buffer(pos_weight, "pos_weight", "BCEWithLogitsLoss"))

    def forward(self, input: Tensor, target) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class NLLLoss(_WeightedLoss):
    """The negative log-likelihood of log-probabilities ``input`` ``(N, C)`` (or ``(C,)``, or
    ``(N, C, d1, ...)``) at class indices ``target`` ``(N,)`` (int64).

    ``weight`` (optional, shape ``(C,)``) weighs each class, and the mean divides by the
    targets' total weight; targets equal to ``ignore_index`` count for nothing.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> logp = autograd.tensor([[0.0, -100.0], [-100.0, 0.0]], dtype=autograd.float64)
    >>> nn.NLLLoss()(logp, autograd.tensor([0, 0]))
    tensor(50., dtype=float64)
    """

    def __init__(
        self,
        weight=None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target) -> Tensor:
        return F.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class CrossEntropyLoss(_WeightedLoss):
    """The cross-entropy of logits ``input`` ``(N, C)`` (or ``(C,)``, or ``(N, C, d1, ...)``)
    and ``target``: class indices ``(N,)`` (int64) or class probabilities shaped as ``input``.

    ``nll_loss(log_softmax(input, 1), target)``: it takes raw logits, not probabilities.
    ``weight`` (optional, ``(C,)``) and ``ignore_index`` as ``NLLLoss``;
    ``label_smoothing`` in [0, 1] mixes the target with the uniform distribution over the C
    classes.

    Examples
    --------
    >>> criterion = CrossEntropyLoss()
    >>> logits = Tensor(np.zeros((4, 3), dtype=np.float32), requires_grad=True)
    >>> round(float(criterion(logits, np.array([0, 1, 2, 1]))), 4)  # log(3)
    1.0986
    """

    def __init__(
        self,
        weight=None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class HingeEmbeddingLoss(_Loss):
    """torch's hinge embedding loss for targets of 1 and -1: ``x`` where the target is 1,
    ``max(0, margin - x)`` where it is -1, reduced.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> loss = nn.HingeEmbeddingLoss(margin=1.0)
    >>> loss(autograd.tensor([0.3, 0.3]), autograd.tensor([1.0, -1.0]))
    tensor(0.5000)
    """

    def __init__(
        self, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target) -> Tensor:
        return F.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)
