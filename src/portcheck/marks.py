"""Take the hook's frames off a run's output, and read its list of processes (see hook/sitecustomize.py).

A frame is RS + pid + US + text + GS; a newline right after a frame ends that process's line.
Lines are put back together per process, so that two processes writing parts of lines at once do
not garble each other's, and each is listed where its first piece was written.
"""

from __future__ import annotations

import re
from pathlib import Path

FRAME = re.compile(rb"\x1e(\d{1,10})\x1f(.*?)\x1d(\n?)", re.DOTALL)  # a pid has at most 10 digits: more is text
PROCESSES_VARIABLE = "PORTCHECK_PROCESSES"


def unframe(data: bytes) -> tuple[bytes, list[int | None]]:
    """The output without frames, one line per line ended, and the pid that wrote each (None: unknown).

    A line stands where its first piece was written, as on a terminal, where a parent's `print n,`
    begins its line before the children it then starts print theirs; its pieces are joined, since
    where another process's output fell among them is the scheduler's choice.
    """
    lines: list[tuple[int | None, bytearray]] = []
    open_lines: dict[int | None, int] = {}  # each writer's line not yet ended, by its place in `lines`

    def add(owner: int | None, text: bytes, ends: bool) -> None:
        if owner not in open_lines:
            open_lines[owner] = len(lines)
            lines.append((owner, bytearray()))
        lines[open_lines[owner]][1].extend(text)
        if ends:
            del open_lines[owner]

    def raw(text: bytes) -> None:
        for piece in re.split(rb"(\n)", text):
            if piece == b"\n":
                add(None, b"", ends=True)
            elif piece:
                add(None, piece, ends=False)

    position = 0
    for frame in FRAME.finditer(data):
        raw(data[position : frame.start()])
        add(int(frame.group(1)), frame.group(2), ends=bool(frame.group(3)))
        position = frame.end()
    raw(data[position:])
    empty = {place for place in open_lines.values() if not lines[place][1]}  # begun by an empty piece, never ended
    kept = [line for place, line in enumerate(lines) if place not in empty]
    return b"".join(bytes(text) + b"\n" for _, text in kept), [owner for owner, _ in kept]


def processes(log: Path) -> list[tuple[int, str]]:
    """Every process the hook saw start, in the order they started: (pid, "process" or "helper")."""
    try:
        text = log.read_text()
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        pid, _, kind = line.partition(" ")
        if pid.isdigit():
            found.append((int(pid), kind))
    return found
