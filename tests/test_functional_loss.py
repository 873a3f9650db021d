"""nn.functional losses against torch.nn.functional (float64) and central differences.

mse_loss, l1_loss, binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy
(class indices and class probabilities, weight, ignore_index, label_smoothing), nll_loss,
hinge_embedding_loss and svm_max_margin_loss: forward, gradients for a random upstream
gradient (into targets too, where torch has them) and second order, over hypothesis-drawn
shapes, reductions and options; gradcheck; stability at logits of ±1000; every error.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn.functional as F
from autograd import Tensor, enable_grad, grad
from autograd.gradcheck import gradcheck
from nn.functional.loss import (
    BinaryCrossEntropy,
    CrossEntropy,
    _binary_cross_entropy_composed,
    _cross_entropy_composed,
)

seeds = st.integers(0, 2**32 - 1)
reductions = st.sampled_from(["mean", "sum", "none"])
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
TOL = {"rtol": 1e-10, "atol": 1e-12}


def assert_close(actual, expected, tol=TOL):
    """Elementwise within ``rtol``, and within ``atol`` times the largest magnitude: a sum of
    large terms that cancel (as second derivatives of losses are) keeps the rounding error of
    its terms."""
    expected = np.asarray(expected)
    scale = max(1.0, float(np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=tol["rtol"], atol=tol["atol"] * scale)


def check_against_torch(ours, theirs, arrays, rng, tol=TOL, second_oracle=None):
    """Compare the forward, a VJP with a random upstream gradient, and a second-order VJP
    (of L = sum(w * loss^2), dotted with random v) for every differentiable input in ``arrays``.

    ``second_oracle`` replaces ``theirs`` for the second order, where torch's own double
    backward is an approximation."""
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = ours(*xs), theirs(*ts)
    assert out.shape == tuple(expected.shape)
    assert out.dtype == np.float64
    assert_close(out.data, expected.detach().numpy(), tol)

    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    for x, t in zip(xs, ts):
        assert_close(x.grad.data, t.grad.numpy(), tol)

    w = rng.standard_normal(out.shape)
    vs = [rng.standard_normal(a.shape) for a in arrays]
    y = ours(*xs)
    firsts = grad((y * y * Tensor(w)).sum(), xs, create_graph=True)
    seconds = grad(sum((f * Tensor(v)).sum() for f, v in zip(firsts, vs)), xs, allow_unused=True)
    ty = (second_oracle or theirs)(*ts)
    tfirsts = torch.autograd.grad((ty * ty * torch.tensor(w)).sum(), ts, create_graph=True)
    tseconds = torch.autograd.grad(
        sum((f * torch.tensor(v)).sum() for f, v in zip(tfirsts, vs)), ts, allow_unused=True
    )
    for first, tfirst in zip(firsts, tfirsts):
        assert_close(first.data, tfirst.detach().numpy(), tol)
    for x, second, tsecond in zip(xs, seconds, tseconds):
        second = np.zeros(x.shape) if second is None else second.data
        tsecond = np.zeros(x.shape) if tsecond is None else tsecond.numpy()
        assert_close(second, tsecond, tol)


def gradient_of(fn):
    """``x -> d sum(fn(x)) / dx``, recorded, for gradcheck of second derivatives."""

    def gradient(*xs):
        with enable_grad():  # gradcheck runs its central differences under no_grad
            return grad(fn(*xs).sum(), xs[0], create_graph=True)[0]

    return gradient


# -- regression ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@settings(max_examples=30, deadline=None)
@given(data=st.data(), reduction=reductions, weighted=st.booleans(), seed=seeds)
def test_regression_losses_match_torch(name, data, reduction, weighted, seed):
    rng = np.random.default_rng(seed)
    shape = data.draw(shapes)
    x, t = rng.standard_normal(shape), rng.standard_normal(shape)
    if name == "l1_loss":  # away from the kink of |x - t|, where torch's slope is 0 as ours
        t = np.where(np.abs(x - t) < 1e-3, t + 0.1, t)
    weight = rng.uniform(0.1, 2, shape) if weighted else None
    tweight = None if weight is None else torch.tensor(weight)
    ours, theirs = getattr(F, name), getattr(TF, name)
    check_against_torch(
        lambda a, b: ours(a, b, reduction=reduction, weight=weight),
        lambda a, b: theirs(a, b, reduction=reduction, weight=tweight),
        [x, t],
        rng,
    )


def test_regression_losses_take_numpy_targets_in_the_inputs_dtype():
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3), requires_grad=True)
    target = np.ones((2, 3))  # float64
    for loss in (F.mse_loss, F.l1_loss):
        out = loss(x, target)
        assert out.dtype == np.float32
        expected = getattr(TF, loss.__name__)(torch.tensor(x.data), torch.ones(2, 3))
        assert out.item() == pytest.approx(expected.item())
    assert F.l1_loss(x, x.data.copy(), reduction="none").data.sum() == 0


def test_l1_loss_slope_is_zero_where_input_equals_target():
    x = Tensor([1.0, 2.0], requires_grad=True, dtype=np.float64)
    F.l1_loss(x, np.array([1.0, 0.0])).backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.5])


# -- binary cross-entropy -----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(data=st.data(), reduction=reductions, weighted=st.booleans(), seed=seeds)
def test_binary_cross_entropy_matches_torch(data, reduction, weighted, seed):
    rng = np.random.default_rng(seed)
    shape = data.draw(shapes)
    x = rng.uniform(0.01, 0.99, shape)
    t = rng.uniform(0, 1, shape)
    weight = rng.uniform(0.1, 2, shape[-1:]) if weighted else None  # broadcasts
    tweight = None if weight is None else torch.tensor(weight)

    def composed(a, b):
        # torch's double backward adds 1e-12 to x and 1 - x: off by ~1e-12 / x relative, so
        # second derivatives are checked against the composition's exact ones
        loss = -(b * a.log() + (1 - b) * (1 - a).log()) * (1 if tweight is None else tweight)
        return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]

    check_against_torch(
        lambda a, b: F.binary_cross_entropy(a, b, weight, reduction=reduction),
        lambda a, b: TF.binary_cross_entropy(a, b, tweight, reduction=reduction),
        [x, t],
        rng,
        second_oracle=composed,
    )


def test_binary_cross_entropy_at_probabilities_0_and_1_is_torchs():
    """Each log clamped at -100; the slope is (x - t) / max(x (1 - x), 1e-12), finite."""
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-30, 0.5])
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.3, 0.5])
    ours = Tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    out = F.binary_cross_entropy(ours, t, reduction="none")
    expected = TF.binary_cross_entropy(theirs, torch.tensor(t), reduction="none")
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), **TOL)
    assert out.data[0] == 100 and np.all(np.isfinite(ours.grad.data))


def test_binary_cross_entropy_rule_matches_the_composition():
    """The fused rule against -(t log x + (1 - t) log(1 - x)) built from primitives."""
    rng = np.random.default_rng(5)
    x = Tensor(rng.uniform(0.05, 0.95, (3, 4)), requires_grad=True)
    t = Tensor(rng.uniform(0, 1, (3, 4)), requires_grad=True)

    composed = _binary_cross_entropy_composed  # -(t log x + (1 - t) log(1 - x))

    fused = BinaryCrossEntropy.apply(x, t)
    np.testing.assert_allclose(fused.data, composed(x, t).data, **TOL)
    g = Tensor(rng.standard_normal((3, 4)))
    for a, b in zip(grad(fused, [x, t], g), grad(composed(x, t), [x, t], g)):
        np.testing.assert_allclose(a.data, b.data, **TOL)
    assert gradcheck(lambda x, t: BinaryCrossEntropy.apply(x, t), (x, t))
    assert gradcheck(gradient_of(lambda x, t: BinaryCrossEntropy.apply(x, t)), (x, t))


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    reduction=reductions,
    weighted=st.booleans(),
    pos_weighted=st.booleans(),
    seed=seeds,
)
def test_binary_cross_entropy_with_logits_matches_torch(
    data, reduction, weighted, pos_weighted, seed
):
    rng = np.random.default_rng(seed)
    shape = data.draw(shapes)
    x = rng.standard_normal(shape) * 4
    t = rng.uniform(0, 1, shape)
    weight = rng.uniform(0.1, 2, shape) if weighted else None
    pos_weight = rng.uniform(0.1, 3, shape[-1:]) if pos_weighted else None
    tw = None if weight is None else torch.tensor(weight)
    tpw = None if pos_weight is None else torch.tensor(pos_weight)
    check_against_torch(
        lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, weight, reduction=reduction, pos_weight=pos_weight
        ),
        lambda a, b: TF.binary_cross_entropy_with_logits(
            a, b, tw, reduction=reduction, pos_weight=tpw
        ),
        [x, t],
        rng,
    )


def test_binary_cross_entropy_with_logits_is_stable_at_1000():
    x = np.array([-1000.0, -1000.0, 1000.0, 1000.0, -40.0, 40.0])
    t = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 1.0])
    pos_weight = np.full(6, 2.5)
    for pw in (None, pos_weight):
        ours = Tensor(x, requires_grad=True)
        theirs = torch.tensor(x, requires_grad=True)
        out = F.binary_cross_entropy_with_logits(ours, t, reduction="none", pos_weight=pw)
        expected = TF.binary_cross_entropy_with_logits(
            theirs,
            torch.tensor(t),
            reduction="none",
            pos_weight=None if pw is None else torch.tensor(pw),
        )
        out.sum().backward()
        expected.sum().backward()
        assert np.all(np.isfinite(out.data)) and np.all(np.isfinite(ours.grad.data))
        np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), **TOL)
    assert out.data[1] == pytest.approx(2500.0)  # log(sigmoid(-1000)) is -1000, weighed 2.5


# -- cross-entropy and nll --------------------------------------------------------------------


def draw_classification(data, rng, spatial: bool):
    """(logits, class indices, C) with input (N, C, *) or, sometimes, unbatched (C,)."""
    classes = data.draw(st.integers(1, 5), label="C")
    if data.draw(st.booleans(), label="unbatched") and not spatial:
        shape, target_shape = (classes,), ()
    else:
        n = data.draw(st.integers(1, 4), label="N")
        extra = data.draw(st.lists(st.integers(1, 3), max_size=2), label="d") if spatial else []
        shape, target_shape = (n, classes, *extra), (n, *extra)
    x = rng.standard_normal(shape) * 3
    indices = rng.integers(0, classes, target_shape)
    return x, indices, classes


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    reduction=reductions,
    weighted=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.1, 1.0]),
    ignore=st.sampled_from(["none", "default", "in_range"]),
    spatial=st.booleans(),
    seed=seeds,
)
def test_cross_entropy_with_class_indices_matches_torch(
    data, reduction, weighted, smoothing, ignore, spatial, seed
):
    rng = np.random.default_rng(seed)
    x, indices, classes = draw_classification(data, rng, spatial)
    ignore_index = -100
    if ignore == "default":  # some targets set to the default ignore_index
        indices = np.where(rng.random(indices.shape) < 0.3, -100, indices)
    elif ignore == "in_range":  # a real class ignored
        ignore_index = int(rng.integers(0, classes))
    weight = rng.uniform(0.1, 2, classes) if weighted else None
    tw = None if weight is None else torch.tensor(weight)
    kwargs = {"ignore_index": ignore_index, "reduction": reduction, "label_smoothing": smoothing}
    target = Tensor(indices) if data.draw(st.booleans(), label="Tensor target") else indices
    check_against_torch(
        lambda a: F.cross_entropy(a, target, weight, **kwargs),
        lambda a: TF.cross_entropy(a, torch.tensor(indices), tw, **kwargs),
        [x],
        rng,
    )


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    reduction=reductions,
    weighted=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.1, 1.0]),
    ignore=st.sampled_from(["none", "default", "in_range", "all"]),
    spatial=st.booleans(),
    seed=seeds,
)
def test_cross_entropy_rule_matches_the_composition(
    data, reduction, weighted, smoothing, ignore, spatial, seed
):
    """The fused CrossEntropy rule against log_softmax + nll (+ smoothing) built from
    primitives: forward, a VJP, and a second-order VJP through create_graph=True."""
    rng = np.random.default_rng(seed)
    x, indices, classes = draw_classification(data, rng, spatial)
    ignore_index = -100
    if ignore == "default":
        indices = np.where(rng.random(indices.shape) < 0.3, -100, indices)
    elif ignore == "in_range":
        ignore_index = int(rng.integers(0, classes))
    elif ignore == "all":
        indices = np.full(indices.shape, -100)
    weight = rng.uniform(0.1, 2, classes) if weighted else None
    kwargs = {"ignore_index": ignore_index, "reduction": reduction, "label_smoothing": smoothing}

    def fused(a):
        return F.cross_entropy(a, indices, weight, **kwargs)

    def composed(a):
        return _cross_entropy_composed(a, indices, weight, **kwargs)

    a = Tensor(x, requires_grad=True)
    out, expected = fused(a), composed(a)
    node = out if x.ndim > 1 or reduction != "none" else out.parents[0]  # (C,): reshaped
    assert node._fn is CrossEntropy
    assert out.shape == expected.shape and out.dtype == expected.dtype
    assert_close(out.data, expected.data)

    g = Tensor(rng.standard_normal(out.shape))
    (first,) = grad(out, [a], g)
    (expected_first,) = grad(expected, [a], g)
    assert_close(first.data, expected_first.data)

    w, v = Tensor(rng.standard_normal(out.shape)), Tensor(rng.standard_normal(x.shape))
    seconds = []
    for loss in (fused, composed):
        y = loss(a)
        (f,) = grad((y * y * w).sum(), [a], create_graph=True)
        (second,) = grad((f * v).sum(), [a])
        seconds.append((f.data, second.data))
    assert_close(seconds[0][0], seconds[1][0])
    assert_close(seconds[0][1], seconds[1][1])


def test_cross_entropy_rule_gradcheck_to_second_order():
    rng = np.random.default_rng(9)
    x = Tensor(rng.standard_normal((3, 4, 2)), requires_grad=True)
    target = np.array([[0, 3], [-100, 1], [2, 2]])
    weight = np.array([1.0, 2.0, 0.5, 1.5])
    for reduction in ("mean", "sum", "none"):

        def loss(x, reduction=reduction):
            return F.cross_entropy(x, target, weight, reduction=reduction, label_smoothing=0.3)

        assert gradcheck(loss, x)
        assert gradcheck(gradient_of(loss), x)


def test_cross_entropy_float32_rule_matches_the_composition():
    rng = np.random.default_rng(10)
    x = Tensor(rng.standard_normal((128, 10)).astype(np.float32), requires_grad=True)
    target = rng.integers(0, 10, 128)
    out, expected = F.cross_entropy(x, target), _cross_entropy_composed(x, target)
    assert out.dtype == expected.dtype == np.float32
    np.testing.assert_allclose(out.data, expected.data, rtol=1e-5)
    (ours,), (theirs,) = grad(out, [x]), grad(expected, [x])
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.data, theirs.data, rtol=1e-4, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    reduction=reductions,
    weighted=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.2]),
    spatial=st.booleans(),
    seed=seeds,
)
def test_cross_entropy_with_class_probabilities_matches_torch(
    data, reduction, weighted, smoothing, spatial, seed
):
    rng = np.random.default_rng(seed)
    x, _, classes = draw_classification(data, rng, spatial)
    class_dim = 0 if x.ndim == 1 else 1
    probs = rng.random(x.shape)
    probs /= probs.sum(axis=class_dim, keepdims=True)
    weight = rng.uniform(0.1, 2, classes) if weighted else None
    tw = None if weight is None else torch.tensor(weight)
    kwargs = {"reduction": reduction, "label_smoothing": smoothing}
    check_against_torch(  # the gradient reaches the target probabilities too
        lambda a, p: F.cross_entropy(a, p, weight, **kwargs),
        lambda a, p: TF.cross_entropy(a, p, tw, **kwargs),
        [x, probs],
        rng,
    )


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    reduction=reductions,
    weighted=st.booleans(),
    ignore=st.booleans(),
    spatial=st.booleans(),
    seed=seeds,
)
def test_nll_loss_matches_torch(data, reduction, weighted, ignore, spatial, seed):
    rng = np.random.default_rng(seed)
    x, indices, classes = draw_classification(data, rng, spatial)
    if ignore:
        indices = np.where(rng.random(indices.shape) < 0.3, 7, indices)
    weight = rng.uniform(0.1, 2, classes) if weighted else None
    tw = None if weight is None else torch.tensor(weight)
    kwargs = {"ignore_index": 7, "reduction": reduction}
    check_against_torch(  # any input, not only log-probabilities
        lambda a: F.nll_loss(a, indices, weight, **kwargs),
        lambda a: TF.nll_loss(a, torch.tensor(indices), tw, **kwargs),
        [x],
        rng,
    )


@pytest.mark.parametrize("logit", [1000.0, -1000.0])
def test_cross_entropy_is_stable_at_1000(logit):
    x = np.array([[logit, 0.0, -logit], [logit, logit, 0.0], [0.0, -logit, -logit]])
    targets = [np.array([0, 2, 1]), np.eye(3)[[2, 0, 1]] * 0.8 + 0.2 / 3]
    for target in targets:
        for smoothing in (0.0, 0.1):
            ours = Tensor(x, requires_grad=True)
            theirs = torch.tensor(x, requires_grad=True)
            out = F.cross_entropy(ours, target, reduction="none", label_smoothing=smoothing)
            expected = TF.cross_entropy(
                theirs, torch.tensor(target), reduction="none", label_smoothing=smoothing
            )
            out.sum().backward()
            expected.sum().backward()
            assert np.all(np.isfinite(out.data)) and np.all(np.isfinite(ours.grad.data))
            np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOL)
            np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), **TOL)


def test_cross_entropy_with_every_target_ignored_is_nan_with_zero_gradient_as_torch():
    x = np.random.default_rng(6).standard_normal((3, 4))
    for kwargs in ({}, {"label_smoothing": 0.1}):
        ours = Tensor(x, requires_grad=True)
        out = F.cross_entropy(ours, np.full(3, -100), **kwargs)
        out.backward()
        assert np.isnan(out.item())
        np.testing.assert_array_equal(ours.grad.data, np.zeros((3, 4)))


def test_cross_entropy_float32_stays_float32():
    x = Tensor(np.random.default_rng(7).standard_normal((4, 3)).astype(np.float32))
    x.requires_grad_()
    for target in (np.array([0, 1, 2, 0]), np.full((4, 3), 1 / 3)):
        for weight in (None, np.array([1.0, 2.0, 0.5])):
            out = F.cross_entropy(x, target, weight, label_smoothing=0.1)
            assert out.dtype == np.float32
            out.backward()
            assert x.grad.dtype == np.float32


@pytest.mark.parametrize(
    "loss, make_target",
    [
        (lambda x, t: F.cross_entropy(x, t), lambda rng: rng.integers(0, 4, 3)),
        (lambda x, t: F.cross_entropy(x, t, label_smoothing=0.2), lambda rng: rng.random((3, 4))),
        (
            lambda x, t: F.cross_entropy(x, t, np.array([1.0, 2.0, 0.5, 1.0])),
            lambda rng: np.array([0, 1, -100]),
        ),
        (lambda x, t: F.nll_loss(x.log_softmax(1), t), lambda rng: rng.integers(0, 4, 3)),
        (lambda x, t: F.mse_loss(x, t), lambda rng: rng.standard_normal((3, 4))),
        (
            lambda x, t: F.binary_cross_entropy(x.sigmoid(), t),
            lambda rng: rng.random((3, 4)),
        ),
        (
            lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=np.full(4, 2.0)),
            lambda rng: rng.random((3, 4)),
        ),
    ],
    ids=["ce", "ce_probs", "ce_weight_ignore", "nll", "mse", "bce", "bce_logits"],
)
def test_losses_gradcheck_to_second_order(loss, make_target):
    rng = np.random.default_rng(8)
    x = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    target = make_target(rng)
    assert gradcheck(lambda x: loss(x, target), x)
    assert gradcheck(gradient_of(lambda x: loss(x, target)), x)


# -- margins ------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.data(), reduction=reductions, margin=st.sampled_from([1.0, 0.5]), seed=seeds)
def test_hinge_embedding_loss_matches_torch(data, reduction, margin, seed):
    rng = np.random.default_rng(seed)
    shape = data.draw(shapes)
    x = rng.standard_normal(shape)
    x = np.where(np.abs(margin - x) < 1e-3, x + 0.1, x)
    target = rng.choice([-1.0, 1.0, 0.0], shape)  # torch gives a 0 target both terms
    check_against_torch(
        lambda a: F.hinge_embedding_loss(a, target, margin, reduction=reduction),
        lambda a: TF.hinge_embedding_loss(a, torch.tensor(target), margin, reduction=reduction),
        [x],
        rng,
    )


@settings(max_examples=30, deadline=None)
@given(data=st.data(), reduction=reductions, seed=seeds)
def test_svm_max_margin_loss_is_micrograds(data, reduction, seed):
    rng = np.random.default_rng(seed)
    shape = data.draw(shapes)
    scores = rng.standard_normal(shape) * 2
    y = rng.choice([-1, 1], shape)  # integer labels are fine
    reduce = {"mean": torch.mean, "sum": torch.sum, "none": lambda t: t}[reduction]
    check_against_torch(
        lambda s: F.svm_max_margin_loss(s, y, reduction=reduction),
        lambda s: reduce(torch.relu(1 - torch.tensor(y, dtype=torch.float64) * s)),
        [scores],
        rng,
    )


def test_svm_max_margin_loss_gradcheck():
    rng = np.random.default_rng(9)
    y = rng.choice([-1.0, 1.0], (3, 4))
    scores = rng.standard_normal((3, 4))
    scores = np.where(np.abs(1 - y * scores) < 1e-2, scores + 0.1, scores)  # off the kink
    assert gradcheck(lambda s: F.svm_max_margin_loss(s, y), Tensor(scores, requires_grad=True))


def test_svm_max_margin_loss_on_micrograds_demo_numbers():
    scores = Tensor([0.5, -2.0, 1.5, -0.2], requires_grad=True)
    y = np.array([1, -1, -1, 1])
    loss = F.svm_max_margin_loss(scores, y)  # (0.5 + 0 + 2.5 + 1.2) / 4
    loss.backward()
    assert loss.item() == pytest.approx(4.2 / 4)
    np.testing.assert_allclose(scores.grad.data, [-0.25, 0.0, 0.25, -0.25])


# -- errors -------------------------------------------------------------------------------------


def test_regression_and_binary_shape_mismatch_names_both_shapes():
    x = Tensor(np.zeros((4, 1)))
    for loss in (
        F.mse_loss,
        F.l1_loss,
        F.binary_cross_entropy,
        F.binary_cross_entropy_with_logits,
        F.hinge_embedding_loss,
    ):
        with pytest.raises(
            ValueError, match=r"target shape \(4,\) differs from input shape \(4, 1\)"
        ):
            loss(x, np.zeros(4))
    with pytest.raises(ValueError, match=r"target shape \(4,\) differs from input shape \(4, 1\)"):
        F.svm_max_margin_loss(x, np.ones(4))


def test_bad_reduction_is_torchs_error():
    for loss, target in [
        (F.mse_loss, np.zeros(3)),
        (F.cross_entropy, np.zeros(1, dtype=np.int64)),
        (F.binary_cross_entropy_with_logits, np.zeros(3)),
    ]:
        x = Tensor(np.zeros(3)) if target.shape == (3,) else Tensor(np.zeros((1, 3)))
        with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
            loss(x, target, reduction="avg")


def test_cross_entropy_target_errors():
    x = Tensor(np.zeros((3, 4)))
    with pytest.raises(
        ValueError, match=r"class probabilities.*shape \(3, 4\), got shape \(3, 5\)"
    ):
        F.cross_entropy(x, np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"got shape \(3,\) \(dtype float64\).*integer.*\(3,\)"):
        F.cross_entropy(x, np.array([0.0, 1.0, 2.0]))  # float labels: the common mistake
    with pytest.raises(
        ValueError, match=r"class-index target must have shape \(3,\).*got shape \(3, 1\)"
    ):
        F.cross_entropy(x, np.zeros((3, 1), dtype=np.int64))
    with pytest.raises(ValueError, match=r"Target 4 is out of bounds.*\[0, 4\).*C=4"):
        F.cross_entropy(x, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match=r"Target -1 is out of bounds"):
        F.cross_entropy(x, np.array([0, -1, 1]))
    with pytest.raises(ValueError, match="integer dtype.*got dtype bool"):
        F.cross_entropy(x, np.array([True, False, True]))
    with pytest.raises(ValueError, match="ignore_index is not supported for floating point"):
        F.cross_entropy(x, np.full((3, 4), 0.25), ignore_index=1)
    with pytest.raises(ValueError, match=r"weight tensor should be defined.*all 4 classes.*\[2\]"):
        F.cross_entropy(x, np.array([0, 1, 2]), np.ones(2))
    with pytest.raises(ValueError, match="label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(x, np.array([0, 1, 2]), label_smoothing=1.5)
    with pytest.raises(ValueError, match="input must have a class dim"):
        F.cross_entropy(Tensor(1.0), np.array(0))
    with pytest.raises(ValueError, match=r"must have shape \(\) .*got shape \(1,\)"):
        F.cross_entropy(Tensor(np.zeros(4)), np.array([1]))


def test_nll_loss_target_errors():
    x = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"integer dtype \(int64\), got dtype float64"):
        F.nll_loss(x, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="Target 9 is out of bounds"):
        F.nll_loss(x, np.array([0, 9, 1]))


def test_binary_cross_entropy_input_outside_0_1_is_an_error():
    with pytest.raises(ValueError, match="between 0 and 1.*e.g. 1.5.*with_logits"):
        F.binary_cross_entropy(Tensor([0.5, 1.5]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"weight of shape \(3,\) does not broadcast"):
        F.binary_cross_entropy(Tensor([0.5, 0.5]), np.array([1.0, 0.0]), np.ones(3))
    with pytest.raises(ValueError, match=r"pos_weight of shape \(2, 2\) does not broadcast"):
        F.binary_cross_entropy_with_logits(
            Tensor([0.5, 0.5]), np.ones(2), pos_weight=np.ones((2, 2))
        )


def test_weighted_regression_weight_shape_error():
    with pytest.raises(ValueError, match=r"Weights and input must have the same size.*\(3,\)"):
        F.mse_loss(Tensor(np.zeros((2, 3))), np.zeros((2, 3)), weight=np.ones(3))


def test_svm_target_must_be_plus_minus_one():
    with pytest.raises(ValueError, match=r"labels -1 and 1, got also \[0.0\].*2 \* y - 1"):
        F.svm_max_margin_loss(Tensor([0.5, 1.0]), np.array([0, 1]))


def test_a_non_tensor_input_is_a_type_error():
    with pytest.raises(TypeError, match="must be Tensor, not list"):
        F.mse_loss([1.0, 2.0], np.zeros(2))
    with pytest.raises(ValueError, match="array of numbers"):
        F.mse_loss(Tensor([1.0, 2.0]), np.array(["a", "b"]))
