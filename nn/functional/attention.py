"""Attention, PyTorch's: ``scaled_dot_product_attention`` and ``multi_head_attention_forward``.

Both are compositions of matmul, softmax, addition, reshapes and ``dropout``, so every gradient
(queries, keys, values, float masks, projection weights) and every second derivative comes from
those operations' rules. Masks follow torch's conventions, which differ between the two:

- ``scaled_dot_product_attention``: a bool ``attn_mask`` is True where attention is **allowed**;
  a float one is added to the scores.
- ``multi_head_attention_forward`` (and ``nn.MultiheadAttention``): a bool ``attn_mask`` or
  ``key_padding_mask`` is True where attention is **not** allowed; float ones are added.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor, cat, zeros

from ._checks import tensor
from .dropout import dropout
from .linear import linear

__all__ = ["multi_head_attention_forward", "scaled_dot_product_attention"]


def _allowed_to_bias(allowed: np.ndarray, dtype) -> Tensor:
    """A bool "may attend" mask as the additive bias 0 / -inf."""
    return Tensor(np.where(allowed, 0.0, -np.inf).astype(dtype))


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """``softmax(query @ key^T * scale + bias) @ value``, with dropout on the attention weights.

    Parameters
    ----------
    query : Tensor
        Shape ``(*, Hq, L, E)`` (any leading dims; ``Hq`` is just one of them unless
        ``enable_gqa``).
    key : Tensor
        Shape ``(*, H, S, E)``.
    value : Tensor
        Shape ``(*, H, S, Ev)``.
    attn_mask : Tensor, optional
        Broadcastable to ``(*, L, S)``. Bool: True where a query may attend to a key (False
        positions get ``-inf``); float: added to the scores (and differentiated).
    dropout_p : float
        The probability of dropping an attention weight (inverted dropout, from the global
        stream: ``autograd.manual_seed`` makes it repeatable). Pass 0 in evaluation.
    is_causal : bool
        Let query ``i`` attend to keys ``j <= i`` only (the upper-left triangle, as torch); not
        together with ``attn_mask``.
    scale : float, optional
        The factor on the scores; ``1 / sqrt(E)`` by default.
    enable_gqa : bool
        Grouped-query attention: ``Hq`` query heads share ``H`` key/value heads (``Hq``
        divisible by ``H``; dim -3 of each).

    Returns
    -------
    Tensor
        Shape ``(*, Hq, L, Ev)``.

    Examples
    --------
    >>> import autograd
    >>> q, k, v = autograd.randn(2, 4, 5, 8), autograd.randn(2, 4, 6, 8), autograd.randn(2, 4, 6, 3)
    >>> scaled_dot_product_attention(q, k, v, is_causal=True).shape
    (2, 4, 5, 3)
    """
    q = tensor("scaled_dot_product_attention", query, "query", 1)
    k = tensor("scaled_dot_product_attention", key, "key", 2)
    v = tensor("scaled_dot_product_attention", value, "value", 3)
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise ValueError(
            "scaled_dot_product_attention: query, key and value need at least 2 dims (..., "
            f"sequence, features), got shapes {q.shape}, {k.shape}, {v.shape}"
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise RuntimeError(
            "scaled_dot_product_attention: expected query (..., L, E), key (..., S, E) and value "
            f"(..., S, Ev), got shapes {q.shape}, {k.shape} and {v.shape}"
        )
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if enable_gqa and q.ndim >= 3 and k.ndim >= 3 and q.shape[-3] != k.shape[-3]:
        heads, kv_heads = q.shape[-3], k.shape[-3]
        if heads % kv_heads or v.shape[-3] != kv_heads:
            raise RuntimeError(
                f"scaled_dot_product_attention: with enable_gqa the query heads ({heads}) must "
                f"be a multiple of the key and value heads ({kv_heads}, {v.shape[-3]})"
            )
        groups = np.repeat(np.arange(kv_heads), heads // kv_heads)  # repeat_interleave
        k = k[(Ellipsis, groups, slice(None), slice(None))]
        v = v[(Ellipsis, groups, slice(None), slice(None))]
    length, source = q.shape[-2], k.shape[-2]
    scale_factor = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale_factor
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(
                "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                "is_causal=True"
            )
        causal = np.tril(np.ones((length, source), dtype=bool))
        scores = scores + _allowed_to_bias(causal, scores.dtype)
    if attn_mask is not None:
        mask = attn_mask.data if isinstance(attn_mask, Tensor) else np.asarray(attn_mask)
        if mask.dtype == bool:
            scores = scores + _allowed_to_bias(mask, scores.dtype)
        elif mask.dtype.kind == "f":
            if not isinstance(attn_mask, Tensor):
                attn_mask = Tensor(mask)
            scores = scores + attn_mask.to(scores.dtype)
        else:
            raise TypeError(
                "scaled_dot_product_attention: attn_mask must be bool or floating, got "
                f"{mask.dtype}"
            )
    weights = scores.softmax(-1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return weights @ v


def _canonical_mask(mask, name: str, dtype) -> Tensor | None:
    """torch's ``_canonical_mask``: a bool mask (True: masked out) as a float one; floats kept."""
    if mask is None:
        return None
    data = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if data.dtype == bool:
        return Tensor(np.where(data, -np.inf, 0.0).astype(dtype))
    if data.dtype.kind != "f":
        raise TypeError(f"only bool and floating types of {name} are supported")
    return mask if isinstance(mask, Tensor) else Tensor(data)


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention over sequence-first inputs, torch's function behind the module.

    Shapes: ``query`` ``(L, N, E)``, ``key`` ``(S, N, Ek)``, ``value`` ``(S, N, Ev)`` (or
    ``(L, E)``, ``(S, Ek)``, ``(S, Ev)`` unbatched); ``key_padding_mask`` ``(N, S)``;
    ``attn_mask`` ``(L, S)`` or ``(N * num_heads, L, S)``. Returns the output ``(L, N, E)`` and,
    with ``need_weights``, the attention weights ``(N, L, S)`` averaged over heads (or
    ``(N, num_heads, L, S)`` with ``average_attn_weights=False``), else None. See
    ``nn.MultiheadAttention`` for the arguments. ``is_causal`` is only a hint, as in torch: the
    causal ``attn_mask`` must be given.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.randn(5, 2, 4)  # (L, N, E)
    >>> w_in, w_out = autograd.randn(12, 4), autograd.randn(4, 4)
    >>> out, weights = multi_head_attention_forward(
    ...     x, x, x, 4, 2, w_in, None, None, None, False, 0.0, w_out, None
    ... )
    >>> out.shape, weights.shape
    ((5, 2, 4), (2, 5, 5))
    """
    query = tensor("multi_head_attention_forward", query, "query", 1)
    batched = query.ndim == 3
    if query.ndim not in (2, 3):
        raise RuntimeError(
            "query should be unbatched 2D or batched 3D tensor but received "
            f"{query.ndim}-D query tensor"
        )
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise RuntimeError(
            f"For {'batched (3-D)' if batched else 'unbatched (2-D)'} `query`, expected `key` "
            f"and `value` to be {query.ndim}-D but found {key.ndim}-D and {value.ndim}-D "
            "tensors respectively"
        )
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.reshape((1, *key_padding_mask.shape))
        if attn_mask is not None and attn_mask.ndim == 3 and attn_mask.shape[0] != num_heads:
            raise RuntimeError(
                f"Expected `attn_mask` shape to be {(num_heads, query.shape[0], key.shape[0])} "
                f"but got {tuple(attn_mask.shape)}"
            )
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    dtype = query.dtype
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask."
        )
    attn_mask = _canonical_mask(attn_mask, "attn_mask", dtype)
    if embed_dim != embed_dim_to_check:
        raise RuntimeError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise RuntimeError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise RuntimeError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                f"{value.shape[:2]}"
            )
        biases = (None,) * 3 if in_proj_bias is None else _thirds(in_proj_bias)
        q = linear(query, q_proj_weight, biases[0])
        k = linear(key, k_proj_weight, biases[1])
        v = linear(value, v_proj_weight, biases[2])
    else:
        if key.shape != value.shape:
            raise RuntimeError(f"key shape {key.shape} does not match value shape {value.shape}")
        weights = _thirds(in_proj_weight)
        biases = (None,) * 3 if in_proj_bias is None else _thirds(in_proj_bias)
        q = linear(query, weights[0], biases[0])
        k = linear(key, weights[1], biases[1])
        v = linear(value, weights[2], biases[2])

    if attn_mask is not None:
        if attn_mask.ndim == 2:
            if attn_mask.shape != (tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                    f"{(tgt_len, src_len)}."
                )
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.ndim == 3:
            if attn_mask.shape != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                    f"{(bsz * num_heads, tgt_len, src_len)}."
                )
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")

    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise RuntimeError("bias cannot be added to static key or value.")
        k = cat([k, bias_k.expand(1, bsz, embed_dim)])
        v = cat([v, bias_v.expand(1, bsz, embed_dim)])
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    elif (bias_k is None) != (bias_v is None):
        raise RuntimeError("bias_k and bias_v must be given together")

    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, "static_k", bsz * num_heads, head_dim)
    v = _heads(v, static_v, "static_v", bsz * num_heads, head_dim)
    if add_zero_attn:
        k = cat([k, zeros(bsz * num_heads, 1, head_dim, dtype=k.dtype)], 1)
        v = cat([v, zeros(bsz * num_heads, 1, head_dim, dtype=v.dtype)], 1)
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    src_len = k.shape[1]

    if key_padding_mask is not None:
        if key_padding_mask.shape != (bsz, src_len):
            raise RuntimeError(
                f"expecting key_padding_mask shape of {(bsz, src_len)}, but got "
                f"{key_padding_mask.shape}"
            )
        padding = (
            key_padding_mask.reshape(bsz, 1, 1, src_len)
            .expand(bsz, num_heads, 1, src_len)
            .reshape(bsz * num_heads, 1, src_len)
        )
        attn_mask = padding if attn_mask is None else attn_mask + padding

    if not training:
        dropout_p = 0.0
    scores = (q * math.sqrt(1.0 / head_dim)) @ k.transpose(-2, -1)
    if attn_mask is not None:
        scores = scores + attn_mask
    weights = scores.softmax(-1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    out = (weights @ v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
    if not batched:
        out = out.squeeze(1)
    if not need_weights:
        return out, None
    weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
    if average_attn_weights:
        weights = weights.mean(1)
    if not batched:
        weights = weights.squeeze(0)
    return out, weights


def _thirds(t: Tensor) -> tuple:
    """``t.chunk(3)``: the q, k and v parts of a packed projection."""
    n = t.shape[0] // 3
    return t[:n], t[n : 2 * n], t[2 * n :]


def _pad_last(mask: Tensor | None) -> Tensor | None:
    """One more key column, not masked: ``F.pad(mask, (0, 1))``."""
    if mask is None:
        return None
    return cat([mask, zeros(*mask.shape[:-1], 1, dtype=mask.dtype)], -1)


def _heads(t: Tensor, static, name: str, batch_heads: int, head_dim: int) -> Tensor:
    """``(S, N, E)`` as ``(N * heads, S, head_dim)``, or the given static one, checked."""
    if static is None:
        return t.reshape(t.shape[0], batch_heads, head_dim).transpose(0, 1)
    if static.shape[0] != batch_heads or static.shape[2] != head_dim:
        raise RuntimeError(
            f"expecting {name} of shape ({batch_heads}, S, {head_dim}), got {static.shape}"
        )
    return static
