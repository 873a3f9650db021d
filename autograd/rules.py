"""Every derivative in the tree, in one module: the rule table of ``Value`` and ``Tensor``.

Three sections, each a dict keyed by the primitive's name:

1. ``RULES[name]``, the elementwise primitives: one derivative per input, a function
   ``d(g, out, a, b)`` of the output's gradient ``g``, the output ``out`` and the inputs ``a``
   and ``b`` (``b`` is ``None`` for one-input primitives). A formula is written once, with
   ``+ - * / **``, and runs on three kinds of argument:

   - floats: ``Value``'s first-order fast path (``backward()`` on ``out.data``, ``a.data``, ...);
   - ``Value`` nodes, with recording on: ``grad(..., create_graph=True)`` on scalars;
   - ``Tensor`` nodes: ``table_backward(name)`` calls the same entry, then sums each gradient
     back to its input's shape with ``sum_to_shape``: broadcasting is that one mechanism, not a
     part of any rule.

2. ``GRADIENTS[name]``, the primitives whose derivative reads the operation's arguments
   (shapes, dims, an index, a mask the forward computed): ``rule(ctx, grad, **kernels)``
   returns one gradient per forward argument, given the forward's ``Context`` and the
   output's gradient. ``kernels`` are the Functions a rule applies that exist only as
   derivatives (a scatter, a fold), named where the primitive binds its rule.

3. The fused rules' derivatives (softmax, log-softmax, ``F.linear``, binary cross-entropy,
   cross-entropy, max-pooling), also in ``GRADIENTS``: the fast paths that ``fused.py``
   registers with the compositions they replace, which tests compare them with.

Every ``Function`` of the engine and of ``nn`` takes its derivative from here with
``backward = table_backward(name)`` (or ``Cls.backward = table_backward(name, kernel=Other)``
after both classes exist). All rules are written with engine operations, so with Values or
Tensors a rule is itself recorded: a gradient of a gradient needs no second formula. An operand
that is a constant (``x * 2``) may be a plain number. (``Value``'s fused ``linear`` keeps its
rule beside it in ``value.py``, which ``tests/test_fused_rules.py`` checks by name.)

Primitives, and why each is one. The figures are medians of timings taken when each entry was
written (Python 3.11, numpy 2, a shared 2-core machine): a chain of 100,000 scalar operations,
forward and ``backward()``, and a (256, 1000) float32 tensor, forward and backward (of the
sum). Every other operation is a composition, differentiated through its parts.

- ``add``, ``mul``, ``pow``, ``exp``, ``log``: the basis.
- ``sub`` and ``neg``: ``a - b`` as ``a + (-b)`` is two scalar nodes instead of one: 0.48 s
  instead of 0.31 s on the chain.
- ``div``: as ``a * b ** -1``, 0.99 s instead of 0.38 s on the scalar chain and 1.02 ms
  instead of 0.56 ms on the tensor (a power per element in forward and backward).
- ``tanh``, ``sigmoid``, ``relu``: the activations of micrograd's MLP; ``tanh`` composed of
  ``exp`` and ``/`` takes 1.92 s instead of 0.32 s on the chain. ``relu`` has no composition
  in the others without a ``where``.
- ``sqrt``, ``abs`` (Tensor only): ``sqrt`` reads its output (``1 / (2 out)``); as
  ``a ** 0.5`` it takes 1.07 ms instead of 0.30 ms. ``abs`` is ``sign``, which no composition
  of the others gives without a ``where``.
- ``erf``, ``log1p``, ``expm1`` (Tensor only): ``erf`` is no composition of the others;
  ``log(1 + x)`` and ``exp(x) - 1`` lose the digits of ``x`` near 0. ``logsigmoid`` (in
  ``nn.functional``): its composition ``min(x, 0) - log1p(exp(-|x|))`` has the right slope,
  but loses the second derivative at 0 in the kinks of ``min`` and ``abs``.
- ``clone`` (Tensor only): a copy with its own memory; as ``-(-a)`` it would be two nodes in
  every drawing and backward, as ``a + 0`` it would turn -0.0 into 0.0 and bools into ints.
- ``where``: the selection itself. As arithmetic, ``a * m + b * (1 - m)``, it is wrong where
  the unselected side is inf or nan (``inf * 0``), and 3.97 ms instead of 2.65 ms.
- ``clamp`` (number bounds): as ``where(x < lo, lo, where(x > hi, hi, x))`` 2.79 ms instead
  of 1.22 ms; as ``minimum(maximum(x, lo), hi)`` 7.42 ms, and that halves the slope at the
  ends, where torch's clamp passes it whole.
- ``maximum``, ``minimum`` (one rule, the forward's weights): torch splits the gradient
  evenly on ties, which needs the three-way ``where(a > b, a, where(a < b, b, (a + b) / 2))``:
  7.30 ms instead of 4.93 ms; ``minimum`` as ``-maximum(-a, -b)`` 7.59 ms instead of 4.85 ms.
  (Value has none of ``where``, ``clamp``, ``maximum``, ``minimum``.)
- ``stack``: as a ``cat`` of ``unsqueeze``s it costs the same on two (256, 1000) inputs (2.03
  ms against 1.98 ms), but 1114 us instead of 343 us on 64 inputs of shape (10,): a node per
  input more.
- ``transpose`` is no rule of its own: a ``permute`` that swaps two dims (as ``flatten``,
  ``squeeze``, ``unsqueeze`` are reshapes), 0.244 ms as its own primitive against 0.254 ms.
- The shape, reduction, joining, indexing and window primitives (``reshape``, ``expand``,
  ``permute``, ``sum``, ``max``, ``cat``, ``pad``, ``getitem``, ``sliding_window``, their
  adjoints ``index_backward`` and ``fold_windows``), ``matmul`` and ``to``: the basis of
  arrays, each a numpy call (mostly a view) that no elementwise composition gives.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import grad_mode
from .broadcasting import sum_to_shape
from .selection import select
from .tensor import Tensor, ops

# -- the few operations a rule needs beyond + - * / **, for each kind of argument ---------------


def _is_scalar(x) -> bool:
    """A float (Value's fast path), or a Value node (its ``data`` is a float)."""
    return isinstance(x, float) or isinstance(getattr(x, "data", None), float)


def power(base, exponent):
    """``base ** exponent``, and ``inf`` (not an exception) for a float 0 to a negative power."""
    if isinstance(base, float) and isinstance(exponent, float):
        try:
            if base < 0.0 and not exponent.is_integer():
                return math.nan
            return base**exponent
        except ZeroDivisionError:
            return math.inf  # 0 ** negative, as in PyTorch
        except OverflowError:
            return math.inf
    return base**exponent


def _log_base(base, like):
    """``log(base)`` for the exponent's derivative of ``base ** b``: 0 where base == 0 (torch's
    convention, which keeps ``0 ** b`` from poisoning the exponent's gradient), nan below 0.

    ``like`` is the output, whose dtype a constant base's logarithm takes.
    """
    if isinstance(base, float):
        return math.log(base) if base > 0.0 else (0.0 if base == 0.0 else math.nan)
    data = getattr(base, "data", base)
    if isinstance(data, float):  # a Value
        return base.log() if data > 0.0 else (0.0 if data == 0.0 else math.nan)
    if hasattr(base, "requires_grad"):  # a Tensor: differentiable again
        return base.where(data != 0, 1.0).log()
    # a number or an array: its log is a constant, kept in the output's dtype
    data = np.asarray(data)
    with np.errstate(divide="ignore", invalid="ignore"):
        log = np.log(np.where(data == 0, 1, data)).astype(like.dtype)
    return type(like)._from_array(log)


def _where_positive(a, g):
    """``g`` except where ``a <= 0``, there 0: the gate of relu (0 at 0, as torch).

    Written as "not ``a <= 0``" rather than ``a > 0`` so that a NaN input passes its gradient,
    as torch's ``threshold_backward`` does (``relu(nan)`` is nan, and its gradient passes on).
    """
    if type(a) is float:  # Value's fast path first: this runs once per relu node
        return g * (0.0 if a <= 0.0 else 1.0)
    if _is_scalar(a):
        # the step's own derivative is 0, so a constant factor serves floats and Values alike
        return g * (0.0 if getattr(a, "data", a) <= 0.0 else 1.0)
    if not grad_mode.is_grad_enabled() and type(g) is Tensor:
        # nothing to record: what the unrecorded where computes, without its dispatch (30 us
        # of a 50 us relu backward on LeNet's small layers)
        return Tensor._from_array(select(a.data <= 0, 0, g.data, scratch=True))
    return g.where(~(a.data <= 0), 0)


def _sign(a):
    """``sign(a)`` as a constant (0 at 0, as torch): the slope of ``abs``.

    0 at NaN too, as torch's ``sgn``: ``abs(nan)`` is nan, and its gradient is 0, not nan.
    """
    data = a.data
    return type(a)._from_array(np.where(np.isnan(data), 0, np.sign(data)).astype(data.dtype))


def _zero(like):
    """An exact 0 in the kind of ``like`` (a float, a Value, a Tensor): not ``like * 0``, which
    is nan where ``like`` is inf or nan."""
    if isinstance(like, float):
        return 0.0
    if _is_scalar(like):
        return type(like)(0.0)
    return like.where(np.False_, 0)


def _pow_base(g, out, a, b):
    """``d(a ** b)/da = b a ** (b - 1)``, and exactly 0 where ``b`` is 0: ``x ** 0`` is the
    constant 1, while ``0 * x ** -1`` would be ``0 * inf = nan`` at ``x = 0``.

    torch returns zeros there too (``pow_backward``). So ``x ** n`` (integer ``n >= 1``) has
    finite derivatives at 0 to every order: each is ``n x ** (n - 1)``, down to ``x ** 0``.
    """
    if type(b) is float:  # Value's fast path first: a constant exponent (``x ** 2``)
        return g * b * power(a, b - 1) if b != 0.0 else 0.0 if type(g) is float else _zero(g)
    exponent = getattr(b, "data", b)
    if isinstance(exponent, (int, float)):  # a constant, or a Value exponent
        return g * b * power(a, b - 1) if exponent != 0 else _zero(g)
    zero = np.asarray(exponent) == 0  # a Tensor or array exponent: 0 at some elements
    if not zero.any():
        return g * b * power(a, b - 1)
    # the exponent made 1 where it is 0, so that no 0 * inf enters the graph (not even the
    # graph of a second derivative), and the result masked to an exact 0 there
    safe = b.where(~zero, 1) if hasattr(b, "where") else np.where(zero, 1, exponent)
    return (g * b * power(a, safe - 1)).where(~zero, 0)


# -- the table: RULES[name] = (d input 0, d input 1, ...) -------------------------------------

RULES: dict[str, tuple] = {
    "add": (lambda g, out, a, b: g, lambda g, out, a, b: g),
    "sub": (lambda g, out, a, b: g, lambda g, out, a, b: -g),
    "mul": (lambda g, out, a, b: g * b, lambda g, out, a, b: g * a),
    # d(a/b)/db = -a/b² = -out/b (no b² to overflow)
    "div": (lambda g, out, a, b: g / b, lambda g, out, a, b: -g * out / b),
    "neg": (lambda g, out, a, b: -g,),
    "clone": (lambda g, out, a, b: g,),  # a copy: the identity (Tensor only)
    # d(a^b)/da = b a^(b-1);  d(a^b)/db = a^b log(a)
    "pow": (
        _pow_base,
        lambda g, out, a, b: g * out * _log_base(a, out),
    ),
    "exp": (lambda g, out, a, b: g * out,),
    "log": (lambda g, out, a, b: g / a,),
    "sqrt": (lambda g, out, a, b: g / (2 * out),),
    "abs": (lambda g, out, a, b: g * _sign(a),),
    "tanh": (lambda g, out, a, b: g * (1.0 - out * out),),
    "sigmoid": (lambda g, out, a, b: g * out * (1.0 - out),),
    # the gate read from the output, as torch's threshold_backward(grad, result, 0): the
    # same places (relu(a) <= 0 exactly where a <= 0, nan stays nan)
    "relu": (lambda g, out, a, b: _where_positive(out, g),),
}


def swapped(rule):
    """``rule`` for the second input, called with the arguments of a reflected operation.

    ``Value`` keeps a number operand beside its one Value input in the order (Value, number),
    whichever side the number was on: ``2 - x`` runs ``RULES["sub"][1]`` as ``(g, out, 2, x)``.
    """

    def reflected(g, out, x, c):
        return rule(g, out, c, x)

    return reflected


def _erf_slope(a):
    """``2/sqrt(pi) exp(-a²)``, the slope of ``erf``."""
    return (-(a * a)).exp() * _TWO_OVER_SQRT_PI


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

# the elementwise primitives outside ``Value``'s set, Tensor only: the same d(g, out, a, b)
RULES.update(
    {
        "erf": (lambda g, out, a, b: g * _erf_slope(a),),
        "log1p": (lambda g, out, a, b: g / (a + 1),),
        # e^x = expm1(x) + 1: the output, so second derivatives flow through it
        "expm1": (lambda g, out, a, b: g * (out + 1),),
        # d log(sigmoid(x))/dx = 1 - sigmoid(x) = sigmoid(-x)
        "logsigmoid": (lambda g, out, a, b: g * (-a).sigmoid(),),
    }
)

# torch's math functions (ops/math.py): each derivative once, in Tensor operations
_LN2, _LN10 = math.log(2.0), math.log(10.0)
RULES.update(
    {
        "sin": (lambda g, out, a, b: g * a.cos(),),
        "cos": (lambda g, out, a, b: -g * a.sin(),),
        "tan": (lambda g, out, a, b: g * (1.0 + out * out),),  # sec^2 = 1 + tan^2
        "asin": (lambda g, out, a, b: g / (1.0 - a * a).sqrt(),),
        "acos": (lambda g, out, a, b: -g / (1.0 - a * a).sqrt(),),
        "atan": (lambda g, out, a, b: g / (1.0 + a * a),),
        "sinh": (lambda g, out, a, b: g * a.cosh(),),
        "cosh": (lambda g, out, a, b: g * a.sinh(),),
        "erfc": (lambda g, out, a, b: -g * _erf_slope(a),),
        "log2": (lambda g, out, a, b: g / (a * _LN2),),
        "log10": (lambda g, out, a, b: g / (a * _LN10),),
        "exp2": (lambda g, out, a, b: g * out * _LN2,),
        # d a^(-1/2) = -1/2 a^(-3/2) = -out^3 / 2;  d 1/a = -1/a^2 = -out^2
        "rsqrt": (lambda g, out, a, b: g * out * out * out * -0.5,),
        "reciprocal": (lambda g, out, a, b: -g * out * out,),
        # piecewise constant: a zero slope (torch's), exact even where g is inf or nan
        "floor": (lambda g, out, a, b: _zero(g),),
        "ceil": (lambda g, out, a, b: _zero(g),),
        "round": (lambda g, out, a, b: _zero(g),),
        "trunc": (lambda g, out, a, b: _zero(g),),
        "sign": (lambda g, out, a, b: _zero(g),),
        # atan2(a, b) = angle of (b, a): d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2)
        "atan2": (
            lambda g, out, a, b: g * b / (a * a + b * b),
            lambda g, out, a, b: -g * a / (a * a + b * b),
        ),
        # a - b * trunc(a / b) and a - b * floor(a / b): the quotient is piecewise constant
        "fmod": (
            lambda g, out, a, b: g,
            lambda g, out, a, b: -g * (a / b).trunc().detach(),
        ),
        "remainder": (
            lambda g, out, a, b: g,
            lambda g, out, a, b: -g * (a / b).floor().detach(),
        ),
    }
)


# == the rules that read the operation's arguments: GRADIENTS[name](ctx, grad, **kernels) ======
#
# One function per primitive: given the forward's context ``ctx`` (saved tensors, attributes
# the forward set, ``needs_input_grad``) and the output's gradient, it returns one gradient per
# forward argument (None for the arguments that take none). Written with Tensor operations, so
# that create_graph=True records and differentiates them again. ``kernels`` are Functions that
# exist only as derivatives (a scatter, a fold), named where the primitive binds its rule.


def _matmul(ctx, grad):
    # With 1-D operands promoted to matrices: dA = G Bᵀ, dB = Aᵀ G, then summed back over
    # broadcast batch dimensions and squeezed to the operands' shapes.
    a, b = ctx.saved_tensors
    need_a, need_b = ctx.needs_input_grad
    a2 = a.reshape(1, a.shape[0]) if a.ndim == 1 else a
    b2 = b.reshape(b.shape[0], 1) if b.ndim == 1 else b
    g = grad
    if b.ndim == 1:
        g = g.unsqueeze(-1)
    if a.ndim == 1:
        g = g.unsqueeze(-2)
    grad_a = grad_b = None
    if need_a:
        if a.ndim == 2 and b.ndim == 2 and g.shape[0] <= 16 and g.shape[1] >= 1024:
            # a few rows contracted over a long dim (the shape of a convolution's weight
            # gradient, whose own rule orders it the same way): OpenBLAS runs (B Gᵀ)ᵀ about 2x
            # faster (LeNet's conv1 0.81 -> 0.44 ms, conv2 0.56 -> 0.28 ms, one thread)
            grad_a = (b2 @ g.transpose(-1, -2)).transpose(-1, -2)
        else:
            grad_a = g @ b2.transpose(-1, -2)
        grad_a = sum_to_shape(grad_a, a2.shape).reshape(a.shape)
    if need_b:
        if a.ndim == 2 and b.ndim == 2 and not b.data.flags.c_contiguous:
            # b is a transposed view (x @ w.T in Linear): (Gᵀ A)ᵀ costs the same as Aᵀ G,
            # and gives w's gradient in w's own C layout, which keeps the optimizer's
            # in-place updates on matching layouts (3x faster)
            grad_b = (g.transpose(-1, -2) @ a2).transpose(-1, -2)
        else:
            grad_b = a2.transpose(-1, -2) @ g
        grad_b = sum_to_shape(grad_b, b2.shape).reshape(b.shape)
    return grad_a, grad_b


def _cast(ctx, grad):
    return grad.to(ctx.dtype), None


def _clamp(ctx, grad, where):
    # slope 1 inside [low, high] (the forward's mask, ends included), 0 outside
    return where.apply(ctx.inside, grad, 0), None, None


def _maximum(ctx, grad):
    # the larger (for minimum: the smaller) operand gets the gradient; on a tie each gets half,
    # a NaN gets it whole: the forward's weights
    (shape_a, shape_b), (weight_a, weight_b) = ctx.shapes, ctx.weights
    need_a, need_b = ctx.needs_input_grad
    return (
        sum_to_shape(grad * weight_a, shape_a) if need_a else None,
        sum_to_shape(grad * weight_b, shape_b) if need_b else None,
    )


def _where(ctx, grad, where):
    # the output is x where the condition holds and y elsewhere: so is the gradient
    condition, (shape_x, shape_y) = ctx.condition, ctx.shapes
    _, need_x, need_y = ctx.needs_input_grad
    return (
        None,
        sum_to_shape(where.apply(condition, grad, 0), shape_x) if need_x else None,
        sum_to_shape(where.apply(condition, 0, grad), shape_y) if need_y else None,
    )


def _reshape(ctx, grad):
    return grad.reshape(ctx.shape), None


def _expand(ctx, grad):
    return sum_to_shape(grad, ctx.shape), None


def _permute(ctx, grad, permute):
    # out axis i is input axis dims[i]; the inverse permutation puts each axis back
    return permute.apply(grad, tuple(int(i) for i in np.argsort(ctx.dims))), None


def _keepdim_shape(shape: tuple, dims: tuple | None) -> tuple:
    """``shape`` with size 1 at each reduced dim (all of them when ``dims`` is None)."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


def _sum(ctx, grad):
    # every input element contributes once: the gradient is copied back along the dims
    if not ctx.keepdim:
        grad = grad.reshape(_keepdim_shape(ctx.shape, ctx.dims))
    return grad.expand(ctx.shape), None, None


def _max(ctx, grad):
    # d max / dx_i = 1/k for each of the k elements equal to the max, 0 elsewhere (torch)
    hits = ctx.hits
    return (grad / int(hits.sum())).where(hits, 0), None, None


def _max_dim(ctx, grad):
    # d values / d a is one-hot along dim, at the picked index
    picked = np.zeros(ctx.shape, dtype=bool)
    np.put_along_axis(picked, ctx.indices, True, axis=ctx.dim)
    grad = grad.reshape(_keepdim_shape(ctx.shape, (ctx.dim,)))
    return grad.where(picked, 0), None, None, None


def _along(dim: int, piece) -> tuple:
    """The index that takes ``piece`` (an int or a slice) along ``dim`` and all of the rest."""
    return (slice(None),) * dim + (piece,)


def _cat(ctx, grad):
    # input i occupies rows bounds[i]:bounds[i+1] of the output along dim: its piece of grad
    b = ctx.bounds
    return tuple(
        grad[_along(ctx.dim, slice(b[i], b[i + 1]))] if needed else None
        for i, needed in enumerate(ctx.needs_input_grad)
    )


def _stack(ctx, grad):
    # input i is the slice i of the output along the new dim
    return tuple(
        grad[_along(ctx.dim, i)] if needed else None
        for i, needed in enumerate(ctx.needs_input_grad)
    )


def _pad(ctx, grad, pad):
    # the kept part of the gradient goes back; padding by the opposite widths cuts it out
    # (and puts zeros where the forward cropped)
    undo = tuple((-lo, -hi) for lo, hi in ctx.widths)
    return pad.apply(grad, undo, 0), None, None


def _sliding_window(ctx, grad, fold):
    # each window element goes back to the input position it was read from, summed
    spatial, window, stride, dilation = ctx.args
    return fold.apply(grad, spatial, window, stride, dilation), None, None, None


def _fold_windows(ctx, grad, windows):
    # fold is the adjoint of the sliding window: <fold(g), x> = <g, windows(x)>
    return windows.apply(grad, *ctx.args), None, None, None, None


def _getitem(ctx, grad, scatter):
    # d a[index] / d a:  zeros(a.shape), with grad added at index
    return scatter.apply(grad, ctx.shape, ctx.index), None


def _index_backward(ctx, grad):
    # scatter and gather are adjoint: <scatter(g), h> = <g, h[index]>
    return grad[ctx.index], None, None


GRADIENTS: dict = {
    "matmul": _matmul,
    "to": _cast,
    "clamp": _clamp,
    "maximum": _maximum,  # minimum too: the forward's weights say which operand won
    "where": _where,
    "reshape": _reshape,  # flatten, squeeze, unsqueeze too
    "expand": _expand,
    "permute": _permute,  # transpose too: a permute that swaps two dims
    "sum": _sum,
    "max": _max,  # of all elements; min too
    "max_dim": _max_dim,  # the values along one dim; min too
    "cat": _cat,
    "stack": _stack,
    "pad": _pad,
    "sliding_window": _sliding_window,
    "fold_windows": _fold_windows,
    "getitem": _getitem,
    "index_backward": _index_backward,
}


# == fused rules: the derivatives of the fast paths that fused.py registers ===================
#
# Each is a second formula for a function that also has a composition; tests/test_fused_rules.py
# checks it against that composition to second order.


def _softmax(ctx, grad):
    # y = softmax(x):  dx_i = y_i (g_i - Σ_j g_j y_j)
    y = ctx.output()
    return y * (grad - (grad * y).sum(ctx.dim, keepdim=True)), None


def _log_softmax(ctx, grad):
    # y = x - logsumexp(x):  dx_i = g_i - softmax(x)_i Σ_j g_j,  and softmax(x) = e^y
    y = ctx.output()
    return grad - y.exp() * grad.sum(ctx.dim, keepdim=True), None


def _linear(ctx, grad):
    # F.linear, x @ wᵀ + b:  d/dx = G W,  d/dW = Gᵀ X (batch dims flattened),  d/db = Σ_batch G
    x, w = ctx.saved_tensors
    need_x, need_w, need_b = ctx.needs_input_grad
    out_features, in_features = w.shape
    # the batch size spelled out, not -1: with 0 features numpy cannot infer it
    batch = math.prod(x.shape[:-1])
    rows = grad.reshape(batch, out_features)
    grad_x = grad @ w if need_x else None
    grad_w = rows.T @ x.reshape(batch, in_features) if need_w else None
    grad_b = rows.sum(dim=0) if need_b else None
    return grad_x, grad_w, grad_b


def _convolution(ctx, grad, columns, columns_adjoint):
    # y = W (O, C taps) @ columns(x) + b per group, laid out (O, positions): the gradients of a
    # matmul and a bias, and the columns' transpose (a fold) takes the input's back to x
    x, weight, *kept = ctx.saved_tensors  # kept: the forward's columns, when w needs a grad
    need_x, need_w, need_b = ctx.needs_input_grad[:3]
    geometry = ctx.geometry
    out_channels, groups = weight.shape[0], geometry.groups
    batch_last = grad.permute(*range(1, grad.ndim), 0) if geometry.batched else grad.unsqueeze(-1)
    per_group = (out_channels,) if groups == 1 else (groups, out_channels // groups)
    g = batch_last.reshape(*per_group, batch_last.data.size // out_channels)
    w = weight.reshape(*per_group, -1)
    grad_x = grad_w = grad_b = None
    if need_w:
        # recorded under create_graph, from x; the forward's matrix otherwise
        cols = columns(x, geometry) if grad_mode.is_grad_enabled() else kept[0]
        cols = cols.reshape(*per_group[:-1], -1, cols.shape[-1])
        # (columns Gᵀ)ᵀ: a long contraction with a short output, which OpenBLAS runs faster in
        # this order (and MatMul cuts into small-matrix pieces where it has them, blas.py)
        grad_w = (cols @ g.transpose(-1, -2)).transpose(-1, -2).reshape(weight.shape)
    if need_x:
        cols_grad = w.transpose(-1, -2) @ g
        grad_x = columns_adjoint(cols_grad.reshape(-1, g.shape[-1]), geometry, x.shape)
    if need_b:
        grad_b = g.sum(-1).reshape(out_channels)
    return grad_x, grad_w, grad_b, None


# BCE's floors: torch's on x (1 - x) in the gradient (a float32 there), and in its double
# backward (a double)
BCE_EPSILON = float(np.float32(1e-12))
BCE_SECOND_ORDER_EPSILON = 1e-12


def _binary_cross_entropy(ctx, grad, slope):
    # d/dx = (x - t) / (x (1 - x)) (the node ``slope``, torch's floored quotient, with its own
    # derivative),  d/dt = log(1 - x) - log(x), each log clamped as in the forward
    x, t = ctx.saved_tensors
    need_x, need_t = ctx.needs_input_grad
    grad_x = grad_t = None
    if need_x:
        grad_x = slope.apply(grad, x, t)
    if need_t:
        grad_t = grad * (ops.log1p(-x).clamp(min=-100) - x.log().clamp(min=-100))
    return grad_x, grad_t


def _binary_cross_entropy_backward(ctx, grad_grad, slope):
    # the node g (x - t) / max(x (1 - x), ε): linear in g; in x each term floored on its own
    # (see BinaryCrossEntropyGrad's docstring for why, and torch's difference)
    grad, x, t = ctx.saved_tensors
    need_grad, need_x, need_t = ctx.needs_input_grad
    d_grad = d_x = d_t = None
    if need_grad:  # linear in grad: the same map again
        d_grad = slope.apply(grad_grad, x, t)
    if need_x:
        floor = BCE_SECOND_ORDER_EPSILON
        x_sq, not_x_sq = x.maximum(floor) ** 2, (1 - x).maximum(floor) ** 2
        d_x = grad_grad * grad * (t / x_sq + (1 - t) / not_x_sq)
    if need_t:
        d_t = -(grad_grad * grad) / ((1 - x) * x).maximum(BCE_EPSILON)
    return d_grad, d_x, d_t


def class_shape(x) -> tuple:
    """``(1, C, 1, ...)``: a per-class array broadcast against ``x`` of shape (N, C, *)."""
    return (1, x.shape[1]) + (1,) * (len(x.shape) - 2)


def _cross_entropy(ctx, grad):
    # ∂l_i/∂x_ic = s_i p_ic - a_ic (the target coefficients a, their sums s: CrossEntropy's
    # docstring), times the upstream gradient and the reduction's normaliser
    (x,) = ctx.saved_tensors
    keep, safe, target_weight, weight, smoothing, reduction = ctx.target
    dtype = x.dtype
    classes = x.shape[1]
    # the target coefficients a (N, C, *) and their sums s (N, 1, *)
    coef = np.zeros(x.shape, dtype)
    np.put_along_axis(coef, safe[:, None], (target_weight * (1 - smoothing))[:, None], 1)
    total = target_weight * (1 - smoothing)
    if smoothing > 0:
        uniform = np.full(class_shape(x), smoothing / classes, dtype)
        if weight is not None:
            uniform = uniform * weight.reshape(uniform.shape)
        uniform = uniform if keep is None else uniform * keep[:, None]
        coef += uniform
        total = total + uniform.sum(1)
    # under create_graph the softmax is recorded from the logits, to be differentiated
    # again; otherwise nothing is recorded and forward's probabilities are the same values
    probs = x.softmax(1) if grad_mode.is_grad_enabled() else Tensor(ctx.probs)
    slope = probs * Tensor(total[:, None].astype(dtype, copy=False))
    slope = slope - Tensor(coef)
    none = None, None, None, None
    if reduction == "none":
        return slope * grad.reshape(grad.shape[:1] + (1,) + grad.shape[1:]), *none
    if reduction == "mean":
        if keep is not None and not keep.any():  # every target ignored: the loss is 0 / 0,
            return slope * 0.0, *none  # nan with a zero gradient, as torch
        with np.errstate(divide="ignore"):  # a total weight of 0: inf, as the forward's 1 / 0
            # the mean's normaliser, 1 / the total weight of the targets counted
            scale = float(np.float64(1.0) / np.float64(target_weight.sum()))
        return slope * (grad * scale), *none
    return slope * grad, *none


def _max_pool(ctx, grad, scatter):
    # each pooled gradient goes to its window's winner (the forward's offsets)
    return scatter.apply(grad, *ctx.args), None, None, None


def _max_pool_scatter(ctx, grad, gather):
    # scatter and gather are adjoint: <scatter(g), h> = <g, gather(h)>
    return gather.apply(grad, *ctx.args), None, None, None, None


def _max_pool_gather(ctx, grad, scatter):
    return scatter.apply(grad, *ctx.args), None, None, None


GRADIENTS.update(
    {
        "softmax": _softmax,
        "log_softmax": _log_softmax,
        "linear": _linear,
        "convolution": _convolution,
        "binary_cross_entropy": _binary_cross_entropy,
        "binary_cross_entropy_backward": _binary_cross_entropy_backward,
        "cross_entropy": _cross_entropy,
        "max_pool": _max_pool,
        "max_pool_backward": _max_pool_scatter,
        "max_pool_gather": _max_pool_gather,
    }
)


# == binding a rule to its primitive ==========================================================


def _shape(x) -> tuple:
    return x.data.shape if isinstance(x, Tensor) else np.shape(x)


def table_backward(name: str, **kernels):
    """The ``backward`` of the primitive ``name``: its rule in this module, as a staticmethod.

    For an elementwise rule (``RULES``) it runs each wanted input's derivative on Tensors, then
    sums the result back to that input's shape: ``sum_to_shape`` is the one place where
    broadcasting is undone. The forward saves the inputs with ``save_for_backward`` and, for a
    rule that reads the output, ``save_output``. A rule of ``GRADIENTS`` is the backward itself,
    with ``kernels`` (the Functions it applies) bound by name.
    """
    if name in GRADIENTS:
        rule = GRADIENTS[name]
        backward = functools.partial(rule, **kernels) if kernels else rule
        return staticmethod(backward)
    rules = RULES[name]

    def backward(ctx, grad):
        saved = ctx.saved_tensors  # empty for a rule that needs only the output
        a = saved[0] if saved else None
        b = saved[1] if len(saved) > 1 else None
        output = ctx.output
        out = output() if output is not None else None
        if len(rules) == 1:  # elementwise on one input: the gradient has its shape already
            return rules[0](grad, out, a, b)
        need_a, need_b = ctx.needs_input_grad
        # add and sub save no tensor (their rules read only the inputs' shapes), so a second
        # backward through them works once the graph is freed, as in PyTorch; mul, div and pow
        # keep the operands' shapes too, as they save only the tensors a wanted gradient reads
        operand_a, operand_b = (a, b) if ctx.operands is None else ctx.operands
        shape_a, shape_b = _shape(operand_a), _shape(operand_b)
        return (
            sum_to_shape(rules[0](grad, out, a, b), shape_a) if need_a else None,
            sum_to_shape(rules[1](grad, out, a, b), shape_b) if need_b else None,
        )

    backward.__qualname__ = f"table_backward({name!r})"
    return staticmethod(backward)


def _nan_to_num(ctx, grad):
    """The finite elements pass their gradient; nan and inf, replaced by constants, none."""
    (a,) = ctx.saved_tensors
    return grad.where(np.isfinite(a.data), 0), None, None, None


GRADIENTS["nan_to_num"] = _nan_to_num


def _cumsum(ctx, grad):
    """Element i feeds every running sum from i on: the gradient summed from the end."""
    dim = ctx.dim
    if grad.ndim == 0:
        return grad, None
    return grad.flip(dim).cumsum(dim).flip(dim), None


def _inv(ctx, grad):
    out = ctx.output()
    return -(out.mT @ grad @ out.mT)


def _det(ctx, grad, inv):
    (a,) = ctx.saved_tensors
    scale = (grad * ctx.output()).unsqueeze(-1).unsqueeze(-1)
    return scale * inv.apply(a).mT


def _solve(ctx, grad, solve):
    a, b = ctx.saved_tensors
    x = ctx.output()
    need_a, need_b = ctx.needs_input_grad
    grad_b = solve.apply(a.mT, grad)
    if ctx.vector:
        grad_a = -(grad_b.unsqueeze(-1) @ x.unsqueeze(-2))
    else:
        grad_a = -(grad_b @ x.mT)
    return (
        sum_to_shape(grad_a, a.shape) if need_a else None,
        sum_to_shape(grad_b, b.shape) if need_b else None,
    )


GRADIENTS.update({"cumsum": _cumsum, "inv": _inv, "det": _det, "solve": _solve})


def _not_differentiable(ctx, grad):
    """floor_divide: torch records it but has no derivative; a backward through it raises."""
    raise RuntimeError("the derivative for 'floor_divide' is not implemented.")


GRADIENTS["floor_divide"] = _not_differentiable


def _einsum(ctx, grad, einsum):
    """Operand k's gradient is the einsum of the output's gradient with the other operands,
    written into operand k's subscripts. Two letters of operand k appear in no other term:

    - a letter that operand k alone sums over ('ij->i'): its gradient is constant along it,
      which an operand of ones on that letter says;
    - a letter repeated in operand k (a diagonal, 'ii->i'): its gradient is zero off the
      diagonal. The repeat gets a fresh letter and an identity matrix on (letter, fresh letter)
      joins the einsum, which writes the diagonal gradient and zeros elsewhere in one product
      (the identity is a constant, so the second derivative is an einsum again).
    """
    operands = ctx.saved_tensors
    inputs, output, sizes = ctx.inputs, ctx.output_labels, ctx.sizes
    taken = set("".join(inputs)) | set(output)
    grads = []
    for k, needed in enumerate(ctx.needs_input_grad):
        if not needed:
            grads.append(None)
            continue
        fresh = iter([c for c in _EINSUM_LETTERS if c not in taken])
        terms = [output] + [labels for j, labels in enumerate(inputs) if j != k]
        tensors = [grad] + [t for j, t in enumerate(operands) if j != k]
        present = set("".join(terms))
        target = []
        for c in inputs[k]:
            if c in target:  # a repeat: a fresh letter, tied to c by the identity
                repeat = next(fresh, None)
                if repeat is None:
                    raise NotImplementedError(
                        "einsum backward: the equation uses too many of the 52 letters to name "
                        "the diagonal of a repeated subscript"
                    )
                terms.append(c + repeat)
                tensors.append(Tensor(np.eye(sizes[c], dtype=grad.dtype)))
                present.add(c)
                target.append(repeat)
            else:
                target.append(c)
        for c in dict.fromkeys(inputs[k]):
            if c not in present:
                terms.append(c)
                tensors.append(Tensor(np.ones(sizes[c], dtype=grad.dtype)))
        grads.append(einsum.apply(*tensors, inputs=tuple(terms), output="".join(target)))
    return tuple(grads)


_EINSUM_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
GRADIENTS["einsum"] = _einsum


def _cumprod(ctx, grad):
    """d out_j / d x_i = prod_{k <= j, k != i} x_k for j >= i, so
    grad_i = sum_{j >= i} grad_j * prod_{k <= j, k != i} x_k.

    Without zeros in the input that is the gradient times the output summed from the end and
    divided by x_i. With zeros the division fails, and two ways follow torch's:

    - recording (create_graph), the definition itself, O(n^2): row i of an (n, n) matrix is the
      input with x_i replaced by 1, its running products are prod_{k <= j, k != i} x_k, and
      grad_i sums grad_j times them over j >= i. A polynomial in x, right to every order;
    - not recording, O(n): before the first zero of a slice the division is safe (no zero
      there); at the first zero the gradient is the formula with that zero replaced by 1
      (the running products of the input without it), summed from the end; after it every
      product holds the first zero, so the gradient is 0 (its derivative is not: hence the
      recorded way above).
    """
    (a,) = ctx.saved_tensors
    dim = ctx.dim
    if grad.ndim == 0:
        return grad, None
    out = ctx.output()
    zero = a.data == 0
    if not zero.any():
        return (grad * out).flip(dim).cumsum(dim).flip(dim) / a, None
    if grad_mode._enabled:
        n = a.shape[dim]
        x, g = a.movedim(dim, -1), grad.movedim(dim, -1)
        diagonal = np.eye(n, dtype=bool)
        products = x.unsqueeze(-2).where(~diagonal, 1).cumprod(-1)  # [..., i, j]
        later = np.triu(np.ones((n, n), dtype=bool))  # j >= i
        return (g.unsqueeze(-2) * products).where(later, 0).sum(-1).movedim(-1, dim), None
    zeros_so_far = np.cumsum(zero, axis=dim)
    before = zeros_so_far == 0
    first = zero & (zeros_so_far == 1)
    grad_before = (grad * out).where(before, 0).flip(dim).cumsum(dim).flip(dim) / a.where(before, 1)
    without_first = a.where(~first, 1).cumprod(dim)
    grad_first = (grad * without_first).flip(dim).cumsum(dim).flip(dim)
    return grad_before.where(before, grad_first.where(first, 0)), None


GRADIENTS["cumprod"] = _cumprod
