"""Each run of your own scripts in a scratch copy of your directory, and the files it changed there.

A run never sees another run's files, nor changes yours. What it creates, changes or deletes in
its copy is behaviour, compared like its output: a text file as its lines, any other file by
its size and a digest. Files outside the directory, and the network, are not captured.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from portcheck import ToolError

MOST_FILES = 2000
MOST_BYTES = 100 * 1024 * 1024
SKIPPED = {".git", ".hg", ".svn", ".tox", ".venv", "venv", "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache"}
NOT_BEHAVIOUR = {".pyc"}  # Python 2 writes these beside imported modules, Python 3 in __pycache__


def _files(directory: Path) -> dict[str, Path]:
    """The files a run may read or change, by name; at most one more than MOST_FILES, the walk stops there.

    Skipped directories are not entered at all: a clone's .tox alone holds tens of thousands of files.
    """
    found = {}
    for root, subdirectories, names in os.walk(directory):
        subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED)
        for name in sorted(names):
            path = Path(root, name)
            if path.suffix in NOT_BEHAVIOUR or not path.is_file():
                continue
            found[os.path.relpath(path, directory).replace(os.sep, "/")] = path
            if len(found) > MOST_FILES:
                return found
    return found


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Scratch:
    """A copy of `source` (the caller's directory) plus the scripts, in a temporary directory of its own."""

    def __init__(self, source: Path, scripts: list[Path]) -> None:
        files = _files(source)
        size = sum(path.stat().st_size for path in files.values())
        if len(files) > MOST_FILES or size > MOST_BYTES:
            count = f"more than {MOST_FILES}" if len(files) > MOST_FILES else len(files)
            raise ToolError(
                f"{source} is too large to copy for each run ({count} files, {size // 2**20} MiB; at most"
                f" {MOST_FILES} files and {MOST_BYTES // 2**20} MiB): run from a directory with only what the"
                " scripts need"
            )
        self.temporary = tempfile.TemporaryDirectory(prefix="portcheck-run-")
        self.directory = Path(self.temporary.name).resolve()
        for name, path in files.items():
            copy = self.directory / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
        self.scripts: list[str] = []
        for script in scripts:
            try:
                self.scripts.append(script.relative_to(source).as_posix())
            except ValueError:  # a script from elsewhere runs from the top of the copy
                shutil.copy2(script, self.directory / script.name)
                self.scripts.append(script.name)
        self.before = {name: _digest(path) for name, path in _files(self.directory).items()}

    def changes(self) -> list[str]:
        """One transcript line per line of each file created or changed, and per file deleted."""
        lines = []
        after = _files(self.directory)
        for name, path in after.items():
            if self.before.get(name) == _digest(path):
                continue
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                lines.append(f"file: {name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}")
                continue
            lines += [f"file: {name}: {line}" for line in text.splitlines()] or [f"file: {name}: (empty)"]
        lines += [f"file deleted: {name}" for name in self.before if name not in after]
        return lines

    def close(self) -> None:
        self.temporary.cleanup()

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
