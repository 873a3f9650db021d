"""One check for a layer against its torch.nn twin on the same state dict, in float64.

``check_layer`` builds nothing: it takes our module and torch's (made with the same arguments),
moves torch's state dict into ours (strict), and checks that ours loads back into a fresh torch
copy too; then it compares the forward outputs (a Tensor or nested tuples of them), the gradients
of the inputs and of every parameter for a random upstream gradient, and, when asked, a second
derivative: d/d(inputs, parameters) of <d(sum w * out^2)/d inputs, v>.
"""

import copy

import numpy as np
import torch

from autograd import Tensor, grad

F64 = {"rtol": 1e-10, "atol": 1e-12}


def flat_outputs(out) -> list:
    """The Tensors of a (nested) tuple output, in order, Nones left out."""
    if out is None:
        return []
    if isinstance(out, (tuple, list)):
        return [t for item in out for t in flat_outputs(item)]
    return [out]


def _as_ours(value, requires_grad):
    if isinstance(value, np.ndarray):
        return Tensor(value.copy(), requires_grad=requires_grad and value.dtype.kind == "f")
    return value


def _as_theirs(value, requires_grad):
    if isinstance(value, np.ndarray):
        t = torch.tensor(value.copy())
        return t.requires_grad_(requires_grad and value.dtype.kind == "f")
    return value


def load_torch_state(ours, theirs) -> None:
    """torch's state dict into ours, and ours back into a fresh torch copy: both strict."""
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (name, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        assert a.shape == tuple(b.shape), (name, a.shape, tuple(b.shape))
    ours.load_state_dict(theirs.state_dict())
    fresh = copy.deepcopy(theirs)
    for p in fresh.parameters():
        torch.nn.init.zeros_(p)
    fresh.load_state_dict({k: torch.tensor(v.data) for k, v in ours.state_dict().items()})
    for key, value in fresh.state_dict().items():
        assert torch.equal(value, theirs.state_dict()[key]), key


def check_layer(
    ours,
    theirs,
    inputs,
    kwargs=None,
    *,
    rng=None,
    tol=F64,
    second_order=True,
    load=True,
):
    """Compare ``ours(*inputs, **kwargs)`` with ``theirs(...)``: values, first and second order.

    ``inputs`` are ndarrays (float ones get gradients) or other arguments passed as they are;
    ``kwargs`` values alike (ndarray masks become Tensors). Both modules should be float64.
    """
    rng = rng or np.random.default_rng(0)
    kwargs = kwargs or {}
    if load:
        load_torch_state(ours, theirs)
    xs = [_as_ours(a, True) for a in inputs]
    ts = [_as_theirs(a, True) for a in inputs]
    kw = {k: _as_ours(v, False) for k, v in kwargs.items()}
    tkw = {k: _as_theirs(v, False) for k, v in kwargs.items()}
    outs = flat_outputs(ours(*xs, **kw))
    touts = flat_outputs(theirs(*ts, **tkw))
    assert len(outs) == len(touts)
    for out, tout in zip(outs, touts):
        assert out.shape == tuple(tout.shape)
        assert out.dtype == np.float64
        np.testing.assert_allclose(out.data, tout.detach().numpy(), **tol)

    gx = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
    gt = [t for t in ts if isinstance(t, torch.Tensor) and t.requires_grad]
    params = [p for _, p in ours.named_parameters()]
    tparams = [p for _, p in theirs.named_parameters()]
    uppers = [rng.standard_normal(o.shape) for o in outs]
    total = sum((o * Tensor(u)).sum() for o, u in zip(outs, uppers))
    ttotal = sum((o * torch.tensor(u)).sum() for o, u in zip(touts, uppers))
    ours_grads = grad(total, gx + params, allow_unused=True)
    their_grads = torch.autograd.grad(ttotal, gt + tparams, allow_unused=True)
    for g, tg in zip(ours_grads, their_grads):
        if tg is None:
            assert g is None or not np.any(g.data)
            continue
        np.testing.assert_allclose(g.data, tg.numpy(), **tol)

    if not second_order or not gx:
        return
    outs = flat_outputs(ours(*xs, **kw))
    touts = flat_outputs(theirs(*ts, **tkw))
    weights = [rng.standard_normal(o.shape) for o in outs]
    vs = [rng.standard_normal(x.shape) for x in gx]
    square = sum((o * o * Tensor(w)).sum() for o, w in zip(outs, weights))
    tsquare = sum((o * o * torch.tensor(w)).sum() for o, w in zip(touts, weights))
    firsts = grad(square, gx, create_graph=True)
    tfirsts = torch.autograd.grad(tsquare, gt, create_graph=True)
    inner = sum((f * Tensor(v)).sum() for f, v in zip(firsts, vs))
    tinner = sum((f * torch.tensor(v)).sum() for f, v in zip(tfirsts, vs))
    seconds = grad(inner, gx + params, allow_unused=True)
    tseconds = torch.autograd.grad(tinner, gt + tparams, allow_unused=True)
    for s, ts_ in zip(seconds, tseconds):
        if ts_ is None:
            assert s is None or not np.any(s.data)
            continue
        np.testing.assert_allclose(s.data, ts_.numpy(), **tol)
