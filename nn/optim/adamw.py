"""``AdamW``: Adam with weight decay applied to the parameters, not added to the gradient."""

from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    """AdamW (PyTorch's ``torch.optim.AdamW``): ``Adam`` with ``decoupled_weight_decay=True``.

    Each step first shrinks the parameter, ``p = p * (1 - lr * weight_decay)``, then takes the
    Adam step on the raw gradient, so the decay does not pass through the moment estimates.
    The default ``weight_decay`` is 1e-2.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
    >>> opt = nn.optim.AdamW([w], lr=0.1, weight_decay=0.0)
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
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )

    def _after_load(self) -> None:
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
