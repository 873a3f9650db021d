"""``draw_graph(color="grad")``: fill each box by the size of its gradient, one colour per decade.

The size of a gradient is ``|grad|`` for a scalar and the mean of ``|grad|`` over the elements for
a tensor (over the members for a collapsed box). The colours run from pale to dark red over the
decades present in the picture (ColorBrewer's "Reds"), so a gradient that vanishes towards the
inputs or explodes shows as a fade or a dark spot; where the decades outnumber the colours, one
colour covers several. No gradient (``None``) is grey, exactly zero is white, ``nan``/``inf``
purple. The legend is one small table node listing the colour of each decade.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .labels import as_array, is_array

REDS = (
    "#fff5f0",
    "#fee0d2",
    "#fcbba1",
    "#fc9272",
    "#fb6a4a",
    "#ef3b2c",
    "#cb181d",
    "#a50f15",
    "#67000d",
)
NO_GRAD = "#d9d9d9"
ZERO = "#ffffff"
NOT_FINITE = "#54278f"
_DARK = set(REDS[6:]) | {NOT_FINITE}  # fills that need white text


def grad_size(node) -> float | None:
    """``|grad|`` of a scalar node, mean ``|grad|`` of a tensor node, None if it has no grad."""
    grad = as_array(node.grad)
    if grad is None:
        return None
    if is_array(grad):
        if grad.size == 0 or grad.dtype.kind not in "biuf":
            return None
        return float(np.abs(grad.astype(np.float64, copy=False)).mean())
    if isinstance(grad, numbers.Real):
        return abs(float(grad))
    return None


def mean_size(sizes) -> float | None:
    """The mean of the known sizes (None where none is known)."""
    known = [s for s in sizes if s is not None]
    return sum(known) / len(known) if known else None


class GradScale:
    """The colour of each decade of gradient size among ``sizes`` (floats or None)."""

    def __init__(self, sizes) -> None:
        sizes = list(sizes)
        decades = [math.floor(math.log10(s)) for s in sizes if s is not None and 0 < s < math.inf]
        self.has_none = any(s is None for s in sizes)
        self.has_zero = any(s == 0 for s in sizes)
        self.has_bad = any(s is not None and not 0 <= s < math.inf for s in sizes)
        self.low = min(decades, default=0)
        self.high = max(decades, default=-1)
        count = self.high - self.low + 1
        self.per_colour = max(1, math.ceil(count / (len(REDS) - 1)))
        self.bins = math.ceil(count / self.per_colour) if count > 0 else 0

    def _bin_colour(self, b: int) -> str:
        if self.bins <= 1:
            return REDS[4]
        return REDS[1 + round(b * (len(REDS) - 2) / (self.bins - 1))]

    def colour(self, size: float | None) -> str:
        """The fill colour for a gradient size."""
        if size is None:
            return NO_GRAD
        if not 0 <= size < math.inf:
            return NOT_FINITE
        if size == 0:
            return ZERO
        decade = math.floor(math.log10(size))
        return self._bin_colour((decade - self.low) // self.per_colour)

    def attributes(self, size: float | None) -> dict[str, str]:
        """DOT attributes that fill a box with the colour of ``size``."""
        fill = self.colour(size)
        font = "white" if fill in _DARK else "black"
        return {"style": "filled", "fillcolor": fill, "fontcolor": font}

    def legend(self) -> str:
        """An HTML-like DOT label: a table with one row per colour, largest gradients on top."""
        rows = []
        for b in reversed(range(self.bins)):
            low = self.low + b * self.per_colour
            high = min(low + self.per_colour, self.high + 1)
            rows.append((self._bin_colour(b), f"1e{low:+03d} to 1e{high:+03d}"))
        if self.has_zero:
            rows.append((ZERO, "exactly 0"))
        if self.has_bad:
            rows.append((NOT_FINITE, "nan or inf"))
        if self.has_none:
            rows.append((NO_GRAD, "no grad"))
        cells = "".join(
            f'<tr><td bgcolor="{colour}" width="24"> </td><td align="left">{text}</td></tr>'
            for colour, text in rows
        )
        title = '<tr><td colspan="2">|grad| (mean over elements), log scale</td></tr>'
        table = '<table border="0" cellborder="1" cellspacing="0" cellpadding="3">'
        return f"<{table}{title}{cells}</table>>"
