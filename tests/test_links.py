"""Every internal link of the Markdown documents leads somewhere: the file exists, and so does the anchor.

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
DOCUMENTS = sorted({ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").glob("*.md")})

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
EXPLICIT_ANCHOR = re.compile(r"""<a\s[^>]*\b(?:id|name)=["']([^"']+)["']""")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HREF = re.compile(r"""<a\s[^>]*\bhref=["']([^"']+)["']""")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, ...


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


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_internal_link_resolves(document: Path) -> None:
    broken = []
    for target in internal_links(document):
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            broken.append(f"{target}: no file {os.path.relpath(linked, ROOT)}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading or anchor #{anchor} in {os.path.relpath(linked, ROOT)}")
    assert not broken, f"{document.relative_to(ROOT)} links to what does not exist:\n" + "\n".join(broken)


def test_a_reports_links_are_the_sites_pages_which_pyproject_names() -> None:
    """An installed tool has neither the README nor docs/: its reports link to the site, each link to the page
    that shows the document it names, at the same anchor."""
    from portcheck.diagnose import RULES
    from portcheck.model import SITE, Diagnosis, site_page

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'Documentation = "{SITE}"' in pyproject
    for rule in RULES:
        path, _, anchor = rule.link.partition("#")
        assert anchor in anchors(ROOT / path), rule.link
        page = "pitfalls" if anchor.startswith("pitfall-") else Path(path).stem
        assert site_page(rule.link) == f"{page}.html#{anchor}"
        said = Diagnosis(rule.id, (0,), "a cause", "a fix", rule.link).said()
        assert said.endswith(f" see {SITE}/{page}.html#{anchor}")
