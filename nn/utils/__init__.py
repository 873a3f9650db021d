"""``nn.utils``, PyTorch's: gradient clipping and a model's parameters as one vector.

``nn.utils.clip_grad_norm_(model.parameters(), 1.0)`` between ``backward()`` and
``optimizer.step()``, as in torch.
"""

from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = [
    "clip_grad_norm_",
    "clip_grad_value_",
    "parameters_to_vector",
    "vector_to_parameters",
]
