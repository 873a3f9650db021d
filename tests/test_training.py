"""nn.training: ``fit`` learns, records a History, validates, schedules, stops early, is quiet
when asked and repeatable with a seed."""

import random
import warnings

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, is_grad_enabled
from nn.data import DataLoader, TensorDataset
from nn.datasets import make_moons
from nn.optim import SGD, Adam
from nn.optim.lr_scheduler import ReduceLROnPlateau, StepLR
from nn.training import EarlyStopping, History, accuracy, evaluate, fit, mae, mse

# -- tiny models and losses from Tensor ops ----------------------------------------------------


class MLP(nn.Module):
    """``nin -> hidden (relu) -> nout`` from Parameters, seeded."""

    def __init__(self, nin=2, hidden=16, nout=2, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.w1 = nn.Parameter(rng.normal(0, nin**-0.5, (hidden, nin)).astype(np.float32))
        self.b1 = nn.Parameter(np.zeros(hidden, np.float32))
        self.w2 = nn.Parameter(rng.normal(0, hidden**-0.5, (nout, hidden)).astype(np.float32))
        self.b2 = nn.Parameter(np.zeros(nout, np.float32))

    def forward(self, x):
        return (x @ self.w1.T + self.b1).relu() @ self.w2.T + self.b2


class Scale(nn.Module):
    """``out = w * x``: one weight, for runs whose path can be worked out by hand."""

    def __init__(self, w=0.0):
        super().__init__()
        self.w = nn.Parameter(np.array([w], np.float32))

    def forward(self, x):
        return x * self.w


def cross_entropy(logits, y):
    onehot = Tensor(np.eye(logits.shape[1], dtype=np.float32)[y.data])
    return -(logits.log_softmax(dim=1) * onehot).sum(dim=1).mean()


def mse_loss(out, y):
    diff = out - y
    return (diff * diff).mean()


def moons(n=200, seed=0):
    X, y = make_moons(n, noise=0.1, seed=seed)
    return X, y


def weights(model):
    return {k: v.data.copy() for k, v in model.state_dict().items()}


# -- learning and the History ------------------------------------------------------------------


def test_fit_learns_moons_with_validation_metrics():
    X, y = moons(300)
    model = MLP(hidden=32)
    history = fit(
        model,
        cross_entropy,
        Adam(model.parameters(), lr=0.03),
        (X[:200], y[:200]),
        epochs=40,
        val=(X[200:], y[200:]),
        metrics=["accuracy"],
        progress=False,
        seed=0,
    )
    assert isinstance(history, History)
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy", "lr"]
    assert all(len(v) == 40 for v in history.history.values())
    assert history.epoch == list(range(40))
    assert history["accuracy"][-1] > 0.95 and history["val_accuracy"][-1] > 0.95
    assert history["loss"][-1] < 0.3 * history["loss"][0]
    assert history.stopped_epoch is None
    assert history.best_epoch == int(np.argmin(history["val_loss"]))
    assert all(isinstance(v, float) for vs in history.history.values() for v in vs)
    assert history["lr"] == [0.03] * 40
    # the last validation entries are the final model's numbers on the validation set
    final = evaluate(model, cross_entropy, (X[200:], y[200:]), metrics=["accuracy"])
    assert final["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-6)
    assert final["accuracy"] == history["val_accuracy"][-1]
    assert model.training  # left in the mode it had


def test_training_loss_and_metrics_cover_the_epoch_weighted_by_batch_size():
    # lr = 0: the model never changes, so the epoch's numbers are those of the whole set, which
    # only a mean weighted by batch size gives when the last batch (10 = 4 + 4 + 2) is smaller.
    X, y = moons(10)
    model = MLP()
    history = fit(
        model,
        cross_entropy,
        SGD(model.parameters(), lr=0.0),
        (X, y),
        epochs=2,
        batch_size=4,
        metrics={"acc": "accuracy", "n": lambda out, t: len(t.data)},
        progress=False,
        seed=0,
    )
    whole = evaluate(model, cross_entropy, (X, y), metrics=["accuracy"])
    assert history["loss"] == pytest.approx([whole["loss"]] * 2, rel=1e-6)
    assert history["acc"] == [whole["accuracy"]] * 2
    assert history["n"] == [10.0, 10.0]  # a metric sees all of the epoch's outputs at once
    assert list(history.history) == ["loss", "acc", "n", "lr"]


def test_regression_metrics_and_val_prefix():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 1)).astype(np.float32)
    model = Scale()
    history = fit(
        model,
        mse_loss,
        SGD(model.parameters(), lr=0.1),
        (X, 3 * X),
        epochs=30,
        val=(X, 3 * X),
        metrics=["mae", "mse"],
        progress=False,
        seed=0,
    )
    assert history["val_mse"][-1] == pytest.approx(history["val_loss"][-1], rel=1e-5)
    assert history["val_mae"][-1] < 1e-3 < history["val_mae"][0]
    assert model.w.data[0] == pytest.approx(3.0, abs=1e-3)


def test_validation_runs_in_eval_mode_without_grad():
    seen = []

    class Spy(Scale):
        def forward(self, x):
            seen.append((self.training, is_grad_enabled()))
            return super().forward(x)

    X = np.ones((4, 1), np.float32)
    model = Spy()
    model.eval()
    fit(
        model,
        mse_loss,
        SGD(model.parameters(), lr=0.1),
        (X, X),
        epochs=1,
        val=(X, X),
        batch_size=4,
        progress=False,
    )
    assert seen == [(True, True), (False, False)]
    assert not model.training  # back in eval mode, as it came


# -- data in every form ------------------------------------------------------------------------


def test_accepts_arrays_tensors_datasets_and_dataloaders_alike():
    X, y = moons(50)

    def run(train):
        model = MLP()
        h = fit(
            model,
            cross_entropy,
            SGD(model.parameters(), lr=0.1),
            train,
            epochs=3,
            batch_size=16,
            shuffle=False,
            progress=False,
        )
        return h["loss"], weights(model)

    expected_loss, expected_weights = run((X, y))
    for train in [
        (Tensor(X), Tensor(y)),
        TensorDataset(X, y),
        DataLoader(TensorDataset(X, y), batch_size=16),
        [(X[i], y[i]) for i in range(len(y))],  # any Dataset: __getitem__ and __len__
    ]:
        loss, w = run(train)
        assert loss == pytest.approx(expected_loss, rel=1e-6)
        for k in w:
            np.testing.assert_allclose(w[k], expected_weights[k], rtol=1e-5, atol=1e-6)


def test_deterministic_with_a_seed():
    X, y = moons(100)

    def run(seed):
        model = MLP()
        h = fit(
            model,
            cross_entropy,
            Adam(model.parameters(), lr=0.01),
            (X, y),
            epochs=3,
            batch_size=16,
            metrics="accuracy",
            progress=False,
            seed=seed,
        )
        return h.history, weights(model)

    (h1, w1), (h2, w2), (h3, _) = run(7), run(7), run(8)
    assert h1 == h2
    assert all(np.array_equal(w1[k], w2[k]) for k in w1)
    assert h1["loss"] != h3["loss"]  # another seed shuffles otherwise


# -- early stopping ----------------------------------------------------------------------------

# Training pulls w from 0 towards 2 (targets 2x), step by step; the validation targets are 1x,
# so the validation loss falls while w < 1 and rises once w has passed 1.
X_ES = np.linspace(-1, 1, 8, dtype=np.float32).reshape(-1, 1)


def _weight_path(epochs):
    """w after each epoch of the same run, one epoch per fit call (SGD keeps no state)."""
    model, path = Scale(), []
    opt = SGD(model.parameters(), lr=0.3)
    for _ in range(epochs):
        fit(model, mse_loss, opt, (X_ES, 2 * X_ES), epochs=1, shuffle=False, progress=False)
        path.append(float(model.w.data[0]))
    return path


def test_early_stopping_stops_and_restores_the_best_weights():
    model = Scale()
    stopper = EarlyStopping(patience=3)
    history = fit(
        model,
        mse_loss,
        SGD(model.parameters(), lr=0.3),
        (X_ES, 2 * X_ES),
        epochs=100,
        val=(X_ES, X_ES),
        early_stopping=stopper,
        shuffle=False,
        progress=False,
    )
    val = history["val_loss"]
    best = history.best_epoch
    assert 0 < best < 20 and best == int(np.argmin(val))
    assert history.stopped_epoch == best + 3 == history.epoch[-1]
    assert len(history["loss"]) == best + 4 < 100
    assert all(v > val[best] for v in val[best + 1 :])
    path = _weight_path(best + 4)
    assert model.w.data[0] == path[best] != path[-1]  # restored: the weights of the best epoch
    assert abs(path[best] - 1) < abs(path[-1] - 1)
    assert (stopper.best_epoch, stopper.stopped_epoch) == (best, best + 3)


def test_early_stopping_without_restoring_keeps_the_last_weights_and_accepts_a_patience():
    model = Scale()
    history = fit(
        model,
        mse_loss,
        SGD(model.parameters(), lr=0.3),
        (X_ES, 2 * X_ES),
        epochs=100,
        val=(X_ES, X_ES),
        early_stopping=EarlyStopping(patience=2, restore_best_weights=False),
        shuffle=False,
        progress=False,
    )
    assert history.stopped_epoch == history.best_epoch + 2
    assert model.w.data[0] == _weight_path(len(history.epoch))[-1]
    # an int is a patience on val_loss, restoring the best weights
    model = Scale()
    history2 = fit(
        model,
        mse_loss,
        SGD(model.parameters(), lr=0.3),
        (X_ES, 2 * X_ES),
        epochs=100,
        val=(X_ES, X_ES),
        early_stopping=2,
        shuffle=False,
        progress=False,
    )
    assert history2.history == history.history
    assert model.w.data[0] == _weight_path(history.best_epoch + 1)[-1]


def test_early_stopping_rules():
    stopper = EarlyStopping(patience=2, min_delta=0.1)
    steps = [stopper.step(v, i) for i, v in enumerate([1.0, 0.95, 0.85, 0.8, 0.79])]
    assert steps == [False, False, False, False, True]  # 0.95, 0.8, 0.79: not 0.1 better
    assert (stopper.best, stopper.best_epoch, stopper.stopped_epoch) == (0.85, 2, 4)
    up = EarlyStopping(patience=1, monitor="val_accuracy")  # "acc": larger is better
    assert [up.step(v, i) for i, v in enumerate([0.5, 0.7, 0.6])] == [False, False, True]
    assert up.best == 0.7
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(mode="up")


def test_early_stopping_on_a_missing_key_says_so():
    model = Scale()
    with pytest.raises(ValueError, match=r"'val_loss'.*pass val="):
        fit(
            model,
            mse_loss,
            SGD(model.parameters(), lr=0.1),
            (X_ES, X_ES),
            epochs=2,
            early_stopping=EarlyStopping(),
            progress=False,
        )


# -- schedulers --------------------------------------------------------------------------------


def test_step_lr_is_stepped_once_per_epoch():
    X, y = moons(40)
    model = MLP()
    opt = SGD(model.parameters(), lr=0.1)
    sched = StepLR(opt, step_size=2, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "scheduler.step() before optimizer.step()"
        history = fit(
            model,
            cross_entropy,
            opt,
            (X, y),
            epochs=5,
            scheduler=sched,
            batch_size=8,
            progress=False,
        )
    assert history["lr"] == [0.1, 0.1, 0.05, 0.05, 0.025]
    assert sched.last_epoch == 5 and opt.param_groups[0]["lr"] == 0.025


def test_reduce_lr_on_plateau_is_fed_the_validation_loss():
    # training improves every epoch, the validation loss cannot move (its inputs are 0)
    zeros = np.zeros_like(X_ES)
    model = Scale()
    opt = SGD(model.parameters(), lr=0.1)
    sched = ReduceLROnPlateau(opt, factor=0.5, patience=1)
    history = fit(
        model,
        mse_loss,
        opt,
        (X_ES, 2 * X_ES),
        epochs=6,
        val=(zeros, X_ES),
        scheduler=sched,
        shuffle=False,
        progress=False,
    )
    assert all(a > b for a, b in zip(history["loss"], history["loss"][1:]))
    assert len(set(history["val_loss"])) == 1
    assert history["lr"] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]


def test_reduce_lr_on_plateau_without_val_is_fed_the_training_loss():
    zeros = np.zeros_like(X_ES)
    model = Scale()
    opt = SGD(model.parameters(), lr=0.1)
    history = fit(
        model,
        mse_loss,
        opt,
        (zeros, X_ES),
        epochs=4,
        scheduler=ReduceLROnPlateau(opt, factor=0.5, patience=1),
        progress=False,
    )
    assert history["lr"] == [0.1, 0.1, 0.1, 0.05]


# -- progress ----------------------------------------------------------------------------------


def test_progress_false_prints_nothing(capsys):
    X, y = moons(40)
    model = MLP()
    fit(
        model,
        cross_entropy,
        SGD(model.parameters(), lr=0.1),
        (X, y),
        epochs=2,
        val=(X, y),
        metrics=["accuracy"],
        progress=False,
    )
    assert capsys.readouterr() == ("", "")


def test_progress_shows_a_bar_with_the_losses(capsys):
    X, y = moons(40)
    model = MLP()
    fit(
        model,
        cross_entropy,
        SGD(model.parameters(), lr=0.1),
        (X, y),
        epochs=3,
        val=(X, y),
        metrics=["accuracy"],
    )
    err = capsys.readouterr().err
    assert "3/3" in err and "epoch" in err
    assert "val_loss=" in err and "val_accuracy=" in err


# -- built-in metrics --------------------------------------------------------------------------


def test_accuracy_reads_logits_probabilities_and_signs():
    logits = Tensor(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.5]]))
    assert accuracy(logits, Tensor(np.array([0, 1, 1]))) == pytest.approx(2 / 3)
    assert accuracy(logits, Tensor(np.eye(2)[[0, 1, 0]])) == 1.0  # one-hot targets
    probs = Tensor(np.array([[0.9], [0.2], [0.6]]))  # (N, 1) probabilities: threshold 0.5
    assert accuracy(probs, Tensor(np.array([1, 0, 0]))) == pytest.approx(2 / 3)
    scores = Tensor(np.array([1.5, -0.2, 0.3]))  # logits: threshold 0
    assert accuracy(scores, Tensor(np.array([1.0, 0.0, 0.0]))) == pytest.approx(2 / 3)
    assert accuracy(scores, Tensor(np.array([1, -1, -1]))) == pytest.approx(2 / 3)  # +-1 labels
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        accuracy(logits, Tensor(np.array([0, 1])))
    assert mae(Tensor(np.array([[1.0], [3.0]])), Tensor(np.array([2.0, 2.0]))) == 1.0
    assert mse(Tensor(np.array([1.0, 4.0])), Tensor(np.array([2.0, 2.0]))) == 2.5


# -- mistakes ----------------------------------------------------------------------------------


def test_models_mixing_value_and_tensor_parameters_get_a_clear_type_error():
    model = nn.MLP(2, [4, 1])
    model.extra = nn.Parameter(np.zeros(3))
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="mixes scalar autograd.Value parameters"):
        fit(model, mse_loss, opt, (np.zeros((4, 2)), np.zeros(4)), epochs=1, progress=False)
    with pytest.raises(TypeError, match="mixes scalar autograd.Value parameters"):
        evaluate(model, mse_loss, (np.zeros((4, 2)), np.zeros(4)))


def test_misuse_is_named():
    model = Scale()
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="tuple"):
        fit(model, mse_loss, opt, iter([(X_ES, X_ES)]), epochs=1, progress=False)
    with pytest.raises(TypeError, match=r"\(inputs, target\)"):
        fit(model, mse_loss, opt, TensorDataset(X_ES), epochs=1, progress=False)
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        fit(model, mse_loss, opt, (X_ES, X_ES), epochs=1, metrics=["f1"], progress=False)
    with pytest.raises(ValueError, match="taken"):
        fit(model, mse_loss, opt, (X_ES, X_ES), epochs=1, metrics={"loss": mae}, progress=False)


def test_fit_trains_linear_layers_with_functional_losses():
    import nn.functional as F
    from nn.layers.linear import Linear

    class Net(nn.Module):
        def __init__(self, nout):
            super().__init__()
            self.hidden = Linear(2, 32)
            self.out = Linear(32, nout)

        def forward(self, x):
            return self.out(self.hidden(x).relu())

    X, y = moons(300, seed=1)
    train, val = (X[:200], y[:200]), (X[200:], y[200:])
    np.random.seed(0)  # nn.init draws from numpy's global generator
    model = Net(2)
    history = fit(
        model,
        F.cross_entropy,
        Adam(model.parameters(), lr=0.03),
        train,
        epochs=40,
        val=val,
        metrics=["accuracy"],
        progress=False,
        seed=0,
    )
    assert history["val_accuracy"][-1] > 0.95

    # one logit per sample, binary cross-entropy: "accuracy" thresholds the logits at 0
    def bce(out, target):
        return F.binary_cross_entropy_with_logits(out.reshape(-1), target.float())

    model = Net(1)
    history = fit(
        model,
        bce,
        Adam(model.parameters(), lr=0.03),
        train,
        epochs=40,
        val=val,
        metrics=["accuracy"],
        progress=False,
        seed=0,
    )
    assert history["val_accuracy"][-1] > 0.95


# -- scalar (micrograd) models -----------------------------------------------------------------


def squared_error(outputs, targets):
    """The mean squared error of a scalar model's batch: lists of Values and of numbers."""
    return sum((out - t) ** 2 for out, t in zip(outputs, targets)) / len(targets)


def scalar_mlp():
    random.seed(0)  # nn.MLP draws its weights from Python's random
    return nn.MLP(2, [6, 1], activation="tanh")


def test_fit_trains_a_scalar_mlp_as_a_hand_written_loop_does():
    rng = np.random.default_rng(0)  # a smooth float64 regression: y = sin(2 x1) / 2 + x2 / 2
    X = rng.uniform(-1, 1, (24, 2))
    y = 0.5 * np.sin(2 * X[:, 0]) + 0.5 * X[:, 1]
    model, reference = scalar_mlp(), scalar_mlp()
    history = fit(
        model,
        squared_error,
        SGD(model.parameters(), lr=0.05),
        (X, y),
        epochs=30,
        batch_size=8,
        seed=0,
        progress=False,
    )
    losses = history["loss"]
    assert len(losses) == 30 and all(np.isfinite(losses))
    assert losses[-1] < 0.1 * losses[0]  # it falls about a hundredfold

    # micrograd's loop over the same batches (the same shuffles, from the same seed)
    opt = SGD(reference.parameters(), lr=0.05)
    loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=0)
    hand_losses = []
    for _ in range(30):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            scores = [reference([Value(a), Value(b)]) for a, b in xb.data.tolist()]
            loss = squared_error(scores, yb.data.tolist())
            loss.backward()
            opt.step()
            total += loss.data * len(yb)
        hand_losses.append(total / len(y))
    trained = [p.data for p in model.parameters()]
    by_hand = [p.data for p in reference.parameters()]
    assert len(trained) == len(by_hand) == 6 * 3 + 7
    assert max(abs(a - b) for a, b in zip(trained, by_hand)) <= 1e-12
    np.testing.assert_allclose(losses, hand_losses, rtol=0, atol=1e-12)


def test_scalar_model_validation_metrics_and_evaluate():
    X, y = make_moons(24, noise=0.1, seed=1, labels="pm1")
    X, y = X.astype(np.float64), y.astype(np.float64)
    model = scalar_mlp()
    history = fit(
        model,
        squared_error,
        Adam(model.parameters(), lr=0.05),
        (X, y),
        epochs=5,
        val=(X[:10], y[:10]),
        metrics=["accuracy", "mse"],
        progress=False,
        seed=0,
    )
    assert set(history.history) == {
        "loss",
        "accuracy",
        "mse",
        "val_loss",
        "val_accuracy",
        "val_mse",
        "lr",
    }
    # the validation numbers are the trained model's, computed here by hand
    scores = [model([Value(a), Value(b)]).data for a, b in X[:10].tolist()]
    by_hand = np.mean((np.array(scores) - y[:10]) ** 2)
    assert history["val_loss"][-1] == pytest.approx(by_hand, rel=1e-12)
    assert history["val_mse"][-1] == pytest.approx(by_hand, rel=1e-12)
    right = np.mean((np.array(scores) > 0) == (y[:10] > 0))
    assert history["val_accuracy"][-1] == pytest.approx(right)
    result = evaluate(model, squared_error, (X[:10], y[:10]), metrics=["mse"])
    assert result["loss"] == pytest.approx(by_hand, rel=1e-12)
    assert model.training  # left in the mode it had


def test_scalar_model_with_one_output_per_class_is_scored_by_argmax():
    X, y = make_moons(16, noise=0.1, seed=2)  # labels 0 and 1
    random.seed(1)
    model = nn.MLP(2, [4, 2])

    def loss(outputs, targets):  # summed: a score per class, the target's 1, the other's 0
        return sum((o[0] - (1 - t)) ** 2 + (o[1] - t) ** 2 for o, t in zip(outputs, targets))

    history = fit(
        model,
        loss,
        SGD(model.parameters(), lr=0.0),  # no change: the epoch's outputs are the model's now
        (X, y),
        epochs=1,
        batch_size=16,
        shuffle=False,
        metrics=["accuracy"],
        progress=False,
    )
    scores = np.array([[s.data for s in model([Value(a), Value(b)])] for a, b in X.tolist()])
    assert scores.shape == (16, 2)
    assert history["accuracy"][0] == pytest.approx(np.mean(scores.argmax(axis=1) == y))
    assert history["loss"][0] == pytest.approx(
        np.sum((scores[:, 0] - (1 - y)) ** 2 + (scores[:, 1] - y) ** 2), rel=1e-12
    )
