"""A synthetic class: right, partial, wrong and malformed submissions made from the exercises."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import jupytext
import nbformat

from medialit.assign.source import read_source
from medialit.grade.answers import function_source, read_submission
from medialit.grade.bundle import Bundle

# What a wrong code answer looks like: one that never returns, one that returns nothing.
LOOP = "def {name}(*args):\n    while True:\n        pass\n"
WRONG_CODE = "def {name}(*args):\n    return None\n"
KINDS = ("right", "partial", "wrong", "malformed")
KIND_WEIGHTS = (4, 3, 2, 1)

References = dict[str, tuple[dict[str, object], dict[str, str]]]


def reference_answers(path: Path) -> tuple[str, dict[str, object], dict[str, str]]:
    """Set id, the solution values of the answer variables, and the solution functions."""
    source = read_source(path)
    submission = read_submission(nbformat.from_dict(jupytext.read(path)))
    values = {
        name: answer.value for name, answer in submission.answers.items() if answer.error is None
    }
    functions = {name: function_source(submission, name) for name in submission.definitions}
    return source.set_id, values, functions


def reference_table(sources: list[Path]) -> References:
    """For each exercise set: (solution values, solution functions), from the instructor sources."""
    table: References = {}
    for path in sources:
        set_id, values, functions = reference_answers(path)
        table[set_id] = (values, functions)
    return table


def wrong_value(value: object, rng: random.Random) -> object:
    """A plausible wrong answer of the same type as the right one.

    >>> rng = random.Random(0)
    >>> wrong_value(True, rng), wrong_value(["Lavrov", "Putin"], rng), wrong_value("slogans", rng)
    (False, ['Lavrov', 'Someone else'], 'opinion')
    """
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + rng.choice([1, 2, 5])
    if isinstance(value, list):
        return [*value[: len(value) // 2], "Someone else"]
    if isinstance(value, str):
        return value[: max(1, len(value) // 2)] if len(value) > 30 else "opinion"
    return None


def make_notebook(release: str, answers: dict[str, object], code: str) -> str:
    """The student notebook ``release`` with ``name = None`` lines filled in and ``code`` added
    as a last cell."""
    notebook = nbformat.reads(release, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for name, value in answers.items():
                line = f"{name} = {value!r}"
                cell.source = re.sub(
                    rf"^{name} = None.*$", lambda _, line=line: line, cell.source, flags=re.M
                )
    if code:
        # a fixed cell id (nbformat draws random ones): the same seed writes the same bytes
        notebook.cells.append(nbformat.v4.new_code_cell(code, id="synthetic-answers"))
    return nbformat.writes(notebook)


def synthesize(
    out: Path,
    sets: list[str],
    students: int,
    release_dir: Path,
    references: References,
    bundle: Bundle,
    rng: random.Random,
    loops: float,
) -> Counter:
    """Write ``out/<student>/<set>.ipynb`` (+ annotations) for a mix of answer qualities.

    Each submission is right, partial, wrong or malformed (4:3:2:1); ``loops`` is the share of
    wrong code answers that loop forever. Returns how many submissions of each kind were made.
    """
    kinds: Counter = Counter()
    releases = {s: (release_dir / f"{s}.ipynb").read_text(encoding="utf-8") for s in sets}
    for number in range(students):
        student = out / f"student{number:04d}"
        student.mkdir(parents=True)
        for set_id in sets:
            values, functions = references[set_id]
            items = bundle.sets[set_id].items
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            kinds[kind] += 1
            path = student / f"{set_id}.ipynb"
            if kind == "malformed":
                broken = rng.choice(["json", "version", "types"])
                if broken == "json":
                    path.write_text(releases[set_id][: len(releases[set_id]) // 2])
                    continue
                if broken == "version":
                    path.write_text(json.dumps({"nbformat": 3, "worksheets": [], "cells": []}))
                    continue
                answers = {name: [value] for name, value in values.items()}
            elif kind == "right":
                answers = dict(values)
            elif kind == "partial":
                answers = {
                    name: (value if rng.random() < 0.5 else wrong_value(value, rng))
                    for name, value in values.items()
                }
            else:
                answers = {name: wrong_value(value, rng) for name, value in values.items()}
            code = ""
            for item in items:
                if item.kind != "code":
                    continue
                if kind in ("right", "partial") and rng.random() < 0.8:
                    code += functions[item.function] + "\n"
                elif rng.random() < loops:
                    code += LOOP.format(name=item.function)
                else:
                    code += WRONG_CODE.format(name=item.function)
            path.write_text(make_notebook(releases[set_id], answers, code), encoding="utf-8")
            annotation_items = [item for item in items if item.kind == "annotation"]
            if annotation_items and kind != "malformed":
                entries = []
                for item in annotation_items:
                    for span in item.key:
                        if kind == "right" or rng.random() < 0.5:
                            entries.append(
                                {
                                    "paragraph_id": f"{item.article_id}:p01",
                                    "start": span["start"],
                                    "end": span["end"],
                                    "text": span["text"],
                                    "layer": item.layer,
                                    "label": span.get("label"),
                                }
                            )
                (student / f"{set_id}.answers.json").write_text(
                    json.dumps({"schema": 1, "annotations": entries})
                )
    return kinds


# Reading checks (pretest_<form>, posttest_<form>): chance of a right answer before the unit,
# the mean gain after it, and how confidence ratings (1-5) spread for right and wrong answers.
CHECK_BEFORE, CHECK_GAIN, CHECK_SPREAD = 0.35, 0.3, 0.12
CONFIDENCE_WEIGHTS = {
    ("before", True): (1, 2, 4, 3, 1),
    ("before", False): (1, 3, 4, 3, 1),
    ("after", True): (0, 1, 2, 4, 4),
    ("after", False): (2, 4, 3, 1, 0),
}


def synthesize_reading_checks(
    out: Path,
    forms: list[str],
    students: int,
    release_dir: Path,
    references: References,
    bundle: Bundle,
    rng: random.Random,
    absent: float = 0.1,
) -> Counter:
    """Write ``out/<student>/pretest_<x>.ipynb`` and ``posttest_<y>.ipynb`` for a class that
    learns: each student takes one form before and the other after (counterbalanced: even
    students A first, odd ones B first), answers right with a chance that rises by about
    ``CHECK_GAIN`` and rates each answer, surer when right and better calibrated after.
    A share ``absent`` misses the second check. Returns how many checks were written.

    >>> import tempfile
    >>> synthesize_reading_checks(Path(tempfile.mkdtemp()), ["claims"], 2, Path("."), {},
    ...                           None, random.Random(0))
    Counter()
    """
    letters = sorted({s.split("_", 1)[1] for s in forms if s.startswith(("pretest_", "posttest_"))})
    written: Counter = Counter()
    if len(letters) < 2:
        return written
    releases = {s: (release_dir / f"{s}.ipynb").read_text(encoding="utf-8") for s in forms}
    for number in range(students):
        student = out / f"student{number:04d}"
        student.mkdir(parents=True, exist_ok=True)
        first, second = letters[:2] if number % 2 == 0 else letters[1::-1]
        ability = rng.gauss(0, 1)
        for occasion, letter in (("before", first), ("after", second)):
            set_id = f"{'pretest' if occasion == 'before' else 'posttest'}_{letter}"
            if set_id not in releases or (occasion == "after" and rng.random() < absent):
                continue
            chance = CHECK_BEFORE + CHECK_SPREAD * ability
            chance += CHECK_GAIN + rng.gauss(0, 0.08) if occasion == "after" else 0
            values, _ = references[set_id]
            answers: dict[str, object] = {}
            for item in bundle.sets[set_id].items:
                if item.kind == "confidence" or item.variable not in values:
                    continue
                right = rng.random() < min(0.95, max(0.05, chance))
                value = values[item.variable]
                answers[item.variable] = value if right else wrong_value(value, rng)
                rating = rng.choices(range(1, 6), CONFIDENCE_WEIGHTS[(occasion, right)])[0]
                answers[f"{item.id}_confidence"] = rating
            path = student / f"{set_id}.ipynb"
            path.write_text(make_notebook(releases[set_id], answers, ""), encoding="utf-8")
            written[set_id] += 1
    return written
