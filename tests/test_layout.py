"""The package as a reader meets it: its docstring maps every module, so the map cannot go stale."""

from __future__ import annotations

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
