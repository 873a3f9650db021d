"""``Function``: an operation with a forward and a backward, PyTorch's custom-op API.

Every built-in Tensor operation is a ``Function`` too, so this one mechanism records the graph:

    class Square(Function):
        @staticmethod
        def forward(ctx, x):               # x: Tensor; return an ndarray or a Tensor
            ctx.save_for_backward(x)
            return x.data**2

        @staticmethod
        def backward(ctx, grad):           # grad: Tensor shaped like the output
            (x,) = ctx.saved_tensors
            return grad * 2 * x            # engine operations, so create_graph=True works

    y = Square.apply(x)

``forward`` runs with recording off; ``backward`` returns one gradient per ``forward``
argument (``None`` for those that need none, and for non-Tensor arguments). Written with Tensor
operations, a backward is itself recorded under ``create_graph=True``, which gives gradients of
gradients with no second formula.
"""

from __future__ import annotations

import weakref

from . import grad_mode, versions
from .tensor import Tensor, refresh_view
from .versions import FREED_MESSAGE, ModifiedError


class Context:
    """What a ``forward`` leaves for its ``backward``: saved tensors and any attributes set on it.

    ``needs_input_grad`` has one bool per ``forward`` argument: whether a gradient is wanted.

    Examples
    --------
    >>> import autograd
    >>> class Cube(autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x * x
    >>> x = autograd.tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> x.grad
    tensor([12.])
    """

    tensor_positions = None  # which forward arguments are Tensors, when not all of them are
    output = None  # set by save_output: a SavedOutput, called to get the output node
    operands = None  # a binary primitive's operands, for their shapes (ops/arithmetic.py)

    def __init__(self, needs_input_grad: tuple = ()) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple | None = ()
        # when the operation ran, in in-place changes (versions.py): an input or saved tensor
        # changed after this time makes backward raise
        self.time = versions.clock

    def save_for_backward(self, *tensors) -> None:
        """Keep these tensors for ``backward`` (read them back with ``saved_tensors``).

        Reading them back after an in-place change of one of them raises PyTorch's error
        instead of differentiating at the changed values.

        Examples
        --------
        >>> import autograd
        >>> class Cube(autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return grad * 3 * x * x
        >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
        >>> Cube.apply(x).sum().backward()
        >>> x.grad
        tensor([ 3., 12.])
        """
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple:
        """The tensors ``save_for_backward`` kept, in the order given (read them in ``backward``).

        Examples
        --------
        >>> import autograd
        >>> class Cube(autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return grad * 3 * x * x
        >>> x = autograd.tensor([2.0], requires_grad=True)
        >>> Cube.apply(x).backward()
        >>> x.grad
        tensor([12.])
        """
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        time = self.time
        if time == versions.clock:  # no tensor changed in place since the forward
            return saved
        for position, tensor in enumerate(saved):
            if isinstance(tensor, Tensor) and versions.changed_since(tensor, time):
                raise ModifiedError(tensor, time, f"saved tensor {position} of")
        return saved

    def save_output(self, array) -> Tensor:
        """Wrap ``array`` as ``forward``'s output and keep it for ``backward`` as ``output()``.

        ``self.output()`` is then the recorded output node itself, so a derivative written with
        it (``grad * out`` for exp) is differentiated through ``out`` again under
        ``create_graph=True``. It is held by weak reference: a strong one would make the cycle
        output -> context -> output; the graph walk holds the node while its backward runs.

        Examples
        --------
        >>> import numpy as np
        >>> import autograd
        >>> class Exp(autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         return ctx.save_output(np.exp(x.data))
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad * ctx.output()
        >>> x = autograd.tensor([0.0, 1.0], dtype=autograd.float64, requires_grad=True)
        >>> Exp.apply(x).sum().backward()
        >>> x.grad
        tensor([1.0000, 2.7183], dtype=float64)
        """
        out = Tensor._from_array(array)
        self.output = SavedOutput(out)
        return out

    def _free(self) -> None:
        """Drop the saved tensors once a backward has used them (``retain_graph=False``).

        Attributes set on the context stay: a backward that needs only them (shapes, dims)
        runs again, as PyTorch's does for an operation that saved no tensor.
        """
        if self._saved:
            self._saved = None
        if self.output is not None:
            self.output.ref = None


class SavedOutput:
    """An operation's output kept for its backward: a weak reference and the version then.

    Called, it gives the output node; it raises PyTorch's error when the output was changed in
    place since, and the second-backward error once a backward freed it.
    """

    __slots__ = ("ref", "time")

    def __init__(self, out: Tensor) -> None:
        self.ref = weakref.ref(out)
        self.time = versions.clock

    def __call__(self) -> Tensor:
        if self.ref is None:
            raise RuntimeError(FREED_MESSAGE)
        out = self.ref()
        if out is not None and versions.changed_since(out, self.time):
            raise ModifiedError(out, self.time, "output 0 of")
        return out


def recording(ctx: Context) -> bool:
    """Whether this ``forward`` is recorded, so that its backward may run: worth saving for.

    True when some input needs a gradient, whichever context the Function was given.
    """
    return True in ctx.needs_input_grad


class _NoInputNeedsGrad(tuple):
    """``needs_input_grad`` when nothing is recorded: False for every input."""

    def __getitem__(self, index):
        return False


class _UnrecordedContext(Context):
    """The context an operation gets when no graph is recorded: it keeps nothing."""

    needs_input_grad = _NoInputNeedsGrad()

    def save_for_backward(self, *tensors) -> None:
        pass

    def save_output(self, array) -> Tensor:
        return Tensor._from_array(array)

    def __setattr__(self, name, value) -> None:
        pass


_UNRECORDED = _UnrecordedContext()


class Function:
    """Base class of differentiable operations; subclass it and call ``MyOp.apply(...)``.

    ``op`` is the name drawings show for the operation (the class name, lowercased, by default).

    Examples
    --------
    >>> import autograd
    >>> class Cube(autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x * x
    >>> x = autograd.tensor([3.0], requires_grad=True)
    >>> y = Cube.apply(x)
    >>> y.backward()
    >>> y, x.grad
    (tensor([27.], grad_fn=<CubeBackward>), tensor([27.]))
    """

    op: str | None = None
    # When nothing is recorded, a class that sets this flag gets one shared inert context (it
    # keeps nothing), which saves a Context per call: its forward must only write to ctx for
    # the backward, never read ctx back. The built-in primitives (autograd.ops) set it; any
    # other Function gets a context of its own, as in PyTorch (its forward may set ctx.k and
    # read ctx.k again). ``recording(ctx)`` answers correctly for both.
    shares_unrecorded_context: bool = False
    # The name of the fused rule this class belongs to (set by ``fused.register_fused``).
    fused_rule: str | None = None

    @staticmethod
    def forward(ctx: Context, *args, **kwargs):
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx: Context, *grads):
        """The gradients of ``forward``'s inputs from the gradient of its output: override it.

        Examples
        --------
        >>> import autograd
        >>> class Cube(autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return grad * 3 * x * x
        >>> x = autograd.tensor([1.0], requires_grad=True)
        >>> Cube.apply(x).backward()
        >>> x.grad
        tensor([3.])
        """
        raise NotImplementedError("a Function subclass must define backward(ctx, grad)")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` on ``args`` and, if any input requires grad, record the result.

        Examples
        --------
        >>> import autograd
        >>> class Cube(autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return grad * 3 * x * x
        >>> Cube.apply(autograd.tensor([2.0]))
        tensor([8.])
        """
        if grad_mode._enabled:
            needs = tuple([isinstance(a, Tensor) and a.requires_grad for a in args])
            record = True in needs
            if record and versions.clock:  # some tensor was changed in place: maybe an input
                for a in args:
                    if isinstance(a, Tensor) and a._changes is not None:
                        refresh_view(a)  # a view of a base changed since: made current
            ctx = _UNRECORDED if not record and cls.shares_unrecorded_context else Context(needs)
            grad_mode._enabled = False  # forward computes values only, as in PyTorch
            try:
                out = cls.forward(ctx, *args, **kwargs)
            finally:
                grad_mode._enabled = True
        else:
            record = False
            ctx = _UNRECORDED if cls.shares_unrecorded_context else Context((False,) * len(args))
            out = cls.forward(ctx, *args, **kwargs)
        if type(out) is not Tensor:
            if isinstance(out, tuple):
                raise TypeError(
                    f"{cls.__name__}.forward returned a tuple; a Function returns one Tensor "
                    "(or ndarray): compute other outputs outside it"
                )
            out = Tensor._from_array(out.data if isinstance(out, Tensor) else out)
        if record:
            parents = tuple([a for a in args if isinstance(a, Tensor)])
            if len(parents) != len(args):  # numbers among the arguments get no gradient
                ctx.tensor_positions = tuple(
                    [i for i, a in enumerate(args) if isinstance(a, Tensor)]
                )
            out.requires_grad = True
            out.parents = parents
            out._fn = cls
            out._ctx = ctx
        return out


class Primitive(Function):
    """A built-in operation of ``autograd.ops``: a Function whose forward only writes to ctx."""

    shares_unrecorded_context = True
