"""``nn.export_onnx``: the written file, run by onnxruntime, against the engine's forward.

Every model is exported with a batch of 2 and run at batch sizes 2 and 7 (the batch dim is
symbolic); float32 outputs agree to 1e-5, float64 (the estimators) to 1e-10.
"""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from nn.onnx_export import UnsupportedOperatorError

ROOT = Path(__file__).resolve().parent.parent


def _run(path, *inputs, names=None) -> list[np.ndarray]:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = names or [i.name for i in session.get_inputs()]
    return session.run(None, dict(zip(names, inputs)))


def _engine(model, *inputs) -> np.ndarray:
    with autograd.no_grad():
        return model(*[Tensor(x) for x in inputs]).data


def _round_trip(model, make_input, tmp_path, batches=(2, 7), atol=1e-5) -> onnx.ModelProto:
    """Export with batch 2, then compare onnxruntime with the engine at each batch size."""
    rng = np.random.default_rng(0)
    path = tmp_path / "model.onnx"
    proto = nn.export_onnx(model, make_input(rng, 2), path)
    onnx.checker.check_model(onnx.load(path), full_check=True)  # the file as written
    assert proto.opset_import[0].version >= 17
    model.eval()
    for batch in batches:
        x = make_input(rng, batch)
        (got,) = _run(path, x)
        expected = _engine(model, x)
        assert got.shape == expected.shape
        assert got.dtype == expected.dtype
        assert np.abs(got - expected).max() <= atol, (batch, np.abs(got - expected).max())
    return proto


def _normal(*shape):
    return lambda rng, batch: rng.standard_normal((batch, *shape)).astype(np.float32)


def _train_a_little(model, x, steps=3):
    """A few SGD steps in training mode, so BatchNorm's running statistics are not 0 and 1."""
    model.train()
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        optimizer.zero_grad()
        (model(Tensor(x)) ** 2).mean().backward()
        optimizer.step()


def lenet5() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.Tanh(),
        nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.Tanh(),
        nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.Tanh(),
        nn.Linear(120, 84),
        nn.Tanh(),
        nn.Linear(84, 10),
    )


# -- the five models of the issue ----------------------------------------------------------


def test_mlp(tmp_path):
    autograd.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 3)
    )
    proto = _round_trip(model, _normal(10), tmp_path)
    weights = {i.name for i in proto.graph.initializer}
    assert set(model.state_dict()) <= weights  # parameters named by their state_dict keys


def test_lenet5(tmp_path):
    autograd.manual_seed(1)
    _round_trip(lenet5(), _normal(1, 28, 28), tmp_path)


def test_batchnorm_cnn_in_eval_mode(tmp_path):
    autograd.manual_seed(2)
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.5),
        nn.Conv2d(8, 8, 3, bias=False),
        nn.BatchNorm2d(8, affine=False),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(8 * 2 * 2, 16),
        nn.BatchNorm1d(16),
        nn.ReLU(),
        nn.Linear(16, 4),
    )
    _train_a_little(
        model, np.random.default_rng(3).standard_normal((16, 3, 8, 8)).astype(np.float32)
    )
    assert not np.allclose(model[1].running_mean.data, 0)
    model.train()  # the export traces in eval mode and gives each module its flag back
    proto = _round_trip(model, _normal(3, 8, 8), tmp_path)
    assert "BatchNormalization" in {n.op_type for n in proto.graph.node}
    assert {"1.running_mean", "1.running_var", "10.running_mean"} <= {
        i.name for i in proto.graph.initializer
    }


def test_batchnorm_and_dropout_modes_are_restored(tmp_path):
    model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.3))
    model.train()
    model[2].eval()
    counter = int(model[1].num_batches_tracked.data)
    nn.export_onnx(model, np.ones((2, 4), np.float32), tmp_path / "m.onnx")
    assert [m.training for m in model.modules()] == [True, True, True, False]
    assert int(model[1].num_batches_tracked.data) == counter  # eval: no statistics updated


class MixedOps(nn.Module):
    """A forward that uses Tensor operations directly, not only layers."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 6, 3, padding=1)
        self.fc = nn.Linear(6 * 5, 8)
        self.gate = nn.Parameter(autograd.randn(8))
        self.norm = nn.LayerNorm(8)

    def forward(self, x):  # x: (N, 4, 5)
        h = F.relu(self.conv(x))  # (N, 6, 5)
        pooled = h.mean(dim=2, keepdim=True)  # (N, 6, 1)
        h = h - pooled.expand(-1, -1, 5) + h.max(dim=2, keepdim=True).values * 0.5
        flat = h.view(h.size(0), -1)  # (N, 30)
        z = self.fc(flat) * self.gate.sigmoid() + 1.0
        z = self.norm(z)
        left, right = z[:, :4], z[:, 4:]
        mixed = autograd.cat([left * right, (left - right) ** 2, left / (right.abs() + 1)], dim=1)
        scores = mixed @ mixed.transpose(0, 1)[:, :1]  # (N, 1)
        stacked = autograd.stack([z.tanh(), -z, F.gelu(z), F.silu(z), z.exp().log1p()], dim=1)
        summary = stacked.sum(dim=1) / (left * left + 1).sqrt().sum(dim=1, keepdim=True)
        out = summary.softmax(dim=1) + mixed.sum(dim=1, keepdim=True) * scores.sigmoid()
        return out.log_softmax(dim=-1) + x.permute(0, 2, 1).reshape(x.shape[0], -1)[:, :8]


def test_custom_forward_mixing_ops(tmp_path):
    autograd.manual_seed(4)
    _round_trip(MixedOps(), _normal(4, 5), tmp_path)


def test_dynamic_batch_size(tmp_path):
    """Exported with a batch of 2, run with a batch of 7; the file says the dim is symbolic."""
    autograd.manual_seed(5)
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 5), nn.Softmax(dim=1))
    path = tmp_path / "m.onnx"
    with autograd.no_grad():  # the export records its trace whatever the grad mode around it
        nn.export_onnx(model, np.zeros((2, 3, 4), np.float32), path)
    proto = onnx.load(path)
    (graph_input,) = proto.graph.input
    assert graph_input.type.tensor_type.shape.dim[0].dim_param == "batch"
    assert proto.graph.output[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    x = np.random.default_rng(6).standard_normal((7, 3, 4)).astype(np.float32)
    (got,) = _run(path, x)
    assert got.shape == (7, 5)
    assert np.abs(got - _engine(model, x)).max() <= 1e-5


def test_fixed_batch_when_asked(tmp_path):
    model = nn.Sequential(nn.Linear(3, 2))
    path = tmp_path / "m.onnx"
    nn.export_onnx(model, np.zeros((2, 3), np.float32), path, dynamic_batch=False)
    dims = onnx.load(path).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims] == [2, 3]
    with pytest.raises(Exception, match="(?i)dimension|shape"):
        _run(path, np.zeros((7, 3), np.float32))


# -- the layers one by one -----------------------------------------------------------------


ACTIVATIONS = [
    nn.ReLU(),
    nn.LeakyReLU(0.2),
    nn.ELU(0.7),
    nn.GELU(),
    nn.GELU(approximate="tanh"),
    nn.Sigmoid(),
    nn.Tanh(),
    nn.Softmax(dim=1),
    nn.LogSoftmax(dim=1),
    nn.SiLU(),
    nn.Mish(),
    nn.Softplus(beta=2.0, threshold=3.0),
    nn.Softplus(),
    nn.Hardtanh(-0.5, 0.7),
    nn.Identity(),
]


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda m: repr(m))
def test_every_activation(activation, tmp_path):
    # values around 0 and beyond softplus' threshold, so that both branches are exercised
    def make(rng, batch):
        return (rng.standard_normal((batch, 6)) * 8).astype(np.float32)

    model = nn.Sequential(nn.Linear(6, 6), activation)
    with autograd.no_grad():
        model[0].weight.copy_(Tensor(np.eye(6, dtype=np.float32)))
        model[0].bias.zero_()
    _round_trip(model, make, tmp_path)


def test_activations_cover_every_activation_layer():
    exported = {type(m) for m in ACTIVATIONS}
    for name in nn.layers.activation.__all__:
        assert getattr(nn, name) in exported, name


@pytest.mark.parametrize(
    "layer, shape",
    [
        (nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2), (4, 11)),
        (nn.Conv1d(3, 3, 4, padding="same", padding_mode="reflect", groups=3), (3, 9)),
        (nn.Conv1d(2, 5, 1, bias=False), (2, 7)),
        (
            nn.Conv2d(4, 8, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=4),
            (4, 9, 8),
        ),
        (nn.Conv2d(2, 4, 3, padding="same", padding_mode="replicate"), (2, 6, 5)),
        (nn.Conv2d(3, 6, 3, padding="valid", groups=3, bias=False), (3, 7, 7)),
        (nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True), (3, 10)),
        (nn.MaxPool2d(3, stride=2, padding=1), (2, 9, 8)),
        (nn.MaxPool2d((2, 3), stride=(2, 2), dilation=(2, 1), ceil_mode=True), (2, 9, 10)),
        (nn.AvgPool1d(3, stride=2, padding=1), (3, 10)),
        (nn.AvgPool1d(2, count_include_pad=False, padding=1), (3, 9)),
        (nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), (2, 9, 8)),
        (nn.AvgPool2d(2, divisor_override=3), (2, 6, 6)),
        (nn.BatchNorm1d(3), (3, 7)),
        (nn.LayerNorm((5, 4)), (5, 4)),
        (nn.LayerNorm(4, elementwise_affine=False), (3, 4)),
        (nn.Conv2d(2, 3, (4, 3), padding="same"), (2, 6, 6)),
        (nn.GroupNorm(2, 4), (4, 3)),
        (nn.RMSNorm(4), (3, 4)),
        (nn.Flatten(2), (3, 4, 2)),
        (nn.Unflatten(1, (2, 3)), (6, 2)),
    ],
    ids=repr,
)
def test_layers(layer, shape, tmp_path):
    autograd.manual_seed(7)
    if isinstance(layer, (nn.BatchNorm1d, nn.LayerNorm)):
        with autograd.no_grad():  # statistics and affine parameters that are not 0 and 1
            for tensor in list(layer.parameters()) + list(layer.buffers())[:2]:
                tensor.copy_(autograd.rand(*tensor.shape) + 0.5)
    _round_trip(layer, _normal(*shape), tmp_path)


def test_embedding_and_layer_norm(tmp_path):
    autograd.manual_seed(8)

    class Tokens(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(20, 8, padding_idx=0)
            self.norm = nn.LayerNorm(8)
            self.head = nn.Linear(8, 3)

        def forward(self, tokens):  # (N, T) int64
            h = self.norm(self.embed(tokens))  # (N, T, 8)
            return self.head(h.mean(dim=1))

    def make(rng, batch):
        return rng.integers(0, 20, size=(batch, 6)).astype(np.int64)

    _round_trip(Tokens(), make, tmp_path)


def test_two_inputs_two_outputs_and_names(tmp_path):
    class Pair(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(3, 2)

        def forward(self, x, y):
            h = self.a(x) + y
            return h, h.sum(dim=1)

    model = Pair()
    rng = np.random.default_rng(9)
    x, y = (rng.standard_normal((2, 3)).astype(np.float32) for _ in range(2))
    y = y[:, :2]
    path = tmp_path / "m.onnx"
    nn.export_onnx(model, (x, y), path, input_names=["x", "y"], output_names=["h", "total"])
    session = onnxruntime.InferenceSession(str(path))
    assert [o.name for o in session.get_outputs()] == ["h", "total"]
    x7 = rng.standard_normal((7, 3)).astype(np.float32)
    y7 = rng.standard_normal((7, 2)).astype(np.float32)
    h, total = session.run(None, {"x": x7, "y": y7})
    h_ref, total_ref = model(Tensor(x7), Tensor(y7))
    assert np.abs(h - h_ref.data).max() <= 1e-5
    assert np.abs(total - total_ref.data).max() <= 1e-5


# -- nn.estimators -------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("n_classes", [2, 4])
def test_mlp_classifier_exports_predict_proba(n_classes, tmp_path):
    from nn.estimators import MLPClassifier

    rng = np.random.default_rng(10)
    X = rng.standard_normal((60, 5))
    y = rng.integers(0, n_classes, 60)
    clf = MLPClassifier(hidden_layer_sizes=(8, 6), max_iter=30, random_state=0).fit(X, y)
    path = tmp_path / "clf.onnx"
    nn.export_onnx(clf, X[:2], path)
    (proba,) = _run(path, X)
    assert proba.dtype == np.float64 and proba.shape == (60, n_classes)
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=1e-10, atol=1e-12)
    assert (clf.classes_[proba.argmax(axis=1)] == clf.predict(X)).all()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
def test_mlp_regressor_exports_predict(loss, tmp_path):
    from nn.estimators import MLPRegressor

    rng = np.random.default_rng(11)
    X = rng.standard_normal((40, 3))
    y = np.abs(X @ np.array([1.0, -2.0, 0.5])) + 0.1
    reg = MLPRegressor(
        hidden_layer_sizes=(7,), activation="tanh", loss=loss, max_iter=20, random_state=0
    ).fit(X, y)
    path = tmp_path / "reg.onnx"
    nn.export_onnx(reg, X[:2], path)
    (prediction,) = _run(path, X)
    assert prediction.shape == (40,)
    np.testing.assert_allclose(prediction, reg.predict(X), rtol=1e-10, atol=1e-12)


def test_other_objects_are_refused(tmp_path):
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(TypeError, match="expected an nn.Module or a fitted nn.estimators model"):
        nn.export_onnx(LogisticRegression(), np.zeros((2, 3)), tmp_path / "m.onnx")


def test_an_unfitted_estimator_is_refused(tmp_path):
    from nn.estimators import MLPClassifier

    with pytest.raises(ValueError, match="not fitted yet"):
        nn.export_onnx(MLPClassifier(), np.zeros((2, 3)), tmp_path / "m.onnx")


# -- errors --------------------------------------------------------------------------------


class Products(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 3), RunningProduct())

    def forward(self, x):
        return self.body(x)


class RunningProduct(nn.Module):
    def forward(self, x):
        return x.cumprod(dim=1)  # ONNX has no cumulative product


def test_an_unmapped_operation_is_named_with_its_module(tmp_path):
    expected = r"operator 'cumprod'.*module 'body.1' \(RunningProduct\)"
    with pytest.raises(UnsupportedOperatorError, match=expected):
        nn.export_onnx(Products(), np.zeros((2, 3), np.float32), tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_an_unmapped_operation_in_the_models_own_forward(tmp_path):
    class Windows(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(autograd.randn(2, 1, 3))

        def forward(self, x):
            return F.conv1d(x, self.weight)

    own_forward = r"model's own forward \(Windows\).*as the layers \(nn.Conv1d"
    with pytest.raises(UnsupportedOperatorError, match=own_forward):
        nn.export_onnx(Windows(), np.zeros((2, 1, 6), np.float32), tmp_path / "m.onnx")


def test_a_value_computed_from_the_input_outside_the_graph_is_refused(tmp_path):
    class Leaky(nn.Module):  # F.leaky_relu's condition is a comparison: not in the graph
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, x):
            return F.leaky_relu(self.fc(x), 0.1)

    leaky = r"'where' in the model's own forward \(Leaky\) changes with the input.*nn.LeakyReLU"
    with pytest.raises(RuntimeError, match=leaky):
        nn.export_onnx(Leaky(), np.ones((2, 3), np.float32), tmp_path / "m.onnx")


def test_a_composition_that_reads_values_outside_the_graph_is_refused(tmp_path):
    class Widest(nn.Module):  # amax: m + sum((x - m) * w), m and w computed outside the graph
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, x):
            return self.fc(x).amax(dim=1)

    rng = np.random.default_rng(17)
    with pytest.raises(RuntimeError, match="changes with the input"):
        nn.export_onnx(Widest(), rng.standard_normal((2, 3)).astype(np.float32), tmp_path / "m")


def test_a_batch_dependent_constant_is_refused_even_with_a_fixed_batch(tmp_path):
    class Peek(nn.Module):
        def forward(self, x):
            return x * Tensor(x.data > 0)  # a mask from the values, outside the graph

    rng = np.random.default_rng(12)
    x = rng.standard_normal((3, 4)).astype(np.float32)
    with pytest.raises(RuntimeError, match="changes with the input"):
        nn.export_onnx(Peek(), x, tmp_path / "m.onnx", dynamic_batch=False)


def test_the_missing_extra_is_named(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if it were not installed
    with pytest.raises(ImportError, match=re.escape('pip install -e ".[onnx]"')):
        nn.export_onnx(nn.Linear(2, 2), np.zeros((1, 2), np.float32), tmp_path / "m.onnx")


def test_import_nn_does_not_import_onnx():
    code = "import sys, nn; assert 'onnx' not in sys.modules and 'onnxruntime' not in sys.modules"
    env = {"PYTHONPATH": str(ROOT), "PATH": ""}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


# -- the README's block ----------------------------------------------------------------------


def test_the_readme_block_exports_the_digits_cnn(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    (block,) = [b for b in blocks if "export_onnx" in b]
    env = {"PYTHONPATH": str(ROOT), "PATH": "", "HOME": str(tmp_path)}
    script = tmp_path / "block.py"
    script.write_text(block)
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "same predictions" in proc.stdout


class Residual(nn.Module):
    """``h += x`` after a layer (ResNet's ``out += identity``): recorded, and exported."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)

    def forward(self, x):
        h = self.bn(self.conv(x))
        h += x
        return h.relu()


def test_an_in_place_change_of_a_layers_output(tmp_path):
    autograd.manual_seed(13)
    _round_trip(Residual(), _normal(2, 5, 5), tmp_path)


def test_an_in_place_change_after_a_use_is_refused(tmp_path):
    class Reused(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, x):
            h = self.fc(x)
            y = h * 2  # uses h's old values ...
            h += 1  # ... which this changes: y's graph now names the new h
            return y + h

    with pytest.raises(RuntimeError, match=r"in-place operation after it was used"):
        nn.export_onnx(Reused(), np.ones((2, 3), np.float32), tmp_path / "m.onnx")


class FirstOutput(nn.Module):
    """The first output of a layer that returns a tuple (attention, recurrent layers)."""

    def __init__(self, layer, self_attention=False):
        super().__init__()
        self.layer = layer
        self.self_attention = self_attention

    def forward(self, x):
        args = (x, x, x) if self.self_attention else (x,)
        return self.layer(*args)[0]


@pytest.mark.parametrize(
    "model",
    [
        FirstOutput(nn.MultiheadAttention(8, 2, batch_first=True), self_attention=True),
        FirstOutput(nn.GRU(8, 5, batch_first=True)),
        FirstOutput(nn.LSTM(8, 5, num_layers=2, batch_first=True)),
        FirstOutput(nn.RNN(8, 5, batch_first=True)),
    ],
    ids=lambda m: type(m.layer).__name__,
)
def test_attention_and_recurrent_layers(model, tmp_path):
    """Their first state is zeros of the batch's shape: written as a fill of that shape."""
    autograd.manual_seed(14)
    _round_trip(model, _normal(5, 8), tmp_path)


class Indexing(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.register_buffer("mask", Tensor(np.triu(np.ones((4, 4), bool), 1)))

    def forward(self, x):
        h = self.fc(x)
        picked = h[:, 1:3] + h[:, [0, 2]] + h[..., -2:] + h[:, None, :2].squeeze(1) + h[:, -1:]
        causal = h.unsqueeze(1).expand(-1, 4, -1).masked_fill(self.mask, float("-inf"))
        return causal.softmax(-1)[:, :, 1:3] * picked.unsqueeze(1)


def test_indexing_and_a_mask_buffer(tmp_path):
    autograd.manual_seed(15)
    _round_trip(Indexing(), _normal(4), tmp_path)


def test_a_scalar_model_is_refused(tmp_path):
    with pytest.raises(TypeError, match="scalar .micrograd-style. model"):
        nn.export_onnx(nn.MLP(3, [4, 1]), np.zeros((2, 3)), tmp_path / "m.onnx")


class Padded(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)

    def forward(self, x):
        h = self.fc(x).reshape(-1, 2, 3)
        constant = autograd.pad(h, (2, -1, 1, 0), value=0.5)  # pads, and crops one column
        reflected = autograd.pad(h, (2, 2), mode="reflect")
        replicated = autograd.pad(h, (1, 0, 0, 1), mode="replicate")
        widest = reflected.max(dim=2).values.min(dim=1).values
        return constant.sum(dim=(1, 2)) + widest * replicated.mean(dim=(1, 2))


def test_padding(tmp_path):
    autograd.manual_seed(16)
    _round_trip(Padded(), _normal(6), tmp_path)


def test_an_index_taken_from_the_input_is_refused_even_for_one_fixed_row(tmp_path):
    class Lookup(nn.Module):  # indexing with the input's values: an array outside the graph
        def __init__(self):
            super().__init__()
            self.table = nn.Parameter(autograd.randn(10, 3))

        def forward(self, tokens):
            return self.table[tokens.data]

    tokens = np.array([[1, 4, 7]])
    with pytest.raises(RuntimeError, match="'getitem'.*changes with the input"):
        nn.export_onnx(Lookup(), tokens, tmp_path / "m.onnx", dynamic_batch=False)


def test_an_unbatched_input_needs_a_fixed_shape(tmp_path):
    autograd.manual_seed(18)
    conv = nn.Conv1d(3, 4, 3, padding=1)
    x = np.random.default_rng(19).standard_normal((3, 6)).astype(np.float32)  # (C, L)
    with pytest.raises(RuntimeError, match="dynamic_batch=False"):
        nn.export_onnx(conv, x, tmp_path / "m.onnx")
    path = tmp_path / "fixed.onnx"
    nn.export_onnx(conv, x, path, dynamic_batch=False)
    (got,) = _run(path, x)
    assert np.abs(got - _engine(conv, x)).max() <= 1e-5


class Elementwise(nn.Module):
    """The elementwise functions, clamp, cumsum, einsum and flip. The rounding functions read the
    input itself (identical bits on both sides), so no BLAS difference moves a value across
    an integer."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(5, 5)

    def forward(self, x):
        h = self.fc(x)
        bounded = h.tanh() * 0.9
        trig = h.sin() + h.cos() + bounded.tan() + bounded.asin() + bounded.acos() + h.atan()
        hyperbolic = bounded.sinh() + bounded.cosh()
        positive = h * h + 0.5
        logs = positive.log2() + positive.log10() + bounded.exp2()
        inverses = positive.reciprocal() + positive.rsqrt()
        rounded = (x * 3).floor() + (x * 3).ceil() + (x * 3).round() + (x * 3).trunc()
        running = h.cumsum(dim=1) + h.clamp(min=-0.5) + h.clamp(max=0.3) + h.clamp(-0.2, 0.4)
        outer = autograd.einsum("bi,bj->bij", h, bounded).sum(dim=2)
        return trig + hyperbolic + logs + inverses + rounded + running + outer + h.flip(1)


def test_elementwise_functions_clamp_cumsum_einsum_flip(tmp_path):
    autograd.manual_seed(20)
    _round_trip(Elementwise(), _normal(5), tmp_path)
