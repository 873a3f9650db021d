"""The TensorFlow Playground in Jupyter, trained by this engine: ``viz.Playground()``.

Pick a data set and input features, add layers and neurons, choose the activation, learning
rate and regularisation, press play, and watch the decision boundary and every neuron's picture
form while the test loss falls, as on playground.tensorflow.org. Training is this engine's: the
network is an ``nn.Sequential`` of ``nn.Linear`` layers (``playground.model``, live: draw it with
``viz.draw_graph`` or keep training it by hand) and ``nn.optim.SGD`` steps it.

**Why ipywidgets (and not anywidget).** Every control the Playground needs (dropdowns,
sliders, check boxes, buttons) already exists in ipywidgets, with keyboard use and styling done,
and it runs unchanged in JupyterLab, Notebook 7, the classic notebook and VS Code; anywidget
would make us write and test that JavaScript ourselves. The pictures need no custom front end
either: the boundary is a PNG in an ``Image`` widget and the network an SVG in an ``HTML``
widget, both made here with numpy (the PNG encoder is twenty lines over ``zlib``, so neither
matplotlib nor Pillow is needed). ipywidgets is imported only when a widget is shown, so
``import viz`` stays cheap and the Python side (``step``, ``to_dict``, the pictures) works
without it; where no widget can be shown, the notebook shows a message that says why.

**What one epoch is.** As in the Playground: one pass over the training points in their (once
shuffled) order, an SGD step after every ``batch_size`` of them, on the Playground's loss, half
the mean squared error between the output and the label (classification labels are -1 and +1
and the output goes through ``tanh``; regression labels lie in [-1, 1] and the output is
linear). The losses shown are that loss over the training and the test points. L2 adds
``regularization_rate * w`` to each weight's gradient (SGD's ``weight_decay``, weights only,
not biases); L1, after each step, moves every weight ``learning_rate * regularization_rate``
towards zero and sets it to zero where it would cross, the Playground's rule, which is what lets
L1 prune weights to exactly zero. Initial weights are the Playground's: ``U(-0.5, 0.5)``,
biases 0.1, drawn from ``seed``.

**Threads.** Play trains in a daemon thread and refreshes the pictures a few times a second
(``fps``); a lock keeps the controls (which run on the kernel's thread) from changing the
network in the middle of a batch. Pause sets a flag that the thread reads between batches, so
it stops within one SGD step.

Examples
--------
>>> pg = Playground(dataset="xor", features=["x1", "x2", "x1*x2"], hidden=[], seed=0)
>>> first = pg.test_loss
>>> _ = pg.step(20)
>>> pg.test_loss < first, pg.epoch
(True, 20)
>>> Playground.from_state(pg.state).to_dict() == pg.to_dict()
True
"""

from __future__ import annotations

import base64
import html
import struct
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

import numpy as np

import nn
from autograd import Generator, Tensor, no_grad

from .palette import NEGATIVE, POSITIVE

# -- the settings ----------------------------------------------------------------------------------

CLASSIFICATION_DATASETS = ("circle", "xor", "gaussian", "spiral", "moons")
REGRESSION_DATASETS = ("plane", "multigauss")
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
PROBLEMS = ("classification", "regression")
# The Playground's menus.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_LAYERS = 6
MAX_NEURONS = 8

DEFAULTS: dict[str, Any] = {
    "dataset": "circle",
    "noise": 0.0,
    "train_ratio": 0.5,
    "batch_size": 10,
    "n_samples": 500,
    "features": ["x1", "x2"],
    "hidden": [4, 2],
    "activation": "tanh",
    "learning_rate": 0.03,
    "regularization": "none",
    "regularization_rate": 0.0,
    "problem": "classification",
    "show_test": True,
    "seed": 0,
}
# Settings that, when changed, start over from new data or a new network (the rest act live).
_RESTART = {"dataset", "noise", "train_ratio", "n_samples", "features", "hidden", "activation"}
_RESTART |= {"problem", "seed"}

DOMAIN = 6.0  # the plane shown is [-6, 6]^2, the Playground's
GRID = 100  # values of the output per axis of the plane
NEURON_STRIDE = 4  # each neuron's map is every 4th of them: 25 x 25
IMAGE = 300  # pixels per side of the boundary picture

_LABELS = {
    "x1": "X₁",
    "x2": "X₂",
    "x1^2": "X₁²",
    "x2^2": "X₂²",
    "x1*x2": "X₁X₂",
    "sin(x1)": "sin(X₁)",
    "sin(x2)": "sin(X₂)",
}


def _check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """A clean copy of ``settings`` (all keys, types normalised), or an error naming the fault."""
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"Playground: unknown setting(s) {unknown}; the settings are {sorted(DEFAULTS)}"
        )
    s = {**DEFAULTS, **settings}

    def choose(key: str, options: Sequence) -> None:
        if s[key] not in options:
            raise ValueError(f"Playground: {key} must be one of {list(options)}, got {s[key]!r}")

    def number(key: str, low: float, high: float, kind: type = float) -> None:
        value = s[key]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"Playground: {key} must be a number, got {value!r}")
        if kind is int and value != int(value):
            raise ValueError(f"Playground: {key} must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"Playground: {key} must be in [{low}, {high}], got {value!r}")
        s[key] = kind(value)

    choose("problem", PROBLEMS)
    datasets = CLASSIFICATION_DATASETS if s["problem"] == "classification" else REGRESSION_DATASETS
    if s["dataset"] not in datasets:
        raise ValueError(
            f"Playground: dataset {s['dataset']!r} is not a {s['problem']} data set; "
            f"choose one of {list(datasets)}"
        )
    number("noise", 0.0, 0.5)
    number("train_ratio", 0.1, 0.9)
    number("batch_size", 1, 30, int)
    number("n_samples", 10, 10_000, int)
    number("learning_rate", 0.0, 10.0)
    number("regularization_rate", 0.0, 10.0)
    number("seed", 0, 2**32 - 1, int)
    choose("activation", ACTIVATIONS)
    choose("regularization", REGULARIZATIONS)
    if isinstance(s["features"], str):
        raise TypeError(
            f"Playground: features must be a list of names, got the string {s['features']!r}"
        )
    features = list(s["features"])
    bad = [f for f in features if f not in FEATURES]
    if bad:
        raise ValueError(f"Playground: unknown feature(s) {bad}; the features are {list(FEATURES)}")
    if not features:
        raise ValueError(f"Playground: at least one input feature is needed, from {list(FEATURES)}")
    s["features"] = [f for f in FEATURES if f in features]  # the Playground's order, no repeats
    hidden = list(s["hidden"]) if isinstance(s["hidden"], (list, tuple)) else None
    if (
        hidden is None
        or len(hidden) > MAX_LAYERS
        or any(
            isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_NEURONS
            for n in hidden
        )
    ):
        raise ValueError(
            f"Playground: hidden must list at most {MAX_LAYERS} layer sizes, each 1 to "
            f"{MAX_NEURONS}, got {s['hidden']!r}"
        )
    s["hidden"] = [int(n) for n in hidden]
    s["show_test"] = bool(s["show_test"])
    return s


# -- the data --------------------------------------------------------------------------------------


def _regress_plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The Playground's "plane": label ``(x + y) / 10`` over ``U(-6, 6)^2``, at a noisy point."""
    points = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    shifted = points + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    return points, np.clip(shifted.sum(axis=1) / 10.0, -1.0, 1.0)


_BUMPS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
)


def multigauss_label(points: np.ndarray) -> np.ndarray:
    """The "multi gaussian" label of points ``(n, 2)``: six cones of height +-1 and radius 2
    at ``_BUMPS``, the strongest one wins (the Playground's ``regressGaussian``)."""
    distance = np.hypot(points[:, None, 0] - _BUMPS[:, 0], points[:, None, 1] - _BUMPS[:, 1])
    heights = _BUMPS[:, 2] * np.clip(1.0 - distance / 2.0, 0.0, 1.0)  # (n, 6)
    return heights[np.arange(len(points)), np.abs(heights).argmax(axis=1)]


def _regress_gaussian(
    n: int, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Points over ``U(-6, 6)^2``, each labelled by ``multigauss_label`` at a noisy point."""
    points = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    shifted = points + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    return points, multigauss_label(shifted)


def make_data(settings: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(n, 2)`` float64 and labels ``(n,)`` float64 (+-1, or in [-1, 1] for regression)."""
    name, n, noise = settings["dataset"], settings["n_samples"], settings["noise"]
    rng = np.random.default_rng(settings["seed"])
    if name == "plane":
        return _regress_plane(n, noise, rng)
    if name == "multigauss":
        return _regress_gaussian(n, noise, rng)
    if name == "moons":
        # scikit-learn's moons span [-1, 2] x [-0.5, 1]: centred and scaled onto the plane
        X, y = nn.datasets.make_moons(n, noise=noise, seed=rng)
        X = (X - np.array([0.5, 0.25], dtype=X.dtype)) * 3.0
    else:
        make = getattr(nn.datasets, f"make_{name}")
        X, y = make(n, noise=noise, seed=rng, labels="pm1")
    y = np.where(np.asarray(y) > 0, 1.0, -1.0)
    return np.asarray(X, dtype=np.float64), y


def input_features(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The columns ``names`` (from ``FEATURES``) of points ``(n, 2)``: shape ``(n, len(names))``."""
    x1, x2 = points[:, 0], points[:, 1]
    columns = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1^2": lambda: x1 * x1,
        "x2^2": lambda: x2 * x2,
        "x1*x2": lambda: x1 * x2,
        "sin(x1)": lambda: np.sin(x1),
        "sin(x2)": lambda: np.sin(x2),
    }
    return np.stack([columns[name]() for name in names], axis=1)


# -- pictures: colours and PNG ---------------------------------------------------------------------


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


_NEG, _MID, _POS = _rgb(NEGATIVE), _rgb("#e8eaeb"), _rgb(POSITIVE)


def _colour_table(pale: float) -> np.ndarray:
    """uint8 RGB of 511 values evenly spaced on [-1, 1]: orange, light grey at 0, blue."""
    v = np.linspace(-1.0, 1.0, 511)[:, None]
    rgb = np.where(v < 0, _MID + (_MID - _NEG) * v, _MID + (_POS - _MID) * v)
    return np.round(rgb + (255.0 - rgb) * pale).astype(np.uint8)


_COLOURS = {0.0: _colour_table(0.0), 0.35: _colour_table(0.35)}


def colour_map(values: np.ndarray, pale: float = 0.0) -> np.ndarray:
    """uint8 RGB of ``values`` (any shape): -1 orange, 0 light grey, +1 blue, clipped; ``pale``
    (0 or 0.35) mixes in that much white (the boundary's background, so the points stand out).
    A table of 511 colours: no two neighbours differ by more than one level of a channel."""
    table = _COLOURS[pale]
    index = np.rint((np.clip(values, -1.0, 1.0) + 1.0) * 255.0).astype(np.intp)
    return table[index]


def png_bytes(rgb: np.ndarray) -> bytes:
    """The PNG file of an RGB image ``(height, width, 3)`` uint8 (8 bits, no filter, zlib)."""
    height, width, _ = rgb.shape
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, width * 3)], axis=1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def _interpolation(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Linear interpolation between the cell centres of two grids on one line: for each output
    cell, its two input cells and the weight of the second."""
    at = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    low = np.clip(np.floor(at).astype(np.intp), 0, n_in - 1)
    high = np.clip(low + 1, 0, n_in - 1)
    return low, high, np.clip(at - low, 0.0, 1.0)


_LOW, _HIGH, _T = _interpolation(GRID, IMAGE)


def upsample(values: np.ndarray) -> np.ndarray:
    """A ``(GRID, GRID)`` map bilinearly interpolated to ``(IMAGE, IMAGE)`` (no BLAS: the same
    numbers on every machine)."""
    rows = values[_LOW] * (1 - _T[:, None]) + values[_HIGH] * _T[:, None]
    return rows[:, _LOW] * (1 - _T) + rows[:, _HIGH] * _T


# Grid points, row 0 at the top (x2 = +6), as an image is stored.
_AXIS = (np.arange(GRID) + 0.5) / GRID * 2 * DOMAIN - DOMAIN
_GRID_POINTS = np.stack(np.meshgrid(_AXIS, _AXIS[::-1]), axis=-1).reshape(-1, 2)


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel offsets of a disc and whether each lies on its rim."""
    r = int(np.ceil(radius))
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    distance = np.hypot(dx, dy)
    inside = distance <= radius
    return dy[inside], dx[inside], distance[inside] > radius - 1.2


_DY, _DX, _RIM = _disc(3.6)


def _draw_points(image: np.ndarray, points: np.ndarray, colours: np.ndarray, rim: str) -> None:
    """Stamp a disc per point (fill ``colours`` (n, 3) uint8, rim colour ``rim``) into ``image``."""
    if len(points) == 0:
        return
    col = np.round((points[:, 0] + DOMAIN) / (2 * DOMAIN) * IMAGE).astype(int)
    row = np.round((DOMAIN - points[:, 1]) / (2 * DOMAIN) * IMAGE).astype(int)
    rows = np.clip(row[:, None] + _DY, 0, IMAGE - 1)
    cols = np.clip(col[:, None] + _DX, 0, IMAGE - 1)
    fill = np.broadcast_to(colours[:, None, :], rows.shape + (3,)).copy()
    fill[:, _RIM] = _rgb(rim).astype(np.uint8)
    image[rows, cols] = fill


def network_geometry(columns: int) -> tuple[int, int, int]:
    """Where the network picture puts its ``columns`` of units (features, hidden layers,
    output): the first column's left edge, the distance between columns, the side of a unit's
    square, in pixels. At most about 420 pixels from the first column to the last."""
    column = max(56, min(100, 420 // max(columns - 1, 1)))
    return 50, column, 36 if column >= 90 else 26  # smaller squares leave room for the weights


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# -- the Playground --------------------------------------------------------------------------------


class Playground:
    """The TensorFlow Playground, trained by this engine, as a Jupyter widget.

    Show it by leaving it last in a cell (``viz.Playground()``); drive it from code with the
    same settings. Every keyword is a setting (the defaults are the Playground's):

    Parameters
    ----------
    dataset : str
        Classification: ``"circle"``, ``"xor"``, ``"gaussian"``, ``"spiral"``, ``"moons"``;
        regression: ``"plane"``, ``"multigauss"``.
    noise : float
        0 to 0.5 (the Playground's slider / 100), as in ``nn.datasets``.
    train_ratio : float
        The fraction of the ``n_samples`` points used for training, 0.1 to 0.9; the rest test.
    batch_size : int
        Points per SGD step, 1 to 30.
    n_samples : int
        Points in the data set (500, as in the Playground's classification).
    features : list of str
        The inputs, from ``"x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"``.
    hidden : list of int
        Neurons per hidden layer: up to 6 layers of 1 to 8 (``[]``: a linear model of the
        features).
    activation : str
        Of the hidden layers: ``"relu"``, ``"tanh"``, ``"sigmoid"``, ``"linear"``.
    learning_rate : float
        SGD's step size.
    regularization : str
        ``"none"``, ``"L1"`` or ``"L2"``, on the weights (not the biases).
    regularization_rate : float
        Its strength.
    problem : str
        ``"classification"`` (labels +-1, ``tanh`` output) or ``"regression"`` (linear output).
    show_test : bool
        Draw the test points on the boundary too.
    seed : int
        Draws the data and the initial weights; "regenerate" adds 1.
    fps : float
        While playing, the most pictures per second sent to the notebook (training runs on
        between them).

    Attributes
    ----------
    model : nn.Sequential
        The live network: ``Linear`` layers with the activation between them, on inputs of
        shape ``(batch, len(features))``, output ``(batch, 1)``.
    epoch : int
        Epochs trained since the last reset.
    history : list of tuple
        ``(epoch, training loss, test loss)`` after each epoch (and at epoch 0).
    X_train, y_train, X_test, y_test : ndarray
        The points ``(n, 2)`` and labels ``(n,)`` (float64; +-1 for classification).
    optimizer : nn.optim.SGD
        Two parameter groups: the weights (with L2's ``weight_decay``) and the biases.

    Examples
    --------
    >>> from viz import Playground
    >>> p = Playground(dataset='xor', n_samples=100, seed=1)
    >>> p.set(hidden=[4, 4], activation='tanh', learning_rate=0.1)
    >>> _ = p.step(5)
    >>> p.epoch, type(p.model).__name__, len(p.history)
    (5, 'Sequential', 6)
    """

    def __init__(self, *, fps: float = 8.0, **settings: Any) -> None:
        if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not fps > 0:
            raise ValueError(f"Playground: fps must be a number > 0, got {fps!r}")
        self._settings = _check_settings(settings)
        self.fps = float(fps)
        self._lock = threading.RLock()
        self._running = threading.Event()
        self._thread: threading.Thread | None = None
        self._view: Any = None  # the widgets, once shown
        self._start_over(new_data=True)

    # -- settings ----------------------------------------------------------------------------------

    @property
    def settings(self) -> dict[str, Any]:
        """A copy of the current settings (the keywords of the constructor).

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> s = p.settings
        >>> s['dataset'], s['n_samples'], s['hidden']
        ('xor', 100, [4, 2])
        """
        return self.to_dict()

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (JSON-ready); ``Playground.from_dict`` rebuilds it.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> d = p.to_dict()
        >>> d['dataset'], d['seed']
        ('xor', 1)
        """
        s = dict(self._settings)
        s["features"], s["hidden"] = list(s["features"]), list(s["hidden"])
        return s

    @classmethod
    def from_dict(cls, settings: dict[str, Any], **kwargs: Any) -> Playground:
        """A new Playground with ``settings`` (missing ones take their defaults).

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> q = Playground.from_dict(p.to_dict())
        >>> q.settings == p.settings
        True
        """
        return cls(**kwargs, **settings)

    @property
    def state(self) -> str:
        """The settings as one shareable line, like the Playground's URL:
        ``dataset=spiral&features=x1,x2,sin(x1)&hidden=8,8&...`` (``from_state`` reads it).

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.state.split('&')[:2]
        ['dataset=xor', 'noise=0.0']
        """
        pairs = []
        for key, value in self.to_dict().items():
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            pairs.append((key, str(value)))
        return urlencode(pairs, safe=",()^*")

    @classmethod
    def from_state(cls, state: str, **kwargs: Any) -> Playground:
        """A new Playground from a ``state`` string (a leading ``#`` or ``?`` is ignored).

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> q = Playground.from_state('#' + p.state)
        >>> q.settings['dataset'], q.settings['n_samples']
        ('xor', 100)
        """
        return cls.from_dict(cls.parse_state(state), **kwargs)

    @staticmethod
    def parse_state(state: str) -> dict[str, Any]:
        """The settings dict of a ``state`` string, every value converted to its type.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> Playground.parse_state('dataset=spiral&noise=0.1&hidden=3,2')
        {'dataset': 'spiral', 'noise': 0.1, 'hidden': [3, 2]}
        """
        settings: dict[str, Any] = {}
        for key, text in parse_qsl(state.lstrip("#?"), keep_blank_values=True, strict_parsing=True):
            if key not in DEFAULTS:
                known = sorted(DEFAULTS)
                raise ValueError(
                    f"Playground state: unknown setting {key!r}; the settings are {known}"
                )
            default = DEFAULTS[key]
            try:
                if key == "features":
                    value: Any = [f for f in text.split(",") if f]
                elif key == "hidden":
                    value = [int(n) for n in text.split(",") if n]
                elif isinstance(default, bool):
                    if text not in ("true", "false"):
                        raise ValueError(text)
                    value = text == "true"
                elif isinstance(default, int):
                    value = int(text)
                elif isinstance(default, float):
                    value = float(text)
                else:
                    value = text
            except ValueError:
                raise ValueError(f"Playground state: cannot read {key}={text!r}") from None
            settings[key] = value
        return settings

    def set(self, **settings: Any) -> None:
        """Change settings. Data, features, network, activation, problem or seed start over (new
        data or a new network, epoch 0, as the Playground does); the learning rate, batch size,
        regularisation and ``show_test`` act on the running training.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.set(hidden=[3], activation='relu')
        >>> p.settings['hidden'], p.epoch, p.model[0].out_features
        ([3], 0, 3)
        """
        with self._lock:
            old = self._settings
            changed = {k for k, v in settings.items() if old.get(k, object()) != v}
            new = dict(old, **settings)
            if "problem" in changed and "dataset" not in settings:
                # switching the problem switches to its first data set, as the Playground does
                new["dataset"] = (
                    CLASSIFICATION_DATASETS[0]
                    if new["problem"] == "classification"
                    else REGRESSION_DATASETS[0]
                )
            self._settings = _check_settings(new)
            changed = {k for k in DEFAULTS if old[k] != self._settings[k]}
            if changed & _RESTART:
                data_keys = {"dataset", "noise", "n_samples", "problem", "seed", "train_ratio"}
                self._start_over(new_data=bool(changed & data_keys))
            else:
                self._configure_optimizer()
        self._refresh(sync_controls=True)

    # -- data, model, optimizer --------------------------------------------------------------------

    def _start_over(self, new_data: bool) -> None:
        s = self._settings
        if new_data:
            X, y = make_data(s)
            n_train = int(round(len(X) * s["train_ratio"]))
            self.X_train, self.y_train = X[:n_train], y[:n_train]
            self.X_test, self.y_test = X[n_train:], y[n_train:]
        self._inputs_train = Tensor(input_features(self.X_train, s["features"]))
        self._inputs_test = Tensor(input_features(self.X_test, s["features"]))
        self._targets_train = Tensor(self.y_train[:, None])
        self._targets_test = Tensor(self.y_test[:, None])
        self._inputs_grid = Tensor(input_features(_GRID_POINTS, s["features"]))
        self.model = self._build_model()
        self._configure_optimizer()
        self.epoch = 0
        self._generation = getattr(self, "_generation", 0) + 1  # a running epoch sees the change
        self.history: list[tuple[int, float, float]] = []
        self._record_losses()

    def _build_model(self) -> nn.Sequential:
        s = self._settings
        sizes = [len(s["features"])] + list(s["hidden"]) + [1]
        activation = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}.get(s["activation"])
        layers: list[nn.Module] = []
        generator = Generator().manual_seed(s["seed"])
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            linear = nn.Linear(n_in, n_out, dtype=np.float64)
            nn.init.uniform_(linear.weight, -0.5, 0.5, generator=generator)
            nn.init.constant_(linear.bias, 0.1)
            layers.append(linear)
            last = i == len(sizes) - 2
            if not last and activation is not None:
                layers.append(activation())
        if s["problem"] == "classification":
            layers.append(nn.Tanh())
        return nn.Sequential(*layers)

    def _weights_and_biases(self) -> tuple[list, list]:
        linears = [m for m in self.model if isinstance(m, nn.Linear)]
        return [m.weight for m in linears], [m.bias for m in linears]

    def _configure_optimizer(self) -> None:
        s = self._settings
        weights, biases = self._weights_and_biases()
        decay = s["regularization_rate"] if s["regularization"] == "L2" else 0.0
        self.optimizer = nn.optim.SGD(
            [{"params": weights, "weight_decay": decay}, {"params": biases}],
            lr=s["learning_rate"],
        )

    # -- training ----------------------------------------------------------------------------------

    def _loss(self, inputs: Tensor, targets: Tensor) -> Tensor:
        """The Playground's loss: half the mean squared error."""
        return 0.5 * nn.functional.mse_loss(self.model(inputs), targets)

    def _record_losses(self) -> None:
        with no_grad():
            train = float(self._loss(self._inputs_train, self._targets_train).item())
            test = float(self._loss(self._inputs_test, self._targets_test).item())
        self.history.append((self.epoch, train, test))

    @property
    def train_loss(self) -> float:
        """The loss over the training points now.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> before = p.train_loss
        >>> _ = p.step(20)
        >>> p.train_loss < before
        True
        """
        return self.history[-1][1]

    @property
    def test_loss(self) -> float:
        """The loss over the test points now.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> isinstance(p.test_loss, float), p.test_loss >= 0
        (True, True)
        """
        return self.history[-1][2]

    def _train_epoch(self) -> bool:
        """One epoch (holding the lock per batch); False if pause came first."""
        s = self._settings
        n, size = len(self.y_train), s["batch_size"]
        l1 = s["regularization"] == "L1" and s["regularization_rate"] > 0
        generation = self._generation
        for start in range(0, n, size):
            if self._thread is threading.current_thread() and not self._running.is_set():
                return False
            with self._lock:
                if self._generation != generation:  # started over meanwhile: a new epoch 0
                    return True
                batch = slice(start, start + size)
                loss = self._loss(self._inputs_train[batch], self._targets_train[batch])
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                if l1:
                    self._shrink_weights(s["learning_rate"] * s["regularization_rate"])
        with self._lock:
            if self._generation == generation:
                self.epoch += 1
                self._record_losses()
        return True

    def _shrink_weights(self, amount: float) -> None:
        """L1's step: every weight ``amount`` towards zero, zero where it would cross."""
        with no_grad():
            for weight in self._weights_and_biases()[0]:
                shrunk = np.sign(weight.data) * np.maximum(np.abs(weight.data) - amount, 0.0)
                weight.copy_(Tensor(shrunk))

    def step(self, epochs: int = 1) -> tuple[float, float]:
        """Train ``epochs`` epochs now (the "one step" button is ``step(1)``); return the
        training and test loss after them.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> train, test = p.step(3)
        >>> p.epoch, train == p.train_loss, test == p.test_loss
        (3, True, True)
        """
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"Playground.step: epochs must be an int >= 0, got {epochs!r}")
        if self.playing:
            raise RuntimeError("Playground.step: pause first (the Playground is playing)")
        for _ in range(epochs):
            self._train_epoch()
        self._refresh()
        return self.train_loss, self.test_loss

    def accuracy(self, split: str = "test") -> float:
        """Classification: the fraction of ``split`` (``"train"`` or ``"test"``) points on the
        right side of the boundary (the output's sign is the label's).

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> _ = p.step(10)
        >>> 0 <= p.accuracy('train') <= 1
        True
        """
        if self._settings["problem"] != "classification":
            raise ValueError("Playground.accuracy: only for problem='classification'")
        if split not in ("train", "test"):
            raise ValueError(f"Playground.accuracy: split must be 'train' or 'test', got {split!r}")
        inputs, labels = (
            (self._inputs_train, self.y_train)
            if split == "train"
            else (self._inputs_test, self.y_test)
        )
        with self._lock, no_grad():
            output = self.model(inputs).data[:, 0]
        return float(np.mean(np.where(output >= 0, 1.0, -1.0) == labels))

    def reset(self) -> None:
        """Start over with the initial weights (same seed: the same start), epoch 0.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> first = p.model[0].weight.tolist()
        >>> _ = p.step(5)
        >>> p.reset()
        >>> p.epoch, p.model[0].weight.tolist() == first
        (0, True)
        """
        with self._lock:
            self._start_over(new_data=False)
        self._refresh()

    def regenerate(self) -> None:
        """New data and new initial weights: ``seed + 1``.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.regenerate()
        >>> p.settings['seed'], p.epoch
        (2, 0)
        """
        self.set(seed=(self._settings["seed"] + 1) % 2**32)

    @property
    def playing(self) -> bool:
        """Whether the training thread is running.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.playing
        False
        """
        return self._thread is not None and self._thread.is_alive()

    def play(self) -> None:
        """Train in a background thread until ``pause()``; the pictures refresh ``fps`` times a
        second.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.play()
        >>> p.playing
        True
        >>> p.pause()
        >>> p.playing, p.epoch >= 0
        (False, True)
        """
        if self.playing:
            return
        self._running.set()
        self._thread = threading.Thread(target=self._play_loop, name="Playground", daemon=True)
        self._thread.start()
        self._refresh(sync_controls=True)

    def pause(self, timeout: float = 5.0) -> None:
        """Stop training (within one SGD step) and wait for the thread to end.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.play()
        >>> p.pause()
        >>> p.playing
        False
        """
        self._running.clear()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._refresh(sync_controls=True)

    def _play_loop(self) -> None:
        next_frame = 0.0
        try:
            while self._running.is_set():
                if not self._train_epoch():
                    break
                now = time.perf_counter()
                if self._view is not None and now >= next_frame:
                    self._refresh()
                    drawn = time.perf_counter()
                    # at most fps frames a second, and drawing at most a third of the time (a
                    # 6 x 8 network's 56 pictures take ~0.15 s; the default's 9 take ~0.015 s)
                    next_frame = drawn + max(1 / self.fps, 2 * (drawn - now))
        finally:
            self._running.clear()

    # -- pictures ----------------------------------------------------------------------------------

    def grid_outputs(self) -> list[np.ndarray]:
        """What every unit computes over the plane, on a ``GRID x GRID`` grid of ``[-6, 6]^2``
        (row 0 at the top, x2 = 6): the input features (first), each hidden layer's activations,
        then the output; each an array ``(units, GRID, GRID)``.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> maps = p.grid_outputs()
        >>> len(maps), maps[0].shape
        (4, (2, 100, 100))
        """
        with self._lock, no_grad():
            h = self._inputs_grid
            maps = [h.data]
            linears = 0
            n_linear = sum(isinstance(m, nn.Linear) for m in self.model)
            for i, module in enumerate(self.model):
                h = module(h)
                if isinstance(module, nn.Linear):
                    linears += 1
                following = self.model[i + 1] if i + 1 < len(self.model) else None
                if following is None or (linears < n_linear and isinstance(following, nn.Linear)):
                    maps.append(h.data)
        return [m.T.reshape(-1, GRID, GRID).copy() for m in maps]

    def boundary_image(self) -> np.ndarray:
        """The output over the plane with the points on top: uint8 RGB ``(300, 300, 3)``. In
        classification the boundary (output 0) is a dark line.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> image = p.boundary_image()
        >>> image.shape, image.dtype
        ((300, 300, 3), dtype('uint8'))
        """
        output = self.grid_outputs()[-1][0]
        return self._boundary_from(output)

    def _boundary_from(self, output: np.ndarray) -> np.ndarray:
        values = upsample(output)
        image = colour_map(values, pale=0.35)
        if self._settings["problem"] == "classification":
            positive = values >= 0
            edge = np.zeros_like(positive)
            edge[:, 1:] |= positive[:, 1:] != positive[:, :-1]
            edge[1:, :] |= positive[1:, :] != positive[:-1, :]
            image[edge] = (60, 60, 60)
        _draw_points(image, self.X_train, colour_map(self.y_train), "#ffffff")
        if self._settings["show_test"]:
            _draw_points(image, self.X_test, colour_map(self.y_test), "#000000")
        return image

    def boundary_png(self) -> bytes:
        """``boundary_image()`` as a PNG file.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.boundary_png()[:8] == bytes([137, 80, 78, 71, 13, 10, 26, 10])
        True
        """
        return png_bytes(self.boundary_image())

    def network_svg(self, maps: list[np.ndarray] | None = None) -> str:
        """The network as the Playground draws it: a heat map per feature and neuron (what it
        computes over the plane) and the weights as curves, blue positive and orange negative,
        thicker and more opaque the larger next to the largest of their layer (as
        ``viz.draw_network``); hover for the values.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> p.network_svg().startswith('<svg')
        True
        """
        if maps is None:
            maps = self.grid_outputs()
        weights, biases = self._weights_and_biases()
        features = self._settings["features"]
        sizes = [m.shape[0] for m in maps]
        left, column, size = network_geometry(len(sizes))
        gap = 14 if size > 30 else 10
        height = max(sizes) * (size + gap) + 30
        width = left + column * (len(sizes) - 1) + size + 30

        def corner(layer: int, unit: int) -> tuple[float, float]:
            return left + layer * column, 24 + unit * (size + gap)

        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'class="cr-network-svg" style="font: 11px sans-serif">'
        ]
        for layer, w in enumerate(weights):  # curves under the squares
            w = w.data
            scale = float(np.abs(w).max()) or 1.0
            for j in range(w.shape[0]):
                for i in range(w.shape[1]):
                    x0, y0 = corner(layer, i)
                    x1, y1 = corner(layer + 1, j)
                    x0, y0, y1 = x0 + size, y0 + size / 2, y1 + size / 2
                    value = float(w[j, i])
                    strength = min(abs(value) / scale, 1.0)
                    colour = POSITIVE if value > 0 else NEGATIVE if value < 0 else "#9e9e9e"
                    middle = (x0 + x1) / 2
                    parts.append(
                        f'<path d="M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},'
                        f'{y1:.1f} {x1:.1f},{y1:.1f}" fill="none" stroke="{colour}" '
                        f'stroke-width="{0.4 + 5 * strength:.2f}" '
                        f'stroke-opacity="{0.25 + 0.75 * strength:.2f}">'
                        f"<title>weight {value:+.4g}</title></path>"
                    )
        last = len(maps) - 1
        for layer, units in enumerate(maps):
            for unit in range(units.shape[0]):
                x, y = corner(layer, unit)
                picture = units[unit, ::NEURON_STRIDE, ::NEURON_STRIDE]
                if layer == 0:  # features: their own range (x1 spans -6..6), not [-1, 1]
                    picture = picture / (np.abs(picture).max() or 1.0)
                if layer == 0:
                    tip = features[unit]
                else:
                    kind = "output" if layer == last else f"layer {layer}, neuron {unit + 1}"
                    tip = f"{kind}: bias {float(biases[layer - 1].data[unit]):+.4g}"
                parts.append(
                    f'<image x="{x}" y="{y}" width="{size}" height="{size}" '
                    f'href="{_data_url(png_bytes(colour_map(picture)))}">'
                    f"<title>{html.escape(tip)}</title></image>"
                    f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="none" '
                    f'stroke="#555" stroke-width="0.5"/>'
                )
                if layer == 0:
                    parts.append(
                        f'<text x="{x - 4}" y="{y + size / 2 + 4}" text-anchor="end">'
                        f"{html.escape(_LABELS[features[unit]])}</text>"
                    )
            x, _ = corner(layer, 0)
            title = "features" if layer == 0 else "output" if layer == last else f"{sizes[layer]}"
            if 0 < layer < last and column >= 90:
                title += " neuron" + ("s" if sizes[layer] > 1 else "")
            parts.append(
                f'<text x="{x + size / 2}" y="14" text-anchor="middle">{html.escape(title)}</text>'
            )
        parts.append("</svg>")
        return "".join(parts)

    def loss_curve_svg(self, width: int = 300, height: int = 60) -> str:
        """The training (black) and test (grey) loss by epoch, as a small SVG.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> _ = p.step(2)
        >>> '<svg' in p.loss_curve_svg(width=200, height=40)
        True
        """
        epochs = np.array([h[0] for h in self.history], dtype=float)
        losses = np.array([[h[1], h[2]] for h in self.history])
        top = float(losses.max()) or 1.0
        span = max(float(epochs[-1]), 1.0)
        lines = []
        for column, colour in ((1, "#999999"), (0, "#000000")):
            xs = epochs / span * (width - 2) + 1
            ys = height - 1 - losses[:, column] / top * (height - 2)
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
            lines.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
            )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'class="cr-loss-curve" style="background:#f7f7f7">{"".join(lines)}</svg>'
        )

    # -- the widget --------------------------------------------------------------------------------

    @property
    def widget(self) -> Any:
        """The ipywidgets box that shows this Playground (built on first use).

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> box = p.widget
        >>> type(box).__name__
        'VBox'
        >>> p.close()
        """
        if self._view is None:
            from ._playground_view import PlaygroundView  # imports ipywidgets

            self._view = PlaygroundView(self)
            self._refresh()
        return self._view.box

    def _refresh(self, sync_controls: bool = False) -> None:
        """Send the current pictures and numbers to the widgets, if they are shown."""
        if self._view is not None:
            self._view.refresh(sync_controls=sync_controls)

    def _repr_mimebundle_(self, include: Iterable[str] | None = None, exclude: Any = None) -> dict:
        message = (
            f"Playground ({self._settings['dataset']}, features {self._settings['features']}, "
            f"hidden {self._settings['hidden']}, epoch {self.epoch}, test loss "
            f"{self.test_loss:.3f}). The interactive widget needs ipywidgets in a live Jupyter "
            f"front end (JupyterLab, Notebook 7, classic notebook, VS Code)"
        )
        try:
            box = self.widget
        except ImportError:
            return {"text/plain": message + ': pip install "chainrule[playground]" (ipywidgets)'}
        bundle = box._repr_mimebundle_(include=include, exclude=exclude)
        bundle = dict(bundle) if bundle else {}
        bundle["text/plain"] = message + "; a page that cannot run it shows this text instead."
        return bundle

    def __repr__(self) -> str:
        return f"Playground.from_state({self.state!r})"

    def close(self) -> None:
        """Pause and close the widgets.

        Examples
        --------
        >>> from viz import Playground
        >>> p = Playground(dataset='xor', n_samples=100, seed=1)
        >>> _ = p.widget
        >>> p.close()
        >>> p.playing
        False
        """
        self.pause()
        if self._view is not None:
            self._view.box.close()
            self._view = None
