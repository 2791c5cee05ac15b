"""The checker itself: every kind of difference is reported, and the normalisation hides none.

Each mutant is a modern program with one deliberate change, run for real and compared with its
legacy recording, which its unchanged program matches (test_pairs_compared). A mutant reported as anything
but "different", or whose report does not show the change, is a checker that can pass by accident.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from portcheck.pairs import PAIRS, modern_script, read_recording
from portcheck.running import Run, run_program
from portcheck.transcript import (
    Comparison,
    Difference,
    Rules,
    Verdict,
    name_processes,
    order_streams,
    process_roles,
    transcript,
    without_traceback_frames,
)
from tests.support import edited_copy


@dataclass(frozen=True)
class Mutant:
    kind: str
    name: str
    edits: tuple[tuple[str, str], ...]
    shown: str  # a line of the report that proves the checker saw the change
    start_method: str = "fork"
    timeout: float = 20


FAST = ("TIMEOUT = 10  #", "TIMEOUT = 1  #")

MUTANTS = [
    Mutant(
        "a helper that outlives the program",
        "pipe_send",
        (("def main() -> None:\n", "def main() -> None:\n    __import__('subprocess').Popen(['sleep', '5'])\n"),),
        "+leftover processes killed: 1",
    ),
    Mutant("changed word", "queue_offer", (('put("Hello World")', 'put("Hello world")'),), "+out: Hello world"),
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
        "+out: and again",
    ),
    Mutant("lost queue message", "queue_offer", (FAST, ('queue.put("Hello World")', "pass")), "-out: Hello World"),
    Mutant(
        "reordering the program guarantees",
        "process_sleeper",
        (
            ('    print(f"Process ID# {os.getpid()}")\n', ""),
            ('    print(f"{name} will', '    print(f"Process ID# {os.getpid()}")\n    print(f"{name} will'),
        ),
        "+out: Parent Process ID# <main pid>",
    ),
    Mutant(
        "exit code",
        "rlock_reentry",
        (("        rlock.release()\n", "        rlock.release()\n    sys.exit(3)\n"),),
        "+exit code: 3",
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
        "+err: RuntimeError: late",
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
        "+exit code: none, killed after its 3 s timeout",
        timeout=3,
    ),
    Mutant(
        "a child's parent taken from os.getppid()",
        "process_sleeper",
        (("multiprocessing.parent_process().pid", "os.getppid()"),),
        "+out: Parent Process ID# <pid 2>",
        start_method="forkserver",
    ),
]


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.kind)
def test_mutant_is_reported_as_different(mutant: Mutant, tmp_path: Path) -> None:
    run = run_program(
        edited_copy(modern_script(mutant.name), mutant.edits, tmp_path),
        sys.executable,
        mutant.start_method,
        timeout=mutant.timeout,
    )
    pair = PAIRS[mutant.name]
    comparison = Comparison(
        "legacy", "mutant", read_recording(mutant.name), transcript(run, pair.rules), pair.differences
    )
    report = comparison.report()
    assert comparison.verdict is Verdict.DIFFERENT, report
    assert mutant.shown in report.splitlines(), report


def test_streams_keep_their_own_order_but_not_each_others() -> None:
    child, parent = r"^child", r"^parent"
    one = ["start", "child 1", "parent 1", "child 2", "parent 2", "end"]
    other = ["start", "parent 1", "parent 2", "child 1", "child 2", "end"]
    assert order_streams(one, (child, parent)) == order_streams(other, (child, parent))
    swapped = ["start", "child 2", "parent 1", "child 1", "parent 2", "end"]
    assert order_streams(swapped, (child, parent)) != order_streams(one, (child, parent))


def test_a_line_outside_every_stream_fences_the_reordering() -> None:
    lines = ["child 1", "joined", "parent 1"]
    assert order_streams(lines, (r"^child", r"^parent")) == lines
    assert order_streams(["parent 1", "joined", "child 1"], (r"^child", r"^parent")) != lines


def test_captured_groups_make_one_stream_per_value() -> None:
    pattern = (r"^Hello Num: (\d+)$",)
    assert order_streams(["Hello Num: 2", "Hello Num: 1"], pattern) == ["Hello Num: 1", "Hello Num: 2"]


def test_process_ids_become_roles_and_other_numbers_stay() -> None:
    lines = ["Process ID# 4242", "Parent Process ID# 100", "parent process: 77", "pid 4242 again", "waited 4242.5 s"]
    assert name_processes([*lines, "Hello Num: 100", "got 77"], main_pid=100, launcher_pid=77) == [
        "Process ID# <pid 1>",
        "Parent Process ID# <main pid>",
        "parent process: <launcher pid>",
        "pid <pid 1> again",
        "waited 4242.5 s",
        "Hello Num: 100",
        "got 77",
    ]


def test_processes_are_ranked_by_creation_across_the_pid_wrap() -> None:
    """The kernel starts again from the bottom after pid_max: a child made after the wrap is the later one."""
    processes = ((32_766, "process"), (32_767, "process"), (301, "process"), (305, "helper"))
    run = Run(("x",), 32_765, 32_000, 0, "", "", 1.0, 0, 0.1, processes=processes)
    assert process_roles(run, pid_max=32_768) == {
        32_765: "<main pid>",
        32_000: "<launcher pid>",
        32_766: "<pid 1>",
        32_767: "<pid 2>",
        301: "<pid 3>",
        305: "<helper pid>",
    }


def test_a_declared_difference_must_show_and_is_reported() -> None:
    rename = Difference("IOError", "OSError", "PEP 3151")
    applied = Comparison("legacy", "modern", ["out: IOError: x"], ["out: OSError: x"], (rename,))
    assert applied.verdict is Verdict.DECLARED
    assert "PEP 3151" in applied.report()
    stale = Comparison("legacy", "modern", ["out: same"], ["out: same"], (rename,))
    assert stale.verdict is Verdict.DIFFERENT
    assert "STALE" in stale.report()


def test_a_declared_difference_is_not_a_wildcard() -> None:
    rename = Difference("IOError", "OSError", "PEP 3151")
    comparison = Comparison("legacy", "modern", ["out: IOError: read-only"], ["out: OSError: write-only"], (rename,))
    assert comparison.verdict is Verdict.DIFFERENT


def test_generic_rules_reorder_nothing() -> None:
    assert order_streams(["b", "a"], Rules().concurrent) == ["b", "a"]


def test_a_traceback_keeps_its_header_and_exception_but_not_its_frames() -> None:
    lines = [
        "Process Process-1:",
        "Traceback (most recent call last):",
        '  File "<string>", line 14, in <module>',
        "    runpy.run_path(script, run_name='__main__')",
        "    ~~~~~~~~~~~~~~^^^^^^^^",
        "ValueError: bad input 42",
        "  indented, but after the traceback",
    ]
    assert without_traceback_frames(lines) == [
        "Process Process-1:",
        "Traceback (most recent call last):",
        "ValueError: bad input 42",
        "  indented, but after the traceback",
    ]
