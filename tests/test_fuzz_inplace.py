"""Differential fuzz, family (f): in-place operations interleaved with backward, against torch.

A case is a small program on a float64 leaf ``x`` (requires grad):

    h = first(x)                    # a non-leaf: x * 1.5, x + 1, x.exp(), x.sigmoid(), ...
    u = user(h)  (optional)         # saves h or its output: h * h, h.exp(), h + 1, h.tanh()...
    target.op_(arg)                 # target: h, or a view of h (h[0], h[:, 1:], h.T...), or x
    loss = sum(w * h) (+ sum(u))    # then backward

with ``op_`` one of ``add_ sub_ mul_ div_ pow_ clamp_ zero_ fill_ copy_ masked_fill_ += -=
*= /=`` and ``h[index] = value``, optionally under ``no_grad``. Compared: both raise (at the
in-place op or at backward: torch's version-counter error, or its leaf error) or neither, and
then ``x.grad`` and the values of ``h``.
"""

from __future__ import annotations

import numpy as np
import torch
from fuzz_support import assert_grads, assert_values, both_or_neither, run_family
from hypothesis import strategies as st

import autograd
from autograd import Tensor

FIRST = {
    "scale": lambda x: x * 1.5,
    "shift": lambda x: x + 1,
    "exp": lambda x: x.exp(),
    "sigmoid": lambda x: x.sigmoid(),
    "square": lambda x: x * x,
    "reshape": lambda x: (x * 2).reshape(-1).reshape(x.shape),
}

USERS = {
    "none": None,
    "mul_self": lambda h: h * h,
    "exp": lambda h: h.exp(),
    "add": lambda h: h + 1,
    "tanh": lambda h: h.tanh(),
    "relu": lambda h: h.relu(),
    "pow": lambda h: h**2,
    "sum": lambda h: h.sum(),
    "index": lambda h: h[0] * 3,
}

TARGETS = ["h", "h", "h", "x", "row0", "col_slice", "T"]

INPLACE = ["add_", "sub_", "mul_", "div_", "pow_", "clamp_", "zero_", "fill_", "copy_"]
INPLACE += ["masked_fill_", "iadd", "isub", "imul", "itruediv", "setitem"]


@st.composite
def cases(draw):
    first = draw(st.sampled_from(sorted(FIRST)))
    user = draw(st.sampled_from(sorted(USERS)))
    target = draw(st.sampled_from(TARGETS))
    op = draw(st.sampled_from(INPLACE))
    tensor_arg = draw(st.booleans())
    no_grad = draw(st.integers(0, 4)) == 0
    seed = draw(st.integers(0, 2**32 - 1))
    return {
        "first": first,
        "user": user,
        "target": target,
        "op": op,
        "tensor_arg": tensor_arg,
        "no_grad": no_grad,
        "seed": seed,
        "inplace_on_view": target in ("row0", "col_slice", "T"),
    }


def _view(h, target):
    if target == "row0":
        return h[0]
    if target == "col_slice":
        return h[:, 1:]
    if target == "T":
        return h.T
    return h


def _inplace(t, op, arg, mask, lib):
    if op == "add_":
        t.add_(arg)
    elif op == "sub_":
        t.sub_(arg)
    elif op == "mul_":
        t.mul_(arg)
    elif op == "div_":
        t.div_(arg)
    elif op == "pow_":
        t.pow_(2)
    elif op == "clamp_":
        t.clamp_(-0.5, 0.5)
    elif op == "zero_":
        t.zero_()
    elif op == "fill_":
        t.fill_(0.25)
    elif op == "copy_":
        t.copy_(arg if not isinstance(arg, float) else t * 0 + arg)
    elif op == "masked_fill_":
        t.masked_fill_(mask, -1.0)
    elif op == "iadd":
        t += arg
    elif op == "isub":
        t -= arg
    elif op == "imul":
        t *= arg
    elif op == "itruediv":
        t /= arg
    else:
        t[0] = arg if isinstance(arg, float) else arg[0]
    return t


def run_program(case, lib, x):
    """The case's program with our Tensor (lib = autograd) or torch; returns (x.grad, h)."""
    rng = np.random.default_rng(case["seed"])
    make = Tensor if lib is autograd else torch.tensor
    h = FIRST[case["first"]](x)
    user = USERS[case["user"]]
    u = user(h) if user else None
    target = x if case["target"] == "x" else _view(h, case["target"])
    shape = tuple(target.shape)
    arg = make(rng.uniform(0.5, 1.5, shape)) if case["tensor_arg"] else 1.25
    mask = make(rng.random(shape) < 0.5)
    if case["no_grad"]:
        with lib.no_grad():
            _inplace(target, case["op"], arg, mask, lib)
    else:
        _inplace(target, case["op"], arg, mask, lib)
    w = make(rng.standard_normal(tuple(h.shape)))
    loss = (h * w).sum()
    if u is not None:
        loss = loss + u.sum()
    loss.backward()
    return x.grad, h


def check(case) -> None:
    array = np.random.default_rng(case["seed"] + 1).uniform(-1, 1, (2, 3))
    x = Tensor(array, requires_grad=True)
    t = torch.tensor(array, requires_grad=True)
    result = both_or_neither(
        lambda: run_program(case, autograd, x), lambda: run_program(case, torch, t), "program"
    )
    if result is None:
        return
    (grad, h), (tgrad, th) = result
    assert_values(np.asarray(h.data), th.detach().numpy(), "h after the in-place op")
    assert_grads([grad], [tgrad], [array.shape], "x.grad")


def test_fuzz_inplace_programs_match_torch():
    run_family("f in-place + backward", cases(), check)
