"""Event: two processes wait() until the parent set()s the event; wait(timeout) returns the flag.

Article: names Event among the synchronisation primitives without describing it; this example is new.
"""
from multiprocessing import Event, Process


def waiter(name, event):
    print "%s: wait() returned %s" % (name, event.wait(10))


if __name__ == "__main__":
    event = Event()
    waiters = [Process(target=waiter, args=("waiter %s" % n, event)) for n in (1, 2)]
    for w in waiters:
        w.start()
    print "parent: wait(0.2) before set() returned %s" % event.wait(0.2)
    print "parent: setting the event"
    event.set()
    for w in waiters:
        w.join()
    print "parent: is_set() after the waiters finished: %s" % event.is_set()
