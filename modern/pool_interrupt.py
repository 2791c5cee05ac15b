"""Ctrl-C while an executor works: the wait is interrupted, pending tasks are cancelled, workers end.

Python 3: on POSIX a signal interrupts a lock's acquire(), with or without a timeout (3.2+), so
KeyboardInterrupt reaches the parent at once; each wait has a timeout so that a lost task fails
the program instead of hanging it. Ctrl-C still goes to the whole process group, so the workers
ignore SIGINT (initializer=): otherwise an interrupt during a task becomes that task's exception
and its worker goes on with the next task, but one that arrives while a worker waits for a task
ends that worker, which breaks the pool. The program leaves the executor by the README's rule
(pitfall 7): shutdown(wait=False, cancel_futures=True) (3.9+) cancels the tasks not yet handed to
a worker, the running tasks are told to stop (an Event they wait on), and the workers, given no
more work, end by themselves: waited for, bounded, and terminated if they have not. It exits 130.
Python 3.8 has no cancel_futures, and its shutdown(wait=False) closes a pipe that the executor's
own thread still reads, so this program needs 3.9 and says so at once: on 3.8 the TypeError would
leave it waiting at exit for the executor.
The parent waits in result(timeout=), one task at a time: futures.wait() and as_completed() first
take every future's lock, one by one, in Python code, and a KeyboardInterrupt between two of those
acquires leaves the locks held, so the executor's thread blocks when it sets a result.
"""

from __future__ import annotations

import queue
import signal
import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Event, Queue, Value, active_children, queues, sharedctypes, synchronize

TIMEOUT = 10  # seconds
TASKS = 12
WORKERS = 2

started: queues.Queue[int]  # each worker's, set by init_worker() as the worker starts
finished: sharedctypes.Synchronized
stopping: synchronize.Event


def init_worker(
    started_queue: queues.Queue[int], finished_count: sharedctypes.Synchronized, stop_event: synchronize.Event
) -> None:
    global started, finished, stopping
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started, finished, stopping = started_queue, finished_count, stop_event


def work(n: int) -> int:
    started.put(n)
    if n >= WORKERS and stopping.wait(60):
        return n  # told to stop: not finished
    with finished.get_lock():
        finished.value += 1
    return n


def stop(executor: ProcessPoolExecutor, stop_event: synchronize.Event) -> None:
    """Cancel the tasks no worker has taken yet, tell the running ones to stop, and wait for the workers."""
    stop_event.set()
    executor.shutdown(wait=False, cancel_futures=True)  # Python 3.9+
    deadline = time.monotonic() + TIMEOUT
    while active_children() and time.monotonic() < deadline:  # asked again each time: it reaps the ended
        time.sleep(0.05)
    for worker in active_children():  # its task did not stop when told
        worker.terminate()
        worker.join(TIMEOUT)


def main() -> None:
    if sys.version_info < (3, 9):
        sys.exit("needs Python 3.9 or later: shutdown(cancel_futures=True) is its way out on Ctrl-C")
    started_queue: queues.Queue[int] = Queue()
    finished_count = Value("i", 0)
    stop_event = Event()
    # Not `with`: leaving it on KeyboardInterrupt would call shutdown(wait=True) and wait for every task.
    executor = ProcessPoolExecutor(
        max_workers=WORKERS, initializer=init_worker, initargs=(started_queue, finished_count, stop_event)
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
        stop(executor, stop_event)
        print(f"pool terminated: {finished_count.value} of {TASKS} tasks finished, the rest discarded")
        print(f"workers alive: {len(active_children())}")
        sys.exit(130)
    except (queue.Empty, futures.TimeoutError):
        stop(executor, stop_event)
        sys.exit(f"no work under way, or no Ctrl-C, within {TIMEOUT} s")
    executor.shutdown()


if __name__ == "__main__":
    main()
