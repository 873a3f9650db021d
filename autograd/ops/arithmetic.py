"""Arithmetic with broadcasting: ``+ - * / **``, negation and ``@``.

Operands may be Tensors or Python numbers on either side. The derivatives of ``+ - * / **`` and
negation are the table's (rules.py), summed back to each input's shape by ``table_backward``.
"""

from __future__ import annotations

import numpy as np

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


def _wrapped(number: int, dtype: np.dtype):
    """A Python int beside an integer tensor, as torch reads it: in the tensor's dtype, wrapped
    around when out of its range (``uint8 + 300`` adds 44), where numpy would raise."""
    info = np.iinfo(dtype)
    if info.min <= number <= info.max:
        return number
    return np.array(number & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64).astype(dtype)[()]


def _binary(op: str, fn, a, b):
    """``fn(a, b)`` on the arrays, with PyTorch's result dtype and our broadcast error."""
    x, y = _data(a), _data(b)
    if type(y) is int and type(x) is np.ndarray and x.dtype.kind in "iu":
        y = _wrapped(y, x.dtype)
    elif type(x) is int and type(y) is np.ndarray and y.dtype.kind in "iu":
        x = _wrapped(x, y.dtype)
    try:
        out = fn(x, y)
    except ValueError:
        raise broadcast_error(op, _shape(a), _shape(b)) from None
    return match_torch_dtype(np.asarray(out), x, y, true_divide=fn is np.true_divide)


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
        return _binary("sub", np.subtract, a, b)

    backward = table_backward("sub")


class Mul(Primitive):
    op = "*"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _binary("mul", np.multiply, a, b)  # no errstate here: it would double the cost

    backward = table_backward("mul")


class Div(Primitive):
    op = "/"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is inf or nan, as in torch
            return ctx.save_output(_binary("div", np.true_divide, a, b))

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
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return ctx.save_output(_binary("pow", np.power, a, b))

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
