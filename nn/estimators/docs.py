"""The docstring sections that ``MLPClassifier`` and ``MLPRegressor`` share, written once.

Each docstring holds what is its own (summary, an extra parameter or attribute, examples) and
names a shared section by a line of its own: ``$hyperparameters`` and ``$fitted_attributes`` in
the class docstrings, ``$X`` (the input data) in the methods'. The class decorator
``with_sections`` fills those lines in when the class is defined, so ``help()``, pydoc and
doctest see whole numpydoc docstrings. The few words that differ between the two estimators
are ``$``-placeholders inside the shared text, given to ``estimator_sections``
(``string.Template``, because numpydoc's ``{"a", "b"}`` option sets would need escaping with
``str.format``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from string import Template
from typing import TypeVar

_Class = TypeVar("_Class", bound=type)

# The 23 constructor arguments the two estimators share, in their signature's order.
_HYPERPARAMETERS = Template("""\
hidden_layer_sizes : int or sequence of int, default=(100,)
    The number of units in each hidden layer: ``(n_layers - 2,)`` ints.
activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
    The hidden layers' activation.
solver : {"lbfgs", "sgd", "adam"}, default="adam"
    "sgd": ``nn.optim.SGD`` with momentum; "adam": ``nn.optim.Adam``; "lbfgs":
    ``scipy.optimize.minimize(method="L-BFGS-B")`` on the whole data set.
alpha : float, default=0.0001
    Strength of the L2 penalty on the weights (not the intercepts).
batch_size : int or "auto", default="auto"
    Mini-batch size of the stochastic solvers; "auto" is ``min(200, n_samples)``.
learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
    Learning-rate schedule of "sgd": constant; ``learning_rate_init / (t + 1) ** power_t``
    with ``t`` the samples seen; or divided by 5 each time the loss stops improving.
learning_rate_init : float, default=0.001
    The initial learning rate ("sgd" and "adam").
power_t : float, default=0.5
    The exponent of "invscaling".
max_iter : int, default=200
    Epochs of "sgd"/"adam"; iterations of "lbfgs".
shuffle : bool, default=True
    Shuffle the samples each epoch ("sgd"/"adam").
random_state : int, RandomState instance or None, default=None
    Seeds the initialisation, the shuffling and the early-stopping split.
tol : float, default=1e-4
    Training stops when the loss (or the validation $score) has not improved by ``tol`` for
    ``n_iter_no_change`` epochs; "lbfgs": its gradient tolerance ``gtol``.
verbose : bool, default=False
    Print the loss of each epoch.
warm_start : bool, default=False
    Start from the weights of the previous fit$warm_start_needs.
momentum : float, default=0.9
    Momentum of "sgd".
nesterovs_momentum : bool, default=True
    Use Nesterov's momentum ("sgd" with momentum > 0).
early_stopping : bool, default=False
    Hold out ``validation_fraction`` of the data$stratified, stop when its $score stops
    improving, and keep the weights of the best epoch ("sgd"/"adam").
validation_fraction : float, default=0.1
    The held-out fraction for ``early_stopping``.
beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
    Adam's hyperparameters.
n_iter_no_change : int, default=10
    Epochs without improvement before stopping ("sgd"/"adam").
max_fun : int, default=15000
    Maximum number of loss evaluations of "lbfgs".""")

# What ``fit`` learns, in both estimators.
_FITTED_ATTRIBUTES = Template("""\
coefs_ : list of ndarray
    ``coefs_[i]`` has shape ``(fan_in, fan_out)``: layer ``i`` computes
    ``h @ coefs_[i] + intercepts_[i]``.
intercepts_ : list of ndarray
    The biases, one vector of shape ``(fan_out,)`` per layer.
loss_ : float
    The loss of the last epoch (or of the L-BFGS solution).
loss_curve_ : list of float
    The loss of each epoch ("sgd"/"adam").
best_loss_ : float or None
    The lowest epoch loss ("sgd"/"adam"; None with early stopping).
validation_scores_ : list of float or None
    The validation $score of each epoch (with early stopping).
best_validation_score_ : float or None
    The best validation $score (with early stopping).
n_iter_ : int
    The number of epochs (iterations for "lbfgs") run by the last fit.
t_ : int
    Training samples seen by the stochastic solvers.
n_features_in_ : int
    Number of features seen during fit (``feature_names_in_`` too, for DataFrames).
n_layers_ : int
    Number of layers, the input and output layers included.
n_outputs_ : int
    Number of output units$outputs.""")


# The input of fit and of the predict methods.
X_SECTION = """\
X : {array-like, sparse matrix} of shape (n_samples, n_features)
    The input data."""


def estimator_sections(
    *, score: str, stratified: str, warm_start_needs: str, outputs: str
) -> dict[str, str]:
    """The shared sections (``hyperparameters``, ``fitted_attributes``, ``X``) for one estimator.

    Parameters
    ----------
    score : str
        The early-stopping score, as the docs name it ("accuracy", "R²").
    stratified, warm_start_needs, outputs : str
        Words added after "of the data" (early stopping), "of the previous fit" (warm start)
        and "Number of output units"; empty where nothing is to be said.
    """
    words = dict(
        score=score, stratified=stratified, warm_start_needs=warm_start_needs, outputs=outputs
    )
    return {
        "hyperparameters": _HYPERPARAMETERS.substitute(words),
        "fitted_attributes": _FITTED_ATTRIBUTES.substitute(words),
        "X": X_SECTION,
    }


def with_sections(sections: dict[str, str]) -> Callable[[_Class], _Class]:
    """A class decorator that fills the ``$name`` lines of the docstrings of a class.

    The class's own docstring and those of the functions defined in its body are filled from
    ``sections`` (a name to its text, unindented); a placeholder not in ``sections`` raises
    (``KeyError``) when the class is defined.
    """

    def fill(doc: str) -> str:
        # cleandoc first, so that the shared text (written without indentation) lines up
        return Template(inspect.cleandoc(doc)).substitute(sections)

    def decorate(cls: _Class) -> _Class:
        if cls.__doc__ and "$" in cls.__doc__:
            cls.__doc__ = fill(cls.__doc__)
        for member in vars(cls).values():
            if inspect.isfunction(member) and member.__doc__ and "$" in member.__doc__:
                member.__doc__ = fill(member.__doc__)
        return cls

    return decorate
