"""Compare Python 2 programs with their Python 3 ports, by what they do.

  python3 -m tests.compare                       every pair: one line each, then a summary
  python3 -m tests.compare NAME                  one pair: its source diff and both transcripts
  python3 -m tests.compare --legacy OLD.py --modern NEW.py
                                                 your own two scripts, generic normalisation

Exit status: 0 when everything compared is identical (or differs only as declared),
1 when something differs (a crash its twin does not share included, said in one line on
stderr), 2 on bad input or a program that hangs past its timeout (one line on stderr saying
what), 130 on Ctrl-C or SIGTERM, after killing every program it started.
"""

from __future__ import annotations

import argparse
import difflib
import os
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.harness import (
    LEGACY_PYTHON_VARIABLE,
    LONGEST_TIMEOUT,
    ROOT,
    START_METHODS,
    HarnessError,
    OneLineErrors,
    example_names,
    find_legacy_python,
    interpreter_version,
    is_positive_seconds,
    kill_launched_programs,
    legacy_script,
    modern_script,
    run_program,
    run_timeout,
    show_undecodable_bytes_escaped,
    source_text,
    syntax_errors,
    telling_line,
)
from tests.pairs import PAIRS
from tests.transcript import GENERIC, Comparison, Rules, transcript
from tests.twins import check_names, read_recording

OLDEST_FOR_OWN_SCRIPTS = (3, 4)  # set_start_method() and forkserver
OLDEST_FOR_MODERN = (3, 8)  # requires-python, and multiprocessing.parent_process()
FULL_CONTEXT = 100  # transcript lines up to which a difference is shown within the whole transcript
COLOURS = {"identical": "32", "declared differences": "33", "different": "31"}
SHORT = {"identical": "identical", "declared differences": "declared", "different": "DIFFERENT"}


class Style:
    """Colour when stdout is a terminal and NO_COLOR is not set (https://no-color.org)."""

    def __init__(self) -> None:
        self.enabled = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

    def verdict(self, text: str, verdict: str, width: int = 0) -> str:
        padded = f"{text:<{width}}"
        return f"\033[{COLOURS[verdict]}m{padded}\033[0m" if self.enabled and verdict in COLOURS else padded

    def diff_line(self, line: str) -> str:
        if not self.enabled or line.startswith(("+++", "---")):
            return line
        colour = {"+": "32", "-": "31", "@": "36"}.get(line[:1])
        return f"\033[{colour}m{line}\033[0m" if colour else line


@dataclass(frozen=True)
class Side:
    """One program on one interpreter: what runs, and how to describe it."""

    script: Path
    interpreter: str
    start_method: str | None
    label: str


@dataclass(frozen=True)
class Options:
    timeout: float
    jobs: int
    cwd: Path  # where the programs run: the caller's directory for their own scripts


@dataclass(frozen=True)
class Transcribed:
    """What one side did, normalised, and one line saying how it crashed if it did."""

    label: str
    lines: list[str]
    crash: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A modern side compared with the legacy one; `crashes` explain a difference caused by a crash."""

    comparison: Comparison
    crashes: tuple[str, ...]


def display(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def python_label(interpreter: str) -> str:
    major, minor = interpreter_version(interpreter)[1]
    return f"Python {major}.{minor}"


def transcribe(side: Side, rules: Rules, options: Options) -> Transcribed:
    """Run one side. A hang is an error; a crash is behaviour, compared like any other."""
    run = run_program(side.script, side.interpreter, side.start_method, options.timeout, cwd=options.cwd)
    if run.timed_out:
        raise HarnessError(
            f"{side.label} hung: killed with all its processes after its {options.timeout:g} s timeout"
            f" (it printed {len(run.stdout.splitlines())} line(s) first)"
        )
    crash = None
    if run.exit_code is not None and run.exit_code < 0:
        crash = f"{side.label} was killed by signal {-run.exit_code}"
    elif run.exit_code != 0 and "Traceback (most recent call last)" in run.stderr:
        crash = f"{side.label} crashed with exit code {run.exit_code}: {telling_line(run.stderr)}"
    return Transcribed(side.label, transcript(run, rules), crash)


def check_scripts(interpreter: str, paths: list[Path]) -> None:
    errors = syntax_errors(interpreter, paths)
    if errors:
        raise HarnessError(f"not valid {python_label(interpreter)}: {errors[0]}")


def resolve_python3(requested: str | None, own_scripts: bool) -> str:
    """The Python 3 to run the modern side: 3.4+ for the user's own port, 3.8+ for modern/."""
    interpreter = requested or sys.executable
    version = interpreter_version(interpreter)[1]
    oldest, needs = (
        (OLDEST_FOR_OWN_SCRIPTS, "start methods need") if own_scripts else (OLDEST_FOR_MODERN, "modern/ needs")
    )
    if version < oldest:
        raise HarnessError(
            f"{interpreter} is Python {version[0]}.{version[1]}; {needs} Python {oldest[0]}.{oldest[1]}+"
        )
    return interpreter


def resolve_python2(requested: str | None) -> str | None:
    if requested is None:
        return find_legacy_python()
    version = interpreter_version(requested)[1]
    if version[0] != 2:
        raise HarnessError(f"{requested} is Python {version[0]}.{version[1]}, not Python 2")
    return requested


def compare_runs(legacy: Transcribed, modern_sides: list[Side], rules: Rules, options: Options) -> list[Outcome]:
    def one(side: Side) -> Outcome:
        modern = transcribe(side, rules, options)
        comparison = Comparison(legacy.label, modern.label, legacy.lines, modern.lines, rules.differences)
        crashes = (legacy.crash, modern.crash) if comparison.verdict == "different" else ()
        return Outcome(comparison, tuple(crash for crash in crashes if crash))

    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        try:
            return list(pool.map(one, modern_sides))
        except KeyboardInterrupt:
            kill_launched_programs()  # else leaving the with block waits for every run to time out
            raise


def legacy_transcript(name: str, python2: str | None, options: Options) -> Transcribed:
    """A pair's legacy transcript: run live when there is a Python 2.7, else its recording."""
    if python2 is None:
        return Transcribed(f"legacy/{name}.py, recorded on Python 2.7", read_recording(name))
    side = Side(legacy_script(name), python2, None, f"legacy/{name}.py on Python 2.7")
    return transcribe(side, PAIRS[name], options)


def modern_sides(script: Path, python3: str, methods: list[str]) -> list[Side]:
    label = python_label(python3)
    return [Side(script, python3, method, f"{display(script)} on {label} under {method}") for method in methods]


def overall(outcomes: list[Outcome]) -> str:
    verdicts = {outcome.comparison.verdict for outcome in outcomes}
    for verdict in ("different", "declared differences"):
        if verdict in verdicts:
            return verdict
    return "identical"


def say_crashes(outcomes: list[Outcome]) -> None:
    for crash in dict.fromkeys(crash for outcome in outcomes for crash in outcome.crashes):
        print(f"error: {crash}", file=sys.stderr)


def report_all(names: list[str], python2: str | None, python3: str, methods: list[str], options: Options) -> int:
    style = Style()
    started = time.monotonic()
    source = "run live on Python 2.7" if python2 else "from the recordings (no Python 2.7 here)"
    width = max(len(name) for name in names)
    print(f"{'pair':<{width}}  {'legacy 2.7':<10}  " + "  ".join(f"{m:<10}" for m in methods) + "  verdict")
    counts = {"identical": 0, "declared differences": 0, "different": 0, "error": 0}
    live = "live" if python2 else "recorded"
    for name in names:
        try:
            legacy = legacy_transcript(name, python2, options)
            outcomes = compare_runs(legacy, modern_sides(modern_script(name), python3, methods), PAIRS[name], options)
        except HarnessError as exc:  # a hang: this pair has no verdict, the others still do
            counts["error"] += 1
            cells = "  ".join(style.verdict("ERROR", "different", 10) for _ in methods)
            print(f"{name:<{width}}  {live:<10}  {cells}  {style.verdict('error (see stderr)', 'different')}")
            print(f"error: {exc}", file=sys.stderr)
            continue
        verdict = overall(outcomes)
        counts[verdict] += 1
        cells = "  ".join(style.verdict(SHORT[o.comparison.verdict], o.comparison.verdict, 10) for o in outcomes)
        print(f"{name:<{width}}  {live:<10}  {cells}  {style.verdict(verdict, verdict)}")
        say_crashes(outcomes)
    summary = ", ".join(
        [
            f"{counts['identical']} identical",
            f"{counts['declared differences']} with declared differences",
            f"{counts['different']} different",
        ]
        + ([f"{counts['error']} with an error"] if counts["error"] else [])
    )
    print(
        f"{len(names)} pairs on {python_label(python3)} against legacy/ {source}: {summary}"
        f" ({time.monotonic() - started:.1f} s)"
    )
    return 2 if counts["error"] else 1 if counts["different"] else 0


def report_one(legacy_path: Path, modern_path: Path, legacy: Transcribed, outcomes: list[Outcome]) -> int:
    style = Style()
    source_diff = difflib.unified_diff(
        source_text(legacy_path).splitlines(),
        source_text(modern_path).splitlines(),
        fromfile=display(legacy_path),
        tofile=display(modern_path),
        lineterm="",
    )
    print("\n".join(style.diff_line(line) for line in source_diff))
    print(f"\ntranscript of {legacy.label}:")
    print("\n".join(f"  {line}" for line in legacy.lines))
    for outcome in outcomes:
        comparison = outcome.comparison
        print(f"\n{comparison.modern_label}: {style.verdict(comparison.verdict, comparison.verdict)}")
        for difference, count in comparison.applied:
            print(f"  declared ({count} line(s)): {difference.legacy!r} -> {difference.modern!r}: {difference.why}")
        if comparison.expected != comparison.modern:
            # a short transcript is shown whole, a long one as its differences with some context
            context = len(comparison.modern) if len(comparison.modern) <= FULL_CONTEXT else 5
            marked = difflib.unified_diff(
                comparison.expected, comparison.modern, "legacy", "modern", lineterm="", n=context
            )
            print("\n".join(f"  {style.diff_line(line)}" for line in list(marked)[2:]))
    verdict = overall(outcomes)
    print(f"\nverdict: {style.verdict(verdict, verdict)}")
    say_crashes(outcomes)
    return 1 if verdict == "different" else 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = OneLineErrors(
        prog="python3 -m tests.compare",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="pairs to compare (default: all)")
    parser.add_argument("--legacy", type=Path, metavar="OLD.py", help="your Python 2 script")
    parser.add_argument("--modern", type=Path, metavar="NEW.py", help="your Python 3 port of it")
    parser.add_argument("--python2", metavar="PATH", help=f"Python 2 to run legacy with (${LEGACY_PYTHON_VARIABLE})")
    parser.add_argument("--python3", metavar="PATH", help="Python 3 to run modern with (default: this one)")
    parser.add_argument(
        "--start-methods", default=",".join(START_METHODS), metavar="M,M", help="default: fork,spawn,forkserver"
    )
    parser.add_argument("--timeout", type=float, default=None, help="seconds for each run (default 30)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="runs at once")
    return parser.parse_args(argv)


def start_methods(given: str) -> list[str]:
    methods = list(dict.fromkeys(method.strip() for method in given.split(",") if method.strip()))
    if not methods:
        raise HarnessError(f"no start method given; choose from {', '.join(START_METHODS)}")
    unknown = [method for method in methods if method not in START_METHODS]
    if unknown:
        raise HarnessError(f"unknown start method: {', '.join(unknown)}; choose from {', '.join(START_METHODS)}")
    return methods


def main(argv: list[str] | None = None) -> int:
    show_undecodable_bytes_escaped()
    arguments = parse(argv)
    try:
        methods = start_methods(arguments.start_methods)
        own_scripts = arguments.legacy is not None or arguments.modern is not None
        timeout = arguments.timeout if arguments.timeout is not None else run_timeout()
        # your own scripts run where you are, as `python old.py` would; the pairs from the project's root
        options = Options(timeout, arguments.jobs, Path.cwd() if own_scripts else ROOT)
        if not is_positive_seconds(options.timeout):
            raise HarnessError(
                f"the timeout must be a positive number of seconds, at most {LONGEST_TIMEOUT:g},"
                f" not {options.timeout:g}"
            )
        if options.jobs < 1:
            raise HarnessError(f"--jobs must be 1 or more, not {options.jobs}")
        if (arguments.legacy is None) != (arguments.modern is None):
            raise HarnessError("--legacy and --modern go together: give both scripts")
        for script in (arguments.legacy, arguments.modern):
            if script is not None and not script.exists():
                raise HarnessError(f"no such file: {script}")
            if script is not None and not script.is_file():
                raise HarnessError(f"not a file: {script}")
        python3 = resolve_python3(arguments.python3, own_scripts)
        python2 = resolve_python2(arguments.python2)
        if own_scripts:
            legacy_path, modern_path = arguments.legacy.resolve(), arguments.modern.resolve()
            if arguments.names:
                raise HarnessError("give either pair names or --legacy/--modern, not both")
            if python2 is None:
                raise HarnessError(f"no Python 2 found for {legacy_path}: use --python2 or ${LEGACY_PYTHON_VARIABLE}")
            check_scripts(python2, [legacy_path])
            check_scripts(python3, [modern_path])
            legacy_side = Side(legacy_path, python2, None, f"{display(legacy_path)} on {python_label(python2)}")
            legacy = transcribe(legacy_side, GENERIC, options)
            outcomes = compare_runs(legacy, modern_sides(modern_path, python3, methods), GENERIC, options)
            return report_one(legacy_path, modern_path, legacy, outcomes)
        names = check_names(arguments.names)
        if len(arguments.names) == 1:
            name = names[0]
            legacy = legacy_transcript(name, python2, options)
            outcomes = compare_runs(legacy, modern_sides(modern_script(name), python3, methods), PAIRS[name], options)
            return report_one(legacy_script(name), modern_script(name), legacy, outcomes)
        return report_all(names or example_names(), python2, python3, methods, options)
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        kill_launched_programs()
        print("error: interrupted; every program it had started was killed", file=sys.stderr)
        return 130


def stop_as_on_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    # the programs run in sessions of their own: a compare that is simply killed would leave them running
    signal.signal(signal.SIGTERM, stop_as_on_ctrl_c)
    sys.exit(main())
