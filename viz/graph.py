"""Draw a computation graph: one record per node (label | data | grad), one oval per operation.

Reads only the public node protocol (``data``, ``grad``, ``parents``, ``op``, ``label``/``name``,
and a Tensor's ``requires_grad``), so the same drawing serves scalar ``Value`` graphs and tensor
graphs. Graphs with more boxes than ``max_nodes`` are collapsed (:mod:`viz.collapse`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from graphviz import nohtml

from autograd import Tensor, Value
from nn import Module

from .collapse import Group, collapse
from .digraph import Digraph
from .grad_scale import GradScale, grad_size, mean_size
from .labels import (
    array_text,
    as_array,
    card,
    escape_record,
    escape_string,
    is_array,
    node_name,
    record,
    record_fields,
    size_of,
    type_text,
)
from .params import ModuleTree, parameter_names
from .walk import Walk

MAX_NODES = 200
_COLORS = (None, "grad")


def draw_graph(
    root: Value | Tensor,
    params: Mapping[str, object] | Iterable[tuple[str, object]] | Module | None = None,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int | None = MAX_NODES,
    color: str | None = None,
    *,
    module_depth: int | None = None,
) -> Digraph:
    """Return a :class:`viz.Digraph` of everything ``root`` was computed from.

    Each node becomes a record and each operation a small oval with an edge to its result and
    one edge from each argument (twice for ``a * a``). A scalar node reads
    ``label | data 1.2345 | grad 0.5000``; a tensor node
    ``label | float32[16, 2] | data ... | grad ...``, with its values (4 significant digits) when
    it has at most 8 elements and ``mean .. min .. max ..`` otherwise; a gradient not known yet
    (an intermediate tensor without ``retain_grad()``) shows as ``grad -``. The walk uses an
    explicit stack, so a chain of a million nodes draws without ``RecursionError``; DOT names
    come from a counter, so the same graph always gives the same source.

    Parameters
    ----------
    root
        The output node, e.g. a loss ``Value`` or ``Tensor`` after ``backward()``.
    params
        Names for parameters, shown as their labels: a mapping ``name -> parameter`` (as
        ``dict(model.named_parameters())``), pairs ``(name, parameter)``, or the model itself
        (anything with ``named_parameters()``: an ``nn.Module``, micrograd's scalar ``MLP``).
        A model also lets a collapsed drawing show one box per module.
    rankdir
        Graphviz layout direction: ``"LR"`` (left to right) or ``"TB"`` (top to bottom).
    show_data, show_grad
        Whether records show the data and the gradient.
    max_nodes
        The most boxes (records and ovals) drawn one per node. A bigger graph is collapsed into
        at most this many boxes (module boxes with a model, else operations grouped by name and
        distance from the inputs, see :mod:`viz.collapse`), and the picture's title says so.
        ``None`` never collapses.
    color
        ``"grad"`` fills each record (each box, when collapsed) by its gradient's size, mean
        ``|grad|`` for a tensor, on a log scale from pale to dark red, with a legend; nodes
        without a gradient are grey. ``None`` (default) draws without colour.
    module_depth
        With a model: the depth in its module tree of the collapsed boxes (0: the whole model
        in one box; 1: its children, ``layers.0``...). By default the deepest level with at
        most 12 modules, skipping a level that has just one (see
        :meth:`viz.params.ModuleTree.choose_depth`).

    Examples
    --------
    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> b = (a * a + 1).tanh(); b.backward()
    >>> picture = draw_graph(b)  # display in Jupyter, or picture.render(format="svg")
    """
    if color not in _COLORS:
        raise ValueError(f"draw_graph: color={color!r} is not one of {_COLORS}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes={max_nodes} must be at least 1 (or None)")
    if module_depth is not None and module_depth < 0:
        raise ValueError(f"draw_graph: module_depth={module_depth} must be 0 or more (or None)")
    walk = Walk(root)
    names = parameter_names(params)
    ops = [node.op for node in walk.nodes]
    boxes = len(walk) + sum(1 for p in walk.parents if p)
    dot = Digraph(format="svg", graph_attr={"rankdir": rankdir})
    if max_nodes is None or boxes <= max_nodes:
        sizes = _draw_nodes(dot, walk, ops, names, rankdir, show_data, show_grad, color)
    else:
        params_in_graph = {i for i, node in enumerate(walk.nodes) if id(node) in names}
        params_in_graph = {i for i in params_in_graph if walk.is_leaf(i)}
        tree = ModuleTree(params) if hasattr(params, "named_modules") else None
        grouping = collapse(
            walk,
            ops,
            params_in_graph,
            tree,
            lambda node: node_name(node, names) or ("inputs" if names else "leaves"),
            max_nodes,
            module_depth,
        )
        sizes = _draw_groups(dot, walk, grouping, tree, names, rankdir, show_data, show_grad, color)
        lines = [
            f"collapsed {len(walk):,} nodes into {len(grouping.groups):,} boxes "
            f"(one box per node would be {boxes:,}, more than max_nodes={max_nodes}):",
            *grouping.how,
            "name xN: one box for N nodes",
        ]
        note = "".join(escape_string(line) + "\\l" for line in lines)  # \l: left-aligned line
        dot.attr(label=nohtml(note), labelloc="t", labeljust="l")
    if color == "grad":
        dot.node("legend", GradScale(sizes).legend(), shape="plaintext")
    return dot


# -- one box per node ----------------------------------------------------------------------------


def _draw_nodes(dot, walk, ops, names, rankdir, show_data, show_grad, color) -> list:
    """Every node a record, every operation an oval; returns the gradient sizes (for colour)."""
    sizes = [grad_size(node) for node in walk.nodes] if color == "grad" else []
    scale = GradScale(sizes) if color == "grad" else None
    for i in walk.visit_order:
        node = walk.nodes[i]
        name = f"n{i}"
        fields = record_fields(node, node_name(node, names), show_data, show_grad)
        label = card(fields, rankdir) if is_array(as_array(node.data)) else record(fields)
        attrs = scale.attributes(sizes[i]) if scale else {}
        dot.node(name, label, shape="record", **attrs)
        if not walk.parents[i]:
            continue
        op_name = f"{name}_op"
        dot.node(op_name, nohtml(escape_string(ops[i] or "?")), shape="ellipse")
        dot.edge(op_name, name)
        for p in walk.parents[i]:
            dot.edge(f"n{p}", op_name)
    return sizes


# -- collapsed: one box per group ----------------------------------------------------------------


def _draw_groups(dot, walk, grouping, tree, names, rankdir, show_data, show_grad, color) -> list:
    sizes = [
        _group_grad_size(walk, group) if color == "grad" or group.kind == "module" else None
        for group in grouping.groups
    ]
    scale = GradScale(sizes) if color == "grad" else None
    for number, group in enumerate(grouping.groups):
        attrs = scale.attributes(sizes[number]) if scale else {}
        name = f"g{number}"
        members = group.members
        if group.kind == "op":
            text = _counted(group.title or "?", len(members))
            types = _describe([walk.nodes[i] for i in members], arrays_only=True)
            if types:
                text += "\n" + types
            dot.node(name, nohtml(escape_string(text)), shape="ellipse", **attrs)
            continue
        if len(members) == 1 and group.kind in ("inputs", "params", "root", "other"):
            node = walk.nodes[members[0]]
            title = node_name(node, names)
            if group.kind == "root" and group.title:
                title = f"{title} ({group.title})" if title else group.title
            fields = record_fields(node, title, show_data, show_grad)
        elif group.kind == "module":
            fields = _module_fields(walk, group, grouping, tree, show_grad, sizes[number])
        else:
            fields = _many_fields(walk, group, show_data, show_grad)
        dot.node(name, card(fields, rankdir), shape="record", **attrs)
    for a, b in grouping.edges(walk):
        dot.edge(f"g{a}", f"g{b}")
    return sizes


def _group_grad_size(walk, group: Group) -> float | None:
    """Mean gradient size of a box's members (of a module's parameters, where it has some)."""
    members = group.members
    if group.kind == "module":
        members = [i for i in members if walk.is_leaf(i)] or members
    return mean_size(grad_size(walk.nodes[i]) for i in members)


def _counted(title: str, count: int) -> str:
    return f"{title} x{count:,}" if count > 1 else title


def _many_fields(walk, group: Group, show_data, show_grad) -> list[str]:
    """A box for many leaves or operations: title xN, their types, data and grad summaries."""
    members = [walk.nodes[i] for i in group.members]
    fields = [escape_record(_counted(group.title, len(members)))]
    fields.append(escape_record(_describe(members)))
    if show_data:
        fields.append(escape_record(f"data {_summary([m.data for m in members])}"))
    if show_grad:
        grads = [m.grad for m in members if m.grad is not None]
        if grads:
            fields.append(escape_record(f"grad {_summary(grads)}"))
    return fields


def _module_fields(walk, group, grouping, tree, show_grad, size) -> list[str]:
    """A module's box: its name and kind, parameter count, inputs, outputs and operations."""
    mine = grouping.group
    number = mine[group.members[0]]
    leaves = [i for i in group.members if walk.is_leaf(i)]
    count = sum(size_of(walk.nodes[i]) for i in leaves)
    title = tree.title(group.title) if tree is not None else group.title
    fields = [escape_record(title), escape_record(f"{count:,} parameters")]
    inputs = {}
    outputs = {}
    ops = {}
    children = walk.children
    for i in group.members:
        if walk.is_leaf(i):
            continue
        ops[walk.nodes[i].op] = ops.get(walk.nodes[i].op, 0) + 1
        for p in walk.parents[i]:
            if mine[p] != number:
                inputs.setdefault(p, None)
        if any(mine[c] != number for c in children[i]) or i == 0:
            outputs.setdefault(i, None)
    if inputs:
        fields.append(escape_record("in: " + _describe([walk.nodes[i] for i in inputs])))
    if outputs:
        fields.append(escape_record("out: " + _describe([walk.nodes[i] for i in outputs])))
    if ops:
        shown = [_counted(op or "?", n) for op, n in list(ops.items())[:6]]
        if len(ops) > 6:
            shown.append(f"{len(ops) - 6} more")
        fields.append(escape_record(", ".join(shown)))
    if show_grad and size is not None:
        fields.append(escape_record(f"mean |grad| of parameters {size:.3g}"))
    return fields


def _describe(nodes, arrays_only: bool = False) -> str:
    """``200 values``, or ``float32[100, 16]`` (with xN where several tensors share a type)."""
    scalars = 0
    types: dict[str, int] = {}
    for node in nodes:
        data = as_array(node.data)
        if is_array(data):
            key = type_text(data)
            types[key] = types.get(key, 0) + 1
        else:
            scalars += 1
    parts = [_counted(t, n) for t, n in list(types.items())[:3]]
    if len(types) > 3:
        parts.append(f"{len(types) - 3} more types")
    if scalars and not arrays_only:
        parts.append(f"{scalars:,} value" + ("s" if scalars > 1 else ""))
    return ", ".join(parts)


def _summary(items) -> str:
    """``mean .. min .. max ..`` over all the numbers in ``items`` (numbers or arrays)."""
    arrays = []
    for item in items:
        x = as_array(item)
        if is_array(x):
            if x.dtype.kind in "biuf":
                arrays.append(x.astype(np.float64, copy=False).ravel())
        elif x is not None:
            try:
                arrays.append(np.array([float(x)]))
            except (TypeError, ValueError):
                pass
    if not arrays:
        return "-"
    return array_text(np.concatenate(arrays))
