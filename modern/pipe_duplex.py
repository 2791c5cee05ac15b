"""A two-way Pipe(): both ends send and receive; the parent pings, the child answers each ping.

Python 3: the same API. Both ends are context managers, every recv() is preceded by a bounded
poll(), and the child is daemonic, joined with a timeout and its exit code checked. As in
pipe_eof, the parent closes its copy of the child's end right after start(), or the last recv()
would wait for ever instead of raising EOFError.
"""

from __future__ import annotations

import sys
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection

TIMEOUT = 10  # seconds


def receive(conn: Connection) -> str | None:
    """recv(), bounded: poll() first (at EOF poll() reports the end as readable, so it bounds that too)."""
    if not conn.poll(TIMEOUT):
        sys.exit(f"nothing received within {TIMEOUT} s")
    return conn.recv()


def answer(conn: Connection) -> None:
    with conn:
        conn.send("child ready")
        while (message := receive(conn)) is not None:
            print(f"child received: {message}", flush=True)
            conn.send(message.replace("ping", "pong"))
        conn.send("child done")


def main() -> None:
    parent_end, child_end = Pipe()
    p = Process(target=answer, args=(child_end,), daemon=True)
    p.start()
    child_end.close()
    with parent_end:
        print(f"parent received: {receive(parent_end)}", flush=True)
        for n in range(1, 4):
            parent_end.send(f"ping {n}")
            print(f"parent received: {receive(parent_end)}", flush=True)
        parent_end.send(None)
        print(f"parent received: {receive(parent_end)}", flush=True)
        try:
            receive(parent_end)
        except EOFError:
            print("parent: EOFError, the child closed the only other end", flush=True)
    p.join(TIMEOUT)
    print(f"child exit code: {p.exitcode}")
    if p.exitcode != 0:
        sys.exit(1)  # the line above already names the exit code


if __name__ == "__main__":
    main()
