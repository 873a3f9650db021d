"""``fit``: the training loop, written once: mini-batches, validation, metrics, schedulers,
early stopping and a progress bar, returning a ``History`` of per-epoch numbers.

One epoch is the loop every PyTorch tutorial writes by hand::

    model.train()
    for X, y in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()

followed by a pass over the validation data under ``model.eval()`` and ``no_grad()``, one
``scheduler.step()`` and the early-stopping check. ``fit`` runs it for ``epochs`` epochs::

    history = nn.fit(model, F.cross_entropy, opt, (X_train, y_train), epochs=20,
                     val=(X_val, y_val), metrics=["accuracy"], early_stopping=5)
    history.history  # {"loss": [...], "accuracy": [...], "val_loss": [...], ..., "lr": [...]}

A scalar model (every parameter an ``autograd.Value``, as micrograd's ``nn.MLP``) trains the
same way, one sample at a time: for each batch the model is called on each row as a list of
Values, and ``loss_fn`` gets the list of outputs and the list of targets (Python numbers)::

    def hinge(scores, ys):  # micrograd's max-margin loss, the mean over the batch
        return sum((1 - y * s).relu() for s, y in zip(scores, ys)) / len(ys)

    model = nn.MLP(2, [16, 16, 1])
    history = nn.fit(model, hinge, nn.optim.SGD(model.parameters(), lr=0.05), (X, y), epochs=20)

``evaluate`` is the validation pass on its own (for a test set).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from autograd import Tensor, Value, enable_grad, no_grad, parameters

from .data import DataLoader, TensorDataset
from .module import Module
from .optim.lr_scheduler import LRScheduler, ReduceLROnPlateau
from .optim.optimizer import Optimizer

# What fit and evaluate take as data: a DataLoader, a Dataset, or a tuple of arrays/Tensors
# (inputs..., target); and metrics: names of built-in metrics or name -> fn(output, target).
Data = DataLoader | Sequence | tuple
Metrics = Sequence[str] | Mapping[str, Callable] | None

__all__ = ["EarlyStopping", "History", "accuracy", "evaluate", "fit", "mae", "mse"]


# -- built-in metrics ------------------------------------------------------------------------------


def _arrays(output, target) -> tuple[np.ndarray, np.ndarray]:
    out = np.asarray(output.data if isinstance(output, Tensor) else output)
    tgt = np.asarray(target.data if isinstance(target, Tensor) else target)
    return out, tgt


def accuracy(output: Tensor | np.ndarray, target: Tensor | np.ndarray) -> float:
    """The fraction of samples classified right.

    - Class scores ``(N, C)`` with ``C >= 2`` (logits or probabilities): the predicted class is
      the argmax over dim 1, compared with class indices ``(N,)`` or with one-hot / probability
      targets ``(N, C)`` (their argmax).
    - One score per sample, ``(N,)`` or ``(N, 1)``: with targets in {-1, +1} (micrograd's SVM
      convention) the prediction is the sign of the score; with targets in {0, 1} it is
      ``output > 0.5`` when every output lies in [0, 1] (probabilities, after a sigmoid) and
      ``output > 0`` otherwise (logits).

    For another rule, pass your own metric function to ``fit``.
    """
    out, tgt = _arrays(output, target)
    if out.ndim >= 2 and out.shape[1] >= 2:
        if tgt.shape == out.shape:
            tgt = tgt.argmax(axis=1)
        if tgt.shape != out.shape[:1] + out.shape[2:]:
            raise ValueError(
                f"accuracy: class scores of shape {out.shape} need class indices of shape "
                f"{out.shape[:1] + out.shape[2:]} (or one-hot targets of shape {out.shape}), "
                f"got targets of shape {tgt.shape}"
            )
        return float(np.mean(out.argmax(axis=1) == tgt))
    if out.size != tgt.size:
        raise ValueError(
            f"accuracy: outputs of shape {out.shape} and targets of shape {tgt.shape} do not hold "
            "one score per target; give class scores (N, C) with targets (N,), or one score per "
            "sample with targets (N,)"
        )
    out, tgt = out.reshape(-1), tgt.reshape(-1)
    if tgt.size == 0:
        return float("nan")
    if tgt.min() < 0:  # labels -1/+1, scores thresholded at 0
        return float(np.mean((out > 0) == (tgt > 0)))
    threshold = 0.5 if out.min() >= 0 and out.max() <= 1 else 0.0
    return float(np.mean((out > threshold) == (tgt > 0.5)))


def _regression_arrays(name: str, output, target) -> tuple[np.ndarray, np.ndarray]:
    out, tgt = _arrays(output, target)
    if out.shape != tgt.shape:
        if out.size != tgt.size:
            raise ValueError(
                f"{name}: outputs of shape {out.shape} and targets of shape {tgt.shape} differ in "
                "size; give one output per target"
            )
        out = out.reshape(tgt.shape)  # (N, 1) against (N,)
    return out.astype(np.float64), tgt.astype(np.float64)


def mae(output: Tensor | np.ndarray, target: Tensor | np.ndarray) -> float:
    """Mean absolute error ``mean(|output - target|)``; ``(N, 1)`` matches ``(N,)`` targets."""
    out, tgt = _regression_arrays("mae", output, target)
    return float(np.mean(np.abs(out - tgt)))


def mse(output: Tensor | np.ndarray, target: Tensor | np.ndarray) -> float:
    """Mean squared error ``mean((output - target)**2)``; ``(N, 1)`` matches ``(N,)`` targets."""
    out, tgt = _regression_arrays("mse", output, target)
    return float(np.mean((out - tgt) ** 2))


_BUILTIN_METRICS: dict[str, Callable] = {"accuracy": accuracy, "mae": mae, "mse": mse}


def _resolve_metric(name: str, metric) -> Callable:
    if isinstance(metric, str):
        if metric not in _BUILTIN_METRICS:
            raise ValueError(
                f"unknown metric {metric!r}; the built-in ones are {sorted(_BUILTIN_METRICS)}, "
                "or pass a function(output, target) -> float"
            )
        return _BUILTIN_METRICS[metric]
    if not callable(metric):
        raise TypeError(
            f"metric {name!r} is a {type(metric).__name__}; give a function(output, target) -> "
            f"float or the name of a built-in one {sorted(_BUILTIN_METRICS)}"
        )
    return metric


def _metric_table(metrics) -> dict[str, Callable]:
    """``metrics`` as {name: function}: from None, a name, a list of names/functions, a dict."""
    if metrics is None:
        return {}
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    if isinstance(metrics, Mapping):
        items = list(metrics.items())
    else:
        items = [(m if isinstance(m, str) else getattr(m, "__name__", repr(m)), m) for m in metrics]
    table = {}
    for name, metric in items:
        if not isinstance(name, str):
            raise TypeError(f"metric names must be strings, got {name!r}")
        if name in ("loss", "lr") or name.startswith("val_") or name in table:
            raise ValueError(
                f"metric name {name!r} is taken (by the loss, the learning rate, a validation "
                "entry or another metric); give it another name in a dict: {'my_name': fn}"
            )
        table[name] = _resolve_metric(name, metric)
    return table


def _compute_metrics(table: dict[str, Callable], outputs: list, targets: list) -> dict:
    if not table:
        return {}
    output = Tensor._from_array(np.concatenate(outputs))  # fresh arrays: no copy
    target = Tensor._from_array(np.concatenate(targets))
    return {name: float(_scalar(fn(output, target))) for name, fn in table.items()}


def _scalar(x) -> float:
    return float(x.data if parameters.is_node(x) else x)


# -- History and EarlyStopping ---------------------------------------------------------------------


class History:
    """What ``fit`` records, one entry per epoch (Keras's ``History``).

    Attributes
    ----------
    history : dict of str to list of float
        ``"loss"`` (the mean training loss of the epoch, weighted by batch size), one list per
        metric, ``"val_loss"`` and ``"val_<metric>"`` when there is validation data, and
        ``"lr"`` (the first parameter group's learning rate during the epoch).
        ``history["loss"]`` is short for ``history.history["loss"]``.
    epoch : list of int
        The epochs run, counted from 0.
    best_epoch : int or None
        The epoch with the best monitored value (early stopping's ``monitor``, else
        ``"val_loss"`` with validation data, else ``"loss"``); its weights are the ones restored
        by ``EarlyStopping(restore_best_weights=True)``.
    stopped_epoch : int or None
        The epoch after which early stopping ended training; None if every epoch ran.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> _ = autograd.manual_seed(0)
    >>> model = nn.Linear(1, 1)
    >>> x = autograd.ones(8, 1)
    >>> opt = nn.optim.SGD(model.parameters(), lr=0.1)
    >>> h = nn.fit(model, nn.MSELoss(), opt, (x, 2 * x), epochs=3, progress=False)
    >>> len(h), h.epoch, sorted(h.history), h['loss'][-1] < h['loss'][0]
    (3, [0, 1, 2], ['loss', 'lr'], True)
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __len__(self) -> int:
        return len(self.epoch)

    def __repr__(self) -> str:
        return (
            f"History(epochs={len(self.epoch)}, keys={list(self.history)}, "
            f"best_epoch={self.best_epoch}, stopped_epoch={self.stopped_epoch})"
        )


class EarlyStopping:
    """Stop training when a monitored value has stopped improving (Keras's ``EarlyStopping``).

    An epoch improves on the best so far when its value is lower by more than ``min_delta``
    (higher, in ``mode="max"``). Training stops after ``patience`` epochs in a row without
    improvement. With ``restore_best_weights=True`` the weights of the best epoch are copied
    when it happens and loaded back into the model when ``fit`` ends.

    Parameters
    ----------
    patience : int, default 5
        Epochs without improvement before stopping.
    min_delta : float, default 0.0
        The least change that counts as an improvement.
    restore_best_weights : bool, default True
        Load the best epoch's weights into the model at the end of ``fit``.
    monitor : str, default "val_loss"
        A key of ``History.history``: ``"loss"``, ``"val_loss"``, ``"val_accuracy"``, ...
    mode : {"auto", "min", "max"}, default "auto"
        Whether smaller or larger is better; ``"auto"`` picks ``"max"`` for names that contain
        ``"acc"`` and ``"min"`` for the rest.

    Attributes
    ----------
    best, best_epoch, wait, stopped_epoch
        The best value and its epoch, the epochs since, and the epoch training stopped (None
        while it runs); ``fit`` resets them at its start.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> stop = nn.EarlyStopping(patience=2)
    >>> [stop.step(loss, epoch) for epoch, loss in enumerate([3.0, 2.0, 2.5, 2.4, 2.6])]
    [False, False, False, True, True]
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        restore_best_weights: bool = True,
        monitor: str = "val_loss",
        mode: str = "auto",
    ) -> None:
        if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)):
            raise TypeError(f"EarlyStopping: patience must be an int, got {patience!r}")
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode {mode!r} is unknown; use 'auto', 'min' or 'max'")
        self.patience = int(patience)
        self.min_delta = abs(float(min_delta))
        self.restore_best_weights = restore_best_weights
        self.monitor = monitor
        self.mode = mode
        self.reset()

    @property
    def _maximize(self) -> bool:
        return self.mode == "max" or (self.mode == "auto" and "acc" in self.monitor)

    def reset(self) -> None:
        """Forget the previous run: no best value, no saved weights.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> stop = nn.EarlyStopping(patience=1)
        >>> stop.step(1.0, 0), stop.step(2.0, 1)
        (False, True)
        >>> stop.reset()
        >>> stop.step(5.0, 0)
        False
        """
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.best_state: dict | None = None
        self.wait = 0
        self.stopped_epoch: int | None = None

    def _improves(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.best is None:
            return True
        if self._maximize:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def step(self, value: float, epoch: int, model: Module | None = None) -> bool:
        """Record one epoch's value; return True when training should stop.

        On an improvement, the weights of ``model`` are copied (if restoring).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> stop = nn.EarlyStopping(patience=1, min_delta=0.1)
        >>> stop.step(1.0, 0), stop.step(0.95, 1)
        (False, True)
        """
        value = _scalar(value)
        if self._improves(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights and model is not None:
                self.best_state = {k: v.data.copy() for k, v in model.state_dict().items()}
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def restore(self, model: Module) -> None:
        """Load the best epoch's weights into ``model`` (nothing if none were saved).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Linear(1, 1)
        >>> stop = nn.EarlyStopping(patience=1, restore_best_weights=True)
        >>> _ = model.weight.data.fill(1.0)
        >>> stop.step(0.5, 0, model)
        False
        >>> _ = model.weight.data.fill(9.0)
        >>> stop.step(0.7, 1, model)
        True
        >>> stop.restore(model)
        >>> model.weight.tolist()
        [[1.0]]
        """
        if self.best_state is not None:
            model.load_state_dict(self.best_state)

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
            f"restore_best_weights={self.restore_best_weights}, monitor={self.monitor!r}, "
            f"mode={self.mode!r})"
        )


# -- data ------------------------------------------------------------------------------------------


def _loader(data, what: str, batch_size: int, shuffle: bool, seed):
    """A re-iterable source of batches from a DataLoader, a Dataset or a tuple of arrays."""
    if isinstance(data, DataLoader):
        return data
    if isinstance(data, tuple):
        return DataLoader(TensorDataset(*data), batch_size=batch_size, shuffle=shuffle, seed=seed)
    if hasattr(data, "__getitem__") and hasattr(data, "__len__"):
        return DataLoader(data, batch_size=batch_size, shuffle=shuffle, seed=seed)
    if isinstance(data, Iterable) and iter(data) is not data:
        return data  # another loader, iterated once per epoch
    raise TypeError(
        f"fit: {what} must be a DataLoader, a Dataset, or a tuple (X, y) of arrays or Tensors; "
        f"got {type(data).__name__}"
        + (" (an iterator would run out after one epoch)" if isinstance(data, Iterable) else "")
    )


def _split(batch, what: str) -> tuple[tuple, object]:
    """A batch as (model inputs, target): the target is its last element."""
    if isinstance(batch, (list, tuple)) and len(batch) >= 2:
        return tuple(batch[:-1]), batch[-1]
    raise TypeError(
        f"fit: each batch of {what} must be (inputs, target), as TensorDataset(X, y) gives; "
        f"got a {type(batch).__name__}"
        + (f" of {len(batch)} element(s)" if isinstance(batch, (list, tuple)) else "")
    )


def _count(target) -> int:
    shape = getattr(target, "shape", None)
    if shape:
        return int(shape[0])
    return len(target)


def _output_array(out) -> np.ndarray:
    return np.asarray(out.data if isinstance(out, Tensor) else out)


def _values(array: np.ndarray):
    """One sample as a scalar model reads it: a Value per number, in nested lists of its shape."""
    if array.ndim == 0:
        return Value(float(array))
    return [_values(item) for item in array]


def _floats(out):
    """A scalar model's output for one sample (a Value, or a list of them) as floats."""
    if isinstance(out, (list, tuple)):
        return [_floats(item) for item in out]
    return float(out.data if parameters.is_node(out) else out)


# -- the two kinds of model ------------------------------------------------------------------------


class _PerBatch:
    """A model of Tensor parameters (or of none): one call per batch, Tensors in and out."""

    def __init__(self, model) -> None:
        self.model = model
        floats = [d for d in map(parameters.dtype, model.parameters()) if d.kind == "f"]
        self.dtype = floats[0] if floats else None

    def forward(self, inputs: tuple):
        # float data in the model's own float dtype (float64 arrays into a float32 model, as
        # numpy makes them): its layers refuse mixed dtypes, as torch's do
        dtype = self.dtype
        if dtype is not None:
            inputs = tuple(
                x.to(dtype) if isinstance(x, Tensor) and x.dtype.kind == "f" else x for x in inputs
            )
        return self.model(*inputs)

    def loss_target(self, target):
        return target

    def output_array(self, out) -> np.ndarray:
        return _output_array(out)


class _PerSample(_PerBatch):
    """A model of scalar Value parameters (micrograd's ``nn.MLP``): one call per sample.

    Each sample's inputs are given as Values (a row ``(x1, x2)`` as ``[Value(x1), Value(x2)]``),
    and the loss function gets the batch as lists: the outputs (one per sample) and the targets
    as Python numbers.
    """

    def forward(self, inputs: tuple) -> list:
        arrays = [_output_array(x) for x in inputs]
        return [self.model(*(_values(a[i]) for a in arrays)) for i in range(len(arrays[0]))]

    def loss_target(self, target) -> list:
        return _output_array(target).tolist()

    def output_array(self, out) -> np.ndarray:
        return np.array([_floats(o) for o in out], dtype=np.float64)


def _kind_of_model(model) -> _PerBatch:
    """How ``fit`` calls ``model``: per batch (Tensor parameters) or per sample (Values)."""
    params = getattr(model, "parameters", None)
    if not callable(params):
        raise TypeError(
            f"fit: model must be an nn.Module with parameters(), got {type(model).__name__}"
        )
    scalar = {parameters.is_scalar(p) for p in params()}
    if scalar == {True, False}:
        raise TypeError(
            f"fit: {type(model).__name__} mixes scalar autograd.Value parameters (which take "
            "one sample at a time) with Tensor parameters (which take a batch); build it from "
            "one kind: nn.MLP's Neurons, or nn.Linear layers"
        )
    return _PerSample(model) if scalar == {True} else _PerBatch(model)


# -- the loop --------------------------------------------------------------------------------------


def _run_epoch(model, kind, loss_fn, optimizer, batches, table, show) -> dict:
    """One pass of training over ``batches``; the epoch's mean loss and train metrics.

    With ``show``, ``batches`` is a tqdm bar, and its postfix follows the running mean loss.
    """
    model.train()
    total, count, outputs, targets = 0.0, 0, [], []
    with enable_grad():
        for batch in batches:
            inputs, target = _split(batch, "train")
            optimizer.zero_grad()
            out = kind.forward(inputs)
            loss = loss_fn(out, kind.loss_target(target))
            loss.backward()
            optimizer.step()
            n = _count(target)
            total += _scalar(loss) * n
            count += n
            if show:
                batches.set_postfix(loss=f"{total / count:.4g}", refresh=False)
            if table:
                outputs.append(kind.output_array(out))
                targets.append(_output_array(target))
    if count == 0:
        raise ValueError("fit: the training data is empty (no batches)")
    return {"loss": total / count, **_compute_metrics(table, outputs, targets)}


def _evaluate(model, kind, loss_fn, loader, table) -> dict:
    model.eval()
    total, count, outputs, targets = 0.0, 0, [], []
    with no_grad():
        for batch in loader:
            inputs, target = _split(batch, "validation data")
            out = kind.forward(inputs)
            n = _count(target)
            total += _scalar(loss_fn(out, kind.loss_target(target))) * n
            count += n
            if table:
                outputs.append(kind.output_array(out))
                targets.append(_output_array(target))
    if count == 0:
        raise ValueError("the validation data is empty (no batches)")
    return {"loss": total / count, **_compute_metrics(table, outputs, targets)}


def evaluate(
    model: Module,
    loss_fn: Callable,
    data: Data,
    metrics: Metrics = None,
    batch_size: int = 32,
) -> dict[str, float]:
    """The mean loss and metrics of ``model`` over ``data``, under ``eval()`` and ``no_grad()``.

    ``data`` is what ``fit`` takes for ``val``. Returns ``{"loss": ..., "<metric>": ...}``; the
    model is left in the mode (train or eval) it had.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> _ = autograd.manual_seed(0)
    >>> model = nn.Linear(1, 1)
    >>> x = autograd.ones(4, 1)
    >>> loss_fn = nn.MSELoss()
    >>> result = nn.evaluate(model, loss_fn, (x, model(x).detach()))
    >>> result
    {'loss': 0.0}
    """
    kind = _kind_of_model(model)
    table = _metric_table(metrics)
    loader = _loader(data, "data", batch_size, False, None)
    was_training = model.training
    try:
        return _evaluate(model, kind, loss_fn, loader, table)
    finally:
        model.train(was_training)


def _best(values: list[float], maximize: bool) -> int | None:
    finite = [(v, i) for i, v in enumerate(values) if not math.isnan(v)]
    if not finite:
        return None
    return min(finite, key=lambda vi: -vi[0] if maximize else vi[0])[1]  # the first, on ties


def _format(logs: dict, show_lr: bool) -> dict[str, str]:
    return {k: f"{v:.4g}" for k, v in logs.items() if k != "lr" or show_lr}


def fit(
    model: Module,
    loss_fn: Callable,
    optimizer: Optimizer,
    train: Data,
    epochs: int,
    val: Data | None = None,
    scheduler: LRScheduler | ReduceLROnPlateau | None = None,
    early_stopping: EarlyStopping | int | None = None,
    metrics: Metrics = None,
    progress: bool = True,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int | None = None,
) -> History:
    """Train ``model`` for ``epochs`` epochs of mini-batch gradient descent; return its History.

    Parameters
    ----------
    model : Module
        A Tensor model: ``model(X)`` maps a batch of inputs to a batch of outputs. Or a scalar
        model (every parameter an ``autograd.Value``, as ``nn.MLP``), called once per sample:
        a row ``(x1, x2)`` of ``X`` as ``model([Value(x1), Value(x2)])``.
    loss_fn : callable
        ``loss_fn(output, target)`` -> a scalar Tensor, the mean over the batch
        (``F.cross_entropy``, ``F.mse_loss``, ``nn.CrossEntropyLoss()``, ...). For a scalar
        model, ``loss_fn(outputs, targets)`` -> a Value: ``outputs`` is the list of the model's
        outputs over the batch (a Value, or a list of Values, per sample) and ``targets`` the
        batch's targets as a list of Python numbers (``y.tolist()``).
    optimizer : Optimizer
        Holds the model's parameters; ``zero_grad()`` and ``step()`` run once per batch.
    train : DataLoader, Dataset or tuple (X, y)
        The training data. A Dataset or a tuple of arrays/Tensors is batched by a
        ``DataLoader(batch_size=batch_size, shuffle=shuffle, seed=seed)``; a DataLoader is used
        as it is. Each batch is ``(inputs..., target)``: the last element is the target.
    epochs : int
        How many passes over ``train`` (fewer if early stopping ends training).
    val : DataLoader, Dataset or tuple (X, y), optional
        Validation data, evaluated after every epoch under ``model.eval()`` and ``no_grad()``
        (batches of ``batch_size``, not shuffled).
    scheduler : LRScheduler, optional
        Stepped once per epoch, after the validation pass; ``ReduceLROnPlateau`` is given the
        validation loss (the training loss without ``val``).
    early_stopping : EarlyStopping or int, optional
        An ``EarlyStopping``, or a patience (then monitoring ``"val_loss"``, or ``"loss"``
        without ``val``, and restoring the best weights).
    metrics : str, list or dict, optional
        ``"accuracy"``, ``"mae"``, ``"mse"``, functions ``f(output, target) -> float``, a list
        of these, or a dict ``{name: name or function}``. Each is computed once per epoch on the
        training outputs of the whole epoch (as the batches went by, in train mode) and on the
        validation data (as ``val_<name>``).
    progress : bool, default True
        Show a tqdm bar over the epochs (and a transient one over each epoch's batches) with
        the latest loss and metrics; a widget in notebooks. False prints nothing.
    batch_size : int, default 32
    shuffle : bool, default True
        Shuffle the training samples every epoch (not used when ``train`` is a DataLoader).
    seed : int, numpy Generator or None
        Seeds the shuffling, so that a run repeats exactly from the same initial weights.
        (Dropout draws from numpy's global generator: ``np.random.seed`` fixes it.)

    Returns
    -------
    History
        ``history.history`` holds per-epoch lists (``loss``, metrics, ``val_loss``,
        ``val_<metric>``, ``lr``); ``epoch``, ``best_epoch`` and ``stopped_epoch`` say when.

    The model is left in the mode (train or eval) it had before ``fit``.

    Examples
    --------
    >>> import numpy as np, nn, nn.functional as F
    >>> from nn.datasets import make_moons
    >>> X, y = make_moons(200, noise=0.1, seed=0)
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         rng = np.random.default_rng(0)
    ...         self.w = nn.Parameter(rng.normal(0, 0.5, (2, 2)).astype(np.float32))
    ...         self.b = nn.Parameter(np.zeros(2, np.float32))
    ...     def forward(self, x):
    ...         return x @ self.w.T + self.b
    >>> model = Net()
    >>> opt = nn.optim.SGD(model.parameters(), lr=0.5)
    >>> h = nn.fit(model, F.cross_entropy, opt, (X, y), epochs=20, metrics=["accuracy"],
    ...            progress=False, seed=0)
    >>> len(h["loss"]), h["accuracy"][-1] > 0.8
    (20, True)
    """
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative int, got {epochs!r}")
    kind = _kind_of_model(model)
    table = _metric_table(metrics)
    train_loader = _loader(train, "train", batch_size, shuffle, seed)
    val_loader = None if val is None else _loader(val, "val", batch_size, False, None)

    keys = ["loss", *table]
    if val_loader is not None:
        keys += ["val_" + k for k in ["loss", *table]]
    default_monitor = "val_loss" if val_loader is not None else "loss"
    if isinstance(early_stopping, bool):
        raise TypeError("fit: early_stopping must be an EarlyStopping, an int patience or None")
    if isinstance(early_stopping, (int, np.integer)):
        early_stopping = EarlyStopping(patience=int(early_stopping), monitor=default_monitor)
    if early_stopping is not None:
        if early_stopping.monitor not in keys:
            hint = (
                " (pass val= to fit, or monitor 'loss')" if "val_" in early_stopping.monitor else ""
            )
            raise ValueError(
                f"fit: early stopping monitors {early_stopping.monitor!r}, which this run does not "
                f"record{hint}; it records {keys}"
            )
        early_stopping.reset()
    monitor = early_stopping.monitor if early_stopping is not None else default_monitor
    maximize = early_stopping._maximize if early_stopping is not None else False

    if progress:  # tqdm.auto picks the notebook bar, and warns when ipywidgets is missing
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm

    history = History()
    history.history = {k: [] for k in [*keys, "lr"]}
    was_training = model.training
    epoch_bar = tqdm(total=epochs, desc="fit", unit="epoch", disable=not progress)

    try:
        for epoch in range(epochs):
            lr = float(optimizer.param_groups[0]["lr"])
            batches = train_loader
            if progress:  # a bar over the batches, shown only when an epoch takes over 1 s
                batches = tqdm(
                    train_loader,
                    total=len(train_loader) if hasattr(train_loader, "__len__") else None,
                    desc=f"epoch {epoch + 1}/{epochs}",
                    unit="batch",
                    leave=False,
                    delay=1.0,
                )
            try:
                logs = _run_epoch(model, kind, loss_fn, optimizer, batches, table, progress)
            finally:
                if progress:
                    batches.close()
            if val_loader is not None:
                val_logs = _evaluate(model, kind, loss_fn, val_loader, table)
                logs.update({"val_" + k: v for k, v in val_logs.items()})
            logs["lr"] = lr
            for key, value in logs.items():
                history.history[key].append(value)
            history.epoch.append(epoch)

            if scheduler is not None:
                if isinstance(scheduler, ReduceLROnPlateau):
                    scheduler.step(logs[default_monitor])
                else:
                    scheduler.step()
            stop = early_stopping is not None and early_stopping.step(
                logs[early_stopping.monitor], epoch, model
            )
            epoch_bar.set_postfix(_format(logs, scheduler is not None), refresh=False)
            epoch_bar.update(1)
            if stop:
                history.stopped_epoch = epoch
                break
    finally:
        epoch_bar.close()
        model.train(was_training)

    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch
        if early_stopping.restore_best_weights:
            early_stopping.restore(model)
    else:
        history.best_epoch = _best(history.history[monitor], maximize)
    return history
