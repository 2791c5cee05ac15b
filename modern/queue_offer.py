"""Queue: a child puts a message on a multiprocessing Queue, the parent gets it.

Python 3: get(timeout=...) and join(timeout=...) bound every wait and the exit code is checked,
so a child that dies before it puts anything fails the program instead of hanging it. A daemonic
child is terminated by multiprocessing's exit handler when the parent exits, normally or by an
exception (not when the parent is killed by a signal or calls os._exit()).
"""

from __future__ import annotations

import sys
from multiprocessing import Process, Queue, queues

TIMEOUT = 10  # seconds


def offer(queue: queues.Queue[str]) -> None:
    queue.put("Hello World")


def main() -> None:
    q: queues.Queue[str] = Queue()
    p = Process(target=offer, args=(q,), daemon=True)
    p.start()
    print(q.get(timeout=TIMEOUT))
    p.join(TIMEOUT)
    if p.exitcode != 0:
        sys.exit(f"offer() exited with {p.exitcode}")


if __name__ == "__main__":
    main()
