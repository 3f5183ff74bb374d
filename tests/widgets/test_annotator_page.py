"""The book's annotate mode in a real browser: mouse drag, keyboard only, export for the grader,
import, storage across reloads, axe, and no request leaving the page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from medialit.corpus import default
from medialit.grade.answers import read_annotations
from medialit.render.annotator_data import ANNOTATOR_STATIC, annotation_items
from medialit.render.article_page import annotate_section, paragraph_html
from tests.live import only_to
from tests.widgets import annotator_driver as drive

pytestmark = pytest.mark.browser

# The article of the sourcing exercise's first annotation item (whichever the exercises use):
# its published page lists that item and the answers file it is saved in.
ARTICLE = next(
    item["article_id"]
    for item in annotation_items(Path(__file__).resolve().parents[2])
    if item["set"] == "sourcing"
)
ROOT = ".ml-annotate-mode"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"
ITEMS = [
    {
        "set": "sourcing",
        "id": "q7",
        "title": "direct quotations",
        "article_id": ARTICLE,
        "layer": "sourcing",
        "paragraphs": [],
    }
]
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Annotate: test page</title></head><body><main><h1>{title}</h1>{text}
<h2>Annotate this article</h2>{section}</main></body></html>"""


@pytest.fixture
def site(tmp_path, serve):
    """An article page as the book writes it (the raw HTML of its annotate section), with the
    module files where Sphinx puts them (``_static``)."""
    article = default().article(ARTICLE)
    section = annotate_section(article, ITEMS)
    raw = re.search(r"```\{raw\} html\n(.*?)\n```", section, re.S).group(1)
    folder = tmp_path / "book" / "articles"
    folder.mkdir(parents=True)
    (folder / f"{ARTICLE}.html").write_text(
        PAGE.format(title=article.title, text=paragraph_html(article), section=raw),
        encoding="utf-8",
    )
    shutil.copytree(ANNOTATOR_STATIC, tmp_path / "_static")
    return serve(tmp_path)


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.outside, page.errors = [], []
    only_to(page, site.base_url, page.outside)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{site.base_url}book/articles/{ARTICLE}.html")
    page.get_by_role("button", name="Annotate this article").click()
    page.locator(f"{ROOT} .mla-w").first.wait_for()
    yield page
    assert page.outside == [] and page.errors == []
    context.close()


def _paragraph_ids(page, n: int) -> list[str]:
    return page.locator(f"{ROOT} .mla-p").evaluate_all(
        f"ps => ps.filter(p => p.querySelectorAll('.mla-w').length > 4)"
        f".slice(0, {n}).map(p => p.dataset.pid)"
    )


def test_five_annotations_by_mouse_and_by_keyboard_then_export_for_the_grader(page, tmp_path):
    paragraphs = _paragraph_ids(page, 5)
    seconds_mouse, texts = drive.five_by_mouse(page, page, ROOT, paragraphs)
    listed = page.locator(f"{ROOT} .mla-list").inner_text()
    for text in texts:
        assert text in listed, (texts, listed)
    assert listed.count("SOURCE: OFFICIAL·DIRECT") == 5
    # Shown in place: a text badge before the words and the layer's line style on them.
    badges = page.locator(f"{ROOT} .mla-text .mla-badge.mla-b-sourcing")
    assert badges.count() == 5
    lined = page.locator(f"{ROOT} .mla-text .mla-w.mla-l-sourcing").first
    assert "underline" in lined.evaluate("w => getComputedStyle(w).textDecorationLine")

    # Keyboard only: from the first word, Tab-free: arrows, Shift+Arrow, Enter.
    page.locator(f"{ROOT} .mla-w").first.focus()
    seconds_keyboard = drive.five_by_keyboard(page, page, ROOT)
    assert drive.count(page, ROOT) == 10
    live = page.locator(f"{ROOT} .mla-live")
    live.filter(has_text="Saved: a010").wait_for()
    # Delete removes the annotation at the focused word.
    page.keyboard.press("Delete")
    live.filter(has_text="deleted a010").wait_for()
    assert drive.count(page, ROOT) == 9
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(ROOT).screenshot(path=str(SCREENSHOTS / "book-annotate.png"))
    (SCREENSHOTS / "book-annotate-timing.txt").write_text(
        f"book page, five annotations: mouse {seconds_mouse:.1f} s, keyboard "
        f"{seconds_keyboard:.1f} s\n",
        encoding="utf-8",
    )
    print(f"\nbook page: mouse {seconds_mouse:.1f} s, keyboard {seconds_keyboard:.1f} s")

    # Export: the file the grader reads, with both labels of each sourcing annotation.
    page.select_option(f"{ROOT} .ml-annotate-set", "sourcing")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the answers file").click()
    assert download.value.suggested_filename == "sourcing.answers.json"
    saved = tmp_path / "sourcing.answers.json"
    download.value.save_as(saved)
    read = read_annotations(saved)
    assert read.problems == [] and len(read.items) == 9
    body = default().article(ARTICLE).body
    for record in read.items:
        assert body[record["start"] : record["end"]] == record["text"]
        assert record["labels"] == {"source_types": "official", "quote_kinds": "direct"}

    # The work stays in the browser: a reload shows it again.
    page.reload()
    page.get_by_role("button", name="Annotate this article").click()
    page.locator(f"{ROOT} .mla-item").nth(8).wait_for()
    assert drive.count(page, ROOT) == 9


def test_import_a_file_and_a_pasted_quote(page, tmp_path):
    article = default().article(ARTICLE)
    paragraph = article.paragraphs[5]
    words = paragraph.text.split()
    start = paragraph.start
    end = start + len(words[0])
    record = {
        "annotation_id": "a001",
        "paragraph_id": paragraph.paragraph_id,
        "start": start,
        "end": end,
        "text": article.body[start:end],
        "layer": "claims",
        "label": "opinion",
    }
    upload = tmp_path / "framing.answers.json"
    upload.write_text(json.dumps({"schema": 1, "annotations": [record]}), encoding="utf-8")
    page.set_input_files(f"{ROOT} .ml-annotate-import", str(upload))
    page.locator(f"{ROOT} .ml-annotate-files-status").filter(has_text="Imported 1").wait_for()
    assert drive.count(page, ROOT) == 1
    bad = tmp_path / "bad.answers.json"
    bad.write_text("{not json", encoding="utf-8")
    page.set_input_files(f"{ROOT} .ml-annotate-import", str(bad))
    page.locator(f"{ROOT} .ml-annotate-files-status").filter(has_text="not readable").wait_for()
    assert drive.count(page, ROOT) == 1

    quote = " ".join(article.paragraphs[7].text.split()[2:5])
    page.fill(f"{ROOT} .mla-quote", quote.replace("’", "'").replace("“", '"'))
    page.keyboard.press("Enter")
    page.locator(f"{ROOT} .mla-chosen-text").filter(has_text=quote.split()[0]).wait_for()
    page.locator(f"{ROOT} .mla-live").filter(has_text="Found in paragraph 8").wait_for()


def test_keys_inside_never_reach_the_page_and_axe_is_clean(page):
    page.evaluate(
        "window.reached = 0; document.addEventListener('keydown', () => window.reached++)"
    )
    page.locator(f"{ROOT} .mla-w").first.focus()
    for key in ("d", "d", "ArrowRight", "Shift+ArrowRight", "Escape", "a", "m"):
        page.keyboard.press(key)
    drive.choose_labels(page, ROOT, "sourcing", {})
    page.locator(f"{ROOT} select[data-dim='source_types']").focus()
    page.keyboard.press("d")
    assert page.evaluate("window.reached") == 0
    drive.drag(page, page, ROOT, _paragraph_ids(page, 1)[0], 0, 2)
    drive.choose_labels(page, ROOT, "sourcing", {"source_types": "official"})
    page.locator(f"{ROOT} .mla-add").click()
    drive.wait_count(page, ROOT, 1)
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, context=ROOT, options={"resultTypes": ["violations"], "preload": False}
    )
    blocking = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert blocking == []


def test_the_built_article_page_runs_the_annotator_offline(browser, site_url):
    """The page as the book build publishes it (theme, _static, Sphinx): the module loads
    from the site, a drag adds an annotation, nothing leaves the site, no script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    outside, errors = [], []
    only_to(page, site_url, outside)
    failed = []
    # A missing resource is checked by its address below (the browser asks every site for a
    # /favicon.ico, which the book does not have: not this page's business).
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        page.goto(f"{site_url}book/articles/{ARTICLE}.html")
        assert "sourcing.answers.json" in page.locator("main").inner_text()
        page.get_by_role("button", name="Annotate this article").click()
        page.locator(f"{ROOT} .mla-w").first.wait_for()
        pid = _paragraph_ids(page, 1)[0]
        text = drive.drag(page, page, ROOT, pid, 0, 2)
        page.locator(f"{ROOT} .mla-chosen-text").filter(has_text=f"“{text}”").wait_for()
        drive.choose_labels(page, ROOT, "sourcing", {"source_types": "official"})
        page.locator(f"{ROOT} .mla-add").click()
        drive.wait_count(page, ROOT, 1)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "book-article-annotate.png"), full_page=False)
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
        blocking = [
            f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]
        assert blocking == []
        assert outside == [] and errors == []
        assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    finally:
        context.close()


def test_a_touch_selection_snaps_to_words(browser, site):
    """A phone selects by long press and handles, after the finger lifts: the browser cannot
    script those gestures, so the test touches the text and then moves the selection as the
    handles would (mid-word at both ends)."""
    context = browser.new_context(viewport={"width": 412, "height": 900}, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{site.base_url}book/articles/{ARTICLE}.html")
        page.get_by_role("button", name="Annotate this article").tap()
        words = page.locator(f"{ROOT} .mla-w")
        words.nth(3).tap()
        page.evaluate(
            """() => {
            const w = document.querySelectorAll('.ml-annotate-mode .mla-w');
            getSelection().setBaseAndExtent(w[1].firstChild, 1, w[3].firstChild, 2);
        }"""
        )
        expected = " ".join(words.nth(i).inner_text() for i in (1, 2, 3))
        page.locator(f"{ROOT} .mla-chosen-text").filter(has_text=f"“{expected}”").wait_for()
    finally:
        context.close()
