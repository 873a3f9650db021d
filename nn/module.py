"""``Module``: the base of every model, PyTorch's ``nn.Module`` over ``autograd``'s nodes.

Assigning to an attribute registers, in assignment order:

- a ``Parameter`` or an ``autograd.Value`` as a parameter (``_parameters``): a Value is the
  scalar engine's trainable number, as in micrograd;
- a ``Module`` as a submodule (``_modules``);
- a Tensor given to ``register_buffer`` as a buffer (``_buffers``): state that is saved but not
  trained, such as BatchNorm's running statistics.

Everything else (plain Tensors, lists, numbers) is an ordinary attribute, as in PyTorch: hold
lists of modules in ``ModuleList``. The micrograd classes (``nn.scalar``) keep their lists of
Values and Neurons, and show them to the traversals by overriding two hooks,
``_named_local_parameters()`` and ``_named_local_children()``; every method here (names, state
dicts, ``train``, ``zero_grad``, ``repr``) walks the tree through those two hooks only.

``state_dict()`` maps dotted names (``0.weight``, ``layers.1.neurons.0.w.2``) to Tensors. For a
Tensor parameter or buffer it is a detached Tensor that shares the parameter's array, as
PyTorch's detached tensors share storage: it follows later training steps, so copy it to keep a
snapshot. For a Value parameter it is a new 0-d float64 Tensor holding the Value's number at the
time of the call (a Python float has no storage to share). ``load_state_dict`` writes into the
parameters' arrays (and into ``Value.data``) in place, so optimizers holding the parameters keep
working.

Every read and write of a parameter (its array, shape, gradient) goes through
``autograd.parameters``, so Tensor and Value parameters share each code path here.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping

import numpy as np

from autograd import Tensor, parameters

from .parameter import Parameter

_STATE = ("_parameters", "_buffers", "_non_persistent_buffers_set", "_modules", "training")


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What a non-strict ``load_state_dict`` did not match (PyTorch's ``_IncompatibleKeys``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(text: str, spaces: int) -> str:
    """Indent every line of ``text`` but the first (blank lines stay empty), as PyTorch does."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    rest = [(" " * spaces + line) if line.strip() else "" for line in lines[1:]]
    return "\n".join([lines[0], *rest])


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _shape_text(shape: tuple) -> str:
    return str(tuple(shape))


def _checkpoint_array(value) -> np.ndarray:
    """An array from what a state dict may hold: Tensor, ndarray, torch tensor, number, Value."""
    if parameters.is_node(value):  # a Tensor, or a Value (as a 0-d float64 array)
        return parameters.data_array(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":  # strings, objects: checked now, not mid-load
            raise TypeError(type(value))
        return value
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        raise TypeError(type(value))
    if hasattr(value, "detach"):  # torch tensors (numpy() refuses one that requires grad)
        value = value.detach()
    if hasattr(value, "cpu"):
        value = value.cpu()
    if hasattr(value, "numpy"):
        value = value.numpy()
    array = np.asarray(value)
    if array.dtype == object or array.dtype.kind in "USV":
        raise TypeError(type(value))
    return array


def _is_parameter(value) -> bool:
    """What assigning to a Module attribute registers as a parameter: a Parameter or a Value.

    A plain Tensor is not one (it stays an ordinary attribute, as in PyTorch); a scalar Value is
    the scalar engine's trainable number, as in micrograd.
    """
    return isinstance(value, Parameter) or parameters.is_scalar(value)


class Module:
    """Base class of models, with PyTorch's ``nn.Module`` API.

    Subclasses call ``super().__init__()``, assign parameters and submodules as attributes and
    define ``forward``; calling the module calls ``forward``. (A micrograd-style subclass that
    skips ``super().__init__()`` and defines ``__call__`` and ``parameters()`` itself works too:
    the registries are created on first use.)

    Attributes: ``training`` (True until ``eval()``); parameters, buffers and submodules are read
    back as attributes.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> class TwoLayer(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc1 = nn.Linear(4, 8)
    ...         self.fc2 = nn.Linear(8, 1)
    ...     def forward(self, x):
    ...         return self.fc2(self.fc1(x).relu())
    >>> model = TwoLayer()
    >>> model(autograd.zeros(5, 4)).shape
    (5, 1)
    >>> [name for name, _ in model.named_parameters()]
    ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
    """

    training: bool

    def __init__(self) -> None:
        if "_parameters" in self.__dict__:
            return  # already set up (a subclass assigned attributes before calling us)
        setattr_ = object.__setattr__
        setattr_(self, "training", True)
        setattr_(self, "_parameters", {})
        setattr_(self, "_buffers", {})
        setattr_(self, "_non_persistent_buffers_set", set())
        setattr_(self, "_modules", {})

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function; '
            "define forward(self, ...) in the subclass"
        )

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # -- registration --------------------------------------------------------------------------

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if "_parameters" not in d:
            Module.__init__(self)
        params, buffers, modules = d["_parameters"], d["_buffers"], d["_modules"]
        if _is_parameter(value):
            d.pop(name, None)
            buffers.pop(name, None)
            modules.pop(name, None)
            d["_non_persistent_buffers_set"].discard(name)
            self.register_parameter(name, value)
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(nn.Parameter, autograd.Value or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            d.pop(name, None)
            params.pop(name, None)
            buffers.pop(name, None)
            d["_non_persistent_buffers_set"].discard(name)
            modules[name] = value
        elif name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(nn.Module or None expected)"
                )
            modules[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                    "(autograd.Tensor or None expected)"
                )
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        # Called only when ordinary lookup fails: registered members live in the three dicts.
        d = self.__dict__
        if "_parameters" in d:
            for registry in (d["_parameters"], d["_buffers"], d["_modules"]):
                if name in registry:
                    return registry[name]
        elif name in _STATE:  # a subclass that skipped Module.__init__ (micrograd style)
            Module.__init__(self)
            return d[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        for registry in (d.get("_parameters", {}), d.get("_buffers", {}), d.get("_modules", {})):
            if name in registry:
                del registry[name]
                d["_non_persistent_buffers_set"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list:
        members = list(super().__dir__())
        for registry in (self._parameters, self._buffers, self._modules):
            members.extend(registry)
        return sorted(set(members))

    def _check_new_name(self, kind: str, name) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain ".", got: {name}')

    def register_parameter(self, name: str, param) -> None:
        """Add a parameter (a ``Parameter``, a ``Value``, or None for an absent one).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> m = nn.Module()
        >>> m.register_parameter('scale', nn.Parameter(autograd.ones(1)))
        >>> [name for name, _ in m.named_parameters()]
        ['scale']
        """
        self._check_new_name("parameter", name)
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not _is_parameter(param):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(nn.Parameter, autograd.Value or None required)"
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        """Add a buffer: a Tensor kept in ``state_dict`` (unless ``persistent=False``), not trained.

        Buffers are for state such as BatchNorm's running mean; read them back as attributes.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> m = nn.Module()
        >>> m.register_buffer('steps', autograd.zeros(1))
        >>> list(m.state_dict()), list(m.parameters())
        (['steps'], [])
        """
        self._check_new_name("buffer", name)
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                "(autograd.Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module) -> None:
        """Add a submodule (or None) under ``name``; same as assigning the attribute.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> m = nn.Module()
        >>> m.add_module('fc', nn.Linear(2, 2))
        >>> list(m.state_dict())
        ['fc.weight', 'fc.bias']
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_new_name("module", name)
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    # -- the two hooks every traversal goes through -------------------------------------------

    def _named_local_parameters(self) -> Iterator[tuple]:
        """This module's own parameters as (name, parameter), None for absent ones.

        Override (with ``_named_local_children``) in a module that keeps its parameters in its
        own structures, as ``nn.scalar.Neuron`` keeps micrograd's list ``w``.
        """
        return iter(self._parameters.items())

    def _named_local_children(self) -> Iterator[tuple]:
        """This module's direct submodules as (name, module), None for absent ones."""
        return iter(self._modules.items())

    # -- traversal -----------------------------------------------------------------------------

    def named_modules(
        self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module and every module below it, as (dotted name, module), each once.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> [name for name, _ in model.named_modules()]
        ['', '0', '1', '2']
        """
        if memo is None:
            memo = set()
        if id(self) in memo:
            return
        if remove_duplicate:
            memo.add(id(self))
        yield prefix, self
        for name, module in self._named_local_children():
            if module is not None:
                yield from module.named_modules(memo, _join(prefix, name), remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every module below it, each once (``named_modules`` without the names).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> [type(m).__name__ for m in model.modules()]
        ['Sequential', 'Linear', 'ReLU', 'Linear']
        """
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct submodules as (name, module), each once.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> [(name, type(m).__name__) for name, m in model.named_children()]
        [('0', 'Linear'), ('1', 'ReLU'), ('2', 'Linear')]
        """
        seen = set()
        for name, module in self._named_local_children():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct submodules, each once.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> len(list(model.children()))
        3
        """
        for _, module in self.named_children():
            yield module

    def _named_members(self, members, prefix: str, recurse: bool, remove_duplicate: bool):
        seen = set()
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = [(prefix, self)]
        for module_prefix, module in modules:
            for name, member in members(module):
                if member is None or id(member) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(member))
                yield _join(module_prefix, name), member

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple]:
        """(dotted name, parameter) for every parameter; a shared one comes once, first name.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> [(name, p.shape) for name, p in model.named_parameters()]
        [('0.weight', (3, 2)), ('0.bias', (3,)), ('2.weight', (1, 3)), ('2.bias', (1,))]
        """
        return self._named_members(
            lambda m: m._named_local_parameters(), prefix, recurse, remove_duplicate
        )

    def _walk(self) -> list[Module]:
        """This module and every module below it, each once, in ``named_modules`` order."""
        seen, order, stack = set(), [], [self]
        while stack:
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            order.append(module)
            children = [m for _, m in module._named_local_children() if m is not None]
            stack.extend(reversed(children))
        return order

    def parameters(self, recurse: bool = True) -> Iterator:
        """Every parameter (Parameters and Values) once, in registration order (an iterator).

        The same order as ``named_parameters()``, without building the names.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> sum(p.numel() for p in model.parameters())
        13
        """
        seen = set()
        for module in self._walk() if recurse else (self,):
            for _, param in module._named_local_parameters():
                if param is not None and id(param) not in seen:
                    seen.add(id(param))
                    yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple]:
        """(dotted name, buffer) for every buffer; a shared one comes once, first name.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> bn = nn.BatchNorm1d(2)
        >>> [name for name, _ in bn.named_buffers()]
        ['running_mean', 'running_var', 'num_batches_tracked']
        """
        return self._named_members(lambda m: m._buffers.items(), prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer once, in registration order (an iterator).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> bn = nn.BatchNorm1d(2)
        >>> [b.shape for b in bn.buffers()]
        [(2,), (2,), ()]
        """
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def get_submodule(self, target: str) -> Module:
        """The submodule at a dotted path (``"encoder.0"``); ``""`` is this module.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> model.get_submodule('2')
        Linear(in_features=3, out_features=1, bias=True)
        """
        if target == "":
            return self
        lookup = dict(self.named_modules(remove_duplicate=False))
        if target not in lookup:
            raise AttributeError(f"{type(self).__name__} has no submodule `{target}`")
        return lookup[target]

    def apply(self, fn: Callable[[Module], object]) -> Module:
        """Call ``fn`` on every submodule (children first) and then on this one; returns self.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> def init(m):
        ...     if isinstance(m, nn.Linear):
        ...         nn.init.zeros_(m.weight)
        >>> _ = model.apply(init)
        >>> model[0].weight.tolist()
        [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # -- modes and gradients -------------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and every submodule (Dropout, BatchNorm read it).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> model.train().training, model[1].training
        (True, True)
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> drop = nn.Dropout(0.5).eval()
        >>> drop.training, drop(autograd.ones(3))
        (False, tensor([1., 1., 1.]))
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Switch gradient recording of every Tensor parameter (Values always record).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> _ = model.requires_grad_(False)
        >>> any(p.requires_grad for p in model.parameters())
        False
        """
        for param in self.parameters():
            parameters.requires_grad_(param, requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients: Tensor parameters get ``grad = None`` (or zeros), Values ``0.0``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer(autograd.ones(1, 2)).sum().backward()
        >>> layer.zero_grad()
        >>> layer.weight.grad is None
        True
        """
        for param in self.parameters():
            parameters.zero_grad(param, set_to_none)

    # -- dtype ---------------------------------------------------------------------------------

    def to(self, dtype) -> Module:
        """Convert every floating Tensor parameter and buffer to ``dtype`` in place; returns self.

        The Parameter objects stay the same (optimizers holding them keep working); their
        gradients are converted too. Values are Python floats and stay as they are.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> layer = nn.Linear(2, 1).to(autograd.float64)
        >>> layer.weight.dtype
        dtype('float64')
        """
        if isinstance(dtype, str) and dtype == "cpu":
            return self  # the only device there is
        dtype = np.dtype(dtype)
        for member in [*self.parameters(), *self.buffers()]:
            parameters.astype_(member, dtype)
        return self

    def float(self) -> Module:
        """Every floating parameter and buffer as float32: ``to(float32)``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> nn.Linear(2, 1).double().float().weight.dtype
        dtype('float32')
        """
        return self.to(np.float32)

    def double(self) -> Module:
        """Every floating parameter and buffer as float64: ``to(float64)``.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> nn.Linear(2, 1).double().weight.dtype
        dtype('float64')
        """
        return self.to(np.float64)

    # -- state dicts ---------------------------------------------------------------------------

    def _named_local_state(self) -> list[tuple]:
        """(name, parameter or buffer) of what this module puts in a state dict."""
        state = [(n, p) for n, p in self._named_local_parameters() if p is not None]
        state += [
            (n, b)
            for n, b in self._buffers.items()
            if b is not None and n not in self._non_persistent_buffers_set
        ]
        return state

    def state_dict(
        self, *, destination: dict | None = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict:
        """Every parameter and persistent buffer by dotted name, in registration order.

        Tensor entries are detached Tensors sharing the parameters' arrays; Value entries are
        0-d float64 Tensors (a snapshot). ``keep_vars=True`` gives the parameters themselves. A
        module shared under two names appears under both, as in PyTorch.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> {name: value.shape for name, value in model.state_dict().items()}
        {'0.weight': (3, 2), '0.bias': (3,), '2.weight': (1, 3), '2.bias': (1,)}
        """
        if destination is None:
            destination = OrderedDict()
        for name, member in self._named_local_state():
            destination[prefix + name] = member if keep_vars else parameters.detach(member)
        for name, module in self._named_local_children():
            if module is not None:
                module.state_dict(
                    destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars
                )
        return destination

    def load_state_dict(self, state_dict: Mapping, strict: bool = True) -> _IncompatibleKeys:
        """Copy ``state_dict``'s values into the parameters and buffers, in place.

        Values may be Tensors, ndarrays, numbers, or anything numpy can read (``__array__``) or
        that has ``.numpy()``, such as torch tensors; they are cast to each parameter's dtype.
        Every problem is collected first and reported in one ``RuntimeError`` with PyTorch's
        wording (missing keys, unexpected keys, size mismatches), and then nothing is changed:
        a failed load leaves the model as it was. With ``strict=False`` missing and unexpected
        keys are returned as ``(missing_keys, unexpected_keys)`` instead; a size mismatch still
        raises.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> copy = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> copy.load_state_dict(model.state_dict())
        <All keys matched successfully>
        >>> bool((copy[0].weight == model[0].weight).all())
        True
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors, writes = [], [], [], []

        def visit(module: Module, prefix: str) -> None:
            module._check_state(state_dict, prefix, missing, unexpected, errors, writes)
            for name, child in module._named_local_children():
                if child is not None:
                    visit(child, prefix + name + ".")

        visit(self, "")
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        for member, array in writes:
            parameters.assign_data(member, array)
        return _IncompatibleKeys(missing, unexpected)

    def _check_state(self, state_dict, prefix, missing, unexpected, errors, writes) -> None:
        """Match this module's own entries against ``state_dict``; record what to write."""
        local = self._named_local_state()
        for name, member in local:
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            given = state_dict[key]
            try:
                array = _checkpoint_array(given)
            except (TypeError, ValueError):
                errors.append(
                    f'While copying the parameter named "{key}", expected Tensor or Tensor-like '
                    f"object from checkpoint but received {type(given)}"
                )
                continue
            shape = parameters.shape(member)
            if shape == () and array.shape == (1,):
                array = array.reshape(())  # PyTorch accepts a 1-element vector for a scalar
            if array.shape != shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape "
                    f"{_shape_text(array.shape)} from checkpoint, the shape in current model is "
                    f"{_shape_text(shape)}."
                )
                continue
            # cast now, so that no write can fail after others were made (the promise above)
            writes.append((member, array.astype(parameters.dtype(member), copy=False)))
        local_names = {name for name, _ in local}
        child_prefixes = tuple(name + "." for name, _ in self._named_local_children())
        for key in state_dict:
            if not isinstance(key, str) or not key.startswith(prefix):
                if prefix == "":
                    unexpected.append(key)  # only the root sees keys outside every prefix
                continue
            rest = key[len(prefix) :]
            if rest not in local_names and not rest.startswith(child_prefixes):
                unexpected.append(key)

    # -- display -------------------------------------------------------------------------------

    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The module's own settings, shown inside its repr (``in_features=2, ...``)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({name}): {_addindent(repr(module), 2)}"
            for name, module in self._named_local_children()
        ]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"
