"""Bytes and text: Python 3 keeps them apart, and shows each as itself."""

from __future__ import annotations

import re
from typing import Callable

from portcheck.diagnose.cause import A_CRASH, Cause, Context, changed, crash_pattern
from portcheck.diagnose.text import STRING, numbers_apart, python2_text


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


BYTES_REPR = Cause(
    "bytes-repr",
    change="Python 3 keeps bytes apart from text: bytes print as b'...' where Python 2's str printed its text",
    fix="decode bytes where they are shown (`data.decode()`); a ctypes char array's `.value` is bytes on Python 3",
    matches=(
        "A `+` line that shows `b'...'` where the legacy line shows the same characters, quoted (a repr) or"
        " not (printed). Not other characters."
    ),
    example=("-out: HELLO WORLD", "+out: b'HELLO WORLD'"),
    rewrite=bytes_repr,
)


BYTES_STR_MIXED = Cause(
    "bytes-str-mixed",
    change="Python 3 keeps bytes apart from text: mixing them raises TypeError where Python 2's str was both",
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
        r"TypeError: one character bytes, bytearray,? or (?:an )?integer expected",  # a str into a ctypes c_char
        r"TypeError: bytes or integer address expected instead of str instance",  # a str into a c_char_p
    ),
)


def unicode_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The legacy line with each u'...' (and each byte string shown with \\x escapes) as Python 3 shows the text."""

    def as_python3(found: re.Match) -> str:
        prefix, quoted = found.groups()
        if prefix.lower() == "b" or (not prefix and "\\x" not in quoted):
            return found.group()
        text = python2_text(prefix, quoted)
        return repr(text) if text is not None else found.group()

    return changed([(STRING.sub(as_python3, legacy), modern)], legacy, modern)


UNICODE_REPR = Cause(
    "unicode-repr",
    change="a unicode string shows as u'...' on Python 2 and '...' on Python 3, non-ASCII text as itself",
    fix="nothing to fix if the text is the same; print the text, not its repr, where the output is read",
    matches=(
        "A legacy line whose `u'...'` strings (and byte strings shown with `\\x` escapes, read as UTF-8) are"
        " what the port shows as `'...'`. Not a string whose text differs."
    ),
    example=("-out: names: [u'alice', u'bob']", "+out: names: ['alice', 'bob']"),
    rewrite=unicode_repr,
)


BYTES_ITEM_IS_INT = Cause(
    "bytes-item-is-int",
    change=(
        "an item of bytes is an int on Python 3 (`data[0]`, `for c in data`), where an item of Python 2's str"
        " was a one-character str: `ord()` of it raises"
    ),
    fix="drop the ord() where the item comes from bytes (`sum(data)`, `data[0]`), or slice: `data[0:1]`",
    matches=(
        "A traceback of the port's that ends in `TypeError: ord() expected string of length 1, but int found`"
        " (a checksum `sum(ord(c) for c in data)` over bytes read from a socket, a pipe or a file opened with"
        " `'rb'`), with the exit code and the lines it never printed. Not ord() of a longer string."
    ),
    example=(
        *A_CRASH,
        "-out: $qSupported#37",
        "+err: Traceback (most recent call last):",
        "+err: TypeError: ord() expected string of length 1, but int found",
    ),
    crash=crash_pattern(r"TypeError: ord\(\) expected string of length 1, but int found"),
)


WORD_COUNT = re.compile(r"(?:out|err): \s*\d+(?:\s+\d+)+(?:\s+\S+)?")  # as wc prints: lines, words, chars, a name


def shorter_by_lines(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The port's line with its one changed number put back, where it is the legacy number less a count of
    lines that both lines show (as wc shows it, or followed by "lines"): Python 3's text mode read each
    "\\r\\n" as one "\\n"."""
    old, new = numbers_apart(legacy), numbers_apart(modern)
    if len(old) != len(new) or old[::2] != new[::2]:
        return []
    changed = [index for index in range(1, len(old), 2) if old[index] != new[index]]
    if len(changed) != 1 or not (old[changed[0]].isdigit() and new[changed[0]].isdigit()):
        return []
    fewer = int(old[changed[0]]) - int(new[changed[0]])
    lines = [
        index
        for index in range(1, len(old), 2)
        if old[index] == str(fewer) and (WORD_COUNT.fullmatch(legacy) or old[index + 1].lstrip().startswith("line"))
    ]
    if fewer <= 0 or not lines:
        return []
    rebuilt = list(new)
    rebuilt[changed[0]] = old[changed[0]]
    return [(legacy, "".join(rebuilt))]


TEXT_MODE_READ = Cause(
    "text-mode-read",
    change=(
        "a file opened without 'b' is read as text on Python 3: decoded (UTF-8 here), and each `\\r\\n` read as"
        " `\\n`; Python 2 on POSIX read its bytes as they are"
    ),
    fix="open files whose bytes matter with 'rb' (`open(path, 'rb')`), and decode where text is meant",
    matches=(
        "A `+` line whose one changed count is the legacy one less the count of lines both show, as wc shows"
        " them or followed by `lines` (`3 12 60` against `3 12 57`: a word count's characters, fewer by its"
        " lines, of a file with Windows line ends);"
        " and a traceback of the port's that ends in `UnicodeDecodeError: 'utf-8' codec can't decode byte`"
        " (a binary file read as text), with the exit code and the lines it never printed. Not a count that"
        " shrank by a number that is no count of lines, nor a line where two numbers changed."
    ),
    example=("-out: 3 12 60", "+out: 3 12 57"),
    rewrite=shorter_by_lines,
    crash=crash_pattern(
        r"UnicodeDecodeError: '(?:utf-8|ascii)' codec can't decode byte 0x[0-9a-f]{2} in position \d+: .+"
    ),
)
