"""``Parameter``: a Tensor that a ``Module`` registers as trainable when assigned to it."""

from __future__ import annotations

import numpy as np

from autograd import Tensor

_DATA_SLOT = Tensor.data  # the slot descriptor that holds a Tensor's array


class Parameter(Tensor):
    """A leaf Tensor that asks for gradients; assigning one to a ``Module`` attribute registers it.

    ``Parameter(data=None, requires_grad=True)``, as in PyTorch. ``data`` is a Tensor (its array
    is shared, not copied), an ndarray (kept as it is, dtype included) or a number or nested list
    (floats become float32). With no data the parameter is empty, shape ``(0,)``.

    A Parameter is always a leaf, even when made from the result of an operation.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> w = nn.Parameter(autograd.zeros(2, 3))
    >>> w.requires_grad, w.is_leaf, w.shape
    (True, True, (2, 3))
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty((0,), dtype=np.float32)
        self._initialize(data, requires_grad, None, "", copy=False)

    # ``p.data`` stays an ndarray: assigning a Tensor stores its array (torch's ``p.data = t``
    # shares t's storage). A property on Parameter only, so plain Tensors keep a slot's speed;
    # its getter is the slot's own (C) one, as every operation on a parameter reads ``data``.
    data = property(
        _DATA_SLOT.__get__,
        lambda self, value: _DATA_SLOT.__set__(
            self, value.data if isinstance(value, Tensor) else value
        ),
        doc="The parameter's ndarray; assigning a Tensor stores the Tensor's array.",
    )

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
