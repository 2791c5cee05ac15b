"""Chance, as both sides' own runs show it: what a careful person learns by running each side a few times.

A difference left after the relaxations of relax.py makes the legacy program run again
(engine.with_noise); what changes between its own runs is noise, as Diffy finds it:
- a field (a whole number or a whole word) whose value changes between runs: a template of the line;
- lines of a shape whose place changes between runs: an order left to chance.
Then, where a difference still remains, the port runs again too, and a varying field is chance for
the port only where its value is one the original printed or the port's own runs vary there too; a
field only the port's runs vary in, on a line the original printed, is a race only the port shows.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Sequence

from portcheck.clock import PYTHON2_STR_DIGITS
from portcheck.model import DiffLine
from portcheck.normalise import VARIES
from portcheck.relax import learned

# A field is a whole number (decimals and dotted versions included) or a whole word; the rest separates them.
FIELDS = re.compile(r"(<[a-z][a-z ]*\d*>|\d+(?:\.\d+)*(?!\w)|\w+)")
A_NUMBER = r"\d+(?:\.\d+)*(?!\w)"
A_WORD = rf"(?!{A_NUMBER})\w+"  # a temporary name such as 3kj_x9 is a word, not a number and a word
KINDS = ((re.compile(A_NUMBER), A_NUMBER), (re.compile(A_WORD), A_WORD))
NUMBER = re.compile(r"\d+(?:\.\d+)*")


@dataclass
class Noise:
    """What changed between the legacy program's own runs, and, once a difference remained, the port's."""

    runs: int = 1
    templates: list[tuple[re.Pattern[str], str]] = field(default_factory=list)  # a varying line, and its form
    shuffled: set[str] = field(default_factory=set)  # lines whose items came in another order, items sorted
    moving: set[str] = field(default_factory=set)  # shapes of the lines whose place changed between runs
    counts: dict[str, list[int]] = field(default_factory=dict)  # lines of a form each run printed, where that varied
    printed: dict[str, list[str]] = field(default_factory=dict)  # each template's fields, as each legacy run printed
    port_runs: int = 0  # the port's own runs, where a difference remained after the legacy program's
    port_printed: dict[str, list[str]] = field(default_factory=dict)  # each template's fields, as the port printed
    port_counts: dict[str, list[int]] = field(default_factory=dict)  # lines of each varying count, per port run
    port_only: dict[str, list[str]] = field(default_factory=dict)  # lines only the port's runs varied in
    lines: set[str] = field(default_factory=set)  # every line the original's runs printed, in its learned form

    def matched(self, form: str) -> tuple[str, str] | None:
        """The template a learned `form` falls under (the first whose pattern it fills), and the varying
        fields it fills it with; None where it varied in no run."""
        for pattern, template in self.templates:
            match = pattern.fullmatch(form)
            if match:
                return template, fields_of(match)
        return None

    def reordered(self, form: str) -> str | None:
        """A learned `form` with its items sorted, where the original's runs printed those items in
        other orders; None elsewhere."""
        if not self.shuffled:
            return None
        items = in_any_order(form)
        return items if items in self.shuffled else None

    def transform(self, form: str) -> str:
        form = learned(form)
        reordered = self.reordered(form)
        if reordered:
            return reordered
        found = self.matched(form)
        return found[0] if found else form

    def judged(self, form: str) -> str:
        """`form` as the comparison takes it: a varying field is chance only where the evidence says so,
        when the original's runs printed this value, or when the port's own runs vary there too; items
        the original's runs printed in other orders may come in any."""
        form = learned(form)
        reordered = self.reordered(form)
        if reordered:
            return reordered
        found = self.matched(form)
        return found[0] if found and self.chance(*found) else form

    def chance(self, template: str, value: str) -> bool:
        printed = self.printed.get(template, ())
        if value in printed:
            return True
        return self.port_varies(template) and not more_digits(value, printed)

    def port_varies(self, template: str) -> bool:
        return len(set(self.port_printed.get(template, ()))) > 1

    def reason(self) -> str:
        """Why a line its fields or its items' order made another is the same line, as the runs showed."""
        changes = [
            *(["a field that changed"] if self.templates else []),
            *(["items of a list or tuple that came in another order"] if self.shuffled else []),
        ]
        reason = f"{' or '.join(changes)} between the legacy program's own {self.runs} runs"
        if self.port_runs and self.templates:
            reason += f", and between the port's own {self.port_runs} or to a value the original printed"
        return reason

    def count_chance(self, form: str, count: int) -> bool:
        """Whether the port printing `count` lines of a `form` whose number varied between the original's
        runs is chance: a number within what the original's runs printed, or the port's own runs vary too."""
        seen = self.counts[form]
        return min(seen) <= count <= max(seen) or len(set(self.port_counts.get(form, ()))) > 1

    def recounted(self, legacy: list[str], modern: list[str]) -> list[bool]:
        """Which lines of either side (keys, legacy's then modern's) are of a form whose number of lines is
        chance: the original's runs printed a varying number of them and the port's number is chance too."""
        judged = [self.judged(line) for line in [*legacy, *modern]]
        printed = Counter(judged[len(legacy) :])
        chance = {form for form in self.counts if self.count_chance(form, printed[form])}
        return [form in chance for form in judged]

    def with_port(self, runs: list[list[str]]) -> Noise:
        """This noise with what the port's own runs (each a list of its lines' keys) printed."""
        port = dataclasses.replace(self, port_runs=len(runs), port_printed={}, port_counts={}, port_only={})
        for run in runs:
            for line in run:
                found = self.matched(learned(line))
                if found:
                    port.port_printed.setdefault(found[0], []).append(found[1])
        for run in runs:  # counted once every value is judged with all the port's runs
            printed = Counter(port.judged(line) for line in run)
            for form in self.counts:
                port.port_counts.setdefault(form, []).append(printed[form])
        own = noise_of(runs)
        for pattern, template in own.templates:  # what varies in the port, never in the original
            matches = [match for run in runs for line in run if (match := pattern.fullmatch(learned(line)))]
            if all(self.matched(match.string) for match in matches):
                continue  # lines the original's runs vary in too, in these fields or more
            # a line the original printed too: one it never printed is a difference whatever it varies in
            if any(pattern.fullmatch(line) for line in self.lines):
                port.port_only[template] = [fields_of(match) for match in matches]
        printed = {self.transform(line) for line in self.lines}
        for form, counts in own.counts.items():  # a number of lines only the port's runs vary
            if form in printed and form not in self.counts:
                port.port_only[form] = [f"{count} lines" for count in counts]
        printed_in_any_order = {in_any_order(line) for line in self.lines}
        for items in own.shuffled - self.shuffled:  # items the port's runs reorder, the original's never
            if items in printed_in_any_order:
                orders = (learned(line) for run in runs for line in run)
                port.port_only[items] = list(dict.fromkeys(line for line in orders if in_any_order(line) == items))
        return port

    def rejected(self, modern: list[str]) -> list[str]:
        """The templates of the original's varying lines at which a line of `modern` (keys) is not chance: a
        value none of its runs printed, where the port's own runs do not vary; and the forms whose number
        of lines varied where the port's number is not chance."""
        rejected = []
        for line in dict.fromkeys(modern):
            found = self.matched(learned(line))
            if found and not self.chance(*found):
                rejected.append(found[0])
        printed = Counter(self.judged(line) for line in modern)
        rejected += [form for form in self.counts if not self.count_chance(form, printed[form])]
        return list(dict.fromkeys(rejected))

    def told_counts(self, modern: list[str]) -> str:
        """The numbers of lines both sides' runs printed of each form whose number is chance, in one sentence."""
        printed = Counter(self.judged(line) for line in modern)
        told = [
            f"{form!r} {listed(self.counts[form])} times in the original's {self.runs} runs,"
            f" {listed(self.port_counts.get(form) or [printed[form]])} in the port's"
            for form in self.counts
            if self.count_chance(form, printed[form]) and form in printed
        ]
        return "; ".join(told)

    def evidence(self, modern: list[str]) -> list[str]:
        """What the runs of both sides showed, for each line of `modern` (keys) that chance does not explain."""
        said = []
        printed = Counter(self.judged(line) for line in modern)
        for template in self.rejected(modern):
            if template in self.counts:
                port_counts = self.port_counts.get(template) or [printed[template]]
                said.append(
                    f"{template!r}: the original printed it {listed(self.counts[template])}"
                    f" times in its {self.runs} runs; the port {listed(port_counts)}"
                    f"{f' in its {self.port_runs}' if self.port_runs else ''}"
                )
                continue
            legacy, port = self.printed.get(template, []), self.port_printed.get(template, [])
            said.append(
                f"{template!r}: the original printed {listed(legacy)} in its {self.runs} runs;"
                f" the port {listed(port)}{f' in its {self.port_runs}' if self.port_runs else ''}"
            )
        for template, values in self.port_only.items():
            said.append(
                f"{template!r}: the port printed {listed(values)} in its {self.port_runs} runs, the original never"
                f" varied there in its {self.runs}: a race only the port shows"
            )
        return said


def could_be_chance(diff: Sequence[DiffLine], most: int = 200) -> bool:
    """Whether a line only the port printed could be one only the original printed, with other values in
    its fields: else no run of either side can make the difference chance, and none is made."""
    legacy = [line.text for line in diff if line.mark == "-"][:most]
    port = [line.text for line in diff if line.mark == "+"][:most]
    return any(field_template(one, two) for one in legacy for two in port)


def fields_of(match: re.Match[str]) -> str:
    """The varying fields of a line its template matched, as printed: "9", or "9 / 0.25"."""
    return " / ".join(group for group in match.groups() if group is not None)


def more_digits(value: str, printed: Sequence[str]) -> bool:
    """Whether a port's varying field is a float with more significant digits than str() on Python 2 gives, where
    none the original printed had as many: the format changed (1796684642.47 -> 1796684643.458575), which no
    number of runs makes chance."""
    digits = [significant(field) for field in value.split(" / ")]
    before = [significant(field) for fields in printed for field in fields.split(" / ")]
    most = max(before, default=0)
    return most <= PYTHON2_STR_DIGITS < max(digits, default=0)


def significant(field: str) -> int:
    """A decimal field's significant digits (0 for anything else: an int, a word, a dotted version)."""
    if not re.fullmatch(r"\d+\.\d+", field):
        return 0
    return len(field.replace(".", "").lstrip("0"))


def listed(values: Sequence[object], most: int = 8) -> str:
    shown = ", ".join(map(str, values[:most])) + (", ..." if len(values) > most else "")
    return shown or "nothing"


def noise_of(runs: list[list[str]]) -> Noise:
    """What differs between the legacy program's own runs (each a list of its lines' keys)."""
    noise = Noise(runs=len(runs))
    runs = [[learned(line) for line in run] for run in runs]
    noise.lines = {line for run in runs for line in run}
    for other in runs[1:]:
        for one, two in changed(runs[0], other):
            if in_any_order(one) == in_any_order(two):
                noise.shuffled.add(in_any_order(one))
                continue
            template = field_template(one, two)
            if template and template[1] not in {known for _, known in noise.templates}:
                noise.templates.append(template)
    # the most general first: a line whose count and time both vary is one line, not one per count
    noise.templates.sort(key=lambda template: template[0].groups, reverse=True)
    for run in runs:
        for line in run:
            found = noise.matched(line)
            if found:
                noise.printed.setdefault(found[0], []).append(found[1])
    varied = [[noise.transform(line) for line in run] for run in runs]
    for other in varied[1:]:
        noise.moving |= {shape(line) for line in moving(varied[0], other)}
    tallies = [Counter(run) for run in varied]
    for form in dict.fromkeys(line for run in varied for line in run):
        counts = [tally[form] for tally in tallies]
        if len(set(counts)) > 1:
            noise.counts[form] = counts
    return noise


def changed(first: list[str], other: list[str]) -> list[tuple[str, str]]:
    """The lines that changed between two runs, paired: in place where a stretch was replaced line for line,
    else each with the next one left of its shape (its numbers, or its items' order, may differ), since
    lines of a varying number or order do not line up."""
    in_first, in_other = set(first), set(other)
    pairs, left_first, left_other = [], [], []
    matcher = difflib.SequenceMatcher(a=first, b=other, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        ones = [line for line in first[a_start:a_end] if line not in in_other]  # not a line that only moved
        twos = [line for line in other[b_start:b_end] if line not in in_first]
        if tag == "replace" and a_end - a_start == b_end - b_start:
            stretch = zip(first[a_start:a_end], other[b_start:b_end])
            pairs += [(one, two) for one, two in stretch if one in ones and two in twos]
        else:
            left_first += ones
            left_other += twos
    waiting: dict[str, deque[str]] = defaultdict(deque)
    for two in left_other:
        waiting[shape(in_any_order(two))].append(two)
    for one in left_first:
        same = waiting[shape(in_any_order(one))]
        if same:
            pairs.append((one, same.popleft()))
    return pairs


def in_any_order(form: str) -> str:
    """A line with the items of each list or tuple it shows sorted, each as printed: the same items,
    arrived in any order ("30 [16, 0, 9]" is "30 [0, 16, 9]")."""
    pieces, depth, start, last = [], 0, 0, 0
    for index, char in enumerate(form):
        if char in "[(":
            start = index if depth == 0 else start
            depth += 1
        elif char in "])" and depth:
            depth -= 1
            if depth == 0:
                pieces += [form[last:start], items_sorted(form[start : index + 1])]
                last = index + 1
    return "".join(pieces) + form[last:] if pieces else form


def items_sorted(text: str) -> str:
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return text
    if not isinstance(node, (ast.List, ast.Tuple)) or len(node.elts) < 2:
        return text
    items = sorted(ast.get_source_segment(text, item) or "" for item in node.elts)
    return text[0] + ", ".join(items) + text[-1]


def field_template(one: str, two: str) -> tuple[re.Pattern[str], str] | None:
    """A line that varies between two runs, as a pattern both match and the form it becomes.

    A field that varies becomes any field of its kind, whole: "took 0.251 seconds" against "took
    0.263 seconds" accepts "took 1.219 seconds", since what varied is the number, not its last digits.
    Two lines whose every field differs, a word among them ("produced 12", "consumed 40"), are two
    lines, not one that varies.
    """
    first, second = FIELDS.split(one), FIELDS.split(two)
    if len(first) != len(second):
        return None
    pattern, text = [], []
    for index, (token, other) in enumerate(zip(first, second)):
        if token == other:
            pattern.append(re.escape(token))
            text.append(token)
            continue
        if index % 2 == 0 or index == 1:  # separators differ, or the stream ("out", "err"): another line
            return None
        kind = next((general for found, general in KINDS if found.fullmatch(token) and found.fullmatch(other)), None)
        if kind is None:
            return None
        pattern.append(f"({kind})")
        text.append(VARIES)
    varied = [kind for kind in pattern[3::2] if kind.startswith("(")]  # the fields after the stream that varied
    if len(varied) == len(pattern[3::2]) > 1 and f"({A_WORD})" in varied:
        return None  # every field, a word among them, differs: two lines, not one that varies
    return re.compile("".join(pattern)), "".join(text)


def moving(one: list[str], two: list[str]) -> set[str]:
    """The lines that two runs do not have in the same place: every line of a stretch that differs.

    A stretch, not only the lines that moved, since with few runs most orders of a racy stretch
    are never seen: what lies between lines that move may move too.
    """
    matcher = difflib.SequenceMatcher(a=one, b=two, autojunk=False)
    found: set[str] = set()
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag != "equal":
            found.update(one[a_start:a_end], two[b_start:b_end])
    return found


def shape(line: str) -> str:
    """A line with its numbers as any number: lines of one shape are lines of one kind."""
    return NUMBER.sub("#", line)
