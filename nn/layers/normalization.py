"""``BatchNorm1d`` and ``BatchNorm2d``: batch normalisation with running statistics, PyTorch's.

In training mode each channel (dim 1) is normalised with the batch's own mean and (biased)
variance, and the buffers ``running_mean``/``running_var`` move towards the batch's mean and
unbiased variance: ``running = (1 - momentum) * running + momentum * batch``, or with
``momentum=None`` the cumulative average over the ``num_batches_tracked`` batches so far. In
evaluation mode the running statistics normalise instead (the batch's own when
``track_running_stats=False``, which keeps no buffers).

Parameters, buffers and their names, shapes, dtypes and order are torch's, so state dicts
load both ways: ``weight`` (ones), ``bias`` (zeros), ``running_mean`` (zeros), ``running_var``
(ones), ``num_batches_tracked`` (an int64 0-d counter).
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter
from ._factory import check_size, float_dtype

__all__ = ["BatchNorm1d", "BatchNorm2d"]


class _BatchNorm(Module):
    """What ``BatchNorm1d`` and ``BatchNorm2d`` share; they differ in the input dims checked."""

    _input_dims: tuple = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        layer = type(self).__name__
        dtype = float_dtype(dtype, device, layer)
        self.num_features = check_size(layer, "num_features", num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        n = self.num_features
        if affine:
            self.weight = Parameter(np.empty((n,), dtype=dtype))
            if bias:
                self.bias = Parameter(np.empty((n,), dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros((n,), dtype=dtype)))
            self.register_buffer("running_var", Tensor(np.ones((n,), dtype=dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches tracked (in place)."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        """The running statistics reset, ``weight`` ones and ``bias`` zeros."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input(self, input) -> None:
        if not isinstance(input, Tensor):
            return  # nn.functional.batch_norm names the mistake
        layer = type(self).__name__
        if input.ndim not in self._input_dims:
            dims = " or ".join(f"{d}D" for d in self._input_dims)
            raise ValueError(f"expected {dims} input (got {input.ndim}D input) in {layer}")
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"{layer}: input of shape {input.shape} has {input.shape[1]} channels (dim 1), "
                f"but the layer was made for num_features={self.num_features}"
            )

    def forward(self, input: Tensor) -> Tensor:
        self._check_input(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            counter = self.num_batches_tracked.data
            np.add(counter, 1, out=counter)  # in place: state dicts share the array
            if self.momentum is None:  # the cumulative moving average
                factor = 1.0 / float(counter)
        # the batch's statistics in training, and in evaluation when there are no running ones
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        update = not self.training or self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if update else None,
            self.running_var if update else None,
            self.weight,
            self.bias,
            use_batch,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of ``(N, C)`` or ``(N, C, L)`` inputs, per channel C.

    Parameters
    ----------
    num_features : int
        C, the number of channels.
    eps : float
        Added to the variance before its square root (default 1e-5).
    momentum : float or None
        The running statistics' update rate (default 0.1); None: a cumulative average.
    affine : bool
        Whether to learn a per-channel scale ``weight`` and shift ``bias`` (default True).
    track_running_stats : bool
        Whether to keep running statistics (default True); without them evaluation mode
        normalises with the batch's statistics too.
    device, dtype
        As in torch (``device`` None or "cpu"; float32 unless ``dtype`` is given).
    bias : bool, keyword-only
        With ``affine``, whether to learn the shift (default True), as torch 2.13.

    The output has the input's shape.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> bn = nn.BatchNorm1d(3)
    >>> x = autograd.tensor([[1.0, 2.0, 3.0], [3.0, 6.0, 9.0]])
    >>> bn(x)
    tensor([[-1.0000, -1.0000, -1.0000],
            [ 1.0000,  1.0000,  1.0000]], grad_fn=<AddBackward>)
    >>> bn.running_mean
    tensor([0.2000, 0.4000, 0.6000])
    """

    _input_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of ``(N, C, H, W)`` inputs, per channel C.

    Parameters as ``BatchNorm1d``. The output has the input's shape.

    Examples
    --------
    >>> bn = BatchNorm2d(16)
    >>> sorted(bn.state_dict())
    ['bias', 'num_batches_tracked', 'running_mean', 'running_var', 'weight']
    """

    _input_dims = (4,)
