"""nn.init against torch.nn.init: gains, fans, bounds and statistics, in place and seeded."""

import math
import warnings

import numpy as np
import pytest
import torch

from autograd import Tensor
from nn import Parameter, init

NONLINEARITIES = [
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_calculate_gain_matches_torch(nonlinearity):
    assert init.calculate_gain(nonlinearity) == torch.nn.init.calculate_gain(nonlinearity)


@pytest.mark.parametrize("slope", [0, 0.2, 1, math.sqrt(5)])
def test_leaky_relu_gain_with_a_slope_matches_torch(slope):
    assert init.calculate_gain("leaky_relu", slope) == torch.nn.init.calculate_gain(
        "leaky_relu", slope
    )


def test_calculate_gain_errors_match_torch():
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


@pytest.mark.parametrize("shape", [(5, 3), (8, 4, 3, 3), (6, 2, 5), (1, 7)])
def test_fans_match_torch_for_linear_and_conv_weights(shape):
    ours = init._calculate_fan_in_and_fan_out(Tensor(np.zeros(shape, np.float32)))
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))
    assert ours == theirs


@pytest.mark.parametrize(
    "fn", [init.xavier_uniform_, init.xavier_normal_, init.kaiming_uniform_, init.kaiming_normal_]
)
@pytest.mark.parametrize("shape", [(4,), ()])
def test_fan_of_fewer_than_two_dims_is_refused_as_torch(fn, shape):
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        fn(Tensor(np.zeros(shape, np.float32)))


def test_kaiming_mode_is_checked():
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(Tensor(np.zeros((2, 2), np.float32)), mode="fan_avg")


def sample(shape=(400, 300), dtype=np.float32):
    return Parameter(np.zeros(shape, dtype))


def test_uniform_and_normal_statistics():
    np.random.seed(0)
    t = init.uniform_(sample(), -2.0, 3.0)
    assert t.data.min() >= -2.0 and t.data.max() < 3.0
    assert t.data.mean() == pytest.approx(0.5, abs=0.02)
    assert t.data.std() == pytest.approx(5 / math.sqrt(12), rel=0.01)
    t = init.normal_(sample(), mean=1.5, std=0.5)
    assert t.data.mean() == pytest.approx(1.5, abs=0.005)
    assert t.data.std() == pytest.approx(0.5, rel=0.01)
    t = init.uniform_(sample())  # defaults U(0, 1)
    assert 0.0 <= t.data.min() and t.data.max() < 1.0


def test_constants():
    t = sample((3, 2))
    assert init.constant_(t, 0.25) is t
    np.testing.assert_array_equal(t.data, 0.25)
    np.testing.assert_array_equal(init.ones_(t).data, 1.0)
    np.testing.assert_array_equal(init.zeros_(t).data, 0.0)
    counts = Tensor(np.ones(3, dtype=np.int64))
    assert init.zeros_(counts).data.dtype == np.int64  # constants fill any dtype


@pytest.mark.parametrize("shape", [(400, 300), (64, 32, 3, 3)])
@pytest.mark.parametrize("gain", [1.0, math.sqrt(2)])
def test_xavier_uniform_bound_and_std(shape, gain):
    np.random.seed(1)
    t = init.xavier_uniform_(sample(shape), gain=gain)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(t.data).max() <= bound
    assert np.abs(t.data).max() > 0.99 * bound  # it uses the whole range
    assert t.data.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    reference = torch.nn.init.xavier_uniform_(torch.empty(shape), gain=gain)
    assert t.data.std() == pytest.approx(reference.std().item(), rel=0.03)


@pytest.mark.parametrize("shape", [(400, 300), (64, 32, 3, 3)])
def test_xavier_normal_std(shape):
    np.random.seed(2)
    t = init.xavier_normal_(sample(shape), gain=2.0)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))
    assert t.data.mean() == pytest.approx(0.0, abs=0.01)
    assert t.data.std() == pytest.approx(2.0 * math.sqrt(2.0 / (fan_in + fan_out)), rel=0.02)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize(
    "a, nonlinearity", [(0, "relu"), (0, "leaky_relu"), (math.sqrt(5), "leaky_relu"), (0, "tanh")]
)
def test_kaiming_uniform_bound_and_std(mode, a, nonlinearity):
    np.random.seed(3)
    shape = (64, 32, 3, 3)
    t = init.kaiming_uniform_(sample(shape), a=a, mode=mode, nonlinearity=nonlinearity)
    fan = 32 * 9 if mode == "fan_in" else 64 * 9
    bound = torch.nn.init.calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    assert np.abs(t.data).max() <= bound and np.abs(t.data).max() > 0.99 * bound
    assert t.data.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    reference = torch.nn.init.kaiming_uniform_(
        torch.empty(shape), a=a, mode=mode, nonlinearity=nonlinearity
    )
    assert t.data.std() == pytest.approx(reference.std().item(), rel=0.03)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming_normal_std(mode):
    np.random.seed(4)
    shape = (300, 200)
    t = init.kaiming_normal_(sample(shape), mode=mode, nonlinearity="relu")
    fan = 200 if mode == "fan_in" else 300
    assert t.data.std() == pytest.approx(math.sqrt(2.0) / math.sqrt(fan), rel=0.02)


def test_linear_default_initialisation_bound():
    """PyTorch's Linear: kaiming_uniform_(a=sqrt(5)) gives the bound 1/sqrt(fan_in)."""
    np.random.seed(5)
    t = init.kaiming_uniform_(sample((50, 40)), a=math.sqrt(5))
    assert np.abs(t.data).max() <= 1 / math.sqrt(40)
    assert np.abs(t.data).max() > 0.99 / math.sqrt(40)


def test_in_place_dtype_kept_and_reproducible_with_numpy_seed():
    t = sample((20, 10), dtype=np.float64)
    array = t.data
    np.random.seed(6)
    assert init.xavier_uniform_(t) is t
    assert t.data is array and t.data.dtype == np.float64
    first = array.copy()
    np.random.seed(6)
    init.xavier_uniform_(t)
    np.testing.assert_array_equal(t.data, first)
    assert t.requires_grad and t.is_leaf and t.grad is None  # no graph recorded
    f32 = sample((20, 10))
    np.random.seed(6)
    assert init.xavier_uniform_(f32).data.dtype == np.float32
    # each dtype draws as torch's uniform_ does (24 bits for float32, 53 for float64), so the
    # seed that np.random.seed and autograd.manual_seed share gives torch's numbers, to the
    # last bit but one: torch computes x * (b - a) + a with a fused multiply-add on some CPUs
    for ours, dtype in ((first, torch.float64), (f32.data, torch.float32)):
        torch.manual_seed(6)
        theirs = torch.nn.init.xavier_uniform_(torch.empty(20, 10, dtype=dtype)).numpy()
        eps = np.finfo(theirs.dtype).eps
        np.testing.assert_allclose(ours, theirs, rtol=2 * eps, atol=2 * eps * np.abs(theirs).max())


def test_ndarrays_fill_too_and_other_things_are_refused():
    array = np.zeros((3, 3))
    assert init.ones_(array) is array and array.sum() == 9
    with pytest.raises(TypeError, match="expected a Tensor"):
        init.normal_([0.0, 1.0])
    with pytest.raises(TypeError, match="floating point"):
        init.uniform_(Tensor(np.zeros(3, np.int64)))


def test_kaiming_on_zero_elements_warns_and_does_nothing_as_torch():
    t = sample((0, 3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert init.kaiming_uniform_(t) is t
        init.kaiming_normal_(t)
    assert [str(w.message) for w in caught] == ["Initializing zero-element tensors is a no-op"] * 2
