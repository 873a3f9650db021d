"""Keep freed array memory in the process, so that a training step does not fault it in again.

A training step allocates the same temporaries every step (im2col columns, activations, their
gradients: about 8 MB for LeNet on batch 64) and frees them when the graph goes. With glibc's
default malloc settings most of that goes back to the operating system at the end of the step:
an array above the mmap threshold is unmapped on free, and freed memory at the top of the heap
above the trim threshold is trimmed. The next step then takes a page fault, and the kernel
zeroes a page, for every 4 KB it touches: measured on LeNet's unpadded variant, 2,100 faults per
step and 45% of the step's CPU time (11.4 -> 6.1 ms per step at one BLAS thread once they are
gone; the MLP step and the padded LeNet fault as well).

``keep_freed_memory()`` raises both thresholds (``mallopt``), so blocks up to
``mmap_threshold`` come from the heap and up to ``trim_threshold`` of freed heap stays mapped
for the next step: the same thing jemalloc or tcmalloc do, which PyTorch's CPU performance guide
recommends preloading. The price is a resident size that stays near its high-water mark (by at
most ``trim_threshold``) instead of shrinking between steps. ``autograd`` calls it once when
imported; it changes nothing but these two settings, only on glibc, and an environment variable
``CHAINRULE_KEEP_FREED_MEMORY=0`` set before the import leaves malloc as it was.
"""

from __future__ import annotations

import ctypes
import os
import platform

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest allowed value on 64-bit (HEAP_MAX / 2)
TRIM_THRESHOLD = 256 * 1024 * 1024

ENVIRONMENT_VARIABLE = "CHAINRULE_KEEP_FREED_MEMORY"


def keep_freed_memory(
    mmap_threshold: int = MMAP_THRESHOLD, trim_threshold: int = TRIM_THRESHOLD
) -> bool:
    """Ask glibc's malloc to keep freed memory mapped; return whether the settings took.

    ``mmap_threshold``: blocks below it (bytes) come from the heap, not from a mapping of their
    own that is unmapped on free. ``trim_threshold``: free memory at the top of the heap up to
    this many bytes stays mapped. False (and nothing changed) on a C library other than glibc,
    or when ``CHAINRULE_KEEP_FREED_MEMORY=0``.
    """
    if os.environ.get(ENVIRONMENT_VARIABLE, "1") == "0":
        return False
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success; setting either turns glibc's own adaptive thresholds off,
    # so both are set
    return bool(mallopt(_M_MMAP_THRESHOLD, int(mmap_threshold))) and bool(
        mallopt(_M_TRIM_THRESHOLD, int(trim_threshold))
    )
