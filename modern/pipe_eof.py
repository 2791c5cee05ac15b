"""recv() blocks while any sending end is open, and raises EOFError once every one is closed.

Python 3: the same rule, so the same hang. A parent normally closes its copy of the child's end
right after start(); this example keeps it open on purpose to show the hang, bounded by poll(),
and every recv() here is preceded by a bounded poll() for the same reason.
"""

from __future__ import annotations

import sys
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection

TIMEOUT = 10  # seconds


def send_all(conn: Connection, messages: list[str]) -> None:
    with conn:
        for message in messages:
            conn.send(message)


def main() -> None:
    receiver, sender = Pipe(duplex=False)
    p = Process(target=send_all, args=(sender, ["one", "two"]), daemon=True)
    p.start()
    with receiver:
        for _ in range(2):
            if not receiver.poll(TIMEOUT):
                sys.exit(f"no message within {TIMEOUT} s")
            print(f"received: {receiver.recv()}")
        p.join(TIMEOUT)
        print(f"child closed its end and exited; anything to recv() within 0.3 s: {receiver.poll(0.3)}")
        sender.close()
        # At EOF poll() reports the end as readable, so it bounds this recv() as well.
        if not receiver.poll(TIMEOUT):
            sys.exit(f"no EOF within {TIMEOUT} s")
        try:
            receiver.recv()
        except EOFError:
            print("after the parent closed its own copy too: EOFError")
    if p.exitcode != 0:
        sys.exit(f"send_all() exited with {p.exitcode}")


if __name__ == "__main__":
    main()
