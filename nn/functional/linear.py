"""``linear``: the affine map of a fully connected layer, ``input @ weight.T + bias``."""

from __future__ import annotations

from autograd import Function, Tensor
from autograd.fused import register_fused
from autograd.rules import table_backward

from ._checks import tensor, torch_dtype_name

__all__ = ["linear"]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``, as ``torch.nn.functional.linear``.

    Parameters
    ----------
    input : Tensor
        Shape ``(*, in_features)``: any number of leading (batch) dims.
    weight : Tensor
        Shape ``(out_features, in_features)``, PyTorch's layout (or ``(in_features,)``, which
        drops the last dim of the result).
    bias : Tensor, optional
        Shape ``(out_features,)`` (or one that broadcasts to it, as in torch).

    Returns
    -------
    Tensor
        Shape ``(*, out_features)``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> x = autograd.ones(5, 3)
    >>> w = autograd.ones(2, 3)
    >>> F.linear(x, w, autograd.tensor([0.0, 1.0]))[0]
    tensor([3., 4.])
    """
    x = tensor("linear", input)
    w = tensor("linear", weight, "weight", 2)
    if w.ndim not in (1, 2):
        raise ValueError(
            f"linear: weight must have shape (out_features, in_features), got shape {w.shape}"
        )
    in_features = w.shape[-1]
    if x.ndim == 0 or x.shape[-1] != in_features:
        last = x.shape[-1] if x.ndim else "none: it is 0-d"
        raise ValueError(
            f"linear: input of shape {x.shape} does not fit weight of shape {w.shape}: the "
            f"input's last dim ({last}) must equal in_features ({in_features}, the weight's "
            "last dim; the weight is (out_features, in_features))"
        )
    b = None if bias is None else tensor("linear", bias, "bias", 3)
    _check_dtypes(x, w, b)
    if w.ndim == 2 and (b is None or b.shape == w.shape[:1]):
        return Linear.apply(x, w, b)
    return _linear_composed(x, w, b)


def _check_dtypes(x: Tensor, w: Tensor, b: Tensor | None) -> None:
    """torch's errors for operands of different dtypes (numpy would silently promote: a float64
    input through float32 weights gave float64); the same texts as torch, so searches find them."""
    if x.dtype == w.dtype and (b is None or b.dtype == x.dtype):
        return
    fix = (
        "; convert the input to the weight's dtype (x.to(weight.dtype)) or the model to the "
        "input's (model.double() / model.float())"
    )
    if b is None:
        names = [torch_dtype_name(d).lower() for d in (x.dtype, w.dtype)]
        message = f"expected m1 and m2 to have the same dtype, but got: {names[0]} != {names[1]}"
    elif x.dtype != w.dtype:
        message = (
            f"mat1 and mat2 must have the same dtype, but got {torch_dtype_name(x.dtype)} and "
            f"{torch_dtype_name(w.dtype)}"
        )
    else:
        message = (
            f"self and mat2 must have the same dtype, but got {torch_dtype_name(b.dtype)} and "
            f"{torch_dtype_name(w.dtype)}"
        )
    raise RuntimeError(message + fix)


class Linear(Function):
    """``x @ w.T + b`` as one node: fused because a training step of a small MLP spends most
    of its time in per-operation overhead, and the composition costs five operations forward
    and backward per layer. Registered below with ``_linear_composed`` as its reference."""

    op = "linear"

    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        out = x.data @ w.data.T
        if b is None:
            return out
        if b.dtype == out.dtype:
            out += b.data  # in place: the matmul's result is ours (saves a pass and a buffer)
            return out
        return out + b.data

    backward = table_backward("linear")


def _linear_composed(x: Tensor, w: Tensor, b: Tensor | None) -> Tensor:
    """``linear`` from primitives: any bias that broadcasts, and the fused rule's reference."""
    out = x @ w.T
    if b is None:
        return out
    out_shape = w.shape[:-1]
    if b.ndim > len(out_shape) or any(n not in (1, m) for n, m in zip(b.shape[::-1], out_shape)):
        raise ValueError(
            f"linear: bias must have shape {out_shape} (out_features,) for weight of shape "
            f"{w.shape}, got shape {b.shape}"
        )
    return out + b


def _linear_example(rng) -> tuple:
    x = Tensor(rng.standard_normal((5, 4)), requires_grad=True)
    w = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    return (x, w, Tensor(rng.standard_normal(3), requires_grad=True)), {}


register_fused(
    "linear",
    fused=linear,
    reference=_linear_composed,
    example=_linear_example,
    functions=(Linear,),
)
