"""This repository's pairs: a legacy program, its modern port, and what is specific to the pair.

Everything that is specific to one pair is data here, and nowhere else: what it shows (the
README's table and the site are made from it), which lines it leaves in an open order
(`concurrent`, see portcheck/transcript.py), what Python 3 reports differently that no
faithful program can hide (`differences`), the oldest Python and the start methods where the
modern program applies, how the harness interrupts it, and what its mechanical port (2to3, made
at run time by portcheck/mechanical.py) is expected to do (`mechanical`). A pair's legacy output
on Python 2.7 is also recorded in recordings/NAME.txt, for machines without a Python 2.7.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portcheck import ToolError
from portcheck.running import START_METHODS, Interrupt
from portcheck.transcript import Difference, Rules, Verdict

ROOT = Path(__file__).resolve().parent.parent
LEGACY_DIR = ROOT / "legacy"
MODERN_DIR = ROOT / "modern"
RECORDINGS_DIR = ROOT / "recordings"
OLDEST_PYTHON = (3, 8)  # requires-python, and multiprocessing.parent_process()


@dataclass(frozen=True)
class Mechanical:
    """What the mechanical port (2to3) of a pair's legacy program does, against the legacy program.

    `verdicts` holds the expected verdict for each start method where it is not the modern
    program's (identical, or declared differences where the pair declares some), and `why` says
    why. `fixes` lists each line that 2to3 changes other than a print statement, as (legacy line,
    port line), and `keeps` what it leaves as Python 2 wrote it that the hand-written port changed;
    tests/test_mechanical.py checks both the verdicts and the fixes.
    """

    keeps: str
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    why: str = ""
    fixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pair:
    """One pair and what is specific to it."""

    shows: str  # what it shows
    python2: str  # the Python 2 way
    python3: str  # the Python 3 way
    why: str  # why it changed
    part: str = "article"  # "article": from the article; "beyond": the rest of the API real code uses
    concurrent: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()
    oldest_python: tuple[int, int] = OLDEST_PYTHON
    start_methods: tuple[str, ...] = START_METHODS
    not_applicable: str = ""  # why it does not apply elsewhere, when it does not apply everywhere
    interrupt: Interrupt | None = None
    mechanical: Mechanical = Mechanical(keeps="")

    @property
    def rules(self) -> Rules:
        return Rules(self.concurrent, self.differences)

    def expected_mechanical(self, start_method: str) -> tuple[Verdict, str]:
        """The verdict expected of the mechanical port under `start_method`, and why when it is not the modern one's."""
        if start_method in self.mechanical.verdicts:
            return self.mechanical.verdicts[start_method], self.mechanical.why
        return (Verdict.DECLARED if self.differences else Verdict.IDENTICAL), ""

    def applies(self, version: tuple[int, int], start_method: str) -> bool:
        return version >= self.oldest_python and start_method in self.start_methods


PAIRS: dict[str, Pair] = {
    "process_sleeper": Pair(
        shows="article §Process: start a child, join it, print pids",
        python2="`Process(target=sleeper, args=...)`, `start()`, `join()`; `os.getppid()` in the child",
        python3="`ProcessPoolExecutor(max_workers=1)`, `submit()`, `result(timeout=)`; "
        "`multiprocessing.parent_process().pid`",
        why="one task in another process is an executor's job; `result()` bounds the wait and re-raises the "
        "child's exception, and on a timeout the worker is terminated before leaving the `with` (pitfall 7); "
        "under forkserver `os.getppid()` is the fork server (pitfall 1)",
        concurrent=(
            # the child's three lines ...
            r"^(?:Process ID#|Parent Process ID#|bob will sleep)",
            # ... race the parent's two lines between start() and join()
            r"^(?:in parent process after child process start|parent process abount to join child process)$",
        ),
        mechanical=Mechanical(
            keeps="`os.getppid()` in the child, and an unbounded `join()`",
            verdicts={"forkserver": Verdict.DIFFERENT},
            why="2to3 keeps `os.getppid()`, which under forkserver is the fork server's pid, not the program's, "
            'so the child\'s "Parent Process ID#" names another process (pitfall 1); the hand-written port '
            "uses `multiprocessing.parent_process().pid`",
        ),
    ),
    "process_subclass": Pair(
        shows="a `Process` subclass overriding `run()`",
        python2="`super(Sleeper, self).__init__()`, `join()`",
        python3="`super().__init__(daemon=True)`, `join(timeout)`, exit code checked",
        why="a daemonic child is terminated when the parent exits, normally or by an exception (not when it is "
        "killed); under spawn and forkserver the object itself, with every attribute set before `start()`, is "
        "pickled to the child",
        mechanical=Mechanical(
            keeps="`super(Sleeper, self).__init__()` (valid Python 3), a non-daemonic child, an unbounded `join()`"
        ),
    ),
    "process_terminate": Pair(
        shows="`terminate()`: SIGTERM, no `finally`, grandchild survives",
        python2="`terminate()`, `join()`",
        python3="`terminate()` in a `finally`, then wait for `exitcode`",
        why="Python 3's `join(timeout)` waits for a pipe that, under fork, the grandchild also holds (pitfall 2)",
        mechanical=Mechanical(keeps="`terminate()` and an unbounded `join()`, outside any `finally`"),
    ),
    "queue_offer": Pair(
        shows="article §Queue: a child puts, the parent gets",
        python2="`q.get()`, no join",
        python3="`q.get(timeout=)`, `join(timeout)`, exit code checked, `daemon=True`",
        why="a child that dies before `put()` must fail the program, not hang it",
        mechanical=Mechanical(keeps="an unbounded `q.get()`; no exit code checked"),
    ),
    "queue_full_empty": Pair(
        shows="`put`/`get` with `block`/`timeout`: Full and Empty",
        python2="`from Queue import Empty, Full`; `time.time()`",
        python3="`queue.Empty`, `queue.Full`; `time.monotonic()`",
        why="the module is `queue` since PEP 3108; a monotonic clock for durations",
        mechanical=Mechanical(
            keeps="`time.time()` for durations",
            fixes=(("from Queue import Empty, Full", "from queue import Empty, Full"),),  # fix_imports
        ),
    ),
    "pipe_send": Pair(
        shows="article §Pipes: a child sends, the parent receives",
        python2="`conn.close()`, `recv()`",
        python3="`with conn:`; parent closes its copy of the child's end; `poll(timeout)` then `recv()`",
        why="connections are context managers; an unbounded `recv()` is a hang waiting to happen",
        mechanical=Mechanical(keeps="`conn.close()` rather than `with`, and an unbounded `recv()`"),
    ),
    "pipe_one_way": Pair(
        shows="`Pipe(duplex=False)`, and using an end the wrong way",
        python2="`except IOError`",
        python3="`except OSError`",
        why="PEP 3151: `IOError` is an alias of `OSError` (a declared difference)",
        differences=(
            Difference(
                legacy="IOError: connection is",
                modern="OSError: connection is",
                why="PEP 3151 (Python 3.3) made IOError an alias of OSError, which is the name it reports",
            ),
        ),
        mechanical=Mechanical(
            keeps="`except IOError`, which still catches (an alias of `OSError`) and reports `OSError`, "
            "the declared difference"
        ),
    ),
    "pipe_eof": Pair(
        shows="`recv()` blocks, then `EOFError` once every sending end is closed",
        python2="`recv()`",
        python3="`poll(timeout)` before each `recv()`",
        why="the parent's own copy of the sending end keeps `recv()` blocked (pitfall 5)",
        mechanical=Mechanical(keeps="every `recv()` unbounded: one `close()` forgotten and it hangs (pitfall 5)"),
    ),
    "lock_print": Pair(
        shows="article §sync: a `Lock` around prints in twenty processes",
        python2="20 × `Process`; `acquire()`/`release()`; `sys.stdout.flush()`",
        python3="`ProcessPoolExecutor(initializer=share_lock, initargs=(Lock(),))`; `with lock:`; "
        "`print(..., flush=True)`",
        why="a lock cannot be pickled into a task; `with` releases on every path (pitfall 3)",
        # the processes race for the lock, so the order of the lines is open; each is one stream
        concurrent=(r"^Hello Num: (\d+)$",),
        mechanical=Mechanical(
            keeps="20 × `Process`; `acquire()`/`release()` rather than `with`; and `sys.stdout.flush()` inside "
            "the lock, as it should (pitfall 4). A port that lost the flush would compare identical all the "
            "same: the harness gives stdout a pseudo-terminal, which is line-buffered"
        ),
    ),
    "rlock_reentry": Pair(
        shows="`RLock` re-entered by its holder; `Lock` refuses it",
        python2="`acquire()`/`release()` pairs",
        python3="`with rlock:`",
        why="pairing is automatic at every depth",
        mechanical=Mechanical(keeps="`acquire()`/`release()` pairs rather than `with`"),
    ),
    "semaphore_limit": Pair(
        shows="`Semaphore(2)` caps four workers at two",
        python2="4 × `Process` with the primitives as args; unbounded wait loop",
        python3="`ProcessPoolExecutor(initializer=share, ...)`; `with semaphore:`; bounded loop",
        why="as for `lock_print`",
        mechanical=Mechanical(keeps="4 × `Process` with the primitives as args, and the unbounded `while` wait loop"),
    ),
    "event_wait": Pair(
        shows="`Event.wait()`/`set()`; `wait(timeout)` returns the flag",
        python2="`event.wait(10)`",
        python3="the same, `daemon=True`, exit codes checked",
        why="unchanged API; safer waiting",
        # both waiters wake on the same set(); which prints first is open
        concurrent=(r"^waiter (\d): ",),
        mechanical=Mechanical(keeps="non-daemonic waiters, unbounded `join()`s, exit codes unchecked"),
    ),
    "condition_notify": Pair(
        shows="`Condition.wait()`/`notify()` around shared stock",
        python2="`while stock.value < 3: condition.wait()`",
        python3="`condition.wait_for(lambda: stock.value >= 3, timeout=)`",
        why="`wait_for` (3.3+) is that loop, bounded",
        mechanical=Mechanical(keeps="the unbounded `while stock.value < 3: condition.wait()` loop"),
    ),
    # Beyond the article: the rest of the API that real Python 2 code uses.
    "pool_map": Pair(
        part="beyond",
        shows="`Pool.map` over a list: results in item order, a worker's exception raised again in the parent",
        python2="`Pool(4)`, `map(f, items, chunksize=3)`, `close()`, `join()`",
        python3="`with ProcessPoolExecutor(max_workers=4)`, `list(executor.map(f, items, timeout=, chunksize=3))`",
        why="`executor.map` returns an iterator: each result, or its exception, comes as it is reached; `timeout=` "
        "bounds the whole map; leaving `with` is `close()` plus `join()`",
        mechanical=Mechanical(
            keeps="`Pool`, `close()` and an unbounded `join()`",
            fixes=(
                (
                    'print "squares: %s" % pool.map(square, range(10), chunksize=3)',
                    'print("squares: %s" % pool.map(square, list(range(10)), chunksize=3))',
                ),
            ),
        ),
    ),
    "pool_callbacks": Pair(
        part="beyond",
        shows="results handled as tasks finish: a callback in the parent, and unordered iteration",
        python2="`apply_async(f, args, callback=)`, `wait()`; `imap_unordered()`",
        python3="`submit()` + `add_done_callback()`, a `Semaphore` counting the callbacks; "
        "`as_completed(..., timeout=)`",
        why="a Future runs its callbacks after it has woken its waiters, so `result()` can return before the "
        "callback has run (pitfall 9)",
        # callbacks and unordered results arrive in the order tasks finish
        concurrent=(r"^callback got (\d+) in pid ", r"^unordered result (\d+)$"),
        mechanical=Mechanical(
            keeps="`apply_async` callbacks and an unbounded `wait()`",
            fixes=(
                (
                    "for square_of_n in pool.imap_unordered(square, range(5)):",
                    "for square_of_n in pool.imap_unordered(square, list(range(5))):",
                ),
            ),
        ),
    ),
    "pool_interrupt": Pair(
        part="beyond",
        shows="Ctrl-C while a pool works: the interrupt gets in, unfinished work is discarded, no worker is left",
        python2="workers ignore SIGINT (`initializer=`); `map_async(...).get(timeout)`; `terminate()`, `join()`; "
        "exit 130",
        python3="the same initializer; `result(timeout=)` per task; `shutdown(wait=False, cancel_futures=True)` "
        "(3.9+: not applicable on 3.8), an `Event` that stops the running tasks, a bounded wait for the workers "
        "to end, `terminate()` for any left; exit 130",
        why="Python 2's `Pool.map()` ignores Ctrl-C until it ends, or hangs for good once interrupted workers lose "
        "their tasks (pitfall 8); `with ProcessPoolExecutor()` would wait for every task on Ctrl-C",
        interrupt=Interrupt(after=r"^work under way"),
        oldest_python=(3, 9),
        not_applicable="shutdown(cancel_futures=True) is new in Python 3.9, and none of the other ways out of a 3.8"
        " executor on Ctrl-C tried here was clean (pitfall 8): on 3.8 the modern program says it needs 3.9 and exits 1",
        mechanical=Mechanical(
            keeps="`map_async(...).get(timeout)` and `terminate()`, as Python 2 wrote them",
            fixes=(
                (
                    "result = pool.map_async(work, range(TASKS), chunksize=1)",
                    "result = pool.map_async(work, list(range(TASKS)), chunksize=1)",
                ),
            ),
        ),
    ),
    "pool_exit": Pair(
        part="beyond",
        shows="leaving a pool: discard the unfinished work, or wait for it",
        python2="`terminate()`; `close()` + `join()`",
        python3="`with Pool()` (which calls `terminate()`); `with ProcessPoolExecutor()` (`shutdown(wait=True)`), "
        "after a bounded `futures.wait()`",
        why="`with Pool()` terminates: a port that used to `close()` and `join()` silently loses work (pitfall 7)",
        mechanical=Mechanical(keeps="explicit `terminate()` and `close()` + `join()`, which mean what they meant"),
    ),
    "pool_maxtasks": Pair(
        part="beyond",
        shows="`maxtasksperchild`: a worker is replaced after N tasks, and module state starts again",
        python2="`Pool(1, maxtasksperchild=2)`, `map()`",
        python3="`ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2, mp_context=get_context())`, one "
        "`submit().result(timeout=)` at a time",
        why="3.11+; refuses fork, and without `mp_context=` always uses spawn; `map()` can hang on every 3.11 and "
        "3.12, and on 3.13 and 3.14 before a fix of July 2026 (pitfall 10)",
        oldest_python=(3, 11),
        start_methods=("spawn", "forkserver"),
        not_applicable="max_tasks_per_child= is new in Python 3.11, and the executor refuses it under fork "
        "(ValueError: max_tasks_per_child is incompatible with the 'fork' multiprocessing start method)",
        mechanical=Mechanical(
            keeps="`Pool(1, maxtasksperchild=2)`, which Python 3's Pool still takes",
            fixes=(
                (
                    "ran = pool.map(whoami, range(6), chunksize=1)",
                    "ran = pool.map(whoami, list(range(6)), chunksize=1)",
                ),
            ),
        ),
    ),
    "manager_dict": Pair(
        part="beyond",
        shows="`Manager().dict()` and `Namespace` shared through proxies; a change to a fetched value is lost",
        python2="`manager = Manager()`, `join()`, `manager.shutdown()`",
        python3="`with Manager() as manager:`; `daemon=True` children joined with a timeout inside the block, "
        "exit codes checked",
        why="the block shuts the manager process down on every way out; proxies stop working after it, so the "
        "children must finish inside it (pitfall 13)",
        mechanical=Mechanical(keeps="`Manager()` and `shutdown()` by hand"),
    ),
    "shared_counter": Pair(
        part="beyond",
        shows="`Value`/`Array`: `+=` loses an update without `get_lock()` (forced with Events), none with it",
        python2="`with counter.get_lock():`; `event.wait(10)`; `join()`",
        python3="the same API; `wait(TIMEOUT)` checked, `join(TIMEOUT)`, exit codes checked",
        why="the default lock guards each read and each write of `.value`, not both together (pitfall 12)",
        mechanical=Mechanical(keeps="unbounded `join()`s"),
    ),
    "joinable_queue": Pair(
        part="beyond",
        shows="`JoinableQueue` producer/consumers: `task_done()` per item and per stop value, then `join()`",
        python2="`tasks.get()`, `tasks.join()`",
        python3="`get(timeout=)`; `tasks.join` in a daemon thread joined with a timeout",
        why="`JoinableQueue.join()` still takes no timeout, and its condition is private (pitfall 11)",
        mechanical=Mechanical(keeps="an unbounded `tasks.join()` and `get()`"),
    ),
    "process_exit": Pair(
        part="beyond",
        shows="exit codes (`sys.exit(n)`, `sys.exit('msg')`, an exception, `terminate()`) and the exit handler: "
        "daemonic children terminated, others joined",
        python2="`p.daemon = True`; `join()`",
        python3="`daemon=` argument; every wait bounded except the exit handler's own `join()`, so that child "
        "bounds its own wait",
        why="the exit handler joins non-daemonic children without a timeout; `sys.exit()` with no argument gives "
        "1 on 2.7 and 3.8, 0 from 3.9 (pitfall 14)",
        mechanical=Mechanical(keeps="`p.daemon = True` and unbounded `join()`s"),
    ),
    "mp_logging": Pair(
        part="beyond",
        shows="`log_to_stderr()` / `get_logger()`: format `[LEVEL/process] message`, children's lines, the exit "
        "handler's INFO line",
        python2="`log_to_stderr()`, `setLevel(logging.INFO)` after `join()`",
        python3="the same; `join(TIMEOUT)`, exit codes checked",
        why="spawn and forkserver children get `log_to_stderr()` and the level again, nothing else; INFO "
        "life-cycle lines differ by start method and from 3.13 (pitfall 15)",
        mechanical=Mechanical(
            keeps="unbounded `join()`s",
            fixes=(  # a print statement over two lines: its parentheses close on the second
                (
                    'print "logger %r, level %s, %s handler(s)" % (',
                    'print("logger %r, level %s, %s handler(s)" % (',
                ),
                (
                    "logger.name, logging.getLevelName(logger.getEffectiveLevel()), len(logger.handlers))",
                    "logger.name, logging.getLevelName(logger.getEffectiveLevel()), len(logger.handlers)))",
                ),
            ),
        ),
    ),
    "pipe_duplex": Pair(
        part="beyond",
        shows="a duplex `Pipe()`: ping/pong in both directions, then `EOFError`",
        python2="`recv()`; `conn.close()`",
        python3="`with conn:`; `poll(timeout)` before each `recv()`; `daemon=True`, exit code checked",
        why="as for `pipe_eof`: the parent closes its copy of the child's end, or the last `recv()` hangs (pitfall 5)",
        mechanical=Mechanical(keeps="every `recv()` unbounded"),
    ),
}


def pair_names() -> list[str]:
    return sorted(path.stem for path in LEGACY_DIR.glob("*.py"))


def pair_name(given: str) -> str:
    """The pair that `given` names: its name, or the path of either of its programs."""
    path = Path(given)
    if path.suffix == ".py" and path.resolve().parent in (LEGACY_DIR, MODERN_DIR):
        given = path.stem
    if given not in pair_names():
        raise ToolError(f"unknown pair {given!r}; the pairs are: {', '.join(pair_names())}")
    return given


def legacy_script(name: str) -> Path:
    return LEGACY_DIR / f"{name}.py"


def modern_script(name: str) -> Path:
    return MODERN_DIR / f"{name}.py"


def recording_path(name: str) -> Path:
    return RECORDINGS_DIR / f"{name}.txt"


def read_recording(name: str) -> list[str]:
    return recording_path(name).read_text().splitlines()
