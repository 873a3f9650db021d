"""chainrule's engine: reverse-mode automatic differentiation on scalars and tensors."""

from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .graph import grad
from .value import Value, linear

__all__ = [
    "Value",
    "enable_grad",
    "grad",
    "linear",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
