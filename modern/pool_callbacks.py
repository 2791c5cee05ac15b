"""submit() with a done callback, and as_completed(): results handled in the order tasks finish.

Python 3: submit() returns a Future; add_done_callback() runs the callback in the parent, in the
executor's own thread (or at once, in the caller, if the task is already done). A Future runs
its callbacks after it has woken whoever waits on it, so result() can return before the callback
has run: the callbacks count themselves on a Semaphore, and the parent waits for that too.
as_completed() yields the futures as their tasks finish, as imap_unordered() did. Leaving the
`with` block joins the workers without limit, so on a timeout they are terminated first (README,
pitfall 7).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent import futures
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import active_children

TIMEOUT = 10  # seconds
TASKS = 5

callbacks_done = threading.Semaphore(0)


def square(n: int) -> int:
    time.sleep(0.05 * (4 - n))
    return n * n


def collect(future: Future[int]) -> None:
    if future.exception(timeout=0) is None:  # as Python 2's callback=, only for a task that succeeded
        print(f"callback got {future.result(timeout=0)} in pid {os.getpid()}", flush=True)
    callbacks_done.release()


def main() -> None:
    with ProcessPoolExecutor(max_workers=3) as executor:
        try:
            results = [executor.submit(square, n) for n in range(TASKS)]
            for result in results:
                result.add_done_callback(collect)
            squares = [result.result(timeout=TIMEOUT) for result in results]
            for _ in results:
                if not callbacks_done.acquire(timeout=TIMEOUT):
                    raise futures.TimeoutError
            print(f"all callbacks ran: sum of squares {sum(squares)}", flush=True)
            total = 0
            for done in futures.as_completed([executor.submit(square, n) for n in range(TASKS)], timeout=TIMEOUT):
                print(f"unordered result {done.result(timeout=0)}")
                total += done.result(timeout=0)
            print(f"unordered results: sum of squares {total}")
        except futures.TimeoutError:
            for worker in active_children():
                worker.terminate()
            sys.exit(f"the squares were not all back within {TIMEOUT} s")


if __name__ == "__main__":
    main()
