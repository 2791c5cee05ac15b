"""The real runs the documents show: the report on the pairs (docs/report.txt) and on the example code
base (tests/codebase/report.txt), each as the installed command prints it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from maint import ROOT
from maint.corpus import installed_command
from portcheck.model import Result
from portcheck.publish import json as json_results

EXAMPLE_DIR = ROOT / "tests" / "codebase"
SECONDS = re.compile(r" \(\d+\.\d s\)$")
NOT_ISOLATED = re.compile(r"; runs not isolated \(.*$")


def example_report(*options: str) -> tuple[int, list[str], list[Result]]:
    """The example code base's report, as the installed command prints it from a copy of the example
    outside the clone (its time taken off the summary), its exit status and its results."""
    with tempfile.TemporaryDirectory(prefix="portcheck-example-") as scratch:
        copy = Path(scratch) / "codebase"
        shutil.copytree(EXAMPLE_DIR, copy, ignore=shutil.ignore_patterns("report.txt"))
        results_file = Path(scratch) / "results.json"
        environment = {**os.environ, "NO_COLOR": "1"}
        environment.pop("PORTCHECK_CACHE", None)
        done = subprocess.run(
            [*installed_command(), "old", "new", "--json", str(results_file), *options],
            cwd=copy,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        # in the sandbox's words: where the kernel refuses it (or on 3.8) the summary says so, the README does not
        lines = [NOT_ISOLATED.sub("", SECONDS.sub("", line)) for line in done.stdout.splitlines()]
        return done.returncode, lines, json_results.read(results_file) if results_file.exists() else []


def sample() -> int:
    """The report as README.md shows it: a real run's rows and summary."""
    environment = {**os.environ, "NO_COLOR": "1"}
    environment.pop("PORTCHECK_CACHE", None)
    done = subprocess.run(
        [*installed_command()], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900, check=False
    )
    (ROOT / "docs" / "report.txt").write_text(done.stdout)
    print(f"docs/report.txt written (portcheck exited {done.returncode})")
    return done.returncode


def example() -> int:
    status, lines, _ = example_report()
    (EXAMPLE_DIR / "report.txt").write_text("\n".join(["$ portcheck old new", *lines]) + "\n")
    print(f"tests/codebase/report.txt written (portcheck exited {status})")
    return 0
