"""Leaving a Pool: terminate() discards the unfinished work; close() and join() wait for it.

Article: not covered (the article stops at the synchronisation primitives); this example is new,
    not from the article.
What it shows: two ways to be done with a pool. terminate() kills the workers at once: tasks
    still running or still queued are lost, and their results never become ready. close() lets
    no new task in, and join() waits until the workers have run every queued task and exited.
    Python 2.7's Pool has no `with`; Python 3's `with Pool()` calls terminate() on leaving, not
    close(), so code ported to it loses the work it used to wait for.
Here two tasks are quick and two sleep 5 s: terminate() comes once the quick ones are done.
"""
from multiprocessing import Pool, active_children
import time

QUICK, LONG = 0.0, 5.0


def work(seconds):
    time.sleep(seconds)
    return seconds


if __name__ == "__main__":
    pool = Pool(processes=2)
    results = [pool.apply_async(work, (seconds,)) for seconds in (QUICK, QUICK, LONG, LONG)]
    for result in results[:2]:
        result.wait()
    pool.terminate()
    pool.join()
    finished = sum(result.ready() for result in results)
    print "terminate: %d of %d tasks finished, %d discarded" % (finished, len(results), len(results) - finished)
    print "workers alive: %d" % len(active_children())

    pool = Pool(processes=2)
    results = [pool.apply_async(work, (0.1,)) for _ in range(4)]
    pool.close()
    pool.join()
    finished = sum(result.ready() for result in results)
    print "close and join: %d of %d tasks finished, %d discarded" % (finished, len(results), len(results) - finished)
    print "workers alive: %d" % len(active_children())
