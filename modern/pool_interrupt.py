"""Ctrl-C while an executor works: the wait is interrupted, pending tasks are cancelled, workers end.

Python 3: a wait with a timeout can be interrupted, so KeyboardInterrupt reaches the parent at once.
Ctrl-C still goes to the whole process group, so the workers ignore SIGINT (initializer=):
otherwise each raises KeyboardInterrupt in its task, or while it waits for one, which breaks the
pool. shutdown(wait=False, cancel_futures=True) (3.9+) cancels the tasks not yet handed to a
worker (the executor hands max_workers + 1 ahead); no shutdown() stops a running task, so the
workers are then terminated (Python 3.14 adds terminate_workers()). The program exits with 130.
Python 3.8: shutdown() has no cancel_futures (a TypeError); its shutdown(wait=False) closes a pipe
that its own thread still reads ("OSError: handle is closed" on stderr), and futures cancelled by
hand make that thread fail (InvalidStateError) once the workers die. There the twin terminates
the workers first: the executor then fails every task not done with BrokenProcessPool, and
shutdown() has nothing left to wait for.
The parent waits in result(timeout=), one task at a time: futures.wait() and as_completed() first
take every future's lock, one by one, in Python code, and a KeyboardInterrupt between two of those
acquires leaves the locks held, so the executor's thread blocks when it sets a result.
"""

from __future__ import annotations

import signal
import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Queue, Value, active_children, queues, sharedctypes

TIMEOUT = 10  # seconds
TASKS = 12
WORKERS = 2

started: queues.Queue[int]  # each worker's, set by init_worker() as the worker starts
finished: sharedctypes.Synchronized


def init_worker(started_queue: queues.Queue[int], finished_count: sharedctypes.Synchronized) -> None:
    global started, finished
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started, finished = started_queue, finished_count


def work(n: int) -> int:
    started.put(n)
    if n >= WORKERS:
        time.sleep(60)
    with finished.get_lock():
        finished.value += 1
    return n


def stop(executor: ProcessPoolExecutor) -> None:
    """Cancel the tasks no worker has taken yet, and terminate the workers, which ends the others."""
    if sys.version_info >= (3, 9):
        executor.shutdown(wait=False, cancel_futures=True)
        terminate_workers()
    else:  # see the docstring: the workers dying is what discards every task not done
        terminate_workers()
        executor.shutdown()  # its thread has seen the workers die and fails the rest: no task to wait for


def terminate_workers() -> None:
    for worker in active_children():
        worker.terminate()
        worker.join(TIMEOUT)


def main() -> None:
    started_queue: queues.Queue[int] = Queue()
    finished_count = Value("i", 0)
    # Not `with`: leaving it on KeyboardInterrupt would call shutdown(wait=True) and wait for every task.
    executor = ProcessPoolExecutor(
        max_workers=WORKERS, initializer=init_worker, initargs=(started_queue, finished_count)
    )
    tasks = [executor.submit(work, n) for n in range(TASKS)]
    try:
        for _ in range(2 * WORKERS):
            started_queue.get(timeout=TIMEOUT)
        print(f"work under way: {2 * WORKERS} of {TASKS} tasks started", flush=True)
        for task in tasks:  # result(), not futures.wait(): see the docstring
            task.result(timeout=TIMEOUT)
    except KeyboardInterrupt:
        print("KeyboardInterrupt in the parent only: the workers ignore SIGINT")
        stop(executor)
        print(f"pool terminated: {finished_count.value} of {TASKS} tasks finished, the rest discarded")
        print(f"workers alive: {len(active_children())}")
        sys.exit(130)
    except futures.TimeoutError:
        stop(executor)
        sys.exit(f"no Ctrl-C within {TIMEOUT} s")
    executor.shutdown()


if __name__ == "__main__":
    main()
