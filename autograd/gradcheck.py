"""``gradcheck``: compare the engine's gradients with central differences, as PyTorch's does.

For a function ``fn`` of tensors, the Jacobian of every output with respect to every input that
requires grad is computed twice:

- numerically, one column per input element: ``(fn(x + eps e_j) - fn(x - eps e_j)) / (2 eps)``;
- analytically, one row per output element: the vector-Jacobian product with the basis vector
  ``e_k``, through ``autograd.grad``.

The two must agree entrywise within ``atol + rtol * |numerical|``. When they do not, the error
lists the worst entries, each with its input, output and element indices. Central differences
need float64: in float32 a step of ``1e-6`` is lost in rounding, so other dtypes get a warning.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import grad_mode
from .graph import grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck"]

_SHOWN = 5  # mismatching entries listed in the error


class GradcheckError(RuntimeError):
    """The analytical gradient of a function disagrees with its numerical one.

    Examples
    --------
    >>> import autograd
    >>> from autograd.gradcheck import gradcheck
    >>> class Wrong(autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         return grad
    >>> x = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    >>> try:
    ...     gradcheck(Wrong.apply, (x,))
    ... except autograd.GradcheckError:
    ...     print('the gradient is wrong')
    the gradient is wrong
    """


def gradcheck(
    fn,
    inputs,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradients of ``fn`` at ``inputs`` against central differences.

    Parameters
    ----------
    fn : callable
        Called as ``fn(*inputs)``; returns a Tensor or a tuple of Tensors.
    inputs : Tensor or tuple
        The arguments of ``fn``. Tensors with ``requires_grad=True`` are checked (use float64);
        other arguments are passed through unchanged.
    eps : float
        The step of the central differences.
    atol, rtol : float
        Entry ``(k, j)`` of a Jacobian passes when
        ``|analytical - numerical| <= atol + rtol * |numerical|``.
    raise_exception : bool
        When False, return False on a mismatch instead of raising.

    Returns
    -------
    bool
        True when every Jacobian matches.

    Raises
    ------
    GradcheckError
        When some entry does not match; the message lists the worst entries (input index,
        output index, element indices, numerical and analytical values).

    Examples
    --------
    >>> x = Tensor(np.random.randn(3, 4), requires_grad=True)   # float64
    >>> gradcheck(lambda x: (x * x).sum(dim=1), x)
    True
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(
            "gradcheck: no input requires grad; create the tensors to check with "
            "requires_grad=True (and dtype float64)"
        )
    # fresh leaves sharing the data: inputs are independent variables here even when one was
    # computed from another (perturbing x must not be expected to move a tensor made from x)
    inputs = tuple(x.detach().requires_grad_() if i in checked else x for i, x in enumerate(inputs))
    for i in checked:
        if inputs[i].dtype != np.float64:
            warnings.warn(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}, not float64; central "
                f"differences with eps={eps} are unreliable at this precision and the check "
                "may fail even for a correct gradient",
                UserWarning,
                stacklevel=2,
            )
        if not inputs[i].data.flags.writeable:  # e.g. a broadcast view: perturb a copy
            inputs[i].data = np.array(inputs[i].data)

    with grad_mode.enable_grad():
        outputs = _outputs(fn, inputs)
    analytical = _analytical_jacobians(outputs, inputs, checked)
    numerical = _numerical_jacobians(fn, inputs, checked, outputs, eps)

    failures = []  # (excess over tolerance, input, output, k, j, numerical, analytical)
    for (position, out_index), num in numerical.items():
        ana = analytical[position, out_index]
        ok = np.isclose(ana, num, rtol=rtol, atol=atol)  # |a - n| <= atol + rtol |n|
        with np.errstate(invalid="ignore"):
            excess = np.abs(ana - num) - (atol + rtol * np.abs(num))
        excess = np.where(np.isfinite(excess), excess, np.inf)  # nan and inf rank first
        ks, js = np.nonzero(~ok)
        for k, j in zip(ks.tolist(), js.tolist()):
            failures.append((excess[k, j], position, out_index, k, j, num[k, j], ana[k, j]))
    if not failures:
        return True
    if not raise_exception:
        return False
    failures.sort(key=lambda f: -f[0])
    lines = [
        f"gradcheck: Jacobian mismatch in {len(failures)} entr"
        f"{'y' if len(failures) == 1 else 'ies'} (atol={atol}, rtol={rtol}, eps={eps}); "
        f"the worst {min(len(failures), _SHOWN)}:"
    ]
    for _, position, out_index, k, j, num, ana in failures[:_SHOWN]:
        out_shape = outputs[out_index].shape
        in_shape = inputs[position].shape
        lines.append(
            f"  input {position} element {_index(j, in_shape)}, output {out_index} element "
            f"{_index(k, out_shape)}: numerical {num:.10g} vs analytical {ana:.10g} "
            f"(difference {ana - num:.3g})"
        )
    raise GradcheckError("\n".join(lines))


def _outputs(fn, inputs) -> tuple:
    """``fn(*inputs)`` as a tuple of Tensors."""
    out = fn(*inputs)
    outputs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    for i, o in enumerate(outputs):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"gradcheck: fn must return a Tensor or a tuple of Tensors; output {i} is "
                f"{type(o).__name__}"
            )
    return outputs


def _analytical_jacobians(outputs, inputs, checked) -> dict:
    """``{(input, output): J}`` with ``J[k, j] = d out.flat[k] / d in.flat[j]``, by VJPs."""
    jacobians = {}
    targets = [inputs[i] for i in checked]
    for out_index, out in enumerate(outputs):
        if out.dtype.kind != "f":
            continue  # integer and boolean outputs have no gradient
        rows = {i: np.zeros((out.data.size, inputs[i].data.size)) for i in checked}
        if out.requires_grad:  # one that does not must not depend on the inputs: J = 0
            basis = np.zeros(out.data.size, dtype=out.dtype)
            for k in range(out.data.size):
                basis[k] = 1
                seed = Tensor._from_array(basis.reshape(out.shape).copy())
                basis[k] = 0
                grads = grad(out, targets, grad_outputs=seed, retain_graph=True, allow_unused=True)
                for i, g in zip(checked, grads):
                    if g is None:
                        continue
                    if g.shape != inputs[i].shape:
                        raise GradcheckError(
                            f"gradcheck: the gradient for input {i} has shape {g.shape}, but "
                            f"the input has shape {inputs[i].shape}"
                        )
                    rows[i][k] = g.data.reshape(-1)
        for i in checked:
            jacobians[i, out_index] = rows[i]
    return jacobians


def _numerical_jacobians(fn, inputs, checked, outputs, eps: float) -> dict:
    """``{(input, output): J}`` by central differences, one column per input element."""
    jacobians = {}
    for i in checked:
        data = inputs[i].data
        columns = {
            k: np.zeros((o.data.size, data.size))
            for k, o in enumerate(outputs)
            if o.dtype.kind == "f"
        }
        for j in range(data.size):
            index = np.unravel_index(j, data.shape)
            original = data[index].copy()
            data[index] = original + eps
            plus = _evaluate(fn, inputs)
            data[index] = original - eps
            minus = _evaluate(fn, inputs)
            data[index] = original
            for out_index in columns:
                p, m = plus[out_index], minus[out_index]
                expected = columns[out_index].shape[0]
                if p.size != expected or m.size != expected:
                    raise GradcheckError(
                        f"gradcheck: output {out_index} of fn changed size when input {i} was "
                        f"perturbed ({expected} elements, then {p.size} and {m.size})"
                    )
                columns[out_index][:, j] = (p - m) / (2 * eps)
        for out_index, column in columns.items():
            jacobians[i, out_index] = column
    return jacobians


def _evaluate(fn, inputs) -> list:
    """The outputs of ``fn`` as flat float64 copies (ops may return views of the inputs)."""
    with grad_mode.enable_grad():  # fn may take gradients itself (second-order checks)
        outputs = _outputs(fn, inputs)
    return [np.array(o.data, dtype=np.float64).reshape(-1) for o in outputs]  # bools too


def _index(flat: int, shape: tuple) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()
