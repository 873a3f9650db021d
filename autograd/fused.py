"""The registry of fused rules: each fast path declared together with the composition it replaces.

A fused rule computes a composite operation (softmax, cross-entropy, a neuron's ``linear``) as
one node with a derivative of its own, because that is measurably faster or more stable than
the chain of primitives. Its derivative is then a second formula for the same function, so it
must agree with the composition: ``tests/test_fused_rules.py`` checks every registered rule
against its reference, forward, first and second order, on random float64 inputs, and fails
when a ``Function`` in the tree is neither a primitive nor registered here.

Declare a rule beside its code::

    register_fused(
        "softmax",
        fused=softmax,                      # the public function that takes the fast path
        reference=_softmax_composed,        # the same function from primitives
        example=lambda rng: ((Tensor(rng.standard_normal((3, 5)), requires_grad=True), 1), {}),
        functions=(Softmax,),               # the Function classes of the fast path, if any
    )

``example(rng)`` returns ``(args, kwargs)`` for one random call; the inputs to differentiate are
the Tensors among ``args`` that require grad, and the Values (in lists too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FusedRule:
    """A fused fast path, its reference composition, and how to draw an input for both."""

    name: str
    fused: Callable
    reference: Callable
    example: Callable
    functions: tuple = field(default=())


FUSED_RULES: dict[str, FusedRule] = {}


def register_fused(
    name: str,
    *,
    fused: Callable,
    reference: Callable,
    example: Callable,
    functions: tuple = (),
) -> FusedRule:
    """Declare the fused rule ``name``: ``fused`` must equal ``reference`` on ``example``'s inputs.

    ``functions`` lists the ``Function`` classes that make up the fast path, so that the shared
    test can tell a registered fused rule from an unregistered one.
    """
    if name in FUSED_RULES:
        raise ValueError(f"register_fused: a fused rule named {name!r} is already registered")
    rule = FusedRule(name, fused, reference, example, tuple(functions))
    FUSED_RULES[name] = rule
    for cls in rule.functions:
        cls.fused_rule = name
    return rule
