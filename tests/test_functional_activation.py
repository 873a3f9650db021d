"""nn.functional activations against torch.nn.functional (float64) and central differences.

relu, leaky_relu, elu, gelu (exact and tanh), sigmoid, tanh, silu, softplus, logsigmoid, softmax
and log_softmax: forward, a VJP with a random upstream gradient and a second-order VJP over
hypothesis-drawn shapes and values (kinks included), gradcheck, stability at ±1000, dtypes,
and the special functions (erf, log1p, expm1) the activations are built on.
"""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn.functional as F
from autograd import Tensor, enable_grad, grad
from autograd.gradcheck import gradcheck
from nn.functional import special

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
seeds = st.integers(0, 2**32 - 1)
TOL = {"rtol": 1e-10, "atol": 1e-12}


def check_against_torch(ours, theirs, array, rng, tol=TOL, second_skip=None):
    """Compare the forward, a VJP with a random upstream gradient, and a second-order VJP.

    Second order: with L = sum(w * f(x)^2), compare d/dx <dL/dx, v>; it runs the backward of
    each op's backward, and its terms hold both f' and f''. ``second_skip`` masks elements
    left out of the second-order comparison.
    """
    x = Tensor(array, requires_grad=True)
    t = torch.tensor(array, requires_grad=True)
    out, expected = ours(x), theirs(t)
    assert out.shape == tuple(expected.shape)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **tol)

    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **tol)

    w = rng.standard_normal(out.shape)
    v = rng.standard_normal(array.shape)
    y = ours(x)
    (first,) = grad((y * y * Tensor(w)).sum(), x, create_graph=True)
    (second,) = grad((first * Tensor(v)).sum(), x, allow_unused=True)
    ty = theirs(t)
    (tfirst,) = torch.autograd.grad((ty * ty * torch.tensor(w)).sum(), t, create_graph=True)
    (tsecond,) = torch.autograd.grad((tfirst * torch.tensor(v)).sum(), t, allow_unused=True)
    np.testing.assert_allclose(first.data, tfirst.detach().numpy(), **tol)
    second = np.zeros(array.shape) if second is None else second.data
    tsecond = np.zeros(array.shape) if tsecond is None else tsecond.numpy()
    if second_skip is not None:
        second, tsecond = second[~second_skip], tsecond[~second_skip]
    np.testing.assert_allclose(second, tsecond, **tol)


def gradient_of(fn):
    """``x -> d sum(fn(x)) / dx``, recorded: gradcheck of it checks second derivatives.

    gradcheck evaluates its function under no_grad for the central differences, so the
    gradient is taken under enable_grad.
    """

    def gradient(x):
        with enable_grad():
            return grad(fn(x).sum(), x, create_graph=True, allow_unused=True)[0]

    return gradient


# name -> (ours, torch's, kinks where the derivative jumps)
ACTIVATIONS = {
    "relu": (F.relu, TF.relu, (0.0,)),
    "leaky_relu": (F.leaky_relu, TF.leaky_relu, (0.0,)),
    "leaky_relu_0.2": (
        lambda x: F.leaky_relu(x, 0.2),
        lambda x: TF.leaky_relu(x, 0.2),
        (0.0,),
    ),
    "elu": (F.elu, TF.elu, (0.0,)),
    "elu_0.5": (lambda x: F.elu(x, alpha=0.5), lambda x: TF.elu(x, alpha=0.5), (0.0,)),
    "gelu": (F.gelu, TF.gelu, ()),
    "gelu_tanh": (
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: TF.gelu(x, approximate="tanh"),
        (),
    ),
    "sigmoid": (F.sigmoid, torch.sigmoid, ()),
    "tanh": (F.tanh, torch.tanh, ()),
    "silu": (F.silu, TF.silu, ()),
    "softplus": (F.softplus, TF.softplus, ()),
    "softplus_beta2_threshold3": (
        lambda x: F.softplus(x, beta=2.0, threshold=3.0),
        lambda x: TF.softplus(x, beta=2.0, threshold=3.0),
        (1.5,),
    ),
    "logsigmoid": (F.logsigmoid, TF.logsigmoid, ()),
    "softmax_last": (lambda x: F.softmax(x, -1), lambda x: TF.softmax(x, -1), ()),
    "softmax_0": (lambda x: F.softmax(x, 0), lambda x: TF.softmax(x, 0), ()),
    "log_softmax_last": (lambda x: F.log_softmax(x, -1), lambda x: TF.log_softmax(x, -1), ()),
    "log_softmax_0": (lambda x: F.log_softmax(x, 0), lambda x: TF.log_softmax(x, 0), ()),
}

# values drawn from a range, with the kinks (and the threshold of softplus) mixed in
values = st.one_of(
    st.floats(-6, 6, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1.5, 20.0, 20.5, -1e-9, 1e-9]),
)


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=25, deadline=None)
@given(data=st.data(), seed=seeds)
def test_activation_matches_torch(name, data, seed):
    ours, theirs, _ = ACTIVATIONS[name]
    shape = data.draw(shapes)
    if name.startswith(("softmax", "log_softmax")) and shape == ():
        shape = (1,)
    array = data.draw(hnp.arrays(np.float64, shape, elements=values))
    # at exactly the threshold torch's softplus takes the log branch for the first derivative
    # but the linear one (zero) for the second; ours is the log branch's for both
    skip = array == 20.0 if name == "softplus" else array == 1.5 if "softplus" in name else None
    check_against_torch(ours, theirs, array, np.random.default_rng(seed), second_skip=skip)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_gradcheck(name):
    ours, _, kinks = ACTIVATIONS[name]
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (3, 4))
    for k in kinks:  # central differences straddling a kink measure neither slope
        x = np.where(np.abs(x - k) < 1e-2, k + 0.1, x)
    assert gradcheck(ours, Tensor(x, requires_grad=True))
    assert gradcheck(gradient_of(ours), Tensor(x, requires_grad=True))  # second order


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_at_large_inputs(name):
    """±1000 and ±50 (where exp overflows or the tails round to 0/1): finite, as torch."""
    ours, theirs, _ = ACTIVATIONS[name]
    array = np.array([-1000.0, -50.0, -20.0, 0.0, 20.0, 50.0, 1000.0])
    x = Tensor(array, requires_grad=True)
    t = torch.tensor(array, requires_grad=True)
    out, expected = ours(x), theirs(t)
    out.sum().backward()
    expected.sum().backward()
    assert np.all(np.isfinite(out.data)) and np.all(np.isfinite(x.grad.data))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **TOL)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_keeps_float32(name):
    ours, theirs, _ = ACTIVATIONS[name]
    array = np.random.default_rng(1).standard_normal((2, 5)).astype(np.float32)
    x = Tensor(array, requires_grad=True)
    out = ours(x)
    out.sum().backward()
    assert out.dtype == np.float32
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(out.data, theirs(torch.tensor(array)).numpy(), rtol=2e-6, atol=1e-6)


def test_slopes_at_zero_are_torchs():
    """relu 0, leaky_relu its slope, elu its alpha: where the kink is, torch picks a side."""
    for ours, expected in [
        (F.relu, 0.0),
        (lambda x: F.leaky_relu(x, 0.3), 0.3),
        (lambda x: F.elu(x, alpha=2.0), 2.0),
        (F.logsigmoid, 0.5),
    ]:
        x = Tensor([0.0], requires_grad=True, dtype=np.float64)
        ours(x).sum().backward()
        assert x.grad.data[0] == expected


def test_softmax_without_dim_warns_and_picks_torchs_dim():
    array = np.random.default_rng(2).standard_normal((2, 3, 4))
    for shape in [(5,), (2, 3), (2, 3, 4), (2, 3, 4, 2)]:
        a = np.random.default_rng(3).standard_normal(shape)
        for ours, theirs in [(F.softmax, TF.softmax), (F.log_softmax, TF.log_softmax)]:
            with pytest.warns(UserWarning, match="Implicit dimension choice"):
                out = ours(Tensor(a))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = theirs(torch.tensor(a))
            np.testing.assert_allclose(out.data, expected.numpy(), **TOL)
    single = array.astype(np.float32)
    out = F.softmax(Tensor(single), 1, dtype=np.float64)
    assert out.dtype == np.float64
    expected = TF.softmax(torch.tensor(single), 1, dtype=torch.float64)
    np.testing.assert_allclose(out.data, expected.numpy(), **TOL)


def test_gelu_rejects_an_unknown_approximation():
    with pytest.raises(ValueError, match="approximate argument must be either none or tanh"):
        F.gelu(Tensor([1.0]), approximate="erf")


@pytest.mark.parametrize("name", ["relu", "gelu", "softmax_last", "logsigmoid"])
def test_a_non_tensor_input_is_a_clear_type_error(name):
    ours, _, _ = ACTIVATIONS[name]
    with pytest.raises(TypeError, match=r"must be Tensor, not numpy.ndarray.*Tensor\(\.\.\.\)"):
        ours(np.ones(3))


# -- the special functions under the activations -------------------------------------------------


def test_erf_is_accurate_to_float64_rounding():
    x = np.concatenate(
        [
            np.linspace(-7, 7, 20001),
            np.geomspace(1e-300, 30, 2000),
            -np.geomspace(1e-300, 30, 2000),
            [0.0, -0.0, 0.5, -0.5, 4.0, -4.0, np.inf, -np.inf, 1e300],
        ]
    )
    out = special.erf(Tensor(x)).data
    expected = np.array([math.erf(v) for v in x])
    ulps = np.abs(out - expected) / np.spacing(np.maximum(np.abs(expected), 1e-300))
    assert ulps.max() <= 4
    assert np.isnan(special.erf(Tensor([np.nan], dtype=np.float64)).data[0])
    assert special.erf(Tensor([0.5], dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    "ours, theirs, low",
    [
        (special.erf, torch.erf, -4.0),
        (special.log1p, torch.log1p, -0.9),
        (special.expm1, torch.expm1, -4.0),
    ],
    ids=["erf", "log1p", "expm1"],
)
@settings(max_examples=20, deadline=None)
@given(data=st.data(), seed=seeds)
def test_special_functions_match_torch(ours, theirs, low, data, seed):
    shape = data.draw(shapes)
    array = data.draw(
        hnp.arrays(np.float64, shape, elements=st.floats(low, 4, allow_nan=False) | st.just(0.0))
    )
    check_against_torch(ours, theirs, array, np.random.default_rng(seed))


@pytest.mark.parametrize("fn", [special.erf, special.log1p, special.expm1])
def test_special_functions_gradcheck(fn):
    x = Tensor(np.random.default_rng(4).uniform(-0.9, 2, (2, 3)), requires_grad=True)
    assert gradcheck(fn, x)
    assert gradcheck(gradient_of(fn), x)


def test_log1p_and_expm1_keep_tiny_values():
    tiny = Tensor([1e-20, -1e-18], dtype=np.float64)
    np.testing.assert_array_equal(special.log1p(tiny).data, np.log1p(tiny.data))
    np.testing.assert_array_equal(special.expm1(tiny).data, np.expm1(tiny.data))
    assert F.logsigmoid(Tensor([40.0], dtype=np.float64)).data[0] == pytest.approx(-math.exp(-40))
