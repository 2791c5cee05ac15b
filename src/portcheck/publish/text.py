"""The results as text: a row per program and a summary line, or one comparison shown whole.

The one-comparison view shows the two programs (side by side on a terminal wide enough, else as
a diff), the legacy transcript (traceback frames shown but marked as not compared), then each
verdict with what was declared and relaxed and the diff of what the programs really printed,
then its diagnoses (diagnose/), one line each;
start methods that end the same way are shown once. Crashes behind a difference, and results
nobody expected, are said on stderr, one line each.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import shutil
import sys
import threading
import time
import tokenize
from collections import Counter
from pathlib import Path
from typing import Iterator

from portcheck.mechanical import FISSIX_VERSION, mechanical_port, read_source
from portcheck.model import Plan, Port, Result, Task, ToolError, Verdict, worst
from portcheck.normalise import status_line

MECHANICAL = "2to3"  # how reports name the mechanical port
COLOURS = {
    Verdict.IDENTICAL: "32",
    Verdict.EQUIVALENT: "32",
    Verdict.DECLARED: "33",
    Verdict.DIFFERENT: "31",
    Verdict.ERROR: "31",
}
CELL = {
    Verdict.DECLARED: "declared",
    Verdict.DIFFERENT: "DIFFERENT",
    Verdict.NOT_APPLICABLE: "n/a",
    Verdict.ERROR: "ERROR",
}
NOT_RUN = "not run"  # the legacy column of a program whose legacy side did not run (missing, skipped, an error)
SHORT = {Verdict.DECLARED: "declared", Verdict.NOT_APPLICABLE: "n/a"}
VERDICT_WIDTH = len(str(Verdict.DECLARED))
SIDE_BY_SIDE_WIDTH = 140  # columns from which the two programs are shown side by side, aligned by function
MOST_RELAXED_SHOWN = 12  # lines an equivalent verdict shows of those its relaxations accepted


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
        colour = {"+": "32", "-": "31", "@": "36", "~": "33"}.get(line[:1])
        return f"\033[{colour}m{line}\033[0m" if colour else line


def found_and_expected(result: Result) -> str:
    """What a mechanical port did against what its data expects, the diagnoses too where the data names them."""
    if result.verdict is result.expected and result.expected_diagnoses:
        return (
            f"{result.verdict} for {', '.join(result.diagnosed)}, but its data expects it"
            f" for {', '.join(result.expected_diagnoses)}"
        )
    return f"{result.verdict}, but its data expects {result.expected}"


def say_problems(results: list[Result]) -> None:
    """One line on stderr per result that fails the run: its crashes, an unexpected mechanical verdict, an error."""
    problems: dict[str, None] = {}  # each line once, in order
    for result in results:
        if not result.fails:
            continue
        if result.verdict is Verdict.ERROR:
            problems[f"error: {result.note}"] = None
            continue
        if result.expected is not None and not result.as_expected and result.modern:
            problems[f"error: {result.modern.label}: {found_and_expected(result)}"] = None
        for crash in result.crashes:
            problems[f"error: {crash}"] = None
    for line in problems:
        print(line, file=sys.stderr)


class Table:
    """A code base's report: a row per program as its results come, then the summary line."""

    def __init__(
        self,
        names: list[str],
        start_methods: tuple[str, ...],
        python: str,
        mechanical_note: str = "",
        quiet: bool = False,
        not_isolated: str = "",
        stale: tuple[str, ...] = (),
    ) -> None:
        self.not_isolated = not_isolated
        self.stale = stale  # the programs whose recordings are out of date
        self.start_methods = start_methods
        self.python = python
        self.mechanical_note = mechanical_note
        self.quiet = quiet
        self.style = Style()
        self.width = max([len(name) for name in names] + [len("program")])
        if not quiet:
            methods = "  ".join(f"{method:<10}" for method in start_methods)
            print(
                f"{'program':<{self.width}}  {'legacy 2.7':<10}  {methods}  {'verdict':<{VERDICT_WIDTH}}  {MECHANICAL}"
            )

    @classmethod
    def of(cls, plan: Plan, quiet: bool = False) -> Table:
        names = [task.name for task in plan.tasks]
        return cls(
            names, plan.start_methods, plan.python3.release, plan.mechanical_note, quiet, plan.not_isolated, plan.stale
        )

    def row(self, name: str, results: list[Result]) -> None:
        modern = [result for result in results if result.kind is Port.MODERN]
        mechanical = [result for result in results if result.kind is Port.MECHANICAL]
        if not self.quiet:
            # "live" only where Python 2 ran: nothing to run (missing, skipped), or an error that stopped it
            errors = any(result.verdict is Verdict.ERROR for result in results)
            legacy = next((result.legacy.source for result in results if result.legacy), "-" if errors else NOT_RUN)
            cells = "  ".join(self.style.verdict(CELL.get(r.verdict, str(r.verdict)), r.verdict, 10) for r in modern)
            notes = {result.note for result in modern if result.modern is None and result.note}
            alike = all(result.modern is None and result.verdict is not Verdict.ERROR for result in modern)
            if len(notes) == 1 and alike:
                said = notes.pop()  # missing, skipped, or an error: one sentence in place of the cells
                cells = f"{said:<{12 * len(self.start_methods) - 2}}"
            verdict = worst([result.verdict for result in modern])
            shown = self.style.verdict(str(verdict), verdict, VERDICT_WIDTH)
            print(
                f"{name:<{self.width}}  {legacy:<10}  {cells}  {shown}  {self.mechanical_cell(mechanical)}", flush=True
            )
        elif any(result.fails for result in results):
            print(f"{name}: {worst([result.verdict for result in results if result.fails])}")
        for said in dict.fromkeys(d.said() for r in modern if r.verdict is Verdict.DIFFERENT for d in r.diagnoses):
            print(f"  {said}")  # why the port differs, under its row: what `portcheck NAME` shows in full
        say_problems(results)

    def mechanical_cell(self, results: list[Result]) -> str:
        """A program's 2to3 cell: the verdict where it is the port's, then each start method where it is not."""
        if not results:
            return f"not run: {self.mechanical_note}" if self.mechanical_note else "not run"
        if any(result.verdict is Verdict.ERROR for result in results):
            return self.style.verdict("ERROR", Verdict.ERROR)
        plain = [result.verdict for result in results if result.as_expected and not result.expected_why]
        verdict = worst(plain)  # the one that speaks for the start methods where it is the port's
        parts = [SHORT.get(verdict, str(verdict))] if plain else []
        for result in results:
            if result.as_expected and not result.expected_why:
                continue
            said = f"{result.start_method}: {SHORT.get(result.verdict, str(result.verdict))}"
            expected = SHORT.get(result.expected, str(result.expected)) if result.expected else ""
            parts.append(f"{said} (expected)" if result.as_expected else f"{said}, UNEXPECTED ({expected} expected)")
        codes = Counter(finding.split(": ")[1].split()[0] for finding in results[0].findings)
        lint = f" [lint: {', '.join(f'{code} x{n}' if n > 1 else code for code, n in sorted(codes.items()))}]"
        if not all(result.as_expected for result in results):
            return self.style.verdict("; ".join(parts), Verdict.DIFFERENT) + (lint if codes else "")
        identical = all(result.verdict is Verdict.IDENTICAL for result in results)
        shown = self.style.verdict("; ".join(parts), Verdict.IDENTICAL if identical else Verdict.DECLARED)
        return shown + (lint if codes else "")

    def summary(self, results: list[Result], seconds: float | None = None) -> None:
        modern = [result for result in results if result.kind is Port.MODERN]
        by_task: dict[str, list[Verdict]] = {}
        for result in modern:
            by_task.setdefault(result.name, []).append(result.verdict)
        counts = dict.fromkeys(Verdict, 0)
        for verdicts in by_task.values():
            counts[worst(verdicts)] += 1
        parts = [
            f"{counts[Verdict.IDENTICAL]} identical",
            f"{counts[Verdict.EQUIVALENT]} equivalent" if counts[Verdict.EQUIVALENT] else "",
            f"{counts[Verdict.DECLARED]} with declared differences",
            f"{counts[Verdict.DIFFERENT]} different",
            f"{counts[Verdict.NOT_APPLICABLE]} not applicable" if counts[Verdict.NOT_APPLICABLE] else "",
            f"{counts[Verdict.ERROR]} with an error" if counts[Verdict.ERROR] else "",
        ]
        mechanical = [result for result in results if result.kind is Port.MECHANICAL]
        if mechanical:
            column = f"{MECHANICAL} ports: {mechanical_summary(mechanical)}"
        else:
            column = f"{MECHANICAL} column not run: {self.mechanical_note or 'no mechanical port asked for'}"
        source = next((result.legacy.source for result in results if result.legacy), NOT_RUN)
        against = {
            "live": "run live on Python 2.7",
            "cached": "run live on Python 2.7 (once, for every Python)",
            "recorded": "from the recordings (no Python 2.7 here)",
            NOT_RUN: "not run",
        }[source]
        if self.stale:
            against = against[:-1] + f"; {len(self.stale)} stale: {', '.join(self.stale)})"
        print(
            f"{len(by_task)} programs on Python {self.python} ({len(modern)} comparisons), legacy {against}: "
            f"{', '.join(part for part in parts if part)}; {column}"
            + (f"; {not_isolated(self.not_isolated)}" if self.not_isolated else "")
            + (f" ({seconds:.1f} s)" if seconds is not None else "")
        )


def clipped(text: str, most: int = 500) -> str:
    """A line as a reader can take it in: a line of a megabyte (a program printing with no newline) is
    shown by its start and its length; the JSON holds it whole."""
    return text if len(text) <= most else f"{text[:most]}... ({len(text) - most} more characters)"


def not_isolated(why: str) -> str:
    return f"runs not isolated ({why}): each in a copy of its directory, absolute paths reach this machine"


class Progress:
    """Programs done, out of how many, and how many fail so far: one line on stderr, on a terminal only."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.finished = self.failing = 0
        self.shown = sys.stderr.isatty() and total > 1
        self.lock = threading.Lock()

    def done(self, results: list[Result]) -> None:
        with self.lock:
            self.finished += 1
            self.failing += any(result.fails for result in results)
            self.show()

    def show(self) -> None:
        if self.shown and self.finished:
            print(
                f"\r{self.finished}/{self.total} programs compared, {self.failing} failing",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def clear(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def cleared(self) -> Iterator[None]:
        """The progress line taken away while a row is printed where it stood, then shown again below it."""
        with self.lock:
            self.clear()
            yield
            sys.stdout.flush()
            self.show()


class Live:
    """A run's report as its results come: a code base's table, a row per program in order as each is
    done (and a progress line meanwhile), then the summary; one comparison, shown whole at the end."""

    def __init__(self, plan: Plan, started: float, quiet: bool = False) -> None:
        self.plan = plan
        self.started = started
        self.quiet = quiet
        self.table = Table.of(plan, quiet) if plan.code_base else None
        self.progress = Progress(len(plan.tasks))  # one comparison shows none

    def row(self, task: Task, results: list[Result]) -> None:
        if self.table is not None:
            with self.progress.cleared():
                self.table.row(task.name, results)

    def close(self, results: list[Result]) -> None:
        self.progress.clear()
        if self.table is not None:
            self.table.summary(results, time.monotonic() - self.started)
        else:
            one(self.plan, self.plan.tasks[0], results, self.quiet)


def report_of(results: list[Result]) -> None:
    """The table of results read back (merged shards, say): a table per Python, in the order of the names."""
    for python in sorted({result.python for result in results}):
        mine = [result for result in results if result.python == python]
        names = list(dict.fromkeys(sorted(result.name for result in mine)))
        methods = tuple(dict.fromkeys(result.start_method for result in mine if result.kind is Port.MODERN))
        table = Table(names, methods, python)
        for name in names:
            table.row(name, [result for result in mine if result.name == name])
        table.summary(mine)


def mechanical_summary(results: list[Result]) -> str:
    """The 2to3 column in a few words: against its data where a program's port is expected to do something,
    else by verdict (a code base's column only informs)."""
    by_program: dict[str, list[Result]] = {}
    for result in results:
        by_program.setdefault(result.name, []).append(result)
    binding = {name: mine for name, mine in by_program.items() if any(result.binds for result in mine)}
    parts = []
    if binding:
        errors = [any(result.verdict is Verdict.ERROR for result in mine) for mine in binding.values()]
        broken = sum(errors)
        wrong = sum(
            1 for mine, error in zip(binding.values(), errors) if not error and not all(r.as_expected for r in mine)
        )
        parts.append(f"{len(binding) - wrong - broken} as expected, {wrong} unexpected")
        parts += [f"{broken} with an error"] if broken else []
    informing = Counter(
        str(worst([result.verdict for result in mine])) for name, mine in by_program.items() if name not in binding
    )
    if informing:
        parts.append(", ".join(f"{count} {verdict}" for verdict, count in sorted(informing.items())))
    return "; ".join(parts)


def source_text(path: Path) -> str:
    """A script's text, decoded as Python decodes it: by its coding cookie, else UTF-8."""
    data = path.read_bytes()
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        return data.decode(encoding, "replace")
    except (SyntaxError, LookupError):  # an unknown or conflicting cookie
        return data.decode("utf-8", "replace")


def show_sources(legacy: Path, modern: Path | str, legacy_name: str, modern_name: str, style: Style) -> None:
    """The two programs: side by side on a terminal wide enough, else as a unified diff."""
    legacy_text = source_text(legacy)
    modern_text = modern if isinstance(modern, str) else source_text(modern)
    width = shutil.get_terminal_size((0, 0)).columns if sys.stdout.isatty() else 0
    if width >= SIDE_BY_SIDE_WIDTH:
        from portcheck import side_by_side  # here: only a terminal this wide shows it, and it is a fifth of a start

        try:
            print(side_by_side.render_text(legacy_text, modern_text, width, color=style.enabled))
            return
        except SyntaxError:  # a Python 2 source the aligner cannot read: the diff still shows it
            pass
    lines = difflib.unified_diff(
        legacy_text.splitlines(), modern_text.splitlines(), fromfile=legacy_name, tofile=modern_name, lineterm=""
    )
    print("\n".join(style.diff_line(line) for line in lines))


def details(result: Result) -> list[str]:
    """What a result says beyond its verdict: declarations, relaxations, the diff, the hint."""
    if result.modern is None:
        return [result.note]
    lines = []
    for declaration in result.declared:
        state = f"applied to {declaration.lines} line(s)" if declaration.lines else "STALE: matched nothing"
        lines.append(f"declared: {declaration.said} ({state}): {declaration.why}")
    lines += [f"relaxed: {relaxation.reason} ({relaxation.lines} line(s))" for relaxation in result.relaxed]
    # an equivalent verdict shows the lines its relaxations accepted: the first few here, every one in --json
    shown = result.diff[:MOST_RELAXED_SHOWN] if result.verdict is Verdict.EQUIVALENT else result.diff
    for line in shown:
        note = f"   [{line.note}]" if line.note else ""
        lines.append(f"{line.mark}{clipped(line.text)}{note}" if line.mark != "@" else line.text)
    if len(shown) < len(result.diff):
        lines.append(f"~ ... and {len(result.diff) - len(shown)} more line(s) accepted alike (--json holds every one)")
    if result.hint:
        lines.append(result.hint)
    lines += [f"runs: {said}" for said in result.evidence]
    lines += [diagnosis.said() for diagnosis in result.diagnoses]
    return lines


def show_results(results: list[Result], label_of: str, style: Style) -> None:
    """Each verdict with its details; start methods whose results say the same are shown once."""
    groups: dict[tuple, list[Result]] = {}
    for result in results:
        groups.setdefault((result.verdict, result.expected, tuple(details(result))), []).append(result)
    for (verdict, expected, lines), members in groups.items():
        methods = ", ".join(member.start_method for member in members)
        said = style.verdict(str(verdict), verdict)
        first = members[0]
        if expected is not None:
            why = f": {first.expected_why}" if first.expected_why else ""
            said += (
                f" (as expected{why})"
                if first.as_expected
                else style.verdict(f", UNEXPECTED: {found_and_expected(first)}", Verdict.DIFFERENT)
            )
        python = ".".join(first.python.split(".")[:2])
        print(f"\n{label_of} on Python {python} under {methods}: {said}")
        if verdict is Verdict.DIFFERENT and first.diff:
            legacy = first.legacy.label if first.legacy else "legacy"
            accepted = "; ~ a line a relaxation accepted" if any(line.mark == "~" for line in first.diff) else ""
            print(f"  (- {legacy}, + {label_of}{accepted})")
        for line in lines:
            print(f"  {style.diff_line(line)}")


def one(plan: Plan, task: Task, results: list[Result], quiet: bool = False) -> None:
    """One comparison, whole; `quiet`: without the two programs and the original's transcript, which the
    reader has seen (the verdicts, and each difference with its cause, are what is left)."""
    style = Style()
    legacy_path, modern_path = task.sources
    legacy_name = task.legacy.shown if task.legacy else task.name
    modern = [result for result in results if result.kind is Port.MODERN]
    mechanical = [result for result in results if result.kind is Port.MECHANICAL]
    if legacy_path and modern_path and not quiet:
        modern_name = task.modern[0].shown if task.modern else str(modern_path)
        show_sources(legacy_path, modern_path, legacy_name, modern_name, style)
    observation = next((result.legacy for result in results if result.legacy), None)
    if observation is not None and not quiet:
        print(f"\ntranscript of {observation.label}{' (recorded)' if observation.source == 'recorded' else ''}:")
        print(f"  {status_line(observation)}")
        for line in observation.lines:
            print(f"  {clipped(line.shown)}")
        if observation.leftovers:
            print(f"  leftover processes killed: {observation.leftovers}")
    if modern:
        show_results(modern, task.modern[0].shown if task.modern else modern_path, style)
        verdict = worst([result.verdict for result in modern])
        print(f"\nverdict: {style.verdict(str(verdict), verdict)}")
    if mechanical:
        name = f"{MECHANICAL} of {legacy_name}"
        print(f"\n{MECHANICAL}, the mechanical port:")
        if legacy_path and not quiet:
            try:
                port = mechanical_port(read_source(legacy_path, legacy_name), legacy_name, legacy_path)
                show_sources(
                    legacy_path, port, legacy_name, f"{name} (fissix {FISSIX_VERSION}, made for this run)", style
                )
            except ToolError:
                pass
        show_results(mechanical, name, style)
        if mechanical[0].findings:
            print("\nwhat portcheck lint finds in the port (docs/lint.md):")
            for finding in mechanical[0].findings:
                print(f"  {finding}")
        if any(result.expected is not None for result in mechanical):
            unexpected = sum(1 for result in mechanical if not result.as_expected)
            said = f"{unexpected} unexpected" if unexpected else "as expected"
            print(
                f"\n{MECHANICAL} verdict: {style.verdict(said, Verdict.DIFFERENT if unexpected else Verdict.IDENTICAL)}"
            )
        else:
            verdict = worst([result.verdict for result in mechanical])
            print(f"\nverdict: {style.verdict(str(verdict), verdict)}")
    elif plan.mechanical_note:
        print(f"\n{MECHANICAL}, the mechanical port: not run: {plan.mechanical_note}")
    if plan.not_isolated:
        print(f"\n{not_isolated(plan.not_isolated)}")
    say_problems(results)
