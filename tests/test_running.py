"""Running one program: in the sandbox or a copy, and what counts as left behind once it has exited."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from portcheck import running, sandbox, scratch
from portcheck.interpreters import this_python
from portcheck.model import Program, ToolError
from portcheck.running import EXIT_GRACE, WRAP_NOTHING, run

LINGER = 2 * EXIT_GRACE + 3  # seconds a process outlives the program: past both graces any process gets


def in_namespaces(command: list[str]) -> list[str]:
    """The sandbox's namespaces, without its overlays: what the reaper sees there."""
    executable, why = sandbox.bwrap()
    if executable is None:
        pytest.skip(f"no sandbox here: {why}")
    return [executable, *sandbox._namespaces(), "--", *command]


WRAPS = pytest.mark.parametrize("wrap", [in_namespaces, WRAP_NOTHING], ids=["sandbox", "reaper alone"])


@WRAPS
@pytest.mark.parametrize(
    ("command", "leftovers"),
    [
        ("import time; time.sleep({})", 1),
        ("import os, time; os.setsid(); time.sleep({})", 1),
        ("import time; time.sleep({})  # from multiprocessing.resource_tracker import main", 0),
    ],
    ids=["a process of the program's", "a daemon in a session of its own", "multiprocessing's resource tracker"],
)
def test_only_what_the_program_left_is_left_behind(wrap: object, command: str, leftovers: int, tmp_path: Path) -> None:
    """A process still alive after the program has exited and the grace has run out is a leftover, whatever
    session it put itself in, but for multiprocessing's own helpers, which end by themselves once the program
    has gone, if later on a busy machine."""
    marker = f"lingering-{os.getpid()}-{time.monotonic_ns()}"
    linger = [sys.executable, "-c", f"{command.format(LINGER)}  # {marker}"]
    program = f"import subprocess; subprocess.Popen({linger!r}); print('started')"
    done = run(wrap, (sys.executable, "-c", program), timeout=30, cwd=tmp_path, env=dict(os.environ))  # type: ignore[arg-type]
    assert (done.exit_code, done.stdout, done.leftovers) == (0, "started\n", leftovers)
    assert not [pid for pid in alive_with(marker) if "subprocess" not in command_line(pid)]


@WRAPS
def test_a_program_that_kills_its_parent_is_still_ended(wrap: object, tmp_path: Path) -> None:
    """The program's parent is its reaper: in the sandbox the kernel does not let it be killed from inside;
    alone, its death ends the run, and the process group with it."""
    program = "import os, time; os.kill(os.getppid(), 9); time.sleep(600)"
    marker = f"killer-of-its-parent-{os.getpid()}-{time.monotonic_ns()}"
    done = run(wrap, (sys.executable, "-c", program, marker), 5, tmp_path, dict(os.environ))  # type: ignore[arg-type]
    assert "killed the process that started it" in done.stopped
    assert alive_with(marker) == []


def alive_with(marker: str) -> list[int]:
    """The processes whose command line holds `marker`, once those that were killed have gone (bounded)."""
    deadline = time.monotonic() + 5
    while True:
        found = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc"))) if marker in command_line(pid)]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_a_stop_that_comes_while_a_program_starts_kills_it_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a loaded machine a program can run (and be seen running) before the thread that started it
    has noted its process group: Ctrl-C then came too early for kill_launched_programs to see it, and
    portcheck waited for the program to end by itself."""
    started = subprocess.Popen

    def started_then_stopped(*arguments: object, **keywords: object) -> subprocess.Popen:
        process = started(*arguments, **keywords)  # type: ignore[call-overload]
        running.kill_launched_programs()  # the stop, after the fork, before the group is noted
        return process

    monkeypatch.setattr(subprocess, "Popen", started_then_stopped)
    began = time.monotonic()
    try:
        with pytest.raises(ToolError, match="interrupted"):
            run(WRAP_NOTHING, ("sleep", "600"), timeout=120, cwd=tmp_path, env=dict(os.environ))
    finally:
        running.launching_again()  # this process goes on running other tests
    assert time.monotonic() - began < 60


def copied(workspace: Path) -> list[str]:
    program = Program("main.py", this_python(), workspace, workspace / "main.py")
    with scratch.Copy(program, file_limit=2**20) as copy:
        return sorted(path.relative_to(copy.directory).as_posix() for path in copy.directory.rglob("*.py"))


def test_a_workspace_that_holds_the_temporary_directory_is_copied_without_the_other_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs at once, with the temporary directory where the user stands (TMPDIR=.): each run's copy left out
    the others' scratch copies, which come and go while it copies (it once copied one half-removed, and
    failed); a directory of the user's with the same name elsewhere is theirs, and copied."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "main.py").write_text("print('hello')\n")
    for other in ("portcheck-run-abc123", "portcheck-2to3-def456", "deeper/portcheck-run-mine"):
        (tmp_path / other).mkdir(parents=True)
        (tmp_path / other / "main.py").write_text("print('hello')\n")
    assert copied(tmp_path) == ["deeper/portcheck-run-mine/main.py", "main.py"]


def test_a_file_gone_before_it_is_copied_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workspace is the user's: a file removed between the walk and the copy is not there any more."""
    (tmp_path / "main.py").write_text("print('hello')\n")
    walk = scratch._files

    def walk_that_saw_a_file_since_removed(directory: Path) -> dict[str, Path]:
        found = walk(directory)
        return {**found, "gone.py": directory / "gone.py"} if directory == tmp_path else found

    monkeypatch.setattr(scratch, "_files", walk_that_saw_a_file_since_removed)
    assert copied(tmp_path) == ["main.py"]
