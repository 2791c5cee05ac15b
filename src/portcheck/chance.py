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

import difflib
import re
from dataclasses import dataclass, field
from typing import Sequence

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
    moving: set[str] = field(default_factory=set)  # shapes of the lines whose place changed between runs
    printed: dict[str, list[str]] = field(default_factory=dict)  # each template's fields, as each legacy run printed
    port_runs: int = 0  # the port's own runs, where a difference remained after the legacy program's
    port_printed: dict[str, list[str]] = field(default_factory=dict)  # each template's fields, as the port printed
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

    def transform(self, form: str) -> str:
        form = learned(form)
        found = self.matched(form)
        return found[0] if found else form

    def judged(self, form: str) -> str:
        """`form` as the comparison takes it: a varying field is chance only where the evidence says so,
        when the original's runs printed this value, or when the port's own runs vary there too."""
        form = learned(form)
        found = self.matched(form)
        return found[0] if found and self.chance(*found) else form

    def chance(self, template: str, value: str) -> bool:
        return value in self.printed.get(template, ()) or self.port_varies(template)

    def port_varies(self, template: str) -> bool:
        return len(set(self.port_printed.get(template, ()))) > 1

    def with_port(self, runs: list[list[str]]) -> Noise:
        """This noise with what the port's own runs (each a list of its lines' keys) printed."""
        port = Noise(self.runs, self.templates, self.moving, self.printed, port_runs=len(runs), lines=self.lines)
        for run in runs:
            for line in run:
                found = self.matched(learned(line))
                if found:
                    port.port_printed.setdefault(found[0], []).append(found[1])
        known = {own.pattern for own, _ in self.templates}
        for pattern, template in noise_of(runs).templates:  # what varies in the port, never in the original
            # a line the original printed too: one it never printed is a difference whatever it varies in
            if pattern.pattern not in known and any(pattern.fullmatch(line) for line in self.lines):
                matches = (pattern.fullmatch(learned(line)) for run in runs for line in run)
                port.port_only[template] = [fields_of(match) for match in matches if match]
        return port

    def rejected(self, modern: list[str]) -> list[str]:
        """The templates of the original's varying lines at which a line of `modern` (keys) is not chance: a
        value none of its runs printed, where the port's own runs do not vary."""
        rejected = []
        for line in dict.fromkeys(modern):
            found = self.matched(learned(line))
            if found and not self.chance(*found):
                rejected.append(found[0])
        return list(dict.fromkeys(rejected))

    def evidence(self, modern: list[str]) -> list[str]:
        """What the runs of both sides showed, for each line of `modern` (keys) that chance does not explain."""
        said = []
        for template in self.rejected(modern):
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


def listed(values: list[str], most: int = 8) -> str:
    shown = ", ".join(values[:most]) + (", ..." if len(values) > most else "")
    return shown or "nothing"


def noise_of(runs: list[list[str]]) -> Noise:
    """What differs between the legacy program's own runs (each a list of its lines' keys)."""
    noise = Noise(runs=len(runs))
    runs = [[learned(line) for line in run] for run in runs]
    noise.lines = {line for run in runs for line in run}
    first = runs[0]
    in_first = set(first)
    for other in runs[1:]:
        in_other = set(other)
        matcher = difflib.SequenceMatcher(a=first, b=other, autojunk=False)
        for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
            if tag == "replace" and a_end - a_start == b_end - b_start:
                for one, two in zip(first[a_start:a_end], other[b_start:b_end]):
                    if one in in_other or two in in_first:
                        continue  # a line that moved, not one whose value changed
                    template = field_template(one, two)
                    if template and template[1] not in {known for _, known in noise.templates}:
                        noise.templates.append(template)
    for run in runs:
        for line in run:
            found = noise.matched(line)
            if found:
                noise.printed.setdefault(found[0], []).append(found[1])
    varied = [[noise.transform(line) for line in run] for run in runs]
    for other in varied[1:]:
        noise.moving |= {shape(line) for line in moving(varied[0], other)}
    return noise


def field_template(one: str, two: str) -> tuple[re.Pattern[str], str] | None:
    """A line that varies between two runs, as a pattern both match and the form it becomes.

    A field that varies becomes any field of its kind, whole: "took 0.251 seconds" against "took
    0.263 seconds" accepts "took 1.219 seconds", since what varied is the number, not its last digits.
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
