"""locate(): quotes are found whatever their quote marks, dashes and spacing, or explained."""

from __future__ import annotations

import pytest

from medialit import corpus


def test_a_curly_quote_is_found_with_straight_quotes_and_the_stored_text_is_returned(shipped):
    shipped("russia-china-resist")
    location = corpus.locate('Biden\'s "killer" remark')
    assert location.article_id == "russia-china-resist"
    assert location.paragraph_id == "russia-china-resist:p01"
    assert location.text == "Biden’s “killer” remark"
    body = corpus.article("russia-china-resist").body
    assert body[location.start : location.end] == location.text


def test_a_straight_quote_is_found_with_curly_quotes(shipped):
    shipped("russia-china-resist")
    location = corpus.locate("the pipeline’s construction.”", "russia-china-resist")
    assert location.text == "the pipeline's construction.\""


def test_dashes_and_white_space_count_as_equal(shipped):
    shipped("russia-china-resist")
    location = corpus.locate("gaffes.  But Moscow", "russia-china-resist")
    assert location.text == "gaffes. But Moscow"
    dashed = corpus.locate("yardstick - even by his own", "russia-china-resist")
    assert dashed.text == "yardstick — even by his own"


def test_an_ellipsis_character_matches_three_dots(shipped):
    shipped("putin-changed-stance")
    location = corpus.locate('"...from a position of dependency', "putin-changed-stance")
    assert location.text == "“…from a position of dependency"


def test_a_quote_not_in_the_corpus_names_the_nearest_passage(shipped):
    shipped("moscows-coercive-diplomacy")
    with pytest.raises(corpus.QuoteNotFound) as raised:
        corpus.locate("the possibility of a Russian invasion of Ukraine was never there")
    error = raised.value
    assert "not verbatim" in str(error)
    assert error.nearest[0] == "moscows-coercive-diplomacy:p09.s02"
    assert "was never really there" in str(error)


def test_corrected_typos_are_not_verbatim(shipped):
    shipped("biden-putin-meeting")
    with pytest.raises(corpus.QuoteNotFound, match="it urned out"):
        corpus.locate("it turned out that those verbal assurances were worthless")


def test_locate_can_be_limited_to_one_article(shipped):
    shipped("putin-changed-stance", "russia-china-resist")
    with pytest.raises(corpus.QuoteNotFound, match="in article putin-changed-stance"):
        corpus.locate("walk and chew gum", "putin-changed-stance")


def test_locate_all_finds_every_occurrence(shipped):
    shipped("russia-china-resist")
    found = corpus.locate_all("walk and chew gum")
    assert [location.paragraph_id for location in found] == [
        "russia-china-resist:p03",
        "russia-china-resist:p11",
    ]


def test_an_empty_quote_is_refused():
    with pytest.raises(ValueError, match="empty"):
        corpus.locate("  ")
