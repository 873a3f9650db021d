"""``torch.linalg``: the norms (``norm``, ``vector_norm``, ``matrix_norm``), and ``inv``,
``det`` and ``solve`` (primitives, in ops/linear_algebra.py).

All three are compositions (``sum``, ``abs``, ``sqrt``, ``amax``/``amin``), so their first and
second derivatives come from the primitives. The norms that need singular values
(``'nuc'``, ``2``, ``-2``) raise NotImplementedError.
"""

from __future__ import annotations

import math

from .ops.compositions import amax, amin, vector_norm
from .ops.elementwise import abs as abs_
from .ops.linear_algebra import det, inv, solve
from .ops.reduction import sum as sum_
from .ops.shape import wrap_dim
from .tensor import Tensor

__all__ = ["det", "inv", "matrix_norm", "norm", "solve", "vector_norm"]


def _no_singular_values(ord) -> NotImplementedError:
    return NotImplementedError(
        f"linalg.matrix_norm(ord={ord!r}) needs singular values, which this engine does not "
        "compute; 'fro', 1, -1, inf and -inf are available"
    )


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None):  # noqa: N803 -- torch's name
    """The ``ord`` norm of the matrices in dims ``dim`` of ``A``: (..., m, n) -> (...).

    ``ord``: ``'fro'`` (root of the sum of squares), 1 / -1 (largest / smallest column sum of
    ``|A|``), ``inf`` / ``-inf`` (largest / smallest row sum). Ties in the max or min share the
    gradient evenly, as torch's ``amax``.

    Examples
    --------
    >>> import autograd
    >>> from autograd import linalg
    >>> A = autograd.tensor([[1.0, -2.0], [3.0, 4.0]], dtype=autograd.float64)
    >>> linalg.matrix_norm(A), linalg.matrix_norm(A, ord=1)
    (tensor(5.4772, dtype=float64), tensor(6., dtype=float64))
    """
    if A.dtype.kind != "f":
        raise RuntimeError(
            f"linalg.matrix_norm: Expected a floating point or complex tensor as input. Got "
            f"{A.dtype}"
        )
    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.matrix_norm: The input tensor A must have at least 2 dimensions (got "
            f"shape {A.shape})"
        )
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {tuple(dim)}")
    rows, cols = (wrap_dim("linalg.matrix_norm", d, A.ndim) for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({rows}, {cols})")
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim, dtype=dtype)
    if ord in ("nuc", 2, -2):
        raise _no_singular_values(ord)
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if dtype is not None:
        A = A.to(dtype)
    # 1: sum over rows (each column's sum), then the max over columns; inf: the other way
    summed, across = (rows, cols) if abs(ord) == 1 else (cols, rows)
    sums = sum_(abs_(A), summed, keepdim=True)
    extreme = amax if ord > 0 else amin
    out = extreme(sums, across, keepdim=True)
    return out if keepdim else out.squeeze((rows, cols))


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:  # noqa: N803
    """``torch.linalg.norm``: a vector norm or a matrix norm, chosen as torch chooses.

    ``dim`` an int (or 1-tuple): ``vector_norm``; a 2-tuple: ``matrix_norm``. ``dim`` None: the
    2-norm of all elements when ``ord`` is None, else ``A`` must be 1-D (vector) or 2-D (matrix).

    Examples
    --------
    >>> import autograd
    >>> from autograd import linalg
    >>> v = autograd.tensor([3.0, 4.0], dtype=autograd.float64)
    >>> linalg.norm(v), linalg.norm(v, ord=1)
    (tensor(5., dtype=float64), tensor(7., dtype=float64))
    >>> linalg.norm(autograd.eye(2, dtype=autograd.float64))
    tensor(1.4142, dtype=float64)
    """
    if dim is not None and not isinstance(dim, (tuple, list)):
        dim = (dim,)
    if dim is None and ord is not None:
        if A.ndim not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D."
            )
        dim = tuple(range(A.ndim))
    if dim is not None and len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.norm: ord {ord!r} needs a 2-D dim, got dim={dim}")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
