"""Indexing: ``a[index]`` with torch's rules, and the scatter that is its derivative.

torch's rules are numpy's, except that an int next to advanced indices is not one of them (it
is applied first, as a ``select``), which changes where the advanced result's dims go.

``index`` may hold ints, slices (negative steps too), ``None``, ``...``, integer arrays, lists or
Tensors (advanced indexing) and boolean masks, mixed as numpy allows. Reading ``a[index]`` picks
elements; its derivative puts the gradient back where they came from:

    d a[index] / d a:   grad_a = zeros(a.shape);  grad_a[index] += grad

That scatter is a Function of its own, ``IndexBackward``, whose derivative is ``getitem`` again
(the two are adjoint), so second derivatives need no other rule.
"""

from __future__ import annotations

import numpy as np

from ..function import Primitive, recording
from ..rules import table_backward
from ..tensor import Tensor
from ..versions import share_if_view

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


def _kept(index):
    """``index`` with its arrays copied, for a backward: an index array is often a Tensor's
    own (``x[idx]``), which an in-place change of ``idx`` would change under the graph (torch
    saves the index tensors and raises then; a copy gives the exact gradient instead)."""
    if isinstance(index, tuple):
        if not any(isinstance(i, np.ndarray) for i in index):
            return index
        return tuple(i.copy() if isinstance(i, np.ndarray) else i for i in index)
    return index.copy() if isinstance(index, np.ndarray) else index


class GetItem(Primitive):
    op = "getitem"

    @staticmethod
    def forward(ctx, a, index):
        if recording(ctx):
            ctx.shape, ctx.index = a.shape, _kept(index)
        try:
            out = a.data[index]  # a view for basic indexing, a copy otherwise
            if not isinstance(out, np.ndarray):
                # an int per dim gives numpy a scalar (a copy); torch gives a 0-d view
                whole = index if isinstance(index, tuple) else (index,)
                out = a.data[whole + (Ellipsis,)] if Ellipsis not in whole else np.asarray(out)
            return out
        except (IndexError, ValueError, TypeError) as error:
            raise IndexError(
                f"getitem: cannot index a tensor of shape {a.shape} with {_describe(index)}: "
                f"{error}"
            ) from None


class IndexBackward(Primitive):
    """``zeros(shape)`` with ``grad`` added at ``index``: the scatter that undoes a gather.

    ``grad`` has the shape of ``zeros(shape)[index]``; the result has ``shape``.
    """

    op = "index_backward"

    @staticmethod
    def forward(ctx, grad, shape, index):
        if recording(ctx):
            ctx.index = _kept(index)
        out = np.zeros(shape, dtype=grad.dtype)
        if _needs_accumulation(index):
            np.add.at(out, index, grad.data)  # a repeated position gets the sum of its grads
        else:
            out[index] = grad.data  # each position at most once: write into the view
        return out

    backward = table_backward("index_backward")


GetItem.backward = table_backward("getitem", scatter=IndexBackward)


def _is_int(item) -> bool:
    """An integer that selects one position: an int, or a 0-d integer array (a 0-d Tensor)."""
    if isinstance(item, (bool, np.bool_)):
        return False
    if isinstance(item, (int, np.integer)):
        return True
    return isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "iu"


def _is_advanced(item) -> bool:
    """An index that numpy and torch both read as advanced: an array, a list, a bool scalar."""
    if isinstance(item, (bool, np.bool_)):
        return True
    return not isinstance(item, _BASIC) and not _is_int(item)


def _split_at_ints(index: tuple):
    """``index`` as two steps, ints first, when it mixes ints with advanced indices; else None.

    torch reads an int as a ``select`` (a slice and a squeeze), applied before the advanced
    indices; numpy counts it as one of them. The two place the advanced result differently
    when the ints and arrays are not all adjacent: ``x[0, :, [1, 0]]`` on a (2, 2, 2) tensor is
    ``[[1, 0], [3, 2]]`` in torch and ``[[1, 3], [0, 2]]`` in numpy. Applying the ints first
    (every other item kept or made a full slice) leaves numpy only the real advanced indices,
    so that its placement is torch's. A bool scalar (``True``) is an advanced index in both,
    covering no dim: it stays with the other advanced indices, as in torch
    (``x[-2, ..., 0:1, True]`` on a (4, 3, 2) tensor is (3, 1, 1) in torch, (1, 3, 1) in numpy).
    """
    if not any(_is_int(i) for i in index) or not any(_is_advanced(i) for i in index):
        return None
    ints_first, rest = [], []
    for item in index:
        if _is_int(item):
            ints_first.append(item)  # the dim goes: nothing of it in the second step
        elif _is_advanced(item):
            # a full slice per dim it indexes (a boolean mask indexes as many as it has)
            covered = np.ndim(item) if np.asarray(item).dtype == np.bool_ else 1
            ints_first.extend([slice(None)] * covered)
            rest.append(item)
        elif item is None:
            ints_first.append(None)  # the new dim exists after the first step
            rest.append(slice(None))
        elif item is Ellipsis:
            ints_first.append(item)
            rest.append(item)
        else:  # a slice: applied in the first step, kept whole in the second
            ints_first.append(item)
            rest.append(slice(None))
    return tuple(ints_first), tuple(rest)


def _without_empty_ellipsis(index: tuple, ndim: int) -> tuple:
    """``index`` without its ``...`` where that stands for no dim and advanced indices are
    present: numpy counts any ``...`` as a separator between advanced indices (and moves their
    result to the front), torch only the dims it covers. ``x[3:, mask, ..., idx]`` on a
    (3, 1, 3, 3) tensor with a (1, 3) mask: the ``...`` covers nothing, mask and idx are
    adjacent, and torch keeps their dim in place: (0, 2); numpy's reading gives (2, 0).
    """
    if not any(i is Ellipsis for i in index) or not any(_is_advanced(i) for i in index):
        return index
    covered = 0  # the dims the other items index
    for item in index:
        if item is None or item is Ellipsis or isinstance(item, (bool, np.bool_)):
            continue
        if isinstance(item, np.ndarray) and item.dtype == np.bool_:
            covered += item.ndim
        else:
            covered += 1
    if covered != ndim:
        return index
    return tuple(i for i in index if i is not Ellipsis)


def getitem(a, index):
    """``a[index]`` with torch's indexing rules (numpy's, but an int is not an advanced index:
    see ``_split_at_ints``, and an ``...`` that covers no dim separates nothing: see
    ``_without_empty_ellipsis``); the result shares memory for basic indexing."""
    index = _normalize(index)
    if isinstance(index, tuple):
        index = _without_empty_ellipsis(index, a.ndim)
    steps = _split_at_ints(index) if isinstance(index, tuple) else None
    if steps is not None:
        ints_first, rest = steps
        try:
            return share_if_view(GetItem.apply(GetItem.apply(a, ints_first), rest), a)
        except IndexError:
            GetItem.apply(a, index)  # the error again, naming the whole index and a's shape
            raise
    return share_if_view(GetItem.apply(a, index), a)


def index_backward(grad, shape: tuple, index):
    """A zero tensor of ``shape`` with ``grad`` added at ``index`` (repeats accumulate)."""
    return IndexBackward.apply(grad, tuple(shape), _normalize(index))
