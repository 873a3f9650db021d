"""``Adam``: steps from bias-corrected running averages of the gradient and its square."""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer, _check, _lerp_


def _check_adam_options(lr, betas, eps, weight_decay) -> tuple[float, float]:
    _check(lr >= 0.0, f"Invalid learning rate: {lr}")
    _check(eps >= 0.0, f"Invalid epsilon value: {eps}")
    beta1, beta2 = betas
    _check(0.0 <= beta1 < 1.0, f"Invalid beta parameter at index 0: {beta1}")
    _check(0.0 <= beta2 < 1.0, f"Invalid beta parameter at index 1: {beta2}")
    _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
    return float(beta1), float(beta2)


class Adam(Optimizer):
    """Adam (PyTorch's ``torch.optim.Adam``, same rule and defaults).

    With ``g`` the gradient (negated when ``maximize``) and ``t`` the step count from 1::

        p = p * (1 - lr * weight_decay)  if decoupled_weight_decay (AdamW)
        g = g + weight_decay * p          otherwise
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)             (amsgrad: v_max replaces v below)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    State per parameter: ``step``, ``exp_avg``, ``exp_avg_sq``, and ``max_exp_avg_sq``
    (amsgrad).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
    >>> opt = nn.optim.Adam([w], lr=0.1)
    >>> for _ in range(200):
    ...     opt.zero_grad()
    ...     loss = ((w - 3) ** 2).sum()
    ...     loss.backward()
    ...     _ = opt.step()
    >>> round(w.item(), 4)
    3.0001
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        betas = _check_adam_options(lr, betas, eps, weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _update(self, group, param, grad, state) -> None:
        amsgrad = group["amsgrad"]
        if not state:
            state["step"] = 0.0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        step = state["step"]
        if group["maximize"]:
            grad = -grad
        lr, weight_decay = group["lr"], group["weight_decay"]
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * param
        beta1, beta2 = group["betas"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        _lerp_(exp_avg, grad, 1 - beta1)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if amsgrad:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            denom = np.sqrt(max_exp_avg_sq) / bias_correction2_sqrt + group["eps"]
        else:
            denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + group["eps"]
        param += -step_size * exp_avg / denom
