"""What several tests share: where the repository is, its pairs, and edited copies of their programs."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from docs.data import PAIRS, RECORDINGS_DIR, ROOT, legacy_script, modern_script, pair_names

__all__ = [
    "LIVE",
    "PAIRS",
    "RECORDINGS_DIR",
    "ROOT",
    "cells",
    "edited_copy",
    "legacy_script",
    "modern_script",
    "pair_names",
]

LIVE = "live or cached"  # a legacy run made live now, or earlier by the test command's legacy env


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
