"""Running one program: what counts as left behind once it has exited."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

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
