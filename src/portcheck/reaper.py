"""The first process of every run: it starts the program, and once the program has ended, ends the rest.

    python3 -I -S reaper.py CONTROL_FD STATUS_FD FILE_LIMIT -- PROGRAM [ARGUMENT ...]

    portcheck ──control──► reaper ──fork──► parent ──fork/exec──► program ──► its children, daemons
              ◄──status─────────────────────┘

In the sandbox the reaper is the first process of the run's pid namespace (bwrap --as-pid-1), so every
process of the run is its descendant, orphans and `setsid` daemons included, and its own end ends them
all. Without the sandbox it makes itself their subreaper, which gives it the orphans too. The parent
plays the shell that started the program: it waits for it and says how it ended. In the sandbox they
start at pid FIRST_PID, not 2: a namespace's pids are small numbers, which would be taken for every
small number a program prints (a count, an exit code) once pids are named by their role.

Control, a line each: "signal N" sends N to the program's process group (a pair's interrupt; the reaper
and the parent ignore it); "stop", or the end of the pipe (portcheck ended, however it ended), kills
every process of the run at once. Status, a JSON line each: {"main": PID, "parent": PID} as the program
sees those pids; {"exit": CODE} when the program's own process ends (a negative code: killed by that
signal); {"leftovers": N} once the rest has gone: what was still alive EXIT_GRACE seconds later
(HELPER_GRACE more for multiprocessing's helpers, which end by themselves once the program has gone),
and was killed. A run whose status ends with no exit said lost its parent: the program killed it.

Runs on the Python that runs portcheck (3.8 or later), with no import of portcheck's own.
"""

import contextlib
import json
import os
import resource
import select
import signal
import sys
import time

EXIT_GRACE = 2.0
HELPER_GRACE = 10.0
KILL_WAIT = 2.0
POLL = 0.02
HELPERS = (b"resource_tracker", b"semaphore_tracker", b"forkserver import main")
PR_SET_CHILD_SUBREAPER = 36
FIRST_PID = 20000  # the program's pid in the sandbox; what it starts follows from there


def main():
    control, status, file_limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    program = sys.argv[sys.argv.index("--") + 1 :]
    sandboxed = os.getpid() == 1
    if sandboxed:  # the namespace's next pid is one this process may set (the sandbox grants it that right)
        with contextlib.suppress(OSError), open("/proc/sys/kernel/ns_last_pid", "w") as last:
            last.write(str(FIRST_PID - 1))
    else:
        import ctypes  # only here: the sandbox's first process needs no subreaper

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    parent = os.fork()
    if parent == 0:
        os.close(control)
        _parent(status, program, file_limit, sandboxed)
    _ignore_what_the_program_is_sent()
    while _reap(parent) is None:
        if not _obey(control, parent if sandboxed else 0, POLL):
            _end(status, stopped=True)
    # what outlives the program gets a grace to end by itself, multiprocessing's helpers a longer one
    started = time.monotonic()
    alive = _descendants()
    while alive and time.monotonic() < started + EXIT_GRACE + (HELPER_GRACE if all(map(_is_helper, alive)) else 0):
        if not _obey(control, parent if sandboxed else 0, POLL):
            break
        _reap(None)
        alive = _descendants()
    _end(status, leftovers=len(alive))


def _parent(status, program, file_limit, sandboxed):
    """The program's parent, as a shell that started it is: it waits for the program and says how it ended.
    In the sandbox the program's group is this process's (the sandbox's own group holds bwrap, outside it);
    elsewhere it is the reaper's, which portcheck can kill whole."""
    if sandboxed:
        os.setpgid(0, 0)
    main = os.fork()
    if main == 0:
        os.close(status)  # the pipes are the reaper's: its end, not the program's, closes them
        _exec(program, file_limit)
    _ignore_what_the_program_is_sent()
    tell(status, main=main, parent=os.getpid())
    _, code = os.waitpid(main, 0)
    tell(status, exit=-os.WTERMSIG(code) if os.WIFSIGNALED(code) else os.WEXITSTATUS(code))
    os._exit(0)


def _ignore_what_the_program_is_sent():
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(number, signal.SIG_IGN)


def _exec(program, file_limit):
    """In the program's process: the file size bounded, the signals as a shell leaves them."""
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        for number in (
            signal.SIGINT,
            signal.SIGTERM,
            signal.SIGHUP,
            signal.SIGUSR1,
            signal.SIGUSR2,
            signal.SIGPIPE,
            signal.SIGXFSZ,
        ):
            signal.signal(number, signal.SIG_DFL)
        os.execvp(program[0], program)
    except OSError as exc:
        os.write(2, f"cannot start {program[0]!r}: {exc.strerror}\n".encode())
    os._exit(127)


def _obey(control, group, wait):
    """Carry out what portcheck says within `wait` seconds; False when it says stop, or has gone."""
    ready, _, _ = select.select([control], [], [], wait)
    if not ready:
        return True
    said = os.read(control, 4096).decode()
    if not said:
        return False
    for line in said.splitlines():
        if line == "stop":
            return False
        if line.startswith("signal "):
            with contextlib.suppress(OSError):  # the group has ended
                os.killpg(group, int(line.split()[1]))
    return True


def _reap(parent):
    """Wait for every child that has ended (orphans come here too); the parent's exit status once it has."""
    found = None
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if pid == 0:
            return found
        if pid == parent:
            found = status


def _descendants():
    """The processes below this one that are alive (zombies are dead)."""
    parents, states = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(name)], states[int(name)] = int(fields[1]), fields[0]
    me, found = os.getpid(), []
    for pid in parents:
        ancestor = parents[pid]
        while ancestor not in (me, 0) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == me and states[pid] != b"Z":
            found.append(pid)
    return found


def _is_helper(pid):
    """One of multiprocessing's helpers, or a process that has let go of its memory on its way out."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
    except OSError:
        return True
    return not command or any(helper in command for helper in HELPERS)


def _end(status, stopped=False, leftovers=0):
    """Kill every process of the run, wait until they are gone (bounded), say what was left, and end."""
    deadline = time.monotonic() + KILL_WAIT
    alive = _descendants()
    while alive and time.monotonic() < deadline:
        for pid in alive:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)
        _reap(None)
        alive = _descendants()
    if not stopped:
        tell(status, leftovers=leftovers)
    os._exit(0)


def tell(status, **said):
    with contextlib.suppress(OSError):  # portcheck has gone
        os.write(status, (json.dumps(said) + "\n").encode())


if __name__ == "__main__":
    main()
