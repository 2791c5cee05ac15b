"""Maintenance of this repository: `python3 -m tests.maintenance syntax|soak|results ...`, from its root.
(Its recordings are made as a user's are: `portcheck record [NAME ...]`.)

syntax   compiles every legacy program with Python 2.7, writing nothing.
soak     makes the report's comparisons many times, several at once, legacy on Python 2.7 and
         modern on this Python, and counts the verdicts that are not what the pairs' data says;
         with --corpus, runs the tool on the corpus of other people's programs (tests/corpus/)
         as a user does, and counts the verdicts that are not what a careful person gives.
results  merges results files (--json of each test environment's report) into one, for the site.
sample   runs the report on this Python and writes it, as it prints, to docs/report.txt, which
         README.md shows.
example  runs the tool on the example code base (tests/codebase/) and writes its report, as it
         prints, to tests/codebase/report.txt, which README.md shows and the tests check.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from portcheck import config
from portcheck.cli import OneLineErrors
from portcheck.engine import execute
from portcheck.interpreters import require_python2, syntax_errors
from portcheck.model import Port, Result, ToolError, Verdict
from portcheck.plan import Request, plan
from portcheck.publish import json as json_results
from portcheck.running import START_METHODS, let_programs_see_ctrl_c, show_undecodable_bytes_escaped

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "tests" / "corpus"
EXAMPLE_DIR = ROOT / "tests" / "codebase"
SECONDS = re.compile(r" \(\d+\.\d s\)$")
NOT_ISOLATED = re.compile(r"; runs not isolated \(.*$")


def pairs_config() -> config.Config:
    return config.load(ROOT / config.FILE_NAME)


def legacy_syntax_errors() -> list[str]:
    """One line per legacy file that Python 2.7 cannot compile."""
    legacy = pairs_config().legacy
    assert legacy is not None
    return syntax_errors(require_python2(), sorted(legacy.glob("*.py")))


def syntax() -> int:
    errors = legacy_syntax_errors()
    for error in errors:
        print(error)
    if not errors:
        print("every legacy program compiles on Python 2.7")
    return 1 if errors else 0


def soak(names: list[str], repeat: int, jobs: int) -> int:
    """Make the report's comparisons `repeat` times, `jobs` runs at once; count what fails, per pair and column."""
    os.environ.pop("PORTCHECK_CACHE", None)  # every legacy run made again: its variation is what is soaked
    planned = plan(Request(names=tuple(names), directory=ROOT, jobs=jobs))
    failures: Counter[tuple[str, str]] = Counter()
    runs: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Result] = {}
    for _ in range(repeat):
        for result in execute(planned):
            column = f"{result.kind} {result.start_method}"
            runs[result.name, column] += 1
            if result.fails:
                failures[result.name, column] += 1
                first.setdefault((result.name, column), result)
    print(f"soak: {repeat} runs of each, {jobs} at once, on Python {planned.python3.release}; failures/runs")
    for (name, column), count in sorted(runs.items()):
        if failures[name, column]:
            print(f"  {name:<20} {column:<20} {failures[name, column]}/{count}")
    total = sum(failures.values())
    print(f"{total} failures in {sum(runs.values())} comparisons")
    for result in first.values():
        print(f"{result.name} ({result.kind}, {result.start_method}): {result.verdict}; {result.note}")
        for line in result.diff:
            print(f"  {line.mark}{line.text}  {line.note}")
    return 1 if total else 0


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
    legacy: str = "old.py"  # each script, relative to the case's directory, or "-m MODULE"
    modern: str = "new.py"
    stand_in: tuple[str, ...] = (".",)  # where the user stands: directories of the case, or "elsewhere"
    stdin_file: str | None = None  # a file given as --stdin as it is (/dev/null, say)
    shown: str = ""  # what the report must show
    diagnoses: tuple[str, ...] | None = None  # the rules a "different" result's diagnoses must name (diagnose.py)
    python: tuple[int, int] = (3, 0)  # the first Python 3 where a "different" holds; before it alike
    soak_only: bool = False  # its reruns cost seconds of CPU: tox -e soak runs it, the test command does not


def corpus_cases() -> list[CorpusCase]:
    cases = []
    for expected in sorted(CORPUS_DIR.glob("*/expected.toml")):
        data = config._toml(expected.read_text())
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
                data.get("legacy", "old.py"),
                data.get("modern", "new.py"),
                tuple(data.get("stand_in", (".",))),
                data.get("stdin_file"),
                data.get("shown", ""),
                tuple(data["diagnoses"]) if "diagnoses" in data else None,
                tuple(int(part) for part in data.get("python", "3.0").split(".")),  # type: ignore[arg-type]
                bool(data.get("soak_only", False)),
            )
        )
    return cases


def installed_command() -> list[str]:
    """The portcheck a user runs: the console script installed beside this Python, else its module."""
    script = Path(sys.executable).parent / "portcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "portcheck"]


def run_corpus_case(
    case: CorpusCase, place: str, options: tuple[str, ...], timeout: float = 15
) -> tuple[int, list[Result], str]:
    """Run the installed tool on a corpus case as a user does, standing in `place` of a copy of the case
    outside the clone; its exit status, its results (read from --json) and what it printed."""
    with tempfile.TemporaryDirectory(prefix="portcheck-corpus-") as scratch:
        copy = Path(scratch) / case.name
        shutil.copytree(CORPUS_DIR / case.name, copy)
        here = Path(scratch) / "elsewhere" if place == "elsewhere" else copy / place
        here.mkdir(exist_ok=True)
        results_file = Path(scratch) / "results.json"
        command = [*installed_command(), "--legacy", given(case.legacy, copy, here, place)]
        command += ["--modern", given(case.modern, copy, here, place)]
        command += ["--timeout", str(timeout), "--json", str(results_file)]
        if case.stdin is not None:
            (Path(scratch) / "stdin").write_text(case.stdin)
            command += ["--stdin", str(Path(scratch) / "stdin")]
        if case.stdin_file is not None:
            command += ["--stdin", case.stdin_file]
        command += [*options, "--", *case.arguments]
        environment = {**os.environ, "NO_COLOR": "1"}  # $PORTCHECK_CACHE kept: a test command's Pythons share
        done = subprocess.run(
            command, cwd=here, env=environment, capture_output=True, text=True, timeout=300, check=False
        )
        results = json_results.read(results_file) if results_file.exists() else []
    return done.returncode, results, done.stdout + done.stderr


def given(script: str, case: Path, here: Path, place: str) -> str:
    """A script as the user standing in `here` names it: relative from within the case, absolute from elsewhere."""
    if script.startswith("-m "):
        return script
    if place == "elsewhere":
        return str(case / script)
    return os.path.relpath(case / script, here)


def wrong_corpus_verdict(case: CorpusCase, place: str = ".") -> str | None:
    """None when the tool's verdicts are the careful person's; else what is wrong, with the tool's output."""
    status, results, output = run_corpus_case(case, place, case.options)
    alike = {"identical"} if case.verdict == "identical" else {"identical", "equivalent"}
    differs = case.verdict == "different" and sys.version_info[:2] >= case.python
    wanted = {
        method: ({"different"} if differs and method in case.start_methods else alike) for method in START_METHODS
    }
    verdicts = {result.start_method: str(result.verdict) for result in results if result.kind is Port.MODERN}
    wrong = [
        f"{method}: {verdicts.get(method)}" for method in START_METHODS if verdicts.get(method) not in wanted[method]
    ]
    where = f" standing in {place}" if place != "." else ""
    if wrong or status != (1 if differs else 0):
        got = f"got exit {status}, {'; '.join(wrong)}"
        return f"{case.name}{where}: expected {case.verdict} ({case.why}); {got}\n{output}"
    if case.shown and case.shown not in output:
        return f"{case.name}{where}: the report does not show {case.shown!r}\n{output}"
    misdiagnosed = wrong_diagnoses(case, results)
    if misdiagnosed:
        return f"{case.name}{where}: {misdiagnosed}\n{output}"
    if case.hint:
        status, results, output = run_corpus_case(case, place, ())
        if status != 1 or case.hint not in output:
            return f"{case.name}{where}: without {' '.join(case.options)}, expected exit 1 naming {case.hint}\n{output}"
        misdiagnosed = wrong_diagnoses(case, results)
        if misdiagnosed:
            return f"{case.name}{where}: without {' '.join(case.options)}, {misdiagnosed}\n{output}"
    return None


def wrong_diagnoses(case: CorpusCase, results: list[Result]) -> str:
    """What is wrong with the diagnoses of the different results, where the case names them; "" if nothing.

    A port that hung is diagnosed by the hang, whatever made it hang: Python 3.8's executor can hang
    on the pickling error that lock_to_executor's port raises elsewhere, and the difference stands.
    """
    if case.diagnoses is None:
        return ""
    wrong = [
        f"{result.start_method}: {', '.join(result.diagnosed) or 'none'}"
        for result in results
        if result.kind is Port.MODERN
        and result.verdict is Verdict.DIFFERENT
        and not (result.modern and result.modern.timed_out)
        and set(result.diagnosed) != set(case.diagnoses)
    ]
    return f"expected diagnoses {', '.join(case.diagnoses) or 'none'}; got {'; '.join(wrong)}" if wrong else ""


def soak_corpus(names: list[str], repeat: int, jobs: int) -> int:
    os.environ.pop("PORTCHECK_CACHE", None)  # every legacy run made again: its variation is what is soaked
    cases = [case for case in corpus_cases() if not names or case.name in names]
    work = [(case, place) for case in cases for place in case.stand_in for _ in range(repeat)]
    wrong: Counter[str] = Counter()
    reports: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for (case, _), report in zip(work, pool.map(lambda item: wrong_corpus_verdict(*item), work)):
            if report:
                wrong[case.name] += 1
                reports.setdefault(case.name, report)
    python = sys.version.split()[0]
    print(f"soak --corpus: {repeat} runs of each of {len(cases)} cases, {jobs} at once, on Python {python}")
    for case in cases:
        print(f"  {case.name:<24} {case.verdict:<11} wrong {wrong[case.name]}/{repeat * len(case.stand_in)}")
    print(f"{sum(wrong.values())} wrong verdicts in {len(work)} runs")
    for report in reports.values():
        print(report)
    return 1 if wrong else 0


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


def at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = OneLineErrors(prog="python3 -m tests.maintenance", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("syntax", help="compile every legacy program with Python 2.7")
    results_parser = commands.add_parser("results", help="merge results files into one")
    results_parser.add_argument("out", type=Path, metavar="OUT")
    results_parser.add_argument(
        "files", type=Path, nargs="+", metavar="FILE", help="a results file, or a directory of them"
    )
    commands.add_parser("sample", help="write the report of this Python to docs/report.txt, for README.md")
    commands.add_parser("example", help="write the example code base's report to tests/codebase/report.txt")
    soak_parser = commands.add_parser("soak", help="make every comparison many times under load and count failures")
    soak_parser.add_argument("names", nargs="*", metavar="NAME")
    soak_parser.add_argument("--repeat", type=at_least_one, default=10, help="runs of each (default 10)")
    soak_parser.add_argument("--jobs", type=at_least_one, default=8, help="runs at once (default 8)")
    soak_parser.add_argument("--corpus", action="store_true", help="soak the corpus of other people's programs")
    arguments = parser.parse_args(argv)
    show_undecodable_bytes_escaped()
    let_programs_see_ctrl_c()
    try:
        if arguments.command == "results":
            files = [
                found
                for given in arguments.files
                for found in (sorted(given.glob("*.json")) if given.is_dir() else [given])
            ]
            results = json_results.merge(files, arguments.out)
            print(f"{len(results)} results from {len(files)} file(s) written to {arguments.out}")
            return 0
        if arguments.command == "example":
            return example()
        if arguments.command == "sample":
            return sample()
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
