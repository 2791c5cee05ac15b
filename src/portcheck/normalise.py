"""What of an observation is compared, and in which normal forms: the same for every comparison.

A transcript is the program's exit code, its stdout lines, its stderr lines, the lines of the
files it wrote and the processes it left running. Exactly this is normalised:

1. Declared streams. A policy may declare `streams`, each a pattern (and what its groups capture)
   naming lines that one process prints in order, unsynchronised with the others. Within a run of
   consecutive stdout lines that each match a stream, lines are grouped by stream, each keeping
   its own order: the order between streams is open, the order within one is checked.
2. Process ids. A number right after "pid", "ppid", "process id" or "parent process", and any
   number equal to a pid of the run, may match as the role of its process (<main pid>, <pid 1>,
   ...: see observe.py) or as the number it is, so that a value that happens to equal a pid still
   matches itself: each line has a normal form for each way of reading its numbers.
3. Memory addresses: 0x followed by six or more hex digits becomes 0x<address>.
4. The run's own paths: its scratch directory becomes <dir>, the script as named <script>.
5. Traceback frames. A traceback keeps its header and its exception line; the indented frame
   lines between are shown but not compared, since their files, line numbers and carets change
   with the Python, the layout and the harness's launcher; so is Python 3's report of a worker's
   traceback (RemoteTraceback), chained before the same exception is raised again in the caller.

6. Clock readings: a date or time within the run itself (datetime.now(), ctime(), time.time())
   becomes <now> (clock.py).

Declarations apply to the text as printed, before any of this: a pair's declared differences to
the legacy text (each counted), and `vary` patterns to both sides (the text they match becomes
<varies>).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from portcheck.clock import readings_within
from portcheck.model import Line, Observation, Policy

PID_AFTER_LABEL = re.compile(r"(?i)(\b(?:pid|ppid|process id|parent process)\b\W{0,3})(\d+)\b")
BARE_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.]\d)")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
VARIES = "<varies>"
REMOTE_TRACEBACK = re.compile(
    r"^(?:multiprocessing\.pool\.RemoteTraceback|concurrent\.futures\.process\._RemoteTraceback):"
)
CHAINED = "The above exception was the direct cause of the following exception:"
TRACEBACK = "Traceback (most recent call last):"
MOST_READINGS = 6  # numbers of a line read both ways; a line with more is read all as numbers or all as roles


@dataclass(frozen=True)
class Entry:
    """A compared line: as it was printed, in each of its normal forms, and who printed it."""

    shown: str  # "out: [worker 4242] done"
    forms: tuple[str, ...]  # its normal forms; the last reads every pid as its role
    owner: str | None = None
    printed: str = ""  # the text as printed, without "out: ": what declared patterns match

    @property
    def key(self) -> str:
        return self.forms[-1]


@dataclass(frozen=True)
class Transcript:
    """An observation as compared: its entries, and every line as shown (False: not compared)."""

    entries: tuple[Entry, ...]
    lines: tuple[tuple[str, bool], ...]
    declared: Counter = field(default_factory=Counter)  # lines each declaration applied to, by its index
    varied: Counter = field(default_factory=Counter)  # lines each vary pattern applied to, by its pattern


def status_line(observation: Observation) -> str:
    if observation.timed_out:
        return f"exit code: none, killed after its {observation.timeout:g} s timeout"
    if observation.stopped:
        return f"exit code: none, stopped: {observation.stopped}"
    return f"exit code: {observation.exit_code}"


def transcript(observation: Observation, policy: Policy, legacy: bool) -> Transcript:
    """The transcript of `observation` under `policy`; declared differences apply to the legacy side only."""
    roles = {str(pid): role for pid, role in observation.roles}
    others: dict[str, str] = {}
    declared: Counter = Counter()
    varied: Counter = Counter()
    vary = [(pattern, re.compile(pattern)) for pattern in policy.vary]

    def entry(line: Line) -> Entry:
        text = line.text
        if legacy:
            for index, difference in enumerate(policy.differences):
                if difference.legacy in text:
                    declared[index] += 1
                    text = text.replace(difference.legacy, difference.modern)
        for pattern, compiled in vary:
            text, count = compiled.subn(VARIES, text)
            varied[pattern] += count > 0
        for path, placeholder in sorted(observation.substitutions, key=lambda pair: -len(pair[0])):
            text = text.replace(path, placeholder)
        text = ADDRESS.sub("0x<address>", text)
        text = readings_within(text, observation.started, observation.started + observation.seconds)
        forms = readings(f"{line.stream}: {text}", roles, others)
        return Entry(line.shown, forms, line.owner, line.text)

    status = Line("exit", status_line(observation))
    out = order_streams([line for line in observation.lines if line.stream == "out"], policy.streams)
    err = [line for line in observation.lines if line.stream == "err"]
    files = [line for line in observation.lines if line.stream not in ("out", "err")]
    compared_err = set(map(id, compared_stderr(err)))
    lines: list[tuple[str, bool]] = [(status.text, True)]
    entries = [Entry(status.text, (status.text,))]
    for line in out + err + files:
        compared = line.stream != "err" or id(line) in compared_err
        lines.append((line.shown, compared))
        if compared:
            entries.append(entry(line))
    if observation.leftovers:
        leftover = f"leftover processes killed: {observation.leftovers}"
        lines.append((leftover, True))
        entries.append(Entry(leftover, (leftover,)))
    return Transcript(tuple(entries), tuple(lines), declared, varied)


def readings(text: str, roles: dict[str, str], others: dict[str, str]) -> tuple[str, ...]:
    """The normal forms of a line: each number that is a pid read as itself or as its role.

    A labelled pid that is no process of the run (a process the hook never saw) is read as
    <other pid N>, N by first appearance in the run.
    """
    spans: list[tuple[int, int, str]] = []
    for match in PID_AFTER_LABEL.finditer(text):
        number = match.group(2)
        role = roles.get(number) or others.setdefault(number, f"<other pid {len(others) + 1}>")
        spans.append((match.start(2), match.end(2), role))
    labelled = {start for start, _, _ in spans}
    for match in BARE_NUMBER.finditer(text):
        if match.start() not in labelled and match.group() in roles:
            spans.append((match.start(), match.end(), roles[match.group()]))
    if not spans:
        return (text,)
    spans.sort()
    if len(spans) > MOST_READINGS:
        choices: list[tuple[bool, ...]] = [(False,) * len(spans), (True,) * len(spans)]
    else:
        choices = list(itertools.product((False, True), repeat=len(spans)))
    forms = []
    for choice in choices:
        pieces, position = [], 0
        for (start, end, role), as_role in zip(spans, choice):
            pieces += [text[position:start], role if as_role else text[start:end]]
            position = end
        pieces.append(text[position:])
        forms.append("".join(pieces))
    return tuple(forms)


def order_streams(lines: list[Line], patterns: tuple[str, ...]) -> list[Line]:
    """Group each run of consecutive stream lines by stream, keeping every stream's own order."""
    if not patterns:
        return lines
    compiled = [re.compile(pattern) for pattern in patterns]

    def stream(line: Line) -> tuple[int, tuple[str, ...]] | None:
        for index, pattern in enumerate(compiled):
            match = pattern.search(line.text)
            if match:
                return index, tuple(group or "" for group in match.groups())
        return None

    ordered: list[Line] = []
    run: list[tuple[tuple[int, tuple[str, ...]], Line]] = []
    for line in lines:
        key = stream(line)
        if key is None:
            ordered.extend(item for _, item in sorted(run, key=lambda keyed: keyed[0]))
            run = []
            ordered.append(line)
        else:
            run.append((key, line))
    ordered.extend(item for _, item in sorted(run, key=lambda keyed: keyed[0]))
    return ordered


def compared_stderr(lines: list[Line]) -> list[Line]:
    """stderr without traceback frames, and without Python 3's RemoteTraceback report of a worker's traceback."""
    kept: list[Line] = []
    in_traceback = skipping = after_chain = False
    for line in lines:
        text = line.text
        if REMOTE_TRACEBACK.match(text):
            skipping = True
        if skipping:
            skipping, after_chain = text != CHAINED, text == CHAINED
            continue
        if after_chain and not text:
            after_chain = False
            continue
        after_chain = False
        if text.startswith(TRACEBACK):
            in_traceback = True
        elif in_traceback and text.startswith((" ", "\t")):
            continue
        else:
            in_traceback = False
        kept.append(line)
    return kept
