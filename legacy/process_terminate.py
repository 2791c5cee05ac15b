"""terminate(): the child is killed by SIGTERM, its finally clause never runs, its own child lives on.

Article: described in words only ("terminate sends SIGTERM on Unix ... exit handlers are not run,
    and the process's children are not terminated, they simply become orphans"); this example is new.
Added: the parent kills the orphaned grandchild itself and waits until it is gone, so that the
    example leaves no process behind. The grandchild holds the only other sending end of a pipe,
    so EOF on that pipe is the sign that it has exited.
"""
from multiprocessing import Event, Pipe, Process, Queue
import os
import signal
import time


def grandchild(lifeline):
    time.sleep(10)


def child(grandchild_pids, finally_ran, lifeline):
    try:
        orphan = Process(target=grandchild, args=(lifeline,))
        orphan.start()
        grandchild_pids.put(orphan.pid)
        time.sleep(10)
    finally:
        finally_ran.set()


if __name__ == "__main__":
    grandchild_pids = Queue()
    finally_ran = Event()
    lifeline_end, lifeline = Pipe(duplex=False)
    p = Process(target=child, args=(grandchild_pids, finally_ran, lifeline))
    p.start()
    lifeline.close()
    orphan_pid = grandchild_pids.get(timeout=10)
    p.terminate()
    p.join()
    print "child exit code: %s (killed by SIGTERM: %s)" % (p.exitcode, p.exitcode == -signal.SIGTERM)
    print "child's finally clause ran: %s" % finally_ran.is_set()
    print "grandchild still running after its parent was terminated: %s" % (not lifeline_end.poll(0.2))
    os.kill(orphan_pid, signal.SIGTERM)
    print "grandchild gone after the parent killed it: %s" % lifeline_end.poll(10)
