"""The pairs are complete and consistent: every pair has both programs, its data and its recording."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from portcheck.pairs import (
    LEGACY_DIR,
    MODERN_DIR,
    PAIRS,
    ROOT,
    legacy_script,
    modern_script,
    pair_names,
    recording_path,
)

DEFINITION = re.compile(r"^\s*(?:def|class) (\w+)", re.MULTILINE)


def test_legacy_and_modern_hold_the_same_pairs() -> None:
    assert sorted(p.stem for p in MODERN_DIR.glob("*.py")) == sorted(p.stem for p in LEGACY_DIR.glob("*.py"))


def test_every_pair_has_its_data_and_nothing_else_does() -> None:
    assert sorted(PAIRS) == pair_names()


@pytest.mark.parametrize("name", pair_names())
def test_every_pair_has_a_recording(name: str) -> None:
    assert recording_path(name).is_file(), f"record it: python3 -m portcheck.maintenance record {name}"


@pytest.mark.parametrize("name", pair_names())
def test_modern_program_keeps_the_legacy_names_in_order(name: str) -> None:
    """The modern program may add helpers, but defines the legacy functions in the same order."""
    legacy = DEFINITION.findall(legacy_script(name).read_text())
    modern = iter(DEFINITION.findall(modern_script(name).read_text()))
    missing = [definition for definition in legacy if definition not in modern]
    assert not missing, f"modern/{name}.py lacks, or reorders, {missing}"


def test_readme_tables_have_one_row_per_pair() -> None:
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| \[`(\w+)`\]\(docs/pairs\.md#\1\) \|", readme, re.MULTILINE)
    assert sorted(rows) == pair_names(), "README's pair tables and the pairs differ: rewrite them with cog"


@pytest.mark.parametrize("document", ["README.md", "docs/pairs.md"])
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
