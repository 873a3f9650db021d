"""The comparison against PyTorch (float64) that the tensor and functional tests share."""

import numpy as np
import torch

from autograd import Tensor, enable_grad, grad
from autograd.gradcheck import gradcheck

TIGHT = {"rtol": 1e-12, "atol": 1e-12}


def check_against_torch(
    ours,
    theirs,
    arrays,
    rng,
    tol=TIGHT,
    *,
    forward_tol=None,
    second_tol=None,
    exact_forward=False,
    float64=False,
    detached_ok=True,
):
    """Compare the forward, a VJP with a random upstream gradient, and a second-order VJP.

    Second order goes through a nonlinearity: with L = sum(w * f(x)^2), compare
    d/dx <dL/dx, v>, which runs the backward of each op's backward.

    ``tol`` bounds the derivatives, and the forward unless ``forward_tol`` is given or
    ``exact_forward`` asks for equality; ``second_tol`` bounds the second derivatives in place of
    ``tol``. ``float64`` casts the arrays and asserts a float64 result. ``detached_ok`` lets a
    total that does not depend on the inputs give zero second derivatives (torch leaves the
    first derivatives of empty tensors outside the graph) instead of raising.
    """
    if float64:
        arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = ours(*xs), theirs(*ts)
    assert out.shape == tuple(expected.shape)
    if float64:
        assert out.dtype == np.float64
    if exact_forward:
        np.testing.assert_array_equal(out.data, expected.detach().numpy())
    else:
        np.testing.assert_allclose(out.data, expected.detach().numpy(), **(forward_tol or tol))

    g = rng.standard_normal(out.shape)
    out.backward(gradient=g)
    expected.backward(torch.tensor(g))
    for x, t in zip(xs, ts):
        assert x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **tol)

    second = second_order if detached_ok else _second_order_strict
    w = rng.standard_normal(out.shape)
    vs = [rng.standard_normal(a.shape) for a in arrays]
    y = ours(*xs)
    firsts = grad((y * y * Tensor(w)).sum(), xs, create_graph=True)
    seconds = second(grad, sum((f * Tensor(v)).sum() for f, v in zip(firsts, vs)), xs)
    ty = theirs(*ts)
    tfirsts = torch.autograd.grad((ty * ty * torch.tensor(w)).sum(), ts, create_graph=True)
    total = sum((f * torch.tensor(v)).sum() for f, v in zip(tfirsts, vs))
    tseconds = second(torch.autograd.grad, total, ts)
    for first, tfirst in zip(firsts, tfirsts):
        np.testing.assert_allclose(first.data, tfirst.detach().numpy(), **tol)
    for s, tsecond, a in zip(seconds, tseconds, arrays):
        s = np.zeros(a.shape) if s is None else np.asarray(s.data)
        tsecond = np.zeros(a.shape) if tsecond is None else tsecond.numpy()
        np.testing.assert_allclose(s, tsecond, **(second_tol or tol))


def second_order(grad_fn, total, inputs):
    """``grad_fn(total, inputs)``, or Nones where the total does not depend on the inputs (torch
    leaves the first derivatives of empty tensors outside the graph)."""
    if not getattr(total, "requires_grad", False):
        return (None,) * len(inputs)
    return grad_fn(total, inputs, allow_unused=True)


def _second_order_strict(grad_fn, total, inputs):
    return grad_fn(total, inputs, allow_unused=True)


def gradcheck_to_second_order(fn, shapes, seed):
    """Gradcheck ``fn`` at random inputs of ``shapes``, and its first derivative (so its second)."""
    rng = np.random.default_rng(seed)
    xs = tuple(Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes)
    weights = Tensor(rng.standard_normal(fn(*xs).shape))
    assert gradcheck(fn, xs)
    assert gradcheck(first_derivative(fn, weights), xs)


def first_derivative(fn, weights):
    """x -> d/dx sum(w * fn(x)^2): its gradcheck checks the second derivatives of fn."""

    def derivative(*xs):
        with enable_grad():  # gradcheck evaluates fn under no_grad for its differences
            y = fn(*xs)
            grads = grad((y * y * weights).sum(), xs, create_graph=True)
        return grads if len(grads) > 1 else grads[0]

    return derivative
