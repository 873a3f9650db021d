"""``Embedding``: a learned vector per index, PyTorch's ``nn.Embedding``."""

from __future__ import annotations

import numpy as np

from autograd import Tensor, no_grad

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter
from ._factory import check_size, float_dtype

__all__ = ["Embedding"]


class Embedding(Module):
    """A lookup table: row ``i`` of ``weight`` is the vector of index ``i``.

    Parameters
    ----------
    num_embeddings : int
        How many indices (rows), e.g. the vocabulary size.
    embedding_dim : int
        The length of each vector.
    padding_idx : int, optional
        A row initialised to zeros that gets no gradient (a "padding" token); negative counts
        from the end.
    max_norm : float, optional
        Looked-up rows whose ``norm_type``-norm exceeds it are scaled to it, in ``weight``
        itself (in place), at each forward.
    norm_type : float
        The p of that norm (default 2).
    scale_grad_by_freq : bool
        Divide each row's gradient by how often its index occurs in the batch.
    sparse : bool
        Sparse gradients are not supported (only False; True raises ``NotImplementedError``).
    device, dtype
        As in torch (``device`` None or "cpu"; float32 unless ``dtype`` is given).

    Attributes
    ----------
    weight : Parameter
        Shape ``(num_embeddings, embedding_dim)``, drawn from N(0, 1) (the ``padding_idx`` row
        zero), as torch.

    Shapes: input ``(*)`` of integers, output ``(*, embedding_dim)``.

    Examples
    --------
    >>> import autograd
    >>> table = Embedding(10, 3, padding_idx=0)
    >>> table(autograd.tensor([[1, 2, 0]])).shape
    (1, 3, 3)
    >>> table.weight[0].tolist()
    [0.0, 0.0, 0.0]
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dtype = float_dtype(dtype, device, "Embedding")
        self.num_embeddings = check_size("Embedding", "num_embeddings", num_embeddings)
        self.embedding_dim = check_size("Embedding", "embedding_dim", embedding_dim)
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(
                    f"Padding_idx must be within num_embeddings: got padding_idx={padding_idx} "
                    f"for num_embeddings={num_embeddings}"
                )
            padding_idx %= num_embeddings
        if sparse:
            raise NotImplementedError(
                "Embedding: sparse=True (sparse gradients) is not supported: chainrule's "
                "gradients are dense arrays; use sparse=False (the default)"
            )
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError(
                    "Shape of weight does not match num_embeddings and embedding_dim: got "
                    f"{tuple(_weight.shape)}, expected {(num_embeddings, embedding_dim)}"
                )
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw the weight again from N(0, 1), the padding row zero.

        Examples
        --------
        >>> import autograd
        >>> import nn
        >>> emb = nn.Embedding(4, 3, padding_idx=0)
        >>> emb.reset_parameters()
        >>> emb.weight[0].tolist(), emb.weight.shape
        ([0.0, 0.0, 0.0], (4, 3))
        """
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            text += ", sparse=True"
        return text

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (shared, not copied), as torch's.

        ``freeze=True`` (the default) keeps it out of training (``requires_grad=False``). The
        ``padding_idx`` row keeps its given values (and gets no gradient).

        Examples
        --------
        >>> import autograd
        >>> table = Embedding.from_pretrained(autograd.tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> table(autograd.tensor([1])).tolist(), table.weight.requires_grad
        ([[3.0, 4.0]], False)
        """
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            raise ValueError(
                "Embeddings parameter is expected to be 2-dimensional, got "
                f"{getattr(embeddings, 'shape', type(embeddings).__name__)}"
            )
        rows, cols = embeddings.shape
        return cls(
            num_embeddings=rows,
            embedding_dim=cols,
            _weight=embeddings,
            _freeze=freeze,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            sparse=sparse,
        )
