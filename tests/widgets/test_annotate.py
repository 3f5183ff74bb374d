"""annotate(): driven through its traits and the messages its front end sends, without a browser."""

from __future__ import annotations

import json

import pytest

from medialit.widgets import annotate
from medialit.widgets.annotate import make_record, span_of_quote
from medialit.widgets.store import AnswersFile


def _saved(store):
    return json.loads(store.path.read_text(encoding="utf-8"))["annotations"]


def _send(widget, **content):
    """What the ES module sends with model.send(...)."""
    widget._received(widget, content, [])


def _words(corpus, paragraph_id, quote):
    paragraph = corpus.paragraph(paragraph_id)
    start, end = span_of_quote(corpus, paragraph, quote)
    return start, end


def test_selected_words_are_saved_with_corpus_offsets_and_both_labels(corpus, store, passage):
    here = passage[0]
    widget = annotate(here.article_id, answers=store, corpus=corpus)
    start, end = _words(corpus, here.paragraph_id, here.words)
    _send(
        widget,
        type="add",
        paragraph_id=here.paragraph_id,
        start=start,
        end=end,
        layer="sourcing",
        labels={"source_types": "vague", "quote_kinds": "indirect"},
    )
    [record] = _saved(store)
    body = corpus.article(here.article_id).body
    assert body[record["start"] : record["end"]] == record["text"] == here.words
    assert record["layer"] == "sourcing" and record["label"] == "vague"
    assert record["labels"] == {"source_types": "vague", "quote_kinds": "indirect"}
    assert widget.message["kind"] == "saved" and "SOURCE: VAGUE·INDIRECT" in widget.message["text"]
    assert widget.annotations == [record]


def test_the_front_end_gets_words_and_labels_with_definitions(corpus, store):
    first_id, last_id = corpus.ids()[0], corpus.ids()[-1]
    widget = annotate(last_id, answers=store, corpus=corpus)
    assert widget.paragraphs[1]["id"] == f"{last_id}:p02"
    paragraph = widget.paragraphs[0]
    first = paragraph["words"][0]
    assert paragraph["text"][first[0] : first[1]] == paragraph["text"].split()[0]
    sourcing = next(layer for layer in widget.layers if layer["id"] == "sourcing")
    assert [d["id"] for d in sourcing["dimensions"]] == ["source_types", "quote_kinds"]
    assert all(label["definition"] for d in sourcing["dimensions"] for label in d["labels"])
    widget.article_id = first_id  # the front end's article picker
    assert widget.paragraphs[0]["id"] == f"{first_id}:p01"


def test_a_span_that_is_not_on_whole_words_is_refused_and_nothing_is_saved(corpus, store, passage):
    widget = annotate(answers=store, corpus=corpus)
    paragraph = corpus.paragraph(passage[0].paragraph_id)
    for start, end in (
        (paragraph.start, paragraph.start + 1),
        (paragraph.end - 3, paragraph.end + 9),
    ):
        _send(
            widget,
            type="add",
            paragraph_id=paragraph.paragraph_id,
            start=start,
            end=end,
            layer="claims",
            labels={"claim_kinds": "opinion"},
        )
        assert widget.message["kind"] == "error"
    assert store.annotations() == []


def test_labels_must_fit_their_layer_and_the_first_dimension_is_required(corpus, store, passage):
    widget = annotate(answers=store, corpus=corpus)
    here = passage[0]
    start, end = _words(corpus, here.paragraph_id, here.words)
    common = dict(type="add", paragraph_id=here.paragraph_id, start=start, end=end)
    _send(widget, **common, layer="sourcing", labels={"quote_kinds": "direct"})
    assert "Choose a label of Source types first" in widget.message["text"]
    _send(widget, **common, layer="claims", labels={"claim_kinds": "loaded_language"})
    assert widget.message["kind"] == "error"
    assert store.annotations() == []
    with pytest.raises(ValueError, match="not a label of the Claims layer"):
        make_record(corpus, here.paragraph_id, "claims", "loaded_language")


def test_curly_and_straight_quotes_are_the_same(corpus, shipped):
    shipped("russia-china-resist")  # a passage in curly quotation marks
    paragraph = corpus.paragraph("russia-china-resist:p11")
    start, end = span_of_quote(corpus, paragraph, '"walk and chew gum"')
    assert corpus.article("russia-china-resist").body[start:end] == "“walk and chew gum”"


def test_a_pasted_quote_chooses_its_words_or_says_why_not(corpus, store, shipped):
    shipped("russia-china-resist")  # a passage in curly quotation marks
    widget = annotate("russia-china-resist", answers=store, corpus=corpus)
    _send(widget, type="find", quote='"walk and chew gum"')
    found = widget.found
    assert found["paragraph_id"] == "russia-china-resist:p11"
    body = corpus.article("russia-china-resist").body
    assert "walk and chew gum" in body[found["start"] : found["end"]]
    _send(widget, type="find", quote="words that the article does not have")
    assert widget.message["kind"] == "error" and "word for word" in widget.message["text"]
    assert store.annotations() == []


def test_delete_from_the_front_end(corpus, store, passage):
    widget = annotate(answers=store, corpus=corpus)
    for here in passage[:2]:
        start, end = _words(corpus, here.paragraph_id, here.words)
        widget.add(
            here.paragraph_id,
            "persuasion",
            {"techniques": "loaded_language"},
            offsets=(start, end),
        )
    _send(widget, type="delete", annotation_id="a001")
    assert [r["annotation_id"] for r in _saved(store)] == ["a002"]
    assert [r["annotation_id"] for r in widget.annotations] == ["a002"]
    _send(widget, type="delete", annotation_id="a009")
    assert widget.message["kind"] == "error" and "a009" in widget.message["text"]


def test_reopening_restores_the_work(corpus, tmp_path, passage):
    here = passage[-1]
    first = annotate(here.article_id, notebook=tmp_path / "lesson.ipynb", corpus=corpus)
    first.find(here.words)
    first.add(
        here.paragraph_id,
        "claims",
        {"claim_kinds": "prediction"},
        offsets=(first.found["start"], first.found["end"]),
    )
    again = annotate(notebook=tmp_path / "lesson.ipynb", corpus=corpus)
    assert len(again.annotations) == 1 and here.words in again.annotations[0]["text"]
    assert (tmp_path / "lesson.answers.json").exists()
    assert "1 annotation(s) in lesson.answers.json" in again.message["text"]


def test_the_widget_says_when_a_corrupt_file_was_moved_aside(corpus, store):
    store.path.write_text("{not json", encoding="utf-8")
    widget = annotate(answers=AnswersFile(store.path), corpus=corpus)
    assert "could not be used" in widget.message["text"]
    assert "fresh file" in widget.message["text"]
    assert list(store.path.parent.glob("*.unreadable-*.json"))
    assert widget.annotations == []


def test_the_module_and_its_css_ship_in_the_package(corpus, store):
    widget = annotate(answers=store, corpus=corpus)
    source = widget._esm if isinstance(widget._esm, str) else widget._esm.read_text()
    assert "export default" in source and "stopPropagation" in source
    assert "import " not in source.split("\n", 5)[-1] or "http" not in source


def test_the_student_release_opens_the_annotator_at_each_annotation_item(tmp_path, monkeypatch):
    from pathlib import Path

    from medialit.assign import source as src
    from medialit.assign.build import build_set

    repository = Path(__file__).resolve().parents[2]
    exercise, _, release = build_set(src.read_source(repository / "exercises" / "sourcing.md"))
    annotation_items = [item for item in exercise.items if item.kind == "annotation"]
    assert annotation_items
    sources = [cell.source for cell in release.cells]
    monkeypatch.chdir(tmp_path)
    for item in annotation_items:
        check = next(i for i, s in enumerate(sources) if f'self_check("{item.id}"' in s)
        opener = sources[check - 2]
        assert "annotate(" in opener
        namespace: dict = {}
        exec(opener.rsplit("\n", 1)[0], namespace)  # the import line
        widget = eval(opener.rsplit("\n", 1)[1], namespace)
        assert widget.article_id == item.article_id
        assert widget.store.path.name == f"{exercise.id}.answers.json"
    assert len({cell["id"] for cell in release.cells}) == len(release.cells)


def test_the_comparison_view_shows_both_labels_of_my_annotation(corpus, store, passage):
    from medialit.render.layers import answer_highlights

    here = passage[0]
    widget = annotate(here.article_id, answers=store, corpus=corpus)
    start, end = _words(corpus, here.paragraph_id, here.words)
    widget.add(
        here.paragraph_id,
        "sourcing",
        {"source_types": "official", "quote_kinds": "direct"},
        offsets=(start, end),
    )
    [highlight] = answer_highlights(corpus, store.annotations())
    assert highlight.badge == "MINE SOURCE: OFFICIAL·DIRECT"
