"""What the pairs teach beyond their own rows: the pitfalls they found and the article's claims they check.

The README and the site are both made from this (and from portcheck/pairs.py), so nothing is
written twice. Text is Markdown; `pairs` name the pairs that show a pitfall or check a claim.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pitfall:
    title: str
    text: str
    pairs: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    claim: str  # as the article says it
    pairs: tuple[str, ...]  # checked by
    verdict: str


PITFALLS = [
    Pitfall(
        "forkserver and `os.getppid()`",
        "Under forkserver a child's `os.getppid()` is the fork server, not your program. "
        "`multiprocessing.parent_process()` (3.8+) is right under all three start methods. The checker's "
        "mutant test swaps it back and must fail.",
        ("process_sleeper",),
    ),
    Pitfall(
        "A bounded `join(timeout)` after `terminate()` waits for the grandchild (fork)",
        "Python 3's `join(timeout)` waits for the child's sentinel pipe to close; a grandchild forked by the "
        "child inherits its end, so `join(10)` on a child killed by SIGTERM returns only when the grandchild "
        "exits or the 10 s run out. Python 2's `join(timeout)` polled `waitpid()`. Grandchildren under spawn "
        "and forkserver don't inherit the pipe. `modern/process_terminate.py` polls `exitcode` instead: a "
        "`waitpid()` under fork and spawn, and under forkserver a read of the exit status the fork server "
        "sends over its socket. Seen on 3.8 and 3.13: `join()` 0.00 s, `join(10)` 2.50 s against a grandchild "
        "that lives 3 s.",
        ("process_terminate",),
    ),
    Pitfall(
        "Locks and queues do not pickle into executor tasks",
        '"Lock objects should only be shared between processes through inheritance": pass them once per '
        "worker with `initializer=`, or use a `Manager`.",
        ("lock_print", "semaphore_limit"),
    ),
    Pitfall(
        "stdout is block-buffered when it is not a terminal",
        "A child's `print` under a lock reaches a pipe or file when the child flushes or exits, after the "
        "release, so the lock serialises nothing. Flush inside the lock. The tests give each program a "
        "pseudo-terminal for stdout, so lines arrive in the order they were printed, as they do for a reader.",
        ("lock_print",),
    ),
    Pitfall(
        "A pipe's EOF needs every sending end closed",
        "The parent's copy of the child's end counts: close it after `start()`, or `recv()` after the last "
        "message hangs.",
        ("pipe_eof", "pipe_send", "pipe_duplex"),
    ),
    Pitfall(
        "Helper processes outlive your program briefly",
        "Under spawn and forkserver, the resource tracker and the fork server hold your stdout and exit just "
        "after your program does; a harness that checks for leftovers at once sees them still alive (found by "
        "the matrix on 3.11 and 3.12).",
        (),
    ),
    Pitfall(
        "Leaving a pool or an executor",
        "`with multiprocessing.Pool()` calls `terminate()` on exit, discarding unfinished work. "
        "`with ProcessPoolExecutor()` calls `shutdown(wait=True)`, which waits for running tasks *without a "
        "timeout*: a `result(timeout=)` that times out inside the block raises, and then leaving the block "
        "hangs on the stuck task. The executor programs terminate their workers before they leave; "
        "`tests/test_stuck_tasks.py` gives each a task that never ends and requires the program to exit 1 "
        "within its own timeout. Python 3.14 adds `terminate_workers()`.",
        ("process_sleeper", "lock_print", "semaphore_limit", "pool_exit"),
    ),
    Pitfall(
        "Ctrl-C and a pool",
        "Python 2's `Pool.map()` does not see Ctrl-C until it ends: if the workers ignore SIGINT, the parent "
        "sees `KeyboardInterrupt` only after the map (and then hangs at exit); if they do not, each worker dies "
        "with its task lost and `map()` hangs for good. Only a bounded wait, `map_async(...).get(timeout)`, lets "
        "the interrupt in. On Python 3, Ctrl-C inside `with ProcessPoolExecutor()` leaves through "
        "`shutdown(wait=True)`, which runs every queued task first: cancel them (`cancel_futures=True`, 3.9+) and "
        "tell the running ones to stop (an `Event` they wait on); the workers then end by themselves. Do not "
        "`terminate()` them: that breaks the executor behind its back, and its manager thread can then leave the "
        "program waiting at exit for ever (seen about one run in twelve under forkserver on 3.13, under load; "
        "3.14 adds `terminate_workers()`). Python 3.8 has no clean way out: no `cancel_futures`, and "
        "`shutdown(wait=False)` while tasks run closes a pipe that the executor's own thread still reads "
        "(`OSError: handle is closed`). The pair applies from 3.9.",
        ("pool_interrupt",),
    ),
    Pitfall(
        "A done callback runs after the waiters wake",
        "`Future.set_result()` wakes `result()`, `wait()` and `as_completed()` before it runs the callbacks "
        "(`concurrent/futures/_base.py`), so `result()` can return before a callback has run; Python 2's "
        "`apply_async` ran the callback before `get()` returned. Count the callbacks if the program needs them "
        "done.",
        ("pool_callbacks",),
    ),
    Pitfall(
        "`max_tasks_per_child` can hang on 3.11 to 3.13.0",
        "When tasks are queued as a worker reaches its limit, no replacement starts and `map()` hangs "
        "(python/cpython#115634; seen here on 3.11, 3.12 and 3.13.0 under spawn and forkserver). Submit one task at "
        "a time. It is also refused under fork, and without `mp_context=` it always uses spawn.",
        ("pool_maxtasks",),
    ),
    Pitfall(
        "`JoinableQueue.join()` takes no timeout",
        "Not even on 3.13. Bound it by calling it in a daemon thread and joining that thread with a timeout; a "
        "`task_done()` forgotten for a stop value hangs it for ever.",
        ("joinable_queue",),
    ),
    Pitfall(
        "A `Value`'s own lock does not make `+=` atomic",
        "Each read and each write of `.value` is locked separately, so an update can be lost on every Python: "
        "`with counter.get_lock(): counter.value += 1`.",
        ("shared_counter",),
    ),
    Pitfall(
        "A manager proxy forwards only its own operations",
        '`shared["log"].append(x)` changes a copy in your process; fetch the value, change it, and store it back '
        "under its key. Leaving `with Manager()` shuts the manager down, and its proxies with it.",
        ("manager_dict",),
    ),
    Pitfall(
        "`sys.exit()` with no argument in a child",
        "gives exit code 1 on 2.7 and 3.8, and 0 from 3.9 (bpo-35727): code that checks `exitcode == 0` changes "
        "its verdict with the Python version.",
        ("process_exit",),
    ),
    Pitfall(
        "What multiprocessing's log says depends on the start method",
        "Only `log_to_stderr()` and the level reach spawn and forkserver children; a handler you add yourself "
        "reaches forked children only. At INFO, forkserver adds `created temp directory /tmp/pymp-...`, and from "
        "3.13 a child logs `process exiting` before `process shutting down`.",
        ("mp_logging",),
    ),
]

CLAIMS = [
    Claim(
        "`Process` 等同于 (is equivalent to) `java.lang.Thread`; `start()` starts it",
        ("process_sleeper",),
        "half: `start()` does start it, but a process shares no memory with its parent, as a thread does; "
        "what it is given is copied (fork) or pickled (spawn, forkserver)",
    ),
    Claim(
        '"instantiating a Process requires target and args"',
        ("process_subclass",),
        "wrong: both are optional; a subclass overriding `run()` needs neither",
    ),
    Claim("you can subclass `Process` and override `run()`", ("process_subclass",), "holds"),
    Claim(
        "`join()` blocks the caller until the process has finished",
        ("process_subclass", "process_terminate"),
        "holds, on Python 2 and 3; only a bounded `join(timeout)` differs on Python 3: under fork it can "
        "block until a grandchild exits too (pitfall 2)",
    ),
    Claim("`terminate()` sends SIGTERM on Unix", ("process_terminate",), "holds: exit code -15 (Windows not checked)"),
    Claim(
        "exit handling does not run; the process's children become orphans",
        ("process_terminate",),
        "holds: its `finally` never runs and its child lives on; under forkserver the child's own fork server, "
        "which forked it, is the orphan",
    ),
    Claim(
        "`put`/`get` take `blocked` and `timeout`",
        ("queue_full_empty",),
        "wrong name: it is `block`; `put(x, blocked=False)` is a `TypeError`",
    ),
    Claim(
        "`put` with a timeout on a full queue waits, then raises `Queue.Full`; with `block=False` at once",
        ("queue_full_empty",),
        "holds",
    ),
    Claim(
        "`get` with `block=False` returns a value if one is available, else raises `Queue.Empty`",
        ("queue_full_empty",),
        'incomplete: an item just `put()` goes through a feeder thread and may not be "available" yet; the '
        "example waits with a timeout instead",
    ),
    Claim(
        "`Pipe()` returns two ends; with `duplex=False` the first only receives, the second only sends",
        ("pipe_send", "pipe_one_way"),
        "holds; the wrong direction raises `IOError` (`OSError` on Python 3)",
    ),
    Claim(
        "`recv()` blocks while there is no message, and raises `EOFError` once the pipe is closed",
        ("pipe_eof",),
        "incomplete: only once *every* sending end is closed, the receiving process's own copy included",
    ),
    Claim(
        "`Condition`, `Event`, `Lock`, `RLock`, `Semaphore` synchronise processes",
        ("condition_notify", "event_wait", "lock_print", "rlock_reentry", "semaphore_limit"),
        "holds",
    ),
]


def pitfalls_of(name: str) -> list[tuple[int, Pitfall]]:
    """The pitfalls a pair shows, with their numbers."""
    return [(number, pitfall) for number, pitfall in enumerate(PITFALLS, 1) if name in pitfall.pairs]


def claims_of(name: str) -> list[tuple[int, Claim]]:
    """The article's claims a pair checks, with their numbers."""
    return [(number, claim) for number, claim in enumerate(CLAIMS, 1) if name in claim.pairs]
