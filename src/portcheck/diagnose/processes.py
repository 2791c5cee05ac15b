"""multiprocessing's own text and behaviour: reprs, worker names, exit codes, pickling, start methods."""

from __future__ import annotations

import re

from portcheck.diagnose.cause import A_CRASH, Cause, Context, changed, crash_pattern
from portcheck.diagnose.text import aligned_numbers

PROCESS_2 = re.compile(r"<(\w+)\(([^()]*?), (initial|started|stopped(?:\[([-\w]+)\])?|unknown)( daemon)?\)>")
PID_VALUE = r"(?:<[a-z][a-z ]*\d*>|[^\s>]+)"  # a pid as printed, or as its role
PROCESS_3 = re.compile(
    rf"<(\w+) name='((?:[^'\\]|\\.)*)'( pid={PID_VALUE})? parent=({PID_VALUE}) (initial|started|stopped|closed|unknown)"
    r"(?: exitcode=([-\w]+))?( daemon)?>"
)
METHOD_PREFIX = {"fork": "Fork", "spawn": "Spawn", "forkserver": "ForkServer"}


def process_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """Each Process repr of the legacy line, <Process(name, stopped[1])>, written as Python 3 writes the
    same process, with the pids the port's line shows: <Process name='name' pid=.. parent=.. stopped exitcode=1>."""
    old, new = list(PROCESS_2.finditer(legacy)), list(PROCESS_3.finditer(modern))
    if not old or len(old) != len(new):
        return []
    pieces, position = [], 0
    for before, after in zip(old, new):
        kind, name, status, code, daemon = before.group(1, 2, 3, 4, 5)
        if after.group(1) not in (kind, f"{METHOD_PREFIX.get(context.start_method, '')}{kind}"):
            return []
        if status.startswith("stopped"):
            code = code or "0"
            code = f"-{code}" if code.startswith("SIG") else code
            status = f"stopped exitcode={code}"
        pid = after.group(3) or ""
        shown = f"<{after.group(1)} name={name!r}{pid} parent={after.group(4)} {status}{daemon or ''}>"
        pieces += [legacy[position : before.start()], shown]
        position = before.end()
    pieces.append(legacy[position:])
    return changed([("".join(pieces), modern)], legacy, modern)


WORKER_2 = re.compile(r"\b(PoolWorker|Process)-\d+(?::\d+)*\b")


PROCESS_REPR_PARENT = Cause(
    "process-repr-parent",
    change=(
        "a Process shows as `<Process name='...' pid=... parent=... started>` on Python 3 (parent= since 3.8,"
        " exitcode= once stopped), not `<Process(name, started)>`"
    ),
    fix="print what is meant (p.name, p.pid, p.exitcode), not the object",
    matches=(
        "A legacy `<Process(name, status)>` (`stopped[1]`, ` daemon`) where the port shows the same process,"
        " name, status and exit code as Python 3 writes them, whatever its pids."
    ),
    example=(
        "-out: started <Process(fetcher, started)>",
        "+out: started <Process name='fetcher' pid=5001 parent=5000 started>",
    ),
    rewrite=process_repr,
    python=(3, 8),
)


def pool_worker_name(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """Worker names as any worker: PoolWorker-1 against ForkPoolWorker-2 (the start method's prefix) is the
    same name; which worker ran a task is the pool's choice."""
    prefix = METHOD_PREFIX.get(context.start_method)
    worker_3 = re.compile(rf"\b{prefix}(PoolWorker|Process)-\d+(?::\d+)*\b")
    if prefix is None or not worker_3.search(modern) or not WORKER_2.search(legacy):
        return []
    return [(WORKER_2.sub("<worker>", legacy), WORKER_2.sub("<worker>", worker_3.sub("<worker>", modern)))]


POOL_WORKER_NAME = Cause(
    "pool-worker-name",
    change=(
        "Python 3 names pool and executor workers after their start method (ForkPoolWorker-1, SpawnProcess-2);"
        " Python 2's were PoolWorker-1 and Process-2"
    ),
    fix="nothing to fix; print what a worker was given rather than which worker took it",
    matches=(
        "A legacy `PoolWorker-N` or `Process-N` where the port names a worker with its start method's prefix"
        " (`ForkPoolWorker-M` under fork, `SpawnProcess-M` under spawn), whatever the numbers: which worker"
        " ran a task is the pool's choice. Not another start method's prefix."
    ),
    example=("-out: PoolWorker-1 squared 3", "+out: ForkPoolWorker-2 squared 3"),
    rewrite=pool_worker_name,
)


def sys_exit_none(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """An exit code printed as 1 by the original and 0 by the port, on a line that says it is one."""
    if "exit" not in legacy.lower():
        return []
    return aligned_numbers(legacy, modern, lambda old, new: (old, new) == ("1", "0"))


SYS_EXIT_NONE_IN_CHILD = Cause(
    "sys-exit-none-in-child",
    change="sys.exit() with no argument in a child gives exit code 1 on Python 2 and 3.8, 0 from 3.9 (bpo-35727)",
    fix="exit a child with the code meant: sys.exit(1) for a failure, return (or sys.exit(0)) for success",
    matches=(
        'On Python 3.9 and later, a line about an exit code (it says "exit") that the original printed'
        " with 1 and the port with 0, the rest alike."
    ),
    example=("-out: worker exit code: 1", "+out: worker exit code: 0"),
    rewrite=sys_exit_none,
    python=(3, 9),
    readme="pitfall-14",
)


UNPICKLABLE_UNDER_SPAWN = Cause(
    "unpicklable-under-spawn",
    change=(
        "under spawn and forkserver a Process's target and arguments are pickled, as a pool's tasks are under"
        " every start method (on Python 2 too): a lambda, a nested function or a thread lock cannot be"
    ),
    fix="make the target a module-level function and give it only what pickles (MPC202 in docs/lint.md)",
    matches=(
        "Under spawn or forkserver, a traceback of the port's that ends in a pickling error (`Can't get local"
        " object`, `Can't pickle <function ...>`, `cannot pickle '_thread.lock' object`, `Can't get attribute"
        " 'f' on <module '__mp_main__'>`), with the exit code and the lines it never printed. Not under fork."
    ),
    example=(
        *A_CRASH,
        "-out: sum computed in child: 45",
        "+err: Traceback (most recent call last):",
        "+err: AttributeError: Can't get local object 'main.<locals>.<lambda>'",
    ),
    crash=crash_pattern(
        r"(?:_pickle\.|pickle\.)?PicklingError: .*",
        r"AttributeError: Can't (?:pickle|get) local object '.+'",
        r"AttributeError: Can't get attribute '[\w.]+' on <module '__(?:mp_)?main__'.*",
        r"TypeError: cannot pickle '[\w.]+' object",
        r"TypeError: can't pickle [\w.]+ objects",
    ),
    start_methods=("spawn", "forkserver"),
    example_context=Context("spawn", (3, 13)),
)


UNGUARDED_MAIN_UNDER_SPAWN = Cause(
    "unguarded-main-under-spawn",
    change=(
        "under spawn and forkserver each child imports the main module again: code that starts processes at"
        " its top level, outside `if __name__ == '__main__':`, starts them again in every child, which refuses"
    ),
    fix="put what the program does under `if __name__ == '__main__':` (MPC203 in docs/lint.md)",
    matches=(
        "Under spawn or forkserver, a traceback of the port's that ends in multiprocessing's `RuntimeError:"
        " An attempt has been made to start a new process before the current process has finished its"
        " bootstrapping phase` (raised in the children, whatever the program's exit code), with the exit code,"
        " the lines never printed, and the lines the children printed running the module's top level again"
        " (of the shape of one the main process printed). Python 2 on POSIX only forked, where the module is"
        " not imported again. Not under fork."
    ),
    example=(
        *A_CRASH,
        "-out: {'Apple': 0.7, 'Orange': 1.2}",
        "+err: Traceback (most recent call last):",
        "+err: RuntimeError: ",
        "+err:         An attempt has been made to start a new process before the",
        "+err:         current process has finished its bootstrapping phase.",
    ),
    crash=crash_pattern(r"\s+An attempt has been made to start a new process before the"),
    in_children=True,
    echoes=True,
    start_methods=("spawn", "forkserver"),
    example_context=Context("spawn", (3, 13)),
)


LOCK_INTO_TASK = Cause(
    "lock-into-task",
    change="a multiprocessing lock, queue or shared value was passed into a pool's task, which pickles it",
    fix="pass it once per worker with initializer= and initargs=, or use a Manager's",
    matches=(
        "A traceback of the port's that ends in `Lock objects should only be shared between processes"
        " through inheritance` (Queue, Condition, ...), under any start method, with the exit code and the"
        " lines it never printed."
    ),
    example=(
        *A_CRASH,
        "-out: Hello Num: 0",
        "+err: Traceback (most recent call last):",
        "+err: RuntimeError: Lock objects should only be shared between processes through inheritance",
    ),
    crash=crash_pattern(r"RuntimeError: \w+ objects should only be shared between processes through inheritance"),
    readme="pitfall-3",
)


ROLE = re.compile(r"(<[a-z][a-z ]*\d*>)")


def getppid_under_forkserver(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The port's line naming the fork server (a helper, or a process the hook never saw) where the
    original named its main process."""
    old, new = ROLE.split(legacy), ROLE.split(modern)
    if len(old) != len(new) or old[::2] != new[::2]:
        return []
    rebuilt, used = list(new), False
    for index in range(1, len(old), 2):
        if old[index] == "<main pid>" and (new[index] == "<helper pid>" or new[index].startswith("<other pid")):
            rebuilt[index], used = old[index], True
    return [(legacy, "".join(rebuilt))] if used else []


GETPPID_UNDER_FORKSERVER = Cause(
    "getppid-under-forkserver",
    change="under forkserver a child's os.getppid() is the fork server's pid, not the program's",
    fix="use multiprocessing.parent_process().pid (3.8+), right under every start method",
    matches=(
        "Under forkserver, a line the original printed with its main process's pid where the port printed a"
        " pid of a helper (the fork server) or of a process the hook never saw, the rest alike."
    ),
    example=("-out: Parent Process ID# 4241", "+out: Parent Process ID# 5120"),
    rewrite=getppid_under_forkserver,
    start_methods=("forkserver",),
    readme="pitfall-1",
    example_context=Context("forkserver", (3, 13)),
)


def mp_main_name(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The port's line with the main module's name as a child under fork (and Python 2) knew it."""
    if "__mp_main__" not in modern or "__main__" not in legacy:
        return []
    return [(legacy, modern.replace("__mp_main__", "__main__"))]


MP_MAIN_NAME = Cause(
    "mp-main-name",
    change=(
        "under spawn and forkserver a child runs the main module again as `__mp_main__`, so `__name__`, and the"
        " module of what it defines, is `__mp_main__` there; a forked child (Python 2's only way) kept `__main__`"
    ),
    fix="nothing to fix if only the name shows; never test `__name__` for anything but the main guard",
    matches=(
        "Under spawn or forkserver, a `+` line that shows `__mp_main__` where the legacy line shows `__main__`,"
        " the rest alike: `module name: __mp_main__` printed by a child (the `info()` of multiprocessing's"
        " documentation), `<__mp_main__.Foo object at 0x...>` from a manager's process. Not under fork."
    ),
    example=("-out: module name: __main__", "+out: module name: __mp_main__"),
    rewrite=mp_main_name,
    start_methods=("spawn", "forkserver"),
    example_context=Context("spawn", (3, 13)),
)


POOL_3 = re.compile(r"<((?:multiprocessing\.pool\.)?(?:Thread)?Pool) state=[A-Z]+ pool_size=\d+>")


def pool_repr(legacy: str, modern: str, context: Context) -> list[tuple[str, str]]:
    """The port's Pool repr, <multiprocessing.pool.Pool state=RUN pool_size=4>, as Python 2 wrote it."""
    return changed([(legacy, POOL_3.sub(r"<\1 object at 0x<address>>", modern))], legacy, modern)


POOL_REPR = Cause(
    "pool-repr",
    change=(
        "a Pool shows its state and size on Python 3.8 and later, `<multiprocessing.pool.Pool state=RUN"
        " pool_size=4>`, where Python 2 showed `<multiprocessing.pool.Pool object at 0x...>`"
    ),
    fix="print what is meant (the number of processes given), not the pool",
    matches=(
        "A `+` line with `<multiprocessing.pool.Pool state=... pool_size=N>` (ThreadPool too) where the legacy"
        " line shows `<multiprocessing.pool.Pool object at 0x...>`, the rest alike. Not another object's repr."
    ),
    example=(
        "-out: pool = <multiprocessing.pool.Pool object at 0x7f52ec8ef110>",
        "+out: pool = <multiprocessing.pool.Pool state=RUN pool_size=4>",
    ),
    rewrite=pool_repr,
    python=(3, 8),
)


UNJOINED_AT_EXIT = Cause(
    "unjoined-children-at-exit",
    change=(
        "under spawn and forkserver a child unpickles the lock (or queue) it was given after it starts: a main"
        " process that starts children and ends without joining them releases the lock's semaphore first, and"
        " each child dies with `FileNotFoundError`; a forked child (Python 2's only way) inherited it"
    ),
    fix="join the children (or keep the lock alive) before the main process ends: `for p in workers: p.join()`",
    matches=(
        "Under spawn or forkserver, the port's children's tracebacks that end in `FileNotFoundError: [Errno 2]"
        " No such file or directory` raised by `SemLock._rebuild` (their frames show it), and the lines those"
        " children never printed, whatever the program's exit code. Not a missing file of the program's own"
        " (its message names the file), nor under fork."
    ),
    example=(
        "-out: hello world 0",
        "-out: hello world 1",
        "+err: Traceback (most recent call last):",
        '+err:   File "/usr/lib/python3.13/multiprocessing/synchronize.py", line 115, in __setstate__',
        "+err:     self._semlock = _multiprocessing.SemLock._rebuild(*state)",
        "+err: FileNotFoundError: [Errno 2] No such file or directory",
    ),
    crash=crash_pattern(r"FileNotFoundError: \[Errno 2\] No such file or directory"),
    frames=re.compile(r"SemLock\._rebuild"),
    in_children=True,
    start_methods=("spawn", "forkserver"),
    example_context=Context("spawn", (3, 13)),
)


STATE_NOT_INHERITED = Cause(
    "state-not-inherited",
    change=(
        "under spawn and forkserver a child imports the main module afresh: what the parent set after import"
        " (a module global it changed, an object it built under the main guard) is not in the child, as it is"
        " under fork and was on Python 2"
    ),
    fix="pass what a child needs as its arguments (or a pool's initializer), not through module globals",
    matches=(
        "A port whose run differs only under spawn and forkserver, where under fork it is alike, with no crash"
        " and the exit code the original gave, and whose differing lines no other rule explains"
        " (deco's free-function example: `[90, 210]` against `[90]`, the 210 appended by the parent after"
        " import). Not a difference under fork as well (a porter's edit), nor one a crash explains."
    ),
    example=("-out: bodies [90, 210]", "+out: bodies [90]"),
    start_methods=("spawn", "forkserver"),
    alike_under_fork=True,
    example_context=Context("spawn", (3, 13)),
)
