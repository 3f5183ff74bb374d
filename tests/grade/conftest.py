"""Fixtures for the grader tests: a small bundle with every kind of item, and notebook makers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from medialit.grade.bundle import bundle_from_dict, write_bundle
from medialit.match import find_quote

# A short text written for these tests (not from the course articles).
DEMO_TEXT = (
    "The minister said \u201cthe talks were useful\u201d and left early.\n\n"
    "According to Sergey Lavrov, the meeting in Geneva was postponed. Many observers doubt it.\n\n"
    "Joe Biden told reporters: \u201cwe will respond firmly\u201d. A poll found 53% agree."
)


def span_of(quote: str, label: str | None = None) -> dict[str, Any]:
    start, end = find_quote(quote, DEMO_TEXT)
    span = {"start": start, "end": end, "text": DEMO_TEXT[start:end]}
    if label:
        span["label"] = label
    return span


CATEGORIES = {
    "Doubt": "Attack on reputation",
    "Name calling/labeling": "Attack on reputation",
    "Loaded language": "Manipulative wording",
    "Repetition": "Manipulative wording",
}

FIND_QUOTES_SOLUTION = '''
import re

def find_direct_quotes(text):
    """Every passage between double quotation marks, curly or straight."""
    return re.findall(r'["\\u201c]([^"\\u201d]+)["\\u201d]', text)
'''

DEMO_ITEMS = [
    {
        "id": "q1",
        "kind": "label",
        "points": 2,
        "title": "technique",
        "variable": "q1_technique",
        "key": "Doubt",
        "alternatives": ["Casting doubt"],
        "categories": CATEGORIES,
        "hint": "Ask what the sentence does to the reader's trust in a claim.",
    },
    {
        "id": "q2",
        "kind": "span",
        "points": 2,
        "title": "the attributed claim",
        "variable": "q2_claim",
        "article_id": "demo",
        "key": [span_of("the meeting in Geneva was postponed")],
        "full_credit_at": 0.8,
        "hint": "Look for the words that follow the attribution cue.",
    },
    {
        "id": "q3",
        "kind": "set",
        "points": 2,
        "title": "named sources",
        "variable": "q3_sources",
        "key": ["Sergey Lavrov", "Joe Biden"],
        "aliases": {"Sergey Lavrov": ["Lavrov", "Sergei Lavrov"], "Joe Biden": ["Biden"]},
        "hint": "A named source has a name in the text.",
    },
    {
        "id": "q4",
        "kind": "number",
        "points": 1,
        "title": "poll share",
        "variable": "q4_share",
        "key": 53,
        "abs_tol": 0.5,
    },
    {
        "id": "q5",
        "kind": "annotation",
        "points": 3,
        "title": "attribution cues",
        "article_id": "demo",
        "layer": "sourcing",
        "key": [span_of("According to", "cue"), span_of("told reporters", "cue")],
        "full_credit_at": 0.8,
    },
    {
        "id": "q6",
        "kind": "code",
        "points": 3,
        "title": "find_direct_quotes",
        "function": "find_direct_quotes",
        "cpu_seconds": 1,
        "cases": [
            {"name": "straight quotation marks", "args": ['a "b" c'], "expected": ["b"]},
            {"name": "curly quotation marks", "args": ["\u201cx y\u201d"], "expected": ["x y"]},
            {"name": "no quotation at all", "args": ["none here"], "expected": []},
        ],
    },
    {
        "id": "q7",
        "kind": "reflection",
        "points": 2,
        "title": "reflection",
        "variable": "q7_reflection",
        "rubric": [
            {"points": 1, "criterion": "names a technique"},
            {"points": 1, "criterion": "cites a paragraph"},
        ],
        "min_words": 20,
    },
]

RIGHT = {
    "q1_technique": "Doubt",
    "q2_claim": "the meeting in Geneva was postponed",
    "q3_sources": ["Lavrov", "Joe Biden"],
    "q4_share": 53,
    "q7_reflection": "The second paragraph uses doubt: " + "word " * 30,
}
RIGHT_ANNOTATIONS = [
    {
        "paragraph_id": "demo:p02",
        "layer": "sourcing",
        "label": "cue",
        **span_of("According to"),
    },
    {
        "paragraph_id": "demo:p03",
        "layer": "sourcing",
        "label": "cue",
        **span_of("told reporters"),
    },
]


def demo_bundle_dict() -> dict[str, Any]:
    return {
        "format": 1,
        "sets": {"demo": {"title": "Demo set", "items": DEMO_ITEMS}},
        "texts": {"demo": DEMO_TEXT},
    }


def notebook(
    answers: dict[str, Any] | None = None, code: str | None = None, extra_cells: list[str] = ()
) -> dict[str, Any]:
    """A minimal nbformat-4 notebook whose answer cells hold ``answers`` as literals."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Demo"}]
    for name, value in (answers or {}).items():
        cells.append(code_cell(f"{name} = {value!r}\n"))
    if code:
        cells.append(code_cell(code))
    cells += [code_cell(src) for src in extra_cells]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def code_cell(source: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {},
        "execution_count": None,
        "outputs": [],
        "source": source,
    }


def write_submission(
    root: Path,
    student: str,
    nb: dict | bytes | str | None,
    annotations: list[dict] | None = None,
    set_id: str = "demo",
) -> Path:
    folder = root / student
    folder.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        path = folder / f"{set_id}.ipynb"
        if isinstance(nb, dict):
            path.write_text(json.dumps(nb), encoding="utf-8")
        elif isinstance(nb, bytes):
            path.write_bytes(nb)
        else:
            path.write_text(nb, encoding="utf-8")
    if annotations is not None:
        (folder / f"{set_id}.answers.json").write_text(
            json.dumps({"schema": 1, "annotations": annotations}), encoding="utf-8"
        )
    return folder


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root (to prove submissions are untouched)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def demo_bundle(tmp_path: Path) -> Path:
    """The demo bundle written as `medialit assign` writes one; returns its folder."""
    folder = tmp_path / "grader"
    write_bundle(bundle_from_dict(demo_bundle_dict(), "demo"), folder)
    return folder


@pytest.fixture
def right_notebook() -> dict[str, Any]:
    return notebook(RIGHT, FIND_QUOTES_SOLUTION)


@pytest.fixture
def kit():
    """This module's helpers and constants, for tests (conftest modules are not importable)."""
    import sys

    return sys.modules[__name__]
