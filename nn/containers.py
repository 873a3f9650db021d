"""The containers that register what they hold, PyTorch's: ``Sequential`` and ``ModuleList``
(modules in order, named ``0``, ``1``, ...), ``ModuleDict`` (modules by name), ``ParameterList``
and ``ParameterDict`` (parameters, named by position or key in ``state_dict``)."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from autograd import Tensor

from .module import Module, _addindent
from .parameter import Parameter


def _check_module(module, where: str) -> None:
    if not isinstance(module, Module):
        raise TypeError(f"{where}: {type(module).__name__} is not a Module subclass")


class _ModuleSequence(Module):
    """What ``Sequential`` and ``ModuleList`` share: modules held in order, indexed like a list."""

    def _key_at(self, index) -> str:
        size = len(self._modules)
        index = operator.index(index)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return list(self._modules)[index % size]

    def _renumber(self, modules: list) -> None:
        """Hold ``modules`` under the names ``"0"``, ``"1"``, ... (PyTorch renumbers too)."""
        object.__setattr__(self, "_modules", {str(i): m for i, m in enumerate(modules)})

    def __setitem__(self, index: int, module: Module) -> None:
        _check_module(module, f"{type(self).__name__} item")
        setattr(self, self._key_at(index), module)

    def __delitem__(self, index) -> None:
        if isinstance(index, slice):
            for key in list(self._modules)[index]:
                delattr(self, key)
        else:
            delattr(self, self._key_at(index))
        self._renumber(list(self._modules.values()))

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module


class Sequential(_ModuleSequence):
    """Modules applied one after another: ``Sequential(a, b)(x) == b(a(x))``.

    ``Sequential(*modules)`` names them ``"0"``, ``"1"``, ...; ``Sequential(OrderedDict(...))``
    (or any mapping) keeps the given names. Indexing gives a module, slicing a ``Sequential``
    that keeps the original names (as PyTorch's does: ``seq[1:]`` holds ``"1"``, ``"2"``, ...).

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> model(autograd.zeros(5, 2)).shape
    (5, 1)
    >>> model
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    """

    def __init__(self, *args) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], Mapping):
            for name, module in args[0].items():
                _check_module(module, f"Sequential entry {name!r}")
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                _check_module(module, f"Sequential argument {index}")
                self.add_module(str(index), module)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key_at(index)]

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(
                "add operator supports only objects of Sequential class, but "
                f"{type(other)} is given."
            )
        return Sequential(*self, *other)

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end, named ``str(len(self))``; returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 2))
        >>> model.append(nn.ReLU())
        Sequential(
          (0): Linear(in_features=2, out_features=2, bias=True)
          (1): ReLU()
        )
        >>> len(model)
        2
        """
        _check_module(module, "Sequential.append")
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> Sequential:
        """Append each of ``modules``; returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 2))
        >>> model.extend([nn.ReLU(), nn.Linear(2, 1)])
        Sequential(
          (0): Linear(in_features=2, out_features=2, bias=True)
          (1): ReLU()
          (2): Linear(in_features=2, out_features=1, bias=True)
        )
        >>> list(model.state_dict())
        ['0.weight', '0.bias', '2.weight', '2.bias']
        """
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Insert ``module`` before position ``index`` (names renumbered ``0..n``); returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
        >>> model.insert(1, nn.ReLU())
        Sequential(
          (0): Linear(in_features=2, out_features=2, bias=True)
          (1): ReLU()
          (2): Linear(in_features=2, out_features=1, bias=True)
        )
        >>> [type(m).__name__ for m in model]
        ['Linear', 'ReLU', 'Linear']
        """
        _check_module(module, "Sequential.insert")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += n
        items = list(self._modules.values())
        items.insert(index, module)
        self._renumber(items)
        return self

    def forward(self, input: Any) -> Any:
        for module in self._modules.values():
            input = module(input)
        return input


class ModuleList(_ModuleSequence):
    """A list of modules that ``Module`` registers (a plain list's modules are not registered).

    Indexing, ``len``, iteration, ``append``, ``extend``, ``insert``, ``del`` and slicing (a new
    ``ModuleList``, renumbered from ``0``) behave as for a list. It has no ``forward``.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    >>> len(layers), len(list(layers.parameters()))
    (3, 6)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[self._key_at(index)]

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> layers = nn.ModuleList()
        >>> _ = layers.append(nn.Linear(2, 2))
        >>> len(layers)
        1
        """
        _check_module(module, "ModuleList.append")
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append each of ``modules``; returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> layers = nn.ModuleList([nn.ReLU()])
        >>> _ = layers.extend([nn.Linear(2, 2), nn.Tanh()])
        >>> [type(m).__name__ for m in layers]
        ['ReLU', 'Linear', 'Tanh']
        """
        if not isinstance(modules, Iterable):
            raise TypeError(
                f"ModuleList.extend should be called with an iterable, but got "
                f"{type(modules).__name__}; use append() for one module"
            )
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index``, as ``list.insert`` (clamped to the ends).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
        >>> layers.insert(1, nn.Linear(2, 2))
        >>> [type(m).__name__ for m in layers]
        ['ReLU', 'Linear', 'Tanh']
        """
        _check_module(module, "ModuleList.insert")
        items = list(self._modules.values())
        items.insert(index, module)
        self._renumber(items)

    def __repr__(self) -> str:
        """PyTorch's: consecutive equal reprs are folded into ``(0-2): 3 x Linear(...)``."""
        reprs = [repr(module) for module in self]
        if not reprs:
            return self._get_name() + "()"
        blocks = []  # [first index, last index, repr]
        for i, text in enumerate(reprs):
            if blocks and blocks[-1][2] == text:
                blocks[-1][1] = i
            else:
                blocks.append([i, i, text])
        lines = []
        for first, last, text in blocks:
            if first == last:
                line = f"({first}): {text}"
            else:
                line = f"({first}-{last}): {last - first + 1} x {text}"
            lines.append(_addindent(line, 2))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


def _update_pairs(container: str, items) -> Iterator[tuple]:
    """The (key, value) pairs of an iterable of pairs, checked as torch checks them."""
    for j, pair in enumerate(items):
        if not isinstance(pair, Iterable):
            raise TypeError(
                f"{container} update sequence element #{j} should be Iterable; is"
                + type(pair).__name__
            )
        pair = list(pair)
        if len(pair) != 2:
            raise ValueError(
                f"{container} update sequence element #{j} has length {len(pair)}; 2 is required"
            )
        yield pair[0], pair[1]


def _check_update_argument(container: str, values) -> None:
    if not isinstance(values, Iterable):
        raise TypeError(
            f"{container}.update should be called with an iterable of key/value pairs, but got "
            + type(values).__name__
        )


class ModuleDict(Module):
    """A dict of modules that ``Module`` registers: ``state_dict`` keys are ``<key>.<name>``.

    Indexing by key, ``len``, iteration (over keys), ``in``, ``keys``, ``items``, ``values``,
    ``update``, ``pop`` and ``clear`` behave as for a dict; the order is insertion order. It has
    no ``forward``: pick modules from it in your own.

    Parameters
    ----------
    modules : mapping or iterable of (str, Module) pairs, optional

    Examples
    --------
    >>> from nn import Linear, ReLU
    >>> heads = ModuleDict({"proj": Linear(4, 2), "act": ReLU()})
    >>> list(heads.state_dict())
    ['proj.weight', 'proj.bias']
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def clear(self) -> None:
        """Remove every module.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> d = nn.ModuleDict({'enc': nn.Linear(2, 2), 'act': nn.ReLU()})
        >>> d.clear()
        >>> len(d)
        0
        """
        self._modules.clear()

    def pop(self, key: str) -> Module:
        """Remove ``key`` and return its module.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> d = nn.ModuleDict({'enc': nn.Linear(2, 2), 'act': nn.ReLU()})
        >>> d.pop('act')
        ReLU()
        >>> list(d)
        ['enc']
        """
        module = self[key]
        del self[key]
        return module

    def keys(self):
        """The keys, in insertion order.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> d = nn.ModuleDict({'enc': nn.Linear(2, 2), 'act': nn.ReLU()})
        >>> list(d.keys())
        ['enc', 'act']
        """
        return self._modules.keys()

    def items(self):
        """``(key, module)`` pairs, in insertion order.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> d = nn.ModuleDict({'enc': nn.Linear(2, 2), 'act': nn.ReLU()})
        >>> [(k, type(m).__name__) for k, m in d.items()]
        [('enc', 'Linear'), ('act', 'ReLU')]
        """
        return self._modules.items()

    def values(self):
        """The modules, in insertion order.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> d = nn.ModuleDict({'enc': nn.Linear(2, 2), 'act': nn.ReLU()})
        >>> [type(m).__name__ for m in d.values()]
        ['Linear', 'ReLU']
        """
        return self._modules.values()

    def update(self, modules: Mapping[str, Module] | Iterable) -> None:
        """Add (or overwrite) the modules of a mapping or of an iterable of (key, module) pairs.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> d = nn.ModuleDict({'enc': nn.Linear(2, 2), 'act': nn.ReLU()})
        >>> d.update({'out': nn.Linear(2, 1)})
        >>> list(d)
        ['enc', 'act', 'out']
        """
        _check_update_argument("ModuleDict", modules)
        pairs = (
            modules.items()
            if isinstance(modules, (Mapping, ModuleDict))
            else _update_pairs("ModuleDict", modules)
        )
        for key, module in pairs:
            self[key] = module


_TYPE_NAMES = {
    "float16": "HalfTensor",
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "int16": "ShortTensor",
    "int32": "IntTensor",
    "int64": "LongTensor",
    "bool": "BoolTensor",
}


def _entry_line(key, value, dtype_text) -> str:
    """One line of a ParameterList's or ParameterDict's repr, as torch writes it."""
    if isinstance(value, Tensor):
        size = "x".join(str(n) for n in value.shape)
        kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
        return f"  ({key}): {kind} containing: [{dtype_text(value.dtype)} of size {size}]"
    return f"  ({key}): Object of type: {type(value).__name__}"


def _as_parameter(value):
    """torch's rule for what a ParameterList/Dict stores: a plain Tensor becomes a Parameter."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


class ParameterList(Module):
    """A list of parameters that ``Module`` registers, named ``"0"``, ``"1"``, ... (``state_dict``).

    A Tensor put in (by the constructor, ``append``, ``extend`` or ``[i] =``) becomes a
    ``Parameter`` sharing its array, as in torch; other objects are kept as they are, unregistered.
    Indexing, slicing (a new ``ParameterList``), ``len``, iteration, ``append``, ``extend`` and
    ``+=`` behave as for a list.

    Parameters
    ----------
    values : iterable, optional

    Examples
    --------
    >>> import autograd
    >>> weights = ParameterList([autograd.zeros(2, 3), autograd.zeros(3)])
    >>> [(name, p.shape) for name, p in weights.named_parameters()]
    [('0', (2, 3)), ('1', (3,))]
    """

    def __init__(self, values: Iterable | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def _absolute_key(self, index) -> str:
        index = operator.index(index)
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return str(index + len(self) if index < 0 else index)

    def __getitem__(self, index):
        if isinstance(index, slice):
            out = type(self)()
            for i in range(*index.indices(len(self))):
                out.append(self[i])
            return out
        return getattr(self, self._absolute_key(index))

    def __setitem__(self, index: int, value) -> None:
        setattr(self, self._absolute_key(index), _as_parameter(value))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator:
        return iter([self[i] for i in range(len(self))])

    def __iadd__(self, values: Iterable) -> ParameterList:
        return self.extend(values)

    def __dir__(self) -> list:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value) -> ParameterList:
        """Add ``value`` at the end (a Tensor as a Parameter); returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> params = nn.ParameterList()
        >>> _ = params.append(autograd.zeros(2))
        >>> isinstance(params[0], nn.Parameter)
        True
        """
        index = len(self)
        self._size += 1
        self[index] = value
        return self

    def extend(self, values: Iterable) -> ParameterList:
        """Append each of ``values``; returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> params = nn.ParameterList()
        >>> _ = params.extend([autograd.zeros(1), autograd.zeros(2)])
        >>> [p.shape for p in params]
        [(1,), (2,)]
        """
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                "ParameterList.extend should be called with an iterable, but got "
                + type(values).__name__
            )
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_entry_line(i, v, str) for i, v in enumerate(self))

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")


class ParameterDict(Module):
    """A dict of parameters that ``Module`` registers under their keys (the ``state_dict`` names).

    A Tensor put in becomes a ``Parameter`` sharing its array, as in torch; other objects are
    kept as they are, unregistered. Keys are strings. The dict methods are torch's: ``[key]``,
    ``[key] =``, ``del``, ``len``, iteration (over keys), ``in``, ``keys``, ``items``,
    ``values``, ``get``, ``pop``, ``popitem``, ``setdefault``, ``update``, ``copy``,
    ``fromkeys``, ``clear``, ``|`` and ``|=``. As in torch, ``update`` with a plain ``dict``
    adds its entries sorted by key (an ``OrderedDict``, a ``ParameterDict`` or a list of pairs
    keeps its order).

    Parameters
    ----------
    parameters : mapping or iterable of (str, value) pairs, optional

    Examples
    --------
    >>> import autograd
    >>> scales = ParameterDict({"left": autograd.ones(3), "right": autograd.zeros(3)})
    >>> sorted(scales.state_dict())
    ['left', 'right']
    """

    def __init__(self, parameters: Mapping | Iterable | None = None) -> None:
        super().__init__()
        self._keys: dict = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _key_to_attr(key) -> str:
        if not isinstance(key, str):
            raise TypeError(
                "Index given to ParameterDict cannot be used as a key as it is not a string "
                f"(type is '{type(key).__name__}'). Open an issue on github if you need "
                "non-string keys."
            )
        return key

    def __getitem__(self, key: str):
        return getattr(self, self._key_to_attr(key))

    def __setitem__(self, key: str, value) -> None:
        attr = self._key_to_attr(key)
        setattr(self, attr, _as_parameter(value))
        self._keys[key] = None

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, self._key_to_attr(key))

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._keys

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same parameters (not copies of them).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> c = d.copy()
        >>> c['a'] is d['a'], list(c)
        (True, ['a', 'b'])
        """
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def setdefault(self, key: str, default=None):
        """``self[key]``, after setting it to ``default`` if it is absent.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> d.setdefault('c', nn.Parameter(autograd.zeros(3))).shape
        (3,)
        >>> list(d)
        ['a', 'b', 'c']
        """
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Remove every entry.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> d.clear()
        >>> len(d)
        0
        """
        for key in list(self._keys):
            del self[key]

    def pop(self, key: str):
        """Remove ``key`` and return its value.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> d.pop('a').shape
        (1,)
        >>> list(d)
        ['b']
        """
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple:
        """Remove and return the last inserted ``(key, value)``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> key, value = d.popitem()
        >>> key, list(d)
        ('b', ['a'])
        """
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def get(self, key: str, default=None):
        """``self[key]`` if present, else ``default``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> d.get('b').shape, d.get('z') is None
        ((2,), True)
        """
        return self[key] if key in self else default

    def fromkeys(self, keys: Iterable[str], default=None) -> ParameterDict:
        """A new ParameterDict with ``keys``, each holding ``default``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> e = d.fromkeys(['x', 'y'], nn.Parameter(autograd.zeros(1)))
        >>> list(e)
        ['x', 'y']
        """
        return ParameterDict((k, default) for k in keys)

    def keys(self):
        """The keys, in insertion order.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> list(d.keys())
        ['a', 'b']
        """
        return self._keys.keys()

    def items(self) -> Iterator[tuple]:
        """``(key, value)`` pairs, in insertion order.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> [(k, v.shape) for k, v in d.items()]
        [('a', (1,)), ('b', (2,))]
        """
        return ((k, self[k]) for k in self._keys)

    def values(self) -> Iterator:
        """The values, in insertion order.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> [v.shape for v in d.values()]
        [(1,), (2,)]
        """
        return (self[k] for k in self._keys)

    def update(self, parameters: Mapping | Iterable) -> None:
        """Add (or overwrite) entries from a mapping or an iterable of (key, value) pairs.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> z, o = autograd.zeros(1), autograd.ones(2)
        >>> d = nn.ParameterDict({'a': nn.Parameter(z), 'b': nn.Parameter(o)})
        >>> d.update({'c': nn.Parameter(autograd.zeros(4))})
        >>> list(d)
        ['a', 'b', 'c']
        """
        _check_update_argument("ParametersDict", parameters)
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = list(_update_pairs("ParameterDict", parameters))
        for key, value in pairs:
            self[key] = value

    def __or__(self, other: ParameterDict) -> ParameterDict:
        copy = self.copy()
        copy.update(other)
        return copy

    def __ror__(self, other: ParameterDict) -> ParameterDict:
        copy = other.copy()
        copy.update(self)
        return copy

    def __ior__(self, other: ParameterDict) -> ParameterDict:
        self.update(other)
        return self

    def extra_repr(self) -> str:
        return "\n".join(
            _entry_line(k, v, lambda d: _TYPE_NAMES.get(str(d), str(d))) for k, v in self.items()
        )

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterDict should not be called.")
