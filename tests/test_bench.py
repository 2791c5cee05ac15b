"""The benchmark still works: a --quick run on 2.7 and this Python (its numbers are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import run
from portcheck.model import Interpreter

MEASURES = {
    "process start + join",
    "Queue round trip",
    "Queue small message",
    "Pipe 100 B message",
    "Pipe 1 MiB message",
    "Pool.apply round trip",
}


def test_quick_benchmark_measures_every_primitive_on_both_pythons(tmp_path: Path, python2: Interpreter) -> None:
    assert (
        run.main(["--quick", "--out", str(tmp_path), "--python", python2.executable, "--python", sys.executable]) == 0
    )
    rows = json.loads((tmp_path / "bench.json").read_text())["rows"]
    this = f"{sys.version_info[0]}.{sys.version_info[1]}"
    seen = {(row["measure"], row["start method"], row["python"].rsplit(".", 1)[0]) for row in rows}
    for method in ("fork", "spawn", "forkserver"):
        assert {(measure, method, this) for measure in MEASURES | {"executor submit -> result"}} <= seen
    assert {(measure, "fork", "2.7") for measure in MEASURES} <= seen
    assert all(row["median"] > 0 for row in rows)
    python2_medians = {row["measure"]: row["median"] for row in rows if row["python"].startswith("2.7")}
    for row in rows:
        if row["python"].startswith("3."):
            python2_measure = run.PYTHON2_EQUIVALENT.get(row["measure"], row["measure"])
            assert row["vs 2.7"] == pytest.approx(row["median"] / python2_medians[python2_measure]), row
    assert all(row["vs floor"] is not None for row in rows if row["measure"] in run.FLOORS)
    table = (tmp_path / "bench.md").read_text()
    assert "Ratio to the OS floor" in table
    assert "| process start + join | forkserver |" in table


def test_an_interpreter_that_does_not_run_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--quick", "--out", str(tmp_path), "--python", str(tmp_path / "python9")]) == 2
    assert capsys.readouterr().err.strip().startswith("error: cannot run interpreter")


def test_cpu_counts_a_process_its_command_orphaned() -> None:
    """What /usr/bin/time leaves out: the CPU of a process whose parent exited without waiting for it."""
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
    orphaning = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {burn!r}])"
    done = subprocess.run(
        [sys.executable, "-m", "bench.cpu", sys.executable, "-c", orphaning],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cpu = float(done.stderr.split("CPU ")[1].split(" s")[0])
    assert cpu >= 0.3, done.stderr
