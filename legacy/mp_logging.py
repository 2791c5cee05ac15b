"""log_to_stderr() and get_logger(): multiprocessing's own logger, and the lines it writes for you.

Article: does not mention logging; this example is new.
Why it matters when porting: log_to_stderr() gives the "multiprocessing" logger a handler on stderr
    with the format "[LEVEL/process name] message", and returns that logger; get_logger() returns the
    same logger in any process. A child forked from the parent inherits the handler and the level.
    At INFO, multiprocessing logs its own life cycle ("child process calling self.run()", "process
    shutting down", ...), and some of those lines differ on Python 3: so the children here log at
    the default level (WARNING), and the parent turns INFO on only once they have been joined,
    which leaves one life-cycle line, the exit handler's "process shutting down".
"""
import logging
from multiprocessing import Process, get_logger, log_to_stderr


def work(n):
    logger = get_logger()
    logger.warning("worker %s: a warning reaches stderr", n)
    logger.info("worker %s: an info line does not, at level %s", n, logger.getEffectiveLevel())


if __name__ == "__main__":
    logger = log_to_stderr()
    print "logger %r, level %s, %s handler(s)" % (
        logger.name, logging.getLevelName(logger.getEffectiveLevel()), len(logger.handlers))
    logger.warning("parent: starting the workers")
    workers = [Process(target=work, args=(n,)) for n in (1, 2)]
    for w in workers:  # one at a time, so that their lines reach stderr in a fixed order
        w.start()
        w.join()
    logger.setLevel(logging.INFO)
    logger.info("parent: workers joined with exit codes %s", [w.exitcode for w in workers])
