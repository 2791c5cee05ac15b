"""What the pairs teach beyond their own rows: the pitfalls they found and the article's claims they check.

The README and the site are both made from this and from portcheck.toml, so nothing is written
twice. Text is Markdown. Which pairs show a pitfall, or check a claim, each pair says in its own
entry (`about.pitfalls`, `about.claims`: the numbers of this file's lists).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TypeVar

from docs.data import about, pair_names


@dataclass(frozen=True)
class Pitfall:
    title: str
    text: str
    pairs: tuple[str, ...] = ()  # the pairs that show it


@dataclass(frozen=True)
class Claim:
    claim: str  # as the article says it
    verdict: str
    pairs: tuple[str, ...] = ()  # the pairs that check it


PITFALLS = [
    Pitfall(
        "forkserver and `os.getppid()`",
        "Under forkserver a child's `os.getppid()` is the fork server, not your program. "
        "`multiprocessing.parent_process()` (3.8+) is right under all three start methods. The checker's "
        "mutant test swaps it back and must fail.",
    ),
    Pitfall(
        "A bounded `join(timeout)` after `terminate()` waits for the grandchild (fork)",
        "Python 3's `join(timeout)` waits for the child's sentinel pipe to close; a grandchild forked by the "
        "child inherits its end, so `join(10)` on a child killed by SIGTERM returns only when the grandchild "
        "exits or the 10 s run out. Python 2's `join(timeout)` polled `waitpid()`. Grandchildren under spawn "
        "and forkserver don't inherit the pipe. `modern/process_terminate.py` polls `exitcode` instead: a "
        "`waitpid()` under fork and spawn, and under forkserver a read of the exit status the fork server "
        "sends over its socket. Seen on 3.8.18 and 3.13.0 under fork, terminating the child 0.5 s after it "
        "started a grandchild that lives 3 s: `join()` 0.00 s and 0.02 s, `join(10)` 2.53 s (AMD EPYC VM, "
        "2026-11-30; the probe is in the message of the commit that added these figures).",
    ),
    Pitfall(
        "Locks and queues do not pickle into executor tasks",
        '"Lock objects should only be shared between processes through inheritance": pass them once per '
        "worker with `initializer=`, or use a `Manager`.",
    ),
    Pitfall(
        "stdout is block-buffered when it is not a terminal",
        "A child's `print` under a lock reaches a pipe or file when the child flushes or exits, after the "
        "release, so the lock serialises nothing. Flush inside the lock. The tests give each program a "
        "pseudo-terminal for stdout, so lines arrive in the order they were printed, as they do for a reader.",
    ),
    Pitfall(
        "A pipe's EOF needs every sending end closed",
        "The parent's copy of the child's end counts: close it after `start()`, or `recv()` after the last "
        "message hangs.",
    ),
    Pitfall(
        "Helper processes outlive your program briefly",
        "Under spawn and forkserver, the resource tracker and the fork server hold your stdout and exit just "
        "after your program does; a harness that checks for leftovers at once sees them still alive (found by "
        "the matrix on 3.11 and 3.12).",
    ),
    Pitfall(
        "Leaving a pool or an executor",
        "`with multiprocessing.Pool()` calls `terminate()` on exit, discarding unfinished work. `with "
        "ProcessPoolExecutor()` calls `shutdown(wait=True)`, which waits for running tasks *without a timeout*: a "
        "`result(timeout=)` that times out inside the block raises, and then leaving the block hangs on the stuck "
        "task. The rule every executor program here follows, to leave before its tasks are done: end the running "
        "tasks, then leave. A task that waits on something the program can set (an `Event`) is told to stop, and "
        "the tasks not started are cancelled (`shutdown(wait=False, cancel_futures=True)`, 3.9+), so that the "
        "workers end by themselves (`pool_interrupt`, on Ctrl-C); a worker still running after a bounded wait, or "
        "running a task that cannot be told (a sleep, a blocked call), is terminated (`active_children()`; the "
        "seven other executor programs, on their timeout). An executor whose workers die stops waiting for their "
        "tasks (it fails them with `BrokenProcessPool`), so leaving the block then returns at once. "
        "`tests/test_stuck_tasks.py` finds every executor program and its tasks in the source, makes each task "
        "sleep a minute, and requires the program to exit 1 by itself within its own timeout, saying so, with no "
        "process left, under every start method. It ran 25 times on each of 3.8 to 3.13 (`pytest -n 4 "
        "tests/test_stuck_tasks.py`, programs as at df43eea, AMD EPYC VM with 2 cores, 2026-11-30): the last 10 "
        "two Pythons at once beside two CPU hogs, checked alive before and after each run; the first 15 after two "
        "hogs were started, not checked later. 3225 runs of a program: none hung or left a process; one (3.11) "
        "printed the exit handler's `OSError` below. What CPython gets wrong on this path: on 3.9 and 3.10, "
        "killing a worker while a task is half-written to it (arguments that fill the pipe; these take a few "
        "bytes) leaves the executor's thread writing for ever, and the program waiting at exit "
        "(python/cpython#94777; seen with 1 MiB arguments on 3.9.18 and 3.10.13, not on 3.8.18, 3.11.7, 3.12.1 or "
        "3.13.0); on 3.8 to 3.11.7 the executor's thread may die on a task that `map()` had cancelled, printing "
        "an `InvalidStateError` (#107219, fixed in 3.12); and on 3.9 to 3.13.0 an exit while that thread still "
        "closes its pipes can print an ignored `OSError` from the exit handler (fixed in 3.12.8 and 3.13.1 by "
        "#125451's lock). An earlier `pool_interrupt`, which on Ctrl-C cancelled its queued tasks and at once "
        "terminated its workers, hung at exit once in twelve runs under forkserver on 3.13.0 under load (a soak "
        "at 9e18b78), its executor's thread joining a queue's feeder thread or waiting for results; 308 runs of "
        "that version here (3.13.0, forkserver, under load) did not hang, and the cause was not found. Python "
        "3.14 adds `terminate_workers()`: `shutdown(wait=False, cancel_futures=True)`, then `terminate()` for "
        "each worker.",
    ),
    Pitfall(
        "Ctrl-C and a pool",
        "Python 2's `Pool.map()` does not see Ctrl-C until it ends: if the workers ignore SIGINT, the parent "
        "sees `KeyboardInterrupt` only after the map, and exits with it (status 1); if they do not, each worker "
        "dies with its task lost and `map()` hangs for good. Any wait with a timeout lets the interrupt in, "
        "`map_async(...).get(timeout)` here: Python 2's `Condition.wait(timeout)` polls in sleeps of at most "
        "50 ms, where a wait without one blocks in a lock acquire that a signal does not interrupt. On Python 3 "
        "(POSIX) a signal interrupts a lock acquire, with or without a timeout, so the interrupt gets in at once; but "
        "Ctrl-C inside `with ProcessPoolExecutor()` leaves through `shutdown(wait=True)`, which runs every "
        "queued task first. Leave as pitfall 7 says: cancel the queued tasks, tell the running ones to stop "
        "(an `Event` they wait on), wait for the workers, bounded, and terminate any left. Python 3.8 has no "
        "`cancel_futures`, and `shutdown(wait=False)` while tasks run closes a pipe that the executor's own "
        "thread still reads (`OSError: handle is closed`). The pair applies from 3.9.",
    ),
    Pitfall(
        "A done callback runs after the waiters wake",
        "`Future.set_result()` wakes `result()`, `wait()` and `as_completed()` before it runs the callbacks "
        "(`concurrent/futures/_base.py`), so `result()` can return before a callback has run; Python 2's "
        "`apply_async` ran the callback before `get()` returned. Count the callbacks if the program needs them "
        "done.",
    ),
    Pitfall(
        "`max_tasks_per_child` can hang",
        "When tasks are queued as a worker reaches its limit, no replacement starts and `map()` hangs "
        "(python/cpython#115634; seen here on 3.11.7, 3.12.1 and 3.13.0 under spawn and forkserver). Every 3.11 "
        "and 3.12 has the bug, and so does every 3.13 and 3.14 before the fix (#140900, which says it affects "
        "3.11 through 3.15.0b3) was backported to them in July 2026 (#152928, #152927). Submit one task at a "
        "time. It is also refused under fork, and without `mp_context=` it always uses spawn.",
    ),
    Pitfall(
        "`JoinableQueue.join()` takes no timeout",
        "Not even on 3.13. Bound it by calling it in a daemon thread and joining that thread with a timeout; a "
        "`task_done()` forgotten for a stop value hangs it for ever.",
    ),
    Pitfall(
        "A `Value`'s own lock does not make `+=` atomic",
        "Each read and each write of `.value` is locked separately, so an update can be lost on every Python: "
        "`with counter.get_lock(): counter.value += 1`.",
    ),
    Pitfall(
        "A manager proxy forwards only its own operations",
        '`shared["log"].append(x)` changes a copy in your process; fetch the value, change it, and store it back '
        "under its key. Leaving `with Manager()` shuts the manager down, and its proxies with it.",
    ),
    Pitfall(
        "`sys.exit()` with no argument in a child",
        "gives exit code 1 on 2.7 and 3.8, and 0 from 3.9 (bpo-35727): code that checks `exitcode == 0` changes "
        "its verdict with the Python version.",
    ),
    Pitfall(
        "What multiprocessing's log says depends on the start method",
        "Only `log_to_stderr()` and the level reach spawn and forkserver children; a handler you add yourself "
        "reaches forked children only. At INFO, forkserver adds `created temp directory /tmp/pymp-...`, and from "
        "3.13 a child logs `process exiting` before `process shutting down`.",
    ),
]

CLAIMS = [
    Claim(
        "`Process` 等同于 (is equivalent to) `java.lang.Thread`; `start()` starts it",
        "half: `start()` does start it, but a process shares no memory with its parent, as a thread does; "
        "what it is given is copied (fork) or pickled (spawn, forkserver)",
    ),
    Claim(
        '"instantiating a Process requires target and args"',
        "wrong: both are optional; a subclass overriding `run()` needs neither",
    ),
    Claim("you can subclass `Process` and override `run()`", "holds"),
    Claim(
        "`join()` blocks the caller until the process has finished",
        "holds, on Python 2 and 3; only a bounded `join(timeout)` differs on Python 3: under fork it can "
        "block until a grandchild exits too (pitfall 2)",
    ),
    Claim("`terminate()` sends SIGTERM on Unix", "holds: exit code -15 (Windows not checked)"),
    Claim(
        "exit handling does not run; the process's children become orphans",
        "holds: its `finally` never runs and its child lives on; under forkserver the child's own fork server, "
        "which forked it, is the orphan",
    ),
    Claim(
        "`put`/`get` take `blocked` and `timeout`",
        "wrong name: it is `block`; `put(x, blocked=False)` is a `TypeError`",
    ),
    Claim(
        "`put` with a timeout on a full queue waits, then raises `Queue.Full`; with `block=False` at once",
        "holds",
    ),
    Claim(
        "`get` with `block=False` returns a value if one is available, else raises `Queue.Empty`",
        'incomplete: an item just `put()` goes through a feeder thread and may not be "available" yet; the '
        "example waits with a timeout instead",
    ),
    Claim(
        "`Pipe()` returns two ends; with `duplex=False` the first only receives, the second only sends",
        "holds; the wrong direction raises `IOError` (`OSError` on Python 3)",
    ),
    Claim(
        "`recv()` blocks while there is no message, and raises `EOFError` once the pipe is closed",
        "incomplete: only once *every* sending end is closed, the receiving process's own copy included",
    ),
    Claim(
        "`Condition`, `Event`, `Lock`, `RLock`, `Semaphore` synchronise processes",
        "holds",
    ),
]


Lesson = TypeVar("Lesson", Pitfall, Claim)


def with_pairs(lessons: list[Lesson], key: str) -> list[Lesson]:
    """Each lesson with the pairs whose entry names its number under `key`."""
    return [
        dataclasses.replace(lesson, pairs=tuple(name for name in pair_names() if number in about(name).get(key, [])))
        for number, lesson in enumerate(lessons, 1)
    ]


PITFALLS = with_pairs(PITFALLS, "pitfalls")
CLAIMS = with_pairs(CLAIMS, "claims")


def pitfalls_of(name: str) -> list[tuple[int, Pitfall]]:
    """The pitfalls a pair shows, with their numbers."""
    return [(number, pitfall) for number, pitfall in enumerate(PITFALLS, 1) if name in pitfall.pairs]


def claims_of(name: str) -> list[tuple[int, Claim]]:
    """The article's claims a pair checks, with their numbers."""
    return [(number, claim) for number, claim in enumerate(CLAIMS, 1) if name in claim.pairs]
