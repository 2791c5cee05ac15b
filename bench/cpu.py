"""Wall and CPU time of a command, every process it starts counted, those it orphans included.

    python3 -m bench.cpu COMMAND [ARGUMENT ...]

`/usr/bin/time` counts only the processes its command waited for: multiprocessing's helpers (the
resource tracker, a fork server) and whatever else outlives its parent are reparented to init and
never counted. This waits for the whole tree as its subreaper (Linux), so that their CPU is too. It
prints one line on stderr, and exits with the command's status.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main(command: list[str]) -> int:
    if not command:
        print("usage: python3 -m bench.cpu COMMAND [ARGUMENT ...]", file=sys.stderr)
        return 2
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    started = time.monotonic()
    child = os.fork()
    if child == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    status = 127
    while True:  # every process of the tree, orphans included, ends here
        try:
            pid, waited = os.wait()
        except ChildProcessError:
            break
        if pid == child:
            status = os.WEXITSTATUS(waited) if os.WIFEXITED(waited) else 128 + os.WTERMSIG(waited)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"wall {time.monotonic() - started:.2f} s, CPU {used.ru_utime + used.ru_stime:.2f} s"
        f" (user {used.ru_utime:.2f} s, system {used.ru_stime:.2f} s)",
        file=sys.stderr,
    )
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
