"""``MLPClassifier``: scikit-learn's multi-layer perceptron classifier, trained by this engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from autograd import Tensor, cat, no_grad

from .base import _BaseMLP
from .docs import estimator_sections, with_sections
from .network import Activation
from .validation import LearningRate, Solver


@with_sections(
    estimator_sections(
        score="accuracy",
        stratified=" (stratified when there are two classes)",
        warm_start_needs=" (same classes needed)",
        outputs=" (1 for two classes)",
    )
)
class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multi-layer perceptron classifier trained by chainrule's engine (scikit-learn's API).

    Two classes use one logistic output unit and the binary log loss; three or more use a
    softmax over one unit per class and the cross-entropy, as in scikit-learn. The loss is
    ``mean(-log p(y | x)) + alpha * sum ||W||^2 / (2 n_samples)`` over each mini-batch.

    Parameters
    ----------
    $hyperparameters

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    $fitted_attributes
    out_activation_ : str
        "logistic" (two classes) or "softmax".

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from nn.estimators import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    >>> clf = clf.fit(X, y)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> bool(clf.score(X, y) > 0.95)
    True
    """

    # scikit-learn's get_params reads the hyperparameters from this signature, so each
    # estimator writes it out, as sklearn.neural_network's MLPs do; MLPRegressor's is this one
    # with ``loss`` in front, and test_signatures_are_sklearns checks both against scikit-learn.
    def __init__(
        self,
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

    def _encode_targets(self, y, first_pass: bool) -> tuple[np.ndarray, np.ndarray]:
        """``(Y, y_index)``: Y is (n, 1) 0/1 for two classes, else one-hot (n, n_classes)."""
        kind = type_of_target(y)
        if kind in ("multilabel-indicator", "multiclass-multioutput"):
            raise ValueError(
                f"MLPClassifier does not support multilabel or multi-output targets (y has "
                f"shape {np.shape(y)}, type {kind!r}); pass y as one label per sample, or wrap "
                "the classifier in sklearn.multioutput.MultiOutputClassifier"
            )
        check_classification_targets(y)
        classes = np.unique(y)
        if first_pass or not hasattr(self, "classes_"):
            if classes.shape[0] < 2:
                raise ValueError(
                    "MLPClassifier needs samples of at least 2 classes in the data, but the "
                    f"data contains only one class: {classes[0]!r}"
                )
            self.classes_ = classes
            self.out_activation_ = "logistic" if classes.shape[0] == 2 else "softmax"
        elif set(classes) != set(self.classes_):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in the previous "
                f"call to fit. Previously got {self.classes_}, `y` has {classes}"
            )
        index = np.searchsorted(self.classes_, y)
        n_classes = self.classes_.shape[0]
        if n_classes == 2:
            Y = index.reshape(-1, 1).astype(np.float64)
        else:
            Y = np.zeros((index.shape[0], n_classes))
            Y[np.arange(index.shape[0]), index] = 1.0
        return Y, index

    @staticmethod
    def _log_proba_tensor(raw: Tensor) -> Tensor:
        """Log-probabilities (n, n_classes) from raw outputs: a logit, or one score per class."""
        if raw.shape[1] == 1:  # binary: p(class 1) = sigmoid(z) = softmax([0, z])[1]
            raw = cat([Tensor(np.zeros_like(raw.data)), raw], dim=1)
        return raw.log_softmax(dim=1)

    def _sample_losses(self, raw: Tensor, Y: np.ndarray) -> Tensor:
        """The cross-entropy of each sample, ``(n_samples,)``."""
        if Y.shape[1] == 1:
            Y = np.concatenate([1.0 - Y, Y], axis=1)
        return -(self._log_proba_tensor(raw) * Tensor(Y)).sum(dim=1)

    def _validation_score(self, raw: np.ndarray, y_index: np.ndarray, sw) -> float:
        return accuracy_score(y_index, self._raw_to_index(raw), sample_weight=sw)

    @staticmethod
    def _raw_to_index(raw: np.ndarray) -> np.ndarray:
        """The index of each sample's predicted class in ``classes_``, ``(n_samples,)``."""
        if raw.shape[1] == 1:
            return (raw[:, 0] > 0).astype(np.intp)
        return raw.argmax(axis=1)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predict the class of each sample.

        Parameters
        ----------
        $X

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The predicted classes, labels from ``classes_``.

        Examples
        --------
        >>> import numpy as np
        >>> from nn.estimators import MLPClassifier
        >>> X = np.array([[0.0], [1.0], [4.0], [5.0]])
        >>> clf = MLPClassifier(hidden_layer_sizes=(8,), solver='lbfgs', random_state=0)
        >>> clf = clf.fit(X, [0, 0, 1, 1])
        >>> clf.predict([[0.5], [4.5]])
        array([0, 1])
        """
        index = self._raw_to_index(self._raw_output(X))  # first: it checks that self is fitted
        return self.classes_[index]

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Log-probability of each class, computed stably with ``log_softmax``.

        Parameters
        ----------
        $X

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.

        Examples
        --------
        >>> import numpy as np
        >>> from nn.estimators import MLPClassifier
        >>> X = np.array([[0.0], [1.0], [4.0], [5.0]])
        >>> clf = MLPClassifier(hidden_layer_sizes=(8,), solver='lbfgs', random_state=0)
        >>> clf = clf.fit(X, [0, 0, 1, 1])
        >>> logp = clf.predict_log_proba([[0.5]])
        >>> bool(np.allclose(np.exp(logp), clf.predict_proba([[0.5]])))
        True
        """
        with no_grad():
            return self._log_proba_tensor(Tensor(self._raw_output(X))).data

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Probability of each class.

        Parameters
        ----------
        $X

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``; each row sums to 1.

        Examples
        --------
        >>> import numpy as np
        >>> from nn.estimators import MLPClassifier
        >>> X = np.array([[0.0], [1.0], [4.0], [5.0]])
        >>> clf = MLPClassifier(hidden_layer_sizes=(8,), solver='lbfgs', random_state=0)
        >>> clf = clf.fit(X, [0, 0, 1, 1])
        >>> p = clf.predict_proba([[0.5], [4.5]])
        >>> p.shape, bool(np.allclose(p.sum(axis=1), 1)), p.argmax(axis=1)
        ((2, 2), True, array([0, 1]))
        """
        return np.exp(self.predict_log_proba(X))
