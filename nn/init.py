"""Weight initialisation, PyTorch's ``torch.nn.init``: same names, arguments and formulas.

Every function fills a Tensor (or Parameter, or ndarray) in place, on its ``.data`` array and
outside the graph, keeps its dtype, and returns it. Random numbers come from the global stream
(``autograd.manual_seed(0)``, which is ``np.random.seed(0)``, makes an initialisation
reproducible) or from the ``generator=`` given, as in torch.

Fans follow PyTorch: for a weight of shape ``(out, in, *kernel)`` (``Linear``: ``(out, in)``;
``Conv2d``: ``(out_channels, in_channels, kh, kw)``), ``fan_in = in * prod(kernel)`` and
``fan_out = out * prod(kernel)``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from autograd import Generator, Tensor
from autograd.randomness import normal_numbers, uniform_numbers

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a non-linearity, PyTorch's table.

    ``linear``/``conv*``/``sigmoid``: 1; ``tanh``: 5/3; ``relu``: sqrt(2); ``leaky_relu``:
    sqrt(2 / (1 + negative_slope**2)) with ``param`` the negative slope (default 0.01);
    ``selu``: 3/4.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> init.calculate_gain('relu'), init.calculate_gain('leaky_relu', 0.2)
    (1.4142135623730951, 1.3867504905630728)
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _array(tensor, fn: str, random: bool = False) -> np.ndarray:
    if isinstance(tensor, Tensor):
        array = tensor.data
    elif isinstance(tensor, np.ndarray):
        array = tensor
    else:
        raise TypeError(
            f"{fn}: expected a Tensor (or Parameter, or ndarray) to fill in place, got "
            f"{type(tensor).__name__}"
        )
    if random and array.dtype.kind != "f":
        raise TypeError(
            f"{fn}: random values need a floating point tensor, this one is {array.dtype}; "
            "convert it first with .float()"
        )
    return array


def _fill(tensor, values, fn: str, random: bool = True):
    array = _array(tensor, fn, random)
    array[...] = values
    return tensor


def _calculate_fan_in_and_fan_out(tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shaped ``(out, in, *kernel)``; needs 2 or more dims."""
    shape = _array(tensor, "_calculate_fan_in_and_fan_out").shape
    if len(shape) < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field_size = 1
    for s in shape[2:]:
        receptive_field_size *= s
    return shape[1] * receptive_field_size, shape[0] * receptive_field_size


def _calculate_correct_fan(tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(
    tensor: Tensor | np.ndarray, a: float = 0.0, b: float = 1.0, generator: Generator | None = None
) -> Tensor | np.ndarray:
    """Fill with values from U(a, b).

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> _ = autograd.manual_seed(0)
    >>> w = init.uniform_(autograd.empty(1000), a=-1.0, b=1.0)
    >>> bool(w.min() >= -1), bool(w.max() < 1)
    (True, True)
    """
    array = _array(tensor, "uniform_", random=True)
    draws = uniform_numbers(generator, array.shape, array.dtype, a, b)
    return _fill(tensor, draws, "uniform_")


def normal_(
    tensor: Tensor | np.ndarray,
    mean: float = 0.0,
    std: float = 1.0,
    generator: Generator | None = None,
) -> Tensor | np.ndarray:
    """Fill with values from N(mean, std**2).

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> _ = autograd.manual_seed(0)
    >>> w = init.normal_(autograd.empty(100, 100), mean=2.0, std=0.5)
    >>> round(float(w.mean()), 1), round(float(w.std()), 1)
    (2.0, 0.5)
    """
    array = _array(tensor, "normal_", random=True)
    draws = normal_numbers(generator, array.shape, array.dtype, mean, std)
    return _fill(tensor, draws, "normal_")


def constant_(tensor: Tensor | np.ndarray, val: float) -> Tensor | np.ndarray:
    """Fill with ``val``.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> init.constant_(autograd.zeros(3), 0.5)
    tensor([0.5000, 0.5000, 0.5000])
    """
    return _fill(tensor, val, "constant_", random=False)


def zeros_(tensor: Tensor | np.ndarray) -> Tensor | np.ndarray:
    """Fill with 0.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> init.zeros_(autograd.ones(3))
    tensor([0., 0., 0.])
    """
    return _fill(tensor, 0, "zeros_", random=False)


def ones_(tensor: Tensor | np.ndarray) -> Tensor | np.ndarray:
    """Fill with 1.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> init.ones_(autograd.empty(2, 2))
    tensor([[1., 1.],
            [1., 1.]])
    """
    return _fill(tensor, 1, "ones_", random=False)


def xavier_uniform_(
    tensor: Tensor | np.ndarray, gain: float = 1.0, generator: Generator | None = None
) -> Tensor | np.ndarray:
    """Glorot uniform: U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> _ = autograd.manual_seed(0)
    >>> w = init.xavier_uniform_(autograd.empty(30, 20))
    >>> bool(w.abs().max() <= (6 / 50) ** 0.5)
    True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(
    tensor: Tensor | np.ndarray, gain: float = 1.0, generator: Generator | None = None
) -> Tensor | np.ndarray:
    """Glorot normal: N(0, std**2) with ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> _ = autograd.manual_seed(0)
    >>> w = init.xavier_normal_(autograd.empty(300, 200))
    >>> round(float(w.std()) / (2 / 500) ** 0.5, 1)
    1.0
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(
    tensor: Tensor | np.ndarray,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor | np.ndarray:
    """He uniform: U(-bound, bound) with ``bound = gain * sqrt(3 / fan_mode)``.

    ``gain = calculate_gain(nonlinearity, a)``; ``a`` is the negative slope of a leaky ReLU.
    ``Linear`` and ``Conv2d`` initialise their weights with ``a=sqrt(5)``.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> _ = autograd.manual_seed(0)
    >>> w = init.kaiming_uniform_(autograd.empty(64, 96), nonlinearity='relu')
    >>> bound = (6 / 96) ** 0.5
    >>> bool(w.abs().max() <= bound), bool(w.abs().max() > 0.9 * bound)
    (True, True)
    """
    if 0 in _array(tensor, "kaiming_uniform_").shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor | np.ndarray,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor | np.ndarray:
    """He normal: N(0, std**2) with ``std = gain / sqrt(fan_mode)``.

    Examples
    --------
    >>> import autograd
    >>> from nn import init
    >>> _ = autograd.manual_seed(0)
    >>> w = init.kaiming_normal_(autograd.empty(256, 512), nonlinearity='relu')
    >>> round(float(w.std()) / (2 / 512) ** 0.5, 1)
    1.0
    """
    if 0 in _array(tensor, "kaiming_normal_").shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(fan), generator)
