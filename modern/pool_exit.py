"""Leaving a pool: `with Pool()` terminates, discarding unfinished work; `with ProcessPoolExecutor()` waits.

Python 3: `with Pool() as pool:` calls terminate() on leaving, not close() and join(): what is
still running or queued is lost, as after Python 2's terminate(). Pool has no join(timeout), and
terminate() itself joins the workers it kills. `with ProcessPoolExecutor()` calls shutdown(wait=True)
on leaving, which waits for every task submitted, as close() and join() did. That wait has no
timeout, so the block first waits with one (futures.wait), and terminates the workers if it runs out
(README, pitfall 7).
"""

from __future__ import annotations

import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool, active_children

TIMEOUT = 10  # seconds
QUICK, LONG = 0.0, 5.0


def work(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def main() -> None:
    with Pool(processes=2) as pool:
        results = [pool.apply_async(work, (seconds,)) for seconds in (QUICK, QUICK, LONG, LONG)]
        for result in results[:2]:
            result.wait(TIMEOUT)
    finished = sum(result.ready() for result in results)
    print(f"terminate: {finished} of {len(results)} tasks finished, {len(results) - finished} discarded")
    print(f"workers alive: {len(active_children())}")

    with ProcessPoolExecutor(max_workers=2) as executor:
        tasks = [executor.submit(work, 0.1) for _ in range(4)]
        _, not_done = futures.wait(tasks, timeout=TIMEOUT)
        if not_done:
            for worker in active_children():
                worker.terminate()
            sys.exit(f"the tasks did not finish within {TIMEOUT} s")
    finished = sum(task.done() for task in tasks)
    print(f"close and join: {finished} of {len(tasks)} tasks finished, {len(tasks) - finished} discarded")
    print(f"workers alive: {len(active_children())}")


if __name__ == "__main__":
    main()
