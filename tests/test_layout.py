"""The package as a reader meets it: its docstring maps every module, so the map cannot go stale."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import portcheck

PACKAGE = Path(portcheck.__file__).parent


def test_the_package_docstring_names_every_module() -> None:
    words = set(re.findall(r"\w+(?:\.\w+)*", portcheck.__doc__ or ""))
    modules = [path.stem for path in PACKAGE.glob("*.py") if not path.stem.startswith("__")]
    modules += [f"publish.{path.stem}" for path in (PACKAGE / "publish").glob("*.py") if not path.stem.startswith("__")]
    modules += [path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists() or path.name == "hook"]
    assert len(modules) > 20, modules
    assert not [module for module in modules if module not in words]


def runs_as_a_command(path: Path) -> bool:
    """A module with a top-level `if __name__ == "__main__":` or a top-level import of argparse."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "__main__" in ast.dump(node.test):
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and "argparse" in ast.dump(node):
            return True
    return False


def test_nothing_in_tests_is_a_command() -> None:
    """The maintenance commands live in maint/ (python -m maint ...); tests/ holds tests and what they share.
    (tests/corpus/ and tests/codebase/ are the programs compared, scripts by nature.)"""
    tests = Path(__file__).resolve().parent
    commands = [path.name for path in sorted(tests.glob("*.py")) if runs_as_a_command(path)]
    assert not commands, f"commands in tests/: {commands}; they belong in maint/"
    assert not (tests / "__main__.py").exists()
    assert runs_as_a_command(tests.parent / "maint" / "__main__.py")


def test_no_module_of_the_package_is_above_600_lines() -> None:
    """One module, one job: a module past a few hundred lines is doing several (issue 30 split diagnose, 1,577)."""
    sizes = {path.relative_to(PACKAGE).as_posix(): len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")}
    assert not {name: size for name, size in sizes.items() if size > 600}
