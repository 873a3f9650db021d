"""nn.layers against torch.nn: the same model built from both, with one state dict between them.

Every model is described once, as a list of (layer name, args, kwargs), and built twice: from
``nn.layers`` and from ``torch.nn``, so the tests also check that constructor signatures agree.
A state dict moved from ours to torch (``load_state_dict(strict=True)``) or from torch to ours
must then give the same outputs in training and evaluation mode, the same gradients for every
parameter and for the input, and the same BatchNorm running statistics, in float64 (tight) and
float32 (about 1e-5). Names, shapes, dtypes and order of parameters and buffers, and the reprs,
are compared character for character.
"""

import warnings

import numpy as np
import pytest
import torch

import nn.layers as L
from autograd import Tensor
from nn import Sequential
from nn.optim import SGD

F64 = {"rtol": 1e-10, "atol": 1e-12}
F32 = {"rtol": 1e-5, "atol": 1e-5}
TOLERANCES = {"float64": F64, "float32": F32}

# -- the models -----------------------------------------------------------------------------------

CONV2D_NET = [  # the brief's example: a small LeNet-like classifier
    ("Conv2d", (1, 4, 3), {"padding": 1}),
    ("BatchNorm2d", (4,), {}),
    ("ReLU", (), {}),
    ("MaxPool2d", (2,), {}),
    ("Flatten", (), {}),
    ("Linear", (4 * 4 * 4, 10), {}),
]
MLP = [  # every activation, a dropout of p=0, and a BatchNorm1d over (N, C)
    ("Linear", (6, 16), {}),
    ("ReLU", (), {}),
    ("Linear", (16, 16), {}),
    ("Tanh", (), {}),
    ("Dropout", (0.0,), {}),
    ("Linear", (16, 12), {"bias": False}),
    ("LeakyReLU", (0.2,), {}),
    ("Linear", (12, 12), {}),
    ("ELU", (0.7,), {}),
    ("Linear", (12, 10), {}),
    ("GELU", (), {}),
    ("Linear", (10, 8), {}),
    ("GELU", ("tanh",), {}),
    ("Linear", (8, 8), {}),
    ("Sigmoid", (), {}),
    # no bias before BatchNorm (as usual): training-mode BatchNorm cancels it, so its gradient
    # is 0 in exact arithmetic and float32 rounding noise in both engines, nothing to compare
    ("Linear", (8, 5), {"bias": False}),
    ("BatchNorm1d", (5,), {}),
    ("Softmax", (), {"dim": 1}),
    ("Linear", (5, 4), {}),
    ("LogSoftmax", (), {"dim": 1}),
]
CONV1D_NET = [  # dilation, groups, "circular" padding, stride, no bias, momentum=None, 1-d pools
    ("Conv1d", (2, 6, 3), {"padding": 2, "dilation": 2, "groups": 2}),
    ("BatchNorm1d", (6,), {"momentum": None}),
    ("GELU", (), {}),
    ("AvgPool1d", (2,), {}),
    ("Conv1d", (6, 4, 3), {"stride": 2, "padding": 1, "bias": False, "padding_mode": "circular"}),
    ("MaxPool1d", (2,), {}),
    ("Flatten", (), {}),
    ("Linear", (4 * 2, 3), {}),
]
CONV2D_VARIANTS = [  # rectangular kernels, "same" + reflect, groups, pooling options, BN options
    ("Conv2d", (3, 6, (3, 2)), {"stride": (2, 1), "padding": (1, 0), "bias": False}),
    ("BatchNorm2d", (6,), {"affine": False, "eps": 1e-3}),
    ("ELU", (), {}),
    (
        "Conv2d",
        (6, 6, 3),
        {"groups": 3, "padding": "same", "dilation": 2, "padding_mode": "reflect"},
    ),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False}),
    ("Conv2d", (6, 4, 1), {"padding_mode": "replicate"}),
    ("BatchNorm2d", (4,), {"track_running_stats": False, "momentum": 0.3}),
    ("LeakyReLU", (), {}),
    ("MaxPool2d", (2,), {"stride": 1, "padding": 1, "ceil_mode": True}),
    ("AvgPool2d", ((2, 1),), {"divisor_override": 3}),
    ("Flatten", (), {}),
    ("Linear", (4 * 2 * 5, 3), {}),
]
MODELS = {
    "conv2d_net": (CONV2D_NET, (5, 1, 8, 8)),
    "mlp": (MLP, (7, 6)),
    "conv1d_net": (CONV1D_NET, (5, 2, 16)),
    "conv2d_variants": (CONV2D_VARIANTS, (4, 3, 9, 8)),
}


def build(lib: str, spec: list, dtype: str = "float32"):
    """The model of ``spec`` from ``nn.layers`` ("ours") or ``torch.nn`` ("torch")."""
    if lib == "ours":
        model = Sequential(*(getattr(L, name)(*args, **kw) for name, args, kw in spec))
        return model.to(np.dtype(dtype))
    model = torch.nn.Sequential(*(getattr(torch.nn, name)(*args, **kw) for name, args, kw in spec))
    return model.to(getattr(torch, dtype))


def to_torch(state_dict) -> dict:
    return {k: torch.tensor(np.asarray(v.data)) for k, v in state_dict.items()}


def assert_close(ours, theirs, tol, what=""):
    ours = ours.data if isinstance(ours, Tensor) else np.asarray(ours)
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape, what
    assert ours.dtype == theirs.dtype, what
    np.testing.assert_allclose(ours, theirs, err_msg=what, **tol)


def assert_same_state(ours, theirs, tol):
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert list(sd) == list(tsd)
    for key in sd:
        assert_close(sd[key], tsd[key], tol, key)


def train_step_matches(ours, theirs, x, tol, rng):
    """One forward and backward in the current mode; outputs, input and parameter gradients."""
    upstream = rng.standard_normal((x.shape[0], 1))  # a loss that weighs the samples unevenly
    xo = Tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    out, expected = ours(xo), theirs(xt)
    assert_close(out, expected, tol, "output")
    (out * Tensor(upstream.astype(x.dtype))).sum().backward()
    (expected * torch.tensor(upstream.astype(x.dtype))).sum().backward()
    assert_close(xo.grad, xt.grad, tol, "input grad")
    theirs_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        assert_close(param.grad, theirs_params[name].grad, tol, f"{name}.grad")
    ours.zero_grad()
    theirs.zero_grad()


# -- names, shapes, dtypes ----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_parameter_and_buffer_names_shapes_and_dtypes_equal_torchs(model):
    spec, _ = MODELS[model]
    ours, theirs = build("ours", spec), build("torch", spec)
    for mine, torchs in (
        (ours.named_parameters(), theirs.named_parameters()),
        (ours.named_buffers(), theirs.named_buffers()),
        (ours.state_dict().items(), theirs.state_dict().items()),
    ):
        mine, torchs = list(mine), list(torchs)
        assert [name for name, _ in mine] == [name for name, _ in torchs]
        for (name, a), (_, b) in zip(mine, torchs):
            assert a.shape == tuple(b.shape), name
            assert a.dtype == b.detach().numpy().dtype, name


# -- ours -> torch ------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("model", MODELS)
def test_our_state_dict_loads_into_torch_and_gives_the_same_model(model, dtype):
    spec, shape = MODELS[model]
    tol = TOLERANCES[dtype]
    rng = np.random.default_rng(0)
    np.random.seed(1)
    ours, theirs = build("ours", spec, dtype), build("torch", spec, dtype)
    result = theirs.load_state_dict(to_torch(ours.state_dict()), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert_same_state(ours, theirs, tol)

    for _ in range(3):  # training mode: batch statistics, running statistics updated
        train_step_matches(ours, theirs, rng.standard_normal(shape).astype(dtype), tol, rng)
        assert_same_state(ours, theirs, tol)
    ours.eval(), theirs.eval()
    for _ in range(2):  # evaluation mode: running statistics, nothing updated
        train_step_matches(ours, theirs, rng.standard_normal(shape).astype(dtype), tol, rng)
    assert_same_state(ours, theirs, tol)


def test_conv_net_trains_like_torch_with_cross_entropy_and_sgd():
    """Three steps of SGD with momentum on the conv net: the same losses, the same weights."""
    rng = np.random.default_rng(2)
    ours, theirs = build("ours", CONV2D_NET, "float64"), build("torch", CONV2D_NET, "float64")
    theirs.load_state_dict(to_torch(ours.state_dict()))
    criterion = L.CrossEntropyLoss(label_smoothing=0.1)
    tcriterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = SGD(ours.parameters(), lr=0.1, momentum=0.9)
    toptimizer = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    for _ in range(3):
        x = rng.standard_normal((6, 1, 8, 8))
        y = rng.integers(0, 10, size=6)
        loss = criterion(ours(Tensor(x)), Tensor(y))
        tloss = tcriterion(theirs(torch.tensor(x)), torch.tensor(y))
        assert_close(loss, tloss, F64, "loss")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        toptimizer.zero_grad()
        tloss.backward()
        toptimizer.step()
        assert_same_state(ours, theirs, F64)


# -- torch -> ours ------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("model", MODELS)
def test_torch_state_dict_loads_into_ours_and_gives_the_same_model(model, dtype):
    spec, shape = MODELS[model]
    tol = TOLERANCES[dtype]
    rng = np.random.default_rng(3)
    torch.manual_seed(0)
    ours, theirs = build("ours", spec, dtype), build("torch", spec, dtype)
    with torch.no_grad():  # torch trains a little first: non-trivial running statistics
        for _ in range(2):
            theirs(torch.tensor(rng.standard_normal(shape).astype(dtype)))
    result = ours.load_state_dict(theirs.state_dict(), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert_same_state(ours, theirs, tol)

    ours.eval(), theirs.eval()
    train_step_matches(ours, theirs, rng.standard_normal(shape).astype(dtype), tol, rng)
    ours.train(), theirs.train()
    train_step_matches(ours, theirs, rng.standard_normal(shape).astype(dtype), tol, rng)
    assert_same_state(ours, theirs, tol)


def test_dropout_model_in_eval_mode_equals_torch():
    spec = [("Linear", (5, 8), {}), ("Dropout", (), {}), ("ReLU", (), {}), ("Linear", (8, 2), {})]
    ours, theirs = build("ours", spec, "float64"), build("torch", spec, "float64")
    theirs.load_state_dict(to_torch(ours.state_dict()))
    ours.eval(), theirs.eval()
    x = np.random.default_rng(4).standard_normal((9, 5))
    train_step_matches(ours, theirs, x, F64, np.random.default_rng(5))


# -- BatchNorm's running statistics -----------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs, shape",
    [
        ("BatchNorm1d", {}, (8, 3)),
        ("BatchNorm1d", {"momentum": 0.3, "eps": 1e-3}, (4, 3, 5)),
        ("BatchNorm1d", {"momentum": None}, (6, 3)),
        ("BatchNorm2d", {}, (4, 3, 5, 2)),
        ("BatchNorm2d", {"momentum": None, "affine": False}, (2, 3, 3, 3)),
        ("BatchNorm2d", {"bias": False}, (2, 3, 2, 2)),
    ],
)
def test_batch_norm_running_statistics_follow_torch_over_several_steps(name, kwargs, shape):
    rng = np.random.default_rng(6)
    ours = getattr(L, name)(3, dtype=np.float64, **kwargs)
    theirs = getattr(torch.nn, name)(3, dtype=torch.float64, **kwargs)
    for step in range(1, 6):
        x = rng.standard_normal(shape) * 3 + rng.standard_normal((1, 3) + (1,) * (len(shape) - 2))
        assert_close(ours(Tensor(x)), theirs(torch.tensor(x)), F64, f"step {step}")
        assert_same_state(ours, theirs, F64)
        assert int(ours.num_batches_tracked.data) == step
    ours.eval(), theirs.eval()
    x = rng.standard_normal(shape)
    assert_close(ours(Tensor(x)), theirs(torch.tensor(x)), F64, "eval")
    assert int(ours.num_batches_tracked.data) == 5  # evaluation does not count


# -- reprs --------------------------------------------------------------------------------------

REPR_MODEL = [
    ("Linear", (3, 4), {}),
    ("Linear", (4, 4), {"bias": False}),
    ("Conv1d", (2, 4, 3), {}),
    ("Conv1d", (4, 4, (5,)), {"stride": 2, "padding": 1, "dilation": 2, "groups": 2}),
    ("Conv1d", (4, 4, 3), {"padding": "same", "padding_mode": "circular", "bias": False}),
    ("Conv2d", (1, 4, 3), {"padding": 1}),
    ("Conv2d", (4, 8, (3, 5)), {"stride": (2, 1), "padding": (0, 2), "dilation": (1, 2)}),
    ("Conv2d", (4, 4, 3), {"padding": "valid", "groups": 4, "padding_mode": "reflect"}),
    ("Conv2d", (4, 4, 1), {"padding": "same", "bias": False, "padding_mode": "replicate"}),
    ("MaxPool1d", (3,), {}),
    ("MaxPool1d", (3, 1, 1, 2, False, True), {}),
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", ((2, 3),), {"stride": 1, "padding": 1, "dilation": 2, "ceil_mode": True}),
    ("AvgPool1d", (2,), {}),
    ("AvgPool1d", (3, 2, 1, True, False), {}),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", ((3, 2), (2, 1), 1, True, False, 4), {}),
    ("Flatten", (), {}),
    ("Flatten", (0, 2), {}),
    ("Dropout", (), {}),
    ("Dropout", (0.25, True), {}),
    ("BatchNorm1d", (4,), {}),
    ("BatchNorm1d", (4, 1e-3, None, False, False), {}),
    ("BatchNorm2d", (8,), {"momentum": 0.01, "bias": False}),
    ("ReLU", (), {}),
    ("ReLU", (True,), {}),
    ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.2, True), {}),
    ("ELU", (), {}),
    ("ELU", (0.5,), {"inplace": True}),
    ("GELU", (), {}),
    ("GELU", ("tanh",), {}),
    ("Sigmoid", (), {}),
    ("Tanh", (), {}),
    ("Softmax", (), {}),
    ("Softmax", (1,), {}),
    ("LogSoftmax", (), {"dim": -1}),
    ("MSELoss", (), {}),
    ("L1Loss", (), {"reduction": "sum"}),
    ("BCELoss", (), {}),
    ("BCEWithLogitsLoss", (), {}),
    ("CrossEntropyLoss", (), {"label_smoothing": 0.1}),
    ("NLLLoss", (), {"ignore_index": 3}),
    ("HingeEmbeddingLoss", (2.0,), {}),
]


def test_repr_of_a_model_with_every_layer_equals_torchs():
    ours, theirs = build("ours", REPR_MODEL), build("torch", REPR_MODEL)
    inner = [("Linear", (2, 2), {}), ("ReLU", (), {})]
    ours.append(Sequential(build("ours", inner), L.Tanh()))
    theirs.append(torch.nn.Sequential(build("torch", inner), torch.nn.Tanh()))
    assert repr(ours) == repr(theirs)
    for mine, torchs in zip(ours, theirs):
        assert repr(mine) == repr(torchs)


# -- loss modules -------------------------------------------------------------------------------


def _loss_cases(rng):
    logits = rng.standard_normal((6, 4))
    probs = 1 / (1 + np.exp(-rng.standard_normal((6, 4))))
    binary = (rng.random((6, 4)) > 0.5).astype(np.float64)
    classes = rng.integers(0, 4, size=6)
    classes[2] = 1  # a target to ignore
    signs = np.where(rng.random((6, 4)) > 0.5, 1.0, -1.0)
    class_weight = rng.random(4) + 0.5
    element_weight = rng.random(4) + 0.5
    return [
        ("MSELoss", {}, logits, rng.standard_normal((6, 4))),
        ("L1Loss", {}, logits, rng.standard_normal((6, 4))),
        ("BCELoss", {}, probs, binary),
        ("BCELoss", {"weight": element_weight}, probs, binary),
        ("BCEWithLogitsLoss", {}, logits, binary),
        (
            "BCEWithLogitsLoss",
            {"weight": element_weight, "pos_weight": class_weight},
            logits,
            binary,
        ),
        ("CrossEntropyLoss", {}, logits, classes),
        ("CrossEntropyLoss", {"weight": class_weight, "ignore_index": 1}, logits, classes),
        ("CrossEntropyLoss", {"label_smoothing": 0.2}, logits, classes),
        ("CrossEntropyLoss", {}, logits, np.exp(logits) / np.exp(logits).sum(1, keepdims=True)),
        ("NLLLoss", {}, logits, classes),
        ("NLLLoss", {"weight": class_weight, "ignore_index": 1}, logits, classes),
        ("HingeEmbeddingLoss", {}, logits, signs),
        ("HingeEmbeddingLoss", {"margin": 0.5}, logits, signs),
    ]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", range(14))
def test_loss_modules_equal_torchs(case, reduction):
    name, kwargs, x, target = _loss_cases(np.random.default_rng(7))[case]
    ours = getattr(L, name)(
        **{k: Tensor(v) if "weight" in k else v for k, v in kwargs.items()}, reduction=reduction
    )
    theirs = getattr(torch.nn, name)(
        **{k: torch.tensor(v) if "weight" in k else v for k, v in kwargs.items()},
        reduction=reduction,
    )
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    loss, tloss = ours(xo, Tensor(target)), theirs(xt, torch.tensor(target))
    assert_close(loss, tloss, F64, "loss")
    loss.sum().backward()
    tloss.sum().backward()
    assert_close(xo.grad, xt.grad, F64, "grad")
    assert list(ours.state_dict()) == list(theirs.state_dict())  # weights are buffers in both


def test_legacy_size_average_and_reduce_arguments_warn_and_pick_torchs_reduction():
    for size_average, reduce, expected in [(False, None, "sum"), (None, False, "none")]:
        with warnings.catch_warnings(record=True) as ours_caught:
            warnings.simplefilter("always")
            ours = L.MSELoss(size_average, reduce)
        with warnings.catch_warnings(record=True) as torch_caught:
            warnings.simplefilter("always")
            theirs = torch.nn.MSELoss(size_average, reduce)
        assert ours.reduction == theirs.reduction == expected
        assert str(ours_caught[0].message) == str(torch_caught[0].message)
