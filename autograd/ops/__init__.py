"""The Tensor primitives, grouped by kind; each is a ``Function`` with forward and backward.

Importing this package fills ``autograd.tensor.ops``, the namespace through which ``Tensor``'s
methods reach these functions: the ops build on ``tensor.py``, never the other way round.
"""

from ..tensor import (
    ops as tensor_ops,  # not `from .. import tensor`: the package's tensor is a function
)
from . import (
    arithmetic,
    compositions,
    einsum,
    elementwise,
    indexing,
    linear_algebra,
    math,
    reduction,
    shape,
    special,
    window,
)

tensor_ops.__dict__.update(
    {
        name: getattr(module, name)
        for module, names in (
            (arithmetic, "add radd sub rsub mul rmul div rdiv pow rpow neg matmul rmatmul"),
            (
                elementwise,
                "cast clone exp log sqrt abs tanh sigmoid relu clamp maximum minimum where",
            ),
            (reduction, "sum mean max min var std logsumexp softmax log_softmax argmax argmin"),
            (shape, "reshape expand flatten transpose permute squeeze unsqueeze t"),
            (indexing, "getitem index_backward"),
            (window, "sliding_window"),
            (special, "erf log1p expm1"),
            (math, " ".join(math.__all__)),
            (linear_algebra, "cumsum cumprod inv det solve"),
            (einsum, "einsum"),
            (
                compositions,
                "split chunk unbind narrow movedim flip roll tril triu diagonal diag repeat tile "
                "repeat_interleave outer dot mv bmm addmm baddbmm cross gather take_along_dim "
                "index_select masked_fill masked_select nonzero scatter scatter_add index_add "
                "amax amin all any isnan isinf isfinite logical_and logical_or logical_xor "
                "bitwise_and bitwise_or bitwise_xor "
                "logical_not sort argsort topk kthvalue median vector_norm norm dist",
            ),
        )
        for name in names.split()
    }
)

# the view operations (results that share their input's memory), for in-place changes of views
# in tensor.py, which rewrite the base through them (torch's CopySlices)
tensor_ops.VIEW_FUNCTIONS = (shape.Reshape, shape.Permute, indexing.GetItem)
tensor_ops.Reshape, tensor_ops.Permute, tensor_ops.GetItem = (
    shape.Reshape,
    shape.Permute,
    indexing.GetItem,
)
tensor_ops.Expand = shape.Expand
