"""The hook's frames taken off a run's output (portcheck/marks.py): lines as each process printed them."""

from __future__ import annotations

from portcheck.marks import unframe


def framed(pid: int, text: bytes, ends: bool = False) -> bytes:
    return b"\x1e%d\x1f%s\x1d%s" % (pid, text, b"\n" if ends else b"")


def test_a_line_printed_in_pieces_stands_where_it_began_whole() -> None:
    """A parent's `print n,` between starting its children: its line first, as a terminal begins it."""
    printed = (
        framed(1, b"starting:")
        + framed(1, b" 0")
        + framed(2, b"hello from 0", ends=True)
        + framed(1, b" 1")
        + framed(3, b"hello from 1", ends=True)
        + framed(1, b"", ends=True)
        + framed(1, b"done", ends=True)
    )
    assert unframe(printed) == (b"starting: 0 1\nhello from 0\nhello from 1\ndone\n", [1, 2, 3, 1])


def test_a_prompt_never_ended_is_a_line_of_its_own() -> None:
    printed = framed(1, b"Your name: ") + framed(2, b"worker up", ends=True) + b"unframed\n" + framed(2, b"")
    assert unframe(printed) == (b"Your name: \nworker up\nunframed\n", [1, 2, None])


def test_empty_lines_are_kept_and_empty_pieces_never_ended_are_not() -> None:
    assert unframe(framed(1, b"", ends=True) + b"\n" + framed(1, b"")) == (b"\n\n", [1, None])
