"""Learning-rate schedulers: change each group's ``"lr"`` as training goes (PyTorch's rules).

Call ``scheduler.step()`` once per epoch, after ``optimizer.step()``; ``ReduceLROnPlateau``
takes the validation metric: ``scheduler.step(val_loss)``. Each scheduler computes the next rate
from the current one (PyTorch's recursive, "chainable" form), so its values are PyTorch's to the
last bit, and two schedulers on one optimizer compose.
"""

from __future__ import annotations

import math
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import Any

from autograd import parameters

from .optimizer import Optimizer

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated "
    "where possible. Please use `scheduler.step()` to step the scheduler. During the "
    "deprecation, if epoch is different from None, the closed form is used instead of the new "
    "chainable form, where available."
)


class LRScheduler:
    """Base of the schedulers (PyTorch's ``torch.optim.lr_scheduler.LRScheduler``).

    Building one records each group's starting rate as ``group["initial_lr"]`` (kept in
    ``base_lrs``) and takes the first step, ``last_epoch = 0``. A subclass implements
    ``get_lr()``: the rates for ``last_epoch`` from the current ones.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose groups' ``"lr"`` this scheduler sets.
    last_epoch : int
        The index of the last epoch; -1 (the default) starts a schedule, a larger value
        resumes one (the groups must then have ``"initial_lr"``).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from nn.optim import lr_scheduler
    >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
    >>> class Halve(lr_scheduler.LRScheduler):
    ...     def get_lr(self):
    ...         return [group['lr'] / 2 for group in self.optimizer.param_groups]
    >>> sched = Halve(opt)
    >>> rates = []
    >>> for epoch in range(4):
    ...     rates.append(round(sched.get_last_lr()[0], 4))
    ...     opt.step()
    ...     sched.step()
    >>> rates
    [0.5, 0.25, 0.125, 0.0625]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when "
                        "resuming scheduler with last_epoch >= 0; load the optimizer's state "
                        "dict first, or start the schedule with last_epoch=-1"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """The rates for ``last_epoch``, computed from the current ones (used by ``step``).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> sched.get_lr()
        [0.5]
        """
        raise NotImplementedError(f"{type(self).__name__} must implement get_lr")

    def get_last_lr(self) -> list[float]:
        """The rates the last ``step()`` set, one per parameter group.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
        >>> opt.step()
        >>> sched.step()
        >>> sched.get_last_lr()
        [0.1]
        """
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance the schedule by one epoch and write the new rates into the groups.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.MultiStepLR(opt, milestones=[2], gamma=0.1)
        >>> rates = []
        >>> for epoch in range(4):
        ...     rates.append(round(sched.get_last_lr()[0], 4))
        ...     opt.step()
        ...     sched.step()
        >>> rates
        [1.0, 1.0, 0.1, 0.1]
        """
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch "
                "1.1.0 and later, you should call them in the opposite order: "
                "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will "
                "result in PyTorch skipping the first value of the learning rate schedule.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
            self.last_epoch = epoch
            values = self._get_closed_form_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return self.get_lr()

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything the scheduler holds except the optimizer.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.StepLR(opt, step_size=2)
        >>> sorted(sched.state_dict())
        ['_is_initial', '_last_lr', '_step_count', 'base_lrs', 'gamma', 'last_epoch', 'step_size']
        """
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state from ``state_dict()``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.StepLR(opt, step_size=2)
        >>> opt.step()
        >>> sched.step()
        >>> other = lr_scheduler.StepLR(opt, step_size=2)
        >>> other.load_state_dict(sched.state_dict())
        >>> other.last_epoch
        1
        """
        self.__dict__.update(state_dict)


class StepLR(LRScheduler):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from nn.optim import lr_scheduler
    >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
    >>> sched = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for epoch in range(5):
    ...     rates.append(round(sched.get_last_lr()[0], 4))
    ...     opt.step()
    ...     sched.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates for ``last_epoch``: ``gamma`` times the rate every ``step_size`` epochs.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        >>> sched.get_lr()
        [1.0]
        """
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs
        ]


class MultiStepLR(LRScheduler):
    """Multiply the rate by ``gamma`` at each epoch listed in ``milestones``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from nn.optim import lr_scheduler
    >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
    >>> sched = lr_scheduler.MultiStepLR(opt, milestones=[1, 3], gamma=0.1)
    >>> rates = []
    >>> for epoch in range(4):
    ...     rates.append(round(sched.get_last_lr()[0], 4))
    ...     opt.step()
    ...     sched.step()
    >>> rates
    [1.0, 0.1, 0.1, 0.01]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates for ``last_epoch``: ``gamma`` times the rate at each milestone (for ``step``).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.MultiStepLR(opt, milestones=[1], gamma=0.1)
        >>> sched.get_lr()
        [1.0]
        """
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        milestones = sorted(self.milestones.elements())
        return [
            base_lr * self.gamma ** bisect_right(milestones, self.last_epoch)
            for base_lr in self.base_lrs
        ]


class ExponentialLR(LRScheduler):
    """Multiply the rate by ``gamma`` every epoch.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from nn.optim import lr_scheduler
    >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
    >>> sched = lr_scheduler.ExponentialLR(opt, gamma=0.9)
    >>> rates = []
    >>> for epoch in range(3):
    ...     rates.append(round(sched.get_last_lr()[0], 4))
    ...     opt.step()
    ...     sched.step()
    >>> rates
    [1.0, 0.9, 0.81]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates for ``last_epoch``: ``gamma`` times the rate (used by ``step``).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.ExponentialLR(opt, gamma=0.9)
        >>> sched.get_lr()
        [0.9]
        """
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Anneal the rate from its initial value to ``eta_min`` along a half cosine of ``T_max``.

    ``lr_t = eta_min + (initial_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2``, computed, as
    in PyTorch, recursively from the previous rate; past ``T_max`` it climbs back up (SGDR
    without restarts).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from nn.optim import lr_scheduler
    >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
    >>> sched = lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    >>> rates = []
    >>> for epoch in range(5):
    ...     rates.append(round(sched.get_last_lr()[0], 4))
    ...     opt.step()
    ...     sched.step()
    >>> rates
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates for ``last_epoch``: the next rate on the half cosine (used by ``step``).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.CosineAnnealingLR(opt, T_max=2)
        >>> opt.step()
        >>> sched.step()  # calls get_lr()
        >>> sched.get_last_lr()
        [0.5]
        """
        t, T_max, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if self._step_count == 1 and t > 0:
            return [
                eta_min + (base_lr - eta_min) * (1 + math.cos(t * math.pi / T_max)) / 2
                for base_lr in self.base_lrs
            ]
        if (t - 1 - T_max) % (2 * T_max) == 0:
            return [
                lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
                for base_lr, lr in zip(self.base_lrs, self._current_lrs())
            ]
        return [
            (1 + math.cos(math.pi * t / T_max))
            / (1 + math.cos(math.pi * (t - 1) / T_max))
            * (lr - eta_min)
            + eta_min
            for lr in self._current_lrs()
        ]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            self.eta_min
            + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
            for base_lr in self.base_lrs
        ]


class ReduceLROnPlateau(LRScheduler):
    """Multiply the rate by ``factor`` when a metric has stopped improving for ``patience`` epochs.

    Call ``step(metric)`` once per epoch with, say, the validation loss. An epoch improves on
    the best so far when the metric beats it by more than ``threshold`` (relative to the best,
    ``threshold_mode="rel"``, or absolute, ``"abs"``); ``mode="max"`` for metrics that should
    grow (accuracy). After a reduction, ``cooldown`` epochs pass before bad epochs count again.
    A rate never goes below ``min_lr`` (a number, or one per group), and a change smaller than
    ``eps`` is skipped.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from nn.optim import lr_scheduler
    >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
    >>> sched = lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    >>> for loss in [1.0, 0.9, 0.9, 0.9, 0.9]:
    ...     sched.step(loss)
    >>> sched.get_last_lr()
    [0.5]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: list[float] | float = 0,
        eps: float = 1e-8,
    ) -> None:
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = factor
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(
                    f"expected {len(optimizer.param_groups)} min_lrs, got {len(min_lr)}"
                )
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = self._current_lrs()
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics, epoch: int | None = None) -> None:  # type: ignore[override]
        """Record this epoch's metric (a number, 1-element Tensor or Value); reduce if due.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.ReduceLROnPlateau(opt, mode='max', patience=0)
        >>> sched.step(0.8)
        >>> sched.step(0.7)
        >>> sched.get_last_lr()
        [0.1]
        """
        current = _as_float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs "
                    f"from when `ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), "
                    "usually due to a new param group being added to the optimizer. Please "
                    "modify the `min_lrs` field to match the length of the `optimizer` param "
                    "groups."
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for i, group in enumerate(groups):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, self.min_lrs[i])
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    @property
    def in_cooldown(self) -> bool:
        """Whether the rate was reduced less than ``cooldown`` epochs ago (no reduction then).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0, cooldown=2)
        >>> sched.step(1.0)
        >>> sched.step(2.0)
        >>> sched.in_cooldown
        True
        """
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min" and self.threshold_mode == "abs":
            return a < best - self.threshold
        if self.mode == "max" and self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        if mode not in {"min", "max"}:
            raise ValueError(f"mode {mode} is unknown! Use 'min' or 'max'")
        if threshold_mode not in {"rel", "abs"}:
            raise ValueError(f"threshold mode {threshold_mode} is unknown! Use 'rel' or 'abs'")
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state from ``state_dict()`` (the options and the best value so far).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> from nn.optim import lr_scheduler
        >>> opt = nn.optim.SGD([nn.Parameter(autograd.zeros(1))], lr=1.0)
        >>> sched = lr_scheduler.ReduceLROnPlateau(opt, patience=3)
        >>> sched.step(1.0)
        >>> other = lr_scheduler.ReduceLROnPlateau(opt)
        >>> other.load_state_dict(sched.state_dict())
        >>> other.patience, other.best
        (3, 1.0)
        """
        self.__dict__.update(state_dict)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)


def _as_float(metric) -> float:
    """A metric as a float: numbers, 1-element arrays and Tensors, and Values."""
    try:
        return float(metric)  # numbers, arrays and Tensors of one element
    except TypeError:
        if parameters.is_node(metric):  # a Value (it has no __float__)
            return float(parameters.data_array(metric))
        raise TypeError(
            f"ReduceLROnPlateau.step: the metric must be a number, got {type(metric).__name__}"
        ) from None
