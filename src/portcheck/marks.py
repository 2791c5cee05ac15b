"""Take the hook's frames off a run's output, and read its list of processes (see hook/sitecustomize.py).

A frame is RS + pid + US + text + GS; a newline right after a frame ends that process's line.
Lines are put back together per process and listed in the order in which they were ended, so
that two processes writing parts of lines at once do not garble each other's.
"""

from __future__ import annotations

import re
from pathlib import Path

FRAME = re.compile(rb"\x1e(\d{1,10})\x1f(.*?)\x1d(\n?)", re.DOTALL)  # a pid has at most 10 digits: more is text
PROCESSES_VARIABLE = "PORTCHECK_PROCESSES"


def unframe(data: bytes) -> tuple[bytes, list[int | None]]:
    """The output without frames, one line per line ended, and the pid that wrote each (None: unknown)."""
    open_lines: dict[int | None, bytearray] = {}
    lines: list[tuple[int | None, bytes]] = []

    def raw(text: bytes) -> None:
        for piece in re.split(rb"(\n)", text):
            if piece == b"\n":
                lines.append((None, bytes(open_lines.pop(None, b""))))
            elif piece:
                open_lines.setdefault(None, bytearray()).extend(piece)

    position = 0
    for frame in FRAME.finditer(data):
        raw(data[position : frame.start()])
        pid = int(frame.group(1))
        open_lines.setdefault(pid, bytearray()).extend(frame.group(2))
        if frame.group(3):
            lines.append((pid, bytes(open_lines.pop(pid))))
        position = frame.end()
    raw(data[position:])
    lines += [(owner, bytes(text)) for owner, text in open_lines.items() if text]  # lines never ended
    return b"".join(text + b"\n" for _, text in lines), [owner for owner, _ in lines]


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
