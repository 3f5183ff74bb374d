"""The report of a synthetic class, for the instructor edition: made once per input version."""

from __future__ import annotations

import hashlib
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from medialit.fileio import atomic_write_bytes, atomic_write_text

PACKAGE = Path(__file__).resolve().parents[1]
# What the synthetic report depends on: the exercises and the articles with their keys ...
KEY_INPUTS = ("exercises", "sources/annotations", "sources/articles")
# ... and the code that assigns, synthesizes, grades and reports (relative to the package).
KEY_CODE = ("assign", "grade", "report", "annotations", "corpus", "match.py", "fileio.py")
KEY_VERSION = "1"  # bump when the report's recipe changes in a way the files above do not show
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}

SEED = 7
STUDENTS = 40
LOOPS = 0.02  # share of wrong code answers that loop forever (each one costs a sandbox timeout)
CACHE_FOLDER = Path("_build") / "class-report"
# Where the page lands in the instructor site (an instructor-only folder; see render.editions).
SITE_PATH = "book/instructor/reports/synthetic-class.html"


@dataclass(frozen=True)
class SyntheticClass:
    """What :func:`synthetic_class_report` wrote, and the mix of submissions it made."""

    grader: Path
    submissions: Path
    gradebook: Path
    report: Path
    kinds: dict[str, int]


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
    seed: int = SEED,
    students: int = STUDENTS,
    loops: float = LOOPS,
    workers: int | None = None,
) -> SyntheticClass:
    """Assign ``root/exercises`` into ``work``, make a class, grade it and write its report.

    Every exercise set is in the class, code exercises included; the same ``seed`` gives the
    same class, grades and report.
    """
    from medialit.assign.build import GRADER, STUDENT, assign
    from medialit.assign.source import exercise_sources
    from medialit.grade.bundle import load_bundle
    from medialit.grade.engine import grade_class
    from medialit.grade.exports import GRADEBOOK, write_outputs
    from medialit.grade.synthetic import reference_table, synthesize
    from medialit.report.page import write_report

    root, work = Path(root), Path(work)
    sources = exercise_sources(root / "exercises")
    assign(sources, work / "assign")
    grader = work / "assign" / GRADER
    bundle = load_bundle(grader)
    sets = list(bundle.sets)
    submissions = work / "class"
    kinds = synthesize(
        submissions,
        sets,
        students,
        work / "assign" / STUDENT,
        reference_table(sources),
        bundle,
        random.Random(seed),
        loops,
    )
    graded = work / "graded"
    run = grade_class(submissions, grader, graded, workers=workers, sets=sets)
    write_outputs(run.results, bundle, graded)
    report = write_report(
        graded / GRADEBOOK, graded / "report.html", bundle, report_title(students, seed)
    )
    return SyntheticClass(grader, submissions, graded / GRADEBOOK, report, dict(kinds))


def _files(top: Path) -> list[Path]:
    paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
    return [
        path
        for path in paths
        if path.is_file() and not SKIPPED_PARTS.intersection(path.relative_to(top.parent).parts)
    ]


def report_key(root: Path, seed: int = SEED, students: int = STUDENTS, loops: float = LOOPS) -> str:
    """A digest of the contents of every input of the report and of the recipe's settings.

    Contents, not modification times: a fresh checkout of the same commit reuses the cache.
    """
    digest = hashlib.sha256(f"{KEY_VERSION}\0{seed}\0{students}\0{loops}\n".encode())
    tops = [(Path(root) / name, Path(root)) for name in KEY_INPUTS]
    tops += [(PACKAGE / name, PACKAGE) for name in KEY_CODE]
    for top, base in tops:
        for path in _files(top):
            content = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.update(f"{path.relative_to(base).as_posix()}\0{content}\n".encode())
    return digest.hexdigest()[:20]


def cached_class_report(
    root: Path,
    cache: Path | None = None,
    *,
    seed: int = SEED,
    students: int = STUDENTS,
    loops: float = LOOPS,
) -> Path:
    """``cache/<key>.html``: the synthetic class's report, made only when no input changed
    since it was last made (the cache defaults to ``root/_build/class-report``); older reports
    in the cache are removed."""
    root = Path(root)
    cache = Path(cache) if cache is not None else root / CACHE_FOLDER
    target = cache / f"{report_key(root, seed, students, loops)}.html"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="medialit-class-report-") as work:
        made = synthetic_class_report(root, Path(work), seed=seed, students=students, loops=loops)
        atomic_write_text(target, made.report.read_text(encoding="utf-8"))
    for stale in cache.glob("*.html"):
        if stale != target:
            stale.unlink()
    return target


def publish_class_report(root: Path, cache: Path | None = None) -> Path:
    """Put the cached report at :data:`SITE_PATH` under ``cache/site`` and return that folder,
    to be copied into the site as it is (Sphinx's ``html_extra_path``)."""
    root = Path(root)
    cache = Path(cache) if cache is not None else root / CACHE_FOLDER
    report = cached_class_report(root, cache)
    site = cache / "site"
    target = site / SITE_PATH
    data = report.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        atomic_write_bytes(target, data)
    return site
