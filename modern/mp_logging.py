"""log_to_stderr() and get_logger(): multiprocessing's own logger, and the lines it writes for you.

Python 3: the same logger and format. A child forked from the parent inherits the handler and the
level; under spawn and forkserver a child inherits nothing, but multiprocessing calls log_to_stderr()
with the parent's level in it when the parent has called it (any other handler or setting you make
yourself reaches forked children only). At INFO, two of multiprocessing's own lines differ from
Python 2, which is why the workers log at WARNING and the parent turns INFO on only after join():
under forkserver the parent logs "created temp directory /tmp/pymp-<random>" when it starts the
fork server, and from Python 3.13 a child logs "process exiting with exitcode 0" before, not after,
its "process shutting down" (children now run their atexit handlers, gh-83856).
"""

from __future__ import annotations

import logging
import sys
from multiprocessing import Process, get_logger, log_to_stderr

TIMEOUT = 10  # seconds


def work(n: int) -> None:
    logger = get_logger()
    logger.warning("worker %s: a warning reaches stderr", n)
    logger.info("worker %s: an info line does not, at level %s", n, logger.getEffectiveLevel())


def main() -> None:
    logger = log_to_stderr()
    level = logging.getLevelName(logger.getEffectiveLevel())
    print(f"logger {logger.name!r}, level {level}, {len(logger.handlers)} handler(s)")
    logger.warning("parent: starting the workers")
    workers = [Process(target=work, args=(n,), daemon=True) for n in (1, 2)]
    for w in workers:  # one at a time, so that their lines reach stderr in a fixed order
        w.start()
        w.join(TIMEOUT)
    logger.setLevel(logging.INFO)
    logger.info("parent: workers joined with exit codes %s", [w.exitcode for w in workers])
    if any(w.exitcode != 0 for w in workers):
        sys.exit(1)  # the line above already names the exit codes


if __name__ == "__main__":
    main()
