"""Normalisation: ``batch_norm`` (over the batch), ``layer_norm`` (over each sample),
``group_norm`` (over groups of channels of each sample) and ``rms_norm`` (by the root mean square
over each sample, without centring).

Both are compositions of primitives (mean, subtraction, square root, division), so they are
differentiable to any order; the running statistics of ``batch_norm`` are plain arrays updated
in place, outside the graph.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from ._checks import constant, tensor

__all__ = ["batch_norm", "group_norm", "layer_norm", "rms_norm"]


def _running_array(name: str, x, channels: int) -> np.ndarray:
    data = x.data if isinstance(x, Tensor) else x
    if not isinstance(data, np.ndarray) or data.shape != (channels,):
        shape = getattr(data, "shape", type(data).__name__)
        raise ValueError(
            f"batch_norm: {name} must be a Tensor or ndarray of shape ({channels},), one entry "
            f"per channel (dim 1 of the input), got {shape}"
        )
    return data


def _per_channel(name: str, x, shape: tuple, dtype) -> Tensor:
    """A per-channel Tensor (or array) of shape (C,) as ``shape`` = (1, C, 1, ...)."""
    t = constant(x, dtype)
    if t.shape != (shape[1],):
        raise ValueError(
            f"batch_norm: {name} must have shape ({shape[1]},), one entry per channel (dim 1 "
            f"of the input), got {t.shape}"
        )
    return t.reshape(shape)


def batch_norm(
    input: Tensor,
    running_mean,
    running_var,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel (dim 1) to mean 0 and variance 1, then scale and shift it.

    Parameters
    ----------
    input : Tensor
        Shape ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)`` (any ``(N, C, *)``).
    running_mean, running_var : Tensor or ndarray of shape (C,), or None
        The running statistics. When ``training``, the batch's statistics are used and these
        are updated in place: ``running = (1 - momentum) * running + momentum * batch``, the
        variance unbiased (divided by n - 1). When not training they are what normalises, and
        are required.
    weight, bias : Tensor of shape (C,), optional
        The per-channel scale (gamma) and shift (beta).
    training : bool
        Use the batch's statistics (mean and biased variance over all dims but 1).
    momentum, eps : float
        The running statistics' update rate; what is added to the variance before its root.

    Returns
    -------
    Tensor
        Shaped as ``input``: ``(x - mean) / sqrt(var + eps) * weight + bias``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> x = autograd.tensor([[1.0, 10.0], [3.0, 30.0]], dtype=autograd.float64)
    >>> F.batch_norm(x, None, None, training=True)
    tensor([[-1.0000, -1.0000],
            [ 1.0000,  1.0000]], dtype=float64)
    """
    x = tensor("batch_norm", input)
    if x.ndim < 2:
        raise ValueError(
            f"batch_norm: expected an input of shape (N, C, *) with at least 2 dims, got shape "
            f"{x.shape}; for a single sample use x.unsqueeze(0)"
        )
    channels = x.shape[1]
    shape = (1, channels) + (1,) * (x.ndim - 2)
    for other in (running_mean, running_var, weight, bias):
        if isinstance(other, (Tensor, np.ndarray)) and other.dtype != x.dtype:
            # torch's error: numpy would promote a float64 input with float32 statistics
            raise RuntimeError(
                "mixed dtype (CPU): all inputs must share same datatype. (input "
                f"{x.dtype}, weight, bias and running statistics {other.dtype}; convert the "
                "input (x.to(...)) or the module (.double() / .float()))"
            )
    if running_mean is not None:
        running_mean = _running_array("running_mean", running_mean, channels)
    if running_var is not None:
        running_var = _running_array("running_var", running_var, channels)

    if training:
        dims = (0,) + tuple(range(2, x.ndim))
        count = x.data.size // max(channels, 1)
        if count <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {x.shape}"
            )
        mean = x.mean(dims, keepdim=True)
        centered = x - mean
        var = (centered * centered).mean(dims, keepdim=True)
        if running_mean is not None:
            batch_mean = mean.data.reshape(channels)
            running_mean[...] = momentum * batch_mean + (1 - momentum) * running_mean
        if running_var is not None:
            unbiased = var.data.reshape(channels) * (count / (count - 1))
            running_var[...] = momentum * unbiased + (1 - momentum) * running_var
    else:
        if running_mean is None or running_var is None:
            raise ValueError(
                "running_mean must be defined in evaluation mode: pass the running statistics, "
                "or training=True to normalise with the batch's own"
            )
        dtype = x.dtype
        centered = x - Tensor(running_mean.reshape(shape), dtype=dtype)
        var = Tensor(running_var.reshape(shape), dtype=dtype)
    out = centered / (var + eps).sqrt()
    if weight is not None:
        out = out * _per_channel("weight", weight, shape, x.dtype)
    if bias is not None:
        out = out + _per_channel("bias", bias, shape, x.dtype)
    return out


def layer_norm(
    input: Tensor,
    normalized_shape,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the last dims, those of ``normalized_shape``, then scale and shift.

    ``(x - mean) / sqrt(var + eps) * weight + bias``, the mean and the biased variance taken
    over the last ``len(normalized_shape)`` dims of each sample; ``weight`` and ``bias`` have
    shape ``normalized_shape``.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> x = autograd.tensor([[1.0, 2.0, 3.0]], dtype=autograd.float64)
    >>> F.layer_norm(x, (3,))
    tensor([[-1.2247,  0.0000,  1.2247]], dtype=float64)
    """
    x = tensor("layer_norm", input)
    if isinstance(normalized_shape, (int, np.integer)):
        normalized_shape = (int(normalized_shape),)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or x.ndim < k or x.shape[x.ndim - k :] != normalized_shape:
        raise ValueError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(map(str, normalized_shape))}], but got input of size{list(x.shape)}"
        )
    dims = tuple(range(x.ndim - k, x.ndim))
    centered = x - x.mean(dims, keepdim=True)
    var = (centered * centered).mean(dims, keepdim=True)
    out = centered / (var + eps).sqrt()
    for name, t in (("weight", weight), ("bias", bias)):
        if t is None:
            continue
        t = constant(t, x.dtype)
        if t.shape != normalized_shape:
            raise ValueError(
                f"layer_norm: {name} must have shape normalized_shape={normalized_shape}, got "
                f"{t.shape}"
            )
        out = out * t if name == "weight" else out + t
    return out


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each group of channels of each sample, then scale and shift each channel.

    The C channels (dim 1) are split into ``num_groups`` consecutive groups; each group of each
    sample (its channels and all the dims after them) is brought to mean 0 and (biased)
    variance 1: ``(x - mean) / sqrt(var + eps) * weight + bias``.

    Parameters
    ----------
    input : Tensor
        Shape ``(N, C, *)``, with C divisible by ``num_groups``.
    num_groups : int
        How many groups the channels form (1: like ``layer_norm`` over ``(C, *)``; C: like
        instance normalisation).
    weight, bias : Tensor of shape (C,), optional
        The per-channel scale and shift.
    eps : float
        Added to the variance before its square root.

    Returns
    -------
    Tensor
        Shaped as ``input``.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([[[1.0, 3.0], [5.0, 7.0]]])  # N=1, C=2, L=2
    >>> [[round(v, 4) for v in row] for row in group_norm(x, 2)[0].tolist()]
    [[-1.0, 1.0], [-1.0, 1.0]]
    """
    x = tensor("group_norm", input)
    if x.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {x.ndim}")
    n, channels = x.shape[0], x.shape[1]
    if num_groups <= 0 or channels % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {list(x.shape)} and num_groups={num_groups}"
        )
    grouped = x.reshape(n, num_groups, -1)
    centered = grouped - grouped.mean(2, keepdim=True)
    var = (centered * centered).mean(2, keepdim=True)
    out = (centered / (var + eps).sqrt()).reshape(x.shape)
    shape = (1, channels) + (1,) * (x.ndim - 2)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is None:
            continue
        t = constant(t, x.dtype)
        if t.shape != (channels,):
            raise RuntimeError(
                f"group_norm: {name} must have shape ({channels},), one entry per channel (dim "
                f"1 of the input), got {t.shape}"
            )
        out = out * t.reshape(shape) if name == "weight" else out + t.reshape(shape)
    return out


def rms_norm(
    input: Tensor,
    normalized_shape,
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """Divide by the root mean square over the last dims (those of ``normalized_shape``), scale.

    ``x / sqrt(mean(x^2) + eps) * weight`` (Zhang and Sennrich, 2019): ``layer_norm`` without
    the centring and the shift. ``eps=None`` takes the machine epsilon of the input's dtype, as
    torch.

    Parameters
    ----------
    input : Tensor
        Shape ``(*, *normalized_shape)``.
    normalized_shape : int or sequence of int
        The trailing dims to normalise over.
    weight : Tensor of shape ``normalized_shape``, optional
    eps : float, optional

    Returns
    -------
    Tensor
        Shaped as ``input``.

    Examples
    --------
    >>> import autograd
    >>> y = rms_norm(autograd.tensor([[3.0, 4.0]]), (2,), eps=0.0)  # the rms is 3.5355...
    >>> [round(v, 4) for v in y[0].tolist()]
    [0.8485, 1.1314]
    """
    x = tensor("rms_norm", input)
    if isinstance(normalized_shape, (int, np.integer)):
        normalized_shape = (int(normalized_shape),)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or x.ndim < k or x.shape[x.ndim - k :] != normalized_shape:
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*{', '.join(map(str, normalized_shape))}], but got input of size{list(x.shape)}"
        )
    if eps is None:
        eps = float(np.finfo(x.dtype if x.dtype.kind == "f" else np.float32).eps)
    dims = tuple(range(x.ndim - k, x.ndim))
    out = x / ((x * x).mean(dims, keepdim=True) + eps).sqrt()
    if weight is not None:
        weight = constant(weight, x.dtype)
        if weight.shape != normalized_shape:
            raise RuntimeError(
                f"rms_norm: weight must have shape normalized_shape={normalized_shape}, got "
                f"{weight.shape}"
            )
        out = out * weight
    return out
