"""Linting one module: parse it, run the selected rules, drop what `# noqa` silences, sort."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from typing import Iterable

from portcheck.lint.inference import Inference
from portcheck.lint.noqa import is_silenced, silenced_lines
from portcheck.lint.rules import RULES, Rule
from portcheck.model import ToolError


class SourceError(ToolError):
    """A source that cannot be linted (not Python 3, not decodable), said in one line."""


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int  # from 1, as flake8 and ruff show it
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


def selected_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[type[Rule]]:
    """The rules whose codes begin with one of `select` (all if none) and with none of `ignore`.

    Raises ValueError naming a code that no rule has.
    """
    select, ignore = list(select), list(ignore)
    for given in [*select, *ignore]:
        if not any(rule.code.startswith(given) for rule in RULES):
            raise ValueError(f"no rule has the code {given!r}")
    return [
        rule
        for rule in RULES
        if (not select or rule.code.startswith(tuple(select))) and not rule.code.startswith(tuple(ignore))
    ]


def parse(source: str, path: str) -> ast.Module:
    """The module's tree; SourceError if this Python cannot parse it as Python 3."""
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        raise SourceError(f"{path} is not Python 3 (as Python {version} reads it): {where}{exc.msg}") from None
    except ValueError as exc:  # a null byte, before 3.12
        raise SourceError(f"{path} is not Python 3: {exc}") from None


def lint_tree(tree: ast.Module, path: str, rules: Iterable[type[Rule]] = RULES) -> list[Finding]:
    """The findings of `rules` in a parsed module, sorted, with no regard to `# noqa`."""
    module = Inference(tree)
    found = set()
    for rule in rules:
        for node, message in rule().check(module):
            found.add(Finding(path, node.lineno, node.col_offset + 1, rule.code, message))  # type: ignore[attr-defined]
    return sorted(found)


def lint_source(source: str, path: str, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Finding]:
    """The findings in one module's source, sorted; those silenced by `# noqa` are left out.

    `path` names the module in the findings and in errors. Raises SourceError if the source is
    not Python 3, and ValueError if `select` or `ignore` names a code no rule has.
    """
    rules = selected_rules(select, ignore)
    tree = parse(source, path)
    silenced = silenced_lines(source)
    return [
        finding for finding in lint_tree(tree, path, rules) if not is_silenced(silenced, finding.line, finding.code)
    ]
