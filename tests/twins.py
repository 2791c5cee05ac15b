"""Commands over the pairs: `python -m tests.twins record|syntax|soak ...`.

record  runs legacy programs on Python 2.7 and writes their normalised transcripts to
        tests/recordings/, which the tests check every fresh 2.7 run against.
syntax  compiles every legacy program with Python 2.7, writing nothing.
soak    runs every pair many times, several at once, legacy on Python 2.7 and modern on this
        Python under each start method, and counts the runs that differ from the recording.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.harness import (
    LEGACY_DIR,
    LEGACY_PYTHON_VARIABLE,
    START_METHODS,
    HarnessError,
    OneLineErrors,
    example_names,
    find_legacy_python,
    legacy_script,
    modern_script,
    run_program,
    show_undecodable_bytes_escaped,
    syntax_errors,
    this_python,
)
from tests.pairs import PAIRS
from tests.transcript import Comparison, transcript

RECORDINGS_DIR = Path(__file__).resolve().parent / "recordings"


def recording_path(name: str) -> Path:
    return RECORDINGS_DIR / f"{name}.txt"


def read_recording(name: str) -> list[str]:
    return recording_path(name).read_text().splitlines()


def legacy_python_or_fail() -> str:
    python = find_legacy_python()
    if python is None:
        raise HarnessError(f"no Python 2.7 found: put python2.7 on PATH or set {LEGACY_PYTHON_VARIABLE}")
    return python


def check_names(names: list[str]) -> list[str]:
    known = example_names()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise HarnessError(f"unknown example {unknown[0]!r}; the examples are: {', '.join(known)}")
    return names or known


def record(names: list[str]) -> int:
    python = legacy_python_or_fail()
    for name in check_names(names):
        run = run_program(legacy_script(name), python)
        if run.exit_code != 0:
            raise HarnessError(f"legacy/{name}.py exited with {run.exit_code} on Python 2.7; not recorded")
        recording_path(name).write_text("\n".join(transcript(run, PAIRS[name])) + "\n")
        print(f"recorded legacy/{name}.py in {run.seconds:.2f} s")
    return 0


def legacy_syntax_errors() -> list[str]:
    """One line per legacy file that Python 2.7 cannot compile."""
    return syntax_errors(legacy_python_or_fail(), sorted(LEGACY_DIR.glob("*.py")))


def syntax() -> int:
    errors = legacy_syntax_errors()
    for error in errors:
        print(error)
    if not errors:
        print(f"all {len(example_names())} legacy programs compile on Python 2.7")
    return 1 if errors else 0


def soak(names: list[str], repeat: int, jobs: int) -> int:
    """Run each (pair, side) `repeat` times, `jobs` at once; report mismatches per column."""
    legacy_python = legacy_python_or_fail()
    columns = ["legacy 2.7", *START_METHODS]
    names = check_names(names)

    def one(name: str, column: str) -> tuple[str, str, str | None]:
        if column == "legacy 2.7":
            run = run_program(legacy_script(name), legacy_python)
        else:
            run = run_program(modern_script(name), sys.executable, column)
        rules = PAIRS[name]
        differences = () if column == "legacy 2.7" else rules.differences
        fresh = transcript(run, rules)
        comparison = Comparison(f"recording of {name}", f"{name} {column}", read_recording(name), fresh, differences)
        return name, column, comparison.report() if comparison.verdict == "different" else None

    work = [(name, column) for name in names for column in columns for _ in range(repeat)]
    mismatches: Counter[tuple[str, str]] = Counter()
    first_reports: dict[tuple[str, str], str] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, column, report in pool.map(lambda item: one(*item), work):
            if report is not None:
                mismatches[name, column] += 1
                first_reports.setdefault((name, column), report)
    width = max(map(len, names))
    print(f"soak: {repeat} runs of each, {jobs} at once; modern on Python {this_python()}; mismatches/runs")
    print(f"{'pair':<{width}}  " + "  ".join(f"{column:>10}" for column in columns))
    for name in names:
        cells = (f"{mismatches[name, column]}/{repeat}" for column in columns)
        print(f"{name:<{width}}  " + "  ".join(f"{cell:>10}" for cell in cells))
    total = sum(mismatches.values())
    print(f"{total} mismatches in {len(work)} runs")
    for report in first_reports.values():
        print(report)
    return 1 if total else 0


def at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = OneLineErrors(prog="python -m tests.twins", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    record_parser = commands.add_parser("record", help="record legacy transcripts on Python 2.7")
    record_parser.add_argument("names", nargs="*", metavar="NAME")
    commands.add_parser("syntax", help="compile every legacy program with Python 2.7")
    soak_parser = commands.add_parser("soak", help="run every pair many times under load and count mismatches")
    soak_parser.add_argument("names", nargs="*", metavar="NAME")
    soak_parser.add_argument("--repeat", type=at_least_one, default=30, help="runs of each pair and side (default 30)")
    soak_parser.add_argument("--jobs", type=at_least_one, default=4, help="runs at once (default 4)")
    arguments = parser.parse_args(argv)
    show_undecodable_bytes_escaped()
    try:
        if arguments.command == "record":
            return record(arguments.names)
        if arguments.command == "soak":
            return soak(arguments.names, arguments.repeat, arguments.jobs)
        return syntax()
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
