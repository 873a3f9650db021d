"""``einsum``: torch's Einstein summation, a primitive whose derivative is the rule table's.

The public function reads torch's equation (explicit ``'ij,jk->ik'`` or implicit ``'ij,jk'``,
``...`` for broadcast dims, spaces ignored) and reduces it to the one form the primitive knows:
one letter per dim, every letter of one size. Two steps make it so, both here and both with
differentiable Tensor operations, so the primitive's rule never sees them:

- ``...`` becomes letters that the equation does not use (right-aligned, as broadcasting);
- a dim of size 1 whose letter is longer elsewhere (torch broadcasts it) is reshaped away: the
  operand is constant along that letter, which is what leaving the letter out of its subscripts
  says. Its gradient, summed over the letter, comes back through the reshape: this is where
  einsum undoes broadcasting (``sum_to_shape``'s job for elementwise ops).

The rule (rules.py) writes each operand's gradient as another einsum of the output's gradient
with the other operands, so second derivatives are einsums again.
"""

from __future__ import annotations

import string

import numpy as np

from ..dtypes import scalar_type_name
from ..function import Primitive
from ..rules import table_backward
from ..tensor import Tensor

__all__ = ["einsum"]

LETTERS = string.ascii_uppercase + string.ascii_lowercase  # torch's label order: A-Z, then a-z


class Einsum(Primitive):
    """``np.einsum`` on operands whose subscripts are single letters of consistent sizes."""

    op = "einsum"

    @staticmethod
    def forward(ctx, *operands, inputs: tuple, output: str):
        datas = [t.data for t in operands]
        ctx.save_for_backward(*operands)
        ctx.inputs, ctx.output_labels = inputs, output
        ctx.sizes = {
            label: size
            for labels, data in zip(inputs, datas)
            for label, size in zip(labels, data.shape)
        }
        result = np.asarray(
            np.einsum(f"{','.join(inputs)}->{output}", *datas, optimize=len(datas) > 2)
        )
        # one operand: numpy returns a view of it (a transpose, a diagonal); torch a new tensor
        if any(np.may_share_memory(result, data) for data in datas):
            result = result.copy()
        return result


Einsum.backward = table_backward("einsum", einsum=Einsum)


def _subscripts(term: str, position: int, where: str) -> tuple[list[str], int | None]:
    """A term's letters, and where its ``...`` stands among them (None without one)."""
    labels: list[str] = []
    ellipsis = None
    i = 0
    while i < len(term):
        char = term[i]
        if char == ".":
            if term[i : i + 3] != "...":
                raise RuntimeError(
                    f"einsum(): found '.' for {where} that is not part of any ellipsis"
                )
            if ellipsis is not None:
                raise RuntimeError(
                    f"einsum(): found '.' for {where} for which an ellipsis was already found"
                )
            ellipsis = len(labels)
            i += 3
            continue
        if char not in LETTERS:
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {position + i} in the equation "
                "string, subscripts must be in [a-zA-Z]"
            )
        labels.append(char)
        i += 1
    return labels, ellipsis


def _operands(operands) -> list[Tensor]:
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])  # torch also takes einsum(equation, [a, b])
    for i, t in enumerate(operands):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 1, but got {type(t).__name__}"
            )
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    return list(operands)


def einsum(equation: str, *operands) -> Tensor:
    """Torch's ``einsum``: sums of products of the operands' elements, named by subscripts.

    ``einsum('ij,jk->ik', a, b)`` is ``a @ b``; ``'ii->i'`` a diagonal, ``'ii'`` a trace,
    ``'...ij,...jk'`` a batched matmul with broadcast batch dims. Without ``->`` the output has
    the ellipsis dims, then the letters that appear once, sorted (A-Z before a-z). Letters of
    different operands broadcast (size 1 against n). Operands: ``einsum(eq, a, b)`` or
    ``einsum(eq, [a, b])``, all of one dtype (not bool).
    """
    tensors = _operands(operands)
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype != dtype:
            raise RuntimeError(
                f"expected scalar type {scalar_type_name(dtype)} but found "
                f"{scalar_type_name(t.dtype)}"
            )
    if dtype == np.bool_:
        # torch multiplies bools only for some equations (a permute works, a product does not)
        raise NotImplementedError(
            "einsum(): bool operands are not supported here; cast them with .long() or .float()"
        )

    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(tensors):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(tensors):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")

    parsed = []
    position = 0
    for k, (term, t) in enumerate(zip(terms, tensors)):
        labels, ellipsis = _subscripts(term, position, f"operand {k}")
        position += len(term) + 1
        if ellipsis is None and len(labels) != t.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(labels)}) does not "
                f"match the number of dimensions ({t.ndim}) for operand {k} and no ellipsis "
                "was given"
            )
        if ellipsis is not None and len(labels) > t.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(labels)}) is more "
                f"than the number of dimensions ({t.ndim}) for operand {k}"
            )
        parsed.append((labels, ellipsis))

    used = set(lhs) | set(rhs)
    broadcast_ndim = max(
        (
            t.ndim - len(labels)
            for (labels, ellipsis), t in zip(parsed, tensors)
            if ellipsis is not None
        ),
        default=0,
    )
    free = [c for c in LETTERS if c not in used]
    if broadcast_ndim > len(free):
        raise RuntimeError(
            f"einsum(): the equation uses {52 - len(free)} letters and its ellipsis "
            f"{broadcast_ndim} dims more: at most 52 dims can be named in all"
        )
    ellipsis_labels = free[:broadcast_ndim]

    inputs = []
    for (labels, ellipsis), t in zip(parsed, tensors):
        if ellipsis is not None:
            count = t.ndim - len(labels)
            labels = (
                labels[:ellipsis] + ellipsis_labels[broadcast_ndim - count :] + labels[ellipsis:]
            )
        inputs.append(labels)

    if arrow:
        out_labels, out_ellipsis = _subscripts(rhs, len(lhs) + 2, "the output")
        seen_letters = {c for labels, _ in parsed for c in labels}
        for i, c in enumerate(out_labels):
            if c not in seen_letters:
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the equation for any "
                    "input operand"
                )
            if c in out_labels[:i]:
                raise RuntimeError(
                    f"einsum(): output subscript {c} appears more than once in the output"
                )
        if out_ellipsis is not None:
            out_labels = out_labels[:out_ellipsis] + ellipsis_labels + out_labels[out_ellipsis:]
    else:
        counts: dict[str, int] = {}
        for labels, _ in parsed:
            for c in labels:
                counts[c] = counts.get(c, 0) + 1
        out_labels = ellipsis_labels + sorted(c for c, n in counts.items() if n == 1)

    # each letter's size: equal wherever it appears in one operand; across operands, 1 broadcasts
    sizes: dict[str, int] = {}
    for k, (labels, t) in enumerate(zip(inputs, tensors)):
        own: dict[str, int] = {}
        for c, size in zip(labels, t.shape):
            if c in own and own[c] != size:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't "
                    f"match, {size} != {own[c]}"
                )
            own[c] = size
        for c, size in own.items():
            seen = sizes.get(c)
            if seen is None or seen == 1:
                sizes[c] = size
            elif size not in (1, seen):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {size} for operand {k} which does not "
                    f"broadcast with previously seen size {seen}"
                )

    # the dims that broadcast (size 1, the letter longer elsewhere) leave their operand
    primitive_operands, primitive_inputs = [], []
    for labels, t in zip(inputs, tensors):
        keep = [size == sizes[c] for c, size in zip(labels, t.shape)]
        if not all(keep):
            t = t.reshape(tuple(size for size, kept in zip(t.shape, keep) if kept))
            labels = [c for c, kept in zip(labels, keep) if kept]
        primitive_operands.append(t)
        primitive_inputs.append("".join(labels))
    return Einsum.apply(
        *primitive_operands, inputs=tuple(primitive_inputs), output="".join(out_labels)
    )
