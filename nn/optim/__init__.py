"""Optimizers and learning-rate schedulers with PyTorch's names, defaults and update rules.

``SGD``, ``Adagrad``, ``Adadelta``, ``RMSprop``, ``Adam``, ``AdamW`` and ``Adamax`` update
Tensors (in place) and scalar Values alike; ``lr_scheduler`` holds the schedulers.

Example::

    opt = nn.optim.Adam(model.parameters(), lr=1e-2)
    for x, y in data:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
"""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Optimizer",
    "RMSprop",
    "lr_scheduler",
]
