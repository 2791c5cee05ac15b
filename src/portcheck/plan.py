"""What to compare, decided before anything runs: a Request from the command line becomes a Plan of Tasks.

A task is one legacy program against its modern port under each start method, and against its
mechanical port (2to3): your own two scripts, your script alone against its mechanical port, or
each program of a code base that a configuration describes (this repository's pairs are one).
Everything that can be wrong with the request is found here, before any program runs: a missing
file, a file that is not Python for its interpreter, an interpreter that is not the Python asked
for, a configuration that says something the tool does not know.
"""

from __future__ import annotations

import ast
import atexit
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from portcheck import config as configuration
from portcheck.interpreters import HOW_TO_GIVE_PYTHON2, check_python3, find_python2, syntax_errors
from portcheck.mechanical import MissingConverterError, check_converter, mechanical_port, read_source
from portcheck.model import Interpreter, Policy, Program, ToolError, Verdict
from portcheck.running import START_METHODS, checked_timeout, run_timeout
from portcheck.scratch import SKIPPED

OLDEST_FOR_OWN_SCRIPTS = (3, 4)  # set_start_method() and forkserver
MAIN_GUARD = re.compile(r"^if\s+__name__\s*==\s*['\"]__main__['\"]\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Request:
    """What the command line asks for."""

    names: tuple[str, ...] = ()
    legacy: str | None = None  # a script, or "-m MODULE"
    modern: str | None = None
    python2: str | None = None
    python3: str | None = None
    start_methods: tuple[str, ...] = START_METHODS
    timeout: float | None = None
    jobs: int = 2
    stdin: str | None = None  # a file, "-" for this process's own input
    vary: tuple[str, ...] = ()
    unordered: tuple[str, ...] = ()
    arguments: tuple[str, ...] = ()
    directory: Path = field(default_factory=Path.cwd)  # where the user stands


@dataclass(frozen=True)
class Task:
    """One legacy program against its modern port under each start method, and against its mechanical port."""

    name: str
    legacy: Program | None  # None: no Python 2.7 here, the recording stands for it
    modern: tuple[Program, ...]
    mechanical: tuple[Program, ...] = ()
    policy: Policy = field(default_factory=Policy)
    not_applicable: tuple[tuple[str, str], ...] = ()  # (start method, why) where the port does not apply
    expected: tuple[tuple[str, Verdict, str], ...] = ()  # the mechanical port's expected verdict, where it has one
    expected_diagnoses: tuple[str, ...] = ()  # the rules that explain its expected differences (diagnose.py)
    recording: Path | None = None  # the legacy run recorded on Python 2.7, for a machine without one
    skip: str = ""
    sources: tuple[Path | None, Path | None] = (None, None)  # the two scripts, to show side by side


@dataclass(frozen=True)
class Plan:
    tasks: tuple[Task, ...]
    python2: Interpreter | None
    python3: Interpreter
    start_methods: tuple[str, ...]
    jobs: int
    code_base: bool  # several programs, a row each; else one comparison shown whole
    mechanical_note: str = ""  # why no mechanical port is made, when none is
    notes: tuple[str, ...] = ()  # what the user should know before reading the results


def plan(request: Request) -> Plan:
    if request.legacy is not None or request.modern is not None:
        return own_scripts(request)
    return code_base(request)


def timeout_of(request: Request, configured: float | None = None) -> float:
    if request.timeout is not None:
        return checked_timeout(request.timeout, "the timeout")
    return configured if configured is not None else run_timeout()


# Your own scripts


def own_scripts(request: Request) -> Plan:
    if request.names:
        raise ToolError(
            f"--legacy/--modern take no other names ({' '.join(request.names)}); arguments for the programs go"
            f" after --: portcheck --legacy OLD.py --modern NEW.py -- {' '.join(request.names)}"
        )
    if request.legacy is None:
        raise ToolError(
            "--modern needs --legacy, the Python 2 script it ports (--legacy alone compares that with 2to3's port)"
        )
    python3 = check_python3(request.python3, OLDEST_FOR_OWN_SCRIPTS, "start methods need")
    stdin = copy_of_input(request.stdin) if request.stdin else None
    legacy = program_given(request.legacy, request, stdin)
    modern = program_given(request.modern, request, stdin) if request.modern else None
    if modern is None and legacy.script is not None:  # a script the converter cannot read is bad input
        mechanical_port(read_source(legacy.script, legacy.shown), legacy.shown)
    python2 = find_python2(request.python2)
    if python2 is None:
        raise ToolError(f"no Python 2.7 found for {legacy.shown}: {HOW_TO_GIVE_PYTHON2}")
    notes = check_sources(python2, python3, legacy.script, modern.script if modern else None)
    timeout = timeout_of(request)
    base = Program(legacy.shown, python2, request.directory, timeout=timeout, **legacy.given)
    methods = request.start_methods
    if modern is not None:
        ports = tuple(
            Program(modern.shown, python3, request.directory, start_method=method, timeout=timeout, **modern.given)
            for method in methods
        )
        mechanical: tuple[Program, ...] = ()
    else:
        ports = ()
        check_converter()
        mechanical = tuple(
            Program(
                f"2to3 of {legacy.shown}",
                python3,
                request.directory,
                start_method=method,
                timeout=timeout,
                convert=True,
                **legacy.given,
            )
            for method in methods
        )
    policy = Policy(vary=request.vary, unordered=request.unordered, learn=True)
    task = Task(
        legacy.shown, base, ports, mechanical, policy, sources=(legacy.script, modern.script if modern else None)
    )
    return Plan((task,), python2, python3, methods, request.jobs, code_base=False, notes=notes)


@dataclass(frozen=True)
class Given:
    shown: str
    script: Path | None
    given: dict


def program_given(given: str, request: Request, stdin: Path | None) -> Given:
    """A script path, or "-m MODULE", as the user gave it, checked; and what a Program needs of it."""
    common = {"arguments": request.arguments, "stdin": stdin}
    if given.startswith(("-m ", "-m=")):
        module = given[3:].strip()
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", module):
            raise ToolError(f"not a module name: {module!r}")
        return Given(f"-m {module}", None, {"module": module, **common})
    path = Path(given)
    if not path.exists():
        raise ToolError(f"no such file: {given}")
    if not path.is_file():
        raise ToolError(f"not a file: {given}")
    return Given(given, path.resolve(), {"script": path.resolve(), **common})


def copy_of_input(given: str) -> Path:
    """What the programs get as standard input, read once: each run reads it again, and a FIFO, a
    terminal or "-" (this process's own input) can be read only once."""
    try:
        data = sys.stdin.buffer.read() if given == "-" else Path(given).read_bytes()
    except IsADirectoryError:
        raise ToolError(f"--stdin: not a file: {given}") from None
    except OSError as exc:
        raise ToolError(f"--stdin: cannot read {given}: {exc.strerror}") from None
    handle, path = tempfile.mkstemp(prefix="portcheck-stdin-")
    with os.fdopen(handle, "wb") as copy:
        copy.write(data)
    atexit.register(os.unlink, path)
    return Path(path)


def check_sources(
    python2: Interpreter, python3: Interpreter, legacy: Path | None, modern: Path | None
) -> tuple[str, ...]:
    """Each script valid for its Python; a hint when they look swapped, a note when the legacy one is Python 3."""
    legacy_errors = syntax_errors(python2, [legacy]) if legacy else []
    modern_errors = syntax_errors(python3, [modern]) if modern else []
    if legacy_errors or modern_errors:
        swapped = (
            bool(legacy and modern) and not syntax_errors(python2, [modern]) and not syntax_errors(python3, [legacy])
        )
        hint = "; are --legacy and --modern swapped?" if swapped else ""
        python, errors = (python2, legacy_errors) if legacy_errors else (python3, modern_errors)
        raise ToolError(f"not valid {python.label}: {errors[0]}{hint}")
    if legacy and not syntax_errors(python3, [legacy]) and prints_tuples_on_python2(read_source(legacy, str(legacy))):
        note = (
            f"note: {legacy} calls print() with several arguments, which Python 2 prints as a tuple:"
            " is it the Python 3 port rather than the original?"
        )
        return (note,)
    return ()


def prints_tuples_on_python2(source: str) -> bool:
    """Whether a script that is valid Python 3 uses print() as only Python 3 code does."""
    if "print_function" in source:
        return False
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and len(node.args) > 1
        for node in ast.walk(ast.parse(source))
    )


# A code base: a configuration's programs (this repository's pairs are one)


def code_base(request: Request) -> Plan:
    found = configuration.find(request.directory)
    if found is None:
        raise ToolError(
            "nothing to compare: give --legacy OLD.py --modern NEW.py (or --legacy OLD.py alone), or run where a"
            f" {configuration.FILE_NAME} says where the programs are (a clone of this repository has one)"
        )
    config = configuration.load(found)
    if config.legacy is None or config.modern is None:
        raise ToolError(
            f"{found}: says neither where the legacy programs are (legacy = ...) nor their ports (modern = ...)"
        )
    names = [program_name(given, config) for given in request.names] or programs_of(config)
    oldest = min((config.settings(name).python for name in names), default=configuration.OLDEST_PYTHON)
    python3 = check_python3(request.python3, oldest, f"{config.modern.name}/ needs")
    python2 = find_python2(request.python2)
    if python2 is not None:
        errors = syntax_errors(python2, [config.legacy / f"{name}.py" for name in names])
        if errors:
            raise ToolError(f"not valid {python2.label}: {errors[0]}")
    mechanical_note = converter_problem()
    tasks = tuple(task_of(name, config, request, python2, python3, not mechanical_note) for name in names)
    return Plan(
        tasks,
        python2,
        python3,
        request.start_methods,
        request.jobs,
        code_base=len(names) > 1 or not request.names,
        mechanical_note=mechanical_note,
    )


def converter_problem() -> str:
    try:
        check_converter()
    except MissingConverterError as exc:
        return str(exc)
    return ""


def programs_of(config: configuration.Config) -> list[str]:
    """Every program of the legacy side: each script with a __main__ guard, and each the configuration names."""
    assert config.legacy is not None
    found = set(config.programs)
    for root, directories, files in os.walk(config.legacy):
        directories[:] = [name for name in directories if name not in SKIPPED]
        for file in files:
            path = Path(root, file)
            if path.suffix == ".py" and MAIN_GUARD.search(path.read_text(errors="replace")):
                found.add(path.relative_to(config.legacy).with_suffix("").as_posix())
    return sorted(found)


def program_name(given: str, config: configuration.Config) -> str:
    """The program that `given` names: its name, or the path of either of its scripts."""
    path = Path(given)
    for side in (config.legacy, config.modern):
        assert side is not None
        try:
            given = path.resolve().relative_to(side).with_suffix("").as_posix() if path.suffix == ".py" else given
            break
        except ValueError:
            continue
    known = programs_of(config)
    if given not in known:
        raise ToolError(f"unknown pair {given!r}; the pairs are: {', '.join(known)}")
    return given


def task_of(
    name: str,
    config: configuration.Config,
    request: Request,
    python2: Interpreter | None,
    python3: Interpreter,
    with_mechanical: bool,
) -> Task:
    assert config.legacy is not None
    assert config.modern is not None
    settings = config.settings(name)
    timeout = timeout_of(request, settings.timeout)
    legacy_dir, modern_dir = config.legacy, config.modern
    common = {
        "arguments": settings.arguments,
        "stdin": settings.stdin,
        "environment": settings.environment,
        "timeout": timeout,
        "interrupt": settings.interrupt,
    }
    legacy_shown = f"{legacy_dir.name}/{name}.py"
    legacy = Program(legacy_shown, python2, legacy_dir, legacy_dir / f"{name}.py", **common) if python2 else None
    methods = request.start_methods
    applicable = [method for method in methods if settings.applies(python3.minor, method)]
    modern = tuple(
        Program(
            f"{modern_dir.name}/{name}.py",
            python3,
            modern_dir,
            modern_dir / f"{name}.py",
            start_method=method,
            **common,
        )
        for method in applicable
    )
    mechanical = (
        tuple(
            Program(
                f"2to3 of {legacy_shown}",
                python3,
                legacy_dir,
                legacy_dir / f"{name}.py",
                start_method=method,
                convert=True,
                **common,
            )
            for method in methods
        )
        if with_mechanical
        else ()
    )
    recording = config.recordings / f"{name}.json" if config.recordings else None
    return Task(
        name=name,
        legacy=legacy,
        modern=modern,
        mechanical=mechanical,
        policy=Policy(settings.streams, settings.differences, settings.vary, settings.unordered, learn=config.relax),
        not_applicable=tuple((method, settings.not_applicable) for method in methods if method not in applicable),
        expected=tuple((method, *settings.expected_mechanical(method)) for method in methods),
        expected_diagnoses=settings.expect_diagnoses,
        recording=recording,
        skip=settings.skip,
        sources=(legacy_dir / f"{name}.py", modern_dir / f"{name}.py"),
    )
