"""portcheck lint: rules for Python 3 multiprocessing code, each from a pitfall or a pair's lesson.

Modules, one job each: `apis` is what the lint knows of multiprocessing and concurrent.futures;
`scopes` finds where each name is bound; `values` and `inference` work out what an expression
is, with `dispatches` (the calls that run a function, and so its parameters), `classes` (the
module's classes) and `child_functions` (what runs in a child process); `syntax` answers
questions about the syntax alone; `rules` holds the rules, with their documentation; `relevance`
tells a module that cannot hold a finding; `findings` is what is reported, a rule's finding or a
file's diagnostic; `engine` lints one module; `files` lints one file on disk; `noqa` reads
`# noqa` comments; `output` writes findings as text, JSON or SARIF; `cli` is `portcheck lint`;
`docs` makes docs/lint.md; `plugin` is the flake8 plugin.

    main(["app/", "--select", "MPC1"]) -> exit status       (what `portcheck lint ...` runs)
    lint_source(source, "app/jobs.py") -> [Finding, ...]    (a port's source, for the report)
    lint_file(Path("app/jobs.py")) -> [Finding, ...]        (a file, whatever is wrong with it)
    portcheck.lint.docs.rule_docs() -> [RuleDoc, ...]       (each rule's documentation, as data)
    portcheck.lint.docs.rules_markdown() -> str             (docs/lint.md)
"""

from __future__ import annotations

from portcheck.lint.cli import main
from portcheck.lint.engine import Finding, SourceError, lint_source, lint_tree
from portcheck.lint.files import lint_file

__all__ = ["Finding", "SourceError", "lint_file", "lint_source", "lint_tree", "main"]
