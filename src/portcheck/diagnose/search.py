"""Running the rules on a result's diff: which rules explain which lines, and which none explains."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

from portcheck.chance import Noise
from portcheck.diagnose.cause import Cause, Context
from portcheck.diagnose.text import split_head
from portcheck.model import NO_KNOWN_CAUSE, Diagnosis, Policy, Result
from portcheck.normalise import Entry, Transcript
from portcheck.relax import any_worker, general_pattern

MOST_RULES_PER_PAIR = 3  # changes one line may show at once: u'' keys, L values, and their order
MOST_PAIRS_TRIED = 5000  # pairs of lines tried in one run of differences; beyond it, only nearby ones
NEARBY = 10  # "+" lines tried on each side of a "-" line's own place, when there are too many pairs


TRACEBACK_LINE = re.compile(
    r"^err: (?:Traceback \(most recent call last\):|During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:|Process [\w-]+(?::\d+)*:|"
    r"|[A-Za-z_][\w.]*(?:: .*)?|\s.*)$"  # the last: a message's own lines after the first, indented
)

MAIN = "<main pid>"  # the role of the program's own process (observe.py)
TEST_HEADER = re.compile(r"^err: (?:ERROR|FAIL): \w+ \(.+\)$")
RUNNER = re.compile(r"^err: (?:[.EFsxu]+|=+|-+|(?:ERROR|FAIL): \w+ \(.+\)|Ran \d+ tests? in [\d.]+s|FAILED \(.+\)|)$")
EXCEPTION = re.compile(r"^err: [A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)(?:: .*)?$")


@dataclass(frozen=True)
class Compared:
    """What the comparison of a different result knows beyond its diff, handed on so that diagnosis
    normalises and transcribes nothing again: both transcripts as compared (normalise.py), and the
    compared line each line of the diff shows (None for a hunk's header)."""

    legacy: Transcript
    modern: Transcript
    shown: tuple[Entry | None, ...]  # by the diff's index: the legacy entry of a "-" or " " line, the modern of "+"


@dataclass
class Unmatched:
    """A "-" or "+" line of the diff: a line of one side that the comparison matched with none of the
    other's, in the form it was compared in."""

    index: int  # in the diff
    mark: str
    text: str  # as shown
    form: str  # as compared: declarations applied, pids as roles, addresses, the run's own paths, clock readings
    owner: str | None = None  # the role of the process that printed it, where known


def chance(policy: Policy, noise: Noise | None) -> tuple[Callable[[str], str], ...]:
    """What the comparison leaves to chance, as mappings of forms (relax.py): for one's own scripts, which
    worker ran a task, and what the runs of both sides showed to be chance (chance.Noise.judged). Lines alike
    under one are alike.

    Each noise template stands for the lines it was learned on, the first that matches wins: two lines
    alike but for their worker may meet different ones, so the workers alone are a mapping too."""
    if not policy.learn:
        return ()
    if noise is not None and (noise.templates or noise.shuffled):
        return (any_worker, lambda form: any_worker(noise.judged(form)))
    return (any_worker,)


def version_of(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", release)[:2]) or (3, 0)


class Diagnoser:
    """Works out the diagnoses of one result: which rules explain which lines of its diff."""

    def __init__(
        self, result: Result, compared: Compared, causes: Sequence[Cause], policy: Policy, noise: Noise | None
    ) -> None:
        self.result = result
        self.compared = compared
        self.chance = chance(policy, noise)
        self.context = Context(result.start_method, version_of(result.python))
        self.rules = [rule for rule in causes if rule.applies(self.context)]
        self.pair_rules = [rule for rule in self.rules if rule.rewrite is not None]
        self.active = {rule.id for rule in self.rules}
        self.found: dict[str, list[int]] = defaultdict(list)
        self.explained: set[int] = set()
        self.sides: list[Unmatched] = []
        self.cache: dict[tuple[str, str], tuple[str, ...] | None] = {}
        self.unexplained_order = False
        for index, line in enumerate(result.diff):
            entry = compared.shown[index]
            if line.mark in "-+" and entry is not None:
                self.sides.append(Unmatched(index, line.mark, line.text, entry.key, entry.owner))

    def diagnoses(self) -> tuple[Diagnosis, ...]:
        """Pairs of lines first, within each run of differences and then across runs; then runs joined or
        split by a trailing comma; then the port's crashes; then legacy lines that show what Python 3 removed;
        then lines that only moved."""
        moved: list[tuple[Unmatched, Unmatched]] = []
        blocks = self.blocks()
        for block in blocks:
            moved += self.pair(block)
        if len(blocks) > 1:  # a line may have moved from one run of differences to another
            moved += self.pair([side for side in self.sides if side.index not in self.explained])
        for block in self.blocks():
            self.read_whole(block)
        self.crashes()
        self.removed()
        self.one_loop_reordered(moved)
        said = [
            Diagnosis(rule.id, tuple(sorted(set(self.found[rule.id]))), rule.change, rule.fix, rule.link)
            for rule in sorted(self.rules, key=lambda rule: min(self.found.get(rule.id, ()), default=-1))
            if rule.id in self.found
        ]
        unexplained = tuple(side.index for side in self.sides if side.index not in self.explained)
        if unexplained or self.unexplained_order:
            said.append(Diagnosis(NO_KNOWN_CAUSE, unexplained, "no known cause", "", ""))
        return tuple(said)

    def name(self, rule_id: str, *indices: int) -> None:
        if rule_id not in self.active:
            return  # a rule the caller left out, or that does not apply to this run, names nothing
        self.found[rule_id] += indices
        self.explained.update(indices)

    def blocks(self) -> list[list[Unmatched]]:
        """Runs of consecutive "-" and "+" lines not yet explained."""
        runs: list[list[Unmatched]] = []
        last = -2
        for side in self.sides:
            if side.index in self.explained:
                continue
            if side.index != last + 1:
                runs.append([])
            runs[-1].append(side)
            last = side.index
        return runs

    def pair(self, block: list[Unmatched]) -> list[tuple[Unmatched, Unmatched]]:
        """Pair each "-" line with a "+" line that rules explain; the pairs of lines alike are returned, as moved.

        Where there are too many pairs to try them all, a "-" line is tried only against the "+" lines
        near its own place in the run."""
        legacy = [side for side in block if side.mark == "-" and side.index not in self.explained]
        modern = [side for side in block if side.mark == "+" and side.index not in self.explained]
        crowded = len(legacy) * len(modern) > MOST_PAIRS_TRIED
        moved = []
        for place, old in enumerate(legacy):
            candidates = modern
            if crowded:
                middle = place * len(modern) // len(legacy)
                candidates = modern[max(middle - NEARBY, 0) : middle + NEARBY + 1]
            for new in candidates:
                if new.index in self.explained:
                    continue
                rules = self.explain(old.form, new.form)
                if rules is None:
                    continue
                if rules:
                    for rule_id in rules:
                        self.name(rule_id, old.index, new.index)
                else:
                    moved.append((old, new))
                    self.explained.update((old.index, new.index))
                break
        return moved

    def explain(self, legacy: str, modern: str) -> tuple[str, ...] | None:
        """The fewest rules that make two lines the same (none: they are the same), or None."""
        key = (legacy, modern)
        if key not in self.cache:
            self.cache[key] = self.search(legacy, modern, self.pair_rules)
            if self.cache[key]:
                self.cache[key] = self.needed(legacy, modern, self.cache[key])
        return self.cache[key]

    def search(self, legacy: str, modern: str, rules: Sequence[Cause]) -> tuple[str, ...] | None:
        """Rules that, applied one after another, make the two lines the same (but for chance): breadth first,
        each rule once."""
        if self.alike(legacy, modern):
            return ()
        heads = split_head(legacy), split_head(modern)
        if None in heads or heads[0][0] != heads[1][0]:  # type: ignore[index]
            return None
        frontier: list[tuple[str, str, tuple[str, ...]]] = [(legacy, modern, ())]
        seen = set()
        for _ in range(MOST_RULES_PER_PAIR):
            following = []
            for old, new, used in frontier:
                for rule in rules:
                    if rule.id in used:
                        continue
                    for one, two in rule.rewrite(old, new, self.context):  # type: ignore[misc]
                        named = (*used, rule.id)
                        if self.alike(one, two):
                            return named
                        if (one, two, frozenset(named)) not in seen:
                            seen.add((one, two, frozenset(named)))
                            following.append((one, two, named))
            frontier = following
        return None

    def alike(self, legacy: str, modern: str) -> bool:
        return legacy == modern or any(mapping(legacy) == mapping(modern) for mapping in self.chance)

    def needed(self, legacy: str, modern: str, named: tuple[str, ...]) -> tuple[str, ...]:
        """`named` without any rule the lines are explained without: a rule that merely also applied is not a cause."""
        kept = list(named)
        for rule_id in named:
            fewer = [rule for rule in self.pair_rules if rule.id in kept and rule.id != rule_id]
            if len(kept) > 1 and self.search(legacy, modern, fewer) is not None:
                kept.remove(rule_id)
        return tuple(kept)

    def read_whole(self, block: list[Unmatched]) -> None:
        """The rules that read a run of lines as a whole (lines joined, split or added), on what is left of it."""
        for rule in self.rules:
            left = [side for side in block if side.index not in self.explained]
            explained = rule.run([(side.mark, side.form) for side in left]) if rule.run is not None and left else []
            if explained:
                self.name(rule.id, *(left[position].index for position in explained))

    def crashes(self) -> None:
        """The port's tracebacks that a rule's exception ends, then what such a crash explains besides."""
        crash_rules = [rule for rule in self.rules if rule.crash is not None]
        last_crash: Cause | None = None
        for run in self.blocks():
            errors = [side for side in run if side.mark == "+" and side.form.startswith("err: ")]
            for rule in crash_rules:
                if any(rule.crash.match(side.form) for side in errors) and self.shows(rule):  # type: ignore[union-attr]
                    traceback = [side.index for side in errors if TRACEBACK_LINE.match(side.form)]
                    self.name(rule.id, *traceback)
                    last_crash = rule
                    break
        modern = self.result.modern
        if last_crash is None or modern is None:
            return
        self.runner_report(last_crash)
        if last_crash.echoes:
            self.echoed(last_crash)
        if modern.exit_code in (0, None) and not last_crash.in_children:
            return
        for side in self.sides:
            if side.index in self.explained:
                continue
            if side.mark == "-" or (side.mark == "+" and side.text.startswith("exit code: ")):
                self.name(last_crash.id, side.index)  # its exit code, and what the port never reached

    def runner_report(self, rule: Cause) -> None:
        """A test runner's report of the crash (unittest's): where every exception among the port's other new
        stderr lines is the crash's too, the runner's lines about them are the crash's: its progress, separators,
        each test's header and the first line of its docstring, the count and the outcome."""
        added = [side for side in self.sides if side.mark == "+" and side.index not in self.explained]
        added = [side for side in added if side.form.startswith("err: ")]
        headers = {side.index for side in self.sides if side.mark == "+" and TEST_HEADER.match(side.form)}
        if not headers or not all(rule.crash.match(side.form) for side in added if EXCEPTION.match(side.form)):  # type: ignore[union-attr]
            return
        for side in added:
            if RUNNER.match(side.form) or side.index - 1 in headers:
                self.name(rule.id, side.index)

    def echoed(self, rule: Cause) -> None:
        """The port's lines that its children printed running the main module's top level again: of the shape
        of a line its main process printed."""
        shapes = {general_pattern(entry.printed) for entry in self.compared.modern.entries if entry.owner == MAIN}
        for side in self.sides:
            parts = split_head(side.text)
            by_a_child = side.mark == "+" and side.owner not in (None, MAIN) and side.index not in self.explained
            if by_a_child and parts and general_pattern(parts[1]) in shapes:
                self.name(rule.id, side.index)

    def shows(self, rule: Cause) -> bool:
        """Whether the port's stderr, frames included, shows what the rule's crash needs besides its exception."""
        modern = self.result.modern
        if rule.frames is None:
            return True
        stderr = [line.text for line in modern.lines if line.stream == "err"] if modern else []
        return any(rule.frames.search(text) for text in stderr)

    def removed(self) -> None:
        """Legacy lines the port printed nothing for, that show what Python 3 removed: the port cannot print them."""
        for rule in self.rules:
            if rule.gone is not None:
                for side in self.sides:
                    if side.mark == "-" and side.index not in self.explained and rule.gone.search(side.form):
                        self.name(rule.id, side.index)

    def one_loop_reordered(self, moved: list[tuple[Unmatched, Unmatched]]) -> None:
        """Lines that only came in another order are dict-order when they, and every line they moved across,
        were printed by one process and are all of one shape, as a loop over a dict or a set prints them."""
        if moved:
            indices = {side.index for pair in moved for side in pair}
            span = range(min(indices), max(indices) + 1)
            lines = [self.result.diff[index] for index in span]
            only_moved = all(line.mark == " " or index in indices for index, line in zip(span, lines))
            if "dict-order" in self.active and only_moved and self.one_loop([line.text for line in lines]):
                self.name("dict-order", *sorted(indices))
                return
            self.explained.difference_update(indices)
        elif self.result.hint and not self.sides:  # the diff shows no line: the order is all that differs
            if "dict-order" in self.active and self.order_only_within_one_loop():
                self.found["dict-order"] = []
            else:
                self.unexplained_order = True

    def one_loop(self, texts: Sequence[str]) -> bool:
        """Whether lines shown as `texts` are all of one shape, and every line so shown, on either side, was
        printed by the same known process."""
        shown = set(texts)
        entries = [*self.compared.legacy.entries, *self.compared.modern.entries]
        owners = {entry.owner for entry in entries if entry.shown in shown}
        shapes = {general_pattern(split_head(text)[1]) if split_head(text) else text for text in shown}
        return len(owners) == 1 and None not in owners and len(shapes) == 1

    def order_only_within_one_loop(self) -> bool:
        """For a difference of order only (the diff then shows no line): whether the stretch of stdout lines
        from the first that moved to the last is one process's lines of one shape."""
        old = [entry for entry in self.compared.legacy.entries if entry.shown.startswith("out: ")]
        new = [entry for entry in self.compared.modern.entries if entry.shown.startswith("out: ")]
        if sorted(entry.key for entry in old) != sorted(entry.key for entry in new):
            return False
        moved = [index for index, (one, two) in enumerate(zip(old, new)) if one.key != two.key]
        if not moved:
            return False
        stretch = [*old[moved[0] : moved[-1] + 1], *new[moved[0] : moved[-1] + 1]]
        owners = {entry.owner for entry in stretch}
        shapes = {general_pattern(entry.printed) for entry in stretch}
        return len(owners) == 1 and None not in owners and len(shapes) == 1
