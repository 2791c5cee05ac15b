"""How a child's exit code is made, and what the parent's exit handler does to children still running.

Python 3: the same exit codes and the same exit handler. Every wait here is bounded except one
that the demonstration needs: the exit handler's join() of a non-daemonic child takes no timeout,
so that child bounds its own wait (poll(TIMEOUT)) and cannot hold the parent's exit for ever.
Prefer daemon=True unless a child must finish its work after the parent's main code has ended.
Python 3.9 changed one code: a bare sys.exit() (or sys.exit(None)) in a child gives exit code 0;
Python 2.7 and 3.8 give 1 (bpo-35727), which is why this example does not show it.
"""

from __future__ import annotations

import sys
import time
from multiprocessing import Event, Pipe, Process, synchronize
from multiprocessing.connection import Connection
from typing import Any, Callable

TIMEOUT = 10  # seconds


def exit_with(code: int | str) -> None:
    sys.exit(code)


def fail() -> None:
    raise ValueError("something went wrong in the child")


def sleep_until_terminated(started: synchronize.Event) -> None:
    started.set()
    time.sleep(TIMEOUT)


def hold(lifeline: Connection) -> None:
    time.sleep(TIMEOUT)


def outlive_parent(daemon_gone: Connection) -> None:
    gone = daemon_gone.poll(TIMEOUT)
    print(f"non-daemonic child: EOF from the daemonic child, so it was terminated: {gone}", flush=True)
    print("non-daemonic child: finishing; the parent's exit handler joins me", flush=True)


def exit_code(target: Callable[..., Any], *args: Any) -> int | None:
    p = Process(target=target, args=args, daemon=True)
    p.start()
    p.join(TIMEOUT)
    return p.exitcode


def main() -> None:
    print(f"sys.exit(3): exit code {exit_code(exit_with, 3)}", flush=True)
    print(f"sys.exit('a message'): exit code {exit_code(exit_with, 'a message')}", flush=True)
    print(f"uncaught ValueError: exit code {exit_code(fail)}", flush=True)
    started = Event()
    p = Process(target=sleep_until_terminated, args=(started,), daemon=True)
    p.start()
    if not started.wait(TIMEOUT):
        sys.exit(f"the child did not start within {TIMEOUT} s")
    p.terminate()
    p.join(TIMEOUT)
    print(f"terminate(): exit code {p.exitcode}", flush=True)

    daemon_gone, lifeline = Pipe(duplex=False)
    Process(target=hold, args=(lifeline,), daemon=True).start()
    lifeline.close()
    # Not daemonic on purpose: the parent's exit handler joins it, without a timeout.
    Process(target=outlive_parent, args=(daemon_gone,)).start()
    daemon_gone.close()
    print("parent: main code done; a daemonic and a non-daemonic child are still running", flush=True)


if __name__ == "__main__":
    main()
