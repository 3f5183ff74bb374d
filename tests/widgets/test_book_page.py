"""The comparison view on the built book page, in a real browser: no kernel, no network."""

from __future__ import annotations

import pytest

from medialit.render.topics import load_topics
from tests.live import only_to

pytestmark = pytest.mark.browser

VISIBLE_PARAGRAPHS = """() => Array.from(document.querySelectorAll('.ml-cmp-para'))
    .filter(p => p.offsetParent !== null).map(p => p.dataset.paragraphId)"""
# Highlighted = a visible span of the layer that is drawn with an underline.
UNDERLINED = """(layer) => Array.from(document.querySelectorAll('.ml-l-' + layer))
    .filter(s => s.offsetParent !== null &&
                 getComputedStyle(s).textDecorationLine.includes('underline')).length"""
VISIBLE_BADGES = """(layer) => Array.from(document.querySelectorAll('.ml-badge.ml-b-' + layer))
    .filter(b => b.offsetParent !== null).length"""


def _open(browser, site_url: str, path: str):
    """A page of the site, with every request that would leave the site blocked and recorded,
    and every console error and script error recorded."""
    context = browser.new_context()
    page = context.new_page()
    page.outside, page.errors = [], []
    only_to(page, site_url, page.outside)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(site_url + path)
    return context, page


@pytest.fixture
def page(browser, site_url):
    """The comparison page, ready."""
    context, page = _open(browser, site_url, "book/compare.html")
    page.wait_for_function(
        "document.querySelector('.ml-cmp-status').textContent.startsWith('Showing')"
    )
    yield page
    context.close()


def test_switching_the_topic_changes_the_passages(page, corpus):
    topics = load_topics(corpus)
    first = page.evaluate(VISIBLE_PARAGRAPHS)
    assert first == topics[next(iter(topics))].paragraph_ids
    page.select_option("select[name=topic]", "nato-ukraine")
    assert page.evaluate(VISIBLE_PARAGRAPHS) == topics["nato-ukraine"].paragraph_ids
    terms = page.locator(".ml-cmp-terms li").all_text_contents()
    assert "NATO" in terms
    assert "nato-ukraine" not in page.locator(".ml-cmp-heading").text_content()
    assert page.locator(".ml-cmp-heading").text_content() == "NATO expansion and Ukraine"
    assert page.errors == [] and page.outside == []


def test_toggling_a_layer_changes_what_is_highlighted(page):
    page.select_option("select[name=topic]", "india-quad")  # its article has a key
    claims = page.locator("input[data-role=layer][value=claims]")
    assert not claims.is_checked()
    assert page.evaluate(UNDERLINED, "claims") == 0
    assert page.evaluate(VISIBLE_BADGES, "claims") == 0
    claims.check()
    underlined = page.evaluate(UNDERLINED, "claims")
    assert underlined > 0 and page.evaluate(VISIBLE_BADGES, "claims") > 0
    assert "claims" in page.locator(".ml-cmp-status").text_content()
    claims.uncheck()
    assert page.evaluate(UNDERLINED, "claims") == 0
    terms = page.locator("input[data-role=layer][value=terms]")
    marked = "() => document.querySelectorAll('.ml-show-terms .ml-term-on').length"
    assert page.evaluate(marked) > 0
    terms.uncheck()
    assert page.evaluate(marked) == 0
    assert page.errors == [] and page.outside == []


def test_whole_articles_side_by_side_by_keyboard(page, corpus):
    page.locator("input[data-role=mode][value=articles]").focus()
    page.keyboard.press("Space")
    assert page.locator(".ml-cmp-articles").is_visible()
    shown = page.evaluate(VISIBLE_PARAGRAPHS)
    first, second = corpus.ids()[:2]
    assert {p.split(":")[0] for p in shown} == {first, second}
    page.locator(f"input[data-role=article][value={second}]").focus()
    page.keyboard.press("Space")  # untick: one article, read on its own
    assert {p.split(":")[0] for p in page.evaluate(VISIBLE_PARAGRAPHS)} == {first}
    assert len(page.evaluate(VISIBLE_PARAGRAPHS)) == len(corpus.article(first).paragraphs)
    page.locator("input[data-role=mode][value=topic]").focus()
    page.keyboard.press("Space")
    page.locator("select[name=topic]").focus()
    before = page.evaluate(VISIBLE_PARAGRAPHS)
    page.keyboard.press("ArrowDown")
    assert page.evaluate(VISIBLE_PARAGRAPHS) != before
    assert page.errors == [] and page.outside == []


def test_no_serious_accessibility_violations_in_the_view(page):
    from axe_playwright_python.sync_playwright import Axe

    page.locator("input[data-role=layer]").evaluate_all("boxes => boxes.forEach(b => b.click())")
    results = Axe().run(page, context=".ml-cmp-app")
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
