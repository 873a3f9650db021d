"""Behaviour users rely on: reuse, deep graphs, accumulation, no_grad, freed graphs, errors."""

import gc
import math
import sys
import weakref

import pytest

from autograd import Value, grad, no_grad
from autograd.grad_mode import enable_grad, is_grad_enabled, set_grad_enabled


def test_reused_node_gets_every_path():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0


def test_chain_of_a_million_links_with_the_default_recursion_limit():
    limit = sys.getrecursionlimit()
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0
    assert sys.getrecursionlimit() == limit
    del y  # freeing a million-deep chain must not overflow the C stack either


def test_leaf_gradients_accumulate_across_calls_until_zeroed():
    x = Value(2.0)
    y = x * x
    y.backward()
    y.backward()
    assert x.grad == 8.0  # 2 * (2x)
    x.grad = 0.0
    y.backward()
    assert x.grad == 4.0


def test_intermediate_nodes_show_the_latest_pass_only():
    x = Value(2.0)
    h = x * 3.0
    y = h.tanh()
    y.backward()
    first = h.grad
    y.backward()
    assert h.grad == first  # not doubled
    assert y.grad == 1.0
    assert x.grad == pytest.approx(2 * 3 * first)


def test_backward_order_is_deterministic():
    def run():
        xs = [Value(0.1 * i) for i in range(50)]
        total = Value(0.0)
        for i, x in enumerate(xs):
            total = total + (x * (i + 0.3)).tanh() * xs[(i * 7) % 50]
        total.backward()
        return [x.grad for x in xs]

    assert run() == run()


def test_parents_are_kept_in_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    assert (a - b).parents == (a, b)
    assert (b - a).parents == (b, a)
    assert (a * b).op == "*"
    assert a.parents == () and a.op == ""


def test_in_place_operators_build_new_nodes_as_in_micrograd():
    c = Value(1.0)
    original = c
    c += c + 1
    assert c is not original
    assert c.data == 3.0
    c.backward()
    assert original.grad == 2.0


def test_no_grad_records_no_graph_and_restores_the_mode():
    x = Value(1.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 2 + 1
    assert is_grad_enabled()
    assert y.parents == () and y.op == ""
    assert y.data == 3.0

    @no_grad()
    def f(v):
        return v * v

    assert f(x).parents == ()
    with no_grad(), enable_grad():
        assert (x * x).parents == (x, x)
    with set_grad_enabled(False):
        assert (x * x).parents == ()
    assert is_grad_enabled()


def test_a_dropped_graph_is_freed_by_reference_counting_alone():
    class Probe(Value):  # a subclass can hold a weak reference; the ops still build Values
        pass

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x = Probe(0.5)
        alive = weakref.ref(x)
        y = x
        for _ in range(100):
            y = (y * 1.1 + x).tanh().exp().log() ** 2 / (x + 3.0)
        y.backward()
        (g,) = grad(y, x, create_graph=True)
        g.backward()
        del x, y, g
        assert alive() is None, "the graph survived: something in it refers back to itself"
    finally:
        if was_enabled:
            gc.enable()


def test_functions_are_stable_at_extremes():
    for name in ["tanh", "sigmoid", "exp"]:
        x = Value(-1000.0)
        y = getattr(x, name)()
        y.backward()
        assert math.isfinite(y.data) and math.isfinite(x.grad), name
    for name in ["tanh", "sigmoid"]:
        x = Value(1000.0)
        y = getattr(x, name)()
        y.backward()
        assert math.isfinite(y.data) and math.isfinite(x.grad), name
        assert y.data == 1.0 and x.grad == 0.0


def test_log_of_a_non_positive_number_names_the_value():
    for bad in [0.0, -2.5]:
        with pytest.raises(ValueError, match=repr(bad)):
            Value(bad).log()


@pytest.mark.parametrize("other", ["a string", [1, 2], None])
def test_unsupported_operands_name_both_types(other):
    kind = type(other).__name__
    for op in [
        lambda: Value(1.0) + other,
        lambda: other + Value(1.0),
        lambda: Value(1.0) * other,
        lambda: Value(1.0) - other,
        lambda: other / Value(1.0),
        lambda: Value(1.0) ** other,
    ]:
        with pytest.raises(TypeError) as info:
            op()
        assert "Value" in str(info.value) and kind in str(info.value)


def test_power_with_value_and_number_exponents():
    x = Value(2.0)
    y = Value(3.0)
    z = x**y + 2**y + x**3
    z.backward()
    assert z.data == 8 + 8 + 8
    assert x.grad == pytest.approx(3 * 4 + 3 * 4)
    assert y.grad == pytest.approx(8 * math.log(2) + 8 * math.log(2))


def test_repr_and_labels():
    v = Value(1.5, label="w1")
    assert v.label == "w1" and v.grad == 0.0 and isinstance(v.data, float)
    assert "1.5" in repr(v) and "w1" in repr(v)
