"""The mechanical port of a Python 2 program: what `2to3 -w` makes of it, made at run time.

The converter is fissix (the maintained fork of lib2to3), pinned to FISSIX_VERSION since the
port, and so what it gets wrong, changes with its fixers. Every default fixer runs, as `2to3 -w`
runs them: all of fissix.fixes but the explicit ones (buffer, idioms, set_literal, ws_comma), and
print is a statement unless the file imports print_function. One difference: fix_import never
looks for a package beside the file, since the source is a string converted as the script it is
(a script's imports are absolute), so the port does not depend on where the converter runs.

This module's one job is converting. Nothing is written but the port itself, by
write_mechanical_port(), into a scratch directory its caller gives (and removes): ports are never
committed. On import fissix would cache its grammar tables as pickles in the user's cache
directory, so they are built in memory instead (about 0.3 s, once per process). Nothing is logged.
"""

from __future__ import annotations

import io
import re
import threading
import tokenize
from pathlib import Path
from typing import Any

from portcheck import ToolError

FISSIX_VERSION = "24.4.24"
FIXERS_PACKAGE = "fissix.fixes"

# PEP 263: a coding declaration is a comment on one of the first two lines.
CODING_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")

_lock = threading.Lock()  # a RefactoringTool is not thread-safe: one conversion at a time
_tool: Any = None


class ConversionError(ToolError):
    """A Python 2 source that the converter cannot read or parse (or its port cannot be written), in one line."""


class MissingConverterError(ToolError):
    """fissix is not installed here, or not the version the mechanical port is pinned to."""


def mechanical_port(source: str, name: str) -> str:
    """`source` (Python 2) converted by every default fixer; `name` (e.g. "old.py") names it in errors."""
    with _lock:
        tool = _refactoring_tool()
        parse_errors = _parse_errors()
        tool.fixer_log.clear()
        try:
            # 2to3 appends a newline before parsing, and strips it after: a last line without one parses too.
            tree = tool.refactor_string(source + "\n", name)
        except parse_errors as exc:
            raise ConversionError(f"cannot convert {name}: {_where(exc)}") from None
    port = str(tree)
    return port[:-1] if port.endswith("\n") else port


def write_mechanical_port(script: Path, directory: Path, shown_as: str | None = None) -> Path:
    """Write the mechanical port of `script` to `directory`, under the script's own name; return its path.

    `script` is read as Python 2 reads it, by its coding declaration; the port is encoded as that
    declaration says (as `2to3 -w` keeps a file's encoding), else as UTF-8, Python 3's default.
    `shown_as` names the script in errors (default: its file name).
    """
    shown_as = shown_as or script.name
    source = read_source(script, shown_as)
    port = mechanical_port(source, shown_as)
    encoding = declared_encoding(port) or "utf-8"
    try:
        data = port.encode(encoding)
    except (LookupError, UnicodeEncodeError) as exc:
        raise ConversionError(f"cannot write the port of {shown_as} as {encoding}: {exc}") from None
    path = Path(directory) / script.name
    path.write_bytes(data)
    return path


def read_source(script: Path, shown_as: str) -> str:
    """A Python 2 script's text, decoded by its coding declaration (else ASCII's superset UTF-8)."""
    data = script.read_bytes()
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise ConversionError(f"cannot convert {shown_as}: {exc}") from None


def declared_encoding(source: str) -> str | None:
    """The encoding a source's PEP 263 coding declaration names, if it has one."""
    for line in source.splitlines()[:2]:
        found = CODING_COOKIE.match(line)
        if found:
            return found.group(1)
    return None


def _where(exc: Exception) -> str:
    """Where and why fissix could not parse a source, in one line."""
    from fissix.pgen2.parse import ParseError

    if isinstance(exc, ParseError):  # its context is (prefix, (line, column))
        line, column = exc.context[1]
        return f"{exc.msg} at line {line}, column {column + 1}: {exc.value!r}"
    if isinstance(exc, SyntaxError):  # IndentationError from fissix's tokenizer
        return f"{exc.msg} at line {exc.lineno}"
    message, (line, _column) = exc.args  # fissix.pgen2.tokenize.TokenError
    return f"{message} at line {line}"


def _parse_errors() -> tuple[type[Exception], ...]:
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    return ParseError, TokenError, SyntaxError


def _refactoring_tool() -> Any:
    """One quiet RefactoringTool with every default fixer, built on first use."""
    global _tool
    if _tool is None:
        refactor = _import_fissix()

        class QuietRefactoringTool(refactor.RefactoringTool):  # type: ignore[misc, name-defined]
            def log_message(self, msg: str, *args: object) -> None:
                pass  # "Skipping optional fixer: ..." and the like, through logging otherwise

            def log_debug(self, msg: str, *args: object) -> None:
                pass

        tool = QuietRefactoringTool(refactor.get_fixers_from_package(FIXERS_PACKAGE))
        for fixer in tool.pre_order + tool.post_order:
            if hasattr(fixer, "probably_a_local_import"):  # fix_import
                fixer.probably_a_local_import = _not_a_local_import
        _tool = tool
    return _tool


def _not_a_local_import(name: str) -> bool:
    """A script is in no package, so its `import x` is absolute.

    fix_import would look for a package beside the file it converts: for a source converted from
    a string, beside the name given, relative to whatever directory the converter runs in, so that
    `import time` became `from . import time` wherever an __init__.py and a time.py happen to be.
    """
    return False


def _import_fissix() -> Any:
    """fissix.refactor, its grammar tables built in memory rather than read from or written to a cache."""
    try:
        import fissix
        from fissix.pgen2 import driver, pgen
    except ImportError:
        raise MissingConverterError(f"the mechanical port needs fissix: pip install fissix=={FISSIX_VERSION}") from None
    if fissix.__version__ != FISSIX_VERSION:
        raise MissingConverterError(
            f"the mechanical port is pinned to fissix {FISSIX_VERSION}, not {fissix.__version__}: "
            f"pip install fissix=={FISSIX_VERSION}"
        )

    def grammar_in_memory(grammar_file: str, *args: object, **kwargs: object) -> Any:
        return pgen.generate_grammar(grammar_file)

    cached = driver.load_grammar
    driver.load_grammar = grammar_in_memory  # what fissix.pygram calls to load its two grammars
    try:
        from fissix import refactor
    finally:
        driver.load_grammar = cached
    return refactor


def check_converter() -> None:
    """Raise MissingConverterError unless the pinned converter can be used here."""
    with _lock:
        _refactoring_tool()
