"""``export_onnx``: a model traced through one forward pass and written as an ONNX file.

The exporter runs the forward with the example input marked ``requires_grad`` (so every
operation that depends on it is recorded), then walks the recorded graph from the output back
to the input and writes one or a few ONNX nodes per operation, with the ``onnx`` package's
helpers. Two levels of the graph are read:

- the modules whose ``forward`` is one ONNX operator (``Conv1d``/``Conv2d``, ``AvgPool``,
  ``BatchNorm`` in eval mode, ``LayerNorm``, ``Embedding``, the activations built on ``where``)
  are written as that operator: the exporter notes each module call's input and output while
  it traces, and does not look inside;
- everything else (``Linear``'s fused node, arithmetic, reductions, shape ops, softmax, max
  pooling, the activations that are primitives) is written primitive by primitive, from the
  node's ``Function`` and the attributes its forward left on its context.

Parameters and buffers become initializers named by their ``state_dict`` keys; other leaves
(numbers, masks) become constants. The forward runs twice, the second time on other values
(``min + max - x``) and, with ``dynamic_batch=True``, on a batch three rows larger (the
example's rows repeated): a constant that differs between the two runs was computed from the
input outside the recorded graph (a comparison, numpy on ``.data``, the extremes that ``amax``
and ``logsumexp`` take outside it) and is refused rather than frozen into the file; a target
shape that differs by a multiple of the batch size gets its batch entry from the input's shape,
and a fill of a batch-sized shape (an RNN's zero state) becomes ``ConstantOfShape``.

Not written, with ``UnsupportedOperatorError`` naming the operation and the module that
recorded it: ``F.conv*``/``F.avg_pool*`` called in a forward (the layers export), cumprod, the
linear-algebra primitives. Compositions that pick by value (sort, topk, amax, logsumexp) meet
the refusal above, and so does a mean over the batch dim with ``dynamic_batch`` (its count is
a number that changes with the batch).

``onnx`` is imported by ``export_onnx`` itself, so ``import nn`` does not need it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

from autograd import Tensor, enable_grad, versions
from autograd.ops.arithmetic import Add, Div, MatMul, Mul, Neg, Pow, Sub
from autograd.ops.einsum import Einsum
from autograd.ops.elementwise import (
    Abs,
    Cast,
    Clamp,
    Exp,
    Log,
    Maximum,
    Minimum,
    ReLU,
    Sigmoid,
    Sqrt,
    Where,
)
from autograd.ops.elementwise import Tanh as TanhOp
from autograd.ops.indexing import GetItem
from autograd.ops.joining import Cat, Pad, Stack
from autograd.ops.linear_algebra import Cumsum
from autograd.ops.math import (
    Acos,
    Asin,
    Atan,
    Ceil,
    Cos,
    Cosh,
    Exp2,
    Floor,
    Log2,
    Log10,
    Reciprocal,
    Round,
    Rsqrt,
    Sign,
    Sin,
    Sinh,
    Tan,
    Trunc,
)
from autograd.ops.reduction import LogSoftmax as LogSoftmaxOp
from autograd.ops.reduction import Max, MaxDim, Min, MinDim, Sum
from autograd.ops.reduction import Softmax as SoftmaxOp
from autograd.ops.shape import Expand, Flatten, Permute, Reshape, Squeeze, Transpose, Unsqueeze
from autograd.ops.special import Erf, Expm1, Log1p

from . import layers
from .containers import ParameterList
from .functional.activation import LogSigmoid
from .functional.linear import Linear as LinearOp
from .functional.pooling import _MaxPool1d, _MaxPool2d
from .module import Module
from .parameter import Parameter

__all__ = ["export_onnx", "UnsupportedOperatorError"]

OPSET = 18  # LayerNormalization needs 17; 18 gives every Reduce* its axes as an input
_IR_VERSION = 8  # the IR version that came with opset 18: older runtimes read the file too
_EXTRA_ROWS = 3  # the second trace's batch is the example's plus these rows
_INT64_MAX = np.iinfo(np.int64).max
_INT64_MIN = np.iinfo(np.int64).min


class UnsupportedOperatorError(RuntimeError):
    """An operation of the traced graph that has no ONNX mapping here (torch's name)."""


class _Unsupported(Exception):
    """Raised by a writer with the detail; ``_emit`` adds the operation and the module."""


# -- the trace -------------------------------------------------------------------------------


class _Trace:
    """One forward pass, recorded: its inputs and outputs, and what the module calls did.

    ``calls`` maps the output node of each call of a module written as one operator, by its
    context (``id(node._ctx)``: an in-place change of the output moves the node, context and
    all, to a new object), to ``(module, path, inputs, time)``, ``time`` the in-place clock at
    the call; ``owner`` maps ``id(node)`` to the path of the innermost module that made it.
    """

    def __init__(self, inputs: list[Tensor], outputs: list[Tensor], calls: dict, owner: dict):
        self.inputs = inputs
        self.outputs = outputs
        self.calls = calls
        self.owner = owner


def _trace(model: Module, examples: list[np.ndarray]) -> _Trace:
    """Run ``model`` once on copies of ``examples`` that require grad (float ones), in eval mode."""
    inputs = [Tensor(x, requires_grad=x.dtype.kind == "f") for x in examples]
    calls: dict = {}
    owner: dict = {}
    wrapped = []
    for path, module in model.named_modules():
        wrapped.append((module, module.__dict__.get("forward")))
        object.__setattr__(module, "forward", _recording(module, path, calls, owner))
    modes = [(module, module.training) for module in model.modules()]
    model.eval()  # as torch.onnx.export: BatchNorm's running statistics, no dropout
    try:
        with enable_grad():
            result = model(*inputs)
    finally:
        for module, training in modes:
            module.training = training
        for module, previous in wrapped:
            if previous is None:
                del module.__dict__["forward"]
            else:
                object.__setattr__(module, "forward", previous)
    outputs = list(result) if isinstance(result, (tuple, list)) else [result]
    for i, out in enumerate(outputs):
        if not isinstance(out, Tensor):
            raise TypeError(
                f"export_onnx: the model returned a {type(out).__name__} as output {i}; it must "
                "return a Tensor or a tuple of Tensors"
            )
    return _Trace(inputs, outputs, calls, owner)


def _recording(module: Module, path: str, calls: dict, owner: dict) -> Callable:
    """``module.forward`` that also notes its call (for modules written as one operator) and
    marks the nodes it made as its own (for error messages)."""
    forward = module.forward
    handler = _MODULES.get(type(module))

    def recorded(*args, **kwargs):
        out = forward(*args, **kwargs)
        given = {id(a) for a in args if isinstance(a, Tensor)}
        outs = out if isinstance(out, (tuple, list)) else (out,)
        stack = [t for t in outs if isinstance(t, Tensor)]
        while stack:  # mark what this call made: the nodes between its output and its inputs
            node = stack.pop()
            if id(node) in given or id(node) in owner or not node.parents:
                continue
            owner[id(node)] = path
            stack.extend(node.parents)
        one_output = isinstance(out, Tensor) and id(out) not in given and out._ctx is not None
        if handler is not None and one_output and not kwargs and handler.accepts(module):
            inputs = [a for a in args if isinstance(a, Tensor)]
            calls[id(out._ctx)] = (module, path, inputs, versions.clock)
        return out

    return recorded


def _describe(path: str | None, model: Module) -> str:
    """Where a node was recorded, for error messages: the module's path and type."""
    if path is None or path == "":
        return f"the model's own forward ({type(model).__name__})"
    module = model.get_submodule(path)
    return f"module '{path}' ({type(module).__name__})"


# -- the graph being written -----------------------------------------------------------------


class _Emitter:
    """The ONNX graph under construction, as plain tuples (two traces' graphs compare equal).

    ``nodes``: ``(op_type, inputs, outputs, attributes)``; ``initializers``: ``(name, array)``;
    ``shapes``: the initializers that are target shapes (they may hold the batch size);
    ``uses``: where each constant is used, for the error that refuses it.
    """

    def __init__(self, state_names: dict[int, str]) -> None:
        self.nodes: list[tuple] = []
        self.initializers: list[tuple[str, np.ndarray]] = []
        self.shapes: set[str] = set()
        self.uses: dict[str, str] = {}
        self.values: dict[int, str] = {}
        self.state_names = state_names
        self.count = 0
        self.here = ""  # the operation being written, for ``uses``

    def fresh(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def constant(self, array, hint: str = "const", shape: bool = False) -> str:
        name = self.fresh(hint)
        self.initializers.append((name, np.asarray(array)))
        self.uses[name] = self.here
        if shape:
            self.shapes.add(name)
        return name

    def shape(self, dims: Sequence[int]) -> str:
        """A target shape (int64): made symbolic in its batch-sized entries when dynamic."""
        return self.constant(np.array(dims, dtype=np.int64), "shape", shape=True)

    def ints(self, values: Sequence[int]) -> str:
        return self.constant(np.array(values, dtype=np.int64), "ints")

    def node(self, op_type: str, inputs: Sequence[str], **attributes) -> str:
        out = self.fresh(op_type)
        self.nodes.append((op_type, list(inputs), [out], attributes))
        return out

    def leaf(self, tensor: Tensor) -> str:
        """A parameter or buffer by its state_dict key, any other leaf as a constant."""
        key = id(tensor)
        if key not in self.values:
            name = self.state_names.get(key)
            if name is None:
                self.values[key] = self.constant(tensor.data)
            else:
                self.initializers.append((name, np.asarray(tensor.data)))
                self.values[key] = name
        return self.values[key]

    def value(self, tensor: Tensor) -> str:
        """The name of ``tensor``: written already (the walk goes parents first), or a leaf."""
        name = self.values.get(id(tensor))
        if name is not None:
            return name
        if tensor.parents:  # a computed value the walk did not reach: never freeze it
            raise RuntimeError(
                f"export_onnx: {self.here} reads a computed tensor that is not among its "
                "inputs in the recorded graph; please report this model"
            )
        return self.leaf(tensor)

    def operand(self, x, dtype: np.dtype) -> str:
        """A Tensor (cast to ``dtype`` when it differs) or a number as a ``dtype`` constant."""
        if isinstance(x, Tensor):
            return self.cast(self.value(x), x.dtype, dtype)
        return self.constant(np.asarray(x, dtype=dtype))

    def cast(self, name: str, source: np.dtype, target: np.dtype) -> str:
        if np.dtype(source) == np.dtype(target):
            return name
        return self.node("Cast", [name], to=_onnx_type(target))


def _onnx_type(dtype) -> int:
    from onnx import helper

    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


# -- primitives: one function per Function class ---------------------------------------------


def _binary(op_type: str, operands: Callable) -> Callable:
    def emit(em: _Emitter, node: Tensor, ctx) -> str:
        a, b = operands(ctx)
        return em.node(op_type, [em.operand(a, node.dtype), em.operand(b, node.dtype)])

    return emit


def _unary(op_type: str) -> Callable:
    def emit(em: _Emitter, node: Tensor, ctx) -> str:
        (x,) = node.parents
        return em.node(op_type, [em.operand(x, node.dtype)])

    return emit


def _log1p(em, node, ctx):
    (x,) = node.parents
    one = em.constant(np.asarray(1, node.dtype))
    return em.node("Log", [em.node("Add", [em.operand(x, node.dtype), one])])


def _expm1(em, node, ctx):
    (x,) = node.parents
    one = em.constant(np.asarray(1, node.dtype))
    return em.node("Sub", [em.node("Exp", [em.operand(x, node.dtype)]), one])


def _logsigmoid(em, node, ctx):
    """``min(x, 0) - log(1 + exp(-|x|))``, the engine's stable form."""
    (x,) = node.parents
    x = em.operand(x, node.dtype)
    zero = em.constant(np.asarray(0, node.dtype))
    one = em.constant(np.asarray(1, node.dtype))
    tail = em.node("Exp", [em.node("Neg", [em.node("Abs", [x])])])
    log = em.node("Log", [em.node("Add", [tail, one])])
    return em.node("Sub", [em.node("Min", [x, zero]), log])


def _log_base(base: float) -> Callable:
    def emit(em, node, ctx):
        (x,) = node.parents
        scale = em.constant(np.asarray(1 / np.log(base), node.dtype))
        return em.node("Mul", [em.node("Log", [em.operand(x, node.dtype)]), scale])

    return emit


def _exp2(em, node, ctx):
    (x,) = node.parents
    two = em.constant(np.asarray(2, node.dtype))
    return em.node("Pow", [two, em.operand(x, node.dtype)])


def _rsqrt(em, node, ctx):
    (x,) = node.parents
    return em.node("Reciprocal", [em.node("Sqrt", [em.operand(x, node.dtype)])])


def _rounding(op_type: str) -> Callable:
    """floor/ceil/round keep integers as they are (torch), round floats."""

    def emit(em, node, ctx):
        (x,) = node.parents
        if node.dtype.kind != "f":
            return em.node("Identity", [em.value(x)])
        return em.node(op_type, [em.value(x)])

    return emit


def _trunc(em, node, ctx):
    """Toward zero: ``sign(x) * floor(|x|)``."""
    (x,) = node.parents
    if node.dtype.kind != "f":
        return em.node("Identity", [em.value(x)])
    name = em.value(x)
    return em.node("Mul", [em.node("Sign", [name]), em.node("Floor", [em.node("Abs", [name])])])


def _cumsum(em, node, ctx):
    (x,) = node.parents
    name = em.operand(x, node.dtype)  # ints sum in int64, as torch
    if x.ndim == 0:
        return em.node("Identity", [name])
    return em.node("CumSum", [name, em.constant(np.asarray(ctx.dim, np.int64))])


def _einsum(em, node, ctx):
    """ONNX's Einsum, with the labels renamed to lowercase letters (its equation's alphabet)."""
    labels = sorted(set("".join(ctx.inputs) + ctx.output_labels))
    if len(labels) > 26:
        raise _Unsupported(f"with {len(labels)} distinct subscripts (26 at most)")
    rename = str.maketrans(dict(zip(labels, "abcdefghijklmnopqrstuvwxyz")))
    equation = f"{','.join(ctx.inputs)}->{ctx.output_labels}".translate(rename)
    names = [em.operand(t, node.dtype) for t in node.parents]
    return em.node("Einsum", names, equation=equation)


def _matmul(em, node, ctx):
    a, b = node.parents
    return em.node("MatMul", [em.operand(a, node.dtype), em.operand(b, node.dtype)])


def _linear(em, node, ctx):
    """``x @ w.T + b``: one Gemm for a 2-D input, else MatMul and Add."""
    x, w = node.parents[:2]
    bias = node.parents[2] if len(node.parents) == 3 else None
    xs, ws = em.operand(x, node.dtype), em.operand(w, node.dtype)
    if x.ndim == 2 and w.ndim == 2:
        inputs = [xs, ws] + ([em.operand(bias, node.dtype)] if bias is not None else [])
        return em.node("Gemm", inputs, transB=1)
    out = em.node("MatMul", [xs, em.node("Transpose", [ws], perm=list(range(w.ndim))[::-1])])
    return out if bias is None else em.node("Add", [out, em.operand(bias, node.dtype)])


def _reshape(em, node, ctx):
    (x,) = node.parents
    return em.node("Reshape", [em.value(x), em.shape(node.shape)])


def _expand(em, node, ctx):
    (x,) = node.parents
    return em.node("Expand", [em.value(x), em.shape(node.shape)])


def _permute(em, node, ctx):
    (x,) = node.parents
    return em.node("Transpose", [em.value(x)], perm=[int(d) for d in ctx.dims])


def _axes(dims, ndim: int) -> list[int]:
    if dims is None:
        return list(range(ndim))
    if isinstance(dims, (int, np.integer)):
        return [int(dims)]
    return [int(d) for d in dims]


def _sum(em, node, ctx):
    (x,) = node.parents
    name = em.operand(x, node.dtype)  # ints sum in int64, as torch
    if x.ndim == 0:
        return em.node("Identity", [name])
    axes = em.ints(_axes(ctx.dims, x.ndim))
    return em.node("ReduceSum", [name, axes], keepdims=int(bool(ctx.keepdim)))


def _reduce_all(op_type: str) -> Callable:
    def emit(em, node, ctx):
        (x,) = node.parents
        if x.ndim == 0:
            return em.node("Identity", [em.value(x)])
        keep = int(node.ndim == x.ndim)
        return em.node(op_type, [em.value(x), em.ints(range(x.ndim))], keepdims=keep)

    return emit


def _reduce_dim(op_type: str) -> Callable:
    def emit(em, node, ctx):
        (x,) = node.parents
        keep = int(node.ndim == x.ndim)
        return em.node(op_type, [em.value(x), em.ints([ctx.dim])], keepdims=keep)

    return emit


def _softmax(op_type: str) -> Callable:
    def emit(em, node, ctx):
        (x,) = node.parents
        return em.node(op_type, [em.operand(x, node.dtype)], axis=int(ctx.dim))

    return emit


def _cat(em, node, ctx):
    names = [em.operand(t, node.dtype) for t in node.parents]
    return em.node("Concat", names, axis=int(ctx.dim))


def _stack(em, node, ctx):
    axes = em.ints([ctx.dim])
    names = [em.node("Unsqueeze", [em.operand(t, node.dtype), axes]) for t in node.parents]
    return em.node("Concat", names, axis=int(ctx.dim))


def _pad(em, node, ctx):
    """Constant padding (negative widths crop); the value is read back from a padded slot."""
    (x,) = node.parents
    widths = [(int(lo), int(hi)) for lo, hi in ctx.widths]
    value = np.zeros((), dtype=node.dtype)
    for axis, (lo, hi) in enumerate(widths):
        if lo > 0 or hi > 0:
            where = [0] * node.ndim
            where[axis] = 0 if lo > 0 else node.shape[axis] - 1
            value = np.asarray(node.data[tuple(where)], dtype=node.dtype)
            break
    pads = em.ints([lo for lo, _ in widths] + [hi for _, hi in widths])
    return em.node("Pad", [em.value(x), pads, em.constant(value)], mode="constant")


def _cast(em, node, ctx):
    (x,) = node.parents
    return em.node("Cast", [em.value(x)], to=_onnx_type(node.dtype))


def _where(em, node, ctx):
    """``where`` with its condition as a constant: the second trace refuses one that was
    computed from the input. A number operand is read back from the output where it was
    chosen (the condition is fixed, so that is where it matters)."""
    condition = np.asarray(ctx.condition, dtype=bool)
    chosen = np.broadcast_to(condition, node.shape)
    positions = ctx.tensor_positions or (1, 2)  # all three arguments Tensors: no numbers
    parents = iter(node.parents)
    names = []
    for position, picked in ((1, chosen), (2, ~chosen)):
        if position in positions:
            names.append(em.operand(next(parents), node.dtype))
        else:
            seen = node.data[picked]
            names.append(em.constant(seen.flat[0] if seen.size else np.zeros((), node.dtype)))
    return em.node("Where", [em.constant(condition), *names])


def _clamp(em, node, ctx):
    """``Clip`` between the bounds (numbers; None for an open side), in the result's dtype;
    like the engine it takes the max first, so ``low > high`` gives ``high`` everywhere."""
    (x,) = node.parents
    low, high = ctx.bounds
    names = [em.operand(x, node.dtype)]
    names.append("" if low is None else em.constant(np.asarray(low, node.dtype)))
    if high is not None:
        names.append(em.constant(np.asarray(high, node.dtype)))
    return em.node("Clip", names)


def _maximum(op_type: str) -> Callable:
    def emit(em, node, ctx):
        if len(node.parents) != 2:
            raise _Unsupported(
                "with a number operand (the number is not recorded): give a Tensor instead"
            )
        a, b = node.parents
        return em.node(op_type, [em.operand(a, node.dtype), em.operand(b, node.dtype)])

    return emit


def _getitem(em, node, ctx):
    """Basic indexing (ints, slices with positive steps, None, ...) as one Slice and a
    Reshape; one integer array among slices as a Gather."""
    (x,) = node.parents
    index = ctx.index if isinstance(ctx.index, tuple) else (ctx.index,)
    arrays = [i for i, item in enumerate(index) if isinstance(item, (np.ndarray, list))]
    if arrays:
        return _gather_index(em, node, x, index, arrays)
    consumed = sum(1 for item in index if item is not None and item is not Ellipsis)
    if Ellipsis in index:
        at = index.index(Ellipsis)
        index = index[:at] + (slice(None),) * (x.ndim - consumed) + index[at + 1 :]
    starts, ends, axes, steps = [], [], [], []
    axis = 0
    for item in index:
        if item is None:
            continue
        if isinstance(item, (bool, np.bool_)):
            raise _Unsupported("with a bool index")
        if isinstance(item, (int, np.integer)):
            i = int(item)
            starts.append(i)
            ends.append(i + 1 if i != -1 else _INT64_MAX)
            steps.append(1)
            axes.append(axis)
        elif isinstance(item, slice):
            if item != slice(None):
                step = 1 if item.step is None else int(item.step)
                # open ends as ONNX clamps them: a backward slice runs from the last element
                # to past the first
                first, last = (0, _INT64_MAX) if step > 0 else (-1, _INT64_MIN)
                starts.append(first if item.start is None else int(item.start))
                ends.append(last if item.stop is None else int(item.stop))
                steps.append(step)
                axes.append(axis)
        else:
            raise _Unsupported(f"with an index of type {type(item).__name__}")
        axis += 1
    out = em.value(x)
    if axes:
        out = em.node("Slice", [out, em.ints(starts), em.ints(ends), em.ints(axes), em.ints(steps)])
    return em.node("Reshape", [out, em.shape(node.shape)])


def _gather_index(em, node, x, index, arrays):
    at = arrays[0]
    rest = index[:at] + index[at + 1 :]
    if len(arrays) > 1 or any(item != slice(None) for item in rest) or at >= x.ndim:
        raise _Unsupported("with this advanced index (one integer array among ':' only)")
    indices = np.asarray(index[at])
    if indices.dtype.kind not in "iu":
        raise _Unsupported(f"with a {indices.dtype} array index (integers only)")
    return em.node("Gather", [em.value(x), em.constant(indices.astype(np.int64))], axis=at)


def _max_pool(em, node, ctx):
    """Max pooling with the end padding that gives the engine's output size (ceil_mode
    included), so the ONNX operator needs no ceil_mode of its own."""
    (x,) = node.parents
    _, g, batched, _ = ctx.args
    name = em.value(x)
    if not batched:
        name = em.node("Unsqueeze", [name, em.ints([0])])
    after = [
        max(0, (o - 1) * s + d * (k - 1) + 1 - n - b)
        for o, s, d, k, n, b in zip(g.out, g.stride, g.dilation, g.kernel, g.size, g.before)
    ]
    out = em.node(
        "MaxPool",
        [name],
        kernel_shape=list(g.kernel),
        strides=list(g.stride),
        dilations=list(g.dilation),
        pads=list(g.before) + after,
    )
    return out if batched else em.node("Squeeze", [out, em.ints([0])])


_PRIMITIVES: dict[type, Callable] = {
    Add: _binary("Add", lambda ctx: ctx.operands),
    Sub: _binary("Sub", lambda ctx: ctx.operands),
    Mul: _binary("Mul", lambda ctx: ctx.operands),
    Div: _binary("Div", lambda ctx: ctx.operands),
    Pow: _binary("Pow", lambda ctx: ctx.saved_tensors),
    Neg: _unary("Neg"),
    MatMul: _matmul,
    LinearOp: _linear,
    Exp: _unary("Exp"),
    Log: _unary("Log"),
    Sqrt: _unary("Sqrt"),
    Abs: _unary("Abs"),
    TanhOp: _unary("Tanh"),
    Sigmoid: _unary("Sigmoid"),
    ReLU: _unary("Relu"),
    Erf: _unary("Erf"),
    Sign: _unary("Sign"),
    Sin: _unary("Sin"),
    Cos: _unary("Cos"),
    Tan: _unary("Tan"),
    Asin: _unary("Asin"),
    Acos: _unary("Acos"),
    Atan: _unary("Atan"),
    Sinh: _unary("Sinh"),
    Cosh: _unary("Cosh"),
    Reciprocal: _unary("Reciprocal"),
    Rsqrt: _rsqrt,
    Log2: _log_base(2.0),
    Log10: _log_base(10.0),
    Exp2: _exp2,
    Floor: _rounding("Floor"),
    Ceil: _rounding("Ceil"),
    Round: _rounding("Round"),
    Trunc: _trunc,
    Cumsum: _cumsum,
    Einsum: _einsum,
    Log1p: _log1p,
    Expm1: _expm1,
    LogSigmoid: _logsigmoid,
    SoftmaxOp: _softmax("Softmax"),
    LogSoftmaxOp: _softmax("LogSoftmax"),
    Reshape: _reshape,
    Flatten: _reshape,
    Squeeze: _reshape,
    Unsqueeze: _reshape,
    Expand: _expand,
    Permute: _permute,
    Transpose: _permute,
    Sum: _sum,
    Max: _reduce_all("ReduceMax"),
    Min: _reduce_all("ReduceMin"),
    MaxDim: _reduce_dim("ReduceMax"),
    MinDim: _reduce_dim("ReduceMin"),
    Cat: _cat,
    Stack: _stack,
    Pad: _pad,
    Cast: _cast,
    Where: _where,
    Clamp: _clamp,
    Maximum: _maximum("Max"),
    Minimum: _maximum("Min"),
    GetItem: _getitem,
    _MaxPool1d: _max_pool,
    _MaxPool2d: _max_pool,
}


# -- modules written as one operator ----------------------------------------------------------


_HINT = (
    "Write that part of the forward with operations that export (the modules and operators "
    "listed in nn/onnx_export.py), or leave it out of the exported model"
)
_LAYERS_HINT = (
    "Convolution and average pooling export as the layers (nn.Conv1d, nn.Conv2d, "
    "nn.AvgPool1d, nn.AvgPool2d), not as F.conv*/F.avg_pool* in a forward"
)
_HINTS = {"sliding_window": _LAYERS_HINT, "conv1d": _LAYERS_HINT, "conv2d": _LAYERS_HINT}
_WHERE_HINT = (
    "(F.leaky_relu, F.elu, F.softplus, F.hardtanh and F.mish choose with a comparison of the "
    "input: their layers nn.LeakyReLU, nn.ELU, ... export.) "
)


class _ModuleRule:
    """How a module type is written: ``accepts(module)`` (else its primitives are) and
    ``emit(em, module, inputs, output) -> name``."""

    def __init__(self, emit: Callable, accepts: Callable = lambda module: True) -> None:
        self.emit = emit
        self.accepts = accepts


def _batched(em: _Emitter, x: Tensor, nd: int, build: Callable) -> str:
    """``build(name)`` on ``x`` with a batch dim: an unbatched input gets one and loses it."""
    name = em.value(x)
    if x.ndim == nd + 2:
        return build(name)
    axis = em.ints([0])
    return em.node("Squeeze", [build(em.node("Unsqueeze", [name, axis])), axis])


def _conv(em, module, inputs, out):
    (x,) = inputs
    nd = module._nd
    widths = module._reversed_padding_repeated_twice  # (lo, hi) per dim, last dim first
    before = [widths[2 * (nd - 1 - i)] for i in range(nd)]
    after = [widths[2 * (nd - 1 - i) + 1] for i in range(nd)]
    modes = {"zeros": None, "reflect": "reflect", "replicate": "edge"}
    if module.padding_mode not in modes:
        raise _Unsupported(f"with padding_mode={module.padding_mode!r}")
    mode = modes[module.padding_mode]

    def build(name):
        pads = before + after
        if mode is not None:  # pad first, as the module does, then convolve unpadded
            full = em.ints([0, 0] + before + [0, 0] + after)
            name = em.node("Pad", [name, full], mode=mode)
            pads = [0] * (2 * nd)
        inputs = [name, em.value(module.weight)]
        if module.bias is not None:
            inputs.append(em.value(module.bias))
        return em.node(
            "Conv",
            inputs,
            kernel_shape=list(module.kernel_size),
            strides=list(module.stride),
            dilations=list(module.dilation),
            pads=pads,
            group=int(module.groups),
        )

    return _batched(em, x, nd, build)


def _tuple(value, nd: int) -> list[int]:
    return [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value)] * nd


def _avg_pool(nd: int) -> Callable:
    def emit(em, module, inputs, out):
        (x,) = inputs
        if module.ceil_mode:
            raise _Unsupported("with ceil_mode=True")
        kernel = _tuple(module.kernel_size, nd)
        padding = _tuple(module.padding, nd)
        divisor = getattr(module, "divisor_override", None)

        def build(name):
            pooled = em.node(
                "AveragePool",
                [name],
                kernel_shape=kernel,
                strides=_tuple(module.stride, nd),
                pads=padding + padding,
                count_include_pad=int(bool(module.count_include_pad) or divisor is not None),
            )
            if divisor is None:
                return pooled
            scale = em.constant(np.asarray(np.prod(kernel) / divisor, dtype=out.dtype))
            return em.node("Mul", [pooled, scale])

        return _batched(em, x, nd, build)

    return emit


def _has_running_stats(module) -> bool:
    return module.running_mean is not None and module.running_var is not None


def _batch_norm(em, module, inputs, out):
    """Eval mode with running statistics: ``BatchNormalization``."""
    (x,) = inputs
    n = module.num_features
    dtype = out.dtype
    scale = em.value(module.weight) if module.weight is not None else em.constant(np.ones(n, dtype))
    shift = em.value(module.bias) if module.bias is not None else em.constant(np.zeros(n, dtype))
    name = em.value(x)
    if x.ndim == 2:  # (N, C): the operator wants spatial dims, so add one and take it away
        axis = em.ints([2])
        name = em.node("Unsqueeze", [name, axis])
    normed = em.node(
        "BatchNormalization",
        [name, scale, shift, em.value(module.running_mean), em.value(module.running_var)],
        epsilon=float(module.eps),
    )
    return em.node("Squeeze", [normed, axis]) if x.ndim == 2 else normed


def _layer_norm(em, module, inputs, out):
    (x,) = inputs
    shape = module.normalized_shape
    dtype = out.dtype
    scale = (
        em.value(module.weight) if module.weight is not None else em.constant(np.ones(shape, dtype))
    )
    names = [em.value(x), scale]
    if module.bias is not None:
        names.append(em.value(module.bias))
    return em.node("LayerNormalization", names, axis=-len(shape), epsilon=float(module.eps))


def _embedding(em, module, inputs, out):
    (indices,) = inputs
    return em.node(
        "Gather",
        [em.value(module.weight), em.cast(em.value(indices), indices.dtype, np.int64)],
        axis=0,
    )


def _leaky_relu(em, module, inputs, out):
    return em.node("LeakyRelu", [em.value(inputs[0])], alpha=float(module.negative_slope))


def _elu(em, module, inputs, out):
    return em.node("Elu", [em.value(inputs[0])], alpha=float(module.alpha))


def _hardtanh(em, module, inputs, out):
    low = em.constant(np.asarray(module.min_val, out.dtype))
    high = em.constant(np.asarray(module.max_val, out.dtype))
    return em.node("Clip", [em.value(inputs[0]), low, high])


def _softplus_of(em, name: str, beta: float, threshold: float, dtype) -> str:
    """torch's softplus: ``x`` where ``beta x > threshold``, else ``log(1 + exp(beta x))/beta``."""
    b = em.constant(np.asarray(beta, dtype))
    scaled = em.node("Mul", [name, b])
    linear = em.node("Greater", [scaled, em.constant(np.asarray(threshold, dtype))])
    smooth = em.node("Div", [em.node("Softplus", [scaled]), b])
    return em.node("Where", [linear, name, smooth])


def _softplus(em, module, inputs, out):
    name = em.value(inputs[0])
    return _softplus_of(em, name, module.beta, module.threshold, out.dtype)


def _mish(em, module, inputs, out):
    name = em.value(inputs[0])
    soft = _softplus_of(em, name, 1.0, 20.0, out.dtype)
    return em.node("Mul", [name, em.node("Tanh", [soft])])


_MODULES: dict[type, _ModuleRule] = {
    layers.Conv1d: _ModuleRule(_conv),
    layers.Conv2d: _ModuleRule(_conv),
    layers.AvgPool1d: _ModuleRule(_avg_pool(1)),
    layers.AvgPool2d: _ModuleRule(_avg_pool(2)),
    layers.BatchNorm1d: _ModuleRule(_batch_norm, _has_running_stats),
    layers.BatchNorm2d: _ModuleRule(_batch_norm, _has_running_stats),
    layers.LayerNorm: _ModuleRule(_layer_norm),
    layers.Embedding: _ModuleRule(_embedding, lambda module: module.max_norm is None),
    layers.LeakyReLU: _ModuleRule(_leaky_relu),
    layers.ELU: _ModuleRule(_elu),
    layers.Hardtanh: _ModuleRule(_hardtanh),
    layers.Softplus: _ModuleRule(_softplus),
    layers.Mish: _ModuleRule(_mish),
}


# -- one trace to one graph ------------------------------------------------------------------


def _call_of(trace: _Trace, node: Tensor) -> tuple | None:
    ctx = node._ctx  # the context its Function's forward filled: the node's identity here
    return None if ctx is None else trace.calls.get(id(ctx))


def _check_unchanged(inputs, time: int, where: str) -> None:
    """Refuse a node whose input was changed in place after it was computed: its graph now
    names the changed tensor (the engine's backward refuses it too), so the file would be
    wrong."""
    for tensor in inputs:
        if isinstance(tensor, Tensor) and versions.changed_since(tensor, time):
            raise RuntimeError(
                f"export_onnx: an input of {where} was changed by an in-place operation after "
                "it was used, so the recorded graph no longer says what the forward computed; "
                "write the forward out of place (h = h + x rather than h += x before h's "
                "other uses)"
            )


def _export_order(trace: _Trace) -> list[Tensor]:
    """The nodes to write, parents first: a module written as one operator hides its inside."""
    inputs = {id(t) for t in trace.inputs}
    order, done, stack = [], set(), [(t, False) for t in reversed(trace.outputs)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        if id(node) in inputs:
            continue
        call = _call_of(trace, node)
        below = call[2] if call is not None else node.parents
        stack.extend((p, False) for p in reversed(below) if id(p) not in done)
    return order


def _emit(trace: _Trace, model: Module, state_names: dict[int, str], input_names) -> tuple:
    em = _Emitter(state_names)
    for tensor, name in zip(trace.inputs, input_names):
        em.values[id(tensor)] = name
    for node in _export_order(trace):
        if id(node) in em.values:
            continue
        call = _call_of(trace, node)
        if call is not None:
            module, path, inputs, time = call
            em.here = f"{type(module).__name__} at {_describe(path, model)}"
            _check_unchanged(inputs, time, em.here)
            try:
                em.values[id(node)] = _MODULES[type(module)].emit(em, module, inputs, node)
            except _Unsupported as error:
                raise UnsupportedOperatorError(
                    f"Exporting the module {type(module).__name__} {error} to ONNX opset "
                    f"version {OPSET} is not supported ({_describe(path, model)})"
                ) from None
            continue
        if not node.parents:
            continue  # written when an operation asks for it (em.value), with that as its use
        function = node.grad_fn
        where = _describe(trace.owner.get(id(node)), model)
        em.here = f"operator '{node.op}' in {where}"
        _check_unchanged(node.parents, node._ctx.time, em.here)
        rule = _PRIMITIVES.get(function)
        if rule is None:
            raise UnsupportedOperatorError(
                f"Exporting the operator '{node.op}' ({function.__name__}) to ONNX opset "
                f"version {OPSET} is not supported: it was recorded in {where}. "
                + _HINTS.get(node.op, _HINT)
            )
        try:
            em.values[id(node)] = rule(em, node, node._ctx)  # the context: what forward saved
        except _Unsupported as error:
            raise UnsupportedOperatorError(
                f"Exporting the operator '{node.op}' {error} to ONNX opset version {OPSET} is "
                f"not supported: it was recorded in {where}"
            ) from None
    return em, [em.values[id(t)] for t in trace.outputs]


# -- two traces: refuse hidden inputs, find the batch dimension ------------------------------


def _merge(first: _Emitter, second: _Emitter, batch: tuple[int, int], dynamic: bool) -> list:
    """Check that the two traces wrote the same graph, and return the nodes that compute the
    shapes holding the batch size (to go first), rewriting ``first``'s initializers."""
    b1, b2 = batch
    other = f"a batch of {b2} rows" if dynamic else "other values"
    if [n[0] for n in first.nodes] != [n[0] for n in second.nodes] or len(
        first.initializers
    ) != len(second.initializers):
        raise RuntimeError(
            f"export_onnx: the forward records a different graph for {other} than for the "
            f"example's {b1} rows (a branch on the input's size or values); export the branch "
            "you want as a model of its own"
        )
    for a, b in zip(first.nodes, second.nodes):
        if a != b:
            raise RuntimeError(
                f"export_onnx: the operator {a[0]} has attributes {a[3]} for the example's "
                f"{b1} rows and {b[3]} for {other}: they depend on the input; compute them "
                "with Tensor operations"
            )
    prefix, kept = [], []
    for (name, x), (_, y) in zip(first.initializers, second.initializers):
        if x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
            kept.append((name, x))
            continue
        if dynamic and name not in first.shapes and _one_value(x, y):
            # zeros(x.shape[0], n), an RNN's first state: a fill of the batch's shape
            shape = first.fresh("shape")
            sizes = np.array(x.shape), np.array(y.shape)
            prefix.extend(_symbolic_shape(first, shape, *sizes, batch))
            prefix.append(("ConstantOfShape", [shape], [name], {"value": x.reshape(-1)[:1]}))
            continue
        if not dynamic or name not in first.shapes or x.shape != y.shape:
            raise RuntimeError(
                f"export_onnx: a constant used by {first.uses[name]} changes with the input "
                f"(shape {x.shape} for the example's {b1} rows, {y.shape} for {other}): it "
                "was computed from the input outside the recorded graph (a comparison, numpy "
                "on .data, a Tensor made from the input's shape) or is random, and would be "
                "frozen into the file. "
                + (_WHERE_HINT if first.uses[name].startswith("operator 'where'") else "")
                + "Compute it with Tensor operations on the input, or register it as a buffer"
            )
        prefix.extend(_symbolic_shape(first, name, x, y, batch))
    first.initializers = kept
    return prefix


def _one_value(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether ``x`` and ``y`` are one value in shapes of the same rank (a fill)."""
    if x.ndim != y.ndim or x.ndim == 0 or x.size == 0 or y.size == 0:
        return False
    value = x.reshape(-1)[0]
    return bool((x == value).all() and (y == value).all())


def _symbolic_shape(em: _Emitter, name: str, x: np.ndarray, y: np.ndarray, batch) -> list:
    """Nodes computing target shape ``name`` from the input's batch size: each entry that
    scales with the batch (``k * B``) becomes ``k * batch``."""
    b1, b2 = batch
    nodes = []
    size = em.fresh("batch")
    nodes.append(("Shape", [em.input_name], [size], {"start": 0, "end": 1}))
    pieces = []
    for d1, d2 in zip(x.tolist(), y.tolist()):
        if d1 == d2:
            piece = em.fresh("dim")
            nodes.append(("Constant", [], [piece], {"value_ints": [d1]}))
        elif d1 % b1 == 0 and d2 == d1 // b1 * b2:
            piece = size
            if d1 // b1 != 1:
                factor = em.fresh("factor")
                nodes.append(("Constant", [], [factor], {"value_ints": [d1 // b1]}))
                piece = em.fresh("dim")
                nodes.append(("Mul", [size, factor], [piece], {}))
        else:
            raise RuntimeError(
                f"export_onnx: a shape used by {em.uses[name]} is {x.tolist()} for a batch of "
                f"{b1} and {y.tolist()} for {b2}: not a multiple of the batch size; export with "
                "dynamic_batch=False"
            )
        pieces.append(piece)
    nodes.append(("Concat", pieces, [name], {"axis": 0}))
    return nodes


# -- the model: a Module, or a fitted nn.estimators estimator ---------------------------------


class _EstimatorNetwork(Module):
    """A fitted ``MLPClassifier``'s or ``MLPRegressor``'s network as a Module: its forward is
    ``predict_proba`` for a classifier and ``predict`` for a regressor."""

    def __init__(self, estimator) -> None:
        super().__init__()
        self.coefs_ = ParameterList([Parameter(np.array(c)) for c in estimator.coefs_])
        self.intercepts_ = ParameterList([Parameter(np.array(b)) for b in estimator.intercepts_])
        self.activation = estimator.activation
        self.out_activation = estimator.out_activation_
        self.classifier = hasattr(estimator, "classes_")

    def forward(self, x: Tensor) -> Tensor:
        from .estimators.network import activate

        last = len(self.coefs_) - 1
        for i, (w, b) in enumerate(zip(self.coefs_, self.intercepts_)):
            x = x @ w + b
            if i != last:
                x = activate(self.activation, x)
        if self.classifier:
            if x.shape[1] == 1:  # binary: one logit, p(class 1) = sigmoid(z)
                p = x.sigmoid()
                return _cat([1 - p, p])
            return x.softmax(dim=1)
        if self.out_activation == "exp":
            x = x.exp()
        return x.reshape(-1) if x.shape[1] == 1 else x


def _cat(tensors: list[Tensor]) -> Tensor:
    from autograd import cat

    return cat(tensors, dim=1)


def _as_module(model) -> Module:
    if isinstance(model, Module):
        for name, parameter in model.named_parameters():
            if not isinstance(parameter, Tensor):
                raise TypeError(
                    f"export_onnx: parameter '{name}' is a {type(parameter).__name__}: a scalar "
                    "(micrograd-style) model has no tensor graph to write; build the same "
                    "network from Tensor layers (nn.Linear, nn.Tanh, ...) to export it"
                )
        return model
    try:
        from .estimators import MLPClassifier, MLPRegressor  # needs scikit-learn

        estimators = (MLPClassifier, MLPRegressor)
    except ImportError:  # without scikit-learn the model cannot be one of them
        estimators = ()
    if isinstance(model, estimators):
        if not hasattr(model, "coefs_"):
            raise ValueError(
                f"export_onnx: this {type(model).__name__} is not fitted yet; call fit(X, y) "
                "before exporting it"
            )
        return _EstimatorNetwork(model)
    raise TypeError(
        f"export_onnx: expected an nn.Module or a fitted nn.estimators model, got "
        f"{type(model).__name__}"
    )


def _state_names(model: Module) -> dict[int, str]:
    names = {}
    for name, tensor in list(model.named_parameters()) + list(model.named_buffers()):
        if isinstance(tensor, Tensor):
            names.setdefault(id(tensor), name)
    return names


def _as_arrays(example_input) -> list[np.ndarray]:
    items = example_input if isinstance(example_input, (tuple, list)) else (example_input,)
    arrays = []
    for i, item in enumerate(items):
        data = item.data if isinstance(item, Tensor) else np.asarray(item)
        if data.ndim == 0:
            raise ValueError(
                f"export_onnx: example input {i} is 0-d; the first dim of every input is the "
                "batch, so give it at least one dim"
            )
        arrays.append(np.array(data))
    return arrays


def _mirrored(x: np.ndarray) -> np.ndarray:
    """Other values in the same range (``min + max - x``; the negation for bools), so that
    indices stay valid: a value the forward computed from the input outside the graph changes
    with them, and the second trace catches it."""
    if x.dtype == np.bool_:
        return ~x
    if x.size == 0:
        return x
    return (x.max() + x.min() - x).astype(x.dtype)


def _value_info(helper, name: str, array_shape, dtype, symbolic: Sequence[bool]):
    dims = ["batch" if s else int(n) for n, s in zip(array_shape, symbolic)]
    return helper.make_tensor_value_info(name, _onnx_type(dtype), dims)


def export_onnx(
    model,
    example_input,
    path: str | os.PathLike,
    *,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    dynamic_batch: bool = True,
):
    """Write ``model``'s forward as an ONNX file (opset 18) that onnxruntime can run.

    The forward runs once on ``example_input`` (in eval mode, as ``torch.onnx.export``: each
    module's ``training`` flag is put back afterwards) and the recorded graph is written
    operation by operation; ``onnx.checker.check_model`` checks the result before it is saved.

    Parameters
    ----------
    model : nn.Module or fitted nn.estimators.MLPClassifier / MLPRegressor
        An estimator is written as its network: a classifier's output is ``predict_proba``
        ``(n, n_classes)``, a regressor's is ``predict`` (float64, as the estimator).
    example_input : Tensor, ndarray, or a tuple of them
        The inputs of one forward pass; dim 0 of each is the batch.
    path : str or PathLike
        Where to write the ``.onnx`` file.
    input_names, output_names : sequence of str, optional
        The graph's input and output names (default ``input``/``output``, numbered when
        there are several).
    dynamic_batch : bool
        Make dim 0 of the inputs and outputs a symbolic ``batch`` (default True): the file then
        runs on any batch size. False fixes every shape to the example's.

    Returns
    -------
    onnx.ModelProto
        The model that was written.

    Raises
    ------
    ImportError
        Without the ``onnx`` package (``pip install -e ".[onnx]"``).
    UnsupportedOperatorError
        For an operation with no ONNX mapping here; the message names it and the module whose
        forward recorded it.
    RuntimeError
        When a value the graph uses was computed from the input outside the recorded graph
        (it would be frozen into the file), or the graph changes with the batch size.

    Examples
    --------
    >>> import nn, autograd, onnxruntime
    >>> model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
    >>> _ = nn.export_onnx(model, autograd.randn(2, 4), "mlp.onnx")
    >>> session = onnxruntime.InferenceSession("mlp.onnx")
    >>> session.run(None, {"input": autograd.randn(7, 4).numpy()})[0].shape
    (7, 3)
    """
    try:
        import onnx
        from onnx import helper, numpy_helper
    except ImportError as error:
        raise ImportError(
            'export_onnx needs the onnx package: pip install -e ".[onnx]" (or pip install onnx '
            "onnxruntime)"
        ) from error

    module = _as_module(model)
    examples = _as_arrays(example_input)
    b1 = examples[0].shape[0]
    b2 = b1 + _EXTRA_ROWS
    if any(x.shape[0] != b1 for x in examples):
        raise ValueError(
            "export_onnx: every example input needs the same batch size (dim 0), got "
            f"{[x.shape[0] for x in examples]}"
        )
    if dynamic_batch:  # a larger batch: the example's rows repeated
        second_examples = [_mirrored(np.take(x, np.arange(b2) % b1, axis=0)) for x in examples]
    else:  # the same shapes (dim 0 need not be a batch), other values
        b2 = b1
        second_examples = [_mirrored(np.roll(x, 1, axis=0)) for x in examples]
    names_in = list(input_names) if input_names is not None else _default_names("input", examples)
    if len(names_in) != len(examples):
        raise ValueError(f"export_onnx: {len(names_in)} input_names for {len(examples)} inputs")

    state_names = _state_names(module)
    first_trace = _trace(module, examples)
    try:
        second_trace = _trace(module, second_examples)
    except Exception as error:
        if not dynamic_batch:
            raise
        raise RuntimeError(
            f"export_onnx: the model fails on a batch of {b2} rows (the example's rows "
            f"repeated), which a symbolic batch dim needs: {type(error).__name__}: {error}. If "
            "dim 0 of the input is not a batch, export with dynamic_batch=False"
        ) from error
    first, outputs = _emit(first_trace, module, state_names, names_in)
    second, _ = _emit(second_trace, module, state_names, names_in)
    first.input_name = names_in[0]
    prefix = _merge(first, second, (b1, b2), dynamic_batch)

    names_out = (
        list(output_names)
        if output_names is not None
        else _default_names("output", first_trace.outputs)
    )
    if len(names_out) != len(outputs):
        raise ValueError(f"export_onnx: {len(names_out)} output_names for {len(outputs)} outputs")
    nodes = [
        helper.make_node(op, i, o, **_attributes(numpy_helper, a))
        for op, i, o, a in prefix + first.nodes
    ]
    for value, name in zip(outputs, names_out):  # the outputs by the names asked for
        nodes.append(helper.make_node("Identity", [value], [name]))

    def symbolic(a: Tensor, b: Tensor) -> list[bool]:
        if not dynamic_batch:
            return [False] * a.ndim
        return [i == 0 and a.shape[0] != b.shape[0] for i in range(a.ndim)]

    graph_inputs = [
        _value_info(helper, name, t.shape, t.dtype, symbolic(t, u))
        for name, t, u in zip(names_in, first_trace.inputs, second_trace.inputs)
    ]
    graph_outputs = [
        _value_info(helper, name, t.shape, t.dtype, symbolic(t, u))
        for name, t, u in zip(names_out, first_trace.outputs, second_trace.outputs)
    ]
    initializers = _unique_initializers(numpy_helper, first.initializers)
    graph = helper.make_graph(nodes, "chainrule", graph_inputs, graph_outputs, initializers)
    proto = helper.make_model(
        graph, producer_name="chainrule", opset_imports=[helper.make_opsetid("", OPSET)]
    )
    proto.ir_version = _IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, os.fspath(path))
    return proto


def _attributes(numpy_helper, attributes: dict) -> dict:
    """Array attributes (ConstantOfShape's value) as ONNX tensors; the rest as they are."""
    return {
        key: numpy_helper.from_array(value) if isinstance(value, np.ndarray) else value
        for key, value in attributes.items()
    }


def _default_names(stem: str, items: Sequence) -> list[str]:
    return [stem] if len(items) == 1 else [f"{stem}_{i}" for i in range(len(items))]


def _unique_initializers(numpy_helper, initializers: list[tuple[str, np.ndarray]]) -> list:
    seen, out = set(), []
    for name, array in initializers:
        if name not in seen:
            seen.add(name)
            out.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
    return out
