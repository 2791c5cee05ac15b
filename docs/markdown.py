"""Markdown made from the pairs' data, for cog to write into README.md and the pages of docs/.

    cog -r -I . README.md docs/*.md      (after adding a pair, or recording one again)

The tests run cog in --check mode, so the tables and the outputs shown cannot go stale.
Outputs come from recordings/, which are real Python 2.7 runs, shown as they printed (pids
included); the tests check them against fresh runs.
"""

from __future__ import annotations

import re
import subprocess
import sys

from docs.data import ROOT, about, legacy_script, modern_script, pair_names, recording, settings
from docs.lessons import CLAIMS, PITFALLS
from portcheck.normalise import status_line
from portcheck.running import START_METHODS

PARTS = {"article": "From the article", "beyond": "Beyond the article"}


def link_pitfalls(text: str, prefix: str = "") -> str:
    return re.sub(r"pitfall (\d+)", lambda m: f"[pitfall {m.group(1)}]({prefix}#pitfall-{m.group(1)})", text)


def pairs_table(part: str) -> str:
    """The pairs of one part of docs/pairs.md, a row each, linked to their sections below."""
    rows = ["| pair | what it shows | Python 2 | Python 3 | why |", "|---|---|---|---|---|"]
    for name in pair_names():
        pair = about(name)
        if pair["part"] == part:
            why = link_pitfalls(pair["why"], "pitfalls.md")
            shown = f"{pair['shows']} | {pair['python2']} | {pair['python3']}"
            rows.append(f"| [`{name}`](#{name}) | {shown} | {why} |")
    return "\n".join(rows)


def claims_table() -> str:
    rows = ["| claim (article) | checked by | verdict |", "|---|---|---|"]
    for claim in CLAIMS:
        pairs = ", ".join(f"`{name}`" for name in claim.pairs)
        rows.append(f"| {claim.claim} | {pairs} | {link_pitfalls(claim.verdict, 'pitfalls.md')} |")
    return "\n".join(rows)


def pitfalls_index() -> str:
    """The README's list of the pitfalls: each title, linked to its text in docs/pitfalls.md, and the pairs
    that show it. Its anchors (pitfall-N) are where the reports and older links point."""
    items = []
    for number, pitfall in enumerate(PITFALLS, 1):
        shown = f" Shown by {', '.join(f'`{name}`' for name in pitfall.pairs)}." if pitfall.pairs else ""
        link = f"[{pitfall.title}](docs/pitfalls.md#pitfall-{number})"
        items.append(f'{number}. <a id="pitfall-{number}"></a>{link}.{shown}')
    return "\n".join(items)


def pitfalls_list() -> str:
    """The pitfalls whole, for docs/pitfalls.md."""
    items = []
    for number, pitfall in enumerate(PITFALLS, 1):
        shown = f" Shown by {', '.join(f'`{name}`' for name in pitfall.pairs)}." if pitfall.pairs else ""
        items.append(f'{number}. <a id="pitfall-{number}"></a>**{pitfall.title}.** {pitfall.text}{shown}')
    return "\n".join(items)


def differences_table() -> str:
    rows = ["| pair | Python 2 | Python 3 | why |", "|---|---|---|---|"]
    for name in pair_names():
        for difference in settings(name).differences:
            rows.append(f"| `{name}` | `{difference.legacy}` | `{difference.modern}` | {difference.why} |")
    return "\n".join(rows)


def shown_output(name: str) -> str:
    """A pair's recorded Python 2.7 output as a reader sees it: stdout, then stderr, then a non-zero exit."""
    observed = recording(name)
    shown = [line.text for line in observed.lines if line.stream == "out"]
    shown += [line.text for line in observed.lines if line.stream == "err"]
    if observed.leftovers:
        shown.append(f"leftover processes killed: {observed.leftovers}")
    status = status_line(observed).split(": ", 1)[1]
    if status != "0":
        shown.append(f"(exit code {status})")
    return "\n".join(shown)


def program(name: str, side: str) -> str:
    script = legacy_script(name) if side == "legacy" else modern_script(name)
    return script.read_text().rstrip("\n")


def pair_section(name: str) -> str:
    pair, declared = about(name), settings(name)
    lines = [
        f"### {name}\n",
        f"{pair['shows'][0].upper()}{pair['shows'][1:]}.\n",
        (
            f"- Python 2: {pair['python2']}\n- Python 3: {pair['python3']}\n"
            f"- Why: {link_pitfalls(pair['why'], 'pitfalls.md')}\n"
        ),
        f"`legacy/{name}.py`:",
        "",
        f"```python\n{program(name, 'legacy')}\n```",
        "",
        f"```console\n$ python2.7 legacy/{name}.py\n{shown_output(name)}\n```",
        "",
        f"`modern/{name}.py`:",
        "",
        f"```python\n{program(name, 'modern')}\n```",
        "",
    ]
    methods = said_list(list(declared.start_methods))
    if declared.differences:
        changes = "; ".join(f"`{d.legacy}` becomes `{d.modern}` ({d.why})" for d in declared.differences)
        lines.append(f"Its output is the same under {methods}, but for what is declared: {changes}.")
    else:
        lines.append(f"Its output is the same, under {methods}.")
    if declared.python > (3, 8) or len(declared.start_methods) < len(START_METHODS):
        lines.append(
            f"It applies from Python {declared.python[0]}.{declared.python[1]}, under {methods}: "
            f"{declared.not_applicable}"
        )
    return "\n".join(lines)


def all_pairs() -> str:
    sections = []
    for part, title in PARTS.items():
        names = [name for name in pair_names() if about(name)["part"] == part]
        if names:
            sections.append(f"## {title}\n\n" + "\n\n".join(pair_section(name) for name in names))
    return "\n\n".join(sections)


def main_block(name: str, side: str) -> str:
    """The part of a program that runs it: legacy's `if __name__` block, modern's `main()`."""
    source = program(name, side)
    start = "if __name__" if side == "legacy" else "def main("
    lines = source.splitlines()
    first = next(index for index, line in enumerate(lines) if line.startswith(start))
    last = next((index for index in range(first + 1, len(lines)) if lines[index] and lines[index][0] != " "), None)
    return "\n".join(lines[first:last]).rstrip()


def side_by_side(name: str) -> str:
    """Legacy's and modern's main parts in a two-column table, as GitHub renders Markdown."""
    cells = [f"\n\n```python\n{main_block(name, side)}\n```\n\n" for side in ("legacy", "modern")]
    return (
        f"<table>\n<tr><th>legacy/{name}.py (Python 2.7)</th><th>modern/{name}.py (Python 3)</th></tr>\n"
        f'<tr><td valign="top">{cells[0]}</td><td valign="top">{cells[1]}</td></tr>\n</table>'
    )


def said_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def mechanical_list() -> str:
    """What each pair's mechanical port (2to3) changes, keeps and does, with the checks that show it."""
    items = []
    for name in pair_names():
        pair, declared = about(name), settings(name)
        fixes = "".join(f"; `{old}` becomes `{new}`" for old, new in pair.get("fixes_2to3", []))
        verdicts: dict[str, list[str]] = {}
        for method in START_METHODS:
            verdict = declared.expected_mechanical(method)[0]
            verdicts.setdefault(str(verdict), []).append(method)
        said = "; ".join(f"{verdict} under {said_list(methods)}" for verdict, methods in verdicts.items())
        why = f" ({link_pitfalls(declared.mechanical.why, 'pitfalls.md')})" if declared.mechanical.why else ""
        items.append(
            f"- **`{name}`**: 2to3 changes the print statements{fixes}."
            f" It keeps {link_pitfalls(pair['keeps_2to3'], 'pitfalls.md')}."
            f" Against the legacy program: {said}{why}. Shown by the report's 2to3 column on the oldest and the"
            f" newest Python, and by `pytest tests/test_mechanical.py -k {name}`."
        )
    return "\n".join(items)


def report_sample(rows: int = 3) -> str:
    """The first rows and the summary of a real run of the report (docs/report.txt), as a console block."""
    lines = (ROOT / "docs" / "report.txt").read_text().splitlines()
    shown = [*lines[: rows + 1], "...", lines[-1]] if len(lines) > rows + 2 else lines
    return "```console\n" + "\n".join(shown) + "\n```\n"


def repository_file(path: str, language: str) -> str:
    """A file of this repository, as a fenced block."""
    return f"```{language}\n" + (ROOT / path).read_text().rstrip("\n") + "\n```\n"


def example_file(name: str, language: str) -> str:
    """A file of the example code base (tests/codebase/), as a fenced block."""
    return f"```{language}\n" + (ROOT / "tests" / "codebase" / name).read_text().rstrip("\n") + "\n```\n"


def lint_sample(path: str = "tests/codebase/new") -> str:
    """What `portcheck lint PATH` prints, run now from the clone's root, as a console block."""
    done = subprocess.run(
        [sys.executable, "-m", "portcheck", "lint", path], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return f"```console\n$ portcheck lint {path}\n{done.stdout}```\n"
