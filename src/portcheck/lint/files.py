"""Linting one file on disk: read its bytes, pass it over if it cannot hold a finding, decode it as
Python does, lint it; whatever goes wrong with the file is its one diagnostic, never the run's end."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import Sequence

from portcheck.lint.engine import SourceError, lint_source, selected_rules
from portcheck.lint.findings import Finding, lint_failure, unreadable
from portcheck.lint.relevance import mentions_the_packages


def lint_file(path: Path, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Finding]:
    """The findings in the file at `path`, named in them as `path` is; a file that cannot be read,
    decoded or parsed, or that the lint fails on, is one diagnostic (MPC001, MPC002, MPC003).
    Raises ValueError if `select` or `ignore` names a code no rule has."""
    selected_rules(select, ignore)  # a bad code is the caller's mistake, not the file's diagnostic
    try:
        found = _lint(path, select, ignore)
    except Exception as exc:  # lint_tree keeps its own failures; this is the rest (a MemoryError reading)
        found = [lint_failure(str(path), exc)]
    return [finding for finding in found if not finding.code.startswith(tuple(ignore))]


def _lint(path: Path, select: Sequence[str], ignore: Sequence[str]) -> list[Finding]:
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [unreadable(shown, exc)]
    if not mentions_the_packages(data):  # before decoding: most files stop here
        return []
    try:
        source = decode(data)
    except (SyntaxError, UnicodeDecodeError) as exc:
        return [unreadable(shown, exc, data)]
    try:
        return lint_source(source, shown, select=select, ignore=ignore)
    except SourceError as exc:
        return [exc.finding]


def decode(data: bytes) -> str:
    """A source's text as Python reads it: in the encoding its coding declaration or BOM names, else
    UTF-8, with every line end made `\\n`. Raises SyntaxError for a bad or unknown declaration and
    UnicodeDecodeError (positions in `data`) for bytes that encoding cannot decode."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)  # the whole at once, so that an error's position is the file's
    return text.replace("\r\n", "\n").replace("\r", "\n")
