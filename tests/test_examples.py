"""The scripts in examples/ run end to end and write what they promise."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "examples", "train_moons.py")
PYTHONPATH = os.environ.get("PYTHONPATH", "")


def test_train_moons_trains_and_writes_the_graph(tmp_path):
    out = tmp_path / "graph.svg"
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--steps", "3", "--out", str(out)],
        cwd=tmp_path,  # nothing may be written to the working directory but --out
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, PYTHONPATH]))},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^final accuracy: \d+%$", proc.stdout, re.MULTILINE), proc.stdout
    assert re.search(r"^step   0  loss \d+\.\d{4}  accuracy \d+%$", proc.stdout, re.MULTILINE)
    assert str(out) in proc.stdout
    assert "<svg" in out.read_text(encoding="utf-8")
    assert os.listdir(tmp_path) == ["graph.svg"]
