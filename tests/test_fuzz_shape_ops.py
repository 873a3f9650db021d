"""Differential fuzz, family (e): chains of shape operations against torch, float64.

A case is a random tensor (0 to 4 dims, sizes 0 to 3) and a chain of one to three of
``reshape view permute transpose squeeze unsqueeze expand flatten T`` and ``cat``/``stack``
with a second tensor, with arguments drawn mostly valid (a -1 in reshape, negative dims, a
tuple for squeeze) and sometimes invalid, so that both sides must raise. Compared: raising,
values and shapes, and the gradient with a random upstream gradient (shape operations are
linear, so this is their whole derivative; their backward's own backward is checked through
``y * y``'s second derivative).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from fuzz_support import assert_grads, assert_same, both_or_neither, run_family
from hypothesis import strategies as st

import autograd
from autograd import Tensor

# x.T on a tensor that is not 2-D is drawn on purpose (ours reverses the dims, as torch still does)
pytestmark = pytest.mark.filterwarnings("ignore:The use of `x.T` on tensors:UserWarning")


@st.composite
def steps(draw, ndim: int):
    """One shape operation's name and arguments for a tensor of ``ndim`` dims (a guess: the
    true shape is known only when the chain runs, so arguments may be invalid on purpose)."""
    op = draw(
        st.sampled_from(
            ["reshape", "view", "permute", "transpose", "squeeze", "unsqueeze", "expand"]
            + ["flatten", "T", "cat", "stack"]
        )
    )
    dim = st.integers(-max(ndim, 1) - 1, max(ndim, 1))
    if op in ("reshape", "view"):
        return (op, draw(st.sampled_from(["flat", "minus1_first", "minus1_last", "split"])))
    if op == "permute":
        return (op, draw(st.permutations(range(ndim))) if ndim else [])
    if op == "transpose":
        return (op, (draw(dim), draw(dim)))
    if op == "squeeze":
        form = draw(st.sampled_from(["none", "int", "tuple"]))
        if form == "none":
            return (op, None)
        if form == "int":
            return (op, draw(dim))
        return (op, tuple(draw(st.lists(dim, min_size=0, max_size=2, unique=True))))
    if op == "unsqueeze":
        return (op, draw(st.integers(-ndim - 2, ndim + 1)))
    if op == "expand":
        return (op, draw(st.sampled_from(["same", "new_dim", "minus1", "grow_ones"])))
    if op == "flatten":
        return (op, (draw(dim), draw(dim)))
    if op == "T":
        return (op, None)
    return (op, (draw(dim), draw(st.integers(0, 2**32 - 1))))


@st.composite
def cases(draw):
    ndim = draw(st.integers(0, 4))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim)))
    if ndim and draw(st.integers(0, 9)) == 0:
        shape = (0, *shape[1:])
    chain = [draw(steps(ndim)) for _ in range(draw(st.integers(1, 3)))]
    return {"shape": shape, "chain": chain, "seed": draw(st.integers(0, 2**32 - 1))}


def _reshape_target(shape: tuple, form: str) -> tuple:
    size = int(np.prod(shape))
    if form == "flat":
        return (size,)
    if form == "minus1_first":
        return (-1, *shape[1:]) if shape else (-1,)
    if form == "minus1_last":
        return (*shape[:-1], -1) if shape else (1, -1)
    return (*shape[:-1], 1, shape[-1]) if shape else (1, 1)


def _expand_target(shape: tuple, form: str) -> tuple:
    if form == "same":
        return shape
    if form == "new_dim":
        return (2, *shape)
    if form == "minus1":
        return (*(-1 for _ in shape),) if shape else ()
    return tuple(3 if s == 1 else s for s in shape)


def apply_chain(x, chain, side: int, seed: int):
    """Run ``chain`` on ``x`` with our ops (side 0) or torch's (side 1)."""
    for op, arg in chain:
        shape = tuple(x.shape)
        if op in ("reshape", "view"):
            x = getattr(x, op)(*_reshape_target(shape, arg))
        elif op == "permute":
            x = x.permute(*arg) if arg else x.permute(())  # torch: no varargs form for ()
        elif op == "transpose":
            x = x.transpose(*arg)
        elif op == "squeeze":
            x = x.squeeze() if arg is None else x.squeeze(arg)
        elif op == "unsqueeze":
            x = x.unsqueeze(arg)
        elif op == "expand":
            target = _expand_target(shape, arg)
            x = x.expand(*target) if target else x.expand(())
        elif op == "flatten":
            x = x.flatten(*arg)
        elif op == "T":
            x = x.T
        else:
            dim, other_seed = arg
            other = np.random.default_rng(other_seed).standard_normal(shape)
            other = Tensor(other) if side == 0 else torch.tensor(other)
            join = (autograd.cat, torch.cat) if op == "cat" else (autograd.stack, torch.stack)
            x = join[side]([x, other], dim=dim)
    return x


def check(case) -> None:
    rng = np.random.default_rng(case["seed"])
    array = rng.standard_normal(case["shape"])
    x = Tensor(array, requires_grad=True)
    t = torch.tensor(array, requires_grad=True)
    chain, seed = case["chain"], case["seed"]
    result = both_or_neither(
        lambda: apply_chain(x, chain, 0, seed), lambda: apply_chain(t, chain, 1, seed), "chain"
    )
    if result is None:
        return
    y, ty = result
    assert_same(y, ty, "value")
    g = rng.standard_normal(tuple(ty.shape))
    (first,) = autograd.grad((y * y * Tensor(g)).sum(), [x], create_graph=True)
    (tfirst,) = torch.autograd.grad((ty * ty * torch.tensor(g)).sum(), [t], create_graph=True)
    assert_grads([first], [tfirst], [array.shape], "first derivative")
    if not tfirst.requires_grad:
        return
    v = rng.standard_normal(array.shape)
    (second,) = autograd.grad((first * Tensor(v)).sum(), [x])
    (tsecond,) = torch.autograd.grad((tfirst * torch.tensor(v)).sum(), [t])
    assert_grads([second], [tsecond], [array.shape], "second derivative")


def test_fuzz_shape_op_chains_match_torch():
    run_family("e shape ops", cases(), check)
