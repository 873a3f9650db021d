"""The child-process harness the benchmarks share.

A benchmark script runs every (engine, workload) pair in its own child process: the parent
re-invokes the script with ``--worker ENGINE --workload NAME`` (plus the script's own options),
and the child prints one ``BENCH_RESULT {json}`` line on stdout (``emit_result``), which the
parent reads back (``spawn``). This module holds that protocol, the memory and thread-pool
probes the workers report, and the small helpers the parents' reports have in common.

The scripts are run as ``python bench/NAME.py``, so this directory is the first entry of
``sys.path`` and ``import harness`` finds this file whatever the current directory is.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULT_TAG = "BENCH_RESULT "


# ---------------------------------------------------------------------------------------------
# worker side
# ---------------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        return peak / (1024 * 1024)
    return peak / 1024


def current_rss_mb() -> float | None:
    """Resident set size right now (Linux only; None elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def rss_checkpoint() -> dict:
    """Peak and current RSS in MB, as the memory workloads record them at their checkpoints."""
    return {"peak_mb": peak_rss_mb(), "current_mb": current_rss_mb()}


def blas_threads() -> list:
    """numpy's BLAS / OpenMP thread pools, where threadpoolctl is installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return [
        {"api": i.get("internal_api"), "threads": i.get("num_threads")} for i in threadpool_info()
    ]


def python_version() -> str:
    return sys.version.split()[0]


def emit_result(res: dict, with_cpus: bool = False) -> None:
    """Write a worker's result as the one ``BENCH_RESULT {json}`` line the parent reads.

    Adds ``python`` (the version) and, with ``with_cpus``, ``cpu_count`` to ``res`` first.
    """
    res["python"] = python_version()
    if with_cpus:
        res["cpu_count"] = os.cpu_count()
    sys.stdout.write(RESULT_TAG + json.dumps(res) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


def add_common_args(p: argparse.ArgumentParser) -> None:
    """``--timeout`` and ``--json``, then the hidden ``--worker`` / ``--workload`` (child mode)."""
    p.add_argument("--timeout", type=float, default=1800, help="per-child timeout in seconds")
    p.add_argument("--json", metavar="PATH", help="also write all results to this JSON file")
    # internal: child-process mode
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--workload", help=argparse.SUPPRESS)


def spawn(script: str, engine: str, workload: str, extra: list[str], timeout: float) -> dict:
    """Run ``script --worker ENGINE --workload WORKLOAD EXTRA...`` in a child; return its result.

    The result gains ``process_wall_s``; a child that times out or prints no result line gives
    ``{"engine", "workload", "failed": reason}`` instead.
    """
    cmd = [sys.executable, os.path.abspath(script), "--worker", engine, "--workload", workload]
    cmd += extra
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, check=False, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {
            "engine": engine,
            "workload": workload,
            "failed": f"timed out after {timeout:.0f} s",
        }
    wall = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            res = json.loads(line[len(RESULT_TAG) :])
            res["process_wall_s"] = wall
            return res
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    return {
        "engine": engine,
        "workload": workload,
        "failed": f"exit code {proc.returncode}: " + " | ".join(tail),
    }


def load_average() -> float | None:
    """The 1-minute load average, where the platform has one."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def print_start(with_cpus: bool = True) -> float | None:
    """Print the parent's first line (python, platform, CPUs, load); return the load average."""
    load = load_average() if with_cpus else None
    line = f"python {python_version()} on {sys.platform}"
    if with_cpus:
        line += f", {os.cpu_count()} CPUs"
        if load is not None:
            line += f", load average {load:.2f} at start"
    print(line + "; one child process per engine/workload")
    return load


def write_json(path: str | None, results: list[dict]) -> None:
    if path:
        with open(path, "w") as f:
            json.dump(results, f, indent=1)


def ok_result(results: list[dict], engine: str) -> dict | None:
    """The first result of ``engine`` that did not fail, or None."""
    return next((r for r in results if r["engine"] == engine and "failed" not in r), None)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def fmt_ratio(value: float, digits: int = 2) -> str:
    return "n/a" if math.isnan(value) else f"{value:.{digits}f}x"


def threads_note(r: dict, blas_label: str = "BLAS/OpenMP pools") -> str:
    """torch's thread counts and numpy's BLAS pools as a child reported them."""
    parts = []
    if "torch_threads" in r:
        parts.append(
            f"torch {r['torch_version']}: {r['torch_threads']} intra-op / "
            f"{r['torch_interop_threads']} inter-op threads"
        )
    if r.get("blas_threads"):
        pools = ", ".join(f"{p['api']} {p['threads']}" for p in r["blas_threads"])
        parts.append(f"{blas_label}: {pools}")
    return "; ".join(parts)
