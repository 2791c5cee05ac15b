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
every process of the run at once. Status, a line each: "main PID parent PID" as the program sees those
pids; "exit CODE" when the program's own process ends (a negative code: killed by that signal);
"leftovers N" once the rest has gone: what was still alive EXIT_GRACE seconds later
(HELPER_GRACE more for multiprocessing's helpers, which end by themselves once the program has gone),
and was killed. A run whose status ends with no exit said lost its parent: the program killed it.

Runs on the Python that runs portcheck (3.8 or later), with no import of portcheck's own.
"""

# Every run starts this: it imports only what costs nothing (no json, no contextlib, and _signal rather
# than signal, whose enums cost as much as the rest of its start-up), and it sleeps until something
# happens rather than polling.
import _signal as signal
import os
import resource
import select
import sys
import time

EXIT_GRACE = 2.0
HELPER_GRACE = 10.0
KILL_WAIT = 2.0
POLL = 0.02  # seconds between looks, where nothing can wake this process (what outlives the program)
HELPERS = (b"resource_tracker", b"semaphore_tracker", b"forkserver import main")
PR_SET_CHILD_SUBREAPER = 36
FIRST_PID = 20000  # the program's pid in the sandbox; what it starts follows from there
SENT = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2)  # what interrupts send


def main():
    control, status, file_limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    program = sys.argv[sys.argv.index("--") + 1 :]
    sandboxed = os.getpid() == 1
    if sandboxed:  # the namespace's next pid is one this process may set (the sandbox grants it that right)
        try:
            with open("/proc/sys/kernel/ns_last_pid", "w") as last:
                last.write(str(FIRST_PID - 1))
        except OSError:  # the probe (sandbox.py) then finds the sandbox unusable
            pass
    else:
        import ctypes  # only here: the sandbox's first process needs no subreaper

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    parent = os.fork()
    if parent == 0:
        os.close(control)
        _parent(status, program, file_limit, sandboxed)
    _ignore_what_the_program_is_sent()
    group = parent if sandboxed else 0
    ended = _ended(parent)
    while _reap(parent) is None:
        if not _obey(control, group, [ended] if ended is not None else [], None if ended is not None else POLL):
            _end(status, stopped=True)
    # what outlives the program gets a grace to end by itself, multiprocessing's helpers a longer one
    started = time.monotonic()
    alive = _descendants()
    while alive and time.monotonic() < started + EXIT_GRACE + (HELPER_GRACE if all(map(_is_helper, alive)) else 0):
        if not _obey(control, group, [], POLL):
            break
        _reap(None)
        alive = _descendants()
    _end(status, leftovers=len(alive))


def _ended(pid):
    """A file descriptor that becomes readable when `pid` ends (Python 3.9 and Linux 5.3 on); else None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


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
    tell(status, "main", main, "parent", os.getpid())
    _, code = os.waitpid(main, 0)
    tell(status, "exit", -os.WTERMSIG(code) if os.WIFSIGNALED(code) else os.WEXITSTATUS(code))
    os._exit(0)


def _ignore_what_the_program_is_sent():
    for number in SENT:
        signal.signal(number, signal.SIG_IGN)


def _exec(program, file_limit):
    """In the program's process: the file size bounded, the signals as a shell leaves them."""
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        for number in (*SENT, signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(number, signal.SIG_DFL)
        os.execvp(program[0], program)
    except OSError as exc:
        os.write(2, f"cannot start {program[0]!r}: {exc.strerror}\n".encode())
    os._exit(127)


def _obey(control, group, others, wait):
    """Carry out what portcheck says, waiting for it, or for one of `others`, at most `wait` seconds (None: no
    bound); False when it says stop, or has gone."""
    ready, _, _ = select.select([control, *others], [], [], wait)
    if control not in ready:
        return True
    said = os.read(control, 4096).decode()
    if not said:
        return False
    for line in said.splitlines():
        if line == "stop":
            return False
        if line.startswith("signal "):
            try:
                os.killpg(group, int(line.split()[1]))
            except OSError:  # the group has ended
                pass
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
    """The processes below this one that are alive (zombies are dead), found by following each process's
    children down from this one: far cheaper than reading every process of the machine."""
    found, pending = [], [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:  # gone
            continue
        for thread in threads:
            try:
                with open(f"/proc/{pid}/task/{thread}/children", "rb") as children:
                    below = [int(child) for child in children.read().split()]
            except OSError:
                continue
            found += below
            pending += below
    return [pid for pid in dict.fromkeys(found) if _alive(pid)]


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


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
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
        _reap(None)
        alive = _descendants()
    if not stopped:
        tell(status, "leftovers", leftovers)
    os._exit(0)


def tell(status, *said):
    """One line of status: names and whole numbers, in turn."""
    try:
        os.write(status, (" ".join(map(str, said)) + "\n").encode())
    except OSError:  # portcheck has gone
        pass


if __name__ == "__main__":
    main()
