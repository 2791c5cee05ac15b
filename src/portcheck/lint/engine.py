"""Linting one module: parse it, run the selected rules, drop what `# noqa` silences, sort.

A module that cannot hold a finding (relevance.py) costs a text scan; one that does not parse
raises SourceError, which carries its MPC001 diagnostic; a failure of the lint on a module that
parses is the module's one MPC003 diagnostic (findings.py), so one file never ends a run.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import Iterable, Sequence

from portcheck.lint.findings import DIAGNOSTIC_CODES, Finding, lint_failure, syntax_error
from portcheck.lint.inference import Inference
from portcheck.lint.noqa import is_silenced, silenced_lines
from portcheck.lint.relevance import imports_the_packages, mentions_the_packages
from portcheck.lint.rules import RULES, Rule
from portcheck.model import ToolError

__all__ = ["Finding", "SourceError", "lint_source", "lint_tree", "selected_rules"]


class SourceError(ToolError):
    """A source that does not parse on this Python, said in one line; `finding` is its MPC001."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"{finding.path}:{finding.line}:{finding.col}: {finding.message}")
        self.finding = finding


def selected_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[type[Rule]]:
    """The rules whose codes begin with one of `select` (all but the opt-in ones if none) and with none
    of `ignore`; an opt-in rule only if `select` names its code in full.

    Raises ValueError naming a code that neither a rule nor a file diagnostic has.
    """
    select, ignore = list(select), list(ignore)
    codes = [rule.code for rule in RULES] + sorted(DIAGNOSTIC_CODES)
    for given in [*select, *ignore]:
        if not any(code.startswith(given) for code in codes):
            raise ValueError(f"no rule has the code {given!r}")
    return [rule for rule in RULES if _selects(rule, select) and not rule.code.startswith(tuple(ignore))]


def _selects(rule: type[Rule], select: list[str]) -> bool:
    if rule.opt_in:
        return rule.code in select
    return not select or rule.code.startswith(tuple(select))


def parse(source: str, path: str) -> ast.Module:
    """The module's tree; SourceError (MPC001) if this Python cannot parse it."""
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" and the like: Python's business, not the lint's
            warnings.simplefilter("ignore")
            return ast.parse(source, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # ValueError: a null byte, before 3.12
        raise SourceError(syntax_error(path, exc, source)) from None


def lint_tree(
    tree: ast.Module, path: str, rules: Iterable[type[Rule]] = RULES, lines: Sequence[str] | None = None
) -> list[Finding]:
    """The findings of `rules` in a parsed module, sorted, with no regard to `# noqa`.

    `lines` are the module's lines, to give columns in characters (ast gives UTF-8 bytes); without
    them columns are in bytes. Never raises: a failure of the lint is the one finding MPC003.
    """
    if not imports_the_packages(tree):
        return []
    found = set()
    try:
        module = Inference(tree)
        for rule in rules:
            for node, message in rule().check(module):
                line, offset = node.lineno, node.col_offset  # type: ignore[attr-defined]
                found.add(Finding(path, line, character_column(lines, line, offset), rule.code, message))
    except Exception as exc:  # RecursionError and MemoryError too: this file's diagnostic, not the run's end
        return [lint_failure(path, exc)]
    return sorted(found)


def character_column(lines: Sequence[str] | None, line: int, offset: int) -> int:
    """The column from 1, in characters, of the UTF-8 byte `offset` into line `line` (from 1)."""
    if lines is None or not 0 < line <= len(lines) or lines[line - 1].isascii():
        return offset + 1
    return len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", errors="replace")) + 1


# The line ends Python's tokenizer knows; str.splitlines also splits at form feeds and others, which
# would put every line after one at the wrong number.
_LINE_END = re.compile(r"\r\n|\r|\n")


def lint_source(source: str, path: str, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Finding]:
    """The findings in one module's source, sorted; those silenced by `# noqa` are left out.

    `path` names the module in the findings and in errors. A source that names neither
    multiprocessing nor concurrent is not parsed: nothing in it could be flagged. Raises SourceError
    if the source does not parse (its `finding` is the MPC001 diagnostic), and ValueError if
    `select` or `ignore` names a code no rule has. A failure of the lint is the finding MPC003,
    shown unless `ignore` names it.
    """
    select, ignore = list(select), list(ignore)
    rules = selected_rules(select, ignore)
    if not mentions_the_packages(source):
        return []
    tree = parse(source, path)
    found = lint_tree(tree, path, rules, _LINE_END.split(source))
    if any(finding.code in DIAGNOSTIC_CODES for finding in found):
        return [finding for finding in found if not finding.code.startswith(tuple(ignore))]
    if not found:
        return found
    silenced = silenced_lines(source)  # tokenizing costs as much as parsing: only where something was found
    return [finding for finding in found if not is_silenced(silenced, finding.line, finding.code)]
