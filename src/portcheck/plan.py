"""What to compare, decided before anything runs: a Request from the command line becomes a Plan of Tasks.

A task is one legacy program against its modern port under each start method, and against its
mechanical port (2to3): your own two scripts, your script alone against its mechanical port, or
each program of a code base that a configuration describes (this repository's pairs are one).
Everything that can be wrong with the request is found here, before any program runs: a missing
file, a file that is not Python for its interpreter, an interpreter that is not the Python asked
for, a configuration that says something the tool does not know.
"""

from __future__ import annotations

import atexit
import dataclasses
import difflib
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from portcheck import config as configuration
from portcheck import recordings
from portcheck.interpreters import HOW_TO_GIVE_PYTHON2, Pythons, check_sources, prints_tuples_on_python2, pythons
from portcheck.mechanical import converter_problem
from portcheck.model import OUTPUT_LIMIT, Plan, Task, ToolError
from portcheck.running import START_METHODS
from portcheck.sandbox import isolated
from portcheck.scratch import SKIPPED, STDIN_PREFIX
from portcheck.tasks import Asked, Side, Wanted, task_of

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
    limit: int = OUTPUT_LIMIT  # bytes each run may print, and write to any one file
    jobs: int = 2
    stdin: str | None = None  # a file, "-" for this process's own input
    vary: tuple[str, ...] = ()
    unordered: tuple[str, ...] = ()
    arguments: tuple[str, ...] = ()
    directory: Path = field(default_factory=Path.cwd)  # where the user stands
    sides: tuple[Path, Path] | None = None  # a code base's two directories, when given on the command line
    shard: tuple[int, int] = (1, 1)  # this run's part of a code base's programs: the I-th of N
    strict: bool = False  # nothing left to chance: no relaxation learned from the programs, whatever they say
    mechanical: bool = True  # each program's mechanical port compared too, where its settings ask (not --no-2to3)


def plan(request: Request) -> Plan:
    """The request's programs found, then the Pythons (every script compiled), then the converter,
    each asked once; then each program made into a task."""
    own = request.sides is None and (request.legacy is not None or request.modern is not None)
    asked = own_scripts(request) if own else code_base(request)
    python2_compiles, python3_compiles = compiled_by(asked, 2), compiled_by(asked, 3)
    found = pythons(request.python2, request.python3, asked.oldest, asked.needs, python2_compiles, python3_compiles)
    if found.python2 is None and asked.recordings is None:
        raise ToolError(f"no Python 2.7 found for {asked.where}: {HOW_TO_GIVE_PYTHON2}")
    if not asked.own:
        check_not_swapped(asked, found)
    # your own scripts are the request itself: one that is not Python, or that 2to3 cannot read, is bad input
    legacy, modern = (asked.programs[0].legacy, asked.programs[0].modern) if asked.own else (None, None)
    notes = asked.notes + (check_sources(found, legacy.script, modern.script if modern else None) if legacy else ())
    not_run = ""  # why the 2to3 column is not run, if it is not
    if not request.mechanical or asked.mechanical_off:
        if asked.own and modern is None:
            raise ToolError("--no-2to3 leaves --legacy alone nothing to compare with: give --modern NEW.py")
        not_run = "--no-2to3" if not request.mechanical else asked.mechanical_off
    elif any(wanted.mechanical for wanted in asked.programs):
        not_run = converter_problem(legacy.script, legacy.shown) if legacy else converter_problem()
        if not_run and asked.own:
            raise ToolError(not_run)
    tasks = tuple(task_of(wanted, asked, found, with_mechanical=not not_run) for wanted in asked.programs)
    stale = stale_recordings(tasks) if found.python2 is None else {}
    notes += tuple(stale.values())
    return Plan(
        tasks,
        found.python2,
        found.python3,
        request.start_methods,
        request.jobs,
        code_base=asked.code_base,
        mechanical_note=not_run if asked.code_base else "",
        notes=notes,
        not_isolated=isolated(),
        whole=asked.whole or tuple(wanted.name for wanted in asked.programs),
        stale=tuple(stale),
        shard=request.shard,
    )


def stale_recordings(tasks: tuple[Task, ...]) -> dict[str, str]:
    """For each task whose recording stands for Python 2.7 and no longer matches its program, a note saying
    what changed since (a recording that cannot be read is the task's error, when it runs)."""
    notes = {}
    for task in tasks:
        if task.recording is None or not task.inputs or not task.recording.is_file():
            continue
        try:
            recorded = recordings.read(task.recording)
        except (OSError, *recordings.NOT_A_RECORDING):
            continue
        changed = recordings.changed(recorded.inputs, task.inputs)
        if changed:
            notes[task.name] = (
                f"note: {task.recording} is stale: {', '.join(changed)} since it was recorded"
                f" (portcheck record {task.name}, where Python 2.7 is, records it again)"
            )
    return notes


def compiled_by(asked: Asked, major: int) -> tuple[Path, ...]:
    """The scripts Python `major` must compile: its side's, and for your own scripts the other's too
    (so that a swap, or a legacy script that is Python 3 already, is said)."""
    names = ("legacy", "modern") if major == 2 else ("modern", "legacy")
    sides = [getattr(wanted, name) for name in names[: 2 if asked.own else 1] for wanted in asked.programs]
    return tuple(side.script for side in sides if side is not None and side.script is not None)


def check_not_swapped(asked: Asked, found: Pythons) -> None:
    """A code base given the wrong way round (`portcheck new old`) is refused before anything runs: most of
    its programs have a legacy script that only Python 3 compiles and a modern one that Python 3 cannot."""
    both = [wanted for wanted in asked.programs if wanted.legacy and wanted.modern]
    swapped = [
        wanted
        for wanted in both
        if found.error(3, wanted.modern.script)
        and is_python3(wanted.legacy.script, found.error(2, wanted.legacy.script))
    ]
    if swapped and len(swapped) * 2 > len(both):
        one = swapped[0]
        legacy, modern = one.legacy.workspace, one.modern.workspace
        raise ToolError(
            f"the directories look swapped: {one.legacy.shown} is Python 3 and {one.modern.shown} is not"
            f" ({len(swapped)} of {len(both)} programs so); the Python 2 directory comes first:"
            f" portcheck {modern} {legacy}"
        )


def is_python3(script: Path | None, python2_error: str) -> bool:
    """Whether `script` is Python 3 code: this Python compiles it, and Python 2 does not or would print
    its print() calls as tuples."""
    if script is None:
        return False
    try:
        source = script.read_bytes()
        compile(source, str(script), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, OSError):
        return False
    return bool(python2_error) or prints_tuples_on_python2(source)


# Your own scripts


def own_scripts(request: Request) -> Asked:
    if request.names:
        raise ToolError(
            f"--legacy/--modern take no other names ({' '.join(request.names)}); arguments for the programs go"
            f" after --: portcheck --legacy OLD.py --modern NEW.py -- {' '.join(request.names)}"
        )
    if request.legacy is None:
        raise ToolError(
            "--modern needs --legacy, the Python 2 script it ports (--legacy alone compares that with 2to3's port)"
        )
    stdin = copy_of_input(request.stdin) if request.stdin else None
    legacy = side_given(request.legacy, request.directory)
    modern = side_given(request.modern, request.directory) if request.modern else None
    settings = configuration.ProgramSettings(
        arguments=request.arguments,
        stdin=stdin,
        python=OLDEST_FOR_OWN_SCRIPTS,
        vary=request.vary,
        unordered=request.unordered,
    )
    return Asked(
        (Wanted(legacy.shown, legacy, modern, settings, mechanical=modern is None),),
        OLDEST_FOR_OWN_SCRIPTS,
        "start methods need",
        legacy.shown,
        code_base=False,
        start_methods=request.start_methods,
        timeout=request.timeout,
        limit=request.limit,
        own=True,
        learn=not request.strict,
        # in the sandbox each run sees the real tree; only a copy leaves out what lies outside it
        notes=arguments_left_outside(request.arguments, request.directory) if isolated() else (),
    )


def arguments_left_outside(arguments: tuple[str, ...], directory: Path) -> tuple[str, ...]:
    """A note for each argument (or --option=value) that names, relative to where the user stands,
    something the copy each run happens in does not hold: `python old.py ../data.csv` finds it, a run
    in a copy of `directory` does not (a directory the copy cannot enter is a symbolic link)."""
    notes = {}
    for argument in arguments:
        given = argument.split("=", 1)[1] if argument.startswith("-") and "=" in argument else argument
        relative = os.path.normpath(given)  # "." for "" too
        if os.path.isabs(given) or relative == ".":
            continue
        parts = Path(relative).parts
        path = directory / given
        try:
            if not path.exists():
                continue
            escapes = parts[0] == os.pardir or any(
                directory.joinpath(*parts[:depth]).is_symlink() for depth in range(1, len(parts))
            )
            target = path.resolve()
        except (OSError, ValueError):  # a name too long, or one not to be looked at: no file it could name
            continue
        if escapes:
            notes[given] = (
                f"note: {given} lies outside {directory}, and each run happens in a copy of that directory, where"
                f" {given} names nothing: give it as {target}, or run from a directory that holds it"
            )
    return tuple(notes.values())


def side_given(given: str, directory: Path) -> Side:
    """A script path, or "-m MODULE", as the user gave it, checked."""
    if given.startswith(("-m ", "-m=")):
        module = given[3:].strip()
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", module):
            raise ToolError(f"not a module name: {module!r}")
        return Side(f"-m {module}", directory, module=module)
    path = Path(given)
    if not path.exists():
        raise ToolError(f"no such file: {given}")
    if not path.is_file():
        raise ToolError(f"not a file: {given}")
    return Side(given, directory, path.resolve())


def copy_of_input(given: str) -> Path:
    """What the programs get as standard input, read once: each run reads it again, and a FIFO, a
    terminal or "-" (this process's own input) can be read only once."""
    try:
        data = sys.stdin.buffer.read() if given == "-" else Path(given).read_bytes()
    except IsADirectoryError:
        raise ToolError(f"--stdin: not a file: {given}") from None
    except OSError as exc:
        raise ToolError(f"--stdin: cannot read {given}: {exc.strerror}") from None
    handle, path = tempfile.mkstemp(prefix=f"{STDIN_PREFIX}{os.getpid()}-")  # a killed run's, removed by the next
    atexit.register(lambda: os.path.exists(path) and os.unlink(path))
    try:
        with os.fdopen(handle, "wb") as copy:
            copy.write(data)
    except OSError as exc:  # a full temporary directory
        raise ToolError(f"--stdin: cannot keep a copy of {given} in {tempfile.gettempdir()}: {exc.strerror}") from None
    return Path(path)


# A code base: a configuration's programs (this repository's pairs are one)


def code_base(request: Request) -> Asked:
    config = the_configuration(request)
    assert config.legacy is not None
    assert config.modern is not None
    known = programs_of(config)
    check_tables(config, known)
    whole = [program_name(given, config, known) for given in request.names] or known
    names = whole[request.shard[0] - 1 :: request.shard[1]]
    if not names:
        raise ToolError(f"no programs to compare in {config.legacy}: no script there has a __main__ guard")
    return Asked(
        tuple(wanted_of(name, config) for name in names),
        # a program that needs a newer Python is not applicable on this one, said in its row: no error
        config.defaults.python,
        f"{config.modern.name}/ needs",
        str(config.legacy),
        code_base=len(names) > 1 or not request.names,
        start_methods=request.start_methods,
        timeout=request.timeout,
        limit=request.limit,
        learn=config.relax and not request.strict,
        recordings=config.recordings,
        whole=tuple(whole),
        mechanical_off="" if config.mechanical else f"2to3 = false in {config.path.name if config.path else ''}",
    )


def wanted_of(name: str, config: configuration.Config) -> Wanted:
    assert config.legacy is not None
    assert config.modern is not None
    sides = [
        Side(f"{directory.name}/{name}.py", directory, directory / f"{name}.py")
        for directory in (config.legacy, config.modern)
    ]
    legacy, modern = (side if side.script and side.script.is_file() else None for side in sides)
    missing = (
        f"no {sides[0].shown}: only the port has this program"
        if legacy is None
        else f"no {sides[1].shown}: the port lacks this program"
        if modern is None
        else ""
    )
    return Wanted(name, legacy, modern, config.settings(name), missing)


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


def programs_of(config: configuration.Config) -> list[str]:
    """Every program of the code base: each script of either side with a __main__ guard, and each the
    configuration has a table for; by its path under its side's directory, without ".py"."""
    found = {name for name in config.programs if has_script(config, name)}
    for side in (config.legacy, config.modern):
        assert side is not None
        for root, directories, files in os.walk(side):
            directories[:] = [name for name in directories if name not in SKIPPED]
            for file in files:
                path = Path(root, file)
                # a file, not a FIFO that would block, nor an editor's lock (a link to nothing)
                if path.suffix != ".py" or not path.is_file():
                    continue
                try:
                    source = path.read_text(errors="replace")
                except OSError as exc:
                    raise ToolError(f"cannot read {path}: {exc.strerror}") from None
                if MAIN_GUARD.search(source):
                    found.add(path.relative_to(side).with_suffix("").as_posix())
    return sorted(found)


def has_script(config: configuration.Config, name: str) -> bool:
    return any((side / f"{name}.py").is_file() for side in (config.legacy, config.modern) if side is not None)


def check_tables(config: configuration.Config, known: list[str]) -> None:
    """Each [programs.NAME] names a script of either side: a table with a typo in its name would
    otherwise leave the real program run without its settings, and say nothing."""
    assert config.legacy is not None
    assert config.modern is not None
    for name in config.programs:
        if not has_script(config, name):
            raise ToolError(
                f"{config.path}: [programs.{name}] names no program: there is neither {config.legacy.name}/{name}.py"
                f" nor {config.modern.name}/{name}.py{nearest(name, known)}"
            )


def nearest(name: str, known: list[str]) -> str:
    """A hint naming the known name closest to a mistyped one, if any is close."""
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def program_name(given: str, config: configuration.Config, known: list[str]) -> str:
    """The program that `given` names: its name, or the path of either of its scripts."""
    path = Path(given)
    for side in (config.legacy, config.modern):
        assert side is not None
        try:
            given = path.resolve().relative_to(side).with_suffix("").as_posix() if path.suffix == ".py" else given
            break
        except ValueError:
            continue
    if given not in known:
        shown = ", ".join(known) if len(known) <= 12 else f"{', '.join(known[:12])}, ... ({len(known)} in all)"
        where = f"{config.legacy} or {config.modern}"
        raise ToolError(f"no program {given!r} in {where}{nearest(given, known)}; the programs are: {shown}")
    return given
