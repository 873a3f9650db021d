"""Loss functions, with ``torch.nn.functional``'s names, arguments and numerics.

Every loss takes ``reduction``: ``"mean"`` (the default), ``"sum"``, or ``"none"`` (the loss of
each element). Targets may be Tensors or numpy arrays; a numpy target is taken as a constant
in the input's dtype. Where torch would silently broadcast an input against a target of another
shape (``mse_loss`` of (N, 1) and (N,) is an (N, N) loss), these raise a ValueError naming both
shapes instead.

All losses are compositions of primitives, except two rules of their own, each tested against
its composition: ``binary_cross_entropy``, whose backward is torch's formula
``(x - t) / max(x (1 - x), 1e-12)`` (the derivative of its clamped logarithms would be ``0 / 0``
at inputs of exactly 0 or 1), and ``cross_entropy`` with class-index targets, one rule in place
of about ten primitives (``_cross_entropy_composed`` keeps the composition).
"""

from __future__ import annotations

import numpy as np

from autograd import Function, Tensor, where
from autograd.fused import register_fused
from autograd.rules import BCE_EPSILON, class_shape, table_backward

from ._checks import tensor
from .activation import logsigmoid

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_embedding_loss",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "svm_max_margin_loss",
]

_REDUCTIONS = ("mean", "sum", "none")


# -- shared checks and reductions -------------------------------------------------------------


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"{reduction} is not a valid value for reduction; use 'mean', 'sum' or 'none'"
        )


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _float_target(op: str, x: Tensor, target, name: str = "target") -> Tensor:
    """``target`` as a floating Tensor shaped as ``x``: a Tensor keeps its graph (and dtype,
    if floating); an array or a non-floating Tensor becomes a constant of ``x``'s dtype."""
    if isinstance(target, Tensor):
        t = target
        if t.dtype.kind not in "fiub":
            raise ValueError(f"{op}: {name} must hold numbers, got dtype {t.dtype}")
        if t.dtype.kind != "f":
            t = t.to(x.dtype)
    else:
        data = np.asarray(target)
        if data.dtype.kind not in "fiub":
            raise ValueError(
                f"{op}: {name} must be a Tensor or an array of numbers, got "
                f"{type(target).__name__} of dtype {data.dtype}"
            )
        t = Tensor(data, dtype=x.dtype)
    if t.shape != x.shape:
        raise ValueError(
            f"{op}: {name} shape {t.shape} differs from input shape {x.shape}; they must be "
            f"equal (torch would broadcast them to a loss of another shape, which is rarely "
            f"meant): reshape one, e.g. input.squeeze(-1) or {name}.reshape(input.shape)"
        )
    return t


def _broadcast_weight(op: str, name: str, weight, x: Tensor) -> Tensor:
    """A weight (Tensor or array) that broadcasts to ``x``'s shape without changing it."""
    w = weight if isinstance(weight, Tensor) else Tensor(np.asarray(weight), dtype=x.dtype)
    try:
        shape = np.broadcast_shapes(w.shape, x.shape)
    except ValueError:
        shape = None
    if shape != x.shape:
        raise ValueError(
            f"{op}: {name} of shape {w.shape} does not broadcast to the input's shape {x.shape}"
        )
    return w


# -- regression ---------------------------------------------------------------------------------


def _weighted(op: str, loss: Tensor, weight, reduction: str) -> Tensor:
    """torch's weighted form: ``weight * loss``, the mean divided by ``sum(weight)``."""
    if weight is None:
        return _reduce(loss, reduction)
    w = weight if isinstance(weight, Tensor) else Tensor(np.asarray(weight), dtype=loss.dtype)
    if w.shape != loss.shape:
        raise ValueError(
            f"Weights and input must have the same size. {op}: weight shape {w.shape}, input "
            f"shape {loss.shape}"
        )
    loss = loss * w
    if reduction == "mean":
        return loss.sum() / w.sum()
    return _reduce(loss, reduction)


def mse_loss(input: Tensor, target, *, reduction: str = "mean", weight=None) -> Tensor:
    """The squared error ``(input - target)^2``, reduced; ``target`` shaped as ``input``.

    ``weight`` (shaped as ``input``) multiplies each element's loss, and the mean is then
    divided by ``sum(weight)``, as in torch.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.mse_loss(autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 0.0]))
    tensor(2.5000)
    """
    x = tensor("mse_loss", input)
    _check_reduction(reduction)
    diff = x - _float_target("mse_loss", x, target)
    return _weighted("mse_loss", diff * diff, weight, reduction)


def l1_loss(input: Tensor, target, *, reduction: str = "mean", weight=None) -> Tensor:
    """The absolute error ``|input - target|``, reduced; arguments as ``mse_loss``.

    The gradient where input equals target is 0, as in torch.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.l1_loss(autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 0.0]))
    tensor(1.5000)
    """
    x = tensor("l1_loss", input)
    _check_reduction(reduction)
    return _weighted("l1_loss", (x - _float_target("l1_loss", x, target)).abs(), weight, reduction)


# -- binary classification ----------------------------------------------------------------------


class BinaryCrossEntropy(Function):
    """``-(t log x + (1 - t) log(1 - x))`` per element, each log clamped to ``>= -100``.

    A fused rule (registered below with its composition): its gradient in ``x`` is torch's
    ``(x - t) / max(x (1 - x), 1e-12)``, finite at ``x`` = 0 and 1, where the chain rule
    through the clamped logarithms gives ``0 / 0``.
    """

    op = "binary_cross_entropy"

    @staticmethod
    def forward(ctx, x, t):
        ctx.save_for_backward(x, t)
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x.data), -100)
            log_not_x = np.maximum(np.log1p(-x.data), -100)
        return (t.data - 1) * log_not_x - t.data * log_x


class BinaryCrossEntropyGrad(Function):
    """``BinaryCrossEntropy``'s gradient in ``x``, ``grad (x - t) / max(x (1 - x), 1e-12)``
    (torch's), as a node with its own derivative, so that second derivatives are exact.

    The exact second derivative is ``t / x² + (1 - t) / (1 - x)²``. Differentiating the clamped
    quotient instead gives ``1 / 1e-12 = 1e12`` wherever the clamp holds (``x`` = 0 or 1, or
    within 1e-12 of them), even where the exact value is 1 (``x = t = 0``). torch's double
    backward, ``(x² - 2xt + t) / ((x + ε)² (1 - x + ε)²)``, is wrong there the other way: its
    numerator cancels to 0 at ``x = t = 0`` (exact: 1) and it gives 0.0083 at ``x = 1e-13,
    t = 0`` (exact: 1.0). Here each term is clamped on its own, ``t / max(x, ε)² + (1 - t) /
    max(1 - x, ε)²`` with torch's ``ε = 1e-12``: exact wherever it is finite, and torch's
    ``1e24`` where the exact value is infinite (``x = 0, t > 0``).
    """

    op = "binary_cross_entropy_backward"

    @staticmethod
    def forward(ctx, grad, x, t):
        ctx.save_for_backward(grad, x, t)
        return grad.data * (x.data - t.data) / np.maximum((1 - x.data) * x.data, BCE_EPSILON)


# the derivatives (rules.py): the gradient in x is the node BinaryCrossEntropyGrad, which is
# linear in its first argument and so is its own derivative there
BinaryCrossEntropy.backward = table_backward("binary_cross_entropy", slope=BinaryCrossEntropyGrad)
BinaryCrossEntropyGrad.backward = table_backward(
    "binary_cross_entropy_backward", slope=BinaryCrossEntropyGrad
)


def _binary_cross_entropy_composed(x: Tensor, t: Tensor) -> Tensor:
    """``BinaryCrossEntropy`` from primitives (without the clamps, so for x inside (0, 1))."""
    return -(t * x.log() + (1 - t) * (1 - x).log())


def _binary_cross_entropy_example(rng) -> tuple:
    x = Tensor(rng.uniform(0.05, 0.95, (3, 4)), requires_grad=True)
    return (x, Tensor(rng.uniform(0, 1, (3, 4)), requires_grad=True)), {}


register_fused(
    "binary_cross_entropy",
    fused=BinaryCrossEntropy.apply,
    reference=_binary_cross_entropy_composed,
    example=_binary_cross_entropy_example,
    functions=(BinaryCrossEntropy, BinaryCrossEntropyGrad),
)


def binary_cross_entropy(input: Tensor, target, weight=None, *, reduction: str = "mean") -> Tensor:
    """The binary cross-entropy of probabilities ``input`` (in [0, 1]) and ``target``.

    ``-w (t log x + (1 - t) log(1 - x))`` per element, each log clamped to ``>= -100`` (so
    ``x`` = 0 or 1 gives at most 100, as in torch). ``weight`` broadcasts to the input's
    shape. For logits, ``binary_cross_entropy_with_logits`` is the stable choice.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> p = autograd.tensor([0.9, 0.2], dtype=autograd.float64)
    >>> F.binary_cross_entropy(p, autograd.tensor([1.0, 0.0], dtype=autograd.float64))
    tensor(0.1643, dtype=float64)
    """
    x = tensor("binary_cross_entropy", input)
    _check_reduction(reduction)
    t = _float_target("binary_cross_entropy", x, target)
    with np.errstate(invalid="ignore"):
        outside = ~((x.data >= 0) & (x.data <= 1))  # NaN is outside too, as in torch
    if outside.any():
        bad = x.data[outside]
        raise ValueError(
            f"binary_cross_entropy: all elements of input should be between 0 and 1, got "
            f"{bad.size} outside (e.g. {bad.flat[0]}); pass probabilities (input.sigmoid()), "
            "or logits to binary_cross_entropy_with_logits"
        )
    loss = BinaryCrossEntropy.apply(x, t)
    if weight is not None:
        loss = loss * _broadcast_weight("binary_cross_entropy", "weight", weight, x)
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor, target, weight=None, *, reduction: str = "mean", pos_weight=None
) -> Tensor:
    """The binary cross-entropy of ``sigmoid(input)`` and ``target``, stable at any logit.

    Per element, ``(1 - t) x - l log sigmoid(x)`` with ``l = (pos_weight - 1) t + 1`` (1 without
    ``pos_weight``), and ``log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|))``: finite loss and
    gradient at logits of ±1000. ``weight`` broadcasts to the input's shape; ``pos_weight``
    (e.g. one per class, the last dim) weighs the positive term.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> z = autograd.tensor([-1000.0, 0.0], dtype=autograd.float64)
    >>> F.binary_cross_entropy_with_logits(z, autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor(0.3466, dtype=float64)
    """
    x = tensor("binary_cross_entropy_with_logits", input)
    _check_reduction(reduction)
    op = "binary_cross_entropy_with_logits"
    t = _float_target(op, x, target)
    log_sigmoid = logsigmoid(x)
    if pos_weight is not None:
        p = _broadcast_weight(op, "pos_weight", pos_weight, x)
        log_sigmoid = log_sigmoid * ((p - 1) * t + 1)
    loss = (1 - t) * x - log_sigmoid
    if weight is not None:
        loss = loss * _broadcast_weight(op, "weight", weight, x)
    return _reduce(loss, reduction)


# -- classification over C classes ----------------------------------------------------------------


def _class_weight(op: str, weight, classes: int, dtype) -> np.ndarray | None:
    if weight is None:
        return None
    w = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
    if w.shape != (classes,):
        raise ValueError(
            f"{op}: weight tensor should be defined either for all {classes} classes or no "
            f"classes but got weight tensor of shape: {list(w.shape)}"
        )
    return w.astype(dtype, copy=False)


def _batched(op: str, x: Tensor) -> Tensor:
    """``x`` with its class dim at 1: (C,) becomes (1, C); (N, C, *) stays as it is."""
    if x.ndim == 0:
        raise ValueError(
            f"{op}: input must have a class dim: shape (C,), (N, C) or (N, C, d1, ...), got a "
            "0-d tensor"
        )
    return x.reshape(1, -1) if x.ndim == 1 else x


def _class_indices(op: str, shape: tuple, target, ignore_index: int) -> np.ndarray:
    """The int64 class indices of ``target`` for an input of ``shape``, checked, batched as
    ``_batched`` batches the input."""
    data = target.data if isinstance(target, Tensor) else np.asarray(target)
    if data.dtype.kind not in "iu":
        raise ValueError(
            f"{op}: target must hold class indices of an integer dtype (int64), got dtype "
            f"{data.dtype}; convert it with .long() or .astype(np.int64)"
        )
    unbatched = len(shape) == 1
    expected = () if unbatched else shape[:1] + shape[2:]
    if data.shape != expected:
        raise ValueError(
            f"{op}: a class-index target must have shape {expected} (the input's shape "
            f"{shape} without the class dim {0 if unbatched else 1}), got shape {data.shape}"
        )
    data = data.astype(np.int64, copy=False)
    classes = shape[0 if unbatched else 1]
    bad = (data != ignore_index) & ((data < 0) | (data >= classes))
    if bad.any():
        index = int(data[bad].flat[0])
        raise ValueError(
            f"{op}: Target {index} is out of bounds: class indices must lie in [0, {classes}) "
            f"for an input with C={classes} classes, or equal ignore_index={ignore_index}"
        )
    return data.reshape(1) if unbatched else data


def _class_targets(indices: np.ndarray, weight, ignore_index: int, dtype) -> tuple:
    """What both cross-entropies (the fused rule and the composition) make of class targets.

    Returns ``keep`` (False where a target equals ``ignore_index``; None when none does),
    ``safe`` (the indices with ignored ones at 0, safe to index with) and ``target_weight``
    (each target's class weight, 1 without weights, 0 where ignored), all shaped as ``indices``.
    """
    ignored = indices == ignore_index
    if not ignored.any():
        if weight is None:
            return None, indices, np.ones(indices.shape, dtype)
        return None, indices, weight[indices].astype(dtype, copy=False)
    keep = ~ignored
    safe = np.where(ignored, 0, indices)
    if weight is None:
        return keep, safe, keep.astype(dtype)
    return keep, safe, np.where(keep, weight[safe], 0).astype(dtype, copy=False)


def _pick_array(logp: np.ndarray, safe: np.ndarray) -> np.ndarray:
    """``logp`` (N, C, *) at each target's class (N, *): the fused forward's gather."""
    return np.take_along_axis(logp, safe[:, None], 1)[:, 0]


def _pick_tensor(logp: Tensor, safe: np.ndarray) -> Tensor:
    """``logp`` (N, C, *) at each target's class (N, *), as engine operations (a one-hot
    mask and a sum), so the composition is differentiated through it."""
    class_ids = np.arange(logp.shape[1]).reshape(class_shape(logp))
    return where(np.expand_dims(safe, 1) == class_ids, logp, 0).sum(1)


def _class_loss(
    logp, keep, safe, target_weight, weight, smoothing: float, reduction: str, *, on_arrays: bool
):
    """The loss at class-index targets from log-probabilities ``logp`` (class dim 1), as torch.

    Per target ``i``: ``-(1 - ε) w_y log p_iy - (ε / C) Σ_c w_c log p_ic``, 0 where ignored;
    the mean divides by the total weight of the targets not ignored (``nan`` with a zero
    gradient when there is none). ``keep``, ``safe`` and ``target_weight`` are
    ``_class_targets``'; ``weight`` the class weights or None. The one definition of these
    rules for both cross-entropies and ``nll_loss``: it runs on ndarrays in the fused
    ``CrossEntropy`` forward (``on_arrays=True``) and on Tensors in the compositions, where it
    is recorded and differentiated.
    """
    pick, select = (_pick_array, np.where) if on_arrays else (_pick_tensor, where)
    loss = -pick(logp, safe) * target_weight
    if keep is not None:
        loss = select(keep, loss, 0)  # 0, not 0 * inf, where an ignored row has log p = -inf
    if smoothing > 0:
        terms = logp if weight is None else logp * weight.reshape(class_shape(logp))
        smooth = -terms.sum(1)
        if keep is not None:
            smooth = select(keep, smooth, 0)
        loss = loss * (1 - smoothing) + smooth * (smoothing / logp.shape[1])
    if reduction == "mean":
        if not (keep.any() if keep is not None else target_weight.size):  # none counted: 0 / 0
            return select(np.array(False), loss.sum(), float("nan"))  # nan, a zero gradient
        return loss.sum() / float(target_weight.sum())
    if reduction == "sum":
        return loss.sum()
    return loss


def nll_loss(
    input: Tensor, target, weight=None, *, ignore_index: int = -100, reduction: str = "mean"
) -> Tensor:
    """The negative log-likelihood of log-probabilities ``input`` at class indices ``target``.

    Parameters
    ----------
    input : Tensor
        Log-probabilities, shape ``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)``.
    target : Tensor or ndarray of int64
        Class indices in ``[0, C)``, shape ``(N,)``, ``()`` or ``(N, d1, ...)``.
    weight : Tensor or ndarray of shape (C,), optional
        A weight per class; the mean divides by the sum of the targets' weights.
    ignore_index : int
        Targets equal to it contribute nothing, to the loss or to the mean's divisor.
    reduction : str
        ``"mean"``, ``"sum"`` or ``"none"`` (shape of ``target``).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> logp = autograd.tensor([[-0.5, -1.0], [-2.0, -0.1]], dtype=autograd.float64)
    >>> F.nll_loss(logp, autograd.tensor([0, 1]))
    tensor(0.3000, dtype=float64)
    """
    given = tensor("nll_loss", input)
    _check_reduction(reduction)
    unbatched = given.ndim == 1
    x = _batched("nll_loss", given)
    indices = _class_indices("nll_loss", given.shape, target, ignore_index)
    weight = _class_weight("nll_loss", weight, x.shape[1], x.dtype)
    keep, safe, target_weight = _class_targets(indices, weight, ignore_index, x.dtype)
    loss = _class_loss(x, keep, safe, target_weight, weight, 0.0, reduction, on_arrays=False)
    return loss.reshape(()) if unbatched and reduction == "none" else loss


class CrossEntropy(Function):
    """The cross-entropy of logits ``x`` (class dim 1, shape (N, C, *)) at class indices.

    With ``ε = label_smoothing``, per-class weights ``w`` (1 without them) and ``k_i`` = 0 where
    sample ``i`` is ignored, else 1, sample ``i`` has the target coefficients
    ``a_ic = (1 - ε) w_y k_i [c = y_i] + (ε / C) w_c k_i`` and the loss
    ``l_i = -Σ_c a_ic log p_ic`` with ``log p = x - max - log Σ exp(x - max)``. Its gradient is
    ``∂l_i/∂x_ic = s_i p_ic - a_ic`` with ``s_i = Σ_c a_ic``, times the upstream gradient and
    the reduction's normaliser: 1 for "sum" and "none", ``1 / Σ_i w_y k_i`` for "mean" (0 when
    every target is ignored, whose loss is ``nan``, as torch). The backward computes ``p`` as
    ``x.softmax(1)`` from the saved logits, so ``create_graph=True`` differentiates it again.
    """

    op = "cross_entropy"

    @staticmethod
    def forward(ctx, x, targets, weight, reduction, label_smoothing):
        # targets: _class_targets' (keep, safe, target_weight); the loss is _class_loss's, the
        # composition's own code, run on the arrays
        data = x.data
        shifted = data - data.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore"):
            logp = shifted - np.log(sums)
        with np.errstate(divide="ignore", invalid="ignore"):
            loss = _class_loss(logp, *targets, weight, label_smoothing, reduction, on_arrays=True)
        ctx.save_for_backward(x)
        ctx.probs = exps / sums  # softmax(x), for a backward that is not itself recorded
        # copies: the class indices and weights are often the caller's tensors' own arrays,
        # which an in-place change would change under the graph (torch saves them and raises)
        keep, safe, target_weight = targets
        weight = None if weight is None else weight.copy()
        ctx.target = (keep, safe.copy(), target_weight, weight, label_smoothing, reduction)
        return np.asarray(loss, dtype=data.dtype)

    backward = table_backward("cross_entropy")


def cross_entropy(
    input: Tensor,
    target,
    weight=None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """The cross-entropy of logits ``input`` and ``target``: ``nll_loss(log_softmax(input))``.

    Parameters
    ----------
    input : Tensor
        Unnormalised logits, shape ``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)``.
    target : Tensor or ndarray
        Either class indices (an integer dtype, shape ``(N,)``, ``()`` or ``(N, d1, ...)``, each
        in ``[0, C)`` or equal to ``ignore_index``), or class probabilities (a float dtype,
        shaped as ``input``).
    weight : Tensor or ndarray of shape (C,), optional
        A weight per class. With class indices, the mean divides by the sum of the targets'
        weights; with probabilities, by the number of samples.
    ignore_index : int
        A class index that contributes nothing (class indices only).
    reduction : str
        ``"mean"``, ``"sum"`` or ``"none"`` (a loss per sample).
    label_smoothing : float
        In [0, 1]: the target becomes ``(1 - label_smoothing)`` of itself plus
        ``label_smoothing`` spread evenly over the C classes.

    Computed through ``log_softmax``, so logits of ±1000 give finite losses and gradients.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> logits = autograd.tensor([[2.0, 0.0], [0.0, 0.0]], dtype=autograd.float64)
    >>> F.cross_entropy(logits, autograd.tensor([0, 1]))
    tensor(0.4100, dtype=float64)
    >>> F.cross_entropy(logits, autograd.tensor([0, 1]), reduction='none')
    tensor([0.1269, 0.6931], dtype=float64)
    """
    op = "cross_entropy"
    x = tensor(op, input)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    dtype = target.dtype if isinstance(target, Tensor) else np.asarray(target).dtype
    batched = _batched(op, x)
    if dtype.kind == "f" or batched.data.size == 0:  # class probabilities, or nothing to sum
        return _cross_entropy_composed(
            input,
            target,
            weight,
            ignore_index=ignore_index,
            reduction=reduction,
            label_smoothing=label_smoothing,
        )
    weight = _class_weight(op, weight, batched.shape[1], batched.dtype)
    indices = _class_indices(op, x.shape, target, ignore_index)
    targets = _class_targets(indices, weight, ignore_index, batched.dtype)
    loss = CrossEntropy.apply(batched, targets, weight, reduction, float(label_smoothing))
    return loss.reshape(()) if x.ndim == 1 and reduction == "none" else loss


def _cross_entropy_composed(
    input: Tensor,
    target,
    weight=None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """``cross_entropy`` as a composition of primitives: ``nll_loss(log_softmax(input))`` plus
    the label-smoothing term. Class probabilities always take it; with class indices it is
    the reference that ``CrossEntropy``'s tests compare the fused rule with."""
    op = "cross_entropy"
    x = tensor(op, input)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    given = x
    unbatched = x.ndim == 1
    x = _batched(op, x)
    classes = x.shape[1]
    weight = _class_weight(op, weight, classes, x.dtype)
    class_shape = (1, classes) + (1,) * (x.ndim - 2)
    logp = x.log_softmax(1)

    dtype = target.dtype if isinstance(target, Tensor) else np.asarray(target).dtype
    if dtype.kind == "f":  # class probabilities
        if ignore_index >= 0:
            raise ValueError(
                "ignore_index is not supported for floating point target (class "
                "probabilities); pass integer class indices to ignore one"
            )
        shape = target.shape if isinstance(target, Tensor) else np.shape(target)
        if shape != given.shape:
            index_shape = () if unbatched else x.shape[:1] + x.shape[2:]
            raise ValueError(
                f"{op}: a float target holds class probabilities and must have the input's "
                f"shape {given.shape}, got shape {shape} (dtype {dtype}); for class indices "
                f"pass an integer target of shape {index_shape} (.long() or .astype(np.int64))"
            )
        t = _float_target(op, given, target).reshape(x.shape)
        if label_smoothing > 0:
            t = t * (1 - label_smoothing) + label_smoothing / classes
        terms = logp * t
        if weight is not None:
            terms = terms * Tensor(weight.reshape(class_shape))
        loss = -terms.sum(1)
        if reduction == "mean":
            return loss.sum() / (x.data.size // classes if classes else 0)
        if reduction == "sum":
            return loss.sum()
        return loss.reshape(()) if unbatched else loss

    indices = _class_indices(op, given.shape, target, ignore_index)
    targets = _class_targets(indices, weight, ignore_index, x.dtype)
    loss = _class_loss(logp, *targets, weight, label_smoothing, reduction, on_arrays=False)
    return loss.reshape(()) if unbatched and reduction == "none" else loss


def _cross_entropy_example(rng) -> tuple:
    x = Tensor(rng.standard_normal((6, 4, 2)), requires_grad=True)
    target = rng.integers(0, 4, (6, 2))
    target[0, 1] = target[3, 0] = -100  # ignored
    kwargs = {"reduction": "mean", "label_smoothing": 0.2, "weight": rng.uniform(0.5, 2, 4)}
    return (x, target), kwargs


register_fused(
    "cross_entropy",
    fused=cross_entropy,
    reference=_cross_entropy_composed,
    example=_cross_entropy_example,
    functions=(CrossEntropy,),
)


# -- margins ------------------------------------------------------------------------------------


def hinge_embedding_loss(
    input: Tensor, target, margin: float = 1.0, *, reduction: str = "mean"
) -> Tensor:
    """torch's hinge embedding loss: ``x`` where ``target`` is 1, ``max(0, margin - x)`` where
    it is -1 (other target values get both terms, as in torch).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.hinge_embedding_loss(autograd.tensor([0.2, 0.2]), autograd.tensor([1.0, -1.0]))
    tensor(0.5000)
    """
    op = "hinge_embedding_loss"
    x = tensor(op, input)
    _check_reduction(reduction)
    t = _float_target(op, x, target).data
    loss = where(t != 1, (margin - x).clamp(min=0), 0) + where(t != -1, x, 0)
    return _reduce(loss, reduction)


def svm_max_margin_loss(scores: Tensor, target, *, reduction: str = "mean") -> Tensor:
    """The SVM hinge loss of micrograd's demo: ``relu(1 - y * score)``, reduced (the mean).

    ``target`` holds labels -1 and 1, shaped as ``scores``; a score beyond the margin on the
    right side (``y * score >= 1``) costs nothing.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> scores = autograd.tensor([2.0, -0.5])
    >>> F.svm_max_margin_loss(scores, autograd.tensor([1.0, 1.0]))
    tensor(0.7500)
    """
    op = "svm_max_margin_loss"
    s = tensor(op, scores, "scores")
    _check_reduction(reduction)
    y = _float_target(op, s, target)
    labels = y.data
    if labels.size and not np.all((labels == 1) | (labels == -1)):
        found = np.unique(labels[(labels != 1) & (labels != -1)])[:5].tolist()
        raise ValueError(
            f"{op}: target must hold the labels -1 and 1, got also {found}; map 0/1 labels "
            "with 2 * y - 1"
        )
    return _reduce((1 - y * s).relu(), reduction)
