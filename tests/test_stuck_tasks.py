"""A modern program whose task never finishes ends it itself, within its own TIMEOUT, and says so.

Leaving `with ProcessPoolExecutor()` joins the workers without a timeout, so a bounded result()
alone would raise and then wait for the stuck task forever. Each executor program terminates its
workers first; here each task starts by sleeping a minute, and TIMEOUT is cut to one second.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from portcheck.pairs import modern_script

from portcheck.running import run_program
from tests.support import edited_copy

TASKS = {  # each program's task function, whose first line becomes a sleep of a minute
    "process_sleeper": "def sleeper(name: str, seconds: float) -> None:\n",
    "lock_print": "def l(num: int) -> None:\n",
    "semaphore_limit": "def work() -> None:\n",
}
SHORT_TIMEOUT = ("TIMEOUT = 10  #", "TIMEOUT = 1  #")
HARNESS_TIMEOUT = 20  # seconds: far beyond the program's own one second, far short of the stuck task


def with_stuck_task(name: str, directory: Path) -> Path:
    stuck = (TASKS[name], TASKS[name] + "    __import__('time').sleep(60)\n")
    return edited_copy(modern_script(name), (SHORT_TIMEOUT, stuck), directory)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_a_stuck_task_is_ended_by_the_program_itself(name: str, tmp_path: Path) -> None:
    run = run_program(with_stuck_task(name, tmp_path), sys.executable, "fork", timeout=HARNESS_TIMEOUT)
    assert not run.timed_out, f"modern/{name}.py waited for its stuck task until the harness killed it"
    assert run.exit_code == 1, run.stderr
    assert run.stderr.rstrip().endswith("within 1 s"), run.stderr
    assert run.leftovers == 0
