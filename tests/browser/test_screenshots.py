"""Screenshots of every kind of page, at desktop (1280 px) and phone (390 px) widths, in light and
dark mode, saved under _build/screenshots/ for review (``<kind>-<width>-<scheme>.png``).

Each shot also checks what a reader of that kind of page would notice first: the page's own
content is there, nothing failed to load, and at phone width the page never scrolls sideways
(a wide table or chart scrolls or shrinks inside the column instead).
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from medialit.render.class_report import SITE_PATH as CLASS_REPORT
from medialit.render.reader import READER_PAGES

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"
MAX_HEIGHT = 5000  # CSS pixels from the top of a page: enough to judge it, small enough to view
# kind: (edition, page path or None to find it, what must be visible on it)
KINDS = {
    "prose": ("student", "book/intro.html", "article.bd-article h1"),
    "article": ("student", "book/articles/russia-china-resist.html", ".ml-para"),
    "codebook": ("student", "book/codebook/claims.html", "table.codebook-table"),
    "notebook": ("student", None, ".cell_output"),
    "exercise": ("student", "book/exercises/claims.html", ".cell_input .highlight"),
    "compare": ("student", "book/compare.html", "[data-ml-compare]"),
    "reader": ("instructor", None, ".ml-reader-text"),
    "class-report": ("instructor", CLASS_REPORT, "table"),
}
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def _path(site, kind: str, path: str | None) -> str:
    if path is not None:
        return path
    if kind == "notebook":  # the first walk-through notebook with executed code cells
        found = [
            page
            for page in site.pages()
            if page.startswith("notebooks/")
            and 'class="cell_output' in (site.folder / page).read_text(encoding="utf-8")
        ]
    else:  # the first annotated reader of an article
        folder = READER_PAGES.as_posix()
        found = [
            page
            for page in site.pages()
            if page.startswith(folder + "/") and not page.endswith("/index.html")
        ]
    assert found, f"the {site.edition} edition has no {kind} page"
    return found[0]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_screenshot(kind, width, scheme, sites, open_page):
    edition, path, content = KINDS[kind]
    site = sites[edition]
    page, visit = open_page(site, _path(site, kind, path), scheme=scheme, width=width)
    assert page.locator(content).first.is_visible(), f"{kind}: {content} is not visible"
    if width < 600:
        assert page.evaluate(SIDEWAYS) <= 1, f"{kind} scrolls sideways at {width} px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{kind}-{width}-{scheme}.png"
    height = min(page.evaluate("document.scrollingElement.scrollHeight"), MAX_HEIGHT)
    page.screenshot(
        path=str(target),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
        animations="disabled",
    )
    shot_width, shot_height = _png_size(target)
    assert shot_width == width and shot_height >= 600, (shot_width, shot_height)
    assert target.stat().st_size > 20_000, "a blank page compresses to almost nothing"
    assert visit.console_errors == [] and visit.outside_requests == []
    assert visit.failed_responses == []
