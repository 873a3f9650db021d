"""Training benchmark: chainrule's ``nn`` against PyTorch (CPU) on five training workloads.

Every (engine, workload) pair runs in its own child process, so that one engine's imports,
garbage and peak memory never leak into another's figures. The parent re-invokes this file
with ``--worker ENGINE --workload NAME`` and reads one ``BENCH_RESULT {json}`` line from the
child's stdout. PyTorch keeps its default intra-op thread count (printed; ``--torch-threads``
changes it); chainrule runs numpy, whose BLAS thread pools are printed where threadpoolctl is
installed.

Both engines start from the same weights and see the same mini-batches: each child builds
chainrule's model after ``np.random.seed(SEED)``; a torch child builds the same model in
``torch.nn`` and loads chainrule's ``state_dict`` into it (``torch.tensor(np.asarray(v.data))``,
``strict=True``). The batch order comes from one seeded ``numpy.random.Generator``, so it is the
same in every child. The loss of the first batch is recorded and must agree between the engines.

Workloads (``--workloads``, comma-separated; ``digits`` is short for both digits ones):

- ``digits-mlp`` / ``digits-cnn``: scikit-learn's 8x8 digits (``nn.datasets.load_digits()``,
  X / 16 as float32), split 1437 / 360 with ``train_test_split(X, y, test_size=360,
  random_state=0)``. MLP 64-64-10 (Linear-ReLU-Linear), or a small CNN on (1, 8, 8):
  Conv2d(1, 16, 3, padding=1) - ReLU - MaxPool2d(2) - Flatten - Linear(256, 64) - ReLU -
  Linear(64, 10). Recipe: SGD (lr 0.05, momentum 0.9), cross-entropy, batch 32 (the last batch
  of an epoch has 29), 30 epochs. Reported: test accuracy of both engines (targets, chainrule:
  MLP >= 96.5%, CNN >= 97.5%), the largest gap between the engines' per-epoch test accuracies,
  and the training time (the loop over batches, test evaluations excluded; the fastest of
  ``--digits-repeats`` runs from the same start, the median shown beside it); target:
  chainrule <= 1.5x PyTorch's time.
- ``mlp-step``: one training step (zero_grad, forward, loss, backward, step) of an MLP
  784-256-128-10 (ReLU), batch 128, SGD momentum 0.9, cross-entropy, random float32 inputs.
  Reported: median ms per step; target: chainrule no slower than PyTorch (ratio <= 1.0).
- ``lenet-step``: the same step for LeNet-5 (Conv2d(1, 6, 5, padding=2) - ReLU - MaxPool2d(2) -
  Conv2d(6, 16, 5) - ReLU - MaxPool2d(2) - Flatten - Linear(400, 120) - ReLU - Linear(120, 84) -
  ReLU - Linear(84, 10)) on 28x28 inputs, batch 64. Target: ratio <= 1.5.
- ``lenet-valid-step``: LeNet-5 with conv1 *without* padding (24x24 maps, so Linear(256, 120)),
  plain SGD lr 0.01 (no momentum), batch 64: the neighbouring shape a user writes as often,
  inputs ``Tensor(x)`` from a float32 (64, 1, 28, 28) array, int64 labels. Target: ratio <= 1.5.
- ``lenet-b256-step``: ``lenet-step``'s model and recipe on batch 256. Target: ratio <= 1.5.
- ``memory``: 2,000 steps of the ``mlp-step`` model; peak RSS (``ru_maxrss``) read after steps
  100, 1000 and 2000. Flat (growth from step 100 to the last < 5% or < 20 MB) is a PASS.

The step workloads cycle through a pool of pre-built batches (fancy-indexed from a random
dataset with the seeded order and wrapped as tensors before the clock starts), so the figure
is the training step alone. A step is timed on its own; ``--repeats`` blocks of steps follow a
warm-up; each block's median is taken, and the figure is the lowest block median.

Why the lowest: on a shared machine another process that wakes up for a second or two makes
every step in its window several times slower (both engines run BLAS / intra-op thread pools
whose threads then wait for a CPU), and a median over all steps moves with it. The block least
disturbed is the best estimate of the engine's own cost; the median over all steps (and, for
digits, over all runs) is printed beside it so that a disturbed run shows.

Exit status 1 when a child failed, the engines disagree on the first loss, a digits accuracy
target is missed (not checked with ``--quick``) or the memory is not flat; the timing targets
are printed as PASS/FAIL but do not change the exit status (timings depend on the machine and
its load; the load average at the start is printed, with a warning above 0.5).

Usage::

    python bench/nn_training.py                          # all workloads, both engines
    python bench/nn_training.py --quick                  # smoke run, tiny sizes
    python bench/nn_training.py --workloads digits --repeats 5
    python bench/nn_training.py --engines chainrule --workloads mlp-step,memory
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
LENETS = ("lenet-step", "lenet-valid-step", "lenet-b256-step")
WORKLOADS = ("digits-mlp", "digits-cnn", "mlp-step", *LENETS, "memory")
ALIASES = {"digits": ("digits-mlp", "digits-cnn"), "lenet": LENETS, "all": WORKLOADS}
SEED = 0

# Targets printed next to the figures.
TARGET_ACCURACY = {"digits-mlp": 0.965, "digits-cnn": 0.975}  # chainrule's test accuracy
TARGET_DIGITS_TIME_RATIO = 1.5  # chainrule's training time <= 1.5x PyTorch's
# ms per step, chainrule / PyTorch
TARGET_STEP_RATIO = {"mlp-step": 1.0, **{name: 1.5 for name in LENETS}}
LEAK_MAX_FRACTION = 0.05  # peak RSS growth from step 100 to the last: < 5% ...
LEAK_MAX_MB = 20.0  # ... or < 20 MB
FIRST_LOSS_RTOL = 1e-4  # same weights, same batch, float32: the first losses agree closely

# The digits recipe (both models, both engines).
DIGITS_TEST_SIZE = 360
DIGITS_LR = 0.05
DIGITS_MOMENTUM = 0.9
DIGITS_BATCH = 32
STEP_LR = 0.01
STEP_MOMENTUM = 0.9
# per step workload: (momentum, batch size option); lenet-valid-step is plain SGD
STEP_RECIPES = {
    "mlp-step": (STEP_MOMENTUM, "mlp_batch"),
    "lenet-step": (STEP_MOMENTUM, "lenet_batch"),
    "lenet-valid-step": (0.0, "lenet_batch"),
    "lenet-b256-step": (STEP_MOMENTUM, "lenet_big_batch"),
}
STEP_DATASET = 2048  # random samples the step workloads draw their batches from
STEP_POOL = 16  # pre-built batches, cycled

DEFAULTS = {
    "epochs": 30,
    "digits_repeats": 5,
    "repeats": 7,
    "mlp_steps": 100,  # per repeat
    "mlp_batch": 128,
    "lenet_steps": 50,
    "lenet_batch": 64,
    "lenet_big_batch": 256,
    "warmup": 20,
    "memory_steps": 2000,
}
QUICK = {
    "epochs": 2,
    "digits_repeats": 1,
    "repeats": 2,
    "mlp_steps": 5,
    "mlp_batch": 16,
    "lenet_steps": 3,
    "lenet_batch": 4,
    "lenet_big_batch": 8,
    "warmup": 2,
    "memory_steps": 150,
}


# ---------------------------------------------------------------------------------------------
# worker side
# ---------------------------------------------------------------------------------------------


def _architecture(name: str) -> list[tuple]:
    """A model as (layer, args) pairs, the same names in ``nn`` and ``torch.nn``."""
    if name == "digits-mlp":
        return [("Linear", 64, 64), ("ReLU",), ("Linear", 64, 10)]
    if name == "digits-cnn":
        return [
            ("Conv2d", 1, 16, 3, {"padding": 1}),
            ("ReLU",),
            ("MaxPool2d", 2),
            ("Flatten",),
            ("Linear", 16 * 4 * 4, 64),
            ("ReLU",),
            ("Linear", 64, 10),
        ]
    if name in ("mlp-step", "memory"):
        return [
            ("Linear", 784, 256),
            ("ReLU",),
            ("Linear", 256, 128),
            ("ReLU",),
            ("Linear", 128, 10),
        ]
    if name in ("lenet-step", "lenet-b256-step", "lenet-valid-step"):
        valid = name == "lenet-valid-step"  # conv1 without padding: 24x24 maps, 4x4 at the end
        side = 4 if valid else 5
        return [
            ("Conv2d", 1, 6, 5, {} if valid else {"padding": 2}),
            ("ReLU",),
            ("MaxPool2d", 2),
            ("Conv2d", 6, 16, 5),
            ("ReLU",),
            ("MaxPool2d", 2),
            ("Flatten",),
            ("Linear", 16 * side * side, 120),
            ("ReLU",),
            ("Linear", 120, 84),
            ("ReLU",),
            ("Linear", 84, 10),
        ]
    raise ValueError(f"unknown workload {name!r}")


def _input_shape(name: str) -> tuple:
    """The shape of one sample as the model takes it."""
    return {
        "digits-mlp": (64,),
        "digits-cnn": (1, 8, 8),
        "mlp-step": (784,),
        "memory": (784,),
        "lenet-step": (1, 28, 28),
        "lenet-valid-step": (1, 28, 28),
        "lenet-b256-step": (1, 28, 28),
    }[name]


def _build(module, spec: list[tuple]):
    layers = []
    for layer in spec:
        args = [a for a in layer[1:] if not isinstance(a, dict)]
        kwargs = next((a for a in layer[1:] if isinstance(a, dict)), {})
        layers.append(getattr(module, layer[0])(*args, **kwargs))
    return module.Sequential(*layers)


class _Engine:
    """The few things the workloads need, for one engine."""

    def __init__(self, name: str, torch_threads: int | None) -> None:
        import numpy as np

        self.name = name
        self.np = np
        self.info = {"numpy_version": np.__version__}
        if ROOT not in sys.path:
            sys.path.insert(0, ROOT)
        import nn  # both engines: chainrule's model is the source of the initial weights

        self.nn = nn
        if name == "chainrule":
            from autograd import Tensor, no_grad

            self.Tensor = Tensor
            self.no_grad = no_grad
        elif name == "torch":
            import torch

            if torch_threads:
                torch.set_num_threads(torch_threads)
            self.torch = torch
            self.no_grad = torch.no_grad
            self.info.update(
                torch_version=torch.__version__,
                torch_threads=torch.get_num_threads(),
                torch_interop_threads=torch.get_num_interop_threads(),
            )
        else:
            raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
        self.info["blas_threads"] = harness.blas_threads()

    def model(self, workload: str, seed: int):
        """The workload's model, initialised from chainrule's seeded initialisation."""
        np = self.np
        np.random.seed(seed)
        ours = _build(self.nn, _architecture(workload))
        if self.name == "chainrule":
            return ours
        model = _build(self.torch.nn, _architecture(workload))
        state = {k: self.torch.tensor(np.asarray(v.data)) for k, v in ours.state_dict().items()}
        model.load_state_dict(state, strict=True)
        return model

    def sgd(self, model, lr: float, momentum: float):
        if self.name == "torch":
            return self.torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        return self.nn.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

    def loss_fn(self):
        if self.name == "torch":
            return self.torch.nn.CrossEntropyLoss()
        return self.nn.CrossEntropyLoss()

    def tensor(self, array):
        """An input tensor (no grad) over a numpy array."""
        if self.name == "torch":
            return self.torch.from_numpy(array)
        return self.Tensor(array)

    def to_numpy(self, t):
        if self.name == "torch":
            return t.detach().numpy()
        return t.data


def _digits_split(np):
    from sklearn.model_selection import train_test_split

    import nn

    X, y = nn.datasets.load_digits()
    X = (X / 16).astype(np.float32)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=DIGITS_TEST_SIZE, random_state=0
    )
    return X_train, X_test, y_train, y_test


def worker_digits(eng: _Engine, workload: str, epochs: int, repeats: int, seed: int) -> dict:
    """Workloads digits-mlp / digits-cnn: train from the same start, test accuracy, time."""
    np = eng.np
    X_train, X_test, y_train, y_test = _digits_split(np)
    shape = (-1,) + _input_shape(workload)
    X_train = np.ascontiguousarray(X_train.reshape(shape))
    X_test_t = eng.tensor(np.ascontiguousarray(X_test.reshape(shape)))
    y_train = np.ascontiguousarray(y_train)
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(X_train)) for _ in range(epochs)]

    def test_accuracy(model) -> float:
        with eng.no_grad():
            logits = eng.to_numpy(model(X_test_t))
        return float(np.mean(logits.argmax(axis=1) == y_test))

    times, accuracies, first_loss, epoch_losses = [], None, None, None
    for rep in range(repeats):
        model = eng.model(workload, seed)
        opt = eng.sgd(model, DIGITS_LR, DIGITS_MOMENTUM)
        loss_fn = eng.loss_fn()
        train_s = 0.0
        accs, losses = [], []
        for order in orders:
            t0 = time.perf_counter()
            total = 0.0
            for start in range(0, len(order), DIGITS_BATCH):
                idx = order[start : start + DIGITS_BATCH]
                xb, yb = eng.tensor(X_train[idx]), eng.tensor(y_train[idx])
                opt.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                opt.step()
                value = loss.item()
                if first_loss is None:
                    first_loss = value
                total += value * len(idx)
            train_s += time.perf_counter() - t0
            losses.append(total / len(order))
            if rep == 0:
                accs.append(test_accuracy(model))
        times.append(train_s)
        if rep == 0:
            accuracies, epoch_losses = accs, losses
        del model, opt
        gc.collect()
    steps = epochs * math.ceil(len(X_train) / DIGITS_BATCH)
    return {
        "engine": eng.name,
        "workload": workload,
        "n_train": len(X_train),
        "n_test": len(X_test),
        "epochs": epochs,
        "steps": steps,
        "repeats": repeats,
        "recipe": f"SGD lr {DIGITS_LR} momentum {DIGITS_MOMENTUM}, batch {DIGITS_BATCH}",
        "train_s_best": min(times),
        "train_s_median": statistics.median(times),
        "train_s_all": times,
        "step_ms": min(times) / steps * 1e3,
        "test_accuracy": accuracies[-1],
        "test_accuracy_per_epoch": accuracies,
        "train_loss_per_epoch": epoch_losses,
        "first_loss": first_loss,
        "peak_rss_mb": harness.peak_rss_mb(),
    }


def _random_batches(eng: _Engine, workload: str, batch: int, seed: int):
    """A pool of (inputs, targets) batches drawn from a random float32 dataset, seeded order."""
    np = eng.np
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((STEP_DATASET,) + _input_shape(workload)).astype(np.float32)
    y = rng.integers(0, 10, STEP_DATASET).astype(np.int64)
    order = rng.permutation(STEP_DATASET)
    pool = []
    for k in range(STEP_POOL):
        idx = order[(k * batch) % STEP_DATASET :][:batch]
        if len(idx) < batch:
            idx = order[:batch]
        pool.append((eng.tensor(np.ascontiguousarray(X[idx])), eng.tensor(y[idx])))
    return pool


def worker_step(
    eng: _Engine,
    workload: str,
    batch: int,
    steps: int,
    repeats: int,
    warmup: int,
    seed: int,
    momentum: float = STEP_MOMENTUM,
) -> dict:
    """Workloads mlp-step / lenet-*-step: ms per training step (lowest median of a block)."""
    model = eng.model(workload, seed)
    opt = eng.sgd(model, STEP_LR, momentum)
    loss_fn = eng.loss_fn()
    pool = _random_batches(eng, workload, batch, seed)
    clock = time.perf_counter
    counter = [0]

    def step():
        xb, yb = pool[counter[0] % len(pool)]
        counter[0] += 1
        t0 = clock()
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        dt = clock() - t0
        return dt, loss

    _, loss = step()
    first_loss = loss.item()
    for _ in range(max(warmup - 1, 0)):
        step()
    blocks = []
    for _ in range(repeats):
        blocks.append([step()[0] * 1e3 for _ in range(steps)])
    _, loss = step()
    all_ms = [t for b in blocks for t in b]
    return {
        "engine": eng.name,
        "workload": workload,
        "batch": batch,
        "momentum": momentum,
        "steps": steps,
        "repeats": repeats,
        "warmup": warmup,
        "ms_best": min(statistics.median(b) for b in blocks),
        "ms_median": statistics.median(all_ms),
        "ms_min": min(all_ms),
        "ms_block_medians": [statistics.median(b) for b in blocks],
        "first_loss": first_loss,
        "last_loss": float(loss.item()),
        "peak_rss_mb": harness.peak_rss_mb(),
    }


def _checkpoints(steps: int) -> list[int]:
    return sorted({min(100, steps), steps // 2 if steps >= 200 else steps, steps})


def worker_memory(eng: _Engine, batch: int, steps: int, seed: int) -> dict:
    """Workload memory: many training steps of the mlp-step model, peak RSS at checkpoints."""
    out = {"engine": eng.name, "workload": "memory", "batch": batch, "steps": steps}
    out["rss_after_import_mb"] = harness.peak_rss_mb()
    model = eng.model("memory", seed)
    opt = eng.sgd(model, STEP_LR, STEP_MOMENTUM)
    loss_fn = eng.loss_fn()
    pool = _random_batches(eng, "memory", batch, seed)
    gc.collect()
    out["rss_after_setup_mb"] = harness.peak_rss_mb()
    checkpoints = _checkpoints(steps)
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    rss_at, times, first_loss = {}, [], None
    for i in range(1, steps + 1):
        xb, yb = pool[i % len(pool)]
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
        if first_loss is None:
            first_loss = loss.item()
        del loss
        if i in checkpoints:
            rss_at[str(i)] = harness.rss_checkpoint()
    out.update(
        checkpoints=checkpoints,
        rss_at=rss_at,
        ms_median=statistics.median(times) * 1e3,
        total_s=sum(times),
        minor_faults_per_step=(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0)
        / steps,
        first_loss=first_loss,
        peak_rss_mb=harness.peak_rss_mb(),
        gc_enabled=gc.isenabled(),
    )
    return out


def run_worker(args) -> None:
    eng = _Engine(args.worker, args.torch_threads)
    w = args.workload
    if w in ("digits-mlp", "digits-cnn"):
        res = worker_digits(eng, w, args.epochs, args.digits_repeats, args.seed)
    elif w in STEP_RECIPES:
        momentum, batch_option = STEP_RECIPES[w]
        steps = args.mlp_steps if w == "mlp-step" else args.lenet_steps
        res = worker_step(
            eng,
            w,
            getattr(args, batch_option),
            steps,
            args.repeats,
            args.warmup,
            args.seed,
            momentum,
        )
    elif w == "memory":
        res = worker_memory(eng, args.mlp_batch, args.memory_steps, args.seed)
    else:
        raise ValueError(f"unknown workload {w!r}; choose from {', '.join(WORKLOADS)}")
    res.update(eng.info)
    harness.emit_result(res, with_cpus=True)


# ---------------------------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _check_first_loss(results: list[dict]) -> bool:
    """Print whether the engines' first losses agree (same weights, same batch); return ok."""
    ours, ref = harness.ok_result(results, "chainrule"), harness.ok_result(results, "torch")
    if not (ours and ref):
        return True
    a, b = ours["first_loss"], ref["first_loss"]
    same = abs(a - b) <= FIRST_LOSS_RTOL * max(abs(a), abs(b), 1e-12)
    print(f"check: same start (first-batch loss {a:.6f} vs {b:.6f}): {'yes' if same else 'NO'}")
    return same


def _print_failures(results: list[dict]) -> bool:
    ok = True
    for r in results:
        if "failed" in r:
            print(f"{r['engine']:<11} FAILED: {r['failed']}")
            ok = False
    return ok


def report_digits(workload: str, results: list[dict], quick: bool) -> bool:
    print()
    first = next((r for r in results if "failed" not in r), None)
    model = "MLP 64-64-10" if workload == "digits-mlp" else "CNN conv3x3(16)-pool2-256-64-10"
    if first:
        print(
            f"Workload {workload}: digits {first['n_train']} train / {first['n_test']} test, "
            f"{model}, {first['recipe']}, {first['epochs']} epochs ({first['steps']} steps), "
            f"time = fastest of {first['repeats']} run(s)"
        )
    else:
        print(f"Workload {workload}: digits, {model}")
    header = (
        f"{'engine':<11}{'epochs':>7}{'test_acc':>10}{'train_s':>9}{'ms/step':>9}"
        f"{'last_loss':>11}{'time_ours/x':>13}  all runs (s)"
    )
    print(header)
    print("-" * len(header))
    ok = _print_failures(results)
    ours, ref = harness.ok_result(results, "chainrule"), harness.ok_result(results, "torch")
    for r in results:
        if "failed" in r:
            continue
        ratio = harness.ratio(ours["train_s_best"], r["train_s_best"]) if ours else math.nan
        runs = " ".join(f"{t:.2f}" for t in r["train_s_all"])
        print(
            f"{r['engine']:<11}{r['epochs']:>7}{r['test_accuracy'] * 100:>9.1f}%"
            f"{r['train_s_best']:>9.2f}{r['step_ms']:>9.2f}"
            f"{r['train_loss_per_epoch'][-1]:>11.4f}{harness.fmt_ratio(ratio):>13}  {runs}"
        )
    print(
        "(train_s: the fastest of the runs, the one least disturbed by other processes; "
        "ms/step: train_s / steps; test accuracy after the last epoch)"
    )
    if ref:
        print(harness.threads_note(ref, "numpy BLAS/OpenMP pools"))
    ok = _check_first_loss(results) and ok
    if ours and ref:
        gap = max(
            abs(a - b)
            for a, b in zip(ours["test_accuracy_per_epoch"], ref["test_accuracy_per_epoch"])
        )
        print(f"check: largest per-epoch test-accuracy gap between the engines: {gap * 100:.1f}%")
    if ours:
        target = TARGET_ACCURACY[workload]
        if quick:
            print(f"target: chainrule test accuracy >= {target * 100:.1f}%: n/a (--quick)")
        else:
            acc_ok = ours["test_accuracy"] >= target
            print(
                f"target: chainrule test accuracy >= {target * 100:.1f}%: {_verdict(acc_ok)} "
                f"({ours['test_accuracy'] * 100:.1f}%"
                + (f"; torch {ref['test_accuracy'] * 100:.1f}%)" if ref else ")")
            )
            ok = ok and acc_ok
    if ours and ref:
        ratio = ours["train_s_best"] / ref["train_s_best"]
        med = ours["train_s_median"] / ref["train_s_median"]
        print(
            f"target: chainrule/torch training time <= {TARGET_DIGITS_TIME_RATIO:g}: "
            f"{_verdict(ratio <= TARGET_DIGITS_TIME_RATIO)} ({ours['train_s_best']:.2f} s vs "
            f"{ref['train_s_best']:.2f} s = {ratio:.2f}x; medians {med:.2f}x)"
        )
    return ok


def _merge_rounds(runs: list[list[dict]]) -> list[dict]:
    """One step result per engine from several alternating rounds (each a list over engines).

    ``ms_best`` and ``ms_median`` become the medians over the rounds, ``ms_min`` the minimum;
    ``ms_best_rounds`` keeps each round's figure, so the report can pair the engines' rounds.
    """
    merged = []
    for k, first in enumerate(runs[0]):
        rounds = [run[k] for run in runs]
        failed = next((r for r in rounds if "failed" in r), None)
        if failed:
            merged.append(failed)
            continue
        r = dict(first)
        r["ms_best_rounds"] = [x["ms_best"] for x in rounds]
        r["ms_best"] = statistics.median(r["ms_best_rounds"])
        r["ms_median"] = statistics.median(x["ms_median"] for x in rounds)
        r["ms_min"] = min(x["ms_min"] for x in rounds)
        r["ms_block_medians"] = r["ms_best_rounds"]
        merged.append(r)
    return merged


def report_step(workload: str, results: list[dict]) -> bool:
    print()
    first = next((r for r in results if "failed" not in r), None)
    model = {
        "mlp-step": "MLP 784-256-128-10 (ReLU)",
        "lenet-valid-step": "LeNet-5 on 1x28x28, conv1 unpadded (conv5-pool-conv5-pool-256-...-10)",
    }.get(workload, "LeNet-5 on 1x28x28 (conv5 pad 2-pool-conv5-pool-400-120-84-10)")
    batch = first["batch"] if first else "?"
    momentum = first.get("momentum", STEP_MOMENTUM) if first else STEP_MOMENTUM
    recipe = f"SGD momentum {momentum}" if momentum else "plain SGD"
    print(
        f"Workload {workload}: one training step (zero_grad, forward, cross-entropy, backward, "
        f"{recipe} lr {STEP_LR} step) of {model}, batch {batch}, random float32 inputs"
    )
    rounds = len(first.get("ms_best_rounds", [])) if first else 0
    tail = f"each round's ms_best ({rounds} rounds)" if rounds else "block medians (ms)"
    header = (
        f"{'engine':<11}{'steps':>7}{'reps':>6}{'ms_best':>9}{'ms_median':>11}{'ms_min':>9}"
        f"{'ours/x':>8}  {tail}"
    )
    print(header)
    print("-" * len(header))
    ok = _print_failures(results)
    ours, ref = harness.ok_result(results, "chainrule"), harness.ok_result(results, "torch")
    for r in results:
        if "failed" in r:
            continue
        ratio = harness.ratio(ours["ms_best"], r["ms_best"]) if ours else math.nan
        blocks = " ".join(f"{b:.2f}" for b in r["ms_block_medians"])
        print(
            f"{r['engine']:<11}{r['steps']:>7}{r['repeats']:>6}{r['ms_best']:>9.3f}"
            f"{r['ms_median']:>11.3f}{r['ms_min']:>9.3f}{harness.fmt_ratio(ratio):>8}  {blocks}"
        )
    print(
        "(ms_best: the lowest block median, the block least disturbed by other processes; "
        "ms_median: over all timed steps; ms_min: the fastest single step)"
    )
    if ref:
        print(harness.threads_note(ref, "numpy BLAS/OpenMP pools"))
    ok = _check_first_loss(results) and ok
    if ours and ref:
        target = TARGET_STEP_RATIO[workload]
        ratio = ours["ms_best"] / ref["ms_best"]
        med = ours["ms_median"] / ref["ms_median"]
        paired = ""
        if "ms_best_rounds" in ours and "ms_best_rounds" in ref:
            # the ratio within each round (engines run back to back), then their median
            per_round = [a / b for a, b in zip(ours["ms_best_rounds"], ref["ms_best_rounds"])]
            ratio = statistics.median(per_round)
            paired = "; per round " + " ".join(f"{x:.2f}" for x in per_round) + ", median"
        print(
            f"target: chainrule/torch ms per step <= {target:g}: {_verdict(ratio <= target)} "
            f"({ours['ms_best']:.3f} ms vs {ref['ms_best']:.3f} ms{paired} = {ratio:.2f}x; "
            f"medians {med:.2f}x)"
        )
    return ok


def _leak_verdict(r: dict) -> tuple[str, str, bool]:
    """(label, message, ok) for the peak RSS growth from step 100 (or the first checkpoint)."""
    cps = r["checkpoints"]
    if len(cps) < 2:
        return "n/a", "too few steps for two checkpoints", True
    lo, hi = str(cps[0]), str(cps[-1])
    before = r["rss_at"][lo]["peak_mb"]
    after = r["rss_at"][hi]["peak_mb"]
    growth = after - before
    frac = growth / before if before else 0.0
    ok = frac < LEAK_MAX_FRACTION or growth < LEAK_MAX_MB
    msg = f"{growth:+.1f} MB ({frac * 100:+.1f}%) from step {lo} to {hi}"
    return _verdict(ok), msg, ok


def report_memory(results: list[dict]) -> bool:
    print()
    first = next((r for r in results if "failed" not in r), None)
    steps = first["steps"] if first else "?"
    batch = first["batch"] if first else "?"
    print(
        f"Workload memory: {steps} training steps of MLP 784-256-128-10, batch {batch}, SGD "
        "momentum; peak RSS (ru_maxrss) at checkpoints"
    )
    cps = first["checkpoints"] if first else []
    rss_cols = "".join(f"{'rss@' + str(c):>10}" for c in cps)
    header = (
        f"{'engine':<11}{'steps':>7}{'import_MB':>11}{'setup_MB':>10}{rss_cols}"
        f"{'ms/step':>9}{'faults/st':>11}{'ours/x':>8}  flat (peak RSS growth)"
    )
    print(header)
    print("-" * len(header))
    ok = _print_failures(results)
    ours = harness.ok_result(results, "chainrule")
    for r in results:
        if "failed" in r:
            continue
        verdict, msg, leak_ok = _leak_verdict(r)
        ratio = harness.ratio(ours["ms_median"], r["ms_median"]) if ours else math.nan
        rss = "".join(f"{r['rss_at'][str(c)]['peak_mb']:>10.0f}" for c in r["checkpoints"])
        print(
            f"{r['engine']:<11}{r['steps']:>7}{r['rss_after_import_mb']:>11.0f}"
            f"{r['rss_after_setup_mb']:>10.0f}{rss}{r['ms_median']:>9.2f}"
            f"{r['minor_faults_per_step']:>11.0f}{harness.fmt_ratio(ratio):>8}  {verdict}: {msg}"
        )
        ok = ok and leak_ok
    print(
        f"(rss@N: peak RSS in MB after N steps; PASS when the growth is < "
        f"{LEAK_MAX_FRACTION * 100:g}% or < {LEAK_MAX_MB:g} MB; faults/st: minor page faults "
        "per step, i.e. memory handed back to the OS and faulted in again)"
    )
    ref = harness.ok_result(results, "torch")
    if ref:
        print(harness.threads_note(ref, "numpy BLAS/OpenMP pools"))
    ok = _check_first_loss(results) and ok
    return ok


def _expand_workloads(text: str) -> list[str]:
    out = []
    for w in (w.strip().lower() for w in text.split(",") if w.strip()):
        for name in ALIASES.get(w, (w,)):
            if name not in out:
                out.append(name)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--engines", default=",".join(ENGINES), help=f"comma-separated, from {', '.join(ENGINES)}"
    )
    p.add_argument(
        "--workloads",
        default="all",
        help=f"comma-separated, from {', '.join(WORKLOADS)}; 'digits' = both digits ones; 'all'",
    )
    p.add_argument(
        "--repeats",
        type=int,
        help="timed blocks of steps in the step workloads (default 7; quick 2)",
    )
    p.add_argument(
        "--digits-repeats",
        type=int,
        help="training runs timed per digits workload (default 5; quick 1)",
    )
    p.add_argument("--epochs", type=int, help="digits epochs (default 30; quick 2)")
    p.add_argument("--mlp-steps", type=int, help="mlp-step steps per block (default 100)")
    p.add_argument("--mlp-batch", type=int, help="mlp-step and memory batch (default 128)")
    p.add_argument("--lenet-steps", type=int, help="lenet-step steps per block (default 50)")
    p.add_argument("--lenet-batch", type=int, help="lenet-(valid-)step batch (default 64)")
    p.add_argument("--lenet-big-batch", type=int, help="lenet-b256-step batch (default 256)")
    p.add_argument("--warmup", type=int, help="untimed steps before the blocks (default 20)")
    p.add_argument("--memory-steps", type=int, help="memory workload steps (default 2000)")
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="step workloads: run the engines' children this many times, alternating, and "
        "report the median of the rounds (default 1)",
    )
    p.add_argument("--seed", type=int, default=SEED, help="weights and batch order (default 0)")
    p.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="torch.set_num_threads(N) in the torch children (default: torch's own default)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: tiny sizes, accuracy targets not checked (explicit options still apply)",
    )
    harness.add_common_args(p)
    args = p.parse_args(argv)

    sizes = QUICK if args.quick else DEFAULTS
    for key, value in sizes.items():
        if getattr(args, key) is None:  # --quick sets only what the command line left out
            setattr(args, key, value)
    if args.worker:
        run_worker(args)
        return 0

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        p.error(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}")
    workloads = _expand_workloads(args.workloads)
    unknown = [w for w in workloads if w not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload(s) {unknown}; choose from {', '.join(WORKLOADS)}, digits, all")
    if min(getattr(args, k) for k in DEFAULTS) < 1:
        p.error("sizes, steps, epochs and repeats must be >= 1")
    extra = []
    for key in DEFAULTS:
        extra += ["--" + key.replace("_", "-"), str(getattr(args, key))]
    extra += ["--seed", str(args.seed)]
    if args.torch_threads is not None:
        extra += ["--torch-threads", str(args.torch_threads)]

    load = harness.print_start()
    if load and load > 0.5:
        print(
            f"WARNING: load average {load:.2f} > 0.5: other processes are using the CPUs; "
            "timings (torch's threaded ones most) may be noisy; rerun when the machine is quiet"
        )
    ok = True
    all_results = []
    for workload in workloads:
        rounds = args.rounds if workload in STEP_RECIPES else 1
        # engines alternate round by round, so a burst of load hits both about equally
        runs = [
            [harness.spawn(__file__, eng, workload, extra, args.timeout) for eng in engines]
            for _ in range(rounds)
        ]
        results = _merge_rounds(runs) if rounds > 1 else runs[0]
        if workload.startswith("digits"):
            ok = report_digits(workload, results, args.quick) and ok
        elif workload == "memory":
            ok = report_memory(results) and ok
        else:
            ok = report_step(workload, results) and ok
        all_results += results
        sys.stdout.flush()
    load_end = harness.load_average()
    if load_end is not None:
        print(f"\nload average {load_end:.2f} at the end")
    harness.write_json(args.json, all_results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
