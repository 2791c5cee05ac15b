"""Fixtures shared by the tests: Python 2.7, each legacy transcript, and what was compared.

Without a Python 2.7 the legacy checks skip, naming the reason in the summary, and the pairs are
compared against the committed 2.7 recordings instead, as the summary says. In CI (CI=true)
a missing Python 2.7 is a failure.

Every test is checked for processes it started that are still alive once it is over: any that
is, is killed, and the test fails, naming them. The count of comparisons travels with each
test's report, so the summary line is right under pytest-xdist too.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Callable, Iterator

import pytest

from portcheck.comparison import Options, Transcribed, legacy_transcript
from portcheck.interpreters import HOW_TO_GIVE_PYTHON2, Interpreter, find_python2
from portcheck.mechanical import MissingConverterError, check_converter
from portcheck.running import (
    kill_process_group,
    launched_process_groups,
    let_programs_see_ctrl_c,
    living_processes,
    run_timeout,
)
from portcheck.transcript import Comparison

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NO_PYTHON2 = f"no Python 2.7 found: {HOW_TO_GIVE_PYTHON2}"

verdicts: Counter[str] = Counter()
legacy_sources: set[str] = set()


def no_python2() -> None:
    if IN_CI:
        pytest.fail(f"{NO_PYTHON2} (CI requires it)", pytrace=False)
    pytest.skip(NO_PYTHON2)


@pytest.fixture(scope="session")
def python2() -> Interpreter:
    found = find_python2()
    if found is None:
        no_python2()
    return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def converter() -> None:
    """The mechanical port's converter, fissix at its pinned version: skipped without it, a failure in CI."""
    try:
        check_converter()
    except MissingConverterError as exc:
        if IN_CI:
            pytest.fail(f"{exc} (CI requires it)", pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def legacy() -> Callable[[str], Transcribed]:
    """A pair's legacy transcript, once per session: run live on Python 2.7, else its recording."""
    found: dict[str, Transcribed] = {}
    options = Options(timeout=run_timeout(), jobs=1)

    def get(name: str) -> Transcribed:
        python2 = find_python2()
        if python2 is None and IN_CI:
            no_python2()
        if name not in found:
            found[name] = legacy_transcript(name, python2, options)
        return found[name]

    return get


@pytest.fixture
def count_comparison(request: pytest.FixtureRequest) -> Callable[[Comparison | str, str], None]:
    """Count a comparison (or "not applicable") for the summary line, with what it was against."""

    def count(comparison: Comparison | str, against: str) -> None:
        verdict = comparison if isinstance(comparison, str) else str(comparison.verdict)
        request.node.user_properties += [("verdict", verdict), ("against", against)]

    return count


def pytest_configure(config: pytest.Config) -> None:
    let_programs_see_ctrl_c()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    properties = dict(report.user_properties)
    if "verdict" in properties:
        verdicts[properties["verdict"]] += 1
        legacy_sources.add(properties["against"])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not verdicts:
        return
    python = sys.version.split()[0]
    counts = ", ".join(f"{count} {verdict}" for verdict, count in sorted(verdicts.items()))
    against = " and ".join(sorted(legacy_sources))
    terminalreporter.write_sep("=", "pairs compared")
    terminalreporter.write_line(f"{sum(verdicts.values())} comparisons on Python {python} against {against}: {counts}")


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
