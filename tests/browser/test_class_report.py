"""The class report in a real browser: on its own and on the instructor page, offline, axe-clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medialit.grade.bundle import load_bundle
from medialit.render.class_report import SITE_PATH, STUDENTS
from medialit.report import write_report
from medialit.report.synthetic import synthetic_class_report

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PAGE = "book/instructor/class-report.html"


COPIES = (("student0000", "student0003"),)
REGRADES = """student,set,item,old,new,why
student0001,framing,q1,2,0,key or item definition changed
student0001,framing,(total),10,8,key or item definition changed
"""


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory) -> Path:
    """A folder holding only the report of a small synthetic class (8 students, no loop), with a
    planted pair of similar work and a regrade report beside the gradebook."""
    made = synthetic_class_report(
        ROOT, tmp_path_factory.mktemp("class"), seed=11, students=8, loops=0, copies=COPIES
    )
    made.gradebook.with_name("regrade-report.csv").write_text(REGRADES, encoding="utf-8")
    bundle = load_bundle(made.grader)
    title = "Class report: synthetic class of 8 students"
    write_report(made.gradebook, made.report, bundle, title, made.grader.parent / "student")
    folder = tmp_path_factory.mktemp("served")
    shutil.copyfile(made.report, folder / "report.html")
    return folder


def _loaded_images(page) -> tuple[int, int]:
    """(images on the page, images that decoded to a picture)."""
    return page.locator("img").evaluate_all(
        "images => [images.length, images.filter(i => i.complete && i.naturalWidth > 0).length]"
    )


def test_the_report_loads_offline_without_errors_and_passes_axe(report_folder, serve, audit_site):
    problems = audit_site(serve(report_folder), ["report.html"])
    assert problems == [], "\n".join(problems)


def test_the_report_shows_its_figures_and_every_chart(report_folder, serve, open_page):
    page, visit = open_page(serve(report_folder), "report.html")
    assert "synthetic class of 8 students" in page.locator("h1").inner_text()
    assert page.locator(".headline li").count() == 5
    first = page.locator(".headline li").first
    assert first.locator("strong").inner_text() == "8" and "students" in first.inner_text()
    total, decoded = _loaded_images(page)
    assert total >= 4 and decoded == total
    assert page.locator("table").count() >= 5
    regrades = page.locator("h2", has_text="Regrades")
    assert regrades.count() == 1
    assert page.locator("caption", has_text="Set totals that moved").count() == 1
    assert "never a penalty" in page.inner_text("main")
    assert page.locator("mark").count() >= 2, "the planted pair's shared passages are marked"
    first, copy = COPIES[0]
    assert page.locator("h3", has_text=f"{first} and {copy}").count() >= 1
    assert visit.console_errors == [] and visit.outside_requests == []
    assert visit.failed_responses == []


def test_the_instructor_page_shows_the_synthetic_class_report(sites, open_page, audit_site):
    site = sites["instructor"]
    problems = audit_site(site, [PAGE, SITE_PATH])
    assert problems == [], "\n".join(problems)

    page, visit = open_page(site, PAGE)
    assert f"synthetic class of {STUDENTS} students" in page.inner_text("main"), "the prose agrees"
    frame = page.frame_locator("iframe[title]")
    heading = frame.locator("h1").inner_text()
    assert f"synthetic class of {STUDENTS} students" in heading
    assert page.locator(f'a[href="{Path(SITE_PATH).relative_to(Path(PAGE).parent)}"]').count()
    assert visit.console_errors == [] and visit.outside_requests == []
    assert visit.failed_responses == []

    report, visit = open_page(site, SITE_PATH)
    total, decoded = _loaded_images(report)
    assert total >= 4 and decoded == total
    assert visit.console_errors == [] and visit.outside_requests == []
