"""Differential fuzz, family (g): matmul shapes and nn.functional losses, conv, pooling vs torch.

A case is either ``a @ b`` with shapes drawn from 1-D, 2-D, batched and broadcast batches
(sometimes mismatched, so both must raise), or one nn.functional call (``mse_loss l1_loss
cross_entropy nll_loss binary_cross_entropy binary_cross_entropy_with_logits`` with each
reduction; ``conv1d conv2d`` with stride, padding, dilation, bias; ``max_pool1d max_pool2d
avg_pool2d``; ``linear layer_norm softmax log_softmax``) on random float64 inputs. Compared:
raising, values, first derivatives through ``grad(create_graph=True)`` with a random upstream
gradient, and second derivatives of ``<first, v>``.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as TF
from fuzz_support import assert_grads, assert_same, both_or_neither, run_family
from hypothesis import strategies as st

import autograd
import nn.functional as F
from autograd import Tensor


@st.composite
def matmul_case(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    batch_a = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    batch_b = draw(st.sampled_from([batch_a, batch_a[1:], (1, *batch_a[1:]), ()]))
    a_shape = draw(st.sampled_from([(k,), (n, k), (*batch_a, n, k)]))
    b_shape = draw(st.sampled_from([(k,), (k, m), (*batch_b, k, m)]))
    if draw(st.integers(0, 9)) == 0:  # a wrong inner size: both must raise
        b_shape = (*b_shape[:-2], k + 1, m) if len(b_shape) >= 2 else (k + 1,)
    return {"kind": "matmul", "shapes": [a_shape, b_shape], "seed": draw(st.integers(0, 2**32))}


REDUCTIONS = ["mean", "sum", "none"]


@st.composite
def loss_case(draw):
    name = draw(
        st.sampled_from(
            ["mse_loss", "l1_loss", "cross_entropy", "nll_loss", "binary_cross_entropy"]
            + ["binary_cross_entropy_with_logits"]
        )
    )
    reduction = draw(st.sampled_from(REDUCTIONS))
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    extra = {}
    if name in ("cross_entropy", "nll_loss"):
        extra["weighted"] = draw(st.booleans())
        if name == "cross_entropy":
            extra["label_smoothing"] = draw(st.sampled_from([0.0, 0.1]))
    return {
        "kind": "loss",
        "name": name,
        "reduction": reduction,
        "n": n,
        "c": c,
        **extra,
        "seed": draw(st.integers(0, 2**32)),
    }


@st.composite
def conv_pool_case(draw):
    name = draw(st.sampled_from(["conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool2d"]))
    dims = 1 if name.endswith("1d") else 2
    size = tuple(draw(st.integers(3, 6)) for _ in range(dims))
    kernel = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 2))
    padding = draw(st.integers(0, kernel // 2))
    dilation = draw(st.integers(1, 2)) if not name.startswith("avg") else 1
    return {
        "kind": "conv_pool",
        "name": name,
        "size": size,
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "bias": draw(st.booleans()),
        "channels": (draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        "batch": draw(st.integers(1, 2)),
        "seed": draw(st.integers(0, 2**32)),
    }


@st.composite
def misc_case(draw):
    name = draw(st.sampled_from(["linear", "layer_norm", "softmax", "log_softmax"]))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    return {
        "kind": "misc",
        "name": name,
        "shape": shape,
        "bias": draw(st.booleans()),
        "dim": draw(st.integers(-len(shape), len(shape) - 1)),
        "seed": draw(st.integers(0, 2**32)),
    }


def _inputs(case, rng):
    """(differentiable arrays, fixed extras) and a function fn(lib, *inputs) for the case."""
    kind = case["kind"]
    if kind == "matmul":
        arrays = [rng.standard_normal(s) for s in case["shapes"]]
        return arrays, lambda side, a, b: a @ b
    if kind == "loss":
        name, n, c, reduction = case["name"], case["n"], case["c"], case["reduction"]
        target = rng.integers(0, c, n)
        weight = rng.uniform(0.5, 2, c) if case.get("weighted") else None
        if name in ("mse_loss", "l1_loss"):
            arrays = [rng.standard_normal((n, c)), rng.standard_normal((n, c))]
            return arrays, lambda side, x, y: (getattr(F, name), getattr(TF, name))[side](
                x, y, reduction=reduction
            )
        if name in ("binary_cross_entropy", "binary_cross_entropy_with_logits"):
            logits = name.endswith("logits")
            x = rng.standard_normal((n, c)) if logits else rng.uniform(0.05, 0.95, (n, c))
            y = rng.uniform(0, 1, (n, c))
            return [x], lambda side, x: (getattr(F, name), getattr(TF, name))[side](
                x, (Tensor(y), torch.tensor(y))[side], reduction=reduction
            )
        x = rng.standard_normal((n, c))
        if name == "nll_loss":
            x = x - np.log(np.exp(x).sum(1, keepdims=True))

        def call(side, x):
            kwargs = {"reduction": reduction}
            if name == "cross_entropy":
                kwargs["label_smoothing"] = case["label_smoothing"]
            w = None if weight is None else (Tensor(weight), torch.tensor(weight))[side]
            t = (Tensor(target), torch.tensor(target))[side]
            return (getattr(F, name), getattr(TF, name))[side](x, t, w, **kwargs)

        return [x], call
    if kind == "conv_pool":
        name = case["name"]
        cin, cout = case["channels"]
        x = rng.standard_normal((case["batch"], cin, *case["size"]))
        k, stride, padding, dilation = (
            case["kernel"],
            case["stride"],
            case["padding"],
            case["dilation"],
        )
        if name.startswith("conv"):
            weight = rng.standard_normal((cout, cin, *(k,) * len(case["size"])))
            arrays = [x, weight] + ([rng.standard_normal(cout)] if case["bias"] else [])

            def conv(side, x, w, b=None):
                fn = (getattr(F, name), getattr(TF, name))[side]
                return fn(x, w, b, stride=stride, padding=padding, dilation=dilation)

            return arrays, conv
        if name.startswith("max"):
            return [x], lambda side, x: (getattr(F, name), getattr(TF, name))[side](
                x, k, stride, padding, dilation
            )
        return [x], lambda side, x: (F.avg_pool2d, TF.avg_pool2d)[side](x, k, stride, padding)
    name, shape = case["name"], case["shape"]
    x = rng.standard_normal(shape)
    if name == "linear":
        out = 2
        arrays = [x, rng.standard_normal((out, shape[-1]))]
        if case["bias"]:
            arrays.append(rng.standard_normal(out))
        return arrays, lambda side, *args: (F.linear, TF.linear)[side](*args)
    if name == "layer_norm":
        normalized = shape[-1:]
        arrays = [x, rng.standard_normal(normalized), rng.standard_normal(normalized)]
        return arrays, lambda side, x, w, b: (F.layer_norm, TF.layer_norm)[side](
            x, normalized, w, b
        )
    dim = case["dim"]
    return [x], lambda side, x: (getattr(F, name), getattr(TF, name))[side](x, dim)


def check(case) -> None:
    rng = np.random.default_rng(case["seed"])
    arrays, fn = _inputs(case, rng)
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    result = both_or_neither(lambda: fn(0, *xs), lambda: fn(1, *ts), case.get("name", "matmul"))
    if result is None:
        return
    y, ty = result
    assert_same(y, ty, "value")
    shapes = [a.shape for a in arrays]
    w = rng.standard_normal(tuple(ty.shape))
    firsts = autograd.grad((y * y * Tensor(w)).sum(), xs, create_graph=True, allow_unused=True)
    tfirsts = torch.autograd.grad(
        (ty * ty * torch.tensor(w)).sum(), ts, create_graph=True, allow_unused=True
    )
    assert_grads(firsts, tfirsts, shapes, "first derivative")
    vs = [rng.standard_normal(s) for s in shapes]
    pairs = [(f, tf, v) for f, tf, v in zip(firsts, tfirsts, vs) if tf is not None]
    if not pairs:
        return
    ttotal = sum((tf * torch.tensor(v)).sum() for _, tf, v in pairs)
    if not ttotal.requires_grad:
        return
    total = sum((f * Tensor(v)).sum() for f, _, v in pairs)
    seconds = autograd.grad(total, xs, allow_unused=True)
    tseconds = torch.autograd.grad(ttotal, ts, allow_unused=True)
    assert_grads(seconds, tseconds, shapes, "second derivative")


def test_fuzz_matmul_shapes_match_torch():
    run_family("g matmul", matmul_case(), check)


def test_fuzz_losses_conv_pooling_match_torch():
    run_family("g nn.functional", st.one_of(loss_case(), conv_pool_case(), misc_case()), check)
