"""A shared counter in a Value: += is a read then a write, so only get_lock() makes it safe.

Article: names Lock among the synchronisation primitives, and shared memory not at all;
    this example is new.
Why it matters when porting: a Value created with the default lock=True locks each read and each
    write of .value, but not the two together, so "counter.value += 1" can lose updates on any
    Python. The first part forces the lost update with two Events, so it happens on every run:
    both processes read 0 before either writes, and two increments leave the counter at 1. The
    second part holds get_lock() around the whole +=, as the Python 2 docs advise, and loses
    nothing. Slots of an Array that only one process writes need no lock at all (lock=False).
"""
from multiprocessing import Array, Event, Process, Value


def unlocked_increment(counter, has_read, may_write):
    seen = counter.value
    has_read.set()
    may_write.wait(10)
    counter.value = seen + 1


def locked_increments(counter, slots, index, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1
        slots[index] += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    may_write = Event()
    has_read = [Event(), Event()]
    workers = [Process(target=unlocked_increment, args=(counter, e, may_write)) for e in has_read]
    for w in workers:
        w.start()
    for e in has_read:
        e.wait(10)
    print "without the lock: both processes read %s before either wrote" % counter.value
    may_write.set()
    for w in workers:
        w.join()
    print "without the lock: 2 increments, counter = %s (one update lost)" % counter.value

    counter = Value("i", 0)
    slots = Array("i", 4, lock=False)
    workers = [Process(target=locked_increments, args=(counter, slots, i, 1000)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print "with get_lock(): 4 x 1000 increments, counter = %s" % counter.value
    print "Array slots, each written by one process: %s" % slots[:]
