"""Which BLAS kernel numpy runs, and the GEMM shape whose best call depends on it.

A convolution's weight gradient is a product with a short output and a long contraction:
``(C k k, positions) @ (positions, O)``, e.g. LeNet's first layer (25, 50176) @ (50176, 6) on
batch 64. OpenBLAS's kernels for AVX-512 machines (SkylakeX, Cooperlake, SapphireRapids) have a
small-matrix path for products with ``M * N * K <= 1e6`` that skips packing and threads; above
that the general path packs both operands and splits over threads that have little to split.
Measured on LeNet's shape (one core name, SkylakeX; 2 threads): the whole product 0.70 ms, the
same sum in pieces of 6,656 positions 0.26 ms (at batch 256, 3.36 -> 1.58 ms). On the other
kernels (Haswell, Prescott, forced with ``OPENBLAS_CORETYPE``) the pieces are 10-20% slower, so
they are cut only where the small-matrix path exists.

``openblas_core()`` reads the kernel's name from the OpenBLAS library numpy loaded (the one the
wheels ship, or a system one); with another BLAS (MKL, Accelerate) it is None and nothing is cut.
"""

from __future__ import annotations

import ctypes
import functools
import re

import numpy as np

# OpenBLAS's own name for the kernels built with small-matrix GEMMs (SMALL_MATRIX_OPT)
SMALL_MATRIX_CORES = frozenset({"SkylakeX", "Cooperlake", "SapphireRapids"})
SMALL_MATRIX_LIMIT = 1_000_000  # OpenBLAS takes its small-matrix path for M * N * K up to this
SKINNY_OUTPUT = 256  # cut only products whose output has at most this many elements

_CORENAME_SYMBOLS = (  # numpy >= 2 wheels (scipy-openblas), older wheels, a system OpenBLAS
    "scipy_openblas_get_corename64_",
    "scipy_openblas_get_corename",
    "openblas_get_corename64_",
    "openblas_get_corename",
)


@functools.cache
def openblas_core() -> str | None:
    """The name of the kernel numpy's OpenBLAS chose for this CPU (e.g. ``"SkylakeX"``), or None.

    Examples
    --------
    >>> from autograd.blas import openblas_core
    >>> openblas_core() is None or isinstance(openblas_core(), str)
    True
    """
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy loads its BLAS with its first product
    try:
        with open("/proc/self/maps") as maps:
            paths = {m.group(0) for m in re.finditer(r"/\S*openblas\S*\.so[^\s/]*", maps.read())}
    except OSError:  # not Linux
        return None
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for symbol in _CORENAME_SYMBOLS:
            corename = getattr(library, symbol, None)
            if corename is not None:
                corename.restype = ctypes.c_char_p
                name = corename()
                return name.decode() if name else None
    return None


def skinny_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for 2-D ``a`` (M, K) and ``b`` (K, N): summed over pieces of K where a small
    output and a long contraction would miss OpenBLAS's small-matrix path; one call otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.blas import skinny_product
    >>> a, b = np.ones((2, 10_000)), np.ones((10_000, 3))
    >>> skinny_product(a, b)
    array([[10000., 10000., 10000.],
           [10000., 10000., 10000.]])
    """
    (m, k), n = a.shape, b.shape[1]
    piece = SMALL_MATRIX_LIMIT // max(m * n, 1)
    if m * n > SKINNY_OUTPUT or k <= piece or a.dtype != b.dtype or a.dtype.char not in "fd":
        return a @ b  # a short contraction, a big output, or not a BLAS product (ints, halves)
    if openblas_core() not in SMALL_MATRIX_CORES:
        return a @ b
    out = a[:, :piece] @ b[:piece]
    for start in range(piece, k, piece):
        out += a[:, start : start + piece] @ b[start : start + piece]
    return out
