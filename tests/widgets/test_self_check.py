"""self_check(): form and public checks only, with the grader's matchers; never the answer."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from medialit.widgets import self_check
from medialit.widgets.self_check import CheckForm, check, load_forms

MODULE = Path(importlib.import_module("medialit.widgets.self_check").__file__)


def test_a_verbatim_quote_passes_and_says_where_it_is(shipped):
    shipped("russia-china-resist")
    result = self_check("q", "“walk and chew gum”", kind="quote", article_id="russia-china-resist")
    assert result.ok and "russia-china-resist:p11" in result.messages[0]


def test_a_misquote_fails_with_the_nearest_passage(shipped):
    shipped("russia-china-resist")
    result = self_check(
        "q", "walk and chew bubble gum", kind="quote", article_id="russia-china-resist"
    )
    assert not result.ok and "closest passage is russia-china-resist:p" in result.messages[0]


def test_paragraph_ids(corpus):
    first, last = corpus.ids()[0], corpus.ids()[-1]
    count = len(corpus.article(last).paragraphs)
    assert self_check("q", f"{last}:p{count:02d}", kind="paragraph_id").ok
    bad = self_check("q", f"{last}:p{count + 3:02d}", kind="paragraph_id")
    assert not bad.ok and f"1 to {count}" in bad.messages[0]
    other = self_check("q", f"{first}:p01", kind="paragraph_id", article_id=last)
    assert not other.ok and f"this question is about {last}" in other.messages[0]


def test_labels_are_folded_like_the_grader_does():
    assert self_check("q", "Loaded Language", kind="label", label_set="techniques").ok
    assert self_check("q", "loaded_language", kind="label", label_set="techniques").ok
    wrong = self_check("q", "smear", kind="label", label_set="techniques")
    assert not wrong.ok and "Allowed:" in wrong.messages[0]


def test_an_allowed_label_gets_the_same_feedback_whether_right_or_wrong():
    """The pilot key labels this span loaded_language; doubt is allowed but not the key's."""
    right = self_check("q", "loaded_language", kind="label", label_set="techniques")
    other = self_check("q", "doubt", kind="label", label_set="techniques")
    assert right.ok == other.ok
    normalise = lambda text, label: text.replace(label, "LABEL")  # noqa: E731
    assert normalise(str(right), "loaded_language") == normalise(str(other), "doubt")


def test_the_module_never_reads_a_key():
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    # The grader's literal reader (medialit.grade.answers) holds no key: the form check reads
    # answers exactly as the grader does; nothing else of the grader is imported.
    assert "medialit.grade.answers" in imported
    imported.discard("medialit.grade.answers")
    assert not any("key" in name or "grade" in name or "assign" in name for name in imported)


def test_sets_numbers_reflections():
    assert self_check("q", ["Lavrov", "Peskov"], kind="set").ok
    twice = self_check("q", ["Lavrov", "lavrov "], kind="set")
    assert not twice.ok and "same name" in twice.messages[0]
    assert self_check("q", 0.53, kind="number").ok
    assert not self_check("q", True, kind="number").ok
    assert not self_check("q", "too short", kind="reflection", min_words=20).ok


def test_saved_annotations_are_checked_against_the_codebook(corpus, store):
    first, last = corpus.ids()[0], corpus.ids()[-1]
    paragraph = corpus.paragraph(f"{first}:p01")
    body = corpus.article(first).body
    store.add(
        {
            "paragraph_id": paragraph.paragraph_id,
            "start": paragraph.start,
            "end": paragraph.start + 10,
            "text": body[paragraph.start : paragraph.start + 10],
            "layer": "persuasion",
            "label": "loaded_language",
        }
    )
    form = CheckForm("q", "annotation", article_id=first, layer="persuasion")
    assert check(form, store).ok
    store.add(
        {
            "paragraph_id": f"{first}:p02",
            "start": corpus.paragraph(f"{first}:p02").start,
            "end": corpus.paragraph(f"{first}:p02").start + 9,
            "text": "not there",
            "layer": "persuasion",
            "label": "loaded_language",
        }
    )
    result = check(form, store)
    assert not result.ok and "a002: its text is no longer at its place" in result.messages[0]
    empty = check(CheckForm("q", "annotation", article_id=last, layer="claims"), store)
    assert not empty.ok and "use annotate()" in empty.messages[0]


FORMS = """\
q00-cite:
  notebook: 00-orientation
  prompt: Which paragraph?
  check: paragraph_id
  article_id: {article_id}
  explanation: Paragraph ids never shift.
  hint: Look at the numbers on the article page.
q00-days:
  notebook: 00-orientation
  prompt: How many days?
  check: number
  answer: 6
  explanation: Six days.
  hint: Subtract the dates.
q00-pick:
  notebook: 00-orientation
  prompt: Which publisher?
  check: choice
  choices: [Indian Punchline, Global Research]
  answer: Indian Punchline
  explanation: First published on the blog.
  hint: Read first_publisher.
"""


def test_the_questions_come_from_the_notebooks_file(tmp_path, corpus):
    article_id = corpus.ids()[-1]
    path = tmp_path / "self_checks.yaml"
    path.write_text(FORMS.replace("{article_id}", article_id), encoding="utf-8")
    assert self_check("q00-cite", f"{article_id}:p02", forms=path).ok
    wrong = self_check("q00-cite", f"{article_id}:p99", forms=path)
    assert not wrong.ok and wrong.messages[-1] == "Hint: Look at the numbers on the article page."
    # a cell may repeat the form; it must agree with the file
    assert self_check(
        "q00-cite",
        f"{article_id}:p01",
        forms=path,
        kind="paragraph_id",
        article_id=article_id,
    ).ok
    with pytest.raises(ValueError, match="make the cell agree"):
        self_check("q00-cite", "x", forms=path, kind="quote")
    with pytest.raises(KeyError, match="No self-check is defined for 'q09-x'"):
        self_check("q09-x", "x", forms=path)


def test_public_facts_are_checked_for_numbers_and_choices(tmp_path):
    path = tmp_path / "self_checks.yaml"
    path.write_text(FORMS, encoding="utf-8")
    assert self_check("q00-days", 6, forms=path).ok
    assert not self_check("q00-days", 7, forms=path).ok
    assert self_check("q00-pick", "indian punchline", forms=path).ok
    other = self_check("q00-pick", "Global Research", forms=path)
    assert not other.ok and "Hint: Read first_publisher." in other.messages
    assert not self_check("q00-pick", "Twitter", forms=path).ok


def test_a_bad_forms_file_names_the_question_and_the_fix(tmp_path):
    path = tmp_path / "self_checks.yaml"
    path.write_text("q01-x:\n  check: label\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"q01-x.*needs label_set"):
        load_forms(path)
    path.write_text("q01-x:\n  check: set\n  answer: [secret]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="never holds a graded answer"):
        load_forms(path)
    path.write_text("q01-x:\n  check: quote\n  colour: red\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown field"):
        load_forms(path)


def test_every_question_of_the_repository_loads():
    forms = load_forms()
    assert len(forms) >= 20
    assert all(
        form.answer is None
        for form in forms.values()
        if form.kind not in ("number", "choice", "label", "paragraph_id", "quote")
    )


def test_feedback_renders_as_html_without_colour_alone():
    html = self_check("q", "nope", kind="label", label_set="voices")._repr_html_()
    assert "✖ Not yet" in html and 'role="status"' in html
