"""The small Tensor methods PyTorch code calls without thinking: conversions, new_*, *_as, mT."""

import numpy as np
import pytest
import torch

import autograd
from autograd import Tensor

DATA = np.arange(6, dtype=np.float64).reshape(2, 3) - 2.5


@pytest.mark.parametrize("name", ["int", "long", "half", "bool", "float", "double"])
def test_conversions_match_torch(name):
    ours, theirs = getattr(Tensor(DATA), name)(), getattr(torch.tensor(DATA), name)()
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_queries_match_torch():
    for dtype in (np.float32, np.int64, np.bool_, np.float16):
        x, t = Tensor(DATA.astype(dtype)), torch.tensor(DATA.astype(dtype))
        assert x.dim() == t.dim() and x.element_size() == t.element_size()
        assert x.is_floating_point() == t.is_floating_point()
        assert x.type_as(Tensor(np.zeros(1, np.float64))).dtype == np.float64
    x = Tensor(DATA)
    assert x.cpu() is x and x.contiguous() is x


@pytest.mark.parametrize("name", ["new_zeros", "new_ones", "new_empty"])
def test_new_factories_take_the_tensors_dtype(name):
    for dtype in (np.float64, np.int32):
        x, t = Tensor(DATA.astype(dtype)), torch.tensor(DATA.astype(dtype))
        for size in ((2, 3), ((4,),)):
            ours, theirs = getattr(x, name)(*size), getattr(t, name)(*size)
            assert ours.shape == tuple(theirs.shape) and ours.dtype == dtype
            if name != "new_empty":
                np.testing.assert_array_equal(ours.data, theirs.numpy())
        assert getattr(x, name)(2, dtype=np.float32).dtype == np.float32
    assert Tensor(DATA).new_zeros(2, requires_grad=True).requires_grad


def test_new_full_and_new_tensor():
    x, t = Tensor(DATA.astype(np.float32)), torch.tensor(DATA.astype(np.float32))
    np.testing.assert_array_equal(x.new_full((2, 2), 7).data, t.new_full((2, 2), 7).numpy())
    assert x.new_full((2,), 7).dtype == np.float32
    ours, theirs = x.new_tensor([1, 2]), t.new_tensor([1, 2])
    assert ours.dtype == np.float32 and str(theirs.dtype) == "torch.float32"
    assert ours.tolist() == theirs.tolist() and not ours.requires_grad


def test_as_methods_and_mT_are_differentiable_views():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    t = torch.tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    other, tother = Tensor(np.zeros((6, 4))), torch.zeros(6, 4)
    pairs = [
        (x.view_as(other), t.view_as(tother)),
        (x.reshape_as(other), t.reshape_as(tother)),
        (x.mT, t.mT),
        (Tensor(np.ones((1, 4))).expand_as(x), torch.ones(1, 4).expand_as(t)),
    ]
    for ours, theirs in pairs:
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    weights = np.random.default_rng(0).standard_normal((2, 4, 3))
    (x.mT * Tensor(weights)).sum().backward()
    (t.mT * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_uniform_and_normal_in_place_draw_torchs_numbers():
    for dtype, tdtype in ((np.float32, torch.float32), (np.float64, torch.float64)):
        autograd.manual_seed(9)
        torch.manual_seed(9)
        ours = autograd.zeros(40, dtype=dtype).uniform_(-2, 3).data
        theirs = torch.zeros(40, dtype=tdtype).uniform_(-2, 3).numpy()
        eps = np.finfo(dtype).eps
        np.testing.assert_allclose(ours, theirs, rtol=4 * eps, atol=4 * eps)
        ours = autograd.zeros(40, dtype=dtype).normal_(1, 3).data
        theirs = torch.zeros(40, dtype=tdtype).normal_(1, 3).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=16 * eps, atol=16 * eps)
    g = autograd.Generator().manual_seed(0)
    a = autograd.zeros(5).uniform_(generator=g).data
    np.testing.assert_array_equal(a, autograd.zeros(5).uniform_(generator=g.manual_seed(0)).data)


FUNCTIONS = {  # name -> arguments after the input
    "add": (2.0,),
    "sub": (1.5,),
    "mul": (3.0,),
    "div": (4.0,),
    "true_divide": (4.0,),
    "pow": (2,),
    "neg": (),
    "negative": (),
    "square": (),
    "exp": (),
    "log": (),
    "sqrt": (),
    "abs": (),
    "tanh": (),
    "sigmoid": (),
    "relu": (),
    "clamp": (0.5, 2.0),
    "clip": (0.5, 2.0),
    "sum": (),
    "mean": (),
    "var": (),
    "std": (),
    "max": (),
    "min": (),
    "argmax": (),
    "argmin": (),
    "logsumexp": (1,),
    "softmax": (1,),
    "log_softmax": (0,),
    "reshape": ((3, 2),),
    "flatten": (),
    "transpose": (0, 1),
    "t": (),
    "permute": ((1, 0),),
    "squeeze": (),
    "unsqueeze": (1,),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_top_level_functions_are_torchs(name):
    data = np.abs(DATA) + 0.5
    args = FUNCTIONS[name]
    ours, theirs = (
        getattr(autograd, name)(Tensor(data), *args),
        getattr(torch, name)(torch.tensor(data), *args),
    )
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    assert ours.shape == tuple(theirs.shape)
    with pytest.raises(TypeError, match="must be Tensor"):
        getattr(autograd, name)(data, *args)


def test_add_and_sub_take_alpha_and_matmul_mm_agree():
    a, b = np.arange(4.0).reshape(2, 2), np.ones((2, 2))
    for name in ("add", "sub"):
        ours = getattr(autograd, name)(Tensor(a), Tensor(b), alpha=3)
        np.testing.assert_array_equal(
            ours.data, getattr(torch, name)(torch.tensor(a), torch.tensor(b), alpha=3).numpy()
        )
    np.testing.assert_array_equal(
        autograd.mm(Tensor(a), Tensor(b)).data, torch.mm(torch.tensor(a), torch.tensor(b)).numpy()
    )
    assert "sum" not in autograd.__all__ and "tanh" in autograd.__all__  # builtins stay unshadowed
