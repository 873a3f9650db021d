"""Watch a classifier learn: its decision boundary, epoch after epoch, as an animated GIF.

TensorFlow Playground's picture in a notebook: train with your own loop, one epoch per call of
``train_step``, and ``animate_training`` snapshots the boundary between calls.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Tensor, parameters

from .boundary import Grid, _points, draw_boundary
from .plots import panels, pyplot


def animate_training(
    model: Callable[..., Any],
    X: np.ndarray | Tensor | Sequence,
    y: np.ndarray | Tensor | Sequence,
    train_step: Callable[[int], object],
    epochs: int,
    path: str | os.PathLike,
    every: int = 1,
    fps: float = 5,
    resolution: int | None = None,
    threshold: float = 0.0,
    dpi: int = 80,
) -> Path:
    """Train ``model`` for ``epochs`` epochs and save its decision boundary's story as a GIF.

    Parameters
    ----------
    model
        A classifier of 2-D points, as for :func:`plot_decision_boundary` (scalar or tensor).
    X, y
        The points ``(n, 2)`` and labels ``(n,)`` drawn in every frame.
    train_step
        ``train_step(epoch)``, called with ``epoch = 0, 1, ..., epochs - 1``: trains ``model``
        for one epoch (your loop: zero_grad, loss, backward, step). If it returns a number (a
        float, or a 1-element Tensor or Value: the loss), the frame's title shows it.
    epochs
        How many times to call ``train_step``.
    path
        Where to write the GIF (``.gif``).
    every
        Take a frame after every ``every`` epochs. The GIF has ``1 + ceil(epochs / every)``
        frames: before training, after epochs ``every, 2 * every, ...``, and after the last.
    fps
        Frames per second.
    resolution, threshold
        As for :func:`plot_decision_boundary`.
    dpi
        Resolution of the frames (the figure is 5.4 x 4.6 inches).

    Returns
    -------
    pathlib.Path
        ``path``. Show it in a notebook with ``IPython.display.Image(filename=path)``.

    Examples
    --------
    >>> import nn
    >>> from autograd import Value
    >>> model = nn.MLP(2, [16, 16, 1])
    >>> opt = nn.optim.SGD(model.parameters(), lr=0.05)
    >>> def train_step(epoch):  # hinge loss on labels -1/+1, micrograd's demo
    ...     opt.zero_grad()
    ...     scores = [model([Value(a), Value(b)]) for a, b in X]
    ...     loss = sum((1 - yi * s).relu() for yi, s in zip(y, scores)) / len(y)
    ...     loss.backward()
    ...     opt.step()
    ...     return loss
    >>> animate_training(model, X, y, train_step, epochs=50, path="moons.gif", every=5)
    ... # doctest: +SKIP
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"animate_training: epochs must be an int >= 0, got {epochs!r}")
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"animate_training: every must be an int >= 1, got {every!r}")
    if not callable(train_step):
        raise TypeError("animate_training: train_step must be a function of the epoch number")
    path = Path(path)
    plt = pyplot()
    from matplotlib.animation import PillowWriter

    X, y = _points(X, y)
    grid = Grid(model, X, resolution)
    fig, (axis,) = panels(None, 1, 1, (5.4, 4.6), "animate_training")
    fig.set_layout_engine(None)  # one layout for every frame, so the frames do not jump
    fig.subplots_adjust(left=0.12, right=0.96, bottom=0.11, top=0.91)
    writer = PillowWriter(fps=fps)

    def frame(done: int, loss) -> None:
        axis.clear()
        draw_boundary(axis, grid, grid.evaluate(), X, y, threshold)
        title = f"epoch {done}/{epochs}"
        if loss is not None:
            title += f"    loss {loss:.4g}"
        axis.set_title(title)
        writer.grab_frame()

    try:
        with writer.saving(fig, os.fspath(path), dpi):
            frame(0, None)
            for epoch in range(epochs):
                loss = _number(train_step(epoch))
                done = epoch + 1
                if done % every == 0 or done == epochs:
                    frame(done, loss)
    finally:
        plt.close(fig)
    return path


def _number(result) -> float | None:
    """The loss a ``train_step`` returned, as a float, or None if it returned something else."""
    if parameters.is_node(result) and parameters.numel(result) == 1:  # a Value, or a Tensor
        return float(parameters.data_array(result).reshape(()))
    if isinstance(result, numbers.Real) and not isinstance(result, bool):
        return float(result)
    return None
