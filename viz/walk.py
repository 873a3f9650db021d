"""The graph behind a root node, as flat lists of indices: what every drawing starts from.

The nodes come from autograd's public topological order (``autograd.graph.topological_order``),
the same walk that backpropagation uses; only ``parents`` is read here, once per node. Nodes are
then numbered in the order a stack-driven walk from the root first reaches them (the root is 0,
then its parents in argument order, ...), which is also the order of the DOT names ``n0``,
``n1``, ... That numbering runs on integers, so a chain of a million nodes needs no recursion and
no second pass over the nodes themselves.
"""

from __future__ import annotations

from autograd.graph import topological_order


class Walk:
    """Every node ``root`` was computed from.

    Attributes
    ----------
    nodes : list
        The nodes, numbered in the order they were first reached (``nodes[0]`` is the root).
    parents : list[tuple[int, ...]]
        For each node, the numbers of its parents in argument order (repeats kept: ``a * a``).
    visit_order : list[int]
        The order in which the walk expanded the nodes (the order the drawing emits them).
    topological : list[int]
        Node numbers, each after all of its parents: autograd's topological order.
    """

    __slots__ = ("nodes", "parents", "visit_order", "topological", "_children")

    def __init__(self, root) -> None:
        order = topological_order([root])  # every node after its parents; the root comes last
        # Nodes are keys by identity (their default hash): a dict of them costs less than one
        # of id() numbers, which is what keeps this walk as fast as viz's own search was.
        position = dict(zip(order, range(len(order)))).__getitem__
        # Number the nodes by first discovery from the root (the DOT names n0, n1, ... that
        # drawings have always had): a stack of positions in ``order``, so this pass reads each
        # node's parents once and compares integers only.
        number = [-1] * len(order)
        number_of = number.__getitem__
        root_position = len(order) - 1
        number[root_position] = 0
        nodes = [root]
        parents: list[tuple[int, ...]] = [()] * len(order)
        visit_order = []
        stack = [root_position]
        while stack:
            k = stack.pop()
            visit_order.append(number[k])
            found = tuple(map(position, order[k].parents))
            for q in found:
                if number[q] < 0:
                    number[q] = len(nodes)
                    nodes.append(order[q])
                    stack.append(q)
            parents[number[k]] = tuple(map(number_of, found))
        self.nodes = nodes
        self.parents = parents
        self.visit_order = visit_order
        self.topological = number  # order[k] is nodes[number[k]]: the topological order, numbered
        self._children = None

    def __len__(self) -> int:
        return len(self.nodes)

    def is_leaf(self, i: int) -> bool:
        return not self.parents[i]

    @property
    def children(self) -> list[list[int]]:
        """For each node, the numbers of the nodes computed from it (each once, in order)."""
        if self._children is None:
            children: list[list[int]] = [[] for _ in self.nodes]
            for i in self.topological:
                for j in dict.fromkeys(self.parents[i]):
                    children[j].append(i)
            self._children = children
        return self._children
