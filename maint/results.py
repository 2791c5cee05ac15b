"""Results files (`portcheck --json FILE`, one per test env) merged into one, for the site."""

from __future__ import annotations

from pathlib import Path

from portcheck.publish import json as json_results


def merge(out: Path, given: list[Path]) -> int:
    """Every results file given, or found in a directory given, written as one to `out`."""
    files = [found for path in given for found in (sorted(path.glob("*.json")) if path.is_dir() else [path])]
    merged = json_results.merge(files, out)
    print(f"{len(merged)} results from {len(files)} file(s) written to {out}")
    return 0
