"""Fixtures shared by the tests: Python 2.7, the converter, and a check for processes left alive.

Without a Python 2.7 the tests that need one skip, naming the reason in the summary; in CI
(CI=true) a missing Python 2.7 or converter is a failure. Every test is checked for processes it
started that are still alive once it is over: any that is, is killed, and the test fails,
naming them, as CPython's own multiprocessing tests look for dangling processes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from portcheck import sandbox
from portcheck.interpreters import HOW_TO_GIVE_PYTHON2, find_python2
from portcheck.mechanical import MissingConverterError, check_converter
from portcheck.model import Interpreter
from portcheck.running import kill_process_group, launched_process_groups, let_programs_see_ctrl_c, living_processes

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NO_PYTHON2 = f"no Python 2.7 found: {HOW_TO_GIVE_PYTHON2}"


@pytest.fixture(scope="session")
def python2() -> Interpreter:
    found = find_python2()
    if found is None:
        if IN_CI:
            pytest.fail(f"{NO_PYTHON2} (CI requires it)", pytrace=False)
        pytest.skip(NO_PYTHON2)
    return found


@pytest.fixture(scope="session")
def converter() -> None:
    """The mechanical port's converter, fissix at its pinned version: skipped without it, a failure in CI."""
    try:
        check_converter()
    except MissingConverterError as exc:
        if IN_CI:
            pytest.fail(f"{exc} (CI requires it)", pytrace=False)
        pytest.skip(str(exc))


def the_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now until the test ends, each run happens in a copy, as where the kernel refuses the sandbox."""
    monkeypatch.setenv(sandbox.SANDBOX_VARIABLE, "copy")
    # a copy sees nothing of what lies around its directory: its legacy runs are not the sandbox's to reuse
    monkeypatch.delenv("PORTCHECK_CACHE", raising=False)
    sandbox.bwrap.cache_clear()
    monkeypatch.setattr(sandbox, "bwrap", sandbox.bwrap.__wrapped__)  # undone, with the variable, at the end


def pytest_configure(config: pytest.Config) -> None:
    let_programs_see_ctrl_c()


@pytest.fixture(autouse=True)
def standing_in_a_project_of_ones_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test stands where a user stands: in a directory of their own, not in this clone, whose files
    each run of one's own scripts would copy."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def no_process_left_alive() -> Iterator[None]:
    """Fail a test that leaves any process it started alive (after killing it)."""
    before = len(launched_process_groups)
    yield
    leaked = {group: living_processes(group) for group in launched_process_groups[before:]}
    leaked = {group: pids for group, pids in leaked.items() if pids}
    for group in leaked:
        kill_process_group(group)
    if leaked:
        pytest.fail(f"processes left alive (killed now): {leaked}", pytrace=False)
