"""Build the documentation site: python docs/build.py --results FILE --out DIR

Generates the pages (MyST markdown, with raw HTML for the verdict matrices, the side-by-side
programs, the transcripts and the diffs) from legacy/ and modern/, the pairs' data (docs/data.py:
their entries in portcheck.toml; docs/lessons.py: the pitfalls and the article's claims) and a
results file of schema 2 written by `portcheck --json FILE` (docs/results-schema.md), then runs
sphinx-build. Needs no network; the site opens from the file system.

A results file holds the Pythons whose runs made it. The index and every matrix name each Python
of the matrix (portcheck.interpreters.PYTHON3_MINORS) that has no results in it, and each Python
whose results lack a kind of comparison (the 2to3 column, say): all the build can know is that
they are absent, and that is what the site says.
"""

from __future__ import annotations

import argparse
import html
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from pygments import lex  # noqa: E402
from pygments.lexers import Python2Lexer, PythonLexer  # noqa: E402
from pygments.token import STANDARD_TYPES  # noqa: E402

from docs.data import about, legacy_script, modern_script, pair_names, recording, recording_path, settings  # noqa: E402
from docs.lessons import CLAIMS, PITFALLS, claims_of, pitfalls_of  # noqa: E402
from portcheck import side_by_side  # noqa: E402
from portcheck.interpreters import PYTHON3_MINORS  # noqa: E402
from portcheck.model import ALIKE, Observation, Result, Verdict, site_page, worst  # noqa: E402
from portcheck.normalise import compared_stderr, status_line  # noqa: E402
from portcheck.publish.json import SCHEMA, result_of  # noqa: E402
from portcheck.running import START_METHODS  # noqa: E402

SHORT = {  # what a matrix cell says: short, so that 3.8 to 3.14 under three start methods fit the page
    Verdict.IDENTICAL: "✓",
    Verdict.EQUIVALENT: "≈",
    Verdict.DECLARED: "decl.",
    Verdict.DIFFERENT: "DIFF",
    Verdict.NOT_APPLICABLE: "n/a",
    Verdict.ERROR: "ERROR",
}
KINDS = {  # the kinds of comparison, in the order the pages show them
    "modern": "Python 3: the modern program",
    "mechanical": "Python 3: the legacy program as 2to3 ports it",
}
KIND_NAMES = {"modern": "the modern program", "mechanical": "2to3"}  # in a sentence
TITLES = {"modern": "Verdicts", "mechanical": "Verdicts of 2to3's port"}
PARTS = (("article", "From the article"), ("beyond", "Beyond the article"))
CHANGE_TITLES = {
    "same": "",
    "common": "changed as in every pair",
    "changed": "changed",
    "removed": "only in the legacy program",
    "added": "only in the modern program",
    "doc": "docstring",
}
SOURCES = {  # an observation's source, as a legacy run's label says it
    "live": "run live",
    "cached": "run live once, for every Python",
    "recorded": "from its recording",
}
PITFALL_REFERENCE = re.compile(r"\bpitfall (\d+)\b")
REPOSITORY = "https://github.com/multiprocessing-twins/multiprocessing-twins/blob/HEAD/"  # as the CI badge says
# The pages of docs/ the site renders as they are (links made the site's); pitfalls, claims and the pairs'
# pages it makes from the same data as docs/pitfalls.md, docs/claims.md and docs/pairs.md.
DOCS_PAGES = ("porting.md", "identical.md", "speed.md", "lint.md", "diagnoses.md", "results-schema.md")
SITE_PAGES = (*DOCS_PAGES, "index.md", "pitfalls.md", "claims.md")


class BuildError(Exception):
    """Bad input, said in one line."""


# ---------------------------------------------------------------------------------------------
# Small helpers


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def md_inline(text: str) -> str:
    """The inline markdown of the pairs' prose as HTML, for raw HTML blocks: `code`, *em*, **strong**, [a](b)."""
    out = []
    for k, part in enumerate(re.split(r"(`[^`]*`)", text)):
        if k % 2:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        part = html.escape(part, quote=False)
        part = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", part)
        part = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"<em>\1</em>", part)
        part = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', part)
        out.append(part)
    return "".join(out)


def md_cell(text: str) -> str:
    """Inline markdown safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def plain(text: str) -> str:
    """Inline markdown as plain text, for a title attribute."""
    return text.replace("`", "")


def raw(html_text: str) -> str:
    """A raw HTML block for a MyST page."""
    return f"\n```{{raw}} html\n{html_text}\n```\n"


def linked_pitfalls(text: str, page: str) -> str:
    """Markdown in which each "pitfall N" links to it on `page`: pitfalls.md, or in raw HTML ../pitfalls.html."""

    def link(match: re.Match) -> str:
        number = int(match[1])
        return f"[{match[0]}]({page}#pitfall-{number})" if 1 <= number <= len(PITFALLS) else match[0]

    return PITFALL_REFERENCE.sub(link, text)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def listed(words: list[str], conjunction: str = "and") -> str:
    """'', 'a', 'a and b', 'a, b and c'."""
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def part_of(name: str) -> str:
    return "article" if about(name).get("part") == "article" else "beyond"


def pairs_in(part: str, only: str | None = None) -> list[str]:
    return [name for name in pair_names() if part_of(name) == part and only in (None, name)]


def pairs_in_order() -> list[str]:
    """Every pair, as the pages list them: those from the article, then those beyond it."""
    return [name for part, _ in PARTS for name in pairs_in(part)]


def read_source(path: Path) -> str:
    """A program's source as Python reads it (a coding line is honoured)."""
    with path.open("rb") as handle:
        encoding, _ = tokenize.detect_encoding(handle.readline)
    return path.read_bytes().decode(encoding, "replace")


def code_lines(source: str, legacy: bool) -> list[list[tuple[str, str]]]:
    """Each source line as Pygments tokens: (CSS class, text) pieces, a token spanning lines cut at each newline."""
    lexer = Python2Lexer() if legacy else PythonLexer()
    lexer.stripnl = False
    lexer.ensurenl = True
    lines: list[list[tuple[str, str]]] = [[]]
    for ttype, value in lex(source, lexer):
        kind = ttype
        while kind not in STANDARD_TYPES:
            kind = kind.parent
        for k, piece in enumerate(value.split("\n")):
            if k:
                lines.append([])
            if piece:
                lines[-1].append((STANDARD_TYPES[kind], piece))
    return lines


def line_html(pieces: list[tuple[str, str]], marks: list[tuple[int, int]] = ()) -> str:
    """One highlighted line, with the character ranges `marks` wrapped in <mark>."""
    out = []
    position = 0
    cuts = sorted({0, *(a for a, _ in marks), *(b for _, b in marks)})
    for css, text in pieces:
        start, end = position, position + len(text)
        position = end
        inner = [c for c in cuts if start < c < end]
        for a, b in zip([start, *inner], [*inner, end]):
            piece = html.escape(text[a - start : b - start], quote=False)
            if css:
                piece = f'<span class="{css}">{piece}</span>'
            if any(x <= a and b <= y for x, y in marks):
                piece = f'<mark class="ch">{piece}</mark>'
            out.append(piece)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Results


def load_results(path: Path) -> Results:
    """A results file of schema 2 (docs/results-schema.md), each result read by portcheck.publish.json."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BuildError(f"cannot read results {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise BuildError(f"results {path} are not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("results"), list):
        raise BuildError(
            f"results {path}: not a results file of schema {SCHEMA} (docs/results-schema.md);"
            " write one with portcheck --json FILE"
        )
    rows = []
    for number, item in enumerate(data["results"]):
        try:
            rows.append(result_of(item))
        except (KeyError, TypeError, ValueError) as exc:
            raise BuildError(f"results {path}: result {number} lacks or garbles {exc}") from None
    return Results(rows, generated=str(data.get("generated", "")), tool=str(data.get("tool", "")))


@dataclass(frozen=True)
class Absent:
    """A Python the matrix of a kind has no verdicts from, and why, as far as the results tell."""

    python: str  # a minor version ("3.14") when the results hold nothing from it, else the release ("3.8.18")
    said: str  # under the Python's name in the matrix head: "no results", "not run"
    why: str  # a sentence


class Results:
    """The results, indexed by kind, pair, Python and start method."""

    def __init__(self, rows: list[Result], generated: str = "", tool: str = "") -> None:
        self.rows = rows
        self.generated = generated
        self.tool = tool
        self.cells: dict[str, dict[str, dict[tuple[str, str], Result]]] = defaultdict(lambda: defaultdict(dict))
        self.ran: dict[tuple[str, str | None], set[str]] = defaultdict(set)  # (Python, kind or None): start methods
        for row in rows:
            self.cells[row.kind][row.name][(row.python, row.start_method)] = row
            self.ran[row.python, row.kind].add(row.start_method)
            self.ran[row.python, None].add(row.start_method)
        unknown = sorted({row.name for row in rows} - set(pair_names()))
        if unknown:
            print(f"build.py: results name pairs that portcheck.toml does not: {', '.join(unknown)}", file=sys.stderr)

    def releases(self) -> list[str]:
        """Every Python 3 the results come from, oldest first."""
        return sorted({row.python for row in self.rows}, key=version_key)

    def methods(self, release: str, kind: str | None = None) -> list[str]:
        found = self.ran.get((release, kind), set())
        return sorted(found, key=lambda method: (START_METHODS.index(method) if method in START_METHODS else 9, method))

    def columns(self, kind: str) -> list[tuple[str, str]]:
        return [(release, method) for release in self.releases() for method in self.methods(release, kind)]

    def rows_of(self, kind: str, name: str) -> list[Result]:
        cells = self.cells[kind].get(name, {})
        return [cells[column] for column in self.columns(kind) if column in cells]

    def missing(self) -> list[str]:
        """The Pythons of the matrix (3.8 to 3.14) from which the results hold nothing."""
        present = {minor(release) for release in self.releases()}
        return [f"3.{number}" for number in PYTHON3_MINORS if f"3.{number}" not in present]

    def not_run(self, kind: str) -> list[str]:
        """The Pythons the results come from that have no result of `kind`: that kind was not run there."""
        return [release for release in self.releases() if not self.methods(release, kind)]

    def absent(self, kind: str) -> list[Absent]:
        """Every Python of the matrix without verdicts of `kind`, and why, oldest first."""
        others = [KIND_NAMES[other] for other in KINDS if other != kind]
        found = [
            Absent(python, "no results", f"no results from Python {python} in this build") for python in self.missing()
        ]
        found += [
            Absent(
                release,
                "not run",
                f"{KIND_NAMES.get(kind, kind)} was not run on Python {minor(release)} in this build: the results from"
                f" Python {minor(release)} have rows of {listed(others) if others else 'another kind'}, none of"
                f" {KIND_NAMES.get(kind, kind)}",
            )
            for release in self.not_run(kind)
        ]
        return sorted(found, key=lambda absent: version_key(absent.python))

    def legacy_runs(self, name: str) -> list[tuple[Observation, list[Result]]]:
        """The pair's legacy runs that printed differently, each with the results compared against it."""
        runs: dict[tuple, tuple[Observation, list[Result]]] = {}
        for kind in KINDS:
            for row in self.rows_of(kind, name):
                if row.legacy is not None:
                    key = (row.legacy.python, row.legacy.source, shown_lines(row.legacy))
                    runs.setdefault(key, (row.legacy, []))[1].append(row)
        return list(runs.values())

    def legacy_label(self, name: str) -> str:
        """The legacy side of a pair's row in a matrix: its Python, and how it ran."""
        runs = {(run.python, run.source) for run, _ in self.legacy_runs(name)}
        return "; ".join(f"{python} {source}" for python, source in sorted(runs)) or "—"


def shown_lines(observation: Observation) -> tuple[str, ...]:
    """An observation's transcript as it really happened: the exit, each line as printed, what was left behind."""
    leftovers = (f"leftover processes killed: {observation.leftovers}",) if observation.leftovers else ()
    return (status_line(observation), *(line.shown for line in observation.lines), *leftovers)


# ---------------------------------------------------------------------------------------------
# The verdict matrices


def cell_title(row: Result) -> str:
    title = f"{row.name}, {KIND_NAMES.get(row.kind, row.kind)}, on Python {row.python} under {row.start_method}"
    title += f": {row.verdict}"
    if row.expected is not None:
        title += " (as its data expects)" if row.as_expected else f" (UNEXPECTED: its data expects {row.expected})"
    if row.note:
        title += f" — {row.note.splitlines()[0]}"
    return title


def verdict_cell(row: Result | None, href: str, missing: str) -> str:
    if row is None:
        return f'<td class="v v-none" title="{html.escape(missing)}">—</td>'
    verdict = str(row.verdict)
    unexpected = " unexpected" if not row.as_expected else ""
    return (
        f'<td class="v v-{slug(verdict)}{unexpected}" data-verdict="{html.escape(verdict)}">'
        f'<a href="{href}" title="{html.escape(cell_title(row))}">{SHORT[row.verdict]}{"!" if unexpected else ""}'
        "</a></td>"
    )


def overall_cell(rows: list[Result], href: str) -> str:
    if not rows:
        return '<td class="v v-none overall">not run</td>'
    verdict = str(worst([row.verdict for row in rows]))
    unexpected = [row for row in rows if not row.as_expected]
    said = f"{verdict}, {len(unexpected)} unexpected" if unexpected else verdict
    if not unexpected and any(row.expected_why for row in rows):  # a verdict that is not the port's own
        said += ", as expected"
    classes = f"v v-{slug(verdict)} overall{' unexpected' if unexpected else ''}"
    return f'<td class="{classes}" data-verdict="{html.escape(verdict)}"><a href="{href}">{html.escape(said)}</a></td>'


def absent_note(absent: list[Absent]) -> str:
    """Under a matrix: the Pythons it has no verdicts from, and why, as far as the results tell."""
    if not absent:
        return ""
    missing = [gone.python for gone in absent if gone.said == "no results"]
    sentences = [f"No results from Python {listed(missing, 'or')} in this build."] if missing else []
    sentences += [f"{gone.why[0].upper()}{gone.why[1:]}." for gone in absent if gone.said != "no results"]
    pythons = " ".join(gone.python for gone in absent)
    return f'<p class="absent-note" data-absent="{html.escape(pythons)}">{html.escape(" ".join(sentences))}</p>'


def matrix(results: Results, kind: str, pairs_prefix: str, only: str | None = None) -> str:
    """The verdict matrix of one kind: a row per pair, a column per Python and start method, and a
    column for each Python of the matrix without verdicts of this kind, saying so."""
    absent = results.absent(kind)
    groups: list[tuple[tuple[int, ...], str, list[str] | Absent]] = [
        (version_key(release), release, results.methods(release, kind)) for release in results.releases()
    ]
    groups = [group for group in groups if group[2]]
    groups += [(version_key(gone.python), gone.python, gone) for gone in absent]
    groups.sort(key=lambda group: group[0])
    head1, head2 = [], []
    for _, python, methods in groups:
        if isinstance(methods, Absent):
            head1.append(
                f'<th rowspan="2" class="py absent" data-absent="{html.escape(python)}"'
                f' title="{html.escape(methods.why)}">'
                f'Python {html.escape(minor(python))}<span class="patch">{html.escape(methods.said)}</span></th>'
            )
            continue
        head1.append(
            f'<th colspan="{len(methods)}" class="py">Python {html.escape(minor(python))}'
            f'<span class="patch">{html.escape(python)}</span></th>'
        )
        head2 += [f'<th class="sm sm-{slug(method)}">{html.escape(method)}</th>' for method in methods]
    names = [name for part, _ in PARTS for name in pairs_in(part, only)]
    legacies = {results.legacy_label(name) for name in names}
    one_legacy = len(legacies) <= 1
    width = sum(1 if isinstance(methods, Absent) else len(methods) for _, _, methods in groups) + 3 - one_legacy
    body = []
    for part, label in PARTS:
        if only is None and pairs_in(part):
            body.append(f'<tr class="part"><th colspan="{width}">{label}</th></tr>')
        for name in pairs_in(part, only):
            cells = results.cells[kind].get(name, {})
            page = "" if only else f"{pairs_prefix}{name}.html"
            name_href = f"../index.html#verdicts-{slug(kind)}" if only else page
            shown = []
            for _, python, methods in groups:
                if isinstance(methods, Absent):
                    shown.append(f'<td class="absent" title="{html.escape(methods.why)}"></td>')
                    continue
                for method in methods:
                    missing = f"no result of {name} on Python {python} under {method} in this build"
                    href = f"{page}#{slug(kind)}-{slug(python)}-{slug(method)}"
                    shown.append(verdict_cell(cells.get((python, method)), href, missing))
            legacy_cell = "" if one_legacy else f'<td class="legacy">{html.escape(results.legacy_label(name))}</td>'
            overall = overall_cell(results.rows_of(kind, name), page or f"#outputs-{slug(kind)}")
            body.append(
                f'<tr data-pair="{name}"><th class="pair"><a href="{name_href}"><code>{name}</code></a></th>'
                f"{legacy_cell}{''.join(shown)}{overall}</tr>"
            )
    if one_legacy:  # the same legacy side for every pair: said once, in the corner
        corner = f'pair<span class="patch">legacy: Python {html.escape(next(iter(legacies), "—"))}</span>'
        legacy_head = ""
    else:
        corner, legacy_head = "pair", '<th rowspan="2" class="legacy">legacy</th>'
    return (
        f'<div class="matrix-wrap"><table class="matrix" data-kind="{html.escape(kind)}">'
        f'<thead><tr><th rowspan="2" class="pair">{corner}</th>{legacy_head}{"".join(head1)}'
        f'<th rowspan="2">verdict</th></tr><tr>{"".join(head2)}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{absent_note(absent)}"
    )


def legend() -> str:
    items = "".join(
        f'<span class="legend-item"><span class="v v-{slug(str(v))}">{SHORT[v]}</span>'
        f"{'' if SHORT[v] == str(v) else ' ' + html.escape(str(v))}</span>"
        for v in Verdict
    )
    items += (
        '<span class="legend-item"><span class="v v-none">—</span> no result</span>'
        '<span class="legend-item"><span class="v absent">&nbsp;&nbsp;</span> no verdicts from that Python:'
        " its column says why</span>"
        '<span class="legend-item"><span class="v v-different unexpected">!</span> not what its data expects</span>'
    )
    return f'<p class="legend">{items}</p>'


def this_build(results: Results) -> str:
    """What the results of this build hold, and which Pythons of the matrix they lack, said as far as the file tells."""
    releases = results.releases()
    paragraphs = []
    if releases:
        methods = {tuple(results.methods(release)) for release in releases}
        under = f", each under {listed(list(next(iter(methods))))}" if len(methods) == 1 else ""
        legacy = sorted({(row.legacy.python, row.legacy.source) for row in results.rows if row.legacy})
        against = (
            listed([f"Python {python} {SOURCES.get(source, source)}" for python, source in legacy]) or "no legacy run"
        )
        ran = f"Results from Python {listed(releases)}{under}, against {against}"
    else:
        ran = "No results at all"
    written = ([f"by {results.tool}"] if results.tool else []) + (
        [f"at {results.generated}"] if results.generated else []
    )
    when = f" (the results file was written {' '.join(written)})" if written else ""
    paragraphs.append(f'<p class="ran">{html.escape(ran + when)}.</p>')
    missing = results.missing()
    if missing:
        pythons = f"Python {listed(missing, 'or')}"
        paragraphs.append(
            f'<p class="absent" data-absent="{" ".join(missing)}">No results from {pythons} in this build: the results'
            " file it was built from holds none, so the matrices have no verdicts from them. Each Python's results come"
            " from running portcheck on that Python; <code>tox -e docs</code> merges those of every test environment"
            " that ran, and tox skips an environment whose Python is not installed.</p>"
        )
    else:
        paragraphs.append(
            f'<p class="absent" data-absent="">Every Python of the matrix, 3.{PYTHON3_MINORS[0]} to'
            f" 3.{PYTHON3_MINORS[-1]}, has results in this build.</p>"
        )
    for kind in KINDS:
        gone = results.not_run(kind)
        if gone:
            pythons = f"Python {listed([minor(release) for release in gone])}"
            others = listed([KIND_NAMES[other] for other in KINDS if other != kind])
            paragraphs.append(
                f'<p class="not-run" data-kind="{kind}" data-absent="{" ".join(gone)}">{KIND_NAMES[kind].capitalize()}'
                f" was not run on {pythons} in this build: the results from there have rows of {html.escape(others)},"
                f" none of {KIND_NAMES[kind]}"
                f' (<a href="#verdicts-{slug(kind)}">its matrix</a> says so in a column of its own).</p>'
            )
    title = '<p class="admonition-title">This build</p>'
    return f'<div class="admonition note this-build" id="this-build">{title}{"".join(paragraphs)}</div>'


# ---------------------------------------------------------------------------------------------
# Pages


def side_by_side_html(legacy_source: str, modern_source: str) -> str:
    blocks = side_by_side.align(legacy_source, modern_source)
    old, new = code_lines(legacy_source, legacy=True), code_lines(modern_source, legacy=False)
    out = [
        '<div class="sbs-wrap highlight"><table class="sbs">',
        '<colgroup><col class="num"><col class="code"><col class="num"><col class="code"></colgroup>',
        (
            '<thead><tr><th colspan="2" class="side-legacy">legacy: Python 2.7</th>'
            '<th colspan="2" class="side-modern">modern: Python 3</th></tr></thead>'
        ),
    ]
    for block in blocks:
        badge = f' <span class="badge">{block.substance} changed</span>' if block.substance else ""
        out.append(
            f'<tbody class="block" data-block="{html.escape(block.key)}"><tr class="block-title">'
            f'<th colspan="4">{html.escape(block.title)}{badge}</th></tr>'
        )
        for row in block.rows:
            why = row.why or CHANGE_TITLES[row.change]
            title = f' title="{html.escape(why)}"' if why else ""
            marks: tuple[list, list] = ([], [])
            if row.change == "changed" and row.legacy and row.modern:
                marks = side_by_side.changed_spans(row.legacy.text, row.modern.text)
            cells = []
            for line, lines, side, marked in (
                (row.legacy, old, "legacy", marks[0]),
                (row.modern, new, "modern", marks[1]),
            ):
                if line is None:
                    cells.append(f'<td class="num"></td><td class="code empty {side}"></td>')
                else:
                    pieces = lines[line.number - 1] if line.number - 1 < len(lines) else [("", line.text)]
                    cells.append(
                        f'<td class="num">{line.number}</td><td class="code {side}">{line_html(pieces, marked)}</td>'
                    )
            out.append(f'<tr class="r-{row.change}"{title}>{"".join(cells)}</tr>')
        out.append("</tbody>")
    out.append("</table></div>")
    return "".join(out)


def change_legend(blocks_counts: dict[str, int]) -> str:
    return (
        '<p class="sbs-legend">'
        f'<span class="key r-changed">changed</span> {blocks_counts["changed"]} lines '
        f'<span class="key r-removed">only legacy</span> {blocks_counts["removed"]} '
        f'<span class="key r-added">only modern</span> {blocks_counts["added"]} '
        f'<span class="key r-common">as in every pair</span> {blocks_counts["common"]}: '
        "type annotations, <code>from __future__ import annotations</code>, the <code>__main__</code> body moved into "
        "<code>main()</code>, <code>print</code> statement to <code>print()</code>, %-format to the f-string that "
        "prints the same. Hover a line for what it is.</p>"
    )


def transcript_html(observation: Observation | None, declared: tuple[str, ...] = ()) -> str:
    """What a run really printed: its exit, each line as printed (hover: the process that printed it), the
    processes it left behind. Traceback frames, which are not compared, are dimmed; lines holding text in
    `declared` (a declared difference's side) are marked."""
    if observation is None:
        return '<pre class="transcript none">no transcript: there was no run to show</pre>'
    errors = [line for line in observation.lines if line.stream == "err"]
    compared = set(map(id, compared_stderr(errors)))
    out = [f'<span class="t t-exit">{html.escape(status_line(observation))}</span>']
    for line in observation.lines:
        classes = ["t", f"t-{slug(line.stream)}"]
        title = f"printed by {line.owner}" if line.owner else "printed by a process the run could not tell"
        if line.stream == "err" and id(line) not in compared:
            classes.append("t-frame")
            title += "; a traceback frame: shown, not compared"
        if line.stream.startswith("file"):
            title = "a line of a file the run wrote" if line.stream == "file" else "a file the run deleted"
        if any(text in line.text for text in declared):
            classes.append("t-declared")
            title += "; a declared difference applies to it"
        out.append(f'<span class="{" ".join(classes)}" title="{html.escape(title)}">{html.escape(line.shown)}</span>')
    if observation.leftovers:
        out.append(f'<span class="t t-leftovers">leftover processes killed: {observation.leftovers}</span>')
    return f'<pre class="transcript">{"".join(out)}</pre>'


DIFF_CLASSES = {" ": "d-same", "-": "d-legacy", "+": "d-modern", "~": "d-relaxed", "@": "d-hunk"}


def diff_html(row: Result) -> str:
    """A result's diff: what each program printed, aligned; "~" marks a line a relaxation accepted, with its note."""
    if not row.diff:
        return ""
    legacy = row.legacy.label if row.legacy else "the legacy program"
    modern = row.modern.label if row.modern else "the port"
    key = f"\N{MINUS SIGN} {legacy} only, + {modern} only"
    if any(line.mark == "~" for line in row.diff):
        key += ", ~ printed differently but accepted (as the port printed it; its note says why)"
    out = []
    for line in row.diff:
        mark = "" if line.mark == "@" else line.mark
        note = f'<span class="d-note">{html.escape(line.note)}</span>' if line.note else ""
        out.append(
            f'<span class="d {DIFF_CLASSES.get(line.mark, "d-same")}" data-mark="{html.escape(line.mark)}">'
            f"{html.escape(mark + line.text)}{note}</span>"
        )
    return (
        f'<div class="diff-wrap"><p class="diff-key">{html.escape(key)}:</p>'
        f'<pre class="diff">{"".join(out)}</pre></div>'
    )


def said_html(row: Result) -> str:
    """What a result says beyond its verdict and transcript: declarations, relaxations, crashes, the hint,
    the expectation of a mechanical port, what lint found."""
    items = []
    for declaration in row.declared:
        applied = f"applied to {declaration.lines} line(s)" if declaration.lines else "STALE: it applied to no line"
        items.append(
            f"declared: <code>{html.escape(declaration.said)}</code> ({applied}): {md_inline(declaration.why)}"
        )
    items += [
        f"relaxed ({html.escape(relaxation.rule)}, {relaxation.lines} line(s)): {md_inline(relaxation.reason)}"
        for relaxation in row.relaxed
    ]
    items += [f"crash: {html.escape(crash)}" for crash in row.crashes]
    for diagnosis in row.diagnoses:
        page = site_page(diagnosis.link)
        items.append(
            f"cause ({len(diagnosis.lines)} line(s)): {html.escape(diagnosis.cause)} "
            f'<a href="../{html.escape(page)}">[{html.escape(diagnosis.rule)}]</a>; fix: {html.escape(diagnosis.fix)}'
        )
    if row.hint:
        items.append(f"hint: {html.escape(row.hint)}")
    if row.expected is not None:
        why = f": {md_inline(linked_pitfalls(row.expected_why, '../pitfalls.html'))}" if row.expected_why else ""
        items.append(
            f"as its data expects{why}"
            if row.as_expected
            else f'<strong class="unexpected">UNEXPECTED</strong>: its data expects {row.expected}{why}'
        )
    items += [f"lint: {html.escape(finding)}" for finding in row.findings]
    return f'<ul class="said">{"".join(f"<li>{item}</li>" for item in items)}</ul>' if items else ""


def where(rows: list[Result]) -> str:
    """'Python 3.8, 3.13, each under fork, spawn': the Pythons and start methods of some rows, in short."""
    by_python: dict[str, list[str]] = {}
    for row in rows:
        by_python.setdefault(row.python, []).append(row.start_method)
    methods = {tuple(m) for m in by_python.values()}
    if len(methods) == 1 and len(by_python) > 1:
        return f"Python {', '.join(minor(p) for p in by_python)}, each under {', '.join(next(iter(methods)))}"
    return "; ".join(f"Python {minor(p)} under {', '.join(m)}" for p, m in by_python.items())


def outputs_html(results: Results, kind: str, name: str) -> str:
    """The Python 3 runs of one kind, grouped where they printed the same and were judged the same:
    open where they differ or failed, closed where the verdict is alike."""
    declared = tuple(difference.modern for difference in settings(name).differences)
    groups: dict[tuple, list[Result]] = {}
    for row in results.rows_of(kind, name):
        shown = shown_lines(row.modern) if row.modern else None
        key = (row.verdict, row.note, shown, row.diff, row.declared, row.relaxed, row.crashes, row.hint)
        groups.setdefault((*key, row.expected, row.expected_why, row.as_expected, row.findings), []).append(row)
    out = []
    for members in groups.values():
        first = members[0]
        verdict = str(first.verdict)
        anchors = "".join(f'<span id="{slug(kind)}-{slug(r.python)}-{slug(r.start_method)}"></span>' for r in members)
        closed = first.verdict in (*ALIKE, Verdict.NOT_APPLICABLE) and first.as_expected
        label = verdict + ("" if first.as_expected else ", not what its data expects")
        label += ", as its data expects" if first.as_expected and first.expected_why else ""
        note = f'<p class="note">{md_inline(linked_pitfalls(first.note, "../pitfalls.html"))}</p>' if first.note else ""
        out.append(
            f'<details class="output v-border-{slug(verdict)}" data-verdict="{html.escape(verdict)}"'
            f"{'' if closed else ' open'}>{anchors}"
            f'<summary><span class="v v-{slug(verdict)}">{SHORT[first.verdict]}</span> {html.escape(where(members))}:'
            f" {html.escape(label)}</summary>{note}{transcript_html(first.modern, declared)}{said_html(first)}"
            f"{diff_html(first)}</details>"
        )
    return "".join(out)


def legacy_html(results: Results, name: str) -> str:
    """The pair's legacy runs the results compared against (each that printed differently), else its recording."""
    declared = tuple(difference.legacy for difference in settings(name).differences)
    out = []
    for run, rows in results.legacy_runs(name):
        pythons = listed(sorted({minor(row.python) for row in rows}, key=version_key))
        said = f"{run.label} ({run.python}), {SOURCES.get(run.source, run.source)}:"
        said += f" what the rows of Python {pythons} compare against"
        out.append(
            f'<div class="output legacy-output" data-python="{html.escape(run.python)}"'
            f' data-source="{html.escape(run.source)}">'
            f'<p class="run">{html.escape(said)}</p>{transcript_html(run, declared)}</div>'
        )
    if out:
        return "".join(out)
    if not recording_path(name).exists():
        return '<p class="note">No legacy run of this pair in this build, and no recording of one.</p>'
    run = recording(name)
    said = (
        f"No legacy run of this pair in this build; what {run.label} printed when it was recorded on"
        f" Python {run.python}"
        f" (recordings/{name}.json)"
    )
    return (
        f'<div class="output legacy-output" data-python="{html.escape(run.python)}" data-source="recorded">'
        f'<p class="run">{html.escape(said)}</p>{transcript_html(run, declared)}</div>'
    )


def pair_links(names: list[str] | tuple[str, ...], prefix: str) -> str:
    return ", ".join(f"[`{name}`]({prefix}{name}.md)" for name in names)


def applies(name: str) -> str:
    """Where a pair's modern program applies, when that is not every Python and start method; else ''."""
    declared = settings(name)
    if declared.python <= (3, PYTHON3_MINORS[0]) and len(declared.start_methods) == len(START_METHODS):
        return ""
    python = f"{declared.python[0]}.{declared.python[1]}"
    return f"It applies from Python {python}, under {listed(list(declared.start_methods))}: {declared.not_applicable}"


def mechanical_said(name: str) -> str:
    """What 2to3 does to the pair's legacy program, and what the data expects of its port."""
    pair, declared = about(name), settings(name)
    fixes = "".join(f"; `{old}` becomes `{new}`" for old, new in pair.get("fixes_2to3", []))
    verdicts: dict[str, list[str]] = {}
    for method in START_METHODS:
        verdicts.setdefault(str(declared.expected_mechanical(method)[0]), []).append(method)
    expects = "; ".join(f"{verdict} under {listed(methods)}" for verdict, methods in verdicts.items())
    why = f" ({declared.mechanical.why})" if declared.mechanical.why else ""
    keeps = f" It keeps {pair['keeps_2to3']}." if pair.get("keeps_2to3") else ""
    return linked_pitfalls(
        f"2to3 changes the print statements{fixes}.{keeps}"
        f" Against the legacy program its data expects: {expects}{why}.",
        "../pitfalls.md",
    )


def pair_page(name: str, results: Results) -> str:
    pair = about(name)
    legacy_source = read_source(legacy_script(name))
    modern_source = read_source(modern_script(name))
    blocks = side_by_side.align(legacy_source, modern_source)
    part = dict(PARTS)[part_of(name)]
    out = [
        "---\nhide-toc: true\n---\n",
        f"# `{name}`\n",
        f"*{part}* · [all verdicts](../index.md#verdicts-modern)\n",
        f"**What it shows:** {pair.get('shows', '')}\n",
        "| | Python 2 | Python 3 | why |\n|---|---|---|---|",
        (
            f"| idiom | {md_cell(pair.get('python2', ''))} | {md_cell(pair.get('python3', ''))} "
            f"| {md_cell(linked_pitfalls(pair.get('why', ''), '../pitfalls.md'))} |\n"
        ),
    ]
    if applies(name):
        out.append(f"{linked_pitfalls(applies(name), '../pitfalls.md')}\n")
    out.append("## Verdicts\n")
    for kind in KINDS:
        out.append(f"{KINDS[kind]}: its row of [the matrix](../index.md#verdicts-{slug(kind)}).\n")
        if not results.cells[kind].get(name):
            out.append(f"No result of {KIND_NAMES[kind]} for this pair in this build.\n")
        out.append(raw(matrix(results, kind, "", only=name)))
    counted = side_by_side.counts(blocks)
    out.append("## The two programs, side by side\n")
    out.append(
        f"`legacy/{name}.py` on the left, its modern program `modern/{name}.py` on the "
        "right, aligned function by function.\n"
    )
    out.append(
        raw(f'<div id="programs">{change_legend(counted)}{side_by_side_html(legacy_source, modern_source)}</div>')
    )
    out.append("## What they print\n")
    out.append(
        "What each run really printed: its exit code, then stdout (`out:`), stderr (`err:`) and the lines of the "
        "files it wrote (`file:`), pids and paths as they were; hover a line for the process that printed it. "
        "The comparison reads them after the normalisation of process ids, addresses, paths and traceback frames "
        "(the frames, dimmed, are not compared); lines a declared difference applies to are marked, and a "
        "difference is shown as a diff below its run.\n"
    )
    out.append("### Legacy: Python 2.7\n")
    out.append(raw(legacy_html(results, name)))
    for kind in KINDS:
        out.append(f"### {KINDS[kind]}\n")
        if kind == "mechanical":
            out.append(f"{mechanical_said(name)}\n")
        if results.cells[kind].get(name):
            outputs = outputs_html(results, kind, name)
            out.append(raw(f'<div class="outputs" id="outputs-{slug(kind)}" data-kind="{kind}">{outputs}</div>'))
        else:
            out.append(raw(f'<div class="outputs" id="outputs-{slug(kind)}" data-kind="{kind}"></div>'))
            out.append(f"No result of {KIND_NAMES[kind]} for this pair in this build.\n")
    differences = settings(name).differences
    if differences:
        out.append("## Declared differences\n")
        out.append("What no faithful Python 3 program can hide, applied to the legacy transcript only.\n")
        applied: dict[str, set[int]] = defaultdict(set)
        for kind in KINDS:
            for row in results.rows_of(kind, name):
                for declaration in row.declared:
                    applied[declaration.said].add(declaration.lines)
        out.append("| Python 2 prints | Python 3 prints | why | lines it applies to |\n|---|---|---|---|")
        for difference in differences:
            counts = applied.get(f"{difference.legacy!r} -> {difference.modern!r}")
            shown = ", ".join(str(n) for n in sorted(counts)) if counts else "—"
            out.append(
                f"| `{md_cell(difference.legacy)}` | `{md_cell(difference.modern)}` | {md_cell(difference.why)} "
                f"| {shown} |"
            )
        out.append("")
    pitfalls = pitfalls_of(name)
    if pitfalls:
        out.append("## Pitfalls it shows\n")
        for number, pitfall in pitfalls:
            others = [other for other in pitfall.pairs if other != name]
            also = f" Also shown by {pair_links(others, '')}." if others else ""
            out.append(f"**[{number}.](../pitfalls.md#pitfall-{number}) {pitfall.title}.** {pitfall.text}{also}\n")
    claims = claims_of(name)
    if claims:
        out.append("## The article's claims it checks\n")
        out.append("| claim (article) | checked by | verdict |\n|---|---|---|")
        for _, claim in claims:
            verdict = linked_pitfalls(claim.verdict, "../pitfalls.md")
            out.append(f"| {md_cell(claim.claim)} | {md_cell(pair_links(claim.pairs, ''))} | {md_cell(verdict)} |")
        out.append("")
    return "\n".join(out)


def index_page(results: Results) -> str:
    beyond = len(pairs_in("beyond"))
    first, last = f"3.{PYTHON3_MINORS[0]}", f"3.{PYTHON3_MINORS[-1]}"
    out = [
        "---\nhide-toc: true\n---\n",
        "# multiprocessing, Python 2 → 3\n",
        (
            "The programs of a Chinese blog article on Python 2's `multiprocessing` (it opens "
            '"Python在2.6引入了多进程的机制"), restored, with those for what it only describes or names, and '
            f"{beyond} more for the rest of the API that real Python 2 code uses: each beside the Python 3 program "
            "an engineer writes today."
        ),
        (
            f"Each legacy program runs on Python 2.7; its modern program, and its port by 2to3, on every Python of "
            f"the matrix ({first} to {last}) under fork, spawn and forkserver; and what they print is compared after "
            "normalisation."
        ),
        (
            "Each pair's page shows the two programs side by side, what they really printed, the pitfalls and the "
            "article's claims it checks.\n"
        ),
        raw(this_build(results)),
        raw(legend()),
    ]
    for kind in KINDS:
        out.append(f"(verdicts-{slug(kind)})=\n## {TITLES[kind]}\n")
        if kind == "mechanical":
            out.append(
                "The legacy program as 2to3 ports it, run on Python 3 against the same legacy runs. Its data expects "
                "what the modern program does (identical, or its declared differences) but where it says otherwise:\n"
            )
            expected = sorted(
                {
                    f"`{row.name}` under {row.start_method}: {row.verdict}, as its data expects"
                    f" ({linked_pitfalls(row.expected_why, 'pitfalls.md')})"
                    for row in results.rows
                    if row.kind == kind and row.expected is not None and row.as_expected and row.expected_why
                }
            )
            unexpected = sorted(
                {
                    f"`{row.name}` on Python {minor(row.python)} under {row.start_method}: {row.verdict}, UNEXPECTED:"
                    f" its data expects {row.expected}"
                    for row in results.rows
                    if row.kind == kind and not row.as_expected
                }
            )
            out.extend(f"- {line}" for line in expected + unexpected)
            out.append("")
        out.append(raw(matrix(results, kind, "pairs/")))
    out.append("```{toctree}\n:hidden:\n:caption: From the article\n")
    out.extend(f"pairs/{name}" for name in pairs_in("article"))
    out.append("```\n\n```{toctree}\n:hidden:\n:caption: Beyond the article\n")
    out.extend(f"pairs/{name}" for name in pairs_in("beyond"))
    out.append(
        "```\n\n```{toctree}\n:hidden:\n:caption: Reference\n\npitfalls\nclaims\nlint\ndiagnoses\n```\n\n"
        "```{toctree}\n:hidden:\n:caption: The tool\n\nporting\nidentical\nresults-schema\nspeed\n```\n"
    )
    return "\n".join(out)


def pitfalls_page() -> str:
    out = ["# Pitfalls the matrix found\n"]
    for number, pitfall in enumerate(PITFALLS, start=1):
        also = f"\n\nShown by {pair_links(pitfall.pairs, 'pairs/')}." if pitfall.pairs else ""
        out.append(f"(pitfall-{number})=\n## {number}. {pitfall.title}\n\n{pitfall.text}{also}\n")
    return "\n".join(out)


def claims_page() -> str:
    """docs/claims.md's own words (how the article was restored), then its table with each pair linked."""
    intro = (DOCS / "claims.md").read_text(encoding="utf-8").split("<!-- [[[cog", 1)[0].split("\n", 1)[1].strip()
    out = ["# The article's claims, checked\n", f"{for_the_site(intro)}\n"]
    out += ["| claim (article) | checked by | verdict |", "|---|---|---|"]
    for claim in CLAIMS:
        verdict = linked_pitfalls(claim.verdict, "pitfalls.md")
        out.append(f"| {md_cell(claim.claim)} | {md_cell(pair_links(claim.pairs, 'pairs/'))} | {md_cell(verdict)} |")
    return "\n".join(out) + "\n"


def for_the_site(markdown: str) -> str:
    """A page of docs/ with its links made the site's: pitfalls, pairs and the pages the site has, here; any
    other file of the repository (the README, a source file, a section of docs/pairs.md) on GitHub."""
    markdown = re.sub(r"\]\(\.\./README\.md#(pitfall-\d+)\)", r"](pitfalls.md#\1)", markdown)
    markdown = re.sub(r"\]\(pairs\.md#(\w+)\)", r"](pairs/\1.md)", markdown)

    def elsewhere(match: re.Match) -> str:
        target = match.group(1)
        path = target.partition("#")[0]
        if not path or path in SITE_PAGES or path.startswith("pairs/") or re.match(r"[a-z][\w+.-]*:", target):
            return match.group(0)
        return f"]({REPOSITORY}{posixpath.normpath(posixpath.join('docs', path))}{target[len(path) :]})"

    return re.sub(r"\]\(([^)\s]+)\)", elsewhere, markdown)


def generate(results: Results, source: Path) -> None:
    (source / "pairs").mkdir(parents=True, exist_ok=True)
    shutil.copy(DOCS / "conf.py", source / "conf.py")
    shutil.copytree(DOCS / "_static", source / "_static", dirs_exist_ok=True)
    for page in DOCS_PAGES:
        (source / page).write_text(for_the_site((DOCS / page).read_text(encoding="utf-8")), encoding="utf-8")
    (source / "index.md").write_text(index_page(results), encoding="utf-8")
    (source / "pitfalls.md").write_text(pitfalls_page(), encoding="utf-8")
    (source / "claims.md").write_text(claims_page(), encoding="utf-8")
    for name in pair_names():
        (source / "pairs" / f"{name}.md").write_text(pair_page(name, results), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True, type=Path, help="results JSON (portcheck --json FILE)")
    parser.add_argument("--out", required=True, type=Path, help="directory for the HTML site")
    parser.add_argument("--source", type=Path, help="keep the generated Sphinx source here (default: a temporary one)")
    parser.add_argument("--quiet", action="store_true", help="only warnings and errors from sphinx-build")
    args = parser.parse_args(argv)
    try:
        results = load_results(args.results)
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="site-source-") as temporary:
        source = args.source or Path(temporary)
        generate(results, source)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-n", "-W", "--keep-going"]  # a warning fails it
        command += ["-q"] if args.quiet else []
        command += ["-d", str(Path(temporary) / ".doctrees"), str(source), str(args.out)]
        done = subprocess.run(command, check=False)
    if done.returncode:
        print(f"build.py: sphinx-build failed with exit code {done.returncode}", file=sys.stderr)
        return done.returncode
    print(f"site written to {args.out.resolve() / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
