"""Recordings: a code base's legacy runs made where Python 2.7 is, committed, and read where it is not.

    portcheck record [NAME ...]     (where Python 2.7 is)   recordings/NAME.json, one per program
    portcheck [NAME ...]            (where it is not)       the runs read back instead of run

A recording holds as many runs as chance may ask of the original (engine.MOST_RUNS where the
configuration learns from the programs' runs, one where it does not), and what the program's
behaviour depends on: its script, the modules of its side it imports, its arguments, its input and
environment, and the files its arguments name. A recording whose inputs have changed since is stale,
and each compare that reads it says so (it is still used: an old run is better evidence than none,
and the summary says which).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from portcheck import __version__
from portcheck.model import Observation
from portcheck.observe import as_data, from_data

FORMAT = 1
IMPORTS = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import|import[ \t]+([\w., \t]+))", re.MULTILINE)


@dataclass(frozen=True)
class Recording:
    runs: tuple[Observation, ...]  # the first run, then the reruns chance may ask for
    inputs: tuple[tuple[str, str], ...]  # what it depended on, each with its digest or value, when recorded


NOT_A_RECORDING = (ValueError, KeyError, TypeError, AttributeError)  # what read() raises for what it cannot read


def read(path: Path) -> Recording:
    """A recording (OSError where there is none; one of NOT_A_RECORDING where it is not one this version reads),
    read once while the file is unchanged: plan looks at its inputs, then the engine at its runs, several times."""
    found = path.stat()
    return _read(path, found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int) -> Recording:
    data = json.loads(path.read_text())
    if data.get("recording") != FORMAT:
        raise ValueError(f"a recording of format {data.get('recording')}, not {FORMAT}: record it again")
    runs = tuple(from_data(run, source="recorded") for run in data["runs"])
    if not runs:
        raise ValueError("no runs in it")
    return Recording(runs, tuple((str(key), str(value)) for key, value in data["inputs"].items()))


def write(path: Path, runs: list[Observation], inputs: tuple[tuple[str, str], ...]) -> None:
    """A recording, laid out a line per transcript line so that a change to it reads as a diff does."""
    parts = [
        f' "recording": {FORMAT}',
        f' "tool": {json.dumps(f"portcheck {__version__}")}',
        ' "inputs": {\n' + ",\n".join(f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in inputs) + "\n }",
        ' "runs": [\n' + ",\n".join(readable({**as_data(run), "source": "recorded"}) for run in runs) + "\n ]",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{\n" + ",\n".join(parts) + "\n}\n")


def readable(data: dict) -> str:
    fields = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(json.dumps(item, ensure_ascii=False) for item in value)
            fields.append(f"   {json.dumps(key)}: [\n    {items}\n   ]")
        else:
            fields.append(f"   {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "  {\n" + ",\n".join(fields) + "\n  }"


def inputs_of(
    script: Path,
    root: Path,
    base: Path,
    arguments: tuple[str, ...],
    stdin: Path | None,
    environment: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, str], ...]:
    """What a legacy program's runs depend on, each file by its path under `base` (the configuration's
    directory) and the digest of its content: the script, each module of `root` (its side) it imports,
    directly or through another, the files its arguments name, its input; and the arguments and
    environment themselves."""
    files = [*modules_of(script, root), *(root / given for given in arguments if (root / given).is_file())]
    files += [stdin] if stdin else []
    found = {shown(path, base): digest(path) for path in files}
    found["args"] = json.dumps(list(arguments))
    found.update({f"env {name}": value for name, value in environment})
    return tuple(sorted(found.items()))


def modules_of(script: Path, root: Path) -> list[Path]:
    """The script and each module under `root` it imports, and those they import: found by their import
    lines (a Python 2 script is not Python 3 to parse), each dotted name looked for under `root` and
    beside the importing file, as Python 2's implicit relative imports found them."""
    seen: dict[Path, None] = {}
    waiting = [script.resolve()]
    while waiting:
        path = waiting.pop()
        if path in seen:
            continue
        seen[path] = None
        try:
            source = path.read_text(errors="replace")
        except OSError:
            continue
        for found in IMPORTS.finditer(source):
            names = [found.group(1)] if found.group(1) else found.group(2).split(",")
            for name in names:
                dotted = name.split(" as ")[0].strip().lstrip(".")
                for place in (root, path.parent):
                    waiting += [m for m in module_files(place, dotted) if m.resolve() not in seen]
    return list(seen)


def module_files(place: Path, dotted: str) -> list[Path]:
    """The file of each package and module along `dotted` under `place` that exists."""
    found = []
    parts = [part for part in dotted.split(".") if part]
    for depth in range(1, len(parts) + 1):
        stem = place.joinpath(*parts[:depth])
        found += [path for path in (stem.with_suffix(".py"), stem / "__init__.py") if path.is_file()]
    return found


def shown(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def digest(path: Path) -> str:
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def changed(recorded: tuple[tuple[str, str], ...], now: tuple[tuple[str, str], ...]) -> list[str]:
    """What differs between a recording's inputs and the program's now, each said in a few words."""
    before, after = dict(recorded), dict(now)
    said = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        what = "the arguments" if key == "args" else key.replace("env ", "$") if key.startswith("env ") else key
        said.append(f"{what} {'changed' if key in before and key in after else 'added' if key in after else 'gone'}")
    return said
