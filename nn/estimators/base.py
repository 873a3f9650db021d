"""``_BaseMLP``: what the classifier and the regressor share, ``fit`` above all.

``fit`` validates the data and the hyperparameters, builds or checks the network, and hands it to
a solver (``stochastic.fit_stochastic`` or ``lbfgs.fit_lbfgs``). A subclass says what its targets
and losses are with three methods:

- ``_encode_targets(y, first_pass)``: ``(Y, y_score)``, ``y`` as the ``(n_samples, n_outputs)``
  float array the loss compares the raw outputs with, and as the validation score wants it;
- ``_sample_losses(raw, Y)``: the loss of each sample, shape ``(n_samples,)``, from the raw
  outputs ``(n_samples, n_outputs)``;
- ``_validation_score(raw, y_score, sample_weight)``: the early-stopping score (higher is better).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, is_classifier
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.validation import check_is_fitted, validate_data

from autograd import Tensor

from ..parameter import Parameter
from .docs import X_SECTION, with_sections
from .lbfgs import fit_lbfgs
from .network import forward, init_weights, objective, predict_raw
from .stochastic import fit_stochastic, reset_tracking
from .validation import check_sample_weight, hidden_layer_sizes, validate_hyperparameters

_ACCEPT_SPARSE = ["csr", "csc"]

_MLP = TypeVar("_MLP", bound="_BaseMLP")


@with_sections({"X": X_SECTION})
class _BaseMLP(BaseEstimator):
    """The shared part of ``MLPClassifier`` and ``MLPRegressor`` (see the module docstring)."""

    def _store_hyperparameters(self, arguments: dict) -> None:
        """Store each constructor argument under its own name, as given (scikit-learn's rule).

        ``arguments`` is the constructor's ``locals()``; the names are read from its signature
        (``get_params`` reads the same), so a subclass's ``__init__`` is its signature and this
        one call.
        """
        for name in self._get_param_names():
            setattr(self, name, arguments[name])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _validate_hyperparameters(self) -> None:
        validate_hyperparameters(self)

    def _raw_output(self, X) -> np.ndarray:
        """The fitted network's raw output ``(n_samples, n_outputs)`` on new data ``X``.

        ``X`` is checked as ``fit`` saw it (number of features, names); no graph is recorded.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=_ACCEPT_SPARSE, dtype=np.float64, reset=False)
        return predict_raw(self.coefs_, self.intercepts_, X, self.activation)

    def _loss(self, coefs, intercepts, X: np.ndarray, Y: np.ndarray, sample_weight) -> Tensor:
        """The objective on rows ``X`` (a scalar Tensor), for the solvers to differentiate."""
        raw = forward(coefs, intercepts, X, self.activation)
        return objective(self._sample_losses(raw, Y), coefs, self.alpha, sample_weight)

    def fit(
        self: _MLP, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | float | None = None
    ) -> _MLP:
        """Fit the model to data matrix ``X`` and target(s) ``y``.

        Parameters
        ----------
        $X
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values (class labels in classification, real numbers in regression).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights: each sample's loss counts this many times.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_hyperparameters()
        hidden = hidden_layer_sizes(self)
        first_pass = not hasattr(self, "coefs_") or not self.warm_start
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=_ACCEPT_SPARSE,
            multi_output=True,
            dtype=np.float64,
            y_numeric=not is_classifier(self),
            reset=first_pass,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        Y, y_score = self._encode_targets(y, first_pass)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X.shape[0])

        layer_units = [X.shape[1], *hidden, Y.shape[1]]
        rng = check_random_state(self.random_state)
        if first_pass:
            self._initialize(layer_units, rng)
        else:
            self._check_warm_start(layer_units)
        self.n_outputs_ = Y.shape[1]

        # The engine trains leaf Parameters that share their arrays with coefs_/intercepts_, so
        # the optimizer's in-place steps are what coefs_ holds (early stopping scores them).
        self.coefs_ = [np.array(c, dtype=np.float64) for c in self.coefs_]
        self.intercepts_ = [np.array(b, dtype=np.float64) for b in self.intercepts_]
        coefs = [Parameter(c) for c in self.coefs_]
        intercepts = [Parameter(b) for b in self.intercepts_]

        if self.solver == "lbfgs":
            fit_lbfgs(self, coefs, intercepts, X, Y, sample_weight)
        else:
            fit_stochastic(self, coefs, intercepts, X, Y, y_score, sample_weight, rng)

        if not all(np.isfinite(p).all() for p in [*self.coefs_, *self.intercepts_]):
            raise ValueError(
                "Solver produced non-finite parameter weights. The input data may contain "
                "large values and need to be preprocessed (e.g. with StandardScaler), or "
                "learning_rate_init may be too large."
            )
        return self

    def _initialize(self, layer_units: list[int], rng: np.random.RandomState) -> None:
        """Fresh learned state for a first fit (scikit-learn's ``_initialize``)."""
        self.n_iter_ = 0
        self.t_ = 0
        self.n_layers_ = len(layer_units)
        self.coefs_, self.intercepts_ = init_weights(layer_units, self.activation, rng)
        self._best_coefs = [c.copy() for c in self.coefs_]
        self._best_intercepts = [b.copy() for b in self.intercepts_]
        if self.solver != "lbfgs":
            reset_tracking(self)

    def _check_warm_start(self, layer_units: list[int]) -> None:
        """Check that the previous fit's weights fit these layers; renew the wrong bookkeeping."""
        shapes = [c.shape for c in self.coefs_]
        wanted = list(zip(layer_units[:-1], layer_units[1:]))
        if shapes != wanted:
            raise ValueError(
                f"warm_start=True needs the same layer shapes as the previous fit: the "
                f"weights have shapes {shapes}, these data and hidden_layer_sizes need "
                f"{wanted}; set warm_start=False to start again"
            )
        # a warm start after "lbfgs", or with early_stopping switched, has no bookkeeping
        # of the right kind: start it afresh (scikit-learn fails there)
        tracking = getattr(self, "validation_scores_", False)
        if self.solver != "lbfgs" and (
            tracking is False or (tracking is None) == bool(self.early_stopping)
        ):
            reset_tracking(self)
