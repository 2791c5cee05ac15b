"""RLock: the process that holds it may acquire it again; a plain Lock refuses its own holder.

Article: names RLock among the synchronisation primitives without describing it; this example is new.
"""
from multiprocessing import Lock, Process, RLock


def enter(lock, depth):
    lock.acquire()
    print "depth %s: acquired" % depth
    if depth < 3:
        enter(lock, depth + 1)
    lock.release()


if __name__ == "__main__":
    rlock = RLock()
    p = Process(target=enter, args=(rlock, 1))
    p.start()
    p.join()
    print "child re-entered the RLock and exited with code %s" % p.exitcode
    lock = Lock()
    lock.acquire()
    print "Lock: acquire(block=False) by its holder: %s" % lock.acquire(block=False)
    lock.release()
    rlock.acquire()
    print "RLock: acquire(block=False) by its holder: %s" % rlock.acquire(block=False)
    rlock.release()
    rlock.release()
