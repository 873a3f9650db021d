"""nn.search: Optuna's samplers on nn.estimators and on nn.fit-trained models, with pruning.

The Dask side is in test_search_dask.py (one LocalCluster for that module).
"""

import subprocess
import sys

import numpy as np
import optuna
import pytest
from optuna_integration import OptunaSearchCV
from sklearn.datasets import load_iris
from sklearn.model_selection import cross_val_score

import nn
import nn.functional as F
from nn.estimators import MLPClassifier
from nn.search import estimator_objective, fit_with_pruning, make_sampler

optuna.logging.set_verbosity(optuna.logging.WARNING)
pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning", "ignore::optuna.exceptions.ExperimentalWarning"
)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y


def _suggest(trial):
    return {
        "learning_rate_init": trial.suggest_float("lr", 1e-4, 1.0, log=True),
        "alpha": trial.suggest_float("alpha", 1e-5, 10.0, log=True),
    }


def _small_mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), max_iter=15, random_state=0)


# -- optional dependency ---------------------------------------------------------------------------


def test_import_nn_does_not_import_optuna_or_dask():
    code = (
        "import sys, nn, nn.estimators\n"
        "loaded = [m for m in ('optuna', 'dask', 'distributed', 'nn.search') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_import_without_optuna_names_the_extra():
    code = (
        "import sys\n"
        "sys.modules['optuna'] = None  # as if it were not installed\n"
        "try:\n"
        "    import nn.search\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert 'pip install -e ".[search]"' in out.stdout and "Optuna" in out.stdout


# -- samplers --------------------------------------------------------------------------------------


def test_make_sampler_kinds():
    assert isinstance(make_sampler(), optuna.samplers.TPESampler)
    assert isinstance(make_sampler("random", 0), optuna.samplers.RandomSampler)
    assert isinstance(make_sampler("gp", 0), optuna.samplers.GPSampler)
    with pytest.raises(ValueError, match="'tpe', 'gp' or 'random', got 'bayes'"):
        make_sampler("bayes")


@pytest.mark.parametrize("kind, n_trials", [("tpe", 25), ("gp", 14)])  # GP trials cost more
def test_bayesian_samplers_find_the_minimum_and_repeat_with_a_seed(kind, n_trials):
    def objective(trial):  # a bowl in (log10 lr, x), minimum 0 at lr = 1e-2, x = 0.3
        lr = trial.suggest_float("lr", 1e-5, 1.0, log=True)
        x = trial.suggest_float("x", -1.0, 1.0)
        return (np.log10(lr) + 2) ** 2 + 4 * (x - 0.3) ** 2

    runs = []
    for _ in range(2):
        study = optuna.create_study(sampler=make_sampler(kind, seed=3))
        study.optimize(objective, n_trials=n_trials)
        runs.append([t.params for t in study.trials])
    assert runs[0] == runs[1]  # the same seed, the same trials
    random = optuna.create_study(sampler=make_sampler("random", seed=3))
    random.optimize(objective, n_trials=n_trials)
    assert study.best_value < 0.5 * random.best_value  # the model of the score pays off
    assert study.best_value < 0.15


# -- nn.estimators in Optuna's study loop and in OptunaSearchCV ------------------------------------


def test_estimator_objective_in_a_tpe_study(iris):
    X, y = iris
    objective = estimator_objective(_small_mlp(), X, y, _suggest, cv=3)
    study = optuna.create_study(direction="maximize", sampler=make_sampler("tpe", seed=0))
    study.optimize(objective, n_trials=8)
    assert len(study.trials) == 8 and study.best_value > 0.9
    # the value of a trial is the cross-validated accuracy of its hyperparameters
    best = study.best_params
    clf = _small_mlp().set_params(learning_rate_init=best["lr"], alpha=best["alpha"])
    expected = cross_val_score(clf, X, y, cv=3).mean()
    np.testing.assert_allclose(study.best_value, expected, rtol=1e-12)


def test_optuna_search_cv_works_with_nn_estimators(iris):
    X, y = iris
    space = {
        "learning_rate_init": optuna.distributions.FloatDistribution(1e-4, 1.0, log=True),
        "alpha": optuna.distributions.FloatDistribution(1e-5, 10.0, log=True),
    }
    search = OptunaSearchCV(_small_mlp(), space, n_trials=6, cv=3, random_state=0)
    search.fit(X, y)
    assert len(search.trials_) == 6
    assert set(search.best_params_) == {"learning_rate_init", "alpha"}
    expected = cross_val_score(_small_mlp().set_params(**search.best_params_), X, y, cv=3).mean()
    np.testing.assert_allclose(search.best_score_, expected, rtol=1e-12)
    refit = _small_mlp().set_params(**search.best_params_).fit(X, y)
    np.testing.assert_array_equal(search.predict(X), refit.predict(X))  # refit on all of X
    assert search.score(X, y) > 0.8


# -- nn.fit-trained models with pruning ------------------------------------------------------------


@pytest.fixture(scope="module")
def moons():
    X, y = nn.datasets.make_moons(240, noise=0.2, seed=0)
    X = X.astype(np.float64)
    return (X[:160], y[:160]), (X[160:], y[160:])


def _moons_net(seed=0, width=16):
    np.random.seed(seed)
    return nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, 2)).double()


def _study(pruner=None, direction="minimize"):
    return optuna.create_study(direction=direction, pruner=pruner or optuna.pruners.NopPruner())


def test_fit_with_pruning_equals_one_fit_call_when_nothing_is_pruned(moons):
    train, val = moons
    trial = _study().ask()
    model = _moons_net()
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = nn.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    got = fit_with_pruning(
        trial, model, F.cross_entropy, opt, train, 7, val=val, scheduler=sched,
        metrics=["accuracy"], batch_size=16, seed=0,
    )  # fmt: skip
    reference = _moons_net()
    ref_opt = nn.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    ref_sched = nn.optim.lr_scheduler.StepLR(ref_opt, step_size=3, gamma=0.5)
    expected = nn.fit(
        reference, F.cross_entropy, ref_opt, train, 7, val=val, scheduler=ref_sched,
        metrics=["accuracy"], batch_size=16, seed=0, progress=False,
    )  # fmt: skip
    assert got.history.keys() == expected.history.keys()
    for key in expected.history:
        np.testing.assert_array_equal(got.history[key], expected.history[key], err_msg=key)
    for p, q in zip(model.parameters(), reference.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    assert got.epoch == list(range(7)) and got.best_epoch == expected.best_epoch
    assert trial.user_attrs["history"]["val_loss"] == expected.history["val_loss"]


def test_fit_with_pruning_reports_every_epoch_and_stops_when_pruned(moons):
    train, val = moons
    study = _study(optuna.pruners.ThresholdPruner(upper=0.0, n_warmup_steps=2))

    def objective(trial):
        model = _moons_net()
        opt = nn.optim.SGD(model.parameters(), lr=0.1)
        fit_with_pruning(trial, model, F.cross_entropy, opt, train, 10, val=val, seed=0)
        return 0.0

    study.optimize(objective, n_trials=1)
    (trial,) = study.trials
    assert trial.state == optuna.trial.TrialState.PRUNED  # every loss is above 0
    assert sorted(trial.intermediate_values) == [0, 1, 2]  # pruned after the warm-up epochs
    assert len(trial.user_attrs["history"]["val_loss"]) == 3
    assert trial.intermediate_values[2] == trial.user_attrs["history"]["val_loss"][2]


def test_median_pruner_stops_a_hopeless_learning_rate(moons):
    train, val = moons
    study = _study(optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=2))

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-6, 1.0, log=True)
        model = _moons_net(seed=trial.number % 3)
        opt = nn.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        history = fit_with_pruning(
            trial, model, F.cross_entropy, opt, train, 12, val=val, batch_size=16, seed=0
        )
        return min(history["val_loss"])

    for lr in (0.1, 0.2, 0.05, 1e-6):
        study.enqueue_trial({"lr": lr})
    study.optimize(objective, n_trials=4)
    states = [t.state for t in study.trials]
    assert states[:3] == [optuna.trial.TrialState.COMPLETE] * 3
    assert states[3] == optuna.trial.TrialState.PRUNED  # lr = 1e-6 does not learn
    assert len(study.trials[3].intermediate_values) == 3  # stopped right after the warm-up
    assert study.best_value < 0.5 < study.trials[3].intermediate_values[2]


def test_fit_with_pruning_monitors_a_metric_for_a_maximized_study(moons):
    train, val = moons
    trial = _study(direction="maximize").ask()
    model = _moons_net()
    opt = nn.optim.Adam(model.parameters(), lr=0.05)
    history = fit_with_pruning(
        trial, model, F.cross_entropy, opt, train, 6, val=val, metrics=["accuracy"],
        monitor="val_accuracy", seed=0,
    )  # fmt: skip
    accuracy = history["val_accuracy"]
    assert history.best_epoch == accuracy.index(max(accuracy))
    reported = trial.study.trials[0].intermediate_values
    assert [reported[epoch] for epoch in range(6)] == accuracy


def test_fit_with_pruning_names_an_unrecorded_monitor(moons):
    train, val = moons
    model = _moons_net()
    with pytest.raises(ValueError, match=r"monitor 'val_accuracy' is not recorded.*val_loss"):
        fit_with_pruning(
            _study().ask(), model, F.cross_entropy, nn.optim.SGD(model.parameters(), lr=0.1),
            train, 3, val=val, monitor="val_accuracy",
        )  # fmt: skip
