"""Find and check the Pythons that run the programs (a Python 2.7 for legacy, Pythons 3 for modern),
and whether each script is valid Python for the one that runs it.

A pyenv shim such as `python2.7` resolves only where a `.python-version` selects that version,
so besides PATH the interpreters are also looked for where pyenv installs them, and where a
distribution does.
"""

from __future__ import annotations

import ast
import functools
import glob
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from portcheck.model import Interpreter, ToolError
from portcheck.running import telling_line

LEGACY_PYTHON_VARIABLE = "LEGACY_PYTHON"
COMPILE_EACH = Path(__file__).resolve().parent / "compile_each.py"
PYTHON3_MINORS = range(8, 15)  # the matrix: 3.8 to 3.14
HOW_TO_GIVE_PYTHON2 = (
    f"give one with --python2 PATH or ${LEGACY_PYTHON_VARIABLE}, or install one (pyenv install 2.7.18, "
    "or a distribution's python2.7 package)"
)


@functools.lru_cache(maxsize=None)
def interpreter(command: str) -> Interpreter:
    """What `command` runs, asked of itself; a one-line error if it is not a Python that runs."""
    probe = "import sys; sys.stdout.write('%s %d %d %d' % ((sys.executable,) + tuple(sys.version_info[:3])))"
    try:
        done = subprocess.run([command, "-c", probe], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"cannot run interpreter {command!r}: {exc}") from None
    if done.returncode != 0:
        raise ToolError(f"interpreter {command!r} does not run: {telling_line(done.stderr)}")
    try:
        executable, major, minor, micro = done.stdout.rsplit(" ", 3)
        return Interpreter(executable, (int(major), int(minor), int(micro)))
    except ValueError:
        raise ToolError(f"{command!r} is not a Python interpreter: it did not report a version") from None


def this_python() -> Interpreter:
    return Interpreter(sys.executable, tuple(sys.version_info[:3]))  # type: ignore[arg-type]


def _pyenv_versions(prefix: str) -> list[str]:
    """pyenv's installs of `prefix` (such as 2.7), newest first."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    pattern = os.path.join(root, "versions", f"{prefix}*", "bin", f"python{prefix}")
    return sorted(glob.glob(pattern), key=_version_of, reverse=True)


def _version_of(path: str) -> tuple[int, ...]:
    """2.7.18 after 2.7.9: the numbers of a pyenv version's directory name, compared as numbers."""
    return tuple(int(number) for number in re.findall(r"\d+", Path(path).parent.parent.name))


def _candidates(name: str) -> list[str]:
    """Where `pythonX.Y` may be: on PATH, in pyenv's versions, in a distribution's bin. A pyenv shim
    on PATH comes after pyenv's versions: each call of one runs pyenv's shell scripts, which cost
    a second of CPU where a `.python-version` lists several versions, for the Python it would find."""
    on_path = shutil.which(name)
    version = name[len("python") :]
    pyenv = _pyenv_versions(version)
    if on_path and _is_pyenv_shim(on_path):
        return [*pyenv, on_path, f"/usr/local/bin/{name}", f"/usr/bin/{name}"]
    found = [on_path] if on_path else []
    return [*found, *pyenv, f"/usr/local/bin/{name}", f"/usr/bin/{name}"]


def _is_pyenv_shim(path: str) -> bool:
    try:
        with open(path, "rb") as script:
            start = script.read(1024)
    except OSError:
        return False
    return start.startswith(b"#!") and b"pyenv" in start


def _first_that_runs(candidates: list[str], version: tuple[int, int]) -> Interpreter | None:
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        try:
            found = interpreter(candidate)
        except ToolError:
            continue  # a pyenv shim with no such version selected here, say
        if found.minor == version:
            return found
    return None


def find_python2(requested: str | None = None) -> Interpreter | None:
    """Python 2.7: --python2, else $LEGACY_PYTHON, else the first found; None when there is none."""
    if requested:
        try:
            found = interpreter(requested)
        except ToolError:
            # a bare name such as python2.7 may be a pyenv shim that resolves only inside its clone
            shim = re.fullmatch(r"python2(\.7)?", requested)
            found = _first_that_runs(_candidates("python2.7"), (2, 7)) if shim else None
            if found is None:
                raise
        if found.version[0] != 2:
            raise ToolError(f"{requested} is {found.label}, not Python 2")
        return found
    variable = os.environ.get(LEGACY_PYTHON_VARIABLE)
    if variable:
        found = interpreter(variable)
        if found.minor != (2, 7):
            raise ToolError(f"{LEGACY_PYTHON_VARIABLE}={variable} is {found.label}, not 2.7")
        return found
    return _first_that_runs(_candidates("python2.7"), (2, 7))


def require_python2(requested: str | None = None) -> Interpreter:
    found = find_python2(requested)
    if found is None:
        raise ToolError(f"no Python 2.7 found: {HOW_TO_GIVE_PYTHON2}")
    return found


def find_python3s() -> list[Interpreter]:
    """Every Python of the matrix found here, oldest first."""
    found = (_first_that_runs(_candidates(f"python3.{minor}"), (3, minor)) for minor in PYTHON3_MINORS)
    return [python for python in found if python is not None]


def check_python3(requested: str | None, oldest: tuple[int, int], needs: str) -> Interpreter:
    """The Python 3 to run the modern side: `requested`, else this one; `needs` says why `oldest`."""
    found = interpreter(requested) if requested else this_python()
    if found.version[0] != 3 or found.minor < oldest:
        raise ToolError(f"{requested or sys.executable} is {found.label}; {needs} Python {oldest[0]}.{oldest[1]}+")
    return found


@dataclass(frozen=True)
class Pythons:
    """The two Pythons of a comparison, and each script that one of them cannot compile."""

    python2: Interpreter | None  # None: none found (recordings may stand for it)
    python3: Interpreter
    invalid: dict[tuple[int, Path], str] = field(default_factory=dict)  # (major, script): the line that says why

    def error(self, major: int, script: Path | None) -> str:
        return self.invalid.get((major, script), "") if script else ""


def pythons(
    requested2: str | None,
    requested3: str | None,
    oldest: tuple[int, int],
    needs: str,
    python2_compiles: tuple[Path, ...] = (),
    python3_compiles: tuple[Path, ...] = (),
) -> Pythons:
    """The Pythons asked for (Python 3: `requested3` at least `oldest`, which `needs` explains), and
    which of the scripts each is given cannot compile."""
    python3 = check_python3(requested3, oldest, needs)
    python2 = find_python2(requested2)
    invalid: dict[tuple[int, Path], str] = {}
    for python, scripts in ((python2, python2_compiles), (python3, python3_compiles)):
        if python is None or not scripts:
            continue
        by_path = {str(script): script for script in scripts}
        for error in syntax_errors(python, list(by_path.values())):
            script = by_path.get(error.split(":", 1)[0])
            if script is not None:
                invalid.setdefault((python.version[0], script), f"not valid {python.label}: {error}")
    return Pythons(python2, python3, invalid)


def check_sources(found: Pythons, legacy: Path | None, modern: Path | None) -> tuple[str, ...]:
    """Each script valid for its Python; a hint when they look swapped, a note when the legacy one is Python 3."""
    error = found.error(2, legacy) or found.error(3, modern)
    if error:
        swapped = bool(legacy and modern) and not found.error(2, modern) and not found.error(3, legacy)
        hint = "; are --legacy and --modern swapped?" if swapped else ""
        raise ToolError(f"{error}{hint}")
    if legacy and not found.error(3, legacy) and prints_tuples_on_python2(legacy.read_bytes()):
        note = (
            f"note: {legacy} calls print() with several arguments, which Python 2 prints as a tuple:"
            " is it the Python 3 port rather than the original?"
        )
        return (note,)
    return ()


def prints_tuples_on_python2(source: bytes) -> bool:
    """Whether a script that is valid Python 3 uses print() as only Python 3 code does."""
    if b"print_function" in source:
        return False
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and len(node.args) > 1
        for node in ast.walk(ast.parse(source))
    )


def syntax_errors(python: Interpreter, paths: list[Path]) -> list[str]:
    """One line per file that `python` cannot compile; nothing is written."""
    done = subprocess.run(
        [python.executable, str(COMPILE_EACH), *map(str, paths)], capture_output=True, text=True, check=False
    )
    if done.returncode and not done.stdout:
        raise ToolError(f"{python.executable} could not compile {len(paths)} file(s): {telling_line(done.stderr)}")
    return done.stdout.splitlines()
