"""The compare command, as a user meets it: the report, one pair, their own scripts, bad input."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portcheck import cli as compare
from portcheck import engine, plan, running, sandbox, scratch
from portcheck.interpreters import this_python
from portcheck.model import Plan, Task, ToolError, Verdict
from portcheck.publish import json as json_results
from portcheck.publish.text import Style
from portcheck.running import launched_process_groups, living_processes
from tests.conftest import the_copy
from tests.support import LIVE, ROOT, cells, one_line_error, sandboxed

PY2_HELLO = 'print "hello"\n'
PY3_HELLO = 'print("hello")\n'


def scripts(directory: Path, legacy: str, modern: str) -> list[str]:
    (directory / "old.py").write_text(legacy)
    (directory / "new.py").write_text(modern)
    return ["--legacy", str(directory / "old.py"), "--modern", str(directory / "new.py")]


@pytest.fixture
def at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the pairs are compared from: the clone's root, with its portcheck.toml."""
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("python2", "converter", "at_the_root")
def test_report_has_a_line_per_pair_and_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["pipe_send", "pipe_one_way", "--start-methods", "fork,spawn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["program", "legacy", "2.7", "fork", "spawn", "verdict", "2to3"]
    # the legacy column says live, or cached where the test command's legacy env ran it live earlier; each
    # row ends with what the lint finds in the 2to3 port: [lint: ...]
    assert cells(lines[1])[:6] == ["pipe_send", LIVE, "identical", "identical", "identical", "identical"]
    assert cells(lines[2])[:7] == [
        "pipe_one_way",
        LIVE,
        "declared",
        "declared",
        "declared",
        "differences",
        "declared",
    ]
    assert "2 programs on Python" in lines[3]
    assert "(4 comparisons)" in lines[3]
    assert "1 identical, 1 with declared differences, 0 different; 2to3 ports: 2 as expected, 0 unexpected" in lines[3]


@pytest.mark.usefixtures("at_the_root")
def test_a_pair_that_hangs_gets_an_error_row_and_the_report_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_legacy_observation = engine.legacy_observation

    def hanging_pipe_send(task: engine.Task) -> engine.Observation:
        if task.name == "pipe_send":
            raise ToolError("legacy/pipe_send.py on Python 2.7 hung: killed ...")
        return real_legacy_observation(task)

    monkeypatch.setattr(engine, "legacy_observation", hanging_pipe_send)
    assert compare.main(["pipe_send", "pipe_eof", "--start-methods", "fork"]) == 2
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[1].split()[0] == "pipe_send"
    assert lines[1].split()[2] == "ERROR"
    assert lines[2].split()[0] == "pipe_eof"
    assert cells(lines[2])[:5] == ["pipe_eof", LIVE, "identical", "identical", "identical"]
    assert "1 with an error" in lines[3]
    assert captured.err == "error: legacy/pipe_send.py on Python 2.7 hung: killed ...\n"


@pytest.mark.usefixtures("python2", "at_the_root")
def test_one_pair_shows_sources_transcripts_and_declared_differences(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["pipe_one_way", "--start-methods", "forkserver"]) == 0
    out = capsys.readouterr().out
    assert "--- legacy/pipe_one_way.py\n+++ modern/pipe_one_way.py" in out
    assert "-    except IOError as exc:" in out
    assert "  out: receiver.send(): IOError: connection is read-only" in out
    assert "under forkserver: declared differences" in out
    assert "PEP 3151" in out


@pytest.mark.usefixtures("python2")
def test_own_scripts_that_behave_alike_are_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = "import os\nprint 'pid %d at 0x7f0012345678' % os.getpid()\n"
    modern = "import os\nprint(f'pid {os.getpid()} at {hex(id(os))}')\n"
    results = tmp_path / "results.json"
    assert compare.main([*scripts(tmp_path, legacy, modern), "--start-methods", "spawn", "--json", str(results)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  out: pid \d+ at 0x7f0012345678$", out, re.MULTILINE), "the transcript shows what was printed"
    assert [result.verdict for result in json_results.read(results)] == [Verdict.IDENTICAL]


RACING_WORKERS_PY2 = (
    "from multiprocessing import Process\n"
    "def work(n):\n    print 'worker %d done' % n\n"
    "if __name__ == '__main__':\n"
    "    for n in range(5):\n        Process(target=work, args=(n,)).start()\n"
)
RACING_WORKERS_PY3 = (
    "from multiprocessing import Process\n"
    "def work(n):\n    print(f'worker {n} done')\n"
    "if __name__ == '__main__':\n"
    "    for n in range(5):\n        Process(target=work, args=(n,)).start()\n"
)


@pytest.mark.usefixtures("python2")
def test_racing_workers_are_equivalent_and_say_what_was_relaxed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert compare.main(scripts(tmp_path, RACING_WORKERS_PY2, RACING_WORKERS_PY3)) == 0
    out = capsys.readouterr().out
    assert "verdict: identical" in out or "verdict: equivalent" in out
    assert "verdict: different" not in out


DICT_PY2 = "d = {}\nfor k in ['zebra', 'apple', 'mango', 'kiwi']:\n    d[k] = len(k)\nprint d\n"
DICT_PY3 = "d = {}\nfor k in ['zebra', 'apple', 'mango', 'kiwi']:\n    d[k] = len(k)\nprint(d)\n"


@pytest.mark.usefixtures("python2")
def test_strict_leaves_nothing_to_chance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a seed that would make Python 2 print this dict in insertion order, as tox's own seed once did: the
    # programs run with Python's default hashing, whatever the caller's environment says
    monkeypatch.setenv("PYTHONHASHSEED", "30")
    arguments = [*scripts(tmp_path, DICT_PY2, DICT_PY3), "--start-methods", "fork"]
    assert compare.main(arguments) == 0
    assert "relaxed: a dict printed with its items in another order" in capsys.readouterr().out
    assert compare.main([*arguments, "--strict"]) == 1
    assert "verdict: different" in capsys.readouterr().out


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ("    for n in range(4):\n", "-out: worker 4 done"),
        ("    print('worker 2 done')\n    for n in range(5):\n", "+out: worker 2 done"),
    ],
    ids=["a lost line", "an extra line"],
)
def test_a_lost_or_extra_line_among_lines_that_may_reorder_is_a_difference(
    change: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = RACING_WORKERS_PY3.replace("    for n in range(5):\n", change)
    assert compare.main(scripts(tmp_path, RACING_WORKERS_PY2, port)) == 1
    out = capsys.readouterr().out
    assert shown in out
    assert sandboxed(out).endswith("verdict: different")


@pytest.mark.usefixtures("python2")
def test_a_pid_replaced_by_a_constant_is_a_difference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = "import os\nprint '[%d] started' % os.getpid()\n"
    port = "print('[4242] started')\n"
    assert compare.main([*scripts(tmp_path, legacy, port), "--start-methods", "fork"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^  -out: \[\d+\] started\n  \+out: \[4242\] started$", out, re.MULTILINE)


@pytest.mark.usefixtures("python2")
def test_files_are_behaviour_and_the_users_files_are_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "log.txt").write_text("before\n")
    legacy = "open('log.txt', 'a').write('run\\n')\nopen('out.csv', 'w').write('%d %d\\n' % (1, 2))\n"
    faithful = legacy  # valid Python 2 and 3 alike
    comma = faithful.replace("%d %d", "%d,%d")
    monkeypatch.chdir(tmp_path)
    assert compare.main([*scripts(tmp_path, legacy, faithful), "--start-methods", "fork,spawn"]) == 0
    assert "  file: log.txt: run" in capsys.readouterr().out.splitlines()
    assert compare.main([*scripts(tmp_path, legacy, comma), "--start-methods", "fork"]) == 1
    assert "  -file: out.csv: 1 2\n  +file: out.csv: 1,2" in capsys.readouterr().out
    assert (tmp_path / "log.txt").read_text() == "before\n"  # every run wrote to a copy
    assert not (tmp_path / "out.csv").exists()


def test_a_directory_too_large_to_copy_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(4):
        (tmp_path / f"data{number}.txt").write_text("x\n")
    (tmp_path / ".tox").mkdir()
    (tmp_path / ".tox" / "ignored.txt").write_text("never copied, never counted\n")
    monkeypatch.setattr(scratch, "MOST_FILES", 6)
    monkeypatch.chdir(tmp_path)
    arguments = [*scripts(tmp_path, PY2_HELLO, PY3_HELLO), "--start-methods", "fork"]
    assert compare.main(arguments) == 0  # 4 files and the 2 scripts, .tox aside: 6
    (tmp_path / "data4.txt").write_text("x\n")
    if not sandbox.isolated():
        assert compare.main(arguments) == 0  # the sandbox copies nothing: only the copy has a size
        the_copy(monkeypatch)
    assert compare.main(arguments) == 2
    assert "is too large to copy for each run (more than 6 files" in one_line_error(capsys)


@pytest.mark.usefixtures("python2")
def test_arguments_and_stdin_go_to_both_programs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = "import sys\nprint sys.argv[0], sys.argv[1:], len(sys.stdin.readlines())\n"
    port = "import sys\nprint(sys.argv[0], sys.argv[1:], len(sys.stdin.readlines()))\n"
    (tmp_path / "input.txt").write_text("a\nb\nc\n")
    arguments = [*scripts(tmp_path, legacy, port), "--stdin", str(tmp_path / "input.txt"), "--start-methods", "fork"]
    assert compare.main([*arguments, "--", "3", "4"]) == 0
    assert "  out: old.py ['3', '4'] 3" in capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("isolation", ["sandbox", "copy"])
def test_an_argument_naming_a_file_outside_where_you_stand(
    isolation: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python old.py ../scores.csv` reads the file, and so does each run in the sandbox: nothing to say. A run
    in a copy of where you stand cannot: said first."""
    if isolation == "copy":
        the_copy(monkeypatch)
    elif sandbox.isolated():
        pytest.skip(f"no sandbox here: {sandbox.isolated()}")
    (tmp_path / "scores.csv").write_text("ann,3\n")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "names.txt").write_text("ann\n")
    monkeypatch.chdir(tmp_path / "new")
    legacy = "import os, sys\nprint [os.path.exists(given) for given in sys.argv[1:]]\n"
    port = "import os, sys\nprint([os.path.exists(given) for given in sys.argv[1:]])\n"
    arguments = [*scripts(tmp_path / "new", legacy, port), "--start-methods", "fork"]
    assert compare.main([*arguments, "--", "../scores.csv", "names.txt", "../missing.csv"]) == 0
    captured = capsys.readouterr()
    if isolation == "sandbox":
        assert "  out: [True, True, False]" in captured.out.splitlines()
        assert captured.err == ""
        return
    assert "  out: [False, True, False]" in captured.out.splitlines()
    note = (
        f"note: ../scores.csv lies outside {tmp_path / 'new'}, and each run happens in a copy of that directory,"
        f" where ../scores.csv names nothing: give it as {(tmp_path / 'scores.csv').resolve()}, or run from a"
        " directory that holds it"
    )
    assert captured.err.splitlines() == [note]


def test_only_arguments_the_copy_does_not_hold_get_that_note(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "d.csv").write_text("x\n")
    here = tmp_path / "here"
    (here / "sub").mkdir(parents=True)
    (here / "sub" / "e.csv").write_text("y\n")
    (here / "link.csv").symlink_to(tmp_path / "shared" / "d.csv")  # copied: its content is in the copy
    (here / "linkdir").symlink_to(tmp_path / "shared")  # not entered: the copy holds no linkdir/d.csv
    given = ("../shared/d.csv", "--in=../shared/d.csv", "../shared/d.csv", "linkdir/d.csv", "../here/sub/e.csv")
    ignored = ("link.csv", "sub/e.csv", "sub/../sub/e.csv", "../missing.csv", "-", "", ".", "x" * 300, "--n=3")
    notes = plan.arguments_left_outside(given + ignored, here)
    assert [note.split()[1] for note in notes] == ["../shared/d.csv", "linkdir/d.csv", "../here/sub/e.csv"]


@pytest.mark.usefixtures("python2")
def test_own_scripts_that_differ_exit_1_with_the_difference_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert compare.main([*scripts(tmp_path, PY2_HELLO, 'print("hullo")\n'), "--start-methods", "fork"]) == 1
    out = capsys.readouterr().out
    assert "  -out: hello\n  +out: hullo" in out
    assert sandboxed(out).endswith("verdict: different")


@pytest.mark.usefixtures("at_the_root")
def test_unknown_pair(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["pipe_one_wey"]) == 2
    said = one_line_error(capsys)
    assert said.startswith("error: no program 'pipe_one_wey' in ")
    assert "(did you mean pipe_one_way?); the programs are: " in said


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "missing.py")
    assert compare.main(["--legacy", missing, "--modern", missing]) == 2
    assert one_line_error(capsys) == f"error: no such file: {missing}"


@pytest.mark.usefixtures("python2")
def test_python3_syntax_in_the_legacy_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(scripts(tmp_path, 'print(f"{1}")\n', PY3_HELLO)) == 2
    assert "not valid Python 2.7: " in one_line_error(capsys)


@pytest.mark.usefixtures("python2")
def test_python2_syntax_in_the_modern_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(scripts(tmp_path, PY2_HELLO, PY2_HELLO)) == 2
    assert f"not valid Python {sys.version_info[0]}.{sys.version_info[1]}: " in one_line_error(capsys)


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("side", ["legacy", "modern"])
def test_a_binary_file_is_not_python(side: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = scripts(tmp_path, PY2_HELLO, PY3_HELLO)
    binary = tmp_path / "program.py"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    arguments[arguments.index(f"--{side}") + 1] = str(binary)
    assert compare.main(arguments) == 2
    python = "2.7" if side == "legacy" else f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert one_line_error(capsys).startswith(f"error: not valid Python {python}: {binary}")


@pytest.mark.usefixtures("python2")
def test_a_python2_script_in_its_declared_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "old.py").write_bytes('# -*- coding: gbk -*-\nprint "hello"  # 你好\n'.encode("gbk"))
    (tmp_path / "new.py").write_text(PY3_HELLO)
    arguments = ["--legacy", str(tmp_path / "old.py"), "--modern", str(tmp_path / "new.py"), "--start-methods", "fork"]
    assert compare.main(arguments) == 0
    captured = capsys.readouterr()
    assert '-print "hello"  # 你好' in captured.out.splitlines()
    assert captured.err == ""


@pytest.mark.usefixtures("python2")
def test_a_python3_script_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scripts(tmp_path, PY2_HELLO, "")
    (tmp_path / "new.py").write_bytes('print("héllo")\n'.encode("latin-1"))
    arguments = ["--legacy", str(tmp_path / "old.py"), "--modern", str(tmp_path / "new.py")]
    assert compare.main(arguments) == 2
    assert "can't decode byte 0xe9" in one_line_error(capsys)


@pytest.mark.parametrize("option", ["--python2", "--python3"])
def test_an_interpreter_that_is_not_python(option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main([*scripts(tmp_path, PY2_HELLO, PY3_HELLO), option, "true"]) == 2
    assert one_line_error(capsys) == "error: 'true' is not a Python interpreter: it did not report a version"


def test_missing_python2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "python2.7")
    assert compare.main([*scripts(tmp_path, PY2_HELLO, PY3_HELLO), "--python2", missing]) == 2
    assert f"cannot run interpreter {missing!r}" in one_line_error(capsys)


@pytest.mark.usefixtures("python2")
def test_a_port_that_hangs_where_the_original_ends_is_different(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hang = (
        "import time\nfrom multiprocessing import Process\n"
        "if __name__ == '__main__':\n"
        "    print('hello', flush=True)\n"
        "    Process(target=time.sleep, args=(60,)).start()\n"
        "    time.sleep(60)\n"
    )
    arguments = [*scripts(tmp_path, PY2_HELLO, hang), "--start-methods", "spawn,fork", "--timeout", "10"]
    assert compare.main(arguments) == 1
    captured = capsys.readouterr()
    assert "new.py on Python" in captured.out
    assert "under spawn, fork: different" in captured.out  # the same difference, shown once
    assert "  -exit code: 0\n  +exit code: none, killed after its 10 s timeout\n   out: hello" in captured.out
    assert captured.err.count("hung: killed after its 10 s timeout") == 2
    assert all(living_processes(group) == [] for group in launched_process_groups[-4:])


@pytest.mark.usefixtures("python2")
def test_a_legacy_script_that_hangs_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hang = "import time\nprint 'waiting'\ntime.sleep(60)\n"
    assert compare.main([*scripts(tmp_path, hang, PY3_HELLO), "--start-methods", "fork", "--timeout", "2"]) == 2
    error = one_line_error(capsys)
    assert "old.py on Python 2.7 hung: killed with all its processes after its 2 s timeout" in error
    assert "it printed 1 line(s) first" in error


@pytest.mark.usefixtures("python2")
def test_a_crash_its_counterpart_does_not_share_is_a_difference_said_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [*scripts(tmp_path, PY2_HELLO, "print('hello')\n1 / 0\n"), "--start-methods", "fork"]
    assert compare.main(arguments) == 1
    captured = capsys.readouterr()
    assert "+err: ZeroDivisionError: division by zero" in captured.out
    assert "verdict: different" in captured.out
    assert captured.err.endswith(
        "under fork crashed with exit code 1: ZeroDivisionError: division by zero (raised at new.py:2 in <module>)\n"
    )
    assert len(captured.err.splitlines()) == 1


@pytest.mark.usefixtures("python2")
def test_a_death_by_signal_is_said_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    killed = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
    assert compare.main([*scripts(tmp_path, PY2_HELLO, killed), "--start-methods", "fork"]) == 1
    captured = capsys.readouterr()
    assert "+exit code: -9" in captured.out
    assert captured.err.endswith("under fork was killed by signal 9\n")


@pytest.mark.usefixtures("python2")
def test_two_scripts_that_fail_the_same_way_are_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failing = "import sys\nsys.stderr.write('bad input 42\\n')\nsys.exit(3)\n"
    assert compare.main([*scripts(tmp_path, failing, failing), "--start-methods", "fork"]) == 0
    captured = capsys.readouterr()
    assert "  exit code: 3" in captured.out.splitlines()
    assert "verdict: identical" in captured.out
    assert captured.err == ""


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("modern_line", ["b'caf\\xe8\\n'", "b'caf\\\\xe9\\n'"], ids=["another byte", "escape as text"])
def test_bytes_that_are_not_utf8_compare_as_bytes(
    modern_line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = "import sys\nsys.stdout.write(b'caf\\xe9\\n')\n"
    modern = f"import sys\nsys.stdout.buffer.write({modern_line})\n"
    assert compare.main([*scripts(tmp_path, legacy, modern), "--start-methods", "fork"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "  -out: caf\\udce9" in out


@pytest.mark.usefixtures("python2")
def test_two_scripts_that_raise_the_same_exception_are_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = 'def check(n):\n    raise ValueError("bad input %d" % n)\n\ncheck(42)\n'
    modern = '\n\ndef check(n: int) -> None:\n    raise ValueError(f"bad input {n}")\n\n\ncheck(42)\n'
    assert compare.main([*scripts(tmp_path, legacy, modern), "--start-methods", "fork"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  err: Traceback (most recent call last):" in out
    assert "  err: ValueError: bad input 42" in out


@pytest.mark.usefixtures("python2")
def test_non_ascii_without_a_coding_cookie_is_not_python2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scripts(tmp_path, "", PY3_HELLO)
    (tmp_path / "old.py").write_bytes('print "中文"\n'.encode("gbk"))
    arguments = ["--legacy", str(tmp_path / "old.py"), "--modern", str(tmp_path / "new.py")]
    assert compare.main(arguments) == 2
    error = one_line_error(capsys)
    assert "not valid Python 2.7: " in error
    assert "Non-ASCII character '\\xd6', but no encoding declared" in error


@pytest.mark.usefixtures("python2")
def test_scripts_run_where_the_user_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "input.txt").write_text("42\n")
    legacy = 'print "read: %s" % open("input.txt").read().strip()\n'
    modern = "print(f\"read: {open('input.txt').read().strip()}\")\n"
    scripts(tmp_path, legacy, modern)
    monkeypatch.chdir(tmp_path)
    assert compare.main(["--legacy", "old.py", "--modern", "new.py", "--start-methods", "fork"]) == 0
    assert "  out: read: 42" in capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_stopping_it_kills_every_program_it_started_and_says_so(stop: signal.Signals, tmp_path: Path) -> None:
    hang = (
        "import os, time\nfrom multiprocessing import Process\n"
        "if __name__ == '__main__':\n"
        "    child = Process(target=time.sleep, args=(600,))\n"
        "    child.start()\n"
        "    time.sleep(600)\n"
    )
    marker = f"hang-{os.getpid()}-{stop.name}"  # in the command line of the program and its forked child
    arguments = [*scripts(tmp_path, PY2_HELLO, hang), "--start-methods", "fork", "--timeout", "600", "--", marker]
    temporary = tmp_path / "tmp"  # where its scratch directories go: nothing may be left there
    temporary.mkdir()
    command = subprocess.Popen(
        [sys.executable, "-m", "portcheck", *arguments],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # generous bounds, for a loaded machine (a tools env runs niced beside the report envs): a stop
        # that is not handled lets the program sleep on for ten minutes, far past them
        pids = processes_running_with(marker, at_least=2, within=120)  # the program and its child
        command.send_signal(stop)
        _, err = command.communicate(timeout=120)  # for portcheck to kill them all and exit
    finally:
        command.kill()
        command.wait(10)
    assert command.returncode == 130
    assert err.decode() == "error: interrupted; every program it had started was killed\n"
    assert [pid for pid in pids if is_alive(pid)] == []
    assert list(temporary.iterdir()) == [], "a scratch directory was left behind"


STOP_FROM_A_RUN_THREAD = """
import signal, sys, threading, time
from pathlib import Path
from portcheck import cli

marker, stop = sys.argv[1], signal.Signals[sys.argv[2]]

def running():
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            if marker.encode() in command and b"launcher.py" in command and b"reaper.py" not in command:
                return True
        except OSError:
            pass
    return False

def stop_from_a_run_thread():
    while not running():
        time.sleep(0.05)
    run_thread = next(thread for thread in threading.enumerate() if thread.name.startswith("run"))
    signal.pthread_kill(run_thread.ident, stop)

threading.Thread(target=stop_from_a_run_thread, daemon=True).start()
sys.argv[1:] = sys.argv[3:]
cli.console_main()
"""


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_a_stop_that_lands_on_another_thread_than_the_main_one_is_seen(stop: str, tmp_path: Path) -> None:
    """A process's signal goes to any of its threads that does not block it; Python runs the handler
    only in the main thread, which must not be asleep in a wait without a timeout (it was: the stop
    was seen only when the program ended by itself)."""
    marker = f"hang-{os.getpid()}-{stop}-on-a-thread"
    hang = "import time\ntime.sleep(600)\n"
    arguments = [*scripts(tmp_path, PY2_HELLO, hang), "--start-methods", "fork", "--timeout", "600"]
    command = subprocess.Popen(
        [sys.executable, "-c", STOP_FROM_A_RUN_THREAD, marker, stop, *arguments, "--", marker],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _, err = command.communicate(timeout=120)  # generous, for a loaded machine: the program sleeps 600 s
    finally:
        command.kill()
        command.wait(10)
    assert (command.returncode, err.decode()) == (130, "error: interrupted; every program it had started was killed\n")


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("command", ["compare", "lint"])
def test_a_reader_that_stops_reading_ends_it_quietly_with_141(command: str, tmp_path: Path) -> None:
    if command == "compare":
        arguments = scripts(tmp_path, PY2_HELLO, 'print("hello")\n')
    else:
        (tmp_path / "start.py").write_text("from multiprocessing import Process\np = Process()\np.start()\np.join()\n")
        arguments = ["lint", str(tmp_path / "start.py")]  # findings to print
    run = subprocess.Popen(
        [sys.executable, "-m", "portcheck", *arguments], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert run.stdout is not None
    run.stdout.close()  # as `portcheck ... | head -0` does, before it has printed anything
    try:
        _, err = run.communicate(timeout=60)
    finally:
        run.kill()
        run.wait(10)
    assert (run.returncode, err.decode()) == (141, "")


def processes_running_with(marker: str, at_least: int, within: float) -> list[int]:
    """The pids of the modern program's processes, which hold `marker` in their command line, once there are
    `at_least` of them (bounded): a program in the sandbox can write no file that the test could read."""
    deadline = time.monotonic() + within
    while True:
        commands = {pid: command_line(pid) for pid in map(int, filter(str.isdigit, os.listdir("/proc")))}
        found = [
            pid
            for pid, command in commands.items()
            if marker in command and "launcher.py" in command and "reaper.py" not in command
        ]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def is_alive(pid: int) -> bool:
    deadline = time.monotonic() + 2  # a killed process keeps its /proc entry until it is reaped
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state == "Z":
            return False
        time.sleep(0.05)
    return True


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize(
    "call",
    [
        'multiprocessing.set_start_method("spawn")',
        'multiprocessing.set_start_method(method="spawn", force=True)',
        'try:\n        multiprocessing.set_start_method("spawn")\n    except RuntimeError:\n        pass',
    ],
    ids=["positional", "keywords", "in a try"],
)
def test_a_port_that_sets_its_own_start_method(call: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = f'import multiprocessing\nif __name__ == "__main__":\n    {call}\n    print("hello")\n'
    arguments = scripts(tmp_path, PY2_HELLO, port)
    assert compare.main([*arguments, "--start-methods", "spawn"]) == 0
    capsys.readouterr()
    assert compare.main([*arguments, "--start-methods", "fork"]) == 1
    out = capsys.readouterr().out
    assert "+err: the script asks for the 'spawn' start method in a run under 'fork'" in out
    assert "+exit code: 2" in out


@pytest.mark.usefixtures("at_the_root")
def test_an_interpreter_that_fails_is_told_by_its_telling_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shim = tmp_path / "python3.99"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.99: command not found' >&2\necho 'some advice' >&2\nexit 127\n")
    shim.chmod(0o755)
    assert compare.main(["pipe_eof", "--python3", str(shim)]) == 2
    assert one_line_error(capsys).endswith("does not run: pyenv: python3.99: command not found")


def test_unknown_start_method(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["--start-methods", "fork,thread"]) == 2
    assert "unknown start method: thread" in one_line_error(capsys)
    assert compare.main(["--start-methods", ","]) == 2
    assert "no start method given" in one_line_error(capsys)


def test_a_directory_is_not_a_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = scripts(tmp_path, PY2_HELLO, PY3_HELLO)
    arguments[1] = str(tmp_path)
    assert compare.main(arguments) == 2
    assert one_line_error(capsys) == f"error: not a file: {tmp_path}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--timeout", "0"], "the timeout must be a positive number of seconds"),
        (["--timeout", "-1"], "the timeout must be a positive number of seconds"),
        (["--timeout", "inf"], "the timeout must be a positive number of seconds, at most 86400, not inf"),
        (["--timeout", "nan"], "the timeout must be a positive number of seconds, at most 86400, not nan"),
        (["--timeout", "3000000"], "the timeout must be a positive number of seconds, at most 86400, not 3e+06"),
        (["--jobs", "0"], "--jobs must be 1 or more"),
        (["--timeout", "soon"], "argument --timeout: invalid float value: 'soon'"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
@pytest.mark.usefixtures("at_the_root")
def test_bad_options(arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        sys.exit(compare.main(["pipe_eof", *arguments]))
    assert exited.value.code == 2
    assert message in one_line_error(capsys)


@pytest.mark.usefixtures("at_the_root")
def test_a_timeout_from_the_environment_must_be_positive(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORTCHECK_TIMEOUT", "-3")
    assert compare.main(["pipe_eof"]) == 2
    assert "PORTCHECK_TIMEOUT must be a positive number of seconds, at most 86400, not -3" in one_line_error(capsys)


def test_modern_without_legacy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main(["--modern", str(tmp_path / "new.py")]) == 2
    assert "--modern needs --legacy" in one_line_error(capsys)


def test_colour_follows_the_terminal_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert "\033[" in Style().verdict("different", "different")
    monkeypatch.setenv("NO_COLOR", "1")
    assert Style().verdict("different", "different") == "different"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert Style().verdict("different", "different") == "different"


@pytest.mark.usefixtures("python2", "converter")
@pytest.mark.parametrize(
    "mode",
    [["--modern", "new.py"], []],
    ids=["a script and its port", "a script and its mechanical port"],
)
def test_json_is_written_in_every_mode(mode: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts(tmp_path, PY2_HELLO, PY3_HELLO)
    monkeypatch.chdir(tmp_path)
    results = tmp_path / "results.json"
    assert compare.main(["--legacy", "old.py", *mode, "--start-methods", "fork", "--json", str(results)]) == 0
    kind = "modern" if mode else "mechanical"
    assert [(r.kind, r.start_method, r.verdict) for r in json_results.read(results)] == [
        (kind, "fork", Verdict.IDENTICAL)
    ]


@pytest.mark.usefixtures("python2", "converter", "at_the_root")
@pytest.mark.parametrize("names", [["pipe_eof"], ["pipe_eof", "queue_offer"]], ids=["one pair", "the table"])
def test_json_is_written_for_the_pairs(names: list[str], tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    assert compare.main([*names, "--start-methods", "fork", "--json", str(results)]) == 0
    rows = json_results.read(results)
    assert sorted({row.name for row in rows}) == names
    assert {row.kind for row in rows} == {"modern", "mechanical"}
    assert all(row.verdict is Verdict.IDENTICAL for row in rows)


STDIN_COUNTER_PY2 = "import sys\nprint 'read %d line(s)' % len(sys.stdin.readlines())\n"
STDIN_COUNTER_PY3 = "import sys\nprint(f'read {len(sys.stdin.readlines())} line(s)')\n"


@pytest.mark.usefixtures("python2")
def test_stdin_may_be_dev_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = [*scripts(tmp_path, STDIN_COUNTER_PY2, STDIN_COUNTER_PY3), "--stdin", "/dev/null"]
    assert compare.main([*arguments, "--start-methods", "fork"]) == 0
    assert "  out: read 0 line(s)" in capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("python2")
def test_stdin_may_be_a_fifo_read_once_for_every_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "input"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"printf 'a\\nb\\n' > {fifo}"])
    try:
        arguments = [*scripts(tmp_path, STDIN_COUNTER_PY2, STDIN_COUNTER_PY3), "--stdin", str(fifo)]
        assert compare.main([*arguments, "--start-methods", "fork,spawn"]) == 0
    finally:
        writer.wait(10)
    out = capsys.readouterr().out
    assert "  out: read 2 line(s)" in out.splitlines()
    assert "under fork, spawn: identical" in out


@pytest.mark.usefixtures("python2")
def test_options_come_in_any_order_before_the_programs_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "input.txt").write_text("x\n")
    legacy = "import sys\nprint sys.argv[1:], len(sys.stdin.readlines())\n"
    modern = "import sys\nprint(sys.argv[1:], len(sys.stdin.readlines()))\n"
    arguments = scripts(tmp_path, legacy, modern)
    stdin = ["--stdin", str(tmp_path / "input.txt")]
    assert compare.main(["--start-methods", "fork", *stdin, *arguments, "--", "3"]) == 0
    assert "  out: ['3'] 1" in capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("python2")
def test_an_option_after_the_double_dash_goes_to_the_programs_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = "import sys\nprint sys.argv[1:]\n"
    modern = "import sys\nprint(sys.argv[1:])\n"
    arguments = [*scripts(tmp_path, legacy, modern), "--start-methods", "fork", "--", "3", "--stdin", "x"]
    assert compare.main(arguments) == 0
    captured = capsys.readouterr()
    assert "  out: ['3', '--stdin', 'x']" in captured.out.splitlines()
    assert captured.err == "note: --stdin comes after --, so it goes to the programs, not to portcheck\n"


def test_arguments_without_the_double_dash_get_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.main([*scripts(tmp_path, PY2_HELLO, PY3_HELLO), "3", "4"]) == 2
    error = one_line_error(capsys)
    assert "arguments for the programs go after --" in error
    assert error.endswith("-- 3 4")


def exit_statuses(text: str) -> dict[str, str]:
    """Each exit status a text documents, and the words it is documented with, normalised."""
    found = {}
    for status, words in re.findall(r"\b(0|1|2|130|141) (?:when|on|if)\b([^;.]*)", " ".join(text.split())):
        found.setdefault(status, words.strip())
    return found


def test_help_and_docs_agree_on_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        compare.main(["--help"])
    helped = exit_statuses(capsys.readouterr().out)
    page = (ROOT / "docs" / "porting.md").read_text().split("## Your own script and its port")[1]
    assert set(helped) == {"0", "1", "2", "130", "141"}
    assert helped == exit_statuses(page)


@pytest.mark.usefixtures("python2")
def test_an_interrupt_that_never_comes_is_an_error_not_a_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both sides printing what they print when nobody interrupts them would compare identical: the
    legacy program must really have been interrupted, or the comparison tests nothing."""
    for side, source in (("old", PY2_HELLO), ("new", PY3_HELLO)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "greet.py").write_text(f"if __name__ == '__main__':\n    {source}")
    (tmp_path / "portcheck.toml").write_text('[programs.greet]\ninterrupt = { after = "^work under way" }\n')
    assert compare.main(["old", "new", "greet", "--start-methods", "fork"]) == 2
    error = one_line_error(capsys)
    assert error.endswith("was never interrupted: no line of its stdout matched '^work under way'")


@pytest.mark.usefixtures("python2")
def test_a_cached_legacy_run_stands_for_the_same_run_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With $PORTCHECK_CACHE a legacy run is made once and read back, a script outside the directory one stands
    in included; change a module beside that script and the run is made again."""
    monkeypatch.setenv("PORTCHECK_CACHE", str(tmp_path / "cache"))
    (tmp_path / "old").mkdir()
    (tmp_path / "here").mkdir()
    (tmp_path / "old" / "helper.py").write_text("WORD = 'hello'\n")
    (tmp_path / "old" / "main.py").write_text("import helper\nprint helper.WORD\n")
    (tmp_path / "new.py").write_text(PY3_HELLO)
    monkeypatch.chdir(tmp_path / "here")
    arguments = [
        "--legacy",
        "../old/main.py",
        "--modern",
        "../new.py",
        "--start-methods",
        "fork",
        "--json",
        "../r.json",
    ]
    sources = []
    for helper in ("WORD = 'hello'\n", "WORD = 'hello'\n", "WORD = 'hullo'\n"):
        (tmp_path / "old" / "helper.py").write_text(helper)
        compare.main(arguments)
        sources.append(json_results.read(tmp_path / "r.json")[0].legacy.source)
    capsys.readouterr()
    assert sources == ["live", "cached", "live"]


def test_an_error_that_ends_the_comparisons_lets_later_ones_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """The programs still running are killed, and none started, while the error ends the comparisons;
    afterwards this process may start programs again (a test's next comparison did not: every later
    one failed with "no new program is started")."""

    def fails(task: Task, plan: Plan, runs: object) -> list:
        raise ToolError("no Python 2.7 here, and no recording")

    monkeypatch.setattr(engine, "carry_out", fails)
    planned = Plan((Task("x", None, ()),), None, this_python(), ("fork",), jobs=1, code_base=False)
    with pytest.raises(ToolError):
        engine.execute(planned)
    assert not running.stop_launching.is_set()
