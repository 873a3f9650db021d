"""torch's top-level functions for the operations that are Tensor methods: ``torch.tanh(x)``.

PyTorch code calls most operations both ways, ``x.tanh()`` and ``torch.tanh(x)``. The methods
(tensor.py) are the operations; each function here takes the input first, as torch does, and
calls the method, so there is one implementation and two spellings. The names that shadow
Python builtins (``abs``, ``all``, ``any``, ``max``, ``min``, ``pow``, ``sum``) are importable
from ``autograd`` but left out of its ``__all__``.
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor, ops

__all__ = [
    "add",
    "addmm",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "argsort",
    "baddbmm",
    "bmm",
    "chunk",
    "clamp",
    "clip",
    "cross",
    "diag",
    "diagonal",
    "dist",
    "div",
    "dot",
    "exp",
    "flatten",
    "flip",
    "gather",
    "ger",
    "index_add",
    "index_select",
    "isfinite",
    "isinf",
    "isnan",
    "kthvalue",
    "log",
    "log_softmax",
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logsumexp",
    "masked_fill",
    "masked_select",
    "matmul",
    "mean",
    "median",
    "mm",
    "moveaxis",
    "movedim",
    "mul",
    "mv",
    "narrow",
    "neg",
    "negative",
    "nonzero",
    "norm",
    "outer",
    "permute",
    "relu",
    "repeat_interleave",
    "reshape",
    "roll",
    "scatter",
    "scatter_add",
    "sigmoid",
    "softmax",
    "sort",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "std",
    "sub",
    "t",
    "take_along_dim",
    "tanh",
    "tile",
    "topk",
    "transpose",
    "tril",
    "triu",
    "true_divide",
    "unbind",
    "unsqueeze",
    "var",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "erf",
    "erfc",
    "log1p",
    "expm1",
    "log2",
    "log10",
    "exp2",
    "rsqrt",
    "reciprocal",
    "floor",
    "ceil",
    "trunc",
    "frac",
    "sign",
    "atan2",
    "fmod",
    "remainder",
    "floor_divide",
    "nan_to_num",
    "cumsum",
    "det",
    "inverse",
    "cumprod",
    "einsum",
]


def _tensor(where: str, x) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{where}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    return x


def add(input: Tensor, other, *, alpha: float = 1) -> Tensor:
    """``input + alpha * other``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.add(autograd.tensor([1.0, 2.0]), 1, alpha=10)
    tensor([11., 12.])
    """
    return _tensor("add", input).add(other, alpha=alpha)


def sub(input: Tensor, other, *, alpha: float = 1) -> Tensor:
    """``input - alpha * other``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.sub(autograd.tensor([1.0, 2.0]), 1, alpha=2)
    tensor([-1.,  0.])
    """
    return _tensor("sub", input).sub(other, alpha=alpha)


def mul(input: Tensor, other) -> Tensor:
    """``input * other``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.mul(autograd.tensor([1.0, 2.0]), autograd.tensor([[1.0], [2.0]]))
    tensor([[1., 2.],
            [2., 4.]])
    """
    return _tensor("mul", input).mul(other)


def div(input: Tensor, other) -> Tensor:
    """``input / other``, broadcast (true division: ints give float32).

    Examples
    --------
    >>> import autograd
    >>> autograd.div(autograd.tensor([1, 2]), 4)
    tensor([0.2500, 0.5000])
    """
    return _tensor("div", input).div(other)


true_divide = div


def pow(input: Tensor, exponent) -> Tensor:  # noqa: A001 -- torch's name
    """``input ** exponent``, broadcast."""
    return _tensor("pow", input).pow(exponent)


def neg(input: Tensor) -> Tensor:
    """``-input``.

    Examples
    --------
    >>> import autograd
    >>> autograd.neg(autograd.tensor([1.0, -2.0]))
    tensor([-1.,  2.])
    """
    return _tensor("neg", input).neg()


negative = neg


def square(input: Tensor) -> Tensor:
    """``input * input``.

    Examples
    --------
    >>> import autograd
    >>> autograd.square(autograd.tensor([3.0, -2.0]))
    tensor([9., 4.])
    """
    return _tensor("square", input).square()


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``input @ other`` (1-D, 2-D, batched and mixed ranks, as ``np.matmul``).

    Examples
    --------
    >>> import autograd
    >>> autograd.matmul(autograd.ones(2, 3), autograd.ones(3)).shape
    (2,)
    """
    return _tensor("matmul", input).matmul(other)


mm = matmul


def exp(input: Tensor) -> Tensor:
    """``input.exp()``: ``e ** input`` elementwise.

    Examples
    --------
    >>> import autograd
    >>> autograd.exp(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([1.0000, 2.7183], dtype=float64)
    """
    return _tensor("exp", input).exp()


def log(input: Tensor) -> Tensor:
    """``input.log()``: natural logarithm elementwise.

    Examples
    --------
    >>> import autograd
    >>> autograd.log(autograd.tensor([1.0, 4.0], dtype=autograd.float64))
    tensor([0.0000, 1.3863], dtype=float64)
    """
    return _tensor("log", input).log()


def sqrt(input: Tensor) -> Tensor:
    """``input.sqrt()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.sqrt(autograd.tensor([4.0, 9.0]))
    tensor([2., 3.])
    """
    return _tensor("sqrt", input).sqrt()


def abs(input: Tensor) -> Tensor:  # noqa: A001 -- torch's name
    return _tensor("abs", input).abs()


def tanh(input: Tensor) -> Tensor:
    """``input.tanh()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.tanh(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 0.7616], dtype=float64)
    """
    return _tensor("tanh", input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    """``input.sigmoid()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.sigmoid(autograd.tensor([0.0], dtype=autograd.float64))
    tensor([0.5000], dtype=float64)
    """
    return _tensor("sigmoid", input).sigmoid()


def relu(input: Tensor) -> Tensor:
    """``input.relu()``: ``max(input, 0)`` elementwise.

    Examples
    --------
    >>> import autograd
    >>> autograd.relu(autograd.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return _tensor("relu", input).relu()


def clamp(input: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 -- torch's names
    """``input`` limited to ``[min, max]`` (numbers or Tensors; either may be None).

    Examples
    --------
    >>> import autograd
    >>> autograd.clamp(autograd.tensor([-2.0, 0.5, 3.0]), min=0.0)
    tensor([0.0000, 0.5000, 3.0000])
    """
    return _tensor("clamp", input).clamp(min, max)


clip = clamp


def sum(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("sum", input).sum(dim, keepdim)


def mean(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """``input.mean(dim, keepdim)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.mean(autograd.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0)
    tensor([2., 3.])
    """
    return _tensor("mean", input).mean(dim, keepdim)


def var(input: Tensor, dim=None, **kwargs) -> Tensor:
    """``input.var(dim, correction=..., keepdim=...)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.var(autograd.tensor([1.0, 2.0, 3.0, 4.0], dtype=autograd.float64), correction=0)
    tensor(1.2500, dtype=float64)
    """
    return _tensor("var", input).var(dim, **kwargs)


def std(input: Tensor, dim=None, **kwargs) -> Tensor:
    """``input.std(dim, correction=..., keepdim=...)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.std(autograd.tensor([1.0, 2.0, 3.0, 4.0], dtype=autograd.float64))
    tensor(1.2910, dtype=float64)
    """
    return _tensor("std", input).std(dim, **kwargs)


def max(input: Tensor, *args, **kwargs):  # noqa: A001
    """``input.max(...)``: the maximum, or (values, indices) along ``dim``."""
    return _tensor("max", input).max(*args, **kwargs)


def min(input: Tensor, *args, **kwargs):  # noqa: A001
    """``input.min(...)``: the minimum, or (values, indices) along ``dim``."""
    return _tensor("min", input).min(*args, **kwargs)


def argmax(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """``input.argmax(dim, keepdim)``: the int64 index of the maximum.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
    >>> autograd.argmax(x), autograd.argmax(x, dim=1)
    (tensor(2), tensor([1, 0]))
    """
    return _tensor("argmax", input).argmax(dim, keepdim)


def argmin(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """``input.argmin(dim, keepdim)``: the int64 index of the minimum.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
    >>> autograd.argmin(x), autograd.argmin(x, dim=0)
    (tensor(0), tensor([0, 1]))
    """
    return _tensor("argmin", input).argmin(dim, keepdim)


def logsumexp(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    """``input.logsumexp(dim, keepdim)``: ``log(sum(exp(input)))`` without overflow.

    Examples
    --------
    >>> import autograd
    >>> autograd.logsumexp(autograd.tensor([0.0, 0.0], dtype=autograd.float64), dim=0)
    tensor(0.6931, dtype=float64)
    """
    return _tensor("logsumexp", input).logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int) -> Tensor:
    """``input.softmax(dim)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.softmax(autograd.tensor([0.0, 0.0], dtype=autograd.float64), dim=0)
    tensor([0.5000, 0.5000], dtype=float64)
    """
    return _tensor("softmax", input).softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    """``input.log_softmax(dim)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.log_softmax(autograd.tensor([0.0, 0.0], dtype=autograd.float64), dim=0)
    tensor([-0.6931, -0.6931], dtype=float64)
    """
    return _tensor("log_softmax", input).log_softmax(dim)


def reshape(input: Tensor, shape) -> Tensor:
    """``input.reshape(shape)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.reshape(autograd.arange(6), (3, 2)).shape
    (3, 2)
    """
    return _tensor("reshape", input).reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """``input.flatten(start_dim, end_dim)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.flatten(autograd.zeros(2, 3, 4), 1).shape
    (2, 12)
    """
    return _tensor("flatten", input).flatten(start_dim, end_dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``input.transpose(dim0, dim1)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.transpose(autograd.zeros(2, 3), 0, 1).shape
    (3, 2)
    """
    return _tensor("transpose", input).transpose(dim0, dim1)


def t(input: Tensor) -> Tensor:
    """``input.t()``: the transpose of a matrix.

    Examples
    --------
    >>> import autograd
    >>> autograd.t(autograd.zeros(2, 3)).shape
    (3, 2)
    """
    return _tensor("t", input).t()


def permute(input: Tensor, dims) -> Tensor:
    """``input.permute(dims)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.permute(autograd.zeros(2, 3, 4), (2, 0, 1)).shape
    (4, 2, 3)
    """
    return _tensor("permute", input).permute(*dims)


def squeeze(input: Tensor, dim=None) -> Tensor:
    """``input.squeeze(dim)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.squeeze(autograd.zeros(1, 3, 1)).shape
    (3,)
    """
    return _tensor("squeeze", input).squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """``input.unsqueeze(dim)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.unsqueeze(autograd.zeros(3), 0).shape
    (1, 3)
    """
    return _tensor("unsqueeze", input).unsqueeze(dim)


# -- compositions (ops/compositions.py) --------------------------------------------------------


def split(tensor: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``tensor`` along ``dim``: of ``split_size_or_sections`` each (the last may be
    smaller), or of the sizes in a list. (n, ...) -> pieces (size_i, ...).

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> [p.shape for p in split(x, [1, 2], dim=1)]
    [(2, 1), (2, 2)]
    """
    return _tensor("split", tensor).split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """At most ``chunks`` pieces of ``ceil(size / chunks)`` along ``dim``.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> [p.shape for p in chunk(x, 2, dim=1)]
    [(2, 2), (2, 1)]
    """
    return _tensor("chunk", input).chunk(chunks, dim)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    """The slices along ``dim``, each without it: (2, 3) -> two (3,) at dim 0.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> [p.tolist() for p in unbind(x)]
    [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    """
    return _tensor("unbind", input).unbind(dim)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """The slice ``start:start + length`` along ``dim`` (``start`` may be negative).

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> narrow(x, 1, -2, 2).tolist()
    [[1.0, 2.0], [4.0, 5.0]]
    """
    return _tensor("narrow", input).narrow(dim, start, length)


def movedim(input: Tensor, source, destination) -> Tensor:
    """Dims ``source`` moved to ``destination`` (ints or sequences), the rest in order.

    Examples
    --------
    >>> movedim(Tensor(np.zeros((2, 3, 4))), 0, -1).shape
    (3, 4, 2)
    """
    return _tensor("movedim", input).movedim(source, destination)


moveaxis = movedim


def flip(input: Tensor, dims) -> Tensor:
    """Elements in reverse order along each dim in ``dims``; same shape.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> flip(x, (0, 1)).tolist()
    [[5.0, 4.0, 3.0], [2.0, 1.0, 0.0]]
    """
    return _tensor("flip", input).flip(dims)


def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """Elements shifted cyclically by ``shifts`` along ``dims`` (the flattened tensor when None).

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> roll(x, 1, 1).tolist()
    [[2.0, 0.0, 1.0], [5.0, 3.0, 4.0]]
    """
    return _tensor("roll", input).roll(shifts, dims)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims (``j - i <= diagonal``), zeros above.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> tril(x).tolist()
    [[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]]
    """
    return _tensor("tril", input).tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims (``j - i >= diagonal``), zeros below.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> triu(x, 1).tolist()
    [[0.0, 1.0, 2.0], [0.0, 0.0, 5.0]]
    """
    return _tensor("triu", input).triu(diagonal)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset`` diagonal of dims ``dim1``, ``dim2`` as a last dim: (n, m) -> (min(n, m),) at
    offset 0. A copy, where torch returns a view.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> diagonal(x, 1).tolist()
    [1.0, 5.0]
    """
    return _tensor("diagonal", input).diagonal(offset, dim1, dim2)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A vector as diagonal ``diagonal`` of a square matrix, or a matrix's diagonal as a vector.

    Examples
    --------
    >>> diag(Tensor(np.array([1.0, 2.0]))).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    return _tensor("diag", input).diag(diagonal)


def tile(input: Tensor, dims) -> Tensor:
    """``input`` repeated ``dims[i]`` times along dim i; ``dims`` padded by leading 1s.

    Examples
    --------
    >>> tile(Tensor(np.array([1, 2])), (2,)).tolist()
    [1, 2, 1, 2]
    """
    return _tensor("tile", input).tile(dims)


def repeat_interleave(input: Tensor, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Each element of ``input`` ``repeats`` times in a row along ``dim``; with ``input`` alone
    (1-D counts), the int64 indices ``0, 0, ..., 1, ...`` repeated by them, as torch's.

    Examples
    --------
    >>> import autograd
    >>> autograd.repeat_interleave(autograd.tensor([1, 2]), 3)
    tensor([1, 1, 1, 2, 2, 2])
    >>> autograd.repeat_interleave(autograd.tensor([2, 0, 1]))
    tensor([0, 0, 2])
    """
    if repeats is None:
        counts = _tensor("repeat_interleave", input)
        return counts.new_tensor(np.arange(counts.numel())).repeat_interleave(
            counts, 0, output_size=output_size
        )
    return _tensor("repeat_interleave", input).repeat_interleave(
        repeats, dim, output_size=output_size
    )


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product: (n,) and (m,) -> (n, m), ``input[i] * vec2[j]``.

    Examples
    --------
    >>> outer(Tensor(np.array([1, 2])), Tensor(np.array([1, 10]))).tolist()
    [[1, 10], [2, 20]]
    """
    return _tensor("outer", input).outer(vec2)


ger = outer


def dot(input: Tensor, other: Tensor) -> Tensor:
    """The inner product of two vectors of one size and dtype: (n,), (n,) -> ().

    Examples
    --------
    >>> dot(Tensor(np.array([1, 2])), Tensor(np.array([3, 4]))).item()
    11
    """
    return _tensor("dot", input).dot(other)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix times vector: (n, m) and (m,) -> (n,).

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> mv(x, Tensor(np.ones(3))).tolist()
    [3.0, 12.0]
    """
    return _tensor("mv", input).mv(vec)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product without broadcasting: (B, n, m) @ (B, m, p) -> (B, n, p).

    Examples
    --------
    >>> bmm(Tensor(np.ones((4, 2, 3))), Tensor(np.ones((4, 3, 5)))).shape
    (4, 2, 5)
    """
    return _tensor("bmm", input).bmm(mat2)


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcast to (n, p), ignored when
    ``beta`` is 0.

    Examples
    --------
    >>> addmm(Tensor(np.ones(2)), Tensor(np.eye(2)), Tensor(np.eye(2)), beta=2).tolist()
    [[3.0, 2.0], [2.0, 3.0]]
    """
    return _tensor("addmm", input).addmm(mat1, mat2, beta=beta, alpha=alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``: input broadcast to (B, n, p).

    Examples
    --------
    >>> ones = Tensor(np.ones((2, 1, 1)))
    >>> baddbmm(ones, ones, ones, alpha=3).tolist()
    [[[4.0]], [[4.0]]]
    """
    return _tensor("baddbmm", input).baddbmm(batch1, batch2, beta=beta, alpha=alpha)


def cross(input: Tensor, other: Tensor, dim=None) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (the first dim of size 3 when None).

    Examples
    --------
    >>> e = Tensor(np.eye(3))
    >>> cross(e[0], e[1], dim=0).tolist()
    [0.0, 0.0, 1.0]
    """
    return _tensor("cross", input).cross(other, dim)


def gather(input: Tensor, dim: int, index, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j] = input[i][index[i][j]]`` (for dim 1): an int64 ``index`` of ``input``'s rank
    picks along ``dim``; the result has ``index``'s shape.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> gather(x, 1, np.array([[2, 0], [1, 1]])).tolist()
    [[2.0, 0.0], [4.0, 4.0]]
    """
    return _tensor("gather", input).gather(dim, index, sparse_grad=sparse_grad)


def take_along_dim(input: Tensor, indices, dim=None) -> Tensor:
    """``input`` picked at ``indices`` along ``dim``, broadcast elsewhere (flattened when None).

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> take_along_dim(x, np.array([[0], [2]]), 1).tolist()
    [[0.0], [5.0]]
    """
    return _tensor("take_along_dim", input).take_along_dim(indices, dim)


def index_select(input: Tensor, dim: int, index) -> Tensor:
    """The slices at the 1-D int ``index`` along ``dim``: (n, m) -> (len(index), m) at dim 0.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> index_select(x, 1, [2, 2]).tolist()
    [[2.0, 2.0], [5.0, 5.0]]
    """
    return _tensor("index_select", input).index_select(dim, index)


def masked_fill(input: Tensor, mask, value) -> Tensor:
    """A copy with ``value`` (a number or a 0-d Tensor) where the bool ``mask`` holds.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> masked_fill(x, x > 2, -1.0).tolist()
    [[0.0, 1.0, 2.0], [-1.0, -1.0, -1.0]]
    """
    return _tensor("masked_fill", input).masked_fill(mask, value)


def masked_select(input: Tensor, mask) -> Tensor:
    """The elements where the bool ``mask`` holds (the two broadcast), as a 1-D tensor.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> masked_select(x, x > 3).tolist()
    [4.0, 5.0]
    """
    return _tensor("masked_select", input).masked_select(mask)


def nonzero(input: Tensor, *, as_tuple: bool = False):
    """``input.nonzero(as_tuple=...)``: the int64 indices of the nonzero elements.

    Examples
    --------
    >>> import autograd
    >>> autograd.nonzero(autograd.tensor([0, 3, 0, 4]))
    tensor([[1],
            [3]])
    """
    return _tensor("nonzero", input).nonzero(as_tuple=as_tuple)


def scatter(input: Tensor, dim: int, index, src=None, *, value=None, reduce=None) -> Tensor:
    """A copy of ``input`` with ``src[i][j]`` written at ``[i][index[i][j]]`` (for dim 1), or
    ``value``; duplicate positions keep the last write.

    Examples
    --------
    >>> scatter(Tensor(np.zeros((1, 3))), 1, np.array([[2, 0]]), value=7.0).tolist()
    [[7.0, 0.0, 7.0]]
    """
    return _tensor("scatter", input).scatter(dim, index, src, value=value, reduce=reduce)


def scatter_add(input: Tensor, dim: int, index, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim``; repeats add up.

    Examples
    --------
    >>> scatter_add(Tensor(np.zeros(3)), 0, np.array([1, 1]), Tensor(np.ones(2))).tolist()
    [0.0, 2.0, 0.0]
    """
    return _tensor("scatter_add", input).scatter_add(dim, index, src)


def index_add(input: Tensor, dim: int, index, source: Tensor, *, alpha=1) -> Tensor:
    """A copy of ``input`` with ``alpha * source`` slices added at ``index`` along ``dim``.

    Examples
    --------
    >>> index_add(Tensor(np.zeros(3)), 0, [0, 0], Tensor(np.ones(2)), alpha=2).tolist()
    [4.0, 0.0, 0.0]
    """
    return _tensor("index_add", input).index_add(dim, index, source, alpha=alpha)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """The maximum over ``dim`` (an int or a tuple; all dims when empty); tied maxima share the
    gradient evenly, as torch's.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> amax(x, 1).tolist()
    [2.0, 5.0]
    """
    return _tensor("amax", input).amax(dim, keepdim)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """The minimum over ``dim`` (all dims when empty); ties share the gradient.

    Examples
    --------
    >>> x = Tensor(np.arange(6.0).reshape(2, 3))
    >>> amin(x, (0, 1)).item()
    0.0
    """
    return _tensor("amin", input).amin(dim, keepdim)


def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("all", input).all(dim, keepdim)


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("any", input).any(dim, keepdim)


def isnan(input: Tensor) -> Tensor:
    """Bool: where ``input`` is NaN.

    Examples
    --------
    >>> isnan(Tensor(np.array([1.0, np.nan]))).tolist()
    [False, True]
    """
    return _tensor("isnan", input).isnan()


def isinf(input: Tensor) -> Tensor:
    """Bool: where ``input`` is +inf or -inf.

    Examples
    --------
    >>> isinf(Tensor(np.array([np.inf, 1.0]))).tolist()
    [True, False]
    """
    return _tensor("isinf", input).isinf()


def isfinite(input: Tensor) -> Tensor:
    """Bool: where ``input`` is neither NaN nor infinite.

    Examples
    --------
    >>> isfinite(Tensor(np.array([np.inf, 1.0]))).tolist()
    [False, True]
    """
    return _tensor("isfinite", input).isfinite()


def bitwise_and(input: Tensor, other) -> Tensor:
    """``input & other``: and of the bits (logical and on bool).

    Examples
    --------
    >>> bitwise_and(Tensor(np.array([12, 10])), 6).tolist()
    [4, 2]
    """
    return _tensor("bitwise_and", input).bitwise_and(other)


def bitwise_or(input: Tensor, other) -> Tensor:
    """``input | other``: or of the bits (logical or on bool).

    Examples
    --------
    >>> bitwise_or(Tensor(np.array([12, 10])), 1).tolist()
    [13, 11]
    """
    return _tensor("bitwise_or", input).bitwise_or(other)


def bitwise_xor(input: Tensor, other) -> Tensor:
    """``input ^ other``: exclusive or of the bits (logical xor on bool).

    Examples
    --------
    >>> bitwise_xor(Tensor(np.array([12, 10])), 6).tolist()
    [10, 12]
    """
    return _tensor("bitwise_xor", input).bitwise_xor(other)


def bitwise_not(input: Tensor) -> Tensor:
    """``~input``: not of the bits (logical not on bool).

    Examples
    --------
    >>> bitwise_not(Tensor(np.array([True, False]))).tolist()
    [False, True]
    """
    return _tensor("bitwise_not", input).bitwise_not()


def logical_and(input: Tensor, other) -> Tensor:
    """Bool: both nonzero, broadcast.

    Examples
    --------
    >>> logical_and(Tensor(np.array([0, 1])), Tensor(np.array([1, 1]))).tolist()
    [False, True]
    """
    return _tensor("logical_and", input).logical_and(other)


def logical_or(input: Tensor, other) -> Tensor:
    """Bool: either nonzero, broadcast.

    Examples
    --------
    >>> logical_or(Tensor(np.array([0, 1])), Tensor(np.array([0, 0]))).tolist()
    [False, True]
    """
    return _tensor("logical_or", input).logical_or(other)


def logical_xor(input: Tensor, other) -> Tensor:
    """Bool: exactly one nonzero, broadcast.

    Examples
    --------
    >>> logical_xor(Tensor(np.array([0, 1])), Tensor(np.array([1, 1]))).tolist()
    [True, False]
    """
    return _tensor("logical_xor", input).logical_xor(other)


def logical_not(input: Tensor) -> Tensor:
    """Bool: zero.

    Examples
    --------
    >>> logical_not(Tensor(np.array([0, 2]))).tolist()
    [True, False]
    """
    return _tensor("logical_not", input).logical_not()


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False):
    """``input.sort(dim, descending, stable=...)``: ``(values, indices)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.sort(autograd.tensor([3.0, 1.0, 2.0]))
    SortResult(values=tensor([1., 2., 3.]), indices=tensor([1, 2, 0]))
    """
    return _tensor("sort", input).sort(dim, descending, stable=stable)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False):
    """``input.argsort(dim, descending, stable=...)``: the indices that sort along ``dim``.

    Examples
    --------
    >>> import autograd
    >>> autograd.argsort(autograd.tensor([3.0, 1.0, 2.0]), descending=True)
    tensor([0, 2, 1])
    """
    return _tensor("argsort", input).argsort(dim, descending, stable=stable)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """``input.topk(k, dim, largest, sorted)``: ``(values, indices)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.topk(autograd.tensor([1.0, 4.0, 2.0]), 2).indices
    tensor([1, 2])
    """
    return _tensor("topk", input).topk(k, dim, largest, sorted)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """``input.kthvalue(k, dim, keepdim)``: ``(values, indices)`` of the k-th smallest.

    Examples
    --------
    >>> import autograd
    >>> autograd.kthvalue(autograd.tensor([4.0, 1.0, 3.0]), 2)
    KthvalueResult(values=tensor(3.), indices=tensor(2))
    """
    return _tensor("kthvalue", input).kthvalue(k, dim, keepdim)


def median(input: Tensor, dim=None, keepdim: bool = False):
    """``input.median(dim, keepdim)``: the lower median, or ``(values, indices)`` along ``dim``.

    Examples
    --------
    >>> import autograd
    >>> autograd.median(autograd.tensor([3.0, 1.0, 2.0], dtype=autograd.float64))
    tensor(2., dtype=float64)
    """
    return _tensor("median", input).median(dim, keepdim)


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """The ``p``-norm over ``dim`` (all dims when None): ``'fro'`` (the 2-norm of the elements), a
    number, ``inf`` or ``-inf``; ``'nuc'`` raises NotImplementedError.

    Examples
    --------
    >>> norm(Tensor(np.array([3.0, 4.0]))).item()
    5.0
    """
    return _tensor("norm", input).norm(p, dim, keepdim, dtype)


def dist(input: Tensor, other: Tensor, p=2) -> Tensor:
    """``norm(input - other, p)`` over all elements (the two broadcast).

    Examples
    --------
    >>> dist(Tensor(np.array([1.0, 1.0])), Tensor(np.array([4.0, 5.0]))).item()
    5.0
    """
    return _tensor("dist", input).dist(other, p)


# -- torch's math: the methods of ops/math.py and ops/special.py ------------------------------


def sin(input: Tensor) -> Tensor:
    """``input.sin()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.sin(autograd.tensor([0.0, 1.5708], dtype=autograd.float64))
    tensor([0.0000, 1.0000], dtype=float64)
    """
    return _tensor("sin", input).sin()


def cos(input: Tensor) -> Tensor:
    """``input.cos()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.cos(autograd.tensor([0.0, 3.1416], dtype=autograd.float64))
    tensor([ 1.0000, -1.0000], dtype=float64)
    """
    return _tensor("cos", input).cos()


def tan(input: Tensor) -> Tensor:
    """``input.tan()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.tan(autograd.tensor([0.0, 0.7854], dtype=autograd.float64))
    tensor([0.0000, 1.0000], dtype=float64)
    """
    return _tensor("tan", input).tan()


def asin(input: Tensor) -> Tensor:
    """``input.asin()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.asin(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 1.5708], dtype=float64)
    """
    return _tensor("asin", input).asin()


def acos(input: Tensor) -> Tensor:
    """``input.acos()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.acos(autograd.tensor([1.0, 0.0], dtype=autograd.float64))
    tensor([0.0000, 1.5708], dtype=float64)
    """
    return _tensor("acos", input).acos()


def atan(input: Tensor) -> Tensor:
    """``input.atan()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.atan(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 0.7854], dtype=float64)
    """
    return _tensor("atan", input).atan()


def sinh(input: Tensor) -> Tensor:
    """``input.sinh()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.sinh(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 1.1752], dtype=float64)
    """
    return _tensor("sinh", input).sinh()


def cosh(input: Tensor) -> Tensor:
    """``input.cosh()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.cosh(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([1.0000, 1.5431], dtype=float64)
    """
    return _tensor("cosh", input).cosh()


def erf(input: Tensor) -> Tensor:
    """``input.erf()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.erf(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([0.0000, 0.8427], dtype=float64)
    """
    return _tensor("erf", input).erf()


def erfc(input: Tensor) -> Tensor:
    """``input.erfc()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.erfc(autograd.tensor([0.0, 1.0], dtype=autograd.float64))
    tensor([1.0000, 0.1573], dtype=float64)
    """
    return _tensor("erfc", input).erfc()


def log1p(input: Tensor) -> Tensor:
    """``input.log1p()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.log1p(autograd.tensor([0.0, 1e-10], dtype=autograd.float64))
    tensor([0.0000e+00, 1.0000e-10], dtype=float64)
    """
    return _tensor("log1p", input).log1p()


def expm1(input: Tensor) -> Tensor:
    """``input.expm1()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.expm1(autograd.tensor([0.0, 1e-10], dtype=autograd.float64))
    tensor([0.0000e+00, 1.0000e-10], dtype=float64)
    """
    return _tensor("expm1", input).expm1()


def log2(input: Tensor) -> Tensor:
    """``input.log2()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.log2(autograd.tensor([1.0, 8.0], dtype=autograd.float64))
    tensor([0., 3.], dtype=float64)
    """
    return _tensor("log2", input).log2()


def log10(input: Tensor) -> Tensor:
    """``input.log10()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.log10(autograd.tensor([1.0, 100.0], dtype=autograd.float64))
    tensor([0., 2.], dtype=float64)
    """
    return _tensor("log10", input).log10()


def exp2(input: Tensor) -> Tensor:
    """``input.exp2()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.exp2(autograd.tensor([0.0, 3.0], dtype=autograd.float64))
    tensor([1., 8.], dtype=float64)
    """
    return _tensor("exp2", input).exp2()


def rsqrt(input: Tensor) -> Tensor:
    """``input.rsqrt()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.rsqrt(autograd.tensor([4.0, 0.25], dtype=autograd.float64))
    tensor([0.5000, 2.0000], dtype=float64)
    """
    return _tensor("rsqrt", input).rsqrt()


def reciprocal(input: Tensor) -> Tensor:
    """``input.reciprocal()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.reciprocal(autograd.tensor([2.0, -0.5], dtype=autograd.float64))
    tensor([ 0.5000, -2.0000], dtype=float64)
    """
    return _tensor("reciprocal", input).reciprocal()


def floor(input: Tensor) -> Tensor:
    """``input.floor()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.floor(autograd.tensor([-1.5, 1.5], dtype=autograd.float64))
    tensor([-2.,  1.], dtype=float64)
    """
    return _tensor("floor", input).floor()


def ceil(input: Tensor) -> Tensor:
    """``input.ceil()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.ceil(autograd.tensor([-1.5, 1.5], dtype=autograd.float64))
    tensor([-1.,  2.], dtype=float64)
    """
    return _tensor("ceil", input).ceil()


def round(input: Tensor) -> Tensor:
    """``input.round()``."""
    return _tensor("round", input).round()


def trunc(input: Tensor) -> Tensor:
    """``input.trunc()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.trunc(autograd.tensor([-1.7, 1.7], dtype=autograd.float64))
    tensor([-1.,  1.], dtype=float64)
    """
    return _tensor("trunc", input).trunc()


def frac(input: Tensor) -> Tensor:
    """``input.frac()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.frac(autograd.tensor([-1.25, 1.75], dtype=autograd.float64))
    tensor([-0.2500,  0.7500], dtype=float64)
    """
    return _tensor("frac", input).frac()


def sign(input: Tensor) -> Tensor:
    """``input.sign()``.

    Examples
    --------
    >>> import autograd
    >>> autograd.sign(autograd.tensor([-2.0, 0.0, 3.0], dtype=autograd.float64))
    tensor([-1.,  0.,  1.], dtype=float64)
    """
    return _tensor("sign", input).sign()


def atan2(input: Tensor, other) -> Tensor:
    """``input.atan2(other)``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.atan2(autograd.tensor([1.0, 1.0]), autograd.tensor([1.0, -1.0]))
    tensor([0.7854, 2.3562])
    """
    return _tensor("atan2", input).atan2(other)


def fmod(input: Tensor, other) -> Tensor:
    """``input.fmod(other)``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.fmod(autograd.tensor([-3, 3]), 2)
    tensor([-1,  1])
    """
    return _tensor("fmod", input).fmod(other)


def remainder(input: Tensor, other) -> Tensor:
    """``input.remainder(other)``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.remainder(autograd.tensor([-3, 3]), 2)
    tensor([1, 1])
    """
    return _tensor("remainder", input).remainder(other)


def floor_divide(input: Tensor, other) -> Tensor:
    """``input.floor_divide(other)``, broadcast.

    Examples
    --------
    >>> import autograd
    >>> autograd.floor_divide(autograd.tensor([-7.0, 7.0]), 2)
    tensor([-4.,  3.])
    """
    return _tensor("floor_divide", input).floor_divide(other)


def nan_to_num(input: Tensor, nan: float = 0.0, posinf=None, neginf=None) -> Tensor:
    """``input.nan_to_num(nan, posinf, neginf)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.nan_to_num(autograd.tensor([float('nan'), 1.0]), nan=-1.0)
    tensor([-1.,  1.])
    """
    return _tensor("nan_to_num", input).nan_to_num(nan, posinf, neginf)


def cumsum(input: Tensor, dim: int) -> Tensor:
    """``input.cumsum(dim)``: running sums along ``dim``.

    Examples
    --------
    >>> import autograd
    >>> autograd.cumsum(autograd.tensor([1, 2, 3]), dim=0)
    tensor([1, 3, 6])
    """
    return _tensor("cumsum", input).cumsum(dim)


def inverse(input: Tensor) -> Tensor:
    """``linalg.inv(input)``.

    Examples
    --------
    >>> import autograd
    >>> autograd.inverse(autograd.tensor([[2.0, 0.0], [0.0, 0.5]], dtype=autograd.float64))
    tensor([[0.5000, 0.0000],
            [0.0000, 2.0000]], dtype=float64)
    """
    return _tensor("inverse", input).inverse()


def det(input: Tensor) -> Tensor:
    """``linalg.det(input)``.

    Examples
    --------
    >>> import autograd
    >>> A = autograd.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=autograd.float64)
    >>> f'{autograd.det(A).item():.6f}'
    '-2.000000'
    """
    return _tensor("det", input).det()


def cumprod(input: Tensor, dim: int) -> Tensor:
    """``input.cumprod(dim)``: running products along ``dim``.

    Examples
    --------
    >>> import autograd
    >>> autograd.cumprod(autograd.tensor([1, 2, 3, 4]), dim=0)
    tensor([ 1,  2,  6, 24])
    """
    return _tensor("cumprod", input).cumprod(dim)


def einsum(equation: str, *operands) -> Tensor:
    """torch's ``einsum(equation, *operands)`` (or ``einsum(equation, [operands])``); see
    ``autograd.ops.einsum.einsum``. A function only: torch has no Tensor method for it.

    Examples
    --------
    >>> import autograd
    >>> a, b = autograd.ones(2, 3), autograd.ones(3, 4)
    >>> autograd.einsum('ij,jk->ik', a, b).shape
    (2, 4)
    >>> autograd.einsum('ii', autograd.eye(3))
    tensor(3.)
    """
    return ops.einsum(equation, *operands)
