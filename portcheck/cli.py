"""Compare Python 2 programs with their Python 3 ports, by what they do.

  portcheck                               every pair of this repository: a line each, a summary
  portcheck NAME [NAME ...]               one pair (or several): its programs and transcripts
  portcheck --legacy OLD.py --modern NEW.py
                                          your own script and its port, from any directory
  portcheck --legacy OLD.py               your own script and its mechanical port: is 2to3 enough?

From a clone, `python3 -m portcheck` is the same command. The legacy side runs on Python 2.7,
the modern side on this Python (or --python3) under each start method. The mechanical port is
the legacy program as 2to3 converts it (fissix, every default fixer), made for the run in a
scratch directory and removed after; the report's 2to3 column compares it too, against the
verdict each pair's data expects of it.

Exit status: 0 when everything compared is identical (or differs only as declared, or, for a
pair's mechanical port, as its data expects), 1 when something differs (a crash that its
counterpart does not share included, said in one line on stderr), 2 on bad input (a script the
converter cannot parse included) or a program that hangs past its timeout (one line on stderr),
130 on Ctrl-C or SIGTERM, after killing every program it started.

Details: scripts are read by their coding cookie as Python reads them; output bytes that are
not UTF-8 are compared as bytes and shown as \\udcXX escapes; colour only on a terminal and
never with NO_COLOR set. A port that calls set_start_method() must be compared under that
method (--start-methods); get_context("spawn") is not caught and runs under spawn whatever the
row says.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import tokenize
from pathlib import Path
from typing import NoReturn

from portcheck import ToolError, side_by_side
from portcheck.comparison import (
    LIVE,
    MECHANICAL,
    MechanicalResult,
    Options,
    Outcome,
    OwnRun,
    Side,
    Transcribed,
    compare_own,
    compare_pair,
    compare_pair_mechanical,
    display,
    modern_sides,
    overall,
)
from portcheck.equivalence import Declared
from portcheck.interpreters import (
    HOW_TO_GIVE_PYTHON2,
    LEGACY_PYTHON_VARIABLE,
    Interpreter,
    check_python3,
    find_python2,
    syntax_errors,
)
from portcheck.mechanical import (
    FISSIX_VERSION,
    MissingConverterError,
    check_converter,
    mechanical_port,
    read_source,
    write_mechanical_port,
)
from portcheck.pairs import OLDEST_PYTHON, ROOT, legacy_script, modern_script, pair_name, pair_names
from portcheck.running import (
    START_METHODS,
    TIMEOUT_VARIABLE,
    checked_timeout,
    kill_launched_programs,
    let_programs_see_ctrl_c,
    run_timeout,
    show_undecodable_bytes_escaped,
)
from portcheck.transcript import Verdict

OLDEST_FOR_OWN_SCRIPTS = (3, 4)  # set_start_method() and forkserver
MECHANICAL_KIND = "mechanical"  # the kind of a --json row comparing a mechanical port
COLOURS = {
    Verdict.IDENTICAL: "32",
    Verdict.EQUIVALENT: "32",
    Verdict.DECLARED: "33",
    Verdict.DIFFERENT: "31",
    Verdict.ERROR: "31",
}
CELL = {Verdict.DECLARED: "declared", Verdict.DIFFERENT: "DIFFERENT", Verdict.NOT_APPLICABLE: "n/a"}


class Style:
    """Colour when stdout is a terminal and NO_COLOR is not set (https://no-color.org)."""

    def __init__(self) -> None:
        self.enabled = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

    def verdict(self, text: str, verdict: Verdict, width: int = 0) -> str:
        padded = f"{text:<{width}}"
        colour = COLOURS.get(verdict)
        return f"\033[{colour}m{padded}\033[0m" if self.enabled and colour else padded

    def diff_line(self, line: str) -> str:
        if not self.enabled or line.startswith(("+++", "---")):
            return line
        colour = {"+": "32", "-": "31", "@": "36"}.get(line[:1])
        return f"\033[{colour}m{line}\033[0m" if colour else line


class Results:
    """Every comparison made, for --json: the shape is documented in README.md."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(
        self, pair: str, legacy: Transcribed, python2: Interpreter | None, outcomes: list[Outcome], kind: str = "modern"
    ) -> None:
        for outcome in outcomes:
            comparison = outcome.comparison
            self.rows.append(
                {
                    "pair": pair,
                    "kind": kind,
                    "legacy": {
                        "python": python2.release if python2 else "2.7",
                        "source": "live" if legacy.source == LIVE else "recorded",
                        "transcript": legacy.lines,
                    },
                    "modern": {
                        "python": outcome.side.python.release,
                        "start_method": outcome.side.start_method,
                        "transcript": comparison.modern if comparison else None,
                    },
                    "verdict": str(outcome.verdict),
                    "declared": [
                        {"legacy": d.legacy, "modern": d.modern, "why": d.why, "lines": count}
                        for d, count in (comparison.applied if comparison else [])
                    ],
                    "note": outcome.note,
                }
            )

    def add_error(self, pair: str, python3: Interpreter, methods: list[str], error: str, kind: str = "modern") -> None:
        for method in methods:
            modern = {"python": python3.release, "start_method": method, "transcript": None}
            self.rows.append(
                {"pair": pair, "kind": kind, "legacy": None, "modern": modern, "verdict": "error", "note": error}
            )

    def add_mechanical(
        self, pair: str, legacy: Transcribed, python2: Interpreter | None, result: MechanicalResult
    ) -> None:
        """Rows of "kind": "mechanical": "modern" is the mechanical port's run, with what the pair's data expects."""
        self.add(pair, legacy, python2, [outcome.outcome for outcome in result.outcomes], kind=MECHANICAL_KIND)
        for row, outcome in zip(self.rows[-len(result.outcomes) :], result.outcomes):
            row["expected"] = {"verdict": str(outcome.expected), "why": outcome.why}
            row["as_expected"] = outcome.as_expected

    def write(self, path: Path) -> None:
        generated = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        path.write_text(json.dumps({"schema": 1, "generated": generated, "results": self.rows}, indent=1) + "\n")


def source_text(path: Path) -> str:
    """A script's text, decoded as Python decodes it: by its coding cookie, else UTF-8."""
    data = path.read_bytes()
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        return data.decode(encoding, "replace")
    except (SyntaxError, LookupError):  # an unknown or conflicting cookie
        return data.decode("utf-8", "replace")


def check_scripts(python: Interpreter, paths: list[Path]) -> None:
    errors = syntax_errors(python, paths)
    if errors:
        raise ToolError(f"not valid {python.label}: {errors[0]}")


def say_crashes(outcomes: list[Outcome]) -> None:
    for crash in dict.fromkeys(crash for outcome in outcomes for crash in outcome.crashes):
        print(f"error: {crash}", file=sys.stderr)


def report_all(
    names: list[str],
    python2: Interpreter | None,
    python3: Interpreter,
    methods: list[str],
    options: Options,
    results: Results,
) -> int:
    style = Style()
    started = time.monotonic()
    source = "run live on Python 2.7" if python2 else "from the recordings (no Python 2.7 here)"
    width = max(len(name) for name in names)
    mechanical = MechanicalColumn(python2, python3, methods, options, results, style)
    print(
        f"{'pair':<{width}}  {'legacy 2.7':<10}  "
        + "  ".join(f"{m:<10}" for m in methods)
        + f"  {'verdict':<{VERDICT_WIDTH}}  {MECHANICAL}"
    )
    counts = dict.fromkeys(Verdict, 0)
    live = "live" if python2 else "recorded"
    for name in names:
        try:
            legacy, outcomes = compare_pair(name, python2, python3, methods, options)
        except ToolError as exc:  # a hang: this pair has no verdict, the others still do
            counts[Verdict.ERROR] += 1
            cells = "  ".join(style.verdict("ERROR", Verdict.ERROR, 10) for _ in methods)
            error = style.verdict("error (see stderr)", Verdict.ERROR, VERDICT_WIDTH)
            print(f"{name:<{width}}  {live:<10}  {cells}  {error}  not run")
            print(f"error: {exc}", file=sys.stderr)
            results.add_error(name, python3, methods, str(exc))
            continue
        results.add(name, legacy, python2, outcomes)
        verdict = overall(outcomes)
        counts[verdict] += 1
        cells = "  ".join(style.verdict(CELL.get(o.verdict, str(o.verdict)), o.verdict, 10) for o in outcomes)
        shown = style.verdict(str(verdict), verdict, VERDICT_WIDTH)
        print(f"{name:<{width}}  {live:<10}  {cells}  {shown}  {mechanical.cell(name, legacy)}")
        say_crashes(outcomes)
        mechanical.say_problems()
    summary = [
        f"{counts[Verdict.IDENTICAL]} identical",
        f"{counts[Verdict.DECLARED]} with declared differences",
        f"{counts[Verdict.DIFFERENT]} different",
    ]
    summary += [f"{counts[Verdict.NOT_APPLICABLE]} not applicable"] if counts[Verdict.NOT_APPLICABLE] else []
    summary += [f"{counts[Verdict.ERROR]} with an error"] if counts[Verdict.ERROR] else []
    print(
        f"{len(names)} pairs on {python3.label} against legacy/ {source}: {', '.join(summary)}"
        f"; {mechanical.summary()} ({time.monotonic() - started:.1f} s)"
    )
    return max(2 if counts[Verdict.ERROR] else 1 if counts[Verdict.DIFFERENT] else 0, mechanical.status())


VERDICT_WIDTH = len(str(Verdict.DECLARED))
SHORT = {Verdict.DECLARED: "declared", Verdict.NOT_APPLICABLE: "n/a"}


def converter_problem() -> str | None:
    """Why the mechanical port cannot be made here, or None."""
    try:
        check_converter()
    except MissingConverterError as exc:
        return str(exc)
    return None


def mechanical_cell(result: MechanicalResult) -> tuple[str, Verdict]:
    """A pair's 2to3 cell: the verdict where it is the modern program's, then each start method where it is not."""
    plain = [outcome.verdict for outcome in result.outcomes if outcome.as_expected and not outcome.why]
    parts = [SHORT.get(plain[0], str(plain[0]))] if plain else []
    for outcome in result.outcomes:
        if outcome.as_expected and not outcome.why:
            continue
        said = f"{outcome.outcome.side.start_method}: {SHORT.get(outcome.verdict, str(outcome.verdict))}"
        expected = SHORT.get(outcome.expected, str(outcome.expected))
        parts.append(f"{said} (expected)" if outcome.as_expected else f"{said}, UNEXPECTED ({expected} expected)")
    if result.unexpected:
        return "; ".join(parts), Verdict.DIFFERENT
    identical = all(outcome.verdict is Verdict.IDENTICAL for outcome in result.outcomes)
    return "; ".join(parts), Verdict.IDENTICAL if identical else Verdict.DECLARED


def say_unexpected(result: MechanicalResult) -> None:
    """One line on stderr per mechanical verdict that is not what the pair's data expects, and its crashes."""
    for outcome in result.unexpected:
        said = f"{outcome.outcome.side.label}: {outcome.verdict}, but portcheck/pairs.py expects {outcome.expected}"
        print(f"error: {said}", file=sys.stderr)
    say_crashes([outcome.outcome for outcome in result.unexpected])


class MechanicalColumn:
    """The report's 2to3 column: each pair's mechanical port against the verdicts its data expects."""

    def __init__(
        self,
        python2: Interpreter | None,
        python3: Interpreter,
        methods: list[str],
        options: Options,
        results: Results,
        style: Style,
    ) -> None:
        self.python2, self.python3, self.methods, self.options = python2, python3, methods, options
        self.results, self.style = results, style
        self.missing = converter_problem()
        self.as_expected = self.unexpected = self.errors = 0
        self.problems: list[MechanicalResult | str] = []

    def cell(self, name: str, legacy: Transcribed) -> str:
        if self.missing:
            return "not run"
        try:
            result = compare_pair_mechanical(name, legacy, self.python3, self.methods, self.options)
        except ToolError as exc:  # a hang, or a legacy program the converter cannot parse
            self.errors += 1
            self.results.add_error(name, self.python3, self.methods, str(exc), kind=MECHANICAL_KIND)
            self.problems.append(f"error: {exc}")
            return self.style.verdict("ERROR", Verdict.ERROR)
        self.results.add_mechanical(name, legacy, self.python2, result)
        if result.unexpected:
            self.unexpected += 1
            self.problems.append(result)
        else:
            self.as_expected += 1
        text, verdict = mechanical_cell(result)
        return self.style.verdict(text, verdict)

    def say_problems(self) -> None:
        for problem in self.problems:
            if isinstance(problem, str):
                print(problem, file=sys.stderr)
            else:
                say_unexpected(problem)
        self.problems.clear()

    def summary(self) -> str:
        if self.missing:
            return f"{MECHANICAL} column not run: {self.missing}"
        errors = f", {self.errors} with an error" if self.errors else ""
        return f"{MECHANICAL} ports: {self.as_expected} as expected, {self.unexpected} unexpected{errors}"

    def status(self) -> int:
        return 2 if self.errors else 1 if self.unexpected else 0


def show_port_diff(result: MechanicalResult) -> None:
    """The mechanical port's diff from the legacy program."""
    style = Style()
    legacy_name = display(result.legacy_script)
    source_diff = difflib.unified_diff(
        source_text(result.legacy_script).splitlines(),
        result.port.splitlines(),
        fromfile=legacy_name,
        tofile=f"{MECHANICAL} of {legacy_name} (fissix {FISSIX_VERSION}, made for this run)",
        lineterm="",
    )
    print("\n".join(style.diff_line(line) for line in source_diff))


def show_mechanical_runs(result: MechanicalResult) -> None:
    """Each run of a pair's mechanical port, its verdict told against what the pair's data expects, and why;
    every difference marked."""
    style = Style()
    for mechanical in result.outcomes:
        outcome = mechanical.outcome
        said = style.verdict(str(outcome.verdict), outcome.verdict)
        if mechanical.as_expected:
            said += f" (as expected{': ' + mechanical.why if mechanical.why else ''})"
        else:
            said += style.verdict(f", UNEXPECTED: portcheck/pairs.py expects {mechanical.expected}", Verdict.DIFFERENT)
        print(f"\n{outcome.side.label}: {said}")
        if outcome.comparison is None:
            print(f"  {outcome.note}")
            continue
        for line in outcome.comparison.declared_lines():
            print(f"  {line}")
        for line in outcome.comparison.diff()[2:]:
            print(f"  {style.diff_line(line)}")


def report_pair_mechanical(result: MechanicalResult) -> int:
    """The one-pair view's last part: the pair's mechanical port against what its data expects."""
    style = Style()
    print(f"\n{MECHANICAL}, the mechanical port:")
    show_port_diff(result)
    show_mechanical_runs(result)
    unexpected = len(result.unexpected)
    said = f"{unexpected} unexpected" if unexpected else "as expected"
    print(f"\n{MECHANICAL} verdict: {style.verdict(said, Verdict.DIFFERENT if unexpected else Verdict.IDENTICAL)}")
    say_unexpected(result)
    return 1 if unexpected else 0


SIDE_BY_SIDE_WIDTH = 140  # columns from which the two programs are shown side by side, aligned by function


def show_sources(legacy_path: Path, modern_path: Path, modern_name: str, style: Style) -> None:
    """The two programs: side by side on a terminal wide enough, else as a unified diff."""
    legacy, modern = source_text(legacy_path), source_text(modern_path)
    width = shutil.get_terminal_size((0, 0)).columns if sys.stdout.isatty() else 0
    if width >= SIDE_BY_SIDE_WIDTH:
        try:
            print(side_by_side.render_text(legacy, modern, width, color=style.enabled))
            return
        except SyntaxError:  # a Python 2 source the aligner cannot read: the diff still shows it
            pass
    lines = difflib.unified_diff(
        legacy.splitlines(), modern.splitlines(), fromfile=display(legacy_path), tofile=modern_name, lineterm=""
    )
    print("\n".join(style.diff_line(line) for line in lines))


def report_one(
    legacy_path: Path,
    modern_path: Path,
    legacy_lines: list[str],
    legacy_label: str,
    outcomes: list[Outcome],
    modern_name: str = "",
) -> int:
    """A pair's or your own scripts' comparison: the source diff, the legacy transcript, then each
    verdict with what differs; start methods that differ in the same way are shown once."""
    style = Style()
    show_sources(legacy_path, modern_path, modern_name or display(modern_path), style)
    print(f"\ntranscript of {legacy_label}:")
    print("\n".join(f"  {line}" for line in legacy_lines))
    groups: dict[tuple, list[Outcome]] = {}
    for outcome in outcomes:
        comparison, judgement = outcome.comparison, outcome.judgement
        details = (
            [outcome.note]
            if comparison is None
            else comparison.declared_lines()
            + (judgement.relaxed if judgement else [])
            + comparison.diff("legacy", "modern")[2:]
            + ([judgement.hint] if judgement and judgement.hint else [])
        )
        groups.setdefault((outcome.verdict, tuple(details)), []).append(outcome)
    for (verdict, details), members in groups.items():
        python = members[0].side.python.label
        methods = ", ".join(str(member.side.start_method) for member in members)
        script = modern_name or display(members[0].side.script)
        print(f"\n{script} on {python} under {methods}: {style.verdict(str(verdict), verdict)}")
        if verdict is Verdict.DIFFERENT and any(line[:1] in "+-@" for line in details):
            print(f"  (- {legacy_label}, + {script})")
        for line in details:
            print(f"  {style.diff_line(line)}")
    verdict = overall(outcomes)
    print(f"\nverdict: {style.verdict(str(verdict), verdict)}")
    say_crashes(outcomes)
    return 1 if verdict is Verdict.DIFFERENT else 0


class OneLineErrors(argparse.ArgumentParser):
    """argparse, saying a bad command line in one line rather than usage and error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = OneLineErrors(
        prog="portcheck",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="pairs to compare, by name or path (default: all)")
    parser.add_argument("--legacy", type=Path, metavar="OLD.py", help="your Python 2 script")
    parser.add_argument("--modern", type=Path, metavar="NEW.py", help="your Python 3 port of it")
    parser.add_argument(
        "--python2", metavar="PATH", help=f"Python 2 for the legacy side (default: ${LEGACY_PYTHON_VARIABLE}, or found)"
    )
    parser.add_argument("--python3", metavar="PATH", help="Python 3 for the modern side (default: this one)")
    parser.add_argument(
        "--start-methods", default=",".join(START_METHODS), metavar="M,M", help="default: fork,spawn,forkserver"
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help=f"seconds for each run (default 30, or ${TIMEOUT_VARIABLE})"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="runs at once (default: the cores)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every comparison to FILE, as JSON")
    own = parser.add_argument_group("your own scripts (arguments for both programs go after --)")
    own.add_argument("--stdin", type=Path, metavar="FILE", help="give both programs FILE as standard input")
    own.add_argument("--vary", action="append", default=[], metavar="REGEX", help="text that may differ (repeatable)")
    own.add_argument(
        "--unordered", action="append", default=[], metavar="REGEX", help="lines that may come in any order"
    )
    argv = sys.argv[1:] if argv is None else argv
    program_arguments = argv[argv.index("--") + 1 :] if "--" in argv else []
    arguments = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    arguments.program_arguments = program_arguments
    for pattern in arguments.vary + arguments.unordered:
        try:
            re.compile(pattern)
        except re.error as exc:
            parser.error(f"not a regular expression: {pattern!r} ({exc})")
    return arguments


def start_methods(given: str) -> list[str]:
    methods = list(dict.fromkeys(method.strip() for method in given.split(",") if method.strip()))
    if not methods:
        raise ToolError(f"no start method given; choose from {', '.join(START_METHODS)}")
    unknown = [method for method in methods if method not in START_METHODS]
    if unknown:
        raise ToolError(f"unknown start method: {', '.join(unknown)}; choose from {', '.join(START_METHODS)}")
    return methods


def existing_script(path: Path) -> Path:
    if not path.exists():
        raise ToolError(f"no such file: {path}")
    if not path.is_file():
        raise ToolError(f"not a file: {path}")
    return path.resolve()


def compare_own_scripts(arguments: argparse.Namespace, methods: list[str], options: Options) -> int:
    if arguments.names:
        raise ToolError("give either pair names or --legacy/--modern, not both")
    if arguments.legacy is None:
        raise ToolError(
            "--modern needs --legacy, the Python 2 script it ports (--legacy alone compares that with 2to3's port)"
        )
    if arguments.modern is None:
        return compare_with_mechanical_port(arguments, methods, options)
    legacy_path, modern_path = existing_script(arguments.legacy), existing_script(arguments.modern)
    python3 = check_python3(arguments.python3, OLDEST_FOR_OWN_SCRIPTS, "start methods need")
    python2 = find_python2(arguments.python2)
    if python2 is None:
        raise ToolError(f"no Python 2.7 found for {legacy_path}: {HOW_TO_GIVE_PYTHON2}")
    check_own_scripts(python2, python3, legacy_path, modern_path)
    legacy_side = Side(legacy_path, python2, None, f"{display(legacy_path)} on {python2.label}")
    sides = modern_sides(modern_path, python3, methods)
    legacy, outcomes = compare_own(legacy_side, sides, own_run(arguments), options)
    return report_one(legacy_path, modern_path, [text for text, _ in legacy.entries], legacy.label, outcomes)


def own_run(arguments: argparse.Namespace) -> OwnRun:
    return OwnRun(
        Path.cwd(),
        tuple(arguments.program_arguments),
        existing_script(arguments.stdin) if arguments.stdin else None,
        Declared(tuple(arguments.vary), tuple(arguments.unordered)),
    )


def check_own_scripts(python2: Interpreter, python3: Interpreter, legacy: Path, modern: Path) -> None:
    """Each script valid for its Python; a hint when they look swapped, a note when the legacy one is Python 3 too."""
    legacy_errors, modern_errors = syntax_errors(python2, [legacy]), syntax_errors(python3, [modern])
    if legacy_errors or modern_errors:
        swapped = not syntax_errors(python2, [modern]) and not syntax_errors(python3, [legacy])
        hint = "; are --legacy and --modern swapped?" if swapped else ""
        python, errors = (python2, legacy_errors) if legacy_errors else (python3, modern_errors)
        raise ToolError(f"not valid {python.label}: {errors[0]}{hint}")
    if not syntax_errors(python3, [legacy]) and prints_tuples_on_python2(source_text(legacy)):
        print(
            f"note: {display(legacy)} calls print() with several arguments, which Python 2 prints as a tuple:"
            " is it the Python 3 port rather than the original?",
            file=sys.stderr,
        )


def prints_tuples_on_python2(source: str) -> bool:
    """Whether a script that is valid Python 3 uses print() as only Python 3 code does."""
    if "print_function" in source:
        return False
    tree = ast.parse(source)
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and len(node.args) > 1
        for node in ast.walk(tree)
    )


def report_one_pair_mechanical(
    name: str,
    legacy: Transcribed,
    python2: Interpreter | None,
    python3: Interpreter,
    methods: list[str],
    options: Options,
    results: Results,
) -> int:
    """The one-pair view's mechanical port, or one line saying why it was not made."""
    missing = converter_problem()
    if missing:
        print(f"\n{MECHANICAL}, the mechanical port: not run: {missing}")
        return 0
    result = compare_pair_mechanical(name, legacy, python3, methods, options)
    results.add_mechanical(name, legacy, python2, result)
    return report_pair_mechanical(result)


def compare_with_mechanical_port(arguments: argparse.Namespace, methods: list[str], options: Options) -> int:
    """`--legacy OLD.py` alone: OLD.py on Python 2.7 against its mechanical port on this Python,
    judged as any port of your own is."""
    legacy_path = existing_script(arguments.legacy)
    python3 = check_python3(arguments.python3, OLDEST_FOR_OWN_SCRIPTS, "start methods need")
    mechanical_port(read_source(legacy_path, display(legacy_path)), display(legacy_path))  # bad input first
    python2 = find_python2(arguments.python2)
    if python2 is None:
        raise ToolError(f"no Python 2.7 found for {legacy_path}: {HOW_TO_GIVE_PYTHON2}")
    check_scripts(python2, [legacy_path])
    legacy_side = Side(legacy_path, python2, None, f"{display(legacy_path)} on {python2.label}")
    with tempfile.TemporaryDirectory(prefix="portcheck-2to3-") as scratch:
        port = write_mechanical_port(legacy_path, Path(scratch), display(legacy_path))
        label = f"{MECHANICAL} of {display(legacy_path)} on {python3.label} under"
        sides = [Side(port, python3, method, f"{label} {method}") for method in methods]
        legacy, outcomes = compare_own(legacy_side, sides, own_run(arguments), options)
        lines = [text for text, _ in legacy.entries]
        return report_one(legacy_path, port, lines, legacy.label, outcomes, f"{MECHANICAL} of {display(legacy_path)}")


def compare_pairs(arguments: argparse.Namespace, methods: list[str], options: Options) -> int:
    if not (ROOT / "legacy").is_dir():
        raise ToolError(f"the pairs are not here ({ROOT / 'legacy'}): compare them from a clone of the repository")
    names = [pair_name(given) for given in arguments.names] or pair_names()
    python3 = check_python3(arguments.python3, OLDEST_PYTHON, "modern/ needs")
    python2 = find_python2(arguments.python2)
    results = Results()
    if len(names) == 1:
        name = names[0]
        legacy, outcomes = compare_pair(name, python2, python3, methods, options)
        results.add(name, legacy, python2, outcomes)
        status = report_one(legacy_script(name), modern_script(name), legacy.lines, legacy.label, outcomes)
        status = max(status, report_one_pair_mechanical(name, legacy, python2, python3, methods, options, results))
    else:
        status = report_all(names, python2, python3, methods, options, results)
    if arguments.json:
        results.write(arguments.json)
    return status


def main(argv: list[str] | None = None) -> int:
    show_undecodable_bytes_escaped()
    let_programs_see_ctrl_c()
    arguments = parse(argv)
    try:
        methods = start_methods(arguments.start_methods)
        own_scripts = arguments.legacy is not None or arguments.modern is not None
        timeout = run_timeout() if arguments.timeout is None else checked_timeout(arguments.timeout, "the timeout")
        if arguments.jobs < 1:
            raise ToolError(f"--jobs must be 1 or more, not {arguments.jobs}")
        # your own scripts run where you are, as `python old.py` would; the pairs from the project's root
        options = Options(timeout, arguments.jobs, Path.cwd() if own_scripts else ROOT)
        if own_scripts:
            return compare_own_scripts(arguments, methods, options)
        return compare_pairs(arguments, methods, options)
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        kill_launched_programs()
        print("error: interrupted; every program it had started was killed", file=sys.stderr)
        return 130


def stop_as_on_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def console_main() -> NoReturn:
    """The installed `portcheck` command, and `python3 -m portcheck`."""
    # the programs run in sessions of their own: a compare that is simply killed would leave them running
    signal.signal(signal.SIGTERM, stop_as_on_ctrl_c)
    sys.exit(main())
