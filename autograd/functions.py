"""torch's top-level functions for the operations that are Tensor methods: ``torch.tanh(x)``.

PyTorch code calls most operations both ways, ``x.tanh()`` and ``torch.tanh(x)``. The methods
(tensor.py) are the operations; each function here takes the input first, as torch does, and
calls the method, so there is one implementation and two spellings. The names that shadow
Python builtins (``abs``, ``all``, ``any``, ``max``, ``min``, ``pow``, ``sum``) are importable
from ``autograd`` but left out of its ``__all__``.
"""

from __future__ import annotations

import numpy as np

from .tensor import Tensor

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
]


def _tensor(where: str, x) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{where}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    return x


def add(input: Tensor, other, *, alpha: float = 1) -> Tensor:
    """``input + alpha * other``, broadcast."""
    return _tensor("add", input).add(other, alpha=alpha)


def sub(input: Tensor, other, *, alpha: float = 1) -> Tensor:
    """``input - alpha * other``, broadcast."""
    return _tensor("sub", input).sub(other, alpha=alpha)


def mul(input: Tensor, other) -> Tensor:
    """``input * other``, broadcast."""
    return _tensor("mul", input).mul(other)


def div(input: Tensor, other) -> Tensor:
    """``input / other``, broadcast (true division: ints give float32)."""
    return _tensor("div", input).div(other)


true_divide = div


def pow(input: Tensor, exponent) -> Tensor:  # noqa: A001 -- torch's name
    """``input ** exponent``, broadcast."""
    return _tensor("pow", input).pow(exponent)


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    return _tensor("neg", input).neg()


negative = neg


def square(input: Tensor) -> Tensor:
    """``input * input``."""
    return _tensor("square", input).square()


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``input @ other`` (1-D, 2-D, batched and mixed ranks, as ``np.matmul``)."""
    return _tensor("matmul", input).matmul(other)


mm = matmul


def exp(input: Tensor) -> Tensor:
    return _tensor("exp", input).exp()


def log(input: Tensor) -> Tensor:
    return _tensor("log", input).log()


def sqrt(input: Tensor) -> Tensor:
    return _tensor("sqrt", input).sqrt()


def abs(input: Tensor) -> Tensor:  # noqa: A001 -- torch's name
    return _tensor("abs", input).abs()


def tanh(input: Tensor) -> Tensor:
    return _tensor("tanh", input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    return _tensor("sigmoid", input).sigmoid()


def relu(input: Tensor) -> Tensor:
    return _tensor("relu", input).relu()


def clamp(input: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 -- torch's names
    """``input`` limited to ``[min, max]`` (numbers or Tensors; either may be None)."""
    return _tensor("clamp", input).clamp(min, max)


clip = clamp


def sum(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("sum", input).sum(dim, keepdim)


def mean(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _tensor("mean", input).mean(dim, keepdim)


def var(input: Tensor, dim=None, **kwargs) -> Tensor:
    """``input.var(dim, correction=..., keepdim=...)``."""
    return _tensor("var", input).var(dim, **kwargs)


def std(input: Tensor, dim=None, **kwargs) -> Tensor:
    """``input.std(dim, correction=..., keepdim=...)``."""
    return _tensor("std", input).std(dim, **kwargs)


def max(input: Tensor, *args, **kwargs):  # noqa: A001
    """``input.max(...)``: the maximum, or (values, indices) along ``dim``."""
    return _tensor("max", input).max(*args, **kwargs)


def min(input: Tensor, *args, **kwargs):  # noqa: A001
    """``input.min(...)``: the minimum, or (values, indices) along ``dim``."""
    return _tensor("min", input).min(*args, **kwargs)


def argmax(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _tensor("argmax", input).argmax(dim, keepdim)


def argmin(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _tensor("argmin", input).argmin(dim, keepdim)


def logsumexp(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    return _tensor("logsumexp", input).logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int) -> Tensor:
    return _tensor("softmax", input).softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    return _tensor("log_softmax", input).log_softmax(dim)


def reshape(input: Tensor, shape) -> Tensor:
    return _tensor("reshape", input).reshape(shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    return _tensor("flatten", input).flatten(start_dim, end_dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    return _tensor("transpose", input).transpose(dim0, dim1)


def t(input: Tensor) -> Tensor:
    return _tensor("t", input).t()


def permute(input: Tensor, dims) -> Tensor:
    return _tensor("permute", input).permute(*dims)


def squeeze(input: Tensor, dim=None) -> Tensor:
    return _tensor("squeeze", input).squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    return _tensor("unsqueeze", input).unsqueeze(dim)


# -- compositions (ops/compositions.py) --------------------------------------------------------


def split(tensor: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``tensor`` along ``dim`` (an int size each, or a list of sizes)."""
    return _tensor("split", tensor).split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    return _tensor("chunk", input).chunk(chunks, dim)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    return _tensor("unbind", input).unbind(dim)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    return _tensor("narrow", input).narrow(dim, start, length)


def movedim(input: Tensor, source, destination) -> Tensor:
    return _tensor("movedim", input).movedim(source, destination)


moveaxis = movedim


def flip(input: Tensor, dims) -> Tensor:
    return _tensor("flip", input).flip(dims)


def roll(input: Tensor, shifts, dims=None) -> Tensor:
    return _tensor("roll", input).roll(shifts, dims)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    return _tensor("tril", input).tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    return _tensor("triu", input).triu(diagonal)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    return _tensor("diagonal", input).diagonal(offset, dim1, dim2)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    return _tensor("diag", input).diag(diagonal)


def tile(input: Tensor, dims) -> Tensor:
    return _tensor("tile", input).tile(dims)


def repeat_interleave(input: Tensor, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Each element of ``input`` ``repeats`` times in a row along ``dim``; with ``input`` alone
    (1-D counts), the int64 indices ``0, 0, ..., 1, ...`` repeated by them, as torch's."""
    if repeats is None:
        counts = _tensor("repeat_interleave", input)
        return counts.new_tensor(np.arange(counts.numel())).repeat_interleave(
            counts, 0, output_size=output_size
        )
    return _tensor("repeat_interleave", input).repeat_interleave(
        repeats, dim, output_size=output_size
    )


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    return _tensor("outer", input).outer(vec2)


ger = outer


def dot(input: Tensor, other: Tensor) -> Tensor:
    return _tensor("dot", input).dot(other)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    return _tensor("mv", input).mv(vec)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    return _tensor("bmm", input).bmm(mat2)


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    return _tensor("addmm", input).addmm(mat1, mat2, beta=beta, alpha=alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    return _tensor("baddbmm", input).baddbmm(batch1, batch2, beta=beta, alpha=alpha)


def cross(input: Tensor, other: Tensor, dim=None) -> Tensor:
    return _tensor("cross", input).cross(other, dim)


def gather(input: Tensor, dim: int, index, *, sparse_grad: bool = False) -> Tensor:
    return _tensor("gather", input).gather(dim, index, sparse_grad=sparse_grad)


def take_along_dim(input: Tensor, indices, dim=None) -> Tensor:
    return _tensor("take_along_dim", input).take_along_dim(indices, dim)


def index_select(input: Tensor, dim: int, index) -> Tensor:
    return _tensor("index_select", input).index_select(dim, index)


def masked_fill(input: Tensor, mask, value) -> Tensor:
    return _tensor("masked_fill", input).masked_fill(mask, value)


def masked_select(input: Tensor, mask) -> Tensor:
    return _tensor("masked_select", input).masked_select(mask)


def nonzero(input: Tensor, *, as_tuple: bool = False):
    return _tensor("nonzero", input).nonzero(as_tuple=as_tuple)


def scatter(input: Tensor, dim: int, index, src=None, *, value=None, reduce=None) -> Tensor:
    return _tensor("scatter", input).scatter(dim, index, src, value=value, reduce=reduce)


def scatter_add(input: Tensor, dim: int, index, src: Tensor) -> Tensor:
    return _tensor("scatter_add", input).scatter_add(dim, index, src)


def index_add(input: Tensor, dim: int, index, source: Tensor, *, alpha=1) -> Tensor:
    return _tensor("index_add", input).index_add(dim, index, source, alpha=alpha)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    return _tensor("amax", input).amax(dim, keepdim)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    return _tensor("amin", input).amin(dim, keepdim)


def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("all", input).all(dim, keepdim)


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return _tensor("any", input).any(dim, keepdim)


def isnan(input: Tensor) -> Tensor:
    return _tensor("isnan", input).isnan()


def isinf(input: Tensor) -> Tensor:
    return _tensor("isinf", input).isinf()


def isfinite(input: Tensor) -> Tensor:
    return _tensor("isfinite", input).isfinite()


def logical_and(input: Tensor, other) -> Tensor:
    return _tensor("logical_and", input).logical_and(other)


def logical_or(input: Tensor, other) -> Tensor:
    return _tensor("logical_or", input).logical_or(other)


def logical_xor(input: Tensor, other) -> Tensor:
    return _tensor("logical_xor", input).logical_xor(other)


def logical_not(input: Tensor) -> Tensor:
    return _tensor("logical_not", input).logical_not()


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False):
    return _tensor("sort", input).sort(dim, descending, stable=stable)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False):
    return _tensor("argsort", input).argsort(dim, descending, stable=stable)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    return _tensor("topk", input).topk(k, dim, largest, sorted)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    return _tensor("kthvalue", input).kthvalue(k, dim, keepdim)


def median(input: Tensor, dim=None, keepdim: bool = False):
    return _tensor("median", input).median(dim, keepdim)


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    return _tensor("norm", input).norm(p, dim, keepdim, dtype)


def dist(input: Tensor, other: Tensor, p=2) -> Tensor:
    return _tensor("dist", input).dist(other, p)
