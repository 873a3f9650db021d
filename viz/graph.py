"""Draw a computation graph: one record per node (label | data | grad), one oval per operation.

Reads only the public node protocol (``data``, ``grad``, ``parents``, ``op``, ``label``), so the
same drawing serves scalar ``Value`` graphs and tensor graphs.
"""

from __future__ import annotations

import numbers

from graphviz import nohtml

from .digraph import Digraph

# Characters with a meaning in a DOT record label (or in any DOT string: backslash, quote).
_RECORD_SPECIALS = {c: "\\" + c for c in '\\{}|<>"'}
_STRING_SPECIALS = {"\\": "\\\\", '"': '\\"'}


def draw_graph(root, rankdir: str = "LR") -> Digraph:
    """Return a :class:`viz.Digraph` of everything ``root`` was computed from.

    Each node becomes a record ``label | data 1.2345 | grad 0.5000``; each operation a small oval
    with an edge to its result and one edge from each argument (twice for ``a * a``). The walk
    uses an explicit stack, so a chain of a million nodes draws without ``RecursionError``; DOT
    names come from a counter, so the same graph always gives the same source.

    Parameters
    ----------
    root
        The output node, e.g. a loss ``Value`` after ``backward()``.
    rankdir
        Graphviz layout direction: ``"LR"`` (left to right) or ``"TB"`` (top to bottom).

    Examples
    --------
    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> b = (a * a + 1).tanh(); b.backward()
    >>> picture = draw_graph(b)  # display in Jupyter, or picture.render(format="svg")
    """
    dot = Digraph(format="svg", graph_attr={"rankdir": rankdir})
    names = {id(root): "n0"}  # id() only as a key while the graph is alive; names are a count
    stack = [root]
    while stack:
        node = stack.pop()
        name = names[id(node)]
        dot.node(name, _record_label(node), shape="record")
        if not node.parents:
            continue
        op_name = f"{name}_op"
        dot.node(op_name, nohtml(_escape(node.op or "?", _STRING_SPECIALS)), shape="ellipse")
        dot.edge(op_name, name)
        for parent in node.parents:
            key = id(parent)
            if key not in names:
                names[key] = f"n{len(names)}"
                stack.append(parent)
            dot.edge(names[key], op_name)
    return dot


def _record_label(node) -> str:
    label = getattr(node, "label", "") or getattr(node, "name", "") or ""
    fields = [_escape(str(label), _RECORD_SPECIALS)] if label else []
    fields += [f"data {_number(node.data)}", f"grad {_number(node.grad)}"]
    return nohtml("{ " + " | ".join(fields) + " }")


def _number(x) -> str:
    """4 decimals for a number; dtype and shape for an array; '-' for no gradient yet."""
    if x is None:
        return "-"
    if isinstance(x, numbers.Real):
        return f"{float(x):.4f}"
    shape = getattr(x, "shape", None)
    if shape is not None:
        if len(shape) == 0 or getattr(x, "size", 0) == 1:
            return f"{float(x.reshape(())):.4f}" if hasattr(x, "reshape") else f"{float(x):.4f}"
        return _escape(f"{x.dtype}{list(shape)}", _RECORD_SPECIALS)
    return _escape(str(x), _RECORD_SPECIALS)


def _escape(text: str, specials: dict[str, str]) -> str:
    """Backslash-escape DOT's special characters; newlines become DOT's ``\\n`` line break."""
    out = []
    for c in text.replace("\r\n", "\n"):
        if c in specials:
            out.append(specials[c])
        elif c in "\n\r":
            out.append("\\n")
        elif c < " " or c == "\x7f":
            out.append(" ")  # other control characters: no meaning in a label
        else:
            out.append(c)
    return "".join(out)
