"""Activation functions, as ``torch.nn.functional`` names and defines them.

Each is a composition of autograd's primitives (and the special functions in ``special.py``),
so first and second derivatives come from the primitives' rules; ``logsigmoid`` alone has a
rule of its own (see ``LogSigmoid``). Where a branch that ``where``
does not select could overflow (``exp`` of a large input in ``elu`` and ``softplus``), the
branch is fed a harmless value there: a gradient of 0 times an infinite slope would be ``nan``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from autograd import Function, Tensor, where
from autograd.rules import table_backward

from ._checks import tensor
from .special import erf, expm1, log1p

__all__ = [
    "elu",
    "gelu",
    "hardtanh",
    "leaky_relu",
    "log_softmax",
    "logsigmoid",
    "mish",
    "relu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "tanh",
]

_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO_OVER_PI = math.sqrt(2 / math.pi)


def relu(input: Tensor) -> Tensor:
    """``max(x, 0)`` elementwise; the gradient at 0 is 0, as in torch.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.relu(autograd.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 2.])
    """
    return tensor("relu", input).relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``x`` where ``x > 0``, else ``negative_slope * x``; the slope at 0 is ``negative_slope``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.leaky_relu(autograd.tensor([-1.0, 1.0]), 0.2)
    tensor([-0.2000,  1.0000])
    """
    x = tensor("leaky_relu", input)
    return where(x > 0, x, x * negative_slope)


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``; the slope at 0 is ``alpha``.

    At 0 itself, as torch: the slope is ``alpha`` (the left branch's) and the second derivative
    is 0 (torch's double backward takes the right branch's there); so 0 is given the line
    ``alpha * x``, whose value and slope are the left branch's and whose curvature is 0. A NaN
    takes the ``x`` branch, whose slope 1 torch's backward gives it.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.elu(autograd.tensor([-1.0, 1.0], dtype=autograd.float64))
    tensor([-0.6321,  1.0000], dtype=float64)
    """
    x = tensor("elu", input)
    with np.errstate(invalid="ignore"):
        positive, negative = ~(x.data <= 0), x.data < 0
    below = where(negative, expm1(where(negative, x, 0)), x)
    return where(positive, x, below * alpha)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """The Gaussian error linear unit ``x * Φ(x)``, with ``Φ`` the standard normal CDF.

    ``approximate="none"``: ``0.5 x (1 + erf(x / sqrt 2))``; ``"tanh"``: Hendrycks and Gimpel's
    ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> x = autograd.tensor([-1.0, 1.0], dtype=autograd.float64)
    >>> F.gelu(x), F.gelu(x, approximate='tanh')
    (tensor([-0.1587,  0.8413], dtype=float64), tensor([-0.1588,  0.8412], dtype=float64))
    """
    x = tensor("gelu", input)
    if approximate == "none":
        return x * 0.5 * (erf(x * _SQRT_HALF) + 1)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * _SQRT_TWO_OVER_PI
        return x * 0.5 * (inner.tanh() + 1)
    raise ValueError(
        f"approximate argument must be either none or tanh. (got {approximate!r}): "
        "gelu(x, approximate='tanh')"
    )


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-x))`` elementwise, without overflow at any input.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.sigmoid(autograd.tensor([0.0, 1000.0, -1000.0], dtype=autograd.float64))
    tensor([0.5000, 1.0000, 0.0000], dtype=float64)
    """
    return tensor("sigmoid", input).sigmoid()


def tanh(input: Tensor) -> Tensor:
    """The hyperbolic tangent elementwise.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.tanh(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 0.7616], dtype=float64)
    """
    return tensor("tanh", input).tanh()


def silu(input: Tensor) -> Tensor:
    """``x * sigmoid(x)`` (also called swish).

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.silu(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 0.7311], dtype=float64)
    """
    x = tensor("silu", input)
    return x * x.sigmoid()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta x)) / beta``, and ``x`` itself where ``beta x > threshold``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.softplus(autograd.tensor([0.0, 30.0], dtype=autograd.float64))
    tensor([ 0.6931, 30.0000], dtype=float64)
    """
    x = tensor("softplus", input)
    z = x * beta
    linear = z > threshold
    return where(linear, x, log1p(where(linear, 0, z).exp()) / beta)


class LogSigmoid(Function):
    """``log(sigmoid(x))``, a rule of its own: the composition ``min(x, 0) - log1p(exp(-|x|))``
    has the right value and slope, but its second derivative at 0 is lost in the kinks of
    ``min`` and ``abs`` (which cancel in the function, not in their second derivatives)."""

    op = "logsigmoid"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        data = x.data if x.dtype.kind == "f" else x.data.astype(np.float32)
        return np.minimum(data, 0) - np.log1p(np.exp(-np.abs(data)))

    backward = table_backward("logsigmoid")


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))``, stable at any input: ``min(x, 0) - log(1 + exp(-|x|))``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.logsigmoid(autograd.tensor([0.0, -1000.0], dtype=autograd.float64))
    tensor([-6.9315e-01, -1.0000e+03], dtype=float64)
    """
    return LogSigmoid.apply(tensor("logsigmoid", input))


def _softmax_dim(name: str, x: Tensor, dim) -> int:
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        UserWarning,
        stacklevel=3,
    )
    return 0 if x.ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, *, dtype=None) -> Tensor:
    """``exp(x) / sum(exp(x), dim)``, stable at any input; same shape as ``input``.

    ``dtype`` converts the input first. Without ``dim``, torch's deprecated implicit choice (0
    for 0-, 1- and 3-D input, else 1) is made, with its warning.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.softmax(autograd.tensor([[1.0, 1.0, 1000.0]], dtype=autograd.float64), dim=1)
    tensor([[0., 0., 1.]], dtype=float64)
    """
    x = tensor("softmax", input)
    if dtype is not None:
        x = x.to(dtype)
    return x.softmax(_softmax_dim("softmax", x, dim))


def log_softmax(input: Tensor, dim: int | None = None, *, dtype=None) -> Tensor:
    """``x - logsumexp(x, dim)``, stable at any input; arguments as ``softmax``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> F.log_softmax(autograd.tensor([[0.0, 0.0]], dtype=autograd.float64), dim=1)
    tensor([[-0.6931, -0.6931]], dtype=float64)
    """
    x = tensor("log_softmax", input)
    if dtype is not None:
        x = x.to(dtype)
    return x.log_softmax(_softmax_dim("log_softmax", x, dim))


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))`` (Misra, 2019), smooth and non-monotonic like ``silu``.

    ``inplace`` is accepted for torch's signature; the result is a new Tensor.

    Examples
    --------
    >>> import autograd
    >>> round(mish(autograd.tensor([1.0])).item(), 4)
    0.8651
    """
    x = tensor("mish", input)
    return x * softplus(x).tanh()


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """``x`` clamped into ``[min_val, max_val]``.

    The gradient is 1 strictly inside the interval and 0 elsewhere, at its ends included, as
    torch's. ``inplace`` is accepted for torch's signature; the result is a new Tensor.

    Examples
    --------
    >>> import autograd
    >>> hardtanh(autograd.tensor([-3.0, 0.5, 3.0])).tolist()
    [-1.0, 0.5, 1.0]
    """
    x = tensor("hardtanh", input)
    if min_val > max_val:
        raise ValueError(
            f"hardtanh: min_val ({min_val}) must not be greater than max_val ({max_val})"
        )
    with np.errstate(invalid="ignore"):
        inside = (x.data > min_val) & (x.data < max_val)
        clamped = np.clip(x.data, min_val, max_val).astype(x.dtype, copy=False)
    # the ends are constants of the graph: no gradient flows outside the open interval
    return where(inside, x, Tensor(clamped))
