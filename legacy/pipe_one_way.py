"""Pipe(duplex=False): the first end only receives, the second only sends; the wrong way is an error.

Article: described in words only ("if duplex is False, conn1 can only receive and conn2 can only
    send"); this example is new.
"""
from multiprocessing import Pipe, Process


def send_greeting(conn):
    conn.send("Hello World")
    conn.close()


if __name__ == "__main__":
    receiver, sender = Pipe(duplex=False)
    try:
        receiver.send("Hello World")
    except IOError as exc:
        print "receiver.send(): %s: %s" % (type(exc).__name__, exc)
    try:
        sender.recv()
    except IOError as exc:
        print "sender.recv(): %s: %s" % (type(exc).__name__, exc)
    p = Process(target=send_greeting, args=(sender,))
    p.start()
    sender.close()
    print "receiver.recv(): %s" % receiver.recv()
    p.join()
