"""Run one program, bounded, under its reaper, and report what it did.

    portcheck ─ Popen ─► [bwrap, the sandbox] ─► reaper.py ─ fork/exec ─► the program ─► its processes
        ▲   ◄── stdout: a pseudo-terminal; stderr: a pipe ──────────────────┘
        └── status (the program's pids, its exit, what was left) ◄── reaper; control (signal, stop) ──►

A program's stdout is a pseudo-terminal, as when a reader runs it by hand: every process then
writes whole lines at the moment it prints them, so the output follows the order in which
things happened. (On a pipe each process would write its block-buffered output whenever it
flushes or exits, which reorders lines by buffering rather than by behaviour.) stderr is a pipe.

The reaper (reaper.py) starts the program and ends every process of the run once the program has
ended and the rest has had its grace, counting what it killed as leftovers. Everything is bounded:
the program's time (its timeout, reading included), what it prints (`limit` bytes, beyond which the
run is stopped), the size of any file it writes (the same limit). Portcheck's own end, however it
ends, ends the run: the sandbox dies with its parent, and a reaper without one ends everything once
its control pipe closes.
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

from portcheck.model import OUTPUT_LIMIT, Interrupt, ToolError
from portcheck.reaper import EXIT_GRACE, HELPER_GRACE, KILL_WAIT

START_METHODS = ("fork", "spawn", "forkserver")
REAPER = Path(__file__).resolve().parent / "reaper.py"
POLL_INTERVAL = 0.05  # seconds between looks at the clock while nothing is printed
WRAP_NOTHING: Callable[[list[str]], list[str]] = list


launched_process_groups: list[int] = []  # every program's, for the leak check after the tests
running_sessions: set[Session] = set()  # those not yet ended
stop_launching = threading.Event()
stop_signals: list[int] = []  # Ctrl-C, SIGTERM or SIGHUP, noted while programs run (stop_on_signals)
noting_stops = False


@dataclass(frozen=True)
class Run:
    """What one run of a program did."""

    argv: tuple[str, ...]
    pid: int  # the program's own, as it sees it
    launcher_pid: int  # its parent's, as it sees it
    exit_code: int | None  # None when it was killed for running past its timeout, or stopped
    stdout: str
    stderr: str
    timeout: float
    leftovers: int
    seconds: float
    interrupted: bool = False
    stopped: str = ""  # why it was stopped, other than its timeout
    started: float = 0.0  # when, in seconds since the epoch: what clock readings it prints are read against

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None and not self.stopped


def telling_line(stderr: str) -> str:
    """The line of an error output that says what went wrong: a traceback's last, else the first."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no output"
    return lines[-1] if "Traceback (most recent call last)" in stderr else lines[0]


class Session:
    """A program started under its reaper, wrapped by `wrap` (in the sandbox, or as it is); leaving the
    block ends every process of the run."""

    def __init__(
        self,
        argv: tuple[str, ...] | list[str],
        wrap: Callable[[list[str]], list[str]] = WRAP_NOTHING,
        file_limit: int = OUTPUT_LIMIT,
        **popen_arguments: object,
    ) -> None:
        self.argv = tuple(argv)
        self.wrap, self.file_limit = wrap, file_limit
        self.popen_arguments = popen_arguments
        self.stopped = False  # by stop(): its timeout, its limit, or the command's end

    def __enter__(self) -> Session:
        if stop_launching.is_set():
            raise ToolError("interrupted: no new program is started")
        control, self.control = os.pipe()
        self.status, status = os.pipe()
        reaper = [sys.executable, "-I", "-S", str(REAPER), str(control), str(status), str(self.file_limit), "--"]
        try:
            self.process = subprocess.Popen(  # type: ignore[call-overload]
                self.wrap([*reaper, *self.argv]),
                start_new_session=True,
                pass_fds=(control, status),
                **self.popen_arguments,
            )
        except OSError as exc:
            self._close_pipes()
            raise ToolError(f"cannot start {self.argv[0]!r}: {exc.strerror}") from None
        finally:
            os.close(control)
            os.close(status)
        launched_process_groups.append(self.process.pid)
        running_sessions.add(self)
        if stop_launching.is_set():  # the stop came while it started, too late for kill_launched_programs to see it
            self.stop()
        return self

    def tell(self, said: str) -> None:
        with contextlib.suppress(OSError):
            os.write(self.control, f"{said}\n".encode())

    def stop(self) -> None:
        """End every process of the run now (its timeout, its limit, or the command's end)."""
        self.stopped = True
        self._end()

    def _end(self) -> None:
        """The reaper kills every process of the run; the group is killed after it, in case."""
        self.tell("stop")
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(KILL_WAIT + 1)
        signal_group(self.process.pid, signal.SIGKILL)

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        try:  # once it has said how the run ended, the reaper is on its way out; after an error, end it now
            self.process.wait(0 if kind else KILL_WAIT)
        except subprocess.TimeoutExpired:
            self._end()
        self._close_pipes()
        running_sessions.discard(self)

    def _close_pipes(self) -> None:
        for fd in (self.control, self.status):
            with contextlib.suppress(OSError):
                os.close(fd)


def run(
    wrap: Callable[[list[str]], list[str]],
    argv: tuple[str, ...],
    timeout: float,
    cwd: Path,
    env: dict[str, str],
    stdin: Path | None = None,
    interrupt: Interrupt | None = None,
    readable: Callable[[bytes], bytes] = bytes,
    limit: int = OUTPUT_LIMIT,
) -> Run:
    """Run `argv` under its reaper, wrapped by `wrap`, stdout on a pseudo-terminal, until every process of
    it is done or `timeout` seconds have passed; `interrupt` signals the program's group once a line of
    stdout, as `readable` makes it of what the program wrote, matches."""
    with contextlib.ExitStack() as cleanup:
        source = cleanup.enter_context(open(stdin, "rb")) if stdin else subprocess.DEVNULL
        master, slave = pty.openpty()
        cleanup.callback(os.close, master)
        attributes = termios.tcgetattr(slave)
        attributes[1] &= ~termios.OPOST  # keep "\n" as it was printed rather than "\r\n"
        termios.tcsetattr(slave, termios.TCSANOW, attributes)
        started, started_at = time.monotonic(), time.time()
        session = Session(argv, wrap, limit, stdin=source, stdout=slave, stderr=subprocess.PIPE, cwd=cwd, env=env)
        try:
            with session:
                os.close(slave)
                slave = -1
                reading = Reading(session, master, started + timeout, interrupt, readable, limit)
                reading.read()
        finally:
            if slave >= 0:
                os.close(slave)
    told = reading.told
    if session.stopped and not (reading.stopped or reading.timed_out):
        raise ToolError("interrupted: the program was stopped with every other")
    if "main" not in told and not reading.stopped and told.get("exit") is None:
        # the reaper never started the program: the sandbox could not be made, or the reaper could not start
        raise ToolError(f"cannot run {argv[0]!r}: {telling_line(reading.stderr.decode('utf-8', 'replace'))}")
    return Run(
        argv=argv,
        pid=told.get("main", session.process.pid),
        launcher_pid=told.get("parent", os.getpid()),
        exit_code=None if reading.stopped or reading.timed_out else told.get("exit"),
        # surrogateescape keeps every byte: output that is not UTF-8 compares as the bytes it was
        stdout=reading.stdout.decode("utf-8", "surrogateescape"),
        stderr=reading.stderr.decode("utf-8", "surrogateescape"),
        timeout=timeout,
        leftovers=told.get("leftovers", 0),
        seconds=time.monotonic() - started,
        interrupted=reading.interrupted,
        stopped=reading.stopped,
        started=started_at,
    )


class Reading:
    """What a run prints, read until every process of it has closed its ends and the reaper has said how it
    ended, or the deadline, or the limit; the run is stopped at either of those."""

    def __init__(
        self,
        session: Session,
        master: int,
        deadline: float,
        interrupt: Interrupt | None,
        readable: Callable[[bytes], bytes],
        limit: int,
    ) -> None:
        assert session.process.stderr is not None
        self.session, self.deadline, self.limit, self.readable = session, deadline, limit, readable
        self.stderr_fd = session.process.stderr.fileno()
        self.chunks = {master: bytearray(), self.stderr_fd: bytearray(), session.status: bytearray()}
        self.master = master
        self.trigger = re.compile(interrupt.after.encode(), re.MULTILINE) if interrupt else None
        self.signal = getattr(signal, interrupt.signal) if interrupt else None
        self.scanned = 0  # how much of stdout the trigger has looked at
        self.told: dict[str, int] = {}
        self.interrupted = self.timed_out = False
        self.stopped = ""

    @property
    def stdout(self) -> bytes:
        return bytes(self.chunks[self.master])

    @property
    def stderr(self) -> bytes:
        return bytes(self.chunks[self.stderr_fd])

    def read(self) -> None:
        try:
            with selectors.DefaultSelector() as selector:
                for fd in self.chunks:
                    selector.register(fd, selectors.EVENT_READ)
                while selector.get_map():
                    if time.monotonic() >= self.deadline:
                        self.timed_out = "exit" not in self.told
                        break
                    for key, _ in selector.select(min(POLL_INTERVAL, max(0.0, self.deadline - time.monotonic()))):
                        try:
                            data = os.read(key.fd, 65536)
                        except OSError:  # EIO: the last holder of the pty's other end has closed it
                            data = b""
                        if data:
                            self.chunks[key.fd] += data
                        else:
                            selector.unregister(key.fd)
                    self._heard()
                    gone = self.session.status not in selector.get_map()
                    if gone and "exit" not in self.told and not self.session.stopped:
                        self.stopped = "it killed the process that started it, and was stopped"
                        break
                    if len(self.chunks[self.master]) + len(self.chunks[self.stderr_fd]) > self.limit:
                        self.stopped = f"its output passed the limit of {self.limit // 2**20} MiB"
                        break
        finally:
            if self.timed_out or self.stopped:
                self.session.stop()
            self.session.process.stderr.close()  # type: ignore[union-attr]

    def _heard(self) -> None:
        """What the reaper said, and the interrupt the program's output calls for."""
        status = self.chunks[self.session.status]
        while b"\n" in status:
            line, _, rest = bytes(status).partition(b"\n")
            status[:] = rest
            words = line.decode().split()
            said = dict(zip(words[::2], map(int, words[1::2])))
            if "exit" in said and "exit" not in self.told:  # the rest of the run has its graces, then is ended
                self.deadline = max(self.deadline, time.monotonic() + EXIT_GRACE + HELPER_GRACE + 2 * KILL_WAIT)
            self.told.update(said)
        if self.trigger and not self.interrupted:
            stdout = self.chunks[self.master]
            end = stdout.rfind(b"\n") + 1
            if end > self.scanned:  # each complete line is looked at once, as printed
                complete = self.readable(bytes(stdout[:end]))
                if any(self.trigger.search(line) for line in complete.splitlines()):
                    self.session.tell(f"signal {self.signal}")
                    self.interrupted = True
                self.scanned = end


def signal_group(process_group: int, signum: int) -> None:
    """Send `signum` to every process of `process_group`, which may have ended meanwhile."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process_group, signum)


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
    """End every program still running, with all its processes, and start no more until
    launching_again() (on Ctrl-C, or any error that ends the comparisons)."""
    stop_launching.set()
    sessions = list(running_sessions)
    for session in sessions:
        session.tell("stop")
    deadline = time.monotonic() + KILL_WAIT
    for session in sessions:  # never a finished group: its id may be reused
        with contextlib.suppress(subprocess.TimeoutExpired):
            session.process.wait(max(0.0, deadline - time.monotonic()))
        if session.process.poll() is None:
            signal_group(session.process.pid, signal.SIGKILL)


def launching_again() -> None:
    """Once every thread that was stopped has finished: programs may start again in this process (a
    test's, or the next comparisons of a soak)."""
    stop_launching.clear()


def kill_process_group(process_group: int) -> None:
    """Kill what is left of `process_group`, and wait until it is gone (bounded): SIGKILL is delivered, not
    obeyed at once, and whoever looks next must not find the process still there."""
    deadline = time.monotonic() + KILL_WAIT
    while living_processes(process_group) and time.monotonic() < deadline:
        signal_group(process_group, signal.SIGKILL)
        time.sleep(0.01)


def stop_on_signals() -> None:
    """Ctrl-C, SIGTERM and SIGHUP (the terminal closed) stop the command, its programs first. While the
    engine's threads run programs the signal is only noted, and the main thread stops where it looks for
    it (raise_if_stopped): an exception raised wherever the main thread happens to be can leave a lock of
    the threads' held for ever."""

    def stop(signum: int, frame: object) -> None:
        if noting_stops:
            stop_signals.append(signum)
        else:
            raise KeyboardInterrupt

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, stop)


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
