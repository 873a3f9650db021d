"""Collapse a big graph into a few boxes that still tell its story: inputs, layers, loss.

Every node gets a group; a group is drawn as one box, and an edge joins two boxes when a node of
one is a parent of a node of the other. The groups, from the most telling to the coarsest (the
first that fits in ``max_boxes`` is used):

1. With a model (``params=model``): **one box per module** (at the depth chosen by
   :meth:`viz.params.ModuleTree.choose_depth`, e.g. ``layers.0``, ``layers.1``, ``layers.2``),
   holding the module's parameters and the operations it performs. Which operations those are is
   inferred from the graph alone, by data flow:

   - an operation *depends on the data* if an input (a leaf that is not a parameter) is among its
     ancestors; the modules are ranked in the order in which the data first reaches them;
   - an operation that depends on the data belongs to the *latest* module among its ancestors if
     it uses that module's parameters directly (``linear``, ``matmul`` with ``w.T``, ``+ b``), or if
     its result goes on to be used with the parameters of that module or a later one (the
     activation between two layers, a ``reshape`` before the next one). What the data meets
     after the last use of a parameter (``-1 *``, ``relu`` of the hinge loss, the mean) belongs
     to no module: that is the loss;
   - an operation on parameters alone (``w.T``, ``w * w``) belongs to the module of the first
     operation that uses its result, if that operation belongs to one (``w.T`` goes with the
     ``matmul`` of its layer; the L2 penalty ``w * w`` goes with the loss).

   Residual connections and attention (a transformer block) add three rules:

   - a *join*, an operation on data from different modules (``x + attention(x)``, or the input
     and a module), belongs to no module: it is drawn as an oval of its own, the residual add;
   - what follows a join, or branches off the stream that feeds one, or comes from an input
     before any module, belongs to the module that next uses it directly (a ``LayerNorm``'s mean
     and variance go with its ``weight``, not with the module before the residual add);
   - inside a module with parameters, a product of two data tensors (``q @ k^T``,
     ``weights @ v``) and a softmax are *landmarks*: each is drawn as its own oval, and what
     follows one goes to the module that next uses it (``out_proj``). A module with parameters
     of its own and submodules with parameters (``MultiheadAttention``) is drawn as its own box
     and one per such child (:meth:`viz.params.ModuleTree.box`). The rows an ``Embedding``
     looks up count as data, since the token indices are not nodes of the graph.

   A module without parameters (``ReLU``, ``Flatten``) is found by what it does: between two
   modules with parameters that are siblings (``0: Conv2d`` and ``3: Linear`` of a
   ``Sequential``), the modules registered between them without parameters (``1: ReLU``,
   ``2: Flatten``) each get a box, from the first operation named as the module (``relu`` for
   ``ReLU``, ``max_pool2d`` for ``MaxPool2d``) to the next such operation; what comes before the
   first one (a ``Conv2d``'s own reshape back to NCHW) stays with the module before, so each box
   reports its own module's output. When no operation is named as one of them (``GELU`` is made
   of ``mul``, ``erf``, ...) and there is just one such module, everything after the previous
   module's last use of its parameters goes to it; with several, their operations stay with the
   module before.

2. Every other operation is grouped **by its name and its distance from the inputs** (counted in
   boxes): the ``ReLU x100`` after the last layer is the hinge of the loss, not an activation. A
   chain of the same operation (``a + b + c + ...``, the way ``sum()`` adds scalars) is one box.
   Leaves that are not parameters form one box per label (``inputs x200`` when unlabelled), the
   parameters one box when there is no model, and the root always has a box of its own.

3. If that is still too many boxes: by operation name alone, and at last the smallest groups
   merged into one ``other operations`` box.
"""

from __future__ import annotations

from .walk import Walk


class Group:
    """One box of a collapsed drawing."""

    __slots__ = ("kind", "key", "title", "members")

    def __init__(self, kind: str, key: tuple, title: str) -> None:
        self.kind = kind  # "module", "op", "inputs", "params", "root" or "other"
        self.key = key
        self.title = title  # a module's name, an op's name, or a leaf label
        self.members: list[int] = []


class Grouping:
    """The groups of a walk: ``group[i]`` is the number of node ``i``'s group."""

    def __init__(self, groups: list[Group], group: list[int], how: list[str]) -> None:
        self.groups = groups
        self.group = group
        self.how = how  # what was grouped how, one line each, for the picture's title

    def edges(self, walk: Walk) -> list[tuple[int, int]]:
        """Edges between groups, each once, in the order they are first met."""
        seen = {}
        group = self.group
        for i in walk.topological:
            gi = group[i]
            for p in walk.parents[i]:
                gp = group[p]
                if gp != gi:
                    seen.setdefault((gp, gi), None)
        return list(seen)


def collapse(walk: Walk, ops: list[str], params: set[int], tree, names, max_boxes, depth=None):
    """Group the nodes of ``walk`` into at most ``max_boxes`` boxes (see the module docstring).

    ``ops`` holds each node's ``op``; ``params`` the numbers of the parameter leaves; ``tree`` is a
    :class:`viz.params.ModuleTree` or None; ``names`` gives labels of leaves; ``depth`` overrides
    the module depth.
    """
    data_dependent = _data_dependent(walk, params, _lookups(walk, params, tree))
    attempts = []
    if tree is not None:
        modules = _modules(walk, params, tree, data_dependent, depth)
        if modules is not None:
            attempts += [(modules, True), (modules, False)]
    attempts += [(None, True), (None, False)]
    for modules, by_depth in attempts[:-1]:
        grouping = _group(walk, ops, params, names, modules, by_depth, max_boxes, data_dependent)
        if grouping is not None:
            return grouping
    grouping = _group(walk, ops, params, names, *attempts[-1], len(walk), data_dependent)
    if len(grouping.groups) <= max_boxes:
        return grouping
    return _merge_smallest(grouping, max_boxes)


def _lookups(walk: Walk, params: set[int], tree) -> set[int]:
    """The rows that an ``Embedding`` looks up: computed from its weight alone, yet data.

    The token indices are not nodes of the graph (``weight[idx]`` has one parent, the weight),
    so without this a language model would have no input at all.
    """
    if tree is None:
        return set()
    tables = {
        i
        for i in params
        if tree.kind.get(tree.owner.get(id(walk.nodes[i]), ""), "").endswith("Embedding")
    }
    return {i for i, ps in enumerate(walk.parents) if ps and all(p in tables for p in ps)}


def _data_dependent(walk: Walk, params: set[int], lookups: set[int] = frozenset()) -> list[bool]:
    """Whether each node has an input (a leaf that is not a parameter, or an embedding lookup)
    among its ancestors or is one."""
    dependent = [False] * len(walk)
    parents = walk.parents
    for i in walk.topological:
        node_parents = parents[i]
        if not node_parents or i in lookups:
            dependent[i] = i in lookups or i not in params
            continue
        for p in node_parents:
            if dependent[p]:
                dependent[i] = True
                break
    return dependent


def _modules(walk, params, tree, data_dependent, depth):
    """The module box of each node (a module name, or None), or None if nothing is in one."""
    parents, children, order = walk.parents, walk.children, walk.topological
    owners = {i: tree.owner[id(walk.nodes[i])] for i in params if id(walk.nodes[i]) in tree.owner}
    if not owners:
        return None
    if depth is None:
        depth = tree.choose_depth(owners.values())
    box = {i: tree.box(owner, depth) for i, owner in owners.items()}

    # The module a parameter-only node is made from (its first parameter's).
    source: list[str | None] = [None] * len(walk)
    for i in order:
        if i in box:
            source[i] = box[i]
        elif parents[i] and not data_dependent[i]:
            source[i] = next((source[p] for p in parents[i] if source[p] is not None), None)

    # Rank modules in the order the data first reaches them; latest[i]: the latest one upstream.
    rank: dict[str, int] = {}
    latest = [-1] * len(walk)
    direct = [False] * len(walk)
    for i in order:
        if not (parents[i] and data_dependent[i]):
            continue
        used = [source[p] for p in parents[i] if not data_dependent[p] and source[p] is not None]
        for m in used:
            rank.setdefault(m, len(rank))
        here = max((rank[m] for m in used), default=-1)
        latest[i] = max(here, max((latest[p] for p in parents[i] if data_dependent[p]), default=-1))
        direct[i] = here == latest[i] >= 0

    # later[i]: the latest module whose parameters are used directly on the result of node i.
    later = [-1] * len(walk)
    for i in reversed(order):
        for c in children[i]:
            if data_dependent[c]:
                later[i] = max(later[i], latest[c] if direct[c] else -1, later[c])

    by_rank = {r: m for m, r in rank.items()}
    module: list[str | None] = [None] * len(walk)
    for i in order:
        if data_dependent[i] and latest[i] >= 0 and (direct[i] or later[i] >= latest[i]):
            module[i] = by_rank[latest[i]]
    landmark = _landmarks(walk, tree, module, direct, data_dependent)
    join, follows = _joins(walk, latest, direct, data_dependent, landmark)
    _to_next_user(walk, rank, module, direct, data_dependent, join, follows, landmark)
    for i in walk.topological:
        if landmark[i]:
            module[i] = None  # drawn as an oval of its own, between the module's boxes
    for i in reversed(order):  # parameter-only operations go with their first user's module
        if i in box:
            module[i] = box[i]
        elif parents[i] and not data_dependent[i]:
            module[i] = next((module[c] for c in children[i] if module[c] is not None), None)
    _split_off_parameter_free_modules(walk, tree, depth, rank, module, direct, data_dependent)
    module[0] = None  # the root has its own box
    return module


# Operations that tell the story of an attention block: the scores ``q @ k^T``, their softmax,
# and the weighted sum ``weights @ v`` (a product of two data tensors, not of data and weights).
_PRODUCTS = frozenset({"matmul", "bmm", "baddbmm", "einsum"})
_NORMALISERS = frozenset({"softmax", "log_softmax"})


def _landmarks(walk, tree, module, direct, data_dependent) -> list[bool]:
    """Whether each node is a landmark inside a module with parameters: drawn as its own oval.

    A landmark is a product of two data tensors (``q @ k^T``, ``weights @ v``) or a softmax,
    computed inside a module that has parameters (a ``MultiheadAttention``); a ``Softmax``
    module's softmax is its own box already.
    """
    owners = set(tree.owner.values())
    parents = walk.parents
    landmark = [False] * len(walk)
    for i in walk.topological:
        m = module[i]
        if m is None or direct[i] or not data_dependent[i] or m not in owners:
            continue
        op = walk.nodes[i].op
        if op in _NORMALISERS or (
            op in _PRODUCTS and sum(data_dependent[p] for p in dict.fromkeys(parents[i])) >= 2
        ):
            landmark[i] = True
    return landmark


def _joins(walk, latest, direct, data_dependent, landmark) -> tuple[list[bool], list[bool]]:
    """Which nodes are residual joins, and which follow a join, a landmark or a bare input.

    A join (``x + attention(x)``) adds data that comes from different modules (or from the input
    and a module); it belongs to no module, so it is drawn as its own oval. What follows a join,
    a landmark, an input before the first module, or branches off the residual stream (a
    ``LayerNorm``'s mean and variance of ``x``) until some module's parameters are used on it
    belongs to the module that uses it next.
    """
    parents, children = walk.parents, walk.children
    join = [False] * len(walk)
    for i in walk.topological:
        if parents[i] and data_dependent[i] and not direct[i] and not landmark[i]:
            data_parents = [p for p in dict.fromkeys(parents[i]) if data_dependent[p]]
            join[i] = len(data_parents) > 1 and len({latest[p] for p in data_parents}) > 1
    follows = [False] * len(walk)
    for i in walk.topological:
        if not parents[i] or not data_dependent[i] or direct[i] or landmark[i] or join[i]:
            continue
        follows[i] = latest[i] < 0 or any(
            join[p] or follows[p] or landmark[p] or any(join[c] for c in children[p])
            for p in parents[i]
            if data_dependent[p]
        )
    return join, follows


def _to_next_user(walk, rank, module, direct, data_dependent, join, follows, landmark) -> None:
    """Joins belong to no module; what follows one goes to the module that next uses it.

    "Next uses": the earliest-ranked module whose parameters are used on the node's result
    through operations that also follow; a path that meets a landmark, a join or an operation of
    no module first (the loss) leads to no module.
    """
    none = len(rank)  # no module: later than every module
    by_rank = {r: m for m, r in rank.items()}
    next_use = [none] * len(walk)
    for i in reversed(walk.topological):
        best = none
        for c in walk.children[i]:
            if not data_dependent[c] or landmark[c] or join[c]:
                continue
            if follows[c] and not direct[c]:
                best = min(best, next_use[c])
            elif module[c] is not None:
                best = min(best, rank[module[c]])
        next_use[i] = best
    for i in walk.topological:
        if join[i]:
            module[i] = None
        elif follows[i]:
            module[i] = by_rank.get(next_use[i])


def _signature(name: str) -> str:
    """A module kind or op name without case or underscores: ``MaxPool2d`` as ``max_pool2d``."""
    return name.replace("_", "").lower()


def _split_off_parameter_free_modules(walk, tree, depth, rank, module, direct, data_dependent):
    """Move operations from a module's box to the parameter-free siblings registered after it.

    ``module[i]`` names node ``i``'s box; the operations of module ``A`` that do not use its
    parameters directly (what lies between ``A``'s last use of them and the next module's first)
    are split among the parameter-free modules registered between ``A`` and that next module,
    when the data meets the two in the order they are registered in (as in a ``Sequential``).
    """
    ops = [_signature(node.op or "") for node in walk.nodes]
    with_parameters = {tree.ancestor(owner, depth) for owner in tree.owner.values()}
    at_depth = [name for name in tree.parent if tree.depth[name] == depth]
    position = {name: n for n, name in enumerate(at_depth)}
    spans: dict[str, list[int]] = {}
    for i in walk.topological:  # from the inputs towards the root
        if module[i] is not None and data_dependent[i] and not direct[i]:
            spans.setdefault(module[i], []).append(i)
    modules_in_order = sorted(
        {m for m in module if m in position and m in with_parameters}, key=position.get
    )
    for before, after in zip(modules_in_order, modules_in_order[1:]):
        if tree.parent[before] != tree.parent[after] or rank.get(after) != rank.get(before, -2) + 1:
            continue
        free = [
            name
            for name in at_depth[position[before] + 1 : position[after]]
            if name not in with_parameters and tree.parent[name] == tree.parent[before]
        ]
        span = spans.get(before, [])
        if not free or not span:
            continue
        signatures = [_signature(tree.kind[name]) for name in free]
        if not any(ops[i] in signatures for i in span):
            if len(free) == 1:
                for i in span:
                    module[i] = free[0]
            continue
        owner, next_free = before, 0
        for i in span:
            for n in range(next_free, len(free)):
                if ops[i] == signatures[n]:
                    owner, next_free = free[n], n + 1
                    break
            module[i] = owner


def _group(walk, ops, params, names, modules, by_depth, limit, data_dependent) -> Grouping | None:
    """Group the nodes one way; None as soon as there are more than ``limit`` groups."""
    parents = walk.parents
    groups: list[Group] = []
    numbers: dict[tuple, int] = {}
    group = [0] * len(walk)
    stage = [0] * len(walk)  # distance from the inputs, counted in boxes

    def join(i: int, kind: str, key: tuple, title: str) -> bool:
        """Put node i in the group ``key``; False if that makes too many groups."""
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(groups)
            groups.append(Group(kind, key, title))
        groups[number].members.append(i)
        group[i] = number
        return len(groups) <= limit

    for i in walk.topological:
        node_parents = parents[i]
        if i == 0:
            stage[i] = 1 + max((stage[p] for p in node_parents), default=-1)
            kind, key, title = "root", ("root",), ops[i]
        elif modules is not None and modules[i] is not None:
            kind, key, title = "module", ("module", modules[i]), modules[i]
            stage[i] = max(
                (stage[p] + (groups[group[p]].key != key) for p in node_parents), default=0
            )
        elif not node_parents:
            if i in params:
                kind, key, title = "params", ("params",), "parameters"
            else:
                title = names(walk.nodes[i])
                kind, key = "inputs", ("inputs", title)
        else:
            op = ops[i]
            top = max(stage[p] for p in node_parents)
            chain = next(
                (
                    group[p]
                    for p in node_parents
                    if ops[p] == op and stage[p] == top and groups[group[p]].kind == "op"
                ),
                None,
            )
            if by_depth and chain is not None:  # a + b + c + ...: one box
                kind, key, title = "op", groups[chain].key, op
                stage[i] = top
            else:
                stage[i] = top + 1
                kind, key, title = "op", ("op", op, stage[i]) if by_depth else ("op", op), op
        if not join(i, kind, key, title):
            return None
    # Number the boxes by distance from the inputs, then by first appearance.
    # (a module's parameter-only operations, ``in_proj_weight[0:8]``, do not move its box first)
    first_stage = [
        min((stage[i] for i in g.members if parents[i] and data_dependent[i]), default=0)
        for g in groups
    ]
    order = sorted(range(len(groups)), key=lambda g: (first_stage[g], g))
    renumber = {old: new for new, old in enumerate(order)}
    groups = [groups[g] for g in order]
    group = [renumber[g] for g in group]
    how = []
    if modules is not None:
        shown = [g.title for g in groups if g.kind == "module"]
        listed = ", ".join(shown[:6]) + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")
        how.append(f"one box per module ({listed})")
    how.append(
        "other operations grouped by name and distance from the inputs"
        if by_depth
        else "other operations grouped by name"
    )
    return Grouping(groups, group, how)


def _merge_smallest(grouping: Grouping, max_boxes: int) -> Grouping:
    """Keep the largest groups (and the root's) and merge the rest into one box."""
    groups = grouping.groups
    keep = max(1, max_boxes - 1)
    by_size = sorted(
        range(len(groups)),
        key=lambda g: (groups[g].kind != "root", -len(groups[g].members), g),
    )
    kept = sorted(by_size[:keep])
    other = Group("other", ("other",), "other operations")
    new_groups = [groups[g] for g in kept] + [other]
    renumber = {g: n for n, g in enumerate(kept)}
    other_number = len(new_groups) - 1
    group = []
    for i, g in enumerate(grouping.group):
        n = renumber.get(g, other_number)
        if n == other_number:
            other.members.append(i)
        group.append(n)
    return Grouping(new_groups, group, [*grouping.how, "the smallest groups merged into one"])
