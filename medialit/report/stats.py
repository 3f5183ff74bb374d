"""The figures of the class report: totals, item difficulty, common wrong answers, summaries."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

STATUS_ORDER = ["correct", "partial", "incorrect", "missing", "ungradable", "pending", "manual"]


def set_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per student and set: points earned, points graded so far, and the fraction.

    >>> rows = pd.DataFrame({"student": ["a", "a"], "set": ["s", "s"], "points": [1.0, 0.5],
    ...                      "max_points": [1.0, 1.0], "graded": [True, True]})
    >>> set_totals(rows)[["student", "set", "earned", "possible", "fraction"]].values.tolist()
    [['a', 's', 1.5, 2.0, 0.75]]
    """
    graded = table[table["graded"]]
    totals = (
        graded.groupby(["student", "set"], sort=True)
        .agg(earned=("points", "sum"), possible=("max_points", "sum"))
        .reset_index()
    )
    totals["fraction"] = (totals["earned"] / totals["possible"]).round(4)
    return totals


def student_fractions(table: pd.DataFrame) -> pd.Series:
    """Each student's share of all automatically graded points (0 to 1)."""
    graded = table[table["graded"]]
    sums = graded.groupby("student")[["points", "max_points"]].sum()
    return (sums["points"] / sums["max_points"]).sort_index()


def item_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per item: how many answered, the mean score fraction and the count of each status."""
    counts = table.pivot_table(
        index=["set", "item"], columns="status", values="student", aggfunc="count", fill_value=0
    ).reindex(columns=STATUS_ORDER, fill_value=0)
    meta = table.groupby(["set", "item"]).agg(
        title=("title", "first"),
        kind=("kind", "first"),
        article_id=("article_id", "first"),
        layer=("layer", "first"),
        students=("student", "nunique"),
        mean_fraction=("fraction", "mean"),
    )
    result = meta.join(counts).reset_index()
    result["mean_fraction"] = result["mean_fraction"].round(4)
    return result


@dataclass(frozen=True)
class WrongAnswer:
    """One group of wrong answers to an item, as the matcher saw them, and how many gave it."""

    answer: str
    count: int


def common_wrong_answers(
    table: pd.DataFrame, set_id: str, item: str, limit: int = 3
) -> list[WrongAnswer]:
    """The most common answers that did not earn full marks, grouped by the matcher's reading.

    The grader records each answer as the matcher normalised it (a label id, the sentence a
    quote was found in, a sorted list of names, a number), so equal readings group together
    even when the students typed them differently. Without an answer the matcher's verdict
    (the feedback) is the group.
    """
    rows = table[
        (table["set"] == set_id)
        & (table["item"] == item)
        & table["graded"]
        & ~table["status"].isin(["correct", "manual"])  # a hand-marked text is no group
    ]
    groups = rows["answer"].where(
        rows["answer"].astype(str).str.strip() != "",
        "(" + rows["feedback"].astype(str).str.slice(0, 90) + ")",
    )
    counted = groups.value_counts()
    ordered = sorted(counted.items(), key=lambda pair: (-pair[1], str(pair[0])))
    return [WrongAnswer(_display(answer), int(count)) for answer, count in ordered[:limit]]


def _display(answer: object) -> str:
    text = str(answer)
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return text
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(empty list)"
    return str(value)


def most_missed(table: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """The items with the lowest mean score, hardest first.

    Only items at least half of whose answers are graded take part: a hand-graded item with a
    few early (often malformed) answers graded would otherwise top the list by accident.
    """
    items = item_table(table).dropna(subset=["mean_fraction"])
    graded = table[table["graded"]].groupby(["set", "item"])["student"].count()
    answered = table.groupby(["set", "item"])["student"].count()
    share = (graded / answered).reindex(list(zip(items["set"], items["item"], strict=True)))
    items = items[(share.fillna(0) >= 0.5).to_numpy()]
    return items.sort_values(["mean_fraction", "set", "item"]).head(limit).reset_index(drop=True)


def difficulty(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean score fraction grouped by ``article_id`` or ``layer`` (items without one left out)."""
    rows = table[table["graded"] & (table[by].astype(str) != "")]
    grouped = (
        rows.groupby(by)
        .agg(
            items=("item", "nunique"),
            answers=("student", "count"),
            mean_fraction=("fraction", "mean"),
        )
        .reset_index()
    )
    grouped["mean_fraction"] = grouped["mean_fraction"].round(4)
    return grouped.sort_values("mean_fraction").reset_index(drop=True)


def student_summary(table: pd.DataFrame, student: str) -> str:
    """A short, kind paragraph about one student's results that a grader can paste."""
    rows = table[table["student"] == student]
    graded = rows[rows["graded"]]
    earned, possible = graded["points"].sum(), graded["max_points"].sum()
    totals = set_totals(rows).sort_values(["fraction", "set"])
    parts = [
        f"{student} earned {earned:g} of {possible:g} automatically graded points "
        f"({earned / possible:.0%})."
        if possible
        else f"{student} has no graded items yet."
    ]
    if len(totals) > 1:
        strongest, weakest = totals.iloc[-1], totals.iloc[0]
        if strongest["fraction"] > weakest["fraction"]:
            parts.append(
                f"Strongest set: {strongest['set']} ({strongest['fraction']:.0%}); "
                f"the one to revisit: {weakest['set']} ({weakest['fraction']:.0%})."
            )
    revisit = graded[graded["status"].isin(["incorrect", "missing", "ungradable"])]
    if len(revisit):
        names = ", ".join(f"{s}/{i}" for s, i in zip(revisit["set"], revisit["item"], strict=True))
        parts.append(f"Items to look at again with the feedback: {names}.")
    pending = rows[~rows["graded"]]
    if len(pending):
        parts.append(f"{len(pending)} answer(s) wait for a person to grade them.")
    return " ".join(parts)
