"""nn.optim.lr_scheduler against torch.optim.lr_scheduler: the same learning rates, step by step.

Both run pure Python float arithmetic in the same order, so the rates are compared exactly.
"""

import math
import warnings

import numpy as np
import pytest
import torch

from autograd import Tensor, Value
from nn.optim import SGD, Adam, lr_scheduler
from nn.optim.lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LRScheduler,
    ReduceLROnPlateau,
    StepLR,
)

STEPS = 40


def _optimizers(lrs=(0.1, 0.03)):
    """Our SGD and torch's, each with one group per learning rate."""
    ours = SGD([{"params": [Tensor(np.zeros(2), requires_grad=True)], "lr": lr} for lr in lrs])
    theirs = torch.optim.SGD(
        [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in lrs]
    )
    return ours, theirs


def _lrs(optimizer):
    return [group["lr"] for group in optimizer.param_groups]


SCHEDULERS = [
    ("StepLR", {"step_size": 7}),
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [5, 12, 12, 30]}),
    ("MultiStepLR", {"milestones": [2, 20], "gamma": 0.7}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("CosineAnnealingLR", {"T_max": 15, "eta_min": 0.001}),
    ("CosineAnnealingLR", {"T_max": 1, "eta_min": 0.01}),
]


@pytest.mark.parametrize("name, kwargs", SCHEDULERS)
def test_schedule_matches_torch(name, kwargs):
    opt, topt = _optimizers()
    sched = getattr(lr_scheduler, name)(opt, **kwargs)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.03]
    assert sched.base_lrs == tsched.base_lrs == [0.1, 0.03]
    assert sched.last_epoch == tsched.last_epoch == 0
    assert sched.get_last_lr() == tsched.get_last_lr() == [0.1, 0.03]
    seen = set()
    for _ in range(STEPS):
        opt.step()
        topt.step()
        sched.step()
        tsched.step()
        assert sched.get_last_lr() == tsched.get_last_lr()
        assert _lrs(opt) == _lrs(topt)
        assert sched.last_epoch == tsched.last_epoch
        seen.add(sched.get_last_lr()[0])
    assert len(seen) > 1  # the rate did change
    state = sched.state_dict()
    for key, value in tsched.state_dict().items():
        if not key.startswith("_"):
            assert state[key] == value, key
    assert "optimizer" not in state


def test_cosine_annealing_reaches_eta_min_at_t_max_and_comes_back():
    opt, _ = _optimizers(lrs=(1.0,))
    sched = CosineAnnealingLR(opt, T_max=8, eta_min=0.1)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(16):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    for t, lr in enumerate(lrs):
        assert lr == pytest.approx(0.1 + 0.9 * (1 + math.cos(math.pi * t / 8)) / 2)
    assert lrs[8] == pytest.approx(0.1) and lrs[16] == pytest.approx(1.0)


def test_two_schedulers_on_one_optimizer_chain_like_torch():
    opt, topt = _optimizers()
    ours = [StepLR(opt, 4, gamma=0.5), ExponentialLR(opt, 0.95)]
    theirs = [
        torch.optim.lr_scheduler.StepLR(topt, 4, gamma=0.5),
        torch.optim.lr_scheduler.ExponentialLR(topt, 0.95),
    ]
    for _ in range(STEPS):
        opt.step()
        topt.step()
        for s in ours + theirs:
            s.step()
        assert _lrs(opt) == _lrs(topt)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("StepLR", {"step_size": 4}),
        ("MultiStepLR", {"milestones": [3, 6]}),
        ("ExponentialLR", {"gamma": 0.8}),
        ("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.01}),
    ],
)
def test_explicit_epoch_uses_the_closed_form_with_torchs_warning(name, kwargs):
    opt, topt = _optimizers()
    sched = getattr(lr_scheduler, name)(opt, **kwargs)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    opt.step()
    topt.step()
    for epoch in (7, 3, 12):
        with pytest.warns(UserWarning, match="epoch parameter"):
            sched.step(epoch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tsched.step(epoch)
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-15)


def test_scheduler_state_dict_round_trip():
    opt, _ = _optimizers()
    sched = CosineAnnealingLR(opt, T_max=12, eta_min=0.002)
    for _ in range(5):
        opt.step()
        sched.step()
    saved = sched.state_dict()
    saved_opt = opt.state_dict()

    other_opt, _ = _optimizers()
    other = CosineAnnealingLR(other_opt, T_max=1)
    other_opt.load_state_dict(saved_opt)
    other.load_state_dict(saved)
    assert other.T_max == 12 and other.last_epoch == 5
    for _ in range(20):
        opt.step()
        other_opt.step()
        sched.step()
        other.step()
        assert other.get_last_lr() == sched.get_last_lr()


def test_resuming_with_last_epoch_needs_initial_lr():
    opt, topt = _optimizers()
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(opt, 3, last_epoch=4)
    sched = StepLR(opt, 3)
    tsched = torch.optim.lr_scheduler.StepLR(topt, 3)
    resumed = StepLR(opt, 3, last_epoch=4)
    tresumed = torch.optim.lr_scheduler.StepLR(topt, 3, last_epoch=4)
    assert resumed.last_epoch == tresumed.last_epoch == 5
    assert resumed.base_lrs == sched.base_lrs == tsched.base_lrs
    assert resumed.get_last_lr() == tresumed.get_last_lr()


def test_scheduler_errors_and_warnings():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        StepLR([], 3)
    with pytest.raises(TypeError, match="is not an Optimizer"):
        ReduceLROnPlateau(object())
    opt, _ = _optimizers()
    sched = ExponentialLR(opt, 0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()
    with pytest.raises(NotImplementedError):
        LRScheduler(opt)
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode sideways is unknown"):
        ReduceLROnPlateau(opt, mode="sideways")
    with pytest.raises(ValueError, match="threshold mode rel2 is unknown"):
        ReduceLROnPlateau(opt, threshold_mode="rel2")
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        ReduceLROnPlateau(opt, min_lr=[0.1])


# -- ReduceLROnPlateau ---------------------------------------------------------------------------

PLATEAU_METRIC = (
    [1.0, 0.8, 0.6, 0.5]  # improving
    + [0.5] * 6  # a plateau
    + [0.49999, 0.4, 0.3]  # a tiny (below threshold) then real improvement
    + [0.31, 0.32, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]  # worse, then flat
    + [0.2] * 17  # one step down, then flat for long enough to hit min_lr
)


@pytest.mark.parametrize(
    "kwargs, metric",
    [
        ({"patience": 2}, PLATEAU_METRIC),
        ({"patience": 2, "cooldown": 3}, PLATEAU_METRIC),
        ({"patience": 1, "factor": 0.5, "min_lr": 0.02}, PLATEAU_METRIC),
        ({"patience": 1, "factor": 0.5, "min_lr": [0.04, 0.001], "cooldown": 1}, PLATEAU_METRIC),
        ({"patience": 3, "threshold_mode": "abs", "threshold": 0.05}, PLATEAU_METRIC),
        ({"patience": 0, "eps": 0.02}, PLATEAU_METRIC),
        ({"mode": "max", "patience": 2}, [2 - m for m in PLATEAU_METRIC]),
        ({"mode": "max", "patience": 1, "threshold_mode": "abs"}, [1 - m for m in PLATEAU_METRIC]),
        ({}, PLATEAU_METRIC),
    ],
)
def test_reduce_on_plateau_matches_torch(kwargs, metric):
    opt, topt = _optimizers()
    sched = ReduceLROnPlateau(opt, **kwargs)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    assert sched.get_last_lr() == tsched.get_last_lr()
    assert "initial_lr" not in opt.param_groups[0]  # torch's ReduceLROnPlateau sets none either
    reductions = 0
    for value in metric:
        before = _lrs(opt)
        opt.step()
        topt.step()
        sched.step(value)
        tsched.step(value)
        reductions += _lrs(opt) != before
        assert _lrs(opt) == _lrs(topt)
        assert sched.get_last_lr() == tsched.get_last_lr()
        assert sched.num_bad_epochs == tsched.num_bad_epochs
        assert sched.cooldown_counter == tsched.cooldown_counter
        assert sched.best == tsched.best
        assert sched.last_epoch == tsched.last_epoch
    assert reductions >= 1


def test_reduce_on_plateau_respects_min_lr_and_takes_tensor_and_value_metrics():
    opt, _ = _optimizers()
    sched = ReduceLROnPlateau(opt, patience=0, factor=0.5, min_lr=[0.05, 0.01])
    for metric in [Value(1.0), Tensor(np.array(1.0)), 1.0, np.float64(1.0), 1.0, 1.0, 1.0]:
        sched.step(metric)
    assert _lrs(opt) == [0.05, 0.01]
    with pytest.raises(TypeError, match="metric must be a number"):
        sched.step(object())


def test_reduce_on_plateau_state_dict_round_trip():
    opt = Adam([Value(0.0)], lr=0.1)
    sched = ReduceLROnPlateau(opt, mode="max", patience=1)
    for m in [1.0, 2.0, 2.0, 2.0]:
        sched.step(m)
    saved = sched.state_dict()
    other = ReduceLROnPlateau(Adam([Value(0.0)], lr=0.1))
    other.load_state_dict(saved)
    assert other.mode == "max" and other.best == 2.0 and other.mode_worse == -math.inf
    assert other.num_bad_epochs == sched.num_bad_epochs
