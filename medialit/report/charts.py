"""Charts of the class report as PNG data URIs with alt text (no colour-only encoding)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

HATCHES = ["//", "..", "xx", "\\\\", "++", "oo"]


def _to_data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_distribution(totals: pd.DataFrame) -> str:
    """Box plots of the score fraction in each exercise set, with each student as a tick."""
    sets = sorted(totals["set"].unique())
    figure, axes = plt.subplots(figsize=(7, 0.6 + 0.55 * len(sets)))
    data = [totals.loc[totals["set"] == s, "fraction"] * 100 for s in sets]
    axes.boxplot(data, orientation="horizontal", tick_labels=sets, widths=0.5)
    for row, values in enumerate(data, start=1):
        axes.plot(values, [row] * len(values), "|", color="black", markersize=10, alpha=0.5)
    axes.set_xlim(-2, 102)
    axes.set_xlabel("score (% of the set's graded points)")
    axes.set_title("Score distribution per exercise set")
    return _to_data_uri(figure)


def item_means(items: pd.DataFrame) -> str:
    """Horizontal bars: the mean score of each item, the value printed at the end of each bar."""
    items = items.dropna(subset=["mean_fraction"]).sort_values(["set", "item"], ascending=False)
    labels = [f"{s}/{i}" for s, i in zip(items["set"], items["item"], strict=True)]
    figure, axes = plt.subplots(figsize=(7, 0.6 + 0.28 * len(items)))
    values = items["mean_fraction"] * 100
    bars = axes.barh(labels, values, color="white", edgecolor="black", hatch="//")
    for bar, value in zip(bars, values, strict=True):
        axes.text(
            min(value + 1, 92),
            bar.get_y() + bar.get_height() / 2,
            f"{value:.0f}%",
            va="center",
            fontsize=8,
        )
    axes.set_xlim(0, 100)
    axes.set_xlabel("mean score (%)")
    axes.set_title("Mean score per item")
    return _to_data_uri(figure)


def difficulty_bars(frame: pd.DataFrame, by: str, title: str) -> str:
    """Bars of mean score per article or layer, each bar with its own hatch and printed value."""
    figure, axes = plt.subplots(figsize=(7, 0.8 + 0.4 * len(frame)))
    values = frame["mean_fraction"] * 100
    bars = axes.barh(frame[by].astype(str), values, color="white", edgecolor="black")
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        bar.set_hatch(HATCHES[index % len(HATCHES)])
        axes.text(
            min(value + 1, 92),
            bar.get_y() + bar.get_height() / 2,
            f"{value:.0f}%",
            va="center",
            fontsize=9,
        )
    axes.set_xlim(0, 100)
    axes.set_xlabel("mean score (%)")
    axes.set_title(title)
    return _to_data_uri(figure)
