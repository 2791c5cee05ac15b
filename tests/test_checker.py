"""The checker itself: every kind of difference is reported, and the normalisation hides none.

Each mutant is a modern program with one deliberate change, run for real and compared with its
legacy recording, which its unchanged program matches (the report's own check). A mutant
reported as anything but "different", or whose diff does not show the change, is a checker that
can pass by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from portcheck import recordings
from portcheck.interpreters import this_python
from portcheck.model import Line, Port, Program, Verdict
from portcheck.normalise import order_streams
from portcheck.observe import in_order_of_creation, observe
from portcheck.plan import Request, plan
from portcheck.verdict import compare
from tests.support import PAIRS, RECORDINGS_DIR, ROOT, edited_copy, modern_script


@dataclass(frozen=True)
class Mutant:
    kind: str
    name: str
    edits: tuple[tuple[str, str], ...]
    shown: str  # a pattern for a line of the diff that proves the checker saw the change
    start_method: str = "fork"
    timeout: float = 20


FAST = ("TIMEOUT = 10  #", "TIMEOUT = 1  #")

MUTANTS = [
    Mutant(
        "a helper that outlives the program",
        "pipe_send",
        (("def main() -> None:\n", "def main() -> None:\n    __import__('subprocess').Popen(['sleep', '30'])\n"),),
        r"\+leftover processes killed: 1",
    ),
    Mutant("changed word", "queue_offer", (('put("Hello World")', 'put("Hello world")'),), r"\+out: Hello world"),
    Mutant(
        "missing line",
        "condition_notify",
        (('        print(f"consumer: woke up to {stock.value} items in stock")\n', ""),),
        "-out: consumer: woke up to 3 items in stock",
    ),
    Mutant(
        "extra line",
        "pipe_send",
        (("        print(parent_conn.recv())\n", '        print(parent_conn.recv())\n        print("and again")\n'),),
        r"\+out: and again",
    ),
    Mutant("lost queue message", "queue_offer", (FAST, ('queue.put("Hello World")', "pass")), "-out: Hello World"),
    Mutant(
        "reordering the program guarantees",
        "process_sleeper",
        (
            ('    print(f"Process ID# {os.getpid()}")\n', ""),
            ('    print(f"{name} will', '    print(f"Process ID# {os.getpid()}")\n    print(f"{name} will'),
        ),
        r"\+out: Parent Process ID# \d+",
    ),
    Mutant(
        "exit code",
        "rlock_reentry",
        (("        rlock.release()\n", "        rlock.release()\n    sys.exit(3)\n"),),
        r"\+exit code: 3",
    ),
    Mutant(
        "traceback on stderr",
        "pipe_one_way",
        (
            (
                '        conn.send("Hello World")\n',
                '        conn.send("Hello World")\n        raise RuntimeError("late")\n',
            ),
        ),
        r"\+err: RuntimeError: late",
    ),
    Mutant(
        "hang",
        "pipe_eof",
        (
            ("        sender.close()\n", ""),
            (
                '        if not receiver.poll(TIMEOUT):\n            sys.exit(f"no EOF',
                '        if False:\n            sys.exit(f"no EOF',
            ),
        ),
        r"\+exit code: none, killed after its 3 s timeout",
        timeout=3,
    ),
    Mutant(
        "a child's parent taken from os.getppid()",
        "process_sleeper",
        (("multiprocessing.parent_process().pid", "os.getppid()"),),
        r"\+out: Parent Process ID# \d+",
        start_method="forkserver",
    ),
]


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.kind)
def test_mutant_is_reported_as_different(mutant: Mutant, tmp_path: Path) -> None:
    script = edited_copy(modern_script(mutant.name), mutant.edits, tmp_path)
    settings = PAIRS.settings(mutant.name)
    python = this_python()
    program = Program(
        "mutant.py",
        python,
        tmp_path,
        script,
        start_method=mutant.start_method,
        timeout=mutant.timeout,
        interrupt=settings.interrupt,
    )
    recording = recordings.read(RECORDINGS_DIR / f"{mutant.name}.json").runs[0]
    task = plan(Request(names=(mutant.name,), directory=ROOT, start_methods=(mutant.start_method,))).tasks[0]
    result = compare(mutant.name, Port.MODERN, recording, observe(program), task.policy)
    diff = [f"{line.mark}{line.text}" for line in result.diff]
    assert result.verdict is Verdict.DIFFERENT, diff
    assert any(re.fullmatch(mutant.shown, line) for line in diff), "\n".join(diff)


def lines(*texts: str) -> list[Line]:
    return [Line("out", text) for text in texts]


def test_streams_keep_their_own_order_but_not_each_others() -> None:
    child, parent = r"^child", r"^parent"
    one = lines("start", "child 1", "parent 1", "child 2", "parent 2", "end")
    other = lines("start", "parent 1", "parent 2", "child 1", "child 2", "end")
    assert order_streams(one, (child, parent)) == order_streams(other, (child, parent))
    swapped = lines("start", "child 2", "parent 1", "child 1", "parent 2", "end")
    assert order_streams(swapped, (child, parent)) != order_streams(one, (child, parent))


def test_a_line_outside_every_stream_fences_the_reordering() -> None:
    fenced = lines("child 1", "joined", "parent 1")
    assert order_streams(fenced, (r"^child", r"^parent")) == fenced
    assert order_streams(lines("parent 1", "joined", "child 1"), (r"^child", r"^parent")) != fenced


def test_captured_groups_make_one_stream_per_value() -> None:
    pattern = (r"^Hello Num: (\d+)$",)
    assert order_streams(lines("Hello Num: 2", "Hello Num: 1"), pattern) == lines("Hello Num: 1", "Hello Num: 2")


def test_processes_are_ranked_by_creation_across_the_pid_wrap() -> None:
    """The kernel starts again from the bottom after pid_max: a child made after the wrap is the later one."""
    assert in_order_of_creation([32_767, 301, 32_766], first=32_765, pid_max=32_768) == [32_766, 32_767, 301]
    assert in_order_of_creation([32_767, 301, 32_766], first=32_765, pid_max=None) == [301, 32_766, 32_767]
