"""``Value``: a scalar node of the computation graph (micrograd's idea, done properly).

Each operation computes its forward result on floats; its derivative is the entry of the one
rule table (rules.py) that ``Tensor`` uses too. A rule takes the output's gradient ``g``, the
output ``out`` and the inputs ``a`` (and ``b``), and returns the gradient of one input. It is
written once with ordinary arithmetic, so it runs on two kinds of arguments here:

- plain floats (``out.data``, ``a.data``): the fast first-order path of the walk, inside
  ``_chain``;
- the ``Value`` nodes themselves, with recording on: ``grad(..., create_graph=True)``, where the
  backward pass becomes a graph that can be differentiated again.

A node keeps its inputs in two slots, ``_a`` and ``_b``. A number operand (``x * 2``) is kept
as a constant in ``_b`` rather than wrapped as a leaf node, and shows in the operation's name
(``op == "* 2"``). With one object per operation, a graph of a million nodes costs the cyclic
garbage collector, which rescans every live object as the graph grows, half as much; and a node
never refers to itself (no closures), so a dropped graph is freed by reference counting alone.
"""

from __future__ import annotations

import math
from numbers import Real

from . import grad_mode
from .fused import register_fused
from .graph import backpropagate, collector_paused, send
from .rules import RULES, power, swapped


class Value:
    """A scalar that remembers how it was computed.

    ``data`` is the float; ``grad`` the derivative of the last ``backward()`` root with respect
    to it (0.0 before any backward); ``parents`` the Values it was computed from, in argument
    order; ``op`` the name of the operation that made it ("" for leaves); ``label`` a name for
    drawings.

    Examples
    --------
    >>> from autograd import Value
    >>> a = Value(2.0, label='a')
    >>> b = (a * a + 1).tanh()
    >>> b.backward()
    >>> round(b.data, 4), round(a.grad, 4)
    (0.9999, 0.0007)
    """

    __slots__ = (
        "data",
        "grad",
        "label",
        "_op",
        "_rule",
        "_a",
        "_b",
        "_mark",
        "_incoming",
        "__weakref__",
    )

    def __init__(
        self, data: float, label: str = "", _a=None, _b=None, _op: str = "", _rule=None
    ) -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._op = _op
        self._rule = _rule
        self._a = _a  # first input; a tuple of inputs for n-ary operations (linear)
        self._b = _b  # second input: a Value, a constant number, or None
        self._mark = None
        self._incoming = None

    @property
    def parents(self) -> tuple:
        """The Values this one was computed from, in argument order (constants excluded).

        Examples
        --------
        >>> from autograd import Value
        >>> a, b = Value(2.0), Value(3.0)
        >>> (a * b).parents == (a, b)
        True
        """
        a, b = self._a, self._b
        if a is None:
            return ()
        if type(a) is tuple:
            return a
        return (a, b) if isinstance(b, Value) else (a,)

    @property
    def op(self) -> str:
        """The operation's name, with its constant operand if it had one (``"* 2"``).

        Examples
        --------
        >>> from autograd import Value
        >>> a = Value(2.0)
        >>> (a * 2).op, (a + a).op, a.op
        ('* 2', '+', '')
        """
        b = self._b
        if b is None or isinstance(b, Value):
            return self._op
        return self._op.format(b)

    # -- arithmetic: with a Value, or a number kept as a constant ---------------------------------

    def __add__(self, other) -> Value:
        if isinstance(other, Value):
            return _node(self.data + other.data, self, other, "+", _ADD)
        if type(other) is float:  # the common constant, without _constant's call
            return _node(self.data + other, self, other, "+ {:g}", _ADD)
        c = _constant(other, "+")
        return c if c is NotImplemented else _node(self.data + c, self, c, "+ {:g}", _ADD)

    def __mul__(self, other) -> Value:
        if isinstance(other, Value):
            return _node(self.data * other.data, self, other, "*", _MUL)
        if type(other) is float:  # the common constant, without _constant's call
            return _node(self.data * other, self, other, "* {:g}", _MUL)
        c = _constant(other, "*")
        return c if c is NotImplemented else _node(self.data * c, self, c, "* {:g}", _MUL)

    def __sub__(self, other) -> Value:
        if isinstance(other, Value):
            return _node(self.data - other.data, self, other, "-", _SUB)
        c = _constant(other, "-")
        return c if c is NotImplemented else _node(self.data - c, self, c, "- {:g}", _SUB)

    def __truediv__(self, other) -> Value:
        if isinstance(other, Value):
            _check_divisor(self.data, other.data)
            return _node(self.data / other.data, self, other, "/", _DIV)
        c = _constant(other, "/")
        if c is NotImplemented:
            return c
        _check_divisor(self.data, c)
        return _node(self.data / c, self, c, "/ {:g}", _DIV)

    def __pow__(self, exponent) -> Value:
        if isinstance(exponent, Value):
            return _node(power(self.data, exponent.data), self, exponent, "**", _POW)
        n = _constant(exponent, "**")
        if n is NotImplemented:
            return n
        return _node(power(self.data, n), self, n, "** {:g}", _POW)

    def __neg__(self) -> Value:
        return _node(-self.data, self, None, "neg", _NEG)

    def __radd__(self, other) -> Value:
        c = _constant(other, "+", reflected=True)
        return c if c is NotImplemented else _node(c + self.data, self, c, "{:g} +", _ADD)

    def __rmul__(self, other) -> Value:
        c = _constant(other, "*", reflected=True)
        return c if c is NotImplemented else _node(c * self.data, self, c, "{:g} *", _MUL)

    def __rsub__(self, other) -> Value:
        c = _constant(other, "-", reflected=True)
        return c if c is NotImplemented else _node(c - self.data, self, c, "{:g} -", _RSUB)

    def __rtruediv__(self, other) -> Value:
        c = _constant(other, "/", reflected=True)
        if c is NotImplemented:
            return c
        _check_divisor(c, self.data)
        return _node(c / self.data, self, c, "{:g} /", _RDIV)

    def __rpow__(self, base) -> Value:
        c = _constant(base, "**", reflected=True)
        if c is NotImplemented:
            return c
        return _node(power(c, self.data), self, c, "{:g} **", _RPOW)

    # -- elementwise functions ------------------------------------------------------------------

    def exp(self) -> Value:
        """``e ** self``.

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(1.0)
        >>> y = x.exp()
        >>> y.backward()
        >>> round(y.data, 4), round(x.grad, 4)
        (2.7183, 2.7183)
        """
        return _node(_exp(self.data), self, None, "exp", _EXP)

    def log(self) -> Value:
        """The natural logarithm (``self`` must be positive).

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(2.0)
        >>> y = x.log()
        >>> y.backward()
        >>> round(y.data, 4), round(x.grad, 4)
        (0.6931, 0.5)
        """
        if self.data <= 0.0:
            raise ValueError(
                f"log of a non-positive number: Value(data={self.data!r}); log is defined "
                "for data > 0 (add a small epsilon or clamp the input first)"
            )
        return _node(math.log(self.data), self, None, "log", _LOG)

    def tanh(self) -> Value:
        """The hyperbolic tangent.

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(0.5)
        >>> y = x.tanh()
        >>> y.backward()
        >>> round(y.data, 4), round(x.grad, 4)
        (0.4621, 0.7864)
        """
        return _node(math.tanh(self.data), self, None, "tanh", _TANH)

    def sigmoid(self) -> Value:
        """``1 / (1 + e ** -self)``, without overflow.

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(0.0)
        >>> y = x.sigmoid()
        >>> y.backward()
        >>> round(y.data, 4), round(x.grad, 4)
        (0.5, 0.25)
        """
        return _node(_sigmoid(self.data), self, None, "sigmoid", _SIGMOID)

    def relu(self) -> Value:
        # "not <= 0" rather than "> 0": nan stays nan, as in torch (and its gradient passes)
        """``max(self, 0)`` (gradient 0 at 0).

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(-3.0)
        >>> y = x.relu()
        >>> y.backward()
        >>> round(y.data, 4), round(x.grad, 4)
        (0.0, 0.0)
        """
        return _node(0.0 if self.data <= 0.0 else self.data, self, None, "ReLU", _RELU)

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

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(3.0)
        >>> y = x * x + x
        >>> y.backward()
        >>> x.grad
        7.0
        """
        with collector_paused():  # backpropagate pauses it too: the order is its first part
            order = _topological_order(self)
        order, grads = backpropagate((self,), (1.0,), in_slots=True, order=order)
        if grads is None:  # left in the slots: take each one (see backpropagate)
            for node in order:
                grad = node._incoming
                node._incoming = None
                if node._rule is None:  # a leaf: accumulate
                    if grad is not None:
                        node.grad += grad
                else:  # an intermediate: this pass only
                    node.grad = 0.0 if grad is None else grad
            return
        for node, grad in zip(order, grads):  # the same, from the list
            if node._rule is None:
                if grad is not None:
                    node.grad += grad
            else:
                node.grad = 0.0 if grad is None else grad

    # -- graph protocol (see graph.py) ------------------------------------------------------------

    def _chain(self, grad, create_graph: bool) -> None:
        rule = self._rule
        if rule is None:
            return  # a leaf
        a, b = self._a, self._b
        if create_graph:  # the rules run on the Values themselves, recording as they go
            if type(a) is tuple:
                parents, grads = a, rule(grad, self, *a)
            elif isinstance(b, Value):
                parents, grads = (a, b), (rule[0](grad, self, a, b), rule[1](grad, self, a, b))
            else:
                parents, grads = (a,), (rule[0](grad, self, a, b),)
            for parent, parent_grad in zip(parents, grads):
                send(parent, parent_grad)
            return
        # the first-order fast path: the same rules on floats, summed straight into the slots
        out = self.data
        if isinstance(b, Value):
            x, y = a.data, b.data
            grad_a = rule[0](grad, out, x, y)
            incoming = a._incoming
            a._incoming = grad_a if incoming is None else incoming + grad_a
            grad_b = rule[1](grad, out, x, y)
            incoming = b._incoming
            b._incoming = grad_b if incoming is None else incoming + grad_b
        elif type(a) is tuple:
            for parent, parent_grad in zip(a, rule(grad, out, *[p.data for p in a])):
                incoming = parent._incoming
                parent._incoming = parent_grad if incoming is None else incoming + parent_grad
        else:  # one input, and maybe a constant
            grad_a = rule[0](grad, out, a.data, b)
            incoming = a._incoming
            a._incoming = grad_a if incoming is None else incoming + grad_a

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


def _topological_order(root: Value) -> list:
    """``graph.topological_order((root,))`` for a graph of Values, the same list twice as fast.

    The same depth-first search, parents pushed in reverse argument order, but each node's
    parents read straight from its ``_a`` / ``_b`` slots rather than through the ``parents``
    property, whose call and tuple cost half the walk on a 1e6-link chain (0.33 of 0.64 s).
    """
    token = object()
    order = []
    stack = [root]
    emitting = [False]
    push, push_flag, pop, pop_flag = stack.append, emitting.append, stack.pop, emitting.pop
    while stack:
        node = pop()
        if pop_flag():
            order.append(node)
            continue
        if node._mark is token:
            continue  # reached again through another path
        node._mark = token
        push(node)
        push_flag(True)
        a = node._a
        if a is None:
            continue  # a leaf
        if type(a) is tuple:  # n-ary (linear)
            for parent in reversed(a):
                if parent._mark is not token:
                    push(parent)
                    push_flag(False)
            continue
        b = node._b
        if isinstance(b, Value) and b._mark is not token:
            push(b)
            push_flag(False)
        if a._mark is not token:
            push(a)
            push_flag(False)
    return order


def linear(inputs, weights, bias) -> Value:
    """A neuron's pre-activation ``b + Σ wᵢ xᵢ`` as one node (``op == "linear"``).

    ``inputs`` and ``weights`` are equal-length sequences of Values or numbers; ``bias`` a
    Value or number. The result equals the chain of ``*`` and ``+`` nodes micrograd builds, with
    one node instead of ``2n``, which is what makes the scalar MLP fast. Its parents are
    ``(w₁..wₙ, x₁..xₙ, b)``.

    Examples
    --------
    >>> from autograd import Value, linear
    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)]
    >>> out = linear(x, w, Value(0.5))
    >>> out.data, out.op
    (2.5, 'linear')
    """
    if len(inputs) != len(weights):
        raise ValueError(
            f"linear: {len(inputs)} inputs but {len(weights)} weights; pass one weight per input"
        )
    # the type test inline: a call per element would cost ~10% of a scalar MLP's step
    xs = [x if type(x) is Value else _as_value(x) for x in inputs]
    ws = [w if type(w) is Value else _as_value(w) for w in weights]
    b = _as_value(bias)
    total = b.data
    for w, x in zip(ws, xs):
        total += w.data * x.data
    return _node(total, (*ws, *xs, b), None, "linear", _linear_rule)


def _linear_composed(inputs, weights, bias) -> Value:
    """``linear`` as micrograd builds it, a chain of ``*`` and ``+`` nodes: the reference."""
    total = _as_value(bias)
    for w, x in zip(weights, inputs):
        total = total + w * x
    return total


def _linear_example(rng) -> tuple:
    n = 4
    inputs = [Value(v) for v in rng.standard_normal(n)]
    weights = [Value(v) for v in rng.standard_normal(n)]
    return (inputs, weights, Value(rng.standard_normal())), {}


# one node instead of 2n: the scalar demo step (bench/scalar_engine.py, workload A) is built on it
register_fused("value.linear", fused=linear, reference=_linear_composed, example=_linear_example)


def _node(data: float, a, b, op: str, rule) -> Value:
    """The result of an operation: a graph node, or a plain leaf under ``no_grad()``.

    ``data`` is already a float (every forward computes one), so the node's slots are filled
    here directly rather than through ``__init__`` and its ``float()``: one Python call less per
    operation, about 5% of a scalar forward pass.
    """
    if grad_mode._enabled:
        node = _new_value(Value)
        node.data = data
        node.grad = 0.0
        node.label = ""
        node._op = op
        node._rule = rule
        node._a = a
        node._b = b
        node._mark = None
        node._incoming = None
        return node
    return Value(data)


_new_value = object.__new__


def _format_grad(grad) -> str:
    return f"{grad:.4g}" if isinstance(grad, float) else repr(grad)


def _constant(other, op: str, reflected: bool = False):
    """A number operand as a float; refuse anything else with a TypeError naming both types.

    Arrays and tensors (anything numpy-like) get ``NotImplemented`` instead, so that their own
    reflected operation can broadcast over the Value.
    """
    if isinstance(other, (float, int)) or isinstance(other, Real):  # the ABC check is slow
        return float(other)
    if hasattr(other, "__array_ufunc__"):
        return NotImplemented
    left, right = ("Value", type(other).__name__)[:: -1 if reflected else 1]
    raise TypeError(
        f"unsupported operand type(s) for {op}: '{left}' and '{right}'; "
        "a Value combines with Values and numbers (int, float)"
    )


def _as_value(x) -> Value:
    if isinstance(x, Value):
        return x
    return Value(_constant(x, "linear"))


def _check_divisor(numerator: float, divisor: float) -> None:
    if divisor == 0.0:
        raise ZeroDivisionError(f"Value division by zero: {numerator!r} / 0.0")


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


# -- derivative rules: the table's (rules.py), one per input ---------------------------------
# For a node with a constant operand only the first is used; a reflected operation (``2 - x``)
# keeps (x, 2) and runs the rule of the second input with the arguments swapped back.

_ADD, _SUB, _MUL, _DIV, _POW = (RULES[n] for n in ("add", "sub", "mul", "div", "pow"))
_NEG, _EXP, _LOG, _TANH, _SIGMOID, _RELU = (
    RULES[n] for n in ("neg", "exp", "log", "tanh", "sigmoid", "relu")
)
_RSUB, _RDIV, _RPOW = ((swapped(RULES[n][1]),) for n in ("sub", "div", "pow"))


def _linear_rule(g, out, *args):
    # args = (w1..wn, x1..xn, b):  d/dwi = xi,  d/dxi = wi,  d/db = 1
    n = len(args) // 2
    weights, inputs = args[:n], args[n : 2 * n]
    return (*[g * x for x in inputs], *[g * w for w in weights], g)
