"""``load_digits``: scikit-learn's 8x8 handwritten digits, shipped with this package.

``digits.npz`` next to this file holds the 1797 images as uint8 (values 0 to 16) and their
int64 targets, exported once from scikit-learn 1.9.1 with::

    d = sklearn.datasets.load_digits()
    np.savez_compressed("digits.npz", images=d.images.astype(np.uint8),
                        target=d.target.astype(np.int64))

The data are a copy of the test set of the UCI ML hand-written digits dataset (Alpaydin and
Kaynak, 1998; CC BY 4.0), as scikit-learn distributes it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["load_digits"]

_PATH = Path(__file__).with_name("digits.npz")


def load_digits(*, images: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The 1797 8x8 images of digits 0 to 9 of scikit-learn's ``load_digits``, offline.

    Parameters
    ----------
    images : bool, default False
        Return the images with shape ``(1797, 8, 8)`` instead of flattened to 64 features.

    Returns
    -------
    X : ndarray of float32, shape (1797, 64) (or (1797, 8, 8) with ``images=True``)
        Pixel intensities 0 to 16, as in scikit-learn (divide by 16 to scale them to [0, 1]).
        Row-major: feature ``8 * row + column``.
    y : ndarray of int64, shape (1797,)
        The digit, 0 to 9 (about 180 of each).

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, X.dtype, y.dtype, int(X.max())
    ((1797, 64), dtype('float32'), dtype('int64'), 16)
    """
    with np.load(_PATH, allow_pickle=False) as archive:
        pixels, target = archive["images"], archive["target"]
    X = pixels.astype(np.float32)
    if not images:
        X = X.reshape(len(X), -1)
    return X, target.astype(np.int64, copy=False)
