"""Process: run sleeper() in a child process, wait for it, and see whose child it is.

Python 3: one task for one other process is a ProcessPoolExecutor with one worker. submit()
starts the task, result(timeout=...) waits for it, bounded, and re-raises whatever it raised;
leaving the `with` block shuts the worker down and joins it. That join has no timeout: it waits
for a running task however long it takes, so on a timeout the worker is terminated first (README,
pitfall 7).
Start methods: under forkserver a child's os.getppid() is the fork server, not this program.
multiprocessing.parent_process() (3.8+) names the process that started the child under all three.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor

TIMEOUT = 10  # seconds; a lost child fails the program instead of hanging it


def sleeper(name: str, seconds: float) -> None:
    print(f"Process ID# {os.getpid()}")
    print(f"Parent Process ID# {multiprocessing.parent_process().pid}")
    print(f"{name} will sleep for {seconds} seconds")
    time.sleep(seconds)


def main() -> None:
    with ProcessPoolExecutor(max_workers=1) as executor:
        child = executor.submit(sleeper, "bob", 0.5)
        print("in parent process after child process start")
        print("parent process abount to join child process")
        try:
            child.result(timeout=TIMEOUT)
        except futures.TimeoutError:
            for worker in multiprocessing.active_children():
                worker.terminate()
            sys.exit(f"sleeper() did not finish within {TIMEOUT} s")
        print("in parent process after child process join")
    print(f"the parent's parent process: {os.getppid()}")


if __name__ == "__main__":
    main()
