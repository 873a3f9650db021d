"""Differential fuzz, family (d): ``x[index]`` with every index kind against torch, float64.

A case is a tensor of 1 to 4 dims (sizes 1 to 4) and an index tuple of random items: ints (also
negative and out of range), slices (positive steps: torch refuses negative ones, so they are not
drawn), ``None``, ``Ellipsis``, and advanced indices (a list of ints, an int ndarray, an int64
Tensor, 0-d included, a bool mask over one or more dims, a Python bool), in any mix, so torch's
placement of advanced indices separated by a slice or an int is exercised. Compared: raising,
values, and the gradient with a random upstream gradient (repeated indices accumulate).
"""

from __future__ import annotations

import numpy as np
import torch
from fuzz_support import assert_grads, assert_same, both_or_neither, run_family
from hypothesis import strategies as st

from autograd import Tensor


@st.composite
def index_items(draw, size: int):
    """One index item for a dim of ``size`` (tagged, so each side can build its own)."""
    kind = draw(
        st.sampled_from(
            ["int", "int", "slice", "slice", "none", "ellipsis", "list", "array", "tensor", "mask"]
            + ["tensor0d", "bool"]
        )
    )
    if kind == "int":
        return ("int", draw(st.integers(-size - 1, size)))
    if kind == "slice":
        start = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
        stop = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
        step = draw(st.one_of(st.none(), st.integers(1, 3)))
        return ("slice", (start, stop, step))
    if kind == "none":
        return ("none", None)
    if kind == "ellipsis":
        return ("ellipsis", None)
    if kind == "bool":
        return ("bool", draw(st.booleans()))
    if kind == "mask":
        return ("mask", draw(st.integers(1, 2)), draw(st.integers(0, 2**32 - 1)))
    if kind == "tensor0d":
        return ("tensor0d", draw(st.integers(-size, size - 1)))
    shape = draw(st.sampled_from([(1,), (2,), (3,), (2, 2), (0,)]))
    values = draw(st.lists(st.integers(-size, size - 1), min_size=int(np.prod(shape)), max_size=20))
    return (kind, (shape, tuple(values[: int(np.prod(shape))])))


@st.composite
def cases(draw):
    ndim = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    n_items = draw(st.integers(1, 4))
    items = []
    for i in range(n_items):
        items.append(draw(index_items(shape[min(i, ndim - 1)])))
    seed = draw(st.integers(0, 2**32 - 1))
    bare = draw(st.booleans()) and n_items == 1  # x[i] rather than x[(i,)]
    return {"shape": shape, "items": items, "seed": seed, "bare": bare}


def _dims_consumed_before(items, position):
    """The dims of x that the items before ``position`` index (for a mask's shape)."""
    used = 0
    for kind, *rest in items[:position]:
        if kind in ("int", "slice", "list", "array", "tensor", "tensor0d"):
            used += 1
        elif kind == "mask":
            used += rest[0]
    return used


def build_index(case, side: int):
    """The index tuple for our Tensor (side 0) or torch (side 1)."""
    items = case["items"]
    shape = case["shape"]
    index = []
    for position, (kind, *rest) in enumerate(items):
        value = rest[0]
        if kind == "int":
            index.append(value)
        elif kind == "slice":
            index.append(slice(*value))
        elif kind == "none":
            index.append(None)
        elif kind == "ellipsis":
            index.append(Ellipsis)
        elif kind == "bool":
            index.append(value)
        elif kind == "tensor0d":
            index.append(Tensor(np.int64(value)) if side == 0 else torch.tensor(value))
        elif kind == "mask":
            start = _dims_consumed_before(items, position)
            mask_shape = shape[start : start + value]
            mask_shape = mask_shape if len(mask_shape) == value else (1,) * value
            mask = np.random.default_rng(rest[1]).random(mask_shape) < 0.5
            index.append(Tensor(mask) if side == 0 else torch.tensor(mask))
        else:
            idx_shape, values = value
            array = np.array(values, dtype=np.int64).reshape(idx_shape)
            if kind == "list":
                index.append(array.tolist())
            elif kind == "array":
                index.append(array if side == 0 else torch.tensor(array))
            else:
                index.append(Tensor(array) if side == 0 else torch.tensor(array))
    if case["bare"]:
        return index[0]
    return tuple(index)


def check(case) -> None:
    rng = np.random.default_rng(case["seed"])
    array = rng.standard_normal(case["shape"])
    x = Tensor(array, requires_grad=True)
    t = torch.tensor(array, requires_grad=True)
    result = both_or_neither(
        lambda: x[build_index(case, 0)], lambda: t[build_index(case, 1)], "getitem"
    )
    if result is None:
        return
    y, ty = result
    assert_same(y, ty, "value")
    g = rng.standard_normal(tuple(ty.shape))
    y.backward(gradient=g)
    ty.backward(torch.tensor(g))
    assert_grads([x.grad], [t.grad], [array.shape], "gradient")


def test_fuzz_indexing_matches_torch():
    run_family("d indexing", cases(), check)
