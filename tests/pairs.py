"""Every legacy/modern pair, with what is specific to it: the only per-pair data there is.

`concurrent`: streams of stdout lines that processes print without synchronising with each
other, so that the program itself leaves their interleaving open (see tests/transcript.py).
`differences`: what Python 3 reports differently and no faithful program can hide, with why.
"""

from __future__ import annotations

from tests.transcript import Difference, Rules

PAIRS: dict[str, Rules] = {
    "process_sleeper": Rules(
        concurrent=(
            # the child's three lines ...
            r"^(?:Process ID#|Parent Process ID#|bob will sleep)",
            # ... race the parent's two lines between start() and join()
            r"^(?:in parent process after child process start|parent process abount to join child process)$",
        )
    ),
    "process_subclass": Rules(),
    "process_terminate": Rules(),
    "queue_offer": Rules(),
    "queue_full_empty": Rules(),
    "pipe_send": Rules(),
    "pipe_one_way": Rules(
        differences=(
            Difference(
                legacy="IOError: connection is",
                modern="OSError: connection is",
                why="PEP 3151 (Python 3.3) made IOError an alias of OSError, which is the name it reports",
            ),
        )
    ),
    "pipe_eof": Rules(),
    # the processes race for the lock, so the order of the lines is open; each is one stream
    "lock_print": Rules(concurrent=(r"^Hello Num: (\d+)$",)),
    "rlock_reentry": Rules(),
    "semaphore_limit": Rules(),
    # both waiters wake on the same set(); which prints first is open
    "event_wait": Rules(concurrent=(r"^waiter (\d): ",)),
    "condition_notify": Rules(),
}
