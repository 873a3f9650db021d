"""Decision boundaries of a classifier of 2-D points: which class the model gives each place.

The model is evaluated on a grid over the data, under ``no_grad()`` and in ``eval()`` mode
(training flags are put back after):

- a **tensor model** (``nn.Module`` of Tensors, or any callable) in one batched call on a
  ``float32`` Tensor of shape ``(points, 2)``;
- a **scalar model** (every parameter an ``autograd.Value``, such as micrograd's ``nn.MLP``)
  one point at a time, as ``model([Value(x1), Value(x2)])``: a coarser grid by default.

What the outputs mean:

- **one output per point** (a logit, a ±1 score, a probability): class 1 where it is above
  ``threshold`` (0 by default: pass ``threshold=0.5`` for a sigmoid's probability), class 0
  elsewhere. The picture shades each place by its score (orange below, blue above, paler
  near the threshold) and draws the boundary, where the score crosses the threshold, in black.
- **two outputs** (class scores, logits, probabilities): the class is the argmax, and the
  picture is that of one output, their difference ``out[1] - out[0]`` against 0.
- **k > 2 outputs**: the class is the argmax; each class gets its colour, pale, and the lines
  where the best two scores tie are drawn in black.

Labels ``y`` may be any two values (``0/1``, ``-1/+1``: the smaller is class 0) or, with k
outputs, the indices ``0 .. k-1``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Tensor, Value, parameters
from nn import Module

from .network import evaluating
from .palette import CLASSES
from .plots import diverging_colormap, panels

if TYPE_CHECKING:  # matplotlib is optional: imported when a plot is drawn, named here for types
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def plot_decision_boundary(
    model: Callable[..., Any],
    X: np.ndarray | Tensor | Sequence,
    y: np.ndarray | Tensor | Sequence,
    resolution: int | None = None,
    ax: Axes | None = None,
    threshold: float = 0.0,
    title: str | None = "Decision boundary",
) -> Figure:
    """Colour the plane by the class ``model`` predicts, with the points of ``X`` on top.

    Parameters
    ----------
    model
        A classifier of 2-D points: a scalar ``nn.MLP`` (or other model whose parameters are
        Values) or a tensor model (see the module's notes for how outputs become classes).
    X
        The points, shape ``(n, 2)`` (array, Tensor or nested lists).
    y
        Their labels, shape ``(n,)``.
    resolution
        Grid points per axis; by default 200 for a tensor model and 60 for a scalar model
        (3,600 calls of the model).
    ax
        An Axes to draw into.
    threshold
        With one output per point, the value above which it is class 1.
    title
        The Axes' title (None for none).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import nn
    >>> X, y = nn.datasets.make_moons(100, noise=0.1)  # doctest: +SKIP
    >>> fig = plot_decision_boundary(nn.MLP(2, [16, 16, 1]), X, y)  # doctest: +SKIP
    """
    X, y = _points(X, y)
    fig, (axis,) = panels(ax, 1, 1, (5.4, 4.6), "plot_decision_boundary")
    grid = Grid(model, X, resolution)
    draw_boundary(axis, grid, grid.evaluate(), X, y, threshold)
    if title:
        axis.set_title(title)
    return fig


class Grid:
    """The grid of points a boundary is drawn on, and the model evaluated on it."""

    def __init__(self, model, X: np.ndarray, resolution: int | None) -> None:
        self.model = model
        self.scalar = _is_scalar(model)
        if resolution is None:
            resolution = 60 if self.scalar else 200
        if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
            raise ValueError(f"resolution must be an int >= 2, got {resolution!r}")
        lows, highs = X.min(axis=0), X.max(axis=0)
        margin = np.maximum(0.1 * (highs - lows), 0.25)
        xs = np.linspace(lows[0] - margin[0], highs[0] + margin[0], resolution)
        ys = np.linspace(lows[1] - margin[1], highs[1] + margin[1], resolution)
        self.xx, self.yy = np.meshgrid(xs, ys)
        self.points = np.stack([self.xx.ravel(), self.yy.ravel()], axis=1)

    def evaluate(self) -> np.ndarray:
        """The model's outputs on the grid, shape ``(resolution, resolution, outputs)``."""
        with evaluating(self.model):
            if self.scalar:
                rows = [_floats(self.model([Value(a), Value(b)])) for a, b in self.points]
                out = np.array(rows, dtype=np.float64)
            else:
                # in the model's own float dtype: torch's layers refuse a float32 grid in a
                # float64 model (and the reverse)
                result = self.model(Tensor(self.points.astype(_float_dtype(self.model))))
                data = result.data if isinstance(result, Tensor) else result
                out = np.asarray(data, dtype=np.float64).reshape(len(self.points), -1)
        return out.reshape(*self.xx.shape, -1)


def _float_dtype(model) -> np.dtype:
    """The dtype of ``model``'s first floating parameter; float32 (torch's default) without."""
    members = model.parameters() if callable(getattr(model, "parameters", None)) else ()
    for p in members:
        if isinstance(p, Tensor) and p.dtype.kind == "f":
            return p.dtype
    return np.dtype(np.float32)


def draw_boundary(axis, grid: Grid, scores: np.ndarray, X, y, threshold: float = 0.0) -> None:
    """Draw the regions of ``scores`` (from ``grid.evaluate()``) and the points into ``axis``."""
    classes = np.unique(y)
    index = np.searchsorted(classes, y)
    outputs = scores.shape[-1]
    if outputs == 1 and len(classes) > 2:
        raise ValueError(
            f"plot_decision_boundary: one output per point separates two classes, but y has "
            f"{len(classes)}: {classes.tolist()}; give the model one output per class"
        )
    if outputs <= 2:
        # one score, or two class scores whose difference is one: shade it, draw where it is 0
        if outputs == 1:
            score = scores[..., 0] - threshold
        else:
            score = scores[..., 1] - scores[..., 0]
        finite = np.abs(score[np.isfinite(score)])
        reach = float(np.quantile(finite, 0.98)) if finite.size else 1.0
        reach = reach if reach > 0 else 1.0
        levels = np.linspace(-reach, reach, 21)
        axis.contourf(
            grid.xx,
            grid.yy,
            np.clip(score, -reach, reach),
            levels=levels,
            cmap=diverging_colormap(),
            alpha=0.75,
        )
        if np.nanmin(score) < 0 < np.nanmax(score):
            axis.contour(grid.xx, grid.yy, score, levels=[0.0], colors="black", linewidths=1.5)
        if len(classes) == 1:  # a single class: colour it by its side of the threshold
            index = np.full_like(index, 1 if classes[0] > threshold else 0)
    else:
        predicted = np.argmax(scores, axis=-1)
        colours = [CLASSES[k % len(CLASSES)] for k in range(outputs)]
        axis.contourf(
            grid.xx,
            grid.yy,
            predicted,
            levels=np.arange(outputs + 1) - 0.5,
            colors=colours,
            alpha=0.3,
        )
        for k in range(outputs):  # where class k's score meets the best of the others
            margin = scores[..., k] - np.max(np.delete(scores, k, axis=-1), axis=-1)
            if np.nanmin(margin) < 0 < np.nanmax(margin):
                axis.contour(grid.xx, grid.yy, margin, levels=[0.0], colors="black", linewidths=0.8)
        if np.issubdtype(classes.dtype, np.number) and classes.min() >= 0:
            index = y.astype(int)
    for label in classes:
        chosen = np.flatnonzero(y == label)
        colour = CLASSES[int(index[chosen[0]]) % len(CLASSES)]
        axis.scatter(
            X[chosen, 0],
            X[chosen, 1],
            s=22,
            color=colour,
            edgecolors="white",
            linewidths=0.6,
            label=f"class {_label(label)}",
            zorder=3,
        )
    axis.set_xlim(grid.xx.min(), grid.xx.max())
    axis.set_ylim(grid.yy.min(), grid.yy.max())
    axis.set_xlabel("x1")
    axis.set_ylabel("x2")
    axis.legend(loc="upper right", fontsize=8, framealpha=0.9)


def _points(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X.data if isinstance(X, Tensor) else X, dtype=np.float64)
    y = np.asarray(y.data if isinstance(y, Tensor) else y).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"plot_decision_boundary: X must be 2-D points of shape (n, 2), got shape {X.shape}"
        )
    if len(y) != len(X):
        raise ValueError(
            f"plot_decision_boundary: {len(X)} points but {len(y)} labels (shape {y.shape})"
        )
    return X, y


def _is_scalar(model) -> bool:
    """True for a model whose parameters are all Values (micrograd's)."""
    if not isinstance(model, Module):
        return False
    params = list(model.parameters())
    return bool(params) and all(parameters.is_scalar(p) for p in params)


def _floats(out) -> list[float]:
    """A scalar model's output (a Value, a number, or a list of them) as a list of floats."""
    if isinstance(out, (list, tuple)):
        return [float(o.data if parameters.is_scalar(o) else o) for o in out]
    return [float(out.data if parameters.is_scalar(out) else out)]


def _label(label) -> str:
    if isinstance(label, (float, np.floating)) and float(label).is_integer():
        return str(int(label))
    return str(label)
