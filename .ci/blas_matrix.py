#!/usr/bin/env python3
"""Run the README's test command once per BLAS setting and print a table of the results.

Every numerical claim in ``tests/`` and ``notebooks/`` must hold whichever kernel OpenBLAS picks and
with one or two BLAS threads: a trajectory that one kernel's summation order happens to steer past
a threshold is not a claim. This script is how that is checked. It sets ``OPENBLAS_CORETYPE`` and
``OPENBLAS_NUM_THREADS`` in the environment of each run only (never in CI, tests or notebooks), runs
the test command, and prints one row per setting::

    python .ci/blas_matrix.py                       # the full matrix, about 3 minutes a row
    python .ci/blas_matrix.py --cores Haswell --threads 1 -- python -m pytest notebooks --nbmake -q

Kernels the CPU cannot run are skipped with a note (OpenBLAS would fall back to another one and
the row would be a duplicate); the "kernel" column is what OpenBLAS reports it actually runs.
Exits non-zero when any row fails, so it can gate a release.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_COMMAND = "python -m pytest tests notebooks --nbmake -q -p no:cacheprovider"
DEFAULT_CORES = ("Prescott", "Haswell", "Zen", "SkylakeX")
DEFAULT_THREADS = ("1", "2")
# CPU flags a kernel needs: OpenBLAS silently falls back to an older kernel without them.
REQUIRED_FLAGS = {"Haswell": {"avx2"}, "Zen": {"avx2"}, "SkylakeX": {"avx512f"}}

_PROBE = (
    "import numpy; from threadpoolctl import threadpool_info; "
    "print(' '.join(sorted({i.get('architecture') or '?' for i in threadpool_info() "
    "if i['internal_api'] == 'openblas'})))"
)


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: let OpenBLAS decide
        return set()
    match = re.search(r"^flags\s*:(.*)$", text, re.MULTILINE)
    return set(match.group(1).split()) if match else set()


def kernel_in_use(env: dict) -> str:
    """The kernel OpenBLAS reports under ``env`` (threadpoolctl), e.g. 'Haswell'."""
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=False
    )
    return probe.stdout.strip() or "?"


def summary(output: str) -> tuple[str, int]:
    """pytest's closing line ('12 passed, 1 failed in 3.2s') less its timing, and the failures."""
    lines = [l for l in output.splitlines() if re.search(r"\d+ (passed|failed|error)", l)]
    if not lines:
        return "no pytest summary", 1
    last = re.sub(r"\s+in [\d.]+s.*$", "", lines[-1].strip("= "))
    failed = sum(int(n) for n in re.findall(r"(\d+) (?:failed|errors?)\b", last))
    return last, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", nargs="+", default=DEFAULT_CORES, help="OPENBLAS_CORETYPEs")
    parser.add_argument("--threads", nargs="+", default=DEFAULT_THREADS, help="thread counts")
    parser.add_argument("--log-dir", default=None, help="keep each run's output here")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="test command (after --)")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    command = command or shlex.split(TEST_COMMAND)
    flags = cpu_flags()
    log_dir = Path(args.log_dir) if args.log_dir else None
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)

    print(f"command: {shlex.join(command)}")
    print(f"{'OPENBLAS_CORETYPE':<18} {'threads':>7}  {'kernel':<10} {'wall':>7}  result")
    rows_failed = 0
    for core in args.cores:
        missing = REQUIRED_FLAGS.get(core, set()) - flags if flags else set()
        if missing:
            print(f"{core:<18} {'-':>7}  {'-':<10} {'-':>7}  skipped: CPU lacks {sorted(missing)}")
            continue
        for threads in args.threads:
            env = dict(os.environ, OPENBLAS_CORETYPE=core, OPENBLAS_NUM_THREADS=threads)
            kernel = kernel_in_use(env)
            start = time.perf_counter()
            run = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
            )
            wall = time.perf_counter() - start
            output = run.stdout + run.stderr
            if log_dir:
                (log_dir / f"{core}-{threads}.log").write_text(output)
            result, failed = summary(output)
            ok = run.returncode == 0 and failed == 0
            rows_failed += not ok
            mark = "ok  " if ok else "FAIL"
            row = f"{core:<18} {threads:>7}  {kernel:<10} {wall:>6.0f}s  {mark} {result}"
            print(row, flush=True)
            if not ok:
                failures = [l for l in output.splitlines() if l.startswith(("FAILED", "ERROR"))]
                for line in failures[:20]:
                    print(f"{'':<20}{line}")
    return 1 if rows_failed else 0


if __name__ == "__main__":
    sys.exit(main())
