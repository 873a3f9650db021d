"""``cumsum``, ``cumprod`` and the dense linear algebra of ``torch.linalg`` that needs rules:
``inv``, ``det`` and ``solve``, primitives whose derivatives are the rule table's (rules.py).

They are primitives because no composition of the others computes them: an inverse or a
solve is a factorisation (numpy's LAPACK), a running sum is a scan. Their rules are written
with themselves and matmul, so second derivatives work:

    d cumsum: the gradient summed from the end (flip, cumsum, flip)
    d cumprod: the same sum of grad * out, divided by the input; exact at zeros too (rules.py)
    d inv(A) = -inv(A)^T G inv(A)^T
    d det(A) = G det(A) inv(A)^T
    X = solve(A, B):  dB = solve(A^T, G),  dA = -dB X^T
"""

from __future__ import annotations

import numpy as np

from ..function import Primitive
from ..rules import table_backward
from ..tensor import Tensor
from .shape import wrap_dim

__all__ = ["cumprod", "cumsum", "det", "inv", "solve"]


class Cumsum(Primitive):
    op = "cumsum"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        data = a.data
        dtype = np.int64 if data.dtype.kind in "biu" else data.dtype  # torch: ints sum in int64
        return np.cumsum(data, axis=dim, dtype=dtype) if data.ndim else data.astype(dtype)

    backward = table_backward("cumsum")


def cumsum(a: Tensor, dim: int) -> Tensor:
    """Running sums along ``dim``: ``out[..., i] = a[..., 0] + ... + a[..., i]``."""
    return Cumsum.apply(a, wrap_dim("cumsum", dim, a.ndim))


class Cumprod(Primitive):
    op = "cumprod"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        ctx.save_for_backward(a)
        data = a.data
        dtype = np.int64 if data.dtype.kind in "biu" else data.dtype  # torch: ints in int64
        out = np.cumprod(data, axis=dim, dtype=dtype) if data.ndim else data.astype(dtype)
        return ctx.save_output(out)

    backward = table_backward("cumprod")


def cumprod(a: Tensor, dim: int) -> Tensor:
    """Running products along ``dim``: ``out[..., i] = a[..., 0] * ... * a[..., i]``."""
    return Cumprod.apply(a, wrap_dim("cumprod", dim, a.ndim))


def _square(name: str, a: Tensor) -> np.ndarray:
    data = a.data
    if data.ndim < 2 or data.shape[-1] != data.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{data.shape[-2] if data.ndim >= 2 else data.size} by "
            f"{data.shape[-1] if data.ndim else 1} matrices"
        )
    if data.dtype.kind != "f":
        raise RuntimeError(f"linalg.{name}: Expected a floating point tensor, got {data.dtype}")
    return data


class Inv(Primitive):
    op = "inv"

    @staticmethod
    def forward(ctx, a):
        data = _square("inv", a)
        try:
            return ctx.save_output(np.linalg.inv(data))
        except np.linalg.LinAlgError:
            raise RuntimeError(
                "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed "
                "because the input matrix is singular."
            ) from None


class Det(Primitive):
    op = "det"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ctx.save_output(np.asarray(np.linalg.det(_square("det", a))))


class Solve(Primitive):
    op = "solve"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        A, B = _square("solve", a), b.data
        # torch reads B as vectors when it is (n,) or (..., n) with A's batch: (..., n, n)
        vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
        ctx.vector = vector  # (a recorded context keeps it; an unrecorded one drops it)
        rhs = B[..., None] if vector else B
        try:
            x = np.linalg.solve(A, rhs)
        except np.linalg.LinAlgError:
            raise RuntimeError(
                "linalg.solve: The solver failed because the input matrix is singular."
            ) from None
        return ctx.save_output(x[..., 0] if vector else x)


Inv.backward = table_backward("inv")
Det.backward = table_backward("det", inv=Inv)
Solve.backward = table_backward("solve", solve=Solve)


def inv(A: Tensor) -> Tensor:
    """The inverse of each square matrix: (..., n, n) -> (..., n, n).

    Examples
    --------
    >>> import autograd
    >>> from autograd import linalg
    >>> A = autograd.tensor([[2.0, 1.0], [1.0, 1.0]], dtype=autograd.float64)
    >>> linalg.inv(A).numpy().round(10)
    array([[ 1., -1.],
           [-1.,  2.]])
    """
    return Inv.apply(A)


def det(A: Tensor) -> Tensor:
    """The determinant of each square matrix: (..., n, n) -> (...).

    Examples
    --------
    >>> import autograd
    >>> from autograd import linalg
    >>> A = autograd.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=autograd.float64)
    >>> round(linalg.det(A).item(), 10)
    5.0
    >>> linalg.det(autograd.eye(3).expand(4, 3, 3)).shape
    (4,)
    """
    return Det.apply(A)


def solve(A: Tensor, B: Tensor) -> Tensor:
    """``X`` with ``A X = B``: A (..., n, n), B (..., n, k) or (..., n) -> X shaped like B.

    Examples
    --------
    >>> import autograd
    >>> from autograd import linalg
    >>> A = autograd.tensor([[2.0, 0.0], [0.0, 4.0]], dtype=autograd.float64)
    >>> linalg.solve(A, autograd.tensor([2.0, 2.0], dtype=autograd.float64))
    tensor([1.0000, 0.5000], dtype=float64)
    """
    return Solve.apply(A, B)
