"""The four classification datasets of the TensorFlow Playground (playground.tensorflow.org).

Each generator follows the formula of the Playground's ``src/dataset.ts`` (Apache-2.0,
github.com/tensorflow/playground), vectorised with numpy and a seeded ``Generator``:

- ``make_circle``: positives at radius ``U(0, 2.5)``, negatives at radius ``U(3.5, 5)``.
- ``make_xor``: ``x, y ~ U(-5, 5)`` pushed 0.3 away from both axes; positive where ``x*y >= 0``.
- ``make_gaussian``: two Gaussians at ``(2, 2)`` (positive) and ``(-2, -2)`` (negative) with
  variance ``0.5 + 7 * noise``.
- ``make_spiral``: two arms ``r = 5 i/m``, ``t = 3.5 pi i/m (+ pi for the negative arm)``,
  ``(x, y) = (r sin t, r cos t)``.

``noise`` is the Playground's "Noise" slider divided by 100 (the slider goes 0 to 50, so
``noise`` goes 0 to 0.5), as in ``dataset.ts``. As there, noise moves the points of the spiral and
the Gaussians, but for the circle and XOR it only moves the point at which the label is read:
the points stay where they are and some of their labels flip.

Every generator returns ``(X, y)``: ``X`` float32 of shape ``(n_samples, 2)``, ``y`` int64 of
shape ``(n_samples,)``. With ``labels="01"`` (the default) the Playground's positive class is 1
and its negative class 0, ready for ``CrossEntropyLoss`` or ``BCEWithLogitsLoss``; with
``labels="pm1"`` they are the Playground's own +1 and -1 (for a tanh output or a hinge loss;
``2 * y - 1`` converts 0/1 labels to them). For an odd ``n_samples`` the positive class has the
extra sample. ``shuffle=True`` (the default, as in the Playground) mixes the two classes;
``shuffle=False`` returns the positives first.
"""

from __future__ import annotations

import numpy as np

__all__ = ["make_circle", "make_gaussian", "make_spiral", "make_xor"]

_LABELS = ("01", "pm1")


def _rng(seed) -> np.random.Generator:
    """A numpy Generator from an int, None or a Generator (used as it is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def _check(name: str, n_samples, noise: float, labels: str) -> None:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"{name}: n_samples must be an int, got {n_samples!r}")
    if n_samples < 0:
        raise ValueError(f"{name}: n_samples must be >= 0, got {n_samples}")
    if not noise >= 0:
        raise ValueError(
            f"{name}: noise must be >= 0 (the Playground's slider / 100, 0 to 0.5), got {noise}"
        )
    if labels not in _LABELS:
        raise ValueError(f"{name}: labels must be '01' or 'pm1', got {labels!r}")


def _finish(points, positive, rng, shuffle: bool, labels: str):
    """float32 points, int64 labels in the requested convention, optionally shuffled."""
    X = np.asarray(points, dtype=np.float32)
    y = np.where(positive, 1, 0 if labels == "01" else -1).astype(np.int64)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return X, y


def _halves(n_samples: int) -> tuple[int, int]:
    """Sizes of the positive and negative class: the positive one takes an odd sample."""
    return n_samples - n_samples // 2, n_samples // 2


def make_circle(
    n_samples: int = 200,
    noise: float = 0.0,
    seed: int | np.random.Generator | None = None,
    *,
    shuffle: bool = True,
    labels: str = "01",
) -> tuple[np.ndarray, np.ndarray]:
    """A disc of positives (radius < 2.5) inside a ring of negatives (radius 3.5 to 5).

    Parameters
    ----------
    n_samples : int, default 200
        Number of points, half of each class.
    noise : float, default 0.0
        The Playground's noise (slider / 100): the label of a point is read at the point moved by
        ``U(-5, 5) * noise`` in each coordinate, so labels near the boundary flip.
    seed : int, None or numpy.random.Generator
        Makes the draw repeatable.
    shuffle : bool, default True
        Mix the classes; False puts the positives first.
    labels : {"01", "pm1"}, default "01"
        Positive/negative as 1/0, or as the Playground's +1/-1.

    Returns
    -------
    X : ndarray of float32, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)

    Examples
    --------
    >>> X, y = make_circle(100, seed=0)
    >>> X.shape, X.dtype, y.dtype, int(y.sum())
    ((100, 2), dtype('float32'), dtype('int64'), 50)
    """
    _check("make_circle", n_samples, noise, labels)
    rng = _rng(seed)
    radius = 5.0
    n_pos, n_neg = _halves(n_samples)
    r = np.concatenate(
        [rng.uniform(0, radius * 0.5, n_pos), rng.uniform(radius * 0.7, radius, n_neg)]
    )
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    shifted = points + rng.uniform(-radius, radius, (n_samples, 2)) * noise
    positive = np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5
    return _finish(points, positive, rng, shuffle, labels)


def make_xor(
    n_samples: int = 200,
    noise: float = 0.0,
    seed: int | np.random.Generator | None = None,
    *,
    shuffle: bool = True,
    labels: str = "01",
) -> tuple[np.ndarray, np.ndarray]:
    """Points in the four quadrants, positive in the first and third (where ``x * y >= 0``).

    ``x, y ~ U(-5, 5)``, each pushed 0.3 away from its axis, so that without noise the classes
    are separated by a gap of 0.6 along both axes. ``noise`` moves the point at which the label
    is read by ``U(-5, 5) * noise`` per coordinate. The class sizes are random (about half each).
    Parameters and returns as in ``make_circle``.

    Examples
    --------
    >>> X, y = make_xor(100, seed=0)
    >>> bool(((X[:, 0] * X[:, 1] >= 0) == (y == 1)).all())
    True
    """
    _check("make_xor", n_samples, noise, labels)
    rng = _rng(seed)
    padding = 0.3
    points = rng.uniform(-5, 5, (n_samples, 2))
    points += np.where(points > 0, padding, -padding)
    shifted = points + rng.uniform(-5, 5, (n_samples, 2)) * noise
    positive = shifted[:, 0] * shifted[:, 1] >= 0
    return _finish(points, positive, rng, shuffle, labels)


def make_gaussian(
    n_samples: int = 200,
    noise: float = 0.0,
    seed: int | np.random.Generator | None = None,
    *,
    shuffle: bool = True,
    labels: str = "01",
) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs: positives around ``(2, 2)``, negatives around ``(-2, -2)``.

    Both coordinates have variance ``0.5 + 7 * noise`` (the Playground maps noise 0 to 0.5 onto
    variance 0.5 to 4). Parameters and returns as in ``make_circle``.

    Examples
    --------
    >>> X, y = make_gaussian(1000, seed=0)
    >>> X[y == 1].mean(axis=0).round().tolist(), X[y == 0].mean(axis=0).round().tolist()
    ([2.0, 2.0], [-2.0, -2.0])
    """
    _check("make_gaussian", n_samples, noise, labels)
    rng = _rng(seed)
    std = np.sqrt(0.5 + 7.0 * noise)
    n_pos, n_neg = _halves(n_samples)
    centers = np.concatenate([np.full((n_pos, 2), 2.0), np.full((n_neg, 2), -2.0)])
    points = centers + std * rng.standard_normal((n_samples, 2))
    positive = np.arange(n_samples) < n_pos
    return _finish(points, positive, rng, shuffle, labels)


def make_spiral(
    n_samples: int = 200,
    noise: float = 0.0,
    seed: int | np.random.Generator | None = None,
    *,
    shuffle: bool = True,
    labels: str = "01",
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms of 1.75 turns each, from the origin out to radius 5.

    Point ``i`` of an arm of ``m`` points sits at radius ``r = 5 i / m`` and angle
    ``t = 1.75 * 2 pi i / m`` (plus pi for the negative arm), at ``(r sin t, r cos t)`` plus
    ``U(-1, 1) * noise`` in each coordinate. Parameters and returns as in ``make_circle``
    (without noise the points are fixed and ``seed`` only changes the shuffle).

    Examples
    --------
    >>> X, y = make_spiral(100, seed=0)
    >>> float(np.hypot(X[:, 0], X[:, 1]).max()) < 5
    True
    """
    _check("make_spiral", n_samples, noise, labels)
    rng = _rng(seed)
    arms = []
    for m, delta in zip(_halves(n_samples), (0.0, np.pi)):
        i = np.arange(m)
        fraction = i / m if m else i.astype(np.float64)
        r = 5.0 * fraction
        t = 1.75 * 2 * np.pi * fraction + delta
        arms.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    points = np.concatenate(arms) + rng.uniform(-1, 1, (n_samples, 2)) * noise
    positive = np.arange(n_samples) < len(arms[0])
    return _finish(points, positive, rng, shuffle, labels)
