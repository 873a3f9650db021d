"""torch's top-level functions for the operations that are Tensor methods: ``torch.tanh(x)``.

PyTorch code calls most operations both ways, ``x.tanh()`` and ``torch.tanh(x)``. The methods
(tensor.py) are the operations; each function here takes the input first, as torch does, and
calls the method, so there is one implementation and two spellings. The names that shadow
Python builtins (``abs``, ``max``, ``min``, ``pow``, ``sum``) are importable from ``autograd``
but left out of its ``__all__``.
"""

from __future__ import annotations

from .tensor import Tensor

__all__ = [
    "add",
    "argmax",
    "argmin",
    "clamp",
    "clip",
    "div",
    "exp",
    "flatten",
    "log",
    "log_softmax",
    "logsumexp",
    "matmul",
    "mean",
    "mm",
    "mul",
    "neg",
    "negative",
    "permute",
    "relu",
    "reshape",
    "sigmoid",
    "softmax",
    "sqrt",
    "square",
    "squeeze",
    "std",
    "sub",
    "t",
    "tanh",
    "transpose",
    "true_divide",
    "unsqueeze",
    "var",
]


def _tensor(where: str, x) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{where}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    return x


def add(input: Tensor, other, *, alpha: float = 1) -> Tensor:
    """``input + alpha * other``, broadcast."""
    return _tensor("add", input).add(other, alpha=alpha)


def sub(input: Tensor, other, *, alpha: float = 1) -> Tensor:
    """``input - alpha * other``, broadcast."""
    return _tensor("sub", input).sub(other, alpha=alpha)


def mul(input: Tensor, other) -> Tensor:
    """``input * other``, broadcast."""
    return _tensor("mul", input).mul(other)


def div(input: Tensor, other) -> Tensor:
    """``input / other``, broadcast (true division: ints give float32)."""
    return _tensor("div", input).div(other)


true_divide = div


def pow(input: Tensor, exponent) -> Tensor:  # noqa: A001 -- torch's name
    """``input ** exponent``, broadcast."""
    return _tensor("pow", input).pow(exponent)


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    return _tensor("neg", input).neg()


negative = neg


def square(input: Tensor) -> Tensor:
    """``input * input``."""
    return _tensor("square", input).square()


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``input @ other`` (1-D, 2-D, batched and mixed ranks, as ``np.matmul``)."""
    return _tensor("matmul", input).matmul(other)


mm = matmul


def exp(input: Tensor) -> Tensor:
    return _tensor("exp", input).exp()


def log(input: Tensor) -> Tensor:
    return _tensor("log", input).log()


def sqrt(input: Tensor) -> Tensor:
    return _tensor("sqrt", input).sqrt()


def abs(input: Tensor) -> Tensor:  # noqa: A001 -- torch's name
    return _tensor("abs", input).abs()


def tanh(input: Tensor) -> Tensor:
    return _tensor("tanh", input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    return _tensor("sigmoid", input).sigmoid()


def relu(input: Tensor) -> Tensor:
    return _tensor("relu", input).relu()


def clamp(input: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 -- torch's names
    """``input`` limited to ``[min, max]`` (numbers or Tensors; either may be None)."""
    return _tensor("clamp", input).clamp(min, max)


clip = clamp


def sum(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("sum", input).sum(dim, keepdim)


def mean(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _tensor("mean", input).mean(dim, keepdim)


def var(input: Tensor, dim=None, **kwargs) -> Tensor:
    """``input.var(dim, correction=..., keepdim=...)``."""
    return _tensor("var", input).var(dim, **kwargs)


def std(input: Tensor, dim=None, **kwargs) -> Tensor:
    """``input.std(dim, correction=..., keepdim=...)``."""
    return _tensor("std", input).std(dim, **kwargs)


def max(input: Tensor, *args, **kwargs):  # noqa: A001
    """``input.max(...)``: the maximum, or (values, indices) along ``dim``."""
    return _tensor("max", input).max(*args, **kwargs)


def min(input: Tensor, *args, **kwargs):  # noqa: A001
    """``input.min(...)``: the minimum, or (values, indices) along ``dim``."""
    return _tensor("min", input).min(*args, **kwargs)


def argmax(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _tensor("argmax", input).argmax(dim, keepdim)


def argmin(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _tensor("argmin", input).argmin(dim, keepdim)


def logsumexp(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    return _tensor("logsumexp", input).logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int) -> Tensor:
    return _tensor("softmax", input).softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    return _tensor("log_softmax", input).log_softmax(dim)


def reshape(input: Tensor, shape) -> Tensor:
    return _tensor("reshape", input).reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    return _tensor("flatten", input).flatten(start_dim, end_dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    return _tensor("transpose", input).transpose(dim0, dim1)


def t(input: Tensor) -> Tensor:
    return _tensor("t", input).t()


def permute(input: Tensor, dims) -> Tensor:
    return _tensor("permute", input).permute(*dims)


def squeeze(input: Tensor, dim=None) -> Tensor:
    return _tensor("squeeze", input).squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    return _tensor("unsqueeze", input).unsqueeze(dim)
