"""How a code base is compared: `portcheck.toml`, or `[tool.portcheck]` in `pyproject.toml`, read and checked.

    legacy = "old"                 the Python 2 programs' directory (relative to the file)
    modern = "new"                 their ports', the same relative paths
    recordings = "recordings"      legacy runs recorded on Python 2.7 (NAME.json), for a machine without one
    relax = true                   the relaxations learned from the programs (false: only what is declared)
    2to3 = true                    each program's mechanical port compared too (false: as --no-2to3)
    python = "3.8"                 the oldest Python 3 the ports support
    start_methods = ["fork", "spawn", "forkserver"]
    timeout = 30                   seconds for each run

    [programs.NAME]                NAME: the program's path under `legacy`, without ".py"
    args = ["3", "4"]              its arguments
    stdin = "input.txt"            its standard input (relative to the file)
    env = { LANG = "C" }           variables added to its environment
    timeout, python, start_methods as above, for this program
    not_applicable = "why"         why it does not apply where python or start_methods leave it out
    unordered = ["REGEX"]          lines that may come in any order
    vary = ["REGEX"]               text that may differ
    streams = ["REGEX"]            lines one process prints in order, the order between them open
    differences = [{ legacy = "IOError", modern = "OSError", why = "PEP 3151" }]
    interrupt = { after = "REGEX", signal = "SIGINT" }   signal its process group after such a line
    mechanical = { expect = { forkserver = "different" }, why = "..." }   what its 2to3 port does
    mechanical.diagnoses = ["getppid-under-forkserver"]   why it differs where expected to: diagnose.py's rules
    skip = "why"                   not compared, and the report says why
    about = { ... }                free text about the program, which the tool keeps for the site

A key the tool does not know, or a value of the wrong type, is an error naming the file, the
program and the key.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portcheck.model import Difference, Interrupt, ToolError, Verdict
from portcheck.running import START_METHODS

FILE_NAME = "portcheck.toml"
PYPROJECT = "pyproject.toml"
OLDEST_PYTHON = (3, 8)
EXPECTABLE = {str(verdict): verdict for verdict in (Verdict.IDENTICAL, Verdict.DECLARED, Verdict.DIFFERENT)}
TIMEOUT_VARIABLE = "PORTCHECK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
LONGEST_TIMEOUT = 86400.0  # seconds; select() refuses a timeout of about 25 days or more


@dataclass(frozen=True)
class ProgramSettings:
    """What the configuration says of one program; every field has the code base's default."""

    arguments: tuple[str, ...] = ()
    stdin: Path | None = None
    environment: tuple[tuple[str, str], ...] = ()
    timeout: float | None = None
    python: tuple[int, int] = OLDEST_PYTHON
    start_methods: tuple[str, ...] = START_METHODS
    not_applicable: str = ""
    unordered: tuple[str, ...] = ()
    vary: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()
    interrupt: Interrupt | None = None
    expect: tuple[tuple[str, Verdict], ...] = ()  # the mechanical port's verdict per start method, where not the port's
    expect_why: str = ""
    expect_diagnoses: tuple[str, ...] = ()  # the rules that explain the mechanical port's expected differences
    skip: str = ""
    about: dict[str, Any] = field(default_factory=dict)

    def applies(self, version: tuple[int, int], start_method: str) -> bool:
        return version >= self.python and start_method in self.start_methods

    def expected_mechanical(self, start_method: str) -> tuple[Verdict, str]:
        """The mechanical port's expected verdict under `start_method`, and why where it is not the port's own."""
        expected = dict(self.expect)
        if start_method in expected:
            return expected[start_method], self.expect_why
        return (Verdict.DECLARED if self.differences else Verdict.IDENTICAL), ""

    def timed(self, given: float | None) -> ProgramSettings:
        """These settings with the timeout of each run decided: `given` (the command line's), else the
        program's own, else $PORTCHECK_TIMEOUT, else DEFAULT_TIMEOUT."""
        if given is not None:
            timeout = checked_timeout(given, "the timeout")
        else:
            timeout = self.timeout if self.timeout is not None else default_timeout()
        return dataclasses.replace(self, timeout=timeout)


@dataclass(frozen=True)
class Config:
    """A code base's configuration: where its two sides are, and its programs' settings."""

    path: Path | None  # the file it was read from; None: no file, every default
    legacy: Path | None = None
    modern: Path | None = None
    recordings: Path | None = None
    relax: bool = True
    mechanical: bool = True  # each program's 2to3 port compared too
    programs: dict[str, ProgramSettings] = field(default_factory=dict)
    defaults: ProgramSettings = field(default_factory=ProgramSettings)

    def settings(self, name: str) -> ProgramSettings:
        return self.programs.get(name, self.defaults)


def checked_timeout(seconds: float, given_as: str) -> float:
    """`seconds` if it is a usable timeout, else a one-line error naming how it was given."""
    if not (math.isfinite(seconds) and 0 < seconds <= LONGEST_TIMEOUT):
        raise ToolError(
            f"{given_as} must be a positive number of seconds, at most {LONGEST_TIMEOUT:g}, not {seconds:g}"
        )
    return seconds


def default_timeout() -> float:
    value = os.environ.get(TIMEOUT_VARIABLE)
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise ToolError(f"{TIMEOUT_VARIABLE}={value!r} is not a number of seconds") from None
    return checked_timeout(seconds, TIMEOUT_VARIABLE)


def find(directory: Path) -> Path | None:
    """The configuration that governs `directory`: its portcheck.toml, or a pyproject.toml with [tool.portcheck]."""
    candidate = directory / FILE_NAME
    if candidate.is_file():
        return candidate
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and "[tool.portcheck" in pyproject.read_text(errors="replace"):
        return pyproject
    return None


def load(path: Path | None) -> Config:
    """The configuration in `path` (None: every default), checked: a bad one is a ToolError naming what is wrong."""
    if path is None:
        return Config(None)
    try:
        data = _toml(path.read_text())
    except OSError as exc:
        raise ToolError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ToolError(f"{path}: not valid TOML: {exc}") from None
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("portcheck", {})
    return _Reader(path).config(data)


def _toml(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    return tomllib.loads(text)


TOP_KEYS = {"legacy", "modern", "recordings", "relax", "2to3", "python", "start_methods", "timeout", "programs"}
PROGRAM_KEYS = {
    "args",
    "stdin",
    "env",
    "timeout",
    "python",
    "start_methods",
    "not_applicable",
    "unordered",
    "vary",
    "streams",
    "differences",
    "interrupt",
    "mechanical",
    "skip",
    "about",
}


class _Reader:
    """Reads a configuration's data, each wrong key or value a ToolError naming the file, the program and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent

    def fail(self, where: str, message: str) -> ToolError:
        return ToolError(f"{self.path}: {where}: {message}")

    def config(self, data: dict) -> Config:
        self.keys("the top level", data, TOP_KEYS | PROGRAM_KEYS - {"about"})
        defaults = self.settings("the top level", {k: v for k, v in data.items() if k in PROGRAM_KEYS}, None)
        programs = data.get("programs", {})
        if not isinstance(programs, dict):
            raise self.fail("programs", "must be a table of programs, [programs.NAME]")
        return Config(
            path=self.path,
            legacy=self.directory("legacy", data.get("legacy")),
            modern=self.directory("modern", data.get("modern")),
            recordings=self.directory("recordings", data.get("recordings"), must_exist=False),
            relax=self.boolean("relax", data.get("relax", True)),
            mechanical=self.boolean("2to3", data.get("2to3", True)),
            programs={name: self.settings(f"programs.{name}", values, defaults) for name, values in programs.items()},
            defaults=defaults,
        )

    def keys(self, where: str, data: object, known: set[str]) -> None:
        if not isinstance(data, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(data) - known)
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")

    def settings(self, where: str, data: object, defaults: ProgramSettings | None) -> ProgramSettings:
        self.keys(where, data, PROGRAM_KEYS if defaults is not None else PROGRAM_KEYS - {"about"})
        assert isinstance(data, dict)
        base = defaults or ProgramSettings()

        def get(key: str, default: Any) -> Any:
            return data.get(key, default)

        python = self.python(where, get("python", None), base.python)
        start_methods = self.start_methods(where, get("start_methods", None), base.start_methods)
        not_applicable = self.text(where, "not_applicable", get("not_applicable", base.not_applicable))
        narrowed = python > OLDEST_PYTHON or len(start_methods) < len(START_METHODS)
        if defaults is not None and narrowed and not not_applicable:
            raise self.fail(
                where, "python or start_methods leave Pythons or start methods out: say why in not_applicable"
            )
        expect, expect_why = self.mechanical(where, get("mechanical", None), base)
        expect_diagnoses = self.expected_diagnoses(where, get("mechanical", None), expect, base)
        timeout = get("timeout", base.timeout)
        return ProgramSettings(
            arguments=tuple(self.texts(where, "args", get("args", list(base.arguments)))),
            stdin=self.file(where, "stdin", get("stdin", None)) or base.stdin,
            environment=self.environment(where, get("env", dict(base.environment))),
            timeout=None if timeout is None else self.seconds(where, timeout),
            python=python,
            start_methods=start_methods,
            not_applicable=not_applicable,
            unordered=self.patterns(where, "unordered", get("unordered", list(base.unordered))),
            vary=self.patterns(where, "vary", get("vary", list(base.vary))),
            streams=self.patterns(where, "streams", get("streams", list(base.streams))),
            differences=self.differences(where, get("differences", None), base.differences),
            interrupt=self.interrupt(where, get("interrupt", None)) or base.interrupt,
            expect=expect,
            expect_why=expect_why,
            expect_diagnoses=expect_diagnoses,
            skip=self.text(where, "skip", get("skip", "")),
            about=dict(get("about", {})),
        )

    def text(self, where: str, key: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"{key} must be a string, not {type(value).__name__}")
        return value

    def texts(self, where: str, key: str, value: object) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(where, f"{key} must be a list of strings")
        return value

    def boolean(self, key: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def patterns(self, where: str, key: str, value: object) -> tuple[str, ...]:
        for pattern in self.texts(where, key, value):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise self.fail(where, f"{key}: not a regular expression: {pattern!r} ({exc})") from None
        return tuple(value)  # type: ignore[arg-type]

    def seconds(self, where: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, "timeout must be a number of seconds")
        try:
            return checked_timeout(float(value), "timeout")
        except ToolError as exc:
            raise self.fail(where, str(exc)) from None

    def python(self, where: str, value: object, default: tuple[int, int]) -> tuple[int, int]:
        if value is None:
            return default
        found = re.fullmatch(r"3\.(\d+)", value) if isinstance(value, str) else None
        if not found:
            raise self.fail(where, f'python must be a Python 3 version such as "3.8", not {value!r}')
        return (3, int(found.group(1)))

    def start_methods(self, where: str, value: object, default: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return default
        methods = self.texts(where, "start_methods", value)
        unknown = [method for method in methods if method not in START_METHODS]
        if unknown or not methods:
            raise self.fail(where, f"start_methods: choose from {', '.join(START_METHODS)}, not {methods}")
        return tuple(methods)

    def directory(self, key: str, value: object, must_exist: bool = True) -> Path | None:
        if value is None:
            return None
        path = (self.base / self.text("the top level", key, value)).resolve()
        if must_exist and not path.is_dir():
            raise self.fail(key, f"no such directory: {path}")
        return path

    def file(self, where: str, key: str, value: object) -> Path | None:
        if value is None:
            return None
        path = (self.base / self.text(where, key, value)).resolve()
        if not path.exists():
            raise self.fail(where, f"{key}: no such file: {path}")
        return path

    def environment(self, where: str, value: object) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(where, "env must be a table of strings")
        return tuple(sorted(value.items()))

    def differences(self, where: str, value: object, default: tuple[Difference, ...]) -> tuple[Difference, ...]:
        if value is None:
            return default
        if not isinstance(value, list):
            raise self.fail(where, "differences must be a list of tables {legacy, modern, why}")
        found = []
        for number, item in enumerate(value, 1):
            self.keys(f"{where}: differences[{number}]", item, {"legacy", "modern", "why"})
            missing = {"legacy", "modern", "why"} - set(item)
            if missing:
                raise self.fail(f"{where}: differences[{number}]", f"lacks {', '.join(sorted(missing))}")
            found.append(Difference(*(self.text(where, key, item[key]) for key in ("legacy", "modern", "why"))))
        return tuple(found)

    def interrupt(self, where: str, value: object) -> Interrupt | None:
        if value is None:
            return None
        self.keys(f"{where}: interrupt", value, {"after", "signal"})
        assert isinstance(value, dict)
        signal_name = self.text(where, "interrupt.signal", value.get("signal", "SIGINT"))
        if signal_name not in ("SIGINT", "SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2"):
            raise self.fail(where, f"interrupt.signal: not a signal to send: {signal_name!r}")
        return Interrupt(self.patterns(where, "interrupt.after", [value.get("after", "")])[0], signal_name)

    def mechanical(
        self, where: str, value: object, base: ProgramSettings
    ) -> tuple[tuple[tuple[str, Verdict], ...], str]:
        if value is None:
            return base.expect, base.expect_why
        self.keys(f"{where}: mechanical", value, {"expect", "why", "diagnoses"})
        assert isinstance(value, dict)
        expect = value.get("expect", {})
        if isinstance(expect, str):
            expect = dict.fromkeys(START_METHODS, expect)
        if not isinstance(expect, dict):
            raise self.fail(where, "mechanical.expect must be a verdict, or a table of them by start method")
        checked = []
        for method, verdict in expect.items():
            if method not in START_METHODS or verdict not in EXPECTABLE:
                raise self.fail(
                    where,
                    f"mechanical.expect: {method} = {verdict!r}: a start method ({', '.join(START_METHODS)}) and a"
                    f" verdict ({', '.join(EXPECTABLE)})",
                )
            checked.append((method, EXPECTABLE[verdict]))
        why = self.text(where, "mechanical.why", value.get("why", ""))
        if checked and not why:
            raise self.fail(where, "mechanical.expect needs its why")
        return tuple(checked), why

    def expected_diagnoses(
        self, where: str, value: object, expect: tuple[tuple[str, Verdict], ...], base: ProgramSettings
    ) -> tuple[str, ...]:
        """The rules (diagnose.py) that explain a mechanical port's expected differences, each one the tool knows."""
        if not isinstance(value, dict) or "diagnoses" not in value:
            return base.expect_diagnoses if value is None else ()
        named = self.texts(where, "mechanical.diagnoses", value["diagnoses"])
        from portcheck.diagnose import RULE_IDS  # here: its rules are compiled on import, needed only if named

        unknown = [rule for rule in named if rule not in RULE_IDS]
        if unknown:
            raise self.fail(
                where, f"mechanical.diagnoses: unknown rule {unknown[0]!r} (known: {', '.join(sorted(RULE_IDS))})"
            )
        if named and Verdict.DIFFERENT not in dict(expect).values():
            raise self.fail(where, "mechanical.diagnoses: only for a port its expect says is different")
        return tuple(named)
