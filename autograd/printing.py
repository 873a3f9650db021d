"""Printing a tensor as PyTorch prints it, so that output can be compared line by line.

``format_array(data, "tensor(", suffixes)`` gives ``tensor([1.5000, 2.0000], requires_grad=True)``:
one width and one notation for all elements, rows wrapped at 80 columns, and large arrays
summarised with ``...`` beyond three elements at each edge (PyTorch's default print options).
"""

from __future__ import annotations

import math

import numpy as np

_EDGE, _THRESHOLD, _LINEWIDTH = 3, 1000, 80  # PyTorch's default print options


class _Formatter:
    """One width and one notation for all elements, chosen as PyTorch chooses them: floats that
    are all whole print as ``1.``, others with four decimals, and in scientific notation when
    their magnitudes span more than 1000x, pass 1e8 or go below 1e-4."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not self.floating:
            self.width = max([len(str(v)) for v in values.reshape(-1).tolist()], default=1)
            return
        values = values[np.isfinite(values) & (values != 0)].astype(np.float64)
        if values.size == 0:
            return
        low, high = np.abs(values).min(), np.abs(values).max()
        self.int_mode = bool(np.all(values == np.ceil(values)))
        self.sci_mode = bool(high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4)
        if self.sci_mode:
            self.width = max(len(f"{v:.4e}") for v in values.tolist())
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in values.tolist())
        else:
            self.width = max(len(f"{v:.4f}") for v in values.tolist())

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.4e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.4f}"
        return text.rjust(self.width)


def format_array(data: np.ndarray, prefix: str, suffixes: list) -> str:
    """``prefix`` + the nested rows of ``data`` + the suffixes, wrapped at 80 columns."""
    indent = len(prefix)
    if data.size == 0:
        body = "[]"
    else:
        summarize = data.size > _THRESHOLD
        shown = data
        if summarize:  # the formatter sees only the elements that are printed
            for axis, n in enumerate(data.shape):
                if n > 2 * _EDGE:
                    keep = list(range(_EDGE)) + list(range(n - _EDGE, n))
                    shown = np.take(shown, keep, axis=axis)
        body = _rows(data, indent, summarize, _Formatter(shown))
    text = prefix + body
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > _LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            last_line = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"


def _rows(data: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if data.ndim == 0:
        return fmt.format(data.item())
    n = data.shape[0]
    cut = summarize and n > 2 * _EDGE
    if data.ndim == 1:
        items = [fmt.format(v) for v in data.tolist()]
        if cut:
            items = items[:_EDGE] + [" ..."] + items[-_EDGE:]
        per_line = max(1, (_LINEWIDTH - indent) // (fmt.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [*range(_EDGE), None, *range(n - _EDGE, n)] if cut else range(n)
    parts = ["..." if i is None else _rows(data[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"
