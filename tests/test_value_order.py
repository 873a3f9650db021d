"""Value.backward's own graph order (value._topological_order, which reads the _a/_b slots) is
exactly graph.topological_order's list: the same nodes in the same order, so the chain rule
sums in the same order and gives the same bits."""

import random

from autograd import Value, linear, topological_order
from autograd.value import _topological_order


def _random_graph(rng: random.Random, size: int) -> Value:
    """Values combined at random: shared subexpressions, constants on either side, linear."""
    nodes = [Value(rng.uniform(-1, 1)) for _ in range(4)]
    for _ in range(size):
        a, b = rng.choice(nodes), rng.choice(nodes)
        kind = rng.randrange(7)
        if kind == 0:
            out = a + b
        elif kind == 1:
            out = a * b
        elif kind == 2:
            out = a * 0.5 + 1.0
        elif kind == 3:
            out = 2 - a
        elif kind == 4:
            out = (a - b).relu()
        elif kind == 5:
            out = a.tanh()
        else:
            ins = [rng.choice(nodes) for _ in range(3)]
            out = linear(ins, [rng.choice(nodes) for _ in range(3)], b)
        nodes.append(out)
    return sum(nodes[-10:], Value(0.0))


def test_the_same_order_as_the_generic_walk():
    rng = random.Random(0)
    for size in (0, 1, 5, 40, 300):
        root = _random_graph(rng, size)
        assert [id(n) for n in _topological_order(root)] == [
            id(n) for n in topological_order([root])
        ]


def test_a_leaf_and_a_long_chain():
    leaf = Value(1.0)
    assert _topological_order(leaf) == [leaf]
    y = leaf
    for _ in range(100_000):  # no recursion
        y = (y * 0.5).relu()
    order = _topological_order(y)
    assert order[0] is leaf and order[-1] is y and len(order) == 200_001
