"""The attribution finder: source, cue, content, quote kind and source type from text signals."""

from __future__ import annotations

import pandas as pd
import pytest

from medialit.annotations import attributions
from medialit.annotations.attributions import COLUMNS
from medialit.annotations.labels import label_set
from medialit.annotations.source_types import source_type
from medialit.corpus import default

NEW = "harbour-town-votes"


def _row(table, fragment):
    (row,) = [r for r in table.itertuples() if fragment in r.content]
    return row


def test_every_source_type_in_a_capture_from_a_new_site(new_site_corpus):
    table = attributions(NEW, new_site_corpus)
    found = {
        "We heard from families": ("council leader Agnes Rowe", "said", "direct", "official"),
        "the ferry carried 4,200": (
            "a report by the harbour board",
            "According to",
            "indirect",
            "document",
        ),
        "the older of the two boats": ("Marine engineer Tomas Feld", "said", "indirect", "expert"),
        "the timetable matters more": ("Many residents", "say", "indirect", "vague"),
        "a revised timetable was": (
            "A senior official at the harbour board",
            "said",
            "mixed",
            "anonymous_specific",
        ),
        "68 per cent of households": (
            "A survey by the island's community trust",
            "found",
            "indirect",
            "poll_data",
        ),
    }
    assert len(table) == len(found)
    for fragment, expected in found.items():
        row = _row(table, fragment)
        assert (row.source, row.cue, row.quote_kind, row.source_type) == expected, fragment
    body = new_site_corpus.article(NEW).body
    assert all(body[r.start : r.end] == r.content for r in table.itertuples())


def test_the_table_on_every_shipped_article_is_well_formed():
    types = set(label_set("source_types").ids())
    for article_id in default().ids():
        table = attributions(article_id)
        assert list(table.columns) == COLUMNS
        assert not table.empty
        assert set(table["quote_kind"]) <= {"direct", "indirect", "mixed"}
        assert set(table["source_type"]) <= types
        assert table["confidence"].between(0, 1).all()
        body = default().article(article_id).body
        assert all(body[r.start : r.end] == r.content for r in table.itertuples())
        assert table["start"].is_monotonic_increasing


def test_a_block_quotation_takes_its_source_from_the_line_that_introduces_it(shipped):
    shipped("russia-china-resist")
    table = attributions("russia-china-resist")
    row = _row(table, "Certain comments were made by Mr. Biden")
    assert "Dmitry Peskov" in row.source and row.quote_kind == "direct"
    assert row.source_type == "official"


def test_a_vague_source_with_no_quotation_is_found(shipped):
    shipped("united-states-rebalance")
    row = _row(attributions("united-states-rebalance"), "were not particularly harsh")
    assert (row.source, row.source_type, row.quote_kind) == ("many observers", "vague", "indirect")


def test_allegedly_marks_a_charge_whose_accuser_is_not_named(shipped):
    shipped("united-states-rebalance")
    row = _row(attributions("united-states-rebalance"), "provided support to Russian hacking")
    assert pd.isna(row.source) and (row.cue, row.source_type) == ("allegedly", "vague")


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("a person familiar with the talks", "", "anonymous_specific"),
        ("one diplomat", "who spoke on condition of anonymity", "anonymous_specific"),
        ("US commentators", "", "vague"),
        ("Moscow", "", "vague"),
        ("the Kremlin", "", "official"),
        ("a White House readout", "", "document"),
        ("a CBS News poll", "", "poll_data"),
        ("The Example Times", "", "media"),
        ("See my blog", "", "author_own"),
        ("Justin Bronk", "In a study published by the institute", "expert"),
    ],
)
def test_source_types_from_role_nouns_and_plurals(source, context, expected):
    assert source_type(source, context)[0] == expected
