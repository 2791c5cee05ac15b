"""The mechanical port (2to3, by fissix): what it makes of each pair, against the pair's data, and of your script.

Each pair's port is made at run time, as the report makes it, so a changed converter or runtime
shows here as a verdict its data does not expect. README.md's "What a mechanical port gets
wrong" names these tests.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest

from portcheck import cli as compare
from portcheck.comparison import Transcribed
from portcheck.interpreters import this_python
from portcheck.mechanical import mechanical_port, read_source, write_mechanical_port
from portcheck.pairs import PAIRS, Mechanical, legacy_script, pair_names
from portcheck.running import START_METHODS, run_program
from portcheck.transcript import Comparison, Verdict, transcript

PRINT_STATEMENT = re.compile(r"^(\s*)print (.+)$")

pytestmark = pytest.mark.usefixtures("converter")


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err + captured.out
    return lines[0]


@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize("name", pair_names())
def test_mechanical_port_gives_the_verdict_its_data_expects(
    name: str, start_method: str, legacy: Callable[[str], Transcribed], tmp_path: Path
) -> None:
    pair = PAIRS[name]
    against = legacy(name)
    port = write_mechanical_port(legacy_script(name), tmp_path)
    run = run_program(port, sys.executable, start_method, interrupt=pair.interrupt)
    comparison = Comparison(
        against.label,
        f"2to3 of legacy/{name}.py on Python {this_python().release} under {start_method}",
        against.lines,
        transcript(run, pair.rules),
        pair.differences,
    )
    expected, why = pair.expected_mechanical(start_method)
    if comparison.verdict is not expected:
        reason = f" ({why})" if why else " (the modern program's verdict)"
        pytest.fail(f"expected {expected}{reason}, got:\n{comparison.report()}", pytrace=False)


@pytest.mark.parametrize("name", pair_names())
def test_what_2to3_changes_beyond_print_statements(name: str) -> None:
    """Every line 2to3 changes is a print statement made a call, but for the pair's declared `fixes`."""
    script = legacy_script(name)
    legacy_lines = script.read_text().splitlines()
    port_lines = mechanical_port(read_source(script, script.name), script.name).splitlines()
    assert len(port_lines) == len(legacy_lines)
    beyond_print = []
    for old, new in zip(legacy_lines, port_lines):
        statement = PRINT_STATEMENT.match(old)
        if old != new and not (statement and new == f"{statement.group(1)}print({statement.group(2)})"):
            beyond_print.append((old.strip(), new.strip()))
    assert tuple(beyond_print) == PAIRS[name].mechanical.fixes


def test_the_port_is_written_only_where_it_is_asked_for(tmp_path: Path) -> None:
    port = write_mechanical_port(legacy_script("queue_full_empty"), tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["queue_full_empty.py"]
    assert port == tmp_path / "queue_full_empty.py"
    assert "from queue import Empty, Full\n" in port.read_text()


def test_a_port_keeps_its_declared_encoding(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    script = tmp_path / "old" / "gbk.py"
    script.write_bytes('# -*- coding: gbk -*-\nprint "你好"\n'.encode("gbk"))
    port = write_mechanical_port(script, tmp_path)
    assert port.read_bytes() == '# -*- coding: gbk -*-\nprint("你好")\n'.encode("gbk")


def scripts(directory: Path, legacy: str) -> list[str]:
    (directory / "old.py").write_text(legacy)
    return ["--legacy", str(directory / "old.py")]


@pytest.mark.usefixtures("python2")
def test_legacy_alone_that_2to3_ports_faithfully_is_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the scratch directory goes
    legacy = "import os\nprint 'pid %d' % os.getpid()\nprint map(str, [1, 2])\n"
    assert compare.main(scripts(tmp_path, legacy)) == 0
    out = capsys.readouterr().out
    assert "+print(list(map(str, [1, 2])))" in out.splitlines()
    assert "  out: pid <main pid>" in out.splitlines()
    python = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert f"on {python} under {', '.join(START_METHODS)}: identical" in out  # the same verdict, said once
    assert out.rstrip().endswith("verdict: identical")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.py"]  # no port left behind


@pytest.mark.usefixtures("python2")
def test_legacy_alone_whose_port_differs_exits_1_with_the_difference_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert compare.main([*scripts(tmp_path, "print 7 / 2\n"), "--start-methods", "fork"]) == 1
    out = capsys.readouterr().out
    assert "-print 7 / 2\n+print(7 / 2)" in out
    assert "  -out: 3\n  +out: 3.5" in out
    assert out.rstrip().endswith("verdict: different")


def test_legacy_alone_that_the_converter_cannot_parse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(scripts(tmp_path, 'print "hello"\ndef f(:\n    pass\n')) == 2
    error = one_line_error(capsys)
    assert error == f"error: cannot convert {(tmp_path / 'old.py').resolve()}: bad input at line 2, column 7: ':'"


@pytest.mark.usefixtures("python2")
def test_an_expected_mechanical_difference_keeps_the_report_passing(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["process_sleeper", "pipe_eof", "--start-methods", "fork,forkserver"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[1].split()[0] == "process_sleeper"
    assert lines[1].endswith("  identical; forkserver: different (expected)")
    assert lines[2].endswith("  identical")
    assert "2to3 ports: 2 as expected, 0 unexpected" in lines[3]
    assert captured.err == ""


@pytest.mark.usefixtures("python2")
def test_an_unexpected_mechanical_verdict_fails_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expecting = Mechanical(keeps="", verdicts={"fork": Verdict.DIFFERENT}, why="as a test says")
    monkeypatch.setitem(PAIRS, "pipe_send", dataclasses.replace(PAIRS["pipe_send"], mechanical=expecting))
    assert compare.main(["pipe_send", "pipe_eof", "--start-methods", "fork"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[1].endswith("  fork: identical, UNEXPECTED (different expected)")
    assert "0 different; 2to3 ports: 1 as expected, 1 unexpected" in lines[3]
    python = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    said = "identical, but portcheck/pairs.py expects different"
    assert captured.err == f"error: 2to3 of legacy/pipe_send.py on {python} under fork: {said}\n"


@pytest.mark.usefixtures("python2")
def test_one_pair_shows_its_mechanical_port_and_why_it_differs(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["process_sleeper", "--start-methods", "forkserver"]) == 0
    out = capsys.readouterr().out
    assert "+++ 2to3 of legacy/process_sleeper.py (fissix 24.4.24, made for this run)" in out
    assert '+    print("Parent Process ID# %s" % (os.getppid()))' in out.splitlines()
    assert "under forkserver: different (as expected: 2to3 keeps `os.getppid()`" in out
    assert "  -out: Parent Process ID# <main pid>\n  +out: Parent Process ID# <pid 2>" in out
    assert out.rstrip().endswith("2to3 verdict: as expected")


@pytest.mark.usefixtures("python2")
def test_json_has_rows_for_the_mechanical_port(tmp_path: Path) -> None:
    assert compare.main(["pipe_one_way", "--start-methods", "fork", "--json", str(tmp_path / "r.json")]) == 0
    rows = json.loads((tmp_path / "r.json").read_text())["results"]
    assert [row["kind"] for row in rows] == ["modern", "mechanical"]
    mechanical = rows[1]
    assert mechanical["verdict"] == "declared differences"
    assert mechanical["expected"] == {"verdict": "declared differences", "why": ""}
    assert mechanical["as_expected"] is True
    assert mechanical["modern"]["start_method"] == "fork"
    assert "out: receiver.send(): OSError: connection is read-only" in mechanical["modern"]["transcript"]
