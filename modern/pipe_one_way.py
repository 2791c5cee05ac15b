"""Pipe(duplex=False): the first end only receives, the second only sends; the wrong way is an error.

Python 3: the error is OSError; Python 2's IOError is an alias of it since 3.3 (PEP 3151), so
`except IOError` still catches it, but the exception reports itself as OSError.
"""

from __future__ import annotations

import sys
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection

TIMEOUT = 10  # seconds


def send_greeting(conn: Connection) -> None:
    with conn:
        conn.send("Hello World")


def main() -> None:
    receiver, sender = Pipe(duplex=False)
    try:
        receiver.send("Hello World")
    except OSError as exc:
        print(f"receiver.send(): {type(exc).__name__}: {exc}")
    try:
        sender.recv()
    except OSError as exc:
        print(f"sender.recv(): {type(exc).__name__}: {exc}")
    p = Process(target=send_greeting, args=(sender,), daemon=True)
    p.start()
    sender.close()
    with receiver:
        if not receiver.poll(TIMEOUT):
            sys.exit(f"no message within {TIMEOUT} s")
        print(f"receiver.recv(): {receiver.recv()}")
    p.join(TIMEOUT)
    if p.exitcode != 0:
        sys.exit(f"send_greeting() exited with {p.exitcode}")


if __name__ == "__main__":
    main()
