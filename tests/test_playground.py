"""viz.Playground's Python side: data, features, network, training rule, pictures, settings."""

from __future__ import annotations

import subprocess
import sys
import time
import zlib

import numpy as np
import pytest

import nn
from autograd import Tensor, no_grad
from viz import Playground
from viz import playground as P


def decode_png(data: bytes) -> np.ndarray:
    """The RGB array of a PNG written by ``png_bytes`` (8-bit RGB, filter 0 rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = np.frombuffer(data[position : position + 4], ">u4")
        tag = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + int(length)]
        crc = int(np.frombuffer(data[position + 8 + int(length) :][:4], ">u4")[0])
        assert crc == zlib.crc32(tag + body) & 0xFFFFFFFF
        chunks[tag] = chunks.get(tag, b"") + body
        position += 12 + int(length)
    width, height = np.frombuffer(chunks[b"IHDR"][:8], ">u4")
    assert chunks[b"IHDR"][8:] == bytes([8, 2, 0, 0, 0])
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
    assert (rows[:, 0] == 0).all()
    return rows[:, 1:].reshape(height, width, 3)


def weights(pg: Playground) -> list[np.ndarray]:
    return [m.weight.data.copy() for m in pg.model if isinstance(m, nn.Linear)]


def biases(pg: Playground) -> list[np.ndarray]:
    return [m.bias.data.copy() for m in pg.model if isinstance(m, nn.Linear)]


# -- the network and data -------------------------------------------------------------------------


def test_default_is_the_playgrounds_2_4_2_tanh_network_with_its_initial_weights():
    pg = Playground()
    kinds = [type(m).__name__ for m in pg.model]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Tanh"]
    assert [w.shape for w in weights(pg)] == [(4, 2), (2, 4), (1, 2)]
    for w, b in zip(weights(pg), biases(pg)):
        assert w.dtype == np.float64 and np.abs(w).max() <= 0.5 and np.abs(w).min() > 0
        np.testing.assert_array_equal(b, 0.1)
    assert len(pg.X_train) == 250 and len(pg.X_test) == 250
    assert pg.epoch == 0 and len(pg.history) == 1


@pytest.mark.parametrize("activation, module", [("relu", nn.ReLU), ("sigmoid", nn.Sigmoid)])
def test_activation_sits_between_the_hidden_layers_only(activation, module):
    pg = Playground(activation=activation, hidden=[3, 5, 2])
    kinds = [type(m) for m in pg.model]
    assert kinds.count(module) == 3
    assert kinds[-2:] == [nn.Linear, nn.Tanh]  # the output is tanh, for the +-1 labels


def test_linear_activation_and_regression_output_are_plain_linear_layers():
    pg = Playground(activation="linear", problem="regression", dataset="plane", hidden=[3])
    assert [type(m) for m in pg.model] == [nn.Linear, nn.Linear]


def test_no_hidden_layer_is_a_linear_model_of_the_features():
    pg = Playground(hidden=[], features=["x1", "x2", "x1^2"])
    assert [w.shape for w in weights(pg)] == [(1, 3)]


@pytest.mark.parametrize("dataset", P.CLASSIFICATION_DATASETS)
def test_classification_data_are_points_on_the_plane_with_labels_plus_minus_one(dataset):
    pg = Playground(dataset=dataset, noise=0.1, n_samples=200, train_ratio=0.3)
    assert pg.X_train.shape == (60, 2) and pg.X_test.shape == (140, 2)
    labels = np.concatenate([pg.y_train, pg.y_test])
    assert set(np.unique(labels)) == {-1.0, 1.0}
    assert np.abs(np.concatenate([pg.X_train, pg.X_test])).max() < 7


def test_regression_plane_label_is_x_plus_y_over_ten():
    pg = Playground(problem="regression", dataset="plane", noise=0.0)
    np.testing.assert_allclose(pg.y_train, np.clip(pg.X_train.sum(axis=1) / 10, -1, 1), 0, 1e-15)


def test_regression_multigauss_is_plus_minus_one_at_the_bump_centres_and_zero_far_away():
    X = np.array([[-4, 2.5], [0, 2.5], [0, -2.5], [-2, 0.0], [1, 2.5]])
    np.testing.assert_allclose(P.multigauss_label(X), [1.0, -1.0, 1.0, 0.0, -0.5], 0, 1e-15)
    pg = Playground(problem="regression", dataset="multigauss", noise=0.0)
    np.testing.assert_array_equal(pg.y_train, P.multigauss_label(pg.X_train))
    assert pg.y_train.min() < -0.5 and pg.y_train.max() > 0.5


def test_input_features_are_the_playgrounds_seven():
    points = np.array([[1.0, 2.0], [-0.5, 3.0]])
    got = P.input_features(points, P.FEATURES)
    x1, x2 = points.T
    expected = np.stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)], axis=1)
    np.testing.assert_allclose(got, expected, 0, 1e-15)


def test_same_seed_same_data_and_weights_and_regenerate_changes_both():
    a, b = Playground(seed=3), Playground(seed=3)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    for wa, wb in zip(weights(a), weights(b)):
        np.testing.assert_array_equal(wa, wb)
    b.regenerate()
    assert b.to_dict()["seed"] == 4
    assert not np.array_equal(a.X_train, b.X_train)
    assert not np.array_equal(weights(a)[0], weights(b)[0])


# -- training -------------------------------------------------------------------------------------


def test_loss_is_half_the_mean_squared_error_of_the_model_on_the_features():
    pg = Playground(dataset="xor", features=["x1", "x2", "x1*x2"])
    pg.step(2)
    for X, y, loss in (
        (pg.X_train, pg.y_train, pg.train_loss),
        (pg.X_test, pg.y_test, pg.test_loss),
    ):
        with no_grad():
            out = pg.model(Tensor(P.input_features(X, ["x1", "x2", "x1*x2"]))).data[:, 0]
        np.testing.assert_allclose(loss, 0.5 * np.mean((out - y) ** 2), rtol=1e-12)
    assert [h[0] for h in pg.history] == [0, 1, 2]


def test_training_lowers_the_loss_and_learns_xor_with_the_product_feature():
    pg = Playground(dataset="xor", features=["x1", "x2", "x1*x2"], hidden=[], learning_rate=0.1)
    start = pg.test_loss
    train, test = pg.step(30)
    assert pg.epoch == 30 and (train, test) == (pg.train_loss, pg.test_loss)
    assert test < 0.5 * start
    assert pg.accuracy("test") > 0.9 and pg.accuracy("train") > 0.9


def _one_sgd_step(**settings) -> Playground:
    """A Playground whose epoch is one SGD step: 5 training points, batch of 30."""
    pg = Playground(n_samples=10, train_ratio=0.5, batch_size=30, seed=1, **settings)
    pg.step(1)
    return pg


@pytest.mark.parametrize("rate", [0.01, 0.3])
def test_l2_adds_rate_times_weight_to_the_weights_gradient_not_the_biases(rate):
    start = Playground(n_samples=10, seed=1)
    plain = _one_sgd_step(learning_rate=0.1)
    l2 = _one_sgd_step(learning_rate=0.1, regularization="L2", regularization_rate=rate)
    for w0, w, w_l2 in zip(weights(start), weights(plain), weights(l2)):
        np.testing.assert_allclose(w_l2, w - 0.1 * rate * w0, rtol=1e-12, atol=1e-15)
    for b, b_l2 in zip(biases(plain), biases(l2)):
        np.testing.assert_array_equal(b, b_l2)


def test_l1_moves_weights_towards_zero_and_stops_at_zero():
    plain = _one_sgd_step(learning_rate=0.1)
    l1 = _one_sgd_step(learning_rate=0.1, regularization="L1", regularization_rate=1.0)
    for w, w_l1 in zip(weights(plain), weights(l1)):
        shrunk = np.sign(w) * np.maximum(np.abs(w) - 0.1, 0.0)
        np.testing.assert_allclose(w_l1, shrunk, rtol=1e-12, atol=1e-15)
    assert sum((w == 0).sum() for w in weights(l1)) > 0
    for b, b_l1 in zip(biases(plain), biases(l1)):
        np.testing.assert_array_equal(b, b_l1)


def test_l1_prunes_weights_of_unneeded_features_to_exactly_zero():
    settings = dict(dataset="gaussian", features=list(P.FEATURES), hidden=[4], seed=2)
    pruned = Playground(regularization="L1", regularization_rate=0.01, **settings)
    dense = Playground(**settings)
    pruned.step(30)
    dense.step(30)
    assert sum((w == 0).sum() for w in weights(pruned)) >= 5
    assert sum((w == 0).sum() for w in weights(dense)) == 0
    assert pruned.accuracy() > 0.9


def test_step_checks_its_argument_and_refuses_while_playing():
    pg = Playground()
    with pytest.raises(ValueError, match="epochs must be an int >= 0"):
        pg.step(-1)
    pg.play()
    try:
        with pytest.raises(RuntimeError, match="pause first"):
            pg.step()
    finally:
        pg.pause()


def test_play_trains_in_a_thread_and_pause_stops_it_promptly():
    pg = Playground(n_samples=500, batch_size=1)  # 250 SGD steps an epoch
    pg.play()
    assert pg.playing
    deadline = time.monotonic() + 30
    while pg.epoch < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pg.epoch >= 2
    started = time.monotonic()
    pg.pause()
    assert not pg.playing
    assert time.monotonic() - started < 1.0  # within one SGD step, not the rest of the epoch
    stopped = (pg.epoch, len(pg.history))
    time.sleep(0.1)
    assert (pg.epoch, len(pg.history)) == stopped


def test_changing_the_network_while_playing_starts_over_cleanly():
    pg = Playground()
    pg.play()
    try:
        while pg.epoch < 2:
            time.sleep(0.01)
        pg.set(hidden=[3])
        assert [w.shape for w in weights(pg)][0] == (3, 2)
        while pg.epoch < 2:
            time.sleep(0.01)
    finally:
        pg.pause()
    assert [h[0] for h in pg.history] == list(range(pg.epoch + 1))
    assert np.isfinite([h[1:] for h in pg.history]).all()


# -- settings ------------------------------------------------------------------------------------


def test_set_restarts_on_network_changes_and_acts_live_on_the_learning_rate():
    pg = Playground()
    pg.step(3)
    model = pg.model
    pg.set(learning_rate=0.3, batch_size=5, regularization="L2", regularization_rate=0.01)
    assert pg.model is model and pg.epoch == 3
    assert [g["lr"] for g in pg.optimizer.param_groups] == [0.3, 0.3]
    assert [g["weight_decay"] for g in pg.optimizer.param_groups] == [0.01, 0.0]
    pg.set(features=["x1", "x2", "sin(x1)"], hidden=[5])
    assert pg.model is not model and pg.epoch == 0 and len(pg.history) == 1
    assert [w.shape for w in weights(pg)] == [(5, 3), (1, 5)]


def test_reset_returns_to_the_same_initial_weights_with_the_same_data():
    pg = Playground(seed=5)
    first, data = weights(pg), pg.X_train.copy()
    pg.step(3)
    pg.reset()
    assert pg.epoch == 0
    for a, b in zip(first, weights(pg)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(data, pg.X_train)


def test_switching_the_problem_switches_to_its_data_sets():
    pg = Playground()
    pg.set(problem="regression")
    assert pg.to_dict()["dataset"] == "plane"
    with pytest.raises(ValueError, match="only for problem='classification'"):
        pg.accuracy()
    pg.set(problem="classification")
    assert pg.to_dict()["dataset"] == "circle"


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"speed": 3}, r"unknown setting\(s\) \['speed'\]"),
        ({"dataset": "plane"}, "not a classification data set; choose one of"),
        ({"hidden": [4] * 7}, "at most 6 layer sizes, each 1 to 8"),
        ({"hidden": [9]}, "at most 6 layer sizes, each 1 to 8"),
        ({"hidden": [None]}, "at most 6 layer sizes, each 1 to 8"),
        ({"hidden": 4}, "at most 6 layer sizes, each 1 to 8"),
        ({"features": []}, "at least one input feature"),
        ({"features": "x1"}, "list of names"),
        ({"features": ["x3"]}, r"unknown feature\(s\) \['x3'\]"),
        ({"activation": "elu"}, "activation must be one of"),
        ({"batch_size": 0}, r"batch_size must be in \[1, 30\]"),
        ({"noise": 0.7}, r"noise must be in \[0.0, 0.5\]"),
    ],
)
def test_bad_settings_are_refused_with_the_fix(settings, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Playground(**settings)
    pg = Playground()
    before = pg.to_dict()
    with pytest.raises((ValueError, TypeError), match=message):
        pg.set(**settings)
    assert pg.to_dict() == before


def test_fps_must_be_positive():
    with pytest.raises(ValueError, match="fps must be a number > 0, got 0"):
        Playground(fps=0)


def test_to_dict_from_dict_round_trip_rebuilds_the_same_playground():
    settings = dict(
        dataset="spiral",
        noise=0.2,
        train_ratio=0.7,
        batch_size=12,
        features=["sin(x2)", "x1", "x1*x2"],
        hidden=[6, 3, 2],
        activation="relu",
        learning_rate=0.01,
        regularization="L1",
        regularization_rate=0.003,
        show_test=False,
        seed=11,
    )
    pg = Playground(**settings)
    d = pg.to_dict()
    assert d["features"] == ["x1", "x1*x2", "sin(x2)"]  # the Playground's order
    twin = Playground.from_dict(d)
    assert twin.to_dict() == d
    np.testing.assert_array_equal(twin.X_test, pg.X_test)
    for a, b in zip(weights(pg), weights(twin)):
        np.testing.assert_array_equal(a, b)


def test_state_string_round_trips_and_reads_like_a_url():
    pg = Playground(dataset="spiral", features=["x1", "x2", "sin(x1)", "x1^2"], hidden=[8, 8])
    state = pg.state
    assert "dataset=spiral" in state and "features=x1,x2,x1^2,sin(x1)" in state
    assert "hidden=8,8" in state and " " not in state
    assert Playground.from_state(state).to_dict() == pg.to_dict()
    assert Playground.from_state("#" + state).to_dict() == pg.to_dict()
    assert Playground.from_state("hidden=&dataset=xor").to_dict()["hidden"] == []
    assert eval(repr(pg), {"Playground": Playground}).to_dict() == pg.to_dict()


@pytest.mark.parametrize(
    "state, message",
    [
        ("colour=red", "unknown setting 'colour'"),
        ("batch_size=ten", r"cannot read batch_size='ten'"),
        ("show_test=maybe", r"cannot read show_test='maybe'"),
        ("hidden=4,20", "each 1 to 8"),
    ],
)
def test_bad_state_strings_are_refused_naming_the_setting(state, message):
    with pytest.raises(ValueError, match=message):
        Playground.from_state(state)


# -- pictures -----------------------------------------------------------------------------------


def test_grid_outputs_are_each_units_values_over_the_plane():
    pg = Playground(features=["x1", "x2", "x1^2"], hidden=[3, 2], activation="relu")
    pg.step(2)
    maps = pg.grid_outputs()
    assert [m.shape for m in maps] == [(3, 100, 100), (3, 100, 100), (2, 100, 100), (1, 100, 100)]
    # the top-left cell is the point (-5.94, 5.94)
    point = np.array([[-6 + 0.06, 6 - 0.06]])
    h = P.input_features(point, ["x1", "x2", "x1^2"])
    np.testing.assert_allclose(maps[0][:, 0, 0], h[0], rtol=1e-12)
    (w1, w2, w3), (b1, b2, b3) = weights(pg), biases(pg)
    h1 = np.maximum(h @ w1.T + b1, 0)
    h2 = np.maximum(h1 @ w2.T + b2, 0)
    out = np.tanh(h2 @ w3.T + b3)
    for got, expected in zip(maps[1:], (h1, h2, out)):
        np.testing.assert_allclose(got[:, 0, 0], expected[0], rtol=1e-10, atol=1e-12)


def test_png_bytes_decode_to_the_image():
    image = np.random.default_rng(0).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    np.testing.assert_array_equal(decode_png(P.png_bytes(image)), image)


def test_colour_map_is_orange_grey_blue():
    rgb = P.colour_map(np.array([-3.0, -1.0, 0.0, 1.0, 5.0]))
    assert rgb[0].tolist() == rgb[1].tolist() == [0xE8, 0x71, 0x0A]
    assert rgb[2].tolist() == [0xE8, 0xEA, 0xEB]
    assert rgb[3].tolist() == rgb[4].tolist() == [0x08, 0x77, 0xBD]


def test_boundary_picture_shows_the_points_and_changes_as_the_model_learns():
    pg = Playground(dataset="gaussian", learning_rate=0.1)
    before = decode_png(pg.boundary_png())
    assert before.shape == (300, 300, 3)
    pg.step(5)
    after = decode_png(pg.boundary_png())
    assert (before != after).any(axis=2).mean() > 0.2  # most of the background changed colour
    # gaussian: positives (blue) up right, negatives (orange) down left once trained
    blue, orange = P.colour_map(np.array([1.0]), 0.35)[0], P.colour_map(np.array([-1.0]), 0.35)
    corner_up_right, corner_down_left = after[5, 295].astype(int), after[295, 5].astype(int)
    assert np.abs(corner_up_right - blue).sum() < np.abs(corner_up_right - orange[0]).sum()
    assert np.abs(corner_down_left - orange[0]).sum() < np.abs(corner_down_left - blue).sum()
    # the points: a training point's rim is white, a test point's black
    row = int(round((6 - pg.X_test[0, 1]) / 12 * 300))
    col = int(round((pg.X_test[0, 0] + 6) / 12 * 300))
    assert (after[max(row - 8, 0) : row + 9, max(col - 8, 0) : col + 9] == 0).all(axis=2).any()
    hidden = Playground(dataset="gaussian", show_test=False)
    assert not (decode_png(hidden.boundary_png()) == 0).all(axis=2).any()


def test_network_picture_draws_each_weight_by_sign_and_each_unit_as_a_heat_map():
    pg = Playground(hidden=[3])
    svg = pg.network_svg()
    w = np.concatenate([w.ravel() for w in weights(pg)])
    assert svg.count("<path") == w.size == 9
    assert svg.count(f'stroke="{P.POSITIVE}"') == (w > 0).sum()
    assert svg.count(f'stroke="{P.NEGATIVE}"') == (w < 0).sum()
    assert svg.count("<image") == 2 + 3 + 1
    assert svg.count("data:image/png;base64,") == 6
    assert "X₁" in svg and "X₂" in svg
    before = svg
    pg.step(3)
    assert pg.network_svg() != before


def test_loss_curve_has_a_point_per_epoch_for_both_losses():
    pg = Playground()
    pg.step(4)
    svg = pg.loss_curve_svg()
    assert svg.count("<polyline") == 2
    assert all(
        len(line.split('points="')[1].split('"')[0].split()) == 5
        for line in svg.split("<polyline")[1:]
    )


# -- without widgets ------------------------------------------------------------------------------


def test_import_viz_does_not_import_ipywidgets():
    code = "import sys, viz; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_ipywidgets_the_notebook_shows_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    monkeypatch.setitem(sys.modules, "viz._playground_view", None)
    pg = Playground(dataset="xor")
    bundle = pg._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert "needs ipywidgets" in bundle["text/plain"]
    assert "pip install" in bundle["text/plain"] and "xor" in bundle["text/plain"]
    with pytest.raises(ImportError):
        _ = pg.widget
    assert pg.step(1)[1] == pg.test_loss  # the Python side works without them
