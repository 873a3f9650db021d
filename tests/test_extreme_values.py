"""amax, amin and the global median at infinite and NaN values, and their dtypes, against torch.

They are compositions (the extreme taken outside the graph plus a term that is zero in value and
the tie weights in derivative); an infinite element once made that term ``inf * 0`` (NaN), so
``amax([-inf, 1, 3])`` returned NaN, and float32 inputs came back as float64.
"""

import warnings

import numpy as np
import pytest
import torch

import autograd

INF, NAN = float("inf"), float("nan")
CASES = [
    [-INF, 1.0, 3.0],
    [1.0, INF, INF],
    [-INF, -INF],
    [2.0, 2.0, 1.0],
    [NAN, 1.0],
    [[NAN, 1.0], [2.0, -INF]],
    [[NAN, 1.0], [NAN, -INF]],
    [[INF, 1.0], [INF, -INF]],
]
REDUCTIONS = [
    ("amax", {}),
    ("amin", {}),
    ("median", {}),
    ("amax", {"dim": -1}),
    ("amin", {"dim": 0}),
]


@pytest.mark.parametrize("values", CASES, ids=str)
@pytest.mark.parametrize("op, kwargs", REDUCTIONS, ids=str)
def test_values_and_gradients_match_torch_at_infinities_and_nans(values, op, kwargs):
    ours = autograd.tensor(values, requires_grad=True)
    theirs = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "invalid value" from an inf * 0 on the way
        out = getattr(ours, op)(**kwargs)
        out.backward(autograd.ones_like(out))  # not sum(): inf + -inf would warn
    expected = getattr(theirs, op)(**kwargs)
    expected.backward(torch.ones_like(expected))
    np.testing.assert_array_equal(out.detach().numpy(), expected.detach().numpy())
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


@pytest.mark.parametrize("op, kwargs", REDUCTIONS, ids=str)
def test_float32_stays_float32(op, kwargs):
    x = autograd.tensor([[3.0, 1.0], [3.0, 2.0]], dtype=autograd.float32, requires_grad=True)
    out = getattr(x, op)(**kwargs)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32
