"""Confidence items: a 1-5 rating after a reading-check answer, recorded and never scored."""

from __future__ import annotations

import pytest

from medialit.grade.answers import Answer
from medialit.grade.bundle import BundleError, Item
from medialit.grade.scoring import score_answer

RATING = {"id": "q1_confidence", "kind": "confidence", "points": 0, "variable": "q1_confidence"}


def rate(value):
    item = Item.from_dict(RATING, "test")
    return score_answer(item, Answer("q1_confidence", value), {})


@pytest.mark.parametrize("value", [1, 3, 5])
def test_a_rating_on_the_scale_is_recorded_for_no_points(value) -> None:
    row = rate(value)
    assert (row.points, row.max_points, row.status) == (0.0, 0.0, "correct")
    assert row.answer == str(value) and row.feedback == f"Confidence {value} of 5 recorded."


@pytest.mark.parametrize("value", [0, 6, 4.5, True, "5", [4]])
def test_anything_else_is_no_rating(value) -> None:
    row = rate(value)
    assert (row.points, row.max_points, row.status) == (0.0, 0.0, "incorrect")
    assert "a whole number from 1 (a guess) to 5 (certain)" in row.feedback


def test_an_empty_rating_is_missing() -> None:
    assert rate(None).status == "missing"
    assert score_answer(Item.from_dict(RATING, "t"), None, {}).status == "missing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"points": 1}, "worth no points"),
        ({"id": "q1_sure"}, "the rated item's id \\+ '_confidence'"),
        ({"variable": None}, "needs 'variable'"),
    ],
)
def test_a_badly_written_confidence_item_is_refused(change, message) -> None:
    with pytest.raises(BundleError, match=message):
        Item.from_dict({**RATING, **change}, "test")


def test_other_kinds_still_need_positive_points() -> None:
    with pytest.raises(BundleError, match="positive number"):
        Item.from_dict({"id": "q1", "kind": "number", "points": 0, "variable": "x", "key": 1}, "t")
