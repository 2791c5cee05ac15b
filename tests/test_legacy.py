"""The legacy programs: genuine Python 2.7 that compiles, runs, and still does what was recorded."""

from __future__ import annotations

import re
from typing import Callable

import pytest

from tests.harness import Run, example_names, legacy_script
from tests.pairs import PAIRS
from tests.transcript import Comparison, transcript
from tests.twins import legacy_syntax_errors, read_recording

HEADER_FIELDS = re.compile(r"^(Article|Restored|Fixed|Added|Shortened|Kept):", re.MULTILINE)


@pytest.mark.usefixtures("legacy_python")
def test_legacy_programs_compile_on_python27() -> None:
    assert legacy_syntax_errors() == []


@pytest.mark.usefixtures("legacy_python")
@pytest.mark.parametrize("name", example_names())
def test_legacy_program_still_does_what_was_recorded(name: str, legacy_run: Callable[[str], Run]) -> None:
    run = legacy_run(name)
    comparison = Comparison(
        f"tests/recordings/{name}.txt", f"legacy/{name}.py run now", read_recording(name), transcript(run, PAIRS[name])
    )
    assert comparison.verdict == "identical", comparison.report()
    assert run.exit_code == 0


@pytest.mark.parametrize("name", example_names())
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
