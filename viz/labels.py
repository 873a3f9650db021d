"""The text inside the boxes: escaping, numbers, arrays and their summaries, node records.

A scalar node (``Value``, or any node whose ``data`` is a real number) keeps micrograd's record
``label | data 1.2345 | grad 0.5000`` (4 decimals). A node whose ``data`` is an array (``Tensor``)
shows ``label | float32[16, 2] | data ... | grad ...``: the values themselves, 4 significant
digits, when there are at most :data:`SMALL` of them, else ``mean .. min .. max ..``. A gradient
that is not known shows as ``grad -``; a tensor that does not require grad has no grad field.

Every piece of user text goes through :func:`escape_record` (inside a record) or
:func:`escape_string` (any other quoted DOT string). Both also write ``&`` as ``&amp;``: Graphviz
decodes HTML entities in every label, so a label typed as ``a &lt; b`` would otherwise be drawn
as ``a < b``.
"""

from __future__ import annotations

import numbers

import numpy as np
from graphviz import nohtml

SMALL = 8  # arrays with at most this many elements show their values, larger ones a summary

# Characters with a meaning in a DOT record label (or in any DOT string: backslash, quote), and
# the ampersand, which starts an HTML entity (``&lt;``, ``&#955;``) that Graphviz decodes.
_RECORD_SPECIALS = {c: "\\" + c for c in '\\{}|<>"'} | {"&": "&amp;"}
_STRING_SPECIALS = {"\\": "\\\\", '"': '\\"', "&": "&amp;"}


def escape_record(text: str) -> str:
    """``text`` as a literal inside a record field (``{ } | < > " \\ &`` escaped)."""
    return _escape(text, _RECORD_SPECIALS)


def escape_string(text: str) -> str:
    """``text`` as a literal inside a quoted DOT string (``\\ " &`` escaped)."""
    return _escape(text, _STRING_SPECIALS)


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


# -- reading the node protocol -------------------------------------------------------------------


def node_name(node, names: dict[int, str]) -> str:
    """The name to show: from ``params=`` first, else the node's ``label``, else its ``name``."""
    name = names.get(id(node))
    if name is None:
        name = getattr(node, "label", "") or getattr(node, "name", "") or ""
    return str(name)


def as_array(x):
    """The array or number inside ``x``: a Tensor's ``data``; numbers and ndarrays as they are."""
    if x is None or isinstance(x, (numbers.Number, np.ndarray)):
        return x
    inner = getattr(x, "data", x)
    return inner if isinstance(inner, (numbers.Number, np.ndarray)) else x


def is_array(x) -> bool:
    """Whether ``x`` (already unwrapped by :func:`as_array`) is an array rather than a number."""
    return isinstance(x, np.ndarray)


def type_text(array: np.ndarray) -> str:
    """``float32[16, 2]``; ``float32[]`` for a 0-d array."""
    return f"{array.dtype}{list(array.shape)}"


def size_of(node) -> int:
    """How many numbers a node holds (1 for a scalar)."""
    data = as_array(node.data)
    return int(data.size) if is_array(data) else 1


# -- numbers and arrays --------------------------------------------------------------------------


def scalar_text(x) -> str:
    """4 decimals, as micrograd: ``0.3333``; ``-`` for no gradient yet."""
    x = as_array(x)
    if x is None:
        return "-"
    if is_array(x):
        if x.size == 1:
            return f"{float(x.reshape(())):.4f}"
        return array_text(x)
    if isinstance(x, numbers.Real):
        return f"{float(x):.4f}"
    return str(x)


def array_text(x) -> str:
    """A small array's values (4 significant digits); ``mean .. min .. max ..`` of a big one."""
    x = as_array(x)
    if x is None:
        return "-"
    if not is_array(x):
        return f"{float(x):.4g}" if isinstance(x, numbers.Real) else str(x)
    if x.size == 0:
        return "empty"
    if x.dtype.kind not in "biuf":  # complex, strings, objects: as numpy prints them
        text = np.array2string(x, threshold=SMALL, max_line_width=10**6, separator=", ")
        return " ".join(text.split())
    if x.size <= SMALL:
        if x.ndim == 0:
            return _g(x.item())
        text = np.array2string(
            x, max_line_width=10**6, separator=", ", formatter={"all": _g}, threshold=SMALL
        )
        return " ".join(text.split())  # one line: [[1, 2], [3, 4]]
    values = x.astype(np.float64, copy=False)
    return f"mean {_g(values.mean())} min {_g(values.min())} max {_g(values.max())}"


def _g(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    return f"{v:.4g}"


# -- records -------------------------------------------------------------------------------------


def record_fields(node, name: str, show_data: bool = True, show_grad: bool = True) -> list[str]:
    """The escaped fields of a node's record, first the name (if any)."""
    data = as_array(node.data)
    fields = [escape_record(name)] if name else []
    if is_array(data):
        fields.append(escape_record(type_text(data)))
        if show_data:
            fields.append(escape_record(f"data {array_text(data)}"))
        grad = node.grad
        if show_grad and (grad is not None or getattr(node, "requires_grad", True)):
            fields.append(escape_record(f"grad {array_text(grad)}"))
    else:
        if show_data:
            fields.append(escape_record(f"data {scalar_text(data)}"))
        if show_grad:
            fields.append(escape_record(f"grad {scalar_text(node.grad)}"))
    return fields


def record(fields: list[str]) -> str:
    """A record label from escaped fields: ``{ a | b | c }`` (side by side when rankdir=LR)."""
    return nohtml("{ " + " | ".join(fields) + " }")


def card(fields: list[str], rankdir: str) -> str:
    """A record label whose escaped fields are stacked top to bottom in either direction."""
    text = " | ".join(fields)
    return nohtml(text if rankdir in ("LR", "RL") else "{ " + text + " }")
