"""``Value``: a scalar node of the computation graph (micrograd's idea, done properly).

Each operation is a forward computation next to its derivative rule. A rule takes the output's
gradient ``g``, the output ``out`` and the inputs, and returns one gradient per input. It is
written once with ordinary arithmetic, so it runs on two kinds of arguments:

- plain floats (``out.data``, ``a.data``): the fast first-order path of ``backward()``;
- the ``Value`` nodes themselves, with recording on: ``grad(..., create_graph=True)``, where the
  backward pass becomes a graph that can be differentiated again.

A node keeps its inputs and its rule, never a closure over itself, so a dropped graph is freed
by reference counting alone.
"""

from __future__ import annotations

import math
from numbers import Real

from . import grad_mode
from .graph import collector_paused, topological_order


class Value:
    """A scalar that remembers how it was computed.

    ``data`` is the float; ``grad`` the derivative of the last ``backward()`` root with respect
    to it (0.0 before any backward); ``parents`` the Values it was computed from, in argument
    order; ``op`` the name of the operation that made it ("" for leaves); ``label`` a name for
    drawings.
    """

    __slots__ = ("data", "grad", "parents", "op", "label", "_rule", "_mark", "__weakref__")

    def __init__(
        self, data: float, label: str = "", _parents: tuple = (), _op: str = "", _rule=None
    ) -> None:
        self.data = float(data)
        self.grad = 0.0
        self.parents = _parents
        self.op = _op
        self.label = label
        self._rule = _rule
        self._mark = None

    # -- arithmetic: numbers on either side become leaf Values, anything else is a TypeError ---

    def __add__(self, other) -> Value:
        if type(other) is not Value:
            other = _as_value(other, "+")
            if other is NotImplemented:
                return other
        return _node(self.data + other.data, (self, other), "+", _add_rule)

    def __mul__(self, other) -> Value:
        if type(other) is not Value:
            other = _as_value(other, "*")
            if other is NotImplemented:
                return other
        return _node(self.data * other.data, (self, other), "*", _mul_rule)

    def __sub__(self, other) -> Value:
        if type(other) is not Value:
            other = _as_value(other, "-")
            if other is NotImplemented:
                return other
        return _node(self.data - other.data, (self, other), "-", _sub_rule)

    def __truediv__(self, other) -> Value:
        if type(other) is not Value:
            other = _as_value(other, "/")
            if other is NotImplemented:
                return other
        if other.data == 0.0:
            raise ZeroDivisionError(f"Value division by zero: {self.data!r} / 0.0")
        return _node(self.data / other.data, (self, other), "/", _div_rule)

    def __pow__(self, exponent) -> Value:
        if isinstance(exponent, Value):
            return _node(_power(self.data, exponent.data), (self, exponent), "**", _pow_rule)
        exponent = _as_value(exponent, "**")
        if exponent is NotImplemented:
            return exponent
        # a number exponent is a constant leaf that gets no gradient (its log may not exist)
        return _node(
            _power(self.data, exponent.data),
            (self, exponent),
            f"**{exponent.data:g}",
            _pow_const_rule,
        )

    def __neg__(self) -> Value:
        return _node(-self.data, (self,), "neg", _neg_rule)

    def __radd__(self, other) -> Value:
        other = _as_value(other, "+", reflected=True)
        return other if other is NotImplemented else other + self

    def __rmul__(self, other) -> Value:
        other = _as_value(other, "*", reflected=True)
        return other if other is NotImplemented else other * self

    def __rsub__(self, other) -> Value:
        other = _as_value(other, "-", reflected=True)
        return other if other is NotImplemented else other - self

    def __rtruediv__(self, other) -> Value:
        other = _as_value(other, "/", reflected=True)
        return other if other is NotImplemented else other / self

    def __rpow__(self, base) -> Value:
        base = _as_value(base, "**", reflected=True)
        return base if base is NotImplemented else base**self

    # -- elementwise functions ------------------------------------------------------------------

    def exp(self) -> Value:
        return _node(_exp(self.data), (self,), "exp", _exp_rule)

    def log(self) -> Value:
        if self.data <= 0.0:
            raise ValueError(
                f"log of a non-positive number: Value(data={self.data!r}); log is defined "
                "for data > 0 (add a small epsilon or clamp the input first)"
            )
        return _node(math.log(self.data), (self,), "log", _log_rule)

    def tanh(self) -> Value:
        return _node(math.tanh(self.data), (self,), "tanh", _tanh_rule)

    def sigmoid(self) -> Value:
        return _node(_sigmoid(self.data), (self,), "sigmoid", _sigmoid_rule)

    def relu(self) -> Value:
        return _node(self.data if self.data > 0.0 else 0.0, (self,), "ReLU", _relu_rule)

    # -- backward -------------------------------------------------------------------------------

    def backward(self) -> None:
        """Compute ``d self / d node`` for every node of the graph under ``self``.

        - Leaves (Values no operation made, such as parameters) accumulate: each call adds to
          their ``grad``, as in PyTorch and micrograd, until you zero it
          (``model.zero_grad()`` or ``v.grad = 0.0``).
        - Every intermediate node shows its gradient from this call only (it is reset first),
          so a drawing after ``backward()`` never shows a double count.

        The walk is iterative (a chain of a million nodes works) and visits parents in argument
        order, so the summation order, and the result, is the same on every run.
        """
        with collector_paused():
            order = topological_order((self,))
            for node in order:
                if node._rule is not None:
                    node.grad = 0.0
            self.grad += 1.0
            for node in reversed(order):
                rule = node._rule
                if rule is None:
                    continue
                parents = node.parents
                if len(parents) == 2:
                    a, b = parents
                    grad_a, grad_b = rule(node.grad, node.data, a.data, b.data)
                    a.grad += grad_a
                    b.grad += grad_b
                elif len(parents) == 1:
                    (a,) = parents
                    a.grad += rule(node.grad, node.data, a.data)[0]
                else:
                    grads = rule(node.grad, node.data, *[parent.data for parent in parents])
                    for parent, parent_grad in zip(parents, grads):
                        parent.grad += parent_grad

    # -- graph protocol (see graph.py) ------------------------------------------------------------

    def _chain(self, grad, create_graph: bool) -> tuple:
        if create_graph:
            return self._rule(grad, self, *self.parents)
        return self._rule(grad, self.data, *[parent.data for parent in self.parents])

    def _seed_gradient(self, grad_output, create_graph: bool):
        grad_output = 1.0 if grad_output is None else grad_output
        if create_graph:
            return grad_output if isinstance(grad_output, Value) else Value(grad_output)
        return grad_output.data if isinstance(grad_output, Value) else float(grad_output)

    def _release(self) -> None:
        """Nothing to free: a Value saves only its inputs, which the graph holds anyway."""

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.4g}, grad={_format_grad(self.grad)}{label})"


def linear(inputs, weights, bias) -> Value:
    """A neuron's pre-activation ``b + Σ wᵢ xᵢ`` as one node (``op == "linear"``).

    ``inputs`` and ``weights`` are equal-length sequences of Values or numbers; ``bias`` a
    Value or number. The result equals the chain of ``*`` and ``+`` nodes micrograd builds, with
    one node instead of ``2n``, which is what makes the scalar MLP fast. Its parents are
    ``(w₁..wₙ, x₁..xₙ, b)``.
    """
    if len(inputs) != len(weights):
        raise ValueError(
            f"linear: {len(inputs)} inputs but {len(weights)} weights; pass one weight per input"
        )
    xs = [_as_value(x, "linear") for x in inputs]
    ws = [_as_value(w, "linear") for w in weights]
    b = _as_value(bias, "linear")
    total = b.data
    for w, x in zip(ws, xs):
        total += w.data * x.data
    return _node(total, (*ws, *xs, b), "linear", _linear_rule)


def _node(data: float, parents: tuple, op: str, rule) -> Value:
    """The result of an operation: a graph node, or a plain leaf under ``no_grad()``."""
    if grad_mode._enabled:
        return Value(data, "", parents, op, rule)
    return Value(data)


def _format_grad(grad) -> str:
    return f"{grad:.4g}" if isinstance(grad, float) else repr(grad)


def _as_value(other, op: str, reflected: bool = False):
    """Wrap a number as a leaf Value; refuse anything else with a TypeError naming both types.

    Arrays and tensors (anything numpy-like) get ``NotImplemented`` instead, so that their own
    reflected operation can broadcast over the Value.
    """
    if isinstance(other, Value):
        return other
    if isinstance(other, (float, int)) or isinstance(other, Real):  # the ABC check is slow
        return Value(other)
    if hasattr(other, "__array_ufunc__"):
        return NotImplemented
    left, right = ("Value", type(other).__name__)[:: -1 if reflected else 1]
    raise TypeError(
        f"unsupported operand type(s) for {op}: '{left}' and '{right}'; "
        "a Value combines with Values and numbers (int, float)"
    )


# -- forward helpers that stay finite where the naive formula overflows ------------------------


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _sigmoid(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0: exp(x) cannot overflow, and 1 + exp(-x) would
    return e / (1.0 + e)


def _power(base: float, exponent: float) -> float:
    try:
        return base**exponent if not (base < 0.0 and not exponent.is_integer()) else math.nan
    except ZeroDivisionError:
        return math.inf  # 0 ** negative, as in PyTorch
    except OverflowError:
        return math.inf


def _pow_of(base, exponent):
    """``base ** exponent`` for the derivative rules: a Value power, or a float one."""
    if isinstance(base, Value) or isinstance(exponent, Value):
        return base**exponent
    return _power(base, exponent)


def _log_of(x):
    """log for the derivative rules: a Value's log, or math.log of a float."""
    if isinstance(x, Value):
        return x.log()
    return math.log(x)


def _data(x) -> float:
    return x.data if isinstance(x, Value) else x


# -- derivative rules: rule(g, out, *inputs) -> one gradient per input ------------------------
# g, out and the inputs are all floats (first order) or all Values (create_graph=True).


def _add_rule(g, out, a, b):
    return g, g


def _sub_rule(g, out, a, b):
    return g, -g


def _mul_rule(g, out, a, b):
    return g * b, g * a


def _div_rule(g, out, a, b):
    # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -out/b
    return g / b, -g * out / b


def _neg_rule(g, out, a):
    return (-g,)


def _pow_const_rule(g, out, a, n):
    # d(a^n)/da = n a^(n-1); the constant exponent n gets none
    return g * n * _pow_of(a, _data(n) - 1.0), 0.0


def _pow_rule(g, out, a, b):
    # d(a^b)/da = b a^(b-1);  d(a^b)/db = a^b log(a), defined for a > 0 (0 at a == 0, as PyTorch)
    base = _data(a)
    if base > 0.0:
        grad_b = g * out * _log_of(a)
    else:
        grad_b = g * (0.0 if base == 0.0 else math.nan)
    return g * b * _pow_of(a, b - 1.0), grad_b


def _linear_rule(g, out, *args):
    # args = (w1..wn, x1..xn, b):  d/dwi = xi,  d/dxi = wi,  d/db = 1
    n = len(args) // 2
    weights, inputs = args[:n], args[n : 2 * n]
    return (*[g * x for x in inputs], *[g * w for w in weights], g)


def _exp_rule(g, out, a):
    return (g * out,)


def _log_rule(g, out, a):
    return (g / a,)


def _tanh_rule(g, out, a):
    return (g * (1.0 - out * out),)


def _sigmoid_rule(g, out, a):
    return (g * out * (1.0 - out),)


def _relu_rule(g, out, a):
    # the step function's own derivative is 0, so a constant factor serves both paths
    return (g * (1.0 if _data(a) > 0.0 else 0.0),)
