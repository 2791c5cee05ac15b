"""`portcheck lint PATH...`: lint files and folders of Python 3 code, and say what was found.

Exit status, as ruff's: 0 when nothing is found, 1 when something is (a file that does not parse,
cannot be read or decoded, or that the lint fails on is one finding: MPC001, MPC002, MPC003), 2 on
a bad command line (a path that does not exist or is not a file nor a folder, an unknown code),
said in one line `error: ...` on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterator, NoReturn

from portcheck.lint.engine import selected_rules
from portcheck.lint.files import lint_file
from portcheck.lint.findings import Finding
from portcheck.lint.findings import unreadable as unreadable_file
from portcheck.lint.output import FORMATS, render

# Folders no one means to lint: version control, environments, caches, build output.
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "__pycache__",
        "node_modules",
        "build",
        "dist",
        "site-packages",  # an environment's installed packages, wherever it is (ruff leaves them out too)
        ".eggs",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


class BadInputError(Exception):
    """A command line or a path that cannot be used, said in one line."""


class OneLineErrors(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInputError(message)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = OneLineErrors(
        prog="portcheck lint",
        description="Lint Python 3 multiprocessing code for the pitfalls the pairs found.",
        epilog="Exit status: 0 nothing found, 1 findings (a file that does not parse among them), 2 bad command line. "
        "`# noqa: CODE` on a line silences CODE there.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a Python 3 file, or a folder of them")
    parser.add_argument("--select", default="", metavar="CODE,...", help="only these codes (or code prefixes)")
    parser.add_argument("--ignore", default="", metavar="CODE,...", help="not these codes (or code prefixes)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or sarif")
    return parser.parse_args(argv)


def codes(given: str) -> list[str]:
    return [code.strip() for code in given.split(",") if code.strip()]


def python_files(path: Path, unreadable: list[Finding]) -> Iterator[Path]:
    """`path` if it is a file (whatever its name), else the .py files under it. What cannot be looked
    into under it is put in `unreadable` (MPC002); a path named that cannot be used is BadInputError."""
    try:
        if path.is_file():
            yield path
            return
        if path.exists() and not path.is_dir():  # a FIFO or a device: reading it could block for ever
            raise BadInputError(f"{path} is not a file")
        if not path.is_dir():
            raise BadInputError(f"{path} does not exist")
    except OSError as exc:  # under a folder this user cannot enter
        raise BadInputError(f"{path} cannot be read: {exc.strerror or exc}") from None
    waiting = [path]  # a stack, not recursion: folders nested thousands deep must not end the run
    while waiting:
        folder = waiting.pop()
        try:
            for found in sorted(folder.iterdir()):
                if found.is_dir():
                    if not (skipped(found) or found.is_symlink()):  # a linked folder can lead back up
                        waiting.append(found)
                elif found.suffix == ".py" and found.is_file():  # not a FIFO, nor an editor's lock (a link to nothing)
                    yield found
        except OSError as exc:
            unreadable.append(unreadable_file(str(folder), exc))


def skipped(folder: Path) -> bool:
    return folder.name in SKIPPED_FOLDERS or folder.name.startswith(".") or folder.name.endswith(".egg-info")


def main(argv: list[str]) -> int:
    """Lint the paths that `argv` names (what follows `portcheck lint`); return the exit status."""
    try:
        arguments = parse(argv)
        select, ignore = codes(arguments.select), codes(arguments.ignore)
        selected_rules(select, ignore)
        found: list[Finding] = []
        files = [file for path in arguments.paths for file in python_files(Path(path), found)]
    except (BadInputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    found.extend(finding for file in files for finding in lint_file(file, select, ignore))
    findings = sorted(finding for finding in found if not finding.code.startswith(tuple(ignore)))
    shown = render(findings, arguments.format)
    if shown:
        print(shown)
    return 1 if findings else 0
