"""Reductions against PyTorch (float64) and against central differences.

sum, mean, var, std, logsumexp, softmax, log_softmax, max, min, argmax and argmin over
hypothesis-drawn shapes (size-1 and empty dims included) and dims (None, ints, tuples, negative),
ties as torch breaks them, stability at ±1000, the fused rules against their compositions, and
errors.
"""

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
from autograd import Tensor, grad
from autograd.gradcheck import gradcheck
from autograd.ops.reduction import _log_softmax_composed, _softmax_composed

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
seeds = st.integers(0, 2**32 - 1)
TOL = {"rtol": 1e-9, "atol": 1e-12}
# torch warns when a slice has no more elements than the correction (nan, as here), or is empty
pytestmark = pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0")


check_against_torch = partial(
    torch_oracle.check_against_torch, tol=TOL, float64=True, detached_ok=False
)


def first_derivative(fn, v):
    """``x -> d/dx sum(fn(x) * v)``, recorded (gradcheck evaluates it under no_grad too)."""

    def derivative(x):
        with autograd.enable_grad():
            return grad((fn(x) * v).sum(), x, create_graph=True)[0]

    return derivative


@st.composite
def shape_and_dims(draw, shapes=shapes, single=False):
    """A shape and a dim for it: None (not when ``single``), an int, or a tuple of them."""
    shape = draw(shapes)
    rank = max(len(shape), 1)
    one = st.integers(-rank, rank - 1)
    if single:
        return shape, draw(one)
    if not shape:
        return shape, draw(st.one_of(st.none(), one))
    many = st.lists(st.integers(0, rank - 1), min_size=1, max_size=rank, unique=True).map(
        lambda ds: tuple(d - rank if i % 2 else d for i, d in enumerate(ds))  # some negative
    )
    return shape, draw(st.one_of(st.none(), one, many))


# name -> (ours(a, dim, keepdim), torch's)
REDUCTIONS = {
    "sum": (lambda a, d, k: a.sum(d, keepdim=k), lambda a, d, k: a.sum(
        tuple(range(a.ndim)) if d is None else d, keepdim=k)),
    "mean": (lambda a, d, k: a.mean(d, keepdim=k), lambda a, d, k: a.mean(
        tuple(range(a.ndim)) if d is None else d, keepdim=k)),
    "var": (lambda a, d, k: a.var(d, keepdim=k), lambda a, d, k: a.var(d, keepdim=k)),
    "var_biased": (lambda a, d, k: a.var(d, unbiased=False, keepdim=k),
                   lambda a, d, k: a.var(d, unbiased=False, keepdim=k)),
    "var_correction2": (lambda a, d, k: a.var(d, correction=2, keepdim=k),
                        lambda a, d, k: a.var(d, correction=2, keepdim=k)),
    "std": (lambda a, d, k: a.std(d, keepdim=k), lambda a, d, k: a.std(d, keepdim=k)),
    "std_biased": (lambda a, d, k: a.std(d, correction=0, keepdim=k),
                   lambda a, d, k: a.std(d, correction=0, keepdim=k)),
    "logsumexp": (lambda a, d, k: a.logsumexp(d, keepdim=k), lambda a, d, k: a.logsumexp(
        tuple(range(a.ndim)) if d is None else d, keepdim=k)),
}  # fmt: skip


def _count(shape, dim):
    if dim is None:
        return int(np.prod(shape))
    dims = (dim,) if isinstance(dim, int) else dim
    return int(np.prod([shape[d] for d in dims])) if shape else 1


def _defined(name, shape, dim):
    """var/std need more elements than the correction, mean and logsumexp at least one."""
    n = _count(shape, dim)
    if name.startswith(("var", "std")):
        return n > (2 if name.endswith("correction2") else 0 if "biased" in name else 1)
    if name in ("mean", "logsumexp"):
        return n > 0  # else nan, or -inf
    return True


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@settings(max_examples=25, deadline=None)
@given(case=shape_and_dims(), keepdim=st.booleans(), seed=seeds)
def test_reductions_against_torch(name, case, keepdim, seed):
    shape, dim = case
    if not _defined(name, shape, dim):
        return  # the degenerate cases are checked in test_degenerate_reductions
    ours, theirs = REDUCTIONS[name]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    check_against_torch(lambda a: ours(a, dim, keepdim), lambda a: theirs(a, dim, keepdim), [x],
                        rng)  # fmt: skip


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@settings(max_examples=8, deadline=None)
@given(case=shape_and_dims(shapes=small_shapes), keepdim=st.booleans(), seed=seeds)
def test_reductions_gradcheck(name, case, keepdim, seed):
    shape, dim = case
    if not _defined(name, shape, dim) or (name.startswith("std") and _count(shape, dim) < 2):
        return  # std of one element (correction 0) is 0: its gradient is torch's 0, not a limit
    ours, _ = REDUCTIONS[name]
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    fn = lambda a: ours(a, dim, keepdim)  # noqa: E731
    assert gradcheck(fn, x)
    out_shape = fn(x).shape
    assert gradcheck(first_derivative(fn, Tensor(rng.standard_normal(out_shape))), x)


def test_degenerate_reductions():
    x = np.arange(6.0).reshape(2, 3, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about the degrees of freedom
        for ours, theirs in [
            (lambda a: a.mean(dim=(0, 1)), lambda a: a.mean(dim=(0, 1))),
            (lambda a: a.var(2), lambda a: a.var(2)),  # one element, correction 1: nan
            (lambda a: a.var(1, correction=3), lambda a: a.var(1, correction=3)),  # 0/0 and x/0
            (lambda a: a.std(2), lambda a: a.std(2)),
        ]:
            out, expected = ours(Tensor(x)), theirs(torch.tensor(x))
            np.testing.assert_array_equal(out.data, expected.numpy())
    empty = Tensor(np.zeros((2, 0)))
    assert np.isnan(empty.mean().item())  # mean over zero elements is nan, as torch
    assert np.isnan(empty.mean(1).data).all() and empty.mean(0).shape == (0,)
    assert empty.sum().item() == 0
    np.testing.assert_array_equal(empty.logsumexp(1).data, [-np.inf, -np.inf])


def test_std_of_a_constant_slice_has_zero_gradient_as_torch():
    x = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]])
    for correction in (0, 1):
        check_against_torch(
            lambda a, c=correction: a.std(1, correction=c),
            lambda a, c=correction: a.std(1, correction=c),
            [x],
            np.random.default_rng(correction),
        )


def test_var_and_std_arguments():
    x = Tensor(np.arange(12.0).reshape(3, 4))
    t = torch.arange(12.0, dtype=torch.float64).reshape(3, 4)
    np.testing.assert_allclose(x.var().item(), t.var().item())
    np.testing.assert_allclose(x.var(axis=1, keepdims=True).data, t.var(1, keepdim=True))
    np.testing.assert_allclose(x.std(0, unbiased=True).data, t.std(0, unbiased=True))
    np.testing.assert_allclose(x.std(0, correction=0).data, t.std(0, correction=0))
    np.testing.assert_allclose(x.mean(axis=(0, 1)).data, t.mean())
    with pytest.raises(ValueError, match="cannot specify both correction and unbiased"):
        x.var(0, correction=1, unbiased=True)
    with pytest.raises(TypeError, match="mean\\(\\): could not infer output dtype.*int64"):
        Tensor([1, 2]).mean()
    with pytest.raises(TypeError, match="var\\(\\): expected a floating point tensor.*float"):
        Tensor([1, 2]).var()


# -- softmax, log_softmax: fused rules -----------------------------------------------------


SOFTMAXES = {
    "softmax": (lambda a, d: a.softmax(d), lambda a, d: a.softmax(d)),
    "log_softmax": (lambda a, d: a.log_softmax(d), lambda a, d: a.log_softmax(d)),
}
# the same functions composed from primitives: what the fused rules must agree with
COMPOSED = {"softmax": _softmax_composed, "log_softmax": _log_softmax_composed}


@pytest.mark.parametrize("name", sorted(SOFTMAXES))
@settings(max_examples=25, deadline=None)
@given(case=shape_and_dims(single=True), seed=seeds, scale=st.sampled_from([1.0, 30.0]))
def test_softmax_against_torch(name, case, seed, scale):
    shape, dim = case
    ours, theirs = SOFTMAXES[name]
    rng = np.random.default_rng(seed)
    x = scale * rng.standard_normal(shape)
    check_against_torch(lambda a: ours(a, dim), lambda a: theirs(a, dim), [x], rng)


@pytest.mark.parametrize("name", sorted(SOFTMAXES))
@settings(max_examples=8, deadline=None)
@given(case=shape_and_dims(shapes=small_shapes, single=True), seed=seeds)
def test_softmax_gradcheck(name, case, seed):
    shape, dim = case
    ours, _ = SOFTMAXES[name]
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda a: ours(a, dim), x)
    v = Tensor(rng.standard_normal(shape))
    assert gradcheck(first_derivative(lambda a: ours(a, dim), v), x)


@pytest.mark.parametrize("name", sorted(SOFTMAXES))
@settings(max_examples=25, deadline=None)
@given(case=shape_and_dims(single=True), seed=seeds)
def test_fused_softmax_equals_its_composition(name, case, seed):
    shape, dim = case
    fused, composed = SOFTMAXES[name][0], COMPOSED[name]
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    w, v = rng.standard_normal(shape), Tensor(rng.standard_normal(shape))
    results = []
    for fn in (fused, composed):
        y = fn(x, dim)
        (g,) = grad((y * y * Tensor(w)).sum(), x, create_graph=True)
        (h,) = grad((g * v).sum(), x)
        results.append((y.data, g.data, h.data))
    for ours, composition in zip(*results):
        np.testing.assert_allclose(ours, composition, rtol=1e-9, atol=1e-12)


def test_fused_rules_record_one_node():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    assert x.softmax(1).op == "softmax" and x.softmax(1).parents == (x,)
    assert x.log_softmax(-1).op == "log_softmax"


def test_stable_at_extremes():
    for dtype in (np.float32, np.float64):
        data = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -999.0]], dtype=dtype)
        x = Tensor(data, requires_grad=True)
        t = torch.tensor(data.astype(np.float64))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow warnings
            for ours, theirs in [
                (lambda a: a.softmax(1), lambda a: a.softmax(1)),
                (lambda a: a.log_softmax(1), lambda a: a.log_softmax(1)),
                (lambda a: a.logsumexp(1), lambda a: a.logsumexp(1)),
                (lambda a: a.logsumexp((0, 1)), lambda a: a.logsumexp((0, 1))),
                (lambda a: a.softmax(0), lambda a: a.softmax(0)),
            ]:
                y = ours(x)
                assert y.dtype == dtype
                assert np.isfinite(y.data).all()
                np.testing.assert_allclose(y.data, theirs(t).numpy(), rtol=1e-6, atol=1e-30)
                (g,) = grad((y * Tensor(np.ones(y.shape, dtype))).sum(), x, create_graph=True)
                (h,) = grad((g * g).sum(), x)
                assert np.isfinite(g.data).all() and np.isfinite(h.data).all()


def test_logsumexp_of_infinities_as_torch():
    x = np.array([[-np.inf, -np.inf], [np.inf, 1.0], [-np.inf, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = Tensor(x).logsumexp(1).data
    np.testing.assert_array_equal(ours, torch.tensor(x).logsumexp(1).numpy())


# -- max, min, argmax, argmin -------------------------------------------------------------


def few_values(rng, shape):
    """Values drawn from three numbers: many ties."""
    return rng.integers(-1, 2, shape).astype(float)


@pytest.mark.parametrize("name", ["max", "min"])
@settings(max_examples=25, deadline=None)
@given(shape=shapes.filter(lambda s: np.prod(s) > 0), seed=seeds, ties=st.booleans())
def test_max_of_all_against_torch(name, shape, seed, ties):
    # ties share the gradient evenly, as torch's max()
    rng = np.random.default_rng(seed)
    x = few_values(rng, shape) if ties else rng.standard_normal(shape)
    fn = lambda a: getattr(a, name)()  # noqa: E731
    check_against_torch(fn, fn, [x], rng)


@pytest.mark.parametrize("name", ["max", "min"])
@settings(max_examples=25, deadline=None)
@given(case=shape_and_dims(single=True), keepdim=st.booleans(), seed=seeds, ties=st.booleans())
def test_max_along_dim_against_torch(name, case, keepdim, seed, ties):
    # ties: the gradient goes to the one element whose index is returned, the first
    shape, dim = case
    if shape and shape[dim] == 0:
        return  # an error, checked in test_errors
    rng = np.random.default_rng(seed)
    x = few_values(rng, shape) if ties else rng.standard_normal(shape)
    ours = getattr(Tensor(x), name)(dim, keepdim=keepdim)
    expected = getattr(torch.tensor(x), name)(dim, keepdim=keepdim)
    assert ours.indices.dtype == np.int64 and not ours.indices.requires_grad
    np.testing.assert_array_equal(ours.indices.data, expected.indices.numpy())
    np.testing.assert_array_equal(ours.values.data, expected.values.numpy())
    fn = lambda a: getattr(a, name)(dim, keepdim=keepdim).values  # noqa: E731
    check_against_torch(fn, fn, [x], rng)


@pytest.mark.parametrize("name", ["max", "min"])
@settings(max_examples=8, deadline=None)
@given(case=shape_and_dims(shapes=small_shapes, single=True), seed=seeds)
def test_max_gradcheck(name, case, seed):
    shape, dim = case
    rng = np.random.default_rng(seed)
    distinct = rng.permutation(np.prod(shape, dtype=int)).reshape(shape) / 10.0  # no ties
    x = Tensor(np.asarray(distinct, dtype=np.float64), requires_grad=True)
    assert gradcheck(lambda a: getattr(a, name)(), x)
    assert gradcheck(lambda a: getattr(a, name)(dim).values, x)
    assert gradcheck(lambda a: getattr(a, name)(dim, keepdim=True).values, x)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@settings(max_examples=25, deadline=None)
@given(case=shape_and_dims(single=True), keepdim=st.booleans(), seed=seeds, ties=st.booleans())
def test_argmax_against_torch(name, case, keepdim, seed, ties):
    shape, dim = case
    rng = np.random.default_rng(seed)
    x = few_values(rng, shape) if ties else rng.standard_normal(shape)
    t = torch.tensor(x)
    if np.prod(shape) > 0:
        flat = getattr(Tensor(x), name)()
        assert flat.dtype == np.int64 and flat.shape == ()
        assert flat.item() == getattr(t, name)().item()
        assert getattr(Tensor(x), name)(keepdim=True).shape == (1,) * len(shape)
    if not shape or shape[dim] > 0:
        ours = getattr(Tensor(x), name)(dim, keepdim=keepdim)
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.data, getattr(t, name)(dim, keepdim=keepdim).numpy())


def test_max_returns_values_and_indices_as_torch():
    x = Tensor([[1.0, 5.0, 5.0], [7.0, 0.0, 7.0]], requires_grad=True)
    result = x.max(1)
    values, indices = result
    assert result.values is values and result.indices is indices
    np.testing.assert_array_equal(values.data, [5.0, 7.0])
    np.testing.assert_array_equal(indices.data, [1, 0])
    assert values.op == "max" and x.min(0).values.op == "min"
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 1, 0], [1, 0, 0]])
    x.grad = None
    x.max().backward()  # two maxima of 7: half each
    np.testing.assert_array_equal(x.grad.data, [[0, 0, 0], [0.5, 0, 0.5]])
    assert x.max(axis=0).values.shape == (3,)
    np.testing.assert_array_equal(x.max(Tensor([6.0, 6.0, 6.0])).data, [[6, 6, 6], [7, 6, 7]])
    scalar = Tensor(3.0).max(0)
    assert scalar.values.item() == 3.0 and scalar.indices.item() == 0


def test_max_with_nan_picks_the_nan_as_torch():
    x = np.array([[1.0, np.nan, 3.0], [2.0, 1.0, 0.0]])
    ours, theirs = Tensor(x).max(1), torch.tensor(x).max(1)
    np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
    np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())
    assert np.isnan(Tensor(x).max().item())
    xt = Tensor(x, requires_grad=True)
    xt.max().backward()
    np.testing.assert_array_equal(xt.grad.data, [[0, 1, 0], [0, 0, 0]])


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, dim",
    [
        (lambda x: x.sum(2), "2"),
        (lambda x: x.mean(-3), "-3"),
        (lambda x: x.var((0, 5)), "5"),
        (lambda x: x.std(2), "2"),
        (lambda x: x.logsumexp(2), "2"),
        (lambda x: x.softmax(2), "2"),
        (lambda x: x.log_softmax(-3), "-3"),
        (lambda x: x.max(2), "2"),
        (lambda x: x.min(-3), "-3"),
        (lambda x: x.argmax(2), "2"),
        (lambda x: x.argmin(-3), "-3"),
    ],
)
def test_bad_dims_name_the_dim_and_the_rank(call, dim):
    with pytest.raises(IndexError, match=rf"dimension {dim} is out of range .* 2 dimensions"):
        call(Tensor(np.ones((2, 3))))


def test_errors():
    x = Tensor(np.ones((0, 2)))
    with pytest.raises(ValueError, match="max\\(\\): Expected reduction dim to be specified"):
        x.max()
    with pytest.raises(IndexError, match="max\\(\\): Expected reduction dim 0 to have non-zero"):
        x.max(0)
    with pytest.raises(IndexError, match="argmin\\(\\): Expected reduction dim 0 to have non-zero"):
        x.argmin(0)
    with pytest.raises(ValueError, match="argmax\\(\\): Expected reduction dim to be specified"):
        x.argmax()
    y = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError, match="max\\(\\): dim must be an int, got \\(0, 1\\)"):
        y.max((0, 1))
    with pytest.raises(TypeError, match="softmax: dim must be an int"):
        y.softmax((0, 1))
    with pytest.raises(TypeError, match="softmax\\(\\): expected a floating point.*int64"):
        Tensor([1, 2]).softmax(0)
    with pytest.raises(TypeError, match="pass dim or axis, not both"):
        y.max(0, axis=1)
