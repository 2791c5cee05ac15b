"""Pool.map: four worker processes apply a function to every item, and the results keep their order.

Article: not covered (the article stops at the synchronisation primitives); this example is new,
    not from the article.
What it shows: map() hands the items to the workers in chunks of chunksize, blocks until every
    chunk is back, and returns the results in the order of the items, not of completion: here
    the later items finish first. An exception raised in a worker is raised again by map() in
    the parent. close() lets the workers exit once the work is done; join() waits for them.
"""
from multiprocessing import Pool
import time


def square(n):
    if n < 0:
        raise ValueError("negative: %d" % n)
    time.sleep(0.01 * (10 - n))
    return n * n


if __name__ == "__main__":
    pool = Pool(processes=4)
    print "squares: %s" % pool.map(square, range(10), chunksize=3)
    try:
        pool.map(square, [1, -2, 3])
    except ValueError as e:
        print "map raised ValueError: %s" % e
    pool.close()
    pool.join()
