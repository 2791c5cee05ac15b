"""Semaphore: of four workers started together, at most two are inside the semaphore at once.

Python 3: four tasks on a ProcessPoolExecutor of four workers. The semaphore, the shared counters
and the event reach the workers through initializer=, since none of them can be pickled into a
task. `with semaphore:` releases on every path, and every wait is bounded: leaving the `with`
block waits without limit for running tasks, so on a timeout the workers are terminated first
(README, pitfall 7).
"""

from __future__ import annotations

import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Event, Semaphore, Value, active_children, synchronize
from multiprocessing.sharedctypes import Synchronized

TIMEOUT = 10  # seconds

# each process's own handles, set by share(): in the parent first, then in each worker as it starts
semaphore: synchronize.Semaphore
inside: Synchronized[int]
peak: Synchronized[int]
go: synchronize.Event


def share(
    shared_semaphore: synchronize.Semaphore,
    shared_inside: Synchronized[int],
    shared_peak: Synchronized[int],
    shared_go: synchronize.Event,
) -> None:
    global semaphore, inside, peak, go
    semaphore, inside, peak, go = shared_semaphore, shared_inside, shared_peak, shared_go


def work() -> None:
    with semaphore:
        with inside.get_lock():
            inside.value += 1
            peak.value = max(peak.value, inside.value)
        go.wait(TIMEOUT)
        with inside.get_lock():
            inside.value -= 1


def main() -> None:
    share(Semaphore(2), Value("i", 0), Value("i", 0), Event())
    shared = (semaphore, inside, peak, go)
    with ProcessPoolExecutor(max_workers=4, initializer=share, initargs=shared) as executor:
        workers = [executor.submit(work) for _ in range(4)]
        deadline = time.monotonic() + TIMEOUT
        while inside.value < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        print(f"{inside.value} of {len(workers)} workers inside after 0.3 s, the rest wait")
        go.set()
        try:
            for finished in futures.as_completed(workers, timeout=TIMEOUT):
                finished.result(timeout=0)  # finished already: re-raises what the worker raised
        except futures.TimeoutError:
            for worker in active_children():
                worker.terminate()
            sys.exit(f"a worker did not finish within {TIMEOUT} s")
    print(f"all {len(workers)} workers done; at most {peak.value} were inside at once")


if __name__ == "__main__":
    main()
