"""The core check: every pair's modern program, under every start method, does what its legacy program did."""

from __future__ import annotations

import sys
from typing import Callable

import pytest

from portcheck import maintenance
from portcheck.comparison import Transcribed
from portcheck.interpreters import this_python
from portcheck.pairs import PAIRS, modern_script, pair_names
from portcheck.running import START_METHODS, run_program
from portcheck.transcript import Comparison, Verdict, transcript


@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize("name", pair_names())
def test_modern_program_behaves_like_legacy(
    name: str,
    start_method: str,
    legacy: Callable[[str], Transcribed],
    count_comparison: Callable[[Comparison | str, str], None],
) -> None:
    pair = PAIRS[name]
    against = legacy(name)
    run = run_program(modern_script(name), sys.executable, start_method, interrupt=pair.interrupt)
    if not pair.applies(this_python().minor, start_method):
        # declared, and proven: the program really cannot run here, and says so rather than hang
        what_it_did = {0: "ran", None: "hung instead of stopping"}.get(run.exit_code)
        assert what_it_did is None, f"modern/{name}.py under {start_method} {what_it_did}, but is declared not to apply"
        count_comparison(str(Verdict.NOT_APPLICABLE), f"legacy/ {against.source}")
        pytest.skip(f"not applicable on Python {this_python().release} under {start_method}: {pair.not_applicable}")
    comparison = Comparison(
        against.label,
        f"modern/{name}.py on Python {this_python().release} under {start_method}",
        against.lines,
        transcript(run, pair.rules),
        pair.differences,
    )
    count_comparison(comparison, f"legacy/ {against.source}")
    if comparison.verdict is Verdict.DIFFERENT:
        pytest.fail(comparison.report(), pytrace=False)


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
        maintenance.main(["soak", *arguments])
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"error: {message} (see python3 -m portcheck.maintenance soak --help)\n"
