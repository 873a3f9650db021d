"""Hyperparameter search with Optuna (Bayesian, TPE by default), scaled out on Dask.

The course names three ways to search hyperparameters: a grid, random draws, and a Bayesian
search that models the score from the trials so far and proposes the next trial where the model
expects an improvement. Grid and random search are scikit-learn's ``GridSearchCV`` and
``RandomizedSearchCV``, which work on ``nn.estimators`` as they are. This module adds the third
through Optuna, and runs any of them on a Dask cluster, with nothing home-made in between:

- ``make_sampler("tpe" | "gp" | "random", seed)``: Optuna's samplers by name (TPE is Optuna's
  default; ``"gp"`` is its Gaussian-process sampler, which also needs torch and scipy);
- ``estimator_objective(estimator, X, y, suggest, cv=3)``: an objective for ``study.optimize``
  that cross-validates an ``nn.estimators`` model (any scikit-learn estimator) with the
  hyperparameters that ``suggest(trial)`` draws;
- ``fit_with_pruning(trial, model, loss_fn, optimizer, train, epochs, val=...)``: ``nn.fit``
  run one epoch at a time, reporting the monitored value of each epoch to the trial so that
  Optuna's pruner (median, Hyperband, ...) stops a hopeless trial early;
- ``optimize_on_dask(client, study_name, storage, objective, n_trials)``: the trials of one study
  run as Dask tasks, one per worker, which share the study through an Optuna storage (an RDB URL
  such as ``sqlite:///search.db`` or ``postgresql://...``).

Optuna's own scikit-learn wrapper, ``optuna_integration.OptunaSearchCV``, works with
``nn.estimators`` models as it is (the tests run it). scikit-learn's searches run on a Dask
cluster through joblib's Dask backend, with no code here::

    from dask.distributed import Client
    import joblib
    client = Client("tcp://scheduler:8786")  # or a LocalCluster
    with joblib.parallel_backend("dask"):
        GridSearchCV(MLPClassifier(...), grid, cv=3, n_jobs=-1).fit(X, y)

The recipe for a model trained by ``nn.fit`` (the objective builds the model from the trial,
trains it with pruning, and returns the validation metric)::

    import optuna, nn, nn.functional as F
    from nn.search import fit_with_pruning

    def objective(trial):
        width = trial.suggest_int("width", 8, 256, log=True)
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        np.random.seed(trial.number)  # the weights' draw, so the trial can be repeated
        model = nn.Sequential(nn.Linear(64, width), nn.ReLU(), nn.Linear(width, 10))
        opt = nn.optim.Adam(model.parameters(), lr=lr)
        history = fit_with_pruning(trial, model, F.cross_entropy, opt, (X_train, y_train),
                                   epochs=30, val=(X_val, y_val), seed=0)
        return min(history["val_loss"])

    study = optuna.create_study(sampler=make_sampler("tpe", seed=0),
                                pruner=optuna.pruners.MedianPruner(n_warmup_steps=5))
    study.optimize(objective, n_trials=40)

Optuna, optuna-integration and Dask are optional dependencies: ``pip install -e ".[search]"``.
``import nn`` does not import this module; ``import nn.search`` raises an ImportError that names
the extra when Optuna is missing (and ``optimize_on_dask`` when Dask is).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .data import DataLoader, TensorDataset
from .module import Module
from .optim.lr_scheduler import LRScheduler, ReduceLROnPlateau
from .optim.optimizer import Optimizer
from .training import Data, History, Metrics, fit

_EXTRA = 'pip install -e ".[search]"'

try:  # the optional dependency, checked on import so that the error names the extra
    import optuna
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nn.search needs Optuna, an optional dependency of chainrule: " + _EXTRA
    ) from error

__all__ = ["estimator_objective", "fit_with_pruning", "make_sampler", "optimize_on_dask"]

Suggest = Callable[["optuna.Trial"], Mapping[str, Any]]


def make_sampler(kind: str = "tpe", seed: int | None = None) -> optuna.samplers.BaseSampler:
    """One of Optuna's samplers by name, seeded.

    Parameters
    ----------
    kind : {"tpe", "gp", "random"}, default "tpe"
        ``"tpe"``: the Tree-structured Parzen Estimator, Optuna's default Bayesian sampler (it
        models the densities of good and bad trials). ``"gp"``: a Gaussian-process surrogate
        with an expected-improvement acquisition (``optuna.samplers.GPSampler``, which imports
        torch and scipy). ``"random"``: independent uniform draws (random search).
    seed : int or None
        Seeds the sampler, so that a single-process study repeats exactly.

    Returns
    -------
    optuna.samplers.BaseSampler

    Examples
    --------
    >>> import optuna
    >>> from nn.search import make_sampler
    >>> type(make_sampler('random', seed=0)).__name__
    'RandomSampler'
    >>> optuna.logging.set_verbosity(optuna.logging.WARNING)
    >>> study = optuna.create_study(sampler=make_sampler('tpe', seed=0))
    >>> study.optimize(lambda t: (t.suggest_float('x', -5, 5) - 2) ** 2, n_trials=30)
    >>> abs(study.best_params['x'] - 2) < 1
    True
    """
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if kind == "gp":
        gp = getattr(optuna.samplers, "GPSampler", None)
        if gp is None:  # pragma: no cover - depends on the installed Optuna
            raise ValueError(
                f"make_sampler: Optuna {optuna.__version__} has no GPSampler (added in 3.6); "
                "upgrade Optuna or use kind='tpe'"
            )
        return gp(seed=seed)
    raise ValueError(f"make_sampler: kind must be 'tpe', 'gp' or 'random', got {kind!r}")


def estimator_objective(
    estimator: Any,
    X: Any,
    y: Any,
    suggest: Suggest,
    *,
    cv: Any = 3,
    scoring: str | Callable | None = None,
) -> Callable[[optuna.Trial], float]:
    """An objective for ``study.optimize``: the cross-validated score of ``estimator``.

    Each trial clones ``estimator``, sets the hyperparameters ``suggest(trial)`` returns, and
    returns the mean of ``sklearn.model_selection.cross_val_score`` (higher is better: create
    the study with ``direction="maximize"``). The objective pickles (a plain class holding the
    estimator, the data and ``suggest``), so it can run on Dask workers; ``suggest`` then has to
    pickle too (a module-level function, or any function under cloudpickle).

    Parameters
    ----------
    estimator : scikit-learn estimator
        For instance ``nn.estimators.MLPClassifier(max_iter=30, random_state=0)``.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    suggest : callable
        ``suggest(trial) -> {parameter name: value}``, drawing each value with
        ``trial.suggest_float``, ``suggest_int`` or ``suggest_categorical``.
    cv : int or cross-validation splitter, default 3
        As in ``cross_val_score`` (an int gives stratified folds for a classifier, unshuffled,
        so every trial sees the same folds).
    scoring : str or callable, optional
        As in ``cross_val_score``; the estimator's ``score`` by default.

    Returns
    -------
    callable
        ``objective(trial) -> float``.

    Examples
    --------
    >>> import optuna
    >>> from nn.estimators import MLPClassifier
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> objective = estimator_objective(
    ...     MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0), X, y,
    ...     lambda t: {"learning_rate_init": t.suggest_float("lr", 1e-3, 1e-1, log=True)})
    >>> optuna.logging.set_verbosity(optuna.logging.WARNING)
    >>> study = optuna.create_study(direction="maximize", sampler=make_sampler("tpe", seed=0))
    >>> study.optimize(objective, n_trials=3)
    >>> len(study.trials), 0.3 < study.best_value <= 1
    (3, True)
    """
    return _CrossValidated(estimator, X, y, suggest, cv, scoring)


class _CrossValidated:
    """``estimator_objective``'s objective: a class, so that it pickles for Dask workers."""

    def __init__(self, estimator, X, y, suggest, cv, scoring) -> None:
        self.estimator, self.X, self.y = estimator, X, y
        self.suggest, self.cv, self.scoring = suggest, cv, scoring

    def __call__(self, trial: optuna.Trial) -> float:
        from sklearn.base import clone
        from sklearn.model_selection import cross_val_score

        model = clone(self.estimator).set_params(**self.suggest(trial))
        scores = cross_val_score(model, self.X, self.y, cv=self.cv, scoring=self.scoring)
        return float(scores.mean())


def fit_with_pruning(
    trial: optuna.Trial,
    model: Module,
    loss_fn: Callable,
    optimizer: Optimizer,
    train: Data,
    epochs: int,
    *,
    val: Data,
    monitor: str = "val_loss",
    scheduler: LRScheduler | ReduceLROnPlateau | None = None,
    metrics: Metrics = None,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int | None = None,
) -> History:
    """``nn.fit`` for an Optuna trial: report each epoch's ``monitor`` and prune when told.

    Training runs one epoch of ``nn.fit`` at a time over one ``DataLoader`` made once (so the
    shuffling goes on from epoch to epoch exactly as in a single ``nn.fit(..., epochs=epochs)``
    call: without pruning, the weights and the History are the same). After each epoch the
    monitored value goes to ``trial.report(value, epoch)``; when the study's pruner says
    ``trial.should_prune()``, the trial ends with ``optuna.TrialPruned``. The History of the
    epochs run is kept on the trial as the user attribute ``"history"``, pruned or not.

    Parameters
    ----------
    trial : optuna.Trial
    model, loss_fn, optimizer, train, epochs, scheduler, metrics, batch_size, shuffle, seed
        As in ``nn.fit``.
    val : DataLoader, Dataset or tuple (X, y)
        The validation data, evaluated after every epoch (required: it is what the pruner sees).
    monitor : str, default "val_loss"
        The History entry reported to the pruner: ``"val_loss"``, or ``"val_<metric>"`` for a
        metric in ``metrics`` (create the study with ``direction="maximize"`` for accuracy).

    Returns
    -------
    History
        Per-epoch ``loss``, metrics, ``val_loss``, ``val_<metric>``, ``lr``, as ``nn.fit``'s;
        ``best_epoch`` is the epoch with the lowest (or, for a maximized study, highest)
        ``monitor``.

    Raises
    ------
    optuna.TrialPruned
        When the pruner stops the trial.

    Notes
    -----
    Early stopping is the pruner's job here (``nn.fit``'s ``EarlyStopping`` would start afresh
    every epoch); for it within a trial, call ``nn.fit(..., early_stopping=...)`` directly.

    Examples
    --------
    >>> import optuna
    >>> import autograd, nn
    >>> from nn.search import fit_with_pruning
    >>> optuna.logging.set_verbosity(optuna.logging.WARNING)
    >>> x = autograd.linspace(-1, 1, 32).reshape(-1, 1)
    >>> data = (x, 3 * x)
    >>> def objective(trial):
    ...     _ = autograd.manual_seed(0)
    ...     model = nn.Linear(1, 1)
    ...     lr = trial.suggest_float('lr', 1e-3, 1.0, log=True)
    ...     opt = nn.optim.SGD(model.parameters(), lr=lr)
    ...     loss = nn.MSELoss()
    ...     history = fit_with_pruning(trial, model, loss, opt, data, epochs=5, val=data, seed=0)
    ...     return history['val_loss'][-1]
    >>> study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    >>> study.optimize(objective, n_trials=4)
    >>> len(study.trials), len(study.trials[0].user_attrs['history']['val_loss'])
    (4, 5)
    """
    if isinstance(train, tuple):  # one loader for all epochs: its shuffling goes on
        train = DataLoader(TensorDataset(*train), batch_size=batch_size, shuffle=shuffle, seed=seed)
    elif not isinstance(train, DataLoader) and hasattr(train, "__getitem__"):
        train = DataLoader(train, batch_size=batch_size, shuffle=shuffle, seed=seed)
    maximize = trial.study.direction == optuna.study.StudyDirection.MAXIMIZE
    history = History()
    for epoch in range(epochs):
        one = fit(
            model,
            loss_fn,
            optimizer,
            train,
            epochs=1,
            val=val,
            scheduler=scheduler,
            metrics=metrics,
            progress=False,
            batch_size=batch_size,
        )
        if epoch == 0:
            if monitor not in one.history:
                raise ValueError(
                    f"fit_with_pruning: monitor {monitor!r} is not recorded; this run records "
                    f"{list(one.history)} (name a metric in metrics= to monitor val_<metric>)"
                )
            history.history = {key: [] for key in one.history}
        for key, values in one.history.items():
            history.history[key].extend(values)
        history.epoch.append(epoch)
        values = history.history[monitor]
        history.best_epoch = values.index(max(values) if maximize else min(values))
        trial.set_user_attr("history", history.history)
        trial.report(values[-1], epoch)
        if trial.should_prune():
            history.stopped_epoch = epoch
            raise optuna.TrialPruned(f"pruned after epoch {epoch}: {monitor} = {values[-1]:.6g}")
    return history


def optimize_on_dask(
    client: Any,
    study_name: str,
    storage: str | optuna.storages.BaseStorage,
    objective: Callable[[optuna.Trial], float],
    n_trials: int,
    *,
    sampler: str | Callable[[int | None], optuna.samplers.BaseSampler] = "tpe",
    seed: int | None = None,
) -> optuna.Study:
    """Run ``n_trials`` trials of an existing study on a Dask cluster; return the study.

    One Dask task per worker loads the study from ``storage`` (which every worker must reach:
    an RDB URL such as ``"sqlite:///search.db"`` for one machine, ``"postgresql://..."`` for
    several, or ``optuna_integration.DaskStorage()``) and runs its share of the trials; the
    trials of all tasks go to the one study, so each sampler sees the others' results.

    Parameters
    ----------
    client : dask.distributed.Client
        Connected to the cluster: ``Client(LocalCluster(...))`` or ``Client("tcp://host:8786")``.
    study_name : str
        A study made beforehand with ``optuna.create_study(study_name=..., storage=...,
        direction=...)``.
    storage : str or optuna storage
        Where the study lives, as the workers reach it.
    objective : callable
        ``objective(trial) -> float``; it is pickled to the workers (cloudpickle), with the
        data it holds.
    n_trials : int
        The number of trials, shared among the workers (the first ones get one more when it
        does not divide).
    sampler : "tpe", "gp", "random" or callable, default "tpe"
        The sampler of each task: a name for ``make_sampler``, or ``seed -> sampler``. A
        ``GridSampler`` must be the same in every task, seed included (the seed orders the grid,
        and trial ``k`` takes point ``k`` of that order): ``lambda _: GridSampler(space, seed=0)``.
    seed : int or None
        Task ``i`` seeds its sampler with ``seed + i``: different seeds, so that two workers do
        not draw the same first points.

    Returns
    -------
    optuna.Study
        The study, loaded from ``storage`` after every task finished.

    Examples
    --------
    >>> import optuna
    >>> import os, tempfile
    >>> from dask.distributed import Client
    >>> from nn.search import optimize_on_dask
    >>> optuna.logging.set_verbosity(optuna.logging.WARNING)
    >>> storage = 'sqlite:///' + os.path.join(tempfile.mkdtemp(), 'search.db')
    >>> _ = optuna.create_study(study_name='demo', storage=storage)
    >>> client = Client(processes=False, n_workers=2, dashboard_address=':0')
    >>> square = lambda t: t.suggest_float('x', 0, 1) ** 2
    >>> study = optimize_on_dask(client, 'demo', storage, square, n_trials=4, seed=0)
    >>> client.close()
    >>> len(study.trials)
    4
    """
    try:
        from dask.distributed import wait
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "optimize_on_dask needs dask.distributed, an optional dependency of chainrule: "
            + _EXTRA
        ) from error
    if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1:
        raise ValueError(f"optimize_on_dask: n_trials must be a positive int, got {n_trials!r}")
    workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    tasks = min(workers, n_trials)
    shares = [n_trials // tasks + (i < n_trials % tasks) for i in range(tasks)]
    futures = [
        client.submit(
            _run_share,
            study_name,
            storage,
            objective,
            share,
            sampler,
            None if seed is None else seed + i,
            pure=False,
        )
        for i, share in enumerate(shares)
    ]
    wait(futures)
    for future in futures:
        future.result()  # raises a task's error here
    return optuna.load_study(study_name=study_name, storage=storage)


def _run_share(study_name, storage, objective, n_trials, sampler, seed) -> int:
    """One Dask task of ``optimize_on_dask``: load the study, run ``n_trials`` trials."""
    sampler = make_sampler(sampler, seed) if isinstance(sampler, str) else sampler(seed)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=sampler)
    study.optimize(objective, n_trials=n_trials)
    return n_trials
