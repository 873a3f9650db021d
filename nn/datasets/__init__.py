"""Small datasets to learn on, as numpy arrays ``(X, y)`` ready for ``nn.data.TensorDataset``.

- Generated: the TensorFlow Playground's ``make_circle``, ``make_xor``, ``make_gaussian`` and
  ``make_spiral``, and scikit-learn's ``make_moons`` (X float32 ``(n, 2)``, y int64 0/1).
- Shipped: ``load_digits``, scikit-learn's 1797 8x8 digits (no download, no scikit-learn).
- Read from disk: ``load_mnist(root)``, MNIST from its IDX files (``read_idx`` reads one).
"""

from .digits import load_digits
from .mnist import load_mnist, read_idx
from .moons import make_moons
from .playground import make_circle, make_gaussian, make_spiral, make_xor

__all__ = [
    "load_digits",
    "load_mnist",
    "make_circle",
    "make_gaussian",
    "make_moons",
    "make_spiral",
    "make_xor",
    "read_idx",
]
