"""A synthetic class, assigned, graded and reported: what the instructor edition shows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from medialit.assign.build import GRADER, STUDENT, assign
from medialit.assign.source import exercise_sources
from medialit.grade.bundle import load_bundle
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
) -> SyntheticClass:
    """Assign ``root/exercises`` into ``work``, make a class, grade it and write its report.

    Every exercise set is in the class, code exercises included; ``loops`` is the share of wrong
    code answers that loop forever (each costs a sandbox timeout). The same ``seed`` gives the
    same class, grades and report.
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
    graded = work / "graded"
    run = grade_class(submissions, grader, graded, workers=workers, sets=sets)
    write_outputs(run.results, bundle, graded)
    report = write_report(
        graded / GRADEBOOK, graded / "report.html", bundle, report_title(students, seed)
    )
    return SyntheticClass(grader, submissions, graded / GRADEBOOK, report, dict(kinds), dict(taken))
