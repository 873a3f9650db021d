"""Searches on a real Dask cluster give what a single process gives with the same seeds.

One ``LocalCluster`` of two worker processes serves the module (starting one takes seconds).
Workers are fresh processes that import this worktree's ``nn`` (they inherit the environment) and
run with one BLAS thread each (Dask's default for its worker processes).
"""

import os

import joblib
import numpy as np
import optuna
import pytest
from dask import distributed
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from threadpoolctl import threadpool_limits

from nn.estimators import MLPClassifier
from nn.search import estimator_objective, optimize_on_dask

optuna.logging.set_verbosity(optuna.logging.WARNING)
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def client():
    # host="127.0.0.1": on machines without a resolvable hostname the cluster fails to start
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y


def _mlp():
    return MLPClassifier(hidden_layer_sizes=(8,), max_iter=15, random_state=0)


def _one_thread(fit):
    """Run ``fit`` in this process with one BLAS thread, as the workers run theirs."""
    with threadpool_limits(1):
        return fit()


def test_the_cluster_has_two_worker_processes(client):
    pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids


@pytest.mark.parametrize("kind", ["grid", "random"])
def test_sklearn_search_on_joblibs_dask_backend_equals_one_process(client, iris, kind):
    X, y = iris

    def search():
        if kind == "grid":
            space = {"alpha": [1e-4, 1e-1, 3.0], "learning_rate_init": [1e-3, 1e-2, 1e-1]}
            return GridSearchCV(_mlp(), space, cv=3, n_jobs=-1)
        space = {"alpha": np.logspace(-5, 1, 13), "learning_rate_init": np.logspace(-4, 0, 9)}
        return RandomizedSearchCV(_mlp(), space, n_iter=8, cv=3, n_jobs=-1, random_state=0)

    with joblib.parallel_backend("dask"):
        on_dask = search().fit(X, y)
    local = _one_thread(lambda: search().set_params(n_jobs=1).fit(X, y))
    assert on_dask.cv_results_["params"] == local.cv_results_["params"]
    np.testing.assert_allclose(
        on_dask.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"], rtol=1e-12
    )
    assert on_dask.best_params_ == local.best_params_
    np.testing.assert_allclose(on_dask.best_estimator_.coefs_[0], local.best_estimator_.coefs_[0])


def _grid_suggest(trial):
    return {
        "alpha": trial.suggest_float("alpha", 1e-4, 3.0, log=True),
        "learning_rate_init": trial.suggest_float("learning_rate_init", 1e-3, 1e-1, log=True),
    }


def test_optuna_grid_on_dask_with_a_shared_storage_equals_one_process(client, iris, tmp_path):
    X, y = iris
    space = {"alpha": [1e-4, 1e-1, 3.0], "learning_rate_init": [1e-3, 1e-2, 1e-1]}
    objective = estimator_objective(_mlp(), X, y, _grid_suggest, cv=3)

    local = optuna.create_study(
        direction="maximize", sampler=optuna.samplers.GridSampler(space, seed=0)
    )
    _one_thread(lambda: local.optimize(objective, n_trials=9))

    # an RDB storage the two workers share; wait up to 60 s for the other one's write lock
    storage = f"sqlite:///{tmp_path / 'grid.db'}?timeout=60"
    optuna.create_study(study_name="grid", storage=storage, direction="maximize")
    shared = optimize_on_dask(
        client,
        "grid",
        storage,
        objective,
        9,
        sampler=lambda _: optuna.samplers.GridSampler(space, seed=0),  # one order of the grid
    )

    def results(study):
        return {tuple(sorted(t.params.items())): t.value for t in study.trials}

    assert len(shared.trials) == 9 and len(results(shared)) == 9  # every point once
    expected = results(local)
    got = results(shared)
    assert got.keys() == expected.keys()
    np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-12)
    assert shared.best_params == local.best_params


def test_optuna_tpe_trials_run_on_both_workers_and_repeat_in_one_process(client, iris, tmp_path):
    X, y = iris
    cross_validated = estimator_objective(_mlp(), X, y, _grid_suggest, cv=3)

    def objective(trial):
        trial.set_user_attr("pid", os.getpid())
        return cross_validated(trial)

    storage = f"sqlite:///{tmp_path / 'tpe.db'}?timeout=60"
    optuna.create_study(study_name="tpe", storage=storage, direction="maximize")
    study = optimize_on_dask(client, "tpe", storage, objective, 10, sampler="tpe", seed=0)

    trials = study.trials
    assert len(trials) == 10
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert len({t.user_attrs["pid"] for t in trials}) == 2  # both workers ran trials
    assert len({tuple(t.params.values()) for t in trials}) == 10  # seeds differ per worker
    # each value is what this process computes for the same hyperparameters
    for t in trials:
        again = _one_thread(lambda t=t: cross_validated(optuna.trial.FixedTrial(t.params)))
        np.testing.assert_allclose(t.value, again, rtol=1e-12)
    assert study.best_value == max(t.value for t in trials)


def test_optimize_on_dask_checks_n_trials(client):
    with pytest.raises(ValueError, match="n_trials must be a positive int, got 0"):
        optimize_on_dask(client, "none", "sqlite://", lambda t: 0.0, 0)
