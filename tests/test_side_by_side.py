"""portcheck.side_by_side: blocks paired by name, lines classified, the terminal view."""

from __future__ import annotations

import sys
import textwrap

import pytest

from portcheck.side_by_side import (
    ADDED,
    CHANGED,
    COMMON,
    MIN_WIDTH,
    REMOVED,
    SAME,
    align,
    canonical,
    changed_spans,
    counts,
    render_text,
)
from tests.support import legacy_script, modern_script, pair_names

LEGACY = textwrap.dedent(
    '''\
    """Legacy."""
    from multiprocessing import Process, Queue


    def put_one(q, n):
        q.put(n)
        print "child %s put %d" % (n, n)


    if __name__ == "__main__":
        q = Queue()
        p = Process(target=put_one, args=(q, 1))
        p.start()
        print "got %s" % q.get()
        p.join()
    '''
)

MODERN = textwrap.dedent(
    '''\
    """Modern."""

    from __future__ import annotations

    from multiprocessing import Process, Queue

    TIMEOUT = 10


    def put_one(q: Queue, n: int) -> None:
        q.put(n)
        print(f"child {n} put {n}")


    def main() -> None:
        q = Queue()
        p = Process(target=put_one, args=(q, 1), daemon=True)
        p.start()
        print(f"got {q.get(timeout=TIMEOUT)}")
        p.join(TIMEOUT)


    if __name__ == "__main__":
        main()
    '''
)


def rows_by_text(blocks, side: str) -> dict[str, str]:
    return {getattr(row, side).text.strip(): row.change for block in blocks for row in block.rows if getattr(row, side)}


def test_blocks_are_paired_by_name_and_main_takes_the_main_body() -> None:
    blocks = align(LEGACY, MODERN)
    assert [block.key for block in blocks] == ["docstring", "top", "def put_one", "main", "entry"]
    main = next(block for block in blocks if block.key == "main")
    assert (
        main.rows[
            [row.legacy.text if row.legacy else "" for row in main.rows].index('if __name__ == "__main__":')
        ].modern.text
        == "def main() -> None:"
    )
    entry = blocks[-1]
    assert all(row.legacy is None and row.change == COMMON for row in entry.rows)


def test_common_changes_are_told_apart_from_changes_of_substance() -> None:
    blocks = align(LEGACY, MODERN)
    modern = rows_by_text(blocks, "modern")
    assert modern["from __future__ import annotations"] == COMMON
    assert modern["def put_one(q: Queue, n: int) -> None:"] == COMMON  # annotations only
    assert modern['print(f"child {n} put {n}")'] == COMMON  # print() and an f-string giving the same text
    assert modern["def main() -> None:"] == COMMON
    assert modern["from multiprocessing import Process, Queue"] == SAME
    assert modern["q.put(n)"] == SAME
    assert modern["TIMEOUT = 10"] == ADDED
    assert modern["p = Process(target=put_one, args=(q, 1), daemon=True)"] == CHANGED
    assert modern['print(f"got {q.get(timeout=TIMEOUT)}")'] == CHANGED
    assert modern["p.join(TIMEOUT)"] == CHANGED
    whys = {
        row.why for block in blocks for row in block.rows if row.change == COMMON and row.modern and row.modern.text
    }
    assert {"annotations", "main() move", "print() and f-string"} <= whys


def test_a_line_only_one_side_has() -> None:
    blocks = align("def f():\n    a()\n    b()\n", "def f() -> None:\n    a()\n    c = 1\n")
    legacy = rows_by_text(blocks, "legacy")
    modern = rows_by_text(blocks, "modern")
    assert legacy["b()"] in (REMOVED, CHANGED)
    assert modern["c = 1"] in (ADDED, CHANGED)
    assert counts(blocks)[SAME] == 1


def test_a_changed_signature_stays_beside_the_old_one() -> None:
    blocks = align("def work(semaphore, inside, peak, go):\n    pass\n", "def work() -> None:\n    pass\n")
    header = blocks[0].rows[0]
    assert header.legacy.text.startswith("def work(")
    assert header.modern.text.startswith("def work(")
    assert header.change == CHANGED


def test_a_helper_only_the_modern_side_has_is_added() -> None:
    legacy = "def work(lock):\n    pass\n"
    modern = "def share(lock):\n    pass\n\n\ndef work() -> None:\n    pass\n"
    blocks = align(legacy, modern)
    assert [block.key for block in blocks] == ["def share", "def work"]
    assert all(row.change == ADDED for row in blocks[0].rows if row.modern.text.strip())


@pytest.mark.parametrize(
    ("legacy", "modern", "same"),
    [
        ('print "n: %s" % n', 'print(f"n: {n}")', True),
        ('print "%s and %s" % (a, b)', 'print(f"{a} and {b}")', True),
        ('print "%r" % (x,)', 'print(f"{x!r}")', True),
        ('print "100%%: %d" % n', 'print(f"100%: {n}")', True),
        ("print", "print()", True),
        ('print "n: %5s" % n', 'print(f"n: {n}")', False),  # a width: not the same text
        ('print "n: %s" % n', 'print(f"n: {n}", flush=True)', False),
        ("def f(a, b):", "def f(a: int, b: str = 'x') -> None:", False),  # a default added
        ("def f(a, b='x'):", "def f(a: int, b: str = 'x') -> None:", True),
        ("from m import b, a", "from m import a, b", True),
        ("x = 1", "x: int = 1", True),
        ("if __name__ == '__main__':", "def main() -> None:", True),
        ("except IOError:", "except OSError:", False),
        ("except IOError, e:", "except IOError as e:", False),  # not Python 3: compared as text
    ],
)
def test_canonical(legacy: str, modern: str, same: bool) -> None:
    assert (canonical(legacy, legacy=True) == canonical(modern)) is same


@pytest.mark.skipif(sys.version_info < (3, 9), reason="ast.unparse is 3.9+; 3.8 marks the raw words")
def test_changed_spans_leave_out_the_common_changes() -> None:
    old = '    print "Hello Num: %s" % (num)'
    new = '        print(f"Hello Num: {num}", flush=True)'
    old_spans, new_spans = changed_spans(old, new)
    assert old_spans == []
    assert [new[a:b] for a, b in new_spans] == [", flush=True"]


def test_changed_spans_on_lines_that_do_not_parse_alone() -> None:
    old, new = "    p.join(", "    p.join(TIMEOUT,"
    old_spans, new_spans = changed_spans(old, new)
    assert old_spans == []
    assert [new[a:b] for a, b in new_spans] == ["TIMEOUT,"]


@pytest.mark.parametrize("name", pair_names())
def test_every_pair_aligns(name: str) -> None:
    legacy = legacy_script(name).read_text(encoding="utf-8")
    modern = modern_script(name).read_text(encoding="utf-8")
    blocks = align(legacy, modern)
    keys = [block.key for block in blocks]
    assert keys[0] == "docstring"
    assert "main" in keys
    shown_legacy = [row.legacy.number for block in blocks for row in block.rows if row.legacy]
    shown_modern = [row.modern.number for block in blocks for row in block.rows if row.modern]
    assert shown_legacy == list(range(1, len(legacy.splitlines()) + 1)), "every legacy line, once, in order"
    assert shown_modern == list(range(1, len(modern.splitlines()) + 1)), "every modern line, once, in order"
    legacy_defs = [key for key in keys if key.startswith("def ")]
    paired = [
        b.key
        for b in blocks
        if b.key.startswith("def ") and any(r.legacy for r in b.rows) and any(r.modern for r in b.rows)
    ]
    assert [key for key in legacy_defs if key in paired] == paired
    assert counts(blocks)[CHANGED] + counts(blocks)[ADDED] + counts(blocks)[REMOVED] > 0


@pytest.mark.parametrize("width", [MIN_WIDTH, 100, 160])
def test_render_text_fits_the_width_and_shows_both_programs(width: int) -> None:
    text = render_text(LEGACY, MODERN, width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert lines[0].startswith("legacy")
    assert "modern" in lines[0]
    assert any("── def put_one" in line for line in lines)
    body = "\n".join(lines)
    for fragment in ("q.put(n)", "daemon=True", "TIMEOUT = 10", "main()"):
        assert fragment in body.replace("\n", "") or fragment in body


def test_render_text_marks_the_rows() -> None:
    lines = render_text(LEGACY, MODERN, 160).splitlines()
    row = next(line for line in lines if "daemon=True" in line)
    assert "!" in row.split("│")[0]
    assert "!" in row.split("│")[1]
    added = next(line for line in lines if "TIMEOUT = 10" in line)
    assert added.split("│")[1].lstrip().split()[0].endswith("+") or "+ TIMEOUT" in added
    common = next(line for line in lines if "def main() -> None:" in line)
    assert "~" in common


def test_render_text_wraps_long_lines_instead_of_cutting_them() -> None:
    long_call = "    call(" + ", ".join(f"argument_{k}" for k in range(12)) + ")"
    text = render_text(f"def f():\n{long_call}\n", f"def f() -> None:\n{long_call}\n", 80)
    joined = "".join(part.split("│")[0][6:] for part in text.splitlines() if "│" in part)
    assert "argument_11" in joined


def test_render_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_text(LEGACY, MODERN, 120)
    assert "\x1b[" in render_text(LEGACY, MODERN, 120, color=True)


def test_render_text_refuses_a_narrow_terminal() -> None:
    with pytest.raises(ValueError, match="columns"):
        render_text(LEGACY, MODERN, MIN_WIDTH - 1)
