"""The pairs are complete and consistent: each has both programs, its entry in portcheck.toml and its recording,
and where its port is declared not to apply, it really cannot run."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from portcheck import config, plan
from portcheck.interpreters import this_python
from portcheck.model import Declaration, Diagnosis, DiffLine, Port, Program, Relaxation, Result, Verdict
from portcheck.observe import observe
from portcheck.publish import json as json_results
from portcheck.running import START_METHODS
from tests.support import PAIRS, ROOT, legacy_script, modern_script, observed, pair_names

DEFINITION = re.compile(r"^\s*(?:def|class) (\w+)", re.MULTILINE)
ABOUT = {"part", "shows", "python2", "python3", "why", "keeps_2to3", "lint_2to3"}


def test_legacy_and_modern_hold_the_same_pairs() -> None:
    legacy = sorted(path.stem for path in (ROOT / "legacy").glob("*.py"))
    assert sorted(path.stem for path in (ROOT / "modern").glob("*.py")) == legacy


def test_every_pair_has_its_entry_and_every_entry_its_pair() -> None:
    assert plan.programs_of(PAIRS) == pair_names()
    assert pair_names() == sorted(path.stem for path in (ROOT / "legacy").glob("*.py"))


@pytest.mark.parametrize("name", pair_names())
def test_every_pair_says_what_it_shows(name: str) -> None:
    about = PAIRS.programs[name].about
    assert set(about) >= ABOUT, f"portcheck.toml: programs.{name}.about lacks {sorted(ABOUT - set(about))}"
    assert about["part"] in ("article", "beyond")


@pytest.mark.parametrize("name", pair_names())
def test_every_pair_has_a_recording(name: str) -> None:
    assert (ROOT / "recordings" / f"{name}.json").is_file(), f"record it: portcheck record {name}"


@pytest.mark.parametrize("name", pair_names())
def test_modern_program_keeps_the_legacy_names_in_order(name: str) -> None:
    """The modern program may add helpers, but defines the legacy functions in the same order."""
    legacy = DEFINITION.findall(legacy_script(name).read_text())
    modern = iter(DEFINITION.findall(modern_script(name).read_text()))
    missing = [definition for definition in legacy if definition not in modern]
    assert not missing, f"modern/{name}.py lacks, or reorders, {missing}"


def test_the_pair_tables_have_one_row_per_pair() -> None:
    page = (ROOT / "docs" / "pairs.md").read_text()
    rows = re.findall(r"^\| \[`(\w+)`\]\(#\1\) \|", page, re.MULTILINE)
    assert sorted(rows) == pair_names(), "docs/pairs.md's tables and the pairs differ: rewrite them with cog"


COGGED = sorted(
    path.relative_to(ROOT).as_posix()
    for path in (ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md"))
    if path.is_file() and "[[[cog" in path.read_text(encoding="utf-8")
)


def test_the_generated_documents_are_found() -> None:
    assert {"README.md", "docs/pairs.md", "docs/pitfalls.md", "docs/claims.md"} <= set(COGGED), COGGED


@pytest.mark.parametrize("document", COGGED)
def test_generated_parts_of_the_documents_are_current(document: str) -> None:
    """cog --check: the tables and the real outputs shown are what the data and the recordings make now."""
    checked = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT), document],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, f"{document} is stale: run cog -r -I . {document}\n{checked.stdout}{checked.stderr}"


NOT_APPLICABLE = [
    (name, method)
    for name in pair_names()
    for method in START_METHODS
    if not PAIRS.settings(name).applies(this_python().minor, method)
]


@pytest.mark.every_python
@pytest.mark.parametrize(("name", "start_method"), NOT_APPLICABLE or [pytest.param("", "", marks=pytest.mark.skip)])
def test_a_port_declared_not_to_apply_really_cannot_run(name: str, start_method: str) -> None:
    """Declared, and proven: where a port does not apply, it stops by itself, saying so, rather than run or hang."""
    settings = PAIRS.settings(name)
    program = Program(
        f"modern/{name}.py",
        this_python(),
        ROOT / "modern",
        modern_script(name),
        start_method=start_method,
        timeout=30,
        interrupt=settings.interrupt,
    )
    observed = observe(program)
    assert not observed.timed_out, f"modern/{name}.py under {start_method} hung instead of stopping"
    assert observed.exit_code != 0, f"modern/{name}.py under {start_method} ran, but is declared not to apply"


def registries(path: Path, names: set[str]) -> list[str]:
    """The collections in a file's code that list pairs by name: a list, tuple or set of pair names, or a dict
    keyed by them."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if not isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)) or not items:
            continue
        values = [item.value if isinstance(item, ast.Constant) else None for item in items]
        # a test may take two pairs as its specimens; three or more, or a dict keyed by pairs, is a list of them
        enough = len(values) > 1 if isinstance(node, ast.Dict) else len(values) > 2
        if enough and all(value in names for value in values):
            found.append(f"line {node.lineno}: {', '.join(map(str, values))}")
    return found


def test_nothing_else_lists_the_pairs() -> None:
    """Adding a pair is legacy/NAME.py, modern/NAME.py and its portcheck.toml entry: no code keeps a list of them."""
    code = [*ROOT.glob("src/portcheck/**/*.py"), *ROOT.glob("docs/*.py"), *ROOT.glob("bench/*.py")]
    code += ROOT.glob("tests/*.py")
    names = set(pair_names())
    listed = {str(path.relative_to(ROOT)): registries(path, names) for path in code}
    assert {path: found for path, found in listed.items() if found} == {}


def test_the_pairs_configuration_is_the_one_a_user_writes() -> None:
    """Our pairs are the first code base the tool checks: the same file format, read by the same code."""
    loaded = config.load(ROOT / config.FILE_NAME)
    assert loaded.legacy == ROOT / "legacy"
    assert loaded.modern == ROOT / "modern"
    assert loaded.relax is False


def test_results_files_follow_their_schema(tmp_path: Path) -> None:
    """Every field the JSON writer writes is in the schema, and the schema holds nothing it does not write."""
    result = Result(
        "one",
        Port.MECHANICAL,
        "3.13.0",
        "fork",
        Verdict.DIFFERENT,
        observed("out: a"),
        observed("out: b"),
        declared=(Declaration("--vary x", "text that may differ", 0),),
        relaxed=(Relaxation("order", "lines in another order", 2),),
        diff=(DiffLine("-", "out: a"), DiffLine("~", "out: b", "noise: legacy printed 'out: c'")),
        crashes=("it crashed",),
        expected=Verdict.IDENTICAL,
        expected_why="why",
        diagnoses=(
            Diagnosis("true-division", (0,), "cause", "fix", "docs/diagnoses.md#true-division"),
            Diagnosis("no-known-cause", (1,), "no known cause", "", ""),
        ),
        expected_diagnoses=("true-division",),
    )
    json_results.write([result], tmp_path / "results.json")
    document = json.loads((tmp_path / "results.json").read_text())
    schema = json.loads((ROOT / "docs" / "results.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["results"][0]["kind"] == "mechanical"
    [read] = json_results.read(tmp_path / "results.json")
    assert read == result
    assert read.kind is Port.MECHANICAL


def test_the_readme_shows_a_report_of_every_pair() -> None:
    """docs/report.txt, the run README.md shows, is a real run's: a row per pair, then the summary."""
    lines = (ROOT / "docs" / "report.txt").read_text().splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == pair_names(), "make it again: python3 -m maint sample"
    assert lines[-1].startswith(f"{len(pair_names())} programs on Python ")
