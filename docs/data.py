"""What the documents are made from: the pairs' entries in portcheck.toml, their recordings, the lessons."""

from __future__ import annotations

from pathlib import Path

from portcheck import config, recordings
from portcheck.model import Observation

ROOT = Path(__file__).resolve().parent.parent
PAIRS = config.load(ROOT / config.FILE_NAME)
assert PAIRS.legacy is not None
assert PAIRS.modern is not None
assert PAIRS.recordings is not None
LEGACY_DIR, MODERN_DIR, RECORDINGS_DIR = PAIRS.legacy, PAIRS.modern, PAIRS.recordings


def pair_names() -> list[str]:
    return sorted(PAIRS.programs)


def settings(name: str) -> config.ProgramSettings:
    return PAIRS.programs[name]


def about(name: str) -> dict:
    """The pair's prose: part, shows, python2, python3, why, keeps_2to3, fixes_2to3."""
    return PAIRS.programs[name].about


def legacy_script(name: str) -> Path:
    return LEGACY_DIR / f"{name}.py"


def modern_script(name: str) -> Path:
    return MODERN_DIR / f"{name}.py"


def recording_path(name: str) -> Path:
    return RECORDINGS_DIR / f"{name}.json"


def recording(name: str) -> Observation:
    return recordings.read(recording_path(name)).runs[0]
