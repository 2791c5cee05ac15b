"""maxtasksperchild: a pool worker exits after that many tasks, and the pool starts a fresh one.

Article: not covered (the article stops at the synchronisation primitives); this example is new,
    not from the article.
What it shows: Pool(maxtasksperchild=2) replaces each worker after two tasks, which frees what a
    long-lived worker would keep (memory, open files, module state). One worker runs six tasks
    one after another, so three worker processes run two tasks each, and each new worker starts
    its count of tasks again from 1: module state does not carry over.
"""
from multiprocessing import Pool, active_children
import os

tasks_run = 0  # by this worker process


def whoami(n):
    global tasks_run
    tasks_run += 1
    return n, os.getpid(), tasks_run


if __name__ == "__main__":
    pool = Pool(processes=1, maxtasksperchild=2)
    ran = pool.map(whoami, range(6), chunksize=1)
    pool.close()
    pool.join()
    for n, pid, count in ran:
        print "task %d ran in pid %d, its task number %d" % (n, pid, count)
    print "%d tasks, %d worker processes" % (len(ran), len(set(pid for _, pid, _ in ran)))
    print "workers alive: %d" % len(active_children())
