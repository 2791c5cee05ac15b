"""Input that once gave a traceback (exit 1, read as "different") or a hang: each is one line and exit 2 now,
or, for what a program did, part of its verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portcheck import marks
from portcheck import merge as merge_command
from portcheck.lint import main as lint
from portcheck.model import ToolError
from portcheck.publish import json as json_results


def portcheck(*arguments: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "portcheck", *arguments], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_no_2to3_with_a_script_alone_is_nothing_to_compare(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text("print 'hello'\n")
    said = one_line(portcheck("--legacy", "old.py", "--no-2to3", cwd=tmp_path))
    assert said == "error: --no-2to3 leaves --legacy alone nothing to compare with: give --modern NEW.py"


def test_a_working_directory_deleted_under_you(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    command = f"import os, runpy, sys; os.rmdir({str(gone)!r}); sys.argv[1:] = ['--legacy', 'x.py']; "
    command += "runpy.run_module('portcheck', run_name='__main__')"
    done = subprocess.run([sys.executable, "-c", command], cwd=gone, capture_output=True, text=True, timeout=60)
    assert one_line(done) == "error: the directory you stand in no longer exists"


@pytest.mark.usefixtures("python2")
def test_a_code_base_with_an_editors_lock_and_a_fifo_named_py(tmp_path: Path) -> None:
    """Neither is a program: the lock (a link to nothing) and the FIFO (which would block for ever) are passed over."""
    for side, text in (("old", 'print "hi"\n'), ("new", 'print("hi")\n')):
        (tmp_path / side).mkdir()
        (tmp_path / side / "p1.py").write_text(f"if __name__ == '__main__':\n    {text}")
        (tmp_path / side / ".#p1.py").symlink_to("user@host.1234:1700000000")
        os.mkfifo(tmp_path / side / "pipe.py")
    done = portcheck("old", "new", "--start-methods", "fork", cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[1].split()[0] == "p1"


def test_json_into_a_directory_that_does_not_exist_is_refused_and_not_made(tmp_path: Path) -> None:
    """Before any program runs; and the writer itself, for `merge`, makes no directory either."""
    (tmp_path / "old.py").write_text('print "hello"\n')
    done = portcheck("--legacy", "old.py", "--json", str(tmp_path / "nowhere" / "results.json"), cwd=tmp_path)
    assert one_line(done) == f"error: --json: no directory {tmp_path / 'nowhere'} to write results.json in"
    with pytest.raises(ToolError, match=r"cannot write .*: No such file or directory"):
        json_results.write([], tmp_path / "nowhere" / "results.json")
    assert not (tmp_path / "nowhere").exists()


def test_json_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails half-way (a full disk) leaves the file that was there as it was."""
    results = tmp_path / "results.json"
    results.write_text('{"a good": "file"}\n')

    def full_disk(data: dict) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json_results, "text", full_disk)
    with pytest.raises(ToolError, match="No space left on device"):
        json_results.write([], results)
    assert results.read_text() == '{"a good": "file"}\n'
    assert [path.name for path in tmp_path.iterdir()] == ["results.json"]


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000 + "]" * 100_000, "python: 5"],
    ids=["nested 100,000 deep", "a python that is a number"],
)
def test_merge_of_what_is_not_a_results_file(content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = tmp_path / "shard.json"
    if content == "python: 5":
        good = json.loads(json_results.text(json_results.document([])))
        row = {"name": "p", "kind": "modern", "python": 5, "start_method": "fork", "verdict": "identical"}
        good["results"] = [{**row, "note": "", "hint": "", "legacy": None, "modern": None}]
        content = json.dumps(good)
    given.write_text(content)
    assert merge_command.main([str(tmp_path / "out.json"), str(given)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: "), error
    assert error.count("\n") == 1, error


def test_lint_never_opens_a_fifo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "real.py").write_text("x = 1\n")
    assert lint([str(tmp_path)]) == 0  # the FIFO in a folder is passed over
    assert lint([str(tmp_path / "pipe.py")]) == 2  # named, it is refused
    assert capsys.readouterr().err == f"error: {tmp_path / 'pipe.py'} is not a file\n"


def test_the_hooks_separators_around_5000_digits_are_text() -> None:
    """What a program prints is never taken for the hook's frame unless it is one: a pid has at most 10 digits."""
    printed = b"\x1e" + b"9" * 5000 + b"\x1fhello\x1d\n"
    text, owners = marks.unframe(printed)
    assert text == printed
    assert owners == [None]
