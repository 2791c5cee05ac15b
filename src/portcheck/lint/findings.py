"""What the lint reports: a rule's finding, or one diagnostic for a file it could not lint whole.

A file that does not parse, cannot be read, or makes the lint itself fail gets one diagnostic, as
ruff and flake8 report a syntax error, and the run goes on with the other files:

    MPC001 syntax-error      the file does not parse (Python's own message and place; newer syntax named)
    MPC002 unreadable-file   the file cannot be read, or decoded in the encoding it declares
    MPC003 lint-failure      the lint failed on the file (a bug, or code nested deeper than it follows)

They are not rules: they count as findings for the exit status, are reported whatever `--select`
says (as ruff reports a syntax error), can be hidden with `--ignore`, and not with `# noqa` (a
file that does not parse has no comments to read).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int  # from 1, in characters, as flake8 and ruff show it
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclass(frozen=True)
class FileDiagnostic:
    code: str
    name: str
    what: str  # what it reports, one sentence (docs/lint.md, SARIF)


SYNTAX_ERROR = FileDiagnostic(
    "MPC001",
    "syntax-error",
    "The file does not parse on the Python that runs the lint; the message is Python's own, at the line and "
    "column Python gives, and says when the line looks like syntax of a newer Python (3.14's "
    "`except A, B:` or t-strings on 3.13, say), which a newer Python may parse.",
)
UNREADABLE = FileDiagnostic(
    "MPC002",
    "unreadable-file",
    "The file cannot be read, or cannot be decoded in the encoding it declares (UTF-8 when it declares none).",
)
LINT_FAILURE = FileDiagnostic(
    "MPC003",
    "lint-failure",
    "The lint failed on the file: code nested deeper than it can follow, too little memory, or a bug in "
    "portcheck (please report it, with the file).",
)
DIAGNOSTICS = (SYNTAX_ERROR, UNREADABLE, LINT_FAILURE)
DIAGNOSTIC_CODES = frozenset(diagnostic.code for diagnostic in DIAGNOSTICS)


def _python() -> str:
    return f"Python {sys.version_info[0]}.{sys.version_info[1]}"


def syntax_error(path: str, error: Exception, source: str) -> Finding:
    """MPC001 for what ast.parse raised: a SyntaxError, a ValueError (a null byte before 3.12), or
    a RecursionError or MemoryError (nesting deeper than the parser holds, which Python cannot run)."""
    if isinstance(error, SyntaxError) and error.lineno:
        # The offset of a SyntaxError is in characters, from 1 (0 or None when Python gives none).
        message = f"{type(error).__name__}: {error.msg} (as {_python()} parses it{_newer(error.text)})"
        return Finding(path, error.lineno, max(error.offset or 1, 1), SYNTAX_ERROR.code, message)
    if "\0" in source:
        line, col = _position(source, source.index("\0"))
        return Finding(path, line, col, SYNTAX_ERROR.code, "a null byte, which no Python source may hold")
    if isinstance(error, (RecursionError, MemoryError)):
        message = f"nested too deeply for {_python()}'s parser, which cannot run it either ({type(error).__name__})"
        return Finding(path, 1, 1, SYNTAX_ERROR.code, message)
    message = f"{type(error).__name__}: {getattr(error, 'msg', error)} (as {_python()} parses it)"
    return Finding(path, 1, 1, SYNTAX_ERROR.code, message)


def unreadable(path: str, error: Exception, data: bytes = b"") -> Finding:
    """MPC002 for an OSError, a bad or unknown coding declaration (SyntaxError), or bytes the
    declared encoding cannot decode (UnicodeDecodeError over `data`, the whole file)."""
    if isinstance(error, UnicodeDecodeError):
        line, col = _position(data[: error.start].decode(error.encoding, errors="replace"), None)
        bad = data[error.start : error.start + 1].hex()
        message = f"cannot be decoded as {error.encoding}: byte 0x{bad}, {error.reason}"
        return Finding(path, line, col, UNREADABLE.code, message)
    if isinstance(error, OSError):
        return Finding(path, 1, 1, UNREADABLE.code, f"cannot be read: {error.strerror or error}")
    return Finding(path, 1, 1, UNREADABLE.code, f"cannot be decoded: {getattr(error, 'msg', error)}")


def lint_failure(path: str, error: Exception) -> Finding:
    """MPC003: the lint raised `error` on a file that parses."""
    if isinstance(error, RecursionError):
        message = "not linted: the code is nested deeper than the lint can follow (RecursionError)"
    elif isinstance(error, MemoryError):
        message = "not linted: out of memory (MemoryError)"
    else:
        message = f"not linted: the lint failed ({type(error).__name__}: {error}); please report it, with the file"
    return Finding(path, 1, 1, LINT_FAILURE.code, message)


# Syntax that newer Pythons parse, by the shape of the line an older one stops at: (version, regex, what it is).
NEWER_SYNTAX = (
    ((3, 10), re.compile(r"^\s*match\s+[^=]+:\s*(#.*)?$"), "match statement"),
    ((3, 11), re.compile(r"^\s*except\s*\*"), "except* clause (PEP 654)"),
    ((3, 12), re.compile(r"^\s*type\s+\w+\s*(\[.*\])?\s*="), "type statement (PEP 695)"),
    ((3, 12), re.compile(r"^\s*(async\s+)?(def|class)\s+\w+\s*\["), "type parameters (PEP 695)"),
    (
        (3, 14),
        re.compile(r"^\s*except\s+[^:()]+,[^:]*:"),
        "except clause naming several exceptions without parentheses (PEP 758), or Python 2's `except E, name:`",
    ),
    ((3, 14), re.compile(r"(?<![\w'\"])[tT][rR]?['\"]"), 'template string, t"..." (PEP 750)'),
)


def _newer(line: str | None) -> str:
    """ "; the line looks like Python 3.14's ..." when it looks like syntax of a Python newer than this one."""
    for version, shape, what in NEWER_SYNTAX:
        if sys.version_info < version and line and shape.search(line):
            return f"; the line looks like Python {version[0]}.{version[1]}'s {what}"
    return ""


def _position(text: str, index: int | None) -> tuple[int, int]:
    """The line and the column (from 1, in characters) of text[index], or of the end of `text`."""
    before = text if index is None else text[:index]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return before.count("\n") + 1, len(before) - line_start + 1
