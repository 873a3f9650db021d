"""bench/conv.py still runs, and its first step agrees with torch (no timing is checked)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_conv_bench_quick_run():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "conv.py"), "--quick", "--malloc", "default"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAILED" not in proc.stdout
    assert "lenet" in proc.stdout.lower()
