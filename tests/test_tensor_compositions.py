"""The operations built from primitives (autograd/ops/compositions.py, autograd/linalg.py)
against PyTorch (float64): values, gradients and second-order gradients through
``torch_oracle.check_against_torch``, on hypothesis-drawn shapes where the op takes any shape;
then dtypes on int and bool inputs, torch's conventions for ties and duplicate indices, and
errors.
"""

import math
import warnings
from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import Tensor, linalg

TOL = {"rtol": 1e-10, "atol": 1e-12}
check = partial(torch_oracle.check_against_torch, tol=TOL, float64=True)
few = settings(max_examples=25, deadline=None)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)
nonempty = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2**32 - 1)


def joined(pieces):
    """A tuple of tensors (ours or torch's) as one flat tensor, for the oracle."""
    if isinstance(pieces[0], Tensor):
        return autograd.cat([p.reshape(-1) for p in pieces])
    return torch.cat([p.reshape(-1) for p in pieces])


def distinct(rng, shape):
    """Values without ties (a permutation, scaled), so that every order is unique."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.5 - 3.0 + rng.random() * 0.1


def draw_dim(data, shape):
    return data.draw(st.integers(-len(shape), len(shape) - 1))


# -- slicing and rearranging ------------------------------------------------------------------


@few
@given(shapes, st.integers(1, 4), st.data(), seeds)
def test_split_chunk_unbind_match_torch(shape, size, data, seed):
    rng = np.random.default_rng(seed)
    d = draw_dim(data, shape)
    x = rng.standard_normal(shape)
    check(lambda t: joined(t.split(size, d)), lambda t: joined(t.split(size, d)), [x], rng)
    check(lambda t: joined(t.chunk(size, d)), lambda t: joined(t.chunk(size, d)), [x], rng)
    assert [p.shape for p in Tensor(x).chunk(size, d)] == [
        tuple(p.shape) for p in torch.tensor(x).chunk(size, d)
    ]
    if shape[d]:
        check(lambda t: joined(t.unbind(d)), lambda t: joined(t.unbind(d)), [x], rng)
        cuts = sorted(rng.integers(0, shape[d] + 1, 2).tolist())
        sizes = [cuts[0], cuts[1] - cuts[0], shape[d] - cuts[1]]
        ours = autograd.split(Tensor(x), sizes, d)
        assert [p.shape for p in ours] == [
            tuple(p.shape) for p in torch.split(torch.tensor(x), sizes, d)
        ]
        check(lambda t: joined(t.split(sizes, d)), lambda t: joined(t.split(sizes, d)), [x], rng)


@few
@given(nonempty, st.data(), seeds)
def test_narrow_movedim_flip_roll_match_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    d = draw_dim(data, shape)
    start = data.draw(st.integers(-shape[d], shape[d]))
    length = data.draw(st.integers(0, shape[d] - start % (shape[d] + (start >= 0))))
    check(lambda t: t.narrow(d, start, length), lambda t: t.narrow(d, start, length), [x], rng)
    dims = data.draw(st.permutations(range(len(shape))))
    k = data.draw(st.integers(0, len(shape)))
    src, dst = tuple(dims[:k]), tuple(sorted(dims[:k]))
    check(lambda t: t.movedim(src, dst), lambda t: t.movedim(src, dst), [x], rng)
    check(lambda t: autograd.movedim(t, d, 0), lambda t: torch.movedim(t, d, 0), [x], rng)
    flips = tuple(dims[:k])
    check(lambda t: t.flip(flips), lambda t: t.flip(flips), [x], rng)
    check(lambda t: autograd.flip(t, flips), lambda t: torch.flip(t, flips), [x], rng)
    shifts = tuple(data.draw(st.integers(-6, 6)) for _ in flips)
    if flips:
        check(lambda t: t.roll(shifts, flips), lambda t: t.roll(shifts, flips), [x], rng)
    check(lambda t: t.roll(shifts[:1] or 3), lambda t: t.roll(shifts[:1] or 3), [x], rng)


@few
@given(hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=4), st.data(), seeds)
def test_triangles_and_diagonals_match_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    k = data.draw(st.integers(-5, 5))
    check(lambda t: t.tril(k), lambda t: t.tril(k), [x], rng)
    check(lambda t: autograd.triu(t, k), lambda t: torch.triu(t, k), [x], rng)
    d1 = draw_dim(data, shape)
    d2 = data.draw(
        st.integers(-len(shape), len(shape) - 1).filter(lambda d: d % len(shape) != d1 % len(shape))
    )
    check(lambda t: t.diagonal(k, d1, d2), lambda t: t.diagonal(k, d1, d2), [x], rng)
    check(
        lambda t: autograd.diagonal(t, k, d1, d2), lambda t: torch.diagonal(t, k, d1, d2), [x], rng
    )


@pytest.mark.parametrize("k", [-2, 0, 1, 3])
@pytest.mark.parametrize("shape", [(3,), (0,), (3, 4), (4, 2), (0, 2)])
def test_diag_of_vectors_and_matrices_matches_torch(shape, k):
    rng = np.random.default_rng(len(shape) + k + 2)
    x = rng.standard_normal(shape)
    check(lambda t: t.diag(k), lambda t: t.diag(k), [x], rng)
    check(lambda t: autograd.diag(t, k), lambda t: torch.diag(t, k), [x], rng)


@few
@given(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3), st.data(), seeds)
def test_repeat_tile_repeat_interleave_match_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    extra = data.draw(st.integers(0, 2))
    sizes = tuple(data.draw(st.integers(0, 3)) for _ in range(max(len(shape) + extra, 1)))
    check(lambda t: t.repeat(*sizes), lambda t: t.repeat(*sizes), [x], rng)
    check(lambda t: t.repeat(sizes), lambda t: t.repeat(sizes), [x], rng)
    short = sizes[: data.draw(st.integers(0, len(sizes)))]
    check(lambda t: t.tile(short), lambda t: t.tile(short), [x], rng)
    check(lambda t: autograd.tile(t, short), lambda t: torch.tile(t, short), [x], rng)
    r = data.draw(st.integers(0, 3))
    check(lambda t: t.repeat_interleave(r), lambda t: t.repeat_interleave(r), [x], rng)
    if shape:
        d = draw_dim(data, shape)
        check(lambda t: t.repeat_interleave(r, d), lambda t: t.repeat_interleave(r, d), [x], rng)
        counts = rng.integers(0, 3, shape[d])
        check(
            lambda t: autograd.repeat_interleave(t, Tensor(counts), dim=d),
            lambda t: torch.repeat_interleave(t, torch.tensor(counts), dim=d),
            [x],
            rng,
        )


def test_shape_ops_keep_int_and_bool_dtypes():
    x = np.arange(12).reshape(3, 4)
    t, ours = torch.tensor(x), Tensor(x)
    for fn in (
        lambda a: a.flip(0),
        lambda a: a.roll(1, 1),
        lambda a: a.tril(),
        lambda a: a.triu(1),
        lambda a: a.diagonal(),
        lambda a: a.diag(),
        lambda a: a.diagonal().diag(),
        lambda a: a.repeat(2, 1),
        lambda a: a.repeat_interleave(2, 0),
        lambda a: a.narrow(1, 1, 2),
        lambda a: a.movedim(0, 1),
        lambda a: a.split(3, 1)[1],
        lambda a: (a > 4).tril(),
    ):
        expected = fn(t)
        out = fn(ours)
        assert out.dtype == expected.numpy().dtype
        np.testing.assert_array_equal(out.data, expected.numpy())


# -- products ------------------------------------------------------------------------------


@few
@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4), st.integers(1, 3), seeds)
def test_products_match_torch(n, m, p, b, seed):
    rng = np.random.default_rng(seed)
    u, v, w = rng.standard_normal(n), rng.standard_normal(m), rng.standard_normal(n)
    check(lambda x, y: x.outer(y), lambda x, y: x.outer(y), [u, v], rng)
    check(lambda x, y: autograd.outer(x, y), lambda x, y: torch.outer(x, y), [u, v], rng)
    check(lambda x, y: x.dot(y), lambda x, y: x.dot(y), [u, w], rng)
    a = rng.standard_normal((m, n))
    check(lambda x, y: x.mv(y), lambda x, y: x.mv(y), [a, u], rng)
    b1, b2 = rng.standard_normal((b, n, m)), rng.standard_normal((b, m, p))
    check(lambda x, y: autograd.bmm(x, y), lambda x, y: torch.bmm(x, y), [b1, b2], rng)
    c, m1, m2 = (
        rng.standard_normal((1, p)),
        rng.standard_normal((n, m)),
        rng.standard_normal((m, p)),
    )
    for beta, alpha in ((1, 1), (0.5, -2.0), (0, 3.0)):
        check(
            lambda x, y, z, beta=beta, alpha=alpha: x.addmm(y, z, beta=beta, alpha=alpha),
            lambda x, y, z, beta=beta, alpha=alpha: x.addmm(y, z, beta=beta, alpha=alpha),
            [c, m1, m2],
            rng,
        )
        check(
            lambda x, y, z, beta=beta, alpha=alpha: autograd.baddbmm(
                x, y, z, beta=beta, alpha=alpha
            ),
            lambda x, y, z, beta=beta, alpha=alpha: torch.baddbmm(x, y, z, beta=beta, alpha=alpha),
            [rng.standard_normal((b, n, p)), b1, b2],
            rng,
        )


def test_addmm_with_beta_zero_ignores_nan_in_input():
    nan = Tensor(np.full((2, 2), np.nan), requires_grad=True)
    out = nan.addmm(Tensor(np.eye(2)), Tensor(np.ones((2, 2))), beta=0)
    np.testing.assert_array_equal(out.data, np.ones((2, 2)))
    out.sum().backward()
    np.testing.assert_array_equal(nan.grad.data, np.zeros((2, 2)))


@few
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3), st.data(), seeds)
def test_cross_matches_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    d = data.draw(st.integers(0, len(shape) - 1))
    shape = shape[:d] + (3,) + shape[d + 1 :]
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    check(lambda a, b: a.cross(b, dim=d), lambda a, b: a.cross(b, dim=d), [x, y], rng)
    other = (1,) * len(shape[:d]) + (3,) + shape[d + 1 :]  # broadcast
    z = rng.standard_normal(other)
    check(lambda a, b: autograd.cross(a, b, d), lambda a, b: torch.cross(a, b, d), [x, z], rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.cross(torch.tensor(x), torch.tensor(y))
    with pytest.warns(UserWarning, match="without specifying the dim"):
        out = autograd.cross(Tensor(x), Tensor(y))
    np.testing.assert_allclose(out.data, expected.numpy(), **TOL)


def test_products_of_ints_stay_ints():
    u, a = np.arange(3), np.arange(6).reshape(2, 3)
    for ours, theirs in (
        (Tensor(u).outer(Tensor(u)), torch.tensor(u).outer(torch.tensor(u))),
        (Tensor(u).dot(Tensor(u)), torch.tensor(u).dot(torch.tensor(u))),
        (Tensor(a).mv(Tensor(u)), torch.tensor(a).mv(torch.tensor(u))),
        (
            Tensor(u[:2]).addmm(Tensor(a), Tensor(a.T), beta=2, alpha=3),
            torch.tensor(u[:2]).addmm(torch.tensor(a), torch.tensor(a.T), beta=2, alpha=3),
        ),
        (Tensor(a).cross(Tensor(a + 1), 1), torch.tensor(a).cross(torch.tensor(a + 1), 1)),
    ):
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.data, theirs.numpy())


# -- gathering and scattering -------------------------------------------------------------------


@st.composite
def gather_case(draw):
    """A shape, a dim and an index shape no larger than the shape apart from dim."""
    shape = draw(nonempty)
    d = draw(st.integers(0, len(shape) - 1))
    ishape = tuple(
        draw(st.integers(0, 4)) if i == d else draw(st.integers(0, n)) for i, n in enumerate(shape)
    )
    return shape, d, ishape


@few
@given(gather_case(), seeds)
def test_gather_and_take_along_dim_match_torch(case, seed):
    shape, d, ishape = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    index = rng.integers(0, shape[d], ishape)  # repeats included: their gradients add
    check(
        lambda t: t.gather(d, Tensor(index)), lambda t: t.gather(d, torch.tensor(index)), [x], rng
    )
    check(
        lambda t: autograd.gather(t, d - len(shape), index),
        lambda t: torch.gather(t, d - len(shape), torch.tensor(index)),
        [x],
        rng,
    )
    full = rng.integers(0, shape[d], shape[:d] + (ishape[d],) + shape[d + 1 :])
    check(
        lambda t: t.take_along_dim(Tensor(full), d),
        lambda t: t.take_along_dim(torch.tensor(full), d),
        [x],
        rng,
    )
    # an index of size 1 in another dim broadcasts against the input there
    others = [i for i in range(len(shape)) if i != d]
    broadcast = np.take(full, [0], axis=others[0]) if others else full
    check(
        lambda t: autograd.take_along_dim(t, Tensor(broadcast), d),
        lambda t: torch.take_along_dim(t, torch.tensor(broadcast), d),
        [x],
        rng,
    )
    flat = rng.integers(0, x.size, 5)
    check(
        lambda t: t.take_along_dim(Tensor(flat)),
        lambda t: t.take_along_dim(torch.tensor(flat)),
        [x],
        rng,
    )


@few
@given(nonempty, st.data(), seeds)
def test_index_select_masked_fill_masked_select_match_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    d = draw_dim(data, shape)
    index = rng.integers(0, shape[d], data.draw(st.integers(0, 5)))
    check(
        lambda t: t.index_select(d, Tensor(index)),
        lambda t: t.index_select(d, torch.tensor(index)),
        [x],
        rng,
    )
    mask = rng.random(shape[data.draw(st.integers(0, len(shape))) :]) < 0.5  # broadcast
    check(
        lambda t: t.masked_fill(Tensor(mask), -2.5),
        lambda t: t.masked_fill(torch.tensor(mask), -2.5),
        [x],
        rng,
    )
    check(
        lambda t, v: autograd.masked_fill(t, mask, v),
        lambda t, v: torch.masked_fill(t, torch.tensor(mask), v),
        [x, np.array(1.5)],
        rng,
    )
    check(lambda t: t.masked_select(mask), lambda t: t.masked_select(torch.tensor(mask)), [x], rng)


def test_nonzero_matches_torch():
    rng = np.random.default_rng(0)
    for shape in ((), (0,), (5,), (3, 4), (2, 0, 3), (2, 3, 2)):
        x = np.where(rng.random(shape) < 0.5, 0, rng.integers(1, 5, shape))
        t = torch.tensor(x)
        out = Tensor(x).nonzero()
        assert out.dtype == np.int64 and out.requires_grad is False
        np.testing.assert_array_equal(out.data, t.nonzero().numpy())
        assert out.shape == tuple(t.nonzero().shape)
        for ours, theirs in zip(
            autograd.nonzero(Tensor(x), as_tuple=True), t.nonzero(as_tuple=True)
        ):
            np.testing.assert_array_equal(ours.data, theirs.numpy())
            assert ours.dtype == np.int64


@few
@given(gather_case(), seeds)
def test_scatter_and_scatter_add_match_torch(case, seed):
    shape, d, ishape = case
    ishape = ishape[:d] + (min(ishape[d], shape[d]),) + ishape[d + 1 :]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    # scatter: distinct positions along dim (torch leaves duplicates unspecified)
    picks = np.argsort(rng.random(ishape[:d] + (shape[d],) + ishape[d + 1 :]), axis=d)
    index = np.take(picks, np.arange(ishape[d]), axis=d)
    src = rng.standard_normal(ishape)
    check(
        lambda t, s: t.scatter(d, Tensor(index), s),
        lambda t, s: t.scatter(d, torch.tensor(index), s),
        [x, src],
        rng,
    )
    check(
        lambda t: autograd.scatter(t, d, index, value=0.75),
        lambda t: torch.scatter(t, d, torch.tensor(index), value=0.75),
        [x],
        rng,
    )
    repeated = rng.integers(0, shape[d], ishape)
    check(
        lambda t, s: t.scatter_add(d, Tensor(repeated), s),
        lambda t, s: t.scatter_add(d, torch.tensor(repeated), s),
        [x, src],
        rng,
    )


def test_scatter_reads_the_leading_corner_of_a_larger_src():
    x, src = np.zeros((3, 4)), np.arange(20.0).reshape(4, 5)
    index = np.array([[2, 0], [1, 1]])
    ours = Tensor(x).scatter(0, index, Tensor(src))
    theirs = torch.tensor(x).scatter(0, torch.tensor(index), torch.tensor(src))
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    ours = Tensor(x).scatter_add(1, index, Tensor(src))
    theirs = torch.tensor(x).scatter_add(1, torch.tensor(index), torch.tensor(src))
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_scatter_with_duplicates_writes_last_and_gives_torchs_gradients():
    """torch leaves the winner of duplicate positions unspecified; its CPU kernel and this
    module both keep the last write, and every source element gets its position's gradient."""
    rng = np.random.default_rng(1)
    index = np.array([1, 1, 2, 1, 0, 0])
    check(
        lambda t, s: t.scatter(0, Tensor(index), s),
        lambda t, s: t.scatter(0, torch.tensor(index), s),
        [rng.standard_normal(5), rng.standard_normal(6)],
        rng,
    )
    index2 = np.array([[0, 0, 1], [1, 1, 1]])
    check(
        lambda t, s: autograd.scatter(t, 1, index2, s),
        lambda t, s: torch.scatter(t, 1, torch.tensor(index2), s),
        [rng.standard_normal((2, 3)), rng.standard_normal((2, 3))],
        rng,
    )


@few
@given(nonempty, st.data(), seeds)
def test_index_add_matches_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    d = draw_dim(data, shape)
    index = rng.integers(0, shape[d], data.draw(st.integers(0, 5)))
    source_shape = shape[: d % len(shape)] + (index.size,) + shape[d % len(shape) + 1 :]
    alpha = data.draw(st.sampled_from([1, -0.5, 2.0]))
    check(
        lambda t, s: t.index_add(d, Tensor(index), s, alpha=alpha),
        lambda t, s: t.index_add(d, torch.tensor(index), s, alpha=alpha),
        [rng.standard_normal(shape), rng.standard_normal(source_shape)],
        rng,
    )


def test_gather_scatter_on_ints():
    x = np.arange(12).reshape(3, 4)
    index = np.array([[0, 3], [2, 2], [1, 0]])
    t = torch.tensor(x)
    pairs = [
        (Tensor(x).gather(1, index), t.gather(1, torch.tensor(index))),
        (Tensor(x).index_select(0, [2, 0]), t.index_select(0, torch.tensor([2, 0]))),
        (Tensor(x).masked_fill(x > 5, 2.7), t.masked_fill(t > 5, 2.7)),
        (Tensor(x).scatter(1, index[:, :1], -1), t.scatter(1, torch.tensor(index[:, :1]), -1)),
        (
            Tensor(x).scatter_add(1, index, Tensor(x[:, :2])),
            t.scatter_add(1, torch.tensor(index), t[:, :2]),
        ),
        (
            Tensor(x).index_add(0, [1, 1], Tensor(x[:2]), alpha=2),
            t.index_add(0, torch.tensor([1, 1]), t[:2], alpha=2),
        ),
        (Tensor(x).masked_select(x % 2 == 0), t.masked_select(t % 2 == 0)),
    ]
    for ours, theirs in pairs:
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.data, theirs.numpy())


# -- reductions and logic ----------------------------------------------------------------------


@st.composite
def shape_and_dims(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    rank = len(shape)
    dims = draw(
        st.one_of(
            st.just(()),
            st.integers(-rank, rank - 1),
            st.lists(st.integers(0, rank - 1), min_size=1, max_size=rank, unique=True).map(tuple),
        )
    )
    return shape, dims


@few
@given(shape_and_dims(), st.booleans(), seeds)
def test_amax_amin_match_torch_with_ties(case, keepdim, seed):
    shape, dims = case
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, shape).astype(float)  # many ties: the gradient is split evenly
    check(
        lambda t: t.amax(dims, keepdim),
        lambda t: t.amax(dims, keepdim),
        [x],
        rng,
        exact_forward=True,
    )
    check(
        lambda t: autograd.amin(t, dims, keepdim),
        lambda t: torch.amin(t, dims, keepdim),
        [x],
        rng,
        exact_forward=True,
    )


def test_amax_of_nan_and_ints_as_torch():
    x = np.array([[1.0, np.nan, 3.0], [2.0, 2.0, 0.0]])
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours.amax(1).sum().backward()
    theirs.amax(1).sum().backward()
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())
    out = Tensor(np.array([[3, 1], [2, 5]])).amin(0)
    assert out.dtype == np.int64 and out.tolist() == [2, 1]


@few
@given(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3), st.booleans(), st.data())
def test_all_any_match_torch(shape, keepdim, data):
    x = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 2)))
    t = torch.tensor(x)
    dims = [None] + list(range(-max(len(shape), 1), max(len(shape), 1)))
    for dim in dims:
        for name in ("all", "any"):
            if dim is None:
                ours, theirs = getattr(Tensor(x), name)(), getattr(torch, name)(t)
            else:
                ours = getattr(autograd, name)(Tensor(x), dim, keepdim)
                theirs = getattr(t, name)(dim, keepdim)
            assert ours.dtype == np.bool_ and ours.shape == tuple(theirs.shape)
            np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert Tensor(np.array([1, 2], dtype=np.uint8)).all().dtype == np.uint8


def test_predicates_and_logical_ops_match_torch():
    x = np.array([0.0, -1.5, np.inf, -np.inf, np.nan, 2.0])
    y = np.array([1, 0, 0, 3, 1, 0])
    t, u = torch.tensor(x), torch.tensor(y)
    pairs = [
        (Tensor(x).isnan(), t.isnan()),
        (autograd.isinf(Tensor(x)), torch.isinf(t)),
        (Tensor(x).isfinite(), t.isfinite()),
        (Tensor(y).isnan(), u.isnan()),
        (Tensor(x).logical_and(Tensor(y)), t.logical_and(u)),
        (autograd.logical_or(Tensor(x), Tensor(y)), torch.logical_or(t, u)),
        (Tensor(x).logical_xor(Tensor(y)), t.logical_xor(u)),
        (autograd.logical_not(Tensor(y)), torch.logical_not(u)),
        (Tensor(x.reshape(6, 1)).logical_and(Tensor(y)), t.reshape(6, 1).logical_and(u)),
    ]
    for ours, theirs in pairs:
        assert ours.dtype == np.bool_
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    with pytest.raises(TypeError, match="must be Tensor, not int"):
        t.logical_and(1)
    with pytest.raises(TypeError, match="must be Tensor, not int"):
        Tensor(x).logical_and(1)


# -- ordering ----------------------------------------------------------------------------------


@few
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), st.data(), seeds)
def test_sort_argsort_topk_kthvalue_median_match_torch(shape, data, seed):
    rng = np.random.default_rng(seed)
    x = distinct(rng, shape)
    d = draw_dim(data, shape)
    descending = data.draw(st.booleans())
    keepdim = data.draw(st.booleans())
    n = shape[d]
    k = data.draw(st.integers(0, n))
    check(lambda t: t.sort(d, descending).values, lambda t: t.sort(d, descending).values, [x], rng)
    check(
        lambda t: autograd.topk(t, k, d, largest=not descending).values,
        lambda t: torch.topk(t, k, d, largest=not descending).values,
        [x],
        rng,
    )
    check(
        lambda t: t.kthvalue(max(k, 1), d, keepdim).values,
        lambda t: t.kthvalue(max(k, 1), d, keepdim).values,
        [x],
        rng,
    )
    check(lambda t: t.median(d, keepdim).values, lambda t: t.median(d, keepdim).values, [x], rng)
    check(lambda t: autograd.median(t), lambda t: torch.median(t), [x], rng)
    t = torch.tensor(x)
    for ours, theirs in (
        (Tensor(x).sort(d, descending).indices, t.sort(dim=d, descending=descending).indices),
        (autograd.argsort(Tensor(x), d, descending), torch.argsort(t, d, descending)),
        (Tensor(x).topk(k, d).indices, t.topk(k, d).indices),
        (
            Tensor(x).kthvalue(max(k, 1), d, keepdim).indices,
            t.kthvalue(max(k, 1), d, keepdim).indices,
        ),
        (Tensor(x).median(d, keepdim).indices, t.median(d, keepdim).indices),
    ):
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_ties_follow_torch():
    """Stable sorts keep ties in input order; topk, kthvalue and median(dim) pick the first of
    tied elements as torch's CPU kernels do; the global median splits its gradient evenly."""
    rng = np.random.default_rng(3)
    x = np.array([[3.0, 1.0, 3.0, 2.0, 3.0, 1.0], [2.0, 2.0, 2.0, 0.0, 5.0, 5.0]])
    t = torch.tensor(x)
    for descending in (False, True):
        ours = Tensor(x).sort(1, descending, stable=True)
        theirs = t.sort(dim=1, descending=descending, stable=True)
        np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())
        check(
            lambda a, desc=descending: a.sort(1, desc, stable=True).values,
            lambda a, desc=descending: a.sort(dim=1, descending=desc, stable=True).values,
            [x],
            rng,
        )
    # torch's partial sorts pick some tied index: the values agree, ours is a stable sort's
    for ours, theirs, first in (
        (Tensor(x).topk(2), t.topk(2), [[0, 2], [4, 5]]),
        (Tensor(x).kthvalue(2), t.kthvalue(2), [5, 0]),
        (Tensor(x).median(1), t.median(1), [3, 1]),  # a stable sort's middle element
    ):
        np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.data, first)
        picked = np.take_along_axis(x, np.asarray(theirs.indices).reshape(len(x), -1), 1)
        np.testing.assert_array_equal(picked.reshape(ours.values.shape), ours.values.data)
    check(lambda a: a.median(), lambda a: a.median(), [x], rng)  # ties share the gradient
    check(lambda a: a.median(), lambda a: a.median(), [np.array([2.0, 2.0, 1.0, 3.0])], rng)


def test_nan_sorts_as_largest_and_is_the_median():
    x = np.array([[1.0, np.nan, 0.0, np.nan], [3.0, 1.0, 2.0, 4.0]])
    t = torch.tensor(x)
    for descending in (False, True):
        ours, theirs = Tensor(x).sort(1, descending), t.sort(1, descending)
        np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())
    ours, theirs = Tensor(x).median(1), t.median(1)
    np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
    np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())
    a, b = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    a.median().backward()
    b.median().backward()
    np.testing.assert_array_equal(a.grad.data, b.grad.numpy())
    assert np.isnan(autograd.median(Tensor(np.zeros(0))).item())


def test_ordering_of_ints_and_0d():
    x = np.array([[4, 1, 3], [0, 9, 2]])
    t = torch.tensor(x)
    assert Tensor(x).sort().values.dtype == np.int64
    np.testing.assert_array_equal(Tensor(x).sort(0).values.data, t.sort(0).values.numpy())
    assert Tensor(x).median().item() == t.median().item()
    assert Tensor(x).topk(2).values.tolist() == t.topk(2).values.tolist()
    s = Tensor(np.array(2.5))
    assert s.sort().values.item() == 2.5 and s.sort().indices.item() == 0
    assert s.median(0).values.item() == 2.5


# -- norms -------------------------------------------------------------------------------------

PS = [2, "fro", 1, 3, 1.5, math.inf, -math.inf]


@few
@given(shape_and_dims(), st.sampled_from(PS), st.booleans(), seeds)
def test_norm_matches_torch(case, p, keepdim, seed):
    shape, dims = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    dim = None if dims == () else dims
    if p == "fro" and isinstance(dim, tuple) and len(dim) > 2:
        return  # an error in torch (a matrix norm), tested with the errors
    check(lambda t: t.norm(p, dim, keepdim), lambda t: t.norm(p, dim, keepdim), [x], rng)
    if p != "fro":
        check(
            lambda t: linalg.vector_norm(t, p, dim, keepdim),
            lambda t: torch.linalg.vector_norm(t, p, dim, keepdim),
            [x],
            rng,
        )
    check(lambda t: autograd.norm(t, p), lambda t: torch.norm(t, p), [x], rng)


@pytest.mark.parametrize("p", [2, 3, 1.5, 1, math.inf])
def test_norm_gradient_is_zero_at_zero_as_torch(p):
    rng = np.random.default_rng(0)
    x = np.zeros((2, 3))
    x[1] = rng.standard_normal(3)
    if p != 2:  # torch's second derivative of the 2-norm at 0 is NaN, ours 0 (docstring)
        check(lambda t: t.norm(p, 1), lambda t: t.norm(p, 1), [x], rng)
    ours, theirs = (
        Tensor(np.zeros(3), requires_grad=True),
        torch.zeros(3, dtype=torch.float64, requires_grad=True),
    )
    ours.norm(p).backward()
    theirs.norm(p).backward()
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


def test_norm_with_ties_at_infinity_splits_the_gradient():
    rng = np.random.default_rng(1)
    check(lambda t: t.norm(math.inf), lambda t: t.norm(math.inf), [np.array([1.0, -3.0, 3.0])], rng)


@few
@given(nonempty, st.sampled_from([2, 1, 3.5, math.inf]), seeds)
def test_dist_matches_torch(shape, p, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(shape), rng.standard_normal(shape[-1:])
    check(lambda a, b: a.dist(b, p), lambda a, b: a.dist(b, p), [x, y], rng)
    check(lambda a, b: autograd.dist(a, b, p), lambda a, b: torch.dist(a, b, p), [x, y], rng)


@pytest.mark.parametrize("dim", [None, 1, (0, 1)])
def test_zero_norm_counts_nonzeros_with_a_zero_gradient(dim):
    """torch's ``ord=0`` norm records a node whose gradient is undefined (``.grad`` stays
    None); here it is zeros, the derivative of a count."""
    x = np.array([[0.0, 1.5, -2.0], [0.0, 0.0, 3.0]])
    ours = Tensor(x, requires_grad=True)
    for out, expected in (
        (ours.norm(0, dim), torch.tensor(x).norm(0, dim)),
        (linalg.vector_norm(ours, 0, dim), torch.linalg.vector_norm(torch.tensor(x), 0, dim)),
        (ours.dist(Tensor(x[1]), 0), torch.tensor(x).dist(torch.tensor(x[1]), 0)),
    ):
        assert out.dtype == np.float64 and out.requires_grad
        np.testing.assert_array_equal(out.data, expected.numpy())
        out.sum().backward()
        np.testing.assert_array_equal(ours.grad.data, np.zeros(x.shape))


@pytest.mark.parametrize("ord", ["fro", 1, -1, math.inf, -math.inf])
@pytest.mark.parametrize("dim", [(-2, -1), (0, 2), (2, 1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_matrix_norm_matches_torch(ord, dim, keepdim):
    rng = np.random.default_rng(abs(hash((str(ord), dim, keepdim))) % 2**32)
    x = rng.standard_normal((3, 2, 4))
    check(
        lambda t: linalg.matrix_norm(t, ord, dim, keepdim),
        lambda t: torch.linalg.matrix_norm(t, ord, dim, keepdim),
        [x],
        rng,
    )
    check(
        lambda t: linalg.norm(t, ord, dim, keepdim),
        lambda t: torch.linalg.norm(t, ord, dim, keepdim),
        [x],
        rng,
    )


@pytest.mark.parametrize(
    "shape,ord,dim",
    [
        ((3,), None, None),
        ((3, 4), None, None),
        ((2, 3, 4), None, None),
        ((3,), 1, None),
        ((3,), math.inf, None),
        ((3, 4), "fro", None),
        ((3, 4), 1, None),
        ((2, 3, 4), None, 1),
        ((2, 3, 4), 3, (2,)),
        ((2, 3, 4), None, (0, 2)),
    ],
)
def test_linalg_norm_chooses_as_torch(shape, ord, dim):
    rng = np.random.default_rng(len(shape))
    x = rng.standard_normal(shape)
    check(lambda t: linalg.norm(t, ord, dim), lambda t: torch.linalg.norm(t, ord, dim), [x], rng)


def test_norms_that_need_singular_values_say_so():
    x = Tensor(np.ones((2, 2)))
    for call in (
        lambda: linalg.matrix_norm(x, "nuc"),
        lambda: linalg.matrix_norm(x, 2),
        lambda: linalg.norm(x, -2),
        lambda: x.norm("nuc"),
    ):
        with pytest.raises(NotImplementedError, match="singular values"):
            call()


# -- errors ------------------------------------------------------------------------------------

ERRORS = [
    ("split", lambda m: m.ones(3).split([1, 1]), RuntimeError, "split_with_sizes expects"),
    ("chunk", lambda m: m.ones(3).chunk(0), RuntimeError, "chunk expects `chunks`"),
    ("unbind", lambda m: m.ones(2).unbind(1), IndexError, "Dimension out of range"),
    ("narrow", lambda m: m.ones(3).narrow(0, 2, 2), RuntimeError, r"start \(2\) \+ length"),
    ("movedim", lambda m: m.ones(2, 3).movedim((0, 1), (0,)), RuntimeError, "movedim: Invalid"),
    ("flip", lambda m: m.ones(3).flip((0, 0)), RuntimeError, "appears multiple times"),
    (
        "roll align",
        lambda m: m.ones(2, 3).roll((1, 2), (0,)),
        RuntimeError,
        "shifts and dimensions",
    ),
    ("roll", lambda m: m.ones(3).roll(()), RuntimeError, "`shifts` required"),
    ("tril", lambda m: m.ones(3).tril(), RuntimeError, "at least 2 dimensions"),
    ("diag", lambda m: m.ones(2, 2, 2).diag(), RuntimeError, "Supports 1D or 2D"),
    ("diagonal", lambda m: m.ones(2, 2).diagonal(0, 1, 1), RuntimeError, "cannot be identical"),
    ("repeat", lambda m: m.ones(2, 2).repeat(2), RuntimeError, "can not be smaller"),
    ("dot size", lambda m: m.ones(3).dot(m.ones(4)), RuntimeError, "inconsistent tensor size"),
    ("bmm", lambda m: m.ones(2, 3).bmm(m.ones(2, 3)), RuntimeError, "batch1 must be a 3D"),
    ("mv", lambda m: m.ones(2, 3).mv(m.ones(2)), RuntimeError, "size mismatch"),
    ("outer", lambda m: m.ones(3).outer(m.ones(2, 2)), RuntimeError, "Expected 1-D argument vec2"),
    (
        "cross",
        lambda m: m.ones(3, 2).cross(m.ones(3, 2), dim=1),
        RuntimeError,
        "must have length 3",
    ),
    ("topk", lambda m: m.ones(3).topk(4), RuntimeError, "selected index k out of range"),
    ("kthvalue", lambda m: m.ones(2).kthvalue(3), RuntimeError, "selected number k out of range"),
    ("fro 3 dims", lambda m: m.ones(1, 1, 1).norm("fro", (0, 1, 2)), RuntimeError, "2-tuple"),
    ("amax", lambda m: m.ones(0, 3).amax(0), IndexError, "to have non-zero size"),
]


@pytest.mark.parametrize("name,call,error,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_as_torch(name, call, error, match):
    with pytest.raises(error, match=match):
        call(torch)
    with pytest.raises(error, match=match):
        call(autograd)


def test_index_errors_as_torch():
    x, t = Tensor(np.ones((2, 3))), torch.ones(2, 3)
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 1 with size 3"):
        t.gather(1, torch.tensor([[-1]]))
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 1 with size 3"):
        x.gather(1, np.array([[-1]]))
    with pytest.raises(RuntimeError, match="Expected dtype int32/int64 for index"):
        x.gather(1, np.array([[1.0]]))
    with pytest.raises(IndexError, match="index out of range in self"):
        x.index_select(1, np.array([3]))
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        x.masked_fill(np.ones((2, 3)), 1.0)
    with pytest.raises(RuntimeError, match="only supports a 0-dimensional value tensor"):
        x.masked_fill(np.ones((2, 3), bool), Tensor(np.ones(2)))
    with pytest.raises(RuntimeError, match="Expected self.dtype to be equal to src.dtype"):
        x.scatter(0, np.array([[0]]), Tensor(np.ones((1, 1), dtype=np.float32)))
    with pytest.raises(RuntimeError, match="Number of indices"):
        x.index_add(0, [0], Tensor(np.ones((2, 3))))
    with pytest.raises(RuntimeError, match="same dtype"):
        Tensor(np.ones(3)).dot(Tensor(np.ones(3, dtype=np.float32)))
    with pytest.raises(RuntimeError, match="Expected a floating point"):
        Tensor(np.ones(3, dtype=np.int64)).norm()
    with pytest.raises(RuntimeError, match="without narrowing"):
        Tensor(np.ones(3)).norm(dtype=np.float32)
    wide = Tensor(np.ones(3, dtype=np.float32)).norm(dtype=np.float64)
    assert wide.dtype == np.float64 and wide.item() == np.sqrt(3)
    with pytest.raises(RuntimeError, match="should have the same number of dimensions"):
        x.take_along_dim(np.ones(2, dtype=np.int64), 1)


def test_top_level_names_and_all():
    for name in ("all", "any"):
        assert hasattr(autograd, name) and name not in autograd.__all__
    for name in ("split", "gather", "scatter_add", "sort", "topk", "norm", "linalg", "tril"):
        assert name in autograd.__all__
    assert isinstance(Tensor(np.ones(3)).sort(), autograd.ops.compositions.SortResult)
    with pytest.raises(TypeError, match="must be Tensor"):
        autograd.flip(np.ones(3), 0)


def test_repeat_interleave_of_counts_alone_gives_indices():
    counts = np.array([2, 0, 3])
    ours = autograd.repeat_interleave(Tensor(counts))
    theirs = torch.repeat_interleave(torch.tensor(counts))
    assert ours.dtype == np.int64
    np.testing.assert_array_equal(ours.data, theirs.numpy())


# -- central differences ---------------------------------------------------------------------

GRADCHECKS = {
    "split": (lambda x: joined(x.split([1, 2], 1)), [(2, 3)]),
    "roll": (lambda x: x.roll((1, -1), (0, 1)), [(2, 3)]),
    "tril": (lambda x: x.tril(-1) + x.triu(1), [(3, 3)]),
    "diag": (lambda x: x.diag(1), [(3,)]),
    "diagonal": (lambda x: x.diagonal(0, 0, 2), [(2, 3, 2)]),
    "repeat_interleave": (lambda x: x.repeat_interleave(Tensor(np.array([2, 0, 1])), 1), [(2, 3)]),
    "tile": (lambda x: x.tile((2, 1, 2)), [(2, 3)]),
    "baddbmm": (
        lambda a, b, c: a.baddbmm(b, c, beta=0.5, alpha=2.0),
        [(2, 2, 2), (2, 2, 3), (2, 3, 2)],
    ),
    "cross": (lambda a, b: a.cross(b, 0), [(3, 2), (3, 2)]),
    "gather": (lambda x: x.gather(1, np.array([[0, 0, 2], [1, 2, 2]])), [(2, 3)]),
    "scatter": (lambda x, s: x.scatter(1, np.array([[2, 0], [1, 0]]), s), [(2, 3), (2, 2)]),
    "index_add": (lambda x, s: x.index_add(0, [1, 1, 0], s, alpha=-2.0), [(2, 3), (3, 3)]),
    "masked_fill": (lambda x, v: x.masked_fill(np.array([True, False, True]), v), [(2, 3), ()]),
    "amax": (lambda x: x.amax(1), [(3, 4)]),
    "sort": (lambda x: x.sort(0, descending=True).values, [(3, 2)]),
    "topk": (lambda x: x.topk(2, 1).values, [(2, 4)]),
    "median": (lambda x: x.median(1).values + x.median(), [(2, 3)]),
    "norm": (lambda x: x.norm(3, 1) + x.norm() + x.norm(math.inf), [(2, 3)]),
    "matrix_norm": (lambda x: linalg.matrix_norm(x, 1) + linalg.matrix_norm(x), [(3, 2)]),
}


@pytest.mark.parametrize("name", list(GRADCHECKS))
def test_gradcheck_to_second_order(name):
    fn, arg_shapes = GRADCHECKS[name]
    torch_oracle.gradcheck_to_second_order(fn, arg_shapes, seed=len(name))


# -- edge cases: 0-d, empty and int inputs, as torch -------------------------------------------

_M, _I, _S, _E = (
    np.arange(6.0).reshape(2, 3),
    np.arange(6).reshape(2, 3),
    np.array(2.5),
    np.zeros((0, 3)),
)
EDGES = {
    "sort empty": (lambda m, x: x.sort(0), _E),
    "topk empty": (lambda m, x: x.topk(0, 0), _E),
    "argsort 0-d": (lambda m, x: x.argsort(), _S),
    "topk 0-d": (lambda m, x: x.topk(1), _S),
    "kthvalue 0-d": (lambda m, x: x.kthvalue(1), _S),
    "median 0-d dim": (lambda m, x: x.median(0), _S),
    "amax 0-d": (lambda m, x: x.amax(0), _S),
    "flip 0-d": (lambda m, x: x.flip(0), _S),
    "roll 0-d": (lambda m, x: x.roll(1), _S),
    "repeat 0-d": (lambda m, x: x.repeat(2, 3), _S),
    "repeat_interleave 0-d": (lambda m, x: x.repeat_interleave(3), _S),
    "gather 0-d": (lambda m, x: x.gather(0, m.tensor(0)), _S),
    "index_select 0-d": (lambda m, x: x.index_select(0, m.tensor([0])), _S),
    "index_select 0-d index": (lambda m, x: x.index_select(1, m.tensor(2)), _M),
    "scatter 0-d": (lambda m, x: x.scatter(0, m.tensor(0), m.tensor(7.0, dtype=m.float64)), _S),
    "norm empty": (lambda m, x: x.norm(), _E),
    "split 0 of empty": (lambda m, x: x.split(0, 0), _E),
    "narrow tensor start": (lambda m, x: x.narrow(1, m.tensor(1), 2), _M),
    "diagonal past the end": (lambda m, x: x.diagonal(5), _M),
    "tril past the end": (lambda m, x: x.tril(-7), _M),
    "amin of bools": (lambda m, x: (x > 2).amin(1), _I),
    "sort bools": (lambda m, x: (x > 2).sort(1, descending=True), _I),
    "median of ints": (lambda m, x: x.median(1), _I),
    "all of uint8": (lambda m, x: x.to(m.uint8).all(1), _I),
    "addmm vector input": (lambda m, x: m.addmm(x[0, :2], x[:, :2], x[:, :2]), _M),
    "outer int and float": (lambda m, x: m.outer(x[0], m.tensor([1.5, 2.0])), _I),
    "all of NaN": (lambda m, x: (x * float("nan")).all(), _M),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_edge_cases_as_torch(name):
    fn, array = EDGES[name]
    ours, theirs = fn(autograd, Tensor(array)), fn(torch, torch.tensor(array))
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        expected = b.detach().numpy()
        assert a.shape == expected.shape and a.dtype == expected.dtype
        np.testing.assert_array_equal(a.data, expected)
