"""A small class with hand-graded items, for the hand-grading tests (merge, page, browser).

Set ``essay``: ``e1`` a label graded automatically, ``e2`` a reflection on a 2/1/0 level rubric,
``e3`` a reflection whose three criteria add up (1 point each). Students: ``ada`` and ``ben``
answer everything, ``cyd`` leaves ``e3`` blank, ``dee`` sends no notebook, ``eve`` sends a
hostile answer (markup, control and text-direction characters, a very long text).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from medialit.cli import main
from medialit.grade.bundle import bundle_from_dict, write_bundle

ITEMS = [
    {
        "id": "e1",
        "kind": "label",
        "points": 1,
        "title": "the frame",
        "variable": "e1_frame",
        "key": "security",
    },
    {
        "id": "e2",
        "kind": "reflection",
        "points": 2,
        "title": "who is behind the article",
        "variable": "e2_text",
        "min_words": 5,
        "rubric": [
            {"points": 2, "criterion": "mastery: author and publisher, attributed"},
            {"points": 1, "criterion": "emerging: one of them"},
            {"points": 0, "criterion": "beginning: judges by tone"},
        ],
    },
    {
        "id": "e3",
        "kind": "reflection",
        "points": 3,
        "title": "verdict with evidence",
        "variable": "e3_text",
        "rubric": [
            {"points": 1, "criterion": "names the kind of claim"},
            {"points": 1, "criterion": "names dated evidence"},
            {"points": 1, "criterion": "separates this verdict from others"},
        ],
    },
]
HOSTILE = (
    "</script><script>window.__pwned = 1</script><img src=x onerror=alert(1)> "
    "\u202eevil\u202c bell\x07 " + "long " * 9_000
)
ANSWERS = {
    "ada": {
        "e1_frame": "security",
        "e2_text": "Ada: the author is named and the publisher too.",
        "e3_text": "A prediction; overtaken by events on 24 February 2022.",
    },
    "ben": {
        "e1_frame": "economic",
        "e2_text": "Ben judges the tone of the piece only.",
        "e3_text": "Ben says it is an opinion.",
    },
    "cyd": {"e1_frame": "security", "e2_text": "Cyd names the author only here.", "e3_text": ""},
    "eve": {"e1_frame": "security", "e2_text": HOSTILE, "e3_text": "Eve's ordinary answer."},
}


def notebook(answers: dict[str, Any]) -> dict[str, Any]:
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": f"{name} = {value!r}\n",
        }
        for name, value in answers.items()
    ]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def write_answers(submissions: Path, student: str, answers: dict[str, Any]) -> None:
    folder = submissions / student
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "essay.ipynb").write_text(json.dumps(notebook(answers)), encoding="utf-8")


def make_class(root: Path) -> tuple[Path, Path]:
    """(bundle folder, submissions folder) of the class described above."""
    bundle = root / "grader"
    data = {"format": 1, "sets": {"essay": {"title": "Essay set", "items": ITEMS}}, "texts": {}}
    write_bundle(bundle_from_dict(data, "hand class"), bundle)
    submissions = root / "class"
    for student, answers in ANSWERS.items():
        write_answers(submissions, student, answers)
    (submissions / "dee").mkdir()
    return bundle, submissions


def grade(bundle: Path, submissions: Path, out: Path, *manual: Path) -> int:
    argv = ["grade", str(submissions), "--bundle", str(bundle), "--out", str(out), "--workers", "1"]
    if manual:
        argv += ["--manual", *map(str, manual)]
    return main(argv)


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def page_data(page: Path) -> dict[str, Any]:
    """The JSON the marking page carries (what its module reads)."""
    block = r'<script type="application/json" id="hg-data">(.*?)</script>'
    found = re.search(block, page.read_text(encoding="utf-8"))
    assert found, "the page carries its data"
    return json.loads(found.group(1))


def scores_csv(path: Path, lines: list[list[object]], header: str = "") -> Path:
    header = header or "student,set,item,points,comment,digest"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    path.write_text(header + "\n" + buffer.getvalue(), encoding="utf-8")
    return path
