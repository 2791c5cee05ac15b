"""How a code base is compared: `portcheck.toml`, or `[tool.portcheck]` in `pyproject.toml`, read and checked.

Its keys are declared once, in KEYS below (each with how it is read, an example and what it means):
the reader, its checks and the table docs/porting.md shows (`documented()`) are made from them. A
key the tool does not know, or a value of the wrong type, is an error naming the file, the program
and the key.
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


CODE_BASE = "the code base"  # a key of the top level only
PROGRAM = "each program"  # a key of a [programs.NAME] table, or of the top level as every program's default


@dataclass(frozen=True)
class Key:
    """A key of the configuration: where it may stand, how it is read (the _Reader method named `kind`, which
    checks it), a value as the documentation shows it, what it means, and the field it sets."""

    name: str
    where: str  # CODE_BASE or PROGRAM
    kind: str
    example: str
    help: str
    field: str = ""  # the Config or ProgramSettings field it sets, where it is not the key's name
    tables_only: bool = False  # a program's own table only, not the top level

    @property
    def sets(self) -> str:
        return self.field or self.name


KEYS = (
    Key("legacy", CODE_BASE, "directory", '"old"', "the Python 2 programs' directory (relative to the file)"),
    Key("modern", CODE_BASE, "directory", '"new"', "their ports', at the same relative paths"),
    Key("recordings", CODE_BASE, "place", '"recordings"', "legacy runs `portcheck record` writes, for where no 2.7 is"),
    Key("relax", CODE_BASE, "boolean", "true", "the relaxations learned from the programs (false: only the declared)"),
    Key(
        "2to3",
        CODE_BASE,
        "boolean",
        "true",
        "each program's 2to3 port compared too (false: as --no-2to3)",
        "mechanical",
    ),
    Key("args", PROGRAM, "texts", '["3", "4"]', "its arguments", "arguments"),
    Key("stdin", PROGRAM, "file", '"input.txt"', "its standard input (relative to the file)"),
    Key("env", PROGRAM, "environment", '{ LANG = "C" }', "variables added to its environment", "environment"),
    Key("timeout", PROGRAM, "seconds", "30", "seconds for each run (default 30, or $PORTCHECK_TIMEOUT)"),
    Key("python", PROGRAM, "python", '"3.8"', "the oldest Python 3 the port supports"),
    Key("start_methods", PROGRAM, "start_methods", '["fork", "spawn", "forkserver"]', "where the port applies"),
    Key("not_applicable", PROGRAM, "text", '"why"', "why it does not apply where python or start_methods leave out"),
    Key("unordered", PROGRAM, "patterns", '["REGEX"]', "lines that may come in any order"),
    Key("vary", PROGRAM, "patterns", '["REGEX"]', "text that may differ"),
    Key("streams", PROGRAM, "patterns", '["REGEX"]', "lines one process prints in order, the order between them open"),
    Key(
        "differences",
        PROGRAM,
        "differences",
        '[{ legacy = "IOError", modern = "OSError", why = "PEP 3151" }]',
        "what the port prints differently, and why",
    ),
    Key(
        "interrupt",
        PROGRAM,
        "interrupt",
        '{ after = "REGEX", signal = "SIGINT" }',
        "signal its process group after such a line of its stdout",
    ),
    Key(
        "mechanical",
        PROGRAM,
        "mechanical",
        '{ expect = { forkserver = "different" }, why = "...", diagnoses = ["RULE"] }',
        "what its 2to3 port does, where not what the port does, and the diagnoses that explain it",
    ),
    Key("skip", PROGRAM, "text", '"why"', "not compared, and the report says why"),
    Key("about", PROGRAM, "table", "{ ... }", "free text about the program, kept for the site", tables_only=True),
)
TOP_KEYS = {key.name for key in KEYS if not key.tables_only} | {"programs"}
PROGRAM_KEYS = {key.name for key in KEYS if key.where == PROGRAM}


def documented() -> str:
    """The keys as a Markdown table, for docs/porting.md."""
    rows = ["| key | of | example | meaning |", "|---|---|---|---|"]
    for key in KEYS:
        where = "a `[programs.NAME]` table" if key.tables_only else key.where
        example = key.example.replace("|", "\\|")
        rows.append(f"| `{key.name}` | {where} | `{example}` | {key.help} |")
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class Mechanical:
    """What a program's 2to3 port is expected to do, where it is not what its port does."""

    expect: tuple[tuple[str, Verdict], ...] = ()  # the verdict per start method
    why: str = ""
    diagnoses: tuple[str, ...] = ()  # the rules that explain its expected differences


@dataclass(frozen=True)
class ProgramSettings:
    """What the configuration says of one program (KEYS of PROGRAM); every field has the code base's default."""

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
    mechanical: Mechanical = field(default_factory=Mechanical)
    skip: str = ""
    about: dict[str, Any] = field(default_factory=dict)

    def applies(self, version: tuple[int, int], start_method: str) -> bool:
        return version >= self.python and start_method in self.start_methods

    def expected_mechanical(self, start_method: str) -> tuple[Verdict, str]:
        """The mechanical port's expected verdict under `start_method`, and why where it is not the port's own."""
        expected = dict(self.mechanical.expect)
        if start_method in expected:
            return expected[start_method], self.mechanical.why
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
    """A code base's configuration (KEYS of CODE_BASE): where its two sides are, and its programs' settings."""

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


class _Reader:
    """Reads a configuration's data by KEYS, each wrong key or value a ToolError naming the file, the program and
    the key. Each method named by a Key's kind reads one value: (where, key, value) -> what its field holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent

    def fail(self, where: str, message: str) -> ToolError:
        return ToolError(f"{self.path}: {where}: {message}")

    def config(self, data: dict) -> Config:
        self.keys("the top level", data, TOP_KEYS)
        defaults = self.settings("the top level", {k: v for k, v in data.items() if k in PROGRAM_KEYS}, None)
        programs = data.get("programs", {})
        if not isinstance(programs, dict):
            raise self.fail("programs", "must be a table of programs, [programs.NAME]")
        read = {
            key.sets: getattr(self, key.kind)(key.name, key.name, data[key.name])
            for key in KEYS
            if key.where == CODE_BASE and key.name in data
        }
        return Config(
            path=self.path,
            programs={name: self.settings(f"programs.{name}", values, defaults) for name, values in programs.items()},
            defaults=defaults,
            **read,
        )

    def keys(self, where: str, data: object, known: set[str]) -> None:
        if not isinstance(data, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(data) - known)
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")

    def settings(self, where: str, data: object, defaults: ProgramSettings | None) -> ProgramSettings:
        """A program's settings: its table's keys, each absent one the top level's (`defaults`); the top
        level's own when `defaults` is None."""
        table = defaults is not None
        self.keys(where, data, PROGRAM_KEYS if table else PROGRAM_KEYS - {"about"})
        assert isinstance(data, dict)
        read = {
            key.sets: getattr(self, key.kind)(where, key.name, data[key.name])
            for key in KEYS
            if key.where == PROGRAM and key.name in data
        }
        settings = dataclasses.replace(defaults or ProgramSettings(), **{"about": {}, **read})
        narrowed = settings.python > OLDEST_PYTHON or len(settings.start_methods) < len(START_METHODS)
        if table and narrowed and not settings.not_applicable:
            raise self.fail(
                where, "python or start_methods leave Pythons or start methods out: say why in not_applicable"
            )
        return settings

    def text(self, where: str, key: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"{key} must be a string, not {type(value).__name__}")
        return value

    def texts(self, where: str, key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(where, f"{key} must be a list of strings")
        return tuple(value)

    def table(self, where: str, key: str, value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"{key} must be a table")
        return dict(value)

    def boolean(self, where: str, key: str, value: object) -> bool:
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

    def seconds(self, where: str, key: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, f"{key} must be a number of seconds")
        try:
            return checked_timeout(float(value), key)
        except ToolError as exc:
            raise self.fail(where, str(exc)) from None

    def python(self, where: str, key: str, value: object) -> tuple[int, int]:
        found = re.fullmatch(r"3\.(\d+)", value) if isinstance(value, str) else None
        if not found:
            raise self.fail(where, f'{key} must be a Python 3 version such as "3.8", not {value!r}')
        return (3, int(found.group(1)))

    def start_methods(self, where: str, key: str, value: object) -> tuple[str, ...]:
        methods = self.texts(where, key, value)
        unknown = [method for method in methods if method not in START_METHODS]
        if unknown or not methods:
            raise self.fail(where, f"{key}: choose from {', '.join(START_METHODS)}, not {list(methods)}")
        return methods

    def place(self, where: str, key: str, value: object) -> Path:
        """A directory the tool may make (the recordings)."""
        return (self.base / self.text("the top level", key, value)).resolve()

    def directory(self, where: str, key: str, value: object) -> Path:
        path = self.place(where, key, value)
        if not path.is_dir():
            raise self.fail(key, f"no such directory: {path}")
        return path

    def file(self, where: str, key: str, value: object) -> Path:
        path = (self.base / self.text(where, key, value)).resolve()
        if not path.exists():
            raise self.fail(where, f"{key}: no such file: {path}")
        return path

    def environment(self, where: str, key: str, value: object) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(where, f"{key} must be a table of strings")
        return tuple(sorted(value.items()))

    def differences(self, where: str, key: str, value: object) -> tuple[Difference, ...]:
        if not isinstance(value, list):
            raise self.fail(where, f"{key} must be a list of tables {{legacy, modern, why}}")
        found = []
        for number, item in enumerate(value, 1):
            self.keys(f"{where}: {key}[{number}]", item, {"legacy", "modern", "why"})
            missing = {"legacy", "modern", "why"} - set(item)
            if missing:
                raise self.fail(f"{where}: {key}[{number}]", f"lacks {', '.join(sorted(missing))}")
            found.append(Difference(*(self.text(where, name, item[name]) for name in ("legacy", "modern", "why"))))
        return tuple(found)

    def interrupt(self, where: str, key: str, value: object) -> Interrupt:
        self.keys(f"{where}: {key}", value, {"after", "signal"})
        assert isinstance(value, dict)
        signal_name = self.text(where, f"{key}.signal", value.get("signal", "SIGINT"))
        if signal_name not in ("SIGINT", "SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2"):
            raise self.fail(where, f"{key}.signal: not a signal to send: {signal_name!r}")
        return Interrupt(self.patterns(where, f"{key}.after", [value.get("after", "")])[0], signal_name)

    def mechanical(self, where: str, key: str, value: object) -> Mechanical:
        self.keys(f"{where}: {key}", value, {"expect", "why", "diagnoses"})
        assert isinstance(value, dict)
        expect = value.get("expect", {})
        if isinstance(expect, str):
            expect = dict.fromkeys(START_METHODS, expect)
        if not isinstance(expect, dict):
            raise self.fail(where, f"{key}.expect must be a verdict, or a table of them by start method")
        checked = []
        for method, verdict in expect.items():
            if method not in START_METHODS or verdict not in EXPECTABLE:
                raise self.fail(
                    where,
                    f"{key}.expect: {method} = {verdict!r}: a start method ({', '.join(START_METHODS)}) and a"
                    f" verdict ({', '.join(EXPECTABLE)})",
                )
            checked.append((method, EXPECTABLE[verdict]))
        why = self.text(where, f"{key}.why", value.get("why", ""))
        if checked and not why:
            raise self.fail(where, f"{key}.expect needs its why")
        diagnoses = self.texts(where, f"{key}.diagnoses", value.get("diagnoses", []))
        if diagnoses:
            from portcheck.diagnose import RULE_IDS  # here: its rules are compiled on import, needed only if named

            unknown = [rule for rule in diagnoses if rule not in RULE_IDS]
            if unknown:
                known = ", ".join(sorted(RULE_IDS))
                raise self.fail(where, f"{key}.diagnoses: unknown rule {unknown[0]!r} (known: {known})")
            if Verdict.DIFFERENT not in dict(checked).values():
                raise self.fail(where, f"{key}.diagnoses: only for a port its expect says is different")
        return Mechanical(tuple(checked), why, diagnoses)
