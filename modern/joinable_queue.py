"""JoinableQueue: consumers call task_done() for every item, and join() returns once all are done.

Python 3: JoinableQueue.join() still takes no timeout, and the queue's condition and unfinished-task
count are private. The bounded idiom is to call join() in a daemonic helper thread and join that
thread with a timeout: if it is still alive afterwards, a task_done() is missing (or a consumer died),
and the program says so and exits instead of hanging; the daemonic thread does not keep it alive.
Every get() is bounded, the consumers are daemonic and their exit codes checked.
"""

from __future__ import annotations

import queue
import sys
import threading
from multiprocessing import JoinableQueue, Process, Queue, queues

TIMEOUT = 10  # seconds


def consume(tasks: queues.JoinableQueue[int | None], results: queues.Queue[str]) -> None:
    while True:
        try:
            item = tasks.get(timeout=TIMEOUT)
        except queue.Empty:
            sys.exit(f"no task within {TIMEOUT} s")
        if item is None:
            tasks.task_done()
            results.put("stop value taken")
            break
        results.put(f"{item} squared is {item * item}")
        tasks.task_done()


def join_tasks(tasks: queues.JoinableQueue[int | None], timeout: float) -> bool:
    """tasks.join(), bounded: True if every task was done within `timeout` seconds."""
    joiner = threading.Thread(target=tasks.join, daemon=True)
    joiner.start()
    joiner.join(timeout)
    return not joiner.is_alive()


def main() -> None:
    tasks: queues.JoinableQueue[int | None] = JoinableQueue()
    results: queues.Queue[str] = Queue()
    consumers = [Process(target=consume, args=(tasks, results), daemon=True) for _ in range(2)]
    for c in consumers:
        c.start()
    for item in range(1, 7):
        tasks.put(item)
    for _ in consumers:
        tasks.put(None)
    if not join_tasks(tasks, TIMEOUT):
        sys.exit(f"tasks not all done within {TIMEOUT} s; consumer exit codes: {[c.exitcode for c in consumers]}")
    print("join() returned: task_done() was called for all 6 items and 2 stop values")
    for line in sorted(results.get(timeout=TIMEOUT) for _ in range(8)):
        print(line)
    for c in consumers:
        c.join(TIMEOUT)
    print(f"consumer exit codes: {[c.exitcode for c in consumers]}")
    if any(c.exitcode != 0 for c in consumers):
        sys.exit(1)  # the line above already names the exit codes


if __name__ == "__main__":
    main()
