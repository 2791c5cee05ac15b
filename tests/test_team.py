"""A team's code base, as the team meets it: a configuration that cannot silently lie, sides given the wrong
way round, shards that merge only whole, and a report as a terminal shows it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portcheck import cli
from portcheck.interpreters import this_python
from portcheck.model import Observation, Plan, Port, Result, Task, ToolError, Verdict
from portcheck.plan import Request, plan
from portcheck.publish import json as json_results
from portcheck.publish import text
from tests.support import one_line_error

LOGANALYZE_PY2 = """\
import sys
from multiprocessing import Pool

def words(line):
    return len(line.split())

if __name__ == '__main__':
    if len(sys.argv) < 2:
        print >>sys.stderr, "usage: loganalyze.py LEVEL"
        sys.exit(2)
    lines = [line for line in sys.stdin if sys.argv[1] in line]
    pool = Pool(2)
    print "words:", sum(pool.map(words, lines))
"""
LOGANALYZE_PY3 = """\
import sys
from multiprocessing import Pool

def words(line):
    return len(line.split())

if __name__ == '__main__':
    if len(sys.argv) < 2:
        print("usage: loganalyze.py LEVEL", file=sys.stderr)
        sys.exit(2)
    lines = [line for line in sys.stdin if sys.argv[1] in line]
    with Pool(2) as pool:
        print("words:", sum(pool.map(words, lines)))
"""
HELLO_PY2 = "if __name__ == '__main__':\n    print 'hello', 1\n"
HELLO_PY3 = "if __name__ == '__main__':\n    print('hello', 1)\n"


@pytest.fixture
def code_base(tmp_path: Path) -> Path:
    """old/ and new/ of two programs, and the configuration a user writes from the README."""
    for side, loganalyze, hello in (("old", LOGANALYZE_PY2, HELLO_PY2), ("new", LOGANALYZE_PY3, HELLO_PY3)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "loganalyze.py").write_text(loganalyze)
        (tmp_path / side / "hello.py").write_text(hello)
    (tmp_path / "app.log").write_text("ERROR disk full\nINFO started\nERROR no route\n")
    (tmp_path / "portcheck.toml").write_text('legacy = "old"\nmodern = "new"\n')
    return tmp_path


def configured(code_base: Path, text: str) -> None:
    with (code_base / "portcheck.toml").open("a") as file:
        file.write(text)


def test_a_program_table_with_a_typo_is_refused_with_the_nearest_name(
    code_base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once, loganalyze ran without its arguments (both sides printed their usage: "identical") and the table
    became a row of its own."""
    configured(code_base, '[programs.loganalyse]\nargs = ["ERROR"]\nstdin = "app.log"\n')
    assert cli.main([]) == 2
    assert one_line_error(capsys) == (
        f"error: {code_base / 'portcheck.toml'}: [programs.loganalyse] names no program: there is neither"
        " old/loganalyse.py nor new/loganalyse.py (did you mean loganalyze?)"
    )


def test_a_name_that_names_no_program_is_refused_with_the_nearest_name(
    code_base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["loganalyse"]) == 2
    assert one_line_error(capsys) == (
        f"error: no program 'loganalyse' in {code_base / 'old'} or {code_base / 'new'} (did you mean loganalyze?);"
        " the programs are: hello, loganalyze"
    )


@pytest.mark.usefixtures("python2")
def test_directories_given_the_wrong_way_round_are_refused(code_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Once, every row was an error, said "legacy: live" although nothing ran on Python 2, and the 2to3
    summary counted -2 unexpected."""
    assert cli.main(["new", "old"]) == 2
    assert one_line_error(capsys) == (
        "error: the directories look swapped: new/hello.py is Python 3 and old/hello.py is not (2 of 2 programs so);"
        f" the Python 2 directory comes first: portcheck {code_base / 'old'} {code_base / 'new'}"
    )


@pytest.mark.usefixtures("python2")
def test_one_program_ported_both_ways_wrong_is_an_error_in_its_row_not_a_swap(
    code_base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a majority of programs that look swapped makes the sides look swapped."""
    (code_base / "old" / "hello.py").write_text(HELLO_PY3.replace("1)", "1, end='')"))
    (code_base / "new" / "hello.py").write_text(HELLO_PY2)
    (code_base / "old" / "other.py").write_text(HELLO_PY2)
    (code_base / "new" / "other.py").write_text(HELLO_PY3)
    assert cli.main(["--start-methods", "fork", "--no-2to3", "hello", "other"]) == 2
    captured = capsys.readouterr()
    rows = {line.split()[0]: line.split()[1:3] for line in captured.out.splitlines()[1:-1]}
    assert rows["hello"] == ["-", "ERROR"]
    assert rows["other"] in (["live", "identical"], ["cached", "identical"])  # tox's envs share legacy runs
    assert "swapped" not in captured.err


@pytest.mark.usefixtures("python2")
def test_the_2to3_column_switched_off_in_the_configuration(code_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As --no-2to3 does: one mechanical port that hangs once cost 30 s of every 33 s run."""
    configured(code_base, "2to3 = false\n")
    planned = plan(Request(start_methods=("fork",)))
    assert planned.mechanical_note == "2to3 = false in portcheck.toml"
    assert [task.mechanical for task in planned.tasks] == [(), ()]
    (code_base / "portcheck.toml").write_text('legacy = "old"\nmodern = "new"\n2to3 = "no"\n')
    assert cli.main([]) == 2
    assert one_line_error(capsys) == f"error: {code_base / 'portcheck.toml'}: 2to3: must be true or false"


def result(name: str, verdict: Verdict, kind: Port = Port.MODERN, **more: object) -> Result:
    return Result(name, kind, "3.13.0", "fork", verdict, **more)  # type: ignore[arg-type]


def test_a_row_whose_legacy_program_did_not_run_does_not_say_live(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    table = text.Table(["cleanup"], ("fork",), "3.13.0")
    table.row("cleanup", [result("cleanup", Verdict.NOT_APPLICABLE, note="no new/cleanup.py: the port lacks it")])
    table.summary([result("cleanup", Verdict.NOT_APPLICABLE)])
    row, summary = out.getvalue().splitlines()[1:]
    assert row.split()[1:3] == ["not", "run"]
    assert "legacy not run: 0 identical" in summary


def test_the_2to3_summary_counts_programs_with_an_error_apart() -> None:
    errors = [result(name, Verdict.ERROR, Port.MECHANICAL, binds=True) for name in ("a", "b")]
    assert text.mechanical_summary(errors) == "0 as expected, 0 unexpected; 2 with an error"


def test_the_progress_line_is_cleared_before_each_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal, stdout and stderr are one screen: a row printed over the progress line once read
    `1/5 programs compared, 1 failingcleanup  live`."""
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setattr(sys, "stderr", screen)
    task = Task("hello", None, ())
    shown = text.Live(Plan((task, task), None, this_python(), ("fork",), 1, code_base=True), 0.0)
    shown.progress.shown = True
    done = [result("hello", Verdict.IDENTICAL, legacy=Observation("legacy", "2.7.18", 0, 30.0, ()))]
    shown.progress.done(done)
    shown.row(task, done)
    row = screen.getvalue().split("\n")[1]
    assert row.startswith("\r1/2 programs compared, 0 failing\r\033[Khello ")


def test_input_piped_in_without_stdin_is_said_to_go_to_no_program(tmp_path: Path) -> None:
    reading, writing = os.pipe()
    os.write(writing, b"ERROR disk full\n")
    os.close(writing)
    with os.fdopen(reading, "rb") as piped:
        assert cli.input_left_unread(piped.fileno()).startswith("note: your standard input goes to no program:")
    reading, writing = os.pipe()
    os.close(writing)  # `true | portcheck ...`: nothing was written
    with os.fdopen(reading, "rb") as empty:
        assert cli.input_left_unread(empty.fileno()) == ""
    with open(os.devnull, "rb") as nothing:
        assert cli.input_left_unread(nothing.fileno()) == ""


@pytest.mark.usefixtures("python2")
def test_input_from_a_file_without_stdin_gets_the_hint_and_with_it_none(code_base: Path) -> None:
    command = [sys.executable, "-m", "portcheck", "--start-methods", "fork", "--no-2to3", "--legacy"]
    command += ["old/loganalyze.py", "--modern", "new/loganalyze.py"]
    for given, hinted in (([], True), (["--stdin", "-"], False)):
        with (code_base / "app.log").open("rb") as log:
            done = subprocess.run(
                [*command, *given, "--", "ERROR"], stdin=log, capture_output=True, text=True, timeout=120
            )
        assert done.returncode == 0, done.stderr
        assert ("--stdin -" in done.stderr) is hinted
        assert f"out: words: {0 if hinted else 6}\n" in done.stdout


def shard(directory: Path, name: str, part: str, programs: list[str], tool: str = "") -> Path:
    path = directory / name
    json_results.write(
        [result(program, Verdict.IDENTICAL) for program in programs],
        path,
        json_results.run_of(programs, "3.13.0", (int(part[0]), int(part[2]))),
    )
    if tool:
        path.write_text(path.read_text().replace(f'"portcheck {json_results.__version__}"', f'"{tool}"'))
    return path


@pytest.mark.parametrize(
    ("files", "said"),
    [
        (["1-2.json"], "on Python 3.13.0, shard 2/2 is missing (given: 1/2)"),
        (["1-2.json", "1-2.json", "2-2.json"], "shard 1/2 on Python 3.13.0 is given twice: {}/1-2.json"),
        (["1-2.json", "copy.json", "2-2.json"], "shard 1/2 on Python 3.13.0 is in both {0}/1-2.json and {0}/copy.json"),
        (
            ["1-2.json", "other.json"],
            "{0}/other.json and {0}/1-2.json are of different code bases: their programs differ",
        ),
        (
            ["1-2.json", "old.json"],
            "{0}/old.json was written by portcheck 0.0.1, {0}/1-2.json by portcheck {1}: compare again with one",
        ),
        (["1-2.json", "1-3.json"], "on Python 3.13.0, shards of different splits: 1/2, 1/3"),
    ],
)
def test_merge_joins_only_every_shard_once_of_one_code_base_and_tool(
    tmp_path: Path, files: list[str], said: str
) -> None:
    programs = ["cleanup", "hello", "loganalyze"]
    shard(tmp_path, "1-2.json", "1/2", programs)
    shard(tmp_path, "copy.json", "1/2", programs)
    shard(tmp_path, "2-2.json", "2/2", programs)
    shard(tmp_path, "1-3.json", "1/3", programs)
    shard(tmp_path, "other.json", "2/2", ["loganalyse"])
    shard(tmp_path, "old.json", "2/2", programs, tool="portcheck 0.0.1")
    with pytest.raises(ToolError) as raised:
        json_results.merge([tmp_path / file for file in files], tmp_path / "merged.json")
    assert str(raised.value) == said.format(tmp_path, json_results.__version__)
    assert not (tmp_path / "merged.json").exists()


COMMON_PY2 = "def shout(word):\n    return word.upper()\n"
ARRIVALS = """\
import random
import time
from multiprocessing import Pool

from common import shout

def slow(word):
    time.sleep(random.random() / 20)
    return shout(word)

if __name__ == '__main__':
    pool = Pool(4)
    for word in pool.imap_unordered(slow, ['alpha', 'beta', 'gamma', 'delta']):
        print{open}'arrived:', word{close}
    pool.close()
    pool.join()
"""


def without_python2() -> dict[str, str]:
    """The environment of a CI runner without Python 2.7: none on PATH, no pyenv, no $LEGACY_PYTHON."""
    environment = {key: value for key, value in os.environ.items() if key != "LEGACY_PYTHON"}
    environment["PATH"] = os.pathsep.join(
        entry for entry in environment.get("PATH", "").split(os.pathsep) if not list(Path(entry).glob("python2*"))
    )
    environment["PYENV_ROOT"] = os.devnull
    return environment


@pytest.mark.usefixtures("python2")
def test_recorded_where_python2_is_replayed_where_it_is_not_and_stale_once_a_module_changes(
    code_base: Path,
) -> None:
    for side, (open_, close) in (("old", (" ", "")), ("new", ("(", ")"))):
        (code_base / side / "common.py").write_text(COMMON_PY2)
        (code_base / side / "arrivals.py").write_text(ARRIVALS.format(open=open_, close=close))
    configured(code_base, 'recordings = "recordings"\n')
    portcheck = [sys.executable, "-m", "portcheck"]
    recorded = subprocess.run([*portcheck, "record", "arrivals"], capture_output=True, text=True, timeout=300)
    assert recorded.returncode == 0, recorded.stderr
    assert recorded.stdout.startswith(f"arrivals: 9 run(s) recorded in {code_base / 'recordings' / 'arrivals.json'}")
    compare = [*portcheck, "arrivals", "hello", "--start-methods", "fork,spawn", "--no-2to3"]
    replayed = subprocess.run(compare, capture_output=True, text=True, timeout=300, env=without_python2())
    rows = [line.split()[:3] for line in replayed.stdout.splitlines()[1:-1]]
    assert rows == [["arrivals", "recorded", "equivalent"], ["hello", "-", "ERROR"]], replayed.stdout
    assert f"error: no Python 2.7 here, and no recording {code_base / 'recordings' / 'hello.json'}" in replayed.stderr
    assert "legacy from the recordings (no Python 2.7 here):" in replayed.stdout.splitlines()[-1]
    (code_base / "old" / "common.py").write_text(COMMON_PY2.replace("upper", "title"))
    stale = subprocess.run(compare, capture_output=True, text=True, timeout=300, env=without_python2())
    assert stale.stderr.splitlines()[0] == (
        f"note: {code_base / 'recordings' / 'arrivals.json'} is stale: old/common.py changed since it was recorded"
        " (portcheck record arrivals, where Python 2.7 is, records it again)"
    )
    assert "(no Python 2.7 here; 1 stale: arrivals)" in stale.stdout.splitlines()[-1]


@pytest.mark.usefixtures("python2")
def test_quiet_leaves_out_the_programs_and_the_transcript_not_the_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "old.py").write_text("if __name__ == '__main__':\n    print 7 / 2\n")
    (tmp_path / "new.py").write_text("if __name__ == '__main__':\n    print(7 / 2)\n")
    assert cli.main(["--legacy", "old.py", "--modern", "new.py", "-q", "--start-methods", "fork", "--no-2to3"]) == 1
    out = capsys.readouterr().out
    assert "transcript of" not in out
    assert "--- old.py" not in out
    assert "  -out: 3\n  +out: 3.5\n  cause: `/` on two ints is true division" in out
    assert "\nverdict: different\n" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"portcheck {json_results.__version__}\n"
