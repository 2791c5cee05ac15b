"""A two-way Pipe(): both ends send and receive; the parent pings, the child answers each ping.

Article: described in words only ("if duplex is True (the default), the pipe is full duplex: conn1 and
    conn2 can both send and receive"); this example is new.
Why it matters when porting: one duplex pipe carries a request/reply conversation in both directions,
    and the rule of pipe_eof still holds for it: the parent must close its copy of the child's end, or
    recv() after the child's last message blocks for ever instead of raising EOFError.
"""
from multiprocessing import Pipe, Process


def answer(conn):
    conn.send("child ready")
    while True:
        message = conn.recv()
        if message is None:
            break
        print "child received: %s" % message
        conn.send(message.replace("ping", "pong"))
    conn.send("child done")
    conn.close()


if __name__ == "__main__":
    parent_end, child_end = Pipe()
    p = Process(target=answer, args=(child_end,))
    p.start()
    child_end.close()
    print "parent received: %s" % parent_end.recv()
    for n in range(1, 4):
        parent_end.send("ping %d" % n)
        print "parent received: %s" % parent_end.recv()
    parent_end.send(None)
    print "parent received: %s" % parent_end.recv()
    try:
        parent_end.recv()
    except EOFError:
        print "parent: EOFError, the child closed the only other end"
    p.join()
    print "child exit code: %s" % p.exitcode
