"""The mechanical port (2to3, by fissix): what it makes of each pair, of your script, and of a program's modules.

The report compares each pair's port under every start method, against the verdict the pair's
data expects (portcheck.toml, `mechanical`); here: what the converter changes, what it writes
and where, and how the command shows a port.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from portcheck import cli as compare
from portcheck import config
from portcheck.mechanical import convert_program, converter_problem, mechanical_port, read_source
from portcheck.model import Verdict
from portcheck.running import START_METHODS
from tests.support import LIVE, PAIRS, ROOT, cells, legacy_script, one_line_error, pair_names, sandboxed

PRINT_STATEMENT = re.compile(r"^(\s*)print (.+)$")

pytestmark = pytest.mark.usefixtures("converter")


@pytest.fixture
def at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", pair_names())
def test_what_2to3_changes_beyond_print_statements(name: str) -> None:
    """Every line 2to3 changes is a print statement made a call, but for the pair's declared `fixes_2to3`."""
    script = legacy_script(name)
    legacy_lines = script.read_text().splitlines()
    port_lines = mechanical_port(read_source(script, script.name), script.name).splitlines()
    assert len(port_lines) == len(legacy_lines)
    beyond_print = []
    for old, new in zip(legacy_lines, port_lines):
        statement = PRINT_STATEMENT.match(old)
        if old != new and not (statement and new == f"{statement.group(1)}print({statement.group(2)})"):
            beyond_print.append([old.strip(), new.strip()])
    assert beyond_print == PAIRS.settings(name).about.get("fixes_2to3", [])


def test_the_port_is_written_only_where_it_is_asked_for(tmp_path: Path) -> None:
    converted = convert_program(legacy_script("queue_full_empty").parent, "queue_full_empty.py", tmp_path)
    assert converted == ["queue_full_empty.py"]
    assert [path.name for path in tmp_path.iterdir()] == ["queue_full_empty.py"]
    assert "from queue import Empty, Full\n" in (tmp_path / "queue_full_empty.py").read_text()


def test_a_port_keeps_its_declared_encoding(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "gbk.py").write_bytes('# -*- coding: gbk -*-\nprint "你好"\n'.encode("gbk"))
    convert_program(tmp_path / "old", "gbk.py", tmp_path)
    assert (tmp_path / "gbk.py").read_bytes() == '# -*- coding: gbk -*-\nprint("你好")\n'.encode("gbk")


def test_the_port_of_a_program_is_the_port_of_the_modules_it_imports(tmp_path: Path) -> None:
    """main.py's own helper is converted with it; a module beside it that it never imports is not."""
    (tmp_path / "main.py").write_text("import helper\nimport os\nprint helper.greeting()\n")
    (tmp_path / "helper.py").write_text("def greeting():\n    return u'hello %d' % 1L\n")
    (tmp_path / "unused.py").write_text("print 'never imported'\n")
    out = tmp_path / "port"
    assert sorted(convert_program(tmp_path, "main.py", out)) == ["helper.py", "main.py"]
    assert (out / "helper.py").read_text() == "def greeting():\n    return 'hello %d' % 1\n"


def test_a_module_of_a_package_gets_its_implicit_relative_imports_made_explicit(tmp_path: Path) -> None:
    package = tmp_path / "tool"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "report.py").write_text("import stats\nprint stats.mean([1, 2])\n")
    (package / "stats.py").write_text("def mean(values):\n    return sum(values) / len(values)\n")
    assert sorted(convert_program(tmp_path, "tool/report.py", tmp_path)) == ["tool/report.py", "tool/stats.py"]
    assert (package / "report.py").read_text() == "from . import stats\nprint(stats.mean([1, 2]))\n"


def test_a_script_is_in_no_package_whatever_lies_beside_it(tmp_path: Path) -> None:
    """fix_import looks for a package beside a file: a script's `import time` stays absolute."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "time.py").write_text("")
    assert mechanical_port("import time\n", "script.py") == "import time\n"


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
    assert any(re.fullmatch(r"  out: pid \d+", line) for line in out.splitlines())
    python = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    assert f"on {python} under {', '.join(START_METHODS)}: identical" in out  # the same verdict, said once
    assert sandboxed(out).endswith("verdict: identical")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.py"]  # no port left behind


@pytest.mark.usefixtures("python2")
def test_legacy_alone_whose_port_differs_exits_1_with_the_difference_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert compare.main([*scripts(tmp_path, "print 7 / 2\n"), "--start-methods", "fork"]) == 1
    out = capsys.readouterr().out
    assert "-print 7 / 2\n+print(7 / 2)" in out
    assert "  -out: 3\n  +out: 3.5" in out
    assert sandboxed(out).endswith("verdict: different")


@pytest.mark.usefixtures("python2")
def test_legacy_alone_that_is_not_python_2_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(scripts(tmp_path, 'print "hello"\ndef f(:\n    pass\n')) == 2
    error = one_line_error(capsys)
    assert error == f"error: not valid Python 2.7: {tmp_path / 'old.py'}:2: invalid syntax"


def test_a_script_the_converter_cannot_parse_is_said_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text('print "hello"\ndef f(:\n    pass\n')
    problem = converter_problem(tmp_path / "old.py", "old.py")
    assert problem == "cannot convert old.py: bad input at line 2, column 7: ':'"


@pytest.mark.usefixtures("python2", "at_the_root")
def test_an_expected_mechanical_difference_keeps_the_report_passing(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["process_sleeper", "pipe_eof", "--start-methods", "fork,forkserver"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[1].split()[0] == "process_sleeper"
    assert "  identical; forkserver: different (expected) [lint: " in lines[1]  # what 2to3 left, linted
    assert cells(lines[2])[:5] == ["pipe_eof", LIVE, "identical", "identical", "identical"]
    assert "2to3 ports: 2 as expected, 0 unexpected" in lines[3]
    assert captured.err == ""


@pytest.mark.usefixtures("python2", "at_the_root")
def test_an_unexpected_mechanical_verdict_fails_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_load = config.load

    def expecting_a_difference(path: Path | None) -> config.Config:
        loaded = real_load(path)
        expect = dataclasses.replace(
            loaded.programs["pipe_send"], mechanical=config.Mechanical((("fork", Verdict.DIFFERENT),), "as a test says")
        )
        return dataclasses.replace(loaded, programs={**loaded.programs, "pipe_send": expect})

    monkeypatch.setattr(config, "load", expecting_a_difference)
    assert compare.main(["pipe_send", "pipe_eof", "--start-methods", "fork"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert "  fork: identical, UNEXPECTED (different expected)" in lines[1]
    assert "0 different; 2to3 ports: 1 as expected, 1 unexpected" in lines[3]
    python = f"Python {sys.version_info[0]}.{sys.version_info[1]}"
    said = "identical, but its data expects different"
    assert captured.err == f"error: 2to3 of legacy/pipe_send.py on {python} under fork: {said}\n"


@pytest.mark.usefixtures("python2", "at_the_root")
def test_one_pair_shows_its_mechanical_port_and_why_it_differs(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["process_sleeper", "--start-methods", "forkserver"]) == 0
    out = capsys.readouterr().out
    assert "+++ 2to3 of legacy/process_sleeper.py (fissix 24.4.24, made for this run)" in out
    assert '+    print("Parent Process ID# %s" % (os.getppid()))' in out.splitlines()
    assert "under forkserver: different (as expected: 2to3 keeps `os.getppid()`" in out
    assert re.search(r"^  -out: Parent Process ID# \d+\n  \+out: Parent Process ID# \d+$", out, re.MULTILINE)
    # its data names the cause, and the diagnosis must be that one for the port to be as expected
    assert "  cause: under forkserver a child's os.getppid() is the fork server's pid" in out
    assert "[getppid-under-forkserver] fix: use multiprocessing.parent_process().pid" in out
    assert sandboxed(out).endswith("2to3 verdict: as expected")


@pytest.mark.usefixtures("python2", "at_the_root")
def test_json_has_rows_for_the_mechanical_port(tmp_path: Path) -> None:
    assert compare.main(["pipe_one_way", "--start-methods", "fork", "--json", str(tmp_path / "r.json")]) == 0
    rows = json.loads((tmp_path / "r.json").read_text())["results"]
    assert [row["kind"] for row in rows] == ["modern", "mechanical"]
    mechanical = rows[1]
    assert mechanical["verdict"] == "declared differences"
    assert mechanical["expected"] == {"verdict": "declared differences", "why": "", "diagnoses": []}
    assert mechanical["diagnoses"] == []
    assert mechanical["as_expected"] is True
    assert mechanical["start_method"] == "fork"
    assert ["out", "receiver.send(): OSError: connection is read-only", "<main pid>"] in mechanical["modern"]["lines"]


@pytest.mark.usefixtures("python2")
def test_legacy_alone_ports_the_modules_it_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--legacy old/main.py` alone: its 2to3 port imports the converted helper.py, not the Python 2 one."""
    shutil.copytree(ROOT / "tests" / "corpus" / "multi_module" / "old", tmp_path / "old")
    monkeypatch.chdir(tmp_path)
    results = tmp_path / "results.json"
    assert compare.main(["--legacy", "old/main.py", "--start-methods", "spawn", "--json", str(results)]) == 0
    rows = json.loads(results.read_text())["results"]
    assert [(row["kind"], row["verdict"]) for row in rows] == [("mechanical", "identical")]
    assert sorted(path.name for path in (tmp_path / "old").iterdir()) == ["helper.py", "main.py"]
