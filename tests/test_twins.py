"""The core check: every modern twin, under every start method, does what its legacy program did."""

from __future__ import annotations

import sys
from typing import Callable

import pytest

from tests import conftest, twins
from tests.harness import START_METHODS, example_names, modern_script, run_program, this_python
from tests.pairs import PAIRS
from tests.transcript import Comparison, transcript


@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize("name", example_names())
def test_modern_twin_behaves_like_legacy(
    name: str, start_method: str, legacy_transcript: Callable[[str], tuple[str, list[str]]]
) -> None:
    legacy_label, legacy_lines = legacy_transcript(name)
    run = run_program(modern_script(name), sys.executable, start_method)
    comparison = Comparison(
        legacy_label,
        f"modern/{name}.py on Python {this_python()} under {start_method}",
        legacy_lines,
        transcript(run, PAIRS[name]),
        PAIRS[name].differences,
    )
    conftest.verdicts[comparison.verdict] += 1
    assert comparison.verdict != "different", comparison.report()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--repeat", "0"], "argument --repeat: must be 1 or more, not 0"),
        (["--jobs", "0"], "argument --jobs: must be 1 or more, not 0"),
        (["--jobs", "two"], "argument --jobs: not a whole number: 'two'"),
    ],
)
def test_soak_refuses_a_run_that_could_not_count(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        twins.main(["soak", *arguments])
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"error: {message} (see python -m tests.twins soak --help)\n"
