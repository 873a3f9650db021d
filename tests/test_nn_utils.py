"""nn.utils against torch.nn.utils: gradient clipping and parameters as one vector, float64."""

import numpy as np
import pytest
import torch

import nn
from autograd import Tensor, Value
from nn.parameter import Parameter
from nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    parameters_to_vector,
    vector_to_parameters,
)

TIGHT = {"rtol": 1e-12, "atol": 1e-12}


def _pairs(rng, shapes, scale=1.0, without_grad=()):
    """Parameters with random gradients, ours and torch's with the same numbers."""
    ours, theirs = [], []
    for i, shape in enumerate(shapes):
        data = rng.standard_normal(shape)
        p, t = Parameter(data.copy()), torch.nn.Parameter(torch.tensor(data))
        if i not in without_grad:
            g = rng.standard_normal(shape) * scale
            p.grad, t.grad = Tensor(g.copy()), torch.tensor(g)
        ours.append(p)
        theirs.append(t)
    return ours, theirs


def test_utils_is_a_package_of_nn():
    assert nn.utils.clip_grad_norm_ is clip_grad_norm_
    assert nn.utils.vector_to_parameters is vector_to_parameters


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, 0.5, float("inf"), "inf", -float("inf"), 0])
@pytest.mark.parametrize("max_norm", [0.3, 1e6])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    rng = np.random.default_rng(0)
    ours, theirs = _pairs(rng, [(3, 4), (4,), (2, 2, 2), (5,)], scale=2.0, without_grad=(3,))
    total = clip_grad_norm_(iter(ours), max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(iter(theirs), max_norm, norm_type=norm_type)
    assert isinstance(total, Tensor) and total.shape == () and total.dtype == np.float64
    np.testing.assert_allclose(total.data, expected.numpy(), **TIGHT)
    for p, t in zip(ours, theirs):
        if t.grad is None:
            assert p.grad is None
        else:
            np.testing.assert_allclose(p.grad.data, t.grad.numpy(), **TIGHT)


def test_clip_grad_norm_changes_the_gradient_arrays_in_place_and_takes_one_tensor():
    rng = np.random.default_rng(1)
    (p,), (t,) = _pairs(rng, [(6,)], scale=10.0)
    array = p.grad.data
    total = clip_grad_norm_(p, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(t, 1.0)
    assert p.grad.data is array
    np.testing.assert_allclose(total.data, expected.numpy(), **TIGHT)
    np.testing.assert_allclose(array, t.grad.numpy(), **TIGHT)
    assert np.linalg.norm(array) == pytest.approx(1.0, rel=1e-5)


def test_clip_grad_norm_float32_and_no_gradients():
    total = clip_grad_norm_([Parameter(np.zeros(3, dtype=np.float32))], 1.0)
    assert total.dtype == np.float32 and total.item() == 0.0
    p = Parameter(np.ones(3, dtype=np.float32))
    p.grad = Tensor(np.array([3.0, 4.0, 0.0], dtype=np.float32))
    total = clip_grad_norm_([p], 1.0)
    assert total.dtype == np.float32 and p.grad.dtype == np.float32
    assert total.item() == pytest.approx(5.0)


def test_clip_grad_norm_nonfinite():
    p = Parameter(np.zeros(2))
    p.grad = Tensor(np.array([np.inf, 1.0]))
    with pytest.raises(RuntimeError, match="is non-finite, so it cannot be clipped"):
        clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    t = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    t.grad = torch.tensor([np.inf, 1.0], dtype=torch.float64)
    total = clip_grad_norm_([p], 1.0)
    expected = torch.nn.utils.clip_grad_norm_([t], 1.0)
    assert np.isinf(total.item()) and np.isinf(expected.item())
    np.testing.assert_array_equal(p.grad.data, t.grad.numpy())  # nan where torch has nan


def test_clip_grad_norm_on_scalar_values():
    # micrograd's parameters: the gradient is a float, written back after scaling
    a, b = Value(1.0), Value(2.0)
    a.grad, b.grad = 3.0, 4.0
    total = clip_grad_norm_([a, b], 1.0)
    assert total.item() == pytest.approx(5.0)
    assert (a.grad, b.grad) == pytest.approx((0.6, 0.8), rel=1e-6)


def test_clip_grad_norm_misuse():
    with pytest.raises(TypeError, match="iterable of parameters"):
        clip_grad_norm_(3.0, 1.0)
    with pytest.raises(TypeError, match="foreach"):
        clip_grad_norm_([], 1.0, foreach="yes")


@pytest.mark.parametrize("clip_value", [0.5, 3])
def test_clip_grad_value_matches_torch(clip_value):
    rng = np.random.default_rng(2)
    ours, theirs = _pairs(rng, [(3, 4), (5,), (2,)], scale=2.0, without_grad=(2,))
    arrays = [p.grad.data for p in ours if p.grad is not None]
    assert clip_grad_value_(ours, clip_value) is None
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    for p, t in zip(ours, theirs):
        if t.grad is None:
            assert p.grad is None
        else:
            np.testing.assert_array_equal(p.grad.data, t.grad.numpy())
    assert arrays[0] is ours[0].grad.data  # in place
    a = Value(0.0)
    a.grad = -7.0
    clip_grad_value_([a], clip_value)
    assert a.grad == -clip_value


def test_parameters_to_vector_matches_torch_and_is_differentiable():
    rng = np.random.default_rng(3)
    ours, theirs = _pairs(rng, [(3, 4), (4,), (2, 1, 3)], without_grad=(0, 1, 2))
    vec = parameters_to_vector(ours)
    expected = torch.nn.utils.parameters_to_vector(theirs)
    np.testing.assert_array_equal(vec.data, expected.detach().numpy())
    weights = rng.standard_normal(vec.shape)
    (vec * vec * Tensor(weights)).sum().backward()
    (expected * expected * torch.tensor(weights)).sum().backward()
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.data, t.grad.numpy(), **TIGHT)


def test_vector_to_parameters_matches_torch():
    rng = np.random.default_rng(4)
    ours, theirs = _pairs(rng, [(3, 4), (4,), (2, 1, 3)], without_grad=(0, 1, 2))
    arrays = [p.data for p in ours]
    versions = [p._version for p in ours]
    values = rng.standard_normal(12 + 4 + 6 + 2)  # two extra entries: ignored, as in torch
    vector_to_parameters(Tensor(values), ours)
    torch.nn.utils.vector_to_parameters(torch.tensor(values), theirs)
    for p, t, array, version in zip(ours, theirs, arrays, versions):
        assert p.data is array and p._version > version
        np.testing.assert_array_equal(p.data, t.detach().numpy())
    model = nn.Linear(3, 2)
    vector_to_parameters(parameters_to_vector(model.parameters()) * 0 + 1, model.parameters())
    assert model.weight.data.tolist() == [[1.0] * 3] * 2


def test_vector_to_parameters_misuse():
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: ndarray"):
        vector_to_parameters(np.zeros(3), [Parameter(np.zeros(3))])
    with pytest.raises(RuntimeError, match="has 2 entries but the parameters need 3"):
        vector_to_parameters(Tensor(np.zeros(2)), [Parameter(np.zeros(3))])
    with pytest.raises(TypeError, match="Tensors"):
        parameters_to_vector([np.zeros(2)])
