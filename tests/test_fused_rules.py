"""Every registered fused rule against its reference composition (``autograd/fused.py``).

A fused rule is a second formula for a function the primitives already differentiate, so it is
checked where a divergence would show: the forward value, the gradient of a nonlinear loss of
the output (first order), and the gradient of that gradient dotted with a random direction
(second order, through ``create_graph=True``), for every input, on random float64 inputs.

The last tests fail when a ``Function`` in the tree is neither a primitive nor a registered
fused rule, so a new fast path cannot ship unchecked.
"""

import importlib
import pkgutil

import numpy as np
import pytest

import autograd
import autograd.value
import nn
from autograd import Function, Tensor, Value, grad
from autograd.function import Primitive
from autograd.fused import FUSED_RULES

TOL = {"rtol": 1e-9, "atol": 1e-11}

# Functions outside autograd.ops that are primitives: a derivative of their own and no
# composition of other primitives to replace. Each says why.
PRIMITIVES_OUTSIDE_OPS = {
    "nn.functional.activation.LogSigmoid": "the composition min(x, 0) - log1p(exp(-|x|)) "
    "loses the second derivative at 0 in the kinks of min and abs",
    "nn.functional.special.Erf": "erf is no composition of the table's primitives",
    "nn.functional.special.Log1p": "log(1 + x) loses the digits of x near 0",
    "nn.functional.special.Expm1": "exp(x) - 1 loses the digits of x near 0",
}


def _import_the_tree() -> None:
    """Import every module of autograd and nn, so that every rule registers itself."""
    for package in (autograd, nn):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)


def _functions() -> list:
    found, stack = [], [Function]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.append(sub)
            stack.append(sub)
    return [f for f in found if f.__module__.startswith(("autograd.", "nn."))]


def _differentiable(args) -> list:
    """The Tensors that require grad and the Values among ``args`` (in lists too)."""
    found = []
    for a in args:
        if isinstance(a, (list, tuple)):
            found += _differentiable(a)
        elif isinstance(a, Value) or (isinstance(a, Tensor) and a.requires_grad):
            found.append(a)
    return found


def _data(x) -> np.ndarray:
    return np.asarray(x.data if isinstance(x, (Tensor, Value)) else x, dtype=np.float64)


def _loss(out, weights):
    """A nonlinear scalar of the output, so that second derivatives are not all zero."""
    if isinstance(out, Value):
        return out * out * float(weights)
    return (out * out * Tensor(weights)).sum()


def _dot(grads, directions):
    total = 0.0
    for g, v in zip(grads, directions):
        total = total + (g * float(v) if isinstance(g, Value) else (g * Tensor(v)).sum())
    return total


def _derivatives(fn, args, kwargs, weights, directions):
    out = fn(*args, **kwargs)
    inputs = _differentiable(args)
    firsts = grad(_loss(out, weights), inputs, create_graph=True)
    seconds = grad(_dot(firsts, directions), inputs, allow_unused=True)
    seconds = [np.zeros_like(_data(x)) if s is None else _data(s) for s, x in zip(seconds, inputs)]
    return out, [_data(g) for g in firsts], seconds


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(FUSED_RULES))
def test_fused_rule_matches_its_reference_to_second_order(name, seed):
    rule = FUSED_RULES[name]
    rng = np.random.default_rng(seed)
    args, kwargs = rule.example(rng)
    inputs = _differentiable(args)
    assert inputs, f"{name}: the example has nothing to differentiate"
    assert all(_data(x).dtype == np.float64 for x in inputs)
    probe = rule.fused(*args, **kwargs)
    weights = rng.standard_normal(np.shape(probe.data))
    directions = [rng.standard_normal(np.shape(x.data)) for x in inputs]

    out, firsts, seconds = _derivatives(rule.fused, args, kwargs, weights, directions)
    ref, ref_firsts, ref_seconds = _derivatives(rule.reference, args, kwargs, weights, directions)
    # the fused output really is the fast path, not the composition
    if rule.functions:
        assert out.grad_fn in rule.functions, (name, out.grad_fn)
    else:
        assert out.op == name.rsplit(".", 1)[-1] and ref.op != out.op
    np.testing.assert_allclose(_data(out), _data(ref), **TOL)
    for position, (a, b) in enumerate(zip(firsts, ref_firsts)):
        np.testing.assert_allclose(a, b, **TOL, err_msg=f"{name}: first order, input {position}")
    for position, (a, b) in enumerate(zip(seconds, ref_seconds)):
        np.testing.assert_allclose(a, b, **TOL, err_msg=f"{name}: second order, input {position}")
    assert any(np.any(s != 0) for s in seconds), f"{name}: the second order checked nothing"


def test_the_eight_fused_rules_are_registered():
    _import_the_tree()
    assert sorted(FUSED_RULES) == [
        "binary_cross_entropy",
        "convolution",
        "cross_entropy",
        "linear",
        "log_softmax",
        "max_pool2d",
        "softmax",
        "value.linear",
    ]


def test_every_function_in_the_tree_is_a_primitive_or_a_registered_fused_rule():
    _import_the_tree()
    unclassified = []
    for cls in _functions():
        name = f"{cls.__module__}.{cls.__qualname__}"
        if cls.fused_rule is not None:
            assert cls in FUSED_RULES[cls.fused_rule].functions, name
        elif "fused" in (cls.__doc__ or "").lower():
            unclassified.append(f"{name} (calls itself fused)")
        elif not issubclass(cls, Primitive) and name not in PRIMITIVES_OUTSIDE_OPS:
            unclassified.append(name)
    assert not unclassified, (
        "register these with autograd.fused.register_fused (a fast path) or declare them "
        f"primitives: {unclassified}"
    )


def test_values_only_fused_rule_is_registered():
    # every derivative in value.py that is not the table's (rules.py) is a fused rule
    own_rules = sorted(n for n in vars(autograd.value) if n.endswith("_rule"))
    assert own_rules == ["_linear_rule"]
    assert FUSED_RULES["value.linear"].fused is autograd.value.linear
