"""The documentation site, built from a results file and read in headless Chromium.

Builds the site with docs/build.py into a temporary directory, opens the index and every pair
page through file:// URLs, and checks by element that each pair page shows both programs side by
side, what they really printed and their verdicts, linked to the matrix; that the index and every
matrix name each Python of the matrix (3.8 to 3.14) the results have nothing from, and each Python
where 2to3 was not run; and follows every internal link of the site to a page and an anchor that
exist. Full-page screenshots go to $SITE_SCREENSHOTS (default: the temporary directory).

Results: $SITE_RESULTS if set (tox -e docs passes the merged results of every test env), else the
committed docs/sample-results.json: a real run's on Python 3.13 and 3.8 (`portcheck --json FILE`
on each, merged by `python -m tests.maintenance results`), to be made again when a pair is added.
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
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from docs.data import pair_names, settings
from docs.lessons import claims_of, pitfalls_of
from portcheck.interpreters import PYTHON3_MINORS
from portcheck.model import DiffLine, Observation, Result, Verdict
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
from selenium.webdriver.common.by import By  # noqa: E402
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


def local_only(browser) -> list[str]:
    """Every script, stylesheet and image the page loads that does not come from the file system."""
    urls = browser.execute_script(
        "return [...document.querySelectorAll('script[src], link[rel=stylesheet], img')].map(e => e.src || e.href)"
    )
    return [url for url in urls if not url.startswith("file://")]


def fits_the_window(browser) -> bool:
    """No horizontal scrolling of the page itself (a wide table scrolls inside its own box)."""
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def text_lines(element) -> list[str]:
    """The lines of a transcript or a diff, exactly as the page holds them (leading spaces included)."""
    return element.parent.execute_script("return [...arguments[0].children].map(line => line.textContent)", element)


def absent_columns(matrix) -> dict[str, str]:
    """The columns of a matrix that stand for a Python without verdicts: the Python, and what its head says."""
    return {
        th.get_attribute("data-absent"): th.find_element(By.CSS_SELECTOR, ".patch").text
        for th in matrix.find_elements(By.CSS_SELECTOR, "thead th.absent")
    }


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
    assert local_only(browser) == []
    assert fits_the_window(browser)
    matrices = {
        table.get_attribute("data-kind"): table for table in browser.find_elements(By.CSS_SELECTOR, "table.matrix")
    }
    assert set(matrices) == set(KINDS)
    for kind, matrix in matrices.items():
        parts = [th.text for th in matrix.find_elements(By.CSS_SELECTOR, "tr.part th")]
        assert parts == ["From the article", "Beyond the article"]
        rows = matrix.find_elements(By.CSS_SELECTOR, "tr[data-pair]")
        assert [row.get_attribute("data-pair") for row in rows] == build.pairs_in_order()
        for row in rows:
            name = row.get_attribute("data-pair")
            expected = expected_cells(name).get(kind, {})
            cells = row.find_elements(By.CSS_SELECTOR, "td.v:not(.overall)")
            shown = sorted(cell.get_attribute("data-verdict") for cell in cells if cell.get_attribute("data-verdict"))
            assert shown == sorted(expected.values()), (kind, name)
            for link in row.find_elements(By.CSS_SELECTOR, "td.v a"):
                assert link.get_attribute("href").split("#")[0].endswith(f"/pairs/{name}.html")
                assert link.is_displayed()
    colours = {
        cell.get_attribute("data-verdict"): cell.value_of_css_property("background-color")
        for cell in browser.find_elements(By.CSS_SELECTOR, "table.matrix td.v[data-verdict]")
    }
    assert len(set(colours.values())) == len(colours), f"each verdict has its own colour: {colours}"


def test_index_names_the_pythons_without_results(site: Path, browser) -> None:
    """Every Python of the matrix (3.8 to 3.14) has verdicts on the index, or the index says it has none, and why."""
    open_page(browser, site / "index.html")
    rows = results()
    missing = missing_pythons(rows)
    said = browser.find_element(By.CSS_SELECTOR, "#this-build p.absent")
    assert said.is_displayed()
    assert said.get_attribute("data-absent").split() == missing
    if missing:
        text = said.text
        assert text.startswith("No results from Python ")
        assert "in this build" in text
        assert "the results file it was built from holds none" in text
        for python in missing:
            assert python in text
    for kind in KINDS:
        gone = not_run(rows, kind)
        told = browser.find_elements(By.CSS_SELECTOR, f'#this-build p.not-run[data-kind="{kind}"]')
        assert [p.get_attribute("data-absent").split() for p in told] == ([gone] if gone else [])
        matrix = browser.find_element(By.CSS_SELECTOR, f'table.matrix[data-kind="{kind}"]')
        assert absent_columns(matrix) == expected_absent(rows, kind)
        if missing or gone:  # said under the matrix too
            note = matrix.find_element(By.XPATH, "../following-sibling::*[1]")
            assert note.get_attribute("class") == "absent-note"
            assert note.is_displayed()
            assert set(note.get_attribute("data-absent").split()) == set(expected_absent(rows, kind))
            for python in missing:
                assert python in note.text
            assert all(f"was not run on Python {minor(release)} in this build" in note.text for release in gone)
        # every Python with results has its columns in every matrix, or a column that says the kind was not run
        heads = " ".join(th.text for th in matrix.find_elements(By.CSS_SELECTOR, "thead th.py"))
        for release in {row.python for row in rows}:
            assert release in heads or release in gone, (kind, release)
        for row in matrix.find_elements(By.CSS_SELECTOR, "tr[data-pair]"):
            assert len(row.find_elements(By.CSS_SELECTOR, "td.absent")) == len(expected_absent(rows, kind))


def test_a_python_without_2to3_rows_says_so(work: Path, browser, screenshots: Path) -> None:
    """Results from a Python with rows of the modern programs and none of 2to3: the 2to3 column was not run there."""
    rows = results()
    oldest = min({row.python for row in rows}, key=lambda release: tuple(map(int, release.split("."))))
    without = [row for row in rows if not (row.python == oldest and row.kind == "mechanical")]
    assert len(without) < len(rows), "the results have no 2to3 rows to leave out"
    results_file = work / "without-2to3.json"
    json_results.write(without, results_file)
    site = build_site(results_file, work / "html-without-2to3")
    open_page(browser, site / "index.html")
    told = browser.find_element(By.CSS_SELECTOR, '#this-build p.not-run[data-kind="mechanical"]')
    assert told.is_displayed()
    assert told.get_attribute("data-absent") == oldest
    assert told.text.startswith(f"2to3 was not run on Python {minor(oldest)} in this build")
    matrix = browser.find_element(By.CSS_SELECTOR, 'table.matrix[data-kind="mechanical"]')
    assert absent_columns(matrix)[oldest] == "not run"
    assert oldest not in absent_columns(browser.find_element(By.CSS_SELECTOR, 'table.matrix[data-kind="modern"]'))
    head = matrix.find_element(By.CSS_SELECTOR, f'thead th.absent[data-absent="{oldest}"]')
    assert head.is_displayed()
    assert "2to3 was not run" in head.get_attribute("title")
    full_page_screenshot(browser, screenshots / "index-without-2to3.png")
    name = next(row.name for row in rows if row.python == oldest and row.kind == "mechanical")
    open_page(browser, site / "pairs" / f"{name}.html")
    matrix = browser.find_element(By.CSS_SELECTOR, 'table.matrix[data-kind="mechanical"]')
    assert absent_columns(matrix)[oldest] == "not run"


@pytest.mark.parametrize("name", pair_names())
def test_pair_page(site: Path, browser, screenshots: Path, name: str) -> None:
    page = site / "pairs" / f"{name}.html"
    open_page(browser, page)
    assert local_only(browser) == []
    assert fits_the_window(browser)
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text.startswith(name)

    # both programs, side by side, aligned by block
    table = browser.find_element(By.CSS_SELECTOR, "table.sbs")
    assert table.is_displayed()
    legacy_source = (ROOT / "legacy" / f"{name}.py").read_text(encoding="utf-8")
    modern_source = (ROOT / "modern" / f"{name}.py").read_text(encoding="utf-8")
    legacy_cells = table.find_elements(By.CSS_SELECTOR, "td.code.legacy:not(.empty)")
    modern_cells = table.find_elements(By.CSS_SELECTOR, "td.code.modern:not(.empty)")
    assert len(legacy_cells) == len(legacy_source.splitlines())
    assert len(modern_cells) == len(modern_source.splitlines())
    blocks = [block.get_attribute("data-block") for block in table.find_elements(By.CSS_SELECTOR, "tbody.block")]
    assert blocks == [block.key for block in align(legacy_source, modern_source)]
    assert "main" in blocks
    first, second = legacy_cells[0].rect, modern_cells[0].rect
    assert second["x"] > first["x"] + first["width"] - 1, "the modern program is beside the legacy one"
    narrowest = min(first["width"], second["width"])
    assert narrowest >= 380, f"columns too narrow: {first['width']}, {second['width']}"
    wrap = browser.find_element(By.CSS_SELECTOR, ".sbs-wrap")
    assert browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", wrap)
    assert table.find_elements(By.CSS_SELECTOR, "tr.r-changed, tr.r-added, tr.r-removed"), "no change marked"
    assert table.find_elements(By.CSS_SELECTOR, "td.code span.k"), "no syntax highlighting"

    # what the programs really printed: the legacy runs compared against, then each kind's runs
    rows = [row for row in results() if row.name == name]
    legacy_outputs = browser.find_elements(By.CSS_SELECTOR, ".legacy-output pre.transcript")
    assert legacy_outputs
    for output in legacy_outputs:
        assert output.is_displayed()
        assert output.find_elements(By.CSS_SELECTOR, "span.t")[0].text.startswith("exit code:")
    shown_legacy = sorted(text_lines(output) for output in legacy_outputs)
    runs = {tuple(shown_lines(row.legacy)) for row in rows if row.legacy}
    assert shown_legacy == sorted(map(list, runs)) or (not runs and len(shown_legacy) == 1)
    expected = expected_cells(name)
    for kind in expected:
        outputs = browser.find_elements(By.CSS_SELECTOR, f'.outputs[data-kind="{kind}"] details.output')
        assert outputs, kind
        for output in outputs:
            summary = output.find_element(By.TAG_NAME, "summary")
            assert summary.is_displayed()
            assert summary.text
            if output.get_attribute("open") is None:  # collapsed: alike, one click away
                browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary)
                summary.click()
            assert output.find_element(By.CSS_SELECTOR, "pre.transcript").is_displayed()
        transcripts = [
            text_lines(pre)
            for pre in browser.find_elements(By.CSS_SELECTOR, f'.outputs[data-kind="{kind}"] pre.transcript:not(.none)')
        ]
        diffs = [
            browser.execute_script(
                "return [...arguments[0].children].map(line => [line.dataset.mark, line.textContent])", pre
            )
            for pre in browser.find_elements(By.CSS_SELECTOR, f'.outputs[data-kind="{kind}"] pre.diff')
        ]
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
        matrix = browser.find_element(By.CSS_SELECTOR, f'table.matrix[data-kind="{kind}"]')
        row = matrix.find_element(By.CSS_SELECTOR, f'tr[data-pair="{name}"]')
        shown = sorted(
            cell.get_attribute("data-verdict") for cell in row.find_elements(By.CSS_SELECTOR, "td.v:not(.overall)")
        )
        assert shown == sorted(cells.values())
        back = row.find_element(By.CSS_SELECTOR, "th.pair a").get_attribute("href")
        assert back.split("#")[0].endswith("/index.html")
        assert "#verdicts-" in back
        assert absent_columns(matrix) == expected_absent(results(), kind)
    for cell in browser.find_elements(By.CSS_SELECTOR, "table.matrix td.v a"):
        anchor = cell.get_attribute("href").split("#")[1]
        assert browser.find_elements(By.ID, anchor), f"cell links to #{anchor}, which is not on the page"

    browser.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    full_page_screenshot(browser, screenshots / f"pair-{name}.png")

    headings = [h.text.replace("\u2019", "'") for h in browser.find_elements(By.CSS_SELECTOR, "article h2")]
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
        ids[page] = set(
            browser.execute_script(
                "return [...document.querySelectorAll('[id]')].map(e => e.id)"
                ".concat([...document.querySelectorAll('a[name]')].map(e => e.name))"
            )
        )
        links[page] = browser.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
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
    row = next(row for row in rows if row.kind == "modern" and row.legacy is not None and row.modern is not None)
    python = f"3.{PYTHON3_MINORS[-1]}.0"
    added = [
        Result(row.name, "modern", python, "fork", Verdict.ERROR, note="legacy hung: killed after its 30 s timeout"),
        Result(row.name, "modern", python, "spawn", Verdict.NOT_APPLICABLE, legacy=row.legacy, note="no such method"),
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
