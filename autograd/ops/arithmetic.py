"""Arithmetic with broadcasting: ``+ - * / **``, negation and ``@``.

Operands may be Tensors or Python numbers on either side. The derivatives of ``+ - * / **`` and
negation are the table's (rules.py), summed back to each input's shape by ``table_backward``.
"""

from __future__ import annotations

import numpy as np

from ..blas import skinny_product
from ..broadcasting import broadcast_error
from ..function import Primitive
from ..promotion import match_torch_dtype
from ..rules import table_backward
from ..tensor import Tensor


def _data(x):
    return x.data if isinstance(x, Tensor) else x


def _shape(x) -> tuple:
    return x.data.shape if isinstance(x, Tensor) else np.shape(x)


def _check_operand(op: str, x) -> None:
    if not isinstance(x, (Tensor, int, float, np.ndarray, np.number, bool)):
        raise TypeError(
            f"unsupported operand type(s) for {op}: 'Tensor' and '{type(x).__name__}'; "
            "combine a Tensor with Tensors, numbers or ndarrays"
        )


def _binary(op: str, fn, a, b):
    """``fn(a, b)`` on the arrays, with PyTorch's result dtype and our broadcast error."""
    x, y = _data(a), _data(b)
    try:
        out = fn(x, y)
    except OverflowError:  # numpy refuses uint8 - 2 style mixes that torch wraps
        out = _wrapped(fn, x, y)
    except ValueError:
        try:
            np.broadcast_shapes(_shape(a), _shape(b))
        except ValueError:
            raise broadcast_error(op, _shape(a), _shape(b)) from None
        raise  # not a shape problem (an integer to a negative power): numpy's own message
    return match_torch_dtype(np.asarray(out), x, y, true_divide=fn is np.true_divide)


def _wrapped(fn, x, y):
    """``fn(x, y)`` where one operand is a Python int outside the other's integer dtype: torch
    converts the number to that dtype modulo 2**bits (``uint8 [0] - 2`` is ``[254]``), which is
    exact for ``+ - *`` and ``**`` (arithmetic modulo 2**bits); a true division is computed in
    float64 (its dtype is then set by promotion), and a negative integer power is refused."""
    if fn is np.true_divide:
        return fn(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    if fn is np.power and isinstance(y, int) and y < 0:
        raise ValueError("Integers to negative integer powers are not allowed.")
    if isinstance(x, int):
        x = np.asarray(x).astype(y.dtype)[()] if np.ndim(y) else np.asarray(x).astype(y.dtype)
    else:
        y = np.asarray(y).astype(x.dtype)
    return fn(x, y)


def _is_bool(x) -> bool:
    """Whether an operand (an array or a number) is boolean."""
    return x.dtype == np.bool_ if isinstance(x, np.ndarray) else isinstance(x, (bool, np.bool_))


def _integer_power(x, y):
    """``x ** y`` for integers with a tensor exponent that has negative entries, as torch
    computes it (numpy refuses): ``1 ** -n`` is 1, ``(-1) ** -n`` is 1 or -1 by parity, and any
    other base gives 0 (the truncated reciprocal)."""
    negative = y < 0  # y is an integer ndarray; x keeps its kind (a Python int stays weak)
    out = np.asarray(np.power(x, np.where(negative, 0, y)))
    parity = np.where(y % 2 == 0, 1, -1)
    reciprocal = np.where(x == 1, 1, np.where(x == -1, parity, 0))
    return np.where(negative, reciprocal, out).astype(out.dtype)


class Add(Primitive):
    op = "+"

    @staticmethod
    def forward(ctx, a, b):
        ctx.operands = (a, b)  # for their shapes only: not saved tensors, never freed
        return _binary("add", np.add, a, b)

    backward = table_backward("add")


class Sub(Primitive):
    op = "-"

    @staticmethod
    def forward(ctx, a, b):
        ctx.operands = (a, b)  # for their shapes only: not saved tensors, never freed
        if _is_bool(_data(a)) or _is_bool(_data(b)):
            raise TypeError(
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                "are trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return _binary("sub", np.subtract, a, b)

    backward = table_backward("sub")


class Mul(Primitive):
    op = "*"

    @staticmethod
    def forward(ctx, a, b):
        needs = ctx.needs_input_grad
        if True in needs:
            # torch saves only what the wanted gradients read (d/da = g b, d/db = g a), so
            # that changing the other operand in place afterwards is no error (h * 3, h * w
            # with a constant w); the shapes stay, for sum_to_shape
            ctx.operands = (a, b)
            ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        return _binary("mul", np.multiply, a, b)  # no errstate here: it would double the cost

    backward = table_backward("mul")


class Div(Primitive):
    op = "/"

    @staticmethod
    def forward(ctx, a, b):
        needs = ctx.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is inf or nan, as in torch
            out = _binary("div", np.true_divide, a, b)
        if True not in needs:
            return out
        # d/da = g / b, d/db = -g out / b: b always, the output only for b's gradient (a is
        # never read, so changing it in place afterwards is no error)
        ctx.operands = (a, b)
        ctx.save_for_backward(None, b)
        return ctx.save_output(out) if needs[1] else out

    backward = table_backward("div")


class Neg(Primitive):
    op = "neg"

    @staticmethod
    def forward(ctx, a):
        return -a.data

    backward = table_backward("neg")


class Pow(Primitive):
    op = "**"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = _data(a), _data(b)
        if _is_bool(x) and isinstance(y, np.ndarray) and y.dtype == np.bool_:
            raise TypeError("\"pow\" not implemented for 'Bool': cast one operand to int or float")
        if isinstance(y, int) and y < 0 and np.asarray(x).dtype.kind in "iub":
            # torch refuses it for any integer tensor, empty ones too (numpy only when it has
            # an element to compute)
            raise ValueError("Integers to negative integer powers are not allowed.")
        power = np.power
        if isinstance(y, np.ndarray) and y.dtype.kind == "i" and np.asarray(x).dtype.kind in "iub":
            power = _integer_power  # a tensor of integer exponents may hold negatives
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = _binary("pow", power, a, b)
        if isinstance(y, (bool, np.bool_)) and _is_bool(x):
            out = out.astype(np.bool_)  # torch: a bool tensor to a bool power stays bool
        # the output only for the exponent's gradient (g out log a), as torch's pow(x, 2)
        # saves no result: changing x ** 2 in place afterwards is no error
        return ctx.save_output(out) if ctx.needs_input_grad[1] else out

    backward = table_backward("pow")


def _matmul_error(a: np.ndarray, b: np.ndarray) -> ValueError:
    if a.ndim == 0 or b.ndim == 0:
        return ValueError(
            f"matmul: both arguments need at least 1 dimension, got shapes {a.shape} and "
            f"{b.shape}; use * to multiply by a scalar"
        )
    inner_a = a.shape[-1]
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if inner_a != inner_b:
        dim_b = 0 if b.ndim == 1 else b.ndim - 2
        return ValueError(
            f"matmul: shapes {a.shape} and {b.shape} are not aligned: {inner_a} (dim "
            f"{a.ndim - 1} of the first) != {inner_b} (dim {dim_b} of the second)"
        )
    return ValueError(
        f"matmul: the batch dimensions of shapes {a.shape} and {b.shape} cannot be broadcast "
        "together"
    )


class MatMul(Primitive):
    """``a @ b`` as ``np.matmul``: 1-D, 2-D, batched and mixed ranks."""

    op = "matmul"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = a.data, b.data
        try:
            if x.ndim >= 2 and y.ndim >= 2 and x.shape[-1] == 1 and y.shape[-2] == 1:
                # a contraction over one element is an outer product: numpy's matmul has no
                # BLAS path for it and runs 15x slower than the same broadcast multiply
                return np.multiply(x, y)
            if x.ndim == 2 and y.ndim == 2:
                return skinny_product(x, y)  # np.matmul, or in pieces for a long contraction
            return np.matmul(x, y)
        except ValueError:
            raise _matmul_error(x, y) from None

    backward = table_backward("matmul")


def add(a, b):
    """``a + b`` with broadcasting."""
    _check_operand("+", b)
    return Add.apply(a, b)


def radd(a, b):
    _check_operand("+", b)
    return Add.apply(b, a)


def sub(a, b):
    """``a - b`` with broadcasting."""
    _check_operand("-", b)
    return Sub.apply(a, b)


def rsub(a, b):
    _check_operand("-", b)
    return Sub.apply(b, a)


def mul(a, b):
    """``a * b`` elementwise, with broadcasting."""
    _check_operand("*", b)
    return Mul.apply(a, b)


def rmul(a, b):
    _check_operand("*", b)
    return Mul.apply(b, a)


def div(a, b):
    """``a / b`` elementwise, with broadcasting."""
    _check_operand("/", b)
    return Div.apply(a, b)


def rdiv(a, b):
    _check_operand("/", b)
    return Div.apply(b, a)


def pow(a, b):
    """``a ** b`` elementwise, with broadcasting; ``b`` may be a number or a Tensor."""
    _check_operand("**", b)
    return Pow.apply(a, b)


def rpow(a, b):
    _check_operand("**", b)
    return Pow.apply(b, a)


def neg(a):
    """``-a``."""
    return Neg.apply(a)


def matmul(a, b):
    """``a @ b`` with ``np.matmul`` semantics (1-D, 2-D, batched, mixed ranks)."""
    if not isinstance(b, Tensor):
        if not isinstance(b, (np.ndarray, list)):
            raise TypeError(f"unsupported operand type(s) for @: 'Tensor' and '{type(b).__name__}'")
        b = Tensor(b)
    return MatMul.apply(a, b)


def rmatmul(a, b):
    return matmul(Tensor(b), a)
