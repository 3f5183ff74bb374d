"""Figures from the keys: count tables (pandas) and one bar chart per table (matplotlib)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from medialit.annotations import labels
from medialit.annotations.key import annotations
from medialit.corpus import Corpus

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# What each figure counts: the layer, the field and the label set of its values.
MEASURES: dict[str, tuple[str, str, str]] = {
    "source_types": ("sourcing", "source_type", "source_types"),
    "frames": ("framing", "frame", "frames"),
    "claim_kinds": ("claims", "claim_kind", "claim_kinds"),
    "techniques": ("persuasion", "technique", "techniques"),
}
TITLES = {
    "source_types": "Attributions by source type",
    "frames": "Paragraphs by primary frame",
    "claim_kinds": "Claims by kind",
    "techniques": "Persuasion techniques",
}


def count_table(
    measure: str,
    article_id: str | None = None,
    *,
    keep_zeros: bool = False,
    corpus: Corpus | None = None,
) -> pd.DataFrame:
    """Count the key's labels for one measure, in codebook order.

    ``measure`` is one of ``source_types``, ``frames`` (primary frames of whole paragraphs),
    ``claim_kinds`` or ``techniques`` (with their category). Without ``article_id`` every article
    with a key file is counted.

    >>> table = count_table("frames", "putin-changed-stance")
    >>> list(table.columns)
    ['label_id', 'label', 'tag', 'count', 'share']
    >>> int(table["count"].sum()) == 16  # one primary frame per paragraph
    True
    """
    if measure not in MEASURES:
        raise ValueError(f"{measure!r} is not a measure; use one of {', '.join(MEASURES)}.")
    layer, field, set_id = MEASURES[measure]
    table = annotations(article_id, layer=layer, corpus=corpus)
    if measure == "frames":
        # only paragraph-level framing entries carry "the" frame of a paragraph
        paragraphs = (corpus or _default()).paragraphs(article_id)
        bounds = set(zip(paragraphs["start"], paragraphs["end"], strict=True))
        whole = [(s, e) in bounds for s, e in zip(table["start"], table["end"], strict=True)]
        table = table[table["frame"].notna() & pd.Series(whole, index=table.index, dtype=bool)]
    counts = table[field].dropna().value_counts()
    rows = []
    for label in labels.label_set(set_id):
        count = int(counts.get(label.id, 0))
        if count or keep_zeros:
            row = {"label_id": label.id, "label": label.name, "tag": label.tag, "count": count}
            if measure == "techniques":
                row["category"] = labels.TECHNIQUE_CATEGORIES[label.category].name
            rows.append(row)
    columns = ["label_id", "label", "tag", "count"]
    if measure == "techniques":
        columns.insert(2, "category")
    result = pd.DataFrame(rows, columns=columns)
    total = result["count"].sum()
    result["share"] = (result["count"] / total).round(3) if total else 0.0
    return result


def _default() -> Corpus:
    from medialit.corpus import default

    return default()


def summary_tables(
    article_id: str | None = None, *, corpus: Corpus | None = None
) -> dict[str, pd.DataFrame]:
    """All four count tables for one article (or all keyed articles), by measure name."""
    return {measure: count_table(measure, article_id, corpus=corpus) for measure in MEASURES}


def chart(
    measure: str,
    article_id: str | None = None,
    *,
    corpus: Corpus | None = None,
    table: pd.DataFrame | None = None,
) -> Figure:
    """A horizontal bar chart of one count table, each bar labelled with its name and count.

    Bars carry their label and number as text (colour is never the only signal).

    >>> figure = chart("claim_kinds", "putin-changed-stance")
    >>> figure.axes[0].get_title(loc="left")
    'Claims by kind\\nputin-changed-stance'
    """
    from matplotlib.figure import Figure

    data = table if table is not None else count_table(measure, article_id, corpus=corpus)
    data = data.iloc[::-1]
    names = data["label"] + " (" + data["category"] + ")" if "category" in data else data["label"]
    figure = Figure(figsize=(8, 0.45 * max(len(data), 2) + 1.2), layout="constrained")
    axes = figure.subplots()
    bars = axes.barh(
        list(names), list(data["count"]), color="#4a6fa5", edgecolor="black", hatch="//"
    )
    axes.bar_label(bars, labels=[str(n) for n in data["count"]], padding=3)
    axes.set_xlabel("number of annotations in the key")
    axes.set_title(f"{TITLES[measure]}\n{article_id or 'all keyed articles'}", loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    return figure
