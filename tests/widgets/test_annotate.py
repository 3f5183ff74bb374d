"""annotate(): driven through .value and .click(), as a student would, without a browser."""

from __future__ import annotations

import json

import pytest

from medialit.widgets import annotate
from medialit.widgets.annotate import make_record, span_of_quote
from medialit.widgets.store import AnswersFile


def _choose(widget, paragraph_id, layer, label, *, quote="", whole=False, words=None):
    widget.article.value = paragraph_id.split(":")[0]
    widget.paragraph.value = paragraph_id
    widget.whole.value = whole
    widget.quote.value = quote
    if words:
        widget.words.value = words
    widget.layer.value = layer
    widget.label.value = label


def _saved(store):
    return json.loads(store.path.read_text(encoding="utf-8"))["annotations"]


def test_a_quoted_span_is_saved_with_corpus_offsets(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    _choose(widget, "russia-china-resist:p03", "sourcing", "vague", quote="Moscow sees")
    widget.add_button.click()
    [record] = _saved(store)
    body = corpus.article("russia-china-resist").body
    assert body[record["start"] : record["end"]] == record["text"] == "Moscow sees"
    assert record["layer"] == "sourcing" and record["label"] == "vague"
    assert "✔ Saved" in widget.status.value
    assert widget.saved.options[0][1] == record["annotation_id"]


def test_words_and_whole_paragraphs(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    _choose(widget, "russia-china-resist:p22", "persuasion", "slogans", words=(52, 55))
    assert "Trust Biden to respond." in widget.preview.value
    widget.add_button.click()
    _choose(widget, "biden-putin-meeting:p13", "framing", "security_defense", whole=True)
    widget.add_button.click()
    first, second = _saved(store)
    assert first["text"] == "Trust Biden to respond."
    paragraph = corpus.paragraph("biden-putin-meeting:p13")
    assert (second["start"], second["end"]) == (paragraph.start, paragraph.end)


def test_curly_and_straight_quotes_are_the_same(corpus):
    paragraph = corpus.paragraph("russia-china-resist:p11")
    start, end = span_of_quote(corpus, paragraph, '"walk and chew gum"')
    assert corpus.article("russia-china-resist").body[start:end] == "“walk and chew gum”"


def test_words_not_in_the_paragraph_are_refused_and_nothing_is_saved(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    _choose(widget, "russia-china-resist:p03", "claims", "opinion", quote="taunting invite")
    widget.add_button.click()
    assert "✖ Not saved" in widget.status.value
    assert "russia-china-resist:p09" in widget.status.value  # where the words are
    assert store.annotations() == []


def test_only_the_layers_labels_are_offered_and_accepted(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    widget.layer.value = "claims"
    offered = {value for _, value in widget.label.options}
    assert "prediction" in offered and "loaded_language" not in offered
    with pytest.raises(ValueError, match="not a label of the Claims layer"):
        make_record(corpus, "russia-china-resist:p03", "claims", "loaded_language")


def test_edit_and_delete_through_the_list(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    _choose(widget, "russia-china-resist:p03", "sourcing", "vague", quote="Moscow sees")
    widget.add_button.click()
    _choose(widget, "russia-china-resist:p01", "persuasion", "loaded_language", quote="outrageous")
    widget.add_button.click()
    assert widget.save_button.disabled and widget.delete_button.disabled  # nothing selected
    widget.saved.value = "a001"  # selecting loads the annotation into the form
    assert widget.paragraph.value == "russia-china-resist:p03"
    assert widget.quote.value == "Moscow sees" and widget.label.value == "vague"
    widget.label.value = "official"
    widget.save_button.click()
    assert [r["label"] for r in _saved(store)] == ["official", "loaded_language"]
    widget.saved.value = "a002"
    widget.delete_button.click()
    assert [r["annotation_id"] for r in _saved(store)] == ["a001"]
    assert [value for _, value in widget.saved.options] == ["a001"]


def test_reopening_restores_the_work(corpus, tmp_path):
    first = annotate(notebook=tmp_path / "lesson.ipynb", corpus=corpus)
    _choose(first, "biden-putin-meeting:p13", "claims", "prediction", quote="virtually nil")
    first.add_button.click()
    again = annotate(notebook=tmp_path / "lesson.ipynb", corpus=corpus)
    assert len(again.saved.options) == 1 and "virtually nil" in again.saved.options[0][0]
    assert (tmp_path / "lesson.answers.json").exists()
    assert "1 annotation(s) in lesson.answers.json" in again.status.value


def test_the_widget_says_when_a_corrupt_file_was_moved_aside(corpus, store):
    store.path.write_text("{not json", encoding="utf-8")
    widget = annotate(answers=AnswersFile(store.path), corpus=corpus)
    assert "could not be used" in widget.status.value
    assert "fresh file" in widget.status.value
    assert list(store.path.parent.glob("*.unreadable-*.json"))
    assert widget.saved.options == ()


def test_the_preview_shows_my_saved_highlights_with_badges(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    _choose(widget, "russia-china-resist:p01", "persuasion", "loaded_language", quote="outrageous")
    widget.add_button.click()
    assert "MINE TECH: LOADED" in widget.preview.value
