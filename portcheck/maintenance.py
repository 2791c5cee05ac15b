"""Maintenance of the pairs: `python3 -m portcheck.maintenance record|syntax|soak ...`.

record  runs legacy programs on Python 2.7 and writes their normalised transcripts to
        recordings/, which every fresh 2.7 run is checked against.
syntax  compiles every legacy program with Python 2.7, writing nothing.
results runs the report (python -m portcheck --json) on every Python 3 of the matrix found here,
        a tox environment's where there is one (it has the converter), and merges the results
        into one JSON file, for the site.
soak    runs every pair many times, several at once, legacy on Python 2.7 and modern on this
        Python under each start method where it applies, and counts the runs that differ from
        the recording; with --corpus, runs the corpus of other people's programs instead
        (tests/corpus/) and counts the verdicts that are not what a careful person gives.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from portcheck import ToolError
from portcheck.cli import OneLineErrors
from portcheck.interpreters import find_python3s, require_python2, syntax_errors, this_python
from portcheck.pairs import (
    LEGACY_DIR,
    PAIRS,
    ROOT,
    legacy_script,
    modern_script,
    pair_name,
    pair_names,
    read_recording,
    recording_path,
)
from portcheck.running import (
    START_METHODS,
    let_programs_see_ctrl_c,
    run_program,
    show_undecodable_bytes_escaped,
    telling_line,
)
from portcheck.transcript import Comparison, Verdict, transcript

LEGACY_COLUMN = "legacy 2.7"


def record(names: list[str]) -> int:
    python = require_python2()
    for name in [pair_name(name) for name in names] or pair_names():
        pair = PAIRS[name]
        run = run_program(legacy_script(name), python.executable, interrupt=pair.interrupt)
        if run.exit_code is None:
            raise ToolError(f"legacy/{name}.py hung on Python 2.7; not recorded")
        recording_path(name).write_text("\n".join(transcript(run, pair.rules)) + "\n")
        print(f"recorded legacy/{name}.py in {run.seconds:.2f} s (exit code {run.exit_code})")
    return 0


def legacy_syntax_errors() -> list[str]:
    """One line per legacy file that Python 2.7 cannot compile."""
    return syntax_errors(require_python2(), sorted(LEGACY_DIR.glob("*.py")))


def syntax() -> int:
    errors = legacy_syntax_errors()
    for error in errors:
        print(error)
    if not errors:
        print(f"all {len(pair_names())} legacy programs compile on Python 2.7")
    return 1 if errors else 0


def soak(names: list[str], repeat: int, jobs: int) -> int:
    """Run each (pair, side) `repeat` times, `jobs` at once; report mismatches per column."""
    python2 = require_python2()
    python3 = this_python()
    names = [pair_name(name) for name in names] or pair_names()
    columns = [LEGACY_COLUMN, *START_METHODS]

    def one(name: str, column: str) -> tuple[str, str, str | None]:
        pair = PAIRS[name]
        if column == LEGACY_COLUMN:
            run = run_program(legacy_script(name), python2.executable, interrupt=pair.interrupt)
        else:
            run = run_program(modern_script(name), python3.executable, column, interrupt=pair.interrupt)
        differences = () if column == LEGACY_COLUMN else pair.differences
        fresh = transcript(run, pair.rules)
        comparison = Comparison(f"recording of {name}", f"{name} {column}", read_recording(name), fresh, differences)
        return name, column, comparison.report() if comparison.verdict is Verdict.DIFFERENT else None

    work = [
        (name, column)
        for name in names
        for column in columns
        if column == LEGACY_COLUMN or PAIRS[name].applies(python3.minor, column)
        for _ in range(repeat)
    ]
    mismatches: Counter[tuple[str, str]] = Counter()
    runs: Counter[tuple[str, str]] = Counter(work)
    first_reports: dict[tuple[str, str], str] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, column, report in pool.map(lambda item: one(*item), work):
            if report is not None:
                mismatches[name, column] += 1
                first_reports.setdefault((name, column), report)
    width = max(map(len, names))
    print(f"soak: {repeat} runs of each, {jobs} at once; modern on {python3.label}; mismatches/runs")
    print(f"{'pair':<{width}}  " + "  ".join(f"{column:>10}" for column in columns))
    for name in names:
        cells = (f"{mismatches[name, c]}/{runs[name, c]}" if runs[name, c] else "n/a" for c in columns)
        print(f"{name:<{width}}  " + "  ".join(f"{cell:>10}" for cell in cells))
    total = sum(mismatches.values())
    print(f"{total} mismatches in {len(work)} runs")
    for report in first_reports.values():
        print(report)
    return 1 if total else 0


CORPUS_DIR = ROOT / "tests" / "corpus"
VERDICT_LINE = re.compile(r" under ([\w, ]+): (identical|equivalent|different)$")


@dataclass(frozen=True)
class CorpusCase:
    """A pair of someone else's kind of programs, and the verdict a careful person gives (expected.toml)."""

    name: str
    verdict: str
    why: str
    arguments: tuple[str, ...] = ()
    stdin: str | None = None
    start_methods: tuple[str, ...] = START_METHODS  # where a "different" holds; elsewhere alike
    options: tuple[str, ...] = ()
    hint: str = ""  # what the tool names to accept the difference, without `options`


def corpus_cases() -> list[CorpusCase]:
    if sys.version_info >= (3, 11):
        from tomllib import loads as toml_loads
    else:
        from tomli import loads as toml_loads  # the test environments install it
    cases = []
    for expected in sorted(CORPUS_DIR.glob("*/expected.toml")):
        data = toml_loads(expected.read_text())
        cases.append(
            CorpusCase(
                expected.parent.name,
                data["verdict"],
                data["why"],
                tuple(data.get("args", ())),
                data.get("stdin"),
                tuple(data.get("start_methods", START_METHODS)),
                tuple(data.get("options", ())),
                data.get("hint", ""),
            )
        )
    return cases


def compare_corpus_case(
    case: CorpusCase, python3: str, options: tuple[str, ...], timeout: float = 15
) -> tuple[int, dict[str, str], str]:
    """Run the tool on a corpus case as a user would; its exit status, its verdict per start method, its output."""
    with tempfile.TemporaryDirectory(prefix="portcheck-corpus-") as scratch:
        command = [python3, "-m", "portcheck", "--legacy", "old.py", "--modern", "new.py", "--timeout", str(timeout)]
        if case.stdin is not None:
            (Path(scratch) / "stdin").write_text(case.stdin)
            command += ["--stdin", str(Path(scratch) / "stdin")]
        command += [*options, "--", *case.arguments]
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        done = subprocess.run(
            command,
            cwd=CORPUS_DIR / case.name,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    verdicts = {}
    for line in done.stdout.splitlines():
        found = VERDICT_LINE.search(line)
        if found:
            verdicts.update(dict.fromkeys(found.group(1).split(", "), found.group(2)))
    return done.returncode, verdicts, done.stdout + done.stderr


def wrong_corpus_verdict(case: CorpusCase, python3: str) -> str | None:
    """None when the tool's verdicts are the careful person's; else what is wrong, with the tool's output."""
    status, verdicts, output = compare_corpus_case(case, python3, case.options)
    alike = {"identical"} if case.verdict == "identical" else {"identical", "equivalent"}
    wanted = {
        method: ({"different"} if case.verdict == "different" and method in case.start_methods else alike)
        for method in START_METHODS
    }
    wrong = [
        f"{method}: {verdicts.get(method)}" for method in START_METHODS if verdicts.get(method) not in wanted[method]
    ]
    if wrong or status != (1 if case.verdict == "different" else 0):
        return f"{case.name}: expected {case.verdict} ({case.why}); got exit {status}, {'; '.join(wrong)}\n{output}"
    if case.hint:
        status, _, output = compare_corpus_case(case, python3, ())
        if status != 1 or case.hint not in output:
            return f"{case.name}: without {' '.join(case.options)}, expected exit 1 naming {case.hint}\n{output}"
    return None


def soak_corpus(names: list[str], repeat: int, jobs: int) -> int:
    cases = [case for case in corpus_cases() if not names or case.name in names]
    work = [case for case in cases for _ in range(repeat)]
    wrong: Counter[str] = Counter()
    reports: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for case, report in zip(work, pool.map(lambda case: wrong_corpus_verdict(case, sys.executable), work)):
            if report:
                wrong[case.name] += 1
                reports.setdefault(case.name, report)
    print(f"soak --corpus: {repeat} runs of each of {len(cases)} cases, {jobs} at once, on {this_python().label}")
    for case in cases:
        print(f"  {case.name:<24} {case.verdict:<11} wrong {wrong[case.name]}/{repeat}")
    print(f"{sum(wrong.values())} wrong verdicts in {len(work)} runs")
    for report in reports.values():
        print(report)
    return 1 if wrong else 0


def matrix_pythons() -> list[str]:
    """Each Python 3 of the matrix: a tox environment's (it has fissix) where there is one, else found."""
    found = []
    for python in find_python3s():
        environment = ROOT / ".tox" / f"py{python.version[0]}{python.version[1]}" / "bin" / "python"
        found.append(str(environment) if environment.exists() else python.executable)
    return found


def results(out: Path, jobs: int) -> int:
    """The report on every Python here, merged into `out`; exit 1 if any Python's report found a difference."""
    with tempfile.TemporaryDirectory(prefix="portcheck-results-") as scratch:

        def report(python: str) -> tuple[str, int, Path]:
            path = Path(scratch) / f"{abs(hash(python))}.json"
            done = subprocess.run(
                [python, "-m", "portcheck", "--json", str(path)], cwd=ROOT, capture_output=True, text=True, check=False
            )
            print(done.stdout.splitlines()[-1] if done.stdout else f"{python}: {telling_line(done.stderr)}")
            return python, done.returncode, path

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            reports = list(pool.map(report, matrix_pythons()))
        missing = [python for python, _, path in reports if not path.exists()]
        if missing:
            raise ToolError(f"no results from {', '.join(missing)}")
        rows = [row for _, _, path in reports for row in json.loads(path.read_text())["results"]]
    generated = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out.write_text(json.dumps({"schema": 1, "generated": generated, "results": rows}, indent=1) + "\n")
    print(f"{len(rows)} results from {len(reports)} Pythons written to {out}")
    return max(status for _, status, _ in reports)


def at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = OneLineErrors(prog="python3 -m portcheck.maintenance", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    record_parser = commands.add_parser("record", help="record legacy transcripts on Python 2.7")
    record_parser.add_argument("names", nargs="*", metavar="NAME")
    commands.add_parser("syntax", help="compile every legacy program with Python 2.7")
    results_parser = commands.add_parser("results", help="the report on every Python here, as one JSON file")
    results_parser.add_argument("out", type=Path, metavar="FILE")
    results_parser.add_argument("--jobs", type=at_least_one, default=2, help="Pythons at once (default 2)")
    soak_parser = commands.add_parser("soak", help="run every pair many times under load and count mismatches")
    soak_parser.add_argument("names", nargs="*", metavar="NAME")
    soak_parser.add_argument("--repeat", type=at_least_one, default=30, help="runs of each pair and side (default 30)")
    soak_parser.add_argument("--jobs", type=at_least_one, default=4, help="runs at once (default 4)")
    soak_parser.add_argument("--corpus", action="store_true", help="soak the corpus of other people's programs")
    arguments = parser.parse_args(argv)
    show_undecodable_bytes_escaped()
    let_programs_see_ctrl_c()
    try:
        if arguments.command == "record":
            return record(arguments.names)
        if arguments.command == "results":
            return results(arguments.out, arguments.jobs)
        if arguments.command == "soak" and arguments.corpus:
            return soak_corpus(arguments.names, arguments.repeat, arguments.jobs)
        if arguments.command == "soak":
            return soak(arguments.names, arguments.repeat, arguments.jobs)
        return syntax()
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
