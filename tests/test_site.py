"""The documentation site, built from a results file and read in headless Chromium.

Builds the site with docs/build.py into a temporary directory, opens the index and every pair
page through file:// URLs, and checks by element that each pair page shows both programs side by
side, the output and its verdicts, linked to the matrix. Full-page screenshots go to
$SITE_SCREENSHOTS (default: the temporary directory).

Results: $SITE_RESULTS if set (tox -e docs passes the report it has just run), else the committed
docs/sample-results.json: the rows for Python 3.8 and 3.13 of a real `maintenance results` run,
to be made again when a pair is added. Needs docs/requirements.txt installed (tox -e docs); without Sphinx or
Selenium the module is skipped. Without /usr/bin/chromium or chromedriver it is skipped too,
except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portcheck.side_by_side import align

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
RESULTS = Path(os.environ.get("SITE_RESULTS") or DOCS / "sample-results.json")
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

sys.path.insert(0, str(DOCS))
from build import PAIRS  # noqa: E402  (the pairs as the site shows them)


def results() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8"))


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
    out = work / "html"
    done = subprocess.run(
        [sys.executable, str(DOCS / "build.py"), "--results", str(RESULTS), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"docs/build.py failed:\n{done.stdout}\n{done.stderr}"
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "sphinx-build warned:\n" + "\n".join(warnings)
    return out


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
    assert browser.execute_script("return document.readyState") == "complete"


def full_page_screenshot(browser, path: Path) -> None:
    """The whole page, not just the window: through the DevTools protocol where it answers."""
    width = browser.execute_script("return Math.max(document.documentElement.scrollWidth, window.innerWidth)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    try:
        import base64

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


def expected_cells(pair: str) -> dict[str, dict[tuple[str, str], str]]:
    cells: dict[str, dict[tuple[str, str], str]] = {}
    for row in results()["results"]:
        if row["pair"] == pair:
            modern = row["modern"]
            cells.setdefault(row["kind"], {})[(modern["python"], modern["start_method"])] = row["verdict"]
    return cells


def test_results_file_matches_its_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed: run through tox -e docs")
    schema = json.loads((DOCS / "results.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(results(), schema)


def test_index_shows_the_matrix(site: Path, browser, screenshots: Path) -> None:
    open_page(browser, site / "index.html")
    full_page_screenshot(browser, screenshots / "index.png")
    assert local_only(browser) == []
    assert fits_the_window(browser)
    kinds = {row["kind"] for row in results()["results"]}
    matrices = {
        table.get_attribute("data-kind"): table for table in browser.find_elements(By.CSS_SELECTOR, "table.matrix")
    }
    assert set(matrices) == kinds
    modern = matrices["modern"]
    parts = [th.text for th in modern.find_elements(By.CSS_SELECTOR, "tr.part th")]
    assert parts == ["From the article", "Beyond the article"]
    rows = modern.find_elements(By.CSS_SELECTOR, "tr[data-pair]")
    grouped = [n for n, p in PAIRS.items() if p.part == "article"] + [
        n for n, p in PAIRS.items() if p.part != "article"
    ]
    assert [row.get_attribute("data-pair") for row in rows] == grouped
    for row in rows:
        name = row.get_attribute("data-pair")
        expected = expected_cells(name).get("modern", {})
        cells = row.find_elements(By.CSS_SELECTOR, "td.v:not(.overall)")
        shown = sorted(cell.get_attribute("data-verdict") for cell in cells if cell.get_attribute("data-verdict"))
        assert shown == sorted(expected.values()), name
        for link in row.find_elements(By.CSS_SELECTOR, "td.v a"):
            assert link.get_attribute("href").split("#")[0].endswith(f"/pairs/{name}.html")
            assert link.is_displayed()
    colours = {
        cell.get_attribute("data-verdict"): cell.value_of_css_property("background-color")
        for cell in modern.find_elements(By.CSS_SELECTOR, "td.v[data-verdict]")
    }
    assert len(set(colours.values())) == len(colours), f"each verdict has its own colour: {colours}"


@pytest.mark.parametrize("name", list(PAIRS))
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

    # the output
    expected = expected_cells(name)
    legacy_output = browser.find_element(By.CSS_SELECTOR, ".legacy-output pre.transcript")
    assert legacy_output.is_displayed()
    assert legacy_output.find_elements(By.CSS_SELECTOR, "span.t")[0].text.startswith("exit code:")
    for kind in expected:
        outputs = browser.find_elements(By.CSS_SELECTOR, f'.outputs[data-kind="{kind}"] details.output')
        assert outputs, kind
        for output in outputs:
            summary = output.find_element(By.TAG_NAME, "summary")
            assert summary.is_displayed()
            assert summary.text
            if output.get_attribute("open") is None:  # collapsed: the same as legacy, one click away
                browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary)
                summary.click()
            assert output.find_element(By.CSS_SELECTOR, "pre.transcript").is_displayed()

    # its verdicts, from the matrix and linked back to it
    for kind, cells in expected.items():
        row = browser.find_element(By.CSS_SELECTOR, f'table.matrix[data-kind="{kind}"] tr[data-pair="{name}"]')
        shown = sorted(
            cell.get_attribute("data-verdict") for cell in row.find_elements(By.CSS_SELECTOR, "td.v:not(.overall)")
        )
        assert shown == sorted(cells.values())
        back = row.find_element(By.CSS_SELECTOR, "th.pair a").get_attribute("href")
        assert back.split("#")[0].endswith("/index.html")
        assert "#verdicts-" in back
    for cell in browser.find_elements(By.CSS_SELECTOR, "table.matrix td.v:not(.overall) a"):
        anchor = cell.get_attribute("href").split("#")[1]
        assert browser.find_elements(By.ID, anchor), f"cell links to #{anchor}, which is not on the page"

    browser.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    full_page_screenshot(browser, screenshots / f"pair-{name}.png")

    pair = PAIRS[name]
    headings = [h.text.replace("\u2019", "'") for h in browser.find_elements(By.CSS_SELECTOR, "article h2")]
    assert ("Declared differences" in headings) == bool(pair.differences)
    assert ("Pitfalls it shows" in headings) == bool(pair.pitfalls)
    assert ("The article's claims it checks" in headings) == bool(pair.claims)


def test_rows_without_a_transcript_build(tmp_path: Path) -> None:
    """An error or not-applicable row may have no modern transcript: its page still builds."""
    sys.path.insert(0, str(DOCS))
    try:
        import build
    finally:
        sys.path.remove(str(DOCS))
    data = results()
    row = dict(data["results"][0])
    legacy = row["legacy"]
    rows = [
        {
            **row,
            "modern": {"python": "3.14.0", "start_method": "fork", "transcript": None},
            "verdict": "error",
            "declared": [],
            "note": "hung: killed after its 30 s timeout",
            "legacy": legacy,
        },
        {
            **row,
            "modern": {"python": "3.14.0", "start_method": "spawn", "transcript": None},
            "verdict": "not applicable",
            "declared": [],
            "note": "no such start method here",
            "legacy": legacy,
        },
    ]
    data = {**data, "results": data["results"] + rows}
    source = tmp_path / "src"
    build.generate(build.Results(data), source)
    page = (source / "pairs" / f"{row['pair']}.md").read_text(encoding="utf-8")
    assert "no transcript" in page
    assert "hung: killed" in page
    assert 'data-verdict="not applicable"' in (source / "index.md").read_text(encoding="utf-8")
