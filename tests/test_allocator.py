"""autograd keeps freed array memory mapped (glibc's malloc thresholds), so that a training
step's temporaries do not page-fault in again every step: see autograd/allocator.py."""

import os
import platform
import subprocess
import sys

from autograd import allocator

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

# One "training step" of allocations (the sizes of LeNet's temporaries on batch 64, in KB),
# all freed at its end, as a graph is; the minor page faults per step after two warm-up steps.
STEP = """
import resource, sys
import numpy as np
import autograd
SIZES_KB = [3700, 900, 900, 230, 2400, 260, 260, 60, 2400, 230, 900, 900, 3700]
def step():
    arrays = []
    for kb in SIZES_KB:
        a = np.empty(kb * 256, np.float32)
        a.fill(1.0)  # touch every page
        arrays.append(a)
    del arrays
step(); step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    step()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""
PAGES_PER_STEP = sum([3700, 900, 900, 230, 2400, 260, 260, 60, 2400, 230, 900, 900, 3700]) // 4


def _faults_per_step(keep: bool) -> float:
    env = {**os.environ, allocator.ENVIRONMENT_VARIABLE: "1" if keep else "0"}
    out = subprocess.run(
        [sys.executable, "-c", STEP], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip())


def test_a_steps_temporaries_are_reused_without_page_faults():
    kept, default = _faults_per_step(keep=True), _faults_per_step(keep=False)
    if GLIBC:
        # glibc's defaults hand the freed top of the heap back: most pages fault in again
        assert default > PAGES_PER_STEP / 4, f"{default} faults per step with the defaults"
        assert kept < PAGES_PER_STEP / 100, f"{kept} faults per step with memory kept"
    else:  # another C library: nothing is changed, so nothing changes
        assert kept == default or not allocator.keep_freed_memory()


def test_keep_freed_memory_reports_whether_it_applied():
    assert allocator.keep_freed_memory() is GLIBC


def test_environment_variable_opts_out(monkeypatch):
    monkeypatch.setenv(allocator.ENVIRONMENT_VARIABLE, "0")
    assert allocator.keep_freed_memory() is False
