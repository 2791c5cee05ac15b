"""Queue.put/get with block and timeout: Queue.Full on a full bounded queue, Queue.Empty on an empty one.

Article: described in words only (put and get "have two optional parameters, blocked and timeout");
    this example is new.
Fixed: the parameter is block, not blocked; put(..., blocked=False) is a TypeError.
Added: get() after put() waits with a timeout rather than block=False: put() hands the item to a
    feeder thread, so for a moment after put() returns the queue can still look empty.
"""
from multiprocessing import Queue
from Queue import Empty, Full
import time


TIMEOUT = 0.5


def timed(call, *args, **kwargs):
    start = time.time()
    try:
        call(*args, **kwargs)
    except (Empty, Full) as exc:
        waited = time.time() - start >= 0.9 * TIMEOUT
        return "%s %s" % (type(exc).__name__, "after the timeout" if waited else "at once")
    return "no exception"


if __name__ == "__main__":
    q = Queue(maxsize=1)
    q.put("only item")
    print "put(block=False) on a full queue: %s" % timed(q.put, "one more", block=False)
    print "put(timeout=%s) on a full queue: %s" % (TIMEOUT, timed(q.put, "one more", timeout=TIMEOUT))
    try:
        q.put("one more", blocked=False)
    except TypeError:
        print "put(blocked=False): TypeError, the keyword is block"
    print "get(timeout=1): %s" % q.get(timeout=1)
    print "get(block=False) on an empty queue: %s" % timed(q.get, block=False)
    print "get(timeout=%s) on an empty queue: %s" % (TIMEOUT, timed(q.get, timeout=TIMEOUT))
