"""Results files (`portcheck --json FILE`, one per test env) merged into one, for the site."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from portcheck.interpreters import PYTHON3_MINORS
from portcheck.publish import json as json_results

TO_MAKE_THEM = "each Python's env writes its own: `tox p -p all -o` for every one, `tox -e py313` for one"


def found(given: list[Path]) -> list[Path]:
    """Each results file given, and each in a directory given; a path that does not exist holds none."""
    return [
        path
        for place in given
        for path in (sorted(place.glob("*.json")) if place.is_dir() else [place])
        if path.exists()
    ]


def merge(out: Path, given: list[Path], otherwise: Path | None = None) -> int:
    """Every results file given, or found in a directory given, written as one to `out`, saying which Pythons of
    the matrix it has none from. Where none is found: `otherwise`, said in one line, or else an error in one."""
    files = found(given)
    if not files and otherwise is None:
        print(f"error: no results in {', '.join(map(str, given))}: {TO_MAKE_THEM}", file=sys.stderr)
        return 2
    if files:
        merged = json_results.merge(files, out)
    else:
        assert otherwise is not None
        print(f"no results in {', '.join(map(str, given))} ({TO_MAKE_THEM}); using {otherwise}", file=sys.stderr)
        merged = json_results.read(otherwise)  # one whole file, as it is: nothing to merge it with
        shutil.copyfile(otherwise, out)
        files = [otherwise]
    have = sorted(
        {".".join(result.python.split(".")[:2]) for result in merged}, key=lambda v: tuple(map(int, v.split(".")))
    )
    missing = [f"3.{minor}" for minor in PYTHON3_MINORS if f"3.{minor}" not in have]
    print(f"{len(merged)} results from {len(files)} file(s) written to {out}: Python {', '.join(have)}", end="")
    print(f"; none from {', '.join(missing)}, which the site says" if missing else "", end=".\n")
    return 0
