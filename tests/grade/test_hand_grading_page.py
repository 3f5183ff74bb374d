"""The marking page in Chromium: marked by keyboard only, scores.csv downloaded and merged, work
kept across a reload, resumed from an import, a hostile answer shown as text, axe-clean."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from medialit.grade.manual import answer_digest
from tests.conftest import AXE_OPTIONS, BLOCKING_IMPACTS, context_options
from tests.grade.hand_class import ANSWERS, grade, make_class, page_data, rows, write_answers

pytestmark = pytest.mark.browser
PAGE = "hand-grading.html"


@pytest.fixture
def graded(tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path]:
    monkeypatch.setenv("COLUMNS", "500")
    bundle, submissions = make_class(tmp_path)
    out = tmp_path / "graded"
    assert grade(bundle, submissions, out) == 0
    return bundle, submissions, out


def progress(page) -> str:
    return page.locator(".hg-progress").inner_text()


def title(page) -> str:
    return page.locator("#hg-answer-title").inner_text()


def test_the_page_passes_axe_offline_in_both_colour_schemes(graded, serve, audit_site) -> None:
    site = serve(graded[2])
    for scheme in ("light", "dark"):
        problems = audit_site(site, [PAGE], scheme=scheme)
        assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_stays_axe_clean_once_marked_with_notes_and_saved_comments(
    graded, serve, open_page, scheme
) -> None:
    page, _ = open_page(serve(graded[2]), PAGE, scheme=scheme)
    for key in ("2", "c", "A", "Escape", "s", "n", "n", "n", "n", "1", "3", "p"):
        page.keyboard.press(key)  # levels and criteria pressed, a comment saved, eve's notes
    assert page.locator(".hg-notes li").count() >= 2
    assert page.locator(".hg-line[aria-pressed=true]").count() == 0  # eve's e2: not marked
    page.keyboard.press("n")
    assert page.locator(".hg-line[aria-pressed=true]").count() == 2
    results = Axe().run(page, options=AXE_OPTIONS)
    serious = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert serious == []


def test_a_hostile_answer_is_shown_as_text(graded, serve, open_page) -> None:
    page, visit = open_page(serve(graded[2]), PAGE)
    assert page.evaluate("document.scripts.length") == 2  # the data block and the module
    page.select_option("#hg-jump", label="4. eve: essay e2 (not marked)")
    shown = page.locator(".hg-text").inner_text()
    assert "</script><script>window.__pwned = 1</script><img src=x" in shown
    assert "\\u202eevil\\u202c bell\\x07" in shown  # direction overrides and controls escaped
    assert page.evaluate("window.__pwned") is None and page.locator("main img").count() == 0
    notes = page.locator(".hg-notes").inner_text()
    assert "only the beginning is shown" in notes and "text-direction characters" in notes
    assert len(shown) < 21_000
    assert visit.console_errors == [] and visit.outside_requests == []


def test_marking_by_keyboard_downloads_a_scores_file_that_merges(
    graded, serve, open_page, browser, tmp_path, capsys
) -> None:
    bundle, submissions, out = graded
    site = serve(out)
    page, visit = open_page(site, PAGE)
    keys = page.keyboard
    assert progress(page) == "0 of 8 marked"
    assert title(page).startswith("ada: Essay set, e2")  # item by item: e2 for everyone first

    keys.press("2")  # level "mastery" (the key is its points)
    assert (
        page.locator(".hg-line[aria-pressed=true] .hg-line-text").inner_text().startswith("mastery")
    )
    assert page.locator(".hg-state").inner_text() == "✓ Marked: 2 of 2 points."
    keys.press("c")
    keys.type("Author and publisher, both attributed.")
    keys.press("Escape")
    keys.press("s")  # saved for reuse: Shift+1 from now on
    keys.press("n")
    assert title(page).startswith("ben: Essay set, e2")
    keys.press("0")
    keys.press("Shift+Digit1")
    assert page.locator("#hg-comment").input_value() == "Author and publisher, both attributed."
    keys.press("n")
    keys.press("1")
    keys.press("u")  # the next answer not marked: eve's e2
    assert title(page).startswith("eve: Essay set, e2")
    keys.press("n")
    assert title(page).startswith("ada: Essay set, e3")
    keys.press("1")
    keys.press("3")  # criteria add up: 2 of 3
    assert page.locator(".hg-state").inner_text() == "✓ Marked: 2 of 3 points."
    assert progress(page) == "4 of 8 marked"

    keys.press("Tab")  # every control is reachable, and the focus shows
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    with page.expect_download() as info:
        keys.press("d")
    download = info.value
    assert download.suggested_filename == "scores.csv"
    saved = tmp_path / "scores.csv"
    download.save_as(saved)
    table = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [(r["student"], r["item"], r["points"], r["comment"]) for r in table] == [
        ("ada", "e2", "2", "Author and publisher, both attributed."),
        ("ben", "e2", "0", "Author and publisher, both attributed."),
        ("cyd", "e2", "1", ""),
        ("ada", "e3", "2", ""),
    ]
    assert table[0]["digest"] == answer_digest(ANSWERS["ada"]["e2_text"])
    # the rubric lines chosen, 1-based: mastery, beginning, emerging; criteria 1 and 3
    assert [r["rubric"] for r in table] == ["1", "3", "2", "1;3"]
    assert {r["set"] for r in table} == {"essay"}

    page.reload()
    assert progress(page) == "4 of 8 marked", "a reload loses nothing"
    assert visit.console_errors == [] and visit.outside_requests == []

    capsys.readouterr()
    assert grade(bundle, submissions, out, saved) == 0
    assert "merged 4 from scores.csv" in capsys.readouterr().err
    statuses = {(r["student"], r["item"]): r["status"] for r in rows(out / "gradebook.csv")}
    assert [statuses[k] for k in [("ada", "e2"), ("ben", "e2"), ("cyd", "e2"), ("ada", "e3")]] == [
        "manual"
    ] * 4
    assert statuses[("eve", "e2")] == "pending"
    merged = [e for e in page_data(out / PAGE)["entries"] if e["mark"]]
    assert len(merged) == 4, "the rewritten page carries the merged marks"
    ada = (out / "feedback" / "ada.md").read_text()
    assert (
        "Met: names the kind of claim (1 pt); separates this verdict from others (1 pt). "
        "Not yet: names dated evidence (1 pt)." in ada
    )
    assert "Level: mastery: author and publisher, attributed." in ada

    fresh = browser.new_context(**context_options())  # another browser: nothing stored
    other = fresh.new_page()
    other.goto(site.base_url + PAGE)
    assert progress(other) == "4 of 8 marked", "the merged marks show without any import"
    other.keyboard.press("Delete")
    assert progress(other) == "3 of 8 marked"
    other.set_input_files("#hg-import", str(saved))
    # the file is read asynchronously: wait for its message (Playwright retries until it shows)
    expect(other.locator(".hg-message")).to_contain_text("imported 4 marks")
    assert progress(other) == "4 of 8 marked"
    other.select_option("#hg-jump", index=4)  # ada's e3: its two criteria ticked again
    assert title(other).startswith("ada: Essay set, e3")
    assert other.locator(".hg-line[aria-pressed=true]").count() == 2
    old = tmp_path / "old-scores.csv"  # a file from before the rubric column still imports
    old.write_text("student,set,item,points,comment\nben,essay,e3,1,typed\n", encoding="utf-8")
    other.set_input_files("#hg-import", str(old))
    expect(other.locator(".hg-message")).to_contain_text("old-scores.csv: imported 1 mark")
    assert progress(other) == "5 of 8 marked"
    fresh.close()

    write_answers(submissions, "ada", {**ANSWERS["ada"], "e2_text": "Ada resubmitted this."})
    assert grade(bundle, submissions, out) == 0
    page.reload()  # the browser that marked it still holds the mark for the old text
    assert progress(page) == "3 of 8 marked; 1 changed since marked (mark again)"
    page.select_option("#hg-jump", index=0)
    assert "You marked an earlier version of this answer" in page.locator(".hg-notes").inner_text()
    assert page.locator(".hg-state").inner_text() == "Not marked yet."
