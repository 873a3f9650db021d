"""Elementwise functions: each output element depends on the matching input element only.

The derivatives are the rule table's (``rules.py``), written with Tensor operations, so that
under ``create_graph=True`` they are recorded and can be differentiated again. Where a
derivative is a function of the output (``exp``, ``tanh``, ``sigmoid``, ``sqrt``), the forward
keeps the output node itself with ``ctx.save_output``, so second derivatives flow through it
too, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from ..broadcasting import broadcast_shapes
from ..function import Primitive, recording
from ..grad_mode import no_grad
from ..promotion import result_dtype
from ..selection import select
from ..tensor import Tensor
from .arithmetic import _binary, _check_operand, _data, table_backward


def _floating(a) -> np.ndarray:
    """``a``'s array, as float32 if it holds ints or bools (torch: ``exp`` of ints is float)."""
    data = a.data
    return data if data.dtype.kind == "f" else data.astype(np.float32)


class Cast(Primitive):
    op = "to"

    @staticmethod
    def forward(ctx, a, dtype):
        ctx.dtype = a.dtype
        return a.data.astype(dtype)

    backward = table_backward("to")


def cast(a, dtype):
    """``a`` converted to ``dtype`` (differentiable between floating dtypes)."""
    dtype = np.dtype(dtype)
    if a.dtype == dtype:
        return a
    if dtype.kind != "f" and a.requires_grad:
        with no_grad():
            return Cast.apply(a, dtype)
    return Cast.apply(a, dtype)


class Clone(Primitive):
    """A copy, in the graph: the identity, whose gradient passes unchanged."""

    op = "clone"

    @staticmethod
    def forward(ctx, a):
        return a.data.copy()

    backward = table_backward("clone")


def clone(a):
    """A copy of ``a`` with its own memory and version counter, differentiable (torch's clone):
    changing one in place leaves the other as it is; the gradient passes through unchanged."""
    return Clone.apply(a)


class Exp(Primitive):
    op = "exp"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(over="ignore"):  # exp(1000) is inf, as in torch
            return ctx.save_output(np.exp(_floating(a)))

    backward = table_backward("exp")


class Log(Primitive):
    op = "log"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):  # log 0 = -inf, log -1 = nan
            return np.log(_floating(a))

    backward = table_backward("log")


class Sqrt(Primitive):
    op = "sqrt"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):  # sqrt -1 = nan
            return ctx.save_output(np.sqrt(_floating(a)))

    backward = table_backward("sqrt")


class Abs(Primitive):
    op = "abs"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a.data)

    backward = table_backward("abs")


class Tanh(Primitive):
    op = "tanh"

    @staticmethod
    def forward(ctx, a):
        return ctx.save_output(np.tanh(_floating(a)))

    backward = table_backward("tanh")


class Sigmoid(Primitive):
    op = "sigmoid"

    @staticmethod
    def forward(ctx, a):
        # 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below: with e = e^-|x| in (0, 1] neither
        # branch overflows, at x = ±1000 included
        x = _floating(a)
        e = np.exp(-np.abs(x))
        return ctx.save_output(np.where(x >= 0, 1 / (1 + e), e / (1 + e)))

    backward = table_backward("sigmoid")


class ReLU(Primitive):
    op = "ReLU"

    @staticmethod
    def forward(ctx, a):
        # the gate reads the output (out <= 0 exactly where a <= 0), as torch's saves its
        # result: changing the input in place afterwards is no error, changing the output is
        # numpy's maximum has a vectorised loop for two arrays and not for an array and a
        # number: against zeros written first it is 2.4x faster (LeNet's first ReLU at batch
        # 256, 0.56 -> 0.23 ms), the same numbers (NaN passes, as torch)
        x = a.data
        out = np.empty_like(x)
        out.fill(0)
        return ctx.save_output(np.maximum(x, out, out=out))

    backward = table_backward("relu")


class Clamp(Primitive):
    op = "clamp"

    @staticmethod
    def forward(ctx, a, low, high):
        x = a.data
        if recording(ctx):
            # slope 1 inside [low, high], its ends included; 0 outside (as torch)
            inside = np.ones(x.shape, dtype=bool)
            if low is not None:
                inside &= x >= low
            if high is not None:
                inside &= x <= high
            ctx.inside = inside
            ctx.bounds = (low, high)  # not for the rule: for readers of the graph (ONNX export)
        if low is not None:
            x = np.maximum(x, low)
        if high is not None:
            x = np.minimum(x, high)  # after the max: low > high gives high everywhere, as torch
        if x.dtype.kind != "f" or x.dtype != a.data.dtype:  # an int tensor with a float bound
            x = _as_dtype(x, result_dtype(a.data, low, high))
        return x


def _split_weights(loses: np.ndarray, ties: np.ndarray, dtype) -> Tensor:
    """1 where an operand wins, 1/2 on a tie, 0 where it loses: torch's rule for ties."""
    weights = np.where(ties, 0.5, np.where(loses, 0.0, 1.0)).astype(dtype, copy=False)
    return Tensor._from_array(weights)


def _compared(a, b):
    """The operands' arrays in torch's result dtype, where they differ from it: torch compares
    in that dtype (``minimum(uint8 [2], int32 0-d -3)`` compares 2 with 253, the -3 read as
    uint8), while numpy would compare in int32 and then wrap -3 to 253."""
    x, y = _data(a), _data(b)
    dtype = result_dtype(x, y)
    if getattr(x, "dtype", dtype) != dtype or not hasattr(x, "dtype"):
        x = np.asarray(x).astype(dtype)
    if getattr(y, "dtype", dtype) != dtype or not hasattr(y, "dtype"):
        y = np.asarray(y).astype(dtype)
    return x, y


class Maximum(Primitive):
    op = "maximum"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _compared(a, b)
        out = _binary("maximum", np.maximum, x, y)
        if recording(ctx):
            ties = x == y
            ctx.shapes = (np.shape(x), np.shape(y))
            ctx.weights = (
                _split_weights(x < y, ties, out.dtype),
                _split_weights(x > y, ties, out.dtype),
            )
        return out

    backward = table_backward("maximum")


class Minimum(Maximum):
    op = "minimum"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _compared(a, b)
        out = _binary("minimum", np.minimum, x, y)
        if recording(ctx):
            ties = x == y
            ctx.shapes = (np.shape(x), np.shape(y))
            ctx.weights = (
                _split_weights(x > y, ties, out.dtype),
                _split_weights(x < y, ties, out.dtype),
            )
        return out

    # backward: Maximum's, with the weights above (the smaller operand wins)


class Where(Primitive):
    op = "where"

    @staticmethod
    def forward(ctx, condition, x, y):
        if recording(ctx):
            # a copy: the condition is often a bool Tensor's own array, which an in-place
            # change would change under the graph (torch saves it and raises then)
            ctx.condition = condition.copy()
        x, y = _data(x), _data(y)
        ctx.shapes = (np.shape(x), np.shape(y))
        out = np.asarray(select(condition, x, y))
        if type(x) is np.ndarray and out.dtype is x.dtype and getattr(y, "dtype", None) is x.dtype:
            return out  # both Tensors of one dtype: numpy's and torch's types agree
        return _as_dtype(out, result_dtype(x, y))  # torch's, not numpy's (int with float32)


# the rules of clamp and where mask the gradient with Where itself
Clamp.backward = table_backward("clamp", where=Where)
Where.backward = table_backward("where", where=Where)


def _as_dtype(out: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return out if out.dtype == dtype else out.astype(dtype)


def exp(a):
    """``e ** a`` elementwise; same shape as ``a``."""
    return Exp.apply(a)


def log(a):
    """Natural logarithm elementwise (``-inf`` at 0, ``nan`` below, as torch); same shape."""
    return Log.apply(a)


def sqrt(a):
    """Square root elementwise (``nan`` below 0); same shape as ``a``."""
    return Sqrt.apply(a)


def abs(a):
    """``|a|`` elementwise; the gradient at 0 is 0, as in torch. Same shape as ``a``."""
    return Abs.apply(a)


def tanh(a):
    """Hyperbolic tangent elementwise; same shape as ``a``."""
    return Tanh.apply(a)


def sigmoid(a):
    """``1 / (1 + e ** -a)`` elementwise, without overflow at any input; same shape as ``a``."""
    return Sigmoid.apply(a)


def relu(a):
    """``max(a, 0)`` elementwise; the gradient at 0 is 0, as in torch. Same shape as ``a``."""
    return ReLU.apply(a)


def clamp(a, min=None, max=None):
    """``a`` limited to ``[min, max]`` (either may be None); same shape as ``a``.

    The gradient is 1 inside the range (its ends included) and 0 outside, as in torch. For
    Tensor bounds, use ``maximum``/``minimum``.
    """
    if min is None and max is None:
        raise ValueError("torch.clamp: At least one of 'min' or 'max' must not be None")
    for name, bound in (("min", min), ("max", max)):
        if bound is not None and not isinstance(bound, (int, float, np.number)):
            raise TypeError(
                f"clamp: {name} must be a number, got {type(bound).__name__}; for a Tensor "
                f"bound use maximum(a, bound) or minimum(a, bound)"
            )
    if a.data.dtype.kind in "iu":  # an integer bound is read in the tensor's dtype, as torch
        min, max = _integer_bound(min, a.data.dtype), _integer_bound(max, a.data.dtype)
    return Clamp.apply(a, min, max)


_C_INTEGER_NAMES = {"int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "long"}


def _integer_bound(bound, dtype: np.dtype):
    """An int ``bound`` of clamp on an integer tensor, as torch reads it: converted to the
    tensor's dtype, wrapping where it fits the dtype's width (``uint8`` takes -255..255, -1
    reads as 255: ``uint8 [3].clamp(-1, 2)`` is ``[2]``), else torch's overflow error. numpy
    would raise OverflowError for any value outside the dtype's range. Other bounds as given.
    """
    if bound is None or isinstance(bound, (float, np.floating)):
        return bound
    value, info = int(bound), np.iinfo(dtype)
    lowest = -int(info.max) if dtype.kind == "u" else int(info.min)  # c10's overflows()
    if not lowest <= value <= int(info.max):
        name = _C_INTEGER_NAMES.get(dtype.name, f"{dtype.name}_t")
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")
    return np.array(value).astype(dtype)[()]  # two's complement: -1 is 255 in uint8


def _operands(op: str, a, b) -> tuple:
    for x in (a, b):
        _check_operand(op, x)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = Tensor(a)  # two numbers: the result gets PyTorch's default dtype
    return a, b


def maximum(a, b):
    """The larger of ``a`` and ``b`` elementwise, with broadcasting (Tensors or numbers).

    The gradient goes to the larger operand; on a tie each gets half, as in torch.

    Examples
    --------
    >>> import autograd
    >>> autograd.maximum(autograd.tensor([1.0, 5.0]), 3.0)
    tensor([3., 5.])
    """
    return Maximum.apply(*_operands("maximum", a, b))


def minimum(a, b):
    """The smaller of ``a`` and ``b`` elementwise, with broadcasting (Tensors or numbers).

    The gradient goes to the smaller operand; on a tie each gets half, as in torch.

    Examples
    --------
    >>> import autograd
    >>> autograd.minimum(autograd.tensor([1.0, 5.0]), 3.0)
    tensor([1., 3.])
    """
    return Minimum.apply(*_operands("minimum", a, b))


def where(condition, x, y):
    """``x`` where ``condition`` holds, ``y`` elsewhere; the three broadcast together.

    ``condition`` is a bool Tensor or array; ``x`` and ``y`` are Tensors or numbers. The
    gradient flows to ``x`` where the condition holds and to ``y`` where it does not.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0, -2.0, 3.0])
    >>> autograd.where(x > 0, x, 0.0)
    tensor([1., 0., 3.])
    """
    condition = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    if condition.dtype != np.bool_:
        raise TypeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition.dtype}; compare to get one (x > 0) or convert it with .astype(bool)"
        )
    x, y = _operands("where", x, y)
    broadcast_shapes("where", condition.shape, np.shape(_data(x)), np.shape(_data(y)))
    return Where.apply(condition, x, y)
