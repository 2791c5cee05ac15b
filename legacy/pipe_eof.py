"""recv() blocks while any sending end is open, and raises EOFError once every one is closed.

Article: described in words only ("if there is no message, recv blocks; if the pipe has been closed,
    recv raises EOFError"); this example is new. The article does not say that the parent's own copy
    of the sending end counts: until the parent closes it, recv() after the last message hangs.
"""
from multiprocessing import Pipe, Process


def send_all(conn, messages):
    for message in messages:
        conn.send(message)
    conn.close()


if __name__ == "__main__":
    receiver, sender = Pipe(duplex=False)
    p = Process(target=send_all, args=(sender, ["one", "two"]))
    p.start()
    for _ in range(2):
        print "received: %s" % receiver.recv()
    p.join()
    print "child closed its end and exited; anything to recv() within 0.3 s: %s" % receiver.poll(0.3)
    sender.close()
    try:
        receiver.recv()
    except EOFError:
        print "after the parent closed its own copy too: EOFError"
