"""Run a program once and observe what it did: each line with the process that printed it, the files it
changed, the processes it left behind.

Every Python process of the run loads a small hook (hook/sitecustomize.py, put first on its
PYTHONPATH) that frames what it writes with its pid and notes each process as it starts; marks.py
takes the frames off again. Each process then gets its role: the program's own is <main pid>, its
parent's (reaper.py's, standing where a shell would) <launcher pid>, multiprocessing's helpers (the
resource tracker, the fork server) <helper pid>, and the others <pid 1>, <pid 2>, ... in the order
they were created.

An observation is data: recordings/ holds the legacy programs' observations made on Python 2.7,
and with $PORTCHECK_CACHE a legacy run is made once and reused by every later comparison that
runs the same program the same way (its interpreter, its workspace's files, its arguments and
input), as a test command's Python 3 environments do.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from portcheck import marks
from portcheck.model import Interrupt, Line, Observation, Program, ToolError
from portcheck.running import Run, run
from portcheck.sandbox import SANDBOX_VARIABLE, Layers, place
from portcheck.scratch import LOG_PREFIX, Copy, remove, temporary, workspace_digest

HOOK_DIRECTORY = Path(__file__).resolve().parent / "hook"
LAUNCHER = Path(__file__).resolve().parent / "launcher.py"
CACHE_VARIABLE = "PORTCHECK_CACHE"
FORMAT = 3  # of an observation as data; a cached or recorded run of another format is not read
CACHE_GENERATION = 4  # a cached run of an older one is not read (2: its start; 3: lines where they began; 4: no seed)

# Variables that would change how the programs buffer, warn, import or hash, whatever the caller's shell has
# (tox sets PYTHONHASHSEED, which turns on Python 2's hash randomization: its dicts' order, fixed for its
# users, would change from run to run).
SCRUBBED_VARIABLES = (
    "PYTHONUNBUFFERED",
    "PYTHONWARNINGS",
    "PYTHONSTARTUP",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONHASHSEED",
)


def observe(program: Program, run_number: int = 1) -> Observation:
    """Run `program` once, in the sandbox (or a copy of its workspace); with $PORTCHECK_CACHE, a legacy run
    made before the same way is read instead (`run_number` tells the runs of one program apart)."""
    cache = os.environ.get(CACHE_VARIABLE)
    if cache and program.start_method is None:
        path = Path(cache) / f"{_run_key(program, run_number)}.json"
        try:
            return from_data(json.loads(path.read_text()), source="cached")
        except (OSError, ValueError, KeyError, TypeError):
            observation = _observe(program)
            _write_atomically(path, json.dumps(as_data(observation)))
            return observation
    return _observe(program)


def _observe(program: Program) -> Observation:
    log_directory = temporary(LOG_PREFIX)
    try:
        with place(program, log_directory, program.limit) as where:
            log = log_directory / "processes"
            argv0 = _argv0(program, where)
            done = _run_in(
                where,
                _command(program, argv0),
                program.timeout,
                where.directory,
                _environment(program, log, where.directory),
                program.stdin,
                program.interrupt,
                readable=lambda data: marks.unframe(data)[0],  # the interrupt waits for a line as printed
                limit=program.limit,
            )
            stdout, stdout_owners = marks.unframe(done.stdout.encode("utf-8", "surrogateescape"))
            stderr, stderr_owners = marks.unframe(done.stderr.encode("utf-8", "surrogateescape"))
            roles = process_roles(done.pid, done.launcher_pid, marks.processes(log))
            lines = [
                Line(stream, text, roles.get(owner) if owner is not None else None)
                for stream, data, owners in (("out", stdout, stdout_owners), ("err", stderr, stderr_owners))
                for text, owner in zip(data.decode("utf-8", "surrogateescape").splitlines(), owners)
            ]
            lines += where.changes()
            at_limit = where.at_limit
            substitutions = [(str(where.directory), "<dir>")]
            if argv0 is not None:
                substitutions.append((argv0, "<script>"))
    finally:
        remove(log_directory)
    stopped = done.stopped or (f"a file it wrote reached the limit of {program.limit // 2**20} MiB" if at_limit else "")
    return Observation(
        label=program.label,
        python=program.python.release,
        exit_code=done.exit_code,
        timeout=program.timeout,
        lines=tuple(lines),
        roles=tuple(sorted(roles.items())),
        leftovers=done.leftovers,
        substitutions=tuple(substitutions),
        seconds=done.seconds,
        interrupted=done.interrupted,
        stopped=stopped,
        started=done.started,
    )


def _run_in(where: Layers | Copy, *how: object, **more: object) -> Run:
    """`run`, in the sandbox or the copy; a sandbox the kernel would not make for this run says what to do."""
    try:
        return run(where.wrap, *how, **more)  # type: ignore[arg-type]
    except ToolError as exc:
        if isinstance(where, Layers) and str(exc).startswith("cannot run"):
            raise ToolError(f"{exc} (in the sandbox; {SANDBOX_VARIABLE}=copy runs each program in a copy)") from None
        raise


def _argv0(program: Program, where: Layers | Copy) -> str | None:
    """The script as the run names it: as it would be typed in the workspace, or its path elsewhere."""
    if where.script is None:
        return None
    try:
        return where.script.relative_to(where.directory).as_posix()
    except ValueError:
        return str(where.script)


def _command(program: Program, argv0: str | None) -> tuple[str, ...]:
    target = ("-m", program.module) if argv0 is None else (argv0,)
    if program.start_method is None:
        return (program.python.executable, *target, *program.arguments)
    return (program.python.executable, str(LAUNCHER), program.start_method, *target, *program.arguments)


def _environment(program: Program, log: Path, directory: Path) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in SCRUBBED_VARIABLES}
    environment.update(program.environment)
    environment.update(
        PWD=str(directory),  # where the run is, as a shell that started it there would say
        PYTHONPATH=str(HOOK_DIRECTORY),
        PYTHONDONTWRITEBYTECODE="1",  # a script that runs where it is leaves its directory as it was
        **{marks.PROCESSES_VARIABLE: str(log)},
    )
    return environment


def process_roles(main_pid: int, launcher_pid: int, processes: list[tuple[int, str]]) -> dict[int, str]:
    """Each process of a run named by its role: the program, the harness, a helper, or its place in the
    order of creation. multiprocessing's own helpers are named apart, since only some start methods have them."""
    roles = {main_pid: "<main pid>", launcher_pid: "<launcher pid>"}
    created = [pid for pid, kind in processes if kind == "process" and pid not in roles]
    helpers = [pid for pid, kind in processes if kind == "helper" and pid not in roles]
    ordered = in_order_of_creation(created, main_pid, kernel_pid_max())
    roles.update({pid: f"<pid {rank}>" for rank, pid in enumerate(ordered, 1)})
    roles.update(dict.fromkeys(helpers, "<helper pid>"))
    return roles


def in_order_of_creation(pids: list[int], first: int, pid_max: int | None) -> list[int]:
    """Pids created after `first`, in the order the kernel handed them out.

    Linux hands pids out in increasing order and starts again from the bottom after pid_max
    (32768 by default, and a busy machine gets there in minutes), so the order is that of the
    distance from `first` going upwards, around the wrap.
    """
    if pid_max is None:
        return sorted(pids)
    return sorted(pids, key=lambda pid: (pid - first) % pid_max)


def kernel_pid_max() -> int | None:
    try:
        return int(Path("/proc/sys/kernel/pid_max").read_text())
    except (OSError, ValueError):
        return None


# An observation as data: the recordings, the cache of legacy runs, and the results' JSON.


def as_data(observation: Observation) -> dict:
    return {
        "format": FORMAT,
        "label": observation.label,
        "python": observation.python,
        "exit_code": observation.exit_code,
        "timeout": observation.timeout,
        "seconds": round(observation.seconds, 3),
        "lines": [[line.stream, line.text, line.owner] for line in observation.lines],
        "roles": [[pid, role] for pid, role in observation.roles],
        "leftovers": observation.leftovers,
        "substitutions": [list(pair) for pair in observation.substitutions],
        "source": observation.source,
        "interrupted": observation.interrupted,
        "stopped": observation.stopped,
        "started": round(observation.started, 3),
    }


def from_data(data: dict, source: str | None = None) -> Observation:
    """An observation from its data; a KeyError, TypeError or ValueError when it is not one of this format."""
    if data["format"] != FORMAT:
        raise ValueError(f"an observation of format {data['format']}, not {FORMAT}")
    return Observation(
        label=str(data["label"]),
        python=str(data["python"]),
        exit_code=data["exit_code"],
        timeout=float(data["timeout"]),
        lines=tuple(Line(str(stream), str(text), owner) for stream, text, owner in data["lines"]),
        roles=tuple((int(pid), str(role)) for pid, role in data["roles"]),
        leftovers=int(data["leftovers"]),
        substitutions=tuple((str(text), str(placeholder)) for text, placeholder in data["substitutions"]),
        seconds=float(data["seconds"]),
        source=source or str(data.get("source", "live")),
        interrupted=bool(data["interrupted"]),
        stopped=str(data.get("stopped", "")),
        started=float(data.get("started", 0.0)),
    )


def _run_key(program: Program, run_number: int) -> str:
    """What a cached run must share with this one to stand for it, as a digest."""
    stdin = hashlib.sha256(program.stdin.read_bytes()).hexdigest() if program.stdin else None
    interrupt: Interrupt | None = program.interrupt
    said = [
        FORMAT,
        CACHE_GENERATION,
        program.python.executable,
        program.python.release,
        _where(program),
        program.convert,
        list(program.arguments),
        stdin,
        sorted(program.environment),
        program.timeout,
        [interrupt.after, interrupt.signal] if interrupt else None,
        workspace_digest(program.workspace),
        hashlib.sha256((HOOK_DIRECTORY / "sitecustomize.py").read_bytes()).hexdigest(),
        run_number,
    ]
    return hashlib.sha256(json.dumps(said).encode()).hexdigest()[:32]


def _where(program: Program) -> list[str | None]:
    """The script as the run sees it: its place in the workspace, or, outside it, its path and the files
    beside it (its own modules), which a cached run must have seen too."""
    if program.script is None:
        return [program.module]
    try:
        return [program.script.relative_to(program.workspace).as_posix()]
    except ValueError:
        return [str(program.script), workspace_digest(program.script.parent)]


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    with os.fdopen(handle, "w") as file:
        file.write(text)
    os.replace(temporary, path)
