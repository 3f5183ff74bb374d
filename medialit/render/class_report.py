"""The instructor edition's class report: a synthetic class's, made once per input version."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from medialit.fileio import atomic_write_bytes, atomic_write_text

PACKAGE = Path(__file__).resolve().parents[1]
# What the report depends on: the exercises and the articles with their keys (book root) ...
KEY_INPUTS = ("exercises", "sources/annotations", "sources/articles")
# ... and the code that assigns, synthesizes, grades and reports (package folder).
KEY_CODE = ("assign", "grade", "report", "annotations", "corpus", "match.py", "fileio.py")
KEY_VERSION = "1"  # bump when the recipe changes in a way the files above do not show
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}

SEED = 7
STUDENTS = 40
LOOPS = 0.02  # share of wrong code answers that loop forever: with seed 7, one
CACHE_FOLDER = Path("_build") / "class-report"
# Where the report lands in the instructor site: under an instructor-only folder (editions.py).
SITE_PATH = "book/instructor/reports/synthetic-class.html"


def _files(top: Path) -> list[Path]:
    paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
    return [
        path
        for path in paths
        if path.is_file() and not SKIPPED_PARTS.intersection(path.relative_to(top.parent).parts)
    ]


def report_key(root: Path, seed: int = SEED, students: int = STUDENTS, loops: float = LOOPS) -> str:
    """A digest of the contents of every input of the report and of the class's settings.

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
    """``cache/<key>.html``, the synthetic class's report, made only when it is not there yet
    (the cache defaults to ``root/_build/class-report``); older reports in it are removed."""
    root = Path(root)
    cache = Path(cache) if cache is not None else root / CACHE_FOLDER
    target = cache / f"{report_key(root, seed, students, loops)}.html"
    if target.is_file():
        return target
    # Grading and charts need heavy libraries: imported only when the report is made.
    from medialit.report import synthetic

    with tempfile.TemporaryDirectory(prefix="medialit-class-report-") as work:
        made = synthetic.synthetic_class_report(
            root, Path(work), seed=seed, students=students, loops=loops
        )
        atomic_write_text(target, made.report.read_text(encoding="utf-8"))
    for stale in cache.glob("*.html"):
        if stale != target:
            stale.unlink()
    return target


def publish_class_report(root: Path, cache: Path | None = None) -> Path:
    """Put the cached report at :data:`SITE_PATH` under ``cache/site`` and return that folder,
    for Sphinx to copy into the site as it is (``html_extra_path``)."""
    root = Path(root)
    cache = Path(cache) if cache is not None else root / CACHE_FOLDER
    data = cached_class_report(root, cache).read_bytes()
    site = cache / "site"
    target = site / SITE_PATH
    if not target.is_file() or target.read_bytes() != data:
        atomic_write_bytes(target, data)
    return site
