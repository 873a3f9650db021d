"""Tensor basics against PyTorch: construction, conversions, repr, comparisons, errors, and the
arithmetic primitives (``+ - * / **`` with broadcasting, ``@`` over all ranks) checked forward,
first and second order against PyTorch float64 over hypothesis-drawn shapes.
"""

import operator
from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Tensor

seeds = st.integers(0, 2**32 - 1)


# -- construction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1.5, np.float32),
        ([1.0, 2.0], np.float32),
        ([[1, 2.5], [3, 4]], np.float32),
        (3, np.int64),
        ([1, 2, 3], np.int64),
        (True, np.bool_),
        ([True, False], np.bool_),
        (np.array([1.0, 2.0]), np.float64),
        (np.array([1.0, 2.0], dtype=np.float32), np.float32),
        (np.array([1, 2], dtype=np.int32), np.int32),
        (np.array(2.5), np.float64),
    ],
)
def test_construction_dtypes_follow_torch(data, dtype):
    t = Tensor(data)
    assert t.dtype == dtype
    assert str(torch.tensor(data).dtype) == f"torch.{np.dtype(dtype).name}".replace("bool_", "bool")
    np.testing.assert_array_equal(t.data, np.asarray(data))


def test_numpy_scalars_keep_their_dtype_as_in_torch():
    for scalar in [np.float64(2.5), np.float32(2.5), np.int32(3), np.bool_(True)]:
        expected = str(torch.tensor(scalar).dtype).removeprefix("torch.")
        assert str(Tensor(scalar).dtype) == expected


def test_dtype_argument():
    assert Tensor([1, 2], dtype=np.float64).dtype == np.float64
    assert Tensor([1.5, 2.5], dtype=np.float64).data.tolist() == [1.5, 2.5]
    assert Tensor(np.arange(3), dtype=np.float32).dtype == np.float32
    assert Tensor([1.7], dtype="float16").dtype == np.float16
    assert Tensor(np.array([1.0, 2.0]), dtype=np.int64).data.tolist() == [1, 2]


def test_a_list_of_non_numbers_is_a_clear_error():
    with pytest.raises(TypeError, match="Tensor"):
        Tensor(["a", object()])


def test_data_grad_and_flags_of_a_new_tensor():
    array = np.array([1.0, 2.0])
    t = Tensor(array, requires_grad=True)
    # a copy, as torch.tensor: the caller's array and the tensor do not change each other
    assert t.data is not array and t.data.dtype == array.dtype
    np.testing.assert_array_equal(t.data, array)
    assert t.grad is None
    assert t.requires_grad and t.is_leaf and t.grad_fn is None
    assert t.parents == () and t.op == ""
    assert Tensor(t).data is not t.data and not Tensor(t).requires_grad
    np.testing.assert_array_equal(Tensor(t).data, array)


def test_shape_ndim_dtype_size_numel():
    t = Tensor(np.zeros((2, 3, 4)))
    assert t.shape == (2, 3, 4) and isinstance(t.shape, tuple)
    assert t.ndim == 3 and t.dtype == np.float64
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.numel() == 24
    assert Tensor(5.0).shape == () and Tensor(5.0).ndim == 0


def test_transpose_property_T():
    a = np.arange(6.0).reshape(2, 3)
    t = Tensor(a, requires_grad=True)
    assert t.T.shape == (3, 2)
    np.testing.assert_array_equal(t.T.data, a.T)
    (t.T * Tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    np.testing.assert_array_equal(t.grad.data, np.arange(6.0).reshape(3, 2).T)


# -- conversions ---------------------------------------------------------------------------------


def test_item():
    assert Tensor(2.5).item() == 2.5 and isinstance(Tensor(2.5).item(), float)
    assert Tensor([[7]]).item() == 7 and isinstance(Tensor([[7]]).item(), int)
    assert Tensor(True).item() is True
    with pytest.raises((ValueError, RuntimeError), match="one element"):
        Tensor([1.0, 2.0]).item()


def test_numpy_shares_memory_and_refuses_tensors_that_require_grad():
    t = Tensor(np.array([1.0, 2.0]))
    assert t.numpy() is t.data
    r = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        r.numpy()
    assert r.detach().numpy() is r.data


def test_tolist_asarray_len_float_int_bool():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert np.asarray(t).dtype == np.float32
    np.testing.assert_array_equal(np.asarray(t), t.data)
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert len(t) == 2 and len(Tensor(np.zeros((0, 3)))) == 0
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))
    assert float(Tensor([2.5])) == 2.5 and int(Tensor(3)) == 3
    assert bool(Tensor([1.0])) and not bool(Tensor(0.0))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))


# -- repr ------------------------------------------------------------------------------------


REPR_CASES = {
    "floats": lambda T: T([1.0, 2.0]),
    "requires grad": lambda T: T([1.0, 2.0], requires_grad=True),
    "scalar": lambda T: T(3.0),
    "ints": lambda T: T([1, 2]),
    "bools": lambda T: T([True, False]),
    "matrix": lambda T: T([[1.0, 2.0], [3.0, 4.0]]),
    "negative": lambda T: T([[-1.0, 2.0], [3.0, -40.0]]),
    "empty": lambda T: T([]),
    "nan inf": lambda T: T([float("nan"), float("inf"), 1.0]),
    "fractions": lambda T: T([1.5, 2.25]),
    "fraction scalar": lambda T: T(0.1),
    "mixed fractions": lambda T: T([1.123456789, 2.0, -3.5]),
    "small and large": lambda T: T([0.1, 1e-5, 100.0]),
    "huge": lambda T: T([1e10, 1.0]),
}


@pytest.mark.parametrize("case", list(REPR_CASES))
def test_repr_matches_torch(case):
    make = REPR_CASES[case]
    assert repr(make(Tensor)) == repr(make(torch.tensor))


def test_repr_names_non_default_dtypes_and_the_grad_fn():
    assert repr(Tensor(np.array([1.0, 2.0]))) == "tensor([1., 2.], dtype=float64)"
    assert repr(Tensor(np.array([1, 2], dtype=np.int32))) == "tensor([1, 2], dtype=int32)"
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    assert repr(y).startswith("tensor([2., 4.], grad_fn=<Mul")


# -- comparisons -------------------------------------------------------------------------------


COMPARISONS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@pytest.mark.parametrize("op", list(COMPARISONS))
def test_comparisons_give_bool_tensors_without_grad(op):
    a_np, b_np = np.array([1.0, 2.0, 3.0]), np.array([[3.0], [2.0]])
    a, b = Tensor(a_np, requires_grad=True), Tensor(b_np, requires_grad=True)
    ta, tb = torch.tensor(a_np), torch.tensor(b_np)
    compare = COMPARISONS[op]
    for ours, theirs in [
        (compare(a, b), compare(ta, tb)),  # broadcasting
        (compare(a, 2.0), compare(ta, 2.0)),  # a number on the right
        (compare(2.0, a), compare(2.0, ta)),  # and on the left
    ]:
        assert isinstance(ours, Tensor) and ours.dtype == np.bool_
        assert not ours.requires_grad and ours.grad_fn is None
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_tensors_stay_hashable():
    a, b = Tensor([1.0]), Tensor([1.0])
    assert len({a, b}) == 2 and {a: 1}[a] == 1


# -- arithmetic with numbers and arrays, errors ------------------------------------------------


NUMBER_OPS = {
    "t + 2": (lambda t: t + 2, lambda t: t + 2),
    "2 + t": (lambda t: 2 + t, lambda t: 2 + t),
    "t - 2": (lambda t: t - 2, lambda t: t - 2),
    "2 - t": (lambda t: 2 - t, lambda t: 2 - t),
    "t * 2.5": (lambda t: t * 2.5, lambda t: t * 2.5),
    "2.5 * t": (lambda t: 2.5 * t, lambda t: 2.5 * t),
    "t / 4": (lambda t: t / 4, lambda t: t / 4),
    "4 / t": (lambda t: 4 / t, lambda t: 4 / t),
    "t ** 3": (lambda t: t**3, lambda t: t**3),
    "t ** 0.5": (lambda t: t**0.5, lambda t: t**0.5),
    "2 ** t": (lambda t: 2**t, lambda t: 2**t),
    "-t": (lambda t: -t, lambda t: -t),
    "t + array": (lambda t: t + np.arange(3.0), lambda t: t + torch.arange(3.0)),
    "array - t": (lambda t: np.arange(3.0) - t, lambda t: torch.arange(3.0) - t),
    "array * t": (lambda t: np.full((2, 1), 3.0) * t, lambda t: torch.full((2, 1), 3.0) * t),
    "t / array": (lambda t: t / np.arange(1.0, 4.0), lambda t: t / torch.arange(1.0, 4.0)),
    "array @ t": (lambda t: np.ones((2, 3)) @ t, lambda t: torch.ones(2, 3) @ t),
}


@pytest.mark.parametrize("name", list(NUMBER_OPS))
def test_arithmetic_with_numbers_and_arrays_on_either_side(name):
    ours_fn, theirs_fn = NUMBER_OPS[name]
    data = np.array([0.5, 1.5, 2.0], dtype=np.float32)
    t = Tensor(data, requires_grad=True)
    tt = torch.tensor(data, requires_grad=True)
    out, expected = ours_fn(t), theirs_fn(tt)
    assert isinstance(out, Tensor) and out.requires_grad
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-6)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-5)
    assert t.grad.dtype == np.float32


def test_float32_stays_float32_with_python_numbers():
    t = Tensor([1.0, 2.0])
    for out in [t + 1, 1 + t, t * 2.5, 2.5 / t, t**2, 2**t, t - 0.5]:
        assert out.dtype == np.float32


PROMOTIONS = {
    "int / int": lambda T: T([1, 2]) / 2,
    "int * float": lambda T: T([1, 2]) * 1.5,
    "int + float32 tensor": lambda T: T([1, 2]) + T([1.5, 2.0]),
    "float32 + 0-d float64": lambda T: T([1.0, 2.0]) + T(np.array(2.0)),
    "int + int": lambda T: T([1, 2]) + T([3, 4]),
    "bool * int": lambda T: T([True, False]) * T([3, 4]),
}


@pytest.mark.parametrize("name", list(PROMOTIONS))
def test_result_dtypes_follow_torch_promotion(name):
    fn = PROMOTIONS[name]
    expected = str(fn(torch.tensor).dtype).removeprefix("torch.")
    assert str(fn(Tensor).dtype) == expected


def test_operand_of_an_unsupported_type_is_a_type_error():
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="'Tensor' and 'str'"):
        t + "a"
    with pytest.raises(TypeError, match="'str'"):
        "a" * t
    with pytest.raises(TypeError, match="@"):
        t @ 2.0


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
def test_broadcast_errors_name_both_shapes(op):
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 1, 2)))
    with pytest.raises(ValueError, match="cannot be broadcast") as info:
        BINARY[op][0](a, b)
    message = str(info.value)
    assert "(2, 3)" in message and "(4, 1, 2)" in message


@pytest.mark.parametrize(
    "shape_a, shape_b, mismatch",
    [
        ((3, 4), (5, 2), ("4", "5")),
        ((4,), (3,), ("4", "3")),
        ((2, 3, 4), (6, 2), ("4", "6")),
        ((7,), (2, 3, 5), ("7", "3")),
    ],
)
def test_matmul_errors_name_shapes_and_mismatched_dims(shape_a, shape_b, mismatch):
    with pytest.raises(ValueError, match="not aligned") as info:
        Tensor(np.ones(shape_a)) @ Tensor(np.ones(shape_b))
    message = str(info.value)
    assert str(shape_a) in message and str(shape_b) in message
    assert f"{mismatch[0]} (dim" in message and f"!= {mismatch[1]} (dim" in message


def test_matmul_errors_for_scalars_and_batch_dims():
    with pytest.raises(ValueError, match="at least 1 dimension"):
        Tensor(2.0) @ Tensor(np.ones(3))
    with pytest.raises(ValueError, match=r"batch dimensions.*\(2, 3, 4\).*\(5, 4, 2\)"):
        Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((5, 4, 2)))


# -- forward, first and second order against torch (float64) -----------------------------------


check_against_torch = partial(
    torch_oracle.check_against_torch,
    tol={"rtol": 1e-10, "atol": 1e-10},
    forward_tol=torch_oracle.TIGHT,
    second_tol={"rtol": 1e-9, "atol": 1e-9},
    float64=True,
)


def _away_from_zero(array):
    """Values with |x| >= 0.5: safe denominators."""
    return np.asarray(np.where(array < 0, array - 0.5, array + 0.5))


BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b),
    "-": (lambda a, b: a - b, lambda a, b: a - b),
    "*": (lambda a, b: a * b, lambda a, b: a * b),
    "/": (lambda a, b: a / b, lambda a, b: a / b),
    "**": (lambda a, b: a**b, lambda a, b: a**b),
}


@settings(max_examples=30, deadline=None)
@given(
    op=st.sampled_from(sorted(BINARY)),
    shapes=hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=4, min_side=0, max_side=3
    ),
    seed=seeds,
)
def test_binary_ops_with_broadcasting_match_torch(op, shapes, seed):
    rng = np.random.default_rng(seed)
    shape_a, shape_b = shapes.input_shapes
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    if op == "/":
        b = _away_from_zero(b)
    if op == "**":
        a = np.asarray(np.abs(a) + 0.5)  # a positive base: real powers and logs
    ours, theirs = BINARY[op]
    check_against_torch(ours, theirs, [a, b], rng)


@settings(max_examples=20, deadline=None)
@given(
    op=st.sampled_from(sorted(BINARY)),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
    number=st.floats(-3, 3).filter(lambda v: abs(v) > 0.1),
    number_first=st.booleans(),
    seed=seeds,
)
def test_binary_ops_with_a_number_match_torch(op, shape, number, number_first, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if op == "/" and number_first:
        a = _away_from_zero(a)
    if op == "**":
        if number_first:
            number = abs(number)
        else:
            a = np.asarray(np.abs(a) + 0.5)
    ours, theirs = BINARY[op]
    if number_first:
        check_against_torch(lambda t: ours(number, t), lambda t: theirs(number, t), [a], rng)
    else:
        check_against_torch(lambda t: ours(t, number), lambda t: theirs(t, number), [a], rng)


@st.composite
def matmul_shapes(draw):
    """Shapes of ``a @ b``: 1-D, 2-D, batched and mixed ranks, with broadcast batch dims."""
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(0, 3)), draw(st.integers(1, 3))
    batch = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3)
    )
    batch_a, batch_b = batch.input_shapes
    vector_a, vector_b = draw(st.booleans()), draw(st.booleans())
    if vector_a and vector_b:
        vector_b = False  # vector @ vector is tested on its own below
    shape_a = (k,) if vector_a else batch_a + (n, k)
    shape_b = (k,) if vector_b else batch_b + (k, m)
    return shape_a, shape_b


@settings(max_examples=40, deadline=None)
@given(shapes=matmul_shapes(), seed=seeds)
def test_matmul_over_ranks_matches_torch(shapes, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    check_against_torch(lambda x, y: x @ y, lambda x, y: x @ y, [a, b], rng)


@pytest.mark.parametrize("k", [1, 4])
def test_matmul_of_two_vectors_matches_torch(k):
    rng = np.random.default_rng(k)
    a, b = rng.standard_normal(k), rng.standard_normal(k)
    check_against_torch(lambda x, y: x @ y, lambda x, y: x @ y, [a, b], rng)


def test_matmul_method_and_reflected_matmul():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(3.0)
    np.testing.assert_array_equal(Tensor(a).matmul(Tensor(b)).data, a @ b)
    np.testing.assert_array_equal((Tensor(a) @ b).data, a @ b)
    np.testing.assert_array_equal((a @ Tensor(b)).data, a @ b)


def test_a_tensor_used_on_both_sides_of_an_op():
    x = Tensor(np.array([1.5, -2.0]), requires_grad=True)
    tx = torch.tensor([1.5, -2.0], dtype=torch.float64, requires_grad=True)
    out = (x * x / (x + 3) - x + (x + 4) ** x).sum()
    tout = (tx * tx / (tx + 3) - tx + (tx + 4) ** tx).sum()
    out.backward()
    tout.backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)
