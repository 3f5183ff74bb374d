"""Every page of both editions loads offline, with no console error and no serious axe violation,
in the light colour scheme; pages that show code or the course's own views also in the dark one."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.render.build import build_edition
from medialit.render.sitecheck import references

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# What looks different in the dark scheme beyond the theme's own text and backgrounds:
# highlighted code and cell outputs, and the course's views (ml-: compare view, reader, report).
DARK_MARKERS = ('class="highlight', 'class="cell_output', 'class="ml-')


def _dark_pages(site, pages: list[str]) -> list[str]:
    return [
        page
        for page in pages
        if any(
            marker in (site.folder / page).read_text(encoding="utf-8") for marker in DARK_MARKERS
        )
    ]


def test_every_student_page_loads_offline_without_errors_and_passes_axe(sites, audit_site):
    site = sites["student"]
    pages = site.pages()
    assert len(pages) >= 8, pages
    problems = audit_site(site, pages)
    assert problems == [], "\n".join(problems)


def test_student_pages_with_code_or_course_views_pass_axe_in_the_dark_scheme(sites, audit_site):
    site = sites["student"]
    pages = _dark_pages(site, site.pages())
    assert "book/exercises/claims.html" in pages and "book/compare.html" in pages, pages
    problems = audit_site(site, pages, scheme="dark")
    assert problems == [], "\n".join(problems)


def test_every_instructor_page_loads_offline_without_errors(sites, audit_site):
    """Every page loads cleanly; axe runs on the instructor-only pages and on one shared page.

    A page the two editions share is the same HTML in both but for the instructor banner and
    the sidebar's extra entries, which the shared page checked here covers; axe on every shared
    page again would double the run time and find nothing new.
    """
    site = sites["instructor"]
    pages = site.pages()
    only_instructor = {page for page in pages if page.startswith("book/instructor/")}
    assert only_instructor and "book/intro.html" in pages
    problems = audit_site(site, pages, axe_paths=only_instructor | {"book/intro.html"})
    assert problems == [], "\n".join(problems)


def test_instructor_only_pages_with_code_or_course_views_pass_axe_in_the_dark_scheme(
    sites, audit_site
):
    site = sites["instructor"]
    pages = _dark_pages(
        site, [page for page in site.pages() if page.startswith("book/instructor/")]
    )
    assert any(page.startswith("book/instructor/readers/") for page in pages), pages
    problems = audit_site(site, pages, scheme="dark")
    assert problems == [], "\n".join(problems)


def test_building_one_edition_leaves_the_other_reusable(sites):
    """Each edition's build is reused after the other's (both were built for ``sites``).

    When one edition's build changed what the other's reads, every test worker that asked for
    a site rebuilt it in place, under the pages another worker's browser was reading."""
    assert build_edition(ROOT, "student").reused
    assert build_edition(ROOT, "instructor").reused


def test_the_audit_reports_outside_requests_console_errors_and_axe(tmp_path, serve, audit_site):
    """The audit is not vacuous: a planted page with each kind of fault fails it three ways."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title>'
        '<script src="https://cdn.jsdelivr.net/npm/x.js"></script>'
        "<script>console.error('planted error')</script></head>"
        '<body><main><h1>Bad</h1><img src="missing.png"></main></body></html>',
        encoding="utf-8",
    )
    problems = "\n".join(audit_site(serve(tmp_path), ["bad.html"]))
    assert "bad.html: request leaves the site: https://cdn.jsdelivr.net/npm/x.js" in problems
    assert "console error: planted error" in problems
    assert "HTTP 404" in problems
    assert "axe critical image-alt" in problems


def test_the_instructor_banner_is_only_in_the_instructor_edition(sites, open_page):
    banner = "Instructor edition"
    page, _ = open_page(sites["instructor"], "book/intro.html")
    assert banner in page.inner_text("body")
    page, _ = open_page(sites["student"], "book/intro.html")
    assert banner not in page.inner_text("body")


SEARCH_CONTROLS = """() => Array.from(document.querySelectorAll(
    '.search-button__button, form.bd-search input, #searchbox input'))
    .filter((node) => node.checkVisibility() && node.getClientRects().length > 0).length"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_page_offers_one_search_box(sites, open_page, width):
    page, visit = open_page(sites["student"], "book/intro.html", width=width)
    assert page.evaluate(SEARCH_CONTROLS) == 1
    page.locator(".search-button__button:visible").click()
    assert page.locator("#pst-search-dialog input[type=search]").is_visible()
    assert visit.console_errors == []


def test_every_page_has_a_favicon_served_by_the_site(sites, open_page):
    site = sites["student"]
    icons = {
        path: references(site.folder / path).loaded for path in site.pages() if path != "index.html"
    }
    missing = [path for path, loaded in icons.items() if not any("favicon" in u for u in loaded)]
    assert missing == []
    page, _ = open_page(site, "book/intro.html")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.ok and response.headers["content-type"].startswith("image/svg")
    assert b"<svg" in response.body()


def test_self_checks_on_a_published_page_say_where_they_run(sites, open_page):
    site = sites["student"]
    path = "notebooks/00-orientation.html"
    recorded = (site.folder / path).read_text(encoding="utf-8").count('class="ml-self-check"')
    assert recorded >= 2, "the notebook has no self-check output to explain"
    page, visit = open_page(site, path)
    checks = page.locator(".cell_output .ml-self-check")
    assert checks.count() == recorded
    assert page.locator(".ml-self-check-static").count() == recorded
    assert "Not yet" not in page.locator("article").inner_text()
    assert "Checked when you run the notebook" in checks.first.inner_text()
    assert visit.console_errors == []
