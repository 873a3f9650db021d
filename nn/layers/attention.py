"""``MultiheadAttention``: attention with several heads and learned projections, PyTorch's.

Parameter names, shapes and initialisation are torch's, so state dicts load both ways:
``in_proj_weight`` ``(3E, E)`` (the query, key and value projections stacked) when ``kdim`` and
``vdim`` equal ``embed_dim``, else ``q_proj_weight`` ``(E, E)``, ``k_proj_weight`` ``(E, kdim)``
and ``v_proj_weight`` ``(E, vdim)``; ``in_proj_bias`` ``(3E,)``; ``bias_k``/``bias_v``
``(1, 1, E)`` with ``add_bias_kv``; ``out_proj.weight`` and ``out_proj.bias``.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor

from .. import init
from ..functional._checks import tensor as tensor_argument
from ..functional.attention import multi_head_attention_forward
from ..module import Module
from ..parameter import Parameter
from ._factory import float_dtype
from .linear import Linear

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear"]


class NonDynamicallyQuantizableLinear(Linear):
    """A ``Linear``; torch's name for ``MultiheadAttention.out_proj``, kept so reprs match."""


class MultiheadAttention(Module):
    """Multi-head attention: ``Concat(head_1, ..., head_h) W_O`` with
    ``head_i = softmax(Q W_Q^i (K W_K^i)^T / sqrt(d)) V W_V^i``.

    Parameters
    ----------
    embed_dim : int
        E, the model's width (of queries and of the output).
    num_heads : int
        The number of heads; must divide E (each head has ``E // num_heads`` dims).
    dropout : float
        Dropout on the attention weights while training (default 0).
    bias : bool
        Learn biases for the input and output projections (default True).
    add_bias_kv : bool
        Append a learned key and value (``bias_k``, ``bias_v``) to each sequence.
    add_zero_attn : bool
        Append a zero key and value to each sequence (after the projections).
    kdim, vdim : int, optional
        The widths of keys and values (default E).
    batch_first : bool
        Inputs and outputs ``(N, L, E)`` instead of ``(L, N, E)``.
    device, dtype
        As in torch (float32 unless ``dtype`` is given).

    Notes
    -----
    ``query`` ``(L, N, E)``, ``key`` ``(S, N, kdim)``, ``value`` ``(S, N, vdim)`` (batch first:
    ``(N, L, E)`` ...; unbatched: ``(L, E)`` ...). Output ``(L, N, E)`` and the attention
    weights ``(N, L, S)`` (averaged over heads) or ``(N, num_heads, L, S)``.

    Examples
    --------
    >>> import autograd
    >>> attention = MultiheadAttention(8, 2, batch_first=True)
    >>> x = autograd.randn(3, 5, 8)
    >>> out, weights = attention(x, x, x)
    >>> out.shape, weights.shape
    ((3, 5, 8), (3, 5, 5))
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                f"num_heads={num_heads} instead"
            )
        dtype = float_dtype(dtype, device, "MultiheadAttention")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise ValueError("embed_dim must be divisible by num_heads")

        def empty(*shape) -> Parameter:
            return Parameter(np.empty(shape, dtype=dtype))

        if not self._qkv_same_embed_dim:
            self.q_proj_weight = empty(embed_dim, embed_dim)
            self.k_proj_weight = empty(embed_dim, self.kdim)
            self.v_proj_weight = empty(embed_dim, self.vdim)
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = empty(3 * embed_dim, embed_dim)
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = empty(3 * embed_dim)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(
            embed_dim, embed_dim, bias=bias, dtype=dtype
        )
        if add_bias_kv:
            self.bias_k = empty(1, 1, embed_dim)
            self.bias_v = empty(1, 1, embed_dim)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """torch's: Xavier-uniform projections, zero biases, Xavier-normal ``bias_k``/``bias_v``."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        """Attend from ``query`` to ``key``/``value``; returns ``(output, weights or None)``.

        ``key_padding_mask`` ``(N, S)`` and ``attn_mask`` ``(L, S)`` or ``(N * num_heads, L, S)``:
        bool (True: may **not** attend) or float (added to the scores). ``is_causal`` is a hint
        that ``attn_mask`` is the causal mask, which must be given, as in torch.
        """
        for name, t in (("query", query), ("key", key), ("value", value)):
            tensor_argument("MultiheadAttention", t, name)
        batched = query.ndim == 3
        if self.batch_first and batched:
            query, key, value = (t.transpose(1, 0) for t in (query, key, value))
        out, weights = multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights
