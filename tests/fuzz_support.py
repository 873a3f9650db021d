"""The differential fuzz's machinery: example budgets, case counting, comparison with torch.

Every family (``tests/test_fuzz_*.py``) draws random cases with hypothesis and runs each through
``run_family``, which classifies it as a match, a known divergence (an entry of one of four
documented tables: ``PENDING_FIXES`` on other branches, ``ACCEPTED_WHERE_TORCH_RAISES``,
``TORCH_IS_WRONG``, ``FOUND_BY_FUZZ`` open and reported), or a mismatch. Two modes:

- CI (default): a bounded number of examples per family, derandomized, so the whole fuzz adds
  well under a minute and a failure reproduces exactly; a mismatch raises at once, and hypothesis
  shrinks it to a minimal case.
- long (``pytest --fuzz-long``, or ``CHAINRULE_FUZZ_LONG=1``): ``LONG_EXAMPLES`` per family (or
  ``CHAINRULE_FUZZ_EXAMPLES=N``, which also sets the CI count), random seeds; mismatches are
  collected (not raised) so one run counts them all; each family's test fails at its end if it
  saw any, and the session prints a table of cases and mismatches per family.

Comparison rules (``assert_same``): shapes equal; dtypes exactly equal; NaN positions equal;
values ``allclose`` with rtol 1e-10 / atol 1e-12 in float64 (second derivatives rtol 1e-9: see
SECOND_ORDER_TOLERANCE), rtol 1e-5 / atol 1e-6 in float32
(torch and numpy use different float32 kernels: summation order, vectorized exp/tanh; 1e-5 is a
few float32 ulps after a handful of operations), exact for integers and bools. Errors: both must
raise or neither; the error classes may differ (torch raises RuntimeError where Python's
convention, which this engine follows, is ValueError/TypeError/IndexError), so only "raised or
not" is compared.
"""

from __future__ import annotations

import os
import traceback
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings

from autograd import Tensor

CI_EXAMPLES = 200  # about 20 s for the whole fuzz on one core
LONG_EXAMPLES = 15_000
MAX_RECORDED = 20  # mismatches kept with their repro per family (all are counted)

LONG = os.environ.get("CHAINRULE_FUZZ_LONG", "") not in ("", "0")  # conftest sets --fuzz-long


def examples() -> int:
    """The number of hypothesis examples per family in this run."""
    env = os.environ.get("CHAINRULE_FUZZ_EXAMPLES")
    if env:
        return int(env)
    return LONG_EXAMPLES if LONG else CI_EXAMPLES


@dataclass
class FamilyStats:
    """What one family saw: its cases, mismatches (with repros), and known divergences by entry."""

    cases: int = 0
    mismatches: int = 0
    pending: dict = field(default_factory=lambda: defaultdict(int))
    repros: list = field(default_factory=list)


STATS: dict[str, FamilyStats] = defaultdict(FamilyStats)


class Mismatch(AssertionError):
    """Our result differs from torch's on one case."""


# -- known divergences being fixed on other branches --
#
# PENDING_FIXES: {name: predicate(case, message) -> bool}. A mismatch (``message`` is its text)
# on a case for which a predicate holds is counted under that name instead of failing, so CI
# passes while the fixes are on other branches. Each entry says the exact condition; remove an
# entry when its fix is merged (the long run's table shows how many cases each entry still
# absorbs: 0 means it can go). The three tables after it work the same way.


_INT_LABELS = ("bool", "uint8", "int32", "int64", "int", "bool_scalar")


def _int_with_float32_or_number(case) -> bool:
    """Operands that mix an int/bool tensor (or number) with float32 or a Python float, or
    float32 with a float64 0-d tensor."""
    labels = [label.removesuffix("_0d") for label in case.get("operand_kinds", ())]
    raw = case.get("operand_kinds", ())
    has_int = any(label in _INT_LABELS for label in labels)
    has_float = any(label in ("float32", "float") for label in labels)
    return (has_int and has_float) or ("float32" in labels and "float64_0d" in raw)


_BINARY_NAMES = ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "where")


def _zero_dim_promotion(case, message) -> bool:
    """A 0-d tensor operand (torch ranks it below tensors with dimensions and above numbers): a
    wrong dtype, or uint8 values that wrap in torch and widen here."""
    if not case.get("has_0d") or case.get("op") not in _BINARY_NAMES:
        return False
    return ": dtype " in message or "uint8" in case.get("operand_kinds", ())


PENDING_FIXES: dict = {}  # empty: the dtype and version-counter branches are merged


# ACCEPTED_WHERE_TORCH_RAISES: {name: predicate(case, message)}: calls this engine accepts on
# purpose where torch raises, with the result torch gives for the equivalent tensor call. Counted
# apart (the long run's table names them), never hidden as a pass of a wrong number.
ACCEPTED_WHERE_TORCH_RAISES = {
    # maximum(x, 0.5): torch wants a Tensor for both; nn.functional's losses use the number form.
    "maximum/minimum with a Python number": lambda case, message: (
        case.get("op") in ("maximum", "minimum")
        and "torch raised, ours did not" in message
        and any(k in ("int", "float", "bool_scalar") for k in case.get("operand_kinds", ()))
    ),
    # argmax(dim=(0, 1)), argmin(dim=()): numpy's tuple form; torch takes one int.
    "argmax/argmin with a tuple dim": lambda case, message: (
        case.get("op") in ("argmax", "argmin")
        and isinstance(case.get("dim"), tuple)
        and "torch raised, ours did not" in message
    ),
    # argmax/argmin of a bool tensor: numpy's answer; torch refuses bool input.
    "argmax/argmin of bool": lambda case, message: (
        case.get("op") in ("argmax", "argmin")
        and case.get("dtype") == "bool"
        and "torch raised, ours did not" in message
    ),
    # x.T.view(-1): view is reshape here (an array has no strides to keep), so it copies where
    # torch refuses a view of a non-contiguous tensor; same values and gradients.
    "view of a non-contiguous tensor": lambda case, message: (
        "view size is not compatible" in message and "torch raised, ours did not" in message
    ),
    # logsumexp(None) and max(None, keepdim=True) reduce over every dim (numpy's None); torch's
    # signatures have no None there.
    "dim=None for logsumexp/max/min": lambda case, message: (
        case.get("op") in ("logsumexp", "max", "min")
        and case.get("dim") is None
        and "torch raised, ours did not" in message
    ),
}


# TORCH_IS_WRONG: {name: predicate(case, message)}: cases where torch 2.13 gives a wrong answer
# or a spurious error, each with the reason. (Where torch's right answer is reachable another
# way, the family compares with that instead: see test_fuzz_reductions.TORCH_WRONG_EMPTY_DIM.)
TORCH_IS_WRONG = {
    # x[..., tensor([-4, -3]), None, 1:0] on a (2, 4) tensor: the index -4 is out of range, but
    # the empty slice leaves nothing to gather, and torch then skips its bounds check (any
    # non-empty result raises IndexError); numpy and ours check every index.
    "out-of-range advanced index with an empty result": lambda case, message: (
        "ours raised, torch did not" in message and "is out of bounds" in message
    ),
    # cat([a, b], dim=1) with a, b of shape (0,): torch's legacy rule skips 1-D empty tensors
    # before checking dim, so an out-of-range dim passes; any other shape raises, as ours does.
    "cat of 1-D empty tensors ignores dim": lambda case, message: (
        0 in case.get("shape", (1,))  # reaches cat as shape (0,)
        and any(step[0] == "cat" for step in case.get("chain", ()))
        and "ours raised, torch did not" in message
        and "cat" in message
    ),
    # x[[[0, 0], [0, 1]]] (a bare list of lists): torch 2.13 still reads it as the tuple
    # x[[0, 0], [0, 1]], with a UserWarning that this is deprecated and will mean
    # x[tensor(seq)], which is numpy's reading and ours.
    "bare nested list index (deprecated in torch)": lambda case, message: (
        case.get("bare") and case["items"][0][0] == "list" and len(case["items"][0][1][0]) > 1
    ),
    # x[..., ...]: torch 2.13 accepts several Ellipsis in one index (where each would expand is
    # ambiguous); numpy refuses, and so do we, with an IndexError that says so.
    "several Ellipsis in one index": lambda case, message: (
        sum(item[0] == "ellipsis" for item in case.get("items", ())) > 1
        and "ours raised, torch did not" in message
    ),
    # layer_norm over one element ((N, C, 1) normalized over its last dim): x - mean(x) is 0
    # for every x, so the output is the bias and the input's gradient exactly 0 (ours); torch's
    # fused backward leaves its rounding, rstd = 1/sqrt(eps) ~ 316 times an ulp of the upstream
    # gradient (-1.8e-12 in the long run), over the comparison's atol of 1e-12.
    "layer_norm over one element: torch's input gradient is rounding": lambda case, message: (
        case.get("name") == "layer_norm"
        and case.get("shape", (0,))[-1] == 1
        and "derivative[0]: values differ" in message
    ),
    # torch.logsumexp(x, dim=()) raises "output with shape [] doesn't match the broadcast shape
    # [1, 1]" (keepdim=True works, and agrees with ours): an internal shape bug, not a refusal.
    "logsumexp(dim=()) without keepdim raises in torch": lambda case, message: (
        case.get("op") == "logsumexp"
        and case.get("dim") == ()
        and "doesn't match the broadcast shape" in message
    ),
}


# FOUND_BY_FUZZ: {name: predicate(case, message)}: divergences this suite found that are not
# fixed on this branch (each is reported to the lead with a repro; the fix belongs to code
# another branch is changing). Remove an entry with its fix.
FOUND_BY_FUZZ: dict = {}  # empty: every divergence it found is fixed on this branch


_KNOWN_TABLES = {
    "pending fix": PENDING_FIXES,
    "accepted": ACCEPTED_WHERE_TORCH_RAISES,
    "torch is wrong": TORCH_IS_WRONG,
    "found, open": FOUND_BY_FUZZ,
}


def pending_reason(case: dict, message: str) -> str | None:
    """``"table: entry"`` for the first entry of PENDING_FIXES, ACCEPTED_WHERE_TORCH_RAISES,
    TORCH_IS_WRONG or FOUND_BY_FUZZ that covers a mismatch, or None."""
    for label, table in _KNOWN_TABLES.items():
        for name, applies in table.items():
            if applies(case, message):
                return f"{label}: {name}"
    return None


# -- running cases --


def run_family(family: str, strategy, check) -> None:
    """Draw ``examples()`` cases from ``strategy`` and run ``check(case)`` on each.

    ``check`` builds the case on both sides and calls ``assert_same``/``both_or_neither``; it
    returns nothing. In CI mode a mismatch fails the test (shrunk by hypothesis); in long mode it
    is counted and recorded, and the test fails at the end if there were any.
    """
    stats = STATS[family]
    long_mode = LONG

    @settings(
        max_examples=examples(),
        deadline=None,
        derandomize=not long_mode,
        database=None,
        print_blob=not long_mode,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one_case(case):
        stats.cases += 1
        try:
            check(case)
        except Mismatch as mismatch:
            reason = pending_reason(case, str(mismatch))
            if reason is not None:
                stats.pending[reason] += 1
                return
            if not long_mode:
                raise
            stats.mismatches += 1
            if len(stats.repros) < MAX_RECORDED:
                stats.repros.append(f"{case!r}\n    {mismatch}")

    one_case()  # derandomized in CI (repeats itself), random seeds in long mode (explores)
    if long_mode and stats.mismatches:
        raise Mismatch(
            f"{family}: {stats.mismatches} mismatches in {stats.cases} cases; first ones:\n"
            + "\n".join(stats.repros)
        )


# -- comparing --

TORCH_TO_NUMPY = {
    torch.bool: np.dtype(np.bool_),
    torch.uint8: np.dtype(np.uint8),
    torch.int8: np.dtype(np.int8),
    torch.int16: np.dtype(np.int16),
    torch.int32: np.dtype(np.int32),
    torch.int64: np.dtype(np.int64),
    torch.float16: np.dtype(np.float16),
    torch.float32: np.dtype(np.float32),
    torch.float64: np.dtype(np.float64),
}

TOLERANCE = {
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
    np.dtype(np.float32): {"rtol": 1e-5, "atol": 1e-6},
}


def as_array(x) -> np.ndarray:
    """The values of a Tensor, a torch tensor, a number or None (None reads as no array)."""
    if isinstance(x, Tensor):
        return np.asarray(x.data)
    if isinstance(x, torch.Tensor):
        return x.detach().numpy(force=True)  # force: ZeroTensor gradients (abs, relu)
    return np.asarray(x)


def assert_same(ours, theirs, what: str, *, check_dtype: bool = True, tol=None) -> None:
    """Raise Mismatch unless ``ours`` (a Tensor) equals ``theirs`` (a torch tensor) as the module
    docstring says: shape, dtype, NaN positions, values within the dtype's tolerance."""
    if not isinstance(ours, Tensor):
        raise Mismatch(f"{what}: ours is {type(ours).__name__}, torch gives a tensor")
    a, b = as_array(ours), as_array(theirs)
    if a.shape != b.shape:
        raise Mismatch(f"{what}: shape {a.shape} vs torch {b.shape}")
    if check_dtype and np.dtype(ours.dtype) != TORCH_TO_NUMPY[theirs.dtype]:
        raise Mismatch(f"{what}: dtype {ours.dtype} vs torch {theirs.dtype}")
    assert_values(a, b, what, tol)


def assert_values(a: np.ndarray, b: np.ndarray, what: str, tol=None) -> None:
    """Raise Mismatch unless the arrays agree: NaN positions, then values (see TOLERANCE)."""
    if a.shape != b.shape:
        raise Mismatch(f"{what}: shape {a.shape} vs torch {b.shape}")
    if b.dtype.kind in "fc" or a.dtype.kind in "fc":
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        if not np.array_equal(np.isnan(a64), np.isnan(b64)):
            raise Mismatch(f"{what}: NaN positions differ\n    ours  {a!r}\n    torch {b!r}")
        tol = tol or TOLERANCE.get(b.dtype, TOLERANCE[np.dtype(np.float32)])
        if not np.allclose(a64, b64, equal_nan=True, **tol):
            raise Mismatch(f"{what}: values differ\n    ours  {a!r}\n    torch {b!r}")
    elif not np.array_equal(a, b):
        raise Mismatch(f"{what}: values differ\n    ours  {a!r}\n    torch {b!r}")


def both_or_neither(ours_fn, torch_fn, what: str):
    """Run both sides; return ``(ours, theirs)``, or None when both raised. One raising alone is
    a Mismatch (with the error of the side that raised)."""
    ours_error = theirs_error = None
    ours = theirs = None
    try:
        ours = ours_fn()
    except Exception as error:  # noqa: BLE001 - any error counts as "raised"
        ours_error = error
    try:
        theirs = torch_fn()
    except Exception as error:  # noqa: BLE001
        theirs_error = error
    if ours_error is not None and theirs_error is not None:
        return None
    if ours_error is not None:
        detail = "".join(traceback.format_exception_only(type(ours_error), ours_error)).strip()
        raise Mismatch(f"{what}: ours raised, torch did not: {detail}")
    if theirs_error is not None:
        detail = str(theirs_error).splitlines()[0]
        raise Mismatch(
            f"{what}: torch raised, ours did not: {type(theirs_error).__name__}: {detail}"
        )
    return ours, theirs


# Second derivatives in float64: rtol 1e-9. Their formulas differ from torch's in the order of
# operations (a fused binary_cross_entropy's 1/(x(1-x))^2 terms), and the long run saw relative
# differences up to ~1e-10 there, just over the 1e-10 used for values. Where a tanh or sigmoid
# gate nears saturation the formula itself loses digits on both sides: see GateNoise.
SECOND_ORDER_TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
EPSILON = float(np.finfo(np.float64).eps)


class GateNoise(torch.overrides.TorchFunctionMode):
    """While active, notes how much rounding the saturating gates of a torch computation carry.

    The derivative of ``y = tanh(u)`` is ``1 - y*y``, of ``y = sigmoid(u)`` ``y (1 - y)``, with
    ``y`` rounded to the nearest double on each side (numpy's and torch's kernels may differ by
    an ulp): the gate then carries a relative error up to ``eps / (1 - |y|)``, and so does every
    product it enters, at both orders and on both sides, torch's included. The long run found
    ``exp(3 tanh(exp(3 tanh(exp(3 tanh(x))))))`` (the fuzz's guarded ``exp``, nested) with
    second derivatives ~4e-8 apart; checked against mpmath (50 digits) on 4000 points of
    [-3, 3]: where ours and torch disagree, neither is closer (x = 0.2906: exact -3.785e-12,
    ours off by 100%, torch by 76%; x = 0.1519: 0.13% and 0.10%), the rounding of ``1 - y*y``
    with ``y`` within 1e-8 of 1. So the comparison's rtol is widened by ``4 eps / (1 - |y|)``
    for the most saturated gate of the case (``rtol()``), and only where one saturates: a
    well-conditioned case keeps rtol 1e-9. silu, logsigmoid, softplus and the tanh form of gelu
    have a sigmoid or tanh gate inside: their input gives it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.amplification = 1.0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        gate = None
        with torch.no_grad():
            if name in ("tanh", "sigmoid") and isinstance(out, torch.Tensor):
                gate = out
            elif name in ("silu", "logsigmoid") and args:
                gate = torch.sigmoid(args[0])
            elif name == "softplus" and args:
                beta = args[1] if len(args) > 1 else kwargs.get("beta", 1.0)
                gate = torch.sigmoid(args[0] * beta)
            elif name == "gelu" and args and kwargs.get("approximate") == "tanh":
                x = args[0]
                gate = torch.tanh(0.7978845608028654 * (x + 0.044715 * x**3))
            if gate is not None and gate.numel() and gate.dtype == torch.float64:
                distance = float((1 - gate.abs()).min())
                self.amplification = max(self.amplification, 1 / max(distance, EPSILON))
        return out

    def rtol(self) -> float:
        """The second derivatives' rtol for the computation this noted."""
        return SECOND_ORDER_TOLERANCE["rtol"] + 4 * EPSILON * self.amplification


def assert_grads(ours_grads, torch_grads, shapes, what: str, rtol: float | None = None) -> None:
    """Compare gradient tuples; a None (input unused) reads as zeros on either side. Second
    derivatives (``what`` starting "second") use SECOND_ORDER_TOLERANCE, or ``rtol`` where
    given (a GateNoise's, for a computation through saturated gates)."""
    for i, (g, tg, shape) in enumerate(zip(ours_grads, torch_grads, shapes)):
        a = np.zeros(shape) if g is None else as_array(g)
        b = np.zeros(shape) if tg is None else as_array(tg)
        tol = None
        if b.dtype == np.float64:
            # atol scales with the gradient's largest entry: a small entry reached through a
            # saturated tanh (1 - tanh(u)**2 cancels, and numpy's and torch's tanh differ in
            # the last ulp) carries the absolute rounding of the large ones
            scale = float(np.max(np.abs(b[np.isfinite(b)]), initial=1.0))
            tol = dict(SECOND_ORDER_TOLERANCE if what.startswith("second") else TOLERANCE[b.dtype])
            tol["atol"] *= max(1.0, scale)
            if rtol is not None:
                tol["rtol"] = max(tol["rtol"], rtol)
        assert_values(a, b, f"{what}[{i}]", tol)


def summary_lines() -> list[str]:
    """The long run's table: cases, mismatches and known divergences per family, then the count
    per known entry and the mismatches' repros."""
    lines = [f"{'family':<28}{'cases':>10}{'mismatches':>12}{'known':>10}"]
    total = [0, 0, 0]
    for family in sorted(STATS):
        s = STATS[family]
        pending = sum(s.pending.values())
        lines.append(f"{family:<28}{s.cases:>10}{s.mismatches:>12}{pending:>10}")
        total = [total[0] + s.cases, total[1] + s.mismatches, total[2] + pending]
    lines.append(f"{'total':<28}{total[0]:>10}{total[1]:>12}{total[2]:>10}")
    for family in sorted(STATS):
        for name, count in STATS[family].pending.items():
            lines.append(f"known    {family}: {name}: {count}")
        for repro in STATS[family].repros:
            lines.append(f"mismatch {family}: {repro}")
    return lines
