"""chainrule's neural-network library, built on ``autograd``'s public API."""

from . import init
from .containers import ModuleList, Sequential
from .module import Module
from .parameter import Parameter
from .scalar import MLP, Layer, Neuron
from .serialization import load, save

__all__ = [
    "MLP",
    "Layer",
    "Module",
    "ModuleList",
    "Neuron",
    "Parameter",
    "Sequential",
    "init",
    "load",
    "save",
]
