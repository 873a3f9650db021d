"""``Linear``: the fully connected layer ``y = x @ weight.T + bias``, PyTorch's ``nn.Linear``; and
``Identity``, the layer that returns its input (a placeholder where a layer is optional)."""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter
from ._factory import check_size, float_dtype

__all__ = ["Identity", "Linear"]


class Linear(Module):
    """An affine map of the last dim: ``y = x @ weight.T + bias``.

    Parameters
    ----------
    in_features, out_features : int
        The sizes of each input's and each output's last dim.
    bias : bool
        Whether to learn an additive bias (default True); without it ``bias`` is None.
    device, dtype
        As in torch: ``device`` may only be None or ``"cpu"``; ``dtype`` is the parameters'
        floating dtype (float32 unless given).

    Attributes
    ----------
    weight : Parameter
        Shape ``(out_features, in_features)``, initialised as torch does, from
        ``U(-1/sqrt(in_features), 1/sqrt(in_features))`` (``kaiming_uniform_`` with
        ``a=sqrt(5)``).
    bias : Parameter or None
        Shape ``(out_features,)``, from the same uniform distribution.

    Shapes: input ``(*, in_features)``, output ``(*, out_features)``.

    Examples
    --------
    >>> layer = Linear(20, 30)
    >>> layer(Tensor(np.zeros((128, 20), dtype=np.float32))).shape
    (128, 30)
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__()
        dtype = float_dtype(dtype, device, "Linear")
        self.in_features = check_size("Linear", "in_features", in_features)
        self.out_features = check_size("Linear", "out_features", out_features)
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again, from torch's default distributions (see the class).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> layer = nn.Linear(4, 2)
        >>> layer.reset_parameters()
        >>> bound = 4 ** -0.5
        >>> bool(layer.weight.abs().max() <= bound), layer.bias.shape
        (True, (2,))
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """Returns its input unchanged: a placeholder, e.g. for an optional layer or a removed head.

    Any arguments are accepted and ignored, as torch's ``Identity(*args, **kwargs)``.

    Shape: any; the output is the input itself.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.zeros(2, 3)
    >>> Identity(54, unused="argument")(x) is x
    True
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input
