"""Every internal link leads somewhere: the file exists, and so does the anchor. The links are those of
the Markdown documents (the README, CONTRIBUTING.md, bench/README.md, every page of docs/) and those
the tool prints or writes (each diagnosis's link, and every such path written in src/portcheck/),
which name a document by its path from the repository's root.

An anchor is an explicit `<a id="...">` (or `name=`) or a heading, named as GitHub names it:
the heading's text as rendered (code marks and link targets dropped), lowercased, every character
that is not a letter, a digit, a space, a hyphen or an underscore dropped, and each space made a
hyphen; a repeated heading gets -1, -2, ... Text inside fenced code blocks, inline code and HTML
comments is neither a link nor a heading. The site's own pages are read by tests/test_site.py.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    {ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "bench" / "README.md", *(ROOT / "docs").glob("*.md")}
)
SOURCE = ROOT / "src" / "portcheck"

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
EXPLICIT_ANCHOR = re.compile(r"""<a\s[^>]*\b(?:id|name)=["']([^"']+)["']""")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HREF = re.compile(r"""<a\s[^>]*\bhref=["']([^"']+)["']""")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, ...
# A document named in the tool's source, with its anchor: "README.md#pitfall-1", "docs/diagnoses.md#x";
# a name followed by `{` is half of an f-string, made whole where it is used (and checked there).
LINK_IN_SOURCE = re.compile(r"\b((?:README|CONTRIBUTING|docs/[\w/-]+)\.md(?:#[\w-]*\w)?)(?![\w{#-])")


def prose(text: str) -> str:
    """The text outside code blocks and HTML comments (inline code kept: headings render it)."""
    return COMMENT.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    rendered = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", rendered.strip().lower()).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    text = prose(document.read_text(encoding="utf-8"))
    found = set(EXPLICIT_ANCHOR.findall(text))
    seen: Counter[str] = Counter()
    for heading in HEADING.findall(text):
        name = slug(heading)
        found.add(name if not seen[name] else f"{name}-{seen[name]}")
        seen[name] += 1
    return found


def internal_links(document: Path) -> list[str]:
    text = CODE_SPAN.sub("``", prose(document.read_text(encoding="utf-8")))
    targets = LINK_TARGET.findall(text) + HREF.findall(text)
    return [target for target in targets if not EXTERNAL.match(target)]


def test_the_link_finder_sees_what_github_renders() -> None:
    assert slug('What "identical" means') == "what-identical-means"
    assert slug("Benchmark: what migrating costs, per primitive") == "benchmark-what-migrating-costs-per-primitive"
    assert slug("`pool_map` and [the site](docs/x.md)") == "pool_map-and-the-site"
    sample = "See [one](#a-b) and [`two`](docs/x.md#y).\n```\n[not a link](#z)\n# not a heading\n```\n# A b\n"
    text = CODE_SPAN.sub("``", prose(sample))
    assert LINK_TARGET.findall(text) == ["#a-b", "docs/x.md#y"]
    assert HEADING.findall(prose(sample)) == ["A b"]


def unresolved(target: str, base: Path) -> str:
    """Why `target`, a link from a document in `base` (or `base` itself, for "#anchor"), leads nowhere; "" if it
    leads somewhere."""
    path, _, anchor = target.partition("#")
    linked = (base / path).resolve() if path else base
    if not linked.exists():
        return f"{target}: no file {os.path.relpath(linked, ROOT)}"
    if anchor and linked.suffix == ".md" and anchor not in anchors(linked):
        return f"{target}: no heading or anchor #{anchor} in {os.path.relpath(linked, ROOT)}"
    return ""


def links_in_source() -> dict[str, list[str]]:
    """Each document link written in the tool's source, with the files that write it."""
    found: dict[str, list[str]] = {}
    for module in sorted(SOURCE.rglob("*.py")):
        for link in LINK_IN_SOURCE.findall(module.read_text(encoding="utf-8")):
            found.setdefault(link, []).append(module.relative_to(ROOT).as_posix())
    return found


def test_the_link_finder_sees_what_the_source_writes() -> None:
    source = 'link = "README.md#pitfall-1"  # or docs/diagnoses.md#true-division; f"../README.md#pitfall-{n}"'
    assert LINK_IN_SOURCE.findall(source) == ["README.md#pitfall-1", "docs/diagnoses.md#true-division"]
    assert LINK_IN_SOURCE.findall("see docs/lint.md, and README.md.") == ["docs/lint.md", "README.md"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_internal_link_resolves(document: Path) -> None:
    if not document.exists():
        pytest.fail(f"{document.relative_to(ROOT)} is gone")
    broken = [why for why in (unresolved(target, document.parent) for target in internal_links(document)) if why]
    assert not broken, f"{document.relative_to(ROOT)} links to what does not exist:\n" + "\n".join(broken)


def test_a_reports_links_are_the_sites_pages_which_pyproject_names() -> None:
    """An installed tool has neither the README nor docs/: its reports link to the site, each link to the page
    that shows the document it names, at the same anchor."""
    from portcheck.diagnose import CAUSES
    from portcheck.model import SITE, Diagnosis, site_page

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'Documentation = "{SITE}"' in pyproject
    for rule in CAUSES:
        path, _, anchor = rule.link.partition("#")
        assert anchor in anchors(ROOT / path), rule.link
        page = "pitfalls" if anchor.startswith("pitfall-") else Path(path).stem
        assert site_page(rule.link) == f"{page}.html#{anchor}"
        said = Diagnosis(rule.id, (0,), "a cause", "a fix", rule.link).said()
        assert said.endswith(f" see {SITE}/{page}.html#{anchor}")


def test_every_link_the_source_writes_resolves() -> None:
    found = links_in_source()
    assert "README.md#pitfall-1" in found  # the reports' example of a diagnosis's link (model.py)
    broken = [f"{why} (in {', '.join(modules)})" for link, modules in found.items() if (why := unresolved(link, ROOT))]
    assert not broken, "src/portcheck/ names what does not exist:\n" + "\n".join(broken)


def test_every_link_a_report_prints_resolves() -> None:
    """Each diagnosis's link, as a report prints it and --json writes it: from the repository's root."""
    from portcheck import diagnose

    links = {rule.link for rule in diagnose.CAUSES}
    assert any(link.startswith("README.md#pitfall-") for link in links), links
    broken = [why for why in (unresolved(link, ROOT) for link in sorted(links)) if why]
    assert not broken, "a report links to what does not exist:\n" + "\n".join(broken)
