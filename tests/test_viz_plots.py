"""viz plots (matplotlib): learning curves, decision boundaries, gradient flow, filters,
optimizer paths, the training GIF, and the error without matplotlib."""

from __future__ import annotations

import random
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from PIL import Image  # noqa: E402

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor, Value  # noqa: E402
from nn.training import History  # noqa: E402
from viz.animation import animate_training  # noqa: E402
from viz.boundary import plot_decision_boundary  # noqa: E402
from viz.palette import NEGATIVE, POSITIVE  # noqa: E402
from viz.plots import (  # noqa: E402
    MATPLOTLIB_MISSING,
    plot_filters,
    plot_gradient_flow,
    plot_history,
    plot_optimizer_paths,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def saves_png(fig, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=60)
    assert path.read_bytes().startswith(PNG_MAGIC)


def scatters(axis) -> list:
    return [c for c in axis.collections if isinstance(c, PathCollection)]


# -- plot_history ---------------------------------------------------------------------------------

CURVES = {
    "loss": [1.0, 0.6, 0.4],
    "accuracy": [0.5, 0.7, 0.8],
    "val_loss": [1.1, 0.7, 0.6],
    "val_accuracy": [0.4, 0.6, 0.7],
    "lr": [0.1, 0.01, 0.001],
}


def test_history_one_panel_per_metric_train_and_validation(tmp_path):
    history = History()
    history.history = dict(CURVES)
    fig = plot_history(history)
    assert [a.get_title() for a in fig.axes] == ["Loss", "Accuracy"]  # lr only when asked
    assert [len(a.lines) for a in fig.axes] == [2, 2]
    loss = fig.axes[0]
    assert [t.get_text() for t in loss.get_legend().get_texts()] == ["train", "validation"]
    assert list(loss.lines[1].get_xdata()) == [1, 2, 3]
    assert list(loss.lines[1].get_ydata()) == CURVES["val_loss"]
    saves_png(fig, tmp_path, "history")


def test_history_dict_metrics_and_axes():
    fig = plot_history({"loss": [3.0, 2.0]})
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1
    fig = plot_history(CURVES, metrics=["loss", "lr"])
    assert len(fig.axes) == 2 and fig.axes[1].get_yscale() == "log"
    fig, axes = plt.subplots(1, 2)
    assert plot_history(CURVES, ax=axes) is fig
    with pytest.raises(ValueError, match="needs 2 Axes"):
        plot_history(CURVES, ax=axes[0])
    with pytest.raises(KeyError, match="f1"):
        plot_history(CURVES, metrics=["f1"])
    with pytest.raises(TypeError, match="History"):
        plot_history([1, 2, 3])


# -- plot_decision_boundary -----------------------------------------------------------------------

POINTS = np.array([[-1.0, 0.5], [-0.5, -1.0], [0.5, 1.0], [1.0, -0.5]])
SIDES = np.array([0, 0, 1, 1])  # class 1 where x1 > 0


def boundary_xs(axis) -> np.ndarray:
    """The x coordinates of the drawn boundary line (the contour at the threshold)."""
    (lines,) = [c for c in axis.collections if list(getattr(c, "levels", [])) == [0.0]]
    return np.concatenate([seg[:, 0] for seg in lines.allsegs[0]])


def test_boundary_of_a_tensor_model(tmp_path):
    model = nn.Linear(2, 1)
    model.weight.data[...] = [[1.0, 0.0]]
    model.bias.data[...] = 0.0
    fig = plot_decision_boundary(model, POINTS, SIDES)
    (axis,) = fig.axes
    assert np.all(np.abs(boundary_xs(axis)) < 0.05)  # the line x1 = 0
    points = scatters(axis)
    assert len(points) == 2
    assert [to_hex(p.get_facecolor()[0]) for p in points] == [NEGATIVE, POSITIVE]
    assert [t.get_text() for t in axis.get_legend().get_texts()] == ["class 0", "class 1"]
    saves_png(fig, tmp_path, "boundary")


def test_boundary_of_a_scalar_mlp_and_labels_minus_one_plus_one():
    neuron = nn.Neuron(2, nonlin=False)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.0, 2.0, -1.0  # class +1 where x2 > 0.5
    fig = plot_decision_boundary(neuron, POINTS, np.array([-1, -1, 1, -1]))
    axis = fig.axes[0]
    (lines,) = [c for c in axis.collections if list(getattr(c, "levels", [])) == [0.0]]
    ys = np.concatenate([seg[:, 1] for seg in lines.allsegs[0]])
    assert np.all(np.abs(ys - 0.5) < 0.05)
    assert [t.get_text() for t in axis.get_legend().get_texts()] == ["class -1", "class 1"]


def test_boundary_threshold_for_probabilities_and_eval_mode():
    model = nn.Sequential(nn.Linear(2, 1), nn.Dropout(0.9), nn.Sigmoid())
    model[0].weight.data[...] = [[1.0, 0.0]]
    model[0].bias.data[...] = 0.0
    model.train()
    fig = plot_decision_boundary(model, POINTS, SIDES, threshold=0.5, resolution=51)
    assert np.all(np.abs(boundary_xs(fig.axes[0])) < 0.1)  # dropout off while drawing
    assert model.training and model[1].training


def test_boundary_of_two_class_scores_is_where_they_tie():
    model = nn.Linear(2, 2)
    model.weight.data[...] = [[0.0, 0.0], [1.0, 0.0]]  # score 1 - score 0 = x1
    model.bias.data[...] = [0.3, 0.3]
    axis = plot_decision_boundary(model, POINTS, SIDES).axes[0]
    assert np.all(np.abs(boundary_xs(axis)) < 0.05)


def test_boundary_with_class_scores_takes_the_argmax():
    random.seed(0)
    model = nn.Linear(2, 3)
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 3
    fig = plot_decision_boundary(model, Tensor(X), y, resolution=40)
    assert len(scatters(fig.axes[0])) == 3
    with pytest.raises(ValueError, match="one output per point separates two classes"):
        plot_decision_boundary(nn.Linear(2, 1), X, y)
    with pytest.raises(ValueError, match=r"shape \(30, 3\)"):
        plot_decision_boundary(model, np.zeros((30, 3)), y)


# -- plot_gradient_flow ---------------------------------------------------------------------------


def test_gradient_flow_of_a_tensor_model(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    with pytest.raises(ValueError, match="backward"):
        plot_gradient_flow(model)
    x = Tensor(np.random.default_rng(1).normal(size=(5, 3)).astype(np.float32))
    F.cross_entropy(model(x), Tensor(np.array([0, 1, 0, 1, 1]))).backward()
    fig = plot_gradient_flow(model)
    (axis,) = fig.axes
    assert [t.get_text() for t in axis.get_xticklabels()] == ["0.weight", "2.weight"]
    bars = axis.patches
    assert len(bars) == 4  # max and mean per layer
    grad = np.abs(model[2].weight.grad.data)
    assert bars[1].get_height() == pytest.approx(grad.max())
    assert bars[3].get_height() == pytest.approx(grad.mean())
    assert axis.get_yscale() == "log"
    saves_png(fig, tmp_path, "gradient_flow")


def test_gradient_flow_of_a_scalar_mlp_groups_by_layer():
    random.seed(2)
    mlp = nn.MLP(2, [3, 1])
    mlp([Value(0.5), Value(-1.0)]).backward()
    fig = plot_gradient_flow(mlp)
    axis = fig.axes[0]
    assert [t.get_text() for t in axis.get_xticklabels()] == ["layers.0", "layers.1"]
    last = [w.grad for w in mlp.layers[1].neurons[0].w]
    assert axis.patches[1].get_height() == pytest.approx(max(abs(g) for g in last))


# -- plot_filters ---------------------------------------------------------------------------------


def test_filters_one_image_per_output_channel_on_one_scale(tmp_path):
    conv = nn.Conv2d(1, 6, 3)
    fig = plot_filters(conv)
    images = [i for a in fig.axes for i in a.images]
    assert len(images) == 6 and len(fig.axes) == 6 + 1  # and a colour bar
    scale = float(np.abs(conv.weight.data).max())
    assert all(i.get_clim() == pytest.approx((-scale, scale)) for i in images)
    assert np.allclose(images[4].get_array(), conv.weight.data[4, 0])
    saves_png(fig, tmp_path, "filters")


def test_filters_rgb_mean_and_limits():
    fig = plot_filters(nn.Conv2d(3, 4, 3))
    images = [i for a in fig.axes for i in a.images]
    assert len(images) == 4 and images[0].get_array().shape == (3, 3, 3)  # colour images
    weight = np.random.default_rng(0).normal(size=(20, 5, 3, 3))
    fig = plot_filters(weight, max_filters=8)
    images = [i for a in fig.axes for i in a.images if isinstance(i, AxesImage)]
    assert len(images) == 8
    assert np.allclose(images[0].get_array(), weight[0].mean(axis=0))
    with pytest.raises(ValueError, match="in_channel"):
        plot_filters(weight, in_channel=5)


# -- plot_optimizer_paths -------------------------------------------------------------------------


def bowl(p):
    return p[0] ** 2 + 10 * p[1] ** 2


def test_optimizer_paths(tmp_path):
    optimizers = {
        "SGD": lambda params: nn.optim.SGD(params, lr=0.02),
        "Adam": lambda params: nn.optim.Adam(params, lr=0.1),
    }
    fig = plot_optimizer_paths(bowl, optimizers, start=(2.0, 1.0), steps=40, resolution=60)
    sgd, adam = fig.paths["SGD"], fig.paths["Adam"]
    assert sgd.shape == adam.shape == (41, 2)
    k = np.arange(41)
    assert np.allclose(sgd[:, 0], 2.0 * (1 - 2 * 0.02) ** k)  # x <- x - lr * 2x
    assert np.allclose(sgd[:, 1], 1.0 * (1 - 20 * 0.02) ** k)
    assert abs(adam[-1]).max() < 0.5
    (axis,) = fig.axes
    labels = [t.get_text() for t in axis.get_legend().get_texts()]
    assert labels[0].startswith("SGD: f = ") and labels[1].startswith("Adam") and "start" in labels
    saves_png(fig, tmp_path, "optimizer_paths")


def test_optimizer_paths_with_a_function_that_does_not_vectorise():
    def scalar_only(p):
        if p.shape != (2,):
            raise ValueError("one point at a time")
        return bowl(p)

    sgd = {"SGD": lambda params: nn.optim.SGD(params, lr=0.1)}
    fig = plot_optimizer_paths(scalar_only, sgd, (1.0, 1.0), steps=5, resolution=12)
    assert fig.paths["SGD"].shape == (6, 2)
    with pytest.raises(TypeError, match="scalar Tensor"):
        plot_optimizer_paths(lambda p: p * 2, sgd, (1.0, 1.0), steps=2)


# -- animate_training -----------------------------------------------------------------------------


def test_animate_training_writes_one_frame_per_snapshot(tmp_path):
    model = nn.Linear(2, 1)
    opt = nn.optim.SGD(model.parameters(), lr=0.5)
    X = Tensor(POINTS.astype(np.float32))
    target = Tensor(SIDES.astype(np.float32).reshape(-1, 1))
    seen = []

    def train_step(epoch):
        seen.append(epoch)
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(X), target)
        loss.backward()
        opt.step()
        return loss

    path = animate_training(
        model, POINTS, SIDES, train_step, epochs=5, path=tmp_path / "train.gif", every=2
    )
    assert path == tmp_path / "train.gif"
    assert seen == [0, 1, 2, 3, 4]
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 4  # before training, after epochs 2 and 4, after the last (5)
    assert plt.get_fignums() == []  # its figure is closed


def test_animate_training_scalar_model(tmp_path):
    random.seed(3)
    mlp = nn.MLP(2, [4, 1])
    path = animate_training(
        mlp, POINTS, SIDES, lambda epoch: None, epochs=2, path=tmp_path / "s.gif", resolution=15
    )
    with Image.open(path) as gif:
        assert gif.n_frames == 3


# -- without matplotlib ---------------------------------------------------------------------------


def test_plots_say_how_to_install_matplotlib(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    calls = [
        lambda: plot_history(CURVES),
        lambda: plot_decision_boundary(nn.Linear(2, 1), POINTS, SIDES),
        lambda: plot_filters(np.zeros((2, 1, 3, 3))),
        lambda: animate_training(nn.Linear(2, 1), POINTS, SIDES, print, 1, tmp_path / "x.gif"),
    ]
    for call in calls:
        with pytest.raises(ImportError) as error:
            call()
        assert str(error.value) == MATPLOTLIB_MISSING
        assert "pip install matplotlib" in MATPLOTLIB_MISSING
