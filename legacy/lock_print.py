"""Lock: twenty processes print one line each, one at a time, holding a shared Lock.

Article: the "synchronisation" example, lines 1-9 (adapted from the Python 2 multiprocessing docs).
Restored: the indentation, lost from every listing of the repost (each line is a numbered item
    flush left); each block is indented four spaces under the line that opens it, the only reading
    that parses.
Restored: line 8, of which the repost keeps only its last characters, "8. ):"; every other copy
    of the post found loops
    for num in range(20):
    (the Python 2 docs' version of the example loops range(10)).
Fixed: the parent keeps its processes and joins them; the article starts them and drops them,
    leaving the join to multiprocessing's exit handler.
Fixed: the child flushes stdout before it releases the lock. When stdout is a pipe or a file it is
    block-buffered, so without the flush the line is written when the child exits, after the
    release, and the lock serialises nothing.
"""
from multiprocessing import Process, Lock
import sys


def l(lock, num):
    lock.acquire()
    print "Hello Num: %s" % (num)
    sys.stdout.flush()
    lock.release()


if __name__ == '__main__':
    lock = Lock()
    processes = []
    for num in range(20):
        p = Process(target=l, args=(lock, num))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()
