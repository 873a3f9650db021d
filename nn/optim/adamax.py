"""``Adamax``: Adam with the infinity norm in place of the running mean square."""

from __future__ import annotations

import numpy as np

from .adam import _check_adam_options
from .optimizer import Optimizer, _lerp_


class Adamax(Optimizer):
    """Adamax (PyTorch's ``torch.optim.Adamax``, same rule and defaults).

    With ``g`` the gradient (negated when ``maximize``) and ``t`` the step count from 1::

        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, |g| + eps)
        p = p - lr / (1 - beta1**t) * m / u

    State per parameter: ``step``, ``exp_avg``, ``exp_inf``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
    >>> opt = nn.optim.Adamax([w], lr=0.1)
    >>> for _ in range(200):
    ...     opt.zero_grad()
    ...     loss = ((w - 3) ** 2).sum()
    ...     loss.backward()
    ...     _ = opt.step()
    >>> round(w.item(), 4)
    2.9999
    """

    def __init__(
        self,
        params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        *,
        maximize: bool = False,
    ) -> None:
        betas = _check_adam_options(lr, betas, eps, weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, group, param, grad, state) -> None:
        if not state:
            state["step"] = 0.0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_inf"] = np.zeros_like(param)
        state["step"] += 1
        if group["maximize"]:
            grad = -grad
        weight_decay = group["weight_decay"]
        if weight_decay != 0:
            grad = grad + weight_decay * param
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        _lerp_(exp_avg, grad, 1 - beta1)
        exp_inf *= beta2
        np.maximum(exp_inf, np.abs(grad) + group["eps"], out=exp_inf)
        clr = group["lr"] / (1 - beta1 ** state["step"])
        param += -clr * exp_avg / exp_inf
