"""nn.functional's linear, flatten, dropout, batch_norm, layer_norm and one_hot.

Against torch.nn.functional (float64) with random upstream gradients and to second order,
gradcheck, dropout's statistics and seeding, batch_norm's running statistics, and errors.
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

seeds = st.integers(0, 2**32 - 1)
TOL = {"rtol": 1e-10, "atol": 1e-12}


def check_against_torch(ours, theirs, arrays, rng, tol=TOL):
    """Forward, a VJP with a random upstream gradient, and a second-order VJP (of
    L = sum(w * out^2), dotted with random v) for every input in ``arrays``."""
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = ours(*xs), theirs(*ts)
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **tol)
    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **tol)

    w = rng.standard_normal(out.shape)
    vs = [rng.standard_normal(a.shape) for a in arrays]
    y = ours(*xs)
    firsts = grad((y * y * Tensor(w)).sum(), xs, create_graph=True)
    seconds = grad(sum((f * Tensor(v)).sum() for f, v in zip(firsts, vs)), xs, allow_unused=True)
    ty = theirs(*ts)
    tfirsts = torch.autograd.grad((ty * ty * torch.tensor(w)).sum(), ts, create_graph=True)
    tseconds = torch.autograd.grad(
        sum((f * torch.tensor(v)).sum() for f, v in zip(tfirsts, vs)), ts, allow_unused=True
    )
    for first, tfirst in zip(firsts, tfirsts):
        np.testing.assert_allclose(first.data, tfirst.detach().numpy(), **tol)
    for x, second, tsecond in zip(xs, seconds, tseconds):
        second = np.zeros(x.shape) if second is None else second.data
        tsecond = np.zeros(x.shape) if tsecond is None else tsecond.numpy()
        np.testing.assert_allclose(second, tsecond, **tol)


def gradient_of(fn):
    """``xs -> d sum(fn(xs)) / d xs[0]``, recorded, for gradcheck of second derivatives."""

    def gradient(*xs):
        with enable_grad():  # gradcheck runs its central differences under no_grad
            return grad(fn(*xs).sum(), xs[0], create_graph=True)[0]

    return gradient


# -- linear and flatten -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    lead=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
    sizes=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    bias=st.booleans(),
    seed=seeds,
)
def test_linear_matches_torch(lead, sizes, bias, seed):
    rng = np.random.default_rng(seed)
    out_features, in_features = sizes
    arrays = [rng.standard_normal((*lead, in_features)), rng.standard_normal(sizes)]
    if bias:
        arrays.append(rng.standard_normal(out_features))
    check_against_torch(F.linear, TF.linear, arrays, rng)


@pytest.mark.parametrize(
    "shapes", [[(2, 4), (4,)], [(2, 4), (3, 4), (1,)], [(4,), (3, 4), (3,)], [(2, 4), (3, 4), ()]]
)
def test_linear_with_1d_weight_1d_input_or_broadcast_bias_matches_torch(shapes):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    check_against_torch(F.linear, TF.linear, arrays, rng)


def test_linear_gradcheck():
    rng = np.random.default_rng(1)
    x, w, b = (Tensor(rng.standard_normal(s), requires_grad=True) for s in [(2, 3), (4, 3), (4,)])
    assert gradcheck(F.linear, (x, w, b))
    assert gradcheck(gradient_of(lambda x, w, b: F.linear(x, w, b).tanh()), (x, w, b))


def test_linear_keeps_float32():
    x = Tensor(np.ones((2, 3), dtype=np.float32))
    w = Tensor(np.ones((4, 3), dtype=np.float32), requires_grad=True)
    out = F.linear(x, w, Tensor(np.zeros(4, dtype=np.float32)))
    assert out.dtype == np.float32 and out.shape == (2, 4)


def test_linear_errors_name_the_shapes():
    x = Tensor(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"\(2, 5\) does not fit weight of shape \(3, 4\).*5.*4"):
        F.linear(x, Tensor(np.zeros((3, 4))))
    with pytest.raises(ValueError, match=r"bias must have shape \(3,\).*got shape \(4,\)"):
        F.linear(x, Tensor(np.zeros((3, 5))), Tensor(np.zeros(4)))
    with pytest.raises(ValueError, match=r"weight must have shape \(out_features, in_features\)"):
        F.linear(x, Tensor(np.zeros((1, 3, 5))))
    with pytest.raises(TypeError, match="argument 'weight' .*must be Tensor, not numpy.ndarray"):
        F.linear(x, np.zeros((3, 5)))


@pytest.mark.parametrize("start, end", [(0, -1), (1, -1), (1, 2), (-2, -1), (2, 2)])
def test_flatten_matches_torch(start, end):
    array = np.random.default_rng(2).standard_normal((2, 3, 4, 5))
    check_against_torch(
        lambda a: F.flatten(a, start, end),
        lambda a: torch.flatten(a, start, end),
        [array],
        np.random.default_rng(3),
    )


# -- dropout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics(p):
    np.random.seed(0)
    x = Tensor(np.ones((200, 500)), requires_grad=True)
    out = F.dropout(x, p)
    zeroed = np.mean(out.data == 0)
    assert abs(zeroed - p) < 0.01  # 100000 draws: the standard error is at most 0.0016
    assert abs(out.data.mean() - 1) < 0.03  # the mean is preserved
    np.testing.assert_allclose(np.unique(out.data), [0.0, 1 / (1 - p)])
    out.sum().backward()  # the gradient: the same mask, scaled alike
    np.testing.assert_array_equal(x.grad.data, out.data)


def test_dropout_is_seedable_with_numpy():
    x = Tensor(np.random.default_rng(4).standard_normal((8, 9)))
    np.random.seed(123)
    first = F.dropout(x, 0.3).data
    np.random.seed(123)
    second = F.dropout(x, 0.3).data
    third = F.dropout(x, 0.3).data
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(second, third)


def test_dropout_identity_in_eval_and_at_p_0_zeros_at_p_1():
    x = Tensor(np.random.default_rng(5).standard_normal((3, 4)), requires_grad=True)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    out = F.dropout(x, 1.0)
    np.testing.assert_array_equal(out.data, np.zeros((3, 4)))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((3, 4)))
    assert F.dropout(Tensor(np.ones(3, dtype=np.float32)), 0.5).dtype == np.float32


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_dropout_rejects_a_probability_outside_0_1(p):
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got"):
        F.dropout(Tensor([1.0]), p)


# -- batch_norm and layer_norm ----------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    shape=st.sampled_from([(4, 3), (3, 2, 5), (2, 3, 2, 3), (5, 1), (2, 2, 1, 1)]),
    affine=st.booleans(),
    training=st.booleans(),
    tensor_stats=st.booleans(),
    momentum=st.sampled_from([0.1, 0.5]),
    seed=seeds,
)
def test_batch_norm_matches_torch(shape, affine, training, tensor_stats, momentum, seed):
    rng = np.random.default_rng(seed)
    channels = shape[1]
    x = rng.standard_normal(shape) * 2 + 1
    mean0, var0 = rng.standard_normal(channels), rng.uniform(0.5, 2, channels)
    arrays = [x] + (
        [rng.standard_normal(channels), rng.standard_normal(channels)] if affine else []
    )
    ours_stats = [mean0.copy(), var0.copy()]
    if tensor_stats:
        ours_stats = [Tensor(s) for s in ours_stats]
    torch_stats = [torch.tensor(mean0), torch.tensor(var0)]
    kwargs = {"training": training, "momentum": momentum, "eps": 1e-5}

    def ours(x, *wb):
        return F.batch_norm(x, *ours_stats, *wb, **kwargs)

    def theirs(x, *wb):
        return TF.batch_norm(x, *torch_stats, *wb, **kwargs)

    stats_arrays = [s.data if tensor_stats else s for s in ours_stats]
    check_against_torch(ours, theirs, arrays, rng)  # three calls each: three updates
    for mine, expected in zip(stats_arrays, torch_stats):
        np.testing.assert_allclose(mine, expected.numpy(), **TOL)
    for mine, array in zip(ours_stats, stats_arrays):  # updated in place
        assert (mine.data if tensor_stats else mine) is array
    if not training:
        np.testing.assert_array_equal(stats_arrays[0], mean0)


def test_batch_norm_without_running_stats_in_training():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((4, 3, 2))
    out = F.batch_norm(Tensor(x), None, None, training=True)
    expected = TF.batch_norm(torch.tensor(x), None, None, training=True)
    np.testing.assert_allclose(out.data, expected.numpy(), **TOL)


def test_batch_norm_running_stats_float32():
    x = Tensor(np.random.default_rng(7).standard_normal((5, 2)).astype(np.float32))
    mean, var = np.zeros(2, dtype=np.float32), np.ones(2, dtype=np.float32)
    out = F.batch_norm(x, mean, var, training=True)
    assert out.dtype == np.float32 and mean.dtype == np.float32
    np.testing.assert_allclose(mean, 0.1 * x.data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(var, 0.9 + 0.1 * x.data.var(0, ddof=1), rtol=1e-5)


def test_batch_norm_gradcheck():
    rng = np.random.default_rng(8)
    x = Tensor(rng.standard_normal((4, 2, 3)), requires_grad=True)
    w = Tensor(rng.standard_normal(2), requires_grad=True)
    b = Tensor(rng.standard_normal(2), requires_grad=True)

    def fn(x, w, b):
        return F.batch_norm(x, None, None, w, b, training=True).tanh()

    assert gradcheck(fn, (x, w, b))
    assert gradcheck(gradient_of(fn), (x, w, b))


def test_batch_norm_errors():
    x = Tensor(np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training"):
        F.batch_norm(x, None, None, training=True)
    with pytest.raises(ValueError, match="running_mean must be defined in evaluation mode"):
        F.batch_norm(Tensor(np.zeros((2, 3))), None, None)
    with pytest.raises(ValueError, match=r"running_mean must be .* shape \(3,\).*got \(2,\)"):
        F.batch_norm(Tensor(np.zeros((2, 3))), np.zeros(2), np.ones(3))
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\).*got \(4,\)"):
        F.batch_norm(Tensor(np.zeros((2, 3))), np.zeros(3), np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match=r"at least 2 dims, got shape \(3,\)"):
        F.batch_norm(Tensor(np.zeros(3)), np.zeros(3), np.ones(3))


@settings(max_examples=30, deadline=None)
@given(
    shape=st.sampled_from([(4, 3), (2, 3, 4), (2, 2, 3, 2), (5,)]),
    k=st.integers(1, 2),
    affine=st.booleans(),
    seed=seeds,
)
def test_layer_norm_matches_torch(shape, k, affine, seed):
    rng = np.random.default_rng(seed)
    k = min(k, len(shape))
    normalized = shape[len(shape) - k :]
    arrays = [rng.standard_normal(shape) * 3]
    if affine:
        arrays += [rng.standard_normal(normalized), rng.standard_normal(normalized)]
    check_against_torch(
        lambda x, *wb: F.layer_norm(x, normalized, *wb),
        lambda x, *wb: TF.layer_norm(x, normalized, *wb),
        arrays,
        rng,
    )


def test_layer_norm_errors():
    with pytest.raises(
        ValueError, match=r"Given normalized_shape=\[4\], expected input with shape"
    ):
        F.layer_norm(Tensor(np.zeros((4, 3))), (4,))
    with pytest.raises(ValueError, match=r"weight must have shape normalized_shape=\(3,\)"):
        F.layer_norm(Tensor(np.zeros((4, 3))), 3, Tensor(np.ones(4)))


# -- one_hot ----------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4),
    extra=st.sampled_from([-1, 0, 2]),
    seed=seeds,
)
def test_one_hot_matches_torch(shape, extra, seed):
    indices = np.random.default_rng(seed).integers(0, 5, shape)
    num_classes = -1 if extra == -1 else int(indices.max()) + 1 + extra
    for given_indices in (indices, Tensor(indices)):
        out = F.one_hot(given_indices, num_classes)
        expected = TF.one_hot(torch.tensor(indices), num_classes)
        assert out.dtype == np.int64
        np.testing.assert_array_equal(out.data, expected.numpy())
    assert F.one_hot(np.zeros(0, dtype=np.int64), 3).shape == (0, 3)


def test_one_hot_errors():
    with pytest.raises(ValueError, match="only applicable to index tensor.*float32"):
        F.one_hot(Tensor([1.0]))
    with pytest.raises(ValueError, match="Class values must be non-negative"):
        F.one_hot(np.array([-1, 0]))
    with pytest.raises(ValueError, match="Class values must be smaller than num_classes.*3.*2"):
        F.one_hot(np.array([3]), 2)
    with pytest.raises(ValueError, match="Can not infer total number of classes from empty"):
        F.one_hot(np.zeros(0, dtype=np.int64))


def test_exports():
    for name in [
        "relu", "leaky_relu", "elu", "gelu", "sigmoid", "tanh", "silu", "softplus",
        "logsigmoid", "softmax", "log_softmax", "linear", "flatten", "dropout", "batch_norm",
        "layer_norm", "one_hot", "mse_loss", "l1_loss", "binary_cross_entropy",
        "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss",
        "hinge_embedding_loss", "svm_max_margin_loss",
        "conv1d", "conv2d", "max_pool2d", "avg_pool2d",  # re-exported from conv and pooling
    ]:  # fmt: skip
        assert callable(getattr(F, name)) and name in F.__all__


@pytest.mark.parametrize("x_shape", [(5, 4), (4,), (2, 3, 4)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_fused_linear_equals_its_composition_to_second_order(x_shape, with_bias):
    from autograd import grad
    from nn.functional.linear import Linear, _linear_composed

    rng = np.random.default_rng(len(x_shape) + with_bias)
    x0, w0, b0 = rng.normal(size=x_shape), rng.normal(size=(3, 4)), rng.normal(size=3)
    upstream = rng.normal(size=x_shape[:-1] + (3,))
    results = []
    for fn in (Linear.apply, _linear_composed):
        x, w = Tensor(x0, requires_grad=True), Tensor(w0, requires_grad=True)
        b = Tensor(b0, requires_grad=True) if with_bias else None
        inputs = [x, w] + ([b] if with_bias else [])
        out = fn(x, w, b)
        # second order through a nonlinearity, so every cross term is exercised
        loss = ((out * Tensor(upstream)).tanh() ** 2).sum()
        firsts = grad(loss, inputs, create_graph=True)
        seconds = grad(sum(g.sum() for g in firsts), inputs, allow_unused=True)
        results.append((out.data, [g.data for g in firsts], [s.data for s in seconds]))
    (out_f, first_f, second_f), (out_c, first_c, second_c) = results
    np.testing.assert_allclose(out_f, out_c, rtol=1e-12)
    for a, b in zip(first_f + second_f, first_c + second_c):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
