"""Build the documentation site: python docs/build.py --results FILE --out DIR

Generates the pages (MyST markdown, with raw HTML for the verdict matrices, the side-by-side
programs and the transcripts) from legacy/ and modern/, portcheck.pairs (PAIRS, PITFALLS, CLAIMS)
and a results file written by `python3 -m portcheck --json FILE` (docs/results-schema.md), then runs
sphinx-build. Needs no network; the site opens from the file system.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from collections import defaultdict
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from pygments import lex  # noqa: E402
from pygments.lexers import Python2Lexer, PythonLexer  # noqa: E402
from pygments.token import STANDARD_TYPES  # noqa: E402

from portcheck import side_by_side  # noqa: E402
from portcheck.lessons import CLAIMS as CLAIM_DATA  # noqa: E402
from portcheck.lessons import PITFALLS as PITFALL_DATA  # noqa: E402
from portcheck.lessons import claims_of, pitfalls_of  # noqa: E402
from portcheck.pairs import PAIRS as PAIR_DATA  # noqa: E402
from portcheck.pairs import Pair as PairData  # noqa: E402


class Pair:
    """A pair as its page shows it: its data (portcheck/pairs.py), its name, and the numbers of the
    pitfalls it shows and the article's claims it checks (portcheck/lessons.py)."""

    def __init__(self, name: str, data: PairData) -> None:
        self.name = name
        self.data = data
        self.pitfalls = tuple(number for number, _ in pitfalls_of(name))
        self.claims = tuple(number for number, _ in claims_of(name))

    def __getattr__(self, attribute: str) -> object:
        return getattr(self.data, attribute)


PAIRS = {name: Pair(name, data) for name, data in sorted(PAIR_DATA.items())}
PITFALLS = [(pitfall.title, pitfall.text) for pitfall in PITFALL_DATA]
CLAIMS = [(claim.claim, ", ".join(claim.pairs), claim.verdict) for claim in CLAIM_DATA]

START_METHODS = ("fork", "spawn", "forkserver")
VERDICTS = ("identical", "equivalent", "declared differences", "different", "not applicable", "error")
SHORT = {  # what a matrix cell says: short, so that 3.8 to 3.14 under three start methods fit the page
    "identical": "✓",
    "equivalent": "≈",
    "declared differences": "decl.",
    "different": "DIFF",
    "not applicable": "n/a",
    "error": "ERROR",
}
WORST_FIRST = ("error", "different", "declared differences", "equivalent", "identical", "not applicable")
KINDS = {
    "modern": "Python 3: the modern program",
    "mechanical": "Python 3: a mechanical port of the legacy program",
}
PARTS = (("article", "From the article"), ("beyond", "Beyond the article"))
CHANGE_TITLES = {
    "same": "",
    "common": "changed as in every pair",
    "changed": "changed",
    "removed": "only in the legacy program",
    "added": "only in the modern program",
    "doc": "docstring",
}


class BuildError(Exception):
    """Bad input, said in one line."""


# ---------------------------------------------------------------------------------------------
# Small helpers


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def md_inline(text: str) -> str:
    """The inline markdown of PAIRS/PITFALLS/CLAIMS as HTML, for raw HTML blocks: `code`, *em*, **strong**, [a](b)."""
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


def raw(html_text: str) -> str:
    """A raw HTML block for a MyST page."""
    return f"\n```{{raw}} html\n{html_text}\n```\n"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


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


def load_results(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BuildError(f"cannot read results {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise BuildError(f"results {path} are not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != 1 or not isinstance(data.get("results"), list):
        raise BuildError(
            f"results {path}: expected an object with schema 1 and a results list (docs/results-schema.md)"
        )
    for number, row in enumerate(data["results"]):
        missing = {"pair", "kind", "legacy", "modern", "verdict"} - set(row)
        if missing:
            raise BuildError(f"results {path}: row {number} lacks {', '.join(sorted(missing))}")
        if row["verdict"] not in VERDICTS:
            raise BuildError(f"results {path}: row {number} has an unknown verdict {row['verdict']!r}")
    return data


class Results:
    """The results file, indexed by kind, pair, Python and start method."""

    def __init__(self, data: dict) -> None:
        self.generated = data.get("generated", "")
        self.cells: dict[str, dict[str, dict[tuple[str, str], dict]]] = defaultdict(lambda: defaultdict(dict))
        for row in data["results"]:
            modern = row["modern"] or {}
            self.cells[row["kind"]][row["pair"]][(modern.get("python", "?"), modern.get("start_method", "?"))] = row
        unknown = sorted({pair for kind in self.cells.values() for pair in kind} - set(PAIRS))
        if unknown:
            print(f"build.py: results name pairs that portcheck.pairs does not: {', '.join(unknown)}", file=sys.stderr)

    def kinds(self) -> list[str]:
        order = list(KINDS)
        return sorted(self.cells, key=lambda kind: (order.index(kind) if kind in order else len(order), kind))

    def columns(self, kind: str) -> list[tuple[str, str]]:
        found = {key for pair in self.cells[kind].values() for key in pair}
        return sorted(
            found,
            key=lambda c: (
                version_key(c[0]),
                START_METHODS.index(c[1]) if c[1] in START_METHODS else 9,
                c[1],
            ),
        )

    def rows(self, kind: str, pair: str) -> list[dict]:
        cells = self.cells[kind].get(pair, {})
        return [cells[column] for column in self.columns(kind) if column in cells]

    def legacy(self, pair: str) -> dict | None:
        for kind in self.kinds():
            for row in self.rows(kind, pair):
                if row.get("legacy"):
                    return row["legacy"]
        return None


def legacy_label(legacy: dict | None) -> str:
    return f"{legacy.get('python', '?')} {legacy.get('source', '')}".strip() if legacy else "—"


def overall(rows: list[dict]) -> str | None:
    verdicts = {row["verdict"] for row in rows}
    return next((verdict for verdict in WORST_FIRST if verdict in verdicts), None)


def cell_title(row: dict) -> str:
    modern = row["modern"] or {}
    title = (
        f"{row['pair']} on Python {modern.get('python', '?')} under {modern.get('start_method', '?')}: {row['verdict']}"
    )
    if row.get("note"):
        title += f" — {row['note'].splitlines()[0]}"
    return title


def verdict_cell(row: dict | None, href: str) -> str:
    if row is None:
        return '<td class="v v-none" title="not run">—</td>'
    verdict = row["verdict"]
    return (
        f'<td class="v v-{slug(verdict)}" data-verdict="{html.escape(verdict)}">'
        f'<a href="{href}" title="{html.escape(cell_title(row))}">{SHORT[verdict]}</a></td>'
    )


def matrix(results: Results, kind: str, pairs_prefix: str, only: str | None = None) -> str:
    """The verdict matrix of one kind: a row per pair, a column per Python and start method."""
    columns = results.columns(kind)
    pythons: dict[str, list[str]] = {}
    for python, method in columns:
        pythons.setdefault(python, []).append(method)
    head1 = "".join(
        f'<th colspan="{len(methods)}" class="py">Python {html.escape(minor(python))}'
        f'<span class="patch">{html.escape(python)}</span></th>'
        for python, methods in pythons.items()
    )
    head2 = "".join(f'<th class="sm sm-{slug(m)}">{html.escape(m)}</th>' for _, m in columns)
    legacies = {legacy_label(results.legacy(name)) for name in PAIRS if only is None or name == only}
    one_legacy = len(legacies) == 1
    body = []
    for part, label in PARTS:
        names = [name for name, pair in PAIRS.items() if pair.part == part and (only is None or name == only)]
        if not names:
            continue
        if only is None:
            body.append(f'<tr class="part"><th colspan="{len(columns) + 3 - one_legacy}">{label}</th></tr>')
        for name in names:
            rows = results.cells[kind].get(name, {})
            legacy_cell = (
                "" if one_legacy else f'<td class="legacy">{html.escape(legacy_label(results.legacy(name)))}</td>'
            )
            page = "" if only else f"{pairs_prefix}{name}.html"
            name_href = f"../index.html#verdicts-{slug(kind)}" if only else page
            cells = "".join(
                verdict_cell(rows.get(column), f"{page}#{slug(kind)}-{slug(column[0])}-{slug(column[1])}")
                for column in columns
            )
            verdict = overall(list(rows.values()))
            summary = (
                f'<td class="v v-{slug(verdict)} overall" data-verdict="{html.escape(verdict)}">'
                f'<a href="{page or name_href}">{html.escape(verdict)}</a></td>'
                if verdict
                else '<td class="v v-none overall">not run</td>'
            )
            body.append(
                f'<tr data-pair="{name}"><th class="pair"><a href="{name_href}"><code>{name}</code></a></th>'
                f"{legacy_cell}{cells}{summary}</tr>"
            )
    if one_legacy:  # the same legacy side for every pair: said once, in the corner
        corner = f'pair<span class="patch">legacy: Python {html.escape(next(iter(legacies)))}</span>'
        legacy_head = ""
    else:
        corner, legacy_head = "pair", '<th rowspan="2" class="legacy">legacy</th>'
    return (
        f'<div class="matrix-wrap"><table class="matrix" data-kind="{html.escape(kind)}">'
        f'<thead><tr><th rowspan="2" class="pair">{corner}</th>{legacy_head}{head1}'
        f'<th rowspan="2">verdict</th></tr><tr>{head2}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def legend() -> str:
    items = "".join(
        f'<span class="legend-item"><span class="v v-{slug(v)}">{SHORT[v]}</span>'
        f"{'' if SHORT[v] == v else ' ' + html.escape(v)}</span>"
        for v in VERDICTS
    )
    return f'<p class="legend">{items}</p>'


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


def transcript_html(lines: list[str] | None, marked: set[int] = frozenset(), declared: set[int] = frozenset()) -> str:
    if lines is None:
        return '<pre class="transcript none">no transcript</pre>'
    out = []
    for number, line in enumerate(lines):
        classes = ["t"]
        if line.startswith("err: "):
            classes.append("t-err")
        elif line.startswith("exit code"):
            classes.append("t-exit")
        if number in marked:
            classes.append("t-diff")
        if number in declared:
            classes.append("t-declared")
        out.append(f'<span class="{" ".join(classes)}">{html.escape(line)}</span>')
    return f'<pre class="transcript">{"".join(out)}</pre>'


def expected_from(legacy: list[str], declared: list[dict]) -> list[str]:
    expected = list(legacy)
    for difference in declared:
        expected = [line.replace(difference["legacy"], difference["modern"]) for line in expected]
    return expected


def where(rows: list[dict]) -> str:
    """'3.8 (fork, spawn), 3.9 (fork)': the Pythons and start methods of some rows, in short."""
    by_python: dict[str, list[str]] = {}
    for row in rows:
        by_python.setdefault(row["modern"]["python"], []).append(row["modern"]["start_method"])
    methods = {tuple(m) for m in by_python.values()}
    if len(methods) == 1 and len(by_python) > 1:
        return f"Python {', '.join(minor(p) for p in by_python)}, each under {', '.join(next(iter(methods)))}"
    return "; ".join(f"Python {minor(p)} under {', '.join(m)}" for p, m in by_python.items())


def outputs_html(results: Results, kind: str, name: str) -> str:
    """The modern transcripts of one kind, grouped: one per distinct transcript, closed when it is the legacy's."""
    rows = results.rows(kind, name)
    legacy = results.legacy(name) or {}
    legacy_lines = legacy.get("transcript")
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        lines = (row["modern"] or {}).get("transcript")
        key = (tuple(lines) if lines is not None else None, row["verdict"], row.get("note", ""))
        groups.setdefault(key, []).append(row)
    out = []
    for (lines, verdict, note), members in groups.items():
        anchors = "".join(
            f'<span id="{slug(kind)}-{slug(r["modern"]["python"])}-{slug(r["modern"]["start_method"])}"></span>'
            for r in members
        )
        same = lines is not None and legacy_lines is not None and list(lines) == list(legacy_lines)
        declared = members[0].get("declared") or []
        marked: set[int] = set()
        if lines is not None and legacy_lines is not None and not same:
            expected = expected_from(legacy_lines, declared)
            matcher = __import__("difflib").SequenceMatcher(None, expected, list(lines), autojunk=False)
            for tag, _, _, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    marked.update(range(j1, j2))
        declared_lines = {
            k for k, line in enumerate(lines or ()) if any(d["modern"] in line for d in declared) and k not in marked
        }
        label = "the same as the legacy output" if same else f"{verdict}"
        note_html = f'<p class="note">{html.escape(note)}</p>' if note and verdict != "different" else ""
        if note and verdict == "different":
            note_html = f'<pre class="note diff">{html.escape(note)}</pre>'
        out.append(
            f'<details class="output v-border-{slug(verdict)}" data-verdict="{html.escape(verdict)}"'
            f"{'' if same else ' open'}>{anchors}"
            f'<summary><span class="v v-{slug(verdict)}">{SHORT[verdict]}</span> {html.escape(where(members))}: '
            f"{html.escape(label)}</summary>"
            f"{transcript_html(None if lines is None else list(lines), marked, declared_lines)}{note_html}</details>"
        )
    return "".join(out)


def pitfall_anchor(number: int) -> str:
    return f"pitfall-{number}"


def pairs_showing(number: int, attribute: str) -> list[str]:
    return [name for name, pair in PAIRS.items() if number in getattr(pair, attribute)]


def pair_links(names: list[str], prefix: str) -> str:
    return ", ".join(f"[`{name}`]({prefix}{name}.md)" for name in names)


def pair_page(pair: Pair, results: Results) -> str:
    legacy_source = read_source(ROOT / "legacy" / f"{pair.name}.py")
    modern_source = read_source(ROOT / "modern" / f"{pair.name}.py")
    blocks = side_by_side.align(legacy_source, modern_source)
    part = dict(PARTS)[pair.part]
    out = [
        "---\nhide-toc: true\n---\n",
        f"# `{pair.name}`\n",
        f"*{part}* · [all verdicts](../index.md#verdicts-modern)\n",
        f"**What it shows:** {pair.shows}\n",
        "| | Python 2 | Python 3 | why |\n|---|---|---|---|",
        f"| idiom | {md_cell(pair.python2)} | {md_cell(pair.python3)} | {md_cell(pair.why)} |\n",
    ]
    out.append("## Verdicts\n")
    kinds = [kind for kind in results.kinds() if results.cells[kind].get(pair.name)]
    if kinds:
        for kind in kinds:
            out.append(f"{KINDS.get(kind, kind)}: its row of [the matrix](../index.md#verdicts-{slug(kind)}).\n")
            out.append(raw(matrix(results, kind, "", only=pair.name)))
    else:
        out.append("This pair is not in the results file.\n")
    counted = side_by_side.counts(blocks)
    out.append("## The two programs, side by side\n")
    out.append(
        f"`legacy/{pair.name}.py` on the left, its modern program `modern/{pair.name}.py` on the "
        "right, aligned function by function.\n"
    )
    out.append(
        raw(f'<div id="programs">{change_legend(counted)}{side_by_side_html(legacy_source, modern_source)}</div>')
    )
    out.append("## What they print\n")
    out.append(
        "Transcripts as compared: exit code, stdout (`out:`), stderr (`err:`), after the normalisation of "
        "process ids, addresses and traceback frames. Lines that differ from the legacy output are marked.\n"
    )
    legacy = results.legacy(pair.name)
    if legacy:
        out.append(f"### Legacy, Python {legacy.get('python', '?')} ({legacy.get('source', '?')})\n")
        out.append(raw(f'<div class="output legacy-output">{transcript_html(legacy.get("transcript"))}</div>'))
    for kind in kinds:
        out.append(f"### {KINDS.get(kind, kind)}\n")
        out.append(
            raw(f'<div class="outputs" data-kind="{html.escape(kind)}">{outputs_html(results, kind, pair.name)}</div>')
        )
    if pair.differences:
        out.append("## Declared differences\n")
        out.append("What no faithful Python 3 program can hide, applied to the legacy transcript only.\n")
        applied: dict[tuple[str, str], set[int]] = defaultdict(set)
        for kind in kinds:
            for row in results.rows(kind, pair.name):
                for declared in row.get("declared") or []:
                    applied[(declared["legacy"], declared["modern"])].add(declared.get("lines", 0))
        out.append("| Python 2 prints | Python 3 prints | why | lines it applies to |\n|---|---|---|---|")
        for difference in pair.differences:
            counts = applied.get((difference.legacy, difference.modern))
            shown = ", ".join(str(n) for n in sorted(counts)) if counts else "—"
            out.append(
                f"| `{md_cell(difference.legacy)}` | `{md_cell(difference.modern)}` | {md_cell(difference.why)} "
                f"| {shown} |"
            )
        out.append("")
    if pair.pitfalls:
        out.append("## Pitfalls it shows\n")
        for number in pair.pitfalls:
            title, text = PITFALLS[number - 1]
            others = [name for name in pairs_showing(number, "pitfalls") if name != pair.name]
            also = f" Also shown by {pair_links(others, '')}." if others else ""
            out.append(f"**[{number}.](../pitfalls.md#{pitfall_anchor(number)}) {title}.** {text}{also}\n")
    if pair.claims:
        out.append("## The article's claims it checks\n")
        out.append("| claim (article) | checked by | verdict |\n|---|---|---|")
        for number in pair.claims:
            claim, checked_by, verdict = CLAIMS[number - 1]
            names = [n.strip() for n in checked_by.split(",") if n.strip()]
            out.append(f"| {md_cell(claim)} | {md_cell(pair_links(names, ''))} | {md_cell(verdict)} |")
        out.append("")
    return "\n".join(out)


def index_page(results: Results) -> str:
    beyond = sum(pair.part != "article" for pair in PAIRS.values())
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
            "Each legacy program runs on Python 2.7, its modern program on every Python 3 under fork, spawn and "
            "forkserver, "
            "and their normalised transcripts are compared."
        ),
        (
            "Each pair's page shows the two programs side by side, what they print, the pitfalls and the article's "
            "claims it checks.\n"
        ),
    ]
    if results.generated:
        out.append(f"Results generated {results.generated}.\n")
    out.append(raw(legend()))
    for kind in results.kinds():
        title = "Verdicts" if kind == "modern" else f"Verdicts, {KINDS.get(kind, kind)}"
        out.append(f"({'verdicts-' + slug(kind)})=\n## {title}\n")
        if kind != "modern":
            out.append(f"The results' rows of kind `{kind}`, against the same legacy transcripts.\n")
            expected = sorted(
                {
                    f"`{row['pair']}` under {row['modern']['start_method']}: {row['verdict']}, as its data expects"
                    f" ({row['expected']['why']})"
                    for pair in results.cells[kind].values()
                    for row in pair.values()
                    if row.get("as_expected") and (row.get("expected") or {}).get("why")
                }
            )
            out.extend(f"- {line}" for line in expected)
            out.append("")
        out.append(raw(matrix(results, kind, "pairs/")))
    out.append("```{toctree}\n:hidden:\n:caption: From the article\n")
    out.extend(f"pairs/{name}" for name, pair in PAIRS.items() if pair.part == "article")
    out.append("```\n\n```{toctree}\n:hidden:\n:caption: Beyond the article\n")
    out.extend(f"pairs/{name}" for name, pair in PAIRS.items() if pair.part != "article")
    out.append("```\n\n```{toctree}\n:hidden:\n:caption: Reference\n\npitfalls\nclaims\nresults-schema\n```\n")
    return "\n".join(out)


def pitfalls_page() -> str:
    out = ["# Pitfalls the matrix found\n"]
    for number, (title, text) in enumerate(PITFALLS, start=1):
        shown = pairs_showing(number, "pitfalls")
        also = f"\n\nShown by {pair_links(shown, 'pairs/')}." if shown else ""
        out.append(f"({pitfall_anchor(number)})=\n## {number}. {title}\n\n{text}{also}\n")
    return "\n".join(out)


def claims_page() -> str:
    out = ["# The article's claims, checked\n", "| claim (article) | checked by | verdict |", "|---|---|---|"]
    for claim, checked_by, verdict in CLAIMS:
        names = [n.strip() for n in checked_by.split(",") if n.strip()]
        out.append(f"| {md_cell(claim)} | {md_cell(pair_links(names, 'pairs/'))} | {md_cell(verdict)} |")
    return "\n".join(out) + "\n"


def generate(results: Results, source: Path) -> None:
    (source / "pairs").mkdir(parents=True, exist_ok=True)
    shutil.copy(DOCS / "conf.py", source / "conf.py")
    shutil.copytree(DOCS / "_static", source / "_static", dirs_exist_ok=True)
    shutil.copy(DOCS / "results-schema.md", source / "results-schema.md")
    (source / "index.md").write_text(index_page(results), encoding="utf-8")
    (source / "pitfalls.md").write_text(pitfalls_page(), encoding="utf-8")
    (source / "claims.md").write_text(claims_page(), encoding="utf-8")
    for pair in PAIRS.values():
        (source / "pairs" / f"{pair.name}.md").write_text(pair_page(pair, results), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True, type=Path, help="results JSON (python3 -m portcheck --json FILE)")
    parser.add_argument("--out", required=True, type=Path, help="directory for the HTML site")
    parser.add_argument("--source", type=Path, help="keep the generated Sphinx source here (default: a temporary one)")
    parser.add_argument("--quiet", action="store_true", help="only warnings and errors from sphinx-build")
    args = parser.parse_args(argv)
    try:
        results = Results(load_results(args.results))
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="site-source-") as temporary:
        source = args.source or Path(temporary)
        generate(results, source)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-n", "--keep-going"]
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
