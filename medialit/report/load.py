"""Read and check a gradebook CSV against the grader's bundle before any figure is computed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from medialit.grade.bundle import Bundle

REQUIRED_COLUMNS = ("student", "set", "item", "points", "max_points", "status")
OPTIONAL_COLUMNS = ("kind", "feedback", "answer")


class ReportError(ValueError):
    """The gradebook cannot be reported on; the message names the file, the place and the fix."""


def load_gradebook(path: str | Path, bundle: Bundle) -> pd.DataFrame:
    """The gradebook as a DataFrame with each item's set, article, layer and score fraction.

    Raises :class:`ReportError` for a missing file, missing columns, no rows, unknown items or
    points that are not numbers; nothing is written when that happens.
    """
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: no such file. Fix: give the gradebook.csv the grader wrote.")
    try:
        table = pd.read_csv(
            path,
            dtype={"student": str, "set": str, "item": str, "status": str},
            keep_default_na=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise ReportError(
            f"{path}: not a readable CSV ({error}). Fix: give the gradebook.csv "
            "the grader wrote, unchanged."
        ) from error
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        raise ReportError(
            f"{path}: missing column(s) {', '.join(missing)} (it has: "
            f"{', '.join(map(str, table.columns)) or 'none'}). Fix: use the gradebook.csv that "
            "`medialit grade` wrote; its header is "
            f"{','.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
        )
    if table.empty:
        raise ReportError(
            f"{path}: the gradebook has a header but no rows. Fix: grade the "
            "submissions first (`medialit grade DIR`)."
        )
    items = {
        (set_id, item.id): item
        for set_id, exercise in bundle.sets.items()
        for item in exercise.items
    }
    unknown = [
        (index + 2, row.set, row.item)
        for index, row in enumerate(table[["set", "item"]].itertuples(index=False))
        if (row.set, row.item) not in items
    ]
    if unknown:
        shown = "; ".join(f"line {line}: {set_id}/{item}" for line, set_id, item in unknown[:5])
        raise ReportError(
            f"{path}: {len(unknown)} row(s) name items the exercises do not have ({shown}). "
            "Fix: grade with the same exercise bundle you report with (--bundle)."
        )
    for column in ("points", "max_points"):
        numbers = pd.to_numeric(table[column].replace("", None), errors="coerce")
        bad = table.index[numbers.isna() & (table[column] != "")]
        if len(bad):
            raise ReportError(
                f"{path}: line {bad[0] + 2}: {column} is {table.loc[bad[0], column]!r}, "
                "not a number. Fix: use the gradebook the grader wrote."
            )
        table[column] = numbers
    for column in OPTIONAL_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table["article_id"] = [
        items[(s, i)].article_id or "" for s, i in zip(table["set"], table["item"], strict=True)
    ]
    table["layer"] = [
        items[(s, i)].layer or "" for s, i in zip(table["set"], table["item"], strict=True)
    ]
    table["title"] = [
        items[(s, i)].title or i for s, i in zip(table["set"], table["item"], strict=True)
    ]
    table["kind"] = [items[(s, i)].kind for s, i in zip(table["set"], table["item"], strict=True)]
    # A row is graded once it has points: the grader's, or a person's typed over a pending one.
    table["graded"] = table["points"].notna()
    table["fraction"] = (table["points"] / table["max_points"]).where(table["graded"])
    return table


def parse_answer(text: Any) -> Any:
    """The answer as the grader recorded it (JSON), or None when the cell is empty.

    >>> parse_answer('["loaded_language"]'), parse_answer("")
    (['loaded_language'], None)
    """
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
