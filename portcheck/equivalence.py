"""Whether your own two scripts behave alike when their transcripts are not identical.

Three relaxations, each said in the verdict, none for the pairs of this repository (they are
compared exactly, with their declared rules):

1. What you declare: --vary REGEX (the text it matches becomes <varies> on both sides) and
   --unordered REGEX (lines it matches may come in any order).
2. The order between processes. Every Python process of the run marks what it prints (see
   portcheck/hook/), so each line has an owner. The same lines, with each process's own lines
   in the same order on both sides, are the same behaviour: how processes that do not
   synchronise interleave is left to chance. Lines whose owner is unknown keep their order.
3. The legacy program's own noise, as Diffy does it: only when a difference remains, the legacy
   program runs again; a value that changes between its own runs (a time, a temporary name)
   and lines that move between its own runs are not differences.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from portcheck.transcript import Entry, Verdict

VARIES = "<varies>"
# A field is a whole number (decimals and dotted versions included) or a whole word; the rest separates them.
FIELDS = re.compile(r"(\d+(?:\.\d+)*|\w+)")
KINDS = ((re.compile(r"\d+(?:\.\d+)*"), r"\d+(?:\.\d+)*"), (re.compile(r"\w+"), r"\w+"))


@dataclass
class Declared:
    """What the user declares of their scripts: --vary and --unordered patterns."""

    vary: tuple[str, ...] = ()
    unordered: tuple[str, ...] = ()


@dataclass
class Noise:
    """What changed between the legacy program's own runs."""

    runs: int = 1
    templates: list[tuple[re.Pattern[str], str]] = field(default_factory=list)  # a varying line, and its text
    moving: set[str] = field(default_factory=set)  # lines whose place changed between runs


@dataclass
class Judgement:
    verdict: Verdict
    relaxed: list[str] = field(default_factory=list)  # what was relaxed to reach the verdict
    hint: str = ""  # for a difference of order only: the option that would accept it
    legacy: list[str] = field(default_factory=list)  # the transcripts as compared, after the relaxations
    modern: list[str] = field(default_factory=list)


def texts(found: list[Entry]) -> list[str]:
    return [text for text, _ in found]


def printed(text: str) -> str:
    """What the program printed, without the transcript's "out: " or "err: "."""
    stream, separator, rest = text.partition(": ")
    return rest if separator and stream in ("out", "err") else text


def vary(found: list[Entry], patterns: tuple[str, ...]) -> list[Entry]:
    compiled = [re.compile(pattern) for pattern in patterns]
    changed = []
    for text, owner in found:
        stream, separator, rest = text.partition(": ")
        if separator and stream in ("out", "err"):
            for pattern in compiled:
                rest = pattern.sub(VARIES, rest)
            text = f"{stream}: {rest}"
        changed.append((text, owner))
    return changed


def apply_noise(found: list[Entry], noise: Noise) -> list[Entry]:
    changed = []
    for text, owner in found:
        for pattern, template in noise.templates:
            if pattern.fullmatch(text):
                text = template
                break
        changed.append((text, owner))
    return changed


def moved_between_processes(legacy: list[Entry], modern: list[Entry], free: set[str]) -> int | None:
    """How many lines came in another order, if order between processes is all that differs; else None.

    `free` lines may go anywhere. Every other line keeps its place among the lines of its own
    process, on both sides; lines of no known process keep their place among each other.
    """
    if Counter(texts(legacy)) != Counter(texts(modern)):
        return None
    places: dict[str, deque[int]] = defaultdict(deque)
    for index, (text, _) in enumerate(legacy):
        places[text].append(index)
    to_legacy = [places[text].popleft() for text, _ in modern]
    to_modern = {legacy_index: modern_index for modern_index, legacy_index in enumerate(to_legacy)}

    def keeps_order(side: list[Entry], position: list[int]) -> bool:
        streams: dict[str | None, list[int]] = defaultdict(list)
        for index, (text, owner) in enumerate(side):
            if text not in free:
                streams[owner].append(position[index])
        return all(stream == sorted(stream) for stream in streams.values())

    if not keeps_order(modern, to_legacy) or not keeps_order(legacy, [to_modern[i] for i in range(len(legacy))]):
        return None
    return sum(1 for modern_index, legacy_index in enumerate(to_legacy) if modern_index != legacy_index)


def noise_of(runs: list[list[Entry]]) -> Noise:
    """What differs between the legacy program's own runs: varying values, and lines that move."""
    noise = Noise(runs=len(runs))
    first = texts(runs[0])
    in_first = set(first)
    for other in map(texts, runs[1:]):
        in_other = set(other)
        matcher = difflib.SequenceMatcher(a=first, b=other, autojunk=False)
        for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
            if tag == "replace" and a_end - a_start == b_end - b_start:
                for one, two in zip(first[a_start:a_end], other[b_start:b_end]):
                    if one in in_other or two in in_first:
                        continue  # a line that moved, not one whose value changed
                    template = _template(one, two)
                    if template:
                        noise.templates.append(template)
    varied = [texts(apply_noise(run, noise)) for run in runs]
    for other in varied[1:]:
        noise.moving |= _moving(varied[0], other)
    return noise


def _template(one: str, two: str) -> tuple[re.Pattern[str], str] | None:
    """A line that varies between two runs, as a pattern that both match and the text it becomes.

    A field that varies becomes any field of its kind, whole: "took 0.251 seconds" against "took
    0.263 seconds" accepts "took 1.219 seconds", since what varied is the number, not its last digits.
    """
    first, second = FIELDS.split(one), FIELDS.split(two)
    if len(first) != len(second) or first[0].split(":")[0] != second[0].split(":")[0]:
        return None
    pattern, text = [], []
    for index, (token, other) in enumerate(zip(first, second)):
        if token == other:
            pattern.append(re.escape(token))
            text.append(token)
            continue
        if index % 2 == 0:  # separators that differ: not the same line with another value
            return None
        kind = next((general for field, general in KINDS if field.fullmatch(token) and field.fullmatch(other)), None)
        if kind is None:
            return None
        pattern.append(kind)
        text.append(VARIES)
    return re.compile("".join(pattern)), "".join(text)


def _moving(one: list[str], two: list[str]) -> set[str]:
    """The lines that two runs do not have in the same place: every line of a stretch that differs.

    A stretch, not only the lines that moved, since with few runs most orders of a racy stretch
    are never seen: what lies between lines that move may move too.
    """
    matcher = difflib.SequenceMatcher(a=one, b=two, autojunk=False)
    moving: set[str] = set()
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag != "equal":
            moving.update(one[a_start:a_end], two[b_start:b_end])
    return moving


def shape(line: str) -> str:
    """A pattern for lines like `line`: its words and numbers may be any others."""

    def general(piece: str) -> str:
        if piece[0].isdigit():
            return r"\d+"
        if piece[0].isalpha() or piece[0] == "_":
            return r"\w+"
        return piece if piece.isspace() else re.escape(piece)

    return "^" + "".join(general(piece) for piece in re.findall(r"[^\W\d]+|\d+|\s+|.", line)) + "$"


def unmatched(legacy: list[Entry], modern: list[Entry]) -> int:
    """How many legacy lines have no equal on the modern side."""
    return sum((Counter(texts(legacy)) - Counter(texts(modern))).values())


def sorted_dicts(found: list[Entry]) -> list[Entry]:
    """Each line that shows a dict, with its items sorted."""
    changed = []
    for text, owner in found:
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            try:
                shown = ast.literal_eval(text[start : end + 1])
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                shown = None
            if isinstance(shown, dict) and len(shown) > 1:
                try:
                    items = sorted(shown.items())
                except TypeError:
                    items = sorted(shown.items(), key=repr)
                text = text[:start] + "{" + ", ".join(f"{k!r}: {v!r}" for k, v in items) + "}" + text[end + 1 :]
        changed.append((text, owner))
    return changed


def judge(legacy: list[Entry], modern: list[Entry], declared: Declared, noise: Noise | None = None) -> Judgement:
    """Compare two transcripts of your own scripts, relaxing only what is said above, in that order."""
    if texts(legacy) == texts(modern):
        return Judgement(Verdict.IDENTICAL, legacy=texts(legacy), modern=texts(modern))
    relaxed = []
    if declared.vary:
        legacy, modern = vary(legacy, declared.vary), vary(modern, declared.vary)
        relaxed.append(f"text matching --vary {' '.join(declared.vary)} is <varies>")
    if noise and noise.templates:
        legacy_varied, modern_varied = apply_noise(legacy, noise), apply_noise(modern, noise)
        if texts(legacy_varied) != texts(legacy) or texts(modern_varied) != texts(modern):
            changed = {text for text, _ in legacy_varied if VARIES in text}
            relaxed.append(
                f"{len(changed)} line(s) with a value that changed between the legacy program's own "
                f"{noise.runs} runs, now <varies>"
            )
        legacy, modern = legacy_varied, modern_varied
    legacy_sorted, modern_sorted = sorted_dicts(legacy), sorted_dicts(modern)
    if unmatched(legacy_sorted, modern_sorted) < unmatched(legacy, modern):
        relaxed.append(
            "a dict printed with its items in another order (Python 2 printed them in hash order, Python 3.7+"
            " prints them in insertion order)"
        )
    legacy, modern = legacy_sorted, modern_sorted
    unordered = [re.compile(pattern) for pattern in declared.unordered]
    free = {text for text, _ in legacy + modern if any(pattern.search(printed(text)) for pattern in unordered)}
    if noise:
        free |= noise.moving
    if texts(legacy) == texts(modern):
        return Judgement(Verdict.EQUIVALENT, relaxed, legacy=texts(legacy), modern=texts(modern))
    moved = moved_between_processes(legacy, modern, free)
    if moved is not None:
        reasons = []
        if noise and free & noise.moving:
            reasons.append("an order the legacy program's own runs also showed")
        if declared.unordered:
            reasons.append(f"--unordered {' '.join(declared.unordered)}")
        reasons.append("each process's own lines in their order")
        relaxed.append(f"{moved} line(s) from different processes in another order ({'; '.join(reasons)})")
        return Judgement(Verdict.EQUIVALENT, relaxed, legacy=texts(legacy), modern=texts(modern))
    hint = ""
    if Counter(texts(legacy)) == Counter(texts(modern)):
        moved = [printed(one) for one, other in zip(texts(modern), texts(legacy)) if one != other]
        pattern = "|".join(dict.fromkeys(shape(line) for line in moved))
        hint = (
            f"the only difference is the order of {len(moved)} line(s) that the legacy program's own runs never"
            f" changed; --unordered '{pattern}' would accept them in any order"
        )
    return Judgement(Verdict.DIFFERENT, relaxed, hint, legacy=texts(legacy), modern=texts(modern))
