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
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Tuple

from portcheck.running import Run

PID_AFTER_LABEL = re.compile(r"(?i)(\b(?:pid|ppid|process id|parent process)\b\W{0,3})(\d+)\b")
BARE_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.]\d)")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
REMOTE_TRACEBACK = re.compile(
    r"^(?:multiprocessing\.pool\.RemoteTraceback|concurrent\.futures\.process\._RemoteTraceback):"
)
CHAINED = "The above exception was the direct cause of the following exception:"


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
    EQUIVALENT = "equivalent"
    DECLARED = "declared differences"
    DIFFERENT = "different"
    NOT_APPLICABLE = "not applicable"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


Entry = Tuple[str, Optional[str]]  # a line, and the role of the process that printed it (None: not known)


def order_streams(lines: list[str], patterns: tuple[str, ...]) -> list[str]:
    """Group each run of concurrent lines by stream, keeping every stream's own order."""
    return [text for text, _ in _order_streams([(line, None) for line in lines], patterns)]


def _order_streams(entries: list[Entry], patterns: tuple[str, ...]) -> list[Entry]:
    compiled = [re.compile(pattern) for pattern in patterns]

    def stream(line: str) -> tuple[int, tuple[str, ...]] | None:
        for index, pattern in enumerate(compiled):
            match = pattern.search(line)
            if match:
                return index, tuple(group or "" for group in match.groups())
        return None

    ordered: list[Entry] = []
    run: list[tuple[tuple[int, tuple[str, ...]], Entry]] = []
    for entry in entries:
        key = stream(entry[0])
        if key is None:
            ordered.extend(item for _, item in sorted(run, key=lambda keyed: keyed[0]))
            run = []
            ordered.append(entry)
        else:
            run.append((key, entry))
    ordered.extend(item for _, item in sorted(run, key=lambda keyed: keyed[0]))
    return ordered


def process_roles(run: Run, pid_max: int | None = None) -> dict[int, str]:
    """Each process of an observed run named by its role: the program, or its place in the order of creation.

    multiprocessing's own helpers are named apart, since only some start methods have them.
    """
    roles = {run.pid: "<main pid>", run.launcher_pid: "<launcher pid>"}
    created = [pid for pid, kind in run.processes if kind == "process" and pid not in roles]
    helpers = sorted(pid for pid, kind in run.processes if kind == "helper")
    ordered = in_order_of_creation(created, run.pid, pid_max or kernel_pid_max())
    roles.update({pid: f"<pid {rank}>" for rank, pid in enumerate(ordered, 1)})
    roles.update(dict.fromkeys(helpers, "<helper pid>"))
    return roles


def in_order_of_creation(pids: list[int], first: int, pid_max: int | None) -> list[int]:
    """Pids created after `first`, in the order the kernel handed them out.

    Linux hands pids out in increasing order and starts again from the bottom after pid_max
    (32768 by default, and a busy machine gets there in minutes), so the order is that of the
    distance from `first` going upwards, around the wrap.
    """
    if pid_max is None:
        return sorted(pids)
    return sorted(pids, key=lambda pid: (pid - first) % pid_max)


def kernel_pid_max() -> int | None:
    try:
        return int(Path("/proc/sys/kernel/pid_max").read_text())
    except (OSError, ValueError):
        return None


def name_processes(
    lines: list[str], main_pid: int, launcher_pid: int, known: dict[int, str] | None = None
) -> list[str]:
    """Replace process ids by the roles of their processes (see the module docstring).

    With `known` (an observed run's roles), any number equal to a pid of the run is its role,
    labelled or not; a labelled pid the run did not know becomes <other pid N>.
    """
    roles = {str(main_pid): "<main pid>", str(launcher_pid): "<launcher pid>"}
    roles.update({str(pid): role for pid, role in (known or {}).items()})
    others: dict[str, str] = {}
    other = "<other pid {}>" if known else "<pid {}>"

    def role(match: re.Match) -> str:
        pid = match.group(2)
        name = roles.get(pid) or others.setdefault(pid, other.format(len(others) + 1))
        return match.group(1) + name

    def bare(match: re.Match) -> str:
        return roles.get(match.group(0), match.group(0))

    named = [PID_AFTER_LABEL.sub(role, line) for line in lines]
    return [BARE_NUMBER.sub(bare, line) for line in named] if known else named


def without_traceback_frames(lines: list[str]) -> list[str]:
    return [text for text, _ in _without_traceback_frames([(line, None) for line in lines])]


def _without_traceback_frames(entries: list[Entry]) -> list[Entry]:
    kept = []
    in_traceback = False
    for entry in entries:
        line = entry[0]
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
        elif in_traceback and line.startswith((" ", "\t")):
            continue
        else:
            in_traceback = False
        kept.append(entry)
    return kept


def _without_remote_tracebacks(entries: list[Entry]) -> list[Entry]:
    """Drop Python 3's report of a worker's traceback, which it chains before re-raising in the caller."""
    kept: list[Entry] = []
    skipping = after_chain = False
    for entry in entries:
        line = entry[0]
        if REMOTE_TRACEBACK.match(line):
            skipping = True
        if skipping:
            skipping, after_chain = line != CHAINED, line == CHAINED
            continue
        if after_chain and not line:
            after_chain = False
            continue
        after_chain = False
        kept.append(entry)
    return kept


def entries(run: Run, rules: Rules = GENERIC, substitutions: tuple[tuple[str, str], ...] = ()) -> list[Entry]:
    """The normalised transcript of `run`, each line with the role of the process that printed it."""
    known = process_roles(run) if run.processes else None
    stdout = list(zip(run.stdout.splitlines(), run.stdout_owners or _unknown()))
    stderr = list(zip(run.stderr.splitlines(), run.stderr_owners or _unknown()))
    stdout = _order_streams(stdout, rules.concurrent)
    stderr = _without_remote_tracebacks(_without_traceback_frames(stderr))
    lines = [(f"out: {text}", owner) for text, owner in stdout] + [(f"err: {text}", owner) for text, owner in stderr]
    texts = [line for line, _ in lines]
    for old, new in substitutions:
        texts = [text.replace(old, new) for text in texts]
    texts = [ADDRESS.sub("0x<address>", text) for text in name_processes(texts, run.pid, run.launcher_pid, known)]
    owners = [(known or {}).get(owner, str(owner)) if owner is not None else None for _, owner in lines]
    if run.timed_out:
        status = f"exit code: none, killed after its {run.timeout:g} s timeout"
    else:
        status = f"exit code: {run.exit_code}"
    found: list[Entry] = [(status, None), *zip(texts, owners)]
    if run.leftovers:
        found.append((f"leftover processes killed: {run.leftovers}", None))
    return found


def _unknown() -> itertools.repeat[None]:
    return itertools.repeat(None)


def transcript(run: Run, rules: Rules = GENERIC) -> list[str]:
    """The normalised transcript of `run`, one string per line."""
    return [line for line, _ in entries(run, rules)]


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
