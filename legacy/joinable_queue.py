"""JoinableQueue: consumers call task_done() for every item, and join() returns once all are done.

Article: describes Queue, not JoinableQueue; this example is new.
Why it matters when porting: join() returns when task_done() has been called once for every put(),
    stop values included, so a consumer that forgets task_done() for its stop value makes join()
    wait for ever. Each consumer takes exactly one stop value (None) and then ends, so there is one
    per consumer. Python 3's JoinableQueue.join() still takes no timeout: see the modern twin.
"""
from multiprocessing import JoinableQueue, Process, Queue


def consume(tasks, results):
    while True:
        item = tasks.get()
        if item is None:
            tasks.task_done()
            results.put("stop value taken")
            break
        results.put("%s squared is %s" % (item, item * item))
        tasks.task_done()


if __name__ == "__main__":
    tasks = JoinableQueue()
    results = Queue()
    consumers = [Process(target=consume, args=(tasks, results)) for _ in range(2)]
    for c in consumers:
        c.start()
    for item in range(1, 7):
        tasks.put(item)
    for c in consumers:
        tasks.put(None)
    tasks.join()
    print "join() returned: task_done() was called for all 6 items and 2 stop values"
    for line in sorted(results.get(timeout=10) for _ in range(8)):
        print line
    for c in consumers:
        c.join()
    print "consumer exit codes: %s" % [c.exitcode for c in consumers]
