"""Pool.apply_async with a callback, and imap_unordered: results handled in the order tasks finish.

Article: not covered (the article stops at the synchronisation primitives); this example is new,
    not from the article.
What it shows: apply_async() returns at once; when its task finishes, the callback runs in the
    parent (in the pool's result-handler thread, so the pid it prints is the parent's), before
    get() or wait() on that result returns. imap_unordered() yields each result as soon as its
    task finishes. The later tasks sleep less, so they tend to finish first; the order is left
    to the workers, so the tests declare these lines concurrent.
"""
from multiprocessing import Pool
import os
import time


def square(n):
    time.sleep(0.05 * (4 - n))
    return n * n


def collect(result):
    print "callback got %d in pid %d" % (result, os.getpid())


if __name__ == "__main__":
    pool = Pool(processes=3)
    results = [pool.apply_async(square, (n,), callback=collect) for n in range(5)]
    for result in results:
        result.wait()
    print "all callbacks ran: sum of squares %d" % sum(result.get() for result in results)
    total = 0
    for square_of_n in pool.imap_unordered(square, range(5)):
        print "unordered result %d" % square_of_n
        total += square_of_n
    print "unordered results: sum of squares %d" % total
    pool.close()
    pool.join()
