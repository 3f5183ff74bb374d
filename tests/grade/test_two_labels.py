"""A sourcing annotation carries a source type and a quote kind; the grader reads the one the
item's key is about (and the class report gets it in the row's answer)."""

from __future__ import annotations

import functools
import json

from medialit.annotations.key import load_key, load_keys
from medialit.corpus import default
from medialit.grade import scoring
from medialit.grade.answers import Annotations
from medialit.grade.bundle import Item


@functools.cache
def _article() -> str:
    """A keyed article with sourcing entries (whichever the corpus has: no shipped id)."""
    return next(article_id for article_id, key in load_keys().items() if key.layer("sourcing"))


def _item(field: str) -> Item:
    key = [
        {"start": e.start, "end": e.end, "text": e.text, "label": getattr(e, field)}
        for e in load_key(_article()).layer("sourcing")
    ]
    return Item.from_dict(
        {
            "id": "q9",
            "kind": "annotation",
            "points": 2,
            "article_id": _article(),
            "layer": "sourcing",
            "use_labels": True,
            "key": key,
        },
        "test",
    )


def _answers(quote_kind_of) -> Annotations:
    """The key's own sourcing spans, as the annotator saves them (both labels each)."""
    return Annotations(
        [
            {
                "annotation_id": f"a{n:03d}",
                "paragraph_id": e.paragraph_id,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "layer": "sourcing",
                "label": e.source_type,
                "labels": {"source_types": e.source_type, "quote_kinds": quote_kind_of(e)},
            }
            for n, e in enumerate(load_key(_article()).layer("sourcing"), start=1)
        ]
    )


def test_each_dimension_is_graded_from_its_own_label():
    texts = {_article(): default().article(_article()).body}
    right = _answers(lambda e: e.quote_kind)
    for field in ("source_type", "quote_kind"):
        row = scoring.score_annotations(_item(field), right, texts, "sourcing.answers.json")
        assert row.status == "correct", (field, row.feedback)
    kinds = ("direct", "indirect", "mixed", "pointer")
    rotated = {k: kinds[(i + 1) % len(kinds)] for i, k in enumerate(kinds)}
    wrong_kinds = _answers(lambda e: rotated[e.quote_kind])
    row = scoring.score_annotations(_item("quote_kind"), wrong_kinds, texts, "x.answers.json")
    assert row.status != "correct" and "different label" in row.feedback
    read = {(span[0], span[1]): span[2] for span in json.loads(row.answer)}  # what the report reads
    for e in load_key(_article()).layer("sourcing"):
        assert read[(e.start, e.end)] == rotated[e.quote_kind]
    row = scoring.score_annotations(_item("source_type"), wrong_kinds, texts, "x.answers.json")
    assert row.status == "correct"
