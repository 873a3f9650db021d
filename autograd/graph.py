"""The graph walk shared by ``Value`` and ``Tensor``: topological order and the chain rule.

A node takes part in the walk through a small protocol:

- ``parents``: the nodes it was computed from, a tuple in argument order (empty for leaves);
- ``_mark``: a slot the walk uses to mark the nodes it has visited;
- ``_incoming``: a slot the walk sums the gradients arriving at the node into (``None`` between
  walks);
- ``_chain(grad, create_graph)``: the chain rule at this node: given its own gradient, add the
  gradient of each parent into that parent's ``_incoming`` slot (with ``send``); a leaf does
  nothing;
- ``_seed_gradient(grad_output, create_graph)``: the gradient that starts a walk at this node
  (``None`` asks for the implicit one, which only a scalar output has);
- ``_release()``: drop what the node saved for backward, once a walk has used it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

import numpy as np

from . import grad_mode


def topological_order(roots: Iterable) -> list:
    """Every node reachable from ``roots``, each after all of its parents.

    ``roots`` are nodes (``Value`` or ``Tensor``, or anything with ``parents`` and a ``_mark``
    slot); the result is a list of nodes, leaves first and the roots last. Public as
    ``autograd.topological_order``.

    Iterative depth-first search over an explicit stack, so a chain of a million nodes needs no
    recursion; parents are visited in argument order, so the order is the same on every run.
    The stack is two flat lists (the nodes, and whether each is to be expanded or emitted), and
    a node is marked visited by storing this walk's token in its ``_mark`` slot: no set of ids
    and no per-node tuples, which keeps the walk about four times faster on big graphs.

    Examples
    --------
    >>> from autograd import Value, topological_order
    >>> a = Value(1.0, label='a')
    >>> b = a * 2
    >>> c = b + a
    >>> [n.op or n.label for n in topological_order([c])]
    ['a', '* 2', '+']
    """
    token = object()
    order = []
    stack = list(roots)[::-1]
    emitting = [False] * len(stack)
    while stack:
        node = stack.pop()
        if emitting.pop():
            order.append(node)
            continue
        if node._mark is token:
            continue  # reached again through another path
        node._mark = token
        stack.append(node)
        emitting.append(True)
        for parent in reversed(node.parents):
            if parent._mark is not token:
                stack.append(parent)
                emitting.append(False)
    return order


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while a walk runs.

    The walk creates no reference cycles, so the collector has nothing to find there; left on,
    it would rescan the whole graph many times over as the walk allocates.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_walks_running = 0  # a custom backward may start a walk of its own: see backpropagate


def backpropagate(
    roots: Sequence,
    seeds: Sequence,
    create_graph: bool = False,
    release: bool = False,
    in_slots: bool = False,
    order: list | None = None,
) -> tuple[list, list | None]:
    """Apply the chain rule from ``roots`` (with gradients ``seeds``) down to the leaves.

    Returns the topological order and, aligned with it, the gradient that reached each node
    (``None`` where none did). ``Value.backward``, ``Tensor.backward`` and ``grad()`` all walk
    through here. With ``create_graph`` the derivative rules run with recording on, so the
    gradients are themselves differentiable; with ``release`` each node frees its saved state
    once used.

    Gradients are summed in each node's ``_incoming`` slot rather than in a dict keyed by id:
    on a chain of a million scalars that dict would cost more than the walk itself (an int key
    and a hash entry per node). The slots are emptied before this returns; a walk started from
    inside a chain step (a custom backward calling ``grad``) parks the outer walk's partial sums
    and puts them back afterwards.

    With ``in_slots``, for a caller that reads every node's gradient anyway (``Value.backward``),
    the gradients are left in the slots and ``None`` comes back in place of the list: the caller
    takes each one and empties its slot, in the one pass it makes anyway (on a 1e6-link chain a
    pass of its own costs ~10% of the backward). The list comes back instead when this walk
    parked an outer walk's sums, or when the walk fails. ``order``: the caller's own
    ``topological_order(roots)``, when it has a faster way to the same list (``Value``).
    """
    global _walks_running
    with collector_paused():
        if order is None:
            order = topological_order(roots)
        parked = _park(order) if _walks_running else ()
        _walks_running += 1
        grad_was_enabled = grad_mode._enabled
        grad_mode._enabled = create_graph
        errors = np.seterr(invalid="ignore", over="ignore")  # inf * 0 is nan, silently, as torch
        done = False
        try:
            for root, seed in zip(roots, seeds):
                send(root, seed)
            if release:
                for node in reversed(order):
                    grad = node._incoming
                    if grad is not None:
                        node._chain(grad, create_graph)
                        node._release()
            else:  # the same loop, without a test per node (a Value walk never releases)
                for node in reversed(order):
                    grad = node._incoming
                    if grad is not None:
                        node._chain(grad, create_graph)
            done = True
        finally:
            np.seterr(**errors)
            grad_mode._enabled = grad_was_enabled
            _walks_running -= 1
            grads = None  # left in the slots, for the caller to take
            if not (in_slots and done and not parked):
                grads = []
                for node in order:  # empty every slot, on success and on error alike
                    grads.append(node._incoming)
                    node._incoming = None
                for node, incoming in parked:
                    node._incoming = incoming
    return order, grads


def send(node, grad) -> None:
    """Add ``grad`` to what has reached ``node`` so far in this walk (a node's chain step)."""
    incoming = node._incoming
    node._incoming = grad if incoming is None else incoming + grad


def _park(order: list) -> list:
    """Take the partial sums of an outer walk off the nodes that this walk shares with it."""
    parked = []
    for node in order:
        if node._incoming is not None:
            parked.append((node, node._incoming))
            node._incoming = None
    return parked


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple:
    """Gradients of ``outputs`` with respect to ``inputs``, as in ``torch.autograd.grad``.

    ``outputs`` and ``inputs`` are nodes (``Value`` or ``Tensor``) or sequences of them. Returns
    a tuple with one gradient per input, of the input's type and shape. Leaves' ``.grad`` is
    left untouched. With ``create_graph=True`` the gradients are part of a graph and can be
    differentiated again. An input that the outputs do not depend on raises an error, or gives
    ``None`` with ``allow_unused=True``.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    >>> y = (x ** 3).sum()
    >>> (dx,) = autograd.grad(y, x, create_graph=True)
    >>> dx
    tensor([ 3., 12.], dtype=float64, grad_fn=<MulBackward>)
    >>> autograd.grad(dx.sum(), x)
    (tensor([ 6., 12.], dtype=float64),)
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
        if len(grad_outputs) != len(outputs):
            raise ValueError(
                f"grad: got {len(grad_outputs)} grad_outputs for {len(outputs)} outputs; "
                "pass one per output (or None)"
            )
    if retain_graph is None:
        retain_graph = create_graph
    seeds = [out._seed_gradient(g, create_graph) for out, g in zip(outputs, grad_outputs)]
    order, grads = backpropagate(outputs, seeds, create_graph, release=not retain_graph)
    reached = dict.fromkeys([id(node) for node in inputs])
    for node, g in zip(order, grads):
        if id(node) in reached:
            reached[id(node)] = g
    results = []
    for position, node in enumerate(inputs):
        g = reached[id(node)]
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {position} appears to not have been used in the graph. "
                "Set allow_unused=True if this is the desired behavior."
            )
        if isinstance(g, float):
            g = type(node)(g)  # the first-order path of Value works on plain floats
        elif getattr(g, "dtype", None) is not None and g.dtype != node.dtype:  # a Tensor
            # torch gives each gradient its input's dtype: a float32 input used in a float64
            # computation gets a float32 gradient (recorded with create_graph, as torch's)
            g = g.to(node.dtype)
        results.append(g)
    return tuple(results)


def _as_tuple(nodes) -> tuple:
    if isinstance(nodes, (list, tuple)):
        return tuple(nodes)
    return (nodes,)
