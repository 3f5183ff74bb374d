"""Both built sites are self-contained: nothing loads from outside; every internal link lands."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from medialit.render.sitecheck import CSS_URL, is_external, references

SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:")


def html_pages(site: Path) -> list[Path]:
    """The site's pages (themes also copy template fragments named *.html into _static/)."""
    return [
        page
        for page in sorted(site.rglob("*.html"))
        if "_static" not in page.relative_to(site).parts
    ]


@pytest.fixture(scope="module", params=["student", "instructor"])
def site(request) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


def test_no_page_or_style_sheet_loads_anything_from_outside(site: Path):
    outside = []
    for page in html_pages(site):
        for url in references(page).loaded:
            if is_external(url):
                outside.append(f"{page.relative_to(site)}: {url}")
    for sheet in sorted(site.rglob("*.css")):
        for match in CSS_URL.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            url = match[0] or match[1]
            if is_external(url):
                outside.append(f"{sheet.relative_to(site)}: {url}")
    assert outside == []


def test_no_script_names_a_cdn(site: Path):
    """Inline configuration of scripts (thebe's, the widget manager's) names no CDN host."""
    cdn = re.compile(r"unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|googleapis\.com")
    found = [
        page.relative_to(site).as_posix()
        for page in html_pages(site)
        if cdn.search(page.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_internal_link_and_anchor_exists(site: Path):
    pages = html_pages(site)
    ids = {page: references(page).ids for page in pages}
    broken = []
    for page in pages:
        found = references(page)
        for url in [*found.links, *found.loaded]:
            if is_external(url) or url.startswith(SKIP_SCHEMES) or not url.strip():
                continue
            parts = urlsplit(url)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {url}")
            elif parts.fragment and target.suffix == ".html":
                known = ids.get(target) or references(target).ids
                if unquote(parts.fragment) not in known:
                    broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert broken == []
