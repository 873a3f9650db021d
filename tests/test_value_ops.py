"""Every Value operation against PyTorch (float64) and against central differences."""

import math
import random

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad

finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
positive = st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)

# name -> (our operation on Values, the same on torch tensors, strategy per argument)
UNARY = {
    "neg": (lambda a: -a, lambda a: -a, finite),
    "exp": (Value.exp, torch.exp, finite),
    "log": (Value.log, torch.log, positive),
    "tanh": (Value.tanh, torch.tanh, finite),
    "sigmoid": (Value.sigmoid, torch.sigmoid, finite),
    "relu": (Value.relu, torch.relu, finite.filter(lambda x: abs(x) > 1e-3)),
    "pow_const": (lambda a: a**3, lambda a: a**3, finite),
    "pow_frac": (lambda a: a**0.5, lambda a: a**0.5, positive),
    "pow_neg": (lambda a: a**-2, lambda a: a**-2, positive),
}
BINARY = {
    "add": (lambda a, b: a + b, finite, finite),
    "sub": (lambda a, b: a - b, finite, finite),
    "mul": (lambda a, b: a * b, finite, finite),
    "div": (lambda a, b: a / b, finite, positive),
    "pow": (lambda a, b: a**b, positive, finite),
}


def torch_grads(fn, *xs):
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = fn(*ts)
    out.backward()
    return out.item(), [t.grad.item() for t in ts]


def our_grads(fn, *xs):
    vs = [Value(x) for x in xs]
    out = fn(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


def central_difference(fn, xs, i, eps=1e-6):
    up = list(xs)
    down = list(xs)
    up[i] += eps
    down[i] -= eps
    return (fn(*[Value(x) for x in up]).data - fn(*[Value(x) for x in down]).data) / (2 * eps)


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_unary_matches_torch_and_central_differences(name, data):
    ours, theirs, strategy = UNARY[name]
    x = data.draw(strategy)
    value, (g,) = our_grads(ours, x)
    t_value, (t_g,) = torch_grads(theirs, x)
    assert value == pytest.approx(t_value, rel=1e-12, abs=1e-12)
    assert g == pytest.approx(t_g, rel=1e-10, abs=1e-12)
    assert g == pytest.approx(central_difference(ours, [x], 0), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_binary_matches_torch_and_central_differences(name, data):
    fn, strategy_a, strategy_b = BINARY[name]
    a, b = data.draw(strategy_a), data.draw(strategy_b)
    value, grads = our_grads(fn, a, b)
    t_value, t_grads = torch_grads(fn, a, b)
    assert value == pytest.approx(t_value, rel=1e-12, abs=1e-12)
    for i, (g, t_g) in enumerate(zip(grads, t_grads)):
        assert g == pytest.approx(t_g, rel=1e-10, abs=1e-12)
        assert g == pytest.approx(central_difference(fn, [a, b], i), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
@settings(max_examples=20, deadline=None)
@given(a=positive, number=positive)
def test_numbers_on_either_side(name, a, number):
    fn = BINARY[name][0]
    for left, right in [(Value(a), number), (number, Value(a))]:
        out = fn(left, right)
        out.backward()
        t_left = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        t_out = fn(t_left, number) if isinstance(left, Value) else fn(number, t_left)
        t_out.backward()
        node = left if isinstance(left, Value) else right
        assert out.data == pytest.approx(t_out.item(), rel=1e-12)
        assert node.grad == pytest.approx(t_left.grad.item(), rel=1e-10)


def test_linear_equals_the_chain_of_products_and_sums():
    rng = random.Random(0)
    xs = [rng.uniform(-2, 2) for _ in range(5)]
    ws = [rng.uniform(-2, 2) for _ in range(5)]
    b = rng.uniform(-1, 1)
    from autograd import linear

    x_fused, w_fused, b_fused = [Value(x) for x in xs], [Value(w) for w in ws], Value(b)
    fused = linear(x_fused, w_fused, b_fused).tanh()
    fused.backward()
    x_chain, w_chain, b_chain = [Value(x) for x in xs], [Value(w) for w in ws], Value(b)
    chain = sum((w * x for w, x in zip(w_chain, x_chain)), b_chain).tanh()
    chain.backward()
    assert fused.data == pytest.approx(chain.data, rel=1e-14)
    for p, q in zip(x_fused + w_fused + [b_fused], x_chain + w_chain + [b_chain]):
        assert p.grad == pytest.approx(q.grad, rel=1e-12, abs=1e-14)
    with pytest.raises(ValueError, match="3 inputs but 2 weights"):
        linear([1, 2, 3], [Value(1), Value(2)], 0.0)


# -- random expression graphs built from every operation --------------------------------------

SAFE_UNARY = [
    ("exp", lambda v: (v * 0.3).exp(), lambda t: (t * 0.3).exp()),
    ("log", lambda v: (v * v + 1.0).log(), lambda t: (t * t + 1.0).log()),
    ("tanh", Value.tanh, torch.tanh),
    ("sigmoid", Value.sigmoid, torch.sigmoid),
    ("relu", lambda v: (v + 0.05).relu(), lambda t: (t + 0.05).relu()),
    ("neg", lambda v: -v, lambda t: -t),
    ("square", lambda v: v**2, lambda t: t**2),
]
SAFE_BINARY = [
    ("+", lambda a, b: a + b),
    ("-", lambda a, b: a - b),
    ("*", lambda a, b: a * b),
    ("/", lambda a, b: a / (b * b + 1.0)),
    ("**", lambda a, b: (a * a + 0.5) ** (b * 0.3)),
]


def build_random_graph(seed, leaves, unary, binary):
    """The same random expression over `leaves`, built with whichever engine's functions."""
    rng = random.Random(seed)
    pool = list(leaves)
    for _ in range(25):
        if rng.random() < 0.4:
            _, ours_or_torch = unary[rng.randrange(len(unary))]
            pool.append(ours_or_torch(rng.choice(pool)))
        else:
            _, fn = binary[rng.randrange(len(binary))]
            pool.append(fn(rng.choice(pool), rng.choice(pool)))
    return pool[-1] + pool[-2] * 0.5


@pytest.mark.parametrize("seed", range(30))
def test_random_expression_graphs_match_torch(seed):
    rng = random.Random(1000 + seed)
    xs = [rng.uniform(-1.5, 1.5) for _ in range(4)]
    values = [Value(x) for x in xs]
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = build_random_graph(seed, values, [(n, f) for n, f, _ in SAFE_UNARY], SAFE_BINARY)
    t_out = build_random_graph(seed, tensors, [(n, g) for n, _, g in SAFE_UNARY], SAFE_BINARY)
    out.backward()
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-10, abs=1e-12)
    for v, t in zip(values, tensors):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-8, abs=1e-10)

    def f(*inputs):
        return build_random_graph(seed, inputs, [(n, f) for n, f, _ in SAFE_UNARY], SAFE_BINARY)

    for i, v in enumerate(values):
        assert v.grad == pytest.approx(central_difference(f, xs, i), rel=1e-4, abs=1e-5)


# -- higher order ------------------------------------------------------------------------------


def test_second_derivative_of_x_tanh_x_matches_the_analytic_one():
    for x0 in [-2.0, -0.3, 0.0, 0.7, 1.9]:
        x = Value(x0)
        (dy,) = grad(x * x.tanh(), x, create_graph=True)
        (d2y,) = grad(dy, x)
        t = math.tanh(x0)
        assert dy.data == pytest.approx(t + x0 * (1 - t * t), rel=1e-12)
        assert d2y.data == pytest.approx(2 * (1 - t * t) - 2 * x0 * t * (1 - t * t), abs=1e-12)
        assert x.grad == 0.0  # grad() leaves .grad alone


@pytest.mark.parametrize("name", sorted(UNARY))
def test_second_derivatives_match_torch(name):
    ours, theirs, strategy = UNARY[name]
    x0 = 0.8
    x = Value(x0)
    (dy,) = grad(ours(x), x, create_graph=True)
    (d2y,) = grad(dy, x, allow_unused=True)
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (t_dy,) = torch.autograd.grad(theirs(t), t, create_graph=True)
    assert dy.data == pytest.approx(t_dy.item(), rel=1e-12)
    if t_dy.requires_grad:
        (t_d2y,) = torch.autograd.grad(t_dy, t)
        ours_d2y = 0.0 if d2y is None else d2y.data  # relu: its derivative is a constant step
        assert ours_d2y == pytest.approx(t_d2y.item(), rel=1e-10, abs=1e-12)
    else:  # a constant first derivative (neg): x is not in its graph, in both engines
        assert d2y is None


@pytest.mark.parametrize("name", sorted(BINARY))
def test_mixed_second_derivatives_match_torch(name):
    fn, _, _ = BINARY[name]
    a0, b0 = 1.3, 0.7
    a, b = Value(a0), Value(b0)
    da, db = grad(fn(a, b), [a, b], create_graph=True)
    d2 = grad(da + 2.0 * db, [a, b], allow_unused=True)
    ta = torch.tensor(a0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    t_da, t_db = torch.autograd.grad(fn(ta, tb), [ta, tb], create_graph=True)
    if not (t_da + 2.0 * t_db).requires_grad:  # add, sub: constant first derivatives
        assert d2 == (None, None)
        return
    t_d2 = torch.autograd.grad(t_da + 2.0 * t_db, [ta, tb], allow_unused=True)
    for ours_g, t_g in zip(d2, t_d2):
        ours = 0.0 if ours_g is None else ours_g.data
        expected = 0.0 if t_g is None else t_g.item()
        assert ours == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_third_derivative_of_exp_and_fourth_of_a_polynomial():
    x = Value(0.4)
    d = x.exp()
    for _ in range(3):
        (d,) = grad(d, x, create_graph=True)
    assert d.data == pytest.approx(math.exp(0.4), rel=1e-12)
    y = Value(2.0)
    d = y**5
    for _ in range(4):
        (d,) = grad(d, y, create_graph=True)
    assert d.data == pytest.approx(120 * 2.0, rel=1e-12)


def test_grad_of_an_unused_input_raises_unless_allowed():
    x, z = Value(1.0), Value(2.0)
    y = x * 3
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        grad(y, [x, z])
    gx, gz = grad(y, [x, z], allow_unused=True)
    assert gx.data == 3.0 and gz is None


def test_linear_second_derivative_through_the_fused_rule():
    from autograd import linear

    x, w = Value(0.5), Value(-1.2)
    y = linear([x], [w], 0.3).tanh()
    (dx,) = grad(y, x, create_graph=True)
    (dxdw,) = grad(dx, w)
    t_x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    t_w = torch.tensor(-1.2, dtype=torch.float64, requires_grad=True)
    (t_dx,) = torch.autograd.grad(torch.tanh(t_w * t_x + 0.3), t_x, create_graph=True)
    (t_dxdw,) = torch.autograd.grad(t_dx, t_w)
    assert dx.data == pytest.approx(t_dx.item(), rel=1e-12)
    assert dxdw.data == pytest.approx(t_dxdw.item(), rel=1e-12)


REFLECTED = {
    "rsub": lambda x: 2.5 - x,
    "rdiv": lambda x: 2.5 / x,
    "rpow": lambda x: 2.5**x,
    "radd": lambda x: 2.5 + x,
    "rmul": lambda x: 2.5 * x,
    "sub_const": lambda x: x - 2.5,
    "div_const": lambda x: x / 2.5,
}


@pytest.mark.parametrize("name", sorted(REFLECTED))
def test_constant_operands_to_second_order_match_torch(name):
    fn = REFLECTED[name]
    x = Value(0.9)
    y = fn(x).tanh()
    (dy,) = grad(y, x, create_graph=True)
    (d2y,) = grad(dy, x)
    t = torch.tensor(0.9, dtype=torch.float64, requires_grad=True)
    (t_dy,) = torch.autograd.grad(torch.tanh(fn(t)), t, create_graph=True)
    (t_d2y,) = torch.autograd.grad(t_dy, t)
    assert y.data == pytest.approx(math.tanh(fn(0.9)), rel=1e-12)
    assert dy.data == pytest.approx(t_dy.item(), rel=1e-12)
    assert d2y.data == pytest.approx(t_d2y.item(), rel=1e-10)


def test_constants_show_in_the_operation_name_not_as_nodes():
    x = Value(3.0, label="x")
    assert (x * 2).op == "* 2" and (x * 2).parents == (x,)
    assert (2 - x).op == "2 -" and (x**2).op == "** 2"
    assert (x + x).op == "+" and (x + x).parents == (x, x)
