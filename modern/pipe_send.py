"""Pipe: a child sends a message through one end of a Pipe, the parent receives it at the other.

Python 3: connections are context managers, so `with conn:` closes them on every path. The parent
closes its copy of the child's end as soon as the child has it: if the child dies, the parent's
recv() then raises EOFError instead of waiting for a message that cannot come (see pipe_eof).
poll(timeout) bounds the wait.
"""

from __future__ import annotations

import sys
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection

TIMEOUT = 10  # seconds


def send(conn: Connection) -> None:
    with conn:
        conn.send("Hello World")


def main() -> None:
    parent_conn, child_conn = Pipe()
    p = Process(target=send, args=(child_conn,), daemon=True)
    p.start()
    child_conn.close()
    with parent_conn:
        if not parent_conn.poll(TIMEOUT):
            sys.exit(f"no message within {TIMEOUT} s")
        print(parent_conn.recv())
    p.join(TIMEOUT)
    if p.exitcode != 0:
        sys.exit(f"send() exited with {p.exitcode}")


if __name__ == "__main__":
    main()
