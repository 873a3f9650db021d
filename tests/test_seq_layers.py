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
F64_LOOSE = {"rtol": 1e-9, "atol": 1e-11}  # compositions that sum in another order


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


# -- Embedding ---------------------------------------------------------------------------------


def _embedding_pair(*args, **kwargs):
    ours = nn.Embedding(*args, **kwargs, dtype=np.float64)
    theirs = torch.nn.Embedding(*args, **kwargs, dtype=torch.float64)
    assert repr(ours) == repr(theirs)
    return ours, theirs


INDICES = np.array([[1, 3, 3, 0], [4, 3, 1, 1]])  # repeated rows: their gradients add up


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding_idx": 3},
        {"padding_idx": -2},
        {"scale_grad_by_freq": True},
        {"scale_grad_by_freq": True, "padding_idx": 1},
    ],
)
def test_embedding_matches_torch(kwargs):
    ours, theirs = _embedding_pair(6, 4, **kwargs)
    if "padding_idx" in kwargs:  # a padding row that is not zero keeps its value, gets no grad
        with torch.no_grad():
            theirs.weight[kwargs["padding_idx"]] = 1.5
    check_layer(ours, theirs, [INDICES])
    check_layer(ours, theirs, [np.array(3)], load=False)  # a 0-d index: one vector
    check_layer(ours, theirs, [INDICES[0].astype(np.int32)], load=False)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0])
def test_embedding_max_norm_renormalises_rows_in_place_as_torch(norm_type):
    ours, theirs = _embedding_pair(6, 4, max_norm=1.2, norm_type=norm_type)
    with torch.no_grad():
        theirs.weight.mul_(2.0)  # most rows above the max norm
    array = ours.weight.data
    check_layer(ours, theirs, [INDICES])
    assert ours.weight.data is array  # changed in place
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), **TIGHT)
    untouched = 2  # never looked up: left as it was
    assert np.linalg.norm(ours.weight.data[untouched], norm_type) > 1.2


def test_embedding_initialisation_and_padding_row():
    autograd.manual_seed(0)
    table = nn.Embedding(500, 8, padding_idx=-1)
    assert table.padding_idx == 499 and table.weight.dtype == np.float32
    assert not table.weight.data[499].any()
    autograd.manual_seed(0)
    expected = nn.init.normal_(np.empty((500, 8), dtype=np.float32))
    np.testing.assert_array_equal(table.weight.data[:499], expected[:499])
    assert abs(table.weight.data.std() - 1) < 0.05
    assert repr(table) == repr(torch.nn.Embedding(500, 8, padding_idx=-1))


def test_embedding_reprs_as_torch():
    for kwargs in [
        {"max_norm": 1.0},
        {"norm_type": 1.0, "scale_grad_by_freq": True},
        {"padding_idx": 0, "max_norm": 2, "norm_type": 3},
    ]:
        assert repr(nn.Embedding(7, 2, **kwargs)) == repr(torch.nn.Embedding(7, 2, **kwargs))


def test_embedding_from_pretrained_as_torch():
    weights = np.random.default_rng(5).standard_normal((5, 3))
    for freeze in (True, False):
        ours = nn.Embedding.from_pretrained(autograd.tensor(weights), freeze=freeze, padding_idx=2)
        theirs = torch.nn.Embedding.from_pretrained(
            torch.tensor(weights), freeze=freeze, padding_idx=2
        )
        assert repr(ours) == repr(theirs)
        assert ours.weight.requires_grad == theirs.weight.requires_grad == (not freeze)
        np.testing.assert_array_equal(ours.weight.data, weights)  # the padding row kept
        if not freeze:
            check_layer(ours, theirs, [INDICES[:, :3]])
    shared = autograd.tensor(weights)
    assert nn.Embedding.from_pretrained(shared).weight.data is shared.data
    with pytest.raises(ValueError, match="Embeddings parameter is expected to be 2-dimensional"):
        nn.Embedding.from_pretrained(autograd.zeros(3))


def test_embedding_functional_matches_torch():
    rng = np.random.default_rng(6)
    weight = rng.standard_normal((5, 3))
    for kwargs in [{}, {"padding_idx": 4}, {"scale_grad_by_freq": True}]:
        w, tw = autograd.tensor(weight, requires_grad=True), torch.tensor(weight).requires_grad_()
        out = F.embedding(autograd.tensor(INDICES), w, **kwargs)
        expected = TF.embedding(torch.tensor(INDICES), tw, **kwargs)
        np.testing.assert_array_equal(out.data, expected.detach().numpy())
        g = rng.standard_normal(out.shape)
        out.backward(autograd.tensor(g))
        expected.backward(torch.tensor(g))
        np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), **TIGHT)


def test_embedding_misuse():
    table = nn.Embedding(4, 2)
    with pytest.raises(RuntimeError, match="'indices' to have one of the following scalar types"):
        table(autograd.tensor([0.0, 1.0]))
    with pytest.raises(IndexError, match="index out of range in self"):
        table(autograd.tensor([0, 4]))
    with pytest.raises(IndexError, match="index out of range in self"):
        table(autograd.tensor([-1]))  # torch has no negative indices here
    with pytest.raises(ValueError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(4, 2, padding_idx=4)
    with pytest.raises(ValueError, match="Padding_idx must be within num_embeddings"):
        F.embedding(autograd.tensor([0]), table.weight, padding_idx=-5)
    with pytest.raises(NotImplementedError, match="sparse=True"):
        nn.Embedding(4, 2, sparse=True)
    with pytest.raises(NotImplementedError, match="sparse=True"):
        F.embedding(autograd.tensor([0]), table.weight, sparse=True)
    with pytest.raises(TypeError, match="weight"):
        F.embedding(autograd.tensor([0]), np.zeros((3, 2)))


# -- LayerNorm, GroupNorm, RMSNorm -------------------------------------------------------------


def _randomise(theirs, seed):
    """Parameters away from their initial ones and zeros, so that a mix-up shows."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=p.dtype))


NORMS = [
    ("LayerNorm", (5,), {}, (3, 4, 5)),
    ("LayerNorm", ([4, 5],), {"eps": 1e-3}, (3, 4, 5)),
    ("LayerNorm", (5,), {"bias": False}, (2, 5)),
    ("LayerNorm", ((5,),), {"elementwise_affine": False}, (5,)),
    ("GroupNorm", (2, 6), {}, (3, 6, 4)),
    ("GroupNorm", (3, 6), {"eps": 1e-2}, (2, 6, 2, 3)),
    ("GroupNorm", (6, 6), {"affine": False}, (2, 6, 5)),
    ("GroupNorm", (1, 4), {"bias": False}, (2, 4)),
    ("RMSNorm", (5,), {}, (3, 4, 5)),
    ("RMSNorm", ([4, 5],), {"eps": 1e-4}, (3, 4, 5)),
    ("RMSNorm", (5,), {"elementwise_affine": False}, (2, 5)),
]


@pytest.mark.parametrize("name, args, kwargs, shape", NORMS)
def test_norm_layers_match_torch(name, args, kwargs, shape):
    ours = getattr(nn, name)(*args, **kwargs, dtype=np.float64)
    theirs = getattr(torch.nn, name)(*args, **kwargs, dtype=torch.float64)
    assert repr(ours) == repr(theirs)
    for (key, p), (_, tp) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        np.testing.assert_array_equal(p.data, tp.numpy(), err_msg=key)  # initial values
    _randomise(theirs, 0)
    x = np.random.default_rng(7).standard_normal(shape) * 3 + 1
    check_layer(ours, theirs, [x])
    ours.eval()
    theirs.eval()  # no running statistics: the same in evaluation
    check_layer(ours, theirs, [x], second_order=False)


def test_norm_functions_match_torch():
    rng = np.random.default_rng(8)
    x, w, b = rng.standard_normal((2, 6, 3)), rng.standard_normal(6), rng.standard_normal(6)
    check_against_torch(
        lambda x, w, b: F.group_norm(x, 3, w, b, eps=1e-3),
        lambda x, w, b: TF.group_norm(x, 3, w, b, eps=1e-3),
        [x, w, b],
        rng,
        F64_LOOSE,
    )
    check_against_torch(
        lambda x, w: F.rms_norm(x, (6, 3), w.reshape(6, 1) * autograd.ones(6, 3, dtype=w.dtype)),
        lambda x, w: TF.rms_norm(x, (6, 3), w.reshape(6, 1) * torch.ones(6, 3, dtype=w.dtype)),
        [x, w],
        rng,
        F64_LOOSE,
    )
    for dtype, tdtype in [(np.float32, torch.float32), (np.float64, torch.float64)]:
        y = F.rms_norm(autograd.tensor(x * 1e-5, dtype=dtype), 3)  # eps=None: the dtype's
        expected = TF.rms_norm(torch.tensor(x * 1e-5, dtype=tdtype), (3,))
        np.testing.assert_allclose(
            y.data, expected.numpy(), rtol=1e-5 if dtype == np.float32 else 1e-10
        )


def test_norm_misuse_as_torch():
    with pytest.raises(ValueError) as a:
        nn.GroupNorm(3, 4)
    with pytest.raises(ValueError) as b:
        torch.nn.GroupNorm(3, 4)
    assert str(a.value) == str(b.value)
    for call, tcall in [
        (
            lambda: F.group_norm(autograd.zeros(2, 5, 3), 2),
            lambda: TF.group_norm(torch.zeros(2, 5, 3), 2),
        ),
        (lambda: F.group_norm(autograd.zeros(2), 1), lambda: TF.group_norm(torch.zeros(2), 1)),
        (
            lambda: F.rms_norm(autograd.zeros(2, 5, 3), (4,)),
            lambda: TF.rms_norm(torch.zeros(2, 5, 3), (4,)),
        ),
    ]:
        with pytest.raises(RuntimeError) as a:
            call()
        with pytest.raises(RuntimeError) as b:
            tcall()
        assert str(a.value) == str(b.value)
    with pytest.raises(RuntimeError, match="num_channels=4"):
        nn.GroupNorm(2, 4)(autograd.zeros(2, 6))
    with pytest.raises(RuntimeError, match="weight must have shape"):
        F.rms_norm(autograd.zeros(2, 3), 3, autograd.ones(2))
