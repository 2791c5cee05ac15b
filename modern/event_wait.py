"""Event: two processes wait() until the parent set()s the event; wait(timeout) returns the flag.

Python 3: the Event API is unchanged (wait(timeout) has returned the flag since 2.7). The waiters
are daemonic, joined with a timeout and their exit codes checked, so a waiter that dies fails the
program and one that never returns cannot hang it; a lost set() shows as "wait() returned False".
"""

from __future__ import annotations

import sys
from multiprocessing import Event, Process, synchronize

TIMEOUT = 10  # seconds


def waiter(name: str, event: synchronize.Event) -> None:
    print(f"{name}: wait() returned {event.wait(TIMEOUT)}")


def main() -> None:
    event = Event()
    waiters = [Process(target=waiter, args=(f"waiter {n}", event), daemon=True) for n in (1, 2)]
    for w in waiters:
        w.start()
    print(f"parent: wait(0.2) before set() returned {event.wait(0.2)}")
    print("parent: setting the event")
    event.set()
    for w in waiters:
        w.join(TIMEOUT)
    if any(w.exitcode != 0 for w in waiters):
        sys.exit(f"waiter exit codes: {[w.exitcode for w in waiters]}")
    print(f"parent: is_set() after the waiters finished: {event.is_set()}")


if __name__ == "__main__":
    main()
