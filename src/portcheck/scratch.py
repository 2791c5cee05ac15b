"""Each run in a scratch copy of its workspace, where the sandbox cannot be had (sandbox.py); what runs leave.

A run never sees another run's files, nor changes the user's through a relative path: the copy sits
as deep below a directory of its own as the workspace sits below /, so that `..` climbs through
directories of the run's own, and `PWD` names the copy. What it creates, changes or deletes in its
copy is behaviour, compared like its output: a text file as its lines, any other file by its size
and a digest. Writes to absolute paths outside the copy reach the real system: only the sandbox
stops those.

Every temporary directory of portcheck's carries the pid of the portcheck that made it, so that one
killed before it could clean up has its directories removed by the next one that starts.

A script inside the workspace runs as its copy, from the copy's directory that holds it; a script
elsewhere runs where it is (bytecode is never written, so its directory stays as it was). For a
mechanical port, the script and the modules of its own that it imports are converted in the copy
(or, for a script elsewhere, into a directory of their own beside it).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path

from portcheck.mechanical import convert_program
from portcheck.model import Line, Program, ToolError

MOST_FILES = 2000
MOST_BYTES = 100 * 1024 * 1024
SKIPPED = {".git", ".hg", ".svn", ".tox", ".venv", "venv", "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache"}
NOT_BEHAVIOUR = {".pyc"}  # Python 2 writes these beside imported modules, Python 3 in __pycache__
RUN_PREFIX, PORT_PREFIX, LOG_PREFIX, STDIN_PREFIX = (
    "portcheck-run-",
    "portcheck-2to3-",
    "portcheck-log-",
    "portcheck-stdin-",
)
OWN_TEMPORARY = (RUN_PREFIX, PORT_PREFIX, LOG_PREFIX, STDIN_PREFIX)  # what runs make in the temporary directory

_live: set[str] = set()  # every scratch directory not yet removed, for a run stopped by Ctrl-C
_live_lock = threading.Lock()
_stale_removed = False
OWNER = re.compile(r"^portcheck-(?:run|2to3|log|stdin)-(\d+)-")


def _files(directory: Path) -> dict[str, Path]:
    """The files a run may read or change, by name; at most one more than MOST_FILES, the walk stops there.

    Skipped directories are not entered at all: a clone's .tox alone holds tens of thousands of files.
    """
    found = {}
    temporary = os.path.realpath(tempfile.gettempdir())
    for root, subdirectories, names in os.walk(directory):
        if os.path.realpath(root) == temporary:
            # a workspace that holds the temporary directory holds the scratch copies of the other runs too,
            # which come and go as they run: they are no more the programs' files than the tool's own are
            subdirectories[:] = [name for name in subdirectories if not name.startswith(OWN_TEMPORARY)]
            names = [name for name in names if not name.startswith(OWN_TEMPORARY)]
        subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED)
        for name in sorted(names):
            path = Path(root, name)
            if path.suffix in NOT_BEHAVIOUR or not path.is_file():
                continue
            found[os.path.relpath(path, directory).replace(os.sep, "/")] = path
            if len(found) > MOST_FILES:
                return found
    return found


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # gone since the walk
        return 0


def digest(path: Path) -> str:
    found = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            found.update(block)
    return found.hexdigest()


AT_LIMIT = "bytes, at the limit a file"


def file_lines(name: str, path: Path, limit: int) -> tuple[list[Line], bool]:
    """A file a run created or changed, as compared: a text file as its lines, any other by size and digest;
    and whether it reached `limit` (then only its size is said)."""
    size = path.stat().st_size
    if size >= limit:
        return [Line("file", f"{name}: {size} {AT_LIMIT}")], True
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [Line("file", f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}")], False
    return [Line("file", f"{name}: {line}") for line in text.splitlines()] or [Line("file", f"{name}: (empty)")], False


def _signature(path: Path) -> tuple[int, int]:
    """What copy2 keeps of a file and a write changes: its size and its time of modification."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def workspace_digest(workspace: Path) -> str:
    """One digest of every file a run of `workspace` sees: what a cached run must have seen too."""
    found = hashlib.sha256()
    for name, path in sorted(_files(workspace).items()):
        with contextlib.suppress(OSError):  # gone since the walk, or unreadable: no part of what a run sees
            found.update(f"{name}\0{digest(path)}\0".encode())
    return found.hexdigest()


def temporary(prefix: str) -> Path:
    """A new directory in the temporary directory, named for this process, removed when it ends."""
    global _stale_removed
    if not _stale_removed:
        _stale_removed = True
        remove_stale()
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")).resolve()
    with _live_lock:
        _live.add(str(path))
    return path


def remove(path: Path) -> None:
    """Remove a directory of a run's, whatever the run made of it: a directory it left unreadable
    (mode 000, or overlayfs's own work directory) is opened up first."""

    def opened_up(function: object, failed: str, *exc_info: object) -> None:
        with contextlib.suppress(OSError):
            parent = os.path.dirname(failed)
            os.chmod(parent, stat.S_IRWXU)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, stat.S_IRWXU)
                shutil.rmtree(failed, ignore_errors=True)
            else:
                os.unlink(failed)

    if path.exists():
        with contextlib.suppress(OSError):
            os.chmod(path, stat.S_IRWXU)
        shutil.rmtree(path, onerror=opened_up)  # type: ignore[arg-type]
    with _live_lock:
        _live.discard(str(path))


def remove_stale() -> None:
    """The temporary directories of a portcheck that was killed before it could remove them."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(tempfile.gettempdir()):
            owner = OWNER.match(entry.name)
            if owner and not Path(f"/proc/{owner.group(1)}").exists():
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        remove(Path(entry.path))
                    else:  # a copy of --stdin
                        os.unlink(entry.path)


@atexit.register
def remove_every_scratch_directory() -> None:
    """What a run interrupted half-way did not remove: the process is ending, nothing uses them now."""
    with _live_lock:
        left = list(_live)
    for path in left:
        remove(Path(path))


class Copy:
    """A copy of `program.workspace`, as deep below a directory of its own as the workspace is below /."""

    def __init__(self, program: Program, file_limit: int) -> None:
        workspace = program.workspace
        files = _files(workspace)
        size = sum(_size(path) for path in files.values())
        if len(files) > MOST_FILES or size > MOST_BYTES:
            count = f"more than {MOST_FILES}" if len(files) > MOST_FILES else len(files)
            raise ToolError(
                f"{workspace} is too large to copy for each run ({count} files, {size // 2**20} MiB; at most"
                f" {MOST_FILES} files and {MOST_BYTES // 2**20} MiB): run from a directory with only what the"
                " scripts need"
            )
        self.file_limit = file_limit
        self.at_limit = False  # whether a file the run wrote reached file_limit (changes() says)
        self.places: list[Path] = []
        self.ported: set[str] = set()  # files of the copy that the mechanical port rewrote
        try:
            root = self._new_place(RUN_PREFIX)
            self.directory = root / workspace.resolve().relative_to("/")
            self.directory.mkdir(parents=True, exist_ok=True)
            for name, path in files.items():
                copy = self.directory / name
                copy.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileNotFoundError):  # gone since the walk: not in the workspace now
                    shutil.copy2(path, copy)
            self.script = self._place_script(program)
        except PermissionError as exc:
            self.close()
            raise ToolError(f"cannot copy {exc.filename} for the runs: {exc.strerror}") from None
        except BaseException:
            self.close()
            raise
        # what each file was before the run: its size and time, and where to read its content if they change
        self.before = {
            name: (_signature(copy), None if name in self.ported else files.get(name))
            for name, copy in _files(self.directory).items()
        }
        self.converted = {
            name: digest(self.directory / name) for name, (_, source) in self.before.items() if not source
        }

    def _new_place(self, prefix: str) -> Path:
        place = temporary(prefix)
        self.places.append(place)
        return place

    def _place_script(self, program: Program) -> Path | None:
        """Where the program's script runs: its copy, or where it is; converted first for a mechanical port."""
        if program.module is not None:
            if program.convert:
                entry = module_path(self.directory, program.module, program.shown)
                self.ported.update(convert_program(self.directory, entry, self.directory))
            return None
        assert program.script is not None
        try:
            inside = program.script.relative_to(program.workspace.resolve())
        except ValueError:
            inside = None
        if inside is not None:
            if program.convert:
                self.ported.update(convert_program(self.directory, inside.as_posix(), self.directory))
            return self.directory / inside
        if not program.convert:
            return program.script
        elsewhere = self._new_place(PORT_PREFIX)
        convert_program(program.script.parent, program.script.name, elsewhere)
        return elsewhere / program.script.name

    def wrap(self, command: list[str]) -> list[str]:
        return command

    def changes(self) -> list[Line]:
        """A line per line of each file created or changed, and per file deleted."""
        lines = []
        after = _files(self.directory)
        for name, path in after.items():
            if name in self.before and not self._changed(name, path):
                continue
            with contextlib.suppress(OSError):  # one the run left unreadable: its name, at least, is said below
                said, full = file_lines(name, path, self.file_limit)
                lines += said
                self.at_limit = self.at_limit or full
                continue
            lines.append(Line("file", f"{name}: unreadable"))
        lines += [Line("file deleted", name) for name in self.before if name not in after]
        return lines

    def _changed(self, name: str, path: Path) -> bool:
        """Whether a file the run found has other content now: read only when its size or time changed."""
        signature, source = self.before[name]
        try:
            if _signature(path) == signature:
                return False
            original = digest(source) if source is not None and source.is_file() else self.converted.get(name)
            return digest(path) != original
        except OSError:
            return True

    def close(self) -> None:
        for place in self.places:
            remove(place)

    def __enter__(self) -> Copy:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def module_path(directory: Path, module: str, shown: str) -> str:
    """The file, relative to `directory`, that `python -m module` runs there."""
    base = Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__main__.py"):
        if (directory / candidate).is_file():
            return candidate.as_posix()
    raise ToolError(f"no module {module!r} in {shown}: neither {base}.py nor {base}/__main__.py")
