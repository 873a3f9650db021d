"""``make_moons``: two interleaving half circles, built as scikit-learn's ``make_moons``."""

from __future__ import annotations

import numpy as np

from .playground import _LABELS, _rng

__all__ = ["make_moons"]


def make_moons(
    n_samples: int | tuple[int, int] = 100,
    noise: float = 0.0,
    seed: int | np.random.Generator | None = None,
    *,
    shuffle: bool = True,
    labels: str = "01",
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's ``make_moons``, in numpy).

    The upper moon (label 0) is the half circle of radius 1 around ``(0, 0)``, the lower moon
    (label 1) the half circle of radius 1 around ``(1, 0.5)`` opened upwards; the points are
    spaced evenly in angle. Then Gaussian noise of standard deviation ``noise`` is added to each
    coordinate. Without noise the point set is exactly scikit-learn's; the random draws (shuffle
    and noise) use numpy's ``Generator`` rather than scikit-learn's ``RandomState``, so with the
    same seed the order and noise differ from scikit-learn's.

    Parameters
    ----------
    n_samples : int or (int, int), default 100
        Total number of points (the upper moon gets ``n_samples // 2``, the lower one the rest),
        or the sizes of the two moons.
    noise : float, default 0.0
        Standard deviation of the Gaussian noise added to the points.
    seed : int, None or numpy.random.Generator
        Makes the shuffle and the noise repeatable.
    shuffle : bool, default True
        Mix the two moons; False puts the upper moon first.
    labels : {"01", "pm1"}, default "01"
        Upper/lower moon as 0/1, or as -1/+1.

    Returns
    -------
    X : ndarray of float32, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)

    Examples
    --------
    >>> X, y = make_moons(6, shuffle=False)
    >>> X.round(2).tolist()[:3], y.tolist()
    ([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], [0, 0, 0, 1, 1, 1])
    """
    if isinstance(n_samples, (tuple, list)):
        if len(n_samples) != 2:
            raise ValueError(
                f"make_moons: n_samples can be either an int or a two-element tuple, "
                f"got {n_samples!r}"
            )
        n_out, n_in = (int(k) for k in n_samples)
    elif isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"make_moons: n_samples must be an int or (int, int), got {n_samples!r}")
    else:
        n_out = n_samples // 2
        n_in = n_samples - n_out
    if n_out < 0 or n_in < 0:
        raise ValueError(f"make_moons: n_samples must be >= 0, got {n_samples!r}")
    if not noise >= 0:
        raise ValueError(f"make_moons: noise must be >= 0, got {noise}")
    if labels not in _LABELS:
        raise ValueError(f"make_moons: labels must be '01' or 'pm1', got {labels!r}")
    rng = _rng(seed)

    outer = np.linspace(0, np.pi, n_out)
    inner = np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(outer), np.sin(outer)], axis=1),
            np.stack([1 - np.cos(inner), 1 - np.sin(inner) - 0.5], axis=1),
        ]
    )
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    if labels == "pm1":
        y = 2 * y - 1
    return X.astype(np.float32), y
