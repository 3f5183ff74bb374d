"""Crafted answers earn exactly the partial credit worked out by hand, and feedback keeps keys."""

from __future__ import annotations

import pytest

from medialit.grade import scoring
from medialit.grade.answers import Annotations, Answer
from medialit.grade.bundle import bundle_from_dict
from medialit.grade.sandbox import RunResult


@pytest.fixture
def items(kit):
    bundle = bundle_from_dict(kit.demo_bundle_dict(), "demo")
    return {item.id: item for item in bundle.sets["demo"].items}, bundle.texts


def score(items, item_id, value):
    found, texts = items
    item = found[item_id]
    return scoring.score_answer(item, Answer(item.variable, value), texts)


@pytest.mark.parametrize(
    ("value", "points", "status"),
    [
        ("Doubt", 2, "correct"),
        ("  doubt ", 2, "correct"),
        ("casting doubt", 2, "correct"),  # accepted alternative
        ("Name calling/labeling", 1, "partial"),  # same category: half
        ("Loaded language", 0, "incorrect"),
        ("Smear", 0, "incorrect"),  # not a label at all
    ],
)
def test_label_credit(items, value, points, status) -> None:
    row = score(items, "q1", value)
    assert (row.points, row.status) == (points, status)


def test_span_credit_is_the_overlap_f1_scaled(items, kit) -> None:
    # Key: "the meeting in Geneva was postponed" (35 characters).
    assert score(items, "q2", "the meeting in Geneva was postponed").points == 2
    # 28 characters too many: P = 35/63, R = 1, F1 = 0.7143, credit = F1 / 0.8 = 0.8929 -> 1.79
    row = score(items, "q2", "According to Sergey Lavrov, the meeting in Geneva was postponed")
    assert (row.points, row.status) == (1.79, "partial")
    assert "trim" in row.feedback
    # "the meeting in Geneva" = 21 chars: P = 1, R = 0.6, F1 = 0.75, credit 0.9375 -> 1.88
    row = score(items, "q2", "the meeting in Geneva")
    assert row.points == 1.88 and "whole" in row.feedback
    # curly quotes, a dash or extra spaces in the student's copy do not matter
    assert score(items, "q2", "the  meeting in Geneva was postponed").points == 2


def test_span_not_verbatim(items) -> None:
    row = score(items, "q2", "the meeting in Vienna was postponed")
    assert row.points == 0 and "word for word" in row.feedback


def test_set_credit(items) -> None:
    assert score(items, "q3", ["Sergei Lavrov", "biden"]).points == 2
    # found 1 of 2, 1 extra: P = R = 0.5 -> F1 0.5 -> 1 point
    row = score(items, "q3", ["Lavrov", "Putin"])
    assert row.points == 1 and "1 of 2" in row.feedback
    # found 1 of 2, nothing extra: P = 1, R = .5, F1 = 2/3 -> 1.33
    assert score(items, "q3", ["Lavrov"]).points == 1.33


def test_number_tolerance(items) -> None:
    assert score(items, "q4", 53).points == 1
    assert score(items, "q4", 53.4).points == 1
    assert score(items, "q4", 54).points == 0


@pytest.mark.parametrize(
    ("item_id", "value", "words"),
    [
        ("q1", ["Doubt"], "a list"),
        ("q2", 12, "a number"),
        ("q3", "Lavrov", "text"),
        ("q4", "53", "text"),
        ("q4", True, "True/False"),
        ("q7", 3, "a number"),
    ],
)
def test_wrong_type_scores_zero_and_says_what_is_expected(items, item_id, value, words) -> None:
    row = score(items, item_id, value)
    assert row.points == 0 and row.status == "incorrect"
    assert f"it is {words}" in row.feedback


@pytest.mark.parametrize("value", [None, "", [], ...])
def test_blank_answers_are_missing(items, value) -> None:
    row = score(items, "q1", value)
    assert (row.points, row.status) == (0, "missing")


def test_reflection_is_pending_with_its_rubric(items) -> None:
    row = score(items, "q7", "Too short.")
    assert row.points is None and row.status == "pending"
    assert "names a technique (1 pt)" in row.feedback
    assert "shorter than the 20 words" in row.feedback


def annotation(kit, quote: str, label: str = "cue", layer: str = "sourcing") -> dict:
    return {"paragraph_id": "demo:p02", "layer": layer, "label": label, **kit.span_of(quote)}


def test_annotation_credit(items, kit) -> None:
    found, texts = items
    item = found["q5"]

    def grade(*entries):
        saved = Annotations(list(entries))
        return scoring.score_annotations(item, saved, texts, "demo.answers.json")

    assert grade(*kit.RIGHT_ANNOTATIONS).points == 3
    # only one of two cues: P = 1, R = .5, F1 = 2/3, credit = .8333 -> 2.5
    row = grade(kit.RIGHT_ANNOTATIONS[0])
    assert row.points == 2.5 and "not marked yet" in row.feedback
    # both in place, one with the wrong label: P = R = .5 -> F1 .5 -> credit .625 -> 1.88
    row = grade(kit.RIGHT_ANNOTATIONS[0], {**kit.RIGHT_ANNOTATIONS[1], "label": "source"})
    assert row.points == 1.88 and "different label" in row.feedback
    # another layer does not count
    assert grade(annotation(kit, "According to", layer="claims")).status == "missing"


def test_code_credit_is_the_share_of_checks(items) -> None:
    found, _ = items
    item = found["q6"]
    run = RunResult(
        "ok",
        "ran",
        [
            {"ok": True, "value": ["b"]},
            {"ok": True, "value": ["x"]},
            {"ok": False, "error": "TypeError: boom"},
        ],
    )
    row = scoring.score_code(item, "def find_direct_quotes(t): ...", run)
    assert row.points == 1 and row.status == "partial"  # 1 of 3 checks, 3 points
    assert "curly quotation marks" in row.feedback and "raised TypeError" in row.feedback
    assert "x y" not in row.feedback  # the expected value is never shown


@pytest.mark.parametrize(
    ("value", "expected", "same"),
    [(1, 1.0, True), (True, 1, False), ([1, [2]], [1, [2]], True), ({"a": 1}, {"a": "1"}, False)],
)
def test_code_values_compare_by_json_type(value, expected, same) -> None:
    assert scoring._same(value, expected) is same


def test_feedback_never_contains_the_key(items, kit) -> None:
    found, _ = items
    wrong = {"q1": "Loaded language", "q2": "Many observers doubt it.", "q3": ["Putin"], "q4": 7}
    for item_id, value in wrong.items():
        item = found[item_id]
        feedback = score(items, item_id, value).feedback.lower()
        keys = [item.key] if isinstance(item.key, str | int) else item.key
        for key in keys:
            text = key["text"] if isinstance(key, dict) else str(key)
            assert text.lower() not in feedback, (item_id, text)


def test_the_answer_is_recorded_as_the_matcher_read_it(items) -> None:
    assert score(items, "q1", "  Casting DOUBT").answer == '"casting doubt"'
    assert score(items, "q3", ["Biden", "Sergei Lavrov", "biden"]).answer == (
        '["joe biden", "sergey lavrov"]'
    )
    # the passage as it stands in the text (curly quotes and all), not as typed
    typed = '"the meeting in Geneva"'
    assert score(items, "q2", typed.strip('"')).answer == '["the meeting in Geneva"]'
    assert score(items, "q4", 53).answer == "53"
    assert score(items, "q1", ["Doubt"]).answer == '["Doubt"]'
