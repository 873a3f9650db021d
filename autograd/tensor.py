"""``Tensor``: a numpy array that records the operations made with it (PyTorch's semantics).

The operations themselves live in ``ops/`` as ``Function`` subclasses, each with its forward
next to its backward; the bottom of this file binds them as methods.
"""

from __future__ import annotations

import sys

import numpy as np

from .graph import backpropagate, send
from .printing import format_array

_FLOAT_KINDS = "f"


def _as_array(data, dtype=None) -> np.ndarray:
    """PyTorch's defaults: Python floats become float32, ints int64; arrays keep their dtype."""
    if isinstance(data, np.ndarray):
        return data if dtype is None else data.astype(dtype, copy=False)
    if isinstance(data, np.generic):  # a numpy scalar keeps its dtype, as in torch.tensor
        return np.asarray(data, dtype=dtype)
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    array = np.asarray(data)
    if array.dtype.kind == "f" and array.dtype != np.float32:
        return array.astype(np.float32)
    if array.dtype.kind in "iu" and array.dtype != np.int64:
        return array.astype(np.int64)
    if array.dtype == object:
        raise TypeError(
            f"Tensor: cannot make a tensor from {type(data).__name__} holding "
            f"{type(array.flat[0]).__name__}; pass numbers, nested lists of numbers or an ndarray"
        )
    return array


class Tensor:
    """An n-dimensional array node of the computation graph.

    ``Tensor(data, requires_grad=False, dtype=None)``: ``data`` is a number, a nested list or an
    ndarray. Members: ``data`` (the ndarray), ``grad`` (a Tensor shaped like ``data``, or None),
    ``requires_grad``, ``parents`` and ``op`` (the graph protocol), ``label`` (a name for
    drawings).
    """

    __slots__ = (
        "data",
        "grad",
        "requires_grad",
        "parents",
        "label",
        "_fn",
        "_ctx",
        "_retains_grad",
        "_mark",
        "_incoming",
        "__weakref__",
    )
    __array_priority__ = 1000  # ndarray <op> Tensor defers to the Tensor's reflected op

    def __init__(self, data, requires_grad: bool = False, dtype=None, label: str = "") -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = _as_array(data, dtype)
        self.grad = None
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
        out.grad = None
        out.requires_grad = False
        out.parents = ()
        out.label = ""
        out._fn = None
        out._ctx = None
        out._retains_grad = False
        out._mark = None
        out._incoming = None
        return out

    # -- properties ------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self):
        return self.data.dtype

    def size(self, dim: int | None = None):
        """The shape (PyTorch's ``size()``), or the length of one dimension."""
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        return self.data.size

    @property
    def op(self) -> str:
        """The name of the operation that made this tensor ("" for leaves)."""
        fn = self._fn
        if fn is None:
            return ""
        return fn.op or fn.__name__.lower()

    @property
    def is_leaf(self) -> bool:
        return self._fn is None

    @property
    def grad_fn(self):
        """The Function class that made this tensor, or None for leaves (PyTorch's name)."""
        return self._fn

    @property
    def name(self) -> str:
        return self.label

    @name.setter
    def name(self, value: str) -> None:
        self.label = value

    # -- conversions -----------------------------------------------------------------------------

    def item(self):
        if self.data.size != 1:
            raise ValueError(
                f"item(): only a tensor with one element can be converted to a Python number, "
                f"this one has shape {self.shape}"
            )
        return self.data.item()

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        return self.data

    def tolist(self):
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

    __hash__ = object.__hash__  # __eq__ compares elements, identity still hashes

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def to(self, dtype) -> Tensor:
        """A copy with another dtype (differentiable between floating dtypes)."""
        from .ops.elementwise import cast

        return cast(self, np.dtype(dtype))

    # -- graph -----------------------------------------------------------------------------------

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Ask (or stop asking) for gradients of this leaf; only floating tensors can."""
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
        """The same data, outside the graph (shares memory, as in PyTorch)."""
        out = Tensor._from_array(self.data)
        out.label = self.label
        return out

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this intermediate tensor after backward (to inspect or draw it)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad and self._fn is not None

    def backward(
        self, gradient=None, retain_graph: bool | None = None, create_graph: bool = False
    ) -> None:
        """Accumulate ``d self / d leaf`` into ``.grad`` of every leaf that requires grad.

        ``gradient`` is required for a non-scalar tensor (the vector of a vector-Jacobian
        product). The graph's saved arrays are freed afterwards unless ``retain_graph=True``;
        with ``create_graph=True`` the gradients are recorded and can be differentiated again.
        Leaf gradients accumulate across calls until zeroed, as in PyTorch.
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
            if self.grad is not None:
                self.grad = self.grad + g
            elif g.requires_grad:
                self.grad = g  # recorded: later passes replace it rather than add in place
            else:  # a constant may be the caller's seed or another leaf's gradient too
                self.grad = Tensor._from_array(np.array(g.data, copy=True))
        elif self.grad is None:
            # Take the array over when nothing else can see it (PyTorch does the same); else
            # copy: the same gradient may reach several leaves (a + b), be the caller's seed,
            # a view of another gradient, or a tensor a custom backward saved.
            data = g.data
            if _sole_owner(g, data) and data.flags.owndata and data.flags.writeable:
                self.grad = Tensor._from_array(data)
            else:
                self.grad = Tensor._from_array(np.array(data, copy=True))
        elif self.grad.requires_grad:  # left recorded by an earlier create_graph pass
            self.grad = Tensor._from_array(self.grad.data + g.data)
        else:
            self.grad.data += g.data

    # -- graph protocol (see graph.py) -----------------------------------------------------------

    def _chain(self, grad, create_graph: bool) -> None:
        if self._fn is None:
            return  # a leaf
        ctx = self._ctx
        if ctx is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward."
            )
        grads = self._fn.backward(ctx, grad)
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
            if g is None or not parent.requires_grad:
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
            send(parent, g)

    def _seed_gradient(self, grad_output, create_graph: bool):
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
        self._ctx = None

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


def _sole_owner(g: Tensor, data: np.ndarray) -> bool:
    """Whether ``g`` and its array are referenced only by the caller's locals.

    The counts are those of ``Tensor.backward`` -> ``_accumulate_grad`` -> here: ``g`` is held
    by the loop variable, two parameters and getrefcount's argument; ``data`` by ``g.data``, the
    local, the parameter and the argument. Anything more means someone else holds them.
    """
    return sys.getrefcount(g) <= 4 and sys.getrefcount(data) <= 4


# -- comparisons: not differentiable, boolean results ------------------------------------------


def _compare(ufunc):
    def compare(self, other):
        other = other.data if isinstance(other, Tensor) else other
        return Tensor._from_array(np.asarray(ufunc(self.data, other)))

    compare.__name__ = ufunc.__name__
    return compare


Tensor.__lt__ = _compare(np.less)
Tensor.__le__ = _compare(np.less_equal)
Tensor.__gt__ = _compare(np.greater)
Tensor.__ge__ = _compare(np.greater_equal)
Tensor.__eq__ = _compare(np.equal)
Tensor.__ne__ = _compare(np.not_equal)


# -- the operations, bound as methods: each is the function of the same name in ops/ ----------

from .ops import arithmetic, elementwise, indexing, reduction, shape, window  # noqa: E402, I001

Tensor.__add__ = arithmetic.add
Tensor.__radd__ = arithmetic.radd
Tensor.__sub__ = arithmetic.sub
Tensor.__rsub__ = arithmetic.rsub
Tensor.__mul__ = arithmetic.mul
Tensor.__rmul__ = arithmetic.rmul
Tensor.__truediv__ = arithmetic.div
Tensor.__rtruediv__ = arithmetic.rdiv
Tensor.__pow__ = arithmetic.pow
Tensor.__rpow__ = arithmetic.rpow
Tensor.__neg__ = arithmetic.neg
Tensor.__matmul__ = Tensor.matmul = arithmetic.matmul
Tensor.__rmatmul__ = arithmetic.rmatmul

Tensor.exp = elementwise.exp
Tensor.log = elementwise.log
Tensor.sqrt = elementwise.sqrt
Tensor.abs = Tensor.__abs__ = elementwise.abs
Tensor.tanh = elementwise.tanh
Tensor.sigmoid = elementwise.sigmoid
Tensor.relu = elementwise.relu
Tensor.clamp = Tensor.clip = elementwise.clamp
Tensor.maximum = elementwise.maximum
Tensor.minimum = elementwise.minimum

Tensor.sum = reduction.sum
Tensor.mean = reduction.mean
Tensor.max = reduction.max
Tensor.min = reduction.min
Tensor.var = reduction.var
Tensor.std = reduction.std
Tensor.logsumexp = reduction.logsumexp
Tensor.softmax = reduction.softmax
Tensor.log_softmax = reduction.log_softmax
Tensor.argmax = reduction.argmax
Tensor.argmin = reduction.argmin

Tensor.reshape = Tensor.view = shape.reshape
Tensor.expand = shape.expand
Tensor.flatten = shape.flatten
Tensor.transpose = shape.transpose
Tensor.permute = shape.permute
Tensor.squeeze = shape.squeeze
Tensor.unsqueeze = shape.unsqueeze
Tensor.T = property(shape.t)

Tensor.__getitem__ = indexing.getitem
Tensor.sliding_window = window.sliding_window
