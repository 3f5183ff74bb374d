"""A synthetic class, assigned, graded and reported: what the instructor edition shows."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from medialit.assign.build import GRADER, STUDENT, assign
from medialit.assign.source import exercise_sources
from medialit.grade.bundle import Bundle, load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import GRADEBOOK, write_outputs
from medialit.grade.synthetic import reference_table, synthesize, synthesize_reading_checks
from medialit.report.learning import is_reading_check
from medialit.report.page import write_report


@dataclass(frozen=True)
class SyntheticClass:
    """What :func:`synthetic_class_report` wrote, and the mix of submissions it made."""

    grader: Path
    submissions: Path
    gradebook: Path
    report: Path
    kinds: dict[str, int]  # coursework submissions by quality (right, partial, ...)
    checks: dict[str, int] = field(default_factory=dict)  # reading checks taken, per form


def own_words(bundle: Bundle, rng: random.Random, words: int = 70) -> str:
    """A reflection no other student wrote: words drawn at random from the articles.

    >>> from medialit.grade.bundle import Bundle
    >>> text = own_words(Bundle({}, {"a": "one two three four"}), random.Random(1), 5)
    >>> len(text.split()), text.endswith(".")
    (5, True)
    """
    vocabulary = sorted(
        {w.lower() for t in bundle.texts.values() for w in re.findall(r"[A-Za-z]+", t)}
    )
    return " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."


def _add_cell(notebook: Path, source: str) -> bool:
    """Append a code cell to a readable notebook (its last assignment is the answer)."""
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
        data["cells"].append(
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
                "id": f"planted-{len(data['cells'])}",
            }
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    notebook.write_text(json.dumps(data), encoding="utf-8")
    return True


def plant_similar_work(
    submissions: Path, bundle: Bundle, rng: random.Random, copies: list[tuple[str, str]]
) -> set[str]:
    """Give every student their own reflections, then make each ``(source, copy)`` pair share
    work: the copy's reflections are the source's with a few words changed, and both record
    the same four annotations the key does not have (a notebook the grader cannot read keeps
    its problem). Returns the students whose reflections were written.
    """
    students = sorted(p for p in Path(submissions).iterdir() if p.is_dir())
    written: dict[tuple[str, str], str] = {}
    wrote: set[str] = set()
    for folder in students:
        for exercise in bundle.sets.values():
            notebook = folder / exercise.notebook
            lines = []
            for item in exercise.items:
                if item.kind != "reflection" or not notebook.is_file():
                    continue
                text = own_words(bundle, rng)
                written[(folder.name, item.id)] = text
                lines.append(f"{item.variable} = {text!r}")
            if lines and _add_cell(notebook, "\n".join(lines)):
                wrote.add(folder.name)
    for number, (source, copy) in enumerate(copies):
        for set_id, exercise in bundle.sets.items():
            notebook = Path(submissions) / copy / exercise.notebook
            lines = []
            for item in exercise.items:
                if item.kind == "reflection" and (source, item.id) in written:
                    words = written[(source, item.id)].split()
                    for index in rng.sample(range(len(words)), 4):
                        words[index] = "however"
                    lines.append(f"{item.variable} = {' '.join(words)!r}")
                elif item.kind == "annotation":
                    _plant_annotations(Path(submissions), set_id, item, (source, copy), number)
            if lines:
                _add_cell(notebook, "\n".join(lines))  # a broken notebook stays broken
    return wrote


def _plant_annotations(
    submissions: Path, set_id: str, item, pair: tuple[str, str], number: int
) -> None:
    """Four passages outside the key (other ones for each pair ``number``), labelled alike,
    added to both students' answers."""
    taken = {(k["start"], k["end"]) for k in item.key}
    entries = []
    start = 11 * number
    while len(entries) < 4:
        start += 97
        span = (start, start + 23)
        if span not in taken:
            entries.append(
                {
                    "paragraph_id": f"{item.article_id}:p01",
                    "start": span[0],
                    "end": span[1],
                    "layer": item.layer,
                    "label": "planted_label",
                }
            )
    for student in pair:
        path = submissions / student / f"{set_id}.answers.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"schema": 1, "annotations": []}
        data["annotations"] = list(data.get("annotations") or []) + entries
        path.write_text(json.dumps(data), encoding="utf-8")


def report_title(students: int, seed: int) -> str:
    """The report's title: it says the class is synthetic.

    >>> report_title(40, 7)
    'Class report: a synthetic class of 40 students (seed 7)'
    """
    return f"Class report: a synthetic class of {students} students (seed {seed})"


def synthetic_class_report(
    root: Path,
    work: Path,
    *,
    seed: int,
    students: int,
    loops: float,
    workers: int | None = None,
    copies: tuple[tuple[str, str], ...] = (),
) -> SyntheticClass:
    """Assign ``root/exercises`` into ``work``, make a class, grade it and write its report.

    Every exercise set is in the class, code exercises included; ``loops`` is the share of wrong
    code answers that loop forever (each costs a sandbox timeout). The same ``seed`` gives the
    same class, grades and report. ``copies`` plants pairs of similar work
    (:func:`plant_similar_work`) for the report's similarity section to find.
    """
    root, work = Path(root), Path(work)
    sources = exercise_sources(root / "exercises")
    assign(sources, work / "assign")
    grader = work / "assign" / GRADER
    bundle = load_bundle(grader)
    sets = list(bundle.sets)
    checks = [s for s, check in zip(sets, is_reading_check(pd.Series(sets)), strict=True) if check]
    submissions = work / "class"
    references = reference_table(sources)
    rng = random.Random(seed)
    coursework = [s for s in sets if s not in checks]
    kinds = synthesize(
        submissions, coursework, students, work / "assign" / STUDENT, references, bundle, rng, loops
    )
    taken = synthesize_reading_checks(
        submissions, checks, students, work / "assign" / STUDENT, references, bundle, rng
    )
    if copies:
        plant_similar_work(submissions, bundle, rng, list(copies))
    graded = work / "graded"
    run = grade_class(submissions, grader, graded, workers=workers, sets=sets)
    write_outputs(run.results, bundle, graded)
    title = report_title(students, seed)
    release = work / "assign" / STUDENT
    report = write_report(graded / GRADEBOOK, graded / "report.html", bundle, title, release)
    return SyntheticClass(grader, submissions, graded / GRADEBOOK, report, dict(kinds), dict(taken))
