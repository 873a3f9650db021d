"""autograd.parameters: the one surface through which nn and viz read and write Value and Tensor
parameters (array view, gradient, assignment), each function on both kinds."""

import numpy as np
import pytest

from autograd import Tensor, Value, parameters
from nn import Parameter


def test_kinds():
    assert parameters.is_node(Value(1.0)) and parameters.is_node(Tensor([1.0]))
    assert parameters.is_node(Parameter(np.zeros(2)))
    assert not any(parameters.is_node(x) for x in (1.0, np.zeros(2), None, [Value(1.0)]))
    assert parameters.is_scalar(Value(1.0))
    assert not any(parameters.is_scalar(x) for x in (Tensor(1.0), Parameter(np.zeros(())), 1.0))


def test_shape_numel_and_dtype():
    v, w = Value(2.5), Parameter(np.zeros((3, 4), np.float32))
    assert parameters.shape(v) == () and parameters.numel(v) == 1
    assert parameters.dtype(v) == np.float64
    assert parameters.shape(w) == (3, 4) and parameters.numel(w) == 12
    assert parameters.dtype(w) == np.float32
    assert isinstance(parameters.numel(w), int)


def test_data_array_is_the_tensor_itself_and_a_copy_of_a_value():
    w = Parameter(np.arange(3, dtype=np.float32))
    array = parameters.data_array(w)
    assert array is w.data
    v = Value(2.5)
    array = parameters.data_array(v)
    assert array.shape == () and array.dtype == np.float64 and array == 2.5
    array += 1  # a copy: the Value keeps its number until assign_data
    assert v.data == 2.5


def test_assign_data_writes_in_place_and_casts():
    w = Parameter(np.zeros(3, np.float32))
    buffer = w.data
    parameters.assign_data(w, np.array([1.0, 2.0, 3.5], dtype=np.float64))
    assert w.data is buffer and w.data.dtype == np.float32
    np.testing.assert_array_equal(w.data, [1.0, 2.0, 3.5])
    parameters.assign_data(w, w.data)  # its own array: nothing to copy
    np.testing.assert_array_equal(w.data, [1.0, 2.0, 3.5])
    v = Value(0.0)
    parameters.assign_data(v, np.array(-1.25))
    assert v.data == -1.25 and type(v.data) is float


def test_the_update_idiom_trains_both_kinds_alike():
    v, t = Value(3.0), Parameter(np.array(3.0))
    for p in (v, t):
        loss = p * p  # d/dp = 2p = 6
        loss.backward()
        array = parameters.data_array(p)
        array -= 0.25 * parameters.grad_array(p)
        parameters.assign_data(p, array)
    assert v.data == 1.5 and float(t.data) == 1.5


def test_grad_array_none_when_absent_and_a_copy_for_a_value():
    w = Parameter(np.ones(2))
    assert parameters.grad_array(w) is None
    (w * w).sum().backward()
    assert parameters.grad_array(w) is w.grad.data
    np.testing.assert_array_equal(parameters.grad_array(w), [2.0, 2.0])
    v = Value(3.0)
    g = parameters.grad_array(v)
    assert g.shape == () and g.dtype == np.float64 and g == 0.0  # 0.0 before any backward
    (v * v).backward()
    assert parameters.grad_array(v) == 6.0


def test_assign_grad_on_both_kinds():
    w = Parameter(np.zeros(2, np.float32))
    source = np.array([1.0, -2.0])
    parameters.assign_grad(w, source)
    assert isinstance(w.grad, Tensor) and w.grad.dtype == np.float32
    np.testing.assert_array_equal(w.grad.data, [1.0, -2.0])
    source[0] = 9.0  # copied, not shared
    assert w.grad.data[0] == 1.0
    parameters.assign_grad(w, None)
    assert w.grad is None
    v = Value(1.0)
    parameters.assign_grad(v, np.array(0.5))
    assert v.grad == 0.5
    parameters.assign_grad(v, None)
    assert v.grad == 0.0


def test_zero_grad_as_torch():
    w = Parameter(np.ones(3))
    (w * w).sum().backward()
    buffer = w.grad.data
    parameters.zero_grad(w, set_to_none=False)
    assert w.grad.data is buffer and not buffer.any()  # zeroed in place
    parameters.zero_grad(w)
    assert w.grad is None
    parameters.zero_grad(w, set_to_none=False)  # nothing to zero
    assert w.grad is None
    recorded = Tensor(np.ones(3), requires_grad=True) * 2
    w.grad = recorded  # a gradient that is part of a graph is replaced, not zeroed through it
    parameters.zero_grad(w, set_to_none=False)
    assert w.grad is not recorded and not w.grad.requires_grad
    np.testing.assert_array_equal(w.grad.data, np.zeros(3))
    np.testing.assert_array_equal(recorded.data, [2.0, 2.0, 2.0])
    v = Value(2.0)
    (v * v).backward()
    parameters.zero_grad(v)
    assert v.grad == 0.0


def test_leaves_and_retained_grads():
    v = Value(1.0)
    assert parameters.is_leaf(v) and not parameters.is_leaf(v * 2)
    assert not parameters.retains_grad(v * 2)
    w = Tensor(np.ones(2), requires_grad=True)
    y = w * 2
    assert parameters.is_leaf(w) and not parameters.is_leaf(y)
    assert not parameters.retains_grad(y)
    y.retain_grad()
    assert parameters.retains_grad(y)


def test_detach_shares_a_tensor_and_snapshots_a_value():
    w = Parameter(np.zeros(2))
    d = parameters.detach(w)
    assert not d.requires_grad and d.data is w.data
    v = Value(1.5)
    d = parameters.detach(v)
    assert isinstance(d, Tensor) and d.shape == () and d.dtype == np.float64
    v.data = 2.0
    assert float(d.data) == 1.5


def test_requires_grad_and_astype():
    w = Parameter(np.zeros(2, np.float32))
    parameters.requires_grad_(w, False)
    assert not w.requires_grad
    parameters.requires_grad_(w, True)
    w.grad = Tensor(np.ones(2, np.float32))
    parameters.astype_(w, np.float64)
    assert w.dtype == np.float64 and w.grad.dtype == np.float64
    counts = Tensor(np.arange(3))
    parameters.astype_(counts, np.float32)  # integers stay integers
    assert counts.dtype == np.int64
    v = Value(1.0)
    parameters.requires_grad_(v, False)  # a Value always records: nothing to switch
    parameters.astype_(v, np.float32)
    assert type(v.data) is float


@pytest.mark.parametrize("make", [lambda: Value(0.5), lambda: Parameter(np.array([0.5, 1.0]))])
def test_every_function_accepts_both_kinds(make):
    p = make()
    array = parameters.data_array(p)
    assert array.shape == parameters.shape(p) and array.size == parameters.numel(p)
    assert array.dtype == parameters.dtype(p)
    parameters.assign_grad(p, np.full(parameters.shape(p), 2.0))
    np.testing.assert_array_equal(parameters.grad_array(p), np.full(parameters.shape(p), 2.0))
    tripled = array * 3
    parameters.assign_data(p, tripled)
    np.testing.assert_array_equal(parameters.detach(p).data, tripled)
    np.testing.assert_array_equal(parameters.data_array(p), tripled)
