"""Activation layers, PyTorch's: ``ReLU``, ``LeakyReLU``, ``ELU``, ``GELU``, ``Sigmoid``, ``Tanh``,
``Softmax``, ``LogSoftmax``, ``SiLU``, ``Mish``, ``Softplus`` and ``Hardtanh``, each calling its
``nn.functional`` namesake.

``inplace=True`` (``ReLU``, ``LeakyReLU``, ``ELU``, ``SiLU``, ``Mish``, ``Hardtanh``) is
accepted so that torch code runs and prints the same; the result is a new Tensor all the same
(the input is not overwritten), with the values torch's in-place version gives.
"""

from __future__ import annotations

import warnings

from autograd import Tensor

from .. import functional as F
from ..module import Module

__all__ = [
    "ELU",
    "GELU",
    "Hardtanh",
    "LeakyReLU",
    "LogSoftmax",
    "Mish",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]


def _inplace_text(inplace: bool, first: bool) -> str:
    if not inplace:
        return ""
    return "inplace=True" if first else ", inplace=True"


class ReLU(Module):
    """``max(x, 0)`` elementwise (gradient 0 at 0, as torch).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.ReLU()(autograd.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input)

    def extra_repr(self) -> str:
        return _inplace_text(self.inplace, first=True)


class LeakyReLU(Module):
    """``x`` where ``x > 0``, else ``negative_slope * x`` (default slope 0.01).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.LeakyReLU(0.1)(autograd.tensor([-2.0, 3.0]))
    tensor([-0.2000,  3.0000])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + _inplace_text(self.inplace, first=False)


class ELU(Module):
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)`` (default ``alpha`` 1).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.ELU()(autograd.tensor([-1.0, 2.0], dtype=autograd.float64))
    tensor([-0.6321,  2.0000], dtype=float64)
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + _inplace_text(self.inplace, first=False)


class GELU(Module):
    """The Gaussian error linear unit ``x * Φ(x)``: exact (``approximate="none"``, the default)
    or with torch's tanh approximation (``approximate="tanh"``).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> x = autograd.tensor([-1.0, 0.0, 1.0], dtype=autograd.float64)
    >>> nn.GELU()(x)
    tensor([-0.1587,  0.0000,  0.8413], dtype=float64)
    >>> nn.GELU(approximate='tanh')(x)
    tensor([-0.1588,  0.0000,  0.8412], dtype=float64)
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(
                f"approximate argument must be either none or tanh. (got {approximate!r}): "
                "GELU(approximate='tanh')"
            )
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Sigmoid(Module):
    """``1 / (1 + exp(-x))`` elementwise.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.Sigmoid()(autograd.tensor([0.0], dtype=autograd.float64))
    tensor([0.5000], dtype=float64)
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """The hyperbolic tangent elementwise.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.Tanh()(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 0.7616], dtype=float64)
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Softmax(Module):
    """``exp(x) / sum(exp(x))`` along ``dim``, so that each slice along it sums to 1.

    ``dim=None`` makes torch's deprecated implicit choice (0 for 0-, 1- and 3-D inputs, else 1)
    with its warning: give ``dim`` (``Softmax(dim=1)`` for ``(N, C)`` logits).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.Softmax(dim=1)(autograd.tensor([[1.0, 1.0, 2.0]], dtype=autograd.float64))
    tensor([[0.2119, 0.2119, 0.5761]], dtype=float64)
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``x - logsumexp(x)`` along ``dim``: the log of ``Softmax``, stable at any input.

    ``dim=None`` as in ``Softmax``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.LogSoftmax(dim=1)(autograd.tensor([[0.0, 0.0]], dtype=autograd.float64))
    tensor([[-0.6931, -0.6931]], dtype=float64)
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class SiLU(Module):
    """The sigmoid linear unit ``x * sigmoid(x)`` (swish), elementwise.

    Shape: any; the output has the input's shape.

    Examples
    --------
    >>> import autograd
    >>> round(SiLU()(autograd.tensor([1.0])).item(), 4)
    0.7311
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input)

    def extra_repr(self) -> str:
        return _inplace_text(self.inplace, first=True)


class Mish(Module):
    """``x * tanh(softplus(x))`` elementwise.

    Shape: any; the output has the input's shape.

    Examples
    --------
    >>> import autograd
    >>> round(Mish()(autograd.tensor([1.0])).item(), 4)
    0.8651
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.mish(input)

    def extra_repr(self) -> str:
        return _inplace_text(self.inplace, first=True)


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``, and ``x`` itself where ``beta * x > threshold``.

    Parameters
    ----------
    beta : float
        The sharpness (default 1); large ``beta`` approaches ``relu``.
    threshold : float
        Above this ``beta * x`` the function is taken as linear (default 20).

    Shape: any; the output has the input's shape.

    Examples
    --------
    >>> import autograd
    >>> round(Softplus()(autograd.tensor([0.0])).item(), 4)
    0.6931
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Hardtanh(Module):
    """``x`` clamped into ``[min_val, max_val]`` (default ``[-1, 1]``).

    ``min_value``/``max_value`` are torch's deprecated spellings (with its FutureWarning).

    Shape: any; the output has the input's shape.

    Examples
    --------
    >>> import autograd
    >>> Hardtanh(-2.0, 2.0)(autograd.tensor([-3.0, 1.0, 3.0])).tolist()
    [-2.0, 1.0, 2.0]
    """

    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
    ) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn(
                "keyword argument `min_value` is deprecated and renamed to `min_val`",
                FutureWarning,
                stacklevel=2,
            )
            min_val = min_value
        if max_value is not None:
            warnings.warn(
                "keyword argument `max_value` is deprecated and renamed to `max_val`",
                FutureWarning,
                stacklevel=2,
            )
            max_val = max_value
        if max_val <= min_val:
            raise ValueError(f"max_val ({max_val}) must be greater than min_val ({min_val})")
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + _inplace_text(
            self.inplace, first=False
        )
