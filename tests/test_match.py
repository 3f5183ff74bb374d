"""The shared matchers beyond their doctests: edge cases the grader and self-checks rely on."""

from __future__ import annotations

import pytest

from medialit.match import (
    Span,
    find_quote,
    match_label,
    match_number,
    normalize_name,
    set_f1,
    span_f1,
)


def test_span_f1_follows_the_semeval_formula_for_several_spans() -> None:
    # predicted: [0,10) and [20,30); gold: [5,25)
    # precision: (5/10 + 5/10) / 2 = 0.5; recall: (5/20 + 5/20) / 1 = 0.5
    score = span_f1([(0, 10), (20, 30)], [(5, 25)])
    assert score.precision == pytest.approx(0.5) and score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(0.5)


def test_repeating_a_span_gains_nothing() -> None:
    once = span_f1([(0, 10)], [(0, 10), (20, 30)])
    many = span_f1([(0, 10)] * 5 + [(2, 8)], [(0, 10), (20, 30)])
    assert many == once


def test_spans_in_other_documents_never_overlap() -> None:
    assert span_f1([Span(0, 10, document="a")], [Span(0, 10, document="b")]).f1 == 0


def test_zero_length_spans_are_ignored() -> None:
    assert span_f1([(3, 3), (0, 10)], [(0, 10)]).f1 == 1


def test_span_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        span_f1([(10, 2)], [(0, 5)])


def test_names_fold_case_punctuation_and_articles() -> None:
    assert normalize_name("the Kremlin") == normalize_name("Kremlin.")
    assert set_f1(["Russian foreign ministry"], ["The Russian Foreign Ministry"]).f1 == 1


def test_aliases_given_as_a_single_string() -> None:
    assert set_f1(["Lavrov"], ["Sergey Lavrov"], {"Sergey Lavrov": "Lavrov"}).f1 == 1


def test_blank_entries_do_not_count() -> None:
    assert set_f1(["", "  ", "Biden"], ["Joe Biden"], {"Joe Biden": ["Biden"]}).extra == 0


def test_label_without_categories_has_no_half_credit() -> None:
    assert match_label("opinion", "prediction").credit == 0


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "53", None, [53]])
def test_numbers_refuse_non_numbers(value) -> None:
    assert match_number(value, 53, abs_tol=100) is False


def test_find_quote_treats_ellipsis_and_spacing_like_the_corpus() -> None:
    text = "He said \u201cwait\u2026 and see\u201d."
    assert find_quote('"wait... and  see"', text) == (8, 23)
    assert find_quote("", text) is None
