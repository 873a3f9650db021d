"""Functions of tensors for building networks, as ``torch.nn.functional`` names them.

``import nn.functional as F`` and then ``F.relu(x)``, ``F.cross_entropy(logits, y)``,
``F.conv2d(x, w)``: stateless operations that the layers in ``nn`` wrap, written with
``autograd``'s public API only.
"""

from .activation import (
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    logsigmoid,
    mish,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from .attention import multi_head_attention_forward, scaled_dot_product_attention
from .conv import conv1d, conv2d, conv3d
from .dropout import dropout
from .embedding import embedding
from .encoding import one_hot
from .linear import linear
from .loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_embedding_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    svm_max_margin_loss,
)
from .normalization import batch_norm, group_norm, layer_norm, rms_norm
from .pooling import avg_pool1d, avg_pool2d, avg_pool3d, max_pool1d, max_pool2d, max_pool3d
from .shape import flatten

__all__ = [
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv1d",
    "conv2d",
    "conv3d",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "flatten",
    "gelu",
    "group_norm",
    "hardtanh",
    "hinge_embedding_loss",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "logsigmoid",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "mish",
    "mse_loss",
    "multi_head_attention_forward",
    "nll_loss",
    "one_hot",
    "relu",
    "rms_norm",
    "scaled_dot_product_attention",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "svm_max_margin_loss",
    "tanh",
]
