"""Messages Python 3 words differently: a legacy pattern, the modern pattern, and which groups must agree."""

from __future__ import annotations

import re

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
