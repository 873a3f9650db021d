"""Smoke test for bench/nn_training.py: it runs end to end on tiny sizes (no timing asserted)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "bench", "nn_training.py")
LENETS = ("lenet-step", "lenet-valid-step", "lenet-b256-step")
WORKLOADS = ("digits-mlp", "digits-cnn", "mlp-step", *LENETS, "memory")


def test_nn_training_bench_quick_runs_for_chainrule():
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--quick", "--engines", "chainrule"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "FAILED" not in out, out
    lines = out.splitlines()
    # each workload printed its heading, then a table whose chainrule row holds its figures
    starts = [i for i, ln in enumerate(lines) if ln.startswith("Workload ")]
    assert [lines[i].split()[1].rstrip(":") for i in starts] == list(WORKLOADS), out
    sections = dict(zip(WORKLOADS, (lines[a:b] for a, b in zip(starts, starts[1:] + [None]))))
    for name, section in sections.items():
        rows = [ln for ln in section if ln.startswith("chainrule ")]
        assert len(rows) == 1, (name, section)
        figures = rows[0].split()[1:]
        assert figures, (name, rows[0])
    # digits: --quick trains 2 epochs; the row is: engine, epochs, test accuracy, time, ...
    for name in ("digits-mlp", "digits-cnn"):
        row = next(ln for ln in sections[name] if ln.startswith("chainrule ")).split()
        assert row[1] == "2", row
        accuracy = float(row[2].rstrip("%"))
        assert 50.0 < accuracy <= 100.0, row  # chance is 10%; 2 epochs reach about 90%
    # step workloads: engine, steps, repeats, median ms, ...
    for name in ("mlp-step", *LENETS):
        row = next(ln for ln in sections[name] if ln.startswith("chainrule ")).split()
        assert float(row[3]) > 0, row
    # memory: 150 steps under --quick, and the graphs are freed
    row = next(ln for ln in sections["memory"] if ln.startswith("chainrule "))
    assert row.split()[1] == "150", row
    assert "PASS" in row, row
