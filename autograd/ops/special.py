"""Special functions: ``erf``, ``log1p`` and ``expm1``, elementwise primitives.

Each forward is accurate to float64 rounding; their derivatives are the rule table's
(``rules.py``), written with Tensor operations, so that gradients of gradients work:

    d erf(x)/dx   = 2/sqrt(pi) exp(-x^2)
    d log1p(x)/dx = 1 / (1 + x)
    d expm1(x)/dx = exp(x) = expm1(x) + 1

``erf`` is no composition of the other primitives; ``log1p`` and ``expm1`` are, as
``log(1 + x)`` and ``exp(x) - 1``, but those lose the digits of ``x`` near 0.

numpy has no ``erf``; ``_erf`` below evaluates W. J. Cody's rational Chebyshev approximations
(Math. Comp. 23 (1969), 631-637; the SPECFUN routine CALERF) over three ranges of ``|x|``,
within a few units in the last place of float64 (tests compare it with ``math.erf``).
"""

from __future__ import annotations

import numpy as np

from ..function import Primitive
from ..rules import table_backward
from ..tensor import Tensor

__all__ = ["erf", "expm1", "log1p"]

# |x| <= 0.5:  erf(x) = x P(x^2) / Q(x^2)
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)  # fmt: skip
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)  # fmt: skip
# 0.5 < |x| <= 4:  erfc(x) = exp(-x^2) P(x) / Q(x)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)  # fmt: skip
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)  # fmt: skip
# |x| > 4:  erfc(x) = exp(-x^2) / x (1/sqrt(pi) + R(1/x^2) / x^2)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)  # fmt: skip
_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)  # fmt: skip
_ONE_OVER_SQRT_PI = 5.6418958354775628695e-1


def _erf_small(xs: np.ndarray) -> np.ndarray:
    """``erf(x)`` for ``|x| <= 0.5``: ``x P(x^2) / Q(x^2)``, by Horner's rule in place."""
    z = xs * xs
    num, den = _A[4] * z, z.copy()
    for a, b in zip(_A[:3], _B[:3]):
        num += a
        num *= z
        den += b
        den *= z
    num += _A[3]
    num *= xs
    den += _B[3]
    num /= den
    return num


def _erfc_large(y: np.ndarray) -> np.ndarray:
    """``erfc(y)`` for ``y > 0.5`` (nan stays nan), to a few units in the last place of its
    own size: ``exp(-y^2)`` times Cody's rational function of ``y`` (or of ``1/y^2`` past 4)."""
    z = np.minimum(y, 30.0)  # erfc(30) is 0 in float64, as is erfc of anything beyond
    num, den = _C[8] * z, z.copy()
    for c, d in zip(_C[:7], _D[:7]):
        num += c
        num *= z
        den += d
        den *= z
    num += _C[7]
    den += _D[7]
    num /= den  # erfc(z) exp(z^2) for z <= 4
    far = z > 4
    if far.any():
        zf = z[far]
        w = 1 / (zf * zf)
        n, d = _P[5] * w, w
        for p, q in zip(_P[:4], _Q[:4]):
            n, d = (n + p) * w, (d + q) * w
        num[far] = (_ONE_OVER_SQRT_PI - w * (n + _P[4]) / (d + _Q[4])) / zf
    z = z * z
    np.negative(z, out=z)
    np.exp(z, out=z)
    num *= z
    return num


def _erf(x: np.ndarray) -> np.ndarray:
    """``erf(x)`` elementwise in float64, within a few units in the last place (``nan`` stays).

    For ``|x| > 0.5`` the result is ``1 - erfc(|x|)`` with the sign of ``x``; ``exp(-x^2)``
    is taken directly (Cody's split of ``x^2`` guards erfc's relative accuracy, which erf,
    at least 0.52 there, does not need).
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    small = np.abs(x) <= 0.5
    out[small] = _erf_small(x[small])
    big = ~small  # nan included: it stays nan throughout
    out[big] = np.copysign(1 - _erfc_large(np.abs(x[big])), x[big])
    return out


def _erfc_array(x: np.ndarray) -> np.ndarray:
    """``erfc(x) = 1 - erf(x)`` without the cancellation: Cody's erfc above 0.5, ``2 - erfc(-x)``
    below -0.5, ``1 - erf(x)`` between (where erf is at most 0.52)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    small = np.abs(x) <= 0.5
    out[small] = 1 - _erf_small(x[small])
    positive = x > 0.5
    out[positive] = _erfc_large(x[positive])
    negative = ~small & ~positive  # nan included
    out[negative] = 2 - _erfc_large(-x[negative])
    return out


def _floating(x: Tensor) -> np.ndarray:
    """``x``'s array, integers and bools as float32 (torch's result of a float function)."""
    data = x.data
    return data if data.dtype.kind == "f" else data.astype(np.float32)


class Erf(Primitive):
    op = "erf"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        data = _floating(x)
        return _erf(data).astype(data.dtype, copy=False)

    backward = table_backward("erf")


class Log1p(Primitive):
    op = "log1p"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):  # log1p(-1) = -inf, below: nan
            return np.log1p(_floating(x))

    backward = table_backward("log1p")


class Expm1(Primitive):
    op = "expm1"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(over="ignore"):
            return ctx.save_output(np.expm1(_floating(x)))

    backward = table_backward("expm1")


def erf(x: Tensor) -> Tensor:
    """The error function ``2/sqrt(pi) ∫_0^x exp(-t^2) dt`` elementwise; same shape as ``x``."""
    return Erf.apply(x)


def log1p(x: Tensor) -> Tensor:
    """``log(1 + x)`` elementwise, accurate for tiny ``x``; same shape as ``x``."""
    return Log1p.apply(x)


def expm1(x: Tensor) -> Tensor:
    """``exp(x) - 1`` elementwise, accurate for tiny ``x``; same shape as ``x``."""
    return Expm1.apply(x)
