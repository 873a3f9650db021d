"""Tensor-engine benchmark: chainrule's ``Tensor`` against PyTorch (CPU) on two workloads.

Every (engine, workload) pair runs in its own child process, so that one engine's imports,
garbage and peak memory never leak into another's figures. The parent re-invokes this file
with ``--worker ENGINE --workload tiny|memory`` and reads one ``BENCH_RESULT {json}`` line from
the child's stdout. PyTorch keeps its default intra-op thread count (printed; ``--torch-threads``
changes it); chainrule runs numpy, whose BLAS thread pools are printed where threadpoolctl is
installed.

Workload "tiny": the fixed cost of an operation. ``a``, ``b``, ``c`` are 10-element float32
leaves with ``requires_grad=True``; one iteration zeroes their gradients the idiomatic way
(``t.grad = None``), computes ``y = a * b + c`` and calls ``y.backward(gradient=ones)``. A repeat
times N iterations; the figure is the median over the repeats of the time per iteration, for the
whole iteration and for the forward alone (which builds the graph). Target: chainrule no slower
than PyTorch (ratio ours/torch <= 1.0). The gradients are checked (``a.grad == b``, ...).

Workload "memory": whether each iteration's graph is freed. ``x`` is a float32 (n, n) leaf
(n = 1000: a million elements), ``w`` and ``b`` are (n,) leaves broadcast over its rows, all with
``requires_grad=True``; each iteration zeroes the gradients (``t.grad = None``), computes the loss
``--expr`` (default ``((x * w + b).tanh() ** 2).mean()``) and calls ``loss.backward()``. The
child's peak RSS (``ru_maxrss``) is read after 10, 100 and 1000 iterations; if the graphs are
freed it stays flat, so the growth from iteration 100 to the last must be under 5% or under
20 MB (PASS). Also reported: ms per iteration (median) and the loss and gradient checksums, which
must agree between the engines (same numpy data, float32).

If chainrule lacks a method the default expression needs (``tanh``, ``mean``), its child falls
back to ``((x * w + b) * (x * w + b)).sum()`` and says so; PyTorch then runs the same expression.

Usage::

    python bench/tensor_engine.py                      # both workloads, both engines
    python bench/tensor_engine.py --quick              # smoke run, small sizes
    python bench/tensor_engine.py --engines chainrule --workloads memory --iterations 300
    python bench/tensor_engine.py --expr "(x * w - b).relu().sum()"
"""

from __future__ import annotations

import argparse
import gc
import math
import resource
import statistics
import sys
import time

import harness

ROOT = harness.ROOT
ENGINES = ("chainrule", "torch")
WORKLOADS = ("tiny", "memory")

DEFAULT_EXPR = "((x * w + b).tanh() ** 2).mean()"
FALLBACK_EXPR = "((x * w + b) * (x * w + b)).sum()"

# Targets printed next to the figures.
TARGET_TINY_RATIO = 1.0  # chainrule per iteration no slower than PyTorch
LEAK_MAX_FRACTION = 0.05  # RSS growth from iteration 100 to the last: < 5% ...
LEAK_MAX_MB = 20.0  # ... or < 20 MB
CHECKSUM_RTOL = 1e-3  # float32 sums over a million elements, different summation orders

TINY_SIZE = 10
DEFAULTS = {"tiny_iterations": 10000, "tiny_repeats": 7, "size": 1000, "iterations": 1000}
QUICK = {"tiny_iterations": 200, "tiny_repeats": 3, "size": 100, "iterations": 30}
SEED = 0


# ---------------------------------------------------------------------------------------------
# worker side
# ---------------------------------------------------------------------------------------------


class _Engine:
    """The few things the workloads need, for one engine."""

    def __init__(self, name: str, torch_threads: int | None) -> None:
        import numpy as np

        self.name = name
        self.np = np
        self.info = {"numpy_version": np.__version__}
        if name == "chainrule":
            if ROOT not in sys.path:
                sys.path.insert(0, ROOT)
            from autograd import Tensor

            self.Tensor = Tensor
        elif name == "torch":
            import torch

            if torch_threads:
                torch.set_num_threads(torch_threads)
            self.torch = torch
            self.info.update(
                torch_version=torch.__version__,
                torch_threads=torch.get_num_threads(),
                torch_interop_threads=torch.get_num_interop_threads(),
            )
        else:
            raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
        self.info["blas_threads"] = harness.blas_threads()

    def leaf(self, array):
        """A leaf tensor that requires grad, holding (a copy of) a float32 ndarray."""
        if self.name == "torch":
            return self.torch.from_numpy(array.copy()).requires_grad_(True)
        return self.Tensor(array.copy(), requires_grad=True)

    def constant(self, array):
        if self.name == "torch":
            return self.torch.from_numpy(array.copy())
        return self.Tensor(array.copy())

    def to_numpy(self, t):
        if self.name == "torch":
            return t.detach().numpy()
        return t.data


def worker_tiny(eng: _Engine, iterations: int, repeats: int) -> dict:
    """Workload "tiny": y = a * b + c on 10-element tensors, forward + backward."""
    np = eng.np
    rng = np.random.default_rng(SEED)
    a, b, c = (eng.leaf(rng.standard_normal(TINY_SIZE).astype(np.float32)) for _ in range(3))
    ones = eng.constant(np.ones(TINY_SIZE, dtype=np.float32))

    def step_loop(n: int) -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            a.grad = None
            b.grad = None
            c.grad = None
            y = a * b + c
            y.backward(gradient=ones)
        return time.perf_counter() - t0

    def forward_loop(n: int) -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            y = a * b + c
        del y
        return time.perf_counter() - t0

    warmup = max(iterations // 10, 10)
    step_loop(warmup)
    forward_loop(warmup)
    step_us = [step_loop(iterations) / iterations * 1e6 for _ in range(repeats)]
    forward_us = [forward_loop(iterations) / iterations * 1e6 for _ in range(repeats)]

    # one more iteration, checked: dy/da = b, dy/db = a, dy/dc = 1
    step_loop(1)
    an, bn, cn = (eng.to_numpy(t) for t in (a, b, c))
    grads_ok = all(
        t.grad is not None and np.allclose(eng.to_numpy(t.grad), want)
        for t, want in ((a, bn), (b, an), (c, np.ones_like(cn)))
    )
    return {
        "engine": eng.name,
        "workload": "tiny",
        "size": TINY_SIZE,
        "iterations": iterations,
        "repeats": repeats,
        "step_us_median": statistics.median(step_us),
        "step_us_min": min(step_us),
        "step_us_all": step_us,
        "forward_us_median": statistics.median(forward_us),
        "forward_us_min": min(forward_us),
        "forward_us_all": forward_us,
        "grads_ok": bool(grads_ok),
        "peak_rss_mb": harness.peak_rss_mb(),
        "gc_enabled": gc.isenabled(),
    }


def _compile_expr(expr: str):
    return eval("lambda x, w, b: " + expr, {})  # noqa: S307 - the user's own command line


def worker_memory(eng: _Engine, size: int, iterations: int, expr: str) -> dict:
    """Workload "memory": forward + backward of a size*size computation, RSS at checkpoints."""
    np = eng.np
    out = {"engine": eng.name, "workload": "memory", "size": size, "iterations": iterations}
    out["rss_after_import_mb"] = harness.peak_rss_mb()

    fn = _compile_expr(expr)
    if eng.name == "chainrule" and expr == DEFAULT_EXPR:
        missing = [m for m in ("tanh", "mean") if not hasattr(eng.Tensor, m)]
        if missing:
            out["expr_fallback_reason"] = f"Tensor has no {', '.join(missing)} yet"
            expr = FALLBACK_EXPR
            fn = _compile_expr(expr)
    out["expr"] = expr

    rng = np.random.default_rng(SEED)
    x = eng.leaf(rng.standard_normal((size, size)).astype(np.float32))
    w = eng.leaf(rng.standard_normal(size).astype(np.float32))
    b = eng.leaf(rng.standard_normal(size).astype(np.float32))
    params = (x, w, b)
    gc.collect()
    out["rss_after_setup_mb"] = harness.peak_rss_mb()

    checkpoints = sorted({c for c in (10, 100, iterations) if c <= iterations})
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    rss_at = {}
    times = []
    first = None
    for i in range(1, iterations + 1):
        t0 = time.perf_counter()
        for p in params:
            p.grad = None
        loss = fn(x, w, b)
        loss.backward()
        times.append(time.perf_counter() - t0)
        if first is None:
            first = {
                "loss": float(loss.item()),
                "x_grad_sum": float(np.sum(eng.to_numpy(x.grad), dtype=np.float64)),
                "x_grad_abs_sum": float(np.abs(eng.to_numpy(x.grad)).sum(dtype=np.float64)),
                "w_grad_sum": float(np.sum(eng.to_numpy(w.grad), dtype=np.float64)),
                "b_grad_sum": float(np.sum(eng.to_numpy(b.grad), dtype=np.float64)),
            }
        del loss
        if i in checkpoints:
            rss_at[str(i)] = harness.rss_checkpoint()

    out.update(
        checkpoints=checkpoints,
        rss_at=rss_at,
        ms_median=statistics.median(times) * 1e3,
        ms_mean=statistics.fmean(times) * 1e3,
        ms_first=times[0] * 1e3,
        total_s=sum(times),
        minor_faults_per_iter=(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0)
        / iterations,
        check=first,
        peak_rss_mb=harness.peak_rss_mb(),
        gc_enabled=gc.isenabled(),
    )
    return out


def run_worker(args) -> None:
    eng = _Engine(args.worker, args.torch_threads)
    if args.workload == "tiny":
        res = worker_tiny(eng, args.tiny_iterations, args.tiny_repeats)
    elif args.workload == "memory":
        res = worker_memory(eng, args.size, args.iterations, args.expr)
    else:
        raise ValueError(f"unknown workload {args.workload!r}; choose from {WORKLOADS}")
    res.update(eng.info)
    harness.emit_result(res, with_cpus=True)


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


def report_tiny(results: list[dict]) -> bool:
    print()
    print(
        f"Workload tiny: y = a * b + c on {TINY_SIZE}-element float32 leaves (requires_grad), "
        "grads zeroed with t.grad = None, y.backward(gradient=ones)"
    )
    header = (
        f"{'engine':<11}{'iters':>8}{'reps':>6}{'step_us_med':>13}{'step_us_min':>13}"
        f"{'fwd_us_med':>12}{'fwd_us_min':>12}{'step_ours/x':>13}{'fwd_ours/x':>12}  grads"
    )
    print(header)
    print("-" * len(header))
    ours = harness.ok_result(results, "chainrule")
    ok = True
    for r in results:
        if "failed" in r:
            print(f"{r['engine']:<11} FAILED: {r['failed']}")
            ok = False
            continue
        step_ratio = (
            harness.ratio(ours["step_us_median"], r["step_us_median"]) if ours else math.nan
        )
        fwd_ratio = (
            harness.ratio(ours["forward_us_median"], r["forward_us_median"]) if ours else math.nan
        )
        print(
            f"{r['engine']:<11}{r['iterations']:>8}{r['repeats']:>6}"
            f"{r['step_us_median']:>13.1f}{r['step_us_min']:>13.1f}"
            f"{r['forward_us_median']:>12.1f}{r['forward_us_min']:>12.1f}"
            f"{harness.fmt_ratio(step_ratio):>13}{harness.fmt_ratio(fwd_ratio):>12}"
            f"  {'ok' if r['grads_ok'] else 'WRONG'}"
        )
        ok = ok and r["grads_ok"]
    ref = harness.ok_result(results, "torch")
    if ref:
        print(harness.threads_note(ref))
    if ours and ref:
        step_ratio = ours["step_us_median"] / ref["step_us_median"]
        fwd_ratio = ours["forward_us_median"] / ref["forward_us_median"]
        verdict = "PASS" if step_ratio <= TARGET_TINY_RATIO else "FAIL"
        print(
            f"target: chainrule/torch per iteration (forward + backward) <= "
            f"{TARGET_TINY_RATIO:g}: {verdict} ({ours['step_us_median']:.1f} us vs "
            f"{ref['step_us_median']:.1f} us = {step_ratio:.2f}x); forward alone "
            f"{ours['forward_us_median']:.1f} us vs {ref['forward_us_median']:.1f} us "
            f"= {fwd_ratio:.2f}x"
        )
    return ok


def _leak_verdict(r: dict) -> tuple[str, str, bool]:
    """(label, message, ok) for the RSS growth from the second-last checkpoint to the last."""
    cps = r["checkpoints"]
    if len(cps) < 2:
        return "n/a", "too few iterations for two checkpoints", True
    lo, hi = str(cps[-2]), str(cps[-1])
    before = r["rss_at"][lo]["peak_mb"]
    after = r["rss_at"][hi]["peak_mb"]
    growth = after - before
    frac = growth / before if before else 0.0
    ok = frac < LEAK_MAX_FRACTION or growth < LEAK_MAX_MB
    msg = f"{growth:+.1f} MB ({frac * 100:+.1f}%) from iteration {lo} to {hi}"
    return ("PASS" if ok else "FAIL"), msg, ok


def report_memory(results: list[dict]) -> bool:
    print()
    first = next((r for r in results if "failed" not in r), None)
    size = first["size"] if first else "?"
    print(
        f"Workload memory: x ({size}, {size}) float32, w and b ({size},) broadcast, all "
        "requires_grad; grads zeroed with t.grad = None, then loss.backward()"
    )
    for r in results:
        if "failed" not in r:
            note = (
                f" (fallback: {r['expr_fallback_reason']})" if "expr_fallback_reason" in r else ""
            )
            print(f"  {r['engine']}: loss = {r['expr']}{note}")
    cps = first["checkpoints"] if first else []
    rss_cols = "".join(f"{'rss@' + str(c):>10}" for c in cps)
    header = (
        f"{'engine':<11}{'iters':>7}{'import_MB':>11}{'setup_MB':>10}{rss_cols}"
        f"{'ms/iter':>9}{'first_ms':>10}{'faults/it':>10}{'ours/x':>8}"
        "  graph freed (peak RSS growth)"
    )
    print(header)
    print("-" * len(header))
    ours = harness.ok_result(results, "chainrule")
    ok = True
    for r in results:
        if "failed" in r:
            print(f"{r['engine']:<11} FAILED: {r['failed']}")
            ok = False
            continue
        verdict, msg, leak_ok = _leak_verdict(r)
        ratio = harness.ratio(ours["ms_median"], r["ms_median"]) if ours else math.nan
        rss = "".join(f"{r['rss_at'][str(c)]['peak_mb']:>10.0f}" for c in r["checkpoints"])
        print(
            f"{r['engine']:<11}{r['iterations']:>7}{r['rss_after_import_mb']:>11.0f}"
            f"{r['rss_after_setup_mb']:>10.0f}{rss}{r['ms_median']:>9.2f}{r['ms_first']:>10.2f}"
            f"{r['minor_faults_per_iter']:>10.0f}"
            f"{harness.fmt_ratio(ratio):>8}  {verdict}: {msg}"
        )
        ok = ok and leak_ok
    print(
        f"(rss@N: peak RSS in MB after N iterations; PASS when the growth is < "
        f"{LEAK_MAX_FRACTION * 100:g}% or < {LEAK_MAX_MB:g} MB; faults/it: minor page faults "
        "per iteration, i.e. memory handed back to the OS and faulted in again)"
    )
    ref = harness.ok_result(results, "torch")
    if ref:
        print(harness.threads_note(ref))
    if ours and ref:
        if ours["expr"] != ref["expr"]:
            print("check: SKIPPED, the engines ran different expressions")
        else:
            rows = []
            same = True
            for key in ("loss", "x_grad_sum", "x_grad_abs_sum", "w_grad_sum", "b_grad_sum"):
                a, b = ours["check"][key], ref["check"][key]
                scale = max(abs(a), abs(b), 1e-12)
                if key in ("x_grad_sum", "w_grad_sum", "b_grad_sum"):
                    # sums of signed terms cancel; compare them on the scale of |x.grad|
                    scale = max(scale, ours["check"]["x_grad_abs_sum"] * 1e-3)
                rel = abs(a - b) / scale
                same = same and rel < CHECKSUM_RTOL
                rows.append(f"{key} {a:.6g} vs {b:.6g}")
            print(
                f"check: first iteration's loss and gradients match torch: "
                f"{'yes' if same else 'NO'} ({'; '.join(rows)})"
            )
            ok = ok and same
        print(
            f"chainrule/torch time per iteration: {ours['ms_median']:.2f} ms vs "
            f"{ref['ms_median']:.2f} ms = {ours['ms_median'] / ref['ms_median']:.2f}x"
        )
    return ok


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--engines", default=",".join(ENGINES), help=f"comma-separated, from {', '.join(ENGINES)}"
    )
    p.add_argument("--workloads", default=",".join(WORKLOADS), help="tiny, memory, or tiny,memory")
    p.add_argument(
        "--iterations", type=int, help="memory workload iterations (default 1000; quick 30)"
    )
    p.add_argument(
        "--size", type=int, help="memory workload: x is (size, size) (default 1000; quick 100)"
    )
    p.add_argument(
        "--expr", default=DEFAULT_EXPR, help=f"memory workload loss (default {DEFAULT_EXPR!r})"
    )
    p.add_argument(
        "--tiny-iterations",
        type=int,
        help="tiny workload iterations per repeat (default 10000; quick 200)",
    )
    p.add_argument("--tiny-repeats", type=int, help="tiny workload repeats (default 7; quick 3)")
    p.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="torch.set_num_threads(N) in the torch children (default: torch's own default)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 3 x 200 tiny iterations, (100, 100) x 30 memory iterations "
        "(explicit size options still apply)",
    )
    harness.add_common_args(p)
    args = p.parse_args(argv)

    if args.worker:
        run_worker(args)
        return 0

    sizes = QUICK if args.quick else DEFAULTS
    for key, value in sizes.items():
        if getattr(args, key) is None:  # --quick sets only what the command line left out
            setattr(args, key, value)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        p.error(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}")
    workloads = [w.strip().lower() for w in args.workloads.split(",") if w.strip()]
    unknown = [w for w in workloads if w not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload(s) {unknown}; choose from {', '.join(WORKLOADS)}")
    if args.iterations < 1 or args.size < 1 or args.tiny_iterations < 1 or args.tiny_repeats < 1:
        p.error("--iterations, --size, --tiny-iterations and --tiny-repeats must be >= 1")
    common = [] if args.torch_threads is None else ["--torch-threads", str(args.torch_threads)]

    load = harness.print_start()
    if load and load > 0.5:
        print(
            "note: other processes are using the CPUs; timings (torch's threaded ones most) "
            "may be noisy"
        )
    ok = True
    all_results = []
    if "tiny" in workloads:
        extra = common + ["--tiny-iterations", str(args.tiny_iterations)]
        extra += ["--tiny-repeats", str(args.tiny_repeats)]
        results = [harness.spawn(__file__, eng, "tiny", extra, args.timeout) for eng in engines]
        ok = report_tiny(results) and ok
        all_results += results
    if "memory" in workloads:
        expr = args.expr
        results = []
        # chainrule first: if it had to fall back to a simpler loss, torch runs that one too
        for eng in sorted(engines, key=lambda e: e != "chainrule"):
            extra = common + ["--size", str(args.size), "--iterations", str(args.iterations)]
            extra += ["--expr", expr]
            res = harness.spawn(__file__, eng, "memory", extra, args.timeout)
            if eng == "chainrule" and "expr" in res:
                expr = res["expr"]
            results.append(res)
        ok = report_memory(results) and ok
        all_results += results
    harness.write_json(args.json, all_results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
