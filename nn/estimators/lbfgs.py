"""The "lbfgs" solver: scipy's L-BFGS-B on the flattened parameters, the engine giving f and f'."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.optimize
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from autograd import parameters

from ..parameter import Parameter
from .network import dense


def fit_lbfgs(
    mlp: BaseEstimator,
    coefs: list[Parameter],
    intercepts: list[Parameter],
    X,
    Y: np.ndarray,
    sample_weight: np.ndarray | None,
) -> None:
    """Full-batch training of ``coefs``/``intercepts`` (which share their arrays with ``mlp``'s).

    ``X`` is ``(n_samples, n_features)``, ``Y`` the ``(n_samples, n_outputs)`` targets. Sets
    ``mlp.n_iter_`` and ``mlp.loss_``; warns (ConvergenceWarning) when scipy does not converge.
    """
    params = [*coefs, *intercepts]
    X = dense(X)

    def unpack(flat: np.ndarray) -> None:
        start = 0
        for p in params:
            end = start + p.data.size
            parameters.assign_data(p, flat[start:end].reshape(p.data.shape))
            start = end

    def loss_and_grad(flat: np.ndarray) -> tuple[float, np.ndarray]:
        unpack(flat)
        for p in params:
            p.grad = None
        loss = mlp._loss(coefs, intercepts, X, Y, sample_weight)
        loss.backward()
        grad = np.concatenate([np.asarray(p.grad.data, dtype=np.float64).ravel() for p in params])
        return loss.item(), grad

    callback = None
    if mlp.verbose:

        def callback(intermediate_result):
            print(f"L-BFGS-B: loss = {intermediate_result.fun:.8f}")

    x0 = np.concatenate([p.data.ravel() for p in params])
    result = scipy.optimize.minimize(
        loss_and_grad,
        x0,
        method="L-BFGS-B",
        jac=True,
        callback=callback,
        options={"maxfun": mlp.max_fun, "maxiter": mlp.max_iter, "gtol": mlp.tol},
    )
    if result.status != 0:
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}): {result.message}. Increase the number of "
            f"iterations (max_iter={mlp.max_iter}) or of function evaluations "
            f"(max_fun={mlp.max_fun}), or scale the data (StandardScaler).",
            ConvergenceWarning,
            stacklevel=3,  # the caller of fit
        )
    mlp.n_iter_ = min(int(result.nit), mlp.max_iter)
    mlp.loss_ = float(result.fun)
    unpack(result.x)
