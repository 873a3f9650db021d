"""chainrule's neural-network library, built on ``autograd``'s public API."""

from .module import Module
from .scalar import MLP, Layer, Neuron

__all__ = ["MLP", "Layer", "Module", "Neuron"]
