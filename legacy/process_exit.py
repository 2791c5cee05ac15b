"""How a child's exit code is made, and what the parent's exit handler does to children still running.

Article: says only that after terminate() "exit handling is not run"; this example is new.
Why it matters when porting: exitcode is how a parent learns that a child failed. sys.exit(n) gives
    n; sys.exit("message") prints the message on stderr and gives 1; an uncaught exception prints
    "Process <name>:" and the traceback on stderr and gives 1; terminate() gives -15 (SIGTERM).
    A parent that ends with children still running does not leave them behind: its exit handler
    terminates the daemonic ones, then joins the others, however long they take. Here the
    non-daemonic child waits for EOF on a pipe whose only sending end the daemonic child holds,
    so it can only finish, and print, after the exit handler has terminated the daemonic child.
"""
from multiprocessing import Event, Pipe, Process
import sys
import time


def exit_with(code):
    sys.exit(code)


def fail():
    raise ValueError("something went wrong in the child")


def sleep_until_terminated(started):
    started.set()
    time.sleep(10)


def hold(lifeline):
    time.sleep(10)


def outlive_parent(daemon_gone):
    gone = daemon_gone.poll(10)
    print "non-daemonic child: EOF from the daemonic child, so it was terminated: %s" % gone
    print "non-daemonic child: finishing; the parent's exit handler joins me"


def exit_code(target, *args):
    p = Process(target=target, args=args)
    p.start()
    p.join()
    return p.exitcode


if __name__ == "__main__":
    print "sys.exit(3): exit code %s" % exit_code(exit_with, 3)
    print "sys.exit('a message'): exit code %s" % exit_code(exit_with, "a message")
    print "uncaught ValueError: exit code %s" % exit_code(fail)
    started = Event()
    p = Process(target=sleep_until_terminated, args=(started,))
    p.start()
    started.wait(10)
    p.terminate()
    p.join()
    print "terminate(): exit code %s" % p.exitcode

    daemon_gone, lifeline = Pipe(duplex=False)
    daemonic = Process(target=hold, args=(lifeline,))
    daemonic.daemon = True
    daemonic.start()
    lifeline.close()
    Process(target=outlive_parent, args=(daemon_gone,)).start()
    daemon_gone.close()
    print "parent: main code done; a daemonic and a non-daemonic child are still running"
