"""Tests of ``nn.estimators``: scikit-learn's MLPs, trained by this engine.

scikit-learn's own estimator checks run (``parametrize_with_checks``) on three configurations of
each estimator: the default solver ("adam"), "lbfgs", and "sgd" with ``early_stopping=True``.
The first two pass every check. The third is expected to fail these checks, which are marked
``xfail`` (strictly: a check that starts passing fails the run, so the list stays exact) through
scikit-learn's ``expected_failed_checks``, each with its reason (scikit-learn's own MLPs fail the
same checks with ``early_stopping=True``):

- ``check_sample_weight_equivalence_on_dense_data`` and ``..._on_sparse_data``: early stopping
  holds out a random ``validation_fraction`` of the *rows*, so repeating a row twice and giving
  it weight 2 hold out different samples (and zero-weight rows can make up a whole validation
  set), and the fits differ;
- ``check_estimators_nan_inf``, ``check_fit2d_1feature`` and (regressor)
  ``check_regressors_no_decision_function``: these fit on 10 samples, whose 10% validation split
  has a single sample, which early stopping refuses ("The validation set is too small", or for a
  classifier "The test_size = 1 should be greater or equal to the number of classes") before the
  check gets to what it tests.

One check is left out, not skipped: ``check_array_api_input``. The estimators take numpy
arrays (and scipy sparse matrices), not other Array API libraries, and the check can only run
with ``SCIPY_ARRAY_API=1`` set before scipy is imported, which would change scipy for the whole
test session. (pandas is in the ``test`` extra, so the pandas checks run.)

The estimators under check use few epochs (and ConvergenceWarning is silenced there) to keep the
checks fast.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pickle
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from scipy.stats import loguniform
from sklearn import neural_network
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import _get_check_estimator_ids, estimator_checks_generator
from threadpoolctl import threadpool_limits

import nn.estimators
from nn.estimators import MLPClassifier, MLPRegressor


@pytest.fixture(scope="module", autouse=True)
def _one_blas_thread():
    """Small matmuls run fastest on one thread; on a busy machine, BLAS threads that wait for
    each other made these tests several times slower."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.25, random_state=0)


def _smooth_regression(n=300, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, 2))
    y = np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] ** 2
    return X, y


def _all_weights(est):
    return [*est.coefs_, *est.intercepts_]


# -- scikit-learn's estimator checks -------------------------------------------------------------

_ES_REASON_SPLIT = (
    "early stopping holds out a random fraction of the rows, so repeated rows and weighted rows "
    "leave different validation sets and the fits differ (scikit-learn's MLPs fail it too)"
)
_ES_REASON_SMALL = (
    "the check fits on 10 samples: the 10% validation split of early stopping has 1 sample, "
    "which is refused ('validation set is too small') before the check's subject is reached "
    "(scikit-learn's MLPs fail it too)"
)


def _expected_failed_checks(estimator) -> dict[str, str]:
    if not estimator.early_stopping:
        return {}
    failed = {
        "check_sample_weight_equivalence_on_dense_data": _ES_REASON_SPLIT,
        "check_sample_weight_equivalence_on_sparse_data": _ES_REASON_SPLIT,
        "check_estimators_nan_inf": _ES_REASON_SMALL,
        "check_fit2d_1feature": _ES_REASON_SMALL,
    }
    if isinstance(estimator, MLPRegressor):
        failed["check_regressors_no_decision_function"] = _ES_REASON_SMALL
    return failed


_CHECKED = [
    cls(**params)
    for params in (
        dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=50, random_state=0),
        dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=30, random_state=0),
        dict(
            hidden_layer_sizes=(16,),
            solver="sgd",
            learning_rate_init=0.01,
            early_stopping=True,
            max_iter=50,
            random_state=0,
        ),
    )
    for cls in (MLPClassifier, MLPRegressor)
]


_LEFT_OUT = {"check_array_api_input"}  # see the module docstring


def _estimator_checks():
    """``parametrize_with_checks``'s parameters, less the checks in ``_LEFT_OUT``."""
    for estimator in _CHECKED:
        for param in estimator_checks_generator(
            estimator,
            legacy=True,
            expected_failed_checks=_expected_failed_checks(estimator),
            mark="xfail",
            xfail_strict=True,
        ):
            _, check = param.values if hasattr(param, "values") else param
            name = getattr(check, "func", check).__name__
            if name not in _LEFT_OUT:
                yield param


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "estimator, check", list(_estimator_checks()), ids=_get_check_estimator_ids
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# -- accuracy ------------------------------------------------------------------------------------


def test_digits_classifier_reaches_95_percent(digits):
    X_train, X_test, y_train, y_test = digits
    clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=100, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.95
    assert clf.classes_.tolist() == list(range(10))
    assert clf.n_outputs_ == 10 and clf.out_activation_ == "softmax"
    assert [c.shape for c in clf.coefs_] == [(64, 64), (64, 10)]
    assert clf.n_features_in_ == 64 and clf.n_layers_ == 3


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
def test_every_solver_learns_iris(iris, solver):
    X, y = iris
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    lr = 0.1 if solver == "sgd" else 0.01
    clf = MLPClassifier(
        hidden_layer_sizes=(16,), solver=solver, learning_rate_init=lr, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.9
    assert np.isfinite(clf.loss_) and clf.n_iter_ >= 1
    if solver == "lbfgs":
        assert not hasattr(clf, "loss_curve_")  # as in scikit-learn
    else:
        assert len(clf.loss_curve_) == clf.n_iter_
        assert clf.loss_curve_[-1] < clf.loss_curve_[0]
        assert clf.best_loss_ == min(clf.loss_curve_)


def test_string_labels_and_probabilities(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0).fit(X, names)
    assert clf.classes_.tolist() == ["setosa", "versicolor", "virginica"]
    pred = clf.predict(X)
    assert pred.dtype == names.dtype and (pred == names).mean() > 0.95
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], pred)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), rtol=1e-10, atol=1e-15)


def test_binary_labels_use_one_logistic_output(iris):
    X, y = iris
    labels = np.where(y == 0, "no", "yes")
    clf = MLPClassifier(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0).fit(X, labels)
    assert clf.n_outputs_ == 1 and clf.out_activation_ == "logistic"
    assert clf.coefs_[-1].shape == (4, 1)
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 2)
    z = X @ clf.coefs_[0] + clf.intercepts_[0]
    logit = (np.maximum(z, 0) @ clf.coefs_[1] + clf.intercepts_[1]).ravel()
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-logit)), rtol=1e-10)
    assert clf.score(X, labels) == 1.0
    # log-probabilities stay finite where the probability rounds to 0
    far = np.full((1, 4), 50.0)
    assert np.isfinite(clf.predict_log_proba(far)).all()


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_regressor_fits_a_smooth_function(solver):
    X, y = _smooth_regression()
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    reg = MLPRegressor(
        hidden_layer_sizes=(32,),
        activation="tanh",
        solver=solver,
        learning_rate_init=0.01,
        max_iter=500,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X_train, y_train)
    assert reg.predict(X_test).shape == (75,)
    assert reg.score(X_test, y_test) >= 0.95
    assert reg.out_activation_ == "identity"


def test_regressor_two_outputs():
    X, y = _smooth_regression()
    Y = np.c_[y, np.cos(X[:, 1])]
    reg = MLPRegressor(
        hidden_layer_sizes=(32,), activation="tanh", solver="lbfgs", max_iter=500, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, Y)
    assert reg.n_outputs_ == 2 and reg.predict(X).shape == (300, 2)
    assert reg.score(X, Y) > 0.95
    # the reported loss is half the squared error averaged over samples and outputs, + L2
    err = reg.predict(X) - Y
    penalty = reg.alpha * sum((w**2).sum() for w in reg.coefs_) / (2 * len(X))
    np.testing.assert_allclose(reg.loss_, 0.5 * (err**2).mean() + penalty, rtol=1e-6)


def test_poisson_regressor_predicts_positive_counts():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 2))
    y = rng.poisson(np.exp(1 + X[:, 0]))
    reg = MLPRegressor("poisson", hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    reg.fit(X, y)
    assert reg.out_activation_ == "exp"
    assert (reg.predict(X) > 0).all() and reg.score(X, y) > 0.4
    with pytest.raises(ValueError, match="negative"):
        MLPRegressor("poisson").fit(X, -y)


# -- the same numbers as scikit-learn's MLPs -----------------------------------------------------

_PARITY = [
    dict(solver="sgd"),
    dict(
        solver="sgd", learning_rate="invscaling", learning_rate_init=0.5, nesterovs_momentum=False
    ),
    dict(
        solver="sgd", learning_rate="adaptive", learning_rate_init=0.05, tol=0.1, n_iter_no_change=2
    ),
    dict(solver="adam", activation="tanh", alpha=0.01, batch_size=32),
    dict(solver="adam", early_stopping=True, learning_rate_init=0.01, n_iter_no_change=3),
    dict(solver="lbfgs", activation="logistic"),
]


@pytest.mark.parametrize("params", _PARITY, ids=lambda p: "-".join(map(str, p.values())))
@pytest.mark.parametrize("binary", [False, True], ids=["multiclass", "binary"])
def test_classifier_matches_sklearn(iris, params, binary):
    X, y = iris
    if binary:
        y = (y == 2).astype(int)
    params = dict(hidden_layer_sizes=(6, 4), max_iter=20, random_state=3, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPClassifier(**params).fit(X, y)
        theirs = neural_network.MLPClassifier(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    # the same arithmetic in another order: rounding differences, which L-BFGS's line searches
    # amplify more than SGD or Adam
    rtol = 1e-6 if params["solver"] == "lbfgs" else 1e-9
    for a, b in zip(_all_weights(ours), _all_weights(theirs)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12)
    np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=rtol)
    if params["solver"] != "lbfgs":
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    if params.get("early_stopping"):
        np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_)
        assert ours.best_validation_score_ == theirs.best_validation_score_
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=rtol)


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="sgd", learning_rate_init=0.01),
        dict(solver="lbfgs"),
        dict(solver="adam", early_stopping=True),
    ],
    ids=lambda p: "-".join(map(str, p.values())),
)
def test_regressor_matches_sklearn(params):
    X, y = _smooth_regression(150)
    params = dict(hidden_layer_sizes=(8,), max_iter=30, random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPRegressor(**params).fit(X, y)
        theirs = neural_network.MLPRegressor(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    for a, b in zip(_all_weights(ours), _all_weights(theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8, atol=1e-10)


def test_training_steps_are_the_engines(iris, monkeypatch):
    """Every mini-batch is one step of nn.optim.Adam on the graph's gradients."""
    steps = []

    class CountingAdam(nn.estimators.stochastic.Adam):
        def step(self, closure=None):
            assert all(p.grad is not None for g in self.param_groups for p in g["params"])
            steps.append(1)
            return super().step(closure)

    monkeypatch.setattr(nn.estimators.stochastic, "Adam", CountingAdam)
    X, y = iris
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(4,), batch_size=50, max_iter=3).fit(X, y)
    assert clf.n_iter_ == 3 and len(steps) == 3 * 3


# -- model selection, clone, pickle --------------------------------------------------------------


def test_grid_search_and_cross_val_score(iris):
    X, y = iris
    base = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=100, random_state=0)
    grid = GridSearchCV(base, {"alpha": [1e-4, 1.0], "hidden_layer_sizes": [(4,), (8,)]}, cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        grid.fit(X, y)
        scores = cross_val_score(base, X, y, cv=3)
    assert grid.best_score_ > 0.9
    assert set(grid.best_params_) == {"alpha", "hidden_layer_sizes"}
    assert grid.best_estimator_.score(X, y) > 0.9
    assert scores.shape == (3,) and scores.mean() > 0.9


def test_randomized_search_on_a_pipeline():
    X, y = _smooth_regression(200)
    pipe = make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=200, random_state=0),
    )
    search = RandomizedSearchCV(
        pipe,
        {"mlpregressor__alpha": loguniform(1e-5, 1e-1), "mlpregressor__activation": ["tanh"]},
        n_iter=3,
        cv=3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    assert len(search.cv_results_["params"]) == 3
    assert search.best_score_ > 0.9


def test_clone_and_params():
    clf = MLPClassifier(hidden_layer_sizes=(7, 3), alpha=0.5, solver="sgd", random_state=1)
    params = clf.get_params()
    assert params["hidden_layer_sizes"] == (7, 3) and params["alpha"] == 0.5
    assert params["max_fun"] == 15000 and params["momentum"] == 0.9
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == params
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = clf.set_params(solver="lbfgs").fit(*load_iris(return_X_y=True))
    fresh = clone(fitted)
    with pytest.raises(NotFittedError):
        fresh.predict(np.zeros((1, 4)))
    assert MLPRegressor().get_params()["loss"] == "squared_error"


def test_pickle_round_trip(iris):
    X, y = iris
    clf = MLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0).fit(X, y)
    back = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert back.get_params() == clf.get_params()
    reg = MLPRegressor(hidden_layer_sizes=(5,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, X[:, 0])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(reg)).predict(X), reg.predict(X))
    assert pickle.loads(pickle.dumps(reg)).loss_curve_ == reg.loss_curve_


# -- training loop: early stopping, warm start, convergence --------------------------------------


def test_early_stopping_keeps_the_best_epoch(digits):
    X_train, X_test, y_train, y_test = digits
    clf = MLPClassifier(
        hidden_layer_sizes=(32,),
        early_stopping=True,
        learning_rate_init=0.01,
        n_iter_no_change=3,
        max_iter=200,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # it stops before max_iter
        clf.fit(X_train, y_train)
    assert clf.n_iter_ < 200
    assert len(clf.validation_scores_) == len(clf.loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    # it stopped after n_iter_no_change + 1 epochs that did not beat the best score by tol
    best = int(np.argmax(clf.validation_scores_))
    assert clf.n_iter_ - 1 - best >= 3
    assert clf.score(X_test, y_test) > 0.9


def test_warm_start_continues_training(iris):
    X, y = iris
    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
        first = [w.copy() for w in _all_weights(clf)]
        clf.fit(X, y)
    assert len(clf.loss_curve_) == 10 and clf.n_iter_ == 5 and clf.t_ == 10 * 150
    assert clf.loss_curve_[5] < clf.loss_curve_[0]
    assert any(not np.array_equal(a, b) for a, b in zip(first, _all_weights(clf)))
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X[y < 2], y[y < 2])

    cold = clone(clf).set_params(warm_start=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cold.fit(X, y)
        cold.fit(X, y)
    assert len(cold.loss_curve_) == 5
    for a, b in zip(first, _all_weights(cold)):
        np.testing.assert_array_equal(a, b)  # a cold refit starts again from the same seed


def test_warm_start_can_switch_solver(iris):
    X, y = iris
    clf = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
        lbfgs_loss = clf.loss_
        clf.set_params(solver="adam", max_iter=3, early_stopping=True).fit(X, y)
    assert len(clf.loss_curve_) == len(clf.validation_scores_) == 3
    assert clf.loss_curve_[0] < lbfgs_loss + 0.1  # it went on from the L-BFGS weights


def test_convergence_warning_at_max_iter(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        MLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=3).fit(X, y)


def test_tol_stops_without_warning(iris):
    X, y = iris
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(4,), tol=10.0, n_iter_no_change=4).fit(X, y)
    # the first epoch sets best_loss_, no later one improves on it by 10: the count of epochs
    # without improvement passes n_iter_no_change at epoch n_iter_no_change + 2
    assert clf.n_iter_ == 4 + 2


def test_verbose_prints_the_loss(iris, capsys):
    X, y = iris
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, verbose=True).fit(X, y)
    assert "Iteration 2, loss = " in capsys.readouterr().out


# -- inputs and errors ---------------------------------------------------------------------------


def test_sample_weight_equals_repeating_samples(iris):
    X, y = iris
    weights = np.random.RandomState(0).randint(0, 3, size=len(y))
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = MLPClassifier(**params).fit(X, y, sample_weight=weights)
        repeated = MLPClassifier(**params).fit(np.repeat(X, weights, 0), np.repeat(y, weights))
    for a, b in zip(_all_weights(weighted), _all_weights(repeated)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)


def test_sparse_input_equals_dense(iris):
    X, y = iris
    params = dict(hidden_layer_sizes=(5,), batch_size=40, max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = MLPClassifier(**params).fit(X, y)
        sparse = MLPClassifier(**params).fit(scipy.sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sparse.predict_proba(X), dense.predict_proba(X), rtol=1e-12)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(activation="softmax"), "'activation' parameter"),
        (dict(solver="newton"), "'solver' parameter"),
        (dict(alpha=-1.0), "'alpha' parameter"),
        (dict(hidden_layer_sizes=(10, 0)), "hidden_layer_sizes must be > 0"),
        (dict(hidden_layer_sizes="wide"), "'hidden_layer_sizes' parameter"),
        (dict(batch_size=0), "'batch_size' parameter"),
        (dict(learning_rate_init=0.0), "'learning_rate_init' parameter"),
        (dict(momentum=1.5), "'momentum' parameter"),
        (dict(beta_2=1.0), "'beta_2' parameter"),
        (dict(max_iter=0), "'max_iter' parameter"),
    ],
)
def test_bad_hyperparameters_are_named(iris, params, match):
    X, y = iris
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**params).fit(X, y)


def test_target_errors(iris):
    X, y = iris
    with pytest.raises(ValueError, match="multilabel"):
        MLPClassifier().fit(X, np.c_[y == 0, y == 1].astype(int))
    with pytest.raises(ValueError, match="at least 2 classes"):
        MLPClassifier().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier().fit(X, X[:, 0])
    with pytest.raises(NotFittedError):
        MLPRegressor().predict(X)
    reg = MLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        reg.predict(X[:, :2])


# -- packaging -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ours, theirs",
    [(MLPClassifier, neural_network.MLPClassifier), (MLPRegressor, neural_network.MLPRegressor)],
    ids=["classifier", "regressor"],
)
def test_signatures_are_sklearns(ours, theirs):
    """Each estimator writes its signature out (get_params reads it): the same names, order,
    kinds and defaults as scikit-learn's, so the two copies cannot drift apart."""

    def parameters(cls):
        signature = inspect.signature(cls.__init__)
        return [(p.name, p.kind, p.default) for p in signature.parameters.values()]

    assert parameters(ours) == parameters(theirs)
    assert sorted(ours().get_params()) == sorted(theirs().get_params())


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_docstrings_document_every_hyperparameter(cls):
    """The shared sections are filled in: the Parameters section names each constructor
    argument once, and no placeholder is left."""
    doc = cls.__doc__
    for method in ("fit", "predict", "predict_proba", "predict_log_proba"):
        if hasattr(cls, method):
            assert "$" not in getattr(cls, method).__doc__
            assert "\nX : {array-like, sparse matrix}" in getattr(cls, method).__doc__
    assert "$" not in doc
    section = doc.split("Parameters\n----------\n")[1].split("\n\nAttributes\n")[0]
    documented = [
        name for line in re.findall(r"^(\w[\w, ]*) : ", section, re.M) for name in line.split(", ")
    ]
    assert documented == list(inspect.signature(cls.__init__).parameters)[1:]
    attributes = doc.split("Attributes\n----------\n")[1].split("\n\nExamples\n")[0]
    for name in ("coefs_", "loss_curve_", "validation_scores_", "n_outputs_", "out_activation_"):
        assert f"\n{name} : " in "\n" + attributes


def test_docstring_examples():
    result = doctest.testmod(nn.estimators)
    assert result.attempted >= 4 and result.failed == 0


def test_import_nn_does_not_import_sklearn():
    code = "import sys, nn; assert 'sklearn' not in sys.modules, 'nn imported sklearn'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_missing_sklearn_says_how_to_install(monkeypatch):
    monkeypatch.delitem(sys.modules, "nn.estimators")
    for name in list(sys.modules):
        if name == "sklearn" or name.startswith("sklearn."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        importlib.import_module("nn.estimators")
