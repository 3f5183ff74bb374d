"""Every answer kind turns any odd value into a reason a student understands, never a grader
failure and never a message that contradicts itself ("should be a list ...; it is a list")."""

from __future__ import annotations

import json
import re

import pytest

from medialit.grade import engine, scoring
from medialit.grade.answers import Annotations, Answer, read_submission
from medialit.grade.bundle import Item, bundle_from_dict

HUGE = 10**5000
ODD = [
    HUGE,
    -HUGE,
    10**400,
    1e308 * 10,  # inf
    -(1e308 * 10),
    float("nan"),
    b"bytes",
    {"a", "b"},
    {HUGE},
    frozenset({"x"}),
    1j,
    3 + 4j,
    [["nested"]],
    [[[[[[[["deep"]]]]]]]],
    [HUGE],
    [HUGE, "Lavrov"],
    ["Lavrov", 1e308 * 10],
    ["Lavrov", float("nan")],
    ["Lavrov", b"x"],
    ["Lavrov", None],
    ("tuple", HUGE),
    {"a": HUGE},
    {HUGE: "a"},
    None,
    True,
    False,
    ...,
    0,
    -1,
    7,
    2.5,
    "",
    "x" * 10_000,
    "Doubt",
    [],
    [1, 2],
    [True],
    {},
]
IDS = [f"{type(v).__name__}{i}" for i, v in enumerate(ODD)]
RATING = {"id": "q1_confidence", "kind": "confidence", "points": 0, "variable": "q1_confidence"}


@pytest.fixture(scope="module")
def items():
    import importlib.util
    from pathlib import Path

    kit_path = Path(__file__).with_name("conftest.py")
    spec = importlib.util.spec_from_file_location("kit_odd", kit_path)
    kit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kit)
    bundle = bundle_from_dict(kit.demo_bundle_dict(), "demo")
    found = {item.kind: item for item in bundle.sets["demo"].items}
    found["confidence"] = Item.from_dict(RATING, "demo")
    return found, bundle.texts


def check_row(row: scoring.ItemResult, kind: str, value) -> None:
    text = row.feedback
    assert "grader failed" not in text and "tell staff" not in text, text
    assert row.status in ("incorrect", "missing", "correct", "partial", "pending"), text
    assert len(text) < 1000, text
    json.dumps(row.to_dict())  # storable
    said = re.match(r".* should be (.*?); it is (.*?)\.$", text)
    if said:  # a type complaint names a type other than the one asked for
        wanted, got = said.groups()
        assert got.split(",")[0] not in wanted, text
        assert not re.fullmatch(r"an? (list|number|text|set|tuple)", got) or got not in wanted


@pytest.mark.parametrize("kind", ["label", "span", "set", "number", "reflection", "confidence"])
@pytest.mark.parametrize("value", ODD, ids=IDS)
def test_a_literal_answer_of_any_shape_gets_a_reason(items, kind, value) -> None:
    found, texts = items
    item = found[kind]
    row = engine._printable_row(scoring.score_answer(item, Answer(item.variable, value), texts))
    check_row(row, kind, value)


def test_a_list_holding_a_huge_number_says_which_entry_is_wrong(items) -> None:
    found, texts = items
    item = found["set"]
    row = scoring.score_answer(item, Answer(item.variable, ["Lavrov", HUGE]), texts)
    assert row.status == "incorrect"
    assert "entry 2" in row.feedback and "number" in row.feedback, row.feedback
    assert "it is a list" not in row.feedback


@pytest.mark.parametrize(
    ("value", "words"),
    [(HUGE, "too large"), (1e308 * 10, "infinite"), (1j, "complex"), (b"53", "bytes")],
    ids=["huge", "inf", "complex", "bytes"],
)
def test_a_number_answer_explains_what_is_odd(items, value, words) -> None:
    found, texts = items
    item = found["number"]
    row = scoring.score_answer(item, Answer(item.variable, value), texts)
    assert row.status == "incorrect" and words in row.feedback, row.feedback


@pytest.mark.parametrize(
    "source",
    [
        "q3_sources = ['Lavrov', 1" + "0" * 4200 + "]",
        "q4_share = 1e999",
        "q4_share = -1e999j",
        "q3_sources = {'Lavrov', b'Biden'}",
        "q1_technique = b'Doubt'",
        "q2_claim = [['nested']]",
        "q4_share = 1" + "0" * 4200,
    ],
    ids=["list-huge", "inf", "complex", "set-bytes", "bytes", "nested", "huge"],
)
def test_literals_read_from_a_notebook_get_reasons(items, source) -> None:
    found, texts = items
    notebook = {"nbformat": 4, "cells": [{"cell_type": "code", "source": source}]}
    submission = read_submission(notebook)
    for kind in ("label", "span", "set", "number"):
        item = found[kind]
        row = scoring.score_answer(item, submission.answers.get(item.variable), texts)
        check_row(engine._printable_row(row), kind, None)


@pytest.mark.parametrize(
    "entry",
    [
        {"start": HUGE, "end": HUGE + 5},
        {"start": 5, "end": float("inf")},
        {"start": float("nan"), "end": 9},
        {"start": 1.5, "end": 9},
        {"start": True, "end": 9},
        {"start": 5, "end": 9, "label": HUGE},
        {"start": 5, "end": 9, "text": ["x"]},
        {"start": 5, "end": 9, "layer": None},
    ],
    ids=["huge", "inf", "nan", "float", "bool", "label-huge", "text-list", "layer-none"],
)
def test_odd_annotations_get_reasons(items, entry) -> None:
    found, texts = items
    item = found["annotation"]
    base = {"paragraph_id": "demo:p02", "layer": "sourcing", "label": "cue", "start": 0, "end": 3}
    annotations = Annotations(items=[{**base, **entry}])
    row = scoring.score_annotations(item, annotations, texts, "demo.answers.json")
    check_row(engine._printable_row(row), "annotation", entry)
