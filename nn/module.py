"""``Module``: the base of every model, holding parameters and giving them back for training."""

from __future__ import annotations


class Module:
    """Base of models: ``parameters()`` lists the trainable nodes, ``zero_grad()`` resets them."""

    def parameters(self) -> list:
        """The trainable nodes of this module (Values), in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Reset the gradient of every parameter before the next backward pass."""
        for parameter in self.parameters():
            parameter.grad = 0.0
