"""What students are told: practice checks say right or not and why; graded form checks never
say right or passed, and refuse what the grader refuses; before_you_submit lists what is left."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pandas as pd
import pytest

from medialit.grade.answers import read_submission
from medialit.widgets.self_check import self_check
from medialit.widgets.submit import before_you_submit

module = importlib.import_module("medialit.widgets.self_check")  # the package exports the function


def test_a_wrong_walkthrough_answer_is_not_passed():
    wrong = self_check("q04-frame-or-technique", "persuasion", kind="label", label_set="layers")
    assert not wrong.ok and wrong.right is False
    shown = str(wrong) + wrong._repr_html_()
    assert "passed" not in shown.lower() and "Not right yet" in shown
    right = self_check("q04-frame-or-technique", "framing", kind="label", label_set="layers")
    assert right.ok and right.right is True
    assert "✔ Right" in str(right) and "Why: Security and defense" in str(right)


def test_a_practice_quote_is_right_inside_the_recorded_passage():
    kind = {"kind": "quote", "article_id": "biden-putin-meeting"}
    assert self_check("q03-headline", "I don’t accept anyone’s red line", **kind).right
    elsewhere = self_check("q03-headline", "in an indirect challenge to Moscow", **kind)
    assert elsewhere.right is False and not elsewhere.ok


def test_an_open_practice_question_says_well_formed_and_points_to_the_explanation():
    result = self_check("q03-frame", "economic", kind="label", label_set="frames")
    assert result.ok and result.right is None
    assert "Well formed" in str(result) and "more than one defensible answer" in str(result)


@pytest.mark.parametrize(
    ("question", "answer", "form"),
    [
        ("q1", "vague", {"kind": "label", "label_set": "source_types"}),
        ("q6", 9, {"kind": "number"}),
        ("q4", "walk and chew gum", {"kind": "quote", "article_id": "russia-china-resist"}),
    ],
)
def test_a_graded_form_check_never_says_right_or_passed(question, answer, form, monkeypatch):
    monkeypatch.setattr(module, "_history", lambda: [])
    result = self_check(question, answer, **form)
    shown = (str(result) + result._repr_html_()).lower()
    assert result.ok and result.graded
    assert "right" not in shown.replace("whether the answer is right", "")
    assert "passed" not in shown and "correct" not in shown


def test_a_computed_answer_is_refused_exactly_as_the_grader_refuses_it(monkeypatch):
    cells = [
        "paragraphs = corpus.paragraphs('moscows-coercive-diplomacy')",
        "q6_ukraine_paragraphs = int(paragraphs['text'].str.contains('Ukrain').sum())",
        'self_check("q6", q6_ukraine_paragraphs, kind="number")',
    ]
    monkeypatch.setattr(module, "_history", lambda: cells)
    result = self_check("q6", 9, kind="number")
    grader = read_submission({"nbformat": 4, "cells": [{"cell_type": "code", "source": cells[1]}]})
    assert grader.answers["q6_ukraine_paragraphs"].error is not None  # the grader refuses it
    assert not result.ok and "not written as a plain value" in str(result)
    cells[1] = "q6_ukraine_paragraphs = 9"
    assert self_check("q6", 9, kind="number").ok


def test_the_days_hint_leads_to_an_accepted_answer():
    table = pd.DataFrame({"first_published": [pd.Timestamp("2022-02-18")]})
    span = pd.Timestamp("2022-02-24") - table["first_published"][0]
    as_timedelta = self_check("q00-days", span, kind="number")
    assert not as_timedelta.ok and ".days" in str(as_timedelta)
    hint = module.load_forms()["q00-days"].hint
    assert ".days" in hint
    assert self_check("q00-days", span.days, kind="number").right


def _notebook(folder: Path, name: str, set_id: str, source: str) -> None:
    cells = [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}]
    notebook = {"nbformat": 4, "metadata": {"medialit": {"set": set_id}}, "cells": cells}
    (folder / name).write_text(json.dumps(notebook), encoding="utf-8")


def test_before_you_submit_lists_files_and_what_is_missing(tmp_path: Path):
    _notebook(tmp_path, "sourcing.ipynb", "sourcing", "q1 = 'vague'\nq2 = None")
    report = before_you_submit("sourcing", ["q1", "q2"], annotations=True, folder=tmp_path)
    assert not report.ready
    assert report.files == ["sourcing.ipynb", "sourcing.answers.json"]
    assert any("q2 has no answer" in p for p in report.problems)
    assert any("sourcing.answers.json is missing" in p for p in report.problems)
    _notebook(tmp_path, "sourcing (1).ipynb", "sourcing", "q1 = 'vague'")
    twice = before_you_submit("sourcing", ["q1"], folder=tmp_path)
    assert any("Several copies" in p for p in twice.problems)


def test_before_you_submit_is_ready_when_the_grader_can_read_everything(tmp_path: Path):
    _notebook(tmp_path, "Copy of claims.ipynb", "claims", "q1 = 'prediction'\nq6 = 4")
    report = before_you_submit("claims", ["q1", "q6"], folder=tmp_path)
    assert report.ready and "Ready to hand in" in str(report)
    assert "right" not in str(report).replace("whether they are right", "")
