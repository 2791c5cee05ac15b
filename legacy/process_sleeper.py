"""Process: start a child that runs sleeper(), join it, and see whose child it is.

Article: the "Process" example, lines 1-16.
Restored: the indentation, lost from every listing of the repost (each line is a numbered item
    flush left); each block is indented four spaces under the line that opens it, the only reading
    that parses.
Restored: line 10, of which the repost keeps only its last characters, "10. ))"; the earlier
    Chinese original of the post reads
    child_proc = Process(target=sleeper, args=('bob', 5))
Shortened: the child sleeps 0.5 s instead of 5 s, so the example runs in about a second.
Kept: "abount" is a typo of the original post, not of the repost.
"""
from multiprocessing import Process
import os
import time


def sleeper(name, seconds):
    print "Process ID# %s" % (os.getpid())
    print "Parent Process ID# %s" % (os.getppid())
    print "%s will sleep for %s seconds" % (name, seconds)
    time.sleep(seconds)


if __name__ == "__main__":
    child_proc = Process(target=sleeper, args=('bob', 0.5))
    child_proc.start()
    print "in parent process after child process start"
    print "parent process abount to join child process"
    child_proc.join()
    print "in parent process after child process join"
    print "the parent's parent process: %s" % (os.getppid())
