"""The legacy programs: genuine Python 2.7 that compiles, runs, and still does what was recorded."""

from __future__ import annotations

import re

import pytest

from portcheck.interpreters import COMPILE_EACH, Interpreter, syntax_errors
from portcheck.maintenance import legacy_syntax_errors
from portcheck.pairs import PAIRS, ROOT, legacy_script, pair_names, read_recording
from portcheck.running import run_program
from portcheck.transcript import Comparison, Verdict, transcript

HEADER_FIELDS = re.compile(r"^(Article|Restored|Fixed|Added|Shortened|Kept):", re.MULTILINE)


@pytest.mark.usefixtures("python2")
def test_legacy_programs_compile_on_python27() -> None:
    assert legacy_syntax_errors() == []


@pytest.mark.parametrize("name", pair_names())
def test_legacy_program_still_does_what_was_recorded(name: str, python2: Interpreter) -> None:
    pair = PAIRS[name]
    run = run_program(legacy_script(name), python2.executable, interrupt=pair.interrupt)
    comparison = Comparison(
        f"recordings/{name}.txt", f"legacy/{name}.py run now", read_recording(name), transcript(run, pair.rules)
    )
    if comparison.verdict is not Verdict.IDENTICAL:
        pytest.fail(comparison.report(), pytrace=False)


@pytest.mark.parametrize("name", pair_names())
def test_legacy_program_header_says_what_it_shows_and_what_changed(name: str) -> None:
    source = legacy_script(name).read_text()
    assert source.startswith('"""'), "a legacy program opens with its header docstring"
    header = source.split('"""')[1]
    fields = HEADER_FIELDS.findall(header)
    assert "Article" in fields, "the header names the article's example or claim it shows"
    changes = [field for field in fields if field != "Article"]
    assert changes or "this example is new" in header, (
        "the header says what was restored, fixed, added, shortened or kept against the article,"
        " or that the example is new"
    )


def test_the_tools_own_python2_files_compile_on_python27(python2: Interpreter) -> None:
    """The compile check and the benchmark's probe run on Python 2.7 too, whatever a formatter does to them."""
    assert syntax_errors(python2, [COMPILE_EACH, ROOT / "bench" / "probe.py"]) == []
