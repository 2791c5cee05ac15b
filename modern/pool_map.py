"""map over a pool of worker processes: every item in chunks, and the results keep their order.

Python 3: ProcessPoolExecutor.map() takes the same chunksize, but returns an iterator: results
come in the order of the items as they are iterated, and an exception raised in a worker is
raised again when its result is reached. timeout= bounds the whole map. Leaving the `with`
block shuts the executor down and joins its workers, as close() and join() did; that join has no
timeout, so on a timeout the workers are terminated first (README, pitfall 7).
"""

from __future__ import annotations

import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import active_children

TIMEOUT = 10  # seconds


def square(n: int) -> int:
    if n < 0:
        raise ValueError(f"negative: {n}")
    time.sleep(0.01 * (10 - n))
    return n * n


def main() -> None:
    with ProcessPoolExecutor(max_workers=4) as executor:
        try:
            print(f"squares: {list(executor.map(square, range(10), timeout=TIMEOUT, chunksize=3))}")
            try:
                list(executor.map(square, [1, -2, 3], timeout=TIMEOUT))
            except ValueError as exc:
                print(f"map raised ValueError: {exc}")
        except futures.TimeoutError:
            for worker in active_children():
                worker.terminate()
            sys.exit(f"the squares were not all back within {TIMEOUT} s")


if __name__ == "__main__":
    main()
