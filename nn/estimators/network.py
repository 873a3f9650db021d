"""The estimators' network: scikit-learn's initialisation, the forward pass and the objective.

A network is two lists: ``coefs[i]`` of shape ``(fan_in, fan_out)`` and ``intercepts[i]`` of
shape ``(fan_out,)``; layer ``i`` computes ``h @ coefs[i] + intercepts[i]``, and every layer but
the last applies the hidden activation. The forward pass and the loss are ``autograd.Tensor``
graphs, so ``backward()`` gives the gradients the solvers step along.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import scipy.sparse

from autograd import Tensor, no_grad

Activation = Literal["identity", "logistic", "tanh", "relu"]
ACTIVATIONS: tuple[str, ...] = get_args(Activation)


def activate(name: str, z: Tensor) -> Tensor:
    """The hidden-layer activation ``name`` (one of ``ACTIVATIONS``) applied to ``z``."""
    if name == "relu":
        return z.relu()
    if name == "tanh":
        return z.tanh()
    if name == "logistic":
        return z.sigmoid()
    return z


def dense(X) -> np.ndarray:
    """``X`` as a dense array (rows of a sparse matrix are densified here, a batch at a time)."""
    if scipy.sparse.issparse(X):
        return X.toarray()
    return X


def init_weights(
    layer_units: list[int], activation: str, rng: np.random.RandomState
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``(coefs, intercepts)`` drawn as scikit-learn draws them, layer by layer.

    Glorot uniform: ``U(-b, b)`` with ``b = sqrt(factor / (fan_in + fan_out))``, ``factor`` 2
    for the logistic activation and 6 otherwise; each layer draws its coefficients, then its
    intercepts, from ``rng`` (the order matters for matching scikit-learn's numbers).

    Parameters
    ----------
    layer_units : list of int
        The width of each layer, input and output included: ``[n_features, *hidden, n_out]``.
    activation : str
        The hidden activation (it picks the factor).
    rng : numpy.random.RandomState
        The source of the draws.
    """
    factor = 2.0 if activation == "logistic" else 6.0
    coefs, intercepts = [], []
    for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
        bound = np.sqrt(factor / (fan_in + fan_out))
        coefs.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
        intercepts.append(rng.uniform(-bound, bound, fan_out))
    return coefs, intercepts


def forward(coefs: list, intercepts: list, X: np.ndarray, activation: str) -> Tensor:
    """The raw output ``(n_samples, n_outputs)``, before the output activation, for rows ``X``.

    ``coefs`` and ``intercepts`` are Tensors (Parameters while training) or arrays.
    """
    h = Tensor(X)
    last = len(coefs) - 1
    for i, (w, b) in enumerate(zip(coefs, intercepts)):
        h = h @ w + b
        if i != last:
            h = activate(activation, h)
    return h


def predict_raw(
    coefs: list[np.ndarray], intercepts: list[np.ndarray], X, activation: str
) -> np.ndarray:
    """``forward`` on fitted arrays, without recording a graph: ``(n_samples, n_outputs)``."""
    with no_grad():
        coefs = [Tensor(c) for c in coefs]
        intercepts = [Tensor(b) for b in intercepts]
        return forward(coefs, intercepts, dense(X), activation).data


def objective(
    sample_losses: Tensor, coefs: list, alpha: float, sample_weight: np.ndarray | None
) -> Tensor:
    """scikit-learn's objective: mean (weighted) sample loss + ``alpha * sum ||W||^2 / (2 sw)``.

    ``sample_losses`` has shape ``(n_samples,)``; ``sw`` is the number of samples, or the sum of
    ``sample_weight`` (shape ``(n_samples,)``) when given. The intercepts are not penalised.
    """
    if sample_weight is None:
        sw_sum = sample_losses.shape[0]
        data_loss = sample_losses.sum() / sw_sum
    else:
        sw_sum = float(sample_weight.sum())
        data_loss = (sample_losses * Tensor(sample_weight)).sum() / sw_sum
    penalty = None
    for w in coefs:
        term = (w * w).sum()
        penalty = term if penalty is None else penalty + term
    return data_loss + penalty * (0.5 * alpha / sw_sum)
