"""The derivative rules of the elementwise primitives: one table for ``Value`` and ``Tensor``.

``RULES[name]`` holds one derivative per input of the primitive ``name``. Each is a function
``d(g, out, a, b)`` that returns the gradient of its input, given the output's gradient ``g``,
the output ``out`` and the inputs ``a`` and ``b`` (``b`` is ``None`` for one-input primitives).
A formula is written once, with ``+ - * / **``, and runs on three kinds of argument:

- floats: ``Value``'s first-order fast path (``backward()`` on ``out.data``, ``a.data``, ...);
- ``Value`` nodes, with recording on: ``grad(..., create_graph=True)`` on scalars;
- ``Tensor`` nodes: the ``Function`` of the primitive (``ops/arithmetic.py``,
  ``ops/elementwise.py``) calls the same entry, then sums each gradient back to its input's shape
  with ``sum_to_shape``: broadcasting is that one mechanism, not a part of any rule.

With Values or Tensors the rule is itself recorded, so a gradient of a gradient needs no second
formula. An operand that is a constant (``x * 2``) may be a plain number in any of the three.

Primitives, and why each is one. The figures are medians of timings taken when this table was
written (Python 3.11, numpy 2, a shared 2-core machine): a chain of 100,000 scalar operations,
forward and ``backward()``, and a (256, 1000) float32 tensor, forward and backward. Every
other operation is a composition, differentiated through its parts.

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

Fused rules (softmax, log-softmax, cross-entropy, ...) are not here: see ``fused.py``.
"""

from __future__ import annotations

import math

import numpy as np

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
    with np.errstate(invalid="ignore"):
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
    "relu": (lambda g, out, a, b: _where_positive(a, g),),
}


def swapped(rule):
    """``rule`` for the second input, called with the arguments of a reflected operation.

    ``Value`` keeps a number operand beside its one Value input in the order (Value, number),
    whichever side the number was on: ``2 - x`` runs ``RULES["sub"][1]`` as ``(g, out, 2, x)``.
    """

    def reflected(g, out, x, c):
        return rule(g, out, c, x)

    return reflected
