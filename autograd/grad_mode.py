"""Grad mode: whether operations record the graph (PyTorch's ``no_grad`` and friends).

One module-level flag serves both the scalar ``Value`` and the ``Tensor``. Each context manager
also works as a decorator, as in PyTorch.
"""

from __future__ import annotations

import functools

_enabled = True


def is_grad_enabled() -> bool:
    """True when new operations record their inputs for backward.

    Examples
    --------
    >>> import autograd
    >>> autograd.is_grad_enabled()
    True
    >>> with autograd.no_grad():
    ...     print(autograd.is_grad_enabled())
    False
    """
    return _enabled


def _set(mode: bool) -> None:
    global _enabled
    _enabled = bool(mode)


class set_grad_enabled:
    """Turn graph recording on or off: as a call, a context manager or a decorator.

    ``set_grad_enabled(False)`` switches recording off at once (as in PyTorch); used with ``with``,
    the previous mode comes back on exit.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0], requires_grad=True)
    >>> with autograd.set_grad_enabled(False):
    ...     y = x * 2
    >>> y.requires_grad, autograd.is_grad_enabled()
    (False, True)
    """

    def __init__(self, mode: bool) -> None:
        self._previous = _enabled
        self._mode = bool(mode)
        _set(self._mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info) -> None:
        _set(self._previous)

    def __call__(self, fn):
        mode = self._mode
        _set(self._previous)  # used as a decorator: the call above must not leak

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class _GradModeContext:
    """Base of ``no_grad``/``enable_grad``: switch the mode on entry, restore it on exit.

    Usable as ``with no_grad():``, as ``@no_grad()`` and as a bare ``@no_grad``, as in PyTorch.
    """

    mode = True

    def __new__(cls, fn=None):
        if fn is None:
            return super().__new__(cls)
        return cls()(fn)  # bare decorator: no_grad(fn)

    def __enter__(self) -> None:
        self._previous = _enabled
        _set(self.mode)

    def __exit__(self, *exc_info) -> None:
        _set(self._previous)

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Context manager (or decorator) under which operations record no graph.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0], requires_grad=True)
    >>> with autograd.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    mode = False


class enable_grad(_GradModeContext):
    """Context manager (or decorator) that turns recording back on inside ``no_grad``.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0], requires_grad=True)
    >>> with autograd.no_grad():
    ...     with autograd.enable_grad():
    ...         y = x * 2
    >>> y.requires_grad
    True
    """

    mode = True
