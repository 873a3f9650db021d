"""Scalar-engine benchmark: chainrule's ``Value`` against micrograd (and PyTorch on the chain).

Every (engine, workload) pair runs in its own child process, so that one engine's garbage,
imports and peak memory never leak into another's figures. The parent re-invokes this file
with ``--worker ENGINE --workload A|B`` and reads one ``BENCH_RESULT {json}`` line from the
child's stdout.

Workload A: one training step of micrograd's ``demo.ipynb``, exactly as written there: 100 moons
points (``make_moons(n_samples=100, noise=0.1, random_state=1)``, labels mapped to +-1),
``random.seed(1337)``, ``MLP(2, [16, 16, 1])``, forward over all points, SVM max-margin loss
``(1 + -yi*scorei).relu()`` averaged, L2 regularisation ``1e-4 * sum(p*p)``, ``zero_grad()``,
``backward()``, SGD with ``lr = 1.0 - 0.9*k/100``. The reported figure is the median wall time of a
whole step (forward, loss, backward, update).

Workload B: a deep chain of ``L`` links, each ``y = (y * 0.999999).relu()`` starting from a leaf
``x = 0.5``: two operations (mul, relu) per link, which makes micrograd's recursive sort fail
near 500 links. micrograd wraps the constant as a leaf node, chainrule keeps it inside the
operation; the nodes actually reachable per link are counted on a short chain and printed.
Since every relu is active, ``dy/dx = 0.999999**L`` exactly (up to rounding), which the output
checks. Reported: forward and backward wall time, time to free the graph, and the child's peak
RSS (``ru_maxrss``, nothing subtracted; the RSS right after imports is shown for reference).

micrograd's topological sort is recursive, so its ``backward()`` raises ``RecursionError`` on a
chain of a few hundred links; for micrograd the chain workload reports that failure and the
longest chain that still works (found by bisection).

Usage::

    python bench/scalar_engine.py                      # default sizes
    python bench/scalar_engine.py --quick              # smoke run, small sizes
    python bench/scalar_engine.py --full               # also 100-step training accuracy (ours)
    python bench/scalar_engine.py --engines chainrule,micrograd --steps 30 --chain-links 200000
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time

import harness

ROOT = harness.ROOT
# chainrule-micrograd-nn: micrograd's own nn.py model code (one Value per wi*xi and per +) on
# chainrule's Value, which measures the raw scalar operations rather than the fused linear
ENGINES = ("micrograd", "micrograd-nogc", "chainrule", "chainrule-micrograd-nn", "torch")
DEFAULT_ENGINES = ENGINES
# Engines that only take part in the chain workload.
CHAIN_ONLY = {"torch"}
# Engines that only take part in the step workload (the chain would repeat chainrule's).
STEP_ONLY = {"chainrule-micrograd-nn"}

# Targets printed next to the figures.
TARGET_STEP_RATIO = 20.0  # chainrule at least 20x faster per step than micrograd as shipped
TARGET_RAW_STEP_RATIO = 15.0  # micrograd's nn.py on chainrule's Value: at least 15x
TARGET_CHAIN_LINKS = 1_000_000
TARGET_CHAIN_SECONDS = 3.0
TARGET_CHAIN_MB = 600.0

CHAIN_MUL = 0.999999
CHAIN_X0 = 0.5


# ---------------------------------------------------------------------------------------------
# worker side
# ---------------------------------------------------------------------------------------------


def _load_value_engine(engine: str):
    """Return (Value, MLP) for a scalar engine."""
    if engine in ("micrograd", "micrograd-nogc"):
        from micrograd.engine import Value
        from micrograd.nn import MLP
    elif engine == "chainrule":
        if ROOT not in sys.path:
            sys.path.insert(0, ROOT)
        from autograd import Value
        from nn import MLP
    elif engine == "chainrule-micrograd-nn":
        if ROOT not in sys.path:
            sys.path.insert(0, ROOT)
        import micrograd.nn as micrograd_nn

        from autograd import Value

        micrograd_nn.Value = Value  # nn.py makes its weights with this global name
        MLP = micrograd_nn.MLP
    else:
        raise ValueError(f"engine {engine!r} has no scalar Value/MLP (choose from {ENGINES})")
    if engine == "micrograd-nogc":
        gc.disable()
    return Value, MLP


def _moons():
    import numpy as np
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    y = y * 2 - 1  # make y be -1 or 1
    return np.asarray(X), np.asarray(y)


def worker_step(engine: str, steps: int, full: bool) -> dict:
    """Workload A: micrograd's demo.ipynb training loop; time each step."""
    Value, MLP = _load_value_engine(engine)
    X, y = _moons()
    random.seed(1337)
    model = MLP(2, [16, 16, 1])  # 2-layer neural network

    def loss():
        # exactly the demo's loss(batch_size=None)
        Xb, yb = X, y
        inputs = [list(map(Value, xrow)) for xrow in Xb]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    n_steps = max(steps, 100) if full else steps
    times, losses, accs = [], [], []
    for k in range(n_steps):
        t0 = time.perf_counter()
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        times.append(time.perf_counter() - t0)
        losses.append(float(total_loss.data))
        accs.append(float(acc))
        del total_loss

    out = {
        "engine": engine,
        "workload": "A",
        "steps": n_steps,
        "step_median_s": statistics.median(times),
        "step_min_s": min(times),
        "step_max_s": max(times),
        "first_step_s": times[0],
        "losses": losses,
        "accuracy_per_step": accs,
        "n_params": len(model.parameters()),
        "peak_rss_mb": harness.peak_rss_mb(),
        "gc_enabled": gc.isenabled(),
    }
    if n_steps >= 100:
        # accuracy of the trained model (a fresh forward after the 100th update)
        _, acc = loss()
        out["final_accuracy"] = float(acc)
    return out


def _count_reachable(root, parents_of) -> int:
    """Number of nodes reachable from root (iterative, for short graphs only)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        for p in parents_of(node):
            if p is not None and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def _value_chain(Value, links: int):
    x = Value(CHAIN_X0)
    y = x
    for _ in range(links):
        y = (y * CHAIN_MUL).relu()
    return x, y


def _value_parents(engine: str):
    if engine.startswith("micrograd"):
        return lambda v: v._prev
    return lambda v: v.parents


def _nodes_per_link_value(engine: str, Value) -> float:
    parents_of = _value_parents(engine)
    _, y10 = _value_chain(Value, 10)
    _, y20 = _value_chain(Value, 20)
    return (_count_reachable(y20, parents_of) - _count_reachable(y10, parents_of)) / 10


def _micrograd_chain_ok(Value, links: int) -> bool:
    _x, y = _value_chain(Value, links)
    try:
        y.backward()
    except RecursionError:
        return False
    return True


def worker_chain_value(engine: str, links: int, micrograd_cap: int) -> dict:
    Value, _ = _load_value_engine(engine)
    out = {"engine": engine, "workload": "B", "links_requested": links}
    out["rss_after_import_mb"] = harness.peak_rss_mb()
    out["nodes_per_link"] = _nodes_per_link_value(engine, Value)
    gc.collect()

    if engine.startswith("micrograd"):
        # micrograd builds a topological order recursively; show where that breaks.
        attempt = min(links, micrograd_cap)
        out["links_attempted"] = attempt
        x, y = _value_chain(Value, attempt)
        try:
            y.backward()
            out["ok"] = True
        except RecursionError as exc:
            out["ok"] = False
            out["error"] = f"RecursionError: {exc}"
        del x, y
        if not out["ok"]:
            lo, hi = 0, attempt  # lo works, hi fails
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _micrograd_chain_ok(Value, mid):
                    lo = mid
                else:
                    hi = mid
            out["max_links_ok"] = lo
            out["recursion_limit"] = sys.getrecursionlimit()
        out["peak_rss_mb"] = harness.peak_rss_mb()
        return out

    t0 = time.perf_counter()
    x, y = _value_chain(Value, links)
    t1 = time.perf_counter()
    try:
        y.backward()
    except RecursionError as exc:
        out.update(ok=False, error=f"RecursionError: {exc}", forward_s=t1 - t0)
        out["peak_rss_mb"] = harness.peak_rss_mb()
        return out
    t2 = time.perf_counter()
    out["ok"] = True
    out["forward_s"] = t1 - t0
    out["backward_s"] = t2 - t1
    out["total_s"] = t2 - t0
    out["peak_rss_mb"] = harness.peak_rss_mb()
    out["y"] = float(y.data)
    out["grad"] = float(x.grad)
    out["grad_expected"] = CHAIN_MUL**links
    t3 = time.perf_counter()
    del y
    gc.collect()
    out["free_s"] = time.perf_counter() - t3
    out["links_attempted"] = links
    return out


def worker_chain_torch(links: int) -> dict:
    import torch

    torch.set_num_threads(1)
    out = {"engine": "torch", "workload": "B", "links_requested": links}
    out["rss_after_import_mb"] = harness.peak_rss_mb()
    out["torch_version"] = torch.__version__

    def chain(n):
        x = torch.tensor(CHAIN_X0, dtype=torch.float64, requires_grad=True)
        y = x
        for _ in range(n):
            y = torch.relu(y * CHAIN_MUL)
        return x, y

    def fn_parents(fn):
        return [f for f, _ in fn.next_functions]

    _, y10 = chain(10)
    _, y20 = chain(20)
    out["nodes_per_link"] = (
        _count_reachable(y20.grad_fn, fn_parents) - _count_reachable(y10.grad_fn, fn_parents)
    ) / 10
    del y10, y20
    gc.collect()

    t0 = time.perf_counter()
    x, y = chain(links)
    t1 = time.perf_counter()
    y.backward()
    t2 = time.perf_counter()
    out.update(ok=True, forward_s=t1 - t0, backward_s=t2 - t1, total_s=t2 - t0)
    out["peak_rss_mb"] = harness.peak_rss_mb()
    out["y"] = float(y.item())
    out["grad"] = float(x.grad.item())
    out["grad_expected"] = CHAIN_MUL**links
    t3 = time.perf_counter()
    del y
    gc.collect()
    out["free_s"] = time.perf_counter() - t3
    out["links_attempted"] = links
    return out


def run_worker(args) -> None:
    if args.workload == "A":
        res = worker_step(args.worker, args.worker_steps, args.full)
    elif args.worker == "torch":
        res = worker_chain_torch(args.chain_links)
    else:
        res = worker_chain_value(args.worker, args.chain_links, args.micrograd_chain_cap)
    harness.emit_result(res)


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


def report_steps(results: list[dict]) -> bool:
    print()
    print(
        "Workload A: micrograd demo.ipynb step (moons n=100, MLP(2, [16, 16, 1]), "
        "SVM loss + 1e-4 L2, SGD)"
    )
    header = (
        f"{'engine':<24}{'steps':>6}{'step_median_ms':>16}{'step_min_ms':>13}"
        f"{'first_ms':>10}{'ratio_vs_chainrule':>20}{'peak_rss_MB':>13}"
    )
    print(header)
    print("-" * len(header))
    ours = next((r for r in results if r["engine"] == "chainrule" and "failed" not in r), None)
    ok = True
    for r in results:
        if "failed" in r:
            print(f"{r['engine']:<24} FAILED: {r['failed']}")
            ok = False
            continue
        ratio = r["step_median_s"] / ours["step_median_s"] if ours else float("nan")
        print(
            f"{r['engine']:<24}{r['steps']:>6}{r['step_median_s'] * 1e3:>16.1f}"
            f"{r['step_min_s'] * 1e3:>13.1f}{r['first_step_s'] * 1e3:>10.1f}"
            f"{harness.fmt_ratio(ratio, 1):>20}{r['peak_rss_mb']:>13.0f}"
        )
    ref = next((r for r in results if r["engine"] == "micrograd" and "failed" not in r), None)
    if ours and ref:
        ratio = ref["step_median_s"] / ours["step_median_s"]
        verdict = "PASS" if ratio >= TARGET_STEP_RATIO else "FAIL"
        print(
            f"target: chainrule >= {TARGET_STEP_RATIO:.0f}x faster per step than micrograd "
            f"as shipped: {verdict} ({ratio:.1f}x)"
        )
    raw = next(
        (r for r in results if r["engine"] == "chainrule-micrograd-nn" and "failed" not in r), None
    )
    if raw and ref:
        ratio = ref["step_median_s"] / raw["step_median_s"]
        verdict = "PASS" if ratio >= TARGET_RAW_STEP_RATIO else "FAIL"
        print(
            f"target: micrograd's nn.py on chainrule's Value >= {TARGET_RAW_STEP_RATIO:.0f}x "
            f"faster per step than micrograd: {verdict} ({ratio:.1f}x)"
        )
    for mine in (r for r in (ours, raw) if r and ref):
        n = min(len(ref["losses"]), len(mine["losses"]))
        diffs = [
            abs(a - b) / max(abs(a), 1e-300)
            for a, b in zip(ref["losses"][:n], mine["losses"][:n], strict=True)
        ]
        same = max(diffs) < 1e-9
        print(
            f"check: {mine['engine']} loss over the first {n} steps matches micrograd: "
            f"{'yes' if same else 'NO'} (max rel diff {max(diffs):.1e}; "
            f"micrograd step-0 loss {ref['losses'][0]:.6f}, ours {mine['losses'][0]:.6f})"
        )
        ok = ok and same
    for r in results:
        if "final_accuracy" in r:
            acc = r["final_accuracy"] * 100
            verdict = "PASS" if acc >= 97 else "FAIL"
            print(
                f"{r['engine']}: training accuracy after {r['steps']} steps {acc:.0f}% "
                f"(target >= 97%: {verdict}); final loss {r['losses'][-1]:.4f}"
            )
            ok = ok and acc >= 97
    return ok


def report_chain(results: list[dict]) -> bool:
    print()
    print(
        f"Workload B: deep chain, L links of y = (y * {CHAIN_MUL}).relu() "
        f"from x = {CHAIN_X0}; 2 ops per link (mul, relu); dy/dx = {CHAIN_MUL}**L"
    )
    header = (
        f"{'engine':<24}{'links':>10}{'nodes/link':>11}{'fwd_s':>8}{'bwd_s':>8}{'total_s':>9}"
        f"{'free_s':>8}{'peak_rss_MB':>13}{'import_MB':>11}  grad"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for r in results:
        name = r["engine"]
        if "failed" in r:
            print(f"{name:<24} FAILED: {r['failed']}")
            ok = False
            continue
        npl = f"{r['nodes_per_link']:g}"
        if not r.get("ok"):
            msg = r.get("error", "failed")
            extra = ""
            if "max_links_ok" in r:
                extra = (
                    f"; longest chain that works: {r['max_links_ok']} links "
                    f"(recursion limit {r['recursion_limit']})"
                )
            print(f"{name:<24}{r['links_attempted']:>10}{npl:>11}  {msg}{extra}")
            if name == "chainrule":
                ok = False
            continue
        if "forward_s" not in r:  # micrograd on a chain short enough to work
            print(f"{name:<24}{r['links_attempted']:>10}{npl:>11}  ok (no RecursionError)")
            continue
        rel = abs(r["grad"] - r["grad_expected"]) / r["grad_expected"]
        grad_ok = rel < 1e-6
        grad_msg = "ok" if grad_ok else f"WRONG, expected {r['grad_expected']:.6g}"
        print(
            f"{name:<24}{r['links_attempted']:>10}{npl:>11}{r['forward_s']:>8.2f}"
            f"{r['backward_s']:>8.2f}{r['total_s']:>9.2f}{r['free_s']:>8.2f}"
            f"{r['peak_rss_mb']:>13.0f}{r['rss_after_import_mb']:>11.0f}"
            f"  {r['grad']:.6g} ({grad_msg})"
        )
        ok = ok and grad_ok
        if name == "chainrule" and r["links_attempted"] >= TARGET_CHAIN_LINKS:
            t_ok = r["total_s"] < TARGET_CHAIN_SECONDS
            m_ok = r["peak_rss_mb"] < TARGET_CHAIN_MB
            print(
                f"target: 1e6-link chain < {TARGET_CHAIN_SECONDS:g} s: "
                f"{'PASS' if t_ok else 'FAIL'} ({r['total_s']:.2f} s); "
                f"< {TARGET_CHAIN_MB:g} MB peak RSS: {'PASS' if m_ok else 'FAIL'} "
                f"({r['peak_rss_mb']:.0f} MB)"
            )
    return ok


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--engines",
        default=",".join(DEFAULT_ENGINES),
        help=f"comma-separated, from {', '.join(ENGINES)} (torch runs the chain only)",
    )
    p.add_argument("--steps", type=int, default=20, help="timed steps for chainrule (default 20)")
    p.add_argument(
        "--ref-steps",
        type=int,
        default=5,
        help="timed steps for micrograd (default 5, ~1.4 s each)",
    )
    p.add_argument(
        "--chain-links",
        type=int,
        default=1_000_000,
        help="chain length (default 1,000,000)",
    )
    p.add_argument(
        "--torch-chain-links",
        type=int,
        default=None,
        help="chain length for torch (default: same)",
    )
    p.add_argument(
        "--micrograd-chain-cap",
        type=int,
        default=5000,
        help="longest chain tried on micrograd before bisecting down (default 5000)",
    )
    p.add_argument("--quick", action="store_true", help="smoke run: 3 steps, 2,000-link chain")
    p.add_argument("--full", action="store_true", help="train chainrule 100 steps, report accuracy")
    p.add_argument("--workloads", default="A,B", help="A (demo step), B (deep chain), or A,B")
    harness.add_common_args(p)
    p.add_argument("--worker-steps", type=int, default=5, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.worker:
        run_worker(args)
        return 0

    if args.quick:
        args.steps, args.ref_steps, args.chain_links = 3, 2, 2000
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        p.error(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}")
    workloads = {w.strip().upper() for w in args.workloads.split(",")}

    harness.print_start()  # the load average: timings on a busy machine are noisy
    ok = True
    all_results = []
    if "A" in workloads:
        results = []
        for eng in (e for e in engines if e not in CHAIN_ONLY):
            steps = args.steps if eng.startswith("chainrule") else args.ref_steps
            extra = ["--worker-steps", str(steps)]
            if args.full and eng == "chainrule":
                extra.append("--full")
            results.append(harness.spawn(__file__, eng, "A", extra, args.timeout))
        if results:
            ok = report_steps(results) and ok
        all_results += results
    if "B" in workloads:
        results = []
        for eng in (e for e in engines if e not in STEP_ONLY):
            links = args.chain_links
            if eng == "torch" and args.torch_chain_links is not None and not args.quick:
                links = args.torch_chain_links
            extra = ["--chain-links", str(links)]
            extra += ["--micrograd-chain-cap", str(args.micrograd_chain_cap)]
            results.append(harness.spawn(__file__, eng, "B", extra, args.timeout))
        ok = report_chain(results) and ok
        all_results += results
    harness.write_json(args.json, all_results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
