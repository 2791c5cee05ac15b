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


def programs() -> list[str]:
    return sorted(path.stem for path in MODERN.glob("*.py"))


@pytest.mark.parametrize("name", programs())
def test_the_lint_finds_nothing(name: str) -> None:
    """What a program shows on purpose (manager_dict's lost change, say) carries its `# noqa: CODE` where it is."""
    path = MODERN / f"{name}.py"
    found = lint_source(path.read_text(encoding="utf-8"), f"modern/{name}.py")
    assert not found, "\n".join(map(str, found))
