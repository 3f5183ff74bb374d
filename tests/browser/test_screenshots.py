"""Screenshots for review, saved under _build/screenshots/: an article, a notebook, the comparison.

The notebook page is the first walk-through notebook (notebooks/) with executed code cells; the
comparison view is the first page with the comparison view's markup (``[data-ml-compare]``, from
medialit.render.compare_html).
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"
COMPARE_MARKUP = ("data-ml-compare", "ml-cmp-app")


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def _first_page_with(site, markers: tuple[str, ...], prefix: str = "") -> str | None:
    for path in sorted(site.pages(), key=lambda page: not page.startswith(prefix)):
        text = (site.folder / path).read_text(encoding="utf-8")
        if any(marker in text for marker in markers):
            return path
    return None


def _shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    width, height = _png_size(target)
    assert width >= 1000 and height >= 600, (width, height)
    assert target.stat().st_size > 20_000, "a blank page compresses to almost nothing"
    return target


def test_article_page_screenshot(sites, open_page):
    page, visit = open_page(sites["student"], "book/articles/russia-china-resist.html")
    assert page.locator(".ml-para").count() > 10
    assert page.locator("#p07 .ml-para-num").inner_text().strip().endswith("7")
    _shoot(page, "student-article")
    assert visit.console_errors == [] and visit.outside_requests == []


def test_notebook_page_screenshot(sites, open_page):
    site = sites["student"]
    path = _first_page_with(site, ('class="cell_output',), prefix="notebooks/")
    assert path is not None and path.startswith("notebooks/"), (
        f"no walk-through notebook with executed code cells (found {path})"
    )
    page, visit = open_page(site, path)
    assert page.locator(".cell_output").count() >= 1
    page.wait_for_load_state("networkidle")
    _shoot(page, "student-notebook")
    assert visit.console_errors == [] and visit.outside_requests == []


def test_comparison_view_screenshot(sites, open_page):
    site = sites["student"]
    path = _first_page_with(site, COMPARE_MARKUP)
    assert path is not None, "the student edition has no comparison view"
    page, visit = open_page(site, path)
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-ml-compare], .ml-cmp-app").first.is_visible()
    _shoot(page, "student-compare")
    assert visit.console_errors == [] and visit.outside_requests == []
