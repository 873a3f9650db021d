"""Indexing: ``a[index]`` with numpy's rules, and the scatter that is its derivative.

``index`` may hold ints, slices (negative steps too), ``None``, ``...``, integer arrays, lists or
Tensors (advanced indexing) and boolean masks, mixed as numpy allows. Reading ``a[index]`` picks
elements; its derivative puts the gradient back where they came from:

    d a[index] / d a:   grad_a = zeros(a.shape);  grad_a[index] += grad

That scatter is a Function of its own, ``IndexBackward``, whose derivative is ``getitem`` again
(the two are adjoint), so second derivatives need no other rule.
"""

from __future__ import annotations

import numpy as np

from ..function import Primitive
from ..tensor import Tensor

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))


def _normalize(index):
    """``index`` with Tensors and lists made ndarrays, so that numpy reads it as intended."""
    if isinstance(index, tuple):
        return tuple(_normalize_item(i) for i in index)
    return _normalize_item(index)


def _normalize_item(item):
    if isinstance(item, Tensor):
        return item.data
    if isinstance(item, list):
        array = np.asarray(item)
        # an empty list selects nothing: numpy would read it as a float array
        return array.astype(np.intp) if array.size == 0 and array.dtype.kind == "f" else array
    return item


def _needs_accumulation(index) -> bool:
    """Whether an element may be picked twice: only integer arrays can repeat a position.

    Ints, slices, ``None``, ``...`` pick each element at most once, and so does a boolean mask.
    """
    items = index if isinstance(index, tuple) else (index,)
    for item in items:
        if isinstance(item, _BASIC):  # bool is an int here: True adds a dim, picks once
            continue
        if np.asarray(item).dtype != np.bool_:
            return True
    return False


def _describe(index) -> str:
    """A short spelling of an index for error messages: ``[0, 1:3, None, ...]``."""
    items = index if isinstance(index, tuple) else (index,)
    return "[" + ", ".join(_describe_item(i) for i in items) + "]"


def _describe_item(item) -> str:
    if isinstance(item, slice):
        text = "" if item.start is None else str(item.start)
        text += ":" + ("" if item.stop is None else str(item.stop))
        return text + ("" if item.step is None else f":{item.step}")
    if item is Ellipsis:
        return "..."
    if isinstance(item, np.ndarray):
        if item.size <= 8:
            return f"{item.dtype} array {item.tolist()}"
        return f"{item.dtype} array of shape {item.shape}"
    return repr(item)


class GetItem(Primitive):
    op = "getitem"

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.index = a.shape, index
        try:
            return np.asarray(a.data[index])  # a view for basic indexing, a copy otherwise
        except (IndexError, ValueError, TypeError) as error:
            raise IndexError(
                f"getitem: cannot index a tensor of shape {a.shape} with {_describe(index)}: "
                f"{error}"
            ) from None

    @staticmethod
    def backward(ctx, grad):
        return IndexBackward.apply(grad, ctx.shape, ctx.index), None


class IndexBackward(Primitive):
    """``zeros(shape)`` with ``grad`` added at ``index``: the scatter that undoes a gather.

    ``grad`` has the shape of ``zeros(shape)[index]``; the result has ``shape``.
    """

    op = "index_backward"

    @staticmethod
    def forward(ctx, grad, shape, index):
        ctx.index = index
        out = np.zeros(shape, dtype=grad.dtype)
        if _needs_accumulation(index):
            np.add.at(out, index, grad.data)  # a repeated position gets the sum of its grads
        else:
            out[index] = grad.data  # each position at most once: write into the view
        return out

    @staticmethod
    def backward(ctx, grad):
        # scatter and gather are adjoint: <scatter(g), h> = <g, h[index]>
        return getitem(grad, ctx.index), None, None


def getitem(a, index):
    """``a[index]`` with numpy's indexing rules; the result shares memory for basic indexing."""
    return GetItem.apply(a, _normalize(index))


def index_backward(grad, shape: tuple, index):
    """A zero tensor of ``shape`` with ``grad`` added at ``index`` (repeats accumulate)."""
    return IndexBackward.apply(grad, tuple(shape), _normalize(index))
