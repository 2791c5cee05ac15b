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
import dataclasses
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
    sides: tuple[Path, Path] | None = None  # a code base's two directories, when given on the command line
    shard: tuple[int, int] = (1, 1)  # this run's part of a code base's programs: the I-th of N


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
    mechanical_binds: bool = True  # whether the mechanical port's verdicts decide the exit status
    skip: str = ""
    sources: tuple[Path | None, Path | None] = (None, None)  # the two scripts, to show side by side
    missing: str = ""  # the program lacks its legacy or its modern side: why there is no comparison
    error: str = ""  # what makes the comparison impossible (a script that is not Python)


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
    if request.sides is None and (request.legacy is not None or request.modern is not None):
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
    config = the_configuration(request)
    assert config.legacy is not None
    assert config.modern is not None
    names = [program_name(given, config) for given in request.names] or programs_of(config)
    names = names[request.shard[0] - 1 :: request.shard[1]]
    if not names:
        raise ToolError(f"no programs to compare in {config.legacy}: no script there has a __main__ guard")
    # a program that needs a newer Python is not applicable on this one, said in its row: no error
    python3 = check_python3(request.python3, config.defaults.python, f"{config.modern.name}/ needs")
    python2 = find_python2(request.python2)
    if python2 is None and config.recordings is None:
        raise ToolError(f"no Python 2.7 found for {config.legacy}: {HOW_TO_GIVE_PYTHON2}")
    errors = invalid_scripts(config, names, python2, python3)
    mechanical_note = converter_problem()
    tasks = tuple(
        task_of(name, config, request, python2, python3, not mechanical_note, errors.get(name, "")) for name in names
    )
    return Plan(
        tasks,
        python2,
        python3,
        request.start_methods,
        request.jobs,
        code_base=len(names) > 1 or not request.names,
        mechanical_note=mechanical_note,
    )


def the_configuration(request: Request) -> configuration.Config:
    """The code base's configuration: where the user stands, else beside the directories given; its two
    sides from the command line, else from it."""
    places = [request.directory] + ([request.sides[0].resolve().parent] if request.sides else [])
    found = next((path for path in map(configuration.find, places) if path is not None), None)
    if found is None and request.sides is None:
        raise ToolError(
            "nothing to compare: give --legacy OLD.py --modern NEW.py (or --legacy OLD.py alone), OLD_DIR NEW_DIR,"
            f" or run where a {configuration.FILE_NAME} says where the programs are (a clone of this repository"
            " has one)"
        )
    config = configuration.load(found)
    if request.sides is not None:
        for side in request.sides:
            if not side.is_dir():
                raise ToolError(f"not a directory: {side}")
        config = dataclasses.replace(config, legacy=request.sides[0].resolve(), modern=request.sides[1].resolve())
    if config.legacy is None or config.modern is None:
        raise ToolError(
            f"{found}: says neither where the legacy programs are (legacy = ...) nor their ports (modern = ...)"
        )
    return config


def invalid_scripts(
    config: configuration.Config, names: list[str], python2: Interpreter | None, python3: Interpreter
) -> dict[str, str]:
    """Each program with a script that is not valid Python for its interpreter, and the one line that says so."""
    assert config.legacy is not None
    assert config.modern is not None
    found: dict[str, str] = {}
    for python, side in ((python2, config.legacy), (python3, config.modern)):
        scripts = {name: side / f"{name}.py" for name in names if (side / f"{name}.py").is_file()}
        if python is None or not scripts:
            continue
        by_path = {str(path): name for name, path in scripts.items()}
        for error in syntax_errors(python, list(scripts.values())):
            path = error.split(":", 1)[0]
            found.setdefault(by_path.get(path, ""), f"not valid {python.label}: {error}")
    found.pop("", None)
    return found


def converter_problem() -> str:
    try:
        check_converter()
    except MissingConverterError as exc:
        return str(exc)
    return ""


def programs_of(config: configuration.Config) -> list[str]:
    """Every program of the code base: each script of either side with a __main__ guard, and each the
    configuration names; by its path under its side's directory, without ".py"."""
    found = set(config.programs)
    for side in (config.legacy, config.modern):
        assert side is not None
        for root, directories, files in os.walk(side):
            directories[:] = [name for name in directories if name not in SKIPPED]
            for file in files:
                path = Path(root, file)
                if path.suffix == ".py" and MAIN_GUARD.search(path.read_text(errors="replace")):
                    found.add(path.relative_to(side).with_suffix("").as_posix())
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
    error: str = "",
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
    legacy_script, modern_script = legacy_dir / f"{name}.py", modern_dir / f"{name}.py"
    legacy_shown, modern_shown = f"{legacy_dir.name}/{name}.py", f"{modern_dir.name}/{name}.py"
    missing = (
        f"no {legacy_shown}: only the port has this program"
        if not legacy_script.is_file()
        else f"no {modern_shown}: the port lacks this program"
        if not modern_script.is_file()
        else ""
    )
    has_legacy = legacy_script.is_file()
    legacy = Program(legacy_shown, python2, legacy_dir, legacy_script, **common) if python2 and has_legacy else None
    methods = request.start_methods
    applicable = [method for method in methods if settings.applies(python3.minor, method)]
    modern = tuple(
        Program(modern_shown, python3, modern_dir, modern_script, start_method=method, **common)
        for method in applicable
        if modern_script.is_file()
    )
    mechanical = tuple(
        Program(
            f"2to3 of {legacy_shown}", python3, legacy_dir, legacy_script, start_method=method, convert=True, **common
        )
        for method in methods
        if with_mechanical and has_legacy
    )
    return Task(
        name=name,
        legacy=legacy,
        modern=modern,
        mechanical=mechanical,
        policy=Policy(settings.streams, settings.differences, settings.vary, settings.unordered, learn=config.relax),
        not_applicable=tuple((method, settings.not_applicable) for method in methods if method not in applicable),
        # a pair of this repository expects its 2to3 port to do what its port does, unless its data says
        # otherwise; a user's code base expects only what its configuration declares
        expected=tuple((method, *settings.expected_mechanical(method)) for method in methods)
        if settings.expect or not config.relax
        else (),
        mechanical_binds=bool(settings.expect) or not config.relax,
        expected_diagnoses=settings.expect_diagnoses,
        recording=config.recordings / f"{name}.json" if config.recordings else None,
        skip=settings.skip,
        sources=(legacy_script if has_legacy else None, modern_script if modern_script.is_file() else None),
        missing=missing,
        error=error,
    )
