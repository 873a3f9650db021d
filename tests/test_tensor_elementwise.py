"""Elementwise Tensor operations against PyTorch (float64) and against central differences.

exp, log, sqrt, abs, tanh, sigmoid, relu, clamp, maximum, minimum and where: forward, first and
second derivatives over hypothesis-drawn shapes (size-1 and empty dims, broadcasting pairs of
different ranks), kinks and ties as torch defines them, stability at ±1000, dtypes and errors.
"""

import gc
import warnings
import weakref
from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import Tensor, grad
from autograd.gradcheck import gradcheck

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
seeds = st.integers(0, 2**32 - 1)
TOL = {"rtol": 1e-10, "atol": 1e-12}


check_against_torch = partial(
    torch_oracle.check_against_torch, tol=TOL, float64=True, detached_ok=False
)


def away_from(x, kinks, margin=1e-3):
    """``x`` with the entries within ``margin`` of a kink moved off it (for central differences)."""
    for k in kinks:
        near = np.abs(x - k) < margin
        x = np.where(near, k + 10 * margin, x)
    return x


# name -> (ours, torch's, input transform, kinks where the derivative jumps)
UNARY = {
    "exp": (lambda a: a.exp(), torch.exp, lambda x: x, ()),
    "log": (lambda a: a.log(), torch.log, lambda x: np.abs(x) + 0.1, ()),
    "sqrt": (lambda a: a.sqrt(), torch.sqrt, lambda x: np.abs(x) + 0.1, ()),
    "abs": (lambda a: a.abs(), torch.abs, lambda x: x, (0.0,)),
    "abs_builtin": (lambda a: abs(a), torch.abs, lambda x: x, (0.0,)),
    "tanh": (lambda a: a.tanh(), torch.tanh, lambda x: x, ()),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid, lambda x: 3 * x, ()),
    "relu": (lambda a: a.relu(), torch.relu, lambda x: x, (0.0,)),
    "clamp": (lambda a: a.clamp(-0.5, 0.7), lambda a: a.clamp(-0.5, 0.7), lambda x: x,
              (-0.5, 0.7)),
    "clamp_min": (lambda a: a.clamp(min=0.2), lambda a: a.clamp(min=0.2), lambda x: x, (0.2,)),
    "clamp_max": (lambda a: a.clamp(max=0.2), lambda a: a.clamp(max=0.2), lambda x: x, (0.2,)),
    "clip": (lambda a: a.clip(-1, 1), lambda a: a.clip(-1, 1), lambda x: x, (-1.0, 1.0)),
    "maximum_number": (lambda a: a.maximum(0.3), lambda a: a.clamp(min=0.3), lambda x: x, (0.3,)),
    "minimum_number": (lambda a: autograd.minimum(0.3, a), lambda a: a.clamp(max=0.3),
                       lambda x: x, (0.3,)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds)
def test_unary_against_torch(name, shape, seed):
    ours, theirs, transform, _ = UNARY[name]
    rng = np.random.default_rng(seed)
    check_against_torch(ours, theirs, [transform(rng.standard_normal(shape))], rng)


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=10, deadline=None)
@given(shape=small_shapes, seed=seeds)
def test_unary_gradcheck(name, shape, seed):
    ours, _, transform, kinks = UNARY[name]
    x = np.asarray(away_from(transform(np.random.default_rng(seed).standard_normal(shape)), kinks))
    assert gradcheck(ours, Tensor(x, requires_grad=True))
    # and the derivative of the derivative, as a function of x
    v = Tensor(np.random.default_rng(seed + 1).standard_normal(shape))
    assert gradcheck(first_derivative(ours, v), Tensor(x, requires_grad=True))


def first_derivative(fn, v):
    """``x -> d/dx sum(fn(x) * v)``, recorded (gradcheck evaluates it under no_grad too)."""

    def derivative(x):
        with autograd.enable_grad():
            return grad((fn(x) * v).sum(), x, create_graph=True)[0]

    return derivative


def test_kinks_follow_torch():
    # the derivative at the kink itself: relu'(0) = 0, |x|'(0) = 0, clamp' = 1 at both ends
    x = np.array([-1.0, -0.5, 0.0, 0.5, 0.7, 1.0])
    for ours, theirs in [
        (lambda a: a.relu(), torch.relu),
        (lambda a: a.abs(), torch.abs),
        (lambda a: a.clamp(-0.5, 0.7), lambda a: a.clamp(-0.5, 0.7)),
        (lambda a: a.clamp(0.7, -0.5), lambda a: a.clamp(0.7, -0.5)),  # min > max: all max
        (lambda a: a.maximum(0.5), lambda a: torch.maximum(a, torch.tensor(0.5).double())),
        (lambda a: a.minimum(0.5), lambda a: torch.minimum(a, torch.tensor(0.5).double())),
    ]:
        check_against_torch(ours, theirs, [x], np.random.default_rng(0))


binary_shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@settings(max_examples=25, deadline=None)
@given(shapes=binary_shapes, seed=seeds, ties=st.booleans())
def test_maximum_minimum_against_torch(name, shapes, seed, ties):
    rng = np.random.default_rng(seed)
    shape_a, shape_b = shapes.input_shapes
    if ties:  # few distinct values: many ties, where each side gets half the gradient
        a, b = (rng.integers(-1, 2, s).astype(float) for s in (shape_a, shape_b))
    else:
        a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    ours = getattr(autograd, name)
    check_against_torch(ours, getattr(torch, name), [a, b], rng)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@settings(max_examples=10, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3), seed=seeds)
def test_maximum_minimum_gradcheck(name, shapes, seed):
    rng = np.random.default_rng(seed)
    a, b = (rng.standard_normal(s) for s in shapes.input_shapes)
    assume(np.abs(np.subtract(a, b)).min(initial=1) > 1e-3)
    fn = getattr(autograd, name)
    assert gradcheck(fn, (Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)))


def test_maximum_splits_ties_evenly_as_torch():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([1.0, 5.0, 0.0], requires_grad=True)
    autograd.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(b.grad.data, [0.5, 1.0, 0.0])


@settings(max_examples=25, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=4, max_side=3),
    seed=seeds,
)
def test_where_against_torch(shapes, seed):
    rng = np.random.default_rng(seed)
    shape_c, shape_x, shape_y = shapes.input_shapes
    condition = rng.random(shape_c) < 0.5
    x, y = rng.standard_normal(shape_x), rng.standard_normal(shape_y)
    check_against_torch(
        lambda a, b: autograd.where(Tensor(condition), a, b),
        lambda a, b: torch.where(torch.tensor(condition), a, b),
        [x, y],
        rng,
    )
    # a bool array works as the condition, and numbers as either branch
    check_against_torch(
        lambda a: autograd.where(condition, a, 0.5),
        lambda a: torch.where(torch.tensor(condition), a, 0.5),
        [x],
        rng,
    )
    check_against_torch(
        lambda b: autograd.where(condition, -2, b),
        lambda b: torch.where(torch.tensor(condition), -2.0, b),
        [y],
        rng,
    )


@settings(max_examples=10, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3), seed=seeds)
def test_where_gradcheck(shapes, seed):
    rng = np.random.default_rng(seed)
    shape_c, shape_x, shape_y = shapes.input_shapes
    condition = rng.random(shape_c) < 0.5
    x, y = (
        Tensor(rng.standard_normal(shape_x), requires_grad=True),
        Tensor(rng.standard_normal(shape_y), requires_grad=True),
    )
    assert gradcheck(lambda a, b: autograd.where(condition, a * a, b.exp()), (x, y))


def test_where_gradient_is_zero_not_nan_in_the_branch_not_taken():
    # the usual guard: where(x > 0, log(x), 0) has a finite gradient even where log(x) is nan
    x = Tensor([-1.0, 0.0, 2.0], dtype=np.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = autograd.where(x > 0, autograd.where(x > 0, x, 1.0).log(), 0.0)
        y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.5])


def test_stable_at_extremes():
    for dtype in (np.float32, np.float64):
        x = Tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=dtype, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow warnings
            for fn in (lambda a: a.sigmoid(), lambda a: a.tanh()):
                y = fn(x)
                assert y.dtype == dtype
                assert np.isfinite(y.data).all()
                (g,) = grad(y.sum(), x, create_graph=True)
                (h,) = grad(g.sum(), x)
                assert np.isfinite(g.data).all() and np.isfinite(h.data).all()
            s = x.sigmoid().data
            np.testing.assert_allclose(s, torch.sigmoid(torch.tensor(x.data)).numpy(), rtol=1e-6)
            assert x.exp().data[-1] == np.inf  # overflow is inf, silently, as in torch


def test_log_and_sqrt_outside_their_domain_give_inf_and_nan_quietly():
    x = Tensor([-1.0, 0.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log, sqrt = x.log().data, x.sqrt().data
    assert np.isnan(log[0]) and log[1] == -np.inf and log[2] == pytest.approx(np.log(4))
    assert np.isnan(sqrt[0]) and sqrt[1] == 0 and sqrt[2] == 2


def test_dtypes_follow_torch():
    x = Tensor(np.array([0.5, -1.5], dtype=np.float32), requires_grad=True)
    for name in ["exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu"]:
        y = getattr(x, name)()
        assert y.dtype == np.float32, name
        (g,) = grad(y.sum(), x)
        assert g.dtype == np.float32, name
    assert x.clamp(0, 1).dtype == np.float32
    assert autograd.maximum(x, 0.0).dtype == np.float32
    assert autograd.where(x.data > 0, x, 0.0).dtype == np.float32
    ints = Tensor([1, 2, 3])
    assert ints.exp().dtype == np.float32  # torch: exp of ints is float32
    assert ints.abs().dtype == np.int64 and ints.relu().dtype == np.int64
    assert autograd.where(np.array([True, False]), 1.0, 2.0).dtype == np.float32


def test_results_are_recorded_and_named():
    x = Tensor([0.5, 2.0], requires_grad=True)
    for name in ["exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu"]:
        y = getattr(x, name)()
        op = "ReLU" if name == "relu" else name  # named as for a Value (micrograd's name)
        assert y.requires_grad and y.op == op and y.parents == (x,)
    assert x.clamp(0, 1).op == "clamp"
    assert x.maximum(1.0).op == "maximum" and x.minimum(1.0).op == "minimum"
    assert autograd.where(x.data > 1, x, 0.0).op == "where"
    assert autograd.where(x.data > 1, x, 0.0).parents == (x,)  # the condition is no input
    with autograd.no_grad():
        assert not x.exp().requires_grad


def test_outputs_saved_for_backward_make_no_reference_cycle():
    # exp, tanh, sigmoid and sqrt use their output in backward; it must not keep itself alive
    x = Tensor([0.5, 2.0], requires_grad=True)
    gc.disable()
    try:
        for name in ["exp", "tanh", "sigmoid", "sqrt"]:
            y = getattr(x, name)()
            alive = weakref.ref(y)
            del y
            assert alive() is None, name
    finally:
        gc.enable()


def test_second_derivative_flows_through_a_saved_output():
    # d²/dx² e^x = e^x: exp's backward uses its output, which must stay in the graph
    x = Tensor([0.3], dtype=np.float64, requires_grad=True)
    (g,) = grad(x.exp().sum(), x, create_graph=True)
    (h,) = grad(g.sum(), x, create_graph=True)
    (k,) = grad(h.sum(), x)
    np.testing.assert_allclose([g.item(), h.item(), k.item()], [np.exp(0.3)] * 3)


def test_errors():
    x = Tensor([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="At least one of 'min' or 'max'"):
        x.clamp()
    with pytest.raises(TypeError, match="clamp: min must be a number.*maximum"):
        x.clamp(min=Tensor([0.0]))
    with pytest.raises(ValueError, match=r"maximum: shapes \(3,\) and \(2,\) cannot be broadcast"):
        autograd.maximum(x, Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="unsupported operand type.*minimum.*str"):
        autograd.minimum(x, "1")
    with pytest.raises(TypeError, match="where expected condition to be a boolean.*float"):
        autograd.where(Tensor([1.0, 0.0, 1.0]), x, 0.0)
    with pytest.raises(ValueError, match=r"where: shapes \(2,\) and \(3,\) and \(\) cannot"):
        autograd.where(np.array([True, False]), x, 0.0)
