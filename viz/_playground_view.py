"""The Playground's widgets (ipywidgets): its controls, numbers and pictures, laid out as on
playground.tensorflow.org. ``viz.playground.Playground.widget`` builds one; everything it shows
comes from the Playground, and every control calls ``Playground.set`` (or play, pause, ...).

The elements a test or a style sheet may look for carry CSS classes: ``cr-playground`` (the
whole), ``cr-play``, ``cr-step``, ``cr-reset``, ``cr-regenerate`` (buttons), ``cr-epoch`` (the
epoch counter), ``cr-losses`` (whose ``.cr-test-loss`` and ``.cr-train-loss`` hold the numbers),
``cr-boundary`` (the output's picture), ``cr-network`` (the network's picture).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from . import playground as pg

if TYPE_CHECKING:
    from .playground import Playground

_NARROW = w.Layout(width="170px")


def _title(text: str) -> w.HTML:
    return w.HTML(f"<b style='color:#555;letter-spacing:1px'>{text}</b>")


def _button(description: str, css: str, tooltip: str, width: str = "auto") -> w.Button:
    button = w.Button(description=description, tooltip=tooltip, layout=w.Layout(width=width))
    button.add_class(css)
    return button


def _close(widget: w.Widget) -> None:
    """Close a widget and the widgets inside it (their front-end models go too)."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


class PlaygroundView:
    """The widgets of one Playground; ``box`` is what the notebook shows."""

    def __init__(self, playground: Playground) -> None:
        self.pg = playground
        self._draw_lock = threading.Lock()  # the training thread and the kernel both refresh
        self._syncing = False
        self._shown_hidden: list[int] | None = None  # the layers the neuron buttons are for
        s = playground.to_dict()

        # the top bar
        self.reset = _button("⟲ Reset", "cr-reset", "Start over with the initial weights")
        self.play = _button("▶ Play", "cr-play", "Train until paused", width="100px")
        self.play.button_style = "primary"
        self.step = _button("Step", "cr-step", "Train one epoch")
        self.epoch = w.HTML()
        self.epoch.add_class("cr-epoch")
        self.controls: dict[str, Any] = {
            "learning_rate": w.Dropdown(options=pg.LEARNING_RATES, description="Learning rate"),
            "activation": w.Dropdown(options=pg.ACTIVATIONS, description="Activation"),
            "regularization": w.Dropdown(options=pg.REGULARIZATIONS, description="Regularization"),
            "regularization_rate": w.Dropdown(
                options=pg.REGULARIZATION_RATES, description="Reg. rate"
            ),
            "problem": w.Dropdown(options=pg.PROBLEMS, description="Problem"),
            # the data
            "dataset": w.Dropdown(options=pg.CLASSIFICATION_DATASETS, layout=_NARROW),
            "train_ratio": w.FloatSlider(
                min=0.1, max=0.9, step=0.1, description="Train %", readout_format=".0%"
            ),
            "noise": w.FloatSlider(min=0.0, max=0.5, step=0.05, description="Noise"),
            "batch_size": w.IntSlider(min=1, max=30, description="Batch size"),
            "show_test": w.Checkbox(description="Show test data", indent=False),
        }
        for name in ("train_ratio", "noise", "batch_size"):
            self.controls[name].layout = w.Layout(width="230px")
            self.controls[name].style = {"description_width": "70px"}
        for name in ("learning_rate", "activation", "regularization", "regularization_rate"):
            self.controls[name].layout = w.Layout(width="200px")
            self.controls[name].style = {"description_width": "95px"}
        self.controls["problem"].layout = w.Layout(width="220px")
        self.regenerate = _button("Regenerate", "cr-regenerate", "New data: seed + 1")
        self.features = {
            name: w.Checkbox(description=pg._LABELS[name], indent=False, layout=_NARROW)
            for name in pg.FEATURES
        }
        self.add_layer = _button("+", "cr-add-layer", "Add a hidden layer", width="32px")
        self.remove_layer = _button("−", "cr-remove-layer", "Remove a hidden layer", width="32px")
        self.layer_count = w.HTML()
        self.neuron_rows = w.HBox()
        self.message = w.HTML()
        self.network = w.HTML()
        self.network.add_class("cr-network")
        self.losses = w.HTML()
        self.losses.add_class("cr-losses")
        self.curve = w.HTML()
        self.boundary = w.Image(format="png", width=pg.IMAGE, height=pg.IMAGE)
        self.boundary.add_class("cr-boundary")

        top = w.HBox(
            [self.reset, self.play, self.step, self.epoch]
            + [self.controls[k] for k in ("learning_rate", "activation")]
            + [self.controls[k] for k in ("regularization", "regularization_rate", "problem")],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        data = w.VBox(
            [_title("DATA"), self.controls["dataset"], self.regenerate]
            + [self.controls[k] for k in ("train_ratio", "noise", "batch_size")]
            + [_title("FEATURES")]
            + list(self.features.values()),
            layout=w.Layout(flex="0 0 230px"),
        )
        network = w.VBox(
            [
                w.HBox([_title("HIDDEN LAYERS"), self.remove_layer, self.add_layer]),
                self.layer_count,
                self.neuron_rows,
                self.network,
            ],
            layout=w.Layout(flex="1 1 auto", margin="0 12px", overflow="auto hidden"),
        )
        output = w.VBox(
            [_title("OUTPUT"), self.losses, self.curve, self.boundary, self.controls["show_test"]],
            layout=w.Layout(flex="0 0 304px"),
        )
        self.box = w.VBox([top, self.message, w.HBox([data, network, output])])
        self.box.add_class("cr-playground")

        self.sync_controls(s)
        for key, control in self.controls.items():
            control.observe(self._setter(key), names="value")
        for checkbox in self.features.values():
            checkbox.observe(self._features_changed, names="value")
        self.play.on_click(lambda _: self._act(self._toggle_play))
        self.step.on_click(lambda _: self._act(lambda: self.pg.step(1)))
        self.reset.on_click(lambda _: self._act(self._reset))
        self.regenerate.on_click(lambda _: self._act(self.pg.regenerate))
        self.add_layer.on_click(lambda _: self._change_layers(+1))
        self.remove_layer.on_click(lambda _: self._change_layers(-1))

    # -- from the controls to the Playground -------------------------------------------------------

    def _act(self, action) -> None:
        """Run a control's action; show a mistake's message instead of a traceback."""
        try:
            action()
            self.message.value = ""
        except (ValueError, TypeError, RuntimeError) as error:
            self.message.value = f"<span style='color:#c00'>{error}</span>"
            self.sync_controls(self.pg.to_dict())

    def _setter(self, key: str):
        def changed(change: dict) -> None:
            if not self._syncing:
                self._act(lambda: self.pg.set(**{key: change["new"]}))

        return changed

    def _features_changed(self, _change: dict) -> None:
        if not self._syncing:
            chosen = [name for name, box in self.features.items() if box.value]
            self._act(lambda: self.pg.set(features=chosen))

    def _change_layers(self, delta: int) -> None:
        hidden = self.pg.to_dict()["hidden"]
        hidden = hidden + [hidden[-1] if hidden else 2] if delta > 0 else hidden[:-1]
        self._act(lambda: self.pg.set(hidden=hidden))

    def _change_neurons(self, layer: int, delta: int) -> None:
        hidden = self.pg.to_dict()["hidden"]
        hidden[layer] += delta
        self._act(lambda: self.pg.set(hidden=hidden))

    def _toggle_play(self) -> None:
        if self.pg.playing:
            self.pg.pause()
        else:
            self.pg.play()

    def _reset(self) -> None:
        self.pg.pause()
        self.pg.reset()

    # -- from the Playground to the widgets --------------------------------------------------------

    def sync_controls(self, s: dict[str, Any]) -> None:
        """Put the settings ``s`` into the controls without calling back."""
        self._syncing = True
        try:
            datasets = (
                pg.CLASSIFICATION_DATASETS
                if s["problem"] == "classification"
                else pg.REGRESSION_DATASETS
            )
            if tuple(self.controls["dataset"].options) != datasets:
                self.controls["dataset"].options = datasets
            for key, control in self.controls.items():
                if control.value != s[key]:
                    control.value = s[key]
            for name, box in self.features.items():
                box.value = name in s["features"]
            hidden = s["hidden"]
            self.layer_count.value = f"{len(hidden)} hidden layer" + (
                "" if len(hidden) == 1 else "s"
            )
            self.add_layer.disabled = len(hidden) >= pg.MAX_LAYERS
            self.remove_layer.disabled = not hidden
            if hidden != self._shown_hidden:  # new buttons only when the layers changed
                self._shown_hidden = list(hidden)
                left, column, size = pg.network_geometry(len(hidden) + 2)
                # each layer's buttons above its column of the picture
                margin = left + column + size // 2 - column // 2
                self.neuron_rows.layout.margin = f"0 0 0 {margin}px"
                old = self.neuron_rows.children
                self.neuron_rows.children = [
                    self._neuron_control(i, n, column) for i, n in enumerate(hidden)
                ]
                for control in old:
                    _close(control)
            playing = self.pg.playing
            self.play.description = "❚❚ Pause" if playing else "▶ Play"
            self.step.disabled = playing
        finally:
            self._syncing = False

    def _neuron_control(self, layer: int, n: int, width: int) -> w.VBox:
        more = _button("+", "cr-add-neuron", f"A neuron more in layer {layer + 1}", width="30px")
        fewer = _button("−", "cr-remove-neuron", f"A neuron less in layer {layer + 1}", "30px")
        for button in (more, fewer):
            button.layout.padding = "0"
        more.disabled, fewer.disabled = n >= pg.MAX_NEURONS, n <= 1
        more.on_click(lambda _: self._change_neurons(layer, +1))
        fewer.on_click(lambda _: self._change_neurons(layer, -1))
        return w.VBox(
            [w.HBox([fewer, more]), w.HTML(f"<small>{n} neuron{'s' if n > 1 else ''}</small>")],
            layout=w.Layout(width=f"{width}px", align_items="center"),
        )

    def refresh(self, sync_controls: bool = False) -> None:
        """Draw the pictures and numbers of the Playground now."""
        with self._draw_lock:
            if sync_controls:
                self.sync_controls(self.pg.to_dict())
            maps = self.pg.grid_outputs()
            self.boundary.value = pg.png_bytes(self.pg._boundary_from(maps[-1][0]))
            self.network.value = self.pg.network_svg(maps)
            self.epoch.value = (
                f"<span style='font-size:18px'>Epoch <b class='cr-epoch-value'>"
                f"{self.pg.epoch:07,d}</b></span>"
            )
            self.losses.value = (
                f"Test loss <b class='cr-test-loss'>{self.pg.test_loss:.3f}</b><br>"
                f"Training loss <b class='cr-train-loss'>{self.pg.train_loss:.3f}</b>"
            )
            self.curve.value = self.pg.loss_curve_svg()
