"""A code base (tests/codebase/: old/ and new/, configured by its portcheck.toml) compared as a user does:
the installed command, from a copy outside the clone, `portcheck old new`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from maint.corpus import installed_command
from maint.shown import EXAMPLE_DIR, example_report
from portcheck.cli import shard_of
from portcheck.model import Port, Result, Verdict
from portcheck.publish import json as json_results
from portcheck.publish import text
from portcheck.running import START_METHODS

pytestmark = pytest.mark.usefixtures("python2", "converter")
PYTHON = f"Python {sys.version.split()[0]}"


def test_two_shards_merge_into_the_report_the_readme_shows(tmp_path: Path) -> None:
    """The code base compared in two shards, as a CI matrix does, and `portcheck merge` of their results: the
    report the README shows (the whole run's, but for its time), and the exit status it gives."""
    parts, results = [], []
    for shard in ("1/2", "2/2"):
        _, _, shard_results = example_report("--shard", shard)
        part = tmp_path / f"{shard.replace('/', '-')}.json"
        programs = ["cleanup", "jobs/average", "jobs/wordfreq", "report", "serve"]
        json_results.write(shard_results, part, json_results.run_of(programs, sys.version.split()[0], shard_of(shard)))
        parts.append(part)
        results += shard_results
    merged = tmp_path / "merged.json"
    done = subprocess.run(
        [*installed_command(), "merge", str(merged), *map(str, parts)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1  # a port bug and a missing program
    shown = (EXAMPLE_DIR / "report.txt").read_text().splitlines()[1:]
    recorded_python = next(word for word in shown[-1].split(" (")[0].split() if word.startswith("3."))
    expected = [line.replace(f"Python {recorded_python}", PYTHON) for line in shown]
    assert done.stdout.splitlines() == expected, "rewrite it: python3 -m maint example"
    verdicts = {(result.name, result.kind): result.verdict for result in results if result.start_method == "fork"}
    assert verdicts == {
        ("cleanup", "modern"): Verdict.DIFFERENT,  # the port lacks it
        ("cleanup", "mechanical"): Verdict.IDENTICAL,
        ("jobs/average", "modern"): Verdict.DIFFERENT,  # true division
        ("jobs/average", "mechanical"): Verdict.DIFFERENT,
        ("jobs/wordfreq", "modern"): Verdict.EQUIVALENT,  # declared unordered
        ("jobs/wordfreq", "mechanical"): Verdict.EQUIVALENT,
        ("report", "modern"): Verdict.IDENTICAL,
        ("report", "mechanical"): Verdict.IDENTICAL,
        ("serve", "modern"): Verdict.NOT_APPLICABLE,  # skipped, with its reason
    }
    key = lambda result: (result.name, result.kind, result.start_method)  # noqa: E731
    assert sorted(map(key, json_results.read(merged))) == sorted(map(key, results))


def test_no_2to3_compares_the_ports_alone_and_says_the_column_was_not_run() -> None:
    status, lines, results = example_report("--no-2to3", "--start-methods", "fork")
    assert status == 1  # the port bug and the missing program, as with the column
    assert {result.kind for result in results} == {Port.MODERN}
    assert lines[-1].endswith("2to3 column not run: --no-2to3")


def test_the_2to3_cell_speaks_for_every_start_method_with_the_worst_verdict() -> None:
    table = text.Table(["race"], START_METHODS, "3.13.0", quiet=True)
    verdicts = (Verdict.IDENTICAL, Verdict.EQUIVALENT, Verdict.IDENTICAL)
    results = [
        Result("race", Port.MECHANICAL, "3.13.0", method, verdict, binds=False)
        for method, verdict in zip(START_METHODS, verdicts)
    ]
    assert table.mechanical_cell(results) == "equivalent"
