"""Training plots with matplotlib: learning curves, gradient flow, filters, optimizer paths.

matplotlib is optional (``pip install 'chainrule[notebooks]'``): it is imported when a plot is
drawn, never when ``viz`` is imported. Every function returns the ``matplotlib.figure.Figure``
and takes ``ax=``: an ``Axes`` to draw into (for the plots of several panels, a sequence of
``Axes``, one per panel); without it a new figure is made with ``pyplot``, so it shows in a
notebook (end the line with ``;`` there, or Jupyter shows the returned figure a second time).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Tensor, no_grad, parameters
from nn import Layer, Module, Neuron, Parameter

from .palette import LINES, NEGATIVE, POSITIVE

if TYPE_CHECKING:  # matplotlib is optional: imported when a plot is drawn, named here for types
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MATPLOTLIB_MISSING = (
    "viz plots need matplotlib: pip install 'chainrule[notebooks]' or pip install matplotlib"
)


def pyplot() -> ModuleType:
    """``matplotlib.pyplot``, or an ImportError that says how to install matplotlib."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(MATPLOTLIB_MISSING) from error
    return plt


def diverging_colormap() -> Any:
    """Orange (negative) through white to blue (positive), the colours of the network drawings."""
    pyplot()
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("chainrule", [NEGATIVE, "#ffffff", POSITIVE])


def panels(
    ax: Axes | Sequence[Axes] | None,
    count: int,
    ncols: int,
    panel_size: tuple[float, float],
    where: str,
) -> tuple[Figure, list[Axes]]:
    """(figure, list of ``count`` Axes): from ``ax`` (one Axes or a sequence), or a new figure.

    A new figure has ``ceil(count / ncols)`` rows; the Axes it does not need are removed.
    """
    plt = pyplot()
    if ax is not None:
        axes = list(np.ravel(np.asarray(ax, dtype=object)))
        if len(axes) < count:
            raise ValueError(
                f"{where}: needs {count} Axes (one per panel), got {len(axes)}; pass a sequence "
                f"of {count} Axes, or ax=None for a new figure"
            )
        return axes[0].figure, axes[:count]
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    fig, grid = plt.subplots(
        nrows,
        ncols,
        figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
        squeeze=False,
        layout="constrained",
    )
    axes = list(grid.ravel())
    for extra in axes[count:]:
        fig.delaxes(extra)
    return fig, axes[:count]


# -- learning curves -------------------------------------------------------------------------------

_NOT_METRICS = ("lr", "epoch", "epochs", "time")


def plot_history(
    history: Any,
    metrics: Sequence[str] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Learning curves: one panel for the loss and one per metric, training and validation.

    Parameters
    ----------
    history
        What ``nn.fit`` returns (anything with a ``.history`` dict), or a dict of per-epoch
        lists such as ``{"loss": [...], "val_loss": [...], "accuracy": [...]}``. A key
        ``val_<name>`` is drawn in the panel of ``<name>`` as the validation curve.
    metrics
        The panels to draw, by name (``["loss", "accuracy"]``); by default every name in
        ``history`` except ``lr`` (add ``"lr"`` to see the learning rate, on a log scale when it
        spans more than a factor of 10).
    ax
        A sequence of Axes, one per panel (a single Axes for a single panel). A new figure
        puts up to three panels in a row.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> history = {"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.6, 0.5],
    ...            "accuracy": [0.6, 0.8, 0.9], "val_accuracy": [0.5, 0.7, 0.8]}
    >>> fig = plot_history(history)  # two panels, two lines each
    """
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            "plot_history: expected a History (from nn.fit) or a dict of per-epoch lists, "
            f"got {type(history).__name__}"
        )
    names = []
    for key in data:
        name = key[4:] if key.startswith("val_") else key
        if name not in names and name not in _NOT_METRICS:
            names.append(name)
    if "loss" in names:
        names.remove("loss")
        names.insert(0, "loss")
    if metrics is not None:
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        unknown = [m for m in metrics if m not in data and f"val_{m}" not in data]
        if unknown:
            raise KeyError(f"plot_history: no {unknown} in the history; it holds {sorted(data)}")
        names = metrics
    if not names:
        raise ValueError(f"plot_history: nothing to plot; the history holds {sorted(data)}")

    fig, axes = panels(ax, len(names), 3, (4.2, 3.3), "plot_history")
    for axis, name in zip(axes, names):
        for key, label, colour in (
            (name, "train", LINES[0]),
            (f"val_{name}", "validation", LINES[1]),
        ):
            values = data.get(key)
            if values is None or name == "lr" and label == "validation":
                continue
            values = np.asarray(values, dtype=np.float64).ravel()
            epochs = np.arange(1, len(values) + 1)
            marker = "o" if len(values) <= 30 else None
            axis.plot(epochs, values, marker=marker, markersize=4, color=colour, label=label)
        if name == "lr":
            positive = np.asarray(data["lr"], dtype=np.float64)
            positive = positive[positive > 0]
            if positive.size and positive.max() > 10 * positive.min():
                axis.set_yscale("log")
        axis.set_title(_title(name))
        axis.set_xlabel("epoch")
        axis.grid(alpha=0.3)
        axis.xaxis.get_major_locator().set_params(integer=True)
        if len(axis.lines) > 1 or (f"val_{name}" in data and name != "lr"):
            axis.legend()
    return fig


def _title(name: str) -> str:
    return {"lr": "Learning rate", "mse": "MSE", "mae": "MAE"}.get(
        name, name.replace("_", " ").capitalize()
    )


# -- gradient flow ---------------------------------------------------------------------------------


def plot_gradient_flow(model: Module, ax: Axes | None = None) -> Figure:
    """Mean and largest ``|grad|`` of each layer's weights after ``backward()``, on a log scale.

    Vanishing gradients show as bars that shrink towards the input; exploding ones as bars that
    grow. Call it after ``loss.backward()`` and before ``optimizer.zero_grad()``.

    Parameters
    ----------
    model
        An ``nn.Module``. For tensor models each parameter of two or more dims (the weights:
        ``0.weight``, ...) is one bar pair, biases left out (a model without any such
        parameter shows all its parameters); for the scalar ``nn.MLP`` each ``Layer`` is one
        (its neurons' weights ``w``, biases ``b`` left out).
    ax
        An Axes to draw into.

    Returns
    -------
    matplotlib.figure.Figure
        Two bars per layer: the largest ``|grad|`` (light) and the mean (dark). A layer without
        a gradient (``grad`` None) is named with "(no grad)" and has no bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use('Agg')
    >>> import autograd, nn
    >>> from viz import plot_gradient_flow
    >>> model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    >>> model(autograd.randn(16, 2)).pow(2).mean().backward()
    >>> fig = plot_gradient_flow(model)
    >>> type(fig).__name__
    'Figure'
    """
    if not isinstance(model, Module):
        raise TypeError(f"plot_gradient_flow: expected an nn.Module, got {type(model).__name__}")
    groups = _gradient_groups(model)
    if not groups:
        raise ValueError(f"plot_gradient_flow: {type(model).__name__} has no parameters")
    means = np.array([np.nan if g is None else np.mean(np.abs(g)) for _, g in groups])
    maxes = np.array([np.nan if g is None else np.max(np.abs(g)) for _, g in groups])
    if not np.any(np.nan_to_num(maxes) > 0):
        raise ValueError(
            "plot_gradient_flow: every gradient is missing or zero; call loss.backward() first "
            "(and plot before optimizer.zero_grad())"
        )
    fig, (axis,) = panels(ax, 1, 1, (max(5.5, 0.55 * len(groups) + 3), 3.6), "plot_gradient_flow")
    x = np.arange(len(groups))
    axis.bar(x, np.nan_to_num(maxes), width=0.7, color=POSITIVE, alpha=0.35, label="max |grad|")
    axis.bar(x, np.nan_to_num(means), width=0.7, color=POSITIVE, label="mean |grad|")
    axis.set_yscale("log")
    smallest = np.nanmin(np.where(means > 0, means, np.nan), initial=np.inf)
    if np.isfinite(smallest):
        axis.set_ylim(bottom=smallest / 4)
    labels = [name + ("\n(no grad)" if g is None else "") for name, g in groups]
    rotate = len(groups) > 6 or max(len(name) for name, _ in groups) > 10
    axis.set_xticks(x, labels, rotation=45 if rotate else 0, ha="right" if rotate else "center")
    axis.set_ylabel("|gradient|")
    axis.set_title("Gradient flow")
    axis.grid(axis="y", alpha=0.3)
    axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


def _gradient_groups(model: Module) -> list[tuple[str, np.ndarray | None]]:
    """(name, array of gradients or None) per layer, input side first."""
    params = list(model.parameters())
    if params and all(parameters.is_scalar(p) for p in params):
        layers = [(name, m) for name, m in model.named_modules() if isinstance(m, Layer)]
        neurons = [(name, m) for name, m in model.named_modules() if isinstance(m, Neuron)]
        if not layers and not neurons:  # Values of its own: one bar pair each
            return [(name, np.array([p.grad])) for name, p in model.named_parameters()]
        if not layers:
            return [(name or "neuron", np.array([w.grad for w in m.w])) for name, m in neurons]
        return [
            (name or "layer", np.array([w.grad for n in m.neurons for w in n.w]))
            for name, m in layers
        ]
    named = list(model.named_parameters())
    weights = [(n, p) for n, p in named if len(parameters.shape(p)) >= 2]
    return [(name, parameters.grad_array(p)) for name, p in weights or named]


# -- convolution filters ---------------------------------------------------------------------------


def plot_filters(
    conv: Module,
    in_channel: int | str | None = None,
    max_filters: int = 64,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """The kernels of a convolution as a grid of small images on one colour scale.

    Parameters
    ----------
    conv
        An ``nn.Conv2d`` (or ``Conv1d``), or its weight: a Tensor or array of shape
        ``(out_channels, in_channels, kh, kw)`` (``(out, in, k)`` for 1-D, drawn as rows).
    in_channel
        Which input channel of each kernel to show: an index; ``"mean"`` for the mean over
        the input channels; ``"rgb"`` for the three channels as one colour image (3 input
        channels only). By default: the only channel of a 1-channel input, RGB for 3 channels
        (an image's colours), the mean otherwise.
    max_filters
        The most kernels drawn (the first ones).
    ax
        A sequence of at least ``min(out_channels, max_filters)`` Axes, one per kernel.

    Returns
    -------
    matplotlib.figure.Figure
        One image per kernel, titled with its output channel; blue for positive values, orange
        for negative, white for zero, on one scale (``±`` the largest ``|weight|``) shown by one
        colour bar. RGB kernels are mapped with the same scale to [0, 1] (grey is zero).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use('Agg')
    >>> import nn
    >>> from viz import plot_filters
    >>> fig = plot_filters(nn.Conv2d(1, 4, 3))
    >>> type(fig).__name__
    'Figure'
    """
    weight = getattr(conv, "weight", conv)
    w = np.asarray(weight.data if isinstance(weight, Tensor) else weight, dtype=np.float64)
    if w.ndim == 3:
        w = w[:, :, None, :]
    if w.ndim != 4:
        raise ValueError(
            f"plot_filters: expected a convolution weight of shape (out, in, kh, kw), got shape "
            f"{w.shape}"
        )
    out_channels, in_channels = w.shape[:2]
    if in_channel is None:
        in_channel = 0 if in_channels == 1 else "rgb" if in_channels == 3 else "mean"
    count = min(out_channels, max_filters)
    w = w[:count]
    scale = float(np.max(np.abs(w))) or 1.0
    if in_channel == "rgb":
        if in_channels != 3:
            raise ValueError(f"plot_filters: 'rgb' needs 3 input channels, not {in_channels}")
        images = np.transpose(w, (0, 2, 3, 1)) / (2 * scale) + 0.5
        what = "RGB"
    elif in_channel == "mean":
        images = w.mean(axis=1)
        what = f"mean over {in_channels} input channels"
    elif isinstance(in_channel, (int, np.integer)) and -in_channels <= in_channel < in_channels:
        images = w[:, in_channel]
        what = f"input channel {in_channel}" if in_channels > 1 else ""
    else:
        raise ValueError(
            f"plot_filters: in_channel must be an index below {in_channels}, 'mean' or 'rgb', "
            f"got {in_channel!r}"
        )
    ncols = min(8, math.ceil(math.sqrt(count)))
    fig, axes = panels(ax, count, ncols, (1.25, 1.25), "plot_filters")
    cmap = diverging_colormap()
    image = None
    for k, (axis, picture) in enumerate(zip(axes, images)):
        if in_channel == "rgb":
            axis.imshow(np.clip(picture, 0, 1), interpolation="nearest")
        else:
            image = axis.imshow(
                picture, cmap=cmap, vmin=-scale, vmax=scale, interpolation="nearest"
            )
        axis.set_xticks([])
        axis.set_yticks([])
        axis.set_title(str(k), fontsize=8, pad=2)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    kernel = "x".join(str(d) for d in w.shape[2:])
    name = type(conv).__name__ if isinstance(conv, Module) else "filters"
    title = f"{name}: {out_channels} filters {kernel}" + (f" ({what})" if what else "")
    if count < out_channels:
        title += f", first {count} shown"
    fig.suptitle(title, fontsize=10)
    return fig


# -- optimizer paths -------------------------------------------------------------------------------


def plot_optimizer_paths(
    f: Callable,
    optimizers: Mapping[str, Callable],
    start: Sequence[float],
    steps: int = 100,
    ax: Axes | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    resolution: int = 200,
    levels: int = 20,
) -> Figure:
    """The paths of several optimizers down a function of two variables, over its contours.

    Parameters
    ----------
    f
        The function to minimise: takes a Tensor ``p`` of shape ``(2,)`` and returns a scalar
        Tensor, built from Tensor operations on ``p[0]`` and ``p[1]``, e.g. Rosenbrock's
        ``lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2``. Written that way, it
        also works elementwise on a Tensor of shape ``(2, H, W)``: the contours come from one
        such call on the whole grid (a function that does not vectorise is evaluated point by
        point, which is slower).
    optimizers
        Name to factory: ``{"SGD": lambda params: nn.optim.SGD(params, lr=1e-3), ...}``. Each
        factory gets a list holding one ``nn.Parameter`` (float64, starting at ``start``).
    start
        The starting point ``(x, y)``.
    steps
        The steps of ``zero_grad()``, ``f(p).backward()``, ``step()`` per optimizer. A path stops
        early where it leaves the finite numbers.
    ax
        An Axes to draw into.
    xlim, ylim
        The region drawn; by default the box around every path and the start, with a margin.
        Give it when an optimizer runs far away.
    resolution
        Grid points per axis for the contours.
    levels
        The number of contour levels: spaced evenly, or logarithmically above the minimum when
        ``f`` spans several decades on the grid (Rosenbrock's valley would be one band else).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.paths``: a dict from each name to the array ``(k, 2)`` of the points visited,
        the start first (``k = steps + 1`` unless the path left the finite numbers).

    Examples
    --------
    >>> import nn
    >>> rosenbrock = lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
    >>> fig = plot_optimizer_paths(
    ...     rosenbrock,
    ...     {"SGD": lambda ps: nn.optim.SGD(ps, lr=1e-3, momentum=0.9),
    ...      "Adam": lambda ps: nn.optim.Adam(ps, lr=0.05)},
    ...     start=(-1.5, 2.0), steps=300)
    >>> fig.paths["Adam"].shape
    (301, 2)
    """
    if not isinstance(optimizers, Mapping) or not optimizers:
        raise TypeError(
            "plot_optimizer_paths: optimizers must be a dict of name -> factory, e.g. "
            "{'Adam': lambda params: nn.optim.Adam(params, lr=0.1)}"
        )
    start = np.asarray(start, dtype=np.float64).ravel()
    if start.shape != (2,):
        raise ValueError(f"plot_optimizer_paths: start must be 2 numbers (x, y), got {start}")
    paths = {name: _descend(f, factory, start, steps, name) for name, factory in optimizers.items()}

    points = np.concatenate([start[None]] + list(paths.values()))
    xlim = xlim or _span(points[:, 0])
    ylim = ylim or _span(points[:, 1])
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(xs, ys)
    zz = _grid_values(f, xx, yy)

    fig, (axis,) = panels(ax, 1, 1, (6.0, 4.8), "plot_optimizer_paths")
    bounds = _levels(zz, levels)
    if bounds.size >= 2:
        axis.contourf(xx, yy, zz, levels=bounds, cmap="Greys_r", alpha=0.22, extend="both")
        axis.contour(xx, yy, zz, levels=bounds, colors="#8a8a8a", linewidths=0.6, alpha=0.7)
    for k, (name, path) in enumerate(paths.items()):
        colour = LINES[k % len(LINES)]
        value = _value_at(f, path[-1])
        axis.plot(
            path[:, 0],
            path[:, 1],
            color=colour,
            linewidth=1.8,
            marker="o",
            markersize=2.5,
            markevery=max(1, (len(path) - 1) // 30),
            label=f"{name}: f = {value:.3g} after {len(path) - 1} steps",
        )
        axis.plot(*path[-1], marker="X", markersize=9, color=colour, markeredgecolor="white")
    axis.plot(*start, marker="o", markersize=8, color="black", linestyle="none", label="start")
    axis.set_xlim(*xlim)
    axis.set_ylim(*ylim)
    axis.set_xlabel("x")
    axis.set_ylabel("y")
    axis.set_title("Optimizer paths")
    axis.legend(fontsize=8, loc="best")
    fig.paths = paths
    return fig


def _descend(f, factory, start: np.ndarray, steps: int, name: str) -> np.ndarray:
    param = Parameter(start.copy())
    optimizer = factory([param])
    path = [start.copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss = f(param)
        if not isinstance(loss, Tensor) or loss.data.size != 1:
            raise TypeError(
                f"plot_optimizer_paths: f must return a scalar Tensor, got "
                f"{type(loss).__name__}"
                + (f" of shape {loss.shape}" if isinstance(loss, Tensor) else "")
            )
        loss.backward()
        optimizer.step()
        point = np.asarray(param.data, dtype=np.float64).ravel()
        if not np.all(np.isfinite(point)):
            warnings.warn(
                f"plot_optimizer_paths: {name} left the finite numbers after {len(path)} steps",
                stacklevel=3,
            )
            break
        path.append(point.copy())
    return np.array(path)


def _levels(zz: np.ndarray, count: int) -> np.ndarray:
    """Contour levels: log-spaced above the minimum when ``f`` spans many decades, else even."""
    finite = zz[np.isfinite(zz)]
    if finite.size == 0:
        return np.array([])
    low, high = float(finite.min()), float(finite.max())
    above = finite - low
    above = above[above > 0]
    if above.size and high - low > 100 * float(np.quantile(above, 0.01)):
        return low + np.geomspace(float(np.quantile(above, 0.01)), high - low, count)
    return np.unique(np.linspace(low, high, count))


def _span(values: np.ndarray) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    margin = max(0.15 * (high - low), 0.5)
    return low - margin, high + margin


def _grid_values(f, xx: np.ndarray, yy: np.ndarray) -> np.ndarray:
    with no_grad():
        try:
            out = f(Tensor(np.stack([xx, yy])))
            values = np.asarray(out.data if isinstance(out, Tensor) else out, dtype=np.float64)
            if values.shape == xx.shape:
                return values
        except Exception:
            pass
        flat = [_value_at(f, point) for point in np.stack([xx.ravel(), yy.ravel()], axis=1)]
    return np.array(flat).reshape(xx.shape)


def _value_at(f, point: np.ndarray) -> float:
    with no_grad():
        out = f(Tensor(np.asarray(point, dtype=np.float64)))
    return float(np.asarray(out.data if isinstance(out, Tensor) else out).reshape(()))
