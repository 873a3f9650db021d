"""``Adagrad``: per-coordinate learning rates from the running sum of squared gradients."""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer, _check, _state_like


class Adagrad(Optimizer):
    """Adagrad (PyTorch's ``torch.optim.Adagrad``, same rule and defaults).

    With ``g`` the gradient (negated when ``maximize``) and ``t`` the step count from 1::

        g = g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        sum = sum + g * g
        p = p - clr * g / (sqrt(sum) + eps)

    State per parameter: ``step`` and ``sum`` (filled with ``initial_accumulator_value``),
    created when the optimizer is built, as PyTorch does.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
    >>> opt = nn.optim.Adagrad([w], lr=1.0)
    >>> for _ in range(100):
    ...     opt.zero_grad()
    ...     loss = ((w - 3) ** 2).sum()
    ...     loss.backward()
    ...     _ = opt.step()
    >>> round(w.item(), 4)
    3.0
    """

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        _check(lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(
            initial_accumulator_value >= 0.0,
            f"Invalid initial_accumulator_value value: {initial_accumulator_value}",
        )
        _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "maximize": maximize,
        }
        super().__init__(params, defaults)
        # As in PyTorch: state is made here for the first groups, and every sum starts from the
        # constructor's initial_accumulator_value (a group's own value is not used).
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {"step": 0.0, "sum": self._initial_sum(_state_like(p))}

    def _initial_sum(self, like: np.ndarray) -> np.ndarray:
        return np.full_like(like, self.defaults["initial_accumulator_value"])

    def _update(self, group, param, grad, state) -> None:
        if not state:  # a group added later: its state starts at its first step
            state["step"] = 0.0
            state["sum"] = self._initial_sum(param)
        state["step"] += 1
        step = state["step"]
        if group["maximize"]:
            grad = -grad
        weight_decay = group["weight_decay"]
        if weight_decay != 0:
            grad = grad + weight_decay * param
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state_sum = state["sum"]
        state_sum += grad * grad
        std = np.sqrt(state_sum) + group["eps"]
        param += -clr * grad / std
