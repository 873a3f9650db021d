"""Indexing against PyTorch (float64): forward, first and second derivatives, errors.

Indexes are drawn by hypothesis in numpy's full language: ints, slices with any step (negative
ones too, which torch lacks), None, Ellipsis, integer arrays with repeats (as lists, ndarrays
and Tensors) and boolean masks. The oracle turns any such index into flat positions with
torch's own indexing (negative steps as positive ones over a flipped dim) and gathers them with
torch's ``take``-style indexing, whose backward accumulates repeats.
"""

from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_oracle import gradcheck_to_second_order

from autograd import Tensor, grad
from autograd.ops.indexing import index_backward

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
seeds = st.integers(0, 2**32 - 1)


check_against_torch = partial(torch_oracle.check_against_torch, exact_forward=True)


def as_numpy_index(index):
    """Our index as numpy reads it: Tensors become their arrays, lists arrays."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if isinstance(item, Tensor):
            item = item.data
        elif isinstance(item, list):
            item = np.asarray(item, dtype=np.intp if not item else None)
        out.append(item)
    return tuple(out) if isinstance(index, tuple) else out[0]


def _dims_taken(item) -> int:
    """How many dims of the indexed tensor an index item consumes."""
    if item is None or item is Ellipsis:
        return 0
    if isinstance(item, np.ndarray) and item.dtype == np.bool_:
        return item.ndim
    return 1


def torch_positions(shape, index) -> torch.Tensor:
    """The flat positions that torch's own indexing picks for our ``index``.

    torch indexes a tensor of positions, so its placement rules decide the result (an int
    beside advanced indices is a select, not one of them, unlike numpy). A slice with a negative
    step, which torch lacks, becomes a positive one over the same dim flipped beforehand.
    """
    items = [as_numpy_index(i) for i in (index if isinstance(index, tuple) else (index,))]
    consumed = sum(_dims_taken(i) for i in items)
    dim, flips, torch_items = 0, [], []
    for item in items:
        if item is Ellipsis:
            dim += len(shape) - consumed
        elif isinstance(item, slice) and item.step is not None and item.step < 0:
            n = shape[dim]
            picked = range(n)[item]  # decreasing positions; increasing once the dim is flipped
            flips.append(dim)
            item = slice(n - 1 - picked[0], n - picked[-1], -item.step) if picked else slice(0, 0)
        elif isinstance(item, np.ndarray):
            item = torch.from_numpy(item.copy())
        dim += _dims_taken(item if not isinstance(item, torch.Tensor) else item.numpy())
        torch_items.append(item)
    positions = torch.arange(int(np.prod(shape))).reshape(shape)
    if flips:
        positions = positions.flip(flips)
    return positions[tuple(torch_items) if isinstance(index, tuple) else torch_items[0]]


def torch_gather(shape, index):
    """The same selection in torch: flat positions picked by torch's indexing, then gathered."""
    positions = torch_positions(shape, index)
    return lambda t: t.reshape(-1)[positions]


def draw_item(data, n: int, length: int, kind: str):
    if kind == "int" and n:
        return data.draw(st.integers(-n, n - 1))
    if kind == "array" and n:
        values = data.draw(st.lists(st.integers(-n, n - 1), min_size=length, max_size=length))
        form = data.draw(st.sampled_from(["list", "ndarray", "tensor"]))
        if form == "list":
            return values
        array = np.array(values, dtype=np.int64)
        return array if form == "ndarray" else Tensor(array)
    if kind == "mask":
        mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        return Tensor(mask) if data.draw(st.booleans()) else mask
    bound = st.none() | st.integers(-n - 2, n + 2)
    step = st.none() | st.sampled_from([-3, -2, -1, 1, 2, 3])
    return slice(data.draw(bound), data.draw(bound), data.draw(step))


def draw_index(data, shape):
    """A random index for ``shape``: items for some leading dims, maybe ``...`` and trailing
    ones, ``None`` anywhere, at most one mask; integer arrays share one length to broadcast."""
    nd = len(shape)
    lead = data.draw(st.integers(0, nd))
    trail = data.draw(st.integers(0, nd - lead)) if data.draw(st.booleans()) else None
    length = data.draw(st.integers(0, 3))
    kinds = st.sampled_from(["slice", "slice", "int", "array", "mask"])
    dims = list(range(lead)) + ([] if trail is None else list(range(nd - trail, nd)))
    items, masks = [], 0
    for position, d in enumerate(dims):
        if trail is not None and position == lead:
            items.append(Ellipsis)
        kind = data.draw(kinds)
        if kind == "mask":
            masks += 1
            kind = "mask" if masks == 1 else "slice"
        items.append(draw_item(data, shape[d], length, kind))
        if data.draw(st.integers(0, 4)) == 0:
            items.append(None)
    if trail is not None and not any(
        i is Ellipsis for i in items
    ):  # '...' last: no trailing items drawn
        items.append(Ellipsis)
    if data.draw(st.booleans()):
        items.insert(data.draw(st.integers(0, len(items))), None)
    if len(items) == 1 and data.draw(st.booleans()):
        return items[0]  # a bare item, not a tuple
    return tuple(items)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=seeds, data=st.data())
def test_getitem_against_torch(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    index = draw_index(data, shape)
    try:
        theirs = torch_gather(shape, index)
    except IndexError:
        assume(False)  # a mask and integer arrays that do not broadcast together
    check_against_torch(lambda a: a[index], theirs, [x], rng)


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), seed=seeds)
def test_whole_tensor_boolean_mask(shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    mask = Tensor(x) > 0.3
    check_against_torch(lambda a: a[mask], lambda t: t[torch.tensor(mask.data)], [x], rng)


def test_repeated_indices_accumulate():
    x = Tensor(np.arange(5.0), requires_grad=True)
    y = x[[0, 0, 3, 0, -1, 4]]
    assert y.tolist() == [0.0, 0.0, 3.0, 0.0, 4.0, 4.0]
    y.backward(gradient=np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert x.grad.tolist() == [7.0, 0.0, 0.0, 3.0, 11.0]


def test_repeated_indices_second_order():
    # L = sum(x[i]^3 over i in idx): dL/dx_j = 3 c_j x_j^2, d2L/dx_j^2 = 6 c_j x_j
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = x[Tensor(np.array([2, 0, 2, 2]))]
    (first,) = grad((y * y * y).sum(), x, create_graph=True)
    assert first.tolist() == [3.0, 0.0, 3 * 3 * 9.0]
    first.sum().backward()
    assert x.grad.tolist() == [6.0, 0.0, 3 * 6 * 3.0]


def test_mixed_basic_advanced_and_mask():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 4, 5))
    mask = np.array([True, False, True, False])
    for index in [
        (mask, [1, 1]),
        (slice(None), mask, [4, -1]),
        ([2, 0, 2], slice(None, None, -2), None, 1),
        (None, ..., [[0, 1], [1, 0]], slice(1, None)),
        (1, [3, 3, 0], slice(None, None, -1)),
        ([[0], [2]], slice(None), [[1, 1, 4]]),
    ]:
        check_against_torch(lambda a, i=index: a[i], torch_gather(x.shape, index), [x], rng)


def test_basic_indexing_is_a_view_and_advanced_a_copy():
    x = Tensor(np.arange(12.0).reshape(3, 4))
    assert np.shares_memory(x[1:, ::-2].data, x.data)
    assert np.shares_memory(x[None, ..., 1].data, x.data)
    assert not np.shares_memory(x[[0, 1]].data, x.data)
    assert x[None, ..., 1].shape == (1, 3)
    assert x[::-1, -1].tolist() == [11.0, 7.0, 3.0]


def test_iterating_over_a_tensor_gives_rows_with_gradients():
    x = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    total = 0
    for k, row in enumerate(x):
        total = total + row * (k + 1.0)
    total.sum().backward()
    assert x.grad.tolist() == [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]


def test_index_backward_scatters_and_its_derivative_gathers():
    g = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    out = index_backward(g, (4,), [1, 1, 3])
    assert out.tolist() == [0.0, 3.0, 0.0, 3.0]
    (out * Tensor(np.array([10.0, 20.0, 30.0, 40.0]))).sum().backward()
    assert g.grad.tolist() == [20.0, 20.0, 40.0]


@pytest.mark.parametrize(
    "index, words",
    [
        (5, ["[5]", "(2, 3)", "out of bounds"]),
        ((0, [1, 7]), ["7", "(2, 3)", "out of bounds"]),
        ((0, 0, 0), ["[0, 0, 0]", "(2, 3)", "too many indices"]),
        (1.5, ["1.5", "(2, 3)"]),
        (np.array([True, False, True]), ["True, False, True", "(2, 3)", "boolean"]),
        (([0, 1], [0, 1, 2]), ["(2, 3)", "broadcast"]),
    ],
)
def test_index_errors_name_the_index_and_the_shape(index, words):
    x = Tensor(np.zeros((2, 3)), requires_grad=True)
    with pytest.raises(IndexError) as info:
        x[index]
    for word in words:
        assert word in str(info.value)


GRADCHECK_CASES = {
    "slices": ([(4, 3)], lambda a: a[3:0:-2, ::2]),
    "int_none_ellipsis": ([(3, 2, 4)], lambda a: a[None, 1, ..., -1]),
    "repeated_ints": ([(4, 3)], lambda a: a[[0, 3, 0, 0], 1:]),
    "mixed_arrays": ([(3, 4, 2)], lambda a: a[[2, 2, 0], :, [1, 1, 0]]),
    "mask": ([(3, 4)], lambda a: a[np.array([True, False, True])]),
    "tensor_index": ([(5,)], lambda a: a[Tensor(np.array([[4, 4], [0, 4]]))]),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK_CASES))
def test_gradcheck_first_and_second_order(name):
    shapes, fn = GRADCHECK_CASES[name]
    gradcheck_to_second_order(fn, shapes, seed=len(name))
