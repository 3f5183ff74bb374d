"""The hand-grading page's data: every hand-graded answer of a class, its rubric, and marks so far.

``medialit grade`` writes ``<out>/hand-grading.html`` whenever the sets graded have items a
person marks (reflections). The page runs from the file, with no server and no network: a
grader marks each answer against its rubric by keyboard, the work is kept in the browser
(``localStorage``, under a key made from the bundle and the submissions folder, so reloading
or reopening the page loses nothing), and "Download scores.csv" gives the file that
``medialit grade DIR --manual scores.csv`` merges (:mod:`medialit.grade.manual`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.grade.bundle import Bundle
from medialit.grade.engine import SubmissionResult
from medialit.grade.manual import (
    MANUAL,
    ManualScore,
    MergeReport,
    answer_digest,
    marks_of,
    merge,
    reflection_texts,
    rubric_mode,
)
from medialit.grade.textsafe import printable
from medialit.render.marking_page import marking_page

PAGE = "hand-grading.html"
MAX_SHOWN = 20_000  # characters of one answer shown (a 3,000-word reflection fits)


def storage_key(bundle: Bundle, submissions: Path) -> str:
    """The browser storage key of a class's marks: the bundle's digest and the submissions
    folder, so two classes graded with one bundle keep their marks apart, and a rerun (even
    after a resubmission) finds the marks already made.

    >>> from medialit.grade.bundle import Bundle
    >>> len(storage_key(Bundle({}, {}, "abc"), Path("subs")))
    16
    """
    where = str(Path(submissions).resolve())
    text = f"{bundle.digest}\n{where}".encode("utf-8", "surrogateescape")
    return hashlib.sha256(text).hexdigest()[:16]


def shown_text(text: str | None) -> tuple[str, bool, bool]:
    """An answer as the page shows it: control and invisible formatting characters (bidi
    overrides among them) as visible escapes, cut to :data:`MAX_SHOWN` characters; and whether
    it was cut, and whether anything was escaped.

    >>> shown_text("a\\u202eb")
    ('a\\\\u202eb', False, True)
    >>> shown_text(None)
    ('', False, False)
    """
    text = text or ""
    safe = printable(text, keep="\n\t")
    return safe[:MAX_SHOWN], len(safe) > MAX_SHOWN, safe != text


def marking_data(
    results: list[SubmissionResult],
    bundle: Bundle,
    texts: dict[tuple[str, str, str], str | None],
    key: str,
    marks: dict[tuple[str, str, str], ManualScore] | None = None,
) -> dict[str, Any]:
    """What the page needs, as JSON-ready data: the hand-graded items with their rubrics, and
    one entry per answer waiting for a person or marked (with the mark merged, if any)."""
    items: dict[str, Any] = {}
    for set_id, exercise in bundle.sets.items():
        for item in exercise.items:
            if item.manual:
                items[f"{set_id}/{item.id}"] = {
                    "set": set_id,
                    "set_title": exercise.title,
                    "item": item.id,
                    "title": item.title,
                    "points": item.points,
                    "min_words": item.min_words,
                    "mode": rubric_mode(item),
                    "rubric": [
                        {"points": float(c["points"]), "criterion": str(c["criterion"])}
                        for c in item.rubric
                    ],
                }
    entries = []
    marks = marks or {}
    for submission in results:
        for row in submission.items:
            item_key = f"{submission.set_id}/{row.item}"
            if item_key not in items or row.status not in ("pending", MANUAL):
                continue
            key3 = (submission.student, submission.set_id, row.item)
            raw = texts.get(key3)
            text, cut, escaped = shown_text(raw)
            entry = {
                "student": printable(submission.student, keep=""),
                "set": submission.set_id,
                "item": row.item,
                "digest": answer_digest(raw),
                "text": text,
                "chars": len(raw or ""),
                "words": len((raw or "").split()),
                "cut": cut,
                "escaped": escaped,
                "mark": None,
            }
            mark = marks.get(key3)
            if row.status == MANUAL and mark is not None:
                entry["mark"] = {
                    "points": mark.points,
                    "comment": mark.comment,
                    "rubric": list(mark.rubric),
                }
            entries.append(entry)
    return {"key": key, "items": items, "entries": entries}


def write_marking_page(
    out: Path,
    results: list[SubmissionResult],
    bundle: Bundle,
    texts: dict[tuple[str, str, str], str | None],
    key: str,
    marks: dict[tuple[str, str, str], ManualScore] | None = None,
    title: str = "",
) -> Path | None:
    """Write ``out/hand-grading.html`` when the sets graded have hand-graded items; its path."""
    data = marking_data(results, bundle, texts, key, marks)
    if not data["entries"]:
        return None
    path = Path(out) / PAGE
    atomic_write_text(
        path, marking_page(data, f"Hand grading: {title}" if title else "Hand grading")
    )
    return path


def apply_hand_grading(
    submissions: Path,
    bundle: Bundle,
    out: Path,
    results: list[SubmissionResult],
    scores: list[ManualScore],
    max_mb: float,
) -> tuple[list[SubmissionResult], MergeReport | None, Path | None]:
    """Merge the hand scores (if any) into the results and write the marking page: the
    results to export, the merge's report (None without scores), and the page (None when no
    item is graded by hand)."""
    texts = reflection_texts(submissions, bundle, results, max_mb)
    report = None
    if scores:
        results, report = merge(results, scores, bundle, texts)
    key = storage_key(bundle, submissions)
    title = printable(Path(submissions).resolve().name, keep="")
    page = write_marking_page(out, results, bundle, texts, key, marks_of(scores), title)
    return results, report, page
