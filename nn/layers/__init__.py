"""Tensor layers with PyTorch's names, arguments, parameters, buffers, initialisation and reprs.

Each layer is a ``Module`` that keeps its settings and parameters and calls ``nn.functional``
in ``forward``; a model built from them has the state dict of the same model built from
``torch.nn`` (keys, shapes, dtypes), so weights load both ways.
"""

from .activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    Mish,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .attention import MultiheadAttention
from .conv import Conv1d, Conv2d
from .dropout import Dropout
from .embedding import Embedding
from .flatten import Flatten, Unflatten
from .layer_norm import GroupNorm, LayerNorm, RMSNorm
from .linear import Identity, Linear
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeEmbeddingLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from .normalization import BatchNorm1d, BatchNorm2d
from .pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from .recurrent import GRU, LSTM, RNN, RNNBase

__all__ = [
    "AvgPool1d",
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "ELU",
    "Embedding",
    "Flatten",
    "GELU",
    "GRU",
    "GroupNorm",
    "Hardtanh",
    "HingeEmbeddingLoss",
    "Identity",
    "L1Loss",
    "LSTM",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool1d",
    "MaxPool2d",
    "Mish",
    "MultiheadAttention",
    "NLLLoss",
    "RMSNorm",
    "RNN",
    "RNNBase",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
    "Unflatten",
]
