"""This repository's pairs: a legacy program, its modern port, and what is specific to the pair.

Everything that is specific to one pair is data here, and nowhere else: what it shows (the
README's table and the site are made from it), which lines it leaves in an open order
(`concurrent`, see portcheck/transcript.py), what Python 3 reports differently that no
faithful program can hide (`differences`), the oldest Python and the start methods where the
modern program applies, and how the harness interrupts it. A pair's legacy output on Python 2.7
is also recorded in recordings/NAME.txt, for machines without a Python 2.7.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portcheck import ToolError
from portcheck.running import START_METHODS, Interrupt
from portcheck.transcript import Difference, Rules

ROOT = Path(__file__).resolve().parent.parent
LEGACY_DIR = ROOT / "legacy"
MODERN_DIR = ROOT / "modern"
RECORDINGS_DIR = ROOT / "recordings"
OLDEST_PYTHON = (3, 8)  # requires-python, and multiprocessing.parent_process()


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

    @property
    def rules(self) -> Rules:
        return Rules(self.concurrent, self.differences)

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
    ),
    "process_subclass": Pair(
        shows="a `Process` subclass overriding `run()`",
        python2="`super(Sleeper, self).__init__()`, `join()`",
        python3="`super().__init__(daemon=True)`, `join(timeout)`, exit code checked",
        why="a daemonic child is terminated when the parent exits, normally or by an exception (not when it is "
        "killed); under spawn and forkserver the object itself, with every attribute set before `start()`, is "
        "pickled to the child",
    ),
    "process_terminate": Pair(
        shows="`terminate()`: SIGTERM, no `finally`, grandchild survives",
        python2="`terminate()`, `join()`",
        python3="`terminate()` in a `finally`, then wait for `exitcode`",
        why="Python 3's `join(timeout)` waits for a pipe that, under fork, the grandchild also holds (pitfall 2)",
    ),
    "queue_offer": Pair(
        shows="article §Queue: a child puts, the parent gets",
        python2="`q.get()`, no join",
        python3="`q.get(timeout=)`, `join(timeout)`, exit code checked, `daemon=True`",
        why="a child that dies before `put()` must fail the program, not hang it",
    ),
    "queue_full_empty": Pair(
        shows="`put`/`get` with `block`/`timeout`: Full and Empty",
        python2="`from Queue import Empty, Full`; `time.time()`",
        python3="`queue.Empty`, `queue.Full`; `time.monotonic()`",
        why="the module is `queue` since PEP 3108; a monotonic clock for durations",
    ),
    "pipe_send": Pair(
        shows="article §Pipes: a child sends, the parent receives",
        python2="`conn.close()`, `recv()`",
        python3="`with conn:`; parent closes its copy of the child's end; `poll(timeout)` then `recv()`",
        why="connections are context managers; an unbounded `recv()` is a hang waiting to happen",
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
    ),
    "pipe_eof": Pair(
        shows="`recv()` blocks, then `EOFError` once every sending end is closed",
        python2="`recv()`",
        python3="`poll(timeout)` before each `recv()`",
        why="the parent's own copy of the sending end keeps `recv()` blocked (pitfall 5)",
    ),
    "lock_print": Pair(
        shows="article §sync: a `Lock` around prints in twenty processes",
        python2="20 × `Process`; `acquire()`/`release()`; `sys.stdout.flush()`",
        python3="`ProcessPoolExecutor(initializer=share_lock, initargs=(Lock(),))`; `with lock:`; "
        "`print(..., flush=True)`",
        why="a lock cannot be pickled into a task; `with` releases on every path (pitfall 3)",
        # the processes race for the lock, so the order of the lines is open; each is one stream
        concurrent=(r"^Hello Num: (\d+)$",),
    ),
    "rlock_reentry": Pair(
        shows="`RLock` re-entered by its holder; `Lock` refuses it",
        python2="`acquire()`/`release()` pairs",
        python3="`with rlock:`",
        why="pairing is automatic at every depth",
    ),
    "semaphore_limit": Pair(
        shows="`Semaphore(2)` caps four workers at two",
        python2="4 × `Process` with the primitives as args; unbounded wait loop",
        python3="`ProcessPoolExecutor(initializer=share, ...)`; `with semaphore:`; bounded loop",
        why="as for `lock_print`",
    ),
    "event_wait": Pair(
        shows="`Event.wait()`/`set()`; `wait(timeout)` returns the flag",
        python2="`event.wait(10)`",
        python3="the same, `daemon=True`, exit codes checked",
        why="unchanged API; safer waiting",
        # both waiters wake on the same set(); which prints first is open
        concurrent=(r"^waiter (\d): ",),
    ),
    "condition_notify": Pair(
        shows="`Condition.wait()`/`notify()` around shared stock",
        python2="`while stock.value < 3: condition.wait()`",
        python3="`condition.wait_for(lambda: stock.value >= 3, timeout=)`",
        why="`wait_for` (3.3+) is that loop, bounded",
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
