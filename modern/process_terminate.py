"""terminate(): the child is killed by SIGTERM, its finally clause never runs, its own child lives on.

Python 3: the wait for the child's report is bounded, and terminate() sits in a finally clause,
so the child is stopped on every path. The parent kills the surviving grandchild itself and
waits, bounded, for EOF on a pipe whose only other sending end the grandchild holds.
Start methods: under fork and spawn the grandchild is the child's child and becomes an orphan.
Under forkserver the child starts a fork server of its own, which forks the grandchild; that
server is orphaned instead, with the grandchild still its child. In all three the grandchild
outlives the child.
Pitfall: Python 3's join(timeout) waits for the child's sentinel pipe to close, not for the child
to exit. Under fork the grandchild inherits the child's end of that pipe, so join(TIMEOUT) after
terminate() blocks until the grandchild exits or the timeout runs out. wait_for_exit() polls
exitcode instead: a waitpid() under fork and spawn; under forkserver, a read of the exit status
that the fork server sends over its socket (popen_forkserver.py). Neither waits for the grandchild.
"""

from __future__ import annotations

import os
import signal
import time
from multiprocessing import Event, Pipe, Process, Queue, queues, synchronize
from multiprocessing.connection import Connection

TIMEOUT = 10  # seconds


def grandchild(lifeline: Connection) -> None:
    time.sleep(TIMEOUT)


def child(grandchild_pids: queues.Queue[int], finally_ran: synchronize.Event, lifeline: Connection) -> None:
    try:
        orphan = Process(target=grandchild, args=(lifeline,))
        orphan.start()
        grandchild_pids.put(orphan.pid)
        time.sleep(TIMEOUT)
    finally:
        finally_ran.set()


def wait_for_exit(process: Process, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while process.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.01)


def main() -> None:
    grandchild_pids: queues.Queue[int] = Queue()
    finally_ran = Event()
    lifeline_end, lifeline = Pipe(duplex=False)
    # Not daemonic, unlike the other examples' children: a daemonic process may not start children.
    p = Process(target=child, args=(grandchild_pids, finally_ran, lifeline))
    p.start()
    lifeline.close()
    try:
        orphan_pid = grandchild_pids.get(timeout=TIMEOUT)
    finally:
        p.terminate()
        wait_for_exit(p, TIMEOUT)
    print(f"child exit code: {p.exitcode} (killed by SIGTERM: {p.exitcode == -signal.SIGTERM})")
    print(f"child's finally clause ran: {finally_ran.is_set()}")
    with lifeline_end:
        print(f"grandchild still running after its parent was terminated: {not lifeline_end.poll(0.2)}")
        os.kill(orphan_pid, signal.SIGTERM)
        print(f"grandchild gone after the parent killed it: {lifeline_end.poll(TIMEOUT)}")


if __name__ == "__main__":
    main()
