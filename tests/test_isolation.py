"""What a program under test can do to the user's machine: nothing. Each case drives portcheck as a user
does, from a project of their own, and looks at the machine afterwards: the user's files byte for byte,
the processes still running, what memory portcheck took."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portcheck import sandbox
from tests.conftest import the_copy

# Both sides do the same damage, through every way out of the working directory there is.
VANDAL = """\
import os, shutil, sys
def attempt(deed, *arguments):
    try:
        deed(*arguments)
    except (IOError, OSError) as error:
        sys.stdout.write("could not %s: errno %d\\n" % (deed.__name__, error.errno))
def plant(path, text):
    open(path, "w").write(text)
attempt(os.remove, os.path.join(os.environ["PWD"], "userfile.txt"))
attempt(plant, os.path.join(os.environ["PWD"], "planted.txt"), "planted\\n")
attempt(os.remove, "../neighbour/precious.txt")
attempt(shutil.rmtree, "data")
attempt(plant, {absolute!r}, "written outside\\n")
attempt(plant, os.path.expanduser("~/in-home.txt"), "written in home\\n")
{print}
"""


def tree(top: Path) -> dict[str, str]:
    """Every file under `top` and its digest: what must be the same, byte for byte, after the runs."""
    return {
        str(path.relative_to(top)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(top.rglob("*"))
        if path.is_file()
    }


def a_users_machine(top: Path) -> tuple[Path, dict[str, str]]:
    """A project with the user's files in it, a neighbour project beside it, a home."""
    project = top / "proj"
    (project / "data").mkdir(parents=True)
    (project / "userfile.txt").write_text("the user's\n")
    (project / "data" / "table.csv").write_text("a,1\n")
    (top / "neighbour").mkdir()
    (top / "neighbour" / "precious.txt").write_text("another project's\n")
    (top / "home").mkdir()
    absolute = top / "outside.txt"
    (project / "old.py").write_text(VANDAL.format(absolute=str(absolute), print='print "vandalised"'))
    (project / "new.py").write_text(VANDAL.format(absolute=str(absolute), print='print("vandalised")'))
    return project, tree(top)


def portcheck(project: Path, *arguments: str, **how: object) -> subprocess.Popen:
    environment = {**os.environ, "HOME": str(project.parent / "home"), **how.pop("env", {})}  # type: ignore[dict-item]
    return subprocess.Popen(
        [sys.executable, "-m", "portcheck", *arguments],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **how,  # type: ignore[call-overload]
    )


@pytest.mark.usefixtures("python2")
def test_the_users_files_are_untouched_whatever_the_programs_delete_or_write(tmp_path: Path) -> None:
    """Through PWD, `..`, an absolute path and $HOME: in the sandbox every write lands in the run's own
    layer, and is compared and reported like the rest of what the program did."""
    if sandbox.isolated():
        pytest.skip(f"no sandbox here: {sandbox.isolated()}")
    project, before = a_users_machine(tmp_path)
    command = portcheck(project, "--legacy", "old.py", "--modern", "new.py", "--start-methods", "fork,spawn")
    out, err = command.communicate(timeout=300)
    assert (command.returncode, err) == (0, ""), out
    assert tree(tmp_path) == before
    transcript = out.split("transcript of old.py on Python 2.7:\n")[1].split("\n\n")[0].splitlines()
    assert "  file deleted: userfile.txt" in transcript
    assert "  file: planted.txt: planted" in transcript
    assert "  file deleted: data/table.csv" in transcript
    assert f"  file deleted: {tmp_path / 'neighbour' / 'precious.txt'}" in transcript
    assert f"  file: {tmp_path / 'outside.txt'}: written outside" in transcript
    assert "  file: ~/in-home.txt: written in home" in transcript


@pytest.mark.usefixtures("python2")
def test_without_the_sandbox_the_copy_keeps_pwd_and_dotdot_inside_it_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the kernel refuses the sandbox: PWD names the copy, and `..` climbs through directories of the
    run's own, so the user's project and its neighbours stay as they were; absolute paths are not covered,
    and the summary says the runs were not isolated."""
    the_copy(monkeypatch)
    project, before = a_users_machine(tmp_path)
    for side in ("old.py", "new.py"):  # no absolute path, no home: the copy does not cover those
        source = (project / side).read_text().splitlines()
        (project / side).write_text("\n".join(line for line in source if "outside" not in line and "~/" not in line))
    before = tree(tmp_path)
    command = portcheck(project, "--legacy", "old.py", "--modern", "new.py", "--start-methods", "fork")
    out, err = command.communicate(timeout=300)
    assert command.returncode == 0, out + err
    assert tree(tmp_path) == before
    assert "  out: could not remove: errno 2" in out.splitlines()  # ../neighbour is the copy's own: no such file
    assert "runs not isolated" in out.splitlines()[-1]


@pytest.mark.usefixtures("python2")
@pytest.mark.parametrize("isolation", ["sandbox", "copy"])
@pytest.mark.parametrize("end", [signal.SIGHUP, signal.SIGKILL], ids=["terminal closed", "killed"])
def test_nothing_is_left_running_however_portcheck_ends(
    end: signal.Signals, isolation: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program that starts a daemon in a session of its own and sleeps: portcheck closed with its terminal,
    or killed outright, leaves neither running, and the next portcheck removes what it left in the
    temporary directory."""
    if isolation == "copy":
        the_copy(monkeypatch)
    elif sandbox.isolated():
        pytest.skip(f"no sandbox here: {sandbox.isolated()}")
    marker = f"sleeper-{os.getpid()}-{end.name}-{isolation}"
    hang = (
        "import os, subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', 'import os, time; os.setsid(); time.sleep(600)', sys.argv[1]])\n"
        "time.sleep(600)\n"
    )
    (tmp_path / "old.py").write_text('print "hello"\n')
    (tmp_path / "new.py").write_text(hang)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    arguments = ["--legacy", "old.py", "--modern", "new.py", "--start-methods", "fork", "--timeout", "600"]
    command = portcheck(tmp_path, *arguments, "--", marker, env={"TMPDIR": str(temporary)})
    try:
        running = processes_with(marker, at_least=2, within=120)  # the program and its daemon
        assert len(running) >= 2, "the program never started"
        command.send_signal(end)
        command.communicate(timeout=120)
    finally:
        command.kill()
        command.wait(10)
    assert processes_with(marker, at_least=0, within=0, gone_within=10) == []
    if end is signal.SIGKILL:  # nothing could clean up: the next run does
        portcheck(tmp_path, "--legacy", "old.py", "--start-methods", "fork", env={"TMPDIR": str(temporary)}).wait(120)
    assert list(temporary.iterdir()) == []


@pytest.mark.usefixtures("python2")
def test_a_program_that_prints_for_ever_is_stopped_at_the_limit_in_bounded_memory(tmp_path: Path) -> None:
    """No newline, no end: the run is stopped once it has printed --limit MiB, long before its timeout, and
    portcheck's memory stays small."""
    (tmp_path / "old.py").write_text('print "hello"\n')
    (tmp_path / "new.py").write_text("import sys\nwhile True:\n    sys.stdout.write('x' * 1000)\n")
    started = time.monotonic()
    arguments = ("--legacy", "old.py", "--modern", "new.py", "--start-methods", "fork", "--limit", "2")
    command = portcheck(tmp_path, *arguments)
    out, err = command.communicate(timeout=300)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert command.returncode == 1, err
    assert "  +exit code: none, stopped: its output passed the limit of 2 MiB" in out.splitlines()
    assert "under fork was stopped: its output passed the limit of 2 MiB" in err
    assert len(out) < 10_000  # the line is shown by its start and its length
    assert time.monotonic() - started < 120
    assert peak_mib < 500
    assert "runs:" not in out  # a run stopped at the limit is a difference no rerun could make chance


@pytest.mark.usefixtures("python2")
def test_a_file_written_past_the_limit_stops_there(tmp_path: Path) -> None:
    (tmp_path / "old.py").write_text("open('big.bin', 'wb').write(b'x' * 1024)\n")
    (tmp_path / "new.py").write_text("open('big.bin', 'wb').write(b'x' * (3 * 2**20))\n")
    command = portcheck(tmp_path, "--legacy", "old.py", "--modern", "new.py", "--start-methods", "fork", "--limit", "1")
    out, err = command.communicate(timeout=300)
    assert command.returncode == 1, err
    assert "a file it wrote reached the limit of 1 MiB" in out
    assert not (tmp_path / "big.bin").exists()


def processes_with(marker: str, at_least: int, within: float, gone_within: float = 0) -> list[int]:
    """The processes of the program (not portcheck's, nor the harness's) whose command line holds `marker`:
    once there are `at_least` (bounded by `within`), or once they are gone (bounded by `gone_within`)."""
    deadline = time.monotonic() + max(within, gone_within)
    while True:
        found = [pid for pid, command in command_lines().items() if marker in command and _theirs(command)]
        done = len(found) >= at_least if not gone_within else not found
        if done or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _theirs(command: str) -> bool:
    return not any(harness in command for harness in ("reaper.py", "bwrap", "-m portcheck"))


def command_lines() -> dict[int, str]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                found[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, UnicodeDecodeError):
                continue
    return found
