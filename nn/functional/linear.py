"""``linear``: the affine map of a fully connected layer, ``input @ weight.T + bias``."""

from __future__ import annotations

from autograd import Tensor

from ._checks import tensor

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
    out = x @ w.T
    if bias is None:
        return out
    b = tensor("linear", bias, "bias", 3)
    out_shape = w.shape[:-1]
    if b.ndim > len(out_shape) or any(n not in (1, m) for n, m in zip(b.shape[::-1], out_shape)):
        raise ValueError(
            f"linear: bias must have shape {out_shape} (out_features,) for weight of shape "
            f"{w.shape}, got shape {b.shape}"
        )
    return out + b
