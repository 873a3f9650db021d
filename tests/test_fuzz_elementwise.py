"""Differential fuzz, family (a): random elementwise expression trees against torch, float64.

A case is up to three broadcast-compatible leaves and a random tree over them of every
elementwise operation a Tensor has (arithmetic with tensors and Python scalars, ``**``, ``neg
exp log sqrt abs tanh sigmoid relu clamp maximum minimum where`` and nn.functional's
activations). Operations with a restricted domain get an argument kept inside it, built from
the operations under test (``log(a*a + 0.25)``), so a case means something instead of NaN.
Leaves may appear several times, and ``a - a`` style exact zeros test the kinks (``abs``,
``relu``, ties of ``maximum``). Compared: the values, the first derivatives through
``autograd.grad(..., create_graph=True)`` with a random upstream gradient, and the second
derivatives of ``<first, v>`` for a random ``v``.
"""

from __future__ import annotations

import numpy as np
import torch
from fuzz_support import (
    GateNoise,
    Mismatch,
    assert_grads,
    assert_same,
    both_or_neither,
    run_family,
)
from hypothesis import strategies as st

import autograd
import nn.functional as F
from autograd import Tensor

# name -> (ours, theirs) on already-built operands; the guards keep arguments in the domain
UNARY = {
    "neg": (lambda a: -a, lambda a: -a),
    "exp": (lambda a: (a.tanh() * 3).exp(), lambda a: (a.tanh() * 3).exp()),
    "log": (lambda a: (a * a + 0.25).log(), lambda a: (a * a + 0.25).log()),
    "sqrt": (lambda a: (a * a + 0.25).sqrt(), lambda a: (a * a + 0.25).sqrt()),
    "abs": (lambda a: a.abs(), lambda a: a.abs()),
    "abs()": (lambda a: abs(a), lambda a: abs(a)),
    "tanh": (lambda a: a.tanh(), lambda a: a.tanh()),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: a.sigmoid()),
    "relu": (lambda a: a.relu(), lambda a: a.relu()),
    "square": (lambda a: a**2, lambda a: a**2),
    "cube": (lambda a: a**3, lambda a: a**3),
    "pow0": (lambda a: a**0, lambda a: a**0),
    "pow1": (lambda a: a**1, lambda a: a**1),
    "pow_half": (lambda a: (a * a + 0.25) ** 0.5, lambda a: (a * a + 0.25) ** 0.5),
    "pow_neg": (lambda a: (a * a + 0.25) ** -1.5, lambda a: (a * a + 0.25) ** -1.5),
    "pow_neg_int": (lambda a: (a * a + 0.5) ** -2, lambda a: (a * a + 0.5) ** -2),
    "rpow": (lambda a: 1.7 ** a.tanh(), lambda a: 1.7 ** a.tanh()),
    "reciprocal": (lambda a: 1 / (a * a + 0.5), lambda a: 1 / (a * a + 0.5)),
    "clamp": (lambda a: a.clamp(-0.5, 0.7), lambda a: a.clamp(-0.5, 0.7)),
    "clamp_min": (lambda a: a.clamp(min=0.1), lambda a: a.clamp(min=0.1)),
    "clamp_max": (lambda a: a.clamp(max=-0.2), lambda a: a.clamp(max=-0.2)),
    "add_scalar": (lambda a: a + 2.5, lambda a: a + 2.5),
    "radd_int": (lambda a: 3 + a, lambda a: 3 + a),
    "rsub": (lambda a: 1.5 - a, lambda a: 1.5 - a),
    "sub_int": (lambda a: a - 2, lambda a: a - 2),
    "mul_scalar": (lambda a: a * -1.5, lambda a: a * -1.5),
    "rmul_int": (lambda a: 2 * a, lambda a: 2 * a),
    "div_scalar": (lambda a: a / 3.0, lambda a: a / 3.0),
    "gelu": (lambda a: F.gelu(a), lambda a: torch.nn.functional.gelu(a)),
    "gelu_tanh": (
        lambda a: F.gelu(a, approximate="tanh"),
        lambda a: torch.nn.functional.gelu(a, approximate="tanh"),
    ),
    "elu": (lambda a: F.elu(a, 0.7), lambda a: torch.nn.functional.elu(a, 0.7)),
    "leaky_relu": (
        lambda a: F.leaky_relu(a, 0.1),
        lambda a: torch.nn.functional.leaky_relu(a, 0.1),
    ),
    "silu": (lambda a: F.silu(a), lambda a: torch.nn.functional.silu(a)),
    "softplus": (lambda a: F.softplus(a, 2.0), lambda a: torch.nn.functional.softplus(a, 2.0)),
    "logsigmoid": (lambda a: F.logsigmoid(a), lambda a: torch.nn.functional.logsigmoid(a)),
}

BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 0.25), lambda a, b: a / (b * b + 0.25)),
    "pow": (lambda a, b: (a * a + 0.25) ** b.tanh(), lambda a, b: (a * a + 0.25) ** b.tanh()),
    "maximum": (lambda a, b: a.maximum(b), lambda a, b: torch.maximum(a, b)),
    "minimum": (lambda a, b: autograd.minimum(a, b), lambda a, b: torch.minimum(a, b)),
}

SHAPES = [(), (1,), (3,), (2, 3), (2, 1), (1, 3), (2, 2, 3)]


def _tree(depth: int):
    leaf = st.tuples(st.just("leaf"), st.integers(0, 2))
    if depth == 0:
        return leaf
    sub = _tree(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), sub),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), sub, sub),
        st.tuples(st.just("where"), st.integers(0, 2**31), sub, sub),
    )


@st.composite
def cases(draw):
    n_leaves = draw(st.integers(1, 3))
    shapes = [draw(st.sampled_from(SHAPES)) for _ in range(n_leaves)]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    leaves = []
    for shape in shapes:
        values = rng.uniform(-2, 2, size=shape)
        if draw(st.booleans()):  # exact zeros and repeats: the kinks of abs/relu/max/clamp
            values = np.where(rng.random(shape) < 0.3, 0.0, values)
            values = np.where(rng.random(shape) < 0.2, 0.5, values)
        leaves.append(np.asarray(values, dtype=np.float64))
    tree = draw(_tree(3))
    return {"family": "elementwise", "tree": tree, "leaves": leaves, "seed": seed}


def build(tree, leaves, side: int):
    """Evaluate ``tree`` on ``leaves`` with our ops (side 0) or torch's (side 1)."""
    kind = tree[0]
    if kind == "leaf":
        return leaves[tree[1] % len(leaves)]
    if kind == "unary":
        return UNARY[tree[1]][side](build(tree[2], leaves, side))
    if kind == "binary":
        return BINARY[tree[1]][side](build(tree[2], leaves, side), build(tree[3], leaves, side))
    a, b = build(tree[2], leaves, side), build(tree[3], leaves, side)
    shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    condition = np.random.default_rng(tree[1]).random(shape) < 0.5
    if side == 0:
        return autograd.where(Tensor(condition), a, b)
    return torch.where(torch.tensor(condition), a, b)


def check(case) -> None:
    arrays = case["leaves"]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    noise = GateNoise()  # how saturated torch's tanh/sigmoid gates are: the rounding they carry

    def torch_side():
        with noise:
            return build(case["tree"], ts, 1)

    result = both_or_neither(lambda: build(case["tree"], xs, 0), torch_side, "forward")
    if result is None:
        return
    y, ty = result
    if not isinstance(y, Tensor):  # a bare leaf tree
        raise Mismatch("forward did not return a Tensor")
    assert_same(y, ty, "value")
    if not ty.requires_grad:
        return
    rng = np.random.default_rng(case["seed"] + 1)
    w = rng.standard_normal(tuple(ty.shape))
    firsts = autograd.grad((y * Tensor(w)).sum(), xs, create_graph=True, allow_unused=True)
    tfirsts = torch.autograd.grad(
        (ty * torch.tensor(w)).sum(), ts, create_graph=True, allow_unused=True
    )
    shapes = [a.shape for a in arrays]
    assert_grads(firsts, tfirsts, shapes, "first derivative")
    for g, tg, x in zip(firsts, tfirsts, xs):
        if g is not None and tg is not None and g.dtype != x.dtype:
            raise Mismatch(f"gradient dtype {g.dtype} vs input {x.dtype}")
    vs = [rng.standard_normal(a.shape) for a in arrays]
    used = [(g, Tensor(v)) for g, v in zip(firsts, vs) if g is not None]
    tused = [(g, torch.tensor(v)) for g, v in zip(tfirsts, vs) if g is not None]
    total = sum((g * v).sum() for g, v in used) if used else None
    ttotal = sum((g * v).sum() for g, v in tused) if tused else None
    if ttotal is None or not ttotal.requires_grad:
        seconds = (None,) * len(xs)
        if total is not None and total.requires_grad:
            seconds = autograd.grad(total, xs, allow_unused=True)
        tseconds = (None,) * len(ts)
    else:
        seconds = autograd.grad(total, xs, allow_unused=True)
        tseconds = torch.autograd.grad(ttotal, ts, allow_unused=True)
    assert_grads(seconds, tseconds, shapes, "second derivative", rtol=noise.rtol())


def test_fuzz_elementwise_trees_match_torch_to_second_order():
    run_family("a elementwise (2nd order)", cases(), check)
