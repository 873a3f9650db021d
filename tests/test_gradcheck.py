"""``gradcheck`` (central differences against the engine) and ``functional.jacobian``/``hessian``.

gradcheck must pass on correct primitives, reject a deliberately wrong backward with a report
of the worst entries, and warn when asked to check a float32 input. jacobian and hessian are
compared with ``torch.autograd.functional`` (float64).
"""

import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Function, Tensor
from autograd.functional import hessian, jacobian
from autograd.gradcheck import GradcheckError, gradcheck


def randn(rng, *shape, requires_grad=True):
    return Tensor(rng.standard_normal(shape), requires_grad=requires_grad)


# -- gradcheck accepts correct gradients ------------------------------------------------------


CORRECT = {
    "add": (lambda a, b: a + b, [(3, 1), (4,)]),
    "sub": (lambda a, b: a - b, [(2, 3), (2, 3)]),
    "mul": (lambda a, b: a * b, [(2, 1, 3), (4, 1)]),
    "div": (lambda a, b: a / (b * b + 1), [(3, 2), (2,)]),
    "pow number": (lambda a: (a * a + 1) ** 1.5, [(2, 3)]),
    "pow tensor": (lambda a, b: (a * a + 1) ** b, [(2, 3), (3,)]),
    "rpow": (lambda a: 2.0**a, [(4,)]),
    "neg": (lambda a: -a * 3, [(5,)]),
    "matmul 2d": (lambda a, b: a @ b, [(3, 4), (4, 2)]),
    "matmul batched": (lambda a, b: a @ b, [(2, 3, 4), (4, 2)]),
    "matmul mat-vec": (lambda a, b: a @ b, [(3, 4), (4,)]),
    "matmul vec-mat": (lambda a, b: a @ b, [(4,), (2, 4, 3)]),
    "matmul vec-vec": (lambda a, b: a @ b, [(4,), (4,)]),
    "sum all": (lambda a: (a * a).sum(), [(3, 4)]),
    "sum dim": (lambda a: (a * a).sum(dim=1), [(3, 4)]),
    "sum keepdim": (lambda a: (a * a).sum(dim=(0, 2), keepdim=True), [(2, 3, 2)]),
    "composition": (lambda a, b: ((a @ b) ** 2 / (1 + (a * a).sum())).sum(dim=0), [(3, 4), (4, 2)]),
    "scalar input": (lambda a, b: a * b + a, [(), (3,)]),
}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_gradcheck_passes_on_correct_ops(name):
    fn, shapes = CORRECT[name]
    rng = np.random.default_rng(0)
    inputs = tuple(randn(rng, *s) for s in shapes)
    assert gradcheck(fn, inputs) is True


@settings(max_examples=25, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradcheck_passes_on_random_shapes(shape, seed):
    rng = np.random.default_rng(seed)
    x, y = randn(rng, *shape), randn(rng, *shape)
    assert gradcheck(lambda a, b: a * b / (1 + b * b) - a**3, (x, y))


def test_gradcheck_accepts_a_single_tensor_and_leaves_inputs_untouched():
    rng = np.random.default_rng(1)
    x = randn(rng, 2, 3)
    before = x.data.copy()
    assert gradcheck(lambda a: a * a, x)
    np.testing.assert_array_equal(x.data, before)  # every perturbation undone exactly
    assert x.grad is None  # gradcheck uses autograd.grad, which leaves .grad alone


def test_gradcheck_passes_non_tensor_arguments_and_skips_inputs_without_grad():
    rng = np.random.default_rng(2)
    x, w = randn(rng, 3), randn(rng, 3, requires_grad=False)
    assert gradcheck(lambda a, c, k: a * c * k, (x, w, 2.5))


def test_gradcheck_treats_every_input_as_an_independent_variable():
    rng = np.random.default_rng(4)
    x = randn(rng, 3)
    y = x * 2  # computed from x, but checked as a variable of its own
    assert gradcheck(lambda a, b: a * b * b, (x, y))
    assert x.grad is None


def test_gradcheck_checks_every_output_of_a_tuple():
    rng = np.random.default_rng(3)
    x = randn(rng, 3)
    assert gradcheck(lambda a: (a * 2, (a * a).sum(), a > 0), x)


def test_gradcheck_requires_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="requires_grad"):
        gradcheck(lambda a: a * 2, Tensor(np.ones(3)))


# -- gradcheck rejects wrong gradients ----------------------------------------------------------


class WrongCube(Function):
    """x³ with the derivative 2x² instead of 3x²."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.data**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x * x


class WrongScatter(Function):
    """Cumulative sum along a vector whose backward forgets the cross terms."""

    @staticmethod
    def forward(ctx, x):
        return np.cumsum(x.data)

    @staticmethod
    def backward(ctx, grad):
        return grad  # the truth is the reversed cumulative sum of grad


class Detached(Function):
    """An output computed from the input, but whose backward claims no dependence."""

    @staticmethod
    def forward(ctx, x):
        return x.data * 2

    @staticmethod
    def backward(ctx, grad):
        return None


def test_gradcheck_rejects_a_wrong_backward_and_reports_the_worst_entries():
    x = Tensor(np.array([1.0, -2.0, 3.0, 0.5]), requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongCube.apply, x)
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert "numerical" in message and "analytical" in message
    lines = message.splitlines()
    # four mismatching diagonal entries, the worst first: x = 3 gives 27 (numerical) vs 18
    assert "4 entries" in lines[0]
    assert len(lines) == 5
    assert "input 0 element (2,)" in lines[1] and "output 0 element (2,)" in lines[1]
    assert "numerical 27" in lines[1] and "analytical 18" in lines[1]


def test_gradcheck_names_off_diagonal_entries_and_limits_the_report():
    x = Tensor(np.arange(1.0, 9.0), requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongScatter.apply, x)
    lines = str(info.value).splitlines()
    assert "28 entries" in lines[0]  # the strictly lower triangle of an 8x8 Jacobian
    assert len(lines) == 1 + 5  # only the worst five are listed
    assert re.search(r"numerical 1(\.0+\d*)? vs analytical 0 ", lines[1])
    assert re.search(r"output 0 element \(\d\,\)", lines[1])


def test_gradcheck_catches_a_gradient_that_is_silently_missing():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(GradcheckError, match=r"numerical 2(\.0+\d*)? vs analytical 0 "):
        gradcheck(Detached.apply, x)


def test_gradcheck_can_return_false_instead_of_raising():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    assert gradcheck(WrongCube.apply, x, raise_exception=False) is False


def test_gradcheck_warns_on_float32_inputs():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    with pytest.warns(UserWarning, match="float32"):
        assert gradcheck(lambda a: a * 3, x, eps=1e-2, atol=1e-2)


def test_gradcheck_does_not_warn_on_float64_inputs():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck(lambda a: a * 3, x)


# -- jacobian and hessian against torch.autograd.functional -------------------------------------


A = np.random.default_rng(4).standard_normal((4, 4))

SCALAR_FUNCTIONS = {
    "cube sum": (lambda x: (x**3).sum(), lambda x: (x**3).sum()),
    "quadratic form": (lambda x: x @ Tensor(A) @ x, lambda x: x @ torch.tensor(A) @ x),
    "rational": (
        lambda x: (x * x / (1 + x * x)).sum() * x.sum(),
        lambda x: (x * x / (1 + x * x)).sum() * x.sum(),
    ),
}

VECTOR_FUNCTIONS = {
    "x * sum(x)": (lambda x: x * x.sum(), lambda x: x * x.sum()),
    "A x squared": (lambda x: (Tensor(A) @ x) ** 2, lambda x: (torch.tensor(A) @ x) ** 2),
    "outer": (lambda x: x.reshape(4, 1) * x, lambda x: x.reshape(4, 1) * x),
}


@pytest.mark.parametrize("name", sorted(SCALAR_FUNCTIONS))
def test_hessian_matches_torch(name):
    ours, theirs = SCALAR_FUNCTIONS[name]
    x = np.random.default_rng(5).standard_normal(4)
    h = hessian(ours, Tensor(x))
    expected = torch.autograd.functional.hessian(theirs, torch.tensor(x))
    assert h.shape == (4, 4)
    np.testing.assert_allclose(h.data, expected.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(SCALAR_FUNCTIONS) + sorted(VECTOR_FUNCTIONS))
def test_jacobian_matches_torch(name):
    ours, theirs = {**SCALAR_FUNCTIONS, **VECTOR_FUNCTIONS}[name]
    x = np.random.default_rng(6).standard_normal(4)
    j = jacobian(ours, Tensor(x))
    expected = torch.autograd.functional.jacobian(theirs, torch.tensor(x))
    assert j.shape == tuple(expected.shape)
    np.testing.assert_allclose(j.data, expected.numpy(), rtol=1e-10, atol=1e-12)


def test_jacobian_shape_is_output_shape_then_input_shape():
    x = np.random.default_rng(7).standard_normal((2, 3))
    j = jacobian(lambda t: (t * t).sum(dim=0), Tensor(x))
    expected = torch.autograd.functional.jacobian(lambda t: (t * t).sum(dim=0), torch.tensor(x))
    assert j.shape == (3, 2, 3) == tuple(expected.shape)
    np.testing.assert_allclose(j.data, expected.numpy())
    h = hessian(lambda t: (t**3).sum(), Tensor(x))
    assert h.shape == (2, 3, 2, 3)


def test_jacobian_and_hessian_of_tuples_match_torch():
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal(3), rng.standard_normal(2)

    def f(a, b):
        return a * b.sum(), (a * a).sum() * b

    def g(a, b):
        return ((a * a).sum() * b * b).sum()

    ours = jacobian(f, (Tensor(x), Tensor(y)))
    theirs = torch.autograd.functional.jacobian(f, (torch.tensor(x), torch.tensor(y)))
    ours_h = hessian(g, (Tensor(x), Tensor(y)))
    theirs_h = torch.autograd.functional.hessian(g, (torch.tensor(x), torch.tensor(y)))
    for i in range(2):
        for k in range(2):
            assert ours[i][k].shape == tuple(theirs[i][k].shape)
            np.testing.assert_allclose(ours[i][k].data, theirs[i][k].numpy(), rtol=1e-12)
            assert ours_h[i][k].shape == tuple(theirs_h[i][k].shape)
            np.testing.assert_allclose(ours_h[i][k].data, theirs_h[i][k].numpy(), rtol=1e-12)


def test_jacobian_of_unused_input_is_zero_or_an_error_when_strict():
    x, y = Tensor(np.ones(2)), Tensor(np.ones(3))
    jx, jy = jacobian(lambda a, b: a * 2, (x, y))
    np.testing.assert_array_equal(jx.data, 2 * np.eye(2))
    np.testing.assert_array_equal(jy.data, np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match="independent of input 1"):
        jacobian(lambda a, b: a * 2, (x, y), strict=True)


def test_hessian_of_a_linear_function_is_zero():
    h = hessian(lambda x: (x * 3).sum(), Tensor(np.ones(3)))
    np.testing.assert_array_equal(h.data, np.zeros((3, 3)))


def test_hessian_requires_a_single_element_output():
    with pytest.raises(RuntimeError, match="single element"):
        hessian(lambda x: x * x, Tensor(np.ones(3)))


def test_jacobian_without_create_graph_is_a_constant():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    j = jacobian(lambda t: t**3, x)
    assert not j.requires_grad
    assert x.grad is None


def test_jacobian_with_create_graph_can_be_differentiated_again():
    x_np = np.array([0.5, -1.0, 2.0])
    x = Tensor(x_np, requires_grad=True)
    j = jacobian(lambda t: t**3 * t.sum(), x, create_graph=True)
    assert j.requires_grad
    (j * j).sum().backward()

    tx = torch.tensor(x_np, requires_grad=True)
    tj = torch.autograd.functional.jacobian(lambda t: t**3 * t.sum(), tx, create_graph=True)
    (tj * tj).sum().backward()
    np.testing.assert_allclose(j.data, tj.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


def test_hessian_with_create_graph_can_be_differentiated_again():
    x_np = np.array([0.5, -1.0, 2.0])
    x = Tensor(x_np, requires_grad=True)
    h = hessian(lambda t: (t**4).sum() * t.sum(), x, create_graph=True)
    h.sum().backward()

    tx = torch.tensor(x_np, requires_grad=True)
    th = torch.autograd.functional.hessian(lambda t: (t**4).sum() * t.sum(), tx, create_graph=True)
    th.sum().backward()
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)
