"""``MLPRegressor``: scikit-learn's multi-layer perceptron regressor, trained by this engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from autograd import Tensor

from .base import _BaseMLP
from .docs import estimator_sections, with_sections
from .network import Activation
from .validation import LearningRate, Solver, check_option

Loss = Literal["squared_error", "poisson"]
LOSSES: tuple[str, ...] = get_args(Loss)


@with_sections(estimator_sections(score="R²", stratified="", warm_start_needs="", outputs=""))
class MLPRegressor(RegressorMixin, _BaseMLP):
    """Multi-layer perceptron regressor trained by chainrule's engine (scikit-learn's API).

    With ``loss="squared_error"`` the output layer is linear (identity) and the loss is
    scikit-learn's half squared error, ``0.5 * mean((y - f(x)) ** 2) + alpha * sum ||W||^2 /
    (2 n_samples)`` over each mini-batch (the mean runs over samples and outputs). With
    ``loss="poisson"`` the prediction is ``exp`` of the last layer and the loss is half the
    Poisson deviance (for counts and other non-negative targets). ``y`` may be 1-D or 2-D
    (several outputs).

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        The loss, and with it the output activation ("identity" or "exp").
    $hyperparameters

    Attributes
    ----------
    $fitted_attributes
    out_activation_ : str
        "identity" (squared error) or "exp" (Poisson).

    Examples
    --------
    >>> import numpy as np
    >>> from nn.estimators import MLPRegressor
    >>> X = np.linspace(-2, 2, 200).reshape(-1, 1)
    >>> y = np.sin(2 * X).ravel()
    >>> reg = MLPRegressor(hidden_layer_sizes=(32,), activation="tanh", solver="lbfgs")
    >>> reg = reg.set_params(random_state=0).fit(X, y)
    >>> bool(reg.score(X, y) > 0.99)
    True
    """

    # MLPClassifier's signature with ``loss`` in front: written out again because scikit-learn's
    # get_params reads the hyperparameters from it (see the comment there).
    def __init__(
        self,
        loss: Loss = "squared_error",
        hidden_layer_sizes: int | Sequence[int] = (100,),
        activation: Activation = "relu",
        *,
        solver: Solver = "adam",
        alpha: float = 0.0001,
        batch_size: int | Literal["auto"] = "auto",
        learning_rate: LearningRate = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
    ) -> None:
        self._store_hyperparameters(locals())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _validate_hyperparameters(self) -> None:
        check_option(self, "loss", LOSSES)
        super()._validate_hyperparameters()

    def _encode_targets(self, y, first_pass: bool) -> tuple[np.ndarray, np.ndarray]:
        """``(Y, y)``: the targets as a 2-D float array, and as given (for the R² score)."""
        Y = np.asarray(y, dtype=np.float64)
        if Y.ndim == 1:
            Y = Y.reshape(-1, 1)
        if self.loss == "poisson" and (Y < 0).any():
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for Poisson regression; "
                "use loss='squared_error'"
            )
        self.out_activation_ = "exp" if self.loss == "poisson" else "identity"
        return Y, y

    def _sample_losses(self, raw: Tensor, Y: np.ndarray) -> Tensor:
        """Half the squared error (averaged over outputs) or half the Poisson deviance."""
        if self.out_activation_ == "exp":
            # half Poisson deviance with prediction exp(raw), summed over outputs as scikit-learn
            # does: y log(y / exp(raw)) - y + exp(raw)
            ylogy = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1.0)), 0.0)
            return (raw.exp() - raw * Tensor(Y) + Tensor(ylogy - Y)).sum(dim=1)
        diff = raw - Tensor(Y)
        return (diff * diff).sum(dim=1) * (0.5 / Y.shape[1])

    def _predictions(self, raw: np.ndarray) -> np.ndarray:
        if self.out_activation_ == "exp":
            raw = np.exp(raw)
        return raw.ravel() if raw.shape[1] == 1 else raw

    def _validation_score(self, raw: np.ndarray, y: np.ndarray, sw) -> float:
        return r2_score(y, self._predictions(raw), sample_weight=sw)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predict the target(s) of each sample.

        Parameters
        ----------
        $X

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predictions; 1-D when the model has one output.

        Examples
        --------
        >>> import numpy as np
        >>> from nn.estimators import MLPRegressor
        >>> X = np.linspace(0, 1, 20).reshape(-1, 1)
        >>> reg = MLPRegressor(hidden_layer_sizes=(16,), solver='lbfgs', random_state=0)
        >>> reg = reg.fit(X, 2 * X.ravel())
        >>> bool(np.abs(reg.predict(X) - 2 * X.ravel()).max() < 0.05)
        True
        """
        return self._predictions(self._raw_output(X))
