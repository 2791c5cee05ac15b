"""Fixtures shared by the tests: Python 2.7, each legacy program's run on it, and what was compared.

Without a Python 2.7 the legacy checks skip, naming the reason in the summary, and the twins are
compared against the committed 2.7 recordings instead, as the summary says. In CI (CI=true)
a missing Python 2.7 is a failure.

After the session no process started by it may still be alive: any that is, is killed, listed,
and fails the session.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Callable

import pytest

from tests.harness import (
    LEGACY_PYTHON_VARIABLE,
    Run,
    find_legacy_python,
    kill_process_group,
    launched_process_groups,
    legacy_script,
    living_processes,
    run_program,
)
from tests.pairs import PAIRS
from tests.transcript import transcript
from tests.twins import read_recording

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NO_LEGACY_PYTHON = f"no Python 2.7 found: put python2.7 on PATH or set {LEGACY_PYTHON_VARIABLE}"

verdicts: Counter[str] = Counter()
legacy_sources: set[str] = set()


@pytest.fixture(scope="session")
def legacy_python() -> str:
    python = find_legacy_python()
    if python is None:
        if IN_CI:
            pytest.fail(f"{NO_LEGACY_PYTHON} (CI requires it)")
        pytest.skip(NO_LEGACY_PYTHON)
    return python


@pytest.fixture(scope="session")
def legacy_run() -> Callable[[str], Run]:
    """Each legacy program run once per session on Python 2.7 (it has no start methods)."""
    runs: dict[str, Run] = {}

    def run(name: str) -> Run:
        python = find_legacy_python()
        assert python is not None
        if name not in runs:
            runs[name] = run_program(legacy_script(name), python)
        return runs[name]

    return run


@pytest.fixture(scope="session")
def legacy_transcript(legacy_run: Callable[[str], Run]) -> Callable[[str], tuple[str, list[str]]]:
    """A legacy program's transcript and where it came from: a live 2.7 run, else its recording."""

    def get(name: str) -> tuple[str, list[str]]:
        if find_legacy_python() is not None:
            source = "legacy/ run live on Python 2.7"
            lines = transcript(legacy_run(name), PAIRS[name])
        elif IN_CI:
            pytest.fail(f"{NO_LEGACY_PYTHON} (CI requires it)")
        else:
            source = "the committed Python 2.7 recordings (no Python 2.7 here)"
            lines = read_recording(name)
        legacy_sources.add(source)
        return f"legacy/{name}.py, {source}", lines

    return get


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not verdicts:
        return
    python = sys.version.split()[0]
    counts = ", ".join(f"{count} {verdict}" for verdict, count in sorted(verdicts.items()))
    terminalreporter.write_sep("=", "twins compared")
    against = " and ".join(sorted(legacy_sources))
    terminalreporter.write_line(f"{sum(verdicts.values())} comparisons on Python {python} against {against}: {counts}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    leaked = {group: living_processes(group) for group in launched_process_groups}
    leaked = {group: pids for group, pids in leaked.items() if pids}
    if leaked:
        for group in leaked:
            kill_process_group(group)
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "processes left alive by this session", red=True)
            for group, pids in leaked.items():
                reporter.write_line(f"process group {group}: {pids} (killed now)")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
