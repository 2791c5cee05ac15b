"""Running one program: what counts as left behind once it has exited."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from portcheck import running
from portcheck.running import EXIT_GRACE, run

LINGER = 2 * EXIT_GRACE + 3  # seconds a process outlives the program: past both graces any process gets


@pytest.mark.parametrize(
    ("command", "leftovers"),
    [
        ("import time; time.sleep({})", 1),
        ("import time; time.sleep({})  # from multiprocessing.resource_tracker import main", 0),
    ],
    ids=["a process of the program's", "multiprocessing's resource tracker"],
)
def test_only_what_the_program_left_is_left_behind(command: str, leftovers: int, tmp_path: Path) -> None:
    """A process still alive after the program has exited and the grace has run out is a leftover, but for
    multiprocessing's own helpers, which end by themselves once the program has gone, if later on a busy
    machine."""
    linger = [sys.executable, "-c", command.format(LINGER)]
    program = f"import subprocess; subprocess.Popen({linger!r}); print('started')"
    done = run((sys.executable, "-c", program), timeout=30, cwd=tmp_path, env=dict(os.environ))
    assert done.exit_code == 0
    assert done.leftovers == leftovers


def test_a_stop_that_comes_while_a_program_starts_kills_it_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a loaded machine a program can run (and be seen running) before the thread that started it
    has noted its process group: Ctrl-C then came too early for kill_launched_programs to see it, and
    portcheck waited for the program to end by itself."""
    started = subprocess.Popen

    def started_then_stopped(*arguments: object, **keywords: object) -> subprocess.Popen:
        process = started(*arguments, **keywords)  # type: ignore[call-overload]
        running.kill_launched_programs()  # the stop, after the fork, before the group is noted
        return process

    monkeypatch.setattr(subprocess, "Popen", started_then_stopped)
    try:
        done = run(("sleep", "600"), timeout=120, cwd=tmp_path, env=dict(os.environ))
    finally:
        running.launching_again()  # this process goes on running other tests
    assert done.exit_code == -signal.SIGKILL
