"""Importing autograd makes the cyclic collector's full collections rarer (third threshold
10 -> 100) and leaves the young ones alone: see autograd/collector.py."""

import gc
import os
import subprocess
import sys
import weakref

from autograd import collector

REPORT = "import gc, autograd; print(*gc.get_threshold())"


def _thresholds_after_import(setup: str = "", **env) -> tuple:
    code = setup + REPORT
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    return tuple(int(t) for t in out.stdout.split())


def test_import_raises_only_the_third_threshold_from_the_default():
    plain = _thresholds_after_import("import gc; gc.set_threshold(700, 10, 10)\n")
    assert plain == (700, 10, collector.OLDEST_THRESHOLD)


def test_a_threshold_the_program_chose_is_kept():
    assert _thresholds_after_import("import gc; gc.set_threshold(500, 20, 30)\n") == (500, 20, 30)


def test_environment_variable_keeps_the_default():
    env = {collector.ENVIRONMENT_VARIABLE: "0"}
    assert _thresholds_after_import("import gc; gc.set_threshold(700, 10, 10)\n", **env) == (
        700,
        10,
        10,
    )


def test_young_cyclic_garbage_is_still_collected_promptly():
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    alive = weakref.ref(a)
    del a, b
    # the young and middle collections run after threshold0 (x threshold1) allocations
    young, middle, _ = gc.get_threshold()
    keep = [Node() for _ in range(young * middle * 2)]
    assert alive() is None
    del keep
