"""Smoke test for bench/scalar_engine.py: it runs end to end on small sizes (no timing asserted)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "bench", "scalar_engine.py")


def test_scalar_engine_bench_quick_runs_for_chainrule():
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--quick", "--engines", "chainrule"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    # one row for the demo step and one for the 2,000-link chain, both for chainrule
    step_rows = [ln for ln in lines if ln.startswith("chainrule") and ln.split()[1] == "3"]
    chain_rows = [ln for ln in lines if ln.startswith("chainrule") and ln.split()[1] == "2000"]
    assert step_rows, proc.stdout
    assert chain_rows, proc.stdout
    assert "FAILED" not in proc.stdout
    # the chain's gradient is checked against 0.999999**2000 by the script itself
    assert chain_rows[0].rstrip().endswith("(ok)"), chain_rows[0]


def test_scalar_engine_bench_runs_micrograds_nn_on_our_value():
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--quick", "--engines", "micrograd,chainrule-micrograd-nn"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    rows = [ln for ln in out.splitlines() if ln.startswith("chainrule-micrograd-nn ")]
    assert len(rows) == 1 and rows[0].split()[1] == "3", out  # the demo step only, 3 steps
    # the same losses as micrograd's own Value, step by step, and the >= 15x target reported
    assert "check: chainrule-micrograd-nn loss over the first 2 steps matches micrograd: yes" in out
    assert "target: micrograd's nn.py on chainrule's Value >= 15x" in out
