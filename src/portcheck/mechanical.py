"""The mechanical port of a Python 2 program: what `2to3 -w` makes of it, made at run time.

The converter is fissix (the maintained fork of lib2to3), pinned to FISSIX_VERSION since the
port, and so what it gets wrong, changes with its fixers. Every default fixer runs, as `2to3 -w`
runs them: all of fissix.fixes but the explicit ones (buffer, idioms, set_literal, ws_comma), and
print is a statement unless the file imports print_function. The port of a program is the port of
all of it: the script and each module of its own that it imports (beside it, or in its package),
converted where they are, so that fix_import sees the package a module belongs to, as `2to3 -w`
does when it is given the program's directory.

This module's one job is converting. Nothing is written but the port itself, by
convert_program(), into a scratch directory its caller gives (and removes): ports are never
committed. On import fissix would cache its grammar tables as pickles in the user's cache
directory, so they are built in memory instead (about 0.3 s, once per process). Nothing is logged.
"""

from __future__ import annotations

import ast
import io
import os
import re
import threading
import tokenize
from pathlib import Path
from typing import Any

from portcheck.model import ToolError

FISSIX_VERSION = "24.4.24"
FIXERS_PACKAGE = "fissix.fixes"

# PEP 263: a coding declaration is a comment on one of the first two lines.
CODING_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")

_lock = threading.Lock()  # a RefactoringTool is not thread-safe: one conversion at a time
_tool: Any = None
_ports: dict[tuple[str, str, tuple[str, ...] | None], str] = {}  # what fix_import sees beside a file: its layout


class ConversionError(ToolError):
    """A Python 2 source that the converter cannot read or parse (or its port cannot be written), in one line."""


class MissingConverterError(ToolError):
    """fissix is not installed here, or not the version the mechanical port is pinned to."""


def mechanical_port(source: str, name: str, path: Path | None = None) -> str:
    """`source` (Python 2) converted by every default fixer; `name` (e.g. "old.py") names it in errors.

    `path`, where the source lies, lets fix_import see whether it is a module of a package, whose
    implicit relative imports Python 3 no longer has; without it every import stays absolute, as a
    script's are.
    """
    layout = _layout(path) if path is not None else None
    key = (source, name, layout)
    if key not in _ports:  # a program's modules are converted for each of its runs: once is enough
        _ports[key] = _converted(source, name, str(path) if layout else None)
    return _ports[key]


def _layout(path: Path) -> tuple[str, ...] | None:
    """What fix_import looks at beside a module of a package; None for a file that is in no package."""
    directory = path.parent
    if not (directory / "__init__.py").exists():
        return None
    return tuple(sorted(os.listdir(directory)))


def _converted(source: str, name: str, filename: str | None) -> str:
    with _lock:
        tool = _refactoring_tool()
        parse_errors = _parse_errors()
        tool.fixer_log.clear()
        local_imports = _LocalImports(tool, allowed=filename is not None)
        try:
            # 2to3 appends a newline before parsing, and strips it after: a last line without one parses too.
            tree = tool.refactor_string(source + "\n", filename or name)
        except parse_errors as exc:
            raise ConversionError(f"cannot convert {name}: {_where(exc)}") from None
        finally:
            local_imports.undo()
    port = str(tree)
    return port[:-1] if port.endswith("\n") else port


def convert_program(directory: Path, entry: str, into: Path) -> list[str]:
    """Write into `into` the mechanical port of the program whose entry is `entry` (a path relative
    to `directory`): the entry, and each module of its own that it imports, recursively: a module
    beside the one importing it, or in the same package. Returns the relative paths converted.

    `into` may be `directory` itself (a scratch copy, converted in place).
    """
    pending, converted = [entry], []
    while pending:
        relative = pending.pop()
        if relative in converted:
            continue
        converted.append(relative)
        source_path = directory / relative
        port = mechanical_port(read_source(source_path, relative), relative, source_path)
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_encoded(port, relative))
        pending += [
            found.relative_to(directory).as_posix()
            for found in _own_modules(port, source_path, directory)
            if found.relative_to(directory).as_posix() not in converted
        ]
    return converted


def _own_modules(port: str, path: Path, top: Path) -> list[Path]:
    """The files under `top` of the modules that `port` (the converted source of `path`) imports."""
    try:
        tree = ast.parse(port)
    except SyntaxError:  # Python 2 that 2to3 left as it was: the run will say so
        return []
    names: list[tuple[Path, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(path.parent, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = path.parent
            for _ in range(max(node.level - 1, 0)):
                base = base.parent
            if node.module:
                names.append((base, node.module))
            if node.level:  # from . import helper: helper may be a module of the package
                names += [(base, alias.name) for alias in node.names]
    found = []
    for base, dotted in names:
        parts = dotted.split(".")
        for depth in range(1, len(parts) + 1):
            stem = base.joinpath(*parts[:depth])
            for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
                if candidate.is_file() and _is_under(candidate, top) and candidate != path:
                    found.append(candidate)
    return found


def _is_under(path: Path, top: Path) -> bool:
    try:
        path.relative_to(top)
    except ValueError:
        return False
    return True


def _encoded(port: str, shown_as: str) -> bytes:
    """The port encoded as its coding declaration says (as `2to3 -w` keeps a file's encoding), else as UTF-8."""
    encoding = declared_encoding(port) or "utf-8"
    try:
        return port.encode(encoding)
    except (LookupError, UnicodeEncodeError) as exc:
        raise ConversionError(f"cannot write the port of {shown_as} as {encoding}: {exc}") from None


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

        _tool = QuietRefactoringTool(refactor.get_fixers_from_package(FIXERS_PACKAGE))
    return _tool


class _LocalImports:
    """fix_import's look for a package beside the file, switched off for a source with no real place."""

    def __init__(self, tool: Any, allowed: bool) -> None:
        self.fixers = [fixer for fixer in tool.pre_order + tool.post_order if hasattr(fixer, "probably_a_local_import")]
        if not allowed:
            for fixer in self.fixers:  # an instance attribute shadows the method until undo()
                fixer.probably_a_local_import = _not_a_local_import

    def undo(self) -> None:
        for fixer in self.fixers:
            fixer.__dict__.pop("probably_a_local_import", None)


def _not_a_local_import(name: str) -> bool:
    """A source converted from a string lies nowhere: its `import x` is absolute.

    fix_import would look for a package beside the name given, relative to whatever directory the
    converter runs in, so that `import time` became `from . import time` wherever an __init__.py
    and a time.py happen to be.
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


def converter_problem(script: Path | None = None, shown_as: str = "") -> str:
    """Why no mechanical port can be made here ("" when one can): the converter missing, or
    `script` one it cannot read."""
    try:
        check_converter()
        if script is not None:
            mechanical_port(read_source(script, shown_as), shown_as)
    except ToolError as exc:
        return str(exc)
    return ""


def check_converter() -> None:
    """Raise MissingConverterError unless the pinned converter can be used here."""
    with _lock:
        _refactoring_tool()
