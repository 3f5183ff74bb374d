"""Site-independent cleaning: datelines, bylines, tag lines, prompts, bios and footers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from medialit.corpus.clean import RULES, clean_capture
from medialit.corpus.datelines import parse_date, read_dateline

CAPTURES = Path(__file__).parent / "captures"
NEW_SITE = CAPTURES / "900_saltmarsh_courier.txt"
OVERRIDE_RULES = {"override-drop", "override-join"}


def texts(article) -> list[str]:
    return [paragraph.text for paragraph in article.paragraphs]


def test_every_rule_fires_on_the_seeds_or_the_new_site(raw_capture):
    fired = set()
    for prefix in ("000", "001", "002", "003", "004"):
        fired.update(clean_capture(raw_capture(prefix)).applied)
    fired.update(clean_capture(NEW_SITE.read_text(encoding="utf-8")).applied)
    # lead-in and closing-furniture have toy captures below; the overrides fire in ingest.
    assert set(RULES) - fired == {"lead-in", "closing-furniture"} | OVERRIDE_RULES


def test_a_capture_from_a_new_site_keeps_only_its_seven_paragraphs():
    article = clean_capture(NEW_SITE.read_text(encoding="utf-8"))
    assert len(article.paragraphs) == 7
    assert texts(article)[0].startswith("The council of Harbourton voted on Wednesday")
    assert texts(article)[-1] == "The motion will be reviewed at the council's April meeting."
    assert (article.author, article.first_publisher, article.first_published) == (
        "Ilse Marten",
        "The Saltmarsh Courier",
        dt.date(2022, 2, 3),
    )
    assert article.site_tags == ["Northern Isles", "Transport", "Local government"]
    assert article.author_bio.startswith("Ilse Marten covers transport")
    body = "\n".join(texts(article))
    for furniture in ("HARBOURTON", "Subscribe", "©", "Northern Isles", "covers transport"):
        assert furniture not in body
    # the only link cue is the article's own, not one from the furniture
    assert [link.anchor_text for p in article.paragraphs for link in p.links] == [
        "survey by the island's community trust"
    ]


@pytest.mark.parametrize(
    ("line", "author", "publisher", "date"),
    [
        ("MOSCOW, Feb. 3, 2022 (Reuters) -", None, "Reuters", dt.date(2022, 2, 3)),
        (
            "By Jane Doe | The Example Times | 3 February 2022",
            "Jane Doe",
            "The Example Times",
            dt.date(2022, 2, 3),
        ),
        (
            "By Jane Doe · Example Weekly · February 3, 2022",
            "Jane Doe",
            "Example Weekly",
            dt.date(2022, 2, 3),
        ),
        ("Published: 2022-02-03", None, None, dt.date(2022, 2, 3)),
        ("Posted on Thursday, February 3rd 2022 at 10:15 am", None, None, dt.date(2022, 2, 3)),
        ("3 Feb 2022", None, None, dt.date(2022, 2, 3)),
        ("Example Weekly - 3 February 2022", None, "Example Weekly", dt.date(2022, 2, 3)),
    ],
)
def test_datelines_in_common_shapes(line, author, publisher, date):
    facts = read_dateline(line)
    assert (facts.author, facts.publisher, facts.date) == (author, publisher, date)


@pytest.mark.parametrize(
    "line",
    [
        "The talks ended on 3 February 2022, and both sides went home.",
        "Moscow - and Beijing - disagreed.",
        "By the end of the week, the ferry was running again.",
        "Feb. 31, 2022",
    ],
)
def test_prose_and_impossible_dates_are_not_datelines(line):
    facts = read_dateline(line)
    assert facts is None or (facts.date is None and facts.author is None)


def test_a_dateline_opening_the_first_paragraph_is_cut_from_it():
    article = clean_capture(
        "Talks Resume\n\nMOSCOW, Feb. 3 (Example Wire) - The two delegations met again on "
        "Thursday and agreed to meet next week.\n\nA second paragraph follows here, as prose.\n"
    )
    assert texts(article)[0].startswith("The two delegations met again")
    assert article.first_publisher == "Example Wire"
    assert article.first_published is None  # no year printed: never guessed
    assert "dateline" in article.applied


def test_short_blocks_before_the_first_prose_paragraph_are_lead_in_furniture():
    article = clean_capture(
        "A Title\n\nLive updates\n\n5 min read\n\nThe first paragraph of the article is here, "
        "and it is prose.\n\nThe second one is prose as well, to be sure.\n"
    )
    assert texts(article)[0].startswith("The first paragraph")
    assert [r.text for r in article.removed if r.rule == "lead-in"] == [
        "Live updates",
        "5 min read",
    ]


def test_short_blocks_after_the_last_prose_paragraph_are_closing_furniture():
    article = clean_capture(
        "A Title\n\nThe only paragraph of the article is here, and it is prose.\n\n"
        "Back to top\n\nPrivacy | Terms\n"
    )
    assert texts(article) == ["The only paragraph of the article is here, and it is prose."]
    assert "closing-furniture" in article.applied


def test_prompts_in_the_middle_of_the_body_are_removed_but_prose_about_subscribers_stays():
    article = clean_capture(
        "A Title\n\nThe first paragraph of the article is here, and it is prose.\n\n"
        "Read more: Ferry timetables for the spring\n\n"
        "Subscribers to the ferry pass pay less, the council said on Monday.\n\n"
        "The last paragraph is prose too, and it ends here.\n"
    )
    assert texts(article) == [
        "The first paragraph of the article is here, and it is prose.",
        "Subscribers to the ferry pass pay less, the council said on Monday.",
        "The last paragraph is prose too, and it ends here.",
    ]


def test_subheadings_inside_the_body_are_kept():
    article = clean_capture(
        "A Title\n\nThe first paragraph of the article is here, and it is prose.\n\n"
        "What comes next\n\nThe last paragraph is prose too, and it ends here.\n"
    )
    assert [p.kind for p in article.paragraphs] == ["text", "heading", "text"]


def test_parse_date_rejects_what_is_not_a_whole_date():
    assert parse_date("in February 2022") is None
    assert parse_date("2022-13-01") is None


def test_a_place_date_dash_dateline_and_an_unbylined_bio_give_the_facts():
    """A shape found while adding an article from a new site (issue 14's done-when check): a
    'PLACE, date — Publisher' dateline, no byline, the author named only by the closing bio."""
    capture = "\n\n".join(
        [
            "Europe Cannot Buy Its Way Out of the Gas Question",
            "OPINION | Energy · Europe",
            "VILNIUS, March 14, 2022 — The Lakeshore Ledger",
            "For a decade, governments told voters that pipeline gas was a commercial matter.",
            "Get the Ledger's morning briefing in your inbox. Subscribe now.",
            "Europe will probably pay more for its energy for several years to come.",
            "Daniel Okafor is a contributing editor of The Lakeshore Ledger.",
            "© 2022 The Lakeshore Ledger. All rights reserved.",
        ]
    )
    article = clean_capture(capture)
    assert len(article.paragraphs) == 2
    assert (article.author, article.first_publisher, article.first_published) == (
        "Daniel Okafor",
        "The Lakeshore Ledger",
        dt.date(2022, 3, 14),
    )
    inline = clean_capture(
        "A title\n\nWASHINGTON, March 14, 2022 - The talks ended late on Monday, officials said."
    )
    assert texts(inline) == ["The talks ended late on Monday, officials said."]
    assert inline.first_published == dt.date(2022, 3, 14)
