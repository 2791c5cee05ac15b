"""Printing: the print statement against print(), and what Python 3 shows of lazy objects and types."""

from __future__ import annotations

import re
from typing import Sequence

from portcheck.diagnose.cause import A_CRASH, Cause, Context, changed, crash_pattern
from portcheck.diagnose.text import STRING, closing, items_of, literal, python2_text, split_head


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


def joined_or_split(lines: Sequence[tuple[str, str]]) -> list[int]:
    """All of a run's lines, where its "-" and "+" lines are joined or split as a trailing comma makes them."""
    legacy = [form for mark, form in lines if mark == "-"]
    modern = [form for mark, form in lines if mark == "+"]
    return list(range(len(lines))) if softspace_joined(legacy, modern) else []


PRINT_SOFTSPACE = Cause(
    "print-softspace",
    change=(
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
    run=joined_or_split,
)


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


PRINT_TUPLE = Cause(
    "print-tuple",
    change="`print (a, b)` printed the tuple `(a, b)` on Python 2; as print(a, b) Python 3 prints its items",
    fix="keep print(a, b) if the items were meant (the tuple was the accident); print((a, b)) if the tuple was",
    matches=(
        "A legacy line that is a whole tuple of two or more items, `('total', 3)`, against the port's line"
        " of its items as print() writes them, `total 3` (strings as their text). Not a one-item tuple."
    ),
    example=("-out: ('total', 3)", "+out: total 3"),
    rewrite=print_tuple,
)


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


LAZY_ITERATOR_PRINTED = Cause(
    "lazy-iterator-printed",
    change=(
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
)


LAZY_ITERATOR_USED_AS_LIST = Cause(
    "lazy-iterator-used-as-list",
    change=(
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
)


RANGE_COMPARED_WITH_LIST = Cause(
    "range-compared-with-list",
    change=(
        "range() is a range on Python 3, not a list: a list compared with it (`sorted(results) == range(10)`)"
        " is never equal, where Python 2 compared two lists"
    ),
    fix="compare with a list: `sorted(results) == list(range(10))`",
    matches=(
        "A traceback of the port's that ends in `AssertionError` where the failing line, as its frames show"
        " it, compares with `range(...)` (`assert sorted(results) == range(10)`), with the exit code and the"
        " lines it never printed. Not an assertion that compares other things."
    ),
    example=(
        *A_CRASH,
        "-out: all 10 results arrived",
        "+err: Traceback (most recent call last):",
        '+err:   File "new.py", line 14, in <module>',
        "+err:     assert sorted(results) == range(10)",
        "+err: AssertionError",
    ),
    crash=crash_pattern(r"AssertionError(?:: .*)?"),
    frames=re.compile(
        r"^\s+(?:assert|if|while|return|print)\b.*(?:(?:==|!=)\s*x?range\(|\brange\([^=]*\)\s*(?:==|!=))"
    ),
)


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


TYPE_REPR = Cause(
    "type-repr",
    change="types show as `<class 'int'>` on Python 3, `<type 'int'>` on Python 2, which also had old-style classes",
    fix="print type(x).__name__ where the type's name is meant",
    matches=(
        "A legacy `<type 'x'>` where the port shows `<class 'x'>` (`exceptions.ValueError` as `ValueError`,"
        " `unicode` as `str`, `long` as `int`), and `<A instance at 0x...>` where it shows `<A object at 0x...>`."
    ),
    example=("-out: <type 'exceptions.ValueError'>", "+out: <class 'ValueError'>"),
    rewrite=type_repr,
)
