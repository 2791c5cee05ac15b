"""A modern twin whose task never finishes ends it itself, within its own TIMEOUT, and says so.

Leaving `with ProcessPoolExecutor()` joins the workers without a timeout, so a bounded result()
alone would raise and then wait for the stuck task forever. Each executor twin terminates its
workers first; here each task starts by sleeping a minute, and TIMEOUT is cut to one second.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.harness import modern_script, run_program

TASKS = {"process_sleeper": "sleeper", "lock_print": "l", "semaphore_limit": "work"}
HARNESS_TIMEOUT = 20  # seconds: far beyond the program's own one second, far short of the stuck task


def with_stuck_task(name: str, directory: Path) -> Path:
    source = modern_script(name).read_text()
    task = f"def {TASKS[name]}("
    for old, new in (("TIMEOUT = 10  #", "TIMEOUT = 1  #"), (task, "import time as _t\n\n\n" + task)):
        assert old in source, f"the stuck task no longer applies to modern/{name}.py: {old!r}"
        source = source.replace(old, new, 1)
    body = source.index(":\n", source.index(task)) + 2
    path = directory / f"{name}.py"
    path.write_text(source[:body] + "    _t.sleep(60)\n" + source[body:])
    return path


@pytest.mark.parametrize("name", sorted(TASKS))
def test_a_stuck_task_is_ended_by_the_program_itself(name: str, tmp_path: Path) -> None:
    run = run_program(with_stuck_task(name, tmp_path), sys.executable, "fork", timeout=HARNESS_TIMEOUT)
    assert not run.timed_out, f"modern/{name}.py waited for its stuck task until the harness killed it"
    assert run.exit_code == 1, run.stderr
    assert run.stderr.rstrip().endswith("within 1 s"), run.stderr
    assert run.leftovers == 0
