"""viz.Playground's widgets, driven from Python as the front end drives them: set a control's
value or click a button, then check the Playground and what the widgets show."""

from __future__ import annotations

import re
import time

import ipywidgets
import numpy as np

import nn
from viz import Playground


def shown(pg: Playground):
    """The Playground's widgets (building them as showing it in a notebook does)."""
    box = pg.widget
    assert isinstance(box, ipywidgets.VBox) and "cr-playground" in box._dom_classes
    return pg._view


def epoch_shown(view) -> int:
    return int(re.search(r"cr-epoch-value'>([\d,]+)<", view.epoch.value)[1].replace(",", ""))


def test_controls_show_the_settings():
    pg = Playground(dataset="xor", features=["x1", "sin(x2)"], hidden=[3, 5], activation="relu")
    view = shown(pg)
    assert view.controls["dataset"].value == "xor"
    assert view.controls["activation"].value == "relu"
    assert [name for name, box in view.features.items() if box.value] == ["x1", "sin(x2)"]
    assert "2 hidden layers" in view.layer_count.value
    assert len(view.neuron_rows.children) == 2
    assert epoch_shown(view) == 0
    assert view.boundary.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert view.network.value.startswith("<svg")


def test_setting_controls_changes_the_playground():
    pg = Playground()
    view = shown(pg)
    view.controls["activation"].value = "relu"
    assert pg.to_dict()["activation"] == "relu"
    assert any(isinstance(m, nn.ReLU) for m in pg.model)
    view.controls["learning_rate"].value = 0.3
    assert pg.optimizer.param_groups[0]["lr"] == 0.3
    view.controls["regularization"].value = "L2"
    view.controls["regularization_rate"].value = 0.01
    assert pg.optimizer.param_groups[0]["weight_decay"] == 0.01
    view.controls["batch_size"].value = 20
    view.controls["noise"].value = 0.25
    view.controls["train_ratio"].value = 0.7
    assert len(pg.X_train) == 350
    view.controls["dataset"].value = "spiral"
    view.features["sin(x1)"].value = True
    assert pg.to_dict()["features"] == ["x1", "x2", "sin(x1)"]
    assert pg.model[0].in_features == 3
    s = pg.to_dict()
    assert (s["dataset"], s["noise"], s["batch_size"]) == ("spiral", 0.25, 20)


def test_problem_switch_offers_the_regression_data_sets():
    pg = Playground()
    view = shown(pg)
    view.controls["problem"].value = "regression"
    assert view.controls["dataset"].options == ("plane", "multigauss")
    assert view.controls["dataset"].value == "plane" == pg.to_dict()["dataset"]
    view.controls["dataset"].value = "multigauss"
    assert pg.to_dict()["dataset"] == "multigauss"


def test_layer_and_neuron_buttons_reshape_the_network():
    pg = Playground()
    view = shown(pg)
    view.add_layer.click()
    assert pg.to_dict()["hidden"] == [4, 2, 2]
    more = view.neuron_rows.children[0].children[0].children[1]
    more.click()
    assert pg.to_dict()["hidden"] == [5, 2, 2]
    assert pg.model[0].out_features == 5
    view.remove_layer.click()
    view.remove_layer.click()
    view.remove_layer.click()
    assert pg.to_dict()["hidden"] == [] and view.remove_layer.disabled
    for _ in range(6):
        view.add_layer.click()
    assert len(pg.to_dict()["hidden"]) == 6 and view.add_layer.disabled


def test_neuron_buttons_are_rebuilt_only_when_the_layers_change():
    pg = Playground()
    view = shown(pg)
    rows = view.neuron_rows.children
    pg.set(learning_rate=0.1)
    pg.play()
    pg.pause()
    assert view.neuron_rows.children == rows
    view.add_layer.click()
    assert len(view.neuron_rows.children) == 3
    assert all(row.comm is None for row in rows)  # the old ones are closed


def test_a_refused_change_shows_why_and_puts_the_control_back():
    pg = Playground(features=["x1"])
    view = shown(pg)
    view.features["x1"].value = False
    assert "at least one input feature" in view.message.value
    assert view.features["x1"].value is True and pg.to_dict()["features"] == ["x1"]


def test_step_button_trains_an_epoch_and_redraws():
    pg = Playground(dataset="gaussian", learning_rate=0.1)
    view = shown(pg)
    image, network, losses = view.boundary.value, view.network.value, view.losses.value
    view.step.click()
    assert pg.epoch == 1 and epoch_shown(view) == 1
    assert view.boundary.value != image and view.network.value != network
    assert view.losses.value != losses and f"{pg.test_loss:.3f}" in view.losses.value
    assert view.curve.value.count("<polyline") == 2


def test_play_button_trains_live_and_pauses():
    pg = Playground()
    view = shown(pg)
    first_image = view.boundary.value
    view.play.click()
    try:
        assert pg.playing and "Pause" in view.play.description and view.step.disabled
        deadline = time.monotonic() + 30
        while epoch_shown(view) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert epoch_shown(view) >= 5  # the thread refreshed the widgets while training
        assert view.boundary.value != first_image
    finally:
        view.play.click()
    assert not pg.playing and "Play" in view.play.description and not view.step.disabled
    assert epoch_shown(view) == pg.epoch  # the last frame is the paused state


def test_reset_and_regenerate_buttons():
    pg = Playground()
    view = shown(pg)
    start = pg.model[0].weight.data.copy()
    view.step.click()
    view.reset.click()
    assert pg.epoch == 0 and epoch_shown(view) == 0
    np.testing.assert_array_equal(pg.model[0].weight.data, start)
    view.regenerate.click()
    assert pg.to_dict()["seed"] == 1


def test_settings_from_code_appear_in_the_controls():
    pg = Playground()
    view = shown(pg)
    pg.set(activation="sigmoid", features=["x1^2", "x2^2"], hidden=[1])
    assert view.controls["activation"].value == "sigmoid"
    assert [name for name, box in view.features.items() if box.value] == ["x1^2", "x2^2"]
    assert len(view.neuron_rows.children) == 1


def test_the_notebook_gets_the_widget_with_a_text_fallback():
    pg = Playground()
    bundle = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == pg.widget.model_id
    assert "needs ipywidgets in a live Jupyter front end" in bundle["text/plain"]
