"""Order: dicts and sets printed in another order, and values Python 3 refuses to order."""

from __future__ import annotations

import re

from portcheck.diagnose.cause import A_CRASH, Cause, Context, changed, crash_pattern
from portcheck.diagnose.text import closing, has_colon, items_of


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


DICT_ORDER = Cause(
    "dict-order",
    change=(
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
)


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


SET_ORDER = Cause(
    "set-order",
    change="a set shows as set([...]) on Python 2, {...} on 3, in hash order, which for str changes from run to run",
    fix="print sorted(s) where the output is read or compared",
    matches="A legacy `set([...])` (`frozenset([...])`) whose items, in any order, are the port's `{...}`.",
    example=("-out: seen: set(['b', 'a'])", "+out: seen: {'a', 'b'}"),
    rewrite=set_order,
)


MIXED_TYPE_ORDERING = Cause(
    "mixed-type-ordering",
    change="Python 3 refuses to order values of different types (or None, or dicts), which Python 2 ordered by type",
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
)
