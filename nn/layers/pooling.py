"""Pooling layers, PyTorch's: ``MaxPool1d``, ``MaxPool2d``, ``AvgPool1d`` and ``AvgPool2d``.

They have no parameters. ``stride`` defaults to ``kernel_size`` (windows that do not overlap).
The settings are stored as torch stores them (the max pools and ``AvgPool2d`` keep an int as
an int, ``AvgPool1d`` makes each a 1-tuple), so that the reprs agree.
"""

from __future__ import annotations

from autograd import Tensor

from .. import functional as F
from ..module import Module
from ._factory import _single

__all__ = ["AvgPool1d", "AvgPool2d", "MaxPool1d", "MaxPool2d"]


class _MaxPoolNd(Module):
    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def _pool(self, pool, input: Tensor):
        return pool(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            ceil_mode=self.ceil_mode,
            return_indices=self.return_indices,
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """The maximum of each window along the last dim, ``nn.functional.max_pool1d``.

    Arguments as ``MaxPool2d``, each an int. Shapes: ``(N, C, L)`` (or ``(C, L)``) to
    ``(N, C, L_out)``, ``L_out = (L + 2 padding - dilation (k - 1) - 1) // stride + 1``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.MaxPool1d(2)(autograd.tensor([[[1.0, 3.0, 5.0, 2.0]]]))
    tensor([[[3., 5.]]])
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return self._pool(F.max_pool1d, input)


class MaxPool2d(_MaxPoolNd):
    """The maximum of each ``kernel_size`` window, ``nn.functional.max_pool2d``.

    Parameters
    ----------
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size``.
    padding : int or (int, int)
        Implicit -inf on both sides, at most half the kernel.
    dilation : int or (int, int)
        The step between a window's elements.
    return_indices : bool
        Also return the flat index (into H * W) of each maximum.
    ceil_mode : bool
        Round the output size up (a last, partial window).

    Shapes: ``(N, C, H, W)`` to ``(N, C, H_out, W_out)``, ``H_out = (H + 2 padding - dilation
    (kh - 1) - 1) // stride + 1`` (W alike); unbatched ``(C, H, W)`` works too. The gradient of
    each window goes to its first maximum, as torch's.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> nn.MaxPool2d(2)(autograd.arange(16.0).reshape(1, 1, 4, 4))
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return self._pool(F.max_pool2d, input)


class AvgPool1d(Module):
    """The mean of each window along the last dim, ``nn.functional.avg_pool1d``.

    Arguments as ``AvgPool2d`` (without ``divisor_override``, as torch), each an int or a
    1-tuple. Shapes: ``(N, C, L)`` (or ``(C, L)``) to ``(N, C, L_out)``, ``L_out = (L + 2
    padding - k) // stride + 1``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> pool = nn.AvgPool1d(2)
    >>> pool(autograd.tensor([[[1.0, 3.0, 5.0, 7.0]]]))
    tensor([[[2., 6.]]])
    """

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool1d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """The mean of each ``kernel_size`` window, ``nn.functional.avg_pool2d``.

    Parameters
    ----------
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Defaults to ``kernel_size``.
    padding : int or (int, int)
        Implicit zeros on both sides, at most half the kernel.
    ceil_mode : bool
        Round the output size up (a last, partial window).
    count_include_pad : bool
        Whether the padding's zeros count in each mean (default True, as torch).
    divisor_override : int, optional
        Divide each window's sum by this instead of the window's size.

    Shapes: ``(N, C, H, W)`` to ``(N, C, H_out, W_out)``, ``H_out = (H + 2 padding - kh) //
    stride + 1`` (W alike); unbatched ``(C, H, W)`` works too.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> pool = nn.AvgPool2d(2)
    >>> pool(autograd.arange(16.0).reshape(1, 1, 4, 4))
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
