"""Run both sides of a comparison and compare what they did: a pair's, or anyone's two scripts.

The legacy side runs once, on Python 2.7, or comes from its recording where there is no Python
2.7. The modern side runs once per start method, several runs at once; so does the mechanical
port (the legacy program as 2to3 converts it), compared with the same legacy transcript.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from portcheck import ToolError
from portcheck.equivalence import Declared, Judgement, judge, noise_of
from portcheck.interpreters import Interpreter
from portcheck.mechanical import read_source, write_mechanical_port
from portcheck.pairs import PAIRS, ROOT, legacy_script, modern_script, read_recording
from portcheck.running import Interrupt, Run, run_program, stopped_cleanly_on_interrupt, telling_line
from portcheck.scratch import Scratch
from portcheck.transcript import GENERIC, Comparison, Entry, Rules, Verdict, entries, transcript

LIVE = "run live on Python 2.7"
NOISE_RUNS = 2  # more runs of a legacy script, to tell its noise from a port's difference
RECORDED = "recorded on Python 2.7"


@dataclass(frozen=True)
class Options:
    timeout: float
    jobs: int
    cwd: Path = ROOT  # where the programs run


@dataclass(frozen=True)
class Side:
    """One program on one interpreter: what runs, and how to describe it."""

    script: Path
    python: Interpreter
    start_method: str | None
    label: str


@dataclass(frozen=True)
class Transcribed:
    """What one side did, normalised, and one line saying how it crashed if it did."""

    label: str
    lines: list[str]
    crash: str | None = None
    source: str = LIVE  # for a legacy side: run live, or its recording


@dataclass(frozen=True)
class Outcome:
    """A modern side compared with the legacy one, or why it was not compared."""

    side: Side
    comparison: Comparison | None
    crashes: tuple[str, ...] = ()
    note: str = ""  # why the side does not apply
    judgement: Judgement | None = None  # for your own scripts: the verdict, and what was relaxed

    @property
    def verdict(self) -> Verdict:
        if self.judgement:
            return self.judgement.verdict
        return self.comparison.verdict if self.comparison else Verdict.NOT_APPLICABLE


def display(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def transcribe(side: Side, rules: Rules, options: Options, interrupt: Interrupt | None = None) -> Transcribed:
    """Run one side. A crash is behaviour, compared like any other, and so is a port that hangs;
    a legacy program that hangs is an error, since there is nothing to compare with."""
    run = run_program(side.script, side.python.executable, side.start_method, options.timeout, options.cwd, interrupt)
    refuse_a_legacy_hang(side, run)
    return Transcribed(side.label, transcript(run, rules), crash_of(side, run))


def refuse_a_legacy_hang(side: Side, run: Run) -> None:
    """A legacy program that hangs leaves nothing to compare with: an error, where a port's hang is behaviour."""
    if run.timed_out and side.start_method is None:
        raise ToolError(
            f"{side.label} hung: killed with all its processes after its {run.timeout:g} s timeout"
            f" (it printed {len(run.stdout.splitlines())} line(s) first)"
        )


def crashes_behind(verdict: Verdict, *crashes: str | None) -> tuple[str, ...]:
    """The crashes that explain a difference, said in one line each on stderr."""
    return tuple(crash for crash in crashes if crash) if verdict is Verdict.DIFFERENT else ()


def legacy_transcript(name: str, python2: Interpreter | None, options: Options) -> Transcribed:
    """A pair's legacy transcript: run live when there is a Python 2.7, else its recording."""
    if python2 is None:
        return Transcribed(f"legacy/{name}.py, {RECORDED}", read_recording(name), source=RECORDED)
    pair = PAIRS[name]
    side = Side(legacy_script(name), python2, None, f"legacy/{name}.py on Python 2.7")
    return transcribe(side, pair.rules, options, pair.interrupt)


def modern_sides(script: Path, python3: Interpreter, methods: list[str]) -> list[Side]:
    return [Side(script, python3, method, f"{display(script)} on {python3.label} under {method}") for method in methods]


def compare_sides(
    legacy: Transcribed,
    sides: list[Side],
    rules: Rules,
    options: Options,
    interrupt: Interrupt | None = None,
) -> list[Outcome]:
    """Run every modern side (several at once) and compare each with the legacy transcript."""

    def one(side: Side) -> Outcome:
        modern = transcribe(side, rules, options, interrupt)
        comparison = Comparison(legacy.label, modern.label, legacy.lines, modern.lines, rules.differences)
        return Outcome(side, comparison, crashes_behind(comparison.verdict, legacy.crash, modern.crash))

    with ThreadPoolExecutor(max_workers=options.jobs) as pool, stopped_cleanly_on_interrupt():
        return list(pool.map(one, sides))


def compare_pair(
    name: str, python2: Interpreter | None, python3: Interpreter, methods: list[str], options: Options
) -> tuple[Transcribed, list[Outcome]]:
    """A pair's legacy transcript, and its modern program compared with it under each start method.

    A start method or a Python where the modern program does not apply gets an outcome that says
    so, with the pair's reason: never a silent skip.
    """
    pair = PAIRS[name]
    legacy = legacy_transcript(name, python2, options)
    sides = modern_sides(modern_script(name), python3, methods)
    applicable = [side for side in sides if pair.applies(python3.minor, side.start_method or "")]
    compared = iter(compare_sides(legacy, applicable, pair.rules, options, pair.interrupt))
    return legacy, [
        next(compared) if side in applicable else Outcome(side, None, note=pair.not_applicable) for side in sides
    ]


def overall(outcomes: list[Outcome]) -> Verdict:
    verdicts = {outcome.verdict for outcome in outcomes}
    for verdict in (Verdict.DIFFERENT, Verdict.DECLARED, Verdict.EQUIVALENT, Verdict.IDENTICAL):
        if verdict in verdicts:
            return verdict
    return Verdict.NOT_APPLICABLE


@dataclass(frozen=True)
class OwnRun:
    """How your own scripts are run: from a copy of `directory`, with these arguments and input."""

    directory: Path
    arguments: tuple[str, ...] = ()
    stdin: Path | None = None
    declared: Declared = field(default_factory=Declared)


@dataclass(frozen=True)
class Observed:
    """What one of your own scripts did, each line with its owner, and how it crashed if it did."""

    label: str
    entries: list[Entry]
    crash: str | None = None


def observe(side: Side, own: OwnRun, options: Options) -> Observed:
    """Run one of your own scripts in a scratch copy; a modern hang is behaviour, a legacy one an error."""
    with Scratch(own.directory, [side.script]) as scratch:
        script = scratch.scripts[0]
        run = run_program(
            script,
            side.python.executable,
            side.start_method,
            options.timeout,
            scratch.directory,
            arguments=own.arguments,
            stdin=own.stdin,
            observed=True,
        )
        refuse_a_legacy_hang(side, run)
        found = entries(run, GENERIC, ((str(scratch.directory), "<dir>"), (script, "<script>")))
        found += [(line, None) for line in scratch.changes()]
    return Observed(side.label, found, crash_of(side, run))


def crash_of(side: Side, run: Run) -> str | None:
    if run.timed_out:
        return f"{side.label} hung: killed after its {run.timeout:g} s timeout"
    if run.exit_code is not None and run.exit_code < 0:
        return f"{side.label} was killed by signal {-run.exit_code}"
    if run.exit_code != 0 and "Traceback (most recent call last)" in run.stderr:
        return f"{side.label} crashed with exit code {run.exit_code}: {telling_line(run.stderr)}"
    return None


def compare_own(legacy_side: Side, sides: list[Side], own: OwnRun, options: Options) -> tuple[Observed, list[Outcome]]:
    """Your legacy script once, your port under each start method, judged; the legacy again only if needed.

    The legacy program runs NOISE_RUNS more times only when a port's transcript still differs
    after the relaxations that need no reruns, so that the usual case costs one run per side.
    """
    with ThreadPoolExecutor(max_workers=options.jobs) as pool, stopped_cleanly_on_interrupt():
        legacy = observe(legacy_side, own, options)
        modern = list(pool.map(lambda side: observe(side, own, options), sides))
        judgements = [judge(legacy.entries, one.entries, own.declared) for one in modern]
        if any(judgement.verdict is Verdict.DIFFERENT for judgement in judgements):
            reruns = list(pool.map(lambda _: observe(legacy_side, own, options), range(NOISE_RUNS)))
            noise = noise_of([legacy.entries] + [rerun.entries for rerun in reruns])
            judgements = [
                judge(legacy.entries, one.entries, own.declared, noise)
                if judgement.verdict is Verdict.DIFFERENT
                else judgement
                for one, judgement in zip(modern, judgements)
            ]
    outcomes = []
    for side, one, judgement in zip(sides, modern, judgements):
        comparison = Comparison(legacy.label, one.label, judgement.legacy, judgement.modern)
        crashes = crashes_behind(judgement.verdict, legacy.crash, one.crash)
        outcomes.append(Outcome(side, comparison, crashes, judgement=judgement))
    return legacy, outcomes


# The mechanical port: the legacy program as 2to3 converts it, made at run time in a scratch directory.

MECHANICAL = "2to3"  # how reports name the mechanical port


@dataclass(frozen=True)
class MechanicalOutcome:
    """The mechanical port under one start method compared with the legacy program, against what is expected."""

    outcome: Outcome
    expected: Verdict
    why: str = ""  # why the expected verdict is not the modern program's

    @property
    def verdict(self) -> Verdict:
        return self.outcome.verdict

    @property
    def as_expected(self) -> bool:
        return self.outcome.verdict is self.expected


@dataclass(frozen=True)
class MechanicalResult:
    """A mechanical port's source and its outcomes, one per start method."""

    legacy_script: Path
    port: str
    outcomes: list[MechanicalOutcome]

    @property
    def unexpected(self) -> list[MechanicalOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.as_expected]


def mechanical_sides(legacy_path: Path, port: Path, python3: Interpreter, methods: list[str]) -> list[Side]:
    label = f"{MECHANICAL} of {display(legacy_path)}"
    return [Side(port, python3, method, f"{label} on {python3.label} under {method}") for method in methods]


def compare_mechanical_port(
    legacy_path: Path,
    legacy: Transcribed,
    python3: Interpreter,
    methods: list[str],
    options: Options,
    rules: Rules,
    interrupt: Interrupt | None = None,
    expected: Callable[[str], tuple[Verdict, str]] = lambda method: (Verdict.IDENTICAL, ""),
) -> MechanicalResult:
    """Convert `legacy_path`, run its port under each start method, compare each run with `legacy`.

    The port lives in a scratch directory for the runs only. A source the converter cannot parse
    is a ConversionError (a ToolError); so is a missing converter (MissingConverterError).
    """
    with tempfile.TemporaryDirectory(prefix="portcheck-2to3-") as scratch:
        port = write_mechanical_port(legacy_path, Path(scratch), display(legacy_path))
        source = read_source(port, display(legacy_path))
        sides = mechanical_sides(legacy_path, port, python3, methods)
        outcomes = compare_sides(legacy, sides, rules, options, interrupt)
    return MechanicalResult(
        legacy_path,
        source,
        [MechanicalOutcome(outcome, *expected(outcome.side.start_method or "")) for outcome in outcomes],
    )


def compare_pair_mechanical(
    name: str, legacy: Transcribed, python3: Interpreter, methods: list[str], options: Options
) -> MechanicalResult:
    """A pair's mechanical port compared with its legacy transcript, each verdict against the pair's data."""
    pair = PAIRS[name]
    return compare_mechanical_port(
        legacy_script(name), legacy, python3, methods, options, pair.rules, pair.interrupt, pair.expected_mechanical
    )
