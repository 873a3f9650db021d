"""chainrule's neural-network library, built on ``autograd``'s public API."""

from . import datasets, init, optim
from .containers import ModuleList, Sequential
from .data import DataLoader, Dataset, Subset, TensorDataset, random_split
from .module import Module
from .parameter import Parameter
from .scalar import MLP, Layer, Neuron
from .serialization import load, save

__all__ = [
    "DataLoader",
    "Dataset",
    "MLP",
    "Layer",
    "Module",
    "ModuleList",
    "Neuron",
    "Parameter",
    "Sequential",
    "Subset",
    "TensorDataset",
    "datasets",
    "init",
    "load",
    "optim",
    "random_split",
    "save",
]
