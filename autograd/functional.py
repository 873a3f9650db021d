"""Whole Jacobians and Hessians of a function, as ``torch.autograd.functional`` computes them.

``jacobian(f, x)`` runs ``f`` once and then one backward pass per output element (the row
``e_k^T J`` is the vector-Jacobian product with the basis vector ``e_k``); ``hessian(f, x)`` is
the Jacobian of the gradient, which is itself computed with ``create_graph=True``. Meant for
small problems: the cost is one backward pass per output element.
"""

from __future__ import annotations

import numpy as np

from . import grad_mode
from .graph import grad
from .ops.joining import stack
from .tensor import Tensor

__all__ = ["hessian", "jacobian"]


def jacobian(func, inputs, create_graph: bool = False, strict: bool = False):
    """The Jacobian of ``func`` at ``inputs``.

    Parameters
    ----------
    func : callable
        Called as ``func(*inputs)``; returns a Tensor or a tuple of Tensors.
    inputs : Tensor or tuple of Tensors
        Where to take the Jacobian.
    create_graph : bool
        Record the computation so that the result can be differentiated again (with respect to
        inputs that require grad).
    strict : bool
        Raise an error when an output does not depend on an input, instead of returning zeros.

    Returns
    -------
    Tensor, or tuples of Tensors
        For one input and one output, a Tensor of shape ``output.shape + input.shape`` whose
        entry ``[k..., j...]`` is ``d output[k...] / d input[j...]``. With a tuple of inputs
        (or outputs), a tuple over them; with both, ``result[i][j]`` is for output ``i`` and
        input ``j``, as in PyTorch.

    Examples
    --------
    >>> x = Tensor([1.0, 2.0, 3.0])
    >>> jacobian(lambda x: x * x, x)          # diag(2x)
    tensor([[2., 0., 0.],
            [0., 4., 0.],
            [0., 0., 6.]])
    """
    inputs_tuple = isinstance(inputs, (tuple, list))
    xs = _prepare(inputs if inputs_tuple else (inputs,), create_graph)
    with grad_mode.enable_grad():
        out = func(*xs)
    outputs_tuple = isinstance(out, (tuple, list))
    outputs = tuple(out) if outputs_tuple else (out,)
    for i, o in enumerate(outputs):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"jacobian: func must return a Tensor or a tuple of Tensors; output {i} is "
                f"{type(o).__name__}"
            )

    result = tuple(
        _jacobian_of_output(o, i, xs, create_graph, strict) for i, o in enumerate(outputs)
    )
    if not outputs_tuple:
        result = result[0]
        return result if inputs_tuple else result[0]
    return result if inputs_tuple else tuple(r[0] for r in result)


def hessian(func, inputs, create_graph: bool = False, strict: bool = False):
    """The Hessian of a scalar ``func`` at ``inputs``.

    Parameters
    ----------
    func : callable
        Called as ``func(*inputs)``; returns a Tensor with a single element.
    inputs : Tensor or tuple of Tensors
        Where to take the Hessian.
    create_graph : bool
        Record the computation so that the result can be differentiated again.
    strict : bool
        Raise an error when the output does not depend on an input, instead of returning zeros.

    Returns
    -------
    Tensor, or a tuple of tuples of Tensors
        For one input, a Tensor of shape ``input.shape + input.shape``. For a tuple of inputs,
        ``result[i][j]`` (shape ``inputs[i].shape + inputs[j].shape``) holds
        ``d^2 f / d inputs[i] d inputs[j]``.

    Examples
    --------
    >>> hessian(lambda x: (x**3).sum(), Tensor([1.0, 2.0]))      # diag(6x)
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    inputs_tuple = isinstance(inputs, (tuple, list))

    def gradient(*xs):
        out = func(*xs)
        if not isinstance(out, Tensor) or out.data.size != 1:
            shape = out.shape if isinstance(out, Tensor) else type(out).__name__
            raise RuntimeError(
                f"hessian: the function given to hessian should return a single Tensor with a "
                f"single element, got {shape}"
            )
        grads = (
            grad(out, xs, create_graph=True, allow_unused=True)
            if out.requires_grad
            else ((None,) * len(xs))
        )
        result = []
        for i, (x, g) in enumerate(zip(xs, grads)):
            if g is None:
                if strict:
                    raise RuntimeError(
                        f"hessian: the output of the function is independent of input {i}; "
                        "this is not allowed in strict mode"
                    )
                g = Tensor._from_array(np.zeros_like(x.data))
            result.append(g)
        return tuple(result)

    result = jacobian(gradient, inputs if inputs_tuple else (inputs,), create_graph, strict)
    return result if inputs_tuple else result[0][0]


def _prepare(inputs, create_graph: bool) -> tuple:
    """The tensors to differentiate with respect to.

    Without ``create_graph`` each input is detached (so the result is a constant); with it, an
    input that already requires grad is used as it is, so that the result stays connected.
    """
    xs = []
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(
                f"jacobian: inputs must be Tensors or a tuple of Tensors; input {i} is "
                f"{type(x).__name__}"
            )
        if x.dtype.kind != "f":
            raise TypeError(
                f"jacobian: input {i} has dtype {x.dtype}; only floating point tensors can be "
                "differentiated (convert it with .double())"
            )
        if create_graph and x.requires_grad:
            xs.append(x)
        else:
            xs.append(x.detach().requires_grad_(True))
    return tuple(xs)


def _jacobian_of_output(out: Tensor, index: int, xs: tuple, create_graph: bool, strict: bool):
    """One Jacobian per input for one output, each of shape ``out.shape + x.shape``."""
    n = out.data.size
    rows = [[None] * n for _ in xs]  # rows[i][k] = d out.flat[k] / d xs[i]
    if out.requires_grad:
        basis = np.zeros(n, dtype=out.dtype)
        for k in range(n):
            basis[k] = 1
            seed = Tensor._from_array(basis.reshape(out.shape).copy())
            basis[k] = 0
            grads = grad(
                out,
                xs,
                grad_outputs=seed,
                retain_graph=True,
                create_graph=create_graph,
                allow_unused=True,
            )
            for i, g in enumerate(grads):
                rows[i][k] = g
    result = []
    for i, x in enumerate(xs):
        if strict and all(g is None for g in rows[i]) and n:
            raise RuntimeError(
                f"jacobian: output {index} of the function is independent of input {i}; this "
                "is not allowed in strict mode"
            )
        result.append(_assemble(rows[i], out, x, create_graph))
    return tuple(result)


def _assemble(rows: list, out: Tensor, x: Tensor, create_graph: bool) -> Tensor:
    """Stack the rows (None for zero) into a Tensor of shape ``out.shape + x.shape``."""
    shape = out.shape + x.shape
    dtype = np.result_type(out.dtype, x.dtype)
    if create_graph and any(g is not None and g.requires_grad for g in rows):
        zeros = Tensor._from_array(np.zeros(x.shape, dtype=dtype))
        return stack([zeros if g is None else g for g in rows]).reshape(shape)
    array = np.zeros((len(rows),) + x.shape, dtype=dtype)
    for k, g in enumerate(rows):
        if g is not None:
            array[k] = g.data
    return Tensor._from_array(array.reshape(shape))
