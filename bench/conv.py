"""Convolution and pooling benchmark: chainrule's ``nn.functional`` against PyTorch (CPU).

Workload "lenet" (the target): one LeNet-5 training step, batch 64, float32 --
conv 6@5x5 (padding 2) on 1x28x28 -> relu -> max_pool 2 -> conv 16@5x5 -> relu -> max_pool 2
-> flatten -> linear 120 -> relu -> linear 84 -> relu -> linear 10 -> cross-entropy (log_softmax
against one-hot targets in chainrule, ``F.cross_entropy`` in torch) -> backward. Both engines
start from the same numpy weights and data; the first step's loss and gradient checksums must
agree. Target: chainrule's step at most 1.5x torch's (ratio of medians).

Workload "layers": single operations, forward + backward with a random upstream gradient and
the input requiring grad (except LeNet's first convolution, whose input is data), per shape.

Workload "formulations" (chainrule only): the same convolutions written three other ways from
autograd's primitives, to show why ``nn.functional.conv2d`` lays the batch innermost:
"batch-first" im2col (columns (C k k, N oh ow)), "rows" im2col (torch's unfold: (N oh ow, C k k)
@ W^T) and "shifted" (one matmul per kernel offset on a shifted view, accumulated).

Method. Each engine runs in its own persistent child process (``--worker``), which builds the
workload once and warms it up; the parent then alternates the engines for ``--rounds`` rounds of
``--steps`` timed steps each, so that slow phases of a shared machine hit both alike. Reported:
the median step time per engine over all rounds and their ratio (the target's figure), the
median of the per-round ratios ("paired"), and the ratio of each engine's best round ("best",
the least disturbed). On a machine shared with other work, ``--threads 1`` gives the steadiest
figures: two-thread BLAS and OpenMP pools suffer most when another process takes a core.

Memory. glibc hands blocks over 128 KB (``mmap``) back to the OS when they are freed, so every
step faults its big temporaries in again (minor faults, printed per step). That costs both
engines, chainrule more (it allocates more temporaries), and depends on the machine; ``--malloc
both`` (the default) runs everything twice: with glibc's defaults, and with
``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TRIM_THRESHOLD_`` / ``MALLOC_TOP_PAD_`` set for both
children so that freed memory is reused.

Usage::

    python bench/conv.py                              # lenet + layers, both malloc settings
    python bench/conv.py --workloads lenet --malloc default --rounds 20
    python bench/conv.py --workloads formulations
    python bench/conv.py --threads 1                  # torch and numpy's BLAS on one thread
    python bench/conv.py --quick                      # smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = "BENCH_RESULT "
TARGET_RATIO = 1.5
TUNED_MALLOC = {
    "MALLOC_MMAP_THRESHOLD_": str(1 << 30),
    "MALLOC_TRIM_THRESHOLD_": str(1 << 30),
    "MALLOC_TOP_PAD_": str(64 << 20),
}

# (name, input shape, weight shape, kwargs, input requires grad)
CONV_SHAPES = [
    ("lenet conv1 1->6 5x5 p2, 28x28", (64, 1, 28, 28), (6, 1, 5, 5), {"padding": 2}, False),
    ("lenet conv2 6->16 5x5, 14x14", (64, 6, 14, 14), (16, 6, 5, 5), {}, True),
    ("3x3 32->32 p1, 32x32, N32", (32, 32, 32, 32), (32, 32, 3, 3), {"padding": 1}, True),
    (
        "3x3 s2 32->64 p1, 32x32, N32",
        (32, 32, 32, 32),
        (64, 32, 3, 3),
        {"padding": 1, "stride": 2},
        True,
    ),
    ("1x1 64->64, 16x16, N32", (32, 64, 16, 16), (64, 64, 1, 1), {}, True),
    (
        "depthwise 3x3 64, 16x16, N32",
        (32, 64, 16, 16),
        (64, 1, 3, 3),
        {"padding": 1, "groups": 64},
        True,
    ),
]
# (name, input shape, function name, kwargs)
POOL_SHAPES = [
    ("max_pool 2 on 64x6x28x28", (64, 6, 28, 28), "max_pool2d", {"kernel_size": 2}),
    (
        "max_pool 3 s2 p1 on 32x32x32x32",
        (32, 32, 32, 32),
        "max_pool2d",
        {"kernel_size": 3, "stride": 2, "padding": 1},
    ),
    ("avg_pool 2 on 64x6x28x28", (64, 6, 28, 28), "avg_pool2d", {"kernel_size": 2}),
]
QUICK_BATCH = 8


# ---------------------------------------------------------------------------------------------
# worker side: builds a workload's step function, times it on request
# ---------------------------------------------------------------------------------------------


def _lenet_arrays(batch: int) -> dict:
    import numpy as np

    rng = np.random.default_rng(0)

    def uniform(shape, fan_in):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    arrays = {
        "w1": uniform((6, 1, 5, 5), 25), "b1": uniform((6,), 25),
        "w2": uniform((16, 6, 5, 5), 150), "b2": uniform((16,), 150),
        "w3": uniform((120, 400), 400), "b3": uniform((120,), 400),
        "w4": uniform((84, 120), 120), "b4": uniform((84,), 120),
        "w5": uniform((10, 84), 84), "b5": uniform((10,), 84),
    }  # fmt: skip
    arrays["x"] = rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)
    arrays["y"] = rng.integers(0, 10, batch)
    return arrays


def _lenet_chainrule(batch: int):
    import numpy as np

    from autograd import Tensor
    from nn.functional.conv import conv2d
    from nn.functional.pooling import max_pool2d

    a = _lenet_arrays(batch)
    x = Tensor(a["x"])
    onehot = np.zeros((batch, 10), dtype=np.float32)
    onehot[np.arange(batch), a["y"]] = 1
    target = Tensor(onehot)
    names = ["w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4", "w5", "b5"]
    params = [Tensor(a[n].copy(), requires_grad=True) for n in names]
    w1, b1, w2, b2, w3, b3, w4, b4, w5, b5 = params

    def step():
        for p in params:
            p.grad = None
        h = max_pool2d(conv2d(x, w1, b1, padding=2).relu(), 2)
        h = max_pool2d(conv2d(h, w2, b2).relu(), 2)
        h = h.flatten(1)
        h = (h @ w3.T + b3).relu()
        h = (h @ w4.T + b4).relu()
        logits = h @ w5.T + b5
        loss = -(logits.log_softmax(1) * target).sum() / batch
        loss.backward()
        return loss

    def check():
        loss = step()
        return [float(loss.item())] + [float(np.abs(p.grad.data).sum()) for p in params]

    return step, check


def _lenet_torch(batch: int):
    import torch
    import torch.nn.functional as F

    a = _lenet_arrays(batch)
    x = torch.from_numpy(a["x"])
    y = torch.from_numpy(a["y"])
    names = ["w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4", "w5", "b5"]
    params = [torch.from_numpy(a[n].copy()).requires_grad_() for n in names]
    w1, b1, w2, b2, w3, b3, w4, b4, w5, b5 = params

    def step():
        for p in params:
            p.grad = None
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding=2)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2)), 2)
        h = h.flatten(1)
        h = F.relu(F.linear(h, w3, b3))
        h = F.relu(F.linear(h, w4, b4))
        loss = F.cross_entropy(F.linear(h, w5, b5), y)
        loss.backward()
        return loss

    def check():
        loss = step()
        return [float(loss.item())] + [float(p.grad.abs().sum()) for p in params]

    return step, check


def _layer_steps(engine: str, batch_scale: float) -> dict:
    """One step function per single-op workload: forward, then backward of a random gradient."""
    import numpy as np

    rng = np.random.default_rng(1)
    steps = {}

    def scaled(shape):
        return (max(1, int(shape[0] * batch_scale)),) + shape[1:]

    if engine == "chainrule":
        from autograd import Tensor
        from nn.functional import conv as conv_module
        from nn.functional import pooling

        def make(fn, inputs, grad_shape_of):
            out = fn(*inputs)
            g = Tensor(rng.standard_normal(out.shape).astype(np.float32))

            def step():
                for t in inputs:
                    t.grad = None
                fn(*inputs).backward(gradient=g)

            return step

        for name, xs, ws, kwargs, x_grad in CONV_SHAPES:
            x = Tensor(rng.standard_normal(scaled(xs)).astype(np.float32), requires_grad=x_grad)
            w = Tensor(rng.standard_normal(ws).astype(np.float32), requires_grad=True)
            b = Tensor(rng.standard_normal(ws[0]).astype(np.float32), requires_grad=True)
            steps[name] = make(
                lambda x, w, b, kw=kwargs: conv_module.conv2d(x, w, b, **kw), [x, w, b], None
            )
        for name, xs, fn_name, kwargs in POOL_SHAPES:
            x = Tensor(rng.standard_normal(scaled(xs)).astype(np.float32), requires_grad=True)
            fn = getattr(pooling, fn_name)
            steps[name] = make(lambda x, fn=fn, kw=kwargs: fn(x, **kw), [x], None)
    else:
        import torch
        import torch.nn.functional as F

        def make(fn, inputs):
            out = fn(*inputs)
            g = torch.from_numpy(rng.standard_normal(tuple(out.shape)).astype(np.float32))

            def step():
                for t in inputs:
                    t.grad = None
                fn(*inputs).backward(g)

            return step

        for name, xs, ws, kwargs, x_grad in CONV_SHAPES:
            x = torch.from_numpy(rng.standard_normal(scaled(xs)).astype(np.float32))
            x.requires_grad_(x_grad)
            w = torch.from_numpy(rng.standard_normal(ws).astype(np.float32)).requires_grad_()
            b = torch.from_numpy(rng.standard_normal(ws[0]).astype(np.float32)).requires_grad_()
            steps[name] = make(lambda x, w, b, kw=kwargs: F.conv2d(x, w, b, **kw), [x, w, b])
        for name, xs, fn_name, kwargs in POOL_SHAPES:
            x = torch.from_numpy(rng.standard_normal(scaled(xs)).astype(np.float32))
            x.requires_grad_()
            fn = getattr(F, fn_name)
            steps[name] = make(lambda x, fn=fn, kw=kwargs: fn(x, **kw), [x])
    return steps


def _formulation_steps(batch_scale: float) -> dict:
    """CONV_SHAPES (groups 1) written four ways from primitives; max pooling fused and composed."""
    import math

    import numpy as np

    from autograd import Tensor, pad, sliding_window
    from nn.functional.conv import conv2d

    def padded(x, p):
        return pad(x, (p, p, p, p)) if p else x

    def batch_first(x, w, b, padding=0, stride=1):
        o, c, kh, kw = w.shape
        win = sliding_window(padded(x, padding), (kh, kw), stride)  # (N, C, oh, ow, kh, kw)
        n, _, oh, ow = win.shape[:4]
        cols = win.permute(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, -1)
        y = w.reshape(o, -1) @ cols + b.reshape(o, 1)
        return y.reshape(o, n, oh, ow).permute(1, 0, 2, 3)

    def rows(x, w, b, padding=0, stride=1):
        o, c, kh, kw = w.shape
        win = sliding_window(padded(x, padding), (kh, kw), stride)
        n, _, oh, ow = win.shape[:4]
        cols = win.permute(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
        y = cols @ w.reshape(o, -1).T + b
        return y.reshape(n, oh, ow, o).permute(0, 3, 1, 2)

    def shifted(x, w, b, padding=0, stride=1):
        o, c, kh, kw = w.shape
        xp = padded(x, padding)
        n, _, h, wd = xp.shape
        oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
        xt = xp.permute(1, 0, 2, 3)  # (C, N, H, W)
        y = None
        for p in range(kh):
            for q in range(kw):
                view = xt[:, :, p : p + stride * (oh - 1) + 1 : stride,
                          q : q + stride * (ow - 1) + 1 : stride]  # fmt: skip
                term = w[:, :, p, q] @ view.reshape(c, -1)
                y = term if y is None else y + term
        y = y + b.reshape(o, 1)
        return y.reshape(o, n, oh, ow).permute(1, 0, 2, 3)

    ways = {"batch-last (ours)": conv2d, "batch-first": batch_first, "rows": rows,
            "shifted": shifted}  # fmt: skip
    rng = np.random.default_rng(2)
    steps = {}
    for name, xs, ws, kwargs, x_grad in CONV_SHAPES:
        if kwargs.get("groups", 1) != 1:
            continue
        xs = (max(1, int(xs[0] * batch_scale)),) + xs[1:]
        x = Tensor(rng.standard_normal(xs).astype(np.float32), requires_grad=x_grad)
        w = Tensor(rng.standard_normal(ws).astype(np.float32), requires_grad=True)
        b = Tensor(rng.standard_normal(ws[0]).astype(np.float32), requires_grad=True)
        reference = conv2d(x, w, b, **kwargs).data
        g = Tensor(rng.standard_normal(reference.shape).astype(np.float32))
        for way, fn in ways.items():
            out = fn(x, w, b, **kwargs).data
            scale = max(1.0, float(np.abs(reference).max()))
            if not math.isclose(float(np.abs(out - reference).max()) / scale, 0, abs_tol=1e-4):
                raise AssertionError(f"formulation {way!r} disagrees with conv2d on {name}")

            def step(fn=fn, kw=kwargs, inputs=(x, w, b), g=g):
                for t in inputs:
                    t.grad = None
                fn(*inputs, **kw).backward(gradient=g)

            steps[f"{name} | {way}"] = step

    # max pooling: the fused rule against its definition by composition
    from nn.functional.pooling import max_pool2d

    def max_pool_composed(x, k):
        windows = sliding_window(x, (k, k), k)
        return windows.reshape(*windows.shape[:4], k * k).max(dim=-1).values

    for name, shape, fn_name, kwargs in POOL_SHAPES:
        if fn_name != "max_pool2d" or set(kwargs) != {"kernel_size"}:
            continue
        k = kwargs["kernel_size"]
        x = Tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        g = Tensor(rng.standard_normal(max_pool2d(x, k).shape).astype(np.float32))
        for way, fn in (("fused (ours)", max_pool2d), ("composition", max_pool_composed)):

            def step(fn=fn, x=x, k=k, g=g):
                x.grad = None
                fn(x, k).backward(gradient=g)

            steps[f"{name} | {way}"] = step
    return steps


def run_worker(engine: str, threads: int | None) -> None:
    """Serve commands from the parent, one JSON line each, until stdin closes."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    import numpy  # noqa: F401  (loaded first, so that its BLAS shows in the thread pools)

    info = {"engine": engine}
    if threads:
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(threads)
        except ImportError:
            pass
    if engine == "torch":
        import torch

        if threads:
            torch.set_num_threads(threads)
        info.update(torch_version=torch.__version__, torch_threads=torch.get_num_threads())
    info["blas_threads"] = harness.blas_threads()
    workloads = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        reply = {"info": info}
        try:
            if cmd["cmd"] == "setup":
                scale = cmd["batch"] / 64
                if cmd["workload"] == "lenet":
                    make = _lenet_chainrule if engine == "chainrule" else _lenet_torch
                    step, check = make(cmd["batch"])
                    reply["check"] = check()
                    workloads["lenet"] = step
                elif cmd["workload"] == "layers":
                    workloads.update(_layer_steps(engine, scale))
                elif cmd["workload"] == "formulations":
                    workloads.update(_formulation_steps(scale))
                for name in workloads:
                    for _ in range(cmd["warmup"]):
                        workloads[name]()
                reply["names"] = list(workloads)
            elif cmd["cmd"] == "run":
                step = workloads[cmd["name"]]
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                times = []
                for _ in range(cmd["steps"]):
                    t0 = time.perf_counter()
                    step()
                    times.append(time.perf_counter() - t0)
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
                reply.update(times=times, faults_per_step=faults / cmd["steps"])
        except Exception as error:  # reported by the parent, with the worker's traceback
            import traceback

            reply["error"] = "".join(traceback.format_exception(error))
        sys.stdout.write(TAG + json.dumps(reply) + "\n")
        sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


class Worker:
    def __init__(self, engine: str, env: dict, threads: int | None) -> None:
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", engine]
        if threads:
            cmd += ["--threads", str(threads)]
        self.engine = engine
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def ask(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith(TAG):
                reply = json.loads(line[len(TAG) :])
                if "error" in reply:
                    raise RuntimeError(f"{self.engine} worker failed:\n{reply['error']}")
                return reply
        raise RuntimeError(f"{self.engine} worker exited (code {self.proc.wait()})")

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _median_ms(times: list) -> float:
    return statistics.median(times) * 1e3


def measure(engines, workload, env, args) -> dict:
    """{name: {engine: {"times": [...], "faults": f, "round_medians": [...]}}} and infos."""
    workers = [Worker(e, env, args.threads) for e in engines]
    try:
        setups = {
            w.engine: w.ask(cmd="setup", workload=workload, batch=args.batch, warmup=args.warmup)
            for w in workers
        }
        names = setups[engines[0]]["names"]
        results = {n: {e: {"times": [], "faults": [], "round_medians": []} for e in engines}
                   for n in names}  # fmt: skip
        for r in range(args.rounds):  # rounds outside: a slow phase hits every workload alike
            for name in names:
                order = workers if r % 2 == 0 else workers[::-1]
                for w in order:
                    reply = w.ask(cmd="run", name=name, steps=args.steps)
                    slot = results[name][w.engine]
                    slot["times"] += reply["times"]
                    slot["faults"].append(reply["faults_per_step"])
                    slot["round_medians"].append(statistics.median(reply["times"]))
    finally:
        for w in workers:
            w.close()
    return {"results": results, "setups": setups}


def _ratios(results: dict) -> tuple:
    """(ratio of medians, median of per-round ratios, ratio of the best rounds' medians)."""
    ours, ref = results["chainrule"], results["torch"]
    ratio = _median_ms(ours["times"]) / _median_ms(ref["times"])
    paired = statistics.median(a / b for a, b in zip(ours["round_medians"], ref["round_medians"]))
    best = min(ours["round_medians"]) / min(ref["round_medians"])
    return ratio, paired, best


def report(workload: str, measured: dict, engines, label: str) -> bool:
    results, setups = measured["results"], measured["setups"]
    print(f"\n== {workload} ({label}) ==")
    ok = True
    if workload == "lenet" and len(engines) == 2:
        a, b = setups["chainrule"]["check"], setups["torch"]["check"]
        worst = max(abs(x - y) / max(abs(y), 1e-6) for x, y in zip(a, b))
        same = worst < 1e-3
        ok = ok and same
        print(
            f"check: first step's loss ({a[0]:.6f} vs {b[0]:.6f}) and |grad| sums of the 10 "
            f"parameters agree with torch: {'yes' if same else 'NO'} (worst relative "
            f"difference {worst:.1e})"
        )
    width = max(len(n) for n in results) + 2
    header = f"{'workload':<{width}}" + "".join(
        f"{e + ' ms':>14}{'best':>8}{'faults':>8}" for e in engines
    )
    if len(engines) == 2:
        header += f"{'ours/torch':>12}{'paired':>8}{'best':>7}"
    print(header)
    print("-" * len(header))
    for name, per_engine in results.items():
        row = f"{name:<{width}}"
        for e in engines:
            row += f"{_median_ms(per_engine[e]['times']):>14.3f}"
            row += f"{min(per_engine[e]['round_medians']) * 1e3:>8.3f}"
            row += f"{statistics.median(per_engine[e]['faults']):>8.0f}"
        if len(engines) == 2:
            ratio, paired, best = _ratios(per_engine)
            row += f"{ratio:>11.2f}x{paired:>7.2f}x{best:>6.2f}x"
        print(row)
    print(
        "(ms: median over all steps; best: the lowest of the rounds' medians; faults: minor page "
        "faults per step; paired: median of the per-round ratios)"
    )
    if workload == "lenet" and len(engines) == 2:
        ratio, paired, best = _ratios(results["lenet"])
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        print(
            f"target: LeNet-5 step chainrule/torch <= {TARGET_RATIO}: {verdict} ({ratio:.2f}x; "
            f"paired per-round {paired:.2f}x; best rounds {best:.2f}x)"
        )
    for e in engines:
        info = setups[e]["info"]
        pools = ", ".join(f"{p['api']} {p['threads']}" for p in info.get("blas_threads", []))
        extra = (
            f"torch {info['torch_version']}, {info['torch_threads']} threads; "
            if e == "torch"
            else ""
        )
        print(f"  {e}: {extra}BLAS pools: {pools or 'unknown'}")
    return ok


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workloads", default="lenet,layers", help="lenet, layers, formulations")
    p.add_argument("--engines", default="chainrule,torch")
    p.add_argument("--batch", type=int, default=64, help="LeNet batch (layers scale with it)")
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--steps", type=int, default=20, help="timed steps per engine per round")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--malloc", choices=("default", "tuned", "both"), default="both")
    p.add_argument("--threads", type=int, help="torch threads and numpy BLAS threads")
    p.add_argument("--quick", action="store_true", help="smoke run: batch 8, 2 rounds of 3")
    p.add_argument("--json", metavar="PATH", help="also write the raw results here")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        run_worker(args.worker, args.threads)
        return 0
    if args.quick:
        args.batch, args.rounds, args.steps, args.warmup = QUICK_BATCH, 2, 3, 1
    engines = args.engines.split(",")
    settings = {"default": [("glibc malloc defaults", {})],
                "tuned": [("malloc reuses freed memory", TUNED_MALLOC)]}  # fmt: skip
    settings["both"] = settings["default"] + settings["tuned"]
    print(
        f"chainrule vs torch, CPU; {os.cpu_count()} CPUs; batch {args.batch}; {args.rounds} "
        f"rounds x {args.steps} steps per engine, alternating; median step times"
    )
    ok = True
    dump = {}
    for label, extra_env in settings[args.malloc]:
        env = {k: v for k, v in os.environ.items() if k not in TUNED_MALLOC}
        env.update(extra_env)
        env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
        for workload in args.workloads.split(","):
            these = ["chainrule"] if workload == "formulations" else engines
            measured = measure(these, workload, env, args)
            ok = report(workload, measured, these, label) and ok
            dump[f"{workload} | {label}"] = measured
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dump, f)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
