"""Checks of the estimators' hyperparameters and sample weights, with scikit-learn's messages.

scikit-learn validates constructor arguments in ``fit``, not in ``__init__`` (which only stores
them, so that ``clone`` and ``set_params`` work); ``validate_hyperparameters`` is that check. An
error names the parameter, what it must be and what it got.
"""

from __future__ import annotations

import numbers
from typing import Literal, get_args

import numpy as np
from sklearn.base import BaseEstimator

from .network import ACTIVATIONS

Solver = Literal["lbfgs", "sgd", "adam"]
LearningRate = Literal["constant", "invscaling", "adaptive"]
SOLVERS: tuple[str, ...] = get_args(Solver)
LEARNING_RATES: tuple[str, ...] = get_args(LearningRate)


def is_int(value) -> bool:
    """An integer that is not a bool (``True`` is not a batch size)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value) -> bool:
    """A real number that is not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def invalid(estimator: BaseEstimator, name: str, expected: str) -> ValueError:
    """The error for hyperparameter ``name`` of ``estimator``, which should be ``expected``."""
    value = getattr(estimator, name)
    return ValueError(
        f"The {name!r} parameter of {type(estimator).__name__} must be {expected}. "
        f"Got {value!r} instead."
    )


def check_option(estimator: BaseEstimator, name: str, allowed: tuple[str, ...]) -> None:
    """Raise unless hyperparameter ``name`` is one of the strings ``allowed``."""
    value = getattr(estimator, name)
    if not isinstance(value, str) or value not in allowed:
        raise invalid(estimator, name, "one of " + ", ".join(repr(a) for a in allowed))


def hidden_layer_sizes(estimator: BaseEstimator) -> list[int]:
    """``estimator.hidden_layer_sizes`` as a list of positive ints (an int is one layer)."""
    sizes = estimator.hidden_layer_sizes
    if is_int(sizes):
        sizes = [sizes]
    expected = "an int or a sequence of ints, such as (100,) or (64, 32)"
    try:
        sizes = list(sizes)
    except TypeError:
        raise invalid(estimator, "hidden_layer_sizes", expected) from None
    if not all(is_int(s) for s in sizes):
        raise invalid(estimator, "hidden_layer_sizes", expected)
    if any(s <= 0 for s in sizes):
        raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
    return [int(s) for s in sizes]


def validate_hyperparameters(estimator: BaseEstimator) -> None:
    """Check every shared constructor argument; raise a ValueError that names the first bad one."""

    def real(name, low, high=np.inf, low_closed=True, high_closed=False):
        value = getattr(estimator, name)
        if not is_real(value) or np.isnan(value):
            ok = False
        else:
            ok = (value >= low if low_closed else value > low) and (
                value <= high if high_closed else value < high
            )
        if not ok:
            interval = (
                ("[" if low_closed else "(") + f"{low}, {high}" + ("]" if high_closed else ")")
            )
            raise invalid(estimator, name, f"a float in the range {interval}")

    def integer(name, low):
        value = getattr(estimator, name)
        if not is_int(value) or value < low:
            raise invalid(estimator, name, f"an int in the range [{low}, inf)")

    def boolean(name):
        if not isinstance(getattr(estimator, name), (bool, np.bool_)):
            raise invalid(estimator, name, "a bool (True or False)")

    check_option(estimator, "activation", ACTIVATIONS)
    check_option(estimator, "solver", SOLVERS)
    check_option(estimator, "learning_rate", LEARNING_RATES)
    real("alpha", 0.0)
    batch_size = estimator.batch_size
    if not (isinstance(batch_size, str) and batch_size == "auto"):
        if not is_int(batch_size) or batch_size < 1:
            raise invalid(estimator, "batch_size", "'auto' or an int in the range [1, inf)")
    real("learning_rate_init", 0.0, low_closed=False)
    real("power_t", 0.0)
    integer("max_iter", 1)
    boolean("shuffle")
    real("tol", 0.0)
    boolean("warm_start")
    real("momentum", 0.0, 1.0, high_closed=True)
    boolean("nesterovs_momentum")
    boolean("early_stopping")
    real("validation_fraction", 0.0, 1.0)
    real("beta_1", 0.0, 1.0)
    real("beta_2", 0.0, 1.0)
    real("epsilon", 0.0, low_closed=False)
    if not (estimator.n_iter_no_change == np.inf and is_real(estimator.n_iter_no_change)):
        integer("n_iter_no_change", 1)
    integer("max_fun", 1)
    verbose = estimator.verbose
    if not (is_int(verbose) or isinstance(verbose, (bool, np.bool_))):
        raise invalid(estimator, "verbose", "a bool or an int")
    rs = estimator.random_state
    if not (rs is None or is_int(rs) or isinstance(rs, np.random.RandomState)):
        raise invalid(estimator, "random_state", "None, an int or a numpy RandomState")
    hidden_layer_sizes(estimator)


def check_sample_weight(sample_weight, n_samples: int) -> np.ndarray:
    """``sample_weight`` (a number, or one weight per sample) as a float64 array ``(n_samples,)``.

    The weights must be finite and non-negative, and not all zero.
    """
    if is_real(sample_weight):
        return np.full(n_samples, float(sample_weight))
    sw = np.asarray(sample_weight, dtype=np.float64)
    if sw.ndim != 1 or sw.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight.shape == {sw.shape}, expected ({n_samples},): one weight per "
            "sample of X"
        )
    if not np.isfinite(sw).all() or (sw < 0).any():
        raise ValueError("sample_weight must be finite and non-negative")
    if sw.sum() <= 0:
        raise ValueError(
            "Sample weights must contain at least one non-zero number (all weights are zero)"
        )
    return sw
