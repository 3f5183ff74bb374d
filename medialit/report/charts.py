"""Charts of the class report as PNG data URIs with alt text (no colour-only encoding).

Colours come from the Okabe-Ito palette (told apart with the common colour-vision deficiencies)
and only repeat what a hatch, a marker or a printed value already says. Figures are 5 inches
wide with 14-point type, so a phone (390 px) shows them at about seven tenths of their size with
text still about 13 px high.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

HATCHES = ["//", "..", "xx", "\\\\", "++", "oo"]
# Okabe & Ito (2008), the light members first: black hatch lines stay visible on them.
PALETTE = ["#E69F00", "#56B4E9", "#F0E442", "#009E73", "#CC79A7", "#D55E00", "#0072B2"]
WIDTH = 5.0  # inches at 96 dpi: 480 px
STYLE = {
    "font.size": 14,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "hatch.linewidth": 1.0,
}


def _to_data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@plt.style.context(STYLE)
def score_distribution(totals: pd.DataFrame) -> str:
    """Box plots of the score fraction in each exercise set, with each student as a tick."""
    sets = sorted(totals["set"].unique())
    figure, axes = plt.subplots(figsize=(WIDTH, 0.9 + 0.6 * len(sets)))
    data = [totals.loc[totals["set"] == s, "fraction"] * 100 for s in sets]
    axes.boxplot(
        data,
        orientation="horizontal",
        tick_labels=sets,
        widths=0.5,
        patch_artist=True,
        boxprops={"facecolor": PALETTE[1], "edgecolor": "black"},
        medianprops={"color": "black", "linewidth": 2.5},  # a thick line, not a colour
    )
    for row, values in enumerate(data, start=1):
        axes.plot(values, [row] * len(values), "|", color="black", markersize=12, alpha=0.6)
    axes.set_xlim(-2, 102)
    axes.set_xlabel("score (% of the set's points)")
    axes.set_title("Score distribution per set")
    return _to_data_uri(figure)


@plt.style.context(STYLE)
def _percent_bars(
    labels: list[str],
    fractions: pd.Series,
    title: str,
    *,
    row_height: float,
    hatches: list[str],
    fontsize: int,
) -> str:
    """Horizontal bars of percentages, each with a hatch (and a colour repeating it) and its
    value printed at its end."""
    figure, axes = plt.subplots(figsize=(WIDTH, 0.9 + row_height * len(labels)))
    values = fractions * 100
    bars = axes.barh(labels, values, color="white", edgecolor="black")
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        bar.set_hatch(hatches[index % len(hatches)])
        bar.set_facecolor(PALETTE[index % len(hatches) % len(PALETTE)])
        axes.text(
            min(value + 1, 92),
            bar.get_y() + bar.get_height() / 2,
            f"{value:.0f}%",
            va="center",
            fontsize=fontsize,
        )
    axes.set_xlim(0, 100)
    axes.set_xlabel("mean score (%)")
    axes.set_title(title)
    return _to_data_uri(figure)


def item_means(items: pd.DataFrame) -> str:
    """Horizontal bars: the mean score of each item, the value printed at the end of each bar."""
    items = items.dropna(subset=["mean_fraction"]).sort_values(["set", "item"], ascending=False)
    labels = [f"{s}/{i}" for s, i in zip(items["set"], items["item"], strict=True)]
    return _percent_bars(
        labels,
        items["mean_fraction"],
        "Mean score per item",
        row_height=0.38,
        hatches=["//"],
        fontsize=13,
    )


def difficulty_bars(frame: pd.DataFrame, by: str, title: str) -> str:
    """Bars of mean score per article or layer, each bar with its own hatch and printed value."""
    return _percent_bars(
        list(frame[by].astype(str)),
        frame["mean_fraction"],
        title,
        row_height=0.55,
        hatches=HATCHES,
        fontsize=14,
    )
