"""Edge values against PyTorch (float64): where a formula meets 0, inf, nan or an empty size.

Each case here was a silent divergence from torch 2.13 found by a differential fuzz (issue 11):
``x ** 0`` at 0, an int beside advanced indices, ``dim=()``, ``a / b`` near the float limits,
relu/abs at nan, ``var`` without degrees of freedom, binary cross-entropy and elu at their
kinks, ``1 / x`` at 0 and inf, and a ``Linear`` layer with no inputs or no outputs. Where torch
itself is wrong, the test asserts the exact value and says why.
"""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import nn
import nn.functional as F
from autograd import Tensor, Value, grad


def derivatives(fn, xs, order):
    """``[f, f', f'', ...]`` up to ``order``, each summed before the next derivative."""
    x = Tensor(np.array(xs, dtype=np.float64), requires_grad=True)
    out = [fn(x)]
    for k in range(order):
        (g,) = grad(out[-1].sum(), [x], create_graph=k < order - 1, allow_unused=True)
        out.append(g if g is not None else Tensor(np.zeros_like(x.data)))
    return [o.data for o in out]


def torch_derivatives(fn, xs, order):
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    out = [fn(x)]
    for k in range(order):
        g = None
        if out[-1].requires_grad:  # else a constant: its derivatives are 0
            (g,) = torch.autograd.grad(
                out[-1].sum(), x, create_graph=k < order - 1, allow_unused=True
            )
        out.append(g if g is not None else torch.zeros_like(x))
    return [o.detach().numpy() for o in out]


def assert_same(ours, theirs):
    """Equal values, nan where nan, and the same sign of zero."""
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


def compare(fn, torch_fn, xs, order):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(derivatives(fn, xs, order), torch_derivatives(torch_fn, xs, order))


# -- item 3: x ** 0, and the derivatives of x ** n at 0 ---------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 0.0, 2.0])
def test_integer_powers_have_finite_derivatives_at_zero_to_every_order(n):
    order = 4
    compare(lambda x: x**n, lambda x: x**n, [0.0, -0.0, 1.5, -2.0], order)


def test_a_polynomial_has_its_gradient_at_zero():
    coefficients = [3.0, -1.0, 0.5, 2.0]

    def poly(x):
        return sum(c * x**k for k, c in enumerate(coefficients))

    compare(poly, poly, [0.0, 1.0], 3)


def test_tensor_exponent_zero_gives_a_zero_base_gradient():
    def ours(x):
        return x ** Tensor(np.array([0.0, 2.0, 0.0]))

    def theirs(x):
        return x ** torch.tensor([0.0, 2.0, 0.0], dtype=torch.float64)

    compare(ours, theirs, [0.0, 0.0, 3.0], 1)
    # torch's second derivative is nan at x = 0 where the exponent is 0 (its where sends a 0
    # through 0 * x ** -2 = 0 * inf) and -0 at x = 3: the exact values are 0
    (_, _, second, third) = derivatives(ours, [0.0, 0.0, 3.0], 3)
    assert_same([second, third], [np.array([0.0, 2.0, 0.0]), np.zeros(3)])


def test_value_power_zero_and_its_higher_derivatives_at_zero():
    x = Value(0.0)
    (x**0 + 2 * x).backward()
    assert x.grad == 2.0
    for n in (0, 1, 2, 3):
        x = Value(0.0)
        xt = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        y, yt = x**n, xt**n
        for _ in range(3):
            (y,) = grad(y, [x], create_graph=True, allow_unused=True)
            y = Value(0.0) if y is None else y  # a constant's derivative: unused, so 0
            if yt.requires_grad:
                (yt,) = torch.autograd.grad(yt, xt, create_graph=True, allow_unused=True)
            yt = torch.zeros_like(xt) if yt is None or not yt.requires_grad else yt
            assert y.data == yt.item(), n


# -- item 4: an int beside advanced indices is a select, as in torch --------------------------


@pytest.mark.parametrize(
    "index",
    [
        (0, slice(None), [1, 0]),
        (slice(None), 1, slice(None), [2, 0]),
        (1, None, [1, 0]),
        (1, Ellipsis, [0, 3]),
        (-1, slice(None), [0, 1], [[0], [2]]),
        ([1, 0], slice(None), 2, [3, 3]),
    ],
)
def test_int_and_advanced_indices_are_placed_as_torch_places_them(index):
    a = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)
    torch_index = tuple(torch.tensor(i) if isinstance(i, list) else i for i in index)
    x = Tensor(a, requires_grad=True)
    xt = torch.tensor(a, requires_grad=True)
    out, out_t = x[index], xt[torch_index]
    np.testing.assert_array_equal(out.data, out_t.detach().numpy())
    weights = np.random.default_rng(0).standard_normal(out.shape)
    (out * Tensor(weights)).sum().backward()
    (out_t * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())


def test_the_issue_example_and_a_zero_dim_int_tensor():
    x = Tensor(np.arange(8.0).reshape(2, 2, 2))
    assert x[0, :, [1, 0]].data.tolist() == [[1.0, 0.0], [3.0, 2.0]]
    assert x[Tensor(np.array(0)), :, [1, 0]].data.tolist() == [[1.0, 0.0], [3.0, 2.0]]


# -- item 5: dim=() reduces every dim, as in torch --------------------------------------------


@pytest.mark.parametrize("name", ["sum", "mean", "var", "std"])
@pytest.mark.parametrize("keepdim", [False, True])
def test_an_empty_dim_tuple_reduces_every_dim(name, keepdim):
    a = np.arange(6.0).reshape(2, 3) ** 1.5
    x = Tensor(a, requires_grad=True)
    xt = torch.tensor(a, requires_grad=True)
    out = getattr(x, name)(dim=(), keepdim=keepdim)
    out_t = getattr(xt, name)(dim=(), keepdim=keepdim)
    assert out.shape == tuple(out_t.shape)
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), rtol=1e-14)
    out.sum().backward()
    # torch's var/std backward reads dim=() as a reduction over 1 element (±inf): wrong, since
    # its forward reduces every dim; the exact gradient is that of dim=None
    reference = torch.tensor(a, requires_grad=True)
    getattr(reference, name)(dim=(0, 1), keepdim=keepdim).sum().backward()
    np.testing.assert_allclose(x.grad.data, reference.grad.numpy(), rtol=1e-13)


# -- item 7: a / b with b near the float limits -----------------------------------------------


@pytest.mark.parametrize("a, b", [(0.0, 1e-300), (1e-300, 1e-300), (1e300, 1e300), (-3.0, 1e-200)])
def test_division_gradient_neither_overflows_nor_underflows(a, b):
    def both(a_, b_):
        return [a_ / b_, b_ / a_ if a_ != 0 else b_ * 1.0]

    ours = [Tensor(np.array([v]), requires_grad=True) for v in (a, b)]
    theirs = [torch.tensor([v], dtype=torch.float64, requires_grad=True) for v in (a, b)]
    out, out_t = ours[0] / ours[1], theirs[0] / theirs[1]
    firsts = grad(out.sum(), ours, create_graph=True)
    firsts_t = torch.autograd.grad(out_t.sum(), theirs, create_graph=True)
    assert_same([g.data for g in firsts], [g.detach().numpy() for g in firsts_t])
    seconds = grad(firsts[1].sum(), ours)
    seconds_t = torch.autograd.grad(firsts_t[1].sum(), theirs)
    for s, st in zip(seconds, seconds_t):
        np.testing.assert_allclose(s.data, st.numpy(), rtol=1e-15)
    value_b = Value(b)
    (Value(a) / value_b).backward()
    assert value_b.grad == firsts_t[1].item()


# -- item 9: relu, abs, var, binary cross-entropy, 1/x and elu at their edges -----------------


def test_relu_passes_the_gradient_of_nan():
    compare(lambda x: x.relu(), torch.relu, [math.nan, 1.0, -1.0, 0.0], 1)
    compare(lambda x: x.relu() * x.relu(), lambda x: torch.relu(x) ** 2, [math.nan, 2.0], 2)
    x = Value(math.nan)
    y = x.relu()
    y.backward()
    assert math.isnan(y.data) and x.grad == 1.0


def test_abs_of_nan_has_gradient_zero():
    compare(lambda x: x.abs(), torch.abs, [math.nan, 1.0, -1.0, 0.0, -0.0], 1)


def test_var_without_degrees_of_freedom_has_the_exact_gradient():
    # with a dim, torch's formula 2 (x - mean) / (N - correction) is exact for N == correction:
    # ±inf, nan where x == mean
    compare(lambda x: x.var(dim=0), lambda x: x.var(dim=0), [1.0, 3.0], 1)
    compare(
        lambda x: x.var(dim=0, correction=3),
        lambda x: x.var(dim=0, correction=3),
        [2.0, 2.0, 5.0],
        1,
    )
    # without a dim torch gives +inf for every x != mean, and with N < correction a finite
    # -2 (x - mean): both wrong, since the variance is +inf; ours is 2 (x - mean) / 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (value, gradient) = derivatives(lambda x: x.var(correction=4), [1.0, 2.0, 6.0], 1)
    assert value == math.inf
    np.testing.assert_array_equal(gradient, [-math.inf, -math.inf, math.inf])
    (_, gradient) = derivatives(lambda x: x.var(), [2.0], 1)
    assert np.isnan(gradient).all()


@pytest.mark.parametrize("x, t", [(0.0, 1.0), (1.0, 0.0), (0.5, 0.0), (0.3, 0.7), (0.0, 0.4)])
def test_binary_cross_entropy_second_derivative_matches_torch(x, t):
    target = np.array([t])

    def ours(p):
        return F.binary_cross_entropy(p, Tensor(target), reduction="none")

    def theirs(p):
        return TF.binary_cross_entropy(p, torch.tensor(target), reduction="none")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine, torchs = derivatives(ours, [x], 2), torch_derivatives(theirs, [x], 2)
    for a, b in zip(mine, torchs):
        np.testing.assert_allclose(a, b, rtol=1e-10)


@pytest.mark.parametrize("x, t", [(0.0, 0.0), (1.0, 1.0), (1e-13, 0.0)])
def test_binary_cross_entropy_second_derivative_is_exact_where_torch_cancels(x, t):
    # exact: t / x² + (1 - t) / (1 - x)² = 1 at these points; torch's double backward
    # (x² - 2xt + t) / ((x + ε)² (1 - x + ε)²) gives 0, 0 and 0.0083
    (_, _, second) = derivatives(
        lambda p: F.binary_cross_entropy(p, Tensor(np.array([t])), reduction="none"), [x], 2
    )
    np.testing.assert_allclose(second, [1.0], rtol=1e-12)


@pytest.mark.parametrize("numerator", [1.0, 2.0, -3.0])
def test_reciprocal_second_derivative_at_zero_and_infinity(numerator):
    points = [0.0, -0.0, math.inf, -math.inf, 2.0]
    compare(lambda x: numerator / x, lambda x: numerator / x, points, 3)
    compare(lambda x: x**-1, lambda x: x**-1, points, 2)
    for v in (math.inf, -math.inf, 4.0):
        x = Value(v)
        xt = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        (g,) = grad(numerator / x, [x], create_graph=True)
        (h,) = grad(g, [x])
        (gt,) = torch.autograd.grad(numerator / xt, xt, create_graph=True)
        (ht,) = torch.autograd.grad(gt, xt)
        assert (h.data, g.data) == (ht.item(), gt.item())


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_at_zero_and_nan_as_torch(alpha):
    compare(
        lambda x: F.elu(x, alpha=alpha),
        lambda x: TF.elu(x, alpha=alpha),
        [0.0, -0.0, 1.0, -1.0, -math.inf, math.nan],
        3,
    )


# -- item 10: Linear with no inputs or no outputs ---------------------------------------------


@pytest.mark.parametrize("features", [(0, 2), (3, 0), (0, 0)])
@pytest.mark.parametrize("batch", [(4,), (), (2, 0)])
def test_linear_with_zero_features_matches_torch(features, batch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Initializing zero-element tensors is a no-op"
        layer = nn.Linear(*features, dtype=np.float64)
        reference = torch.nn.Linear(*features, dtype=torch.float64)
    with torch.no_grad():
        reference.weight.copy_(torch.tensor(layer.weight.data))
        reference.bias.copy_(torch.tensor(layer.bias.data))
    a = np.ones(batch + (features[0],))
    x = Tensor(a, requires_grad=True)
    xt = torch.tensor(a, requires_grad=True)
    out, out_t = layer(x), reference(xt)
    np.testing.assert_array_equal(out.data, out_t.detach().numpy())
    out.sum().backward()
    out_t.sum().backward()
    np.testing.assert_array_equal(layer.bias.grad.data, reference.bias.grad.numpy())
    np.testing.assert_array_equal(layer.weight.grad.data, reference.weight.grad.numpy())
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())
