"""`portcheck merge OUT FILE ...`: several --json results files (shards, or one per Python) as one, and its report.

Nothing runs: the results are read back, written together to OUT, and reported as the compare
command reports a code base, a table per Python; the exit status is the one they would have given.
"""

from __future__ import annotations

import sys
from pathlib import Path

from portcheck.model import ToolError, exit_status
from portcheck.publish import json as json_results
from portcheck.publish import text


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0].startswith("-"):
        print("error: portcheck merge OUT FILE ...: the merged file, then the results files to merge", file=sys.stderr)
        return 2
    try:
        results = json_results.merge([Path(given) for given in argv[1:]], Path(argv[0]))
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text.report_of(results)
    return exit_status(results)
