"""Compare two observations under a policy: the verdict, what was relaxed and why, and the diff.

identical             the same transcripts, after the normalisation of normalise.py
declared differences  the same once the pair's declared differences are applied (a declared
                      difference that no line shows is a difference itself: data that lies)
equivalent            the same once the relaxations of relax.py are applied, each said
different             anything else; the diff shows what each program really printed, and marks
                      with "~" a line a relaxation accepted although its text differs; each line
                      only one program printed is diagnosed (diagnose/): the known Python 2 -> 3
                      change that explains it, or "no known cause"
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections import Counter
from typing import Sequence

from portcheck import chance, relax
from portcheck.model import Declaration, Difference, DiffLine, Observation, Policy, Port, Relaxation, Result, Verdict
from portcheck.normalise import REMOTE_TRACEBACK, TRACEBACK, Entry, Transcript, transcript

CONTEXT = 5  # lines of context around each difference in a long transcript
WHOLE = 100  # transcript lines up to which a difference is shown within the whole transcript
# transcripts kept for their task's comparisons to come: a task's legacy run and its ports under each start method
MOST_TRANSCRIPTS_KEPT = 32
FRAME = re.compile(r'^\s+File "([^"]+)", line (\d+), in (\S+)')
LIBRARY = re.compile(r"[/\\]lib[/\\](?:python|pypy)\d[\d.]*[/\\]")  # the standard library's files (and site-packages)


class Stage:
    """The classes of every line after one more relaxation, and what that relaxation accepted."""

    def __init__(self, ids: list[int], relaxation: Relaxation | None = None) -> None:
        self.ids = ids
        self.relaxation = relaxation


def compare(
    name: str,
    kind: Port,
    legacy: Observation,
    modern: Observation,
    policy: Policy,
    noise: chance.Noise | None = None,
) -> Result:
    """The comparison of `modern` with `legacy`; `noise` is what the legacy program's own reruns showed."""
    plain = Policy(policy.streams, policy.differences, learn=False)
    first = transcribed(legacy, plain, legacy=True), transcribed(modern, plain, legacy=False)
    stages = [Stage(relax.classes(first[0].entries, first[1].entries))]
    before, after = transcribed(legacy, policy, legacy=True), transcribed(modern, policy, legacy=False)
    declared = declarations(policy, before, after)
    stale = any(declaration.lines == 0 for declaration in declared[: len(policy.differences)])
    count = len(before.entries)
    if stages[0].ids[:count] == stages[0].ids[count:] and not stale:
        verdict = Verdict.DECLARED if policy.differences else Verdict.IDENTICAL
    else:
        verdict = Verdict.DIFFERENT if stale else relaxed(policy, before, after, noise, stages)
    result = Result(
        name=name,
        kind=kind,
        python=modern.python,
        start_method=modern_method(modern),
        verdict=verdict,
        legacy=legacy,
        modern=modern,
        declared=tuple(declared),
        relaxed=tuple(stage.relaxation for stage in stages if stage.relaxation),
    )
    reorder = policy.learn or bool(policy.unordered)
    if verdict is Verdict.EQUIVALENT:  # each line a relaxation accepted, as each side printed it, and why
        return dataclasses.replace(result, diff=tuple(relaxed_lines(before, after, stages, reorder)))
    if verdict is not Verdict.DIFFERENT:
        return result
    shown: list[Entry | None] = []  # the compared line each line of the diff shows, for its diagnosis
    result = dataclasses.replace(
        result,
        evidence=tuple(noise.evidence([entry.key for entry in after.entries])) if noise else (),
        diff=tuple(diff(before, after, stages, reorder, shown)),
        crashes=tuple(crash for crash in (crash_of(legacy), crash_of(modern)) if crash),
        hint=order_hint(before.entries, after.entries, stages[-1].ids) if policy.learn else "",
    )
    from portcheck.diagnose import Compared, diagnose  # here: its rules are compiled on import, needed only then

    return dataclasses.replace(result, diagnoses=diagnose(result, Compared(before, after, tuple(shown)), policy, noise))


def transcribed(observation: Observation, policy: Policy, legacy: bool) -> Transcript:
    """normalise.transcript, made once for an observation and what of a policy it reads (its streams,
    differences and vary): a task's comparisons, their rejudging with the noise, and the noise's own keys
    (engine.py) all read the same transcripts."""
    return transcribed_once(observation, policy.streams, policy.differences, policy.vary, legacy)


@functools.lru_cache(maxsize=MOST_TRANSCRIPTS_KEPT)
def transcribed_once(
    observation: Observation,
    streams: tuple[str, ...],
    differences: tuple[Difference, ...],
    vary: tuple[str, ...],
    legacy: bool,
) -> Transcript:
    return transcript(observation, Policy(streams, differences, vary), legacy)


def modern_method(observation: Observation) -> str:
    return observation.label.rsplit(" under ", 1)[1] if " under " in observation.label else ""


def declarations(policy: Policy, legacy: Transcript, modern: Transcript) -> list[Declaration]:
    """Each declaration with the lines it applied to: the pair's differences (legacy lines), then
    --vary and --unordered (lines of either side)."""
    said = [
        Declaration(f"{difference.legacy!r} -> {difference.modern!r}", difference.why, legacy.declared[index])
        for index, difference in enumerate(policy.differences)
    ]
    said += [
        Declaration(f"--vary {pattern}", "text that may differ", legacy.varied[pattern] + modern.varied[pattern])
        for pattern in policy.vary
    ]
    entries = [*legacy.entries, *modern.entries]
    said += [
        Declaration(
            f"--unordered {pattern}",
            "lines that may come in any order",
            sum(1 for entry in entries if re.search(pattern, entry.printed)),
        )
        for pattern in policy.unordered
    ]
    return said


def relaxed(
    policy: Policy, before: Transcript, after: Transcript, noise: chance.Noise | None, stages: list[Stage]
) -> Verdict:
    """Apply the relaxations the policy allows, in order, each only if it matches lines not matched
    before; each one applied becomes a stage."""
    count = len(before.entries)
    candidates: list[tuple[str, relax.Transform, str]] = []
    if policy.vary:
        candidates.append(("vary", relax.identity, relax.varying(policy.vary)))
    if policy.learn:
        candidates += [relax.DICT_ORDER, relax.WORKERS]
    if noise is not None and (noise.templates or noise.shuffled):
        candidates.append(("noise", noise.judged, noise.reason()))
    transform: relax.Transform = relax.identity
    for rule, mapping, reason in candidates:
        # noise was learned on the legacy runs' forms as the learned mappings make them, and maps a form whole
        candidate = mapping if rule == "noise" else relax.then(transform, mapping)
        ids = relax.classes(before.entries, after.entries, candidate)
        gained = relax.unmatched(stages[-1].ids, count) - relax.unmatched(ids, count)
        if gained > 0:
            transform = candidate
            stages.append(Stage(ids, Relaxation(rule, reason, (gained + 1) // 2)))
    ids = stages[-1].ids
    if ids[:count] == ids[count:]:
        return Verdict.EQUIVALENT
    free = free_lines(policy, before.entries, after.entries, noise)
    if any(free) or policy.learn:
        moves = relax.moved(ids, before.entries, after.entries, free, by_process=policy.learn)
        if moves is not None:
            stages.append(Stage(ids, Relaxation("order", order_reason(policy, noise), moves)))
            return Verdict.EQUIVALENT
    if noise is not None and noise.counts:
        return recounted(policy, before, after, noise, stages, free)
    return Verdict.DIFFERENT


def recounted(
    policy: Policy, before: Transcript, after: Transcript, noise: chance.Noise, stages: list[Stage], free: list[bool]
) -> Verdict:
    """The verdict once lines of a form whose number is chance are left out of the count (and of the order)."""
    count, ids = len(before.entries), stages[-1].ids
    keys = [entry.key for entry in before.entries], [entry.key for entry in after.entries]
    counted = noise.recounted(*keys)
    if not any(counted):
        return Verdict.DIFFERENT
    kept = [index for index, left in enumerate(counted) if not left]
    legacy = [before.entries[index] for index in kept if index < count]
    modern = [after.entries[index - count] for index in kept if index >= count]
    moves = relax.moved([ids[index] for index in kept], legacy, modern, [free[index] for index in kept], policy.learn)
    if moves is None:
        return Verdict.DIFFERENT
    surplus = relax.unmatched(ids, count)
    reason = f"lines of a form the runs print a varying number of: {noise.told_counts(keys[1])}"
    stages.append(Stage(ids, Relaxation("count", reason, surplus)))
    if moves:
        stages.append(Stage(ids, Relaxation("order", order_reason(policy, noise), moves)))
    return Verdict.EQUIVALENT


def free_lines(
    policy: Policy, legacy: Sequence[Entry], modern: Sequence[Entry], noise: chance.Noise | None
) -> list[bool]:
    """Which lines may go anywhere: those an `unordered` pattern matches, and those of a shape that moved
    between the legacy program's own runs."""
    patterns = [re.compile(pattern) for pattern in policy.unordered]
    moving = noise.moving if noise else set()
    return [
        any(pattern.search(entry.printed) for pattern in patterns)
        or (bool(moving) and chance.shape(noise.transform(entry.key)) in moving)  # type: ignore[union-attr]
        for entry in [*legacy, *modern]
    ]


def order_reason(policy: Policy, noise: chance.Noise | None) -> str:
    reasons = []
    if noise and noise.moving:
        reasons.append("an order the legacy program's own runs also showed")
    if policy.unordered:
        reasons.append(f"--unordered {' '.join(policy.unordered)}")
    if policy.learn:
        reasons.append("each process's own lines in their order")
    return f"lines in another order ({'; '.join(reasons)})"


def order_hint(legacy: Sequence[Entry], modern: Sequence[Entry], ids: list[int]) -> str:
    """For a difference of order only: the --unordered pattern that would accept it."""
    count = len(legacy)
    if Counter(ids[:count]) != Counter(ids[count:]):
        return ""
    moved = [entry.printed for entry, one, other in zip(modern, ids[count:], ids[:count]) if one != other]
    pattern = "|".join(dict.fromkeys(relax.general_pattern(line) for line in moved))
    return (
        f"the only difference is the order of {len(moved)} line(s) that the legacy program's own runs never"
        f" changed; --unordered '{pattern}' would accept them in any order"
    )


def diff(
    legacy: Transcript, modern: Transcript, stages: list[Stage], reorder: bool, entries: list[Entry | None]
) -> list[DiffLine]:
    """What each program printed, aligned: lines a relaxation accepted marked "~", with the legacy line and why.
    `entries` gets the compared line each line shows (the legacy one where both printed it; None for "@").

    Where order may differ (`reorder`), the modern lines are shown in the legacy order where they
    match, so that the diff shows what differs rather than what moved.
    """
    count = len(legacy.entries)
    order, matcher = aligned(count, stages, reorder)
    modern_entries = [modern.entries[index] for index in order]
    shown: list[DiffLine] = []
    context = max(count, len(order)) if len(order) <= WHOLE else CONTEXT
    for group in matcher.get_grouped_opcodes(context):
        if context == CONTEXT:
            first, last = group[0], group[-1]
            shown.append(
                DiffLine("@", f"@@ -{first[1] + 1},{last[2] - first[1]} +{first[3] + 1},{last[4] - first[3]} @@")
            )
            entries.append(None)
        for tag, a_start, a_end, b_start, b_end in group:
            if tag == "equal":
                for offset in range(a_end - a_start):
                    one, two = legacy.entries[a_start + offset], modern_entries[b_start + offset]
                    shown.append(accepted(one, two, a_start + offset, count + order[b_start + offset], stages))
                    entries.append(one)
                continue
            shown += [DiffLine("-", entry.shown) for entry in legacy.entries[a_start:a_end]]
            shown += [DiffLine("+", entry.shown) for entry in modern_entries[b_start:b_end]]
            entries += [*legacy.entries[a_start:a_end], *modern_entries[b_start:b_end]]
    return shown


def relaxed_lines(legacy: Transcript, modern: Transcript, stages: list[Stage], reorder: bool) -> list[DiffLine]:
    """For an equivalent verdict: each line a relaxation accepted although its text differs ("~"), with
    what the legacy program printed there and the rule."""
    count = len(legacy.entries)
    order, matcher = aligned(count, stages, reorder)
    counted = any(stage.relaxation and stage.relaxation.rule == "count" for stage in stages)
    shown = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag != "equal" and counted:  # lines of a form printed a varying number of times, as each side printed
            shown += [DiffLine("-", entry.shown, "count") for entry in legacy.entries[a_start:a_end]]
            shown += [DiffLine("+", modern.entries[index].shown, "count") for index in order[b_start:b_end]]
        for offset in range(a_end - a_start if tag == "equal" else 0):
            modern_index = order[b_start + offset]
            line = accepted(
                legacy.entries[a_start + offset],
                modern.entries[modern_index],
                a_start + offset,
                count + modern_index,
                stages,
            )
            if line.mark == "~":
                shown.append(line)
    return shown


def aligned(count: int, stages: list[Stage], reorder: bool) -> tuple[list[int], difflib.SequenceMatcher]:
    """The modern lines in the order they are shown (where order may differ, the legacy order where their
    classes match), and the matcher of the legacy program's `count` classes against theirs in that order."""
    ids = stages[-1].ids
    order = relax.in_legacy_order(ids, count) if reorder else list(range(len(ids) - count))
    return order, difflib.SequenceMatcher(a=ids[:count], b=[ids[count + index] for index in order], autojunk=False)


def accepted(legacy: Entry, modern: Entry, legacy_index: int, modern_index: int, stages: list[Stage]) -> DiffLine:
    """A line both printed: plain when normalisation alone makes them one, else marked with the relaxation."""
    if stages[0].ids[legacy_index] == stages[0].ids[modern_index]:
        return DiffLine(" ", legacy.shown)
    rule = next((stage.relaxation for stage in stages if stage.ids[legacy_index] == stage.ids[modern_index]), None)
    said = f"{rule.rule}: " if rule else ""
    return DiffLine("~", modern.shown, f"{said}legacy printed {legacy.shown!r}")


def crash_of(observation: Observation) -> str | None:
    """One line saying how a run ended badly, where it did: a hang, a signal, or a traceback and where it was raised."""
    if observation.timed_out:
        return f"{observation.label} hung: killed after its {observation.timeout:g} s timeout"
    if observation.stopped:
        return f"{observation.label} was stopped: {observation.stopped}"
    if observation.exit_code is not None and observation.exit_code < 0:
        return f"{observation.label} was killed by signal {-observation.exit_code}"
    stderr = [line.text for line in observation.lines if line.stream == "err"]
    if observation.exit_code == 0 or not any(line.startswith("Traceback") for line in stderr):
        return None
    told = next((line.strip() for line in reversed(stderr) if line.strip()), "")
    where = raised_at(stderr, observation)
    return f"{observation.label} crashed with exit code {observation.exit_code}: {told}{where}"


def raised_at(stderr: list[str], observation: Observation) -> str:
    """Where the last traceback was raised, at the program's own line rather than the standard library's
    (multiprocessing's pool.py re-raising a worker's exception): " (raised at new.py:8 in <module>)". Where a
    pool's or an executor's worker raised it, the worker's own traceback, which Python 3 quotes between lines
    of three quotes, says where, and the chain goes on to the program's line that waited for its result:
    " (raised at new.py:4 in f in a worker, re-raised at new.py:8 in <module>)"."""
    start = max((index for index, line in enumerate(stderr) if line.startswith(TRACEBACK)), default=0)
    remote = max((index for index, line in enumerate(stderr[:start]) if REMOTE_TRACEBACK.match(line)), default=None)
    frames = own_frame(stderr[start:])
    if remote is not None:
        quoted = [index for index, line in enumerate(stderr[remote + 1 : start], remote + 1) if line == '"""']
        worker = own_frame(stderr[quoted[0] : quoted[1]]) if len(quoted) >= 2 else None
        if worker is not None:
            again = f", re-raised at {frame_at(frames, observation)}" if frames else ""
            return f" (raised at {frame_at(worker, observation)} in a worker{again})"
    return f" (raised at {frame_at(frames, observation)})" if frames else ""


def own_frame(lines: Sequence[str]) -> re.Match | None:
    """The innermost frame of `lines` in the program's own code: not the standard library's nor a frozen
    module's; the innermost of all where every frame is theirs."""
    frames = [found for found in map(FRAME.match, lines) if found]
    own = [frame for frame in frames if not frame.group(1).startswith("<") and not LIBRARY.search(frame.group(1))]
    return (own or frames or [None])[-1]


def frame_at(frame: re.Match, observation: Observation) -> str:
    return f"{shown_path(frame.group(1), observation)}:{frame.group(2)} in {frame.group(3)}"


def shown_path(path: str, observation: Observation) -> str:
    """A path as the run saw it, its scratch directory taken off: where the file is in the workspace."""
    for text, placeholder in observation.substitutions:
        if placeholder == "<dir>" and path.startswith(text + "/"):
            return path[len(text) + 1 :]
    return path
