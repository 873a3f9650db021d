"""The stochastic solvers ("sgd", "adam"): scikit-learn's epoch loop, schedule and stopping rule.

``fit_stochastic`` runs mini-batches over shuffled samples; after each epoch ``end_of_epoch``
updates the count of epochs without improvement (of the training loss, or with early stopping of
the validation score, keeping the best epoch's weights), applies the learning-rate schedule and
says whether to stop. The steps are ``nn.optim.SGD``/``nn.optim.Adam``'s, driven so that they
equal scikit-learn's (see ``set_sgd_lr`` and the ``eps`` rescaling in ``fit_stochastic``).

These functions read the estimator's hyperparameters and write its fitted state (``loss_``,
``loss_curve_``, ``best_loss_``, ``validation_scores_``...), as scikit-learn's ``_fit_stochastic``
does: the state lives on the estimator because ``warm_start`` carries it from one fit to the next.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import gen_batches, shuffle

from ..optim import SGD, Adam
from ..parameter import Parameter
from .network import dense, predict_raw


def reset_tracking(mlp: BaseEstimator) -> None:
    """Start the bookkeeping afresh: loss curve, best loss or validation score, counter."""
    mlp.loss_curve_ = []
    mlp._no_improvement_count = 0
    if mlp.early_stopping:
        mlp.validation_scores_ = []
        mlp.best_validation_score_ = -np.inf
        mlp.best_loss_ = None
    else:
        mlp.best_loss_ = np.inf
        mlp.validation_scores_ = None
        mlp.best_validation_score_ = None


def fit_stochastic(
    mlp: BaseEstimator,
    coefs: list[Parameter],
    intercepts: list[Parameter],
    X,
    Y: np.ndarray,
    y_score: np.ndarray,
    sample_weight: np.ndarray | None,
    rng: np.random.RandomState,
) -> None:
    """Mini-batch training of ``coefs``/``intercepts`` (which share their arrays with ``mlp``'s).

    ``X`` is ``(n_samples, n_features)`` (dense or sparse), ``Y`` the ``(n_samples, n_outputs)``
    targets the loss compares with, ``y_score`` the targets the validation score compares with.
    """
    optimizer = make_optimizer(mlp, [*coefs, *intercepts])
    validation = None
    if mlp.early_stopping:
        X, Y, sample_weight, validation = validation_split(mlp, X, Y, y_score, sample_weight, rng)
    n_samples = X.shape[0]
    size = batch_size(mlp, n_samples)
    sample_idx = np.arange(n_samples, dtype=int)
    steps = 0
    try:
        mlp.n_iter_ = 0
        for _ in range(mlp.max_iter):
            if mlp.shuffle:
                sample_idx = shuffle(sample_idx, random_state=rng)
            accumulated_loss = 0.0
            for batch in gen_batches(n_samples, size):
                idx = sample_idx[batch] if mlp.shuffle else batch
                sw = None if sample_weight is None else sample_weight[idx]
                optimizer.zero_grad()
                loss = mlp._loss(coefs, intercepts, dense(X[idx]), Y[idx], sw)
                loss.backward()
                if mlp.solver == "adam":
                    # scikit-learn adds epsilon to the uncorrected sqrt(v), PyTorch's rule to
                    # sqrt(v / (1 - beta_2**t)): rescaling epsilon makes the steps equal
                    steps += 1
                    eps = mlp.epsilon / np.sqrt(1.0 - mlp.beta_2**steps)
                    optimizer.param_groups[0]["eps"] = eps
                optimizer.step()
                accumulated_loss += loss.item() * (batch.stop - batch.start)

            mlp.n_iter_ += 1
            mlp.loss_ = accumulated_loss / n_samples
            mlp.t_ += n_samples
            mlp.loss_curve_.append(mlp.loss_)
            if mlp.verbose:
                print(f"Iteration {mlp.n_iter_}, loss = {mlp.loss_:.8f}")
            if end_of_epoch(mlp, optimizer, validation):
                break
            if mlp.n_iter_ == mlp.max_iter:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({mlp.max_iter}) reached "
                    "and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=3,  # the caller of fit
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.", stacklevel=3)

    if mlp.early_stopping:  # keep the weights of the best epoch on the validation set
        mlp.coefs_ = mlp._best_coefs
        mlp.intercepts_ = mlp._best_intercepts


def make_optimizer(mlp: BaseEstimator, params: list[Parameter]) -> SGD | Adam:
    """The engine's optimizer for ``mlp.solver``, with scikit-learn's hyperparameters."""
    if mlp.solver == "sgd":
        momentum = float(mlp.momentum)
        return SGD(
            params,
            lr=float(mlp.learning_rate_init),
            momentum=momentum,
            nesterov=bool(mlp.nesterovs_momentum) and momentum > 0,
        )
    return Adam(
        params, lr=float(mlp.learning_rate_init), betas=(mlp.beta_1, mlp.beta_2), eps=mlp.epsilon
    )


def validation_split(mlp: BaseEstimator, X, Y, y_score, sample_weight, rng):
    """``(X_train, Y_train, sw_train, (X_val, y_val, sw_val))``, split as scikit-learn does."""
    # scikit-learn stratifies single-output classification only (binary here)
    stratify = Y if is_classifier(mlp) and Y.shape[1] == 1 else None
    arrays = [X, Y, y_score] + ([] if sample_weight is None else [sample_weight])
    split = train_test_split(
        *arrays, random_state=rng, test_size=mlp.validation_fraction, stratify=stratify
    )
    X_train, X_val, Y_train, _, _, y_val = split[:6]
    sw_train, sw_val = (None, None) if sample_weight is None else split[6:8]
    if X_val.shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or the size of "
            "your dataset."
        )
    return X_train, Y_train, sw_train, (X_val, y_val, sw_val)


def batch_size(mlp: BaseEstimator, n_samples: int) -> int:
    """The mini-batch size: ``mlp.batch_size`` clipped to ``[1, n_samples]``, or the "auto" one."""
    if mlp.batch_size == "auto":
        return min(200, n_samples)
    if mlp.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going to be clipped",
            stacklevel=4,  # the caller of fit
        )
    return int(np.clip(mlp.batch_size, 1, n_samples))


def end_of_epoch(mlp: BaseEstimator, optimizer: SGD | Adam, validation) -> bool:
    """Update the stopping counters and the learning rate; True when training should stop.

    ``validation`` is ``(X_val, y_val, sw_val)`` with early stopping, else None.
    """
    if validation is None:
        update_no_improvement_count_loss(mlp)
    else:
        update_no_improvement_count_val(mlp, *validation)
    schedule = mlp.learning_rate if mlp.solver == "sgd" else "constant"
    if schedule == "invscaling":
        lr = float(mlp.learning_rate_init) / (mlp.t_ + 1) ** mlp.power_t
        set_sgd_lr(optimizer, lr)
    if mlp._no_improvement_count <= mlp.n_iter_no_change:
        return False
    what = "Validation score" if validation is not None else "Training loss"
    msg = (
        f"{what} did not improve more than tol={mlp.tol:f} for {mlp.n_iter_no_change} "
        "consecutive epochs."
    )
    lr = optimizer.param_groups[0]["lr"]
    if schedule != "adaptive" or lr <= 1e-6:
        if mlp.verbose:
            small = " Learning rate too small." if schedule == "adaptive" else ""
            print(f"{msg}{small} Stopping.")
        return True
    set_sgd_lr(optimizer, lr / 5.0)  # "adaptive": divide by 5 and go on
    mlp._no_improvement_count = 0
    if mlp.verbose:
        print(f"{msg} Setting learning rate to {lr / 5.0:f}")
    return False


def set_sgd_lr(optimizer: SGD, lr: float) -> None:
    """Change SGD's learning rate the way scikit-learn's velocity sees it.

    scikit-learn keeps a velocity ``v = momentum * v - lr * g`` (a step), ``nn.optim.SGD`` a
    buffer ``b = momentum * b + g`` (a gradient) and steps by ``-lr * b``: the two agree while
    ``v == -lr * b``, so when ``lr`` changes the buffer is rescaled by ``lr_old / lr_new``.
    """
    group = optimizer.param_groups[0]
    scale = group["lr"] / lr
    group["lr"] = lr
    for state in optimizer.state.values():
        buffer = state.get("momentum_buffer")
        if buffer is not None:
            buffer *= scale


def update_no_improvement_count_loss(mlp: BaseEstimator) -> None:
    """Count an epoch whose loss did not beat ``best_loss_`` by ``tol``; update ``best_loss_``."""
    if mlp.loss_curve_[-1] > mlp.best_loss_ - mlp.tol:
        mlp._no_improvement_count += 1
    else:
        mlp._no_improvement_count = 0
    if mlp.loss_curve_[-1] < mlp.best_loss_:
        mlp.best_loss_ = mlp.loss_curve_[-1]


def update_no_improvement_count_val(mlp: BaseEstimator, X_val, y_val, sw_val) -> None:
    """Score the epoch on the validation set; count it if it did not beat the best by ``tol``.

    A new best score keeps a copy of the weights (``fit_stochastic`` restores them at the end).
    """
    raw = predict_raw(mlp.coefs_, mlp.intercepts_, X_val, mlp.activation)
    if not np.isfinite(raw).all():
        score = np.nan
    else:
        score = mlp._validation_score(raw, y_val, sw_val)
    mlp.validation_scores_.append(score)
    if mlp.verbose:
        print(f"Validation score: {score:f}")
    if score < mlp.best_validation_score_ + mlp.tol:
        mlp._no_improvement_count += 1
    else:
        mlp._no_improvement_count = 0
    if score > mlp.best_validation_score_:
        mlp.best_validation_score_ = score
        mlp._best_coefs = [c.copy() for c in mlp.coefs_]
        mlp._best_intercepts = [b.copy() for b in mlp.intercepts_]
