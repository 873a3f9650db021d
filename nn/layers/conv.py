"""``Conv1d`` and ``Conv2d``: learned cross-correlations, PyTorch's ``nn.Conv1d``/``nn.Conv2d``.

Both hold a weight of shape ``(out_channels, in_channels / groups, *kernel_size)`` and an
optional bias ``(out_channels,)``, initialised as torch's (``kaiming_uniform_`` with
``a=sqrt(5)``, so every value lies in ``±1/sqrt(fan_in)``, ``fan_in = in_channels / groups *
prod(kernel_size)``), and call ``nn.functional.conv1d``/``conv2d``. A ``padding_mode`` other
than ``"zeros"`` pads the input with ``autograd.pad`` first, as torch does.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, pad

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter
from ._factory import _pair, _single, check_size, float_dtype

__all__ = ["Conv1d", "Conv2d"]

_PADDING_STRINGS = ("same", "valid")
_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What ``Conv1d`` and ``Conv2d`` share: the constructor (torch's signature and defaults),
    checks, parameters, initialisation and repr."""

    _nd = 0
    _ntuple = staticmethod(_single)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        layer = type(self).__name__
        dtype = float_dtype(dtype, device, layer)
        in_channels = check_size(layer, "in_channels", in_channels, positive=True)
        out_channels = check_size(layer, "out_channels", out_channels, positive=True)
        groups = check_size(layer, "groups", groups, positive=True)
        if in_channels % groups != 0:
            raise ValueError(
                f"in_channels must be divisible by groups ({layer}: in_channels={in_channels}, "
                f"groups={groups})"
            )
        if out_channels % groups != 0:
            raise ValueError(
                f"out_channels must be divisible by groups ({layer}: out_channels="
                f"{out_channels}, groups={groups})"
            )
        kernel_size = self._ntuple(kernel_size)
        stride = self._ntuple(stride)
        dilation = self._ntuple(dilation)
        if isinstance(padding, str):
            if padding not in _PADDING_STRINGS:
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {{'same', 'valid'}}"
                )
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError(
                    "padding='same' is not supported for strided convolutions (stride "
                    f"{stride}); pad explicitly with an int or a tuple instead"
                )
            sizes = ()
        else:
            padding = self._ntuple(padding)
            sizes = (("padding", padding, False),)
        sizes += (
            ("kernel_size", kernel_size, True),
            ("stride", stride, True),
            ("dilation", dilation, True),
        )
        for name, values, positive in sizes:
            if len(values) != self._nd:
                raise ValueError(
                    f"{layer}: {name} must be an int or a tuple of {self._nd} ints, got {values}"
                )
            for value in values:
                check_size(layer, name, value, positive)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but "
                f"got padding_mode='{padding_mode}'"
            )

        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = False
        self.output_padding = self._ntuple(0)
        self.groups = groups
        self.padding_mode = padding_mode
        # what autograd.pad takes for a padding_mode other than zeros: widths from the last dim
        if isinstance(padding, str):
            widths = [(0, 0)] * self._nd
            if padding == "same":
                for i, (k, d) in enumerate(zip(kernel_size, dilation)):
                    total = d * (k - 1)
                    widths[i] = (total // 2, total - total // 2)
        else:
            widths = [(p, p) for p in padding]
        self._reversed_padding_repeated_twice = [w for lo_hi in reversed(widths) for w in lo_hi]

        shape = (out_channels, in_channels // groups, *kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty((out_channels,), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again from torch's defaults: ``U(±1/sqrt(fan_in))``."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def _conv_forward(self, conv, input: Tensor) -> Tensor:
        if self.padding_mode == "zeros":
            return conv(
                input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
            )
        padded = pad(input, tuple(self._reversed_padding_repeated_twice), mode=self.padding_mode)
        return conv(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        s += f", stride={self.stride}"
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """1-D convolution over ``(N, C_in, L)`` (or unbatched ``(C_in, L)``) inputs.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the input and of the output.
    kernel_size : int or (int,)
    stride, dilation : int or (int,)
        Default 1.
    padding : int, (int,), "valid" or "same"
        Default 0; "same" keeps the length (stride 1 only).
    groups : int
        Split the channels into ``groups`` independent convolutions; divides both channel
        counts.
    bias : bool
        Whether to learn a bias per output channel.
    padding_mode : str
        ``"zeros"`` (default), ``"reflect"``, ``"replicate"`` or ``"circular"``.
    device, dtype
        As in torch (``device`` None or "cpu"; float32 unless ``dtype`` is given).

    Attributes: ``weight`` ``(out_channels, in_channels / groups, k)``, ``bias``
    ``(out_channels,)`` or None. Output ``(N, C_out, L_out)``, ``L_out = (L + 2 padding -
    dilation (k - 1) - 1) // stride + 1``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> conv = nn.Conv1d(2, 4, kernel_size=3, padding=1)
    >>> conv(autograd.zeros(8, 2, 10)).shape, conv.weight.shape
    ((8, 4, 10), (4, 2, 3))
    """

    _nd = 1
    _ntuple = staticmethod(_single)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(F.conv1d, input)


class Conv2d(_ConvNd):
    """2-D convolution over ``(N, C_in, H, W)`` (or unbatched ``(C_in, H, W)``) inputs.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the input and of the output.
    kernel_size : int or (int, int)
    stride, dilation : int or (int, int)
        Default 1.
    padding : int, (int, int), "valid" or "same"
        Default 0; "same" keeps H and W (stride 1 only).
    groups : int
        Split the channels into ``groups`` independent convolutions (``groups = in_channels``:
        depthwise); divides both channel counts.
    bias : bool
        Whether to learn a bias per output channel.
    padding_mode : str
        ``"zeros"`` (default), ``"reflect"``, ``"replicate"`` or ``"circular"``.
    device, dtype
        As in torch (``device`` None or "cpu"; float32 unless ``dtype`` is given).

    Attributes: ``weight`` ``(out_channels, in_channels / groups, kh, kw)``, ``bias``
    ``(out_channels,)`` or None. Output ``(N, C_out, H_out, W_out)``, ``H_out = (H + 2 padding
    - dilation (kh - 1) - 1) // stride + 1`` (W alike).

    Examples
    --------
    >>> conv = Conv2d(3, 16, 3, padding=1)
    >>> conv(Tensor(np.zeros((8, 3, 32, 32), dtype=np.float32))).shape
    (8, 16, 32, 32)
    """

    _nd = 2
    _ntuple = staticmethod(_pair)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(F.conv2d, input)
