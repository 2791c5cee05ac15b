"""The relaxations: what two transcripts may differ in and still show the same behaviour.

Lines are matched by class: two lines are the same when they share a normal form (normalise.py),
and each relaxation is a further mapping of forms, applied only when it matches lines that were
not matched before, and said in the verdict with the lines it accepted:

1. declared: `vary` (the text a pattern matches may differ) and `unordered` (lines a pattern
   matches may come in any order), as the user or the data says;
2. learned from the programs, for one's own scripts (Policy.learn):
   - a dict printed with its items in another order (Python 2's hash order against 3.7+'s
     insertion order);
   - interchangeable workers: a line that names another child process (<pid 2> for <pid 1>) or
     another worker of the same kind (Process-3 for Process-1; PoolWorker-1 against
     ForkPoolWorker-1 is another kind): which worker ran a task is the pool's or the scheduler's
     choice;
   - the order between processes: each process's own lines keep their order, but how processes
     that do not synchronise interleave is left to chance (the hook says who printed each line);
   - chance, as both sides' own runs show it (chance.py): only when a difference remains.
"""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict, deque
from typing import Callable, Sequence

from portcheck.normalise import Entry

Transform = Callable[[str], str]

CHILD_ROLE = re.compile(r"<pid \d+>")
WORKER_NAME = re.compile(r"\b([A-Z][A-Za-z]*)-\d+(?::\d+)*\b")


def identity(form: str) -> str:
    return form


def classes(legacy: Sequence[Entry], modern: Sequence[Entry], transform: Transform = identity) -> list[int]:
    """A class per entry, legacy's then modern's: entries that share a normal form (after `transform`)
    share a class, and so, transitively, do entries that share one with the same entry."""
    entries = [*legacy, *modern]
    parent = list(range(len(entries)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for form in {transform(form) for form in entry.forms}:
            if form in first:
                parent[root(index)] = root(first[form])
            else:
                first[form] = index
    return [root(index) for index in range(len(entries))]


def unmatched(ids: list[int], legacy_count: int) -> int:
    """How many lines of either side have no counterpart of their class on the other."""
    legacy, modern = Counter(ids[:legacy_count]), Counter(ids[legacy_count:])
    return sum((legacy - modern).values()) + sum((modern - legacy).values())


def then(first: Transform, second: Transform) -> Transform:
    return lambda form: second(first(form))


# Declared


def varying(patterns: tuple[str, ...]) -> str:
    return f"text matching --vary {' '.join(patterns)} may differ"


# Learned: mappings of forms


def sorted_dicts(form: str) -> str:
    """A line that shows a dict, with its items sorted."""
    start, end = form.find("{"), form.rfind("}")
    if not 0 <= start < end:
        return form
    try:
        shown = ast.literal_eval(form[start : end + 1])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return form
    if not isinstance(shown, dict) or len(shown) < 2:
        return form
    try:
        items = sorted(shown.items())
    except TypeError:
        items = sorted(shown.items(), key=repr)
    return form[:start] + "{" + ", ".join(f"{k!r}: {v!r}" for k, v in items) + "}" + form[end + 1 :]


def any_worker(form: str) -> str:
    """A line with every child process and every numbered worker read as any one of its kind."""
    return WORKER_NAME.sub(r"\1-*", CHILD_ROLE.sub("<pid *>", form))


DICT_ORDER = (
    "dict order",
    sorted_dicts,
    (
        "a dict printed with its items in another order (Python 2 printed them in hash order, Python 3.7+ prints"
        " them in insertion order)"
    ),
)
WORKERS = (
    "interchangeable workers",
    any_worker,
    (
        "another worker of the same kind named (<pid N>, Process-N): which worker ran a task is the pool's or the"
        " scheduler's choice"
    ),
)


# Learned: every mapping but noise


def learned(form: str) -> str:
    """A form with every learned mapping but noise: what the legacy runs are compared in, so that a line
    that only names another worker, or shows a dict in another order, is the same line in another place."""
    return any_worker(sorted_dicts(form))


def general_pattern(line: str) -> str:
    """A pattern for lines like `line`: its words and numbers may be any others."""

    def general(piece: str) -> str:
        if piece[0].isdigit():
            return r"\d+"
        if piece[0].isalpha() or piece[0] == "_":
            return r"\w+"
        return piece if piece.isspace() else re.escape(piece)

    return "^" + "".join(general(piece) for piece in re.findall(r"[^\W\d]+|\d+|\s+|.", line)) + "$"


# Order


def moved(
    ids: list[int], legacy: Sequence[Entry], modern: Sequence[Entry], free: list[bool], by_process: bool
) -> int | None:
    """How many lines came in another order, if order is all that differs and it is allowed; else None.

    `free` lines (legacy's, then modern's) may go anywhere. Two other lines keep their order when one
    process printed both on each side (`by_process`; else when they are any two lines): a process's own
    lines come in the order it printed them, but lines one side prints from two processes, such as two
    pool workers that took the tasks the other side's one worker took, were never ordered.
    """
    count = len(legacy)
    legacy_ids, modern_ids = ids[:count], ids[count:]
    if Counter(legacy_ids) != Counter(modern_ids):
        return None
    places: dict[int, deque[int]] = defaultdict(deque)
    for index, class_id in enumerate(legacy_ids):
        places[class_id].append(index)
    to_legacy = [places[class_id].popleft() for class_id in modern_ids]
    streams: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
    for modern_index, legacy_index in enumerate(to_legacy):
        if free[count + modern_index] or free[legacy_index]:
            continue
        owners = (legacy[legacy_index].owner, modern[modern_index].owner) if by_process else (None, None)
        streams[owners].append(legacy_index)
    if any(stream != sorted(stream) for stream in streams.values()):
        return None
    return sum(1 for modern_index, legacy_index in enumerate(to_legacy) if modern_index != legacy_index)


def in_legacy_order(ids: list[int], count: int) -> list[int]:
    """Modern's indices reordered to follow legacy's order where their classes match; the rest after
    the line they followed, so that a diff shows what differs rather than what moved."""
    legacy_ids, modern_ids = ids[:count], ids[count:]
    waiting: dict[int, deque[int]] = defaultdict(deque)
    for index, class_id in enumerate(modern_ids):
        waiting[class_id].append(index)
    matched: dict[int, int] = {}  # modern index -> legacy index
    for legacy_index, class_id in enumerate(legacy_ids):
        if waiting[class_id]:
            matched[waiting[class_id].popleft()] = legacy_index
    order: list[tuple[float, int]] = []
    last = -1.0
    for index in range(len(modern_ids)):
        if index in matched:
            last = matched[index]
            order.append((last, index))
        else:
            last += 1e-6
            order.append((last, index))
    return [index for _, index in sorted(order)]
