"""The annotated reader in the built instructor edition: toggles, keyboard notes, offline, axe."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from medialit.annotations.key import load_keys
from medialit.render.reader import READER_PAGES, READER_START

pytestmark = pytest.mark.browser
BLOCKING_IMPACTS = {"serious", "critical"}


def _keyed_article() -> tuple[str, object]:
    """The first article whose key marks claims and sources (any key will do, whichever exist)."""
    for article_id, key in sorted(load_keys().items()):
        if key.layer("claims") and key.layer("sourcing"):
            return article_id, key
    pytest.fail("no answer key marks both claims and sources: nothing to read in the reader")


def _visible(page, selector: str) -> int:
    return page.locator(f".ml-reader-text {selector}").evaluate_all(
        "nodes => nodes.filter(n => n.getClientRects().length > 0).length"
    )


def _decoration(page, selector: str) -> str:
    return page.locator(f".ml-reader-text {selector}").first.evaluate(
        "node => getComputedStyle(node).textDecorationLine"
    )


def _focused_note(page) -> str | None:
    return page.evaluate(
        "() => document.activeElement && document.activeElement.getAttribute('aria-describedby')"
    )


def test_instructor_edition_has_a_reader_per_key_and_the_student_edition_none(sites):
    keyed = set(load_keys())
    folder = sites["instructor"].folder / READER_PAGES
    assert keyed and {path.stem for path in folder.glob("*-*.html")} == keyed
    assert not (sites["student"].folder / READER_PAGES).exists()


def test_reader_toggles_layers_and_opens_notes_by_keyboard_offline_and_axe_clean(sites, open_page):
    article_id, key = _keyed_article()
    page, visit = open_page(sites["instructor"], f"{READER_PAGES.as_posix()}/{article_id}.html")

    # The page opens with one layer; ticking another adds it, unticking removes only it.
    assert [
        box.get_attribute("value") for box in page.locator("input[data-role=layer]:checked").all()
    ] == list(READER_START)
    claims, sourcing = len(key.layer("claims")), len(key.layer("sourcing"))
    assert _visible(page, ".ml-badge.ml-b-sourcing") == sourcing > 0
    assert _visible(page, ".ml-badge.ml-b-claims") == 0
    assert _decoration(page, ".ml-hl.ml-l-claims") == "none"
    page.locator("input[data-role=layer][value=claims]").check()
    assert _visible(page, ".ml-badge.ml-b-claims") == claims > 0
    assert "underline" in _decoration(page, ".ml-hl.ml-l-claims")
    # Each box shows the line its layer draws.
    sample = page.locator("input[data-role=layer][value=claims] ~ .ml-reader-sample .ml-l-claims")
    assert sample.evaluate("node => getComputedStyle(node).textDecorationStyle") == "dashed"
    page.locator("input[data-role=layer][value=claims]").uncheck()
    assert _visible(page, ".ml-badge.ml-b-claims") == 0
    assert _decoration(page, ".ml-hl.ml-l-claims") == "none"
    assert _visible(page, ".ml-badge.ml-b-sourcing") == sourcing > 0
    assert "claims" not in page.locator(".ml-reader-status").inner_text().lower()
    page.locator("input[data-role=layer][value=claims]").check()
    assert _visible(page, ".ml-badge.ml-b-claims") == claims

    # Tab from the last toggle reaches a badge; its note (the rationale) shows; Escape closes it.
    page.locator("input[data-role=layer]").last.focus()
    for _ in range(6):
        page.keyboard.press("Tab")
        if _focused_note(page):
            break
    note_id = _focused_note(page)
    assert note_id, "Tab never reached a highlight's badge"
    note = page.locator(f"#{note_id}")
    assert note.get_attribute("role") == "tooltip"
    entry = key.entry(note_id.removeprefix(f"ml-note-{article_id}-"))
    assert note.is_visible() and entry.rationale in note.inner_text().replace("\n", " ")
    page.keyboard.press("Escape")
    assert note.is_hidden()
    page.keyboard.press("Tab")
    next_id = _focused_note(page)
    assert next_id and next_id != note_id and page.locator(f"#{next_id}").is_visible()
    assert note.is_hidden()
    # Enter keeps a note open after focus moves on; Escape closes it.
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    assert _focused_note(page) == note_id and note.is_visible()
    assert page.locator(f"#{next_id}").is_visible()
    page.keyboard.press("Escape")
    assert page.locator(f"#{next_id}").is_hidden() and note.is_hidden()
    page.keyboard.press("Tab")

    # Pointer over marked text opens the note of its highlight (the innermost one, if nested).
    page.evaluate("() => document.activeElement.blur()")
    page.mouse.move(0, 0)
    mark = page.locator(".ml-reader-text .ml-hl.ml-l-sourcing[data-note]:not(:has(.ml-hl))").first
    mark.hover()
    assert page.locator(f"#{mark.get_attribute('data-note')}").is_visible()

    # No error, nothing from outside, through all of the above.
    assert visit.console_errors == []
    assert visit.outside_requests == []
    assert visit.failed_responses == []

    # With a note open: no serious or critical axe violation. (Checked last: axe fetches the
    # stylesheets itself and resolves the theme's @import against the page, a 404 of its own.)
    page.locator(f'[aria-describedby="{next_id}"]').focus()
    assert page.locator(f"#{next_id}").is_visible()
    violations = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert violations == []
