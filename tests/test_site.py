"""The documentation site, built from a results file and read in headless Chromium.

Builds the site with docs/build.py into a temporary directory, opens the index and every pair
page through file:// URLs, and checks by element that each pair page shows both programs side by
side, what they really printed and their verdicts, linked to the matrix; that the index and every
matrix name each Python of the matrix (3.8 to 3.14) the results have nothing from, and each Python
where 2to3 was not run; and follows every internal link of the site to a page and an anchor that
exist. Full-page screenshots go to $SITE_SCREENSHOTS (default: the temporary directory).

Each page is read by one script (read_page), which gathers everything the tests check from it as
one structure: every WebDriver command is a round trip from pytest to chromedriver to Chromium,
tens of milliseconds each on a busy machine, and reading a page element by element made hundreds.
The script judges what is shown and reads attributes with the very functions Selenium's
is_displayed() and get_attribute() run (its atoms), and opens the collapsed outputs as a click does.

Results: $SITE_RESULTS if set (tox -e docs passes the merged results of every test env, and in
$SITE_BUILT the site it built from them, which is read rather than built again), else the
committed docs/sample-results.json: a real run's on Python 3.13 and 3.8 (`portcheck --json FILE`
on each, merged by `python -m maint results`), to be made again when a pair is added.
Needs docs/requirements.txt installed (tox -e docs); without Sphinx or Selenium the module is
skipped. Without /usr/bin/chromium or chromedriver it is skipped too, except in CI (CI=true),
where that is a failure.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from docs.data import pair_names, settings
from docs.lessons import claims_of, pitfalls_of
from portcheck.interpreters import PYTHON3_MINORS
from portcheck.model import DiffLine, Observation, Port, Result, Verdict
from portcheck.normalise import status_line
from portcheck.publish import json as json_results
from portcheck.side_by_side import align

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
RESULTS = Path(os.environ.get("SITE_RESULTS") or DOCS / "sample-results.json")
KINDS = ("modern", "mechanical")
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

pytest.importorskip("sphinx", reason="Sphinx is not installed: run through tox -e docs (docs/requirements.txt)")
pytest.importorskip("furo", reason="furo is not installed: run through tox -e docs (docs/requirements.txt)")
pytest.importorskip("myst_parser", reason="myst-parser is not installed: run through tox -e docs")
webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed: run through tox -e docs")
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from docs import build  # noqa: E402  (after the skips: it needs Pygments, which comes with Sphinx)


@functools.lru_cache(maxsize=None)
def results() -> tuple[Result, ...]:
    return tuple(json_results.read(RESULTS))


def minor(release: str) -> str:
    return ".".join(release.split(".")[:2])


def shown_lines(observation: Observation) -> list[str]:
    """What a run really printed, as the site must show it: the exit, each line as printed, the leftovers."""
    leftovers = [f"leftover processes killed: {observation.leftovers}"] if observation.leftovers else []
    return [status_line(observation), *(f"{line.stream}: {line.text}" for line in observation.lines), *leftovers]


def expected_cells(name: str, rows: tuple[Result, ...] | None = None) -> dict[str, dict[tuple[str, str], str]]:
    cells: dict[str, dict[tuple[str, str], str]] = {}
    for row in results() if rows is None else rows:
        if row.name == name:
            cells.setdefault(row.kind, {})[(row.python, row.start_method)] = str(row.verdict)
    return cells


def missing_pythons(rows: tuple[Result, ...]) -> list[str]:
    """The Pythons of the matrix that the results have nothing from."""
    present = {minor(row.python) for row in rows}
    return [f"3.{number}" for number in PYTHON3_MINORS if f"3.{number}" not in present]


def not_run(rows: tuple[Result, ...], kind: str) -> list[str]:
    """The Pythons the results come from that have no row of `kind`."""
    releases = {row.python for row in rows}
    return sorted(
        (release for release in releases if not any(row.python == release and row.kind == kind for row in rows)),
        key=lambda release: tuple(map(int, release.split("."))),
    )


def browser_paths() -> tuple[str, str]:
    chromium = os.environ.get("CHROMIUM") or next(
        (path for path in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if path),
        None,
    )
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    missing = [
        name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path or not Path(path).exists()
    ]
    if missing:
        message = f"{' and '.join(missing)} not found: apt-get install -y chromium chromium-driver"
        if IN_CI:
            pytest.fail(f"{message} (CI requires them)")
        pytest.skip(message)
    return chromium, driver  # type: ignore[return-value]


def build_site(results_file: Path, out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(DOCS / "build.py"), "--results", str(results_file), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"docs/build.py failed:\n{done.stdout}\n{done.stderr}"
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "sphinx-build warned:\n" + "\n".join(warnings)
    return out


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("site")


@pytest.fixture(scope="module")
def screenshots(work: Path) -> Path:
    directory = Path(os.environ.get("SITE_SCREENSHOTS") or work / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="module")
def site(work: Path) -> Path:
    built = os.environ.get("SITE_BUILT")  # tox -e docs has just built it from $SITE_RESULTS: read that one
    if built and os.environ.get("SITE_RESULTS") and (Path(built) / "index.html").exists():
        return Path(built)
    return build_site(RESULTS, work / "html")


@pytest.fixture(scope="module")
def browser(work: Path):
    chromium, driver_path = browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={work / 'chromium-profile'}")
    options.add_argument("--window-size=1600,1000")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(browser, path: Path) -> None:
    browser.get(path.as_uri())
    # get() waits for the load, but a busy machine has been seen to hand the page back still loading
    WebDriverWait(browser, 30).until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def full_page_screenshot(browser, path: Path) -> None:
    """The whole page, not just the window: through the DevTools protocol where it answers. Only where
    someone asked for them ($SITE_SCREENSHOTS): rendering every page whole costs more than reading it."""
    if not os.environ.get("SITE_SCREENSHOTS"):
        return
    width = browser.execute_script("return Math.max(document.documentElement.scrollWidth, window.innerWidth)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    try:
        shot = browser.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 16000), "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    except Exception:  # not Chromium's driver: the window is what we get
        browser.save_screenshot(str(path))


# What the tests read from a page, in the order they read it: what opening the outputs could change
# (the width of the page, where the programs stand) before they are opened. `shown` and `attribute`
# are Selenium's own (page_script); an element's text is WebDriver's: as rendered, none if not shown.
PAGE_JS = r"""
const all = (root, selector) => [...root.querySelectorAll(selector)];
const maybe = (element, read) => (element ? read(element) : null);
const text = (element) => (shown(element) ? element.innerText.replace(/\u00a0/g, " ").trim() : "");
const lines = (pre) => [...pre.children].map((line) => line.textContent);
// WebDriver's element rect: where the element is on the page, its size in whole pixels
const rect = (element) => {
  const box = element.getBoundingClientRect();
  const [width, height] = [Math.round(box.width), Math.round(box.height)];
  return {x: box.x + window.scrollX, y: box.y + window.scrollY, width, height};
};
// WebDriver's value of a colour: rgba() always
const colour = (value) => value.replace(/^rgb\((.*)\)$/, "rgba($1, 1)");
const matrix = (table) => ({
  kind: attribute(table, "data-kind"),
  parts: all(table, "tr.part th").map(text),
  heads: all(table, "thead th.py").map(text),
  absent: all(table, "thead th.absent").map((th) => ({
    python: attribute(th, "data-absent"),
    patch: maybe(th.querySelector(".patch"), text),
    shown: shown(th),
    title: attribute(th, "title"),
  })),
  rows: all(table, "tr[data-pair]").map((row) => ({
    pair: attribute(row, "data-pair"),
    verdicts: all(row, "td.v:not(.overall)").map((cell) => attribute(cell, "data-verdict")),
    absent: all(row, "td.absent").length,
    links: all(row, "td.v a").map((link) => ({href: attribute(link, "href"), shown: shown(link)})),
    back: maybe(row.querySelector("th.pair a"), (link) => attribute(link, "href")),
  })),
  // what is said under the matrix: the element after its wrapper
  note: maybe(table.parentElement && table.parentElement.nextElementSibling, (note) => ({
    class: attribute(note, "class"),
    absent: attribute(note, "data-absent"),
    shown: shown(note),
    text: text(note),
  })),
});
// A collapsed output opened as a reader opens it, by a click on its summary, scrolled to the middle of
// the window: whether that click reaches the summary (nothing covers it), as WebDriver's click checks.
const openByClick = (summary) => {
  summary.scrollIntoView({block: "center", behavior: "instant"});
  const box = summary.getClientRects()[0];
  const reached = box && document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  summary.click();
  return summary.contains(reached);
};
const outputs = (kind) => {
  const within = `.outputs[data-kind="${CSS.escape(kind)}"]`;
  return {
    boxes: all(document, `${within} details.output`).map((details) => {
      const summary = details.querySelector("summary");
      const box = {summary: maybe(summary, (it) => ({shown: shown(it), text: text(it)})), reached: true};
      if (summary && attribute(details, "open") === null) box.reached = openByClick(summary);
      box.transcript_shown = maybe(details.querySelector("pre.transcript"), shown);
      return box;
    }),
    transcripts: all(document, `${within} pre.transcript:not(.none)`).map(lines),
    diffs: all(document, `${within} pre.diff`).map((pre) =>
      [...pre.children].map((line) => [line.dataset.mark, line.textContent])),
  };
};

const page = {};
// every script, stylesheet and image the page loads
page.loads = all(document, "script[src], link[rel=stylesheet], img").map((element) => element.src || element.href);
// no horizontal scrolling of the page itself (a wide table scrolls inside its own box)
page.fits = document.documentElement.scrollWidth <= window.innerWidth;
page.h1 = maybe(document.querySelector("article h1"), text);
page.side_by_side = maybe(document.querySelector("table.sbs"), (table) => {
  const legacy = all(table, "td.code.legacy:not(.empty)");
  const modern = all(table, "td.code.modern:not(.empty)");
  return {
    shown: shown(table),
    legacy_lines: legacy.length,
    modern_lines: modern.length,
    blocks: all(table, "tbody.block").map((block) => attribute(block, "data-block")),
    first_cells: [maybe(legacy[0], rect), maybe(modern[0], rect)],
    changes: all(table, "tr.r-changed, tr.r-added, tr.r-removed").length,
    highlighted: all(table, "td.code span.k").length,
  };
});
page.wrap_fits = maybe(document.querySelector(".sbs-wrap"), (wrap) => wrap.scrollWidth <= wrap.clientWidth + 1);
page.legacy_outputs = all(document, ".legacy-output pre.transcript").map((pre) => ({
  shown: shown(pre),
  first: maybe(pre.querySelector("span.t"), text),
  lines: lines(pre),
}));
const kinds = new Set(all(document, ".outputs[data-kind]").map((element) => attribute(element, "data-kind")));
page.outputs = Object.fromEntries([...kinds].map((kind) => [kind, outputs(kind)]));
page.matrices = all(document, "table.matrix").map(matrix);
page.cell_links = all(document, "table.matrix td.v a").map((link) => {
  const anchor = (attribute(link, "href") || "").split("#")[1];
  if (anchor === undefined) return {anchor: null, found: false};
  return {anchor, found: document.getElementById(anchor) !== null};
});
page.colours = all(document, "table.matrix td.v[data-verdict]").map((cell) =>
  [attribute(cell, "data-verdict"), colour(getComputedStyle(cell).backgroundColor)]);
const said = (p) => ({
  kind: attribute(p, "data-kind"),
  absent: attribute(p, "data-absent"),
  shown: shown(p),
  text: text(p),
});
page.absent = maybe(document.querySelector("#this-build p.absent"), said);
page.not_run = all(document, "#this-build p.not-run").map(said);
page.headings = all(document, "article h2").map(text);
window.scrollTo({top: 0, behavior: "instant"});
return page;
"""


@functools.lru_cache(maxsize=None)
def page_script() -> str:
    """PAGE_JS, after the functions that Selenium's WebElement.is_displayed() and get_attribute() send the
    browser for each element (its atoms, shipped with it): the same judgement, made in one round trip."""
    atom = functools.partial(pkgutil.get_data, "selenium.webdriver.remote")
    return (
        f"const shown = ({atom('isDisplayed.js').decode('utf-8')});\n"
        f"const attribute = ({atom('getAttribute.js').decode('utf-8')});\n{PAGE_JS}"
    )


def read_page(browser) -> dict:
    """Everything the tests check on the page now open, read in one script (PAGE_JS); it leaves every
    output open and the page scrolled to the top."""
    return browser.execute_script(page_script())


def local_only(page: dict) -> list[str]:
    """Every script, stylesheet and image the page loads that does not come from the file system."""
    return [url for url in page["loads"] if not url.startswith("file://")]


def matrix_of(page: dict, kind: str) -> dict:
    """The page's first matrix of `kind`."""
    found = [matrix for matrix in page["matrices"] if matrix["kind"] == kind]
    assert found, f'no table.matrix[data-kind="{kind}"] on the page'
    return found[0]


def absent_columns(matrix: dict) -> dict[str, str]:
    """The columns of a matrix that stand for a Python without verdicts: the Python, and what its head says."""
    return {head["python"]: head["patch"] for head in matrix["absent"]}


def expected_absent(rows: tuple[Result, ...], kind: str) -> dict[str, str]:
    return {
        **dict.fromkeys(missing_pythons(rows), "no results"),
        **dict.fromkeys(not_run(rows, kind), "not run"),
    }


def test_results_file_matches_its_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed: run through tox -e docs")
    schema = json.loads((DOCS / "results.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(RESULTS.read_text(encoding="utf-8")), schema)


def test_index_shows_the_matrix(site: Path, browser, screenshots: Path) -> None:
    open_page(browser, site / "index.html")
    full_page_screenshot(browser, screenshots / "index.png")
    page = read_page(browser)
    assert local_only(page) == []
    assert page["fits"]
    matrices = {matrix["kind"]: matrix for matrix in page["matrices"]}
    assert set(matrices) == set(KINDS)
    for kind, matrix in matrices.items():
        assert matrix["parts"] == ["From the article", "Beyond the article"]
        rows = matrix["rows"]
        assert [row["pair"] for row in rows] == build.pairs_in_order()
        for row in rows:
            name = row["pair"]
            expected = expected_cells(name).get(kind, {})
            shown = sorted(verdict for verdict in row["verdicts"] if verdict)
            assert shown == sorted(expected.values()), (kind, name)
            for link in row["links"]:
                assert link["href"].split("#")[0].endswith(f"/pairs/{name}.html")
                assert link["shown"]
    colours = dict(page["colours"])
    assert len(set(colours.values())) == len(colours), f"each verdict has its own colour: {colours}"


def test_index_names_the_pythons_without_results(site: Path, browser) -> None:
    """Every Python of the matrix (3.8 to 3.14) has verdicts on the index, or the index says it has none, and why."""
    open_page(browser, site / "index.html")
    page = read_page(browser)
    rows = results()
    missing = missing_pythons(rows)
    said = page["absent"]
    assert said, "no #this-build p.absent on the index"
    assert said["shown"]
    assert said["absent"].split() == missing
    if missing:
        text = said["text"]
        assert text.startswith("No results from Python ")
        assert "in this build" in text
        assert "the results file it was built from holds none" in text
        for python in missing:
            assert python in text
    for kind in KINDS:
        gone = not_run(rows, kind)
        told = [p for p in page["not_run"] if p["kind"] == kind]
        assert [p["absent"].split() for p in told] == ([gone] if gone else [])
        matrix = matrix_of(page, kind)
        assert absent_columns(matrix) == expected_absent(rows, kind)
        if missing or gone:  # said under the matrix too
            note = matrix["note"]
            assert note, f"nothing after the {kind} matrix"
            assert note["class"] == "absent-note"
            assert note["shown"]
            assert set(note["absent"].split()) == set(expected_absent(rows, kind))
            for python in missing:
                assert python in note["text"]
            assert all(f"was not run on Python {minor(release)} in this build" in note["text"] for release in gone)
        # every Python with results has its columns in every matrix, or a column that says the kind was not run
        heads = " ".join(matrix["heads"])
        for release in {row.python for row in rows}:
            assert release in heads or release in gone, (kind, release)
        for row in matrix["rows"]:
            assert row["absent"] == len(expected_absent(rows, kind))


def test_a_python_without_2to3_rows_says_so(work: Path, browser, screenshots: Path) -> None:
    """Results from a Python with rows of the modern programs and none of 2to3: the 2to3 column was not run there."""
    rows = results()
    oldest = min({row.python for row in rows}, key=lambda release: tuple(map(int, release.split("."))))
    without = [row for row in rows if not (row.python == oldest and row.kind is Port.MECHANICAL)]
    assert len(without) < len(rows), "the results have no 2to3 rows to leave out"
    results_file = work / "without-2to3.json"
    json_results.write(without, results_file)
    site = build_site(results_file, work / "html-without-2to3")
    open_page(browser, site / "index.html")
    page = read_page(browser)
    told = [p for p in page["not_run"] if p["kind"] == "mechanical"]
    assert told, 'no #this-build p.not-run[data-kind="mechanical"] on the index'
    assert told[0]["shown"]
    assert told[0]["absent"] == " ".join(not_run(tuple(without), "mechanical"))  # the build's others, if any, too
    assert told[0]["text"].startswith(f"2to3 was not run on Python {minor(oldest)}")
    matrix = matrix_of(page, "mechanical")
    assert absent_columns(matrix)[oldest] == "not run"
    assert oldest not in absent_columns(matrix_of(page, "modern"))
    head = [head for head in matrix["absent"] if head["python"] == oldest]
    assert head, f"the 2to3 matrix has no head for Python {oldest}"
    assert head[0]["shown"]
    assert "2to3 was not run" in head[0]["title"]
    full_page_screenshot(browser, screenshots / "index-without-2to3.png")
    name = next(row.name for row in rows if row.python == oldest and row.kind is Port.MECHANICAL)
    open_page(browser, site / "pairs" / f"{name}.html")
    matrix = matrix_of(read_page(browser), "mechanical")
    assert absent_columns(matrix)[oldest] == "not run"


@pytest.mark.parametrize("name", pair_names())
def test_pair_page(site: Path, browser, screenshots: Path, name: str) -> None:
    open_page(browser, site / "pairs" / f"{name}.html")
    page = read_page(browser)
    assert local_only(page) == []
    assert page["fits"]
    assert page["h1"].startswith(name)

    # both programs, side by side, aligned by block
    table = page["side_by_side"]
    assert table, "no table.sbs on the page"
    assert table["shown"]
    legacy_source = (ROOT / "legacy" / f"{name}.py").read_text(encoding="utf-8")
    modern_source = (ROOT / "modern" / f"{name}.py").read_text(encoding="utf-8")
    assert table["legacy_lines"] == len(legacy_source.splitlines())
    assert table["modern_lines"] == len(modern_source.splitlines())
    blocks = table["blocks"]
    assert blocks == [block.key for block in align(legacy_source, modern_source)]
    assert "main" in blocks
    first, second = table["first_cells"]
    assert second["x"] > first["x"] + first["width"] - 1, "the modern program is beside the legacy one"
    narrowest = min(first["width"], second["width"])
    assert narrowest >= 380, f"columns too narrow: {first['width']}, {second['width']}"
    assert page["wrap_fits"]
    assert table["changes"], "no change marked"
    assert table["highlighted"], "no syntax highlighting"

    # what the programs really printed: the legacy runs compared against, then each kind's runs
    rows = [row for row in results() if row.name == name]
    legacy_outputs = page["legacy_outputs"]
    assert legacy_outputs
    for output in legacy_outputs:
        assert output["shown"]
        assert output["first"].startswith("exit code:")
    shown_legacy = sorted(output["lines"] for output in legacy_outputs)
    runs = {tuple(shown_lines(row.legacy)) for row in rows if row.legacy}
    assert shown_legacy == sorted(map(list, runs)) or (not runs and len(shown_legacy) == 1)
    expected = expected_cells(name)
    for kind in expected:
        outputs = page["outputs"].get(kind, {"boxes": [], "transcripts": [], "diffs": []})
        assert outputs["boxes"], kind
        for output in outputs["boxes"]:
            summary = output["summary"]
            assert summary["shown"]
            assert summary["text"]
            # collapsed (alike): one click away, on a summary nothing covers
            assert output["reached"], f"a click on {summary['text']!r} reaches something else"
            assert output["transcript_shown"]
        transcripts = outputs["transcripts"]
        diffs = outputs["diffs"]
        for row in rows:
            if row.kind != kind:
                continue
            if row.modern is not None:
                assert shown_lines(row.modern) in transcripts, (kind, row.python, row.start_method)
            if row.diff:
                lines = [
                    [line.mark, ("" if line.mark == "@" else line.mark) + line.text + line.note] for line in row.diff
                ]
                assert lines in diffs, (kind, row.python, row.start_method)

    # its verdicts, from the matrix and linked back to it, with the Pythons it has no verdicts from
    for kind, cells in expected.items():
        matrix = matrix_of(page, kind)
        row = [row for row in matrix["rows"] if row["pair"] == name]
        assert row, f"the {kind} matrix has no row of {name}"
        shown = sorted(row[0]["verdicts"])
        assert shown == sorted(cells.values())
        back = row[0]["back"]
        assert back.split("#")[0].endswith("/index.html")
        assert "#verdicts-" in back
        assert absent_columns(matrix) == expected_absent(results(), kind)
    for link in page["cell_links"]:
        assert link["found"], f"cell links to #{link['anchor']}, which is not on the page"

    full_page_screenshot(browser, screenshots / f"pair-{name}.png")  # read_page scrolled to the top

    headings = [heading.replace("\u2019", "'") for heading in page["headings"]]
    assert ("Declared differences" in headings) == bool(settings(name).differences)
    assert ("Pitfalls it shows" in headings) == bool(pitfalls_of(name))
    assert ("The article's claims it checks" in headings) == bool(claims_of(name))


def test_every_internal_link_resolves(site: Path, browser) -> None:
    """From the index, every link within the site is followed: its page exists, and so does its #anchor."""
    root = site.resolve()
    ids: dict[Path, set[str]] = {}
    links: dict[Path, list[str]] = {}
    queue = [root / "index.html"]
    while queue:
        page = queue.pop()
        if page in ids:
            continue
        open_page(browser, page)
        found = browser.execute_script(
            "return {ids: [...document.querySelectorAll('[id]')].map(e => e.id)"
            ".concat([...document.querySelectorAll('a[name]')].map(e => e.name)),"
            " links: [...document.querySelectorAll('a[href]')].map(a => a.href)}"
        )
        ids[page] = set(found["ids"])
        links[page] = found["links"]
        for link in links[page]:
            url = urlparse(link)
            target = Path(unquote(url.path))
            if url.scheme == "file" and target.suffix == ".html" and target.is_file() and root in target.parents:
                queue.append(target)
    broken = []
    for page, found in links.items():
        for link in found:
            url, anchor = urldefrag(link)
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https", "mailto"):
                continue  # outside the site
            target = Path(unquote(parsed.path))
            where = f"{page.relative_to(root)} links to {link}"
            if parsed.scheme != "file" or root not in target.parents:
                broken.append(f"{where}: outside the site")
            elif not target.is_file():
                broken.append(f"{where}: no such file")
            elif anchor and target.suffix == ".html" and unquote(anchor) not in ids.get(target, set()):
                broken.append(f"{where}: no such anchor")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(sorted(set(broken))[:50])
    pages = {page.relative_to(root).as_posix() for page in ids}
    assert {f"pairs/{name}.html" for name in pair_names()} <= pages
    assert {"index.html", "pitfalls.html", "claims.html", "results-schema.html"} <= pages
    assert sum(len(found) for found in links.values()) > 1000


def test_rows_without_a_transcript_build(tmp_path: Path) -> None:
    """An error or not-applicable row may have no modern run, and a different one a diff with accepted lines:
    its page still builds, and says so."""
    rows = list(results())
    row = next(row for row in rows if row.kind is Port.MODERN and row.legacy is not None and row.modern is not None)
    python = f"3.{PYTHON3_MINORS[-1]}.0"
    added = [
        Result(row.name, Port.MODERN, python, "fork", Verdict.ERROR, note="legacy hung: killed after its 30 s timeout"),
        Result(
            row.name, Port.MODERN, python, "spawn", Verdict.NOT_APPLICABLE, legacy=row.legacy, note="no such method"
        ),
        dataclasses.replace(
            row,
            python=python,
            start_method="forkserver",
            verdict=Verdict.DIFFERENT,
            diff=(
                DiffLine(" ", "exit code: 0"),
                DiffLine("~", "out: took 0.31 s", "noise: legacy printed 'out: took 0.12 s'"),
                DiffLine("-", "out: only legacy"),
                DiffLine("+", "out: only modern"),
            ),
        ),
    ]
    results_file = tmp_path / "results.json"
    json_results.write(rows + added, results_file)
    source = tmp_path / "src"
    build.generate(build.load_results(results_file), source)
    page = (source / "pairs" / f"{row.name}.md").read_text(encoding="utf-8")
    assert "no transcript" in page
    assert "legacy hung: killed" in page
    assert 'data-mark="~"' in page
    assert "noise: legacy printed &#x27;out: took 0.12 s&#x27;" in page
    index = (source / "index.md").read_text(encoding="utf-8")
    assert 'data-verdict="not applicable"' in index
    assert f'data-absent="{python[:-2]}"' not in index  # the results now have a row from it
