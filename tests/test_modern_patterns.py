"""The modern programs keep the safe patterns they teach: portcheck lint finds nothing in them.

The lint's rules are the patterns (docs/lint.md): every wait bounded, every recv() after a
poll(timeout), no lock or queue pickled into a task, no Listener or Client without an authkey,
and the rest. `with lock:` is left alone: it is the idiom for a lock held briefly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portcheck.lint import lint_source

MODERN = Path(__file__).resolve().parent.parent / "modern"

# What a program shows on purpose, found by the rule that warns against it: (rule, line as written).
DEMONSTRATED = {
    # append_in_place() shows that a change through a fetched value is lost (pitfall 13).
    "manager_dict": {("MPC302", 'shared["log"].append(item)')},
}


def programs() -> list[str]:
    return sorted(path.stem for path in MODERN.glob("*.py"))


@pytest.mark.parametrize("name", programs())
def test_the_lint_finds_nothing_but_what_the_program_demonstrates(name: str) -> None:
    path = MODERN / f"{name}.py"
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = {
        (finding.code, lines[finding.line - 1].strip()): finding for finding in lint_source(source, f"modern/{name}.py")
    }
    unexpected = [str(finding) for key, finding in found.items() if key not in DEMONSTRATED.get(name, set())]
    assert not unexpected, "\n".join(unexpected)
    assert set(found) == DEMONSTRATED.get(name, set()), "a demonstration listed here is no longer found"


def test_every_demonstration_names_a_program() -> None:
    assert set(DEMONSTRATED) <= set(programs())
