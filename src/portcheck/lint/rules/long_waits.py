"""Opt-in rules on waits that are most often right as written: for a process or a task to end, and a
pool's blocking calls. Each runs only when selected by its full code (docs/lint.md says why)."""

from __future__ import annotations

from typing import Iterator

from portcheck.lint.apis import Kind
from portcheck.lint.inference import Inference
from portcheck.lint.rules.base import Flagged, Rule
from portcheck.lint.rules.readiness import shown
from portcheck.lint.rules.waits import unbounded_waits
from portcheck.lint.syntax import argument, has_unpacked_arguments, is_constant


class EndWaitWithoutTimeout(Rule):
    """Finds a wait for a process or a process pool's task to end with no timeout: `Process.join()`,
    a `ProcessPoolExecutor` future's `result()` and `exception()`, and `concurrent.futures.wait()`,
    `as_completed()` and `multiprocessing.connection.wait()` over them. Opt-in: run it with
    `--select MPC105`.

    Left alone: what MPC101 leaves alone (a future known to be done: from `as_completed()`, after
    `wait()`, after its executor's `with` block), and a `join()` after `terminate()` or `kill()`
    of the same process.
    """

    code = "MPC105"
    name = "end-wait-without-timeout"
    opt_in = True
    pair = "queue_offer"
    why = """\
MPC101's reason, a child that dies or never sends, does not hold for a wait for the child's end: a
process that dies has ended, and `join()` returns at once; a process pool whose worker dies raises
`BrokenProcessPool` from `result()`. Such a wait lasts for ever only when the child itself hangs,
and then the hang is the child's, which the wait passes on; waiting for work to finish without a
timeout is the usual way, and in code others wrote it is most of what a rule on every wait flags.
So it is off by default. Select it for a program that must report a stuck child instead of hanging
with it, as `queue_offer` does: `join(timeout)`, then check `exitcode` (None: still running), or
`result(timeout=...)` and handle `TimeoutError` (and terminate the workers: MPC104). A `Pool`'s
`AsyncResult.get()` stays MPC101's: a `Pool` replaces a dead worker and its task's result never
comes."""

    example = """\
from multiprocessing import Process


def work():
    print("working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
"""
    instead = """\
import sys
from multiprocessing import Process

TIMEOUT = 10


def work():
    print("working")


if __name__ == "__main__":
    p = Process(target=work, daemon=True)
    p.start()
    p.join(TIMEOUT)
    if p.exitcode != 0:
        sys.exit(f"work() ended with {p.exitcode} (None: still running after {TIMEOUT} s)")
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call, message, end in unbounded_waits(module):
            if end:
                yield call, message


# A pool's calls that block until every task is done and take no timeout, and what to call instead.
POOL_BLOCKING = {
    "map": "map_async(...).get(timeout)",
    "starmap": "starmap_async(...).get(timeout)",
    "apply": "apply_async(...).get(timeout)",
    "imap": "next(timeout) on what imap() returns",
    "imap_unordered": "next(timeout) on what imap_unordered() returns",
}


class PoolCallWithoutTimeout(Rule):
    """Finds a pool's `map()`, `starmap()`, `apply()`, `imap()` and `imap_unordered()`, and a process
    pool's `map()` without `timeout=`. Opt-in: run it with `--select MPC106`.

    Left alone: `executor.map(..., timeout=...)`, the `_async` forms (their `get()` is MPC101's),
    and a manager's pool proxies.
    """

    code = "MPC106"
    name = "pool-call-without-timeout"
    opt_in = True
    why = """\
These are the most common blocking calls in multiprocessing code, and none of them but
`executor.map()` takes a timeout: a task that hangs (a deadlock, a worker killed by the OOM
killer under `Pool`, which then waits for ever) hangs the caller with it. Most programs accept
that, so the rule is off by default. Select it for a service that must fail instead of hanging:
`map_async(...).get(timeout)` raises `multiprocessing.TimeoutError`, and `executor.map(...,
timeout=)` raises `TimeoutError` as the results are read. It comes from the code others wrote that
the lint was measured on, not from a pair."""
    example = """\
from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(square, range(4)))
"""
    instead = """\
from multiprocessing import Pool

TIMEOUT = 10


def square(n):
    return n * n


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map_async(square, range(4)).get(TIMEOUT))
"""

    def check(self, module: Inference) -> Iterator[Flagged]:
        for call, receiver, name, owner in module.method_calls(Kind.POOL, set(POOL_BLOCKING)):
            if not owner.proxied:
                yield call, f"{shown(receiver, owner.kind, name)} takes no timeout: {POOL_BLOCKING[name]}"
        for call, receiver, name, owner in module.method_calls(Kind.EXECUTOR, {"map"}):
            timeout = argument(call, None, "timeout")
            if not has_unpacked_arguments(call) and (timeout is None or is_constant(timeout, None)):
                yield call, f"{shown(receiver, owner.kind, name)} without timeout= can wait for ever: pass timeout="
