"""A shared counter in a Value: += is a read then a write, so only get_lock() makes it safe.

Python 3: the same Value, Array and get_lock() (with get_lock(): has worked since 2.6). The waits
on the Events are bounded, the workers are daemonic, joined with a timeout and their exit codes
checked. The lost update is forced, not left to chance: both workers read before either writes.
"""

from __future__ import annotations

import ctypes
import sys
from multiprocessing import Array, Event, Process, Value, synchronize
from multiprocessing.sharedctypes import Synchronized

TIMEOUT = 10  # seconds


def unlocked_increment(counter: Synchronized[int], has_read: synchronize.Event, may_write: synchronize.Event) -> None:
    seen = counter.value
    has_read.set()
    if not may_write.wait(TIMEOUT):
        sys.exit(f"not allowed to write within {TIMEOUT} s")
    counter.value = seen + 1


def locked_increments(counter: Synchronized[int], slots: ctypes.Array[ctypes.c_int], index: int, times: int) -> None:
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1
        slots[index] += 1


def join_all(workers: list[Process]) -> None:
    for w in workers:
        w.join(TIMEOUT)
    if any(w.exitcode != 0 for w in workers):
        sys.exit(f"worker exit codes: {[w.exitcode for w in workers]}")


def main() -> None:
    counter = Value("i", 0)
    may_write = Event()
    has_read = [Event(), Event()]
    workers = [Process(target=unlocked_increment, args=(counter, e, may_write), daemon=True) for e in has_read]
    for w in workers:
        w.start()
    if not all(e.wait(TIMEOUT) for e in has_read):
        sys.exit(f"the workers did not both read within {TIMEOUT} s")
    print(f"without the lock: both processes read {counter.value} before either wrote")
    may_write.set()
    join_all(workers)
    print(f"without the lock: 2 increments, counter = {counter.value} (one update lost)")

    counter = Value("i", 0)
    slots = Array("i", 4, lock=False)
    workers = [Process(target=locked_increments, args=(counter, slots, i, 1000), daemon=True) for i in range(4)]
    for w in workers:
        w.start()
    join_all(workers)
    print(f"with get_lock(): 4 x 1000 increments, counter = {counter.value}")
    print(f"Array slots, each written by one process: {slots[:]}")


if __name__ == "__main__":
    main()
