"""Every page of both editions loads offline, with no console error and no serious axe violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_page_loads_offline_without_errors_and_passes_axe(edition, sites, open_page):
    site = sites[edition]
    axe = Axe()
    pages = site.pages()
    assert len(pages) >= 8, pages
    problems = []
    for path in pages:
        page, visit = open_page(site, path)
        if 'http-equiv="refresh"' in (site.folder / path).read_text(encoding="utf-8").lower():
            page.wait_for_url(lambda url, start=visit.url: url != start)
            page.wait_for_load_state("load")
        for url in visit.outside_requests:
            problems.append(f"{path}: request leaves the site: {url}")
        for error in visit.console_errors:
            problems.append(f"{path}: console error: {error}")
        for response in visit.failed_responses:
            problems.append(f"{path}: HTTP {response}")
        violations = axe.run(page).response["violations"]
        for violation in violations:
            if violation.get("impact") in BLOCKING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(
                    f"{path}: axe {violation['impact']} {violation['id']}: "
                    f"{violation['help']} at {targets}"
                )
        page.close()
    assert problems == [], "\n".join(problems)


def test_the_route_blocks_and_reports_outside_requests(sites, open_page):
    """The offline guard works: a request to another host is blocked and recorded."""
    page, visit = open_page(sites["student"], "book/intro.html")
    page.evaluate("""() => fetch('https://cdn.jsdelivr.net/npm/x.js').catch(() => null)""")
    page.wait_for_timeout(200)
    assert visit.outside_requests == ["https://cdn.jsdelivr.net/npm/x.js"]


def test_the_instructor_banner_is_only_in_the_instructor_edition(sites, open_page):
    banner = "Instructor edition"
    page, _ = open_page(sites["instructor"], "book/intro.html")
    assert banner in page.inner_text("body")
    page, _ = open_page(sites["student"], "book/intro.html")
    assert banner not in page.inner_text("body")
