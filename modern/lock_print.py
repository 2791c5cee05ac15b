"""Lock: twenty tasks print one line each, one at a time, holding a shared Lock.

Python 3: twenty short tasks are a pool's work, so a ProcessPoolExecutor runs them on four
worker processes. A multiprocessing Lock cannot be pickled into a task ("Lock objects should only
be shared between processes through inheritance"); it reaches each worker once, as it starts,
through initializer=, which works under every start method. `with lock:` releases the lock even
if print() raises, and flush=True writes the line while the lock is still held. Leaving the
`with` block waits without limit for running tasks, so on a timeout the workers are terminated first
(README, pitfall 7).
"""

from __future__ import annotations

import sys
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Lock, active_children, synchronize

TIMEOUT = 10  # seconds

lock: synchronize.Lock  # each worker's, set by share_lock() as the worker starts


def share_lock(shared: synchronize.Lock) -> None:
    global lock
    lock = shared


def l(num: int) -> None:
    with lock:
        print(f"Hello Num: {num}", flush=True)


def main() -> None:
    with ProcessPoolExecutor(max_workers=4, initializer=share_lock, initargs=(Lock(),)) as executor:
        try:
            list(executor.map(l, range(20), timeout=TIMEOUT))
        except futures.TimeoutError:
            for worker in active_children():
                worker.terminate()
            sys.exit(f"the twenty tasks did not finish within {TIMEOUT} s")


if __name__ == "__main__":
    main()
