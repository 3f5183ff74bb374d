"""compare(): the view follows the controls; layers from the key or from my annotations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medialit.render.topics import load_topics
from medialit.widgets import compare

REPOSITORY = Path(__file__).resolve().parents[2]
PILOT = "putin-changed-stance"  # the article with a key in the repository


def _shown_paragraphs(html: str) -> list[str]:
    return re.findall(r'data-paragraph-id="([^"]+)"', html)


def test_switching_the_topic_changes_the_passages(corpus):
    topics = load_topics(corpus, strict=False)
    first, second = list(topics)[:2]
    widget = compare(topic=first, corpus=corpus)
    assert _shown_paragraphs(widget.view.value) == topics[first].paragraph_ids
    widget.topic.value = second
    assert _shown_paragraphs(widget.view.value) == topics[second].paragraph_ids
    assert "Terms the passages share" in widget.view.value


def test_shared_terms_are_listed_and_marked_in_both_columns(corpus, shipped):
    shipped("biden-putin-meeting", "moscows-coercive-diplomacy")  # both say "NATO"
    widget = compare(["biden-putin-meeting", "moscows-coercive-diplomacy"], corpus=corpus)
    html = widget.view.value
    assert 'data-term="nato"' in html
    columns = html.split('<section class="ml-cmp-col"')[1:]
    assert len(columns) == 2
    assert all('class="ml-term ml-term-on" data-term="nato"' in column for column in columns)


def _shown_layers(html: str) -> set[str]:
    classes = re.search(r'<div class="ml-cmp ([^"]*)">', html)[1].split()
    return {name.removeprefix("ml-show-") for name in classes}


def test_toggling_a_layer_changes_what_is_highlighted(corpus, shipped):
    shipped(PILOT)  # its key has claims in the topic india-quad
    widget = compare(topic="india-quad", layers_shown=(), corpus=corpus)
    assert _shown_layers(widget.view.value) == set()
    widget.layer_boxes["claims"].value = True
    html = widget.view.value
    assert _shown_layers(html) == {"claims"}
    assert 'class="ml-badge ml-b-claims ml-o-key"' in html  # the pilot key has claims here
    widget.layer_boxes["terms"].value = True
    widget.layer_boxes["claims"].value = False
    assert _shown_layers(widget.view.value) == {"terms"}


def test_articles_mode_with_ticks(corpus):
    widget = compare(topic=next(iter(load_topics(corpus, strict=False))), corpus=corpus)
    widget.mode.value = "articles"
    ticked = corpus.ids()[:3]
    for article_id, box in widget.article_boxes.items():
        box.value = article_id in ticked
    assert widget.view.value.count('<section class="ml-cmp-col"') == len(ticked)
    for box in widget.article_boxes.values():
        box.value = False
    assert "Tick at least one article" in widget.view.value


def test_paragraph_ids_mode_reports_a_bad_id(corpus):
    first, last = corpus.ids()[0], corpus.ids()[-1]
    chosen = [f"{first}:p01", f"{last}:p02"]
    widget = compare(paragraph_ids=chosen, corpus=corpus)
    assert _shown_paragraphs(widget.view.value) == chosen
    widget.paragraph_ids.value = f"{first}:p01, {first}:p99"
    count = len(corpus.article(first).paragraphs)
    assert "Cannot show this" in widget.view.value and f"1 to {count}" in widget.view.value


def test_my_annotations_show_as_mine(corpus, store, shipped):
    shipped("russia-china-resist")  # its p01 is in the topic killer-remark
    store.add(
        {
            "paragraph_id": "russia-china-resist:p01",
            "start": 115,
            "end": 125,
            "text": corpus.article("russia-china-resist").body[115:125],
            "layer": "persuasion",
            "label": "loaded_language",
        }
    )
    widget = compare(
        topic="killer-remark",
        source="mine",
        answers=store,
        layers_shown=("persuasion",),
        corpus=corpus,
    )
    assert "MINE TECH: LOADED" in widget.view.value
    widget.source.value = "key"
    assert "MINE TECH" not in widget.view.value
    assert 'class="ml-badge ml-b-persuasion ml-o-key"' in widget.view.value
    widget.source.value = "both"
    assert "MINE TECH: LOADED" in widget.view.value and "ml-o-key" in widget.view.value


def test_a_copy_of_the_course_without_keys_says_so(tmp_path):
    import shutil

    from medialit.corpus import Corpus

    shutil.copytree(REPOSITORY / "sources" / "articles", tmp_path / "articles")
    shutil.copy(REPOSITORY / "sources" / "topics.yaml", tmp_path / "topics.yaml")
    widget = compare(topic="sanctions", corpus=Corpus(tmp_path), answers=tmp_path / "a.json")
    assert "The answer key has no annotations of these articles" in widget.view.value
    widget.source.value = "mine"
    assert "You have no saved annotations of these articles yet" in widget.view.value


def test_every_highlight_has_a_text_badge(corpus):
    widget = compare(
        [PILOT], layers_shown=("framing", "sourcing", "claims", "persuasion"), corpus=corpus
    )
    html = widget.view.value
    spans = html.count('class="ml-hl ')
    badges = html.count('class="ml-badge ')
    assert spans > 0 and badges > 0
    assert badges >= len(set(re.findall(r'<span class="ml-hl [^"]+" title="([^"]+)"', html)))


def test_unknown_topic_is_a_clear_error(corpus):
    with pytest.raises(ValueError, match="Topics: killer-remark"):
        compare(topic="elections", corpus=corpus)
