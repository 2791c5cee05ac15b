"""`python -m maint results`, which tox -e docs runs first: what it does where no Python's env has run yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from maint import results
from portcheck.publish import json as json_results
from tests.support import ROOT

SAMPLE = ROOT / "docs" / "sample-results.json"


def test_no_results_and_nothing_else_is_one_line_saying_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert results.merge(tmp_path / "out.json", [tmp_path / "results"]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.count("\n") == 1
    assert printed.err.startswith(f"error: no results in {tmp_path / 'results'}: ")
    assert "tox p -p all -o" in printed.err
    assert not (tmp_path / "out.json").exists()


def test_no_results_uses_the_sample_saying_so_and_which_pythons_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "results").mkdir()  # as a Python's env leaves it before its report is written
    assert results.merge(tmp_path / "out.json", [tmp_path / "results"], SAMPLE) == 0
    printed = capsys.readouterr()
    assert printed.err == f"no results in {tmp_path / 'results'} ({results.TO_MAKE_THEM}); using {SAMPLE}\n"
    have = {".".join(result.python.split(".")[:2]) for result in json_results.read(SAMPLE)}
    assert have == {"3.8", "3.13"}
    assert printed.out.endswith(": Python 3.8, 3.13; none from 3.9, 3.10, 3.11, 3.12, 3.14, which the site says.\n")
    assert json_results.read(tmp_path / "out.json") == json_results.read(SAMPLE)


def test_results_found_are_merged_and_the_sample_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = [result for result in json_results.read(SAMPLE) if result.python.startswith("3.13")]
    (tmp_path / "results").mkdir()
    run = json_results.run_of(sorted({result.name for result in mine}), mine[0].python, (1, 1))
    json_results.write(mine, tmp_path / "results" / "py313.json", run)  # as portcheck --json writes it
    assert results.merge(tmp_path / "out.json", [tmp_path / "results"], SAMPLE) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    assert "Python 3.13; none from 3.8, 3.9, 3.10, 3.11, 3.12, 3.14" in printed.out
    assert json_results.read(tmp_path / "out.json") == mine
