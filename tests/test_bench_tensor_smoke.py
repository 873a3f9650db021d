"""Smoke test for bench/tensor_engine.py: it runs end to end on small sizes (no timing asserted)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "bench", "tensor_engine.py")


def test_tensor_engine_bench_quick_runs_for_chainrule():
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--quick", "--engines", "chainrule"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "FAILED" not in out, out
    lines = out.splitlines()
    assert any(ln.startswith("Workload tiny") for ln in lines), out
    assert any(ln.startswith("Workload memory") for ln in lines), out
    rows = [ln for ln in lines if ln.startswith("chainrule ")]
    # tiny: 200 iterations x 3 repeats, gradients checked by the script itself
    tiny_rows = [ln for ln in rows if ln.split()[1:3] == ["200", "3"]]
    assert len(tiny_rows) == 1, out
    assert tiny_rows[0].rstrip().endswith("ok"), tiny_rows[0]
    # memory: 30 iterations, peak RSS after 10 and 30, and the graph-freed verdict
    memory_rows = [ln for ln in rows if ln.split()[1] == "30"]
    assert len(memory_rows) == 1, out
    assert "PASS" in memory_rows[0], memory_rows[0]
