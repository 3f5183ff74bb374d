"""Each cleaning rule of COURSE.md §3, tested on the captures it was written for and on toy text."""

from __future__ import annotations

import datetime as dt

import pytest

from medialit.corpus.clean import GENERAL_RULES, RULES, CaptureError, clean_capture


def texts(article) -> list[str]:
    return [paragraph.text for paragraph in article.paragraphs]


def test_the_seeds_fire_every_seed_rule_and_no_general_rule(raw_capture):
    fired = set()
    for prefix in ("000", "001", "002", "003", "004"):
        fired.update(clean_capture(raw_capture(prefix)).applied)
    assert fired == set(RULES) - GENERAL_RULES


def test_global_research_header_gives_author_publishers_and_dates(raw_capture):
    article = clean_capture(raw_capture("000"))
    assert article.title == "Russia, China to Resist US but Engagement Is Preferred Option"
    assert article.author == "M. K. Bhadrakumar"
    assert (article.first_publisher, article.first_published) == (
        "Indian Punchline",
        dt.date(2021, 3, 24),
    )
    assert (article.republisher, article.republished) == ("Global Research", dt.date(2021, 3, 25))
    assert article.has_global_research_permission


def test_header_furniture_is_removed_including_a_wrapped_theme_line(raw_capture):
    article = clean_capture(raw_capture("004"))
    body = "\n".join(texts(article))
    for furniture in (
        "Region:",
        "Theme:",
        "War Agenda",
        "In-depth Report",
        "Translate Website",
        "Daily Newsletter",
        "Instagram",
    ):
        assert furniture not in body
    assert texts(article)[0].startswith("The upshot of the Russian response")


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_footer_is_removed_from_the_lone_star_on(raw_capture, prefix):
    article = clean_capture(raw_capture(prefix))
    body = "\n".join(texts(article))
    for furniture in (
        "Note to readers",
        "Featured image",
        "original source of this article",
        "Copyright",
        "Comment on Global Research",
        "Become a Member",
        "Articles by",
        "Disclaimer",
        "fair use",
        "media inquiries",
    ):
        assert furniture not in body
    assert any(removal.rule == "footer" for removal in article.removed)


def test_the_original_source_line_is_read_before_the_footer_goes():
    capture = (
        "A title\n\nSome text here.\n\n*\n\n"
        "The original source of this article is [Example Weekly](#)\n"
    )
    assert clean_capture(capture).first_publisher == "Example Weekly"


def test_exit_mobile_version_and_site_tags_are_removed(raw_capture):
    article = clean_capture(raw_capture("002"))
    assert article.site_tags == ["Putin", "Russia"]
    assert "Exit mobile version" not in "\n".join(texts(article))
    assert texts(article)[0].startswith("While US-Russia relations")
    assert article.author is None and article.first_publisher is None


def test_lines_of_only_no_break_spaces_are_blank(raw_capture):
    article = clean_capture(raw_capture("002"))
    assert "blank-nbsp-lines" in article.applied
    assert all(text.strip() for text in texts(article))
    assert len(article.paragraphs) == 16


def test_no_break_spaces_inside_a_paragraph_become_plain_spaces(raw_capture):
    article = clean_capture(raw_capture("002"))
    assert "In the latest support to India’s cause" in texts(article)[2]
    assert all("\u00a0" not in text and "  " not in text for text in texts(article))


def test_repeated_byline_at_the_end_is_author_and_bio(raw_capture):
    article = clean_capture(raw_capture("001"))
    assert article.author == "Tridivesh Singh Maini"
    assert article.author_bio.startswith(
        "Tridivesh Singh Maini is a New Delhi based Policy Analyst"
    )
    assert "Tridivesh" not in "\n".join(texts(article))


@pytest.mark.parametrize(
    ("prefix", "joined"),
    [
        ("000", "then it’s not possible to rule out unprecedented modes of communication."),
        ("003", "being “the decision maker in Russia”, and underscored that there will be"),
        ("004", "and there is no point deploying intermediate nuclear forces"),
    ],
)
def test_paragraphs_split_mid_sentence_are_rejoined(raw_capture, prefix, joined):
    article = clean_capture(raw_capture(prefix))
    assert any(joined in text for text in texts(article))


def test_a_paragraph_ending_in_a_parenthesis_is_not_joined_to_the_next(raw_capture):
    article = clean_capture(raw_capture("001"))
    assert any(text.endswith("US commentators)") for text in texts(article))


def test_links_keep_their_anchor_text_and_are_recorded(raw_capture):
    article = clean_capture(raw_capture("000"))
    links = [
        (number, link.anchor_text)
        for number, paragraph in enumerate(article.paragraphs, 1)
        for link in paragraph.links
    ]
    assert (10, "it said") in links
    assert (17, "Chinese press release (here)") in links  # escaped parentheses are unescaped
    assert all("](#)" not in text for text in texts(article))
    paragraph = article.paragraphs[9]
    (link,) = paragraph.links
    assert paragraph.text[link.start : link.end] == "it said"


def test_emphasis_markers_are_removed_and_recorded(raw_capture):
    article = clean_capture(raw_capture("000"))
    first = article.paragraphs[0]
    assert "*" not in first.text
    assert first.text.startswith("The US President Joe Biden’s “killer” remark")
    kinds = {(mark.kind, mark.text) for mark in first.emphasis}
    assert ("bold", "Vladimir Putin") in kinds
    assert ("italic", first.text) in kinds


def test_authors_typos_stay_exactly_as_written(raw_capture):
    bodies = "\n".join(
        "\n".join(texts(clean_capture(raw_capture(prefix))))
        for prefix in ("000", "001", "002", "003", "004")
    )
    for typo in ("it urned out", "Both the the", "s-called", "15thinclude", "Madeline Albright"):
        assert typo in bodies


def test_curly_and_straight_quotes_are_kept_as_they_are(raw_capture):
    article = clean_capture(raw_capture("000"))
    assert "“killer”" in texts(article)[0]
    assert "the pipeline's construction.\"" in texts(article)[18]


def test_short_unpunctuated_lines_between_paragraphs_are_headings(raw_capture):
    article = clean_capture(raw_capture("001"))
    headings = [p.text for p in article.paragraphs if p.kind == "heading"]
    assert headings == [
        "Sanctions imposed by Biden Administration",
        "Russia’s response to US sanctions",
        "US Sanctions measured",
    ]


def test_an_empty_capture_is_an_error():
    with pytest.raises(CaptureError, match="empty"):
        clean_capture("\n \u00a0\n")


def test_a_capture_of_only_furniture_is_an_error():
    with pytest.raises(CaptureError, match="no article text"):
        clean_capture("Title\n\nExit mobile version\n")
