"""``embedding``: rows of a weight matrix looked up by index, PyTorch's ``F.embedding``.

A lookup is advanced indexing, ``weight[input]``, whose backward adds each output row's gradient
into the row it came from (repeated indices add up). The options are compositions around it:

- ``padding_idx``: that row's lookups are taken from a detached copy, so it gets no gradient
  (its value is whatever the row holds);
- ``scale_grad_by_freq``: ``w.detach() + (w - w.detach()) * s`` has the value ``w`` exactly and
  the gradient ``s`` = 1 / (how often the row's index occurs in ``input``);
- ``max_norm``: the looked-up rows whose ``norm_type``-norm exceeds ``max_norm`` are scaled to
  ``max_norm`` in place, under ``no_grad``, before the lookup (torch's ``embedding_renorm_``).
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor, no_grad, where

from ._checks import tensor

__all__ = ["embedding"]


def _indices(input) -> np.ndarray:
    data = input.data if isinstance(input, Tensor) else input
    if not isinstance(data, np.ndarray) or data.dtype.kind not in "iu":
        kind = getattr(data, "dtype", type(data).__name__)
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
            f"Long, Int; but got {kind} instead (while checking arguments for embedding); "
            "convert the indices with .long()"
        )
    return data


def _padding_index(padding_idx, rows: int) -> int | None:
    if padding_idx is None:
        return None
    if not -rows <= padding_idx < rows:
        raise ValueError(
            f"Padding_idx must be within num_embeddings: got padding_idx={padding_idx} for "
            f"{rows} embeddings"
        )
    return padding_idx % rows


def _renorm_(weight: Tensor, rows: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale each of ``rows`` whose norm exceeds ``max_norm`` down to it, in place (torch's)."""
    rows = np.unique(rows)
    norms = np.linalg.norm(weight.data[rows].astype(np.float64), ord=norm_type, axis=1)
    over = norms > max_norm
    if not over.any():
        return
    scale = max_norm / (norms[over] + 1e-7)
    with no_grad():  # an in-place change of a leaf: bumps its version, as torch's
        weight[rows[over]] = Tensor(weight.data[rows[over]] * scale[:, None].astype(weight.dtype))


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Look up rows of ``weight``: ``out[..., :] = weight[input[...], :]``.

    Parameters
    ----------
    input : Tensor of integers
        Any shape ``(*)``; each entry a row index in ``[0, num_embeddings)``.
    weight : Tensor
        Shape ``(num_embeddings, embedding_dim)``.
    padding_idx : int, optional
        A row that gets no gradient (negative counts from the end).
    max_norm : float, optional
        Rows looked up whose ``norm_type``-norm exceeds it are first scaled to it, in ``weight``
        itself (in place, outside the graph), as torch does.
    norm_type : float
        The p of that norm (default 2).
    scale_grad_by_freq : bool
        Divide each row's gradient by how often its index occurs in ``input``.
    sparse : bool
        Sparse gradients are not supported (only False).

    Returns
    -------
    Tensor
        Shape ``(*, embedding_dim)``, the dtype of ``weight``.

    Examples
    --------
    >>> import autograd
    >>> weight = autograd.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    >>> embedding(autograd.tensor([[2, 0]]), weight).tolist()
    [[[4.0, 5.0], [0.0, 1.0]]]
    """
    weight = tensor("embedding", weight, "weight", 2)
    index = _indices(input)
    if sparse:
        raise NotImplementedError(
            "embedding: sparse=True (sparse gradients) is not supported: chainrule's gradients "
            "are dense arrays; use sparse=False (the default)"
        )
    if weight.ndim != 2:
        raise RuntimeError(f"'weight' must be 2-D, got a weight of shape {weight.shape}")
    rows = weight.shape[0]
    padding = _padding_index(padding_idx, rows)
    if index.size and (index.min() < 0 or index.max() >= rows):
        bad = index[(index < 0) | (index >= rows)].flat[0]
        raise IndexError(
            f"index out of range in self: index {bad} for an embedding of {rows} rows (valid "
            f"indices are 0..{rows - 1})"
        )
    if max_norm is not None:
        _renorm_(weight, index.reshape(-1), float(max_norm), float(norm_type))
    looked_up = weight[index]
    if scale_grad_by_freq and looked_up.requires_grad:
        counts = np.bincount(index.reshape(-1), minlength=rows)[index]
        scale = Tensor((1.0 / counts)[..., None].astype(weight.dtype))
        fixed = looked_up.detach()
        looked_up = fixed + (looked_up - fixed) * scale
    if padding is not None and looked_up.requires_grad:
        looked_up = where((index == padding)[..., None], looked_up.detach(), looked_up)
    return looked_up
