"""Run one program under one interpreter and start method, bounded, and report what it did.

A program's stdout is a pseudo-terminal, as when a reader runs it by hand: every process then
writes whole lines at the moment it prints them, so the transcript follows the order in which
things happened. (On a pipe each process would write its block-buffered output whenever it
flushes or exits, which reorders lines by buffering rather than by behaviour.) stderr is a pipe.

Each program runs in a session of its own. On timeout the whole process group is killed:
children, grandchildren, a fork server, the resource tracker. Processes of the group still alive
once the program has exited and its output is closed are killed too, and counted as leftovers.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import math
import os
import pty
import selectors
import shutil
import signal
import subprocess
import sys
import termios
import threading
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NoReturn

ROOT = Path(__file__).resolve().parent.parent
LEGACY_DIR = ROOT / "legacy"
MODERN_DIR = ROOT / "modern"
START_METHODS = ("fork", "spawn", "forkserver")
LEGACY_PYTHON_VARIABLE = "LEGACY_PYTHON"
TIMEOUT_VARIABLE = "TWINS_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
EXIT_GRACE = 2.0  # seconds the rest of a program's process group gets to finish exiting

# Runs the script as __main__ after choosing the start method, the way `python script.py` would
# run it. run_path makes the script sys.modules["__main__"] with its own __file__, so spawn and
# forkserver children import it by path as __mp_main__, exactly as for a script run directly.
# A script that calls set_start_method() itself may ask for the method it runs under; asking for
# another one would make the run a lie, so it stops at once (os._exit: an except clause cannot
# swallow it) saying which method to compare it under.
LAUNCHER = r"""
import multiprocessing, os, runpy, sys
script, chosen = sys.argv[1:3]
multiprocessing.set_start_method(chosen)

def set_start_method(method, force=False):
    if method != chosen:
        sys.stderr.write("the script asks for the %r start method in a run under %r: compare it with "
                         "--start-methods %s\n" % (method, chosen, method))
        sys.stderr.flush()
        os._exit(2)

multiprocessing.set_start_method = set_start_method
sys.argv[:] = [script]
sys.path[0] = os.path.dirname(script)
runpy.run_path(script, run_name='__main__')
"""

# Compiles the files named on its command line; valid Python 2 and 3, so it runs on 2.7.
# compile() of bytes honours a coding cookie on both, but Python 2 applies PEP 263's rule that a
# file without a cookie is ASCII only when it runs a file, not in compile(): checked here instead.
COMPILE_EACH = r"""
import re, sys
COOKIE = re.compile(br'^[ \t\f]*#.*?coding[:=]')
NON_ASCII = re.compile(br'[\x80-\xff]')
failed = 0
for path in sys.argv[1:]:
    source = open(path, 'rb').read()
    lines = source.split(b'\n')
    try:
        declared = source.startswith(b'\xef\xbb\xbf') or any(COOKIE.match(line) for line in lines[:2])
        if sys.version_info[0] == 2 and not declared:
            for number, line in enumerate(lines, 1):
                found = NON_ASCII.search(line)
                if found:
                    message = 'Non-ASCII character %r, but no encoding declared' % found.group()
                    raise SyntaxError(message, (path, number, 0, line))
        compile(source, path, 'exec')
    except SyntaxError as exc:
        sys.stdout.write('%s:%s: %s\n' % (path, exc.lineno, exc.msg))
        failed = 1
sys.exit(failed)
"""


# Variables that would change how the programs buffer or warn, whatever the caller's shell has.
SCRUBBED_VARIABLES = ("PYTHONUNBUFFERED", "PYTHONWARNINGS", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME")

launched_process_groups: list[int] = []  # every program's, for the leak check after the tests
running_process_groups: set[int] = set()  # those not yet reaped and cleaned up
stop_launching = threading.Event()


class HarnessError(Exception):
    """A problem with what the harness was asked to do, told in one line."""


@dataclass(frozen=True)
class Run:
    """What one run of a program did."""

    argv: tuple[str, ...]
    pid: int
    launcher_pid: int
    exit_code: int | None  # None when it was killed for running past its timeout
    stdout: str
    stderr: str
    timeout: float
    leftovers: int
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None


def run_timeout() -> float:
    value = os.environ.get(TIMEOUT_VARIABLE)
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not is_positive_seconds(seconds):
        raise HarnessError(
            f"{TIMEOUT_VARIABLE}={value!r} is not a positive number of seconds, at most {LONGEST_TIMEOUT:g}"
        )
    return seconds


def telling_line(stderr: str) -> str:
    """The line of an error output that says what went wrong: a traceback's last, else the first."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no output"
    return lines[-1] if "Traceback (most recent call last)" in stderr else lines[0]


LONGEST_TIMEOUT = 86400.0  # seconds; select() refuses a timeout of about 25 days or more


def is_positive_seconds(seconds: float) -> bool:
    return math.isfinite(seconds) and 0 < seconds <= LONGEST_TIMEOUT


@functools.lru_cache(maxsize=None)
def interpreter_version(interpreter: str) -> tuple[str, tuple[int, int]]:
    """The real executable behind `interpreter` (a pyenv shim resolves to it) and its version."""
    probe = "import sys; sys.stdout.write('%s %d %d' % (sys.executable, sys.version_info[0], sys.version_info[1]))"
    try:
        done = subprocess.run([interpreter, "-c", probe], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"cannot run interpreter {interpreter!r}: {exc}") from None
    if done.returncode != 0:
        raise HarnessError(f"interpreter {interpreter!r} does not run: {telling_line(done.stderr)}")
    try:
        executable, major, minor = done.stdout.rsplit(" ", 2)
        return executable, (int(major), int(minor))
    except ValueError:
        raise HarnessError(f"{interpreter!r} is not a Python interpreter: it did not report a version") from None


@functools.lru_cache(maxsize=None)
def find_legacy_python() -> str | None:
    """Python 2.7's real executable: $LEGACY_PYTHON if set, else python2.7 on PATH, else None."""
    requested = os.environ.get(LEGACY_PYTHON_VARIABLE)
    candidate = requested or shutil.which("python2.7")
    if candidate is None:
        return None
    try:
        executable, version = interpreter_version(candidate)
    except HarnessError:
        if requested:
            raise
        return None  # a pyenv shim with no 2.7 selected: there is no Python 2.7 here
    if version != (2, 7):
        raise HarnessError(f"{LEGACY_PYTHON_VARIABLE}={candidate} is Python {version[0]}.{version[1]}, not 2.7")
    return executable


def syntax_errors(interpreter: str, paths: list[Path]) -> list[str]:
    """One line per file that `interpreter` cannot compile; nothing is written."""
    done = subprocess.run(
        [interpreter, "-c", COMPILE_EACH, *map(str, paths)], capture_output=True, text=True, check=False
    )
    if done.returncode and not done.stdout:
        raise HarnessError(f"{interpreter} could not compile {len(paths)} file(s): {telling_line(done.stderr)}")
    return done.stdout.splitlines()


def run_program(
    script: Path, interpreter: str, start_method: str | None = None, timeout: float | None = None, cwd: Path = ROOT
) -> Run:
    """Run `script` as a program: directly, or through LAUNCHER under `start_method`."""
    timeout = run_timeout() if timeout is None else timeout
    if start_method is None:
        argv: tuple[str, ...] = (interpreter, str(script))
    else:
        argv = (interpreter, "-c", LAUNCHER, str(script), start_method)
    env = {name: value for name, value in os.environ.items() if name not in SCRUBBED_VARIABLES}
    if stop_launching.is_set():
        raise HarnessError("interrupted: no new program is started")
    master, slave = pty.openpty()
    attributes = termios.tcgetattr(slave)
    attributes[1] &= ~termios.OPOST  # keep "\n" as it was printed rather than "\r\n"
    termios.tcsetattr(slave, termios.TCSANOW, attributes)
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        os.close(master)
        raise HarnessError(f"cannot start {interpreter!r}: {exc.strerror}") from None
    finally:
        os.close(slave)
    launched_process_groups.append(process.pid)
    running_process_groups.add(process.pid)
    exit_code: int | None = None
    try:
        stdout, stderr, finished = _read_until_closed(master, process, started + timeout)
        if finished:
            exit_code = process.wait(max(0.0, started + timeout - time.monotonic()))
    except subprocess.TimeoutExpired:
        pass
    finally:
        os.close(master)
        if exit_code is None:  # timed out, or this thread is being interrupted: end the whole group now
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        leftovers = kill_process_group(process.pid, grace=0.0 if exit_code is None else EXIT_GRACE)
        running_process_groups.discard(process.pid)
    return Run(
        argv=argv,
        pid=process.pid,
        launcher_pid=os.getpid(),
        exit_code=exit_code,
        # surrogateescape keeps every byte: output that is not UTF-8 compares as the bytes it was
        stdout=stdout.decode("utf-8", "surrogateescape"),
        stderr=stderr.decode("utf-8", "surrogateescape"),
        timeout=timeout,
        leftovers=leftovers,
        seconds=time.monotonic() - started,
    )


def _read_until_closed(master: int, process: subprocess.Popen, deadline: float) -> tuple[bytes, bytes, bool]:
    """Read stdout (the pty) and stderr until every process has closed both, or the deadline."""
    assert process.stderr is not None
    stderr = process.stderr.fileno()
    chunks = {master: bytearray(), stderr: bytearray()}
    closed = False
    try:
        with selectors.DefaultSelector() as selector:
            for fd in chunks:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map() and time.monotonic() < deadline:
                for key, _ in selector.select(deadline - time.monotonic()):
                    try:
                        data = os.read(key.fd, 65536)
                    except OSError:  # EIO: the last holder of the pty's other end has closed it
                        data = b""
                    if data:
                        chunks[key.fd] += data
                    else:
                        selector.unregister(key.fd)
            closed = not selector.get_map()
    finally:
        process.stderr.close()
    return bytes(chunks[master]), bytes(chunks[stderr]), closed


def living_processes(process_group: int) -> list[int]:
    """Pids of the processes in `process_group` that are alive (zombies are dead)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _parent, group = stat.rsplit(")", 1)[1].split()[:3]
        if int(group) == process_group and state != "Z":
            found.append(int(entry.name))
    return found


def kill_launched_programs() -> None:
    """Kill every program still running, with all its processes, and start no more (on Ctrl-C)."""
    stop_launching.set()
    for process_group in list(running_process_groups):  # never a finished group: its id may be reused
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process_group, signal.SIGKILL)


def kill_process_group(process_group: int, grace: float = 0.0) -> int:
    """Kill what is left of `process_group` after `grace` seconds; return how many were alive.

    The grace matters: a process's open files are closed early in its exit, before it becomes
    a zombie, so just after its output reaches EOF it can still look alive for a moment.
    """
    deadline = time.monotonic() + grace
    alive = living_processes(process_group)
    while alive and time.monotonic() < deadline:
        time.sleep(0.01)
        alive = living_processes(process_group)
    if alive:
        with contextlib.suppress(ProcessLookupError):  # the last one exited meanwhile
            os.killpg(process_group, signal.SIGKILL)
    return len(alive)


def legacy_script(name: str) -> Path:
    return LEGACY_DIR / f"{name}.py"


def modern_script(name: str) -> Path:
    return MODERN_DIR / f"{name}.py"


def edited_copy(script: Path, edits: Iterable[tuple[str, str]], directory: Path) -> Path:
    """`script` with each `old` replaced by `new` once, written to `directory`; every edit must apply."""
    source = script.read_text()
    for old, new in edits:
        assert old in source, f"the edit no longer applies to {script.name}: {old!r}"
        source = source.replace(old, new, 1)
    path = directory / script.name
    path.write_text(source)
    return path


def example_names() -> list[str]:
    return sorted(path.stem for path in LEGACY_DIR.glob("*.py"))


def this_python() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def source_text(path: Path) -> str:
    """A script's text, decoded as Python decodes it: by its coding cookie, else UTF-8."""
    data = path.read_bytes()
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        return data.decode(encoding, "replace")
    except (SyntaxError, LookupError):  # an unknown or conflicting cookie
        return data.decode("utf-8", "replace")


class OneLineErrors(argparse.ArgumentParser):
    """argparse, saying a bad command line in one line rather than usage and error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def show_undecodable_bytes_escaped() -> None:
    """Let transcripts holding bytes that were not UTF-8 (kept as surrogates) print, escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
