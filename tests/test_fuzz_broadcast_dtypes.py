"""Differential fuzz, family (b): broadcasting binary operations over a dtype grid against torch.

A case is an operation (``+ - * / **``, ``maximum``, ``minimum``, ``where``, ``clamp`` by
numbers) and two operands, each a tensor of a dtype in (bool, uint8, int32, int64, float32,
float64) with a random broadcast-compatible shape, a 0-d tensor of such a dtype, or a Python
int, float or bool, on either side. Compared: whether each side raises, the result dtype
(exactly), the shape, and the values (exact for integers, so wrapping must agree too).
"""

from __future__ import annotations

import numpy as np
import torch
from fuzz_support import assert_same, both_or_neither, run_family
from hypothesis import strategies as st

import autograd
from autograd import Tensor

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]
TORCH_DTYPE = {
    "bool": torch.bool,
    "uint8": torch.uint8,
    "int32": torch.int32,
    "int64": torch.int64,
    "float32": torch.float32,
    "float64": torch.float64,
}

OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
    "maximum": (autograd.maximum, torch.maximum),
    "minimum": (autograd.minimum, torch.minimum),
}

SHAPES = [(1,), (3,), (2, 3), (2, 1), (1, 3), (4, 1, 3), (0,), (0, 3)]


@st.composite
def operands(draw, rng):
    kind = draw(st.sampled_from(["tensor", "tensor", "0d", "int", "float", "bool_scalar"]))
    if kind in ("int", "float", "bool_scalar"):
        value = {
            "int": draw(st.integers(-3, 4)),
            "float": draw(st.sampled_from([-1.5, 0.0, 0.5, 2.0, 2.5])),
            "bool_scalar": draw(st.booleans()),
        }[kind]
        return {"kind": kind, "value": value, "label": kind}
    dtype = draw(st.sampled_from(DTYPES))
    shape = () if kind == "0d" else draw(st.sampled_from(SHAPES))
    if dtype == "bool":
        values = rng.random(shape) < 0.5
    elif dtype == "uint8":
        values = rng.integers(0, 5, shape).astype(np.uint8)
    elif dtype.startswith("int"):
        values = rng.integers(-3, 5, shape).astype(dtype)
    else:
        values = np.round(rng.uniform(-3, 3, shape), 2).astype(dtype)
    label = dtype + ("_0d" if kind == "0d" else "")
    return {"kind": kind, "array": np.asarray(values), "label": label, "dtype": dtype}


@st.composite
def cases(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    op = draw(st.sampled_from([*OPS, "where", "clamp"]))
    if op == "clamp":
        x = draw(operands(rng).filter(lambda o: o["kind"] in ("tensor", "0d")))
        bounds = draw(
            st.sampled_from([(0.5, None), (None, 1), (-1, 2), (0, 1.5), (None, 2.5), (1, None)])
        )
        return {
            "op": op,
            "x": x,
            "bounds": bounds,
            "operand_kinds": (
                x["label"],
                *("float" if isinstance(b, float) else "int" for b in bounds if b is not None),
            ),
            "has_0d": False,
        }
    a, b = draw(operands(rng)), draw(operands(rng))
    if a["kind"] not in ("tensor", "0d") and b["kind"] not in ("tensor", "0d"):
        a = draw(operands(rng).filter(lambda o: o["kind"] in ("tensor", "0d")))
    case = {"op": op, "a": a, "b": b, "seed": seed}
    case["operand_kinds"] = (a["label"], b["label"])
    case["has_0d"] = any(o["kind"] == "0d" for o in (a, b))
    return case


def _ours(operand):
    if "array" in operand:
        return Tensor(operand["array"])
    return operand["value"]


def _torch(operand):
    if "array" in operand:
        return torch.tensor(operand["array"])
    return operand["value"]


def check(case) -> None:
    op = case["op"]
    if op == "clamp":
        low, high = case["bounds"]
        x = case["x"]
        result = both_or_neither(
            lambda: _ours(x).clamp(low, high), lambda: _torch(x).clamp(low, high), "clamp"
        )
    elif op == "where":
        a, b = case["a"], case["b"]
        try:
            shape = np.broadcast_shapes(np.shape(a.get("array")), np.shape(b.get("array")))
        except ValueError:  # not broadcastable: both sides must raise
            shape = np.shape(a.get("array"))
        condition = np.random.default_rng(case["seed"]).random(shape) < 0.5
        result = both_or_neither(
            lambda: autograd.where(Tensor(condition), _ours(a), _ours(b)),
            lambda: torch.where(torch.tensor(condition), _torch(a), _torch(b)),
            "where",
        )
    else:
        ours, theirs = OPS[op]
        a, b = case["a"], case["b"]
        result = both_or_neither(
            lambda: ours(_ours(a), _ours(b)), lambda: theirs(_torch(a), _torch(b)), op
        )
    if result is not None:
        assert_same(*result, op)


def test_fuzz_binary_ops_dtypes_and_values_match_torch():
    run_family("b broadcast/dtype grid", cases(), check)
