"""Figures from the keys: count tables in codebook order and a chart that labels its bars."""

from __future__ import annotations

import pytest

from medialit.annotations import labels
from medialit.annotations.figures import MEASURES, chart, count_table, summary_tables
from medialit.annotations.key import load_key


def test_tables_count_what_the_key_says():
    key = load_key("putin-changed-stance")
    tables = summary_tables("putin-changed-stance")
    assert set(tables) == set(MEASURES)
    sources = tables["source_types"].set_index("label_id")["count"].to_dict()
    expected: dict[str, int] = {}
    for annotation in key.layer("sourcing"):
        expected[annotation.source_type] = expected.get(annotation.source_type, 0) + 1
    assert sources == expected
    frames = tables["frames"]
    assert frames["count"].sum() == len(key.layer("framing")) == 16
    techniques = tables["techniques"]
    assert techniques["count"].sum() == len(key.layer("persuasion"))
    assert set(techniques["category"]) <= {c.name for c in labels.TECHNIQUE_CATEGORIES}
    assert abs(tables["claim_kinds"]["share"].sum() - 1) < 0.01


def test_keep_zeros_lists_every_label_in_codebook_order():
    table = count_table("claim_kinds", "putin-changed-stance", keep_zeros=True)
    assert list(table["label_id"]) == list(labels.CLAIM_KINDS.ids())
    assert table.set_index("label_id").loc["no_claim", "count"] == 0


def test_unknown_measure():
    with pytest.raises(ValueError, match="not a measure"):
        count_table("colours")


def test_chart_labels_bars_with_text():
    figure = chart("source_types", "putin-changed-stance")
    axes = figure.axes[0]
    names = [tick.get_text() for tick in axes.get_yticklabels()]
    assert "Named official or official body" in names
    numbers = [text.get_text() for text in axes.texts]
    table = count_table("source_types", "putin-changed-stance")
    assert sorted(numbers) == sorted(str(n) for n in table["count"])
