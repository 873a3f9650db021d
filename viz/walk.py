"""The graph behind a root node, as flat lists of indices: what every drawing starts from.

Only the public node protocol is read: ``parents`` (once per node). Nodes are numbered in the
order a depth-first walk from the root first reaches them (the root is 0, then its parents in
argument order, ...), which is also the order of the DOT names ``n0``, ``n1``, ... The walk uses
an explicit stack, so a chain of a million nodes needs no recursion.
"""

from __future__ import annotations


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
    """

    __slots__ = ("nodes", "parents", "visit_order", "_topological", "_children")

    def __init__(self, root) -> None:
        index = {id(root): 0}  # id() is a key only while self.nodes keeps every node alive
        nodes = [root]
        parents: list[tuple[int, ...]] = [()]
        visit_order = []
        stack = [0]
        while stack:
            i = stack.pop()
            visit_order.append(i)
            numbers = []
            for parent in nodes[i].parents:
                j = index.get(id(parent))
                if j is None:
                    j = index[id(parent)] = len(nodes)
                    nodes.append(parent)
                    parents.append(())
                    stack.append(j)
                numbers.append(j)
            parents[i] = tuple(numbers)
        self.nodes = nodes
        self.parents = parents
        self.visit_order = visit_order
        self._topological = None
        self._children = None

    def __len__(self) -> int:
        return len(self.nodes)

    def is_leaf(self, i: int) -> bool:
        return not self.parents[i]

    @property
    def topological(self) -> list[int]:
        """Node numbers, each after all of its parents (parents visited in argument order)."""
        if self._topological is None:
            done = [False] * len(self.nodes)
            order = []
            stack = [(0, False)]
            while stack:
                i, emit = stack.pop()
                if emit:
                    order.append(i)
                    continue
                if done[i]:
                    continue
                done[i] = True
                stack.append((i, True))
                for j in reversed(self.parents[i]):
                    if not done[j]:
                        stack.append((j, False))
            self._topological = order
        return self._topological

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
