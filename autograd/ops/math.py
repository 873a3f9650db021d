"""torch's elementwise math: trigonometric, hyperbolic, logarithms and powers of 2 and 10,
rounding, and the remainders, as primitives whose derivatives are the rule table's (rules.py).

Each is a primitive because its composition would lose digits or values: ``tan`` as
``sin / cos`` is off by an ulp or two, ``acos`` as ``pi/2 - asin`` loses all relative accuracy
near 1, ``sinh`` from ``exp`` cancels near 0, ``log2(8)`` from ``log`` is not 3, ``fmod`` from a
division is not exact. ``frac`` and ``//`` are compositions (``x - trunc(x)``; a floor of the
quotient, which torch does not differentiate either). Integer and bool inputs become float32,
as in torch, except where torch keeps them (rounding, ``sign``, the remainders).
"""

from __future__ import annotations

import numpy as np

from ..function import Primitive
from ..rules import table_backward
from ..tensor import Tensor
from .arithmetic import _binary, _check_operand, _data
from .special import (
    _erfc_array,  # Cody's approximations, as erf's
    _floating,
)

__all__ = [
    "acos", "asin", "atan", "atan2", "ceil", "cos", "cosh", "erfc", "exp2", "floor",
    "floor_divide", "fmod", "frac", "log10", "log2", "nan_to_num", "reciprocal", "remainder",
    "round", "rsqrt", "sign", "sin", "sinh", "tan", "trunc",
]  # fmt: skip


def _unary(name: str, numpy_fn, reads_output: bool = False, keeps_integers: bool = False):
    """The Function of an elementwise primitive ``name``: ``numpy_fn`` forward, the table's rule.

    ``reads_output`` saves the output for a rule that reads it (``tan``, ``exp2``, ...);
    ``keeps_integers`` returns integer and bool inputs as they are (rounding them does nothing).
    """

    def forward(ctx, a):
        if keeps_integers and a.data.dtype.kind in "iu":
            return a.data.copy()
        if keeps_integers and a.data.dtype == np.bool_:
            raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = numpy_fn(_floating(a))
        if reads_output:
            return ctx.save_output(out)
        ctx.save_for_backward(a)
        return out

    return type(
        name.capitalize(),
        (Primitive,),
        {"op": name, "forward": staticmethod(forward), "backward": table_backward(name)},
    )


Sin = _unary("sin", np.sin)
Cos = _unary("cos", np.cos)
Tan = _unary("tan", np.tan, reads_output=True)
Asin = _unary("asin", np.arcsin)
Acos = _unary("acos", np.arccos)
Atan = _unary("atan", np.arctan)
Sinh = _unary("sinh", np.sinh)
Cosh = _unary("cosh", np.cosh)
Log2 = _unary("log2", np.log2)
Log10 = _unary("log10", np.log10)
Exp2 = _unary("exp2", np.exp2, reads_output=True)
Rsqrt = _unary("rsqrt", lambda x: 1 / np.sqrt(x), reads_output=True)
Reciprocal = _unary("reciprocal", np.reciprocal, reads_output=True)
Floor = _unary("floor", np.floor, keeps_integers=True)
Ceil = _unary("ceil", np.ceil, keeps_integers=True)
Round = _unary("round", np.round, keeps_integers=True)  # half to even, as torch
Trunc = _unary("trunc", np.trunc, keeps_integers=True)


class Sign(Primitive):
    op = "sign"

    @staticmethod
    def forward(ctx, a):
        data = a.data
        return data.copy() if data.dtype == np.bool_ else np.sign(data)

    backward = table_backward("sign")


class Erfc(Primitive):
    op = "erfc"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erfc_array(_floating(a)).astype(_floating(a).dtype)

    backward = table_backward("erfc")


class Atan2(Primitive):
    op = "atan2"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        out = _binary("atan2", np.arctan2, a, b)
        return out if out.dtype.kind == "f" else out.astype(np.float32)

    backward = table_backward("atan2")


def _modulo(name: str, numpy_fn):
    """``fmod`` (the sign of the dividend, C's) or ``remainder`` (the divisor's, Python's):
    the same primitive but for ``numpy_fn``; an integer division by zero raises, as torch's."""

    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        _check_zero_divisor(name, a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary(name, numpy_fn, a, b)

    return type(
        name.capitalize(),
        (Primitive,),
        {"op": name, "forward": staticmethod(forward), "backward": table_backward(name)},
    )


Fmod = _modulo("fmod", np.fmod)
Remainder = _modulo("remainder", np.remainder)


def _check_zero_divisor(name: str, a, b) -> None:
    """torch raises for an integer remainder by zero (numpy would give 0 with a warning)."""
    x, y = np.asarray(_data(a)), np.asarray(_data(b))
    if x.dtype.kind in "iu" and y.dtype.kind in "iub" and np.any(y == 0):
        raise ZeroDivisionError(f"{name}: ZeroDivisionError (an integer divided by zero)")


class NanToNum(Primitive):
    op = "nan_to_num"

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.save_for_backward(a)
        return np.nan_to_num(a.data, nan=nan, posinf=posinf, neginf=neginf)

    backward = table_backward("nan_to_num")


def _tensor(name: str, a) -> Tensor:
    if not isinstance(a, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(a).__name__}"
        )
    return a


def _make_unary(name: str, fn_class):
    def function(a: Tensor) -> Tensor:
        return fn_class.apply(_tensor(name, a))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``{name}`` elementwise (torch's ``{name}``), differentiable."
    return function


sin = _make_unary("sin", Sin)
cos = _make_unary("cos", Cos)
tan = _make_unary("tan", Tan)
asin = _make_unary("asin", Asin)
acos = _make_unary("acos", Acos)
atan = _make_unary("atan", Atan)
sinh = _make_unary("sinh", Sinh)
cosh = _make_unary("cosh", Cosh)
erfc = _make_unary("erfc", Erfc)
log2 = _make_unary("log2", Log2)
log10 = _make_unary("log10", Log10)
exp2 = _make_unary("exp2", Exp2)
rsqrt = _make_unary("rsqrt", Rsqrt)
reciprocal = _make_unary("reciprocal", Reciprocal)
floor = _make_unary("floor", Floor)
ceil = _make_unary("ceil", Ceil)
round = _make_unary("round", Round)  # noqa: A001 -- torch's name
trunc = _make_unary("trunc", Trunc)
sign = _make_unary("sign", Sign)


def frac(a: Tensor) -> Tensor:
    """``a - trunc(a)``: the fractional part, with the sign of ``a`` (slope 1); floats only."""
    if _tensor("frac", a).data.dtype.kind != "f":
        raise NotImplementedError(f'"frac" not implemented for {a.dtype} (a float dtype is needed)')
    return a - trunc(a)


def atan2(a: Tensor, b) -> Tensor:
    """The angle of the point ``(b, a)``, in ``(-pi, pi]``, broadcast."""
    _check_operand("atan2", b)
    return Atan2.apply(_tensor("atan2", a), b)


def fmod(a: Tensor, b) -> Tensor:
    """``a - b * trunc(a / b)``, exact (C's ``fmod``): the sign of ``a``."""
    _check_operand("fmod", b)
    return Fmod.apply(_tensor("fmod", a), b)


def remainder(a, b) -> Tensor:
    """``a - b * floor(a / b)`` (Python's ``%``): the sign of ``b``."""
    _check_operand("remainder", b)
    return Remainder.apply(a, b)


class FloorDivide(Primitive):
    op = "floor_divide"

    @staticmethod
    def forward(ctx, a, b):
        _check_zero_divisor("floor_divide", a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _binary("floor_divide", np.floor_divide, a, b)

    backward = table_backward("floor_divide")


def floor_divide(a, b) -> Tensor:
    """``floor(a / b)`` (Python's ``//``), in the operands' promoted dtype. Recorded but not
    differentiable, as in torch: a backward through it raises rather than drop its part."""
    _check_operand("//", b)
    return FloorDivide.apply(a, b)


def nan_to_num(
    a: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """nan, +inf and -inf replaced (by 0 and the dtype's largest and smallest by default)."""
    return NanToNum.apply(_tensor("nan_to_num", a), nan, posinf, neginf)
