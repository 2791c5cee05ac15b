"""Reading what was printed: a line's stream, its numbers, strings and brackets, as the rules read them."""

from __future__ import annotations

import ast
import functools
import re
from typing import Callable, Iterator

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
