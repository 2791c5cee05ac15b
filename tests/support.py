"""What several tests share: where the repository is, its pairs, edited copies of their programs, and
observations written by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pytest

from docs.data import PAIRS, RECORDINGS_DIR, ROOT, legacy_script, modern_script, pair_names
from portcheck.model import Line, Observation

__all__ = [
    "CHILD_1",
    "CHILD_2",
    "CHILD_3",
    "LIVE",
    "MAIN",
    "PAIRS",
    "RECORDINGS_DIR",
    "ROOT",
    "cells",
    "edited_copy",
    "legacy_script",
    "modern_script",
    "observed",
    "one_line_error",
    "pair_names",
    "sandboxed",
]

NOT_ISOLATED = re.compile(r"(\n\n|; )runs not isolated \(.*$")  # where the kernel refuses the sandbox (py38)
LIVE = "live or cached"  # a legacy run made live now, or earlier by the test command's legacy env
MAIN, CHILD_1, CHILD_2, CHILD_3 = "<main pid>", "<pid 1>", "<pid 2>", "<pid 3>"  # roles of a run's processes


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    """What a command that refused its input said: one line on stderr, "error: ...", and no traceback."""
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in captured.err + captured.out
    return lines[0]


def sandboxed(report: str) -> str:
    """A report as it reads in the sandbox: without the note that the runs were not isolated, on a machine
    that refuses the sandbox (or on Python 3.8, where the wheel brings none)."""
    return NOT_ISOLATED.sub("", report.rstrip())


def cells(row: str) -> list[str]:
    """A row of the report, its legacy column said as LIVE."""
    words = row.split()
    return [words[0], LIVE if words[1] in ("live", "cached") else words[1], *words[2:]]


def edited_copy(script: Path, edits: Iterable[tuple[str, str]], directory: Path) -> Path:
    """`script` with each `old` replaced by `new` once, written to `directory`; every edit must apply."""
    source = script.read_text()
    for old, new in edits:
        assert old in source, f"the edit no longer applies to {script.name}: {old!r}"
        source = source.replace(old, new, 1)
    path = directory / script.name
    path.write_text(source)
    return path


def observed(
    *lines: str | tuple[str, str | None],
    roles: dict[int, str] | None = None,
    exit_code: int | None = 0,
    leftovers: int = 0,
    label: str = "new.py on Python 3.13 under fork",
    python: str = "3.13.0",
    substitutions: tuple[tuple[str, str], ...] = (),
) -> Observation:
    """An observation from lines such as "out: hello", or ("out: hello", "<pid 1>") with the printer's role."""
    parsed = []
    for line in lines:
        text, owner = (line, None) if isinstance(line, str) else line
        stream, _, printed = text.partition(": ")
        parsed.append(Line(stream, printed, owner))
    return Observation(
        label=label,
        python=python,
        exit_code=exit_code,
        timeout=30.0,
        lines=tuple(parsed),
        roles=tuple(sorted((roles or {}).items())),
        leftovers=leftovers,
        substitutions=substitutions,
    )
