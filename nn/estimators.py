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
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

try:
    import scipy.sparse
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.model_selection import train_test_split
    from sklearn.utils import check_random_state, column_or_1d, gen_batches, shuffle
    from sklearn.utils.multiclass import check_classification_targets, type_of_target
    from sklearn.utils.validation import check_is_fitted, validate_data
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nn.estimators needs scikit-learn >= 1.6 (and scipy), an optional dependency of "
        "chainrule: pip install scikit-learn"
    ) from error

from autograd import Tensor, cat, no_grad

from .optim import SGD, Adam
from .parameter import Parameter

__all__ = ["MLPClassifier", "MLPRegressor"]

_ACTIVATIONS = ("identity", "logistic", "tanh", "relu")
_SOLVERS = ("lbfgs", "sgd", "adam")
_LEARNING_RATES = ("constant", "invscaling", "adaptive")
_ACCEPT_SPARSE = ["csr", "csc"]


def _activate(name: str, z: Tensor) -> Tensor:
    """The hidden-layer activation ``name`` applied to ``z``."""
    if name == "relu":
        return z.relu()
    if name == "tanh":
        return z.tanh()
    if name == "logistic":
        return z.sigmoid()
    return z


def _dense(X) -> np.ndarray:
    """``X`` as a dense float64 array (rows of a sparse matrix are densified here)."""
    if scipy.sparse.issparse(X):
        return X.toarray()
    return X


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class _BaseMLP(BaseEstimator):
    """What the classifier and the regressor share: parameters, validation and the solvers.

    A subclass defines ``_encode_targets`` (``y`` as the 2-D float array the loss compares the
    outputs with), ``_sample_losses`` (the loss of each sample, from the raw outputs) and
    ``_validation_score`` (the early-stopping score).
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    # -- hyperparameters --------------------------------------------------------------------------

    def _invalid(self, name: str, expected: str) -> ValueError:
        value = getattr(self, name)
        return ValueError(
            f"The {name!r} parameter of {type(self).__name__} must be {expected}. "
            f"Got {value!r} instead."
        )

    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        if _is_int(sizes):
            sizes = [sizes]
        try:
            sizes = list(sizes)
        except TypeError:
            raise self._invalid(
                "hidden_layer_sizes", "an int or a sequence of ints, such as (100,) or (64, 32)"
            ) from None
        if not all(_is_int(s) for s in sizes):
            raise self._invalid(
                "hidden_layer_sizes", "an int or a sequence of ints, such as (100,) or (64, 32)"
            )
        if any(s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
        return [int(s) for s in sizes]

    def _validate_hyperparameters(self) -> None:
        """Check every constructor argument; raise a ValueError that names the first bad one."""

        def options(name, allowed):
            if not isinstance(getattr(self, name), str) or getattr(self, name) not in allowed:
                raise self._invalid(name, "one of " + ", ".join(repr(a) for a in allowed))

        def real(name, low, high=np.inf, low_closed=True, high_closed=False):
            value = getattr(self, name)
            if not _is_real(value) or np.isnan(value):
                ok = False
            else:
                ok = (value >= low if low_closed else value > low) and (
                    value <= high if high_closed else value < high
                )
            if not ok:
                interval = (
                    ("[" if low_closed else "(") + f"{low}, {high}" + ("]" if high_closed else ")")
                )
                raise self._invalid(name, f"a float in the range {interval}")

        def integer(name, low):
            value = getattr(self, name)
            if not _is_int(value) or value < low:
                raise self._invalid(name, f"an int in the range [{low}, inf)")

        def boolean(name):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise self._invalid(name, "a bool (True or False)")

        options("activation", _ACTIVATIONS)
        options("solver", _SOLVERS)
        options("learning_rate", _LEARNING_RATES)
        real("alpha", 0.0)
        if not (isinstance(self.batch_size, str) and self.batch_size == "auto"):
            if not _is_int(self.batch_size) or self.batch_size < 1:
                raise self._invalid("batch_size", "'auto' or an int in the range [1, inf)")
        real("learning_rate_init", 0.0, low_closed=False)
        real("power_t", 0.0)
        integer("max_iter", 1)
        boolean("shuffle")
        real("tol", 0.0)
        boolean("warm_start")
        real("momentum", 0.0, 1.0, high_closed=True)
        boolean("nesterovs_momentum")
        boolean("early_stopping")
        real("validation_fraction", 0.0, 1.0)
        real("beta_1", 0.0, 1.0)
        real("beta_2", 0.0, 1.0)
        real("epsilon", 0.0, low_closed=False)
        if not (self.n_iter_no_change == np.inf and _is_real(self.n_iter_no_change)):
            integer("n_iter_no_change", 1)
        integer("max_fun", 1)
        if not (_is_int(self.verbose) or isinstance(self.verbose, (bool, np.bool_))):
            raise self._invalid("verbose", "a bool or an int")
        rs = self.random_state
        if not (rs is None or _is_int(rs) or isinstance(rs, np.random.RandomState)):
            raise self._invalid("random_state", "None, an int or a numpy RandomState")
        self._hidden_sizes()

    # -- the network ------------------------------------------------------------------------------

    def _init_coef(self, fan_in: int, fan_out: int, rng) -> tuple[np.ndarray, np.ndarray]:
        """Glorot uniform, scikit-learn's: U(-b, b), b = sqrt(factor / (fan_in + fan_out))."""
        factor = 2.0 if self.activation == "logistic" else 6.0
        bound = np.sqrt(factor / (fan_in + fan_out))
        coef = rng.uniform(-bound, bound, (fan_in, fan_out))
        intercept = rng.uniform(-bound, bound, fan_out)
        return coef, intercept

    def _initialize(self, layer_units: list[int], rng) -> None:
        """Fresh learned state for a first fit (scikit-learn's ``_initialize``)."""
        self.n_iter_ = 0
        self.t_ = 0
        self.n_layers_ = len(layer_units)
        self.coefs_ = []
        self.intercepts_ = []
        for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
            coef, intercept = self._init_coef(fan_in, fan_out, rng)
            self.coefs_.append(coef)
            self.intercepts_.append(intercept)
        self._best_coefs = [c.copy() for c in self.coefs_]
        self._best_intercepts = [b.copy() for b in self.intercepts_]
        if self.solver != "lbfgs":
            self._initialize_tracking()

    def _initialize_tracking(self) -> None:
        """The bookkeeping of the stochastic solvers: loss curve, best loss or score, counter."""
        self.loss_curve_ = []
        self._no_improvement_count = 0
        if self.early_stopping:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
        else:
            self.best_loss_ = np.inf
            self.validation_scores_ = None
            self.best_validation_score_ = None

    def _forward(self, coefs, intercepts, X: np.ndarray) -> Tensor:
        """The raw output (before the output activation) of the network on the rows of ``X``."""
        h = Tensor(X)
        last = len(coefs) - 1
        for i, (w, b) in enumerate(zip(coefs, intercepts)):
            h = h @ w + b
            if i != last:
                h = _activate(self.activation, h)
        return h

    def _loss(self, coefs, intercepts, X, Y, sample_weight) -> Tensor:
        """scikit-learn's objective: mean (weighted) sample loss + alpha ||W||^2 / (2 sw_sum)."""
        losses = self._sample_losses(self._forward(coefs, intercepts, X), Y)
        if sample_weight is None:
            sw_sum = X.shape[0]
            data_loss = losses.sum() / sw_sum
        else:
            sw_sum = float(sample_weight.sum())
            data_loss = (losses * Tensor(sample_weight)).sum() / sw_sum
        penalty = None
        for w in coefs:
            term = (w * w).sum()
            penalty = term if penalty is None else penalty + term
        return data_loss + penalty * (0.5 * self.alpha / sw_sum)

    def _raw_output(self, X) -> np.ndarray:
        """The raw output for an already validated ``X``, computed without recording a graph."""
        coefs = [Tensor(c) for c in self.coefs_]
        intercepts = [Tensor(b) for b in self.intercepts_]
        with no_grad():
            return self._forward(coefs, intercepts, _dense(X)).data

    def _validate_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, accept_sparse=_ACCEPT_SPARSE, dtype=np.float64, reset=False)

    # -- fitting ----------------------------------------------------------------------------------

    def fit(self, X, y, sample_weight=None):
        """Fit the model to data matrix ``X`` and target(s) ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
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
        hidden = self._hidden_sizes()
        first_pass = not hasattr(self, "coefs_") or not self.warm_start
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=_ACCEPT_SPARSE,
            multi_output=True,
            dtype=np.float64,
            y_numeric=not isinstance(self, ClassifierMixin),
            reset=first_pass,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        Y, y_score = self._encode_targets(y, first_pass)
        if sample_weight is not None:
            sample_weight = self._check_sample_weight(sample_weight, X.shape[0])

        layer_units = [X.shape[1], *hidden, Y.shape[1]]
        rng = check_random_state(self.random_state)
        if first_pass:
            self._initialize(layer_units, rng)
        else:
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
                self._initialize_tracking()
        self.n_outputs_ = Y.shape[1]

        # The engine trains leaf Parameters that share their arrays with coefs_/intercepts_, so
        # the optimizer's in-place steps are what coefs_ holds (early stopping scores them).
        self.coefs_ = [np.array(c, dtype=np.float64) for c in self.coefs_]
        self.intercepts_ = [np.array(b, dtype=np.float64) for b in self.intercepts_]
        coefs = [Parameter(c) for c in self.coefs_]
        intercepts = [Parameter(b) for b in self.intercepts_]

        if self.solver == "lbfgs":
            self._fit_lbfgs(coefs, intercepts, X, Y, sample_weight)
        else:
            self._fit_stochastic(coefs, intercepts, X, Y, y_score, sample_weight, rng)

        if not all(np.isfinite(p).all() for p in [*self.coefs_, *self.intercepts_]):
            raise ValueError(
                "Solver produced non-finite parameter weights. The input data may contain "
                "large values and need to be preprocessed (e.g. with StandardScaler), or "
                "learning_rate_init may be too large."
            )
        return self

    @staticmethod
    def _check_sample_weight(sample_weight, n_samples: int) -> np.ndarray:
        if _is_real(sample_weight):
            return np.full(n_samples, float(sample_weight))
        sw = np.asarray(sample_weight, dtype=np.float64)
        if sw.ndim != 1 or sw.shape[0] != n_samples:
            raise ValueError(
                f"sample_weight.shape == {sw.shape}, expected ({n_samples},): one weight per "
                "sample of X"
            )
        if not np.isfinite(sw).all() or (sw < 0).any():
            raise ValueError("sample_weight must be finite and non-negative")
        if sw.sum() <= 0:
            raise ValueError(
                "Sample weights must contain at least one non-zero number (all weights are zero)"
            )
        return sw

    def _fit_stochastic(self, coefs, intercepts, X, Y, y_score, sample_weight, rng) -> None:
        """Mini-batch training with scikit-learn's epoch loop and stopping rule."""
        optimizer = self._make_optimizer([*coefs, *intercepts])
        if self.early_stopping:
            X, Y, sample_weight, validation = self._validation_split(
                X, Y, y_score, sample_weight, rng
            )
        n_samples = X.shape[0]
        batch_size = self._batch_size(n_samples)
        sample_idx = np.arange(n_samples, dtype=int)
        steps = 0
        try:
            self.n_iter_ = 0
            for _ in range(self.max_iter):
                if self.shuffle:
                    sample_idx = shuffle(sample_idx, random_state=rng)
                accumulated_loss = 0.0
                for batch in gen_batches(n_samples, batch_size):
                    idx = sample_idx[batch] if self.shuffle else batch
                    sw = None if sample_weight is None else sample_weight[idx]
                    optimizer.zero_grad()
                    loss = self._loss(coefs, intercepts, _dense(X[idx]), Y[idx], sw)
                    loss.backward()
                    if self.solver == "adam":
                        # scikit-learn adds epsilon to the uncorrected sqrt(v), PyTorch's rule to
                        # sqrt(v / (1 - beta_2**t)): rescaling epsilon makes the steps equal
                        steps += 1
                        eps = self.epsilon / np.sqrt(1.0 - self.beta_2**steps)
                        optimizer.param_groups[0]["eps"] = eps
                    optimizer.step()
                    accumulated_loss += loss.item() * (batch.stop - batch.start)

                self.n_iter_ += 1
                self.loss_ = accumulated_loss / n_samples
                self.t_ += n_samples
                self.loss_curve_.append(self.loss_)
                if self.verbose:
                    print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
                if self._end_of_epoch(optimizer, validation if self.early_stopping else None):
                    break
                if self.n_iter_ == self.max_iter:
                    warnings.warn(
                        f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached "
                        "and the optimization hasn't converged yet.",
                        ConvergenceWarning,
                        stacklevel=3,
                    )
        except KeyboardInterrupt:
            warnings.warn("Training interrupted by user.", stacklevel=3)

        if self.early_stopping:  # keep the weights of the best epoch on the validation set
            self.coefs_ = self._best_coefs
            self.intercepts_ = self._best_intercepts

    def _make_optimizer(self, params) -> SGD | Adam:
        if self.solver == "sgd":
            momentum = float(self.momentum)
            return SGD(
                params,
                lr=float(self.learning_rate_init),
                momentum=momentum,
                nesterov=bool(self.nesterovs_momentum) and momentum > 0,
            )
        return Adam(
            params,
            lr=float(self.learning_rate_init),
            betas=(self.beta_1, self.beta_2),
            eps=self.epsilon,
        )

    def _validation_split(self, X, Y, y_score, sample_weight, rng):
        """``(X_train, Y_train, sw_train, (X_val, y_val, sw_val))``, split as scikit-learn does."""
        # scikit-learn stratifies single-output classification only (binary here)
        stratify = Y if isinstance(self, ClassifierMixin) and Y.shape[1] == 1 else None
        arrays = [X, Y, y_score] + ([] if sample_weight is None else [sample_weight])
        split = train_test_split(
            *arrays, random_state=rng, test_size=self.validation_fraction, stratify=stratify
        )
        X_train, X_val, Y_train, _, _, y_val = split[:6]
        sw_train, sw_val = (None, None) if sample_weight is None else split[6:8]
        if X_val.shape[0] < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' or the size of "
                "your dataset."
            )
        return X_train, Y_train, sw_train, (X_val, y_val, sw_val)

    def _batch_size(self, n_samples: int) -> int:
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                "Got `batch_size` less than 1 or larger than sample size. It is going to be "
                "clipped",
                stacklevel=4,
            )
        return int(np.clip(self.batch_size, 1, n_samples))

    def _end_of_epoch(self, optimizer, validation) -> bool:
        """Update the stopping counters and the learning rate; True when training should stop."""
        if validation is None:
            self._update_no_improvement_count_loss()
        else:
            self._update_no_improvement_count_val(*validation)
        schedule = self.learning_rate if self.solver == "sgd" else "constant"
        if schedule == "invscaling":
            lr = float(self.learning_rate_init) / (self.t_ + 1) ** self.power_t
            self._set_sgd_lr(optimizer, lr)
        if self._no_improvement_count <= self.n_iter_no_change:
            return False
        what = "Validation score" if validation is not None else "Training loss"
        msg = (
            f"{what} did not improve more than tol={self.tol:f} for {self.n_iter_no_change} "
            "consecutive epochs."
        )
        lr = optimizer.param_groups[0]["lr"]
        if schedule != "adaptive" or lr <= 1e-6:
            if self.verbose:
                small = " Learning rate too small." if schedule == "adaptive" else ""
                print(f"{msg}{small} Stopping.")
            return True
        self._set_sgd_lr(optimizer, lr / 5.0)  # "adaptive": divide by 5 and go on
        self._no_improvement_count = 0
        if self.verbose:
            print(f"{msg} Setting learning rate to {lr / 5.0:f}")
        return False

    @staticmethod
    def _set_sgd_lr(optimizer: SGD, lr: float) -> None:
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

    def _update_no_improvement_count_loss(self) -> None:
        if self.loss_curve_[-1] > self.best_loss_ - self.tol:
            self._no_improvement_count += 1
        else:
            self._no_improvement_count = 0
        if self.loss_curve_[-1] < self.best_loss_:
            self.best_loss_ = self.loss_curve_[-1]

    def _update_no_improvement_count_val(self, X_val, y_val, sw_val) -> None:
        raw = self._raw_output(X_val)
        if not np.isfinite(raw).all():
            score = np.nan
        else:
            score = self._validation_score(raw, y_val, sw_val)
        self.validation_scores_.append(score)
        if self.verbose:
            print(f"Validation score: {score:f}")
        if score < self.best_validation_score_ + self.tol:
            self._no_improvement_count += 1
        else:
            self._no_improvement_count = 0
        if score > self.best_validation_score_:
            self.best_validation_score_ = score
            self._best_coefs = [c.copy() for c in self.coefs_]
            self._best_intercepts = [b.copy() for b in self.intercepts_]

    def _fit_lbfgs(self, coefs, intercepts, X, Y, sample_weight) -> None:
        """Full-batch L-BFGS-B (scipy) on the flattened parameters, the engine giving f and f'."""
        import scipy.optimize

        params = [*coefs, *intercepts]
        X = _dense(X)

        def unpack(flat: np.ndarray) -> None:
            start = 0
            for p in params:
                end = start + p.data.size
                p.data[...] = flat[start:end].reshape(p.data.shape)
                start = end

        def loss_and_grad(flat: np.ndarray) -> tuple[float, np.ndarray]:
            unpack(flat)
            for p in params:
                p.grad = None
            loss = self._loss(coefs, intercepts, X, Y, sample_weight)
            loss.backward()
            grad = np.concatenate(
                [np.asarray(p.grad.data, dtype=np.float64).ravel() for p in params]
            )
            return loss.item(), grad

        callback = None
        if self.verbose:

            def callback(intermediate_result):
                print(f"L-BFGS-B: loss = {intermediate_result.fun:.8f}")

        x0 = np.concatenate([p.data.ravel() for p in params])
        result = scipy.optimize.minimize(
            loss_and_grad,
            x0,
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={"maxfun": self.max_fun, "maxiter": self.max_iter, "gtol": self.tol},
        )
        if result.status != 0:
            warnings.warn(
                f"lbfgs failed to converge after {result.nit} iteration(s) "
                f"(status={result.status}): {result.message}. Increase the number of "
                f"iterations (max_iter={self.max_iter}) or of function evaluations "
                f"(max_fun={self.max_fun}), or scale the data (StandardScaler).",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.n_iter_ = min(int(result.nit), self.max_iter)
        self.loss_ = float(result.fun)
        unpack(result.x)


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multi-layer perceptron classifier trained by chainrule's engine (scikit-learn's API).

    Two classes use one logistic output unit and the binary log loss; three or more use a
    softmax over one unit per class and the cross-entropy, as in scikit-learn. The loss is
    ``mean(-log p(y | x)) + alpha * sum ||W||^2 / (2 n_samples)`` over each mini-batch.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The number of units in each hidden layer.
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
        Training stops when the loss (or the validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs; "lbfgs": its gradient tolerance ``gtol``.
    verbose : bool, default=False
        Print the loss of each epoch.
    warm_start : bool, default=False
        Start from the weights of the previous fit (same classes needed).
    momentum : float, default=0.9
        Momentum of "sgd".
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum ("sgd" with momentum > 0).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified), stop when its accuracy stops
        improving, and keep the weights of the best epoch ("sgd"/"adam").
    validation_fraction : float, default=0.1
        The held-out fraction for ``early_stopping``.
    beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
        Adam's hyperparameters.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping ("sgd"/"adam").
    max_fun : int, default=15000
        Maximum number of loss evaluations of "lbfgs".

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    coefs_ : list of ndarray
        ``coefs_[i]`` has shape ``(fan_in, fan_out)``: layer ``i`` computes
        ``h @ coefs_[i] + intercepts_[i]``.
    intercepts_ : list of ndarray
        The biases, one vector per layer.
    loss_ : float
        The loss of the last epoch (or of the L-BFGS solution).
    loss_curve_ : list of float
        The loss of each epoch ("sgd"/"adam").
    best_loss_ : float or None
        The lowest epoch loss ("sgd"/"adam"; None with early stopping).
    validation_scores_ : list of float or None
        The validation accuracy of each epoch (with early stopping).
    best_validation_score_ : float or None
        The best validation accuracy (with early stopping).
    n_iter_ : int
        The number of epochs (iterations for "lbfgs") run by the last fit.
    t_ : int
        Training samples seen by the stochastic solvers.
    n_features_in_ : int
        Number of features seen during fit (``feature_names_in_`` too, for DataFrames).
    n_layers_ : int
        Number of layers, the input and output layers included.
    n_outputs_ : int
        Number of output units (1 for two classes).
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

    def _log_proba_tensor(self, raw: Tensor) -> Tensor:
        """Log-probabilities (n, n_classes) from raw outputs: a logit, or one score per class."""
        if raw.shape[1] == 1:  # binary: p(class 1) = sigmoid(z) = softmax([0, z])[1]
            raw = cat([Tensor(np.zeros_like(raw.data)), raw], dim=1)
        return raw.log_softmax(dim=1)

    def _sample_losses(self, raw: Tensor, Y: np.ndarray) -> Tensor:
        if Y.shape[1] == 1:
            Y = np.concatenate([1.0 - Y, Y], axis=1)
        return -(self._log_proba_tensor(raw) * Tensor(Y)).sum(dim=1)

    def _validation_score(self, raw: np.ndarray, y_index: np.ndarray, sw) -> float:
        return accuracy_score(y_index, self._raw_to_index(raw), sample_weight=sw)

    @staticmethod
    def _raw_to_index(raw: np.ndarray) -> np.ndarray:
        if raw.shape[1] == 1:
            return (raw[:, 0] > 0).astype(np.intp)
        return raw.argmax(axis=1)

    def predict(self, X):
        """Predict the class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The predicted classes, labels from ``classes_``.
        """
        raw = self._raw_output(self._validate_X(X))
        return self.classes_[self._raw_to_index(raw)]

    def predict_log_proba(self, X):
        """Log-probability of each class, computed stably with ``log_softmax``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        raw = self._raw_output(self._validate_X(X))
        with no_grad():
            return self._log_proba_tensor(Tensor(raw)).data

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``; each row sums to 1.
        """
        return np.exp(self.predict_log_proba(X))


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
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The number of units in each hidden layer.
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
        Learning-rate schedule of "sgd" (see ``MLPClassifier``).
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
        Training stops when the loss (or the validation R²) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs; "lbfgs": its gradient tolerance ``gtol``.
    verbose : bool, default=False
        Print the loss of each epoch.
    warm_start : bool, default=False
        Start from the weights of the previous fit.
    momentum : float, default=0.9
        Momentum of "sgd".
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum ("sgd" with momentum > 0).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data, stop when its R² stops improving, and
        keep the weights of the best epoch ("sgd"/"adam").
    validation_fraction : float, default=0.1
        The held-out fraction for ``early_stopping``.
    beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
        Adam's hyperparameters.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping ("sgd"/"adam").
    max_fun : int, default=15000
        Maximum number of loss evaluations of "lbfgs".

    Attributes
    ----------
    coefs_, intercepts_ : list of ndarray
        Weights ``(fan_in, fan_out)`` and biases of each layer.
    loss_, loss_curve_, best_loss_, validation_scores_, best_validation_score_ : see
        ``MLPClassifier`` (the validation score is R²).
    n_iter_, t_, n_features_in_, n_layers_, n_outputs_ : see ``MLPClassifier``.
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

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
        )
        self.loss = loss

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _validate_hyperparameters(self) -> None:
        if not isinstance(self.loss, str) or self.loss not in ("squared_error", "poisson"):
            raise self._invalid("loss", "one of 'squared_error', 'poisson'")
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

    def predict(self, X):
        """Predict the target(s) of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predictions; 1-D when the model has one output.
        """
        return self._predictions(self._raw_output(self._validate_X(X)))
