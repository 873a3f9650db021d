"""Creation functions against torch: values, shapes, dtypes and errors, one family per test."""

import numpy as np
import pytest
import torch

import autograd
from autograd import Tensor

TORCH_DTYPES = {
    torch.float32: np.float32,
    torch.float64: np.float64,
    torch.int64: np.int64,
    torch.int32: np.int32,
    torch.bool: np.bool_,
    torch.uint8: np.uint8,
}


def same(ours: Tensor, theirs: torch.Tensor, exact: bool = True, values: bool = True) -> None:
    assert isinstance(ours, Tensor)
    assert ours.dtype == np.dtype(TORCH_DTYPES[theirs.dtype]), (ours.dtype, theirs.dtype)
    assert ours.shape == tuple(theirs.shape)
    if not values:  # empty(): whatever the memory held
        return
    if exact:
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    else:
        # start + i * step differs by one rounding with and without a fused multiply-add, which
        # torch's kernels use on some CPUs and not others: one unit in the last place of the
        # largest operand is the portable bound
        eps = np.finfo(ours.dtype).eps if ours.dtype.kind == "f" else 0.0
        atol = 2 * eps * max(1.0, float(np.abs(theirs.numpy()).max(initial=0.0)))
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=2 * eps, atol=atol)


@pytest.mark.parametrize(
    "data",
    [
        1.5,
        3,
        True,
        [1.0, 2.0],
        [[1, 2], [3, 4]],
        [True, False],
        [],
        np.float64(2.0),
        np.arange(6, dtype=np.int32).reshape(2, 3),
        np.ones(3, dtype=np.float64),
    ],
)
def test_tensor_infers_torch_dtypes_and_copies(data):
    ours, theirs = autograd.tensor(data), torch.tensor(data)
    same(ours, theirs)
    if isinstance(data, np.ndarray):
        ours.data[...] = 0  # a copy: the caller's array is untouched
        assert not np.array_equal(data, ours.data) or not data.any()


def test_tensor_takes_dtype_and_requires_grad():
    t = autograd.tensor([1, 2], dtype=np.float64, requires_grad=True)
    assert t.dtype == np.float64 and t.requires_grad and t.is_leaf
    with pytest.raises(RuntimeError, match="floating point"):
        autograd.tensor([1, 2], requires_grad=True)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([4],), (0,), ((),)])
@pytest.mark.parametrize("dtype", [None, torch.float64, torch.int64, torch.bool])
def test_zeros_ones_empty_take_sizes_as_ints_or_a_tuple(name, size, dtype):
    kwargs = {} if dtype is None else {"dtype": dtype}
    ours_kwargs = {} if dtype is None else {"dtype": TORCH_DTYPES[dtype]}
    ours = getattr(autograd, name)(*size, **ours_kwargs)
    theirs = getattr(torch, name)(*size, **kwargs)
    same(ours, theirs, values=name != "empty")


@pytest.mark.parametrize("value", [7, 7.5, True, -0.0, float("inf")])
def test_full_picks_the_dtype_of_its_value(value):
    same(autograd.full((2, 3), value), torch.full((2, 3), value))
    same(autograd.full([2], value, dtype=np.float64), torch.full([2], value, dtype=torch.float64))


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.bool_])
def test_like_functions_keep_shape_and_dtype(name, dtype):
    base = np.arange(6).reshape(2, 3).astype(dtype)
    ours = getattr(autograd, name)(Tensor(base))
    theirs = getattr(torch, name)(torch.from_numpy(base))
    same(ours, theirs, values=name != "empty_like")
    same(
        getattr(autograd, name)(Tensor(base), dtype=np.float64),
        getattr(torch, name)(torch.from_numpy(base), dtype=torch.float64),
        values=name != "empty_like",
    )


def test_full_like():
    base = np.zeros((2, 2), dtype=np.float64)
    same(autograd.full_like(Tensor(base), 2.5), torch.full_like(torch.from_numpy(base), 2.5))
    same(
        autograd.full_like(Tensor(base.astype(np.int64)), 2.9),
        torch.full_like(torch.from_numpy(base.astype(np.int64)), 2.9),
    )


@pytest.mark.parametrize(
    "args",
    [
        (5,),
        (0,),
        (2, 9),
        (2, 9, 3),
        (9, 2, -2),
        (0, 1, 0.1),
        (1, 2.5, 0.5),
        (-1.5, 1.5, 0.3),
        (0.1, 0.95, 0.2),
        (0.0, 1e-3, 1e-4),
        (3, 3),
        (5.0,),
        (10, 0, -0.7),
    ],
)
def test_arange_values_and_dtypes_match_torch(args):
    same(autograd.arange(*args), torch.arange(*args), exact=False)
    same(
        autograd.arange(*args, dtype=np.float64),
        torch.arange(*args, dtype=torch.float64),
        exact=False,
    )


def test_arange_counts_and_integers_are_exact():
    for args in [(5,), (2, 9, 3), (9, 2, -2), (0, 1, 0.1), (0.1, 0.95, 0.2), (-3, 7, 4)]:
        assert autograd.arange(*args).shape == tuple(torch.arange(*args).shape)
    same(autograd.arange(-3, 7, 4), torch.arange(-3, 7, 4))
    same(autograd.arange(2**40, 2**40 + 3), torch.arange(2**40, 2**40 + 3))


def test_arange_errors_name_the_problem():
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        autograd.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        autograd.arange(0, 5, -1)
    with pytest.raises(TypeError, match="end must be a number"):
        autograd.arange(0, "5")


@pytest.mark.parametrize(
    "args",
    [(0, 1, 5), (-1, 1, 7), (0, 1, 1), (0, 1, 0), (2.5, -3.1, 10), (0, 10, 11), (1e-3, 1, 33)],
)
def test_linspace_and_logspace_match_torch(args):
    same(autograd.linspace(*args), torch.linspace(*args), exact=False)
    same(
        autograd.linspace(*args, dtype=np.float64),
        torch.linspace(*args, dtype=torch.float64),
        exact=False,
    )
    same(autograd.logspace(*args), torch.logspace(*args), exact=False)
    same(
        autograd.logspace(*args, base=2.0, dtype=np.float64),
        torch.logspace(*args, base=2.0, dtype=torch.float64),
        exact=False,
    )


def test_linspace_ends_are_exact():
    t = autograd.linspace(0.1, 0.7, 13)
    assert t.data[0] == np.float32(0.1) and t.data[-1] == np.float32(0.7)


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,)])
def test_eye_matches_torch(args):
    same(autograd.eye(*args), torch.eye(*args))
    same(autograd.eye(*args, dtype=np.int64), torch.eye(*args, dtype=torch.int64))


def test_sizes_are_checked():
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        autograd.zeros(2, -1)
    with pytest.raises(TypeError, match="size must be ints"):
        autograd.ones(2.5)
    with pytest.raises(RuntimeError, match="eye: n must be greater or equal to 0"):
        autograd.eye(-1)


def test_created_tensors_are_leaves_that_train():
    w = autograd.zeros(3, requires_grad=True)
    (w * autograd.arange(3.0)).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [0.0, 1.0, 2.0])
    assert w.is_leaf and w.grad.dtype == np.float32


def test_the_function_tensor_does_not_hide_the_engine_modules():
    import autograd.tensor as tensor_module  # noqa: F401 -- the submodule still imports

    assert callable(autograd.tensor) and autograd.Tensor.__module__ == "autograd.tensor"


def test_torch_dtype_names_are_numpy_dtypes():
    pairs = {
        "float": "float32",
        "double": "float64",
        "long": "int64",
        "int": "int32",
        "half": "float16",
        "short": "int16",
        "bool": "bool",
        "uint8": "uint8",
    }
    for name, numpy_name in pairs.items():
        assert getattr(autograd, name) == np.dtype(numpy_name)
        assert str(getattr(torch, name)) == f"torch.{numpy_name}"
    assert autograd.zeros(2, dtype=autograd.long).dtype == np.int64
    assert autograd.get_default_dtype() == np.float32 and torch.get_default_dtype() == torch.float32
    assert "float" not in autograd.__all__  # `from autograd import *` keeps Python's float


def test_device_cpu_is_accepted_and_others_refused():
    dev = autograd.device("cpu")
    assert dev == autograd.device("cpu:0") and repr(dev) == repr(torch.device("cpu"))
    assert autograd.ones(2, device=dev).shape == (2,)
    assert autograd.randn(2, device="cpu").shape == (2,)
    with pytest.raises(RuntimeError, match="only the CPU"):
        autograd.zeros(2, device="cuda")
