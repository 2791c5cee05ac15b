"""max_tasks_per_child: an executor's worker exits after that many tasks, and a fresh one replaces it.

Python 3.11+: ProcessPoolExecutor(max_tasks_per_child=2) does what Pool(maxtasksperchild=2) did
(Pool still takes maxtasksperchild). It refuses the fork start method (ValueError), and without
mp_context= it picks spawn whatever the program's start method is; mp_context=get_context() keeps
the start method chosen for the program, so this twin runs only under spawn and forkserver.
The tasks are submitted one at a time: a worker that exits at its limit while more tasks are
queued is not replaced (python/cpython#115634), so map() over six tasks hangs after the second.
Every 3.11 and 3.12 has that bug, and so does every 3.13 and 3.14 before the fix (#140900) was
backported to them in July 2026. Neither cancelling nor terminating unsticks it: the tasks already
handed out count as running, no worker is left to run them, and leaving the `with` block waits for
them for ever. Here, on a timeout the workers are terminated before the block is left (README, pitfall 7).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor

TIMEOUT = 10  # seconds

tasks_run = 0  # by this worker process


def whoami(n: int) -> tuple[int, int, int]:
    global tasks_run
    tasks_run += 1
    return n, os.getpid(), tasks_run


def main() -> None:
    with ProcessPoolExecutor(
        max_workers=1, max_tasks_per_child=2, mp_context=multiprocessing.get_context()
    ) as executor:
        try:  # one task at a time, not map(): see the docstring
            ran = [executor.submit(whoami, n).result(timeout=TIMEOUT) for n in range(6)]
        except futures.TimeoutError:
            for worker in multiprocessing.active_children():
                worker.terminate()
            sys.exit(f"a task did not finish within {TIMEOUT} s")
    for n, pid, count in ran:
        print(f"task {n} ran in pid {pid}, its task number {count}")
    print(f"{len(ran)} tasks, {len({pid for _, pid, _ in ran})} worker processes")
    print(f"workers alive: {len(multiprocessing.active_children())}")


if __name__ == "__main__":
    main()
