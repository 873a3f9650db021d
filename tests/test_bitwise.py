"""``&``, ``|``, ``^`` (and ``bitwise_*``) against torch: values and dtypes over a dtype grid with
Python numbers and 0-d tensors, torch's refusal of floats; not differentiable."""

import numpy as np
import pytest
import torch

import autograd

DTYPES = ["bool", "uint8", "int8", "int32", "int64"]
OPS = [("bitwise_and", "__and__"), ("bitwise_or", "__or__"), ("bitwise_xor", "__xor__")]


def _pair(dtype: str, values):
    array = np.array(values).astype(dtype)
    return autograd.tensor(array), torch.tensor(array)


def _same(ours, theirs):
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("name, dunder", OPS)
@pytest.mark.parametrize("left", DTYPES)
@pytest.mark.parametrize("right", DTYPES + ["int 0-d", "python int", "python bool", "big int"])
def test_matches_torch_over_a_dtype_grid(name, dunder, left, right):
    a, ta = _pair(left, [0, 1, 5, 255, -3] if left != "bool" else [0, 1, 1, 0, 1])
    if right in DTYPES:
        b, tb = _pair(right, [1, 3, 6, 7, 250] if right != "bool" else [1, 0, 1, 1, 0])
    elif right == "int 0-d":
        b, tb = autograd.tensor(6), torch.tensor(6)
    else:
        b = tb = {"python int": 6, "python bool": True, "big int": 258}[right]
    _same(getattr(a, dunder)(b), getattr(ta, dunder)(tb))
    _same(getattr(autograd, name)(a, b), getattr(torch, name)(ta, tb))


@pytest.mark.parametrize("dunder", ["__and__", "__or__", "__xor__"])
def test_a_number_on_the_left(dunder):
    reflected = "__r" + dunder[2:]
    a, ta = _pair("int64", [1, 2, 12])
    _same(getattr(a, reflected)(6), getattr(ta, reflected)(6))
    assert (6 & a).tolist() == (6 & ta).tolist()


def test_masks_combine_as_in_torch():
    x = autograd.tensor([-1.0, 0.5, 2.0, 0.9], requires_grad=True)
    mask = (x > 0) & (x < 1) | (x == 2.0)
    assert mask.tolist() == [False, True, True, True] and not mask.requires_grad
    assert (~mask).tolist() == [True, False, False, False]


@pytest.mark.parametrize("dunder", ["__and__", "__or__", "__xor__"])
def test_floats_are_refused_with_torchs_message(dunder):
    name = {"__and__": "bitwise_and", "__or__": "bitwise_or", "__xor__": "bitwise_xor"}[dunder]
    with pytest.raises(NotImplementedError, match=f"\"{name}_cpu\" not implemented for 'Float'"):
        getattr(autograd.tensor([1.0]), dunder)(1)
    with pytest.raises(NotImplementedError, match="'Float'"):
        getattr(autograd.tensor([1]), dunder)(autograd.tensor([1.0]))
    with pytest.raises(NotImplementedError, match="'Float'"):
        getattr(autograd.tensor([1]), dunder)(1.5)  # a float number promotes to float
    with pytest.raises(TypeError, match="must be a Tensor or a number, not str"):
        getattr(autograd.tensor([1]), dunder)("1")
