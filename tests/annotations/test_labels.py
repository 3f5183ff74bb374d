"""The label sets: complete, unique, and matching the frameworks they come from."""

from __future__ import annotations

from collections import Counter

import pytest

from medialit.annotations import labels

ALL = [label for label_set in labels.LABEL_SETS.values() for label in label_set]


def test_sizes_match_the_frameworks():
    assert len(labels.LAYERS) == 4
    assert len(labels.FRAMES) == 15
    assert len(labels.ENTMAN_FUNCTIONS) == 4
    assert labels.FRAME_MODES.ids() == ("episodic", "thematic")
    assert set(labels.QUOTE_KINDS.ids()) >= {"direct", "indirect", "mixed"}
    assert len(labels.TECHNIQUES) == 23
    assert len(labels.TECHNIQUE_CATEGORIES) == 6
    assert set(labels.CLAIM_KINDS.ids()) >= {
        "verifiable_fact",
        "opinion",
        "prediction",
        "prescription",
    }
    assert labels.CHECK_WORTHINESS.ids() == ("not_factual", "unimportant_fact", "check_worthy")
    assert set(labels.VERDICTS.ids()) >= {
        "supported",
        "contradicted",
        "unverifiable",
        "overtaken_by_events",
        "unverified",
    }


@pytest.mark.parametrize(
    ("category", "count"),
    [
        ("attack_on_reputation", 5),
        ("justification", 5),
        ("simplification", 3),
        ("distraction", 3),
        ("call", 3),
        ("manipulative_wording", 4),
    ],
)
def test_techniques_per_category(category, count):
    assert len(labels.techniques_in(category)) == count


def test_every_technique_has_a_known_category_and_nothing_else_does():
    for label in labels.TECHNIQUES:
        assert label.category in labels.TECHNIQUE_CATEGORIES, label.id
    others = [label for label in ALL if label not in labels.TECHNIQUES.labels]
    assert all(label.category is None for label in others)


def test_ids_and_tags_are_unique_across_all_sets():
    ids = Counter(label.id for label in ALL)
    tags = Counter(label.tag for label in ALL)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in tags.items() if n > 1] == []


def test_ids_tags_and_definitions_are_well_formed():
    for label in ALL:
        assert label.id.isidentifier() and label.id == label.id.lower(), label.id
        assert label.tag.isupper() and 2 <= len(label.tag) <= 10, label.tag
        assert label.name and label.name[0].isupper(), label.id
        # 260: room for the shared anonymous_specific definition (241 characters, anon_label.patch)
        assert 20 <= len(label.definition) <= 260, label.id
        assert label.definition.endswith("."), label.id


def test_unknown_label_suggests_the_closest():
    with pytest.raises(labels.UnknownLabel, match="Did you mean 'security_defense'"):
        labels.FRAMES["security_defence"]
    with pytest.raises(labels.UnknownLabel, match="not a label in the codebook"):
        labels.set_of("no-such-label")
    with pytest.raises(labels.UnknownLabel, match="no label set"):
        labels.label_set("colours")


def test_layer_label_sets_exist():
    assert set(labels.LAYER_LABEL_SETS) == set(labels.LAYERS.ids())
    for set_ids in labels.LAYER_LABEL_SETS.values():
        for set_id in set_ids:
            labels.label_set(set_id)


def test_table_and_html_show_every_label():
    table = labels.TECHNIQUES.frame()
    assert list(table["id"]) == list(labels.TECHNIQUES.ids())
    assert "category" in table
    html = labels.codebook_table("source_types")
    for label in labels.SOURCE_TYPES:
        assert f"<code>{label.id}</code>" in html and f"<code>{label.tag}</code>" in html
