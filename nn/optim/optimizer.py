"""``Optimizer``: the base of every optimizer, holding parameter groups and per-parameter state.

The update rules are written once, on numpy arrays, and reach parameters through
``autograd.parameters``: ``data_array(p)`` is the array a rule updates in place and
``assign_data(p, array)`` makes the update stick, so two kinds of parameter share one step:

- a Tensor (``autograd.Tensor``, ``nn.Parameter``): the rule updates ``p.data`` itself, in its
  own dtype, so views of it stay valid; a tensor whose ``.grad`` is None is skipped, as in
  PyTorch;
- a scalar ``autograd.Value``: the rule sees 0-d float64 arrays, the result is written back
  into the float ``p.data``, and its state is 0-d float64 arrays.

A subclass gives its hyperparameters to ``__init__`` and implements ``_update(group, param,
grad, state)``; everything else (groups, state, ``zero_grad``, ``step``, state dicts) is here.
Names, defaults, state keys, state dict layout and error messages are PyTorch's.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import enable_grad, parameters


def _state_like(p) -> np.ndarray:
    """A zero array shaped and typed as a state buffer of ``p`` (0-d float64 for a Value)."""
    return np.zeros_like(parameters.data_array(p))


def _lerp_(start: np.ndarray, end, weight: float) -> None:
    """``start += weight * (end - start)`` in place, written as PyTorch's ``lerp_`` is."""
    if abs(weight) < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1 - weight)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


class Optimizer:
    """Base class of the optimizers (PyTorch's ``torch.optim.Optimizer``).

    Parameters
    ----------
    params : iterable
        The parameters to optimize (Tensors or Values), or dicts that define parameter groups:
        ``{"params": [...], "lr": 0.1}``; options missing from a group take ``defaults``.
    defaults : dict
        The default hyperparameters of every group.

    Attributes
    ----------
    param_groups : list of dict
        One dict per group: ``"params"`` and every hyperparameter. Learning-rate schedulers
        change ``group["lr"]`` here.
    state : dict
        Per-parameter state (momentum buffers, moment estimates, step counts), keyed by the
        parameter.

    Examples
    --------
    >>> import autograd
    >>> import nn
    >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
    >>> class HalfStep(nn.optim.Optimizer):
    ...     def __init__(self, params, lr=0.5):
    ...         super().__init__(params, dict(lr=lr))
    ...     def step(self, closure=None):
    ...         with autograd.no_grad():
    ...             for group in self.param_groups:
    ...                 for p in group['params']:
    ...                     p -= group['lr'] * p.grad
    >>> opt = HalfStep([w])
    >>> ((w - 3) ** 2).sum().backward()
    >>> opt.step()
    >>> w
    Parameter containing:
    tensor([3.], dtype=float64, requires_grad=True)
    """

    def __init__(self, params, defaults: dict[str, Any]) -> None:
        if parameters.is_node(params):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}; pass [param] or model.parameters()"
            )
        if callable(getattr(params, "parameters", None)):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}; pass model.parameters()"
            )
        if isinstance(params, dict):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got a single dict; wrap the parameter group in a list: [group]"
            )
        self.defaults = dict(defaults)
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    # -- parameter groups ------------------------------------------------------------------------

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (those missing take the defaults).

        Useful for fine-tuning: layers unfrozen during training join the optimizer here.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
        >>> b = nn.Parameter(autograd.zeros(1))
        >>> opt = nn.optim.SGD([w], lr=0.1)
        >>> opt.add_param_group({'params': [b], 'lr': 0.01})
        >>> [g['lr'] for g in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        group = dict(param_group)
        if "params" not in group:
            raise ValueError("param_group must have a 'params' entry with the parameters")
        params = group["params"]
        if parameters.is_node(params):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        group["params"] = params = list(params)

        for p in params:
            if not parameters.is_node(p):
                raise TypeError(
                    "optimizer can only optimize Tensors or Values, but one of the params is "
                    f"{type(p).__name__}"
                )
            if not parameters.is_leaf(p) and not parameters.retains_grad(p):
                raise ValueError(
                    "can't optimize a non-leaf Tensor: it is the result of an operation; "
                    "optimize the leaves it was computed from"
                )
        for name, default in self.defaults.items():
            group.setdefault(name, default)

        seen: set[int] = set()
        for p in params:
            if id(p) in seen:
                raise ValueError(
                    "optimizer contains a parameter group with duplicate parameters; pass each "
                    "parameter once"
                )
            seen.add(id(p))
        for other in self.param_groups:
            if any(id(p) in seen for p in other["params"]):
                raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    # -- gradients -------------------------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of every parameter.

        A tensor's ``.grad`` becomes None (``set_to_none=True``, the default) or zeros; a
        Value's ``.grad`` becomes 0.0 (it has no None).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
        >>> opt = nn.optim.SGD([w], lr=0.1)
        >>> (w * 2).sum().backward()
        >>> w.grad
        tensor([2.], dtype=float64)
        >>> opt.zero_grad()
        >>> w.grad is None
        True
        """
        for group in self.param_groups:
            for p in group["params"]:
                parameters.zero_grad(p, set_to_none)

    # -- the step --------------------------------------------------------------------------------

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return the closure's loss (or None).

        ``closure`` re-evaluates the model and returns the loss (it should zero the gradients
        and call ``backward()``); it runs with grad mode on, before the update.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
        >>> opt = nn.optim.SGD([w], lr=0.1)
        >>> ((w - 3) ** 2).sum().backward()
        >>> opt.step()
        >>> w
        Parameter containing:
        tensor([0.6000], dtype=float64, requires_grad=True)
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._opt_called = True
        for group in self.param_groups:
            for p in group["params"]:
                grad = parameters.grad_array(p)
                if grad is None:
                    continue  # no gradient reached it: skipped, as in PyTorch
                param = parameters.data_array(p)
                grad = _matching_grad(grad, param)
                state = self.state.get(p)
                if state is None:
                    state = {}
                self._update(group, param, grad, state)
                if state:  # a rule without state (plain SGD) leaves none, as in PyTorch
                    self.state[p] = state
                parameters.assign_data(p, param)  # a Value's copy goes back; a Tensor's is it
        return loss

    def _update(
        self, group: dict[str, Any], param: np.ndarray, grad: np.ndarray, state: dict
    ) -> None:
        """Apply one step of the rule to ``param`` in place; ``state`` persists across steps."""
        raise NotImplementedError(f"{type(self).__name__} must implement _update")

    # -- state dicts -----------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state as PyTorch lays it out, with copies of the arrays.

        ``{"state": {index: {"exp_avg": ndarray, "step": float, ...}}, "param_groups":
        [{"lr": ..., ..., "params": [indices]}]}``: parameters are numbered in the order of the
        groups, and the parameters themselves are not saved.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
        >>> opt = nn.optim.Adam([w], lr=0.1)
        >>> ((w - 3) ** 2).sum().backward()
        >>> opt.step()
        >>> state = opt.state_dict()
        >>> sorted(state), sorted(state['state'][0])
        (['param_groups', 'state'], ['exp_avg', 'exp_avg_sq', 'step'])
        """
        index: dict[int, int] = {}
        groups = []
        start = 0
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                index.setdefault(id(p), i)
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {
            index[id(p)]: {k: copy.deepcopy(v) for k, v in s.items()}
            for p, s in self.state.items()
            if id(p) in index
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state dict from ``state_dict()`` (ours, or PyTorch's with tensors inside).

        Parameters are matched by position; arrays are copied and cast to each parameter's
        dtype (``step`` becomes a float).

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> w = nn.Parameter(autograd.tensor([0.0], dtype=autograd.float64))
        >>> opt = nn.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> ((w - 3) ** 2).sum().backward()
        >>> opt.step()
        >>> again = nn.optim.SGD([w], lr=0.5, momentum=0.9)
        >>> again.load_state_dict(opt.state_dict())
        >>> again.param_groups[0]['lr'], again.state_dict()['state'] == opt.state_dict()['state']
        (0.1, True)
        """
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError(
                f"loaded state dict has a different number of parameter groups "
                f"({len(saved_groups)}) than the optimizer ({len(groups)})"
            )
        for i, (group, saved) in enumerate(zip(groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    f"of optimizer's group: group {i} has {len(saved['params'])} parameters "
                    f"in the state dict and {len(group['params'])} in the optimizer"
                )
        id_map = {
            saved_id: p
            for group, saved in zip(groups, saved_groups)
            for saved_id, p in zip(saved["params"], group["params"])
        }
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, values in state_dict["state"].items():
            if key not in id_map:
                raise ValueError(
                    f"loaded state dict has state for parameter {key!r}, which none of its "
                    f"param_groups lists (they list {sorted(id_map, key=repr)})"
                )
            p = id_map[key]
            state[p] = {name: _cast_state(p, key, name, v) for name, v in values.items()}
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            new_groups.append(saved)
        self.param_groups = new_groups
        self.state = state
        self._after_load()

    def _after_load(self) -> None:
        """Fix up groups after ``load_state_dict`` (options a subclass always sets)."""

    # -- display ---------------------------------------------------------------------------------

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {group[k]}" for k in sorted(group) if k != "params")
        lines.append(")")
        return "\n".join(lines)


def _matching_grad(grad: np.ndarray, param: np.ndarray) -> np.ndarray:
    """``grad`` checked against the shape of ``param`` and cast to its dtype."""
    if grad.shape != param.shape:
        raise RuntimeError(
            f"the gradient of a parameter has shape {grad.shape}, but the parameter has shape "
            f"{param.shape}; a .grad must have its parameter's shape"
        )
    if grad.dtype != param.dtype:
        grad = grad.astype(param.dtype)
    return grad


def _cast_state(p, index, name: str, value):
    """A copy of one loaded state entry, cast to what the parameter needs."""
    if name == "step":
        return float(value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    like = _state_like(p)
    array = np.array(np.asarray(value), dtype=like.dtype, copy=True)
    if array.shape != like.shape:
        raise ValueError(
            f"size mismatch for state {name!r} of parameter {index}: copying a state of shape "
            f"{array.shape}, the shape of the parameter is {like.shape}"
        )
    return array
