"""Why a port printed something else: each difference of a "different" result, matched against the
changes from Python 2 to 3 that are known to make it, or said to have no known cause.

A result's diff (verdict.py) shows the lines only the legacy program printed ("-") and those only
its port printed ("+"). Each rule here is one change of the language or of multiprocessing, and
says exactly what that change does to what a program prints:

- most rules rewrite a pair of lines, one "-" and one "+", undoing their change and nothing else
  (true division: each number n of the legacy line that the modern line shows as a float that
  floors to n). A pair is explained when at most MOST_RULES_PER_PAIR rules make its two lines the
  same, and each rule named was needed to;
- print-softspace also matches a run of lines that the print statement's trailing comma joined or
  split, and dict-order lines that came in another order from one loop of one process;
- crash rules match an exception the port raised and its original did not (a pickling error
  under spawn); they explain that traceback, the exit code that goes with it, and the legacy
  lines the port never reached.

Lines are matched in the forms the comparison used (normalise.py): the pair's declared
differences and --vary applied, each pid as its role, memory addresses as 0x<address>, the run's
own paths as <dir> and <script>; and what the comparison leaves to chance for one's own scripts
(which worker ran a task, a field the legacy runs varied in) is chance here too. What no rule
explains is "no known cause": a rule fires on the difference its change makes, never on a
resemblance.

Each rule is documented by its own data (cause, fix, what it matches, an example), which
docs/diagnoses.md is made from: python -m portcheck.diagnose > docs/diagnoses.md
"""

from __future__ import annotations

import ast
import errno
import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterator, List, Sequence, Tuple

from portcheck.chance import Noise
from portcheck.model import NO_KNOWN_CAUSE, Diagnosis, Observation, Policy, Result, Verdict
from portcheck.normalise import ADDRESS, VARIES, readings, transcript
from portcheck.relax import any_worker, general_pattern
from portcheck.running import START_METHODS

MOST_RULES_PER_PAIR = 3  # changes one line may show at once: u'' keys, L values, and their order
MOST_PAIRS_TRIED = 5000  # pairs of lines tried in one run of differences; beyond it, only nearby ones
NEARBY = 10  # "+" lines tried on each side of a "-" line's own place, when there are too many pairs


@dataclass(frozen=True)
class Context:
    """What a rule may need beyond the two lines: how the port ran."""

    start_method: str = "fork"
    python: tuple[int, ...] = (3, 13)  # the port's Python


Rewrite = Callable[[str, str, Context], List[Tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    """One change from Python 2 to 3, and exactly what it does to what a program prints."""

    id: str
    cause: str  # one line: what changed
    fix: str  # one line: what to write instead
    matches: str  # Markdown for docs/diagnoses.md: the lines it explains, and the near misses it leaves
    example: tuple[str, ...]  # diff lines it explains ("-out: ...", "+out: ..."), for the page and the tests
    rewrite: Rewrite | None = None  # a "-" line and a "+" line, rewritten to undo the change
    crash: re.Pattern | None = None  # an exception line of the port's that the change raises
    start_methods: tuple[str, ...] = START_METHODS  # where the change shows
    python: tuple[int, int] = (3, 0)  # the first Python 3 that shows it
    readme: str = ""  # the README's anchor that teaches it, where it has one
    example_context: Context = Context()

    @property
    def link(self) -> str:
        return f"README.md#{self.readme}" if self.readme else f"docs/diagnoses.md#{self.id}"

    def applies(self, context: Context) -> bool:
        return context.start_method in self.start_methods and tuple(context.python[:2]) >= self.python


# Reading what was printed: a line's stream, its numbers, strings and brackets


HEAD = re.compile(r"^(?:out|err): |^file: [^:]*: ")
NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w])")
STRING = re.compile(r"""(?<![\w'"\\])([uUbB]?)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
OPENING = {"(": ")", "[": "]", "{": "}"}


def split_head(text: str) -> tuple[str, str] | None:
    """ "out: hello" -> ("out: ", "hello"); None for a line no program printed (the exit code)."""
    found = HEAD.match(text)
    return (found.group(), text[found.end() :]) if found else None


def string_end(text: str, start: int) -> int:
    """The index of the quote that closes the string opening at `start`, or -1."""
    quote, index = text[start], start + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        index += 1
    return -1


def top_level(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of `text` outside strings, with its depth in brackets; strings are skipped whole."""
    depth, index = 0, 0
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = string_end(text, index)
            if end < 0:
                return
            index = end + 1
            continue
        if char in ")]}":
            depth -= 1
        yield index, char, depth
        if char in OPENING:
            depth += 1
        index += 1


def closing(text: str, start: int) -> int:
    """The index of the bracket that closes the one at `start`, or -1."""
    for index, char, depth in top_level(text[start:]):
        if depth == 0 and char in ")]}" and index > 0:
            return start + index
        if depth < 0:
            return -1
    return -1


def items_of(inner: str) -> list[str]:
    """The top-level items of a bracket's contents: "1, [2, 3], 'a, b'" -> ["1", "[2, 3]", "'a, b'"]."""
    items, start = [], 0
    for index, char, depth in top_level(inner):
        if char == "," and depth == 0:
            items.append(inner[start:index].strip())
            start = index + 1
    tail = inner[start:].strip()
    if tail or items:
        items.append(tail)
    return items


def has_colon(item: str) -> bool:
    return any(char == ":" and depth == 0 for _, char, depth in top_level(item))


def literal(text: str) -> object:
    """A Python 2 literal as printed (u'', L suffixes allowed), evaluated; a ValueError if it is none."""
    try:
        return ast.literal_eval(re.sub(r"(?<![\w.])(-?\d+)L(?!\w)", r"\1", text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError(text) from None


def python2_text(prefix: str, quoted: str) -> str | None:
    """What a Python 2 string literal as printed holds, as text: a byte string is read as UTF-8."""
    try:
        if prefix.lower() == "u":
            value = ast.literal_eval(quoted)
            return value if isinstance(value, str) else None
        data = ast.literal_eval("b" + quoted)
    except (ValueError, SyntaxError):
        return None
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else None


def changed(pairs: list[tuple[str, str]], legacy: str, modern: str) -> list[tuple[str, str]]:
    """The rewritten pairs that differ from the lines given: a rule that changed nothing did not apply."""
    return [pair for pair in pairs if pair != (legacy, modern)]


# Numbers


def aligned_numbers(legacy: str, modern: str, accept: Callable[[str, str], bool]) -> list[tuple[str, str]]:
    """The modern line with each of its numbers that `accept` pairs with the legacy line's number there
    put back as the legacy one; only where the lines are the same around their numbers."""
    old, new = numbers_apart(legacy), numbers_apart(modern)
    if len(old) != len(new) or old[::2] != new[::2]:
        return []
    rebuilt, used = list(new), False
    for index in range(1, len(old), 2):
        if old[index] != new[index] and accept(old[index], new[index]):
            rebuilt[index], used = old[index], True
    return [(legacy, "".join(rebuilt))] if used else []


@functools.lru_cache(maxsize=4096)
def numbers_apart(text: str) -> tuple[str, ...]:
    """Text, then a number, alternately; five rules read the same lines' numbers, so each is split once."""
    return tuple(NUMBER.split(text))


def is_int(number: str) -> bool:
    return re.fullmatch(r"-?\d+(?:,\d{3})*", number) is not None


def value(number: str) -> float:
    return float(number.replace(",", ""))


def decimals(number: str) -> int:
    return len(number.partition(".")[2]) if "e" not in number.lower() else -1


def floors_to(old: str, new: str) -> bool:
    """Python 2's floored quotient `old` against Python 3's true quotient `new`: 3 / 3.5, 1 / 1.0, and
    formatted alike, 3.00 / 3.50 (a float made from an int quotient)."""
    if is_int(new):
        return False
    if is_int(old):
        return math.floor(value(new)) == value(old) and ("," in old) <= ("," in new)
    whole = re.fullmatch(r"-?[\d,]+\.(0+)", old)
    return bool(whole) and decimals(new) == decimals(old) and math.floor(value(new)) == value(old)


def true_division(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, floors_to)


def python2_str(number: float) -> str:
    """str(number) as Python 2 wrote it: 12 significant digits, ".0" kept on a whole number."""
    text = f"{number:.12g}"
    return text + ".0" if re.fullmatch(r"-?\d+", text) else text


def shorter_float(old: str, new: str) -> bool:
    if is_int(old) or is_int(new) or "," in old + new:
        return False
    try:
        return python2_str(float(new)) == old
    except ValueError:
        return False


def float_str(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, shorter_float)


def rounded_half_to_even(old: str, new: str) -> bool:
    """Python 2's round() (half away from zero, a float) against Python 3's (half to even): 3.0 / 2,
    -3.0 / -2, 0.13 / 0.12 (round(0.125, 2))."""
    try:
        before, after = Decimal(old), Decimal(new)
    except InvalidOperation:
        return False
    if re.fullmatch(r"-?\d+\.0", old) and re.fullmatch(r"-?\d+", new):
        unit = Decimal(1)
    elif decimals(old) == decimals(new) and decimals(old) > 0:
        unit = Decimal(1).scaleb(-decimals(old))
    else:
        return False
    even = int(new.replace("-", "").replace(".", "")[-1]) % 2 == 0
    same_sign = (before < 0) == (after < 0) or after == 0
    return even and same_sign and abs(before) - abs(after) == unit


def round_half_even(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, rounded_half_to_even)


def int_for_float(old: str, new: str) -> bool:
    return re.fullmatch(r"-?\d+", new) is not None and old == f"{new}.0"


def round_returns_int(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return aligned_numbers(legacy, modern, int_for_float)


def sys_exit_none(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """An exit code printed as 1 by the original and 0 by the port, on a line that says it is one."""
    if "exit" not in legacy.lower():
        return []
    return aligned_numbers(legacy, modern, lambda old, new: (old, new) == ("1", "0"))


# Strings, bytes and longs


def long_suffix(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return changed([(re.sub(r"(?<![\w.])(-?\d+)L(?!\w)", r"\1", legacy), modern)], legacy, modern)


def unicode_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The legacy line with each u'...' (and each byte string shown with \\x escapes) as Python 3 shows the text."""

    def as_python3(found: re.Match) -> str:
        prefix, quoted = found.groups()
        if prefix.lower() == "b" or (not prefix and "\\x" not in quoted):
            return found.group()
        text = python2_text(prefix, quoted)
        return repr(text) if text is not None else found.group()

    return changed([(STRING.sub(as_python3, legacy), modern)], legacy, modern)


def bytes_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The modern line with each b'...' as Python 2's str showed it: its repr without the b, or its text."""
    if not re.search(r"(?<![\w'\"\\])[bB]['\"]", modern):
        return []

    def shown(as_text: bool) -> Callable[[re.Match], str]:
        def one(found: re.Match) -> str:
            prefix, quoted = found.groups()
            if prefix.lower() != "b":
                return found.group()
            if not as_text:
                return quoted
            text = python2_text("", quoted)
            return text if text is not None else found.group()

        return one

    return changed(
        [(legacy, STRING.sub(shown(False), modern)), (legacy, STRING.sub(shown(True), modern))], legacy, modern
    )


# print


def print_tuple(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """`print (a, b)`: Python 2 printed the tuple; the port's print(a, b) prints its items, a space apart."""
    parts = split_head(legacy)
    if parts is None or not (parts[1].startswith("(") and closing(parts[1], 0) == len(parts[1]) - 1):
        return []
    items = items_of(parts[1][1:-1])
    if len(items) == 1 or (items and not items[-1]):  # (a) is a itself; (a,) is a one-item tuple
        return []

    def as_printed(item: str) -> str:
        quoted = STRING.fullmatch(item)
        if quoted:
            text = python2_text(*quoted.groups())
            return text if text is not None else item
        return re.sub(r"^(-?\d+)L$", r"\1", item)

    return [(parts[0] + " ".join(as_printed(item) for item in items), modern)]


def without_softspace(text: str) -> str:
    """A printed line without the spaces print statements and print() put differently: one after each
    tab, one at its start and one at its end."""
    parts = split_head(text)
    if parts is None:
        return text
    body = parts[1].replace("\t ", "\t")
    body = body[1:] if body.startswith(" ") else body
    body = body[:-1] if body.endswith(" ") else body
    return parts[0] + body


def print_softspace(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return changed([(without_softspace(legacy), without_softspace(modern))], legacy, modern)


def softspace_joined(legacy: Sequence[str], modern: Sequence[str]) -> bool:
    """Whether runs of lines differ only as a print statement's trailing comma makes them: joined or
    split at a space, with a space more or less beside the break."""
    if len(legacy) == len(modern) or not legacy or not modern:
        return False
    heads = {split_head(line)[0] if split_head(line) else None for line in [*legacy, *modern]}
    if len(heads) != 1 or None in heads:
        return False
    head = heads.pop()

    def joined(lines: Sequence[str]) -> str:
        text = "\n".join(line[len(head) :] for line in lines).replace("\t ", "\t")
        return re.sub(r" ?\n ?| ", " ", text).strip(" ")

    return joined(legacy) == joined(modern)


# Lazy objects printed


LAZY = re.compile(
    r"<(?:map|filter|zip) object at 0x<address>>|dict_(?:keys|values|items)\(|range\(-?\d+, -?\d+(?:, -?\d+)?\)"
)


def lazy_object(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The modern line's lazy objects (map, filter, zip, range, dict views) put back as the lists the
    legacy line printed in their place."""
    pieces: list[str] = []  # text, then a lazy object's own text, alternately
    kinds: list[str] = []
    position = 0
    for found in LAZY.finditer(modern):
        if found.start() < position:
            continue
        end = found.end()
        if found.group().startswith("dict_"):
            end = closing(modern, found.end() - 1) + 1
            if end <= 0:
                return []
        pieces += [modern[position : found.start()], modern[found.start() : end]]
        kinds.append(found.group())
        position = end
    if not kinds or len(kinds) > 4:
        return []
    pieces.append(modern[position:])
    pattern = "".join(re.escape(piece) if index % 2 == 0 else "(.+?)" for index, piece in enumerate(pieces))
    matched = re.fullmatch(pattern, legacy, re.DOTALL)
    if not matched:
        return []
    for kind, lazy, printed in zip(kinds, pieces[1::2], matched.groups()):
        if not was_its_list(kind, lazy, printed):
            return []
    return [(legacy, legacy)]


def was_its_list(kind: str, lazy: str, printed: str) -> bool:
    """Whether `printed` (legacy) is what Python 2 printed where Python 3 printed the lazy object `lazy`."""
    try:
        shown = literal(printed)
    except ValueError:
        shown = None
    if kind.startswith("<"):  # map, filter, zip: any list (filter on a str or tuple gave one of those)
        return isinstance(shown, (list, str, tuple)) and printed[:1] in "[('\"u"
    if kind.startswith("dict_"):
        if not printed.startswith("["):
            return False
        return sorted(items_of(printed[1:-1])) == sorted(items_of(lazy[lazy.index("(") + 2 : -2]))
    numbers = [int(number) for number in re.findall(r"-?\d+", lazy)]
    expected = list(range(*numbers))
    if isinstance(shown, list):
        return shown == expected
    found = re.fullmatch(r"xrange\((-?\d+)(?:, (-?\d+))?(?:, (-?\d+))?\)", printed)
    if not found:
        return False
    given = [int(number) for number in found.groups() if number is not None]
    return list(range(*given)) == expected


# Order


def sorted_braces(text: str, dicts: bool) -> str:
    """`text` with the items of each {...} that is a dict (`dicts`) or a set sorted as text."""
    pieces, position = [], 0
    start = text.find("{")
    while start >= 0:
        end = closing(text, start)
        if end < 0:
            break
        items = items_of(text[start + 1 : end])
        is_dict = bool(items) and all(has_colon(item) for item in items)
        is_set = bool(items) and not any(has_colon(item) for item in items)
        if len(items) >= 2 and (is_dict if dicts else is_set):
            pieces += [text[position:start], "{" + ", ".join(sorted(items)) + "}"]
        else:
            pieces.append(text[position : end + 1])
        position = end + 1
        start = text.find("{", position)
    pieces.append(text[position:])
    return "".join(pieces)


def dict_order(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return changed([(sorted_braces(legacy, True), sorted_braces(modern, True))], legacy, modern)


def python3_sets(text: str) -> str:
    """Python 2's set([1, 2]) and frozenset([1, 2]) as Python 3 prints them: {1, 2}, frozenset({1, 2})."""
    pieces, position = [], 0
    for found in re.finditer(r"(?<![\w.])(frozenset|set)\(\[", text):
        if found.start() < position:
            continue
        end = closing(text, found.end() - 1)
        if end < 0 or text[end + 1 : end + 2] != ")":
            continue
        inner = text[found.end() : end]
        shown = "{" + inner + "}" if inner else "()"
        if found.group(1) == "frozenset" or not inner:
            shown = f"{found.group(1)}({shown})" if inner else f"{found.group(1)}()"
        pieces += [text[position : found.start()], shown]
        position = end + 2
    pieces.append(text[position:])
    return "".join(pieces)


def set_order(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    return changed([(sorted_braces(python3_sets(legacy), False), sorted_braces(modern, False))], legacy, modern)


# Exceptions


OS_ERRORS = ("IOError", "OSError", "EnvironmentError", "WindowsError", "socket.error", "select.error", "error")
ERRNO_CLASSES = {
    errno.EAGAIN: "BlockingIOError",
    errno.EALREADY: "BlockingIOError",
    errno.EINPROGRESS: "BlockingIOError",
    errno.ECHILD: "ChildProcessError",
    errno.EPIPE: "BrokenPipeError",
    errno.ESHUTDOWN: "BrokenPipeError",
    errno.ECONNABORTED: "ConnectionAbortedError",
    errno.ECONNREFUSED: "ConnectionRefusedError",
    errno.ECONNRESET: "ConnectionResetError",
    errno.EEXIST: "FileExistsError",
    errno.ENOENT: "FileNotFoundError",
    errno.EINTR: "InterruptedError",
    errno.EISDIR: "IsADirectoryError",
    errno.ENOTDIR: "NotADirectoryError",
    errno.EACCES: "PermissionError",
    errno.EPERM: "PermissionError",
    errno.ESRCH: "ProcessLookupError",
    errno.ETIMEDOUT: "TimeoutError",
}
RENAMED = {
    "ImportError": ("ModuleNotFoundError",),
    "cPickle.PicklingError": ("_pickle.PicklingError",),
    "cPickle.UnpicklingError": ("_pickle.UnpicklingError",),
    "Queue.Empty": ("_queue.Empty", "queue.Empty"),
    "Queue.Full": ("queue.Full",),
    "socket.timeout": ("TimeoutError",),
    "timeout": ("TimeoutError",),
}
NAME = re.compile(r"([A-Za-z_][\w.]*)")


def renamed(old: str, new: str, line: str) -> bool:
    if old in OS_ERRORS:
        number = re.search(r"\[Errno (\d+)\]", line)
        if number is None:
            return new == "OSError" and old != "error"
        return new == ERRNO_CLASSES.get(int(number.group(1)), "OSError")
    return new in RENAMED.get(old, ())


def renamed_exception(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The legacy line with each exception name Python 3 reports by another name put as that name."""
    old, new = NAME.split(legacy), NAME.split(modern)
    if len(old) != len(new):
        return []
    rebuilt, used = list(old), False
    for index in range(1, len(old), 2):
        if old[index] != new[index] and renamed(old[index], new[index], legacy):
            followed = old[index + 1][:1] if index + 1 < len(old) else ""
            if old[index] in ("timeout", "socket.timeout") and followed != ":":
                continue  # the word "timeout" is an exception only where an exception line names it
            rebuilt[index], used = new[index], True
    return [("".join(rebuilt), modern)] if used else []


# Messages Python 3 words differently: a legacy pattern, the modern pattern, and which groups must agree.
QUALIFIED = r"(?:[\w.<>]+\.)?"
MESSAGES: tuple[tuple[str, str], ...] = (
    (r"No module named (?P<module>[\w.]+)$", r"No module named '(?P<module>[\w.]+)'$"),
    (r"global name '(?P<name>\w+)' is not defined", r"name '(?P<name>\w+)' is not defined"),
    (
        r"integer division or modulo by zero",
        r"(?:division by zero|integer division by zero|integer modulo by zero|integer division or modulo by zero)",
    ),
    (
        r"(?P<f>\w+)\(\) takes exactly (?P<n>\d+) arguments? \((?P<g>\d+) given\)",
        (
            rf"{QUALIFIED}(?P<f>\w+)\(\) (?:missing (?P<k>\d+) required positional arguments?: .+"
            r"|takes (?P<n>\d+) positional arguments? but (?P<g>\d+) (?:were|was) given)"
        ),
    ),
    (
        r"(?P<f>\w+)\(\) takes at least (?P<n>\d+) arguments? \((?P<g>\d+) given\)",
        rf"{QUALIFIED}(?P<f>\w+)\(\) missing (?P<k>\d+) required positional arguments?: .+",
    ),
    (
        r"(?P<f>\w+)\(\) takes at most (?P<n>\d+) arguments? \((?P<g>\d+) given\)",
        rf"{QUALIFIED}(?P<f>\w+)\(\) takes from \d+ to (?P<n>\d+) positional arguments but (?P<g>\d+) were given",
    ),
    (
        r"(?P<f>\w+)\(\) takes no arguments \((?P<g>\d+) given\)",
        rf"{QUALIFIED}(?P<f>\w+)\(\) takes 0 positional arguments but (?P<g>\d+) (?:were|was) given",
    ),
    (r"'(?P<t>\w+)' object has no attribute '__getitem__'", r"'(?P<t>\w+)' object is not subscriptable"),
    (r"'(?P<t>\w+)' object does not support indexing", r"'(?P<t>\w+)' object is not subscriptable"),
    (
        r"cannot concatenate '(?P<a>\w+)' and '(?P<b>\w+)' objects",
        r"(?:can only concatenate (?P<a>\w+) \(not \"(?P<b>\w+)\"\) to \w+|must be (?P<a2>\w+), not (?P<b2>\w+))",
    ),
    (r"too many values to unpack$", r"too many values to unpack \(expected \d+(?:, got \d+)?\)$"),
    (r"need more than (?P<g>\d+) values? to unpack", r"not enough values to unpack \(expected \d+, got (?P<g>\d+)\)"),
    (
        r"local variable '(?P<n>\w+)' referenced before assignment",
        r"cannot access local variable '(?P<n>\w+)' where it is not associated with a value",
    ),
    (
        r"unhashable type: '(?P<t>\w+)'",
        r"cannot use '(?P<t>\w+)' as a (?:set element|dict key) \(unhashable type: '\w+'\)",
    ),
    (
        r"int\(\) argument must be a string or a number, not '(?P<t>\w+)'",
        r"int\(\) argument must be a string, a bytes-like object or a (?:real )?number, not '(?P<t>\w+)'",
    ),
    (
        r"%(?P<c>[di]) format: a number is required, not (?P<t>\w+)",
        r"%(?P<c>[di]) format: a real number is required, not (?P<t>\w+)",
    ),
    (r"can't pickle (?P<t>\w+) objects", r"cannot pickle '(?:[\w.]+\.)?(?P<t>\w+)' object"),
    (
        r"(?P<f>\w+)\(\) got an unexpected keyword argument '(?P<k>\w+)'",
        rf"{QUALIFIED}(?P<f>\w+)\(\) got an unexpected keyword argument '(?P<k>\w+)'",
    ),
    (
        r"(?P<f>\w+)\(\) got multiple values for keyword argument '(?P<k>\w+)'",
        rf"{QUALIFIED}(?P<f>\w+)\(\) got multiple values for argument '(?P<k>\w+)'",
    ),
    (
        r"(?P<s>list|tuple) indices must be integers, not (?P<t>\w+)",
        r"(?P<s>list|tuple) indices must be integers or slices, not (?P<t>\w+)",
    ),
    (
        r"string indices must be integers(?:, not (?P<t>\w+))?$",
        r"string indices must be integers(?:, not '(?P<t>\w+)')?$",
    ),
    (
        r"exceptions must be old-style classes or derived from BaseException, not \w+",
        r"exceptions must derive from BaseException",
    ),
    (r"object\(\) takes no parameters", r"\w+\(\) takes no arguments"),
    (r"'module' object has no attribute '(?P<a>\w+)'", r"module '[\w.]+' has no attribute '(?P<a>\w+)'"),
    (r"expected string or buffer", r"expected string or bytes-like object(?:, got '\w+')?"),
    (
        r"sequence item (?P<i>\d+): expected string, (?P<t>\w+) found",
        r"sequence item (?P<i>\d+): expected str instance, (?P<t>\w+) found",
    ),
    (
        r"maximum recursion depth exceeded(?: while calling a Python object| in cmp| in comparison)?$",
        r"maximum recursion depth exceeded(?: while calling a Python object| in comparison)?$",
    ),
    (
        r"Can't pickle <type '\w+'>: attribute lookup __builtin__\.\w+ failed",
        (
            r"(?:Can't pickle <.+>: attribute lookup .+ failed|Can't (?:pickle|get) local object '.+'"
            r"|cannot pickle '.+' object)"
        ),
    ),
)
COMPILED_MESSAGES = tuple((re.compile(old), re.compile(new)) for old, new in MESSAGES)
# any legacy message at all, its groups unnamed: most lines show none, and need not be tried against each
ANY_LEGACY_MESSAGE = re.compile(re.sub(r"\(\?P<\w+>", "(?:", "|".join(f"(?:{old})" for old, _ in MESSAGES)))
DID_YOU_MEAN = re.compile(r"\. Did you mean:? '?[\w.]+'?\?$")


def agree(old: re.Match, new: re.Match) -> bool:
    """Whether two messages name the same things: each group both have alike, and argument counts that add up."""
    mine, theirs = old.groupdict(), {key: value for key, value in new.groupdict().items() if value is not None}
    if "k" in theirs:
        return int(mine["n"]) - int(mine["g"]) == int(theirs["k"]) and mine["f"] == theirs["f"]
    if "module" in mine and "module" in theirs:
        return theirs["module"] == mine["module"] or theirs["module"].endswith("." + mine["module"])
    for key in ("a2", "b2"):
        if key in theirs:
            theirs[key[0]] = theirs.pop(key)
    return all(mine[key] == theirs[key] for key in mine.keys() & theirs.keys() if mine[key] is not None)


def changed_message(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The modern line with its exception message worded as Python 2 worded the same failure."""
    suggestion = DID_YOU_MEAN.search(modern)
    if not suggestion and not ANY_LEGACY_MESSAGE.search(legacy):
        return []
    versions = [modern]
    if suggestion and not DID_YOU_MEAN.search(legacy):
        versions.append(modern[: suggestion.start()])  # 3.10+ suggests a name; Python 2 did not
    found = [(legacy, version) for version in versions[1:]]
    for version in versions:
        for old_pattern, new_pattern in COMPILED_MESSAGES:
            old, new = old_pattern.search(legacy), new_pattern.search(version)
            if old and new and agree(old, new):
                found.append((legacy, version[: new.start()] + old.group() + version[new.end() :]))
    return changed(found, legacy, modern)


# multiprocessing's own text

PROCESS_2 = re.compile(r"<(\w+)\(([^()]*?), (initial|started|stopped(?:\[([-\w]+)\])?|unknown)( daemon)?\)>")
PID_VALUE = r"(?:<[a-z][a-z ]*\d*>|[^\s>]+)"  # a pid as printed, or as its role
PROCESS_3 = re.compile(
    rf"<(\w+) name='((?:[^'\\]|\\.)*)'( pid={PID_VALUE})? parent=({PID_VALUE}) (initial|started|stopped|closed|unknown)"
    r"(?: exitcode=([-\w]+))?( daemon)?>"
)
METHOD_PREFIX = {"fork": "Fork", "spawn": "Spawn", "forkserver": "ForkServer"}


def process_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """Each Process repr of the legacy line, <Process(name, stopped[1])>, written as Python 3 writes the
    same process, with the pids the port's line shows: <Process name='name' pid=.. parent=.. stopped exitcode=1>."""
    old, new = list(PROCESS_2.finditer(legacy)), list(PROCESS_3.finditer(modern))
    if not old or len(old) != len(new):
        return []
    pieces, position = [], 0
    for before, after in zip(old, new):
        kind, name, status, code, daemon = before.group(1, 2, 3, 4, 5)
        if after.group(1) not in (kind, f"{METHOD_PREFIX.get(context.start_method, '')}{kind}"):
            return []
        if status.startswith("stopped"):
            code = code or "0"
            code = f"-{code}" if code.startswith("SIG") else code
            status = f"stopped exitcode={code}"
        pid = after.group(3) or ""
        shown = f"<{after.group(1)} name={name!r}{pid} parent={after.group(4)} {status}{daemon or ''}>"
        pieces += [legacy[position : before.start()], shown]
        position = before.end()
    pieces.append(legacy[position:])
    return changed([("".join(pieces), modern)], legacy, modern)


WORKER_2 = re.compile(r"\b(PoolWorker|Process)-\d+(?::\d+)*\b")


def pool_worker_name(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """Worker names as any worker: PoolWorker-1 against ForkPoolWorker-2 (the start method's prefix) is the
    same name; which worker ran a task is the pool's choice."""
    prefix = METHOD_PREFIX.get(context.start_method)
    worker_3 = re.compile(rf"\b{prefix}(PoolWorker|Process)-\d+(?::\d+)*\b")
    if prefix is None or not worker_3.search(modern) or not WORKER_2.search(legacy):
        return []
    return [(WORKER_2.sub("<worker>", legacy), WORKER_2.sub("<worker>", worker_3.sub("<worker>", modern)))]


ROLE = re.compile(r"(<[a-z][a-z ]*\d*>)")


def getppid_under_forkserver(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The port's line naming the fork server (a helper, or a process the hook never saw) where the
    original named its main process."""
    old, new = ROLE.split(legacy), ROLE.split(modern)
    if len(old) != len(new) or old[::2] != new[::2]:
        return []
    rebuilt, used = list(new), False
    for index in range(1, len(old), 2):
        if old[index] == "<main pid>" and (new[index] == "<helper pid>" or new[index].startswith("<other pid")):
            rebuilt[index], used = old[index], True
    return [(legacy, "".join(rebuilt))] if used else []


TYPE_2 = re.compile(r"<type '([\w.]+)'>")
TYPE_NAMES = {"unicode": "str", "long": "int"}


def type_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The legacy line with <type 'x'> as <class 'x'> (exceptions.X as X, unicode as str, long as int), and
    an old-style instance, <__main__.A instance at 0x...>, as <__main__.A object at 0x...>."""

    def as_class(found: re.Match) -> str:
        name = found.group(1)
        name = name[len("exceptions.") :] if name.startswith("exceptions.") else TYPE_NAMES.get(name, name)
        return f"<class '{name}'>"

    shown = TYPE_2.sub(as_class, legacy)
    shown = re.sub(r"<([\w.]+) instance at (0x<address>)>", r"<\1 object at \2>", shown)
    return changed([(shown, modern)], legacy, modern)


# Crashes: an exception the port raised and its original did not


TRACEBACK_LINE = re.compile(
    r"^err: (?:Traceback \(most recent call last\):|During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:|Process [\w-]+(?::\d+)*:|"
    r"|[A-Za-z_][\w.]*(?:: .*)?|\s.*)$"  # the last: a message's own lines after the first, indented
)


def crash_pattern(*exceptions: str) -> re.Pattern:
    return re.compile(r"^err: (?:" + "|".join(exceptions) + r")$")


# Running the rules


@dataclass
class Side:
    """A "-" or "+" line of the diff, in the form it was compared in."""

    index: int  # in the diff
    mark: str
    text: str  # as shown
    form: str  # normalised: pids as roles, addresses, the run's own paths


def normalised(text: str, observation: Observation, others: dict[str, str], policy: Policy, legacy: bool) -> str:
    """A diff line in the form the comparison read it (normalise.transcript): the pair's declared differences
    (legacy side), --vary, the run's paths, memory addresses and pids in their normal forms."""
    stream, separator, printed = text.partition(": ")
    if stream in ("out", "err", "file"):
        if legacy:
            for difference in policy.differences:
                printed = printed.replace(difference.legacy, difference.modern)
        for pattern in policy.vary:
            printed = re.sub(pattern, VARIES, printed)
        text = stream + separator + printed
    for path, placeholder in sorted(observation.substitutions, key=lambda pair: -len(pair[0])):
        text = text.replace(path, placeholder)
    text = ADDRESS.sub("0x<address>", text)
    return readings(text, {str(pid): role for pid, role in observation.roles}, others)[-1]


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

    def __init__(self, result: Result, rules: Sequence[Rule], policy: Policy, noise: Noise | None) -> None:
        self.result = result
        self.chance = chance(policy, noise)
        self.context = Context(result.start_method, version_of(result.python))
        self.rules = [rule for rule in rules if rule.applies(self.context)]
        self.pair_rules = [rule for rule in self.rules if rule.rewrite is not None]
        self.active = {rule.id for rule in self.rules}
        self.found: dict[str, list[int]] = defaultdict(list)
        self.explained: set[int] = set()
        self.sides: list[Side] = []
        self.cache: dict[tuple[str, str], tuple[str, ...] | None] = {}
        self.unexplained_order = False
        others: dict[str, dict[str, str]] = {"-": {}, "+": {}}
        for index, line in enumerate(result.diff):
            if line.mark in "-+":
                observation = result.legacy if line.mark == "-" else result.modern
                assert observation is not None
                form = normalised(line.text, observation, others[line.mark], policy, legacy=line.mark == "-")
                self.sides.append(Side(index, line.mark, line.text, form))

    def diagnoses(self) -> tuple[Diagnosis, ...]:
        """Pairs of lines first, within each run of differences and then across runs; then runs joined or
        split by a trailing comma; then the port's crashes; then lines that only moved."""
        moved: list[tuple[Side, Side]] = []
        blocks = self.blocks()
        for block in blocks:
            moved += self.pair(block)
        if len(blocks) > 1:  # a line may have moved from one run of differences to another
            moved += self.pair([side for side in self.sides if side.index not in self.explained])
        for block in self.blocks():
            self.joined_or_split(block)
        self.crashes()
        self.one_loop_reordered(moved)
        said = [
            Diagnosis(rule.id, tuple(sorted(set(self.found[rule.id]))), rule.cause, rule.fix, rule.link)
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

    def blocks(self) -> list[list[Side]]:
        """Runs of consecutive "-" and "+" lines not yet explained."""
        runs: list[list[Side]] = []
        last = -2
        for side in self.sides:
            if side.index in self.explained:
                continue
            if side.index != last + 1:
                runs.append([])
            runs[-1].append(side)
            last = side.index
        return runs

    def pair(self, block: list[Side]) -> list[tuple[Side, Side]]:
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

    def search(self, legacy: str, modern: str, rules: Sequence[Rule]) -> tuple[str, ...] | None:
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

    def joined_or_split(self, block: list[Side]) -> None:
        legacy = [side for side in block if side.mark == "-"]
        modern = [side for side in block if side.mark == "+"]
        if softspace_joined([side.form for side in legacy], [side.form for side in modern]):
            self.name("print-softspace", *(side.index for side in [*legacy, *modern]))

    def crashes(self) -> None:
        """The port's tracebacks that a rule's exception ends, then what such a crash explains besides."""
        crash_rules = [rule for rule in self.rules if rule.crash is not None]
        last_crash: Rule | None = None
        for run in self.blocks():
            errors = [side for side in run if side.mark == "+" and side.form.startswith("err: ")]
            for rule in crash_rules:
                if any(rule.crash.match(side.form) for side in errors):  # type: ignore[union-attr]
                    traceback = [side.index for side in errors if TRACEBACK_LINE.match(side.form)]
                    self.name(rule.id, *traceback)
                    last_crash = rule
                    break
        modern = self.result.modern
        if last_crash is None or modern is None or modern.exit_code in (0, None):
            return
        for side in self.sides:
            if side.index in self.explained:
                continue
            if side.mark == "-" or (side.mark == "+" and side.text.startswith("exit code: ")):
                self.name(last_crash.id, side.index)  # its exit code, and what the port never reached

    def one_loop_reordered(self, moved: list[tuple[Side, Side]]) -> None:
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
        legacy, modern = self.result.legacy, self.result.modern
        assert legacy is not None
        assert modern is not None
        shown = set(texts)
        owners = {line.owner for run in (legacy, modern) for line in run.lines if line.shown in shown}
        shapes = {general_pattern(split_head(text)[1]) if split_head(text) else text for text in shown}
        return len(owners) == 1 and None not in owners and len(shapes) == 1

    def order_only_within_one_loop(self) -> bool:
        """For a difference of order only (the diff then shows no line): whether the stretch of stdout lines
        from the first that moved to the last is one process's lines of one shape."""
        legacy, modern = self.result.legacy, self.result.modern
        assert legacy is not None
        assert modern is not None
        old = [entry for entry in transcript(legacy, Policy(), legacy=True).entries if entry.shown.startswith("out: ")]
        new = [entry for entry in transcript(modern, Policy(), legacy=False).entries if entry.shown.startswith("out: ")]
        if sorted(entry.key for entry in old) != sorted(entry.key for entry in new):
            return False
        moved = [index for index, (one, two) in enumerate(zip(old, new)) if one.key != two.key]
        if not moved:
            return False
        stretch = [*old[moved[0] : moved[-1] + 1], *new[moved[0] : moved[-1] + 1]]
        owners = {entry.owner for entry in stretch}
        shapes = {general_pattern(entry.printed) for entry in stretch}
        return len(owners) == 1 and None not in owners and len(shapes) == 1


def diagnose(
    result: Result, policy: Policy | None = None, noise: Noise | None = None, rules: Sequence[Rule] | None = None
) -> tuple[Diagnosis, ...]:
    """The diagnoses of a "different" result: each rule that explains lines of its diff, with those lines,
    then "no known cause" for the lines none explains; () for any other verdict.

    `policy` and `noise` are the comparison's (verdict.compare): its lines are matched in its forms, and
    what it leaves to chance is chance here too. Without them, lines are matched as printed, normalised."""
    if result.verdict is not Verdict.DIFFERENT or result.legacy is None or result.modern is None:
        return ()
    given = Policy(learn=False) if policy is None else policy
    return Diagnoser(result, RULES if rules is None else rules, given, noise).diagnoses()


# The rules, in the order the page lists them

A_CRASH = ("-exit code: 0", "+exit code: 1")

RULES: tuple[Rule, ...] = (
    Rule(
        "true-division",
        cause="`/` on two ints is true division on Python 3 (7 / 2 == 3.5) where Python 2 floored (3)",
        fix="write `//` where the floor is meant (2to3 leaves `/` as it is); keep `/` where the fraction is",
        matches=(
            "A `-` line and a `+` line that are the same except that numbers n of the legacy line are floats"
            " that floor to n in the modern one (`3` against `3.5`, `1` against `1.0`, `-4` against `-3.5`, also"
            " formatted: `3.00` against `3.50`, `100,000` against `100,000.0`). Also a traceback of the port's"
            " that a float raises where an int is needed (`'float' object cannot be interpreted as an integer`,"
            " `list indices must be integers or slices, not float`). Not a float that floors to another number,"
            " nor an int in the port where the original printed a float."
        ),
        example=("-out: average length: 4", "+out: average length: 4.6"),
        rewrite=true_division,
        crash=crash_pattern(
            r"TypeError: 'float' object cannot be interpreted as an integer",
            r"TypeError: (?:list|tuple|string|str) indices must be integers(?: or slices)?, not float",
            r"TypeError: slice indices must be integers or None or have an __index__ method",
            r"TypeError: can't multiply sequence by non-int of type 'float'",
            r"TypeError: integer argument expected, got float",
        ),
    ),
    Rule(
        "print-softspace",
        cause=(
            "Python 2's print statement wrote no space after an item ending in a tab or newline, and a trailing"
            " comma left the line open (its softspace); print() puts `sep` between items and ends with `end`"
        ),
        fix="build the line as one string (`'\\t' + x`), or give print() the `sep=''` or `end=' '` that matches",
        matches=(
            "Lines that differ only by a space after a tab, at their start or at their end (`print '\\t', x`"
            " gave a tab then x; `print('\\t', x)` gives a tab, a space, then x), and runs of lines joined or"
            " split at a space (a trailing comma, `print x,`, ported as `print(x)`). Not two spaces, nor a"
            " space anywhere else."
        ),
        example=("-out: squares:\t9", "+out: squares:\t 9"),
        rewrite=print_softspace,
    ),
    Rule(
        "print-tuple",
        cause="`print (a, b)` printed the tuple `(a, b)` on Python 2; as print(a, b) Python 3 prints its items",
        fix="keep print(a, b) if the items were meant (the tuple was the accident); print((a, b)) if the tuple was",
        matches=(
            "A legacy line that is a whole tuple of two or more items, `('total', 3)`, against the port's line"
            " of its items as print() writes them, `total 3` (strings as their text). Not a one-item tuple."
        ),
        example=("-out: ('total', 3)", "+out: total 3"),
        rewrite=print_tuple,
    ),
    Rule(
        "lazy-iterator-printed",
        cause=(
            "map(), filter(), zip(), range() and dict.keys()/values()/items() return lists on Python 2, and lazy"
            " objects on Python 3, which print as `<map object at 0x...>`, `range(0, 3)`, `dict_keys([...])`"
        ),
        fix="wrap the call in list() where its values are printed or kept (2to3's fixers do, for map and dict views)",
        matches=(
            "A `+` line with `<map object at 0x...>` (filter, zip) where the legacy line has a list, a tuple or"
            " a string; `dict_keys([...])` (values, items) where it has a list of the same items, in any order;"
            " `range(a, b)` where it has the list of that range, or `xrange(...)` of the same numbers."
        ),
        example=("-out: ['TITLE OF HOME', 'TITLE OF ABOUT']", "+out: <map object at 0x7f3a2c1e5f40>"),
        rewrite=lazy_object,
    ),
    Rule(
        "lazy-iterator-used-as-list",
        cause=(
            "map(), filter(), zip(), range() and dict views are not lists on Python 3: indexing a map, filter, zip or"
            " dict view raises where Python 2 had a list, and so do len() of a map, filter or zip and a list's"
            " methods or item assignment on any of them, range included"
        ),
        fix="wrap the call in list() where its result is indexed, measured or changed",
        matches=(
            "A traceback of the port's that ends in `'map' object is not subscriptable`, `object of type 'zip'"
            " has no len()`, `'dict_keys' object has no attribute 'sort'` and the like, with the exit code and"
            " the lines it never printed."
        ),
        example=(
            *A_CRASH,
            "-out: first result: 1",
            "+err: Traceback (most recent call last):",
            "+err: TypeError: 'map' object is not subscriptable",
        ),
        crash=crash_pattern(
            r"TypeError: '(?:map|filter|zip|range|dict_keys|dict_values|dict_items)' object is not subscriptable",
            r"TypeError: '(?:map|filter|zip|range|dict_keys|dict_values|dict_items)' object does not support"
            r" (?:indexing|item assignment|item deletion)",
            r"TypeError: object of type '(?:map|filter|zip)' has no len\(\)",
            r"AttributeError: '(?:map|filter|zip|range|dict_keys|dict_values|dict_items)' object has no attribute"
            r" '\w+'(?:\. Did you mean: '\w+'\?)?",
        ),
    ),
    Rule(
        "bytes-repr",
        cause="Python 3 keeps bytes apart from text: bytes print as b'...' where Python 2's str printed its text",
        fix="decode bytes where they are shown (`data.decode()`); a ctypes char array's `.value` is bytes on Python 3",
        matches=(
            "A `+` line that shows `b'...'` where the legacy line shows the same characters, quoted (a repr) or"
            " not (printed). Not other characters."
        ),
        example=("-out: HELLO WORLD", "+out: b'HELLO WORLD'"),
        rewrite=bytes_repr,
    ),
    Rule(
        "bytes-str-mixed",
        cause="Python 3 keeps bytes apart from text: mixing them raises TypeError where Python 2's str was both",
        fix="decode bytes where they come in (`data.decode()`), encode text where bytes go out",
        matches=(
            "A traceback of the port's that ends in `can't concat str to bytes`, `a bytes-like object is"
            " required, not 'str'`, `'str' object has no attribute 'decode'` and the like, with the exit code"
            " and the lines it never printed."
        ),
        example=(
            *A_CRASH,
            "-out: sent 5 bytes",
            "+err: Traceback (most recent call last):",
            "+err: TypeError: a bytes-like object is required, not 'str'",
        ),
        crash=crash_pattern(
            r"TypeError: a bytes-like object is required, not '(?:str|int)'",
            r"TypeError: can't concat (?:str|bytes) to (?:str|bytes)",
            r"TypeError: can only concatenate (?:str|bytes) \(not \"(?:str|bytes)\"\) to (?:str|bytes)",
            r"TypeError: (?:write\(\) argument|argument|\w+\(\) argument \d+) must be str, not bytes",
            r"TypeError: must be str, not bytes",
            r"TypeError: Can't convert 'bytes' object to str implicitly",
            r"TypeError: string argument expected, got 'bytes'",
            r"TypeError: (?:Unicode-objects|Strings) must be encoded before hashing",
            r"TypeError: cannot use a (?:string|bytes) pattern on a (?:bytes|string)-like object",
            r"TypeError: decoding str is not supported",
            r"TypeError: sequence item \d+: expected str instance, bytes found",
            r"AttributeError: 'str' object has no attribute 'decode'(?:\. Did you mean: '\w+'\?)?",
            r"AttributeError: 'bytes' object has no attribute 'encode'(?:\. Did you mean: '\w+'\?)?",
        ),
    ),
    Rule(
        "unicode-repr",
        cause="a unicode string shows as u'...' on Python 2 and '...' on Python 3, non-ASCII text as itself",
        fix="nothing to fix if the text is the same; print the text, not its repr, where the output is read",
        matches=(
            "A legacy line whose `u'...'` strings (and byte strings shown with `\\x` escapes, read as UTF-8) are"
            " what the port shows as `'...'`. Not a string whose text differs."
        ),
        example=("-out: names: [u'alice', u'bob']", "+out: names: ['alice', 'bob']"),
        rewrite=unicode_repr,
    ),
    Rule(
        "long-suffix",
        cause="Python 2's long ints show an L in their repr (in a list, a dict, %r); Python 3 has one int, no L",
        fix="nothing to fix: the value is the same; print str(n) where the old output is parsed",
        matches="A legacy line whose numbers ending in `L` are the port's numbers without it.",
        example=("-out: sizes: [4096L, 65536L]", "+out: sizes: [4096, 65536]"),
        rewrite=long_suffix,
    ),
    Rule(
        "float-str",
        cause="str() of a float has 12 significant digits on Python 2, the shortest repr (up to 17) on Python 3",
        fix="format floats where their digits matter (`'%.12g' % x`, `f'{x:.6f}'`)",
        matches=(
            "A number of the legacy line that is the port's float written with 12 significant digits"
            " (`0.333333333333` against `0.3333333333333333`). Not another number."
        ),
        example=("-out: ratio: 0.333333333333", "+out: ratio: 0.3333333333333333"),
        rewrite=float_str,
    ),
    Rule(
        "round-half-even",
        cause="round() rounds halves to even on Python 3 (round(2.5) == 2) and away from zero on Python 2 (3.0)",
        fix="use decimal.Decimal(x).quantize(..., rounding=ROUND_HALF_UP) where halves must go up",
        matches=(
            "A legacy number that is one unit of its last place further from zero than the port's, the port's"
            " last digit even (`3.0` against `2`, `0.13` against `0.12`)."
        ),
        example=("-out: 2.5 rounds to 3.0", "+out: 2.5 rounds to 2"),
        rewrite=round_half_even,
    ),
    Rule(
        "round-returns-int",
        cause="round(x), math.floor(x) and math.ceil(x) return an int on Python 3 and a float on Python 2",
        fix="format the number where the old output is expected (`'%.1f' % round(x)`)",
        matches="A legacy number `n.0` where the port prints the int `n`.",
        example=("-out: pages: 4.0", "+out: pages: 4"),
        rewrite=round_returns_int,
    ),
    Rule(
        "dict-order",
        cause=(
            "a dict's items, and a loop over a dict, come in hash order on Python 2 and insertion order on 3.7+;"
            " a loop over a set, in hash order on both, which may differ between them"
        ),
        fix="sort where the order matters (`sorted(d.items())`), or let it be any order (`--unordered REGEX`)",
        matches=(
            "A dict printed with the same items in another order, and the same lines in another order when"
            " one process printed them all and they are all of one shape (`apple: 1`, `pear: 2`), as a loop"
            " over a dict prints; with the learned relaxations on, a dict alone in another order is not a"
            " difference at all. Not lines of several processes, nor of several shapes."
        ),
        example=("-out: {'pear': 2, 'apple': 1}", "+out: {'apple': 1, 'pear': 2}"),
        rewrite=dict_order,
    ),
    Rule(
        "set-order",
        cause="a set shows as set([...]) on Python 2, {...} on 3, in hash order, which for str changes from run to run",
        fix="print sorted(s) where the output is read or compared",
        matches="A legacy `set([...])` (`frozenset([...])`) whose items, in any order, are the port's `{...}`.",
        example=("-out: seen: set(['b', 'a'])", "+out: seen: {'a', 'b'}"),
        rewrite=set_order,
    ),
    Rule(
        "type-repr",
        cause="types show as `<class 'int'>` on Python 3, `<type 'int'>` on Python 2, which also had old-style classes",
        fix="print type(x).__name__ where the type's name is meant",
        matches=(
            "A legacy `<type 'x'>` where the port shows `<class 'x'>` (`exceptions.ValueError` as `ValueError`,"
            " `unicode` as `str`, `long` as `int`), and `<A instance at 0x...>` where it shows `<A object at 0x...>`."
        ),
        example=("-out: <type 'exceptions.ValueError'>", "+out: <class 'ValueError'>"),
        rewrite=type_repr,
    ),
    Rule(
        "renamed-exception",
        cause=(
            "Python 3 reports this exception by another name: IOError and its kin as OSError or its errno subclass"
            " (3.3), a missing module as ModuleNotFoundError (3.6)"
        ),
        fix="catch OSError (or FileNotFoundError, ...); `except ImportError` still catches ModuleNotFoundError",
        matches=(
            "A legacy line naming `IOError`, `EnvironmentError`, `socket.error` ... where the port names"
            " `OSError`, or with `[Errno N]` the subclass of that errno (`FileNotFoundError` for 2);"
            " `ImportError` against `ModuleNotFoundError`; `cPickle.PicklingError` against"
            " `_pickle.PicklingError`; `Queue.Empty` against `_queue.Empty`. Not a subclass another errno gives."
        ),
        example=(
            "-err: IOError: [Errno 2] No such file or directory: 'input.txt'",
            "+err: FileNotFoundError: [Errno 2] No such file or directory: 'input.txt'",
        ),
        rewrite=renamed_exception,
    ),
    Rule(
        "changed-message",
        cause="Python 3 words this exception's message differently (argument counts, quoted module names, ...)",
        fix="nothing to fix when the failure is the same; do not parse exception messages",
        matches=(
            "A message Python 2 and 3 word differently for the same failure, the names and numbers in it"
            " alike: `f() takes exactly 2 arguments (1 given)` against `f() missing 1 required positional"
            " argument: 'b'`, `No module named foo` against `No module named 'foo'`, `global name 'x' is not"
            " defined` against `name 'x' is not defined`, a `Did you mean: ...?` added (3.10+), and the others"
            " in MESSAGES. Not a message naming another function, name or count."
        ),
        example=(
            "-err: TypeError: work() takes exactly 2 arguments (1 given)",
            "+err: TypeError: work() missing 1 required positional argument: 'n'",
        ),
        rewrite=changed_message,
    ),
    Rule(
        "mixed-type-ordering",
        cause="Python 3 refuses to order values of different types (or None, or dicts), which Python 2 ordered by type",
        fix="give sort(), min() and max() a key that makes one type (`key=str`, `key=lambda x: (x is None, x)`)",
        matches=(
            "A traceback of the port's that ends in `'<' not supported between instances of 'int' and 'str'`"
            " (`unorderable types` before 3.6), with the exit code and the lines it never printed."
        ),
        example=(
            *A_CRASH,
            "-out: smallest: None",
            "+err: Traceback (most recent call last):",
            "+err: TypeError: '<' not supported between instances of 'int' and 'NoneType'",
        ),
        crash=crash_pattern(
            r"TypeError: '(?:<|>|<=|>=)' not supported between instances of '[\w.]+' and '[\w.]+'",
            r"TypeError: unorderable types: .+",
        ),
    ),
    Rule(
        "python2-only-name",
        cause="the port uses a name Python 3 removed or renamed (xrange, unicode, dict.iteritems, the Queue module)",
        fix="use the Python 3 name (range, str, items(), queue); 2to3's fixers know them",
        matches=(
            "A traceback of the port's that ends in a `NameError` for a Python 2 builtin (`xrange`, `unicode`,"
            " `raw_input`, ...), an `AttributeError` for a method Python 3 dropped (`iteritems`, `has_key`,"
            " `next`), a module Python 3 renamed (`Queue`, `cPickle`, `urllib2`, ...), or a print statement."
        ),
        example=(
            *A_CRASH,
            "-out: 11 distinct words",
            "+err: Traceback (most recent call last):",
            "+err: AttributeError: 'dict' object has no attribute 'iteritems'",
        ),
        crash=crash_pattern(
            r"NameError: name '(?:xrange|unicode|basestring|long|raw_input|reduce|unichr|execfile|file|cmp|reload"
            r"|buffer|apply|intern|coerce|StandardError)' is not defined(?:\. Did you mean: '\w+'\?)?",
            r"AttributeError: '\w+' object has no attribute '(?:iteritems|iterkeys|itervalues|has_key|viewitems"
            r"|viewkeys|viewvalues|next|im_func|im_self|im_class|func_name|func_code|func_globals|func_defaults"
            r"|func_closure)'(?:\. Did you mean: '\w+'\?)?",
            r"(?:ModuleNotFoundError|ImportError): No module named '(?:Queue|cPickle|ConfigParser|StringIO|cStringIO"
            r"|urllib2|urlparse|httplib|Tkinter|tkMessageBox|thread|commands|SocketServer|HTMLParser|cookielib"
            r"|Cookie|xmlrpclib|SimpleXMLRPCServer|copy_reg|__builtin__|dummy_thread|anydbm|dbhash|whichdb|gdbm"
            r"|dumbdbm|md5|sha|sets|UserDict|UserList|UserString|exceptions|htmlentitydefs|robotparser"
            r"|BaseHTTPServer|SimpleHTTPServer|CGIHTTPServer|ScrolledText|Tix|ttk|popen2|mimetools|rfc822"
            r"|multifile|posixfile|new)'",
            r"ImportError: cannot import name '(?:izip|imap|ifilter|izip_longest|ifilterfalse|maketrans|letters"
            r"|lowercase|uppercase|getcwdu|quote|unquote|urlencode|urlopen|urlretrieve)'(?: from .*)?",
            r"AttributeError: module '(?:string|itertools|os|urllib|sys|time|types)' has no attribute '(?:letters"
            r"|lowercase|uppercase|maketrans|join|split|atoi|atof|atol|replace|strip|imap|izip|ifilter|izip_longest"
            r"|ifilterfalse|getcwdu|urlencode|quote|unquote|urlopen|urlretrieve|maxint|setcheckinterval|exc_clear"
            r"|clock|StringType|IntType|LongType|ListType|DictType|TupleType|UnicodeType|StringTypes)'"
            r"(?:\. Did you mean: '\w+'\?)?",
            r"SyntaxError: Missing parentheses in call to '(?:print|exec)'.*",
        ),
    ),
    Rule(
        "process-repr-parent",
        cause=(
            "a Process shows as `<Process name='...' pid=... parent=... started>` on Python 3 (parent= since 3.8,"
            " exitcode= once stopped), not `<Process(name, started)>`"
        ),
        fix="print what is meant (p.name, p.pid, p.exitcode), not the object",
        matches=(
            "A legacy `<Process(name, status)>` (`stopped[1]`, ` daemon`) where the port shows the same process,"
            " name, status and exit code as Python 3 writes them, whatever its pids."
        ),
        example=(
            "-out: started <Process(fetcher, started)>",
            "+out: started <Process name='fetcher' pid=5001 parent=5000 started>",
        ),
        rewrite=process_repr,
        python=(3, 8),
    ),
    Rule(
        "pool-worker-name",
        cause=(
            "Python 3 names pool and executor workers after their start method (ForkPoolWorker-1, SpawnProcess-2);"
            " Python 2's were PoolWorker-1 and Process-2"
        ),
        fix="nothing to fix; print what a worker was given rather than which worker took it",
        matches=(
            "A legacy `PoolWorker-N` or `Process-N` where the port names a worker with its start method's prefix"
            " (`ForkPoolWorker-M` under fork, `SpawnProcess-M` under spawn), whatever the numbers: which worker"
            " ran a task is the pool's choice. Not another start method's prefix."
        ),
        example=("-out: PoolWorker-1 squared 3", "+out: ForkPoolWorker-2 squared 3"),
        rewrite=pool_worker_name,
    ),
    Rule(
        "sys-exit-none-in-child",
        cause="sys.exit() with no argument in a child gives exit code 1 on Python 2 and 3.8, 0 from 3.9 (bpo-35727)",
        fix="exit a child with the code meant: sys.exit(1) for a failure, return (or sys.exit(0)) for success",
        matches=(
            'On Python 3.9 and later, a line about an exit code (it says "exit") that the original printed'
            " with 1 and the port with 0, the rest alike."
        ),
        example=("-out: worker exit code: 1", "+out: worker exit code: 0"),
        rewrite=sys_exit_none,
        python=(3, 9),
        readme="pitfall-14",
    ),
    Rule(
        "unpicklable-under-spawn",
        cause=(
            "under spawn and forkserver a Process's target and arguments are pickled, as a pool's tasks are under"
            " every start method (on Python 2 too): a lambda, a nested function or a thread lock cannot be"
        ),
        fix="make the target a module-level function and give it only what pickles (MPC202 in docs/lint.md)",
        matches=(
            "Under spawn or forkserver, a traceback of the port's that ends in a pickling error (`Can't get local"
            " object`, `Can't pickle <function ...>`, `cannot pickle '_thread.lock' object`, `Can't get attribute"
            " 'f' on <module '__mp_main__'>`), with the exit code and the lines it never printed. Not under fork."
        ),
        example=(
            *A_CRASH,
            "-out: sum computed in child: 45",
            "+err: Traceback (most recent call last):",
            "+err: AttributeError: Can't get local object 'main.<locals>.<lambda>'",
        ),
        crash=crash_pattern(
            r"(?:_pickle\.|pickle\.)?PicklingError: .*",
            r"AttributeError: Can't (?:pickle|get) local object '.+'",
            r"AttributeError: Can't get attribute '[\w.]+' on <module '__(?:mp_)?main__'.*",
            r"TypeError: cannot pickle '[\w.]+' object",
            r"TypeError: can't pickle [\w.]+ objects",
        ),
        start_methods=("spawn", "forkserver"),
        example_context=Context("spawn", (3, 13)),
    ),
    Rule(
        "unguarded-main-under-spawn",
        cause=(
            "under spawn and forkserver each child imports the main module again: code that starts processes at"
            " its top level, outside `if __name__ == '__main__':`, starts them again in every child, which refuses"
        ),
        fix="put what the program does under `if __name__ == '__main__':` (MPC203 in docs/lint.md)",
        matches=(
            "Under spawn or forkserver, a traceback of the port's that ends in multiprocessing's `RuntimeError:"
            " An attempt has been made to start a new process before the current process has finished its"
            " bootstrapping phase`, with the exit code and the lines it never printed. Python 2 on POSIX only"
            " forked, where the module is not imported again. Not under fork."
        ),
        example=(
            *A_CRASH,
            "-out: {'Apple': 0.7, 'Orange': 1.2}",
            "+err: Traceback (most recent call last):",
            "+err: RuntimeError: ",
            "+err:         An attempt has been made to start a new process before the",
            "+err:         current process has finished its bootstrapping phase.",
        ),
        crash=crash_pattern(r"\s+An attempt has been made to start a new process before the"),
        start_methods=("spawn", "forkserver"),
        example_context=Context("spawn", (3, 13)),
    ),
    Rule(
        "lock-into-task",
        cause="a multiprocessing lock, queue or shared value was passed into a pool's task, which pickles it",
        fix="pass it once per worker with initializer= and initargs=, or use a Manager's",
        matches=(
            "A traceback of the port's that ends in `Lock objects should only be shared between processes"
            " through inheritance` (Queue, Condition, ...), under any start method, with the exit code and the"
            " lines it never printed."
        ),
        example=(
            *A_CRASH,
            "-out: Hello Num: 0",
            "+err: Traceback (most recent call last):",
            "+err: RuntimeError: Lock objects should only be shared between processes through inheritance",
        ),
        crash=crash_pattern(r"RuntimeError: \w+ objects should only be shared between processes through inheritance"),
        readme="pitfall-3",
    ),
    Rule(
        "getppid-under-forkserver",
        cause="under forkserver a child's os.getppid() is the fork server's pid, not the program's",
        fix="use multiprocessing.parent_process().pid (3.8+), right under every start method",
        matches=(
            "Under forkserver, a line the original printed with its main process's pid where the port printed a"
            " pid of a helper (the fork server) or of a process the hook never saw, the rest alike."
        ),
        example=("-out: Parent Process ID# 4241", "+out: Parent Process ID# 5120"),
        rewrite=getppid_under_forkserver,
        start_methods=("forkserver",),
        readme="pitfall-1",
        example_context=Context("forkserver", (3, 13)),
    ),
)
RULE_IDS = tuple(rule.id for rule in RULES)


# The page: docs/diagnoses.md

INTRODUCTION = """\
# Why a port prints something else: the diagnoses

When portcheck's verdict is "different", each line of its diff that only one program printed is
matched against the changes from Python 2 to 3 that are known to make it. Under the diff, the report
names each cause, its rule and the fix, one line each (`--json FILE` says which lines each explains):

```console
$ portcheck --legacy old.py --modern new.py
...
new.py on Python 3.13 under fork: different
  (- old.py on Python 2.7, + new.py)
   exit code: 0
   out: total length: 23
  -out: average length: 4
  +out: average length: 4.6
  {TRUE_DIVISION}
```

A rule names a cause only when the lines differ exactly as that change makes them differ: a
number that floors to the original's is true division, a number that does not is not. Lines no
rule explains are said to have **no known cause**: a bug of the port, or a change no rule knows
yet. A pair of lines may show several changes at once (`{u'a': 1L}` against `{'a': 1}`: unicode-repr
and long-suffix); each rule named was needed to explain it.

`--json FILE` writes them as `"diagnoses"` of each result (docs/results-schema.md), and a
code base's data states the differences it expects of a mechanical port by the same names
(`mechanical = { expect = ..., why = ..., diagnoses = [...] }` in portcheck.toml).

| rule | cause |
|---|---|
"""


def rule_markdown(rule: Rule) -> str:
    """One rule's section of the page."""
    lines = [f'## <a id="{rule.id}"></a>{rule.id}', "", f"**Cause.** {rule.cause}.", ""]
    lines += [f"**Matches.** {rule.matches}", "", "```diff", *rule.example, "```", ""]
    where = ", ".join(rule.start_methods) if rule.start_methods != START_METHODS else ""
    since = f"Python {rule.python[0]}.{rule.python[1]} and later" if rule.python > (3, 0) else ""
    limits = " and ".join(part for part in (f"under {where}" if where else "", since) if part)
    lines += [f"**Fix.** {rule.fix}.", ""]
    if limits:
        lines += [f"Applies {limits}.", ""]
    if rule.readme:
        number = rule.readme.rsplit("-", 1)[-1]
        lines += [f"Taught by [pitfall {number}](../README.md#{rule.readme}) of the README.", ""]
    return "\n".join(lines)


def rules_markdown(rules: Sequence[Rule] = RULES) -> str:
    """The page docs/diagnoses.md: what the diagnoses are, a table of the rules, then each rule."""
    true_division = next(rule for rule in RULES if rule.id == "true-division")
    sample = Diagnosis(true_division.id, (2, 3), true_division.cause, true_division.fix, true_division.link).said()
    table = "".join(f"| [{rule.id}](#{rule.id}) | {rule.cause} |\n" for rule in rules)
    introduction = INTRODUCTION.replace("{TRUE_DIVISION}", sample)
    return introduction + table + "\n" + "\n".join(rule_markdown(rule) for rule in rules)


if __name__ == "__main__":
    print(rules_markdown(), end="")
