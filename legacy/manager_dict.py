"""Manager().dict() and Namespace: state kept by a manager's server process, shared through proxies.

Article: does not mention managers; this example is new.
Why it matters when porting: the dict and the namespace live in the manager's own process, and every
    other process holds a proxy that forwards each call to it. A proxy forwards only its own
    operations: shared["log"].append(x) fetches a copy of the list and appends to the copy, so the
    change is lost; store the changed value back under its key. The manager is a process of its own,
    started by Manager() and ended by shutdown() (or by an exit handler at the latest).
"""
from multiprocessing import Manager, Process


def square(shared, n):
    shared[n] = n * n


def set_status(namespace, status):
    namespace.status = status


def append_in_place(shared, item):
    shared["log"].append(item)


def append_and_store(shared, item):
    log = shared["log"]
    log.append(item)
    shared["log"] = log


def run(target, *args):
    p = Process(target=target, args=args)
    p.start()
    p.join()


if __name__ == "__main__":
    manager = Manager()
    shared = manager.dict()
    namespace = manager.Namespace()
    namespace.status = "set by the parent"
    workers = [Process(target=square, args=(shared, n)) for n in range(1, 5)]
    workers.append(Process(target=set_status, args=(namespace, "set by a child")))
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print "dict items set by 4 children: %s" % sorted(shared.items())
    print "namespace.status: %s" % namespace.status
    shared["log"] = []
    run(append_in_place, shared, "appended in place")
    print "after a child's shared['log'].append(): %s" % shared["log"]
    run(append_and_store, shared, "appended and stored back")
    print "after a child stored the changed list back: %s" % shared["log"]
    manager.shutdown()
