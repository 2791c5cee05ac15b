"""The corpus of other people's kind of programs (tests/corpus/): each case, the verdict a careful person
gives it, and the installed tool's verdict on it, run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from maint import ROOT
from portcheck import config
from portcheck.model import Port, Result, Verdict
from portcheck.publish import json as json_results
from portcheck.running import START_METHODS

CORPUS_DIR = ROOT / "tests" / "corpus"


@dataclass(frozen=True)
class CorpusCase:
    """A pair of someone else's kind of programs, and the verdict a careful person gives (expected.toml)."""

    name: str
    verdict: str
    why: str
    arguments: tuple[str, ...] = ()
    stdin: str | None = None
    start_methods: tuple[str, ...] = START_METHODS  # where a "different" holds; elsewhere alike
    options: tuple[str, ...] = ()
    hint: str = ""  # what the tool names to accept the difference, without `options`
    legacy: str = "old.py"  # each script, relative to the case's directory, or "-m MODULE"
    modern: str = "new.py"
    stand_in: tuple[str, ...] = (".",)  # where the user stands: directories of the case, or "elsewhere"
    stdin_file: str | None = None  # a file given as --stdin as it is (/dev/null, say)
    shown: str = ""  # what the report must show
    diagnoses: tuple[str, ...] | None = None  # the rules a "different" result's diagnoses must name (diagnose.py)
    python: tuple[int, int] = (3, 0)  # the first Python 3 where a "different" holds; before it alike
    soak_only: bool = False  # its reruns cost seconds of CPU: tox -e soak runs it, the test command does not


def corpus_cases() -> list[CorpusCase]:
    cases = []
    for expected in sorted(CORPUS_DIR.glob("*/expected.toml")):
        data = config._toml(expected.read_text())
        cases.append(
            CorpusCase(
                expected.parent.name,
                data["verdict"],
                data["why"],
                tuple(data.get("args", ())),
                data.get("stdin"),
                tuple(data.get("start_methods", START_METHODS)),
                tuple(data.get("options", ())),
                data.get("hint", ""),
                data.get("legacy", "old.py"),
                data.get("modern", "new.py"),
                tuple(data.get("stand_in", (".",))),
                data.get("stdin_file"),
                data.get("shown", ""),
                tuple(data["diagnoses"]) if "diagnoses" in data else None,
                tuple(int(part) for part in data.get("python", "3.0").split(".")),  # type: ignore[arg-type]
                bool(data.get("soak_only", False)),
            )
        )
    return cases


def installed_command() -> list[str]:
    """The portcheck a user runs: the console script installed beside this Python, else its module."""
    script = Path(sys.executable).parent / "portcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "portcheck"]


def run_corpus_case(
    case: CorpusCase, place: str, options: tuple[str, ...], timeout: float = 15
) -> tuple[int, list[Result], str]:
    """Run the installed tool on a corpus case as a user does, standing in `place` of a copy of the case
    outside the clone; its exit status, its results (read from --json) and what it printed."""
    with tempfile.TemporaryDirectory(prefix="portcheck-corpus-") as scratch:
        copy = Path(scratch) / case.name
        shutil.copytree(CORPUS_DIR / case.name, copy)
        here = Path(scratch) / "elsewhere" if place == "elsewhere" else copy / place
        here.mkdir(exist_ok=True)
        results_file = Path(scratch) / "results.json"
        command = [*installed_command(), "--legacy", given(case.legacy, copy, here, place)]
        command += ["--modern", given(case.modern, copy, here, place)]
        command += ["--timeout", str(timeout), "--json", str(results_file)]
        if case.stdin is not None:
            (Path(scratch) / "stdin").write_text(case.stdin)
            command += ["--stdin", str(Path(scratch) / "stdin")]
        if case.stdin_file is not None:
            command += ["--stdin", case.stdin_file]
        command += [*options, "--", *case.arguments]
        environment = {**os.environ, "NO_COLOR": "1"}  # $PORTCHECK_CACHE kept: a test command's Pythons share
        done = subprocess.run(
            command, cwd=here, env=environment, capture_output=True, text=True, timeout=300, check=False
        )
        results = json_results.read(results_file) if results_file.exists() else []
    return done.returncode, results, done.stdout + done.stderr


def given(script: str, case: Path, here: Path, place: str) -> str:
    """A script as the user standing in `here` names it: relative from within the case, absolute from elsewhere."""
    if script.startswith("-m "):
        return script
    if place == "elsewhere":
        return str(case / script)
    return os.path.relpath(case / script, here)


def wrong_corpus_verdict(case: CorpusCase, place: str = ".") -> str | None:
    """None when the tool's verdicts are the careful person's; else what is wrong, with the tool's output."""
    status, results, output = run_corpus_case(case, place, case.options)
    alike = {"identical"} if case.verdict == "identical" else {"identical", "equivalent"}
    differs = case.verdict == "different" and sys.version_info[:2] >= case.python
    wanted = {
        method: ({"different"} if differs and method in case.start_methods else alike) for method in START_METHODS
    }
    verdicts = {result.start_method: str(result.verdict) for result in results if result.kind is Port.MODERN}
    wrong = [
        f"{method}: {verdicts.get(method)}" for method in START_METHODS if verdicts.get(method) not in wanted[method]
    ]
    where = f" standing in {place}" if place != "." else ""
    if wrong or status != (1 if differs else 0):
        got = f"got exit {status}, {'; '.join(wrong)}"
        return f"{case.name}{where}: expected {case.verdict} ({case.why}); {got}\n{output}"
    if case.shown and case.shown not in output:
        return f"{case.name}{where}: the report does not show {case.shown!r}\n{output}"
    misdiagnosed = wrong_diagnoses(case, results)
    if misdiagnosed:
        return f"{case.name}{where}: {misdiagnosed}\n{output}"
    if case.hint:
        status, results, output = run_corpus_case(case, place, ())
        if status != 1 or case.hint not in output:
            return f"{case.name}{where}: without {' '.join(case.options)}, expected exit 1 naming {case.hint}\n{output}"
        misdiagnosed = wrong_diagnoses(case, results)
        if misdiagnosed:
            return f"{case.name}{where}: without {' '.join(case.options)}, {misdiagnosed}\n{output}"
    return None


def wrong_diagnoses(case: CorpusCase, results: list[Result]) -> str:
    """What is wrong with the diagnoses of the different results, where the case names them; "" if nothing.

    A port that hung is diagnosed by the hang, whatever made it hang: Python 3.8's executor can hang
    on the pickling error that lock_to_executor's port raises elsewhere, and the difference stands.
    """
    if case.diagnoses is None:
        return ""
    wrong = [
        f"{result.start_method}: {', '.join(result.diagnosed) or 'none'}"
        for result in results
        if result.kind is Port.MODERN
        and result.verdict is Verdict.DIFFERENT
        and not (result.modern and result.modern.timed_out)
        and set(result.diagnosed) != set(case.diagnoses)
    ]
    return f"expected diagnoses {', '.join(case.diagnoses) or 'none'}; got {'; '.join(wrong)}" if wrong else ""
