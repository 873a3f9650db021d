"""Sequence-model layers against torch.nn in float64, on the same state dict: activations,
Identity, Unflatten, Embedding, LayerNorm/GroupNorm/RMSNorm, attention and recurrent layers.

Each layer is made twice with the same arguments, torch's state dict is loaded into ours (and
ours back into torch), and outputs, input and parameter gradients and a second derivative are
compared (``seq_oracle.check_layer``); reprs, defaults and misuse errors are compared as well.
"""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from seq_oracle import check_layer
from torch_oracle import check_against_torch

import autograd
import nn
import nn.functional as F

TIGHT = {"rtol": 1e-12, "atol": 1e-12}


# -- activations, Identity, Unflatten ----------------------------------------------------------


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (F.mish, TF.mish),
        (F.hardtanh, TF.hardtanh),
        (lambda x: F.hardtanh(x, -0.5, 2.0), lambda x: TF.hardtanh(x, -0.5, 2.0)),
    ],
)
def test_new_activation_functions_match_torch(ours, theirs):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 5)) * 3
    x[0, :3] = [-1.0, 1.0, 0.0]  # hardtanh's ends: gradient 0 there, as torch
    check_against_torch(ours, theirs, [x], rng, float64=True)


def test_mish_large_inputs_stay_finite():
    x = np.array([-100.0, -30.0, 0.0, 30.0, 100.0])
    check_against_torch(F.mish, TF.mish, [x], np.random.default_rng(1))


def test_hardtanh_misuse():
    with pytest.raises(ValueError, match="min_val"):
        F.hardtanh(autograd.zeros(2), 1.0, -1.0)
    with pytest.raises(ValueError, match=r"max_val \(1\) must be greater than min_val \(2\)"):
        nn.Hardtanh(2, 1)
    with pytest.warns(FutureWarning, match="min_value"):
        assert nn.Hardtanh(min_value=-3.0).min_val == -3.0


ACTIVATIONS = [
    ("SiLU", (), {}),
    ("SiLU", (True,), {}),
    ("Mish", (), {"inplace": True}),
    ("Softplus", (), {}),
    ("Softplus", (2, 1.5), {}),
    ("Hardtanh", (), {}),
    ("Hardtanh", (-2, 3, True), {}),
    ("GELU", (), {}),
    ("GELU", (), {"approximate": "tanh"}),
    ("Identity", (3,), {"unused": 1}),
]


@pytest.mark.parametrize("name, args, kwargs", ACTIVATIONS)
def test_activation_layers_match_torch(name, args, kwargs):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(2).standard_normal((3, 4)) * 2
    if getattr(theirs, "inplace", False):  # torch's in-place version refuses a leaf: values only
        expected = theirs(torch.tensor(x))
        np.testing.assert_allclose(ours(autograd.tensor(x)).data, expected.numpy(), **TIGHT)
    else:
        check_layer(ours, theirs, [x])


def test_unflatten_matches_torch():
    for dim, sizes in [(1, (2, 3)), (-1, [3, -1]), (0, (1, 4, 1))]:
        ours, theirs = nn.Unflatten(dim, sizes), torch.nn.Unflatten(dim, sizes)
        assert repr(ours) == repr(theirs)
        check_layer(ours, theirs, [np.random.default_rng(3).standard_normal((4, 6))])


def test_unflatten_misuse_as_torch():
    for bad in [5, (2, 3.0)]:
        with pytest.raises(TypeError) as a:
            nn.Unflatten(1, bad)
        with pytest.raises(TypeError) as b:
            torch.nn.Unflatten(1, bad)
        assert str(a.value) == str(b.value)
    with pytest.raises(RuntimeError) as a:
        nn.Unflatten(1, (4, 2))(autograd.zeros(2, 6))
    with pytest.raises(RuntimeError) as b:
        torch.nn.Unflatten(1, (4, 2))(torch.zeros(2, 6))
    assert str(a.value) in str(b.value)
    with pytest.raises(IndexError, match="Dimension out of range"):
        nn.Unflatten(2, (1, 6))(autograd.zeros(2, 6))


def test_identity_returns_its_input():
    x = autograd.zeros(2, requires_grad=True)
    assert nn.Identity()(x) is x
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(nn.Identity(1, 2, a=3)) == "Identity()"
