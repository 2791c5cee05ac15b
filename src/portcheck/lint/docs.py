"""The rules' documentation, as data and as the Markdown page docs/lint.md.

    python -m portcheck.lint.docs > docs/lint.md      (after changing a rule)

The tests check that docs/lint.md is what this makes, so the page cannot go stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from portcheck.lint.findings import DIAGNOSTICS
from portcheck.lint.rules import PREFIX, RULES


@dataclass(frozen=True)
class RuleDoc:
    code: str
    name: str
    summary: str  # one line
    what: str  # what it finds, and what it leaves alone (Markdown)
    why: str  # why it matters (Markdown)
    example: str  # code it flags
    instead: str  # what to write instead: code that no rule flags
    pitfall: int | None  # the README's pitfall that shows it
    pair: str | None  # the pair whose programs show it
    opt_in: bool = False  # runs only when selected by its full code


def rule_docs() -> list[RuleDoc]:
    """Every rule's documentation, in the order of the codes."""
    return [
        RuleDoc(
            rule.code,
            rule.name,
            rule.summary(),
            rule.what(),
            rule.why,
            rule.example,
            rule.instead,
            rule.pitfall,
            rule.pair,
            rule.opt_in,
        )
        for rule in RULES
    ]


def diagnostics_table() -> str:
    """The diagnostics a file gets when it cannot be linted, each with the anchor SARIF's helpUri names."""
    rows = "".join(f'| <a id="{d.code.lower()}"></a>{d.code} | {d.name} | {d.what} |\n' for d in DIAGNOSTICS)
    return "| code | name | reports |\n|---|---|---|\n" + rows


INTRODUCTION = f"""\
# portcheck lint: the rules

`portcheck lint PATH...` reads files and folders of Python 3 code and reports what the pairs of
this repository found to go wrong with `multiprocessing` and `concurrent.futures`, one line per
finding:

```console
$ portcheck lint app/
app/jobs.py:41:5: MPC101 `q.get()` can wait for ever: get(timeout=...) and handle queue.Empty
```

It exits 1 when it finds something, a file that does not parse included (as ruff does for a syntax
error in one file among others: the other files' findings are shown too), 0 when it does not, and
2 on a bad command line (a path that does not exist, an unknown code), said in one line.
`--select` and `--ignore` take codes or their beginnings (`--select MPC1`), `--format json` writes
a list of findings and `--format sarif` a SARIF 2.1.0 log for GitHub code scanning; columns count
characters from 1 in all three, as in ruff (SARIF's run says `unicodeCodePoints`).
`# noqa: {PREFIX}101` on a line silences that code there, `# noqa` alone every code, as in flake8
and ruff (a project whose ruff selects `RUF` needs `external = ["{PREFIX}"]`
under `[tool.ruff.lint]`, or ruff calls such a code invalid, RUF102, and offers to remove it).

Some rules are opt-in: what they find is the usual way to write it and only sometimes worth a
change (a `join()` without a timeout, a pool's `map()`), so they run only when `--select` names
their full code (`--select MPC105`; a prefix such as `MPC1` leaves them out). In flake8 they are in
the default ignore list: `flake8 --extend-select MPC105` shows them.

The same rules run as a flake8 plugin: with portcheck installed, `flake8 --select {PREFIX}` runs them,
and a project that runs flake8 gets them with no new command (flake8 selects them by default). The
plugin never raises, so no file ends a flake8 run, and a file that names neither package costs it a
text scan.

A file that cannot be linted whole is one finding, and the other files are linted all the same
(as ruff and flake8 report a syntax error). These are not rules: `--select` does not hide them
(as ruff shows a syntax error whatever is selected), `--ignore` does, and `# noqa` cannot:

{diagnostics_table()}
Every rule looks only at objects it can tie to `multiprocessing` or to a `ProcessPoolExecutor`:
through imports (`import multiprocessing as mp`, `from concurrent import futures`, and torch.multiprocessing,
which is multiprocessing under another name), assignments
(`q = Queue()`, `with ProcessPoolExecutor() as executor:`, `workers.append(p)`), the arguments a
function is given where the module calls it or hands it to a process or a pool, and annotations.
A `get()` on anything else, a dict or an object it cannot see into, is never flagged: a rule that
cries wolf on correct code is worse than none. So a file whose text names neither `multiprocessing`
nor `concurrent` is passed over after a text scan, without being parsed (nor is a syntax error in
it reported: that is for ruff or flake8), and one whose imports name neither is not looked into
further: on CPython's Lib, 45 files of 1,726 are.

| code | name | finds |
|---|---|---|
"""


def _link(doc: RuleDoc) -> str:
    return f"[{doc.code}](#{doc.code.lower()})"


def _source(doc: RuleDoc) -> str:
    parts = []
    if doc.pitfall is not None:
        parts.append(f"[pitfall {doc.pitfall}](../README.md#pitfall-{doc.pitfall})")
    if doc.pair is not None:
        parts.append(f"the pair [`{doc.pair}`](pairs.md#{doc.pair})")
    return "Shown by " + " and ".join(parts) + "." if parts else ""


def _finds(summary: str) -> str:
    """ "Finds `x`." -> "`x`", for a column headed "finds"."""
    return summary[len("Finds ") :].rstrip(".") if summary.startswith("Finds ") else summary


def rule_markdown(doc: RuleDoc) -> str:
    """One rule's section, in the manner of ruff's rule pages."""
    opt_in = " Opt-in: it runs only when selected by its code." if doc.opt_in else ""
    lines = [f"## {doc.code}", "", f"**{doc.name}**.{opt_in} {_source(doc)}".rstrip(), ""]
    lines += ["### What it finds", "", doc.what, ""]
    lines += ["### Why it matters", "", doc.why, ""]
    lines += ["### Example", "", "```python", doc.example.rstrip("\n"), "```", ""]
    lines += ["Instead:", "", "```python", doc.instead.rstrip("\n"), "```", ""]
    return "\n".join(lines)


def rules_markdown() -> str:
    """The page docs/lint.md: how to run the lint, a table of the rules, then each rule."""
    docs = rule_docs()
    table = "".join(
        f"| {_link(doc)} | {doc.name}{' (opt-in)' if doc.opt_in else ''} | {_finds(doc.summary)} |\n" for doc in docs
    )
    introduction = INTRODUCTION.replace("{diagnostics_table()}", diagnostics_table())
    return introduction + table + "\n" + "\n".join(rule_markdown(doc) for doc in docs)


if __name__ == "__main__":
    print(rules_markdown(), end="")
