"""Run one program, bounded, in a session of its own, and report what it did.

A program's stdout is a pseudo-terminal, as when a reader runs it by hand: every process then
writes whole lines at the moment it prints them, so the output follows the order in which
things happened. (On a pipe each process would write its block-buffered output whenever it
flushes or exits, which reorders lines by buffering rather than by behaviour.) stderr is a pipe.

Each program runs in a session of its own. On timeout the whole process group is killed:
children, grandchildren, a fork server, the resource tracker. Processes of the group still alive
once the program has exited and its output is closed are killed too, and counted as leftovers.
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import selectors
import signal
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from portcheck.model import Interrupt, ToolError

START_METHODS = ("fork", "spawn", "forkserver")
EXIT_GRACE = 2.0  # seconds the rest of a program's process group gets to finish exiting
HELPER_GRACE = 10.0  # seconds more that multiprocessing's helpers get, once they are all that is left
KILL_WAIT = 2.0  # seconds a killed group gets to be gone
HELPER_COMMANDS = (b"resource_tracker", b"semaphore_tracker", b"forkserver import main")  # as hook/ knows them
POLL_INTERVAL = 0.05  # seconds between looks at whether the program's own process has exited


launched_process_groups: list[int] = []  # every program's, for the leak check after the tests
running_process_groups: set[int] = set()  # those not yet reaped and cleaned up
stop_launching = threading.Event()
stop_signals: list[int] = []  # Ctrl-C or SIGTERM, noted while programs run (stop_on_signals)
noting_stops = False


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
    interrupted: bool = False

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None


def telling_line(stderr: str) -> str:
    """The line of an error output that says what went wrong: a traceback's last, else the first."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no output"
    return lines[-1] if "Traceback (most recent call last)" in stderr else lines[0]


class Session:
    """A program started in a session of its own; leaving the block kills whatever is left of it.

    `leftovers` counts the processes of its group still alive once it had exited (after
    EXIT_GRACE), or at the moment it was killed.
    """

    def __init__(self, argv: tuple[str, ...] | list[str], **popen_arguments: object) -> None:
        self.argv = tuple(argv)
        self.popen_arguments = popen_arguments
        self.leftovers = 0

    def __enter__(self) -> subprocess.Popen:
        if stop_launching.is_set():
            raise ToolError("interrupted: no new program is started")
        try:
            self.process = subprocess.Popen(self.argv, start_new_session=True, **self.popen_arguments)  # type: ignore[call-overload]
        except OSError as exc:
            raise ToolError(f"cannot start {self.argv[0]!r}: {exc.strerror}") from None
        launched_process_groups.append(self.process.pid)
        running_process_groups.add(self.process.pid)
        if stop_launching.is_set():  # the stop came while it started, too late for kill_launched_programs to see it
            signal_group(self.process.pid, signal.SIGKILL)
        return self.process

    def __exit__(self, *exc_info: object) -> None:
        group = self.process.pid
        exited = self.process.poll() is not None
        if exited:
            self.leftovers = kill_process_group(group, grace=EXIT_GRACE)
        else:  # timed out, or this thread is being interrupted: end the whole group now
            # what the kill has not finished off yet is no leftover: the timeout is what the transcript says
            kill_process_group(group)
            self.process.wait()
        running_process_groups.discard(group)


def run(
    argv: tuple[str, ...],
    timeout: float,
    cwd: Path,
    env: dict[str, str],
    stdin: Path | None = None,
    interrupt: Interrupt | None = None,
    readable: Callable[[bytes], bytes] = bytes,
) -> Run:
    """Run `argv` in a session of its own, stdout on a pseudo-terminal, until it and its group are done
    or `timeout` seconds have passed; `interrupt` signals the group once a line of stdout, as
    `readable` makes it of what the program wrote, matches."""
    with contextlib.ExitStack() as cleanup:
        source = cleanup.enter_context(open(stdin, "rb")) if stdin else subprocess.DEVNULL
        return _run(argv, timeout, cwd, env, source, interrupt, readable)


def _run(
    argv: tuple[str, ...],
    timeout: float,
    cwd: Path,
    env: dict[str, str],
    stdin: object,
    interrupt: Interrupt | None,
    readable: Callable[[bytes], bytes],
) -> Run:
    master, slave = pty.openpty()
    attributes = termios.tcgetattr(slave)
    attributes[1] &= ~termios.OPOST  # keep "\n" as it was printed rather than "\r\n"
    termios.tcsetattr(slave, termios.TCSANOW, attributes)
    started = time.monotonic()
    session = Session(argv, stdin=stdin, stdout=slave, stderr=subprocess.PIPE, cwd=cwd, env=env)
    exit_code: int | None = None
    try:
        with session as process:
            os.close(slave)
            slave = -1
            stdout, stderr, interrupted = _read_output(master, process, started + timeout, interrupt, readable)
            with contextlib.suppress(subprocess.TimeoutExpired):
                exit_code = process.wait(max(0.0, started + timeout - time.monotonic()))
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    return Run(
        argv=argv,
        pid=process.pid,
        launcher_pid=os.getpid(),
        exit_code=exit_code,
        # surrogateescape keeps every byte: output that is not UTF-8 compares as the bytes it was
        stdout=stdout.decode("utf-8", "surrogateescape"),
        stderr=stderr.decode("utf-8", "surrogateescape"),
        timeout=timeout,
        leftovers=session.leftovers,
        seconds=time.monotonic() - started,
        interrupted=interrupted,
    )


def _read_output(
    master: int,
    process: subprocess.Popen,
    deadline: float,
    interrupt: Interrupt | None,
    readable: Callable[[bytes], bytes],
) -> tuple[bytes, bytes, bool]:
    """Read stdout (the pty) and stderr until every process has closed both, or the deadline.

    Once the program's own process has exited, the others get EXIT_GRACE to close their ends
    too; a process still holding them then has outlived the program, and is left for the
    session to kill and count.
    """
    assert process.stderr is not None
    stderr = process.stderr.fileno()
    chunks = {master: bytearray(), stderr: bytearray()}
    trigger = re.compile(interrupt.after.encode(), re.MULTILINE) if interrupt else None
    interrupted = False
    try:
        with selectors.DefaultSelector() as selector:
            for fd in chunks:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map() and time.monotonic() < deadline:
                if process.poll() is not None:
                    deadline = min(deadline, time.monotonic() + EXIT_GRACE)
                for key, _ in selector.select(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic()))):
                    try:
                        data = os.read(key.fd, 65536)
                    except OSError:  # EIO: the last holder of the pty's other end has closed it
                        data = b""
                    if data:
                        chunks[key.fd] += data
                    else:
                        selector.unregister(key.fd)
                if trigger and not interrupted and _has_line(readable(bytes(chunks[master])), trigger):
                    signal_group(process.pid, getattr(signal, interrupt.signal))  # type: ignore[union-attr]
                    interrupted = True
    finally:
        process.stderr.close()
    return bytes(chunks[master]), bytes(chunks[stderr]), interrupted


def _has_line(output: bytes, pattern: re.Pattern[bytes]) -> bool:
    """Whether a complete line of `output` matches `pattern`."""
    complete = bytes(output[: output.rfind(b"\n") + 1])
    return any(pattern.search(line) for line in complete.splitlines())


def signal_group(process_group: int, signum: int) -> None:
    """Send `signum` to every process of `process_group`, which may have ended meanwhile."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process_group, signum)


def group_exists(process_group: int) -> bool:
    """Whether any process, a zombie included, is left in `process_group`: one signal 0 rather than a walk of
    /proc, for the usual case of a program whose processes have all ended."""
    try:
        os.killpg(process_group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process took the number: not ours to count
        return False
    return True


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


def is_helper(pid: int) -> bool:
    """Whether a process is one of multiprocessing's helpers (the resource tracker, the fork server), or one
    that is exiting: a process that has let go of its memory shows an empty command line until it is gone."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # gone already
    return not command or any(helper in command for helper in HELPER_COMMANDS)


def kill_launched_programs() -> None:
    """Kill every program still running, with all its processes, and start no more until
    launching_again() (on Ctrl-C, or any error that ends the comparisons)."""
    stop_launching.set()
    for process_group in list(running_process_groups):  # never a finished group: its id may be reused
        signal_group(process_group, signal.SIGKILL)


def launching_again() -> None:
    """Once every thread that was stopped has finished: programs may start again in this process (a
    test's, or the next comparisons of a soak)."""
    stop_launching.clear()


def kill_process_group(process_group: int, grace: float = 0.0) -> int:
    """Kill what is left of `process_group` after `grace` seconds, and wait until it is gone (bounded);
    return how many were alive when the grace ran out.

    The grace matters: a process's open files are closed early in its exit, before it becomes
    a zombie, so just after its output reaches EOF it can still look alive for a moment. The
    wait after the kill matters too: SIGKILL is delivered, not obeyed at once, and whoever looks
    next (the leak check after each test) must not find the process still there.
    """
    started = time.monotonic()
    alive = living_processes(process_group) if group_exists(process_group) else []
    while alive and time.monotonic() < started + grace:
        time.sleep(0.01)
        alive = living_processes(process_group)
    # multiprocessing's own helpers end by themselves once the program has gone; a loaded machine can
    # keep them a while longer, and that is no leftover of the program's
    while grace and alive and all(map(is_helper, alive)) and time.monotonic() < started + grace + HELPER_GRACE:
        time.sleep(0.05)
        alive = living_processes(process_group)
    found = len(alive)
    deadline = time.monotonic() + KILL_WAIT
    while alive and time.monotonic() < deadline:
        signal_group(process_group, signal.SIGKILL)
        time.sleep(0.01)
        alive = living_processes(process_group)
    return found


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM stop the command (the programs run in sessions of their own, and a command that
    was simply killed would leave them running). While the engine's threads run programs the signal is
    only noted, and the main thread stops where it looks for it (raise_if_stopped): an exception raised
    wherever the main thread happens to be can leave a lock of the threads' held for ever."""

    def stop(signum: int, frame: object) -> None:
        if noting_stops:
            stop_signals.append(signum)
        else:
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


@contextlib.contextmanager
def stops_noted() -> Iterator[None]:
    """While in this block, a stop signal (once stop_on_signals() is set) is noted, not raised."""
    global noting_stops
    noting_stops = True
    try:
        yield
    finally:
        noting_stops = False
    raise_if_stopped()


def raise_if_stopped() -> None:
    if stop_signals:
        stop_signals.clear()
        raise KeyboardInterrupt


def let_programs_see_ctrl_c() -> None:
    """Programs inherit an ignored SIGINT (as a shell's background job has it), and would never see Ctrl-C,
    nor a pair's interrupt; a handled one is reset to the default in them, as in a foreground run."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def show_undecodable_bytes_escaped() -> None:
    """Let transcripts holding bytes that were not UTF-8 (kept as surrogates) print, escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
