"""Normalisation within each sample, PyTorch's: ``LayerNorm``, ``GroupNorm`` and ``RMSNorm``.

Unlike ``BatchNorm`` they keep no running statistics and behave the same in training and in
evaluation: each sample is normalised with its own statistics. Parameter names, shapes, dtypes,
initial values (weights ones, biases zeros) and reprs are torch's, so state dicts load both ways.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter
from ._factory import check_size, float_dtype

__all__ = ["GroupNorm", "LayerNorm", "RMSNorm"]


def _shape_tuple(normalized_shape) -> tuple:
    if isinstance(normalized_shape, (int, np.integer)):
        return (int(normalized_shape),)
    return tuple(int(n) for n in normalized_shape)


class LayerNorm(Module):
    """Normalise over the last dims of each sample (``normalized_shape``), then scale and shift.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``, the mean and the biased variance taken
    over the last ``len(normalized_shape)`` dims.

    Parameters
    ----------
    normalized_shape : int or sequence of int
        The trailing dims to normalise over, e.g. ``embed_dim``.
    eps : float
        Added to the variance before its square root (default 1e-5).
    elementwise_affine : bool
        Learn ``weight`` (ones) and ``bias`` (zeros) of shape ``normalized_shape`` (default True).
    bias : bool
        With ``elementwise_affine``, whether to learn the shift (default True).
    device, dtype
        As in torch (``device`` None or "cpu"; float32 unless ``dtype`` is given).

    Shapes: input ``(*, *normalized_shape)``, output the same.

    Examples
    --------
    >>> import autograd
    >>> norm = LayerNorm(4)
    >>> norm
    LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
    >>> norm(autograd.randn(2, 3, 4)).shape
    (2, 3, 4)
    """

    def __init__(
        self,
        normalized_shape,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dtype = float_dtype(dtype, device, "LayerNorm")
        self.normalized_shape = _shape_tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(np.empty(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(np.empty(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """``weight`` ones and ``bias`` zeros.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> norm = nn.LayerNorm(3)
        >>> norm.reset_parameters()
        >>> norm.weight.tolist(), norm.bias.tolist()
        ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
        """
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class GroupNorm(Module):
    """Normalise groups of channels of each sample, then scale and shift each channel.

    The C channels are split into ``num_groups`` groups; each group of each sample is brought to
    mean 0 and variance 1 over its channels and all later dims (``F.group_norm``).

    Parameters
    ----------
    num_groups : int
        How many groups; must divide ``num_channels``.
    num_channels : int
        C, the size of dim 1 of the input.
    eps : float
        Added to the variance before its square root (default 1e-5).
    affine : bool
        Learn a per-channel ``weight`` (ones) and ``bias`` (zeros) of shape ``(C,)``.
    device, dtype
        As in torch.
    bias : bool, keyword-only
        With ``affine``, whether to learn the shift (default True).

    Shapes: input ``(N, C, *)``, output the same.

    Examples
    --------
    >>> import autograd
    >>> GroupNorm(2, 6)(autograd.randn(4, 6, 5)).shape
    (4, 6, 5)
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        dtype = float_dtype(dtype, device, "GroupNorm")
        self.num_groups = check_size("GroupNorm", "num_groups", num_groups, positive=True)
        self.num_channels = check_size("GroupNorm", "num_channels", num_channels)
        if num_channels % num_groups:
            raise ValueError(
                f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})"
            )
        self.eps = eps
        self.affine = affine
        if affine:
            self.weight = Parameter(np.empty((num_channels,), dtype=dtype))
            if bias:
                self.bias = Parameter(np.empty((num_channels,), dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """``weight`` ones and ``bias`` zeros.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> norm = nn.GroupNorm(2, 4)
        >>> norm.reset_parameters()
        >>> norm.weight.tolist(), norm.bias.tolist()
        ([1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0])
        """
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        if isinstance(input, Tensor) and input.ndim >= 2 and input.shape[1] != self.num_channels:
            raise RuntimeError(
                f"GroupNorm: input of shape {input.shape} has {input.shape[1]} channels (dim 1), "
                f"but the layer was made for num_channels={self.num_channels}"
            )
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class RMSNorm(Module):
    """Divide by the root mean square over the last dims of each sample, then scale.

    ``y = x / sqrt(mean(x^2) + eps) * weight``: ``LayerNorm`` without centring and shift.

    Parameters
    ----------
    normalized_shape : int or sequence of int
        The trailing dims to normalise over.
    eps : float, optional
        Added to the mean square; None (the default) takes the input dtype's machine epsilon.
    elementwise_affine : bool
        Learn ``weight`` (ones) of shape ``normalized_shape`` (default True).
    device, dtype
        As in torch.

    Shapes: input ``(*, *normalized_shape)``, output the same.

    Examples
    --------
    >>> RMSNorm([2, 3])
    RMSNorm((2, 3), eps=None, elementwise_affine=True)
    """

    def __init__(
        self,
        normalized_shape,
        eps: float | None = None,
        elementwise_affine: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dtype = float_dtype(dtype, device, "RMSNorm")
        self.normalized_shape = _shape_tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(np.empty(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """``weight`` ones.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> norm = nn.RMSNorm(3)
        >>> norm.reset_parameters()
        >>> norm.weight.tolist()
        [1.0, 1.0, 1.0]
        """
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, input: Tensor) -> Tensor:
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )
