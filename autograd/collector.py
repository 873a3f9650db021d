"""Run the cyclic garbage collector's full collections less often (threshold 10 -> 100).

A scalar graph is one Python object per operation, all alive until ``backward()`` (a step of
micrograd's demo on micrograd's own ``nn.py`` code makes 65,000 of them). CPython's collector
counts them as they are made: every 700 a young collection, every 10 of those a middle one,
and every 10 of those (once the long-lived objects grew by a quarter) a *full* collection,
which rescans every object in the process: the whole graph built so far, and every module's
objects. On that demo step the full collections were half of the step (145 -> 66 ms CPU
median when rarer), on the 1e6-link chain ``y = (y * 0.999999).relu()`` 0.6 of its 3 s.

``collect_oldest_less_often()`` raises only the third threshold, from CPython's default 10 to
100: young and middle collections run exactly as before, so short-lived cyclic garbage is freed
as promptly as ever; garbage that survived both of them waits ten times longer for a full
collection. ``autograd`` calls it once when imported. It leaves a threshold that is not the
default alone (a program that set its own keeps it), does nothing on CPython 3.13+ (whose
incremental collector has no such threshold), and ``CHAINRULE_COLLECT_OLDEST_LESS_OFTEN=0`` set
before the import keeps CPython's default.
"""

from __future__ import annotations

import gc
import os

DEFAULT_OLDEST_THRESHOLD = 10  # CPython 3.8-3.12's default third threshold
OLDEST_THRESHOLD = 100

ENVIRONMENT_VARIABLE = "CHAINRULE_COLLECT_OLDEST_LESS_OFTEN"


def collect_oldest_less_often(threshold: int = OLDEST_THRESHOLD) -> bool:
    """Set the collector's third threshold to ``threshold`` if it is CPython's default (10).

    Returns whether it changed; False when the threshold was already set to something else,
    or when ``CHAINRULE_COLLECT_OLDEST_LESS_OFTEN=0``.
    """
    if os.environ.get(ENVIRONMENT_VARIABLE, "1") == "0":
        return False
    young, middle, oldest = gc.get_threshold()
    if oldest != DEFAULT_OLDEST_THRESHOLD:
        return False
    gc.set_threshold(young, middle, int(threshold))
    return True
