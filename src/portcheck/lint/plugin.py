"""The rules as a flake8 plugin (entry point `MPC` in flake8.extension). flake8 is not imported:
it calls the class by its protocol, and reads `# noqa` and --select/--ignore itself.

flake8 selects the plugin by default and runs it on every file, so it must cost next to nothing
where nothing can be found, and never raise: an exception in a plugin ends the whole flake8 run.
A file that mentions neither package costs a text scan of the lines flake8 has already read; a
failure of the lint on a file is that file's MPC003, as in `portcheck lint`.

The opt-in rules run too, and their codes are added to flake8's default ignore list (as
flake8-bugbear does for its opinionated codes): `--extend-select MPC105` shows them.
"""

from __future__ import annotations

import ast
from typing import Any, Iterator, Sequence

from portcheck import __version__
from portcheck.lint.engine import lint_tree
from portcheck.lint.findings import lint_failure
from portcheck.lint.relevance import mentions_the_packages
from portcheck.lint.rules import RULES


class Flake8Plugin:
    name = "portcheck-lint"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str = "", lines: Sequence[str] | None = None) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines  # flake8 passes the file's lines: for the text scan, and columns in characters

    @classmethod
    def add_options(cls, parser: Any) -> None:
        """flake8 calls this with its option manager: the opt-in codes are ignored unless selected."""
        parser.extend_default_ignore([rule.code for rule in RULES if rule.opt_in])

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            if self.lines is not None and not mentions_the_packages("".join(self.lines)):
                return
            findings = lint_tree(self.tree, self.filename, lines=self.lines)
        except Exception as exc:  # lint_tree keeps its own failures: this is a last guard, for flake8's sake
            findings = [lint_failure(self.filename, exc)]
        for finding in findings:
            yield finding.line, finding.col - 1, f"{finding.code} {finding.message}", type(self)
