"""micrograd's scalar models: ``Neuron``, ``Layer`` and ``MLP`` built from ``autograd.Value``.

Call signatures, initialisation (``random.uniform(-1, 1)`` weights, zero bias; seed it with
``random.seed``), ``parameters()`` (a list: each neuron's ``w`` then ``b``, neurons and layers in
order), reprs and behaviour are micrograd's, so its code runs unchanged; ``activation=`` adds a
choice of non-linearity.

They are also full Modules whose parameters are Values: micrograd's lists stay plain
lists (``neuron.w``, ``layer.neurons``, ``mlp.layers``) and are shown to ``Module`` through its
two traversal hooks, with the names PyTorch would give list items: ``named_parameters()`` yields
``layers.0.neurons.1.w.0`` ... ``layers.0.neurons.1.b``, ``named_modules()`` yields
``layers.0``, ``layers.0.neurons.1`` ..., and ``state_dict()`` maps those names to 0-d float64
Tensors that ``load_state_dict`` writes back into ``Value.data``. As in micrograd, ``__call__``
is where each class computes (``forward`` is the same method, for PyTorch habits): a subclass
that changes the computation overrides ``__call__``.
"""

from __future__ import annotations

import random

from autograd import Value, linear

from .module import Module

_ACTIVATIONS = {
    "relu": ("ReLU", Value.relu),
    "tanh": ("Tanh", Value.tanh),
    "sigmoid": ("Sigmoid", Value.sigmoid),
}


def _check_activation(activation: str) -> None:
    if activation not in _ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(_ACTIVATIONS)}")


class Neuron(Module):
    """One unit: ``activation(w · x + b)`` for an input list ``x`` of ``nin`` numbers or Values.

    With ``nonlin=False`` the neuron is linear (no activation), as micrograd's output layer.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from autograd import Value
    >>> neuron = nn.Neuron(2, activation='tanh')
    >>> y = neuron([Value(0.5), Value(-0.5)])
    >>> type(y).__name__, -1 < y.data < 1, len(neuron.w)
    ('Value', True, 2)
    """

    def __init__(self, nin: int, nonlin: bool = True, activation: str = "relu") -> None:
        _check_activation(activation)
        super().__init__()
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin
        self.activation = activation

    def __call__(self, x) -> Value:
        act = linear(x, self.w, self._parameters["b"])  # one node for b + Σ wᵢ xᵢ
        return _ACTIVATIONS[self.activation][1](act) if self.nonlin else act

    forward = __call__

    def parameters(self, recurse: bool = True) -> list[Value]:
        """The neuron's weights and then its bias, as Values (a list).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> len(list(nn.Neuron(3).parameters()))  # 3 weights and a bias
        4
        """
        return list(super().parameters(recurse))

    def _named_local_parameters(self):
        for i, w in enumerate(self.w):
            yield f"w.{i}", w
        yield from self._parameters.items()  # b, and any parameter a subclass adds

    def __repr__(self) -> str:
        kind = _ACTIVATIONS[self.activation][0] if self.nonlin else "Linear"
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; one output comes back as a Value.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> _ = autograd.manual_seed(0)
    >>> layer = nn.Layer(2, 3)
    >>> len(layer([1.0, -1.0])), len(list(layer.parameters()))
    (3, 9)
    """

    def __init__(self, nin: int, nout: int, **kwargs) -> None:
        super().__init__()
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    forward = __call__

    def parameters(self, recurse: bool = True) -> list[Value]:
        """Every weight and bias of the layer's neurons, as Values (a list).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> len(list(nn.Layer(2, 3).parameters()))  # 3 neurons, 2 weights and a bias each
        9
        """
        return list(super().parameters(recurse))

    def _named_local_children(self):
        for i, neuron in enumerate(self.neurons):
            yield f"neurons.{i}", neuron
        yield from self._modules.items()

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes ``nouts`` after ``nin`` inputs; every layer but the last is non-linear.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> from autograd import Value
    >>> _ = autograd.manual_seed(0)
    >>> model = nn.MLP(2, [4, 4, 1])
    >>> out = model([Value(1.0), Value(-1.0)])
    >>> isinstance(out, Value), len(list(model.parameters()))
    (True, 37)
    """

    def __init__(self, nin: int, nouts: list[int], activation: str = "relu") -> None:
        super().__init__()
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, activation=activation)
            for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    forward = __call__

    def parameters(self, recurse: bool = True) -> list[Value]:
        """Every weight and bias of every layer, as Values (a list).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> len(list(nn.MLP(2, [3, 1]).parameters()))  # (2 + 1) * 3 + (3 + 1) * 1
        13
        """
        return list(super().parameters(recurse))

    def _named_local_children(self):
        for i, layer in enumerate(self.layers):
            yield f"layers.{i}", layer
        yield from self._modules.items()

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
