"""``Tensor``: a numpy array that records the operations made with it (PyTorch's semantics).

The operations themselves live in ``ops/`` as ``Function`` subclasses; the methods of the
class here are thin, typed entries that call them (see ``ops`` below for why it is a
namespace filled by the ops package rather than an import).
"""

from __future__ import annotations

import sys
import weakref
from types import SimpleNamespace

import numpy as np

from . import grad_mode, versions
from .graph import backpropagate
from .printing import format_array
from .versions import ModifiedError

_FLOAT_KINDS = "f"

# The operations live in autograd/ops, which builds on this module (its Functions make Tensors),
# so this module cannot import them without a circle. The methods below call them through this
# namespace, which autograd/ops/__init__.py fills when it is imported; autograd/__init__.py
# imports it, so any ``import autograd...`` has filled it before a Tensor exists.
ops = SimpleNamespace()


def _as_array(data, dtype=None, copy: bool = False) -> np.ndarray:
    """PyTorch's defaults: Python floats become float32, ints int64; arrays keep their dtype.

    An ndarray is shared unless ``copy`` (a conversion to another dtype copies anyway). Only
    numbers can be tensors: strings and other objects raise, and a Python int beyond int64
    raises (torch's "Overflow when unpacking long long") instead of wrapping around.
    """
    if isinstance(data, np.ndarray):
        if data.dtype.kind not in _NUMBER_KINDS:
            raise _not_numbers(data, data.dtype)
        if dtype is None or data.dtype == dtype:
            return data.copy() if copy else data
        return data.astype(dtype)
    if isinstance(data, np.generic):  # a numpy scalar keeps its dtype, as in torch.tensor
        if data.dtype.kind not in _NUMBER_KINDS:
            raise _not_numbers(data, data.dtype)
        return np.asarray(data, dtype=dtype)
    if dtype is not None:
        try:
            return np.asarray(data, dtype=dtype)
        except OverflowError:
            raise _overflow() from None
    array = np.asarray(data)
    kind = array.dtype.kind
    if kind == "f" and array.dtype != np.float32:
        if (
            isinstance(data, (list, tuple))
            and array.size
            and array.max() >= 2**63
            and _all_ints(data)
        ):
            raise _overflow()  # numpy made [1, 2**63] float64: ints past int64 (torch raises)
        return array.astype(np.float32)
    if kind in "iu" and array.dtype != np.int64:
        if array.dtype == np.uint64:  # numpy's type for a Python int in [2**63, 2**64)
            raise _overflow()
        return array.astype(np.int64)
    if kind not in _NUMBER_KINDS:
        if isinstance(data, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        if kind == "O" and any(isinstance(x, int) for x in array.flat):
            raise _overflow()  # an int beyond 64 bits
        raise _not_numbers(data, array.dtype)
    return array


_NUMBER_KINDS = "biufc"  # bool, ints, floats, complex: what a tensor can hold


def _all_ints(data) -> bool:
    """Whether the nested list ``data`` holds ints only (numpy made them float64: one was past
    int64), not floats."""
    return all(isinstance(x, (int, np.integer)) for x in np.asarray(data, dtype=object).ravel())


def _overflow() -> ValueError:
    return ValueError(
        "Overflow when unpacking long long: an int in the data does not fit in int64 (range "
        "[-2**63, 2**63 - 1]); pass it as a float, or a dtype that holds it"
    )


def _not_numbers(data, dtype: np.dtype) -> TypeError:
    return TypeError(
        f"Tensor: cannot make a tensor from {type(data).__name__} of dtype {dtype} (strings, "
        "None and other objects); pass numbers, nested lists of numbers or a numeric ndarray"
    )


def _size(size: tuple) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` alike, as torch's ``new_zeros`` and friends take sizes."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


class Tensor:
    """An n-dimensional array node of the computation graph.

    ``Tensor(data, requires_grad=False, dtype=None)``: ``data`` is a number, a nested list, an
    ndarray or a Tensor, always copied (as ``torch.tensor``; ``autograd.from_numpy`` shares an
    ndarray instead). Members: ``data`` (the ndarray), ``grad`` (a Tensor shaped like ``data``,
    or None), ``requires_grad``, ``parents`` and ``op`` (the graph protocol), ``label`` (a name
    for drawings), ``_version`` (how many in-place changes it has had, see versions.py).

    Examples
    --------
    >>> import autograd
    >>> x = autograd.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x.shape, x.dtype
    ((2, 2), dtype('float32'))
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad
    tensor([[2., 4.],
            [6., 8.]])
    """

    __slots__ = (
        "data",
        "_grad",
        "requires_grad",
        "parents",
        "label",
        "_fn",
        "_ctx",
        "_retains_grad",
        "_mark",
        "_incoming",
        "_changes",
        "_former",  # set only by a recorded in-place change (versions.remember_former)
        "__weakref__",
    )
    __array_priority__ = 1000  # ndarray <op> Tensor defers to the Tensor's reflected op

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = "") -> None:
        self._initialize(data, requires_grad, dtype, label, copy=True)

    def _initialize(self, data, requires_grad, dtype, label: str, copy: bool) -> None:
        """``__init__``'s work; ``nn.Parameter`` calls it with ``copy=False`` to share the array."""
        if isinstance(data, Tensor):
            data = data.data
        self.data = _as_array(data, dtype, copy)
        self._changes = None  # recent in-place changes: see versions.py
        self._grad = None
        self.requires_grad = False
        self.parents = ()
        self.label = label
        self._fn = None
        self._ctx = None
        self._retains_grad = False
        self._mark = None
        self._incoming = None
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _from_array(cls, array) -> Tensor:
        """Wrap an operation's result without conversions (the fast path of every op)."""
        out = cls.__new__(cls)
        out.data = array if isinstance(array, np.ndarray) else np.asarray(array)
        out._grad = None
        out.requires_grad = False
        out.parents = ()
        out.label = ""
        out._fn = None
        out._ctx = None
        out._retains_grad = False
        out._mark = None
        out._incoming = None
        out._changes = None
        return out

    # -- properties ------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple:
        """The size of each dimension, a tuple of ints (numpy's ``shape``).

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3).shape
        (2, 3)
        """
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3).ndim
        2
        """
        return self.data.ndim

    @property
    def dtype(self):
        """The numpy dtype of the elements (``float32`` unless asked otherwise).

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2).dtype, autograd.tensor([1, 2]).dtype
        (dtype('float32'), dtype('int64'))
        """
        return self.data.dtype

    def size(self, dim: int | None = None):
        """The shape (PyTorch's ``size()``), or the length of one dimension.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(2, 3)
        >>> x.size(), x.size(1)
        ((2, 3), 3)
        """
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        """The number of elements.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3).numel()
        6
        """
        return self.data.size

    @property
    def op(self) -> str:
        """The name of the operation that made this tensor ("" for leaves).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * 2).op, x.op
        ('*', '')
        """
        fn = self._fn
        if fn is None:
            return ""
        return fn.op or fn.__name__.lower()

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor has had (torch's ``_version``)."""
        changes = self._changes
        return 0 if changes is None else changes[-1][1]

    def _set_grad(self, grad) -> None:
        """``t.grad = g``, checked as torch checks it: a Tensor (or None) of ``t``'s shape and
        dtype; a wrong one would otherwise be broadcast, or cast, silently by the optimizer."""
        if grad is not None:
            if not isinstance(grad, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(grad).__module__}.{type(grad).__name__}"
                )
            if grad is self:
                raise RuntimeError("can't assign Variable as its own grad")
            if grad.data.dtype != self.data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{grad.data.dtype}' to a tensor "
                    f"with dtype '{self.data.dtype}'. The gradient must match the tensor's dtype; "
                    f"convert it first (g.to({self.data.dtype}))"
                )
            if grad.data.shape != self.data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(grad.data.shape)}' to a "
                    f"tensor of size '{list(self.data.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
        self._grad = grad

    @property
    def is_leaf(self) -> bool:
        """True for a tensor no recorded operation made (PyTorch's ``is_leaf``).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0], requires_grad=True)
        >>> x.is_leaf, (x * 2).is_leaf
        (True, False)
        """
        return self._fn is None

    @property
    def grad_fn(self):
        """The Function class that made this tensor, or None for leaves (PyTorch's name).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0], requires_grad=True)
        >>> x.grad_fn is None, (x * 2).grad_fn is not None
        (True, True)
        """
        return self._fn

    @property
    def name(self) -> str:
        """The tensor's ``label`` (the name drawings show).

        Examples
        --------
        >>> import autograd
        >>> autograd.Tensor([1.0], label='w').name
        'w'
        """
        return self.label

    @name.setter
    def name(self, value: str) -> None:
        self.label = value

    # -- conversions -----------------------------------------------------------------------------

    def item(self):
        """The value of a one-element tensor as a Python number.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([2.5]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(
                f"item(): only a tensor with one element can be converted to a Python number, "
                f"this one has shape {self.shape}"
            )
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The data as an ndarray, sharing memory (torch's ``numpy()``).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).numpy()
        array([1., 2.], dtype=float32)
        """
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        return self.data

    def tolist(self):
        """The data as nested Python lists of numbers.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2], [3, 4]]).tolist()
        [[1, 2], [3, 4]]
        """
        return self.data.tolist()

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (shape "
                f"{self.shape}); use .any() or .all()"
            )
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def float(self) -> Tensor:
        """A float32 copy (differentiable from a floating dtype).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).float()
        tensor([1., 2.])
        """
        return self.to(np.float32)

    def double(self) -> Tensor:
        """A float64 copy (differentiable from a floating dtype).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).double()
        tensor([1., 2.], dtype=float64)
        """
        return self.to(np.float64)

    def long(self) -> Tensor:
        """An int64 copy, rounded towards zero.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.7, -1.7]).long()
        tensor([ 1, -1])
        """
        return self.to(np.int64)

    def int(self) -> Tensor:
        """An int32 copy, rounded towards zero.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.7, -1.7]).int()
        tensor([ 1, -1], dtype=int32)
        """
        return self.to(np.int32)

    def half(self) -> Tensor:
        """A float16 copy.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).half().dtype
        dtype('float16')
        """
        return self.to(np.float16)

    def bool(self) -> Tensor:
        """A bool copy: True where nonzero.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 2.0]).bool()
        tensor([False,  True])
        """
        return self.to(np.bool_)

    def type_as(self, other: Tensor) -> Tensor:
        """``self`` in ``other``'s dtype.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).type_as(autograd.zeros(1, dtype=autograd.float64))
        tensor([1., 2.], dtype=float64)
        """
        return self.to(other.dtype)

    def is_floating_point(self) -> bool:
        """Whether the dtype is a floating-point one.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1).is_floating_point(), autograd.tensor([1]).is_floating_point()
        (True, False)
        """
        return self.data.dtype.kind == "f"

    def element_size(self) -> int:
        """Bytes per element.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1).element_size(), autograd.zeros(1, dtype=autograd.int64).element_size()
        (4, 8)
        """
        return self.data.itemsize

    def dim(self) -> int:
        """The number of dimensions (``ndim``).

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3).dim()
        2
        """
        return self.data.ndim

    def cpu(self) -> Tensor:
        """``self``: every tensor lives on the CPU here.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(2)
        >>> x.cpu() is x
        True
        """
        return self

    def contiguous(self) -> Tensor:
        """``self``: numpy handles any memory layout, so nothing needs copying.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(2, 3)
        >>> x.t().contiguous().shape
        (3, 2)
        """
        return self

    def _new(self, array: np.ndarray, dtype, requires_grad: bool) -> Tensor:
        out = Tensor._from_array(array if dtype is None else array.astype(dtype))
        return out.requires_grad_(True) if requires_grad else out

    def new_zeros(self, *size, dtype=None, requires_grad: bool = False) -> Tensor:
        """Zeros of ``size``, in this tensor's dtype unless ``dtype`` (torch's ``new_zeros``).

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1, dtype=autograd.float64).new_zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]], dtype=float64)
        """
        return self._new(np.zeros(_size(size), self.data.dtype), dtype, requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad: bool = False) -> Tensor:
        """Ones of ``size``, in this tensor's dtype unless ``dtype`` (torch's ``new_ones``).

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1, dtype=autograd.int64).new_ones(3)
        tensor([1, 1, 1])
        """
        return self._new(np.ones(_size(size), self.data.dtype), dtype, requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad: bool = False) -> Tensor:
        """An uninitialised tensor of ``size``, in this tensor's dtype unless ``dtype``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1, dtype=autograd.float64).new_empty(2, 3).shape
        (2, 3)
        """
        return self._new(np.empty(_size(size), self.data.dtype), dtype, requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, requires_grad: bool = False) -> Tensor:
        """``fill_value`` in every element of ``size``, in this tensor's dtype unless ``dtype``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1).new_full((2,), 7.0)
        tensor([7., 7.])
        """
        return self._new(np.full(_size((size,)), fill_value, self.data.dtype), dtype, requires_grad)

    def new_tensor(self, data, *, dtype=None, requires_grad: bool = False) -> Tensor:
        """A copy of ``data`` in this tensor's dtype unless ``dtype``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(1, dtype=autograd.float64).new_tensor([1, 2])
        tensor([1., 2.], dtype=float64)
        """
        array = np.array(getattr(data, "data", data), dtype=dtype or self.data.dtype)
        return self._new(array, None, requires_grad)

    def to(self, dtype) -> Tensor:
        """A copy with another dtype (differentiable between floating dtypes).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).to(autograd.float64)
        tensor([1., 2.], dtype=float64)
        """
        return ops.cast(self, np.dtype(dtype))

    # -- graph -----------------------------------------------------------------------------------

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Ask (or stop asking) for gradients of this leaf; only floating tensors can.

        Examples
        --------
        >>> import autograd
        >>> w = autograd.zeros(2).requires_grad_()
        >>> w.requires_grad
        True
        """
        if requires_grad and self.data.dtype.kind not in _FLOAT_KINDS:
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, this one is "
                f"{self.data.dtype}; convert it first with .float() or "
                "Tensor(..., dtype=np.float32)"
            )
        if not requires_grad and self._fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables; use .detach() "
                "to get a tensor outside the graph"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """The same data, outside the graph (shares memory and version counter, as in PyTorch).

        An in-place change of either is a change of both: a graph that saved one raises.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0], requires_grad=True)
        >>> y = (x * 2).detach()
        >>> y.requires_grad, y.is_leaf
        (False, True)
        """
        out = Tensor._from_array(self.data)
        out.label = self.label
        out._changes = versions.shared(self)
        return out

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this intermediate tensor after backward (to inspect or draw it).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3
        >>> y.retain_grad()
        >>> y.sum().backward()
        >>> y.grad
        tensor([1., 1.])
        """
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        """Whether ``retain_grad()`` was called on this non-leaf tensor.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0], requires_grad=True)
        >>> y = x * 2
        >>> y.retain_grad()
        >>> y.retains_grad, x.retains_grad
        (True, False)
        """
        return self._retains_grad and self._fn is not None

    def backward(
        self, gradient=None, retain_graph: bool | None = None, create_graph: bool = False
    ) -> None:
        """Accumulate ``d self / d leaf`` into ``.grad`` of every leaf that requires grad.

        ``gradient`` is required for a non-scalar tensor (the vector of a vector-Jacobian
        product). The graph's saved arrays are freed afterwards unless ``retain_graph=True``;
        with ``create_graph=True`` the gradients are recorded and can be differentiated again.
        Leaf gradients accumulate across calls until zeroed, as in PyTorch.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        tensor([2., 4.])
        """
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if retain_graph is None:
            retain_graph = create_graph
        seed = self._seed_gradient(gradient, create_graph)
        order, grads = backpropagate([self], [seed], create_graph, release=not retain_graph)
        for position, node in enumerate(order):
            if node._fn is None:
                if not node.requires_grad:
                    continue
            elif not node._retains_grad:
                continue
            g = grads[position]
            grads[position] = None  # the list must not count as an owner (see _sole_owner)
            if g is not None:
                node._accumulate_grad(g, create_graph)

    def _accumulate_grad(self, g: Tensor, create_graph: bool) -> None:
        """Add ``g`` to ``.grad``: in place on our own buffer, or as a recorded sum."""
        if g.dtype != self.dtype:
            g = g.to(self.dtype)  # a float32 leaf used with float64 gets a float32 grad
        if create_graph:
            if self._grad is not None:
                self._grad = self._grad + g
            elif g.requires_grad:
                self._grad = g  # recorded: later passes replace it rather than add in place
            else:  # a constant may be the caller's seed or another leaf's gradient too
                self._grad = Tensor._from_array(np.array(g.data, copy=True))
        elif self._grad is None:
            # Take the array over when nothing else can see it (PyTorch does the same); else
            # copy: the same gradient may reach several leaves (a + b), be the caller's seed,
            # a view of another gradient, or a tensor a custom backward saved.
            data = g.data
            if _sole_owner(g, data) and data.flags.owndata and data.flags.writeable:
                self._grad = Tensor._from_array(data)
            else:
                self._grad = Tensor._from_array(np.array(data, copy=True))
        elif self._grad.requires_grad:  # left recorded by an earlier create_graph pass
            self._grad = Tensor._from_array(self._grad.data + g.data)
        else:
            self._grad.data += g.data

    # -- graph protocol (see graph.py) -----------------------------------------------------------

    def _chain(self, grad, create_graph: bool) -> None:
        if self._fn is None:
            return  # a leaf
        ctx = self._ctx
        # some tensor changed in place since this operation ran: a saved one raises in
        # ctx.saved_tensors; an input that did gets its gradient at the node it was then
        changed = ctx.time != versions.clock
        try:
            grads = self._fn.backward(ctx, grad)
        except ModifiedError as error:  # raised by ctx, which does not know its operation
            if error.op is not None:
                raise
            raise error.with_op(self._fn.__name__) from None
        if not isinstance(grads, tuple):
            grads = (grads,)
        needs = ctx.needs_input_grad
        if len(grads) != len(needs):
            raise RuntimeError(
                f"{self._fn.__name__}.backward returned {len(grads)} gradients, but forward "
                f"took {len(needs)} inputs; return one per input (None where there is none)"
            )
        if ctx.tensor_positions is not None:
            grads = [grads[i] for i in ctx.tensor_positions]
        for parent, g in zip(self.parents, grads):
            if g is None or not (parent.requires_grad or changed):
                continue
            if type(g) is not Tensor:
                if not isinstance(g, np.ndarray):
                    raise TypeError(
                        f"{self._fn.__name__}.backward returned a {type(g).__name__} as a "
                        "gradient; return a Tensor (or None) for each input"
                    )
                g = Tensor._from_array(g)
            if g.shape != parent.shape:
                raise RuntimeError(
                    f"{self._fn.__name__}.backward returned a gradient of shape {g.shape} for "
                    f"an input of shape {parent.shape}; they must match"
                )
            if changed:
                _send_at(parent, g, ctx.time, self._fn.__name__)
                continue
            incoming = parent._incoming  # graph.send, inlined: this runs once per edge
            parent._incoming = g if incoming is None else incoming + g

    def _seed_gradient(self, grad_output, create_graph: bool):
        if self._changes is not None:
            refresh_view(self)  # a view of a base changed since: its node made current
        if grad_output is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs (this one has "
                    f"shape {self.shape}); pass gradient=... of that shape"
                )
            return Tensor._from_array(np.ones_like(self.data))
        grad_output = grad_output if isinstance(grad_output, Tensor) else Tensor(grad_output)
        if grad_output.shape != self.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output has shape {grad_output.shape} and output has "
                f"shape {self.shape}"
            )
        return grad_output

    def _release(self) -> None:
        ctx = self._ctx
        if ctx is not None:
            ctx._free()

    # -- display ---------------------------------------------------------------------------------

    def __repr__(self) -> str:
        """PyTorch's layout: ``tensor([1.5000, 2.0000], requires_grad=True)``."""
        suffixes = []
        data = self.data
        if data.size == 0 and data.ndim != 1:
            suffixes.append(f"size={data.shape}")
        if data.dtype not in (np.float32, np.int64, np.bool_):
            suffixes.append(f"dtype={data.dtype}")
        if self._fn is not None:
            suffixes.append(f"grad_fn=<{self._fn.__name__}Backward>")
        elif self.requires_grad:
            suffixes.append("requires_grad=True")
        return format_array(data, "tensor(", suffixes)

    # -- comparisons: not differentiable, boolean results ----------------------------------------

    def __lt__(self, other) -> Tensor:
        return _compare(np.less, self, other)

    def __le__(self, other) -> Tensor:
        return _compare(np.less_equal, self, other)

    def __gt__(self, other) -> Tensor:
        return _compare(np.greater, self, other)

    def __ge__(self, other) -> Tensor:
        return _compare(np.greater_equal, self, other)

    def __eq__(self, other) -> Tensor:  # type: ignore[override]
        return _compare(np.equal, self, other)

    def __ne__(self, other) -> Tensor:  # type: ignore[override]
        return _compare(np.not_equal, self, other)

    __hash__ = object.__hash__  # __eq__ compares elements, identity still hashes

    # -- the operations: each runs the function of the same name in autograd/ops ---------------
    # (ops builds on this module, so it is reached through the namespace ``ops`` that the ops
    # package fills when it is imported; see the note at ``ops`` above)

    def __add__(self, other) -> Tensor:
        """``self + other`` with broadcasting (other: a Tensor, number or ndarray)."""
        return ops.add(self, other)

    def __radd__(self, other) -> Tensor:
        return ops.radd(self, other)

    def __sub__(self, other) -> Tensor:
        """``self - other`` with broadcasting."""
        return ops.sub(self, other)

    def __rsub__(self, other) -> Tensor:
        return ops.rsub(self, other)

    def __mul__(self, other) -> Tensor:
        """``self * other`` elementwise, with broadcasting."""
        return ops.mul(self, other)

    def __rmul__(self, other) -> Tensor:
        return ops.rmul(self, other)

    def __truediv__(self, other) -> Tensor:
        """``self / other`` elementwise, with broadcasting."""
        return ops.div(self, other)

    def __rtruediv__(self, other) -> Tensor:
        return ops.rdiv(self, other)

    def __pow__(self, exponent) -> Tensor:
        """``self ** exponent`` elementwise, with broadcasting (a number or a Tensor)."""
        return ops.pow(self, exponent)

    def __rpow__(self, base) -> Tensor:
        return ops.rpow(self, base)

    def __neg__(self) -> Tensor:
        return ops.neg(self)

    # torch's method names for the operators (alpha scales the other operand, as in torch)

    def add(self, other, *, alpha: float = 1) -> Tensor:
        """``self + alpha * other``, broadcast (torch's ``add``).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).add(autograd.tensor([10.0, 20.0]), alpha=2)
        tensor([21., 42.])
        """
        return ops.add(self, other if alpha == 1 else other * alpha)

    def sub(self, other, *, alpha: float = 1) -> Tensor:
        """``self - alpha * other``, broadcast (torch's ``sub``).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).sub(1, alpha=0.5)
        tensor([0.5000, 1.5000])
        """
        return ops.sub(self, other if alpha == 1 else other * alpha)

    def mul(self, other) -> Tensor:
        """``self * other`` elementwise, broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).mul(autograd.tensor([[1.0], [3.0]]))
        tensor([[1., 2.],
                [3., 6.]])
        """
        return ops.mul(self, other)

    def div(self, other) -> Tensor:
        """``self / other`` elementwise, broadcast; true division (ints give floats, as torch).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 3]).div(2)
        tensor([0.5000, 1.5000])
        """
        return ops.div(self, other)

    true_divide = div

    def pow(self, exponent) -> Tensor:
        """``self ** exponent`` elementwise (a number or a Tensor, broadcast).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0, 3.0]).pow(2)
        tensor([1., 4., 9.])
        """
        return ops.pow(self, exponent)

    def neg(self) -> Tensor:
        """``-self`` elementwise.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, -2.0]).neg()
        tensor([-1.,  2.])
        """
        return ops.neg(self)

    negative = neg

    def square(self) -> Tensor:
        """``self * self`` (a bool tensor squares to int64, as in torch).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.5, -2.0]).square()
        tensor([2.2500, 4.0000])
        """
        x = self.to(np.int64) if self.data.dtype == np.bool_ else self
        return ops.mul(x, x)

    def matmul(self, other) -> Tensor:
        """``self @ other`` with ``np.matmul`` semantics (1-D, 2-D, batched, mixed ranks).

        Examples
        --------
        >>> import autograd
        >>> a = autograd.ones(2, 3)
        >>> b = autograd.ones(3, 4)
        >>> a.matmul(b).shape, (autograd.ones(5, 2, 3) @ b).shape
        ((2, 4), (5, 2, 4))
        """
        return ops.matmul(self, other)

    __matmul__ = matmul
    mm = matmul

    def __rmatmul__(self, other) -> Tensor:
        return ops.rmatmul(self, other)

    def exp(self) -> Tensor:
        """``e ** self`` elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).exp()
        tensor([1.0000, 2.7183], dtype=float64)
        """
        return ops.exp(self)

    def log(self) -> Tensor:
        """Natural logarithm elementwise (``-inf`` at 0, ``nan`` below); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0], dtype=autograd.float64).log()
        tensor([0.0000, 0.6931], dtype=float64)
        """
        return ops.log(self)

    def sqrt(self) -> Tensor:
        """Square root elementwise (``nan`` below 0); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([4.0, 2.0], dtype=autograd.float64).sqrt()
        tensor([2.0000, 1.4142], dtype=float64)
        """
        return ops.sqrt(self)

    def abs(self) -> Tensor:
        """``|self|`` elementwise (gradient 0 at 0, as torch); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-1.5, 2.0]).abs()
        tensor([1.5000, 2.0000])
        """
        return ops.abs(self)

    __abs__ = abs

    def tanh(self) -> Tensor:
        """Hyperbolic tangent elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).tanh()
        tensor([0.0000, 0.7616], dtype=float64)
        """
        return ops.tanh(self)

    def sigmoid(self) -> Tensor:
        """``1 / (1 + e ** -self)`` elementwise, without overflow; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 2.0], dtype=autograd.float64).sigmoid()
        tensor([0.5000, 0.8808], dtype=float64)
        """
        return ops.sigmoid(self)

    def relu(self) -> Tensor:
        """``max(self, 0)`` elementwise (gradient 0 at 0, as torch); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-1.0, 0.0, 2.0]).relu()
        tensor([0., 0., 2.])
        """
        return ops.relu(self)

    def clamp(self, min=None, max=None) -> Tensor:
        """``self`` limited to ``[min, max]`` (numbers; either may be None); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-2.0, 0.5, 3.0]).clamp(min=0, max=1)
        tensor([0.0000, 0.5000, 1.0000])
        """
        return ops.clamp(self, min, max)

    clip = clamp

    def maximum(self, other) -> Tensor:
        """The larger of ``self`` and ``other`` elementwise, with broadcasting.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 5.0]).maximum(autograd.tensor([3.0, 2.0]))
        tensor([3., 5.])
        """
        return ops.maximum(self, other)

    def minimum(self, other) -> Tensor:
        """The smaller of ``self`` and ``other`` elementwise, with broadcasting.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 5.0]).minimum(autograd.tensor([3.0, 2.0]))
        tensor([1., 2.])
        """
        return ops.minimum(self, other)

    def where(self, condition, other) -> Tensor:
        """``self`` where ``condition`` holds, ``other`` elsewhere (torch's ``Tensor.where``).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, -2.0, 3.0])
        >>> x.where(x > 0, 0.0)
        tensor([1., 0., 3.])
        """
        return ops.where(condition, self, other)

    def sum(self, dim=None, keepdim: bool = False, *, axis=None, keepdims=None) -> Tensor:
        """Sum over ``dim`` (an int, a tuple, or None for all dims).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> x.sum(), x.sum(dim=0), x.sum(1, keepdim=True).shape
        (tensor(10.), tensor([4., 6.]), (2, 1))
        """
        return ops.sum(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def mean(self, dim=None, keepdim: bool = False, *, axis=None, keepdims=None) -> Tensor:
        """Mean over ``dim`` (all dims when None); shaped as ``sum``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> x.mean(), x.mean(dim=1)
        (tensor(2.5000), tensor([1.5000, 3.5000]))
        """
        return ops.mean(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def max(self, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
        """The maximum of all elements, or ``(values, indices)`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> x.max()
        tensor(7.)
        >>> values, indices = x.max(dim=1)
        >>> values, indices
        (tensor([5., 7.]), tensor([1, 0]))
        """
        return ops.max(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def min(self, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
        """The minimum of all elements, or ``(values, indices)`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> x.min()
        tensor(1.)
        >>> values, indices = x.min(dim=1)
        >>> values, indices
        (tensor([1., 2.]), tensor([0, 1]))
        """
        return ops.min(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def var(
        self,
        dim=None,
        *,
        correction=None,
        keepdim: bool = False,
        unbiased=None,
        axis=None,
        keepdims=None,
    ) -> Tensor:
        """Variance over ``dim`` (Bessel's correction by default, as torch).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0, 3.0, 4.0], dtype=autograd.float64)
        >>> x.var(), x.var(correction=0)
        (tensor(1.6667, dtype=float64), tensor(1.2500, dtype=float64))
        """
        return ops.var(
            self,
            dim,
            correction=correction,
            keepdim=keepdim,
            unbiased=unbiased,
            axis=axis,
            keepdims=keepdims,
        )

    def std(
        self,
        dim=None,
        *,
        correction=None,
        keepdim: bool = False,
        unbiased=None,
        axis=None,
        keepdims=None,
    ) -> Tensor:
        """Standard deviation over ``dim``, ``sqrt(var(...))``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0, 3.0, 4.0], dtype=autograd.float64)
        >>> x.std()
        tensor(1.2910, dtype=float64)
        """
        return ops.std(
            self,
            dim,
            correction=correction,
            keepdim=keepdim,
            unbiased=unbiased,
            axis=axis,
            keepdims=keepdims,
        )

    def logsumexp(self, dim, keepdim: bool = False) -> Tensor:
        """``log(sum(exp(self), dim))`` without overflow.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[0.0, 0.0], [1000.0, 1000.0]], dtype=autograd.float64).logsumexp(1)
        tensor([6.9315e-01, 1.0007e+03], dtype=float64)
        """
        return ops.logsumexp(self, dim, keepdim)

    def softmax(self, dim: int) -> Tensor:
        """``exp(self) / sum(exp(self), dim)``, stable at any input; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0, 3.0], dtype=autograd.float64).softmax(0)
        tensor([0.0900, 0.2447, 0.6652], dtype=float64)
        """
        return ops.softmax(self, dim)

    def log_softmax(self, dim: int) -> Tensor:
        """``self - logsumexp(self, dim)``, stable at any input; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 1.0], dtype=autograd.float64).log_softmax(0)
        tensor([-0.6931, -0.6931], dtype=float64)
        """
        return ops.log_softmax(self, dim)

    def argmax(self, dim=None, keepdim: bool = False) -> Tensor:
        """The int64 index of the maximum (flattened when ``dim`` is None).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> x.argmax(), x.argmax(dim=1)
        (tensor(2), tensor([1, 0]))
        """
        return ops.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim: bool = False) -> Tensor:
        """The int64 index of the minimum (flattened when ``dim`` is None).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> x.argmin(), x.argmin(dim=1)
        (tensor(0), tensor([0, 1]))
        """
        return ops.argmin(self, dim, keepdim)

    def reshape(self, *shape) -> Tensor:
        """The same elements in ``shape`` (one dim may be -1): ``reshape(2, 3)`` or ``((2, 3))``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.arange(6)
        >>> x.reshape(2, 3)
        tensor([[0, 1, 2],
                [3, 4, 5]])
        >>> x.reshape((3, -1)).shape
        (3, 2)
        """
        return ops.reshape(self, *shape)

    view = reshape

    def view_as(self, other: Tensor) -> Tensor:
        """``reshape`` to ``other``'s shape (a view, as in PyTorch).

        Examples
        --------
        >>> import autograd
        >>> autograd.arange(6).view_as(autograd.zeros(3, 2)).shape
        (3, 2)
        """
        return self.reshape(other.shape)

    reshape_as = view_as

    def expand_as(self, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape without copying.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).expand_as(autograd.zeros(3, 2))
        tensor([[1., 2.],
                [1., 2.],
                [1., 2.]])
        """
        return self.expand(other.shape)

    def expand(self, *sizes) -> Tensor:
        """Broadcast to ``sizes`` without copying (-1 keeps a dimension).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1.0], [2.0]]).expand(-1, 3)
        tensor([[1., 1., 1.],
                [2., 2., 2.]])
        """
        return ops.expand(self, *sizes)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dims ``start_dim..end_dim`` (inclusive) into one.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3, 4).flatten().shape, autograd.zeros(2, 3, 4).flatten(1).shape
        ((24,), (2, 12))
        """
        return ops.flatten(self, start_dim, end_dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap dimensions ``dim0`` and ``dim1``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3, 4).transpose(0, 2).shape
        (4, 3, 2)
        """
        return ops.transpose(self, dim0, dim1)

    def permute(self, *dims) -> Tensor:
        """Reorder the dimensions: output dim ``i`` is input dim ``dims[i]``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3, 4).permute(2, 0, 1).shape
        (4, 2, 3)
        """
        return ops.permute(self, *dims)

    def squeeze(self, dim=None) -> Tensor:
        """Remove dims of size 1 (all of them, or those named in ``dim``).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(1, 3, 1)
        >>> x.squeeze().shape, x.squeeze(0).shape
        ((3,), (3, 1))
        """
        return ops.squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dim of size 1 at ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(3).unsqueeze(0).shape, autograd.zeros(3).unsqueeze(-1).shape
        ((1, 3), (3, 1))
        """
        return ops.unsqueeze(self, dim)

    @property
    def T(self) -> Tensor:
        """All dims reversed: (m, n) -> (n, m).

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3).T.shape
        (3, 2)
        """
        return ops.t(self)

    def t(self) -> Tensor:
        """The transpose of a matrix (0-d and 1-d tensors are returned as they are).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2, 3]]).t()
        tensor([[1],
                [2],
                [3]])
        """
        return ops.t(self)

    @property
    def mT(self) -> Tensor:  # noqa: N802 -- torch's name
        """The last two dims swapped: (..., m, n) -> (..., n, m), a batch of matrices transposed.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(5, 2, 3).mT.shape
        (5, 3, 2)
        """
        return ops.transpose(self, -2, -1)

    def __getitem__(self, index) -> Tensor:
        """``self[index]`` with numpy's indexing rules (a view for basic indexing)."""
        return ops.getitem(self, index)

    def sliding_window(self, window_shape, stride=1, dilation=1) -> Tensor:
        """Every window of ``window_shape`` over the last dims: ``(..., *out, *window)``.

        Examples
        --------
        >>> import autograd
        >>> autograd.arange(5).sliding_window(3)
        tensor([[0, 1, 2],
                [1, 2, 3],
                [2, 3, 4]])
        """
        return ops.sliding_window(self, window_shape, stride, dilation)

    # -- numpy interplay ---------------------------------------------------------------------------

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """``ndarray <op> Tensor`` gives the Tensor's reflected op (a recorded Tensor); any other
        ufunc, notably numpy's in-place ``array -= tensor``, runs on the arrays, so the array
        stays an ndarray, updated in place (``p.data -= lr * p.grad``)."""
        if method == "__call__" and not kwargs and len(inputs) == 2 and inputs[1] is self:
            reflected = _REFLECTED.get(ufunc)
            if reflected is not None and not isinstance(inputs[0], Tensor):
                return getattr(self, reflected)(inputs[0])
        inputs = tuple([x.data if isinstance(x, Tensor) else x for x in inputs])
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple([x.data if isinstance(x, Tensor) else x for x in out])
        return getattr(ufunc, method)(*inputs, **kwargs)

    # -- in-place operations (torch's rules: see _update_in_place) -------------------------------

    def add_(self, other, *, alpha=1) -> Tensor:
        """``self += alpha * other`` in place; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0])
        >>> x.add_(1, alpha=2)
        tensor([3., 4.])
        """
        return _update_in_place(
            self, "add_", lambda t, o: t + (o if alpha == 1 else o * alpha), other
        )

    def sub_(self, other, *, alpha=1) -> Tensor:
        """``self -= alpha * other`` in place; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0])
        >>> x.sub_(autograd.tensor([1.0, 1.0]))
        tensor([0., 1.])
        """
        return _update_in_place(
            self, "sub_", lambda t, o: t - (o if alpha == 1 else o * alpha), other
        )

    def mul_(self, other) -> Tensor:
        """``self *= other`` in place; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0])
        >>> x.mul_(3)
        tensor([3., 6.])
        """
        return _update_in_place(self, "mul_", lambda t, o: t * o, other)

    def div_(self, other) -> Tensor:
        """``self /= other`` in place (not on an integer tensor); returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0])
        >>> x.div_(4)
        tensor([0.2500, 0.5000])
        """
        return _update_in_place(self, "div_", lambda t, o: t / o, other)

    def pow_(self, exponent) -> Tensor:
        """``self **= exponent`` in place; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0])
        >>> x.pow_(3)
        tensor([1., 8.])
        """
        return _update_in_place(self, "pow_", lambda t, o: t**o, exponent)

    def __iadd__(self, other) -> Tensor:
        return self.add_(other)

    def __isub__(self, other) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other) -> Tensor:
        return self.div_(other)

    def __ipow__(self, exponent) -> Tensor:
        return self.pow_(exponent)

    def clamp_(self, min=None, max=None) -> Tensor:
        """``self`` limited to ``[min, max]`` in place; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([-1.0, 0.5, 2.0])
        >>> x.clamp_(0, 1)
        tensor([0.0000, 0.5000, 1.0000])
        """
        return _update_in_place(self, "clamp_", lambda t, _: t.clamp(min, max))

    def fill_(self, value) -> Tensor:
        """Every element set to ``value`` (a number or a 0-d Tensor); returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(3)
        >>> x.fill_(7)
        tensor([7., 7., 7.])
        """
        return self.masked_fill_(np.ones(self.data.shape, dtype=bool), value)

    def zero_(self) -> Tensor:
        """Every element set to 0; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.ones(3)
        >>> x.zero_()
        tensor([0., 0., 0.])
        """
        return self.fill_(0)

    def copy_(self, src) -> Tensor:
        """``src``'s values (broadcast to ``self``'s shape, cast to its dtype); returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(2, 2)
        >>> x.copy_(autograd.tensor([1, 2]))
        tensor([[1., 2.],
                [1., 2.]])
        """
        return self.masked_fill_(np.ones(self.data.shape, dtype=bool), src)

    def masked_fill_(self, mask, value) -> Tensor:
        """``value`` where the boolean ``mask`` (broadcast to ``self``) holds; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.zeros(3)
        >>> x.masked_fill_(autograd.tensor([True, False, True]), 5.0)
        tensor([5., 0., 5.])
        """
        mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        return _update_in_place(self, "masked_fill_", lambda t, v: ops.where(mask, v, t), value)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
        """Values drawn from U(a, b), as torch draws them (randomness.py); returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> autograd.manual_seed(0)
        <autograd.Generator device=cpu>
        >>> x = autograd.zeros(1000).uniform_(2, 3)
        >>> bool(x.min() >= 2), bool(x.max() < 3)
        (True, True)
        """
        shape, dtype = self.data.shape, self.data.dtype
        return self.copy_(ops.uniform_numbers(generator, shape, dtype, a, b))

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
        """Values drawn from N(mean, std**2), as torch draws them; returns ``self``.

        Examples
        --------
        >>> import autograd
        >>> autograd.manual_seed(0)
        <autograd.Generator device=cpu>
        >>> x = autograd.zeros(2, 3).normal_(mean=1.0, std=0.1)
        >>> x.shape
        (2, 3)
        """
        shape, dtype = self.data.shape, self.data.dtype
        return self.copy_(ops.normal_numbers(generator, shape, dtype, mean, std))

    def __setitem__(self, index, value) -> None:
        """``self[index] = value`` in place (value: a number, array or Tensor, broadcast)."""
        index = index.data if isinstance(index, Tensor) else index
        if isinstance(index, tuple):
            index = tuple([i.data if isinstance(i, Tensor) else i for i in index])
        if _has_advanced(index):
            # where the selected region's dims go is torch's rule, not numpy's (x[0, :, [1, 0]]
            # is (slice, advanced) in torch, (advanced, slice) in numpy): read the positions
            # the torch-placed region covers, and write through them as one advanced index
            shape = self.data.shape
            positions = ops.getitem(
                Tensor._from_array(np.arange(self.data.size).reshape(shape)), index
            )
            index = np.unravel_index(positions.data, shape)
        mask = np.zeros(self.data.shape, dtype=bool)
        mask[index] = True
        region = mask[index].shape

        def put(t, v):
            if not isinstance(v, Tensor):
                v = Tensor._from_array(np.asarray(v, dtype=t.dtype))
            spread = v + Tensor._from_array(np.zeros(region, dtype=v.dtype))
            return ops.where(mask, ops.index_backward(spread, t.shape, index), t)

        _update_in_place(self, "__setitem__", put, value, lambda data, v: _assign(data, index, v))

    # -- torch's math (ops/math.py, ops/special.py): each a primitive with its rule in rules.py --

    def sin(self) -> Tensor:
        """Sine elementwise (radians); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.5708], dtype=autograd.float64).sin()
        tensor([0.0000, 1.0000], dtype=float64)
        """
        return ops.sin(self)

    def cos(self) -> Tensor:
        """Cosine elementwise (radians); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 3.1416], dtype=autograd.float64).cos()
        tensor([ 1.0000, -1.0000], dtype=float64)
        """
        return ops.cos(self)

    def tan(self) -> Tensor:
        """Tangent elementwise (radians); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 0.7854], dtype=autograd.float64).tan()
        tensor([0.0000, 1.0000], dtype=float64)
        """
        return ops.tan(self)

    def asin(self) -> Tensor:
        """Arcsine elementwise (``nan`` outside [-1, 1]); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).asin()
        tensor([0.0000, 1.5708], dtype=float64)
        """
        return ops.asin(self)

    def acos(self) -> Tensor:
        """Arccosine elementwise (``nan`` outside [-1, 1]); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 0.0], dtype=autograd.float64).acos()
        tensor([0.0000, 1.5708], dtype=float64)
        """
        return ops.acos(self)

    def atan(self) -> Tensor:
        """Arctangent elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).atan()
        tensor([0.0000, 0.7854], dtype=float64)
        """
        return ops.atan(self)

    def sinh(self) -> Tensor:
        """Hyperbolic sine elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).sinh()
        tensor([0.0000, 1.1752], dtype=float64)
        """
        return ops.sinh(self)

    def cosh(self) -> Tensor:
        """Hyperbolic cosine elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).cosh()
        tensor([1.0000, 1.5431], dtype=float64)
        """
        return ops.cosh(self)

    def erf(self) -> Tensor:
        """The error function elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).erf()
        tensor([0.0000, 0.8427], dtype=float64)
        """
        return ops.erf(self)

    def erfc(self) -> Tensor:
        """``1 - erf(self)`` elementwise, accurate where ``erf`` is near 1; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1.0], dtype=autograd.float64).erfc()
        tensor([1.0000, 0.1573], dtype=float64)
        """
        return ops.erfc(self)

    def log1p(self) -> Tensor:
        """``log(1 + self)`` elementwise, accurate near 0; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1e-10], dtype=autograd.float64).log1p()
        tensor([0.0000e+00, 1.0000e-10], dtype=float64)
        """
        return ops.log1p(self)

    def expm1(self) -> Tensor:
        """``exp(self) - 1`` elementwise, accurate near 0; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 1e-10], dtype=autograd.float64).expm1()
        tensor([0.0000e+00, 1.0000e-10], dtype=float64)
        """
        return ops.expm1(self)

    def log2(self) -> Tensor:
        """Base-2 logarithm elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 8.0], dtype=autograd.float64).log2()
        tensor([0., 3.], dtype=float64)
        """
        return ops.log2(self)

    def log10(self) -> Tensor:
        """Base-10 logarithm elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 1000.0], dtype=autograd.float64).log10()
        tensor([0., 3.], dtype=float64)
        """
        return ops.log10(self)

    def exp2(self) -> Tensor:
        """``2 ** self`` elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 3.0], dtype=autograd.float64).exp2()
        tensor([1., 8.], dtype=float64)
        """
        return ops.exp2(self)

    def rsqrt(self) -> Tensor:
        """``1 / sqrt(self)`` elementwise; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([4.0, 0.25], dtype=autograd.float64).rsqrt()
        tensor([0.5000, 2.0000], dtype=float64)
        """
        return ops.rsqrt(self)

    def reciprocal(self) -> Tensor:
        """``1 / self`` elementwise (ints give floats, as torch); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([2.0, -0.5], dtype=autograd.float64).reciprocal()
        tensor([ 0.5000, -2.0000], dtype=float64)
        """
        return ops.reciprocal(self)

    def floor(self) -> Tensor:
        """The largest integer not above each element (gradient 0); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-1.5, 1.5], dtype=autograd.float64).floor()
        tensor([-2.,  1.], dtype=float64)
        """
        return ops.floor(self)

    def ceil(self) -> Tensor:
        """The smallest integer not below each element (gradient 0); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-1.5, 1.5], dtype=autograd.float64).ceil()
        tensor([-1.,  2.], dtype=float64)
        """
        return ops.ceil(self)

    def round(self) -> Tensor:
        """Each element rounded to the nearest integer, halves to even, as torch (gradient 0).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.5, 1.5, 2.6], dtype=autograd.float64).round()
        tensor([0., 2., 3.], dtype=float64)
        """
        return ops.round(self)

    def trunc(self) -> Tensor:
        """Each element rounded towards zero (gradient 0); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-1.7, 1.7], dtype=autograd.float64).trunc()
        tensor([-1.,  1.], dtype=float64)
        """
        return ops.trunc(self)

    def frac(self) -> Tensor:
        """``self - trunc(self)`` elementwise (the sign of ``self``); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-1.25, 1.75], dtype=autograd.float64).frac()
        tensor([-0.2500,  0.7500], dtype=float64)
        """
        return ops.frac(self)

    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of each element (gradient 0); same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-2.0, 0.0, 3.0], dtype=autograd.float64).sign()
        tensor([-1.,  0.,  1.], dtype=float64)
        """
        return ops.sign(self)

    def atan2(self, other) -> Tensor:
        """The angle of the point ``(other, self)``, in its quadrant; broadcast.

        Examples
        --------
        >>> import autograd
        >>> y = autograd.tensor([1.0, -1.0], dtype=autograd.float64)
        >>> y.atan2(autograd.tensor([1.0, 1.0], dtype=autograd.float64))
        tensor([ 0.7854, -0.7854], dtype=float64)
        """
        return ops.atan2(self, other)

    arctan2 = atan2

    def fmod(self, other) -> Tensor:
        """The C remainder of ``self / other``: the sign of ``self`` (torch's ``fmod``); broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-3.0, 3.0]).fmod(2)
        tensor([-1.,  1.])
        """
        return ops.fmod(self, other)

    def remainder(self, other) -> Tensor:
        """Python's ``self % other``: the sign of ``other`` (torch's ``remainder``); broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-3.0, 3.0]).remainder(2)
        tensor([1., 1.])
        """
        return ops.remainder(self, other)

    __mod__ = remainder

    def __rmod__(self, other) -> Tensor:
        return ops.remainder(other, self)

    def __floordiv__(self, other) -> Tensor:
        """``self // other``: the quotient rounded down, as Python and torch do; broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([-7, 7]).floor_divide(2)
        tensor([-4,  3])
        """
        return ops.floor_divide(self, other)

    floor_divide = __floordiv__

    def __rfloordiv__(self, other) -> Tensor:
        return ops.floor_divide(other, self)

    def nan_to_num(self, nan: float = 0.0, posinf=None, neginf=None) -> Tensor:
        """NaN replaced by ``nan``, infinities by ``posinf``/``neginf`` (None: dtype extremes).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([float('nan'), float('inf'), -1.0])
        >>> x.nan_to_num(posinf=100.0)
        tensor([  0., 100.,  -1.])
        """
        return ops.nan_to_num(self, nan, posinf, neginf)

    arcsin, arccos, arctan = asin, acos, atan

    def cumsum(self, dim: int) -> Tensor:
        """Running sums along ``dim`` (ints and bools sum in int64, as torch).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2, 3], [4, 5, 6]]).cumsum(1)
        tensor([[ 1,  3,  6],
                [ 4,  9, 15]])
        """
        return ops.cumsum(self, dim)

    # -- cumprod (issue 12) --
    def cumprod(self, dim: int) -> Tensor:
        """Running products along ``dim`` (ints and bools multiply in int64, as torch).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0, 3.0, 4.0]).cumprod(0)
        tensor([ 1.,  2.,  6., 24.])
        """
        return ops.cumprod(self, dim)

    def inverse(self) -> Tensor:
        """``linalg.inv(self)``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[2.0, 0.0], [0.0, 4.0]], dtype=autograd.float64).inverse()
        tensor([[0.5000, 0.0000],
                [0.0000, 0.2500]], dtype=float64)
        """
        return ops.inv(self)

    def det(self) -> Tensor:
        """``linalg.det(self)``.

        Examples
        --------
        >>> import autograd
        >>> A = autograd.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=autograd.float64)
        >>> round(A.det().item(), 10)
        5.0
        """
        return ops.det(self)

    # -- compositions (ops/compositions.py): torch's methods built from the primitives above, --
    # -- so each is differentiable to any order without a rule of its own -------------------------

    def split(self, split_size, dim: int = 0) -> tuple:
        """Pieces along ``dim``: of ``split_size`` each (an int), or of the sizes in a list.

        Examples
        --------
        >>> import autograd
        >>> a, b = autograd.arange(5).split(3)
        >>> a, b
        (tensor([0, 1, 2]), tensor([3, 4]))
        >>> [p.shape for p in autograd.zeros(6, 2).split([1, 5])]
        [(1, 2), (5, 2)]
        """
        return ops.split(self, split_size, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """At most ``chunks`` pieces of ``ceil(size / chunks)`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.arange(5).chunk(2)
        (tensor([0, 1, 2]), tensor([3, 4]))
        """
        return ops.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> tuple:
        """The slices along ``dim``, each without it: (3, 4) -> three (4,).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2], [3, 4]]).unbind(1)
        (tensor([1, 3]), tensor([2, 4]))
        """
        return ops.unbind(self, dim)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """The slice ``start:start + length`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.arange(6).narrow(0, 2, 3)
        tensor([2, 3, 4])
        """
        return ops.narrow(self, dim, start, length)

    def movedim(self, source, destination) -> Tensor:
        """Dims ``source`` moved to ``destination`` (ints or sequences), the rest in order.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3, 4).movedim(0, -1).shape
        (3, 4, 2)
        """
        return ops.movedim(self, source, destination)

    moveaxis = movedim

    def flip(self, *dims) -> Tensor:
        """Elements in reverse order along ``dims``: ``flip(0)``, ``flip(0, 1)``, ``flip((0,))``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2], [3, 4]]).flip(1)
        tensor([[2, 1],
                [4, 3]])
        """
        return ops.flip(self, dims[0] if len(dims) == 1 else dims)

    def roll(self, shifts, dims=None) -> Tensor:
        """Elements shifted cyclically by ``shifts`` along ``dims`` (flattened when None).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2, 3, 4]).roll(1)
        tensor([4, 1, 2, 3])
        """
        return ops.roll(self, shifts, dims)

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (``j - i <= diagonal``), zeros above.

        Examples
        --------
        >>> import autograd
        >>> autograd.ones(3, 3).tril()
        tensor([[1., 0., 0.],
                [1., 1., 0.],
                [1., 1., 1.]])
        """
        return ops.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (``j - i >= diagonal``), zeros below.

        Examples
        --------
        >>> import autograd
        >>> autograd.ones(3, 3).triu(1)
        tensor([[0., 1., 1.],
                [0., 0., 1.],
                [0., 0., 0.]])
        """
        return ops.triu(self, diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The ``offset`` diagonal of dims ``dim1``, ``dim2``, as a last dim (a copy).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2], [3, 4]]).diagonal()
        tensor([1, 4])
        """
        return ops.diagonal(self, offset, dim1, dim2)

    def diag(self, diagonal: int = 0) -> Tensor:
        """(n,) -> a square matrix with it on diagonal k; (n, m) -> its diagonal k.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).diag()
        tensor([[1, 0],
                [0, 2]])
        >>> autograd.tensor([[1, 2], [3, 4]]).diag(1)
        tensor([2])
        """
        return ops.diag(self, diagonal)

    def repeat(self, *sizes) -> Tensor:
        """Tiled ``sizes[i]`` times along dim i (extra leading sizes add dims).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).repeat(2, 2)
        tensor([[1, 2, 1, 2],
                [1, 2, 1, 2]])
        """
        return ops.repeat(self, *sizes)

    def tile(self, *dims) -> Tensor:
        """``repeat`` with ``dims`` padded by leading 1s.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).tile(3)
        tensor([1, 2, 1, 2, 1, 2])
        """
        return ops.tile(self, *dims)

    def repeat_interleave(self, repeats, dim=None, *, output_size=None) -> Tensor:
        """Each element ``repeats`` times in a row along ``dim`` (flattened when None).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).repeat_interleave(2)
        tensor([1, 1, 2, 2])
        """
        return ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def outer(self, vec2: Tensor) -> Tensor:
        """(n,) and (m,) -> (n, m): ``self[i] * vec2[j]``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 2]).outer(autograd.tensor([1, 10, 100]))
        tensor([[  1,  10, 100],
                [  2,  20, 200]])
        """
        return ops.outer(self, vec2)

    ger = outer

    def dot(self, other: Tensor) -> Tensor:
        """The inner product of two vectors: (n,), (n,) -> ().

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 2.0]).dot(autograd.tensor([3.0, 4.0]))
        tensor(11.)
        """
        return ops.dot(self, other)

    def mv(self, vec: Tensor) -> Tensor:
        """(n, m) @ (m,) -> (n,).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).mv(autograd.tensor([1.0, 1.0]))
        tensor([3., 7.])
        """
        return ops.mv(self, vec)

    def bmm(self, batch2: Tensor) -> Tensor:
        """(B, n, m) @ (B, m, p) -> (B, n, p), no broadcasting.

        Examples
        --------
        >>> import autograd
        >>> autograd.ones(5, 2, 3).bmm(autograd.ones(5, 3, 4)).shape
        (5, 2, 4)
        """
        return ops.bmm(self, batch2)

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
        """``beta * self + alpha * (mat1 @ mat2)``.

        Examples
        --------
        >>> import autograd
        >>> m = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> autograd.ones(2, 2).addmm(autograd.eye(2), m, beta=0.5)
        tensor([[1.5000, 2.5000],
                [3.5000, 4.5000]])
        """
        return ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
        """``beta * self + alpha * bmm(batch1, batch2)``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(5, 2, 4).baddbmm(autograd.ones(5, 2, 3), autograd.ones(5, 3, 4))[0]
        tensor([[3., 3., 3., 3.],
                [3., 3., 3., 3.]])
        """
        return ops.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def cross(self, other: Tensor, dim=None) -> Tensor:
        """The cross product of 3-vectors along ``dim`` (the first of size 3 when None).

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 0.0, 0.0]).cross(autograd.tensor([0.0, 1.0, 0.0]), dim=0)
        tensor([0., 0., 1.])
        """
        return ops.cross(self, other, dim)

    def gather(self, dim: int, index, *, sparse_grad: bool = False) -> Tensor:
        """Picks along ``dim`` at an int64 ``index`` of the same rank; shaped as ``index``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1, 2], [3, 4]])
        >>> x.gather(1, autograd.tensor([[0, 0], [1, 0]]))
        tensor([[1, 1],
                [4, 3]])
        """
        return ops.gather(self, dim, index, sparse_grad=sparse_grad)

    def take_along_dim(self, indices, dim=None) -> Tensor:
        """Picks at ``indices`` along ``dim``, broadcast elsewhere (flattened when None).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[10, 30, 20], [60, 40, 50]])
        >>> x.take_along_dim(x.argmax(1, keepdim=True), 1)
        tensor([[30],
                [60]])
        """
        return ops.take_along_dim(self, indices, dim)

    def index_select(self, dim: int, index) -> Tensor:
        """The slices at the 1-D int ``index`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1, 2], [3, 4], [5, 6]]).index_select(0, autograd.tensor([2, 0]))
        tensor([[5, 6],
                [1, 2]])
        """
        return ops.index_select(self, dim, index)

    def masked_fill(self, mask, value) -> Tensor:
        """A copy with ``value`` (a number or a 0-d Tensor) where the bool ``mask`` holds.

        Examples
        --------
        >>> import autograd
        >>> scores = autograd.zeros(2, 2)
        >>> scores.masked_fill(autograd.ones(2, 2, dtype=autograd.bool).triu(1), float('-inf'))
        tensor([[0., -inf],
                [0., 0.]])
        """
        return ops.masked_fill(self, mask, value)

    def masked_select(self, mask) -> Tensor:
        """The elements where the bool ``mask`` holds, as a 1-D tensor.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, -2.0, 3.0])
        >>> x.masked_select(x > 0)
        tensor([1., 3.])
        """
        return ops.masked_select(self, mask)

    def nonzero(self, *, as_tuple: bool = False):
        """The int64 indices of the nonzero elements: (count, ndim), or a tuple per dim.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[0, 1], [2, 0]]).nonzero()
        tensor([[0, 1],
                [1, 0]])
        """
        return ops.nonzero(self, as_tuple=as_tuple)

    def scatter(self, dim: int, index, src=None, *, value=None, reduce=None) -> Tensor:
        """A copy with ``src`` (a Tensor) or ``value`` (a number) written at ``index``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2, 3).scatter(1, autograd.tensor([[2], [0]]), value=1.0)
        tensor([[0., 0., 1.],
                [1., 0., 0.]])
        """
        return ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim: int, index, src: Tensor) -> Tensor:
        """A copy with ``src`` added at ``index`` along ``dim`` (repeats add up).

        Examples
        --------
        >>> import autograd
        >>> src = autograd.tensor([1.0, 2.0, 3.0])
        >>> autograd.zeros(3).scatter_add(0, autograd.tensor([0, 0, 2]), src)
        tensor([3., 0., 3.])
        """
        return ops.scatter_add(self, dim, index, src)

    def index_add(self, dim: int, index, source: Tensor, *, alpha=1) -> Tensor:
        """A copy with ``alpha * source`` slices added at ``index`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(3, 2).index_add(0, autograd.tensor([0, 2]), autograd.ones(2, 2), alpha=2)
        tensor([[2., 2.],
                [0., 0.],
                [2., 2.]])
        """
        return ops.index_add(self, dim, index, source, alpha=alpha)

    def amax(self, dim=(), keepdim: bool = False) -> Tensor:
        """The maximum over ``dim`` (all when empty); ties share the gradient.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1.0, 5.0], [7.0, 2.0]], dtype=autograd.float64).amax(1)
        tensor([5., 7.], dtype=float64)
        """
        return ops.amax(self, dim, keepdim)

    def amin(self, dim=(), keepdim: bool = False) -> Tensor:
        """The minimum over ``dim`` (all when empty); ties share the gradient.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([[1.0, 5.0], [7.0, 2.0]], dtype=autograd.float64).amin(0)
        tensor([1., 2.], dtype=float64)
        """
        return ops.amin(self, dim, keepdim)

    def all(self, dim=None, keepdim: bool = False) -> Tensor:
        """Bool: every element (over ``dim``) nonzero.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1, 0], [1, 1]])
        >>> x.all(), x.all(dim=1)
        (tensor(False), tensor([False,  True]))
        """
        return ops.all(self, dim, keepdim)

    def any(self, dim=None, keepdim: bool = False) -> Tensor:
        """Bool: some element (over ``dim``) nonzero.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[0, 0], [1, 0]])
        >>> x.any(), x.any(dim=1)
        (tensor(True), tensor([False,  True]))
        """
        return ops.any(self, dim, keepdim)

    def isnan(self) -> Tensor:
        """Bool: True where the element is NaN; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, float('nan')]).isnan()
        tensor([False,  True])
        """
        return ops.isnan(self)

    def isinf(self) -> Tensor:
        """Bool: True where the element is +inf or -inf; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, float('inf'), -float('inf')]).isinf()
        tensor([False,  True,  True])
        """
        return ops.isinf(self)

    def isfinite(self) -> Tensor:
        """Bool: True where the element is neither infinite nor NaN; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, float('inf'), float('nan')]).isfinite()
        tensor([ True, False, False])
        """
        return ops.isfinite(self)

    def logical_and(self, other) -> Tensor:
        """Bool: both ``self`` and ``other`` nonzero, elementwise, broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 1, 0]).logical_and(autograd.tensor([1, 0, 0]))
        tensor([ True, False, False])
        """
        return ops.logical_and(self, other)

    def logical_or(self, other) -> Tensor:
        """Bool: ``self`` or ``other`` nonzero, elementwise, broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 1, 0]).logical_or(autograd.tensor([1, 0, 0]))
        tensor([ True,  True, False])
        """
        return ops.logical_or(self, other)

    def logical_xor(self, other) -> Tensor:
        """Bool: exactly one of ``self`` and ``other`` nonzero, elementwise, broadcast.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1, 1, 0]).logical_xor(autograd.tensor([1, 0, 0]))
        tensor([False,  True, False])
        """
        return ops.logical_xor(self, other)

    def bitwise_and(self, other) -> Tensor:
        """``self & other``: and of the bits, logical and on bool (masks); ints, not floats.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([-1.0, 0.5, 2.0])
        >>> (x > 0) & (x < 1)
        tensor([False,  True, False])
        >>> autograd.tensor([12, 10]) & 6
        tensor([4, 2])
        """
        return ops.bitwise_and(self, other)

    def bitwise_or(self, other) -> Tensor:
        """``self | other``: or of the bits, logical or on bool; ints, not floats.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([-1.0, 0.5, 2.0])
        >>> (x < 0) | (x > 1)
        tensor([ True, False,  True])
        """
        return ops.bitwise_or(self, other)

    def bitwise_xor(self, other) -> Tensor:
        """``self ^ other``: exclusive or of the bits, logical xor on bool; ints, not floats.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([True, False]) ^ True
        tensor([False,  True])
        """
        return ops.bitwise_xor(self, other)

    __and__ = bitwise_and
    __or__ = bitwise_or
    __xor__ = bitwise_xor

    def __rand__(self, other) -> Tensor:
        return ops.bitwise_and(self, other)  # & commutes

    def __ror__(self, other) -> Tensor:
        return ops.bitwise_or(self, other)

    def __rxor__(self, other) -> Tensor:
        return ops.bitwise_xor(self, other)

    def logical_not(self) -> Tensor:
        """Bool: True where the element is zero; same shape.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 2.0]).logical_not()
        tensor([ True, False])
        """
        return ops.logical_not(self)

    def clone(self, *, memory_format=None) -> Tensor:
        """A copy with its own memory and version counter, in the graph (torch's ``clone``):
        same shape and dtype; the gradient passes through unchanged. ``memory_format`` is
        accepted for torch's signature (an ndarray copy is always C-contiguous).

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x.clone()
        >>> y.data is x.data, y.grad_fn is not None
        (False, True)
        >>> (y * y).sum().backward()
        >>> x.grad
        tensor([2., 4.])
        """
        return ops.clone(self)

    def __invert__(self) -> Tensor:
        """``~t``: logical not of a bool tensor, bitwise not of an integer one (torch's).

        Examples
        --------
        >>> import autograd
        >>> ~autograd.tensor([True, False]), ~autograd.tensor([0, 5])
        (tensor([False,  True]), tensor([-1, -6]))
        """
        if self.data.dtype.kind not in "biu":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return Tensor._from_array(np.invert(self.data))

    bitwise_not = __invert__

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False):
        """``(values, indices)`` sorted along ``dim`` (stable; NaN as the largest).

        Examples
        --------
        >>> import autograd
        >>> values, indices = autograd.tensor([3.0, 1.0, 2.0]).sort(descending=True)
        >>> values, indices
        (tensor([3., 2., 1.]), tensor([0, 2, 1]))
        """
        return ops.sort(self, dim, descending, stable)

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        """The int64 indices that sort along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([3.0, 1.0, 2.0]).argsort()
        tensor([1, 2, 0])
        """
        return ops.argsort(self, dim, descending, stable)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
        """``(values, indices)`` of the ``k`` largest (or smallest) along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([1.0, 4.0, 2.0, 3.0]).topk(2)
        TopkResult(values=tensor([4., 3.]), indices=tensor([1, 3]))
        """
        return ops.topk(self, k, dim, largest, sorted)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False):
        """``(values, indices)`` of the ``k``-th smallest (1-based) along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([4.0, 1.0, 3.0, 2.0]).kthvalue(2)
        KthvalueResult(values=tensor(2.), indices=tensor(3))
        """
        return ops.kthvalue(self, k, dim, keepdim)

    def median(self, dim=None, keepdim: bool = False):
        """The lower median of all elements, or ``(values, indices)`` along ``dim``.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[1.0, 3.0, 2.0], [6.0, 4.0, 5.0]], dtype=autograd.float64)
        >>> x.median(), x.median(dim=1).values
        (tensor(3., dtype=float64), tensor([2., 5.], dtype=float64))
        """
        return ops.median(self, dim, keepdim)

    def norm(self, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """The ``p``-norm over ``dim`` (all when None): 'fro', a number, inf or -inf.

        Examples
        --------
        >>> import autograd
        >>> x = autograd.tensor([[3.0, 4.0], [0.0, 0.0]], dtype=autograd.float64)
        >>> x.norm(), x.norm(p=1, dim=1)
        (tensor(5., dtype=float64), tensor([7., 0.], dtype=float64))
        """
        return ops.norm(self, p, dim, keepdim, dtype)

    def dist(self, other: Tensor, p=2) -> Tensor:
        """``norm(self - other, p)``.

        Examples
        --------
        >>> import autograd
        >>> autograd.tensor([0.0, 0.0]).dist(autograd.tensor([3.0, 4.0]))
        tensor(5.)
        """
        return ops.dist(self, other, p)


# ``grad`` reads through the ``_grad`` slot's own (C) getter, as optimizers and viz read it every
# step; only assignments run the check (the slot exists once the class does, hence out here)
Tensor.grad = property(
    Tensor._grad.__get__,
    Tensor._set_grad,
    doc="The accumulated gradient (a Tensor of this shape and dtype), or None.",
)

_REFLECTED = {
    np.add: "__radd__",
    np.subtract: "__rsub__",
    np.multiply: "__rmul__",
    np.true_divide: "__rtruediv__",
    np.power: "__rpow__",
    np.matmul: "__rmatmul__",
    np.less: "__gt__",
    np.less_equal: "__ge__",
    np.greater: "__lt__",
    np.greater_equal: "__le__",
    np.equal: "__eq__",
    np.not_equal: "__ne__",
}


def _has_advanced(index) -> bool:
    """Whether an index holds an array, a list or a bool (whose region numpy may place
    differently from torch); ints, slices, None and ... alone are placed alike."""
    items = index if isinstance(index, tuple) else (index,)
    return any(
        isinstance(i, (bool, np.bool_, list, np.ndarray)) and not _is_int_scalar(i) for i in items
    )


def _is_int_scalar(item) -> bool:
    return isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "iu"


def _assign(data: np.ndarray, index, value) -> None:
    data[index] = value.data if isinstance(value, Tensor) else value


def _update_in_place(target: Tensor, name: str, compute, operand=None, write=None) -> Tensor:
    """Change ``target`` to ``compute(target, operand)``, a Tensor of its shape, torch's way.

    - A leaf that requires grad, with recording on: torch's error (its gradient would be lost).
    - Nothing to record (``no_grad``, or no operand requires grad): the result is written into
      ``target.data``, the same ndarray (``p -= lr * p.grad`` trains the model), cast to its
      dtype; ``write(data, operand)`` does it directly where given (``__setitem__``).
    - Otherwise the change is recorded: ``target``'s old node (its values, graph and saved
      output) moves to a new object, which the new node's graph holds, and ``target`` becomes
      the node of the out-of-place result. The old values stay exact where torch would raise
      (``h *= h``): the gradient is the exact one, never a wrong one.
      Results made from ``target`` before the change send their gradient to the old node
      (``_send_at``), or raise where their backward reads the old values (a saved
      tensor or output: the version check), as in torch.

    Either way the version goes up by one, so a backward that saved the old values raises.
    """
    recording = grad_mode._enabled and (
        target.requires_grad or (isinstance(operand, Tensor) and operand.requires_grad)
    )
    if grad_mode._enabled and target.requires_grad and target._fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation "
            f"({name}); do it under `with no_grad():`, or on a copy (x = x + 1)"
        )
    if recording and target._changes is not None:
        refresh_view(target)  # a view of a base changed since: its node made current first
    if not recording:
        if write is not None:
            write(target.data, operand)
        else:
            with grad_mode.no_grad():
                result = compute(target, operand)
            _write(target, name, result.data)
        versions.bump(target)
        return target
    chain = _view_chain(target)
    if chain:
        return _update_view_in_place(target, chain, name, compute, operand)
    _refuse_view(target, name)
    # the old values move to a copy (the old node keeps them for its graph) and the new ones are
    # written into the same array, so that views of ``target`` see them, as in torch
    in_buffer = target.data.flags.writeable
    old = _moved_aside(target, copy=in_buffer)
    if operand is target:
        operand = old
    result = _checked(name, target, compute(old, operand))
    if in_buffer:
        np.copyto(target.data, result.data)
    else:
        target.data = result.data
    _rebind(target, result)
    versions.bump(target, recorded=True)
    versions.remember_former(target, old)  # results made before still mean the old node
    _claim_saved_output(target, result)
    return target


def _moved_aside(target: Tensor, copy: bool = True) -> Tensor:
    """A new Tensor holding ``target``'s node (graph, saved output) and its values as they are
    now, so that ``target`` can become another node while the old graph keeps its numbers."""
    old = Tensor._from_array(target.data.copy() if copy else target.data)
    old.requires_grad = target.requires_grad
    old.parents = target.parents
    old._fn = target._fn
    old._ctx = target._ctx
    old._changes = None if target._changes is None else list(target._changes)  # its own
    old.label = target.label
    # A saved output stays ``target`` (now at a newer version): the old node's backward raises
    # torch's "output 0 of ExpBackward ... is at version 1" error, as torch's does.
    return old


def _checked(name: str, target: Tensor, result: Tensor) -> Tensor:
    if result.dtype != target.dtype:
        _check_cast(name, result.dtype, target.dtype)
        result = result.to(target.dtype)
    if result.shape != target.shape:
        raise _shape_error(name, target.shape, result.shape)
    return result


def _rebind(target: Tensor, node: Tensor) -> None:
    """Make ``target`` the node ``node`` (its graph), keeping ``target``'s own array."""
    target.requires_grad = node.requires_grad
    target.parents = node.parents
    target._fn = node._fn
    target._ctx = node._ctx


def _claim_saved_output(target: Tensor, node: Tensor) -> None:
    output = getattr(node._ctx, "output", None)
    if output is not None and output.ref() is node:  # the new node's saved output is target
        output.ref = weakref.ref(target)
        output.time = versions.clock


def _send_at(parent: Tensor, grad: Tensor, time: int, op: str) -> None:
    """Add ``grad`` to the node that ``parent`` was at ``time`` (when the operation that used
    it ran), once some tensor changed in place since: torch's edges point at ``grad_fn``s,
    which an in-place change does not move, while this graph's parents are Tensor objects.

    A Tensor object changes node on a recorded in-place change of it, and when it is a view
    used after a recorded change of its base (``refresh_view``); each time the node it was
    moves to another object (``versions.remember_former``), which gets the gradients of the
    results made before. Otherwise the parent itself, whose new values (if it changed) no rule
    reads unless it saved them, and saved tensors are checked.

    The node found is an ancestor of ``parent``'s current one (every in-place result is
    computed from the old node), so it is in this walk, after the operation; a view's node
    before ``refresh_view`` is not (the refreshed one is made from the base), and its
    derivative, which reads no values, is applied on the way. Anything else outside the walk
    is torch's error, not a lost gradient.
    """
    mark = parent._mark  # this walk's token: the parent is in it
    while True:
        former = versions.former_after(parent, time)
        node = parent if former is None else former[1]
        if node._mark is mark or not node.requires_grad:
            break
        fn = node._fn
        if fn is None or not (issubclass(fn, ops.VIEW_FUNCTIONS) or issubclass(fn, ops.Expand)):
            raise ModifiedError(parent, time, "an input of", op)
        # the node a view was before refresh_view, outside the walk: its derivative reads no
        # values, so it is applied here, and the result goes to its own parent as it was when
        # the view was made
        grads = fn.backward(node._ctx, grad)
        if isinstance(grads, tuple):
            positions = node._ctx.tensor_positions
            grads = grads[0 if positions is None else positions[0]]
        grad, parent, time = grads, node.parents[0], node._ctx.time
    if not node.requires_grad:
        return
    incoming = node._incoming
    node._incoming = grad if incoming is None else incoming + grad


def refresh_view(view: Tensor) -> None:
    """Make ``view`` the view of its base's current node, if the base was changed in place
    (recorded) since ``view``'s node was made: torch regenerates a view's ``grad_fn`` then.

    A view shares its base's memory and counter (``versions.share_if_view``), so its values
    are those of the base's new node, while its node was made from the old one. The old node
    moves to another object (results made from the view before keep it, ``_send_at``), and the
    view becomes its view operation applied to its parent again (refreshed first, the same
    way, by ``Function.apply``). Called on each recorded use of a tensor whose counter changed
    (``Function.apply``, a recorded in-place change, a backward from it): a stale view is never
    used as if its node were current.
    """
    changes, ctx = view._changes, view._ctx
    if (
        changes is None
        or ctx is None
        or not view.parents
        or view.parents[0]._changes is not changes
        or versions.recorded_between(changes, ctx.time, versions.clock) is None
    ):
        return
    old = _moved_aside(view, copy=False)  # a view's own values are gone: only its graph stays
    versions.tick()  # results made from now on are later than the old node
    node = _reapply(view, view.parents[0])
    _rebind(view, node)
    versions.remember_former(view, old)


def _view_chain(target: Tensor) -> list:
    """The view operations from ``target``'s base down to ``target`` (``[]`` if it is no view).

    A view is the result of a reshape, a permutation or a basic index that shares its input's
    memory; the base is the first tensor up the chain that is not such a view.
    """
    chain, node = [], target
    while (
        node._fn is not None
        and node._ctx is not None
        and issubclass(node._fn, ops.VIEW_FUNCTIONS)
        and node.parents
        and np.may_share_memory(node.data, node.parents[0].data)
    ):
        chain.append(node)
        node = node.parents[0]
    chain.reverse()
    return chain


def _update_view_in_place(target: Tensor, chain: list, name: str, compute, operand) -> Tensor:
    """A recorded in-place change of a view, as torch does it (its ``CopySlices``): the base
    takes the change too, as a node of its own, and the view is derived from the new base.

    The view's new values are ``compute(old view, operand)``; they go back up the view
    operations into the base (a reshape is undone by a reshape, a permutation by its inverse,
    an index by a scatter into the old base's values); the base's array is overwritten with the
    result (so every view of it sees the change), the base becomes that node, and ``target``
    becomes the same view operations applied to the new base.
    """
    base = chain[0].parents[0]
    if base._fn is None and base.requires_grad:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place "
            f"operation ({name}); do it under `with no_grad():`, or on a copy"
        )
    if any(issubclass(step._fn, ops.Expand) for step in chain) or not base.data.flags.writeable:
        raise RuntimeError(
            f"{name}: unsupported operation: more than one element of the written-to tensor "
            "refers to a single memory location. Please clone() the tensor before performing "
            "the operation."
        )
    base_old = _moved_aside(base)
    olds = [base_old]  # the old values at each level, with the old graph
    for step in chain:
        olds.append(_reapply(step, olds[-1]))
    view_old = olds.pop()
    if operand is target:
        operand = view_old
    new = _checked(name, target, compute(view_old, operand))
    for step, parent_old in zip(reversed(chain), reversed(olds)):
        new = _unview(step, parent_old, new)
    np.copyto(base.data, new.data)  # target.data is a view of it: it sees the new values
    _rebind(base, new)
    versions.bump(base, recorded=True)  # base and views share one counter
    versions.remember_former(base, base_old)
    _claim_saved_output(base, new)
    node = base
    for step in chain:
        node = _reapply(step, node)
    _rebind(target, node)
    if target._changes is not base._changes:
        versions.bump(target, recorded=True)
    versions.remember_former(target, view_old)  # the same view of the old base
    return target


def _reapply(step: Tensor, parent: Tensor) -> Tensor:
    """The view operation that made ``step``, applied to ``parent`` (recorded); the result
    shares ``parent``'s counter, as the view it is (refresh_view finds stale ones by it)."""
    fn, ctx = step._fn, step._ctx
    if issubclass(fn, ops.Permute):
        node = fn.apply(parent, ctx.dims)
    elif issubclass(fn, ops.GetItem):
        node = fn.apply(parent, ctx.index)
    else:  # a reshape, squeeze, unsqueeze, flatten or expand
        node = fn.apply(parent, step.shape)
    return versions.share_if_view(node, parent)


def _unview(step: Tensor, parent_old: Tensor, child_new: Tensor) -> Tensor:
    """``parent_old`` with the part that ``step`` views replaced by ``child_new`` (recorded)."""
    fn, ctx = step._fn, step._ctx
    if issubclass(fn, ops.Permute):
        return ops.Permute.apply(child_new, tuple(np.argsort(ctx.dims).tolist()))
    if issubclass(fn, ops.GetItem):
        covered = np.zeros(parent_old.shape, dtype=bool)
        covered[ctx.index] = True
        scattered = ops.index_backward(child_new, parent_old.shape, ctx.index)
        return ops.where(covered, scattered, parent_old)
    return ops.Reshape.apply(child_new, parent_old.shape)


def _refuse_view(target: Tensor, name: str) -> None:
    """Refuse a recorded in-place change of a view (``v = x[0]``, ``x.reshape(...)``, ``x.T``).

    A view shares its base's version counter (versions.share_if_view); following the shared
    counter up the view operations finds the base. torch refuses a view of a leaf that requires
    grad (its message below); for a view of a computed tensor torch rewrites the base's graph,
    which this engine does not do: it refuses too rather than leave the base unchanged.
    """
    changes = target._changes
    if changes is None:
        return
    base = target
    while base._fn is not None and base.parents and base.parents[0]._changes is changes:
        base = base.parents[0]
    if base is target:
        # a view made without recording (its array is a numpy view): its base cannot record
        # the change, so refuse while the base is alive (it holds the shared list: a count
        # above this slot, the local and getrefcount's argument); a dead base cannot be misread
        if target._fn is None and target.data.base is not None and sys.getrefcount(changes) > 3:
            raise RuntimeError(
                f"{name}: an in-place operation with an operand that requires grad on a tensor "
                "that is a view of another (made without recording) is not supported: the "
                "other one would change without recording it. Compute it out of place, or "
                "change the other one itself (base[index] = ...)"
            )
        return
    if base._fn is None and base.requires_grad:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place "
            f"operation ({name}); do it under `with no_grad():`, or on a copy"
        )
    raise RuntimeError(
        f"{name}: an in-place operation on a view (made by {target.op}) of a tensor that "
        "requires grad is not supported with recording on; torch would change the base too. "
        "Compute it out of place (v = v * 2), or change the base itself (x[index] = ...)"
    )


def _write(target: Tensor, name: str, values: np.ndarray) -> None:
    data = target.data
    if values.shape != data.shape and np.broadcast_shapes(values.shape, data.shape) != data.shape:
        raise _shape_error(name, data.shape, values.shape)
    _check_cast(name, values.dtype, data.dtype)
    np.copyto(data, values, casting="unsafe")


def _check_cast(name: str, source: np.dtype, destination: np.dtype) -> None:
    if not np.can_cast(source, destination, casting="same_kind"):
        raise RuntimeError(
            f"{name}: result type {source} can't be cast to the desired output type {destination}"
        )


def _shape_error(name: str, shape: tuple, result_shape: tuple) -> RuntimeError:
    return RuntimeError(
        f"{name}: output with shape {list(shape)} doesn't match the broadcast shape "
        f"{list(result_shape)}"
    )


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor that shares ``array``'s memory (as ``torch.from_numpy``): writes show in both.

    ``Tensor(array)`` copies instead (as ``torch.tensor``).

    Examples
    --------
    >>> import autograd
    >>> import numpy as np
    >>> a = np.zeros(3)
    >>> t = autograd.from_numpy(a)
    >>> a[0] = 5.0
    >>> t
    tensor([5., 0., 0.], dtype=float64)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(array).__name__})")
    if array.dtype.kind not in _NUMBER_KINDS:
        raise _not_numbers(array, array.dtype)
    return Tensor._from_array(array)


def _sole_owner(g: Tensor, data: np.ndarray) -> bool:
    """Whether ``g`` and its array are referenced only by the caller's locals.

    The counts are those of ``Tensor.backward`` -> ``_accumulate_grad`` -> here: ``g`` is held
    by the loop variable, two parameters and getrefcount's argument; ``data`` by ``g.data``, the
    local, the parameter and the argument. Anything more means someone else holds them.
    """
    return sys.getrefcount(g) <= 4 and sys.getrefcount(data) <= 4


def _compare(ufunc, a: Tensor, other) -> Tensor:
    """A comparison's boolean result: not differentiable, outside the graph."""
    other = other.data if isinstance(other, Tensor) else other
    return Tensor._from_array(np.asarray(ufunc(a.data, other)))
