"""The legacy programs: genuine Python 2.7 that compiles, runs, and still does what was recorded."""

from __future__ import annotations

import re

import pytest

from maint.syntax import legacy_syntax_errors
from portcheck import recordings
from portcheck.engine import legacy_observation
from portcheck.interpreters import COMPILE_EACH, syntax_errors
from portcheck.model import Interpreter, Policy, Verdict
from portcheck.observe import HOOK_DIRECTORY
from portcheck.plan import Request, plan
from portcheck.verdict import compare
from tests.support import RECORDINGS_DIR, ROOT, legacy_script, pair_names

HEADER_FIELDS = re.compile(r"^(Article|Restored|Fixed|Added|Shortened|Kept):", re.MULTILINE)


@pytest.mark.usefixtures("python2")
def test_legacy_programs_compile_on_python27() -> None:
    assert legacy_syntax_errors() == []


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("name", pair_names())
def test_legacy_program_still_does_what_was_recorded(name: str) -> None:
    """A live run against the recording, compared as the pair is: its streams open, nothing else."""
    task = plan(Request(names=(name,), directory=ROOT, start_methods=("fork",))).tasks[0]
    recorded = recordings.read(RECORDINGS_DIR / f"{name}.json").runs[0]
    live = legacy_observation(task)
    result = compare(name, "legacy", recorded, live, Policy(streams=task.policy.streams, learn=False))
    diff = "\n".join(f"{line.mark}{line.text}" for line in result.diff)
    assert result.verdict is Verdict.IDENTICAL, f"legacy/{name}.py no longer does what was recorded:\n{diff}"


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
    """The compile check, the hook and the benchmark's probe run on Python 2.7 too, whatever a formatter does."""
    files = [COMPILE_EACH, HOOK_DIRECTORY / "sitecustomize.py", ROOT / "bench" / "probe.py"]
    assert syntax_errors(python2, files) == []
