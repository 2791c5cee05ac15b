"""Turn a run into a transcript that runs on different interpreters can be compared by.

A transcript is the program's exit code, its stdout lines, its stderr lines and any processes
it left running, with exactly this normalisation and nothing else:

1. Order the program leaves open. A pair may declare `concurrent` patterns, one per stream of
   lines that some process prints without synchronising with the others. Within a run of
   consecutive stdout lines that each match one of them, lines are grouped by stream (the
   pattern that matches first, then what its groups capture), each stream keeping its order.
   Order between streams is free; order within a stream, and around the run, is checked.
2. Process ids: a number right after "pid", "ppid", "process id" or "parent process". The
   program's own pid becomes <main pid>, its parent's (the harness's) <launcher pid>, any other
   <pid 1>, <pid 2>, ... in order of first appearance. A number without such a label stays as
   it is, even when it equals a pid: a program's "Hello Num: 12" must not depend on its pid.
3. Memory addresses: 0x followed by six or more hex digits becomes 0x<address>.
4. Traceback frames. A traceback keeps its header and its exception line; the indented frame
   lines between go, since their files, line numbers and carets change with the Python, the
   script's layout and the harness's launcher. What was raised, and by which process, stays.

Cross-version differences are not normalisation: a pair declares them, each with its reason,
they are applied to the legacy transcript only, reported, and a declared difference that no
line shows is itself a failure.
"""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass, field

from portcheck.running import Run

PID_AFTER_LABEL = re.compile(r"(?i)(\b(?:pid|ppid|process id|parent process)\b\W{0,3})(\d+)\b")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


@dataclass(frozen=True)
class Difference:
    """A difference between Python 2 and 3 that no faithful program can hide."""

    legacy: str
    modern: str
    why: str


@dataclass(frozen=True)
class Rules:
    """What is specific to one pair: its open order and its declared differences."""

    concurrent: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()


GENERIC = Rules()
CONTEXT = 5  # lines of context around each difference in a long transcript
WHOLE = 100  # transcript lines up to which a difference is shown within the whole transcript


class Verdict(str, enum.Enum):
    """What a comparison found, in the words the reports use."""

    IDENTICAL = "identical"
    DECLARED = "declared differences"
    DIFFERENT = "different"
    NOT_APPLICABLE = "not applicable"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


def order_streams(lines: list[str], patterns: tuple[str, ...]) -> list[str]:
    """Group each run of concurrent lines by stream, keeping every stream's own order."""
    compiled = [re.compile(pattern) for pattern in patterns]

    def stream(line: str) -> tuple[int, tuple[str, ...]] | None:
        for index, pattern in enumerate(compiled):
            match = pattern.search(line)
            if match:
                return index, tuple(group or "" for group in match.groups())
        return None

    ordered: list[str] = []
    run: list[tuple[tuple[int, tuple[str, ...]], str]] = []
    for line in lines:
        key = stream(line)
        if key is None:
            ordered.extend(line for _, line in sorted(run, key=lambda item: item[0]))
            run = []
            ordered.append(line)
        else:
            run.append((key, line))
    ordered.extend(line for _, line in sorted(run, key=lambda item: item[0]))
    return ordered


def name_processes(lines: list[str], main_pid: int, launcher_pid: int) -> list[str]:
    """Replace process ids by the roles of their processes (see the module docstring)."""
    roles = {str(main_pid): "<main pid>", str(launcher_pid): "<launcher pid>"}
    others: dict[str, str] = {}

    def role(match: re.Match) -> str:
        pid = match.group(2)
        name = roles.get(pid) or others.setdefault(pid, f"<pid {len(others) + 1}>")
        return match.group(1) + name

    return [PID_AFTER_LABEL.sub(role, line) for line in lines]


def without_traceback_frames(lines: list[str]) -> list[str]:
    kept = []
    in_traceback = False
    for line in lines:
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
        elif in_traceback and line.startswith((" ", "\t")):
            continue
        else:
            in_traceback = False
        kept.append(line)
    return kept


def transcript(run: Run, rules: Rules = GENERIC) -> list[str]:
    """The normalised transcript of `run`, one string per line."""
    stdout = order_streams(run.stdout.splitlines(), rules.concurrent)
    stderr = without_traceback_frames(run.stderr.splitlines())
    named = name_processes(
        [f"out: {line}" for line in stdout] + [f"err: {line}" for line in stderr], run.pid, run.launcher_pid
    )
    if run.timed_out:
        status = f"exit code: none, killed after its {run.timeout:g} s timeout"
    else:
        status = f"exit code: {run.exit_code}"
    lines = [status] + [ADDRESS.sub("0x<address>", line) for line in named]
    if run.leftovers:
        lines.append(f"leftover processes killed: {run.leftovers}")
    return lines


@dataclass
class Comparison:
    """Two normalised transcripts, the declared differences between them, and the verdict."""

    legacy_label: str
    modern_label: str
    legacy: list[str]
    modern: list[str]
    differences: tuple[Difference, ...] = ()
    applied: list[tuple[Difference, int]] = field(init=False)
    expected: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.expected = list(self.legacy)
        self.applied = []
        for difference in self.differences:
            count = sum(difference.legacy in line for line in self.expected)
            self.expected = [line.replace(difference.legacy, difference.modern) for line in self.expected]
            self.applied.append((difference, count))

    @property
    def stale(self) -> list[Difference]:
        return [difference for difference, count in self.applied if count == 0]

    @property
    def verdict(self) -> Verdict:
        if self.expected != self.modern or self.stale:
            return Verdict.DIFFERENT
        return Verdict.DECLARED if self.differences else Verdict.IDENTICAL

    def declared_lines(self) -> list[str]:
        """One line per declared difference: what it replaces, on how many lines, and why."""
        lines = []
        for difference, count in self.applied:
            state = f"applied to {count} line(s)" if count else "STALE: no legacy line shows it"
            lines.append(f"declared: {difference.legacy!r} -> {difference.modern!r} ({state}): {difference.why}")
        return lines

    def diff(self, fromfile: str = "legacy", tofile: str = "modern") -> list[str]:
        """The differences, marked: within the whole transcript if it is short, else with some context."""
        if self.expected == self.modern:
            return []
        context = max(len(self.expected), len(self.modern)) if len(self.modern) <= WHOLE else CONTEXT
        return list(difflib.unified_diff(self.expected, self.modern, fromfile, tofile, lineterm="", n=context))

    def report(self) -> str:
        """What a reader needs when the verdict is not what it should be, in a few lines."""
        lines = [f"{self.modern_label} against {self.legacy_label}: {self.verdict}"]
        lines += [f"  {line}" for line in self.declared_lines()]
        lines += self.diff(f"{self.legacy_label} (declared differences applied)", self.modern_label)
        return "\n".join(lines)
