"""Ctrl-C while a Pool works: map_async().get(timeout) lets the interrupt in; terminate() ends the work.

Article: not covered (the article stops at the synchronisation primitives); this example is new,
    not from the article.
Why: Python 2's Pool.map() cannot be interrupted. It waits in get() without a timeout, on a
    Condition whose lock Python 2 acquires without ever running signal handlers, so Ctrl-C is
    seen only once the map has ended, and the program then exits with the KeyboardInterrupt.
    Worse, Ctrl-C goes to the whole process group, workers included: each dies in its task with a
    KeyboardInterrupt traceback, the pool starts new workers, the interrupted tasks are lost, and
    map() waits for them forever. The workaround shown: workers ignore SIGINT (initializer=), so
    only the parent sees it, and the parent waits with a timeout, map_async(...).get(timeout):
    any wait with a timeout, however long, sleeps in steps of at most 50 ms, and the
    KeyboardInterrupt gets through. The parent then terminate()s the pool, discarding what was
    not finished, and exits with 130 (128 + SIGINT).
The two first tasks are quick and the others long; the parent says work is under way once four
    tasks have started, that is when both workers are in long tasks and the two quick ones are done.
"""
from multiprocessing import Pool, Queue, Value, active_children
import multiprocessing
import signal
import sys
import time

TASKS = 12
WORKERS = 2


def init_worker(started_queue, finished_count):
    global started, finished
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started, finished = started_queue, finished_count


def work(n):
    started.put(n)
    if n >= WORKERS:
        time.sleep(60)
    with finished.get_lock():
        finished.value += 1
    return n


if __name__ == "__main__":
    started_queue = Queue()
    finished_count = Value('i', 0)
    pool = Pool(WORKERS, initializer=init_worker, initargs=(started_queue, finished_count))
    result = pool.map_async(work, range(TASKS), chunksize=1)
    try:
        for _ in range(2 * WORKERS):
            started_queue.get(timeout=10)
        print "work under way: %d of %d tasks started" % (2 * WORKERS, TASKS)
        sys.stdout.flush()
        result.get(10)
    except KeyboardInterrupt:
        print "KeyboardInterrupt in the parent only: the workers ignore SIGINT"
        pool.terminate()
        pool.join()
        print "pool terminated: %d of %d tasks finished, the rest discarded" % (finished_count.value, TASKS)
        print "workers alive: %d" % len(active_children())
        sys.exit(130)
    except multiprocessing.TimeoutError:
        pool.terminate()
        sys.exit("no Ctrl-C within 10 s")
    pool.close()
    pool.join()
