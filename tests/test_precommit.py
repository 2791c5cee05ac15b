"""pre-commit: the hook other repositories use (.pre-commit-hooks.yaml), and this repository's own hooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

BLOCKING = """\
from multiprocessing import Process, Queue


def square(n, out):
    out.put(n * n)


if __name__ == "__main__":
    out = Queue()
    worker = Process(target=square, args=(7, out))
    worker.start()
    print(out.get())
    worker.join()
"""


def hooks(path: Path) -> dict[str, dict]:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load(path.read_text())
    found = data if isinstance(data, list) else [hook for repo in data["repos"] for hook in repo["hooks"]]
    return {hook["id"]: hook for hook in found}


def test_the_portcheck_lint_hook_runs_the_installed_command_on_the_files_a_commit_touches(tmp_path: Path) -> None:
    hook = hooks(ROOT / ".pre-commit-hooks.yaml")["portcheck-lint"]
    assert (hook["language"], hook["types"]) == ("python", ["python"])
    command, *arguments = hook["entry"].split()
    assert command == "portcheck"  # the console script the wheel installs
    (tmp_path / "jobs.py").write_text(BLOCKING)
    (tmp_path / "clean.py").write_text("print('no pool here')\n")
    entry = [sys.executable, "-m", "portcheck", *arguments]
    done = subprocess.run([*entry, "jobs.py", "clean.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.split(": ")[:2]) == (
        1,
        ["jobs.py:12:11", "MPC101 `out.get()` can wait for ever"],
    )
    clean = subprocess.run([*entry, "clean.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_this_repositorys_local_hooks_run(tmp_path: Path) -> None:
    """Each local hook's entry, with the set-up's interpreter standing for .venv/bin/python."""
    local = {
        name: hook for name, hook in hooks(ROOT / ".pre-commit-config.yaml").items() if hook.get("language") == "system"
    }
    assert local
    for hook in local.values():
        entry = hook["entry"].replace(".venv/bin/python", sys.executable).split()
        done = subprocess.run(entry, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{hook['id']}: {done.stdout}{done.stderr}"


def test_another_repository_runs_the_hook_with_pre_commit_try_repo(tmp_path: Path) -> None:
    """As a user's repository would, from a commit of this one (tox -e soak installs pre-commit; 20 s)."""
    beside = Path(sys.executable).parent / "pre-commit"
    pre_commit = str(beside) if beside.exists() else shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (tox -e soak installs it)")
    clone = tmp_path / "portcheck"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    user = tmp_path / "user"
    user.mkdir()
    (user / "jobs.py").write_text(BLOCKING)
    git = ["git", "-c", "user.name=u", "-c", "user.email=u@example.org"]
    for command in (["init", "-q"], ["add", "jobs.py"], ["commit", "-qm", "jobs"]):
        subprocess.run([*git, *command], cwd=user, check=True, timeout=60)
    done = subprocess.run(
        [pre_commit, "try-repo", str(clone), "portcheck-lint", "--all-files"],
        cwd=user,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "jobs.py:12:11: MPC101 `out.get()` can wait for ever" in done.stdout
