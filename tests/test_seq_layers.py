"""Sequence-model layers against torch.nn in float64, on the same state dict: activations,
Identity, Unflatten, Embedding, LayerNorm/GroupNorm/RMSNorm, attention and recurrent layers.

Each layer is made twice with the same arguments, torch's state dict is loaded into ours (and
ours back into torch), and outputs, input and parameter gradients and a second derivative are
compared (``seq_oracle.check_layer``); reprs, defaults and misuse errors are compared as well.
"""

import warnings
from functools import partial

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


# -- attention ---------------------------------------------------------------------------------


def _sdpa_case(rng, batch=(2, 3), length=4, source=5, e=6, ev=3):
    q = rng.standard_normal((*batch, length, e))
    k = rng.standard_normal((*batch, source, e))
    v = rng.standard_normal((*batch, source, ev))
    return q, k, v


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"is_causal": True}, {"scale": 0.3}, {"is_causal": True, "scale": 2.0}],
)
def test_sdpa_matches_torch(kwargs):
    rng = np.random.default_rng(10)
    check_against_torch(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **kwargs),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, **kwargs),
        list(_sdpa_case(rng)),
        rng,
        F64_LOOSE,
    )


def test_sdpa_masks_match_torch():
    rng = np.random.default_rng(11)
    q, k, v = _sdpa_case(rng)
    allowed = rng.random((4, 5)) < 0.7
    allowed[:, 0] = True  # every query attends somewhere
    check_against_torch(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, autograd.tensor(allowed)),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, torch.tensor(allowed)),
        [q, k, v],
        rng,
        F64_LOOSE,
    )
    bias = rng.standard_normal((3, 4, 5))  # a float mask, broadcast over the batch: and its grad
    check_against_torch(
        lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m),
        lambda q, k, v, m: TF.scaled_dot_product_attention(q, k, v, m),
        [q, k, v, bias],
        rng,
        F64_LOOSE,
    )


def test_sdpa_grouped_query_attention_matches_torch():
    rng = np.random.default_rng(12)
    q = rng.standard_normal((2, 4, 3, 5))
    k, v = rng.standard_normal((2, 2, 6, 5)), rng.standard_normal((2, 2, 6, 3))
    check_against_torch(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, enable_gqa=True),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, enable_gqa=True),
        [q, k, v],
        rng,
        F64_LOOSE,
    )


def test_sdpa_dropout_draws_from_the_global_stream():
    rng = np.random.default_rng(13)
    q, k, v = (autograd.tensor(a, requires_grad=True) for a in _sdpa_case(rng))
    autograd.manual_seed(5)
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
    autograd.manual_seed(5)
    weights = ((q @ k.transpose(-2, -1)) / np.sqrt(6)).softmax(-1)
    expected = F.dropout(weights, 0.4) @ v
    np.testing.assert_allclose(out.data, expected.data, **TIGHT)
    autograd.manual_seed(5)
    again = F.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
    np.testing.assert_array_equal(out.data, again.data)
    assert not np.allclose(out.data, F.scaled_dot_product_attention(q, k, v).data)


def test_sdpa_misuse():
    q = autograd.zeros(2, 3, 4)
    with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when is_causal"):
        F.scaled_dot_product_attention(q, q, q, autograd.ones(3, 3), is_causal=True)
    with pytest.raises(RuntimeError, match="expected query"):
        F.scaled_dot_product_attention(q, autograd.zeros(2, 3, 5), q)
    with pytest.raises(TypeError, match="bool or floating"):
        F.scaled_dot_product_attention(q, q, q, autograd.tensor([[1, 0, 0]] * 3))
    with pytest.raises(ValueError, match="dropout probability"):
        F.scaled_dot_product_attention(q, q, q, dropout_p=1.5)


def _mha_pair(*args, **kwargs):
    ours = nn.MultiheadAttention(*args, **kwargs, dtype=np.float64)
    theirs = torch.nn.MultiheadAttention(*args, **kwargs, dtype=torch.float64)
    assert repr(ours) == repr(theirs)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]
    _randomise(theirs, 1)  # biases away from torch's zeros
    return ours, theirs


MHA_CASES = [
    ((6, 2), {}),
    ((6, 3), {"bias": False}),
    ((6, 2), {"add_bias_kv": True, "add_zero_attn": True}),
    ((6, 2), {"kdim": 4, "vdim": 5}),
    ((6, 1), {"kdim": 4, "vdim": 5, "add_bias_kv": True}),
    ((6, 2), {"batch_first": True}),
]


@pytest.mark.parametrize("args, kwargs", MHA_CASES)
@pytest.mark.parametrize("average", [True, False])
def test_multihead_attention_matches_torch(args, kwargs, average):
    rng = np.random.default_rng(14)
    ours, theirs = _mha_pair(*args, **kwargs)
    n, length, source = 2, 3, 4
    kdim, vdim = kwargs.get("kdim", 6), kwargs.get("vdim", 6)
    if kwargs.get("batch_first"):
        shapes = [(n, length, 6), (n, source, kdim), (n, source, vdim)]
    else:
        shapes = [(length, n, 6), (source, n, kdim), (source, n, vdim)]
    q, k, v = (rng.standard_normal(s) for s in shapes)
    check_layer(ours, theirs, [q, k, v], {"average_attn_weights": average}, tol=F64_LOOSE)
    # torch's path without weights is its fused kernel, which has no second derivative
    check_layer(
        ours,
        theirs,
        [q, k, v],
        {"need_weights": False},
        tol=F64_LOOSE,
        load=False,
        second_order=False,
    )


def test_multihead_attention_self_attention_and_unbatched_match_torch():
    rng = np.random.default_rng(15)
    ours, theirs = _mha_pair(6, 2)
    x = rng.standard_normal((3, 6))  # unbatched (L, E)
    check_layer(ours, theirs, [x, x, x], tol=F64_LOOSE)
    mask = np.triu(np.ones((3, 3), dtype=bool), 1)
    check_layer(
        ours, theirs, [x, x, x], {"attn_mask": mask, "is_causal": True}, tol=F64_LOOSE, load=False
    )


@pytest.mark.parametrize("bool_masks", [True, False])
def test_multihead_attention_masks_match_torch(bool_masks):
    rng = np.random.default_rng(16)
    ours, theirs = _mha_pair(6, 2, batch_first=True, add_zero_attn=True)
    n, length, source = 2, 3, 4
    q, k, v = (rng.standard_normal((n, s, 6)) for s in (length, source, source))
    padding = np.array([[False, False, True, True], [False, False, False, True]])
    attn = rng.random((length, source)) < 0.3
    attn[:, 0] = False
    if not bool_masks:
        padding = np.where(padding, -1e4, 0.0) + rng.standard_normal(padding.shape) * 0.1
        attn = rng.standard_normal((n * 2, length, source))  # per batch and head
    kwargs = {"key_padding_mask": padding, "attn_mask": attn}
    check_layer(ours, theirs, [q, k, v], kwargs, tol=F64_LOOSE)
    check_layer(
        ours,
        theirs,
        [q, k, v],
        {**kwargs, "need_weights": False},
        tol=F64_LOOSE,
        load=False,
        second_order=False,
    )


def test_multihead_attention_initialisation_and_dropout():
    autograd.manual_seed(0)
    attention = nn.MultiheadAttention(64, 4, add_bias_kv=True, dropout=0.5)
    bound = np.sqrt(6 / (64 + 3 * 64))  # xavier_uniform_ of (3E, E)
    w = attention.in_proj_weight.data
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert not attention.in_proj_bias.data.any() and not attention.out_proj.bias.data.any()
    assert attention.bias_k.shape == (1, 1, 64) and attention.bias_k.data.std() > 0
    assert attention.in_proj_weight.dtype == np.float32
    x = autograd.randn(5, 2, 64)
    autograd.manual_seed(3)
    a, wa = attention(x, x, x)
    autograd.manual_seed(3)
    b, wb = attention(x, x, x)
    np.testing.assert_array_equal(a.data, b.data)
    attention.eval()  # no dropout: the rows of the weights sum to 1 again
    _, weights = attention(x, x, x)
    np.testing.assert_allclose(weights.data.sum(-1), 1, rtol=1e-5)
    assert not np.allclose(wa.data.sum(-1), 1)


def test_multihead_attention_misuse_as_torch():
    for args in [(5, 2), (0, 1)]:
        with pytest.raises((ValueError, AssertionError)) as theirs:
            torch.nn.MultiheadAttention(*args)
        with pytest.raises(ValueError) as ours:
            nn.MultiheadAttention(*args)
        assert str(ours.value) == str(theirs.value)
    attention = nn.MultiheadAttention(4, 2)
    x = autograd.zeros(3, 2, 4)
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        attention(x, x, x, is_causal=True)
    with pytest.raises(RuntimeError, match=r"The shape of the 2D attn_mask is \(2, 2\)"):
        attention(x, x, x, attn_mask=autograd.zeros(2, 2))
    with pytest.raises(RuntimeError, match="expecting key_padding_mask shape of"):
        attention(x, x, x, key_padding_mask=autograd.zeros(2, 5))
    with pytest.raises(RuntimeError, match="was expecting embedding dimension of 4, but got 3"):
        attention(autograd.zeros(3, 2, 3), x, x)
    with pytest.raises(RuntimeError, match="query should be unbatched 2D or batched 3D"):
        attention(autograd.zeros(4), x, x)
    with pytest.raises(TypeError, match="only bool and floating types of attn_mask"):
        attention(x, x, x, attn_mask=autograd.zeros(3, 3, dtype=np.int64))


# -- recurrent layers --------------------------------------------------------------------------

RECURRENT = [
    ("RNN", (3, 4), {}),
    ("RNN", (3, 4, 2, "relu"), {}),
    ("RNN", (3, 4), {"num_layers": 2, "bias": False, "bidirectional": True}),
    ("LSTM", (3, 4), {}),
    ("LSTM", (3, 4), {"num_layers": 2, "bidirectional": True}),
    ("LSTM", (3, 4), {"proj_size": 2, "num_layers": 2}),
    ("LSTM", (3, 4), {"proj_size": 3, "bidirectional": True, "bias": False}),
    ("GRU", (3, 4), {}),
    ("GRU", (3, 4), {"num_layers": 3}),
    ("GRU", (3, 4), {"num_layers": 2, "bidirectional": True, "batch_first": True}),
]


def _recurrent_pair(name, args, kwargs):
    ours = getattr(nn, name)(*args, **kwargs, dtype=np.float64)
    theirs = getattr(torch.nn, name)(*args, **kwargs, dtype=torch.float64)
    assert repr(ours) == repr(theirs)
    return ours, theirs


def _states(theirs, batch, rng):
    """Random initial states of torch's shapes, as a tuple of arrays (one, or h and c)."""
    directions = 2 if theirs.bidirectional else 1
    layers = directions * theirs.num_layers
    out = theirs.proj_size if getattr(theirs, "proj_size", 0) else theirs.hidden_size
    h = rng.standard_normal((layers, *batch, out))
    if theirs.mode == "LSTM":
        return h, rng.standard_normal((layers, *batch, theirs.hidden_size))
    return (h,)


class _StateAsArguments(torch.nn.Module):
    """``module(x, h)`` or ``module(x, (h, c))`` with the states as separate arguments, so that
    check_layer differentiates with respect to them too."""

    def __init__(self, module, lstm):
        super().__init__()
        self.module, self.lstm = module, lstm

    def forward(self, x, *states):
        return self.module(x, tuple(states) if self.lstm else states[0])


class _OursStateAsArguments(nn.Module):
    def __init__(self, module, lstm):
        super().__init__()
        self.module, self.lstm = module, lstm

    def forward(self, x, *states):
        return self.module(x, tuple(states) if self.lstm else states[0])


@pytest.mark.parametrize("name, args, kwargs", RECURRENT)
def test_recurrent_layers_match_torch(name, args, kwargs):
    rng = np.random.default_rng(20)
    ours, theirs = _recurrent_pair(name, args, kwargs)
    length, batch = 5, 2
    shape = (batch, length, 3) if kwargs.get("batch_first") else (length, batch, 3)
    x = rng.standard_normal(shape)
    check_layer(ours, theirs, [x])  # zero initial states
    lstm = name == "LSTM"
    wrapped, twrapped = _OursStateAsArguments(ours, lstm), _StateAsArguments(theirs, lstm)
    states = _states(theirs, (batch,), rng)
    check_layer(wrapped, twrapped, [x, *states], load=False)
    unbatched = rng.standard_normal((length, 3))  # (L, H_in): batch_first does not apply
    check_layer(ours, theirs, [unbatched], load=False, second_order=False)
    check_layer(wrapped, twrapped, [unbatched, *_states(theirs, (), rng)], load=False)


def test_recurrent_parameter_names_shapes_and_initialisation():
    theirs = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2)
    ours = nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]
    autograd.manual_seed(0)
    gru = nn.GRU(4, 100)
    bound = 1 / np.sqrt(100)
    for name, p in gru.named_parameters():
        assert p.dtype == np.float32
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.95 * bound, name
    autograd.manual_seed(0)
    expected = nn.init.uniform_(np.empty((300, 4), dtype=np.float32), -bound, bound)
    np.testing.assert_array_equal(gru.weight_ih_l0.data, expected)  # the global stream


def test_recurrent_dropout_between_layers():
    rnn = nn.GRU(3, 4, num_layers=3, dropout=0.5, dtype=np.float64)
    assert repr(rnn) == repr(torch.nn.GRU(3, 4, num_layers=3, dropout=0.5))
    x = autograd.randn(6, 2, 3, dtype=np.float64)
    autograd.manual_seed(1)
    a, ha = rnn(x)
    autograd.manual_seed(1)
    b, hb = rnn(x)
    np.testing.assert_array_equal(a.data, b.data)
    rnn.eval()
    c, _ = rnn(x)
    d, _ = rnn(x)
    np.testing.assert_array_equal(c.data, d.data)
    assert not np.allclose(a.data, c.data)
    # the last layer's output is not dropped: its h_n is the output's last step
    np.testing.assert_array_equal(ha.data[-1], a.data[-1])
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.2)


def test_recurrent_misuse_as_torch():
    def same_error(make, tmake, error):
        with pytest.raises(error) as a:
            make()
        with pytest.raises(error) as b:
            tmake()
        assert str(a.value) == str(b.value)

    for kwargs in [{"dropout": 2}, {"hidden_size": 0}, {"num_layers": 0}]:
        full = {"input_size": 3, "hidden_size": 4, **kwargs}
        same_error(partial(nn.GRU, **full), partial(torch.nn.GRU, **full), ValueError)
    same_error(
        partial(nn.GRU, 3, 4, proj_size=2), partial(torch.nn.GRU, 3, 4, proj_size=2), ValueError
    )
    same_error(
        partial(nn.RNN, 3, 4, nonlinearity="sigmoid"),
        partial(torch.nn.RNN, 3, 4, nonlinearity="sigmoid"),
        ValueError,
    )
    same_error(
        partial(nn.LSTM, 3, 4, proj_size=4), partial(torch.nn.LSTM, 3, 4, proj_size=4), ValueError
    )
    lstm, tlstm, gru, tgru = nn.LSTM(3, 4), torch.nn.LSTM(3, 4), nn.GRU(3, 4), torch.nn.GRU(3, 4)
    z, tz = autograd.zeros, torch.zeros
    cases = [  # (ours, theirs, input shape, state shapes, error)
        (lstm, tlstm, (2, 3, 3, 3), None, ValueError),
        (gru, tgru, (2, 3, 3, 3), None, ValueError),
        (lstm, tlstm, (5, 2, 4), None, RuntimeError),
        (gru, tgru, (5, 2, 4), None, RuntimeError),
        (lstm, tlstm, (5, 2), [(1, 2, 4), (1, 2, 4)], RuntimeError),
        (lstm, tlstm, (5, 2, 3), [(1, 3, 4), (1, 2, 4)], RuntimeError),
        (lstm, tlstm, (5, 2, 3), [(1, 2, 4), (2, 2, 4)], RuntimeError),
        (gru, tgru, (5, 3), [(1, 2, 4)], RuntimeError),
        (gru, tgru, (5, 2, 3), [(1, 3, 4)], RuntimeError),
        (gru, tgru, (5, 2, 3), [(3, 4)], RuntimeError),
    ]
    for ours, theirs, shape, states, error in cases:
        if states is None:
            args, targs = (z(*shape),), (tz(*shape),)
        elif len(states) == 2:
            args = (z(*shape), tuple(z(*s) for s in states))
            targs = (tz(*shape), tuple(tz(*s) for s in states))
        else:
            args, targs = (z(*shape), z(*states[0])), (tz(*shape), tz(*states[0]))
        same_error(partial(ours, *args), partial(theirs, *targs), error)


# -- float32, the default ----------------------------------------------------------------------

FLOAT32_LAYERS = [
    ("Embedding", (7, 4), {}, "indices"),
    ("LayerNorm", (4,), {}, (2, 3, 4)),
    ("GroupNorm", (1, 2), {}, (2, 2, 4)),
    ("RMSNorm", (4,), {}, (2, 3, 4)),
    ("Mish", (), {}, (2, 3, 4)),
    ("Hardtanh", (), {}, (2, 3, 4)),
    ("MultiheadAttention", (4, 2), {}, "attention"),
    ("RNN", (4, 3), {}, (2, 3, 4)),
    ("LSTM", (4, 3), {"proj_size": 2}, (2, 3, 4)),
    ("GRU", (4, 3), {"bidirectional": True}, (2, 3, 4)),
]


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.parametrize("name, args, kwargs, shape", FLOAT32_LAYERS)
def test_layers_keep_float32_as_torch(name, args, kwargs, shape):
    rng = np.random.default_rng(30)
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    ours.load_state_dict(theirs.state_dict())
    if shape == "indices":
        inputs = [np.array([[0, 6, 2]])]
    elif shape == "attention":
        inputs = [rng.standard_normal((3, 2, 4)).astype(np.float32)] * 3
    else:
        inputs = [rng.standard_normal(shape).astype(np.float32)]
    outs = ours(*(autograd.tensor(a) for a in inputs))
    expected = theirs(*(torch.tensor(a) for a in inputs))
    outs = outs if isinstance(outs, tuple) else (outs,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    for out, tout in zip(outs, expected):
        out, tout = (out, tout) if isinstance(out, autograd.Tensor) else (out[0], tout[0])
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-5, atol=1e-6)
