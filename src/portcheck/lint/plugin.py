"""The rules as a flake8 plugin (entry point `MPC` in flake8.extension). flake8 is not imported:
it calls the class by its protocol, and reads `# noqa` and --select/--ignore itself."""

from __future__ import annotations

import ast
from typing import Iterator

from portcheck import __version__
from portcheck.lint.engine import lint_tree


class Flake8Plugin:
    name = "portcheck-lint"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str = "") -> None:
        self.tree = tree
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        for finding in lint_tree(self.tree, self.filename):
            yield finding.line, finding.col - 1, f"{finding.code} {finding.message}", type(self)
