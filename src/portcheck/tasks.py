"""A program the request names, made into the Task the engine carries out, once the Pythons are found.

Its settings decide how each side runs (arguments, input, environment, timeout, interruption),
under which start methods the port applies, what may differ (its Policy), and what its mechanical
port is expected to do.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from portcheck import config as configuration
from portcheck import recordings
from portcheck.interpreters import Pythons
from portcheck.model import Interpreter, Policy, Program, Task


@dataclass(frozen=True)
class Side:
    """One side of a program, as it is run: a script or a module, in a working directory."""

    shown: str
    workspace: Path
    script: Path | None = None
    module: str | None = None


@dataclass(frozen=True)
class Wanted:
    """A program to compare, before any interpreter is asked about it."""

    name: str
    legacy: Side | None
    modern: Side | None
    settings: configuration.ProgramSettings
    missing: str = ""  # why one of its sides is not there
    mechanical: bool = True  # whether its mechanical port is compared too


@dataclass(frozen=True)
class Asked:
    """What the request names: its programs, and what they need of the Pythons that run them."""

    programs: tuple[Wanted, ...]
    oldest: tuple[int, int]  # the oldest Python 3 that can run the modern side
    needs: str  # who needs it, for the error that says so
    where: str  # what a missing Python 2.7 is missing for
    code_base: bool  # several programs, a row each; else one comparison shown whole
    start_methods: tuple[str, ...]
    timeout: float | None  # the command line's, for every run; None: each program's own, or the default
    limit: int  # bytes each run may print, and write to any one file
    own: bool = False  # your own scripts, named on the command line: what is wrong with them is an error
    learn: bool = True  # the relaxations learned from the programs (a reference's pairs: only what is declared)
    recordings: Path | None = None  # legacy runs recorded on Python 2.7, which stand for a missing one
    notes: tuple[str, ...] = ()  # what the user should know before reading the results
    whole: tuple[str, ...] = ()  # a code base's every program, this shard's and the others'
    mechanical_off: str = ""  # why no program's mechanical port is compared: its configuration says so


def task_of(wanted: Wanted, asked: Asked, found: Pythons, with_mechanical: bool) -> Task:
    """The program with its settings applied, each side on the Python found for it."""
    settings = wanted.settings.timed(asked.timeout)
    methods = asked.start_methods
    legacy, modern = wanted.legacy, wanted.modern
    common = {
        "arguments": settings.arguments,
        "stdin": settings.stdin,
        "environment": settings.environment,
        "timeout": settings.timeout,
        "interrupt": settings.interrupt,
        "limit": asked.limit,
    }

    def program(side: Side, python: Interpreter, **how: object) -> Program:
        return Program(side.shown, python, side.workspace, side.script, side.module, **common, **how)  # type: ignore[arg-type]

    applicable = [method for method in methods if settings.applies(found.python3.minor, method)]
    python2 = found.python2
    error = (found.error(2, legacy.script) if legacy else "") or (found.error(3, modern.script) if modern else "")
    return Task(
        name=wanted.name,
        legacy=program(legacy, python2) if legacy and python2 else None,
        modern=tuple(program(modern, found.python3, start_method=method) for method in applicable) if modern else (),
        mechanical=tuple(
            program(
                dataclasses.replace(legacy, shown=f"2to3 of {legacy.shown}"),
                found.python3,
                start_method=method,
                convert=True,
            )
            for method in methods
        )
        if with_mechanical and wanted.mechanical and legacy
        else (),
        policy=Policy(settings.streams, settings.differences, settings.vary, settings.unordered, learn=asked.learn),
        not_applicable=tuple((method, settings.not_applicable) for method in methods if method not in applicable),
        # a pair of this repository expects its 2to3 port to do what its port does, unless its data says
        # otherwise; a user's code base expects only what its configuration declares
        expected=tuple((method, *settings.expected_mechanical(method)) for method in methods)
        if settings.mechanical.expect or not asked.learn
        else (),
        # your script alone is compared with its mechanical port: that verdict is the one asked for
        mechanical_binds=bool(settings.mechanical.expect) or not asked.learn or asked.own,
        expected_diagnoses=settings.mechanical.diagnoses,
        recording=asked.recordings / f"{wanted.name}.json" if asked.recordings else None,
        inputs=recordings.inputs_of(
            legacy.script,
            legacy.workspace,
            asked.recordings.parent,
            settings.arguments,
            settings.stdin,
            settings.environment,
        )
        if asked.recordings and legacy and legacy.script
        else (),
        skip=settings.skip,
        sources=(legacy.script if legacy else None, modern.script if modern else None),
        missing=wanted.missing,
        error=error,
    )
