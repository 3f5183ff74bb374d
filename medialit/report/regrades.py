"""The report's "Regrades" section, from the ``regrade-report.csv`` beside the gradebook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from medialit.grade.regrade import COLUMNS, REPORT, TOTAL
from medialit.report.load import ReportError


def load_regrades(gradebook: Path) -> pd.DataFrame | None:
    """The regrade report beside ``gradebook``, or None when there is none.

    Raises :class:`ReportError` when the file is there but is not a regrade report.
    """
    path = Path(gradebook).with_name(REPORT)
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise ReportError(
            f"{path}: not a readable CSV ({error}). Fix: delete it; the next "
            "`medialit grade` writes it again."
        ) from error
    if list(frame.columns) != COLUMNS:
        raise ReportError(
            f"{path}: its columns are {', '.join(map(str, frame.columns))}, not "
            f"{', '.join(COLUMNS)}. Fix: delete it; the next `medialit grade` writes it again."
        )
    return frame


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # "pending" or "absent"


def reason_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Item scores changed and students concerned, per reason (a row may give several).

    >>> rows = [["a", "s", "q1", "1", "0", "x; y"], ["b", "s", "q1", "1", "0", "x"],
    ...         ["a", "s", "(total)", "1", "0", "x; y"]]
    >>> reason_counts(pd.DataFrame(rows, columns=COLUMNS)).values.tolist()
    [['x', 2, 2], ['y', 1, 1]]
    """
    items = frame[frame["item"] != TOTAL]
    found: dict[str, tuple[int, set]] = {}
    for student, why in zip(items["student"], items["why"], strict=True):
        for reason in filter(None, (w.strip() for w in why.split(";"))):
            count, students = found.get(reason, (0, set()))
            found[reason] = (count + 1, students | {student})
    rows = [(r, c, len(s)) for r, (c, s) in found.items()]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return pd.DataFrame(rows, columns=["reason", "item scores changed", "students"])


def moved_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Set totals that moved, largest change first."""
    totals = frame[frame["item"] == TOTAL].copy()
    pairs = zip(map(_number, totals["old"]), map(_number, totals["new"]), strict=True)
    change = [(n - o) if o is not None and n is not None else None for o, n in pairs]
    totals["change"] = [("–" if c is None else f"{c:+g}") for c in change]
    totals["size"] = [abs(c) if c is not None else float("inf") for c in change]
    totals = totals.sort_values(["size", "student", "set"], ascending=[False, True, True])
    return totals[["student", "set", "old", "new", "change", "why"]]


def section(frame: pd.DataFrame | None) -> str:
    """The Regrades section; empty when no regrade report sits beside the gradebook."""
    from medialit.report.page import _table

    if frame is None:
        return ""
    parts = ["<h2>Regrades</h2>"]
    items = frame[frame["item"] != TOTAL]
    if items.empty:
        parts.append(
            "<p>The last grading run changed no score: regrade-report.csv lists nothing.</p>"
        )
        return "\n".join(parts)
    parts.append(
        f"<p>The last grading run changed {len(items)} item score(s) of "
        f"{items['student'].nunique()} student(s) (from regrade-report.csv; the previous "
        "gradebook is kept in history/). Reasons come from what the grader recorded: the "
        "exercises' items and keys, the files graded, the engine's version and hand-graded "
        "scores.</p>"
    )
    parts.append(_table(reason_counts(frame), "Changed item scores per reason"))
    totals = moved_totals(frame)
    if len(totals):
        parts.append(_table(totals, "Set totals that moved, largest change first"))
    return "\n".join(parts)
