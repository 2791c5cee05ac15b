"""Semaphore: of four workers started together, at most two are inside the semaphore at once.

Article: names Semaphore among the synchronisation primitives without describing it; this example is new.
"""
from multiprocessing import Event, Process, Semaphore, Value
import time


def work(semaphore, inside, peak, go):
    semaphore.acquire()
    with inside.get_lock():
        inside.value += 1
        peak.value = max(peak.value, inside.value)
    go.wait(10)
    with inside.get_lock():
        inside.value -= 1
    semaphore.release()


if __name__ == "__main__":
    semaphore = Semaphore(2)
    inside = Value('i', 0)
    peak = Value('i', 0)
    go = Event()
    workers = [Process(target=work, args=(semaphore, inside, peak, go)) for _ in range(4)]
    for w in workers:
        w.start()
    while inside.value < 2:
        time.sleep(0.01)
    time.sleep(0.3)
    print "%s of %s workers inside after 0.3 s, the rest wait" % (inside.value, len(workers))
    go.set()
    for w in workers:
        w.join()
    print "all %s workers done; at most %s were inside at once" % (len(workers), peak.value)
