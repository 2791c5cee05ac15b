"""The results as data: written by every mode of the command (`--json FILE`), read back, merged.

The shape is documented in docs/results-schema.md and checked against docs/results.schema.json
by the tests. The site is built from it, and so are the test environments' summaries: nothing
reads the printed text.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

from portcheck import __version__
from portcheck.model import Declaration, Diagnosis, DiffLine, Port, Relaxation, Result, ToolError, Verdict
from portcheck.observe import as_data, from_data

SCHEMA = 2


def row(result: Result) -> dict:
    return {
        "name": result.name,
        "kind": result.kind.value,
        "python": result.python,
        "start_method": result.start_method,
        "verdict": str(result.verdict),
        "note": result.note,
        "legacy": as_data(result.legacy) if result.legacy else None,
        "modern": as_data(result.modern) if result.modern else None,
        "declared": [{"said": d.said, "why": d.why, "lines": d.lines} for d in result.declared],
        "relaxed": [{"rule": r.rule, "reason": r.reason, "lines": r.lines} for r in result.relaxed],
        "diff": [{"mark": line.mark, "text": line.text, "note": line.note} for line in result.diff],
        "diagnoses": [
            {"rule": d.rule, "lines": list(d.lines), "cause": d.cause, "fix": d.fix, "link": d.link}
            for d in result.diagnoses
        ],
        "hint": result.hint,
        "evidence": list(result.evidence),
        "crashes": list(result.crashes),
        "expected": {
            "verdict": str(result.expected),
            "why": result.expected_why,
            "diagnoses": list(result.expected_diagnoses),
        }
        if result.expected
        else None,
        "as_expected": result.as_expected,
        "findings": list(result.findings),
        "binds": result.binds,
    }


def result_of(data: dict) -> Result:
    for key in ("name", "kind", "python", "start_method", "note", "hint"):
        if not isinstance(data[key], str):
            raise TypeError(f"{key!r}, not text")
    expected = data["expected"]
    return Result(
        name=data["name"],
        kind=Port(data["kind"]),
        python=data["python"],
        start_method=data["start_method"],
        verdict=Verdict(data["verdict"]),
        legacy=from_data(data["legacy"]) if data["legacy"] else None,
        modern=from_data(data["modern"]) if data["modern"] else None,
        declared=tuple(Declaration(d["said"], d["why"], d["lines"]) for d in data["declared"]),
        relaxed=tuple(Relaxation(r["rule"], r["reason"], r["lines"]) for r in data["relaxed"]),
        diff=tuple(DiffLine(line["mark"], line["text"], line["note"]) for line in data["diff"]),
        hint=data["hint"],
        evidence=tuple(str(said) for said in data.get("evidence", ())),  # absent in files written before it existed
        note=data["note"],
        crashes=tuple(data["crashes"]),
        expected=Verdict(expected["verdict"]) if expected else None,
        expected_why=expected["why"] if expected else "",
        findings=tuple(data["findings"]),
        binds=data["binds"],
        # files written before diagnoses were made have none: read them as undiagnosed
        diagnoses=tuple(
            Diagnosis(d["rule"], tuple(d["lines"]), d["cause"], d["fix"], d["link"]) for d in data.get("diagnoses", ())
        ),
        expected_diagnoses=tuple(expected.get("diagnoses", ())) if expected else (),
    )


def run_of(programs: list[str], python: str, shard: tuple[int, int]) -> dict:
    """What a compare's file holds, for merge to check: the whole code base's programs (every shard's),
    and which part of them this file has, on which Python."""
    return {"programs": sorted(programs), "parts": [{"python": python, "shard": f"{shard[0]}/{shard[1]}"}]}


def document(results: list[Result], run: dict | None = None) -> dict:
    return {
        "schema": SCHEMA,
        "tool": f"portcheck {__version__}",
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **({"run": run} if run is not None else {}),
        "results": [row(result) for result in results],
    }


def text(data: dict) -> str:
    """The document with a line per result: compact, and a diff of two runs reads result by result."""
    head = json.dumps({key: value for key, value in data.items() if key != "results"}, ensure_ascii=False)[:-1]
    rows = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in data["results"])
    return f'{head}, "results": [\n{rows}\n]}}\n'


def write(results: list[Result], path: Path, run: dict | None = None) -> None:
    """Written whole or not at all: to a temporary file beside it, then renamed; its directory must exist."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".writing")
        with os.fdopen(handle, "w") as file:
            file.write(text(document(results, run)))
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise ToolError(f"cannot write {path}: {exc.strerror}") from None


def read(path: Path) -> list[Result]:
    """The results a file holds; a ToolError naming the file when it is not a results file of this schema."""
    return _document(path)["results"]


def _document(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise ToolError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ToolError(f"{path} is not JSON: {exc}") from None
    except RecursionError:
        raise ToolError(f"{path} is not a results file: nested too deeply") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ToolError(f"{path} is not a results file of schema {SCHEMA} (docs/results-schema.md)")
    try:
        data["results"] = [result_of(item) for item in data["results"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ToolError(f"{path}: a result lacks or garbles {exc}") from None
    return data


def well_formed(run: object) -> bool:
    """Whether a file's "run" says what merge checks: its code base's programs, and its parts."""
    if not isinstance(run, dict) or not isinstance(run.get("programs"), list) or not isinstance(run.get("parts"), list):
        return False
    return all(
        isinstance(part, dict)
        and isinstance(part.get("python"), str)
        and re.fullmatch(r"\d+/\d+", part.get("shard", ""))
        for part in run["parts"]
    )


def merge(paths: list[Path], out: Path) -> list[Result]:
    """Several results files (shards, or one per Python) as one, once each is known to be a part of the same
    code base, by the same tool, and every part is there once: a shard left out or given twice would
    otherwise be a report that looks whole."""
    documents = [(path, _document(path)) for path in paths]  # a file given twice is a shard given twice
    first, data = documents[0]
    parts: dict[tuple[str, str], Path] = {}
    for path, this in documents:
        if this["tool"] != data["tool"]:
            raise ToolError(f"{path} was written by {this['tool']}, {first} by {data['tool']}: compare again with one")
        run = this.get("run")
        if not well_formed(run):
            raise ToolError(f"{path} does not say which programs and shard it holds: merge cannot check it")
        if run.get("programs") != data["run"]["programs"]:
            raise ToolError(f"{path} and {first} are of different code bases: their programs differ")
        for part in run["parts"]:
            key = (part["python"], part["shard"])
            if key in parts:
                where = f"given twice: {path}" if parts[key] == path else f"in both {parts[key]} and {path}"
                raise ToolError(f"shard {key[1]} on Python {key[0]} is {where}")
            parts[key] = path
    for python in sorted({python for python, _ in parts}):
        shards = sorted(shard for each, shard in parts if each == python)
        counts = {shard.split("/")[1] for shard in shards}
        if len(counts) > 1:
            raise ToolError(f"on Python {python}, shards of different splits: {', '.join(shards)}")
        missing = [f"{number}/{count}" for count in counts for number in range(1, int(count) + 1)]
        missing = [shard for shard in missing if shard not in shards]
        if missing:
            raise ToolError(f"on Python {python}, shard {', '.join(missing)} is missing (given: {', '.join(shards)})")
    results = [result for _, this in documents for result in this["results"]]
    merged = {"programs": data["run"]["programs"], "parts": [{"python": p, "shard": s} for p, s in parts]}
    write(results, out, merged)
    return results
