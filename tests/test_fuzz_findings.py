"""Regression tests for the divergences from torch that the differential fuzz found and this
branch fixed (tests/test_fuzz_*.py found them; these pin each one with its exact case)."""

import numpy as np
import pytest
import torch

import autograd
from autograd import Tensor


def _both(fn, *arrays):
    """``fn`` on Tensors and on torch tensors of ``arrays``: (ours, torch's) or raise."""
    return fn(*(Tensor(a) for a in arrays)), fn(*(torch.tensor(a) for a in arrays))


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: a - b,  # bool - bool
        lambda a, b: b - 1,
        lambda a, b: 1 - a,
        lambda a, b: (a * 1.5) - True,  # a float tensor minus a Python bool
    ],
)
def test_subtraction_with_a_bool_operand_raises_as_in_torch(fn):
    mask = np.array([True, False])
    with pytest.raises(RuntimeError):
        fn(torch.tensor(mask), torch.tensor(mask))
    with pytest.raises(TypeError, match="Subtraction, the `-` operator, with a bool tensor"):
        fn(Tensor(mask), Tensor(mask))


def test_pow_of_two_bool_tensors_raises_and_bool_to_a_bool_number_stays_bool():
    mask = np.array([True, False])
    with pytest.raises(TypeError, match="pow"):
        Tensor(mask) ** Tensor(mask)
    ours, theirs = Tensor(mask) ** False, torch.tensor(mask) ** False
    assert ours.dtype == np.bool_ and theirs.dtype == torch.bool
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_integer_tensor_to_negative_integer_tensor_powers_as_torch():
    base, exponent = np.array([3, 2, 1, -1, -1, 0]), np.array([-3, -1, -2, -3, -2, -1])
    ours, theirs = _both(lambda a, b: a**b, base, exponent)
    np.testing.assert_array_equal(ours.data, theirs.numpy())  # [0, 0, 1, -1, 1, 0]
    assert ours.dtype == np.int64


@pytest.mark.parametrize("shape", [(2,), (0,)])
def test_integer_tensor_to_a_negative_number_raises_even_when_empty(shape):
    with pytest.raises(RuntimeError, match="negative integer powers"):
        torch.ones(shape, dtype=torch.int64) ** -2
    with pytest.raises(ValueError, match="negative integer powers"):
        Tensor(np.ones(shape, dtype=np.int64)) ** -2


@pytest.mark.parametrize(
    "fn",
    [
        lambda a: a - (-2),
        lambda a: -3 - a,
        lambda a: a * -2,
        lambda a: a + 300,
        lambda a: a / -2,
        lambda a: (-3) ** a,
    ],
)
def test_uint8_with_an_out_of_range_python_int_wraps_as_in_torch(fn):
    ours, theirs = _both(fn, np.array([0, 3, 4], dtype=np.uint8))
    assert ours.dtype == {torch.uint8: np.uint8, torch.float32: np.float32}[theirs.dtype]
    np.testing.assert_array_equal(ours.data, theirs.numpy())


@pytest.mark.parametrize(
    "index",
    [
        (-2, Ellipsis, slice(0, 1), True),  # torch (3, 1, 1); numpy (1, 3, 1)
        (0, True, slice(None), [1, 0]),
        (True, 0, [1, 0]),
        (0, False),
        (True, 1, None, [0]),
    ],
)
def test_a_bool_scalar_index_beside_ints_is_placed_as_torch_places_it(index):
    array = np.arange(24.0).reshape(4, 3, 2)
    x = Tensor(array, requires_grad=True)
    t = torch.tensor(array, requires_grad=True)
    ours, theirs = x[index], t[index]
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    g = np.random.default_rng(0).standard_normal(ours.shape)
    ours.backward(gradient=g)
    theirs.backward(torch.tensor(g))
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


@pytest.mark.parametrize("name", ["minimum", "maximum"])
def test_maximum_and_minimum_compare_in_the_result_dtype_as_torch(name):
    """The long fuzz found minimum(uint8 [2, 1, 1], int32 0-d -3) = [253, 253, 253]: numpy
    compared in int32 and wrapped; torch reads -3 as uint8 (253) first and compares."""
    a, b = np.array([[2, 1, 250]], dtype=np.uint8), np.array(-3, dtype=np.int32)
    ours = getattr(autograd, name)(Tensor(a), Tensor(b))
    theirs = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
    assert ours.dtype == np.uint8 and ours.tolist() == theirs.tolist()
