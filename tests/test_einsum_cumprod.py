"""einsum and cumprod against torch (float64): values, gradients and second-order gradients,
gradcheck, dtypes, and torch's errors. cumprod is checked with zeros in the input, where the
division in its textbook gradient fails."""

from functools import partial

import numpy as np
import pytest
import torch
import torch_oracle

import autograd
from autograd import Tensor, grad
from autograd.gradcheck import gradcheck

TOL = {"rtol": 1e-9, "atol": 1e-10}
check_against_torch = partial(torch_oracle.check_against_torch, tol=TOL, float64=True)

EINSUM_CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),  # matmul
    ("ij,jk", [(3, 4), (4, 2)]),  # implicit output
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),  # batch matmul
    ("i,j->ij", [(3,), (4,)]),  # outer
    ("i,i->", [(5,), (5,)]),  # dot
    ("ii", [(4, 4)]),  # trace, implicit
    ("ii->", [(3, 3)]),  # trace
    ("ii->i", [(4, 4)]),  # diagonal
    ("bii->bi", [(2, 3, 3)]),  # batched diagonal
    ("iij->ji", [(3, 3, 2)]),  # diagonal of a partial trace kept apart
    ("iii->i", [(3, 3, 3)]),  # a letter three times
    ("ij->ji", [(3, 4)]),  # transpose
    ("ij->", [(3, 4)]),  # sum of all
    ("ij->i", [(3, 4)]),  # row sums
    ("bi,ij,bj->b", [(4, 3), (3, 5), (4, 5)]),  # bilinear
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),  # three operands
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),  # ellipsis, broadcast
    ("...ij,...jk", [(5, 1, 2, 3), (4, 3, 2)]),  # ellipsis, implicit, size-1 batch broadcast
    ("i...->...i", [(3, 2, 4)]),  # ellipsis moved
    ("...ii->...i", [(2, 3, 3)]),  # batched diagonal by ellipsis
    ("...,...->...", [(3, 1), (4,)]),  # elementwise product, broadcast
    ("ij,ij->ij", [(1, 3), (2, 1)]),  # named dims of size 1 broadcast
    ("ij,jk", [(2, 1), (3, 4)]),  # contracted dim of size 1 against 3
    ("i,->i", [(3,), ()]),  # a scalar operand
    ("bA,Ab", [(2, 3), (3, 2)]),  # upper-case letters
    ("ij,kl->ijkl", [(2, 0), (3, 2)]),  # empty
    ("i j -> j", [(2, 3)]),  # spaces
]


@pytest.mark.parametrize("equation, shapes", EINSUM_CASES)
def test_einsum_matches_torch_to_second_order(equation, shapes):
    rng = np.random.default_rng(len(equation) * 7 + len(shapes))
    arrays = [rng.standard_normal(s) for s in shapes]
    check_against_torch(
        lambda *xs: autograd.einsum(equation, *xs),
        lambda *ts: torch.einsum(equation, *ts),
        arrays,
        rng,
    )


def test_einsum_takes_a_list_of_operands():
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 3)), rng.standard_normal((3, 4))]
    check_against_torch(
        lambda a, b: autograd.einsum("ij,jk->ik", [a, b]),
        lambda a, b: torch.einsum("ij,jk->ik", [a, b]),
        arrays,
        rng,
    )


def test_einsum_gradcheck_to_second_order():
    for equation, shapes in [("ii->i", [(3, 3)]), ("bi,ij,bj->b", [(2, 3), (3, 2), (2, 2)])]:
        torch_oracle.gradcheck_to_second_order(
            lambda *xs, eq=equation: autograd.einsum(eq, *xs), shapes, seed=1
        )


def test_einsum_output_is_a_copy_not_a_view():
    data = np.arange(9.0).reshape(3, 3)
    out = autograd.einsum("ii->i", Tensor(data))
    out.data[0] = 100.0
    assert data[0, 0] == 0.0


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32])
def test_einsum_dtypes_match_torch(dtype):
    a = np.arange(6).reshape(2, 3).astype(dtype)
    b = np.arange(12).reshape(3, 4).astype(dtype)
    ours = autograd.einsum("ij,jk", Tensor(a), Tensor(b))
    theirs = torch.einsum("ij,jk", torch.tensor(a), torch.tensor(b))
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.data, theirs.numpy())


@pytest.mark.parametrize(
    "equation, shapes, message",
    [
        ("ij", [(2, 3, 4)], "does not match the number of dimensions"),
        ("ijk...", [(2, 3)], "is more than the number of dimensions"),
        ("ij,jk->ik", [(2, 3)], "fewer operands"),
        ("ij", [(2, 3), (2,)], "more operands"),
        ("ij->ix", [(2, 3)], "output subscript x does not appear"),
        ("ij->ii", [(2, 3)], "appears more than once"),
        ("ii->i", [(2, 3)], "is repeated for operand 0 but the sizes don't match"),
        ("ij,jk", [(2, 3), (2, 4)], "does not broadcast with previously seen size"),
        ("i1->i", [(2, 3)], "invalid subscript"),
        ("i..->i", [(2,)], "not part of any ellipsis"),
        ("i...j...", [(2, 3)], "an ellipsis was already found"),
    ],
)
def test_einsum_errors_match_torch(equation, shapes, message):
    ours = [Tensor(np.ones(s)) for s in shapes]
    theirs = [torch.ones(s, dtype=torch.float64) for s in shapes]
    with pytest.raises(RuntimeError, match=message):
        torch.einsum(equation, *theirs)
    with pytest.raises(RuntimeError, match=message):
        autograd.einsum(equation, *ours)


def test_einsum_rejects_mixed_dtypes_and_non_tensors_as_torch():
    with pytest.raises(RuntimeError, match="expected scalar type Double but found Float"):
        autograd.einsum("ij,jk", Tensor(np.ones((2, 3))), Tensor(np.ones((3, 2), np.float32)))
    with pytest.raises(TypeError, match="expected Tensor as element 1 in argument 1"):
        autograd.einsum("ij,jk", Tensor(np.ones((2, 3))), 3.0)


CUMPROD_INPUTS = {
    "random": np.array([[0.5, -1.2, 2.0, 0.7, -0.3], [1.1, 0.9, -0.8, 1.5, 0.4]]),
    "one zero": np.array([1.5, -0.7, 0.0, 2.0, 0.6]),
    "two zeros": np.array([1.5, 0.0, -0.7, 0.0, 2.0, 0.6]),
    "zero first": np.array([0.0, 1.3, -0.7, 2.0]),
    "zero last": np.array([1.3, -0.7, 2.0, 0.0]),
    "zeros in some rows": np.array([[0.8, 0.0, 1.2], [1.1, -0.5, 0.9], [0.0, 0.0, 2.0]]),
    "all zeros": np.zeros((2, 3)),
}


@pytest.mark.parametrize("dim", [0, 1, -1, -2])
@pytest.mark.parametrize("name", list(CUMPROD_INPUTS))
def test_cumprod_matches_torch_to_second_order(name, dim):
    x = CUMPROD_INPUTS[name]
    if not -x.ndim <= dim < x.ndim:
        dim = dim % x.ndim
    rng = np.random.default_rng(len(name))
    check_against_torch(lambda a: a.cumprod(dim), lambda t: t.cumprod(dim), [x], rng)
    check_against_torch(
        lambda a: autograd.cumprod(a, dim), lambda t: torch.cumprod(t, dim), [x], rng
    )


@pytest.mark.parametrize("shape, dim", [((0,), 0), ((2, 0, 3), 1), ((2, 0, 3), -1), ((), 0)])
def test_cumprod_of_empty_and_scalar_tensors(shape, dim):
    rng = np.random.default_rng(5)
    x = rng.standard_normal(shape)
    check_against_torch(lambda a: a.cumprod(dim), lambda t: t.cumprod(dim), [x], rng)


@pytest.mark.parametrize("x", [CUMPROD_INPUTS["random"], CUMPROD_INPUTS["two zeros"]])
def test_cumprod_first_order_without_create_graph_matches_torch(x):
    # without create_graph the zero case takes the O(n) way (no recording): check it alone
    g = np.random.default_rng(2).standard_normal(x.shape)
    a = Tensor(x, requires_grad=True)
    (ours,) = grad(a.cumprod(-1), [a], grad_outputs=Tensor(g))
    t = torch.tensor(x, requires_grad=True)
    (theirs,) = torch.autograd.grad(t.cumprod(-1), [t], grad_outputs=torch.tensor(g))
    np.testing.assert_allclose(ours.data, theirs.numpy(), **TOL)


def test_cumprod_gradcheck_to_second_order_at_zeros():
    x = Tensor(CUMPROD_INPUTS["two zeros"], requires_grad=True)
    weights = Tensor(np.random.default_rng(4).standard_normal(x.shape))
    assert gradcheck(lambda a: a.cumprod(0), (x,))
    assert gradcheck(torch_oracle.first_derivative(lambda a: a.cumprod(0), weights), (x,))
    torch_oracle.gradcheck_to_second_order(lambda a: a.cumprod(1), [(2, 4)], seed=3)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.bool_, np.float32])
def test_cumprod_dtypes_match_torch(dtype):
    data = np.array([[1, 2, 1], [1, 0, 1]]).astype(dtype)
    ours, theirs = autograd.cumprod(Tensor(data), 1), torch.cumprod(torch.tensor(data), 1)
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_cumprod_dim_out_of_range_is_torch_error():
    with pytest.raises(IndexError, match="Dimension out of range"):
        Tensor(np.ones(2)).cumprod(1)


def linear_first_derivative(fn, weights):
    """x -> d/dx sum(w * fn(x)): its upstream gradient w does not vanish where fn(x) does (as
    torch_oracle's sum(w * fn(x)^2) does where cumprod is 0), so at zeros of the input its
    derivative checks every second derivative of cumprod."""

    def derivative(x):
        with autograd.enable_grad():
            (first,) = grad((fn(x) * weights).sum(), [x], create_graph=True)
        return first

    return derivative


@pytest.mark.parametrize("name", ["one zero", "two zeros", "zero first", "zeros in some rows"])
def test_cumprod_second_derivatives_at_zeros_match_torch(name):
    x = CUMPROD_INPUTS[name]
    rng = np.random.default_rng(11)
    w, v = rng.standard_normal(x.shape), rng.standard_normal(x.shape)
    a = Tensor(x, requires_grad=True)
    first = linear_first_derivative(lambda t: t.cumprod(-1), Tensor(w))(a)
    (ours,) = grad((first * Tensor(v)).sum(), [a])
    t = torch.tensor(x, requires_grad=True)
    (tfirst,) = torch.autograd.grad((t.cumprod(-1) * torch.tensor(w)).sum(), [t], create_graph=True)
    (theirs,) = torch.autograd.grad((tfirst * torch.tensor(v)).sum(), [t])
    np.testing.assert_allclose(first.data, tfirst.detach().numpy(), **TOL)
    np.testing.assert_allclose(ours.data, theirs.numpy(), **TOL)
    assert np.abs(theirs.numpy()).max() > 0.1  # the check is not of zeros against zeros
    weights = Tensor(rng.standard_normal(x.shape))
    assert gradcheck(linear_first_derivative(lambda t: t.cumprod(0), weights), (a,))
