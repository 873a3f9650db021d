"""Version counters: PyTorch's check that a tensor saved for backward was not changed since.

Every Tensor has ``_version``, an int that each in-place operation (``+=``, ``add_``,
``__setitem__``, an optimizer step through ``parameters.assign_data``) adds one to, and backward
raises ``ModifiedError`` (torch's message) where a tensor an operation saved (``save_for_backward``)
or its saved output changed after the operation ran, instead of differentiating at the changed
values. An input that was not saved may change (torch's rule): the walk sends its gradient to
the node it was when the operation ran (``tensor._send_at``).

The check must cost next to nothing on the hot path, where no tensor ever changes in place. So
an operation does not note its inputs' versions (a tuple per operation, ~10% of a small step);
it notes one int, the process's count of in-place changes so far (``clock``, in its Context).
Each change ticks the clock and stamps the tensor with the new time; backward compares each
saved tensor's last stamp with the operation's time, one int compare per tensor. The exact versions
for the message come from a short history of the tensor's recent changes.
"""

from __future__ import annotations

from .dtypes import scalar_type_name

clock = 0  # how many in-place changes this process has made: the time of the latest one
_HISTORY = 16  # changes remembered per tensor, to name the expected version in the message


def bump(tensor, recorded: bool = False) -> None:
    """Record an in-place change of ``tensor``: its version goes up by one.

    ``recorded``: the change made ``tensor`` (or the base it is a view of) a new node of the
    graph, rather than only overwriting values (``no_grad``, nothing requiring grad).
    """
    global clock
    clock += 1
    changes = tensor._changes
    if changes is None:
        tensor._changes = [(clock, 1, recorded)]
    else:  # in place: a detach()ed tensor shares the list, so one counts the other's changes
        changes.append((clock, changes[-1][1] + 1, recorded))
        if len(changes) > _HISTORY:
            del changes[0]


def shared(tensor) -> list:
    """``tensor``'s list of changes, made if it has none, for a tensor sharing its memory."""
    if tensor._changes is None:
        tensor._changes = [(0, 0, False)]  # version 0, never changed
    return tensor._changes


def share_if_view(out, base):
    """Give ``out`` ``base``'s counter when ``out``'s array is a view of ``base``'s (torch: a view
    and its base have one version counter, so changing either is a change of both); ``out``.

    The view operations (reshape, transpose, permute, squeeze, unsqueeze, expand, basic
    indexing, ...) call this on their results; a copy (advanced indexing, a reshape numpy
    cannot do in place) keeps its own counter.
    """
    array, owner = out.data, base.data
    root = array.base
    if root is not None and (root is owner or root is owner.base) and out is not base:
        out._changes = shared(base)
    return out


def version(tensor) -> int:
    """How many in-place changes ``tensor`` has had (torch's ``_version``)."""
    changes = tensor._changes
    return 0 if changes is None else changes[-1][1]


def changed_since(tensor, time: int) -> bool:
    """Whether ``tensor`` changed in place after ``time`` (a reading of ``clock``)."""
    changes = tensor._changes
    return changes is not None and changes[-1][0] > time


def tick() -> None:
    """Move the clock on without changing a tensor: what is made from now on is later than
    what was made before (``tensor.refresh_view``)."""
    global clock
    clock += 1


def remember_former(tensor, node) -> None:
    """Note that ``tensor`` became another node (a recorded in-place change, or a refreshed
    view: ``tensor.refresh_view``) at the current ``clock``, and that ``node`` now holds the one
    it was: results made from ``tensor`` before still mean that node (``tensor._send_at``).
    After an in-place change ``node`` is an ancestor of ``tensor``'s new node (every in-place
    result is computed from the old values), so the list keeps little alive that the graph
    does not: an old view node, with no values of its own."""
    former = getattr(tensor, "_former", None)  # a lazy slot: no cost on the hot path
    if former is None:
        tensor._former = [(clock, node)]
    else:
        former.append((clock, node))


def former_after(tensor, time: int):
    """``(stamp, node)`` of the first recorded change of ``tensor`` after ``time`` (the node
    it was until then: ``remember_former``), or None when it was not rebound since."""
    for stamp, node in getattr(tensor, "_former", ()):
        if stamp > time:
            return stamp, node
    return None


def recorded_between(changes: list, start: int, end: int) -> int | None:
    """The time of the first recorded change in ``(start, end]`` of a list of changes; -1 when
    the history no longer reaches back to ``start`` (one may have been), None when none was."""
    first = None
    for stamp, _, recorded in reversed(changes):
        if stamp <= start:
            return first
        if recorded and stamp <= end:
            first = stamp
    return -1 if first is None and changes[0][1] != 1 else first


def version_at(tensor, time: int) -> int | None:
    """``tensor``'s version at ``time``, or None when that is older than its history."""
    changes = tensor._changes or []
    for stamp, number, _ in reversed(changes):
        if stamp <= time:
            return number
    if not changes or changes[0][1] == 1:
        return 0
    return None


FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class ModifiedError(RuntimeError):
    """PyTorch's error for a tensor changed in place after an operation saved it.

    ``str()`` is torch's message: ``one of the variables needed for gradient computation has
    been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of
    ExpBackward, is at version 1; expected version 0 instead.``, then a hint. ``time`` is when
    the operation ran (a reading of ``clock``). The walk fills ``op`` (the operation whose
    backward needed the tensor) when the context raised it.
    """

    def __init__(self, tensor, time: int, role: str, op: str | None = None) -> None:
        self.tensor, self.time, self.role, self.op = tensor, time, role, op
        super().__init__(self._message())

    def with_op(self, op: str) -> ModifiedError:
        return ModifiedError(self.tensor, self.time, self.role, op)

    def _message(self) -> str:
        tensor = self.tensor
        shape = ", ".join(str(n) for n in tensor.shape)
        where = f", which is {self.role} {self.op}Backward," if self.op else ""
        expected = version_at(tensor, self.time)
        expected = "an earlier version" if expected is None else f"version {expected}"
        return (
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{_torch_type_name(tensor.dtype)} [{shape}]]{where} is at "
            f"version {version(tensor)}; expected {expected} instead. Hint: compute the "
            "changed value out of place (y = x + 1, not y += 1), or run backward before the "
            "in-place update."
        )


def _torch_type_name(dtype) -> str:
    return f"torch.{scalar_type_name(dtype)}Tensor"
