"""What a diagnosis rule is: one change from Python 2 to 3, its documentation, and what it matches.

Each family's module (numbers, printing, order, exceptions, processes, bytes_text, modules) holds its
rules, each `Cause(...)` beside the code that matches its lines; docs.py makes docs/diagnoses.md of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

from portcheck.running import START_METHODS


@dataclass(frozen=True)
class Context:
    """What a rule may need beyond the two lines: how the port ran."""

    start_method: str = "fork"
    python: tuple[int, ...] = (3, 13)  # the port's Python


Rewrite = Callable[[str, str, Context], List[Tuple[str, str]]]
RunRule = Callable[[Sequence[Tuple[str, str]]], List[int]]  # a run's lines, (mark, form): the positions explained


@dataclass(frozen=True)
class Cause:
    """One change from Python 2 to 3, and exactly what it does to what a program prints."""

    id: str
    change: str  # one line: what changed
    fix: str  # one line: what to write instead
    matches: str  # Markdown for docs/diagnoses.md: the lines it explains, and the near misses it leaves
    example: tuple[str, ...]  # diff lines it explains ("-out: ...", "+out: ..."), for the page and the tests
    rewrite: Rewrite | None = None  # a "-" line and a "+" line, rewritten to undo the change
    run: RunRule | None = None  # a run of "-" and "+" lines, read as a whole: lines joined, split or added
    crash: re.Pattern | None = None  # an exception line of the port's that the change raises
    frames: re.Pattern | None = None  # what the port's stderr must show besides, where that line says too little
    in_children: bool = False  # the crash is the children's: what they never printed is explained, whatever the exit
    echoes: bool = False  # the children ran the main module's top level again: what it prints, they printed again
    alike_under_fork: bool = False  # read across a task's start methods: alike under fork, else no known cause
    gone: re.Pattern | None = None  # a legacy line the port cannot print, since it shows what Python 3 removed
    start_methods: tuple[str, ...] = START_METHODS  # where the change shows
    python: tuple[int, int] = (3, 0)  # the first Python 3 that shows it
    readme: str = ""  # the README's anchor that teaches it, where it has one
    example_context: Context = Context()

    @property
    def link(self) -> str:
        return f"README.md#{self.readme}" if self.readme else f"docs/diagnoses.md#{self.id}"

    def applies(self, context: Context) -> bool:
        return context.start_method in self.start_methods and tuple(context.python[:2]) >= self.python


def changed(pairs: list[tuple[str, str]], legacy: str, modern: str) -> list[tuple[str, str]]:
    """The rewritten pairs that differ from the lines given: a rule that changed nothing did not apply."""
    return [pair for pair in pairs if pair != (legacy, modern)]


def crash_pattern(*exceptions: str) -> re.Pattern:
    return re.compile(r"^err: (?:" + "|".join(exceptions) + r")$")


A_CRASH = ("-exit code: 0", "+exit code: 1")  # the exit codes of an example whose port crashed
