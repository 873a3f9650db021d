"""nn.layers on their own: default initialisation, BatchNorm's modes and buffers, Dropout's
training and evaluation, dtypes, loss modules against nn.functional, and errors on misuse.

(The comparisons of whole models with torch.nn are in test_layers_torch_parity.py.)
"""

import math

import numpy as np
import pytest
import torch

import nn.functional as F
import nn.layers as L
from autograd import Tensor
from nn import Sequential

# -- default initialisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, fan_in",
    [
        (lambda lib: lib.Linear(300, 200), 300),
        (lambda lib: lib.Conv1d(6, 42, 5, groups=3), 2 * 5),
        (lambda lib: lib.Conv2d(8, 64, 3), 8 * 9),
        (lambda lib: lib.Conv2d(8, 64, (3, 5), groups=4, dilation=2), 2 * 15),
    ],
)
def test_default_init_is_uniform_within_torchs_bound(make, fan_in):
    np.random.seed(0)
    torch.manual_seed(0)
    ours, theirs = make(L), make(torch.nn)
    bound = 1 / math.sqrt(fan_in)
    for name, param in ours.named_parameters():
        values = param.data
        torch_values = getattr(theirs, name).detach().numpy()
        assert values.dtype == np.float32 and values.shape == torch_values.shape
        assert np.abs(torch_values).max() <= bound  # the bound is torch's
        assert np.abs(values).max() <= bound
        if values.size >= 1000:  # the distribution: U(-bound, bound)
            assert np.abs(values).max() > 0.99 * bound
            assert abs(values.mean()) < 0.05 * bound
            np.testing.assert_allclose(values.std(), bound / math.sqrt(3), rtol=0.05)
        else:
            assert np.abs(values).max() > 0.5 * bound


def test_init_is_seeded_by_numpy_and_reset_parameters_draws_again():
    np.random.seed(3)
    a = L.Conv2d(2, 3, 3)
    np.random.seed(3)
    b = L.Conv2d(2, 3, 3)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(a.bias.data, b.bias.data)
    weight = a.weight
    a.reset_parameters()
    assert a.weight is weight  # the same Parameter, refilled in place
    assert not np.array_equal(a.weight.data, b.weight.data)


@pytest.mark.parametrize("cls", [L.BatchNorm1d, L.BatchNorm2d])
def test_batch_norm_defaults(cls):
    bn = cls(5)
    np.testing.assert_array_equal(bn.weight.data, np.ones(5, np.float32))
    np.testing.assert_array_equal(bn.bias.data, np.zeros(5, np.float32))
    np.testing.assert_array_equal(bn.running_mean.data, np.zeros(5, np.float32))
    np.testing.assert_array_equal(bn.running_var.data, np.ones(5, np.float32))
    assert bn.num_batches_tracked.data.dtype == np.int64 and bn.num_batches_tracked.shape == ()
    assert int(bn.num_batches_tracked.data) == 0
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in bn.named_buffers()] == [
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert not bn.running_mean.requires_grad


def test_dtype_and_device_arguments():
    layers = [
        L.Linear(2, 3, dtype=np.float64),
        L.Conv1d(2, 2, 3, dtype="float64"),
        L.Conv2d(2, 2, 3, device="cpu", dtype=np.float64),
        L.BatchNorm2d(2, dtype=np.float64),
    ]
    for layer in layers:
        for name, tensor in layer.state_dict().items():
            expected = np.int64 if name == "num_batches_tracked" else np.float64
            assert tensor.dtype == expected, name
    with pytest.raises(ValueError, match="device 'cuda' is not available"):
        L.Linear(2, 3, device="cuda")
    with pytest.raises(TypeError, match="floating point dtype"):
        L.Conv2d(2, 2, 3, dtype=np.int64)


def test_model_to_float64_converts_parameters_and_running_stats_but_not_the_counter():
    model = Sequential(L.Conv2d(1, 2, 3), L.BatchNorm2d(2), L.Flatten(), L.Linear(2, 1)).double()
    sd = model.state_dict()
    assert sd["1.num_batches_tracked"].dtype == np.int64
    assert all(v.dtype == np.float64 for k, v in sd.items() if "num_batches" not in k)
    out = model(Tensor(np.random.default_rng(0).standard_normal((4, 1, 3, 3))))
    assert out.dtype == np.float64 and out.shape == (4, 1)


def test_linear_without_bias_and_with_leading_dims():
    layer = L.Linear(4, 3, bias=False)
    assert layer.bias is None and list(layer.state_dict()) == ["weight"]
    x = Tensor(np.ones((2, 5, 4), np.float32))
    assert layer(x).shape == (2, 5, 3)
    np.testing.assert_allclose(layer(x).data, np.ones((2, 5, 4)) @ layer.weight.data.T, rtol=1e-6)


def test_gradients_reach_every_parameter():
    model = Sequential(
        L.Conv2d(1, 2, 3, padding=1), L.BatchNorm2d(2), L.ReLU(), L.MaxPool2d(2), L.Flatten()
    )
    model.append(L.Linear(2 * 2 * 2, 3))
    x = Tensor(np.random.default_rng(1).standard_normal((3, 1, 4, 4)).astype(np.float32))
    L.CrossEntropyLoss()(model(x), Tensor(np.array([0, 2, 1]))).backward()
    for name, param in model.named_parameters():
        assert param.grad is not None and param.grad.shape == param.shape, name
        if name == "0.bias":  # BatchNorm subtracts the mean: the conv bias's gradient is 0
            assert np.abs(param.grad.data).max() < 1e-5, name
        else:
            assert np.abs(param.grad.data).sum() > 0, name


# -- BatchNorm: modes and buffers ------------------------------------------------------------


def test_batch_norm_train_uses_batch_statistics_and_eval_uses_running_ones():
    rng = np.random.default_rng(2)
    bn = L.BatchNorm2d(3, momentum=0.5, dtype=np.float64)
    bn.weight.data[:] = [1.0, 2.0, 3.0]
    bn.bias.data[:] = [0.0, -1.0, 1.0]
    x = rng.standard_normal((4, 3, 2, 2)) * 2 + 1
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    scale, shift = bn.weight.data.reshape(1, 3, 1, 1), bn.bias.data.reshape(1, 3, 1, 1)
    expected = (x - mean) / np.sqrt(var + 1e-5) * scale + shift
    np.testing.assert_allclose(bn(Tensor(x)).data, expected, rtol=1e-12, atol=1e-12)
    unbiased = x.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(bn.running_mean.data, 0.5 * mean.ravel(), rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.data, 0.5 + 0.5 * unbiased, rtol=1e-12)
    assert int(bn.num_batches_tracked.data) == 1

    bn.eval()
    running_mean, running_var = bn.running_mean.data.copy(), bn.running_var.data.copy()
    y = rng.standard_normal((2, 3, 2, 2))
    expected = (y - running_mean.reshape(1, 3, 1, 1)) / np.sqrt(
        running_var.reshape(1, 3, 1, 1) + 1e-5
    ) * scale + shift
    np.testing.assert_allclose(bn(Tensor(y)).data, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(bn.running_mean.data, running_mean)  # eval changes nothing
    assert int(bn.num_batches_tracked.data) == 1


def test_batch_norm_momentum_none_is_a_cumulative_average():
    rng = np.random.default_rng(3)
    bn = L.BatchNorm1d(2, momentum=None, dtype=np.float64)
    batches = [rng.standard_normal((5, 2)) + i for i in range(4)]
    for x in batches:
        bn(Tensor(x))
    np.testing.assert_allclose(
        bn.running_mean.data, np.mean([x.mean(0) for x in batches], axis=0), rtol=1e-12
    )
    assert int(bn.num_batches_tracked.data) == 4


def test_batch_norm_state_dict_shares_the_running_statistics():
    bn = L.BatchNorm1d(2)
    sd = bn.state_dict()
    bn(Tensor(np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)))
    np.testing.assert_allclose(sd["running_mean"].data, [0.2, 0.4], rtol=1e-6)
    assert int(sd["num_batches_tracked"].data) == 1


def test_batch_norm_without_running_stats_or_affine():
    bn = L.BatchNorm1d(3, affine=False, track_running_stats=False)
    assert list(bn.parameters()) == [] and list(bn.state_dict()) == []
    assert bn.running_mean is None and bn.num_batches_tracked is None
    x = np.random.default_rng(4).standard_normal((6, 3)).astype(np.float32)
    bn.eval()  # no running statistics: the batch's own, in evaluation too
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    np.testing.assert_allclose(bn(Tensor(x)).data, expected, rtol=1e-5, atol=1e-6)


def test_batch_norm_errors():
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        L.BatchNorm2d(3)(Tensor(np.zeros((2, 3, 4), np.float32)))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        L.BatchNorm1d(3)(Tensor(np.zeros((2, 3, 4, 4), np.float32)))
    with pytest.raises(ValueError, match="has 4 channels .* num_features=3"):
        L.BatchNorm1d(3)(Tensor(np.zeros((2, 4), np.float32)))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        L.BatchNorm1d(3)(Tensor(np.zeros((1, 3), np.float32)))
    with pytest.raises(TypeError, match="must be Tensor"):
        L.BatchNorm1d(3)(np.zeros((2, 3)))


# -- Dropout --------------------------------------------------------------------------------


def test_dropout_in_training_zeroes_about_p_and_scales_the_rest():
    np.random.seed(0)
    layer = L.Dropout(0.3)
    x = Tensor(np.ones((200, 100), np.float32), requires_grad=True)
    y = layer(x)
    kept = y.data != 0
    assert abs(1 - kept.mean() - 0.3) < 0.02
    np.testing.assert_allclose(y.data[kept], 1 / 0.7, rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, kept / 0.7, rtol=1e-6)


def test_dropout_in_evaluation_is_the_identity_and_follows_the_parent_module():
    model = Sequential(L.Linear(3, 3), L.Dropout(0.9))
    x = Tensor(np.ones((4, 3), np.float32))
    model.eval()
    assert not model[1].training
    np.testing.assert_array_equal(model(x).data, model[0](x).data)
    model.train()
    assert model[1].training
    assert L.Dropout(1.0)(x).data.sum() == 0
    np.testing.assert_array_equal(L.Dropout(0.0)(x).data, x.data)


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_dropout_probability_is_checked(p):
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        L.Dropout(p)


# -- activations, pooling, flatten ----------------------------------------------------------


def test_activation_layers_equal_functional_versions():
    x = Tensor(np.random.default_rng(5).standard_normal((3, 4)))
    cases = [
        (L.ReLU(), F.relu(x)),
        (L.ReLU(inplace=True), F.relu(x)),
        (L.LeakyReLU(0.3), F.leaky_relu(x, 0.3)),
        (L.ELU(0.5), F.elu(x, 0.5)),
        (L.GELU(), F.gelu(x)),
        (L.GELU("tanh"), F.gelu(x, approximate="tanh")),
        (L.Sigmoid(), F.sigmoid(x)),
        (L.Tanh(), F.tanh(x)),
        (L.Softmax(dim=0), F.softmax(x, 0)),
        (L.LogSoftmax(dim=1), F.log_softmax(x, 1)),
    ]
    for layer, expected in cases:
        np.testing.assert_array_equal(layer(x).data, expected.data)
    before = x.data.copy()
    L.ReLU(inplace=True)(x)
    np.testing.assert_array_equal(x.data, before)  # "inplace" leaves the input as it was


def test_gelu_approximate_is_checked():
    with pytest.raises(ValueError, match="approximate argument must be either none or tanh"):
        L.GELU("fast")


def test_softmax_without_dim_warns_as_torch():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        L.Softmax()(Tensor(np.zeros((2, 3))))


def test_pooling_and_flatten_layers_equal_functional_versions():
    x = Tensor(np.random.default_rng(6).standard_normal((2, 3, 6, 6)))
    assert L.MaxPool2d(2).stride == 2 and L.AvgPool1d(3).stride == (3,)
    cases = [
        (L.MaxPool2d(3, 2, 1), F.max_pool2d(x, 3, 2, 1)),
        (
            L.AvgPool2d(2, padding=1, count_include_pad=False),
            F.avg_pool2d(x, 2, 2, 1, False, False),
        ),
        (L.Flatten(), x.reshape(2, -1)),
        (L.Flatten(0, 1), x.reshape(6, 6, 6)),
    ]
    for layer, expected in cases:
        np.testing.assert_array_equal(layer(x).data, expected.data)
    out, indices = L.MaxPool2d(2, return_indices=True)(x)
    assert out.shape == indices.shape == (2, 3, 3, 3)
    y = x.reshape(2, 3, 36)
    np.testing.assert_array_equal(L.MaxPool1d(4)(y).data, F.max_pool1d(y, 4).data)
    np.testing.assert_array_equal(L.AvgPool1d(4, 2)(y).data, F.avg_pool1d(y, 4, 2).data)


# -- convolutions ----------------------------------------------------------------------------


def test_conv_settings_are_stored_as_torch_stores_them():
    conv = L.Conv2d(4, 8, 3, stride=2, padding=1, groups=2)
    assert conv.kernel_size == (3, 3) and conv.stride == (2, 2) and conv.padding == (1, 1)
    assert conv.dilation == (1, 1) and conv.groups == 2 and conv.padding_mode == "zeros"
    assert conv.weight.shape == (8, 2, 3, 3) and conv.bias.shape == (8,)
    conv1 = L.Conv1d(2, 4, 5, padding="same")
    assert conv1.kernel_size == (5,) and conv1.padding == "same" and conv1.weight.shape == (4, 2, 5)
    x = Tensor(np.zeros((3, 2, 11), np.float32))
    assert conv1(x).shape == (3, 4, 11)


def test_conv_errors():
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        L.Conv2d(3, 6, 3, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        L.Conv2d(4, 6, 3, groups=4)
    with pytest.raises(ValueError, match="Invalid padding string 'full'"):
        L.Conv2d(1, 1, 3, padding="full")
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        L.Conv1d(1, 1, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        L.Conv2d(1, 1, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="kernel_size must be an int or a tuple of 2 ints"):
        L.Conv2d(1, 1, (3, 3, 3))
    with pytest.raises(ValueError, match="stride must be a positive int"):
        L.Conv2d(1, 1, 3, stride=0)
    with pytest.raises(ValueError, match="in_channels must be a positive int"):
        L.Conv1d(0, 1, 3)
    with pytest.raises(ValueError, match="expected input.* to have 3 channels"):
        L.Conv2d(3, 1, 3)(Tensor(np.zeros((1, 2, 5, 5), np.float32)))


def test_linear_errors():
    with pytest.raises(TypeError, match="in_features must be an int"):
        L.Linear(2.5, 3)
    with pytest.raises(ValueError, match="out_features must be a non-negative int"):
        L.Linear(2, -1)
    with pytest.raises(ValueError, match="must equal in_features"):
        L.Linear(2, 3)(Tensor(np.zeros((4, 5), np.float32)))


# -- loss modules ----------------------------------------------------------------------------


def test_loss_modules_equal_functional_versions():
    rng = np.random.default_rng(8)
    x = Tensor(rng.standard_normal((5, 3)))
    p = x.sigmoid()
    t = Tensor((rng.random((5, 3)) > 0.5).astype(np.float64))
    signs = t * 2 - 1
    classes = Tensor(rng.integers(0, 3, size=5))
    w = Tensor(rng.random(3) + 0.5)
    cases = [
        (L.MSELoss(reduction="sum"), (x, t), F.mse_loss(x, t, reduction="sum")),
        (L.L1Loss(), (x, t), F.l1_loss(x, t)),
        (L.BCELoss(weight=w), (p, t), F.binary_cross_entropy(p, t, w)),
        (
            L.BCEWithLogitsLoss(pos_weight=w, reduction="none"),
            (x, t),
            F.binary_cross_entropy_with_logits(x, t, pos_weight=w, reduction="none"),
        ),
        (
            L.CrossEntropyLoss(w, ignore_index=1, label_smoothing=0.3),
            (x, classes),
            F.cross_entropy(x, classes, w, ignore_index=1, label_smoothing=0.3),
        ),
        (L.NLLLoss(reduction="none"), (x, classes), F.nll_loss(x, classes, reduction="none")),
        (L.HingeEmbeddingLoss(0.5), (x, signs), F.hinge_embedding_loss(x, signs, 0.5)),
    ]
    for module, args, expected in cases:
        np.testing.assert_array_equal(module(*args).data, expected.data)


def test_loss_weights_are_buffers_and_arrays_are_accepted():
    loss = L.CrossEntropyLoss(weight=np.array([1.0, 2.0]))
    assert isinstance(loss.weight, Tensor) and list(loss.state_dict()) == ["weight"]
    assert list(L.BCEWithLogitsLoss(pos_weight=[2.0]).state_dict()) == ["pos_weight"]
    assert list(L.MSELoss().state_dict()) == []
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        L.MSELoss(reduction="average")
