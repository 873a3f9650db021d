"""Differential fuzz, family (c): reductions with every ``dim`` form against torch.

A case is a reduction (``sum mean var std max min logsumexp softmax log_softmax argmax argmin``)
of a random tensor (0 to 3 dims, sizes 0 to 3; float64, or an int/bool/float32 dtype for the
ones that accept it) with ``dim`` None, an int, a negative int, a tuple, the empty tuple, or
out of range, ``keepdim`` either way, and ``correction``/``unbiased`` for var and std. Compared:
raising, values, dtypes, and for float64 the gradient with a random upstream gradient and the
second derivative of ``<first, v>`` (through ``y * y`` so linear reductions have one too).
``max``/``min`` along a dim also compare the indices (the data has no ties).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from fuzz_support import Mismatch, assert_grads, assert_same, both_or_neither, run_family
from hypothesis import strategies as st

import autograd
from autograd import Tensor

# degenerate cases (correction >= N, empty tensors) are drawn on purpose: torch warns about them
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0:UserWarning"),
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
]

DIM_REDUCTIONS = ["sum", "mean", "var", "std", "max", "min", "logsumexp", "argmax", "argmin"]
ONE_DIM = ["softmax", "log_softmax"]


@st.composite
def dims(draw, ndim: int):
    form = draw(st.sampled_from(["none", "int", "neg", "tuple", "empty", "out_of_range"]))
    if form == "none":
        return None
    if form == "int":
        return draw(st.integers(0, max(ndim - 1, 0)))
    if form == "neg":
        return draw(st.integers(-max(ndim, 1), -1))
    if form == "tuple":
        if ndim == 0:
            return draw(st.sampled_from([(0,), (-1,)]))
        picked = draw(st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim))
        return tuple(picked)  # may repeat a dim: torch raises, so must we
    if form == "empty":
        return ()
    return draw(st.sampled_from([ndim, -ndim - 1, 5]))


@st.composite
def cases(draw):
    op = draw(st.sampled_from(DIM_REDUCTIONS + ONE_DIM))
    ndim = draw(st.integers(0, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim)))
    if draw(st.integers(0, 9)) == 0 and ndim:  # sometimes empty
        shape = (*shape[:-1], 0)
    dtype = "float64"
    if op in ("sum", "max", "min", "argmax", "argmin", "mean") and draw(st.booleans()):
        dtype = draw(st.sampled_from(["bool", "uint8", "int32", "int64", "float32"]))
    dim = draw(dims(ndim))
    if op in ONE_DIM and not isinstance(dim, int):
        dim = draw(st.integers(-max(ndim, 1), max(ndim - 1, 0)))
    kwargs = {}
    if op not in ONE_DIM:
        kwargs["keepdim"] = draw(st.booleans())
    if op in ("var", "std"):
        which = draw(st.sampled_from(["default", "correction", "unbiased"]))
        if which == "correction":
            kwargs["correction"] = draw(st.integers(0, 3))
        elif which == "unbiased":
            kwargs["unbiased"] = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    return {"op": op, "shape": shape, "dtype": dtype, "dim": dim, "kwargs": kwargs, "seed": seed}


def _array(case) -> np.ndarray:
    rng = np.random.default_rng(case["seed"])
    shape, dtype = case["shape"], case["dtype"]
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype in ("uint8", "int32", "int64"):
        low = 0 if dtype == "uint8" else -5
        return rng.integers(low, 6, shape).astype(dtype)
    return rng.uniform(-2, 2, shape).astype(dtype)


def _call(x, case):
    op, dim, kwargs = case["op"], case["dim"], case["kwargs"]
    method = getattr(x, op)
    if dim is None and op in ("max", "min"):
        return method() if not kwargs.get("keepdim") else method(None, **kwargs)
    if dim is None and op in ("sum", "mean", "var", "std", "argmax", "argmin"):
        return method(dim=None, **kwargs) if kwargs else method()
    return method(dim, **kwargs)


def _values(result):
    """The differentiable value of a result: ``(values, indices)`` gives its values."""
    return result[0] if isinstance(result, tuple) else result


# Where TORCH is wrong: var/std with dim=() reduce over every dim forward, but their backward
# takes N = 1 (torch 2.13: the gradient of x.var(dim=(), unbiased=False) is N times too large,
# and with the default correction it is inf; gradcheck of ours passes). The torch side of those
# cases runs with dim=None, which is the same forward and the correct gradient.
TORCH_WRONG_EMPTY_DIM = ("var", "std")


def _torch_case(case) -> dict:
    if case["op"] in TORCH_WRONG_EMPTY_DIM and case["dim"] == ():
        return {**case, "dim": None}
    return case


def _correction(case) -> int:
    kwargs = case["kwargs"]
    if "correction" in kwargs:
        return kwargs["correction"]
    return int(kwargs.get("unbiased", True))


def check(case) -> None:
    array = _array(case)
    differentiable = case["dtype"] == "float64" and case["op"] not in ("argmax", "argmin")
    x = Tensor(array, requires_grad=differentiable)
    t = torch.tensor(array, requires_grad=differentiable)
    result = both_or_neither(
        lambda: _call(x, case), lambda: _call(t, _torch_case(case)), case["op"]
    )
    if result is None:
        return
    ours, theirs = result
    if isinstance(theirs, tuple) != isinstance(ours, tuple):
        raise Mismatch(f"result is {type(ours).__name__}, torch {type(theirs).__name__}")
    if isinstance(theirs, tuple):
        assert_same(ours[1], theirs[1], "indices")
    y, ty = _values(ours), _values(theirs)
    assert_same(y, ty, "value")
    if not differentiable or ty.numel() == 0:
        return
    if case["op"] in ("var", "std") and _correction(case) >= array.size // max(ty.numel(), 1):
        # N - correction <= 0: the value is inf or nan, and its derivative is inf * (x - mean)
        # with signs that depend on the order of operations (torch gives every element -inf,
        # ignoring the sign of x - mean); only the forward is compared.
        return
    rng = np.random.default_rng(case["seed"] + 1)
    w = rng.standard_normal(tuple(ty.shape))
    (first,) = autograd.grad((y * y * Tensor(w)).sum(), [x], create_graph=True)
    (tfirst,) = torch.autograd.grad((ty * ty * torch.tensor(w)).sum(), [t], create_graph=True)
    assert_grads([first], [tfirst], [array.shape], "first derivative")
    v = rng.standard_normal(array.shape)
    total, ttotal = (first * Tensor(v)).sum(), (tfirst * torch.tensor(v)).sum()
    (second,) = autograd.grad(total, [x], allow_unused=True)
    (tsecond,) = torch.autograd.grad(ttotal, [t], allow_unused=True)
    assert_grads([second], [tsecond], [array.shape], "second derivative")


def test_fuzz_reductions_match_torch_with_every_dim_form():
    run_family("c reductions", cases(), check)
