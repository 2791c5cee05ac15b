"""RLock: the process that holds it may acquire it again; a plain Lock refuses its own holder.

Python 3: `with lock:` pairs every acquire with its release, at every depth and on every path.
"""

from __future__ import annotations

import sys
from multiprocessing import Lock, Process, RLock, synchronize

TIMEOUT = 10  # seconds


def enter(lock: synchronize.RLock, depth: int) -> None:
    with lock:
        print(f"depth {depth}: acquired")
        if depth < 3:
            enter(lock, depth + 1)


def main() -> None:
    rlock = RLock()
    p = Process(target=enter, args=(rlock, 1), daemon=True)
    p.start()
    p.join(TIMEOUT)
    print(f"child re-entered the RLock and exited with code {p.exitcode}")
    if p.exitcode != 0:
        sys.exit(1)  # the line above already names the exit code
    lock = Lock()
    with lock:
        print(f"Lock: acquire(block=False) by its holder: {lock.acquire(block=False)}")
    with rlock:
        print(f"RLock: acquire(block=False) by its holder: {rlock.acquire(block=False)}")
        rlock.release()


if __name__ == "__main__":
    main()
