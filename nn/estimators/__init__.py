"""scikit-learn estimators trained by this engine: ``MLPClassifier`` and ``MLPRegressor``.

They follow scikit-learn's conventions, so ``GridSearchCV``, ``cross_val_score``, pipelines,
``clone`` and pickling work with them: hyperparameters are constructor arguments stored as given,
``fit`` returns ``self``, and learned state ends in ``_``. Parameter names, defaults, the
initialisation, the losses, the mini-batch loop and its stopping rule are those of
``sklearn.neural_network.MLPClassifier``/``MLPRegressor``; what differs is who computes the
gradients: every loss here is an ``autograd.Tensor`` graph, ``backward()`` gives the gradients,
and ``nn.optim.SGD``/``nn.optim.Adam`` take the steps ("lbfgs" hands the engine's loss and
gradient to ``scipy.optimize.minimize(method="L-BFGS-B")``).

scikit-learn (>= 1.6) is an optional dependency, needed by this module only (``pip install
scikit-learn``); ``import nn`` does not import it. Use ``from nn.estimators import
MLPClassifier``.

Example::

    from sklearn.datasets import load_digits
    from sklearn.model_selection import cross_val_score
    from nn.estimators import MLPClassifier

    X, y = load_digits(return_X_y=True)
    clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=100, random_state=0)
    cross_val_score(clf, X / 16, y, cv=3)  # array([0.947, 0.943, 0.918])

With the same ``random_state`` and data, the weights match scikit-learn's to rounding error
(the tests check it for all three solvers): the initialisation and the shuffling draw the same
numbers, and the engine's optimizers are driven to take scikit-learn's steps. ``nn.optim.Adam``
adds its ``eps`` to the bias-corrected ``sqrt(v)`` where scikit-learn adds ``epsilon`` to the
uncorrected one, so ``eps`` is set to ``epsilon / sqrt(1 - beta_2**t)`` before step ``t``;
``nn.optim.SGD`` keeps a gradient buffer where scikit-learn keeps a velocity, so the buffer is
rescaled when ``invscaling``/``adaptive`` change the learning rate.

Differences from scikit-learn's MLPs, by design:

- The loss is computed from the raw outputs with ``log_softmax``, so probabilities are never
  clipped at machine epsilon as scikit-learn clips them; ``predict_log_proba`` is computed the
  same way (it stays finite where ``log(predict_proba(X))`` would be ``-inf``).
- Multi-output regression minimises the loss it reports (half the squared error averaged over
  samples *and* outputs); scikit-learn reports that loss but follows the gradient of its sum over
  outputs (single-output regression is the same in both).
- A single class in ``y`` is an error here (scikit-learn fits a model that always predicts it).
- No ``partial_fit``, and no multilabel classification (``y`` with several columns raises an
  error that says what to use).
- ``coefs_[i]`` has scikit-learn's layout ``(fan_in, fan_out)`` (a layer computes
  ``h @ coefs_[i] + intercepts_[i]``), not ``nn.Linear``'s ``(out_features, in_features)``.

The package, a module an idea: ``classifier`` and ``regressor`` (the two estimators: their
signature, targets, losses and predictions), ``base`` (``fit``, shared by both), ``network``
(initialisation, forward pass, objective), ``stochastic`` (the "sgd"/"adam" epoch loop, learning-
rate schedule and early stopping), ``lbfgs`` (the scipy solver), ``validation`` (hyperparameter
checks) and ``docs`` (the parameter and attribute docs, written once for both estimators).
"""

from __future__ import annotations

try:  # the optional dependency, checked here before any module of the package imports it
    import scipy.sparse  # noqa: F401
    from sklearn.utils.validation import validate_data  # noqa: F401  (new in scikit-learn 1.6)
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nn.estimators needs scikit-learn >= 1.6 (and scipy), an optional dependency of "
        "chainrule: pip install scikit-learn"
    ) from error

from .classifier import MLPClassifier
from .regressor import MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]

# The public path, for pickles, reprs and doctest.testmod(nn.estimators) (which only runs the
# docstrings of objects whose __module__ is the module it is given).
MLPClassifier.__module__ = MLPRegressor.__module__ = __name__
