"""Charts of the learning section, sized for a phone: shapes and hatches, never colour alone."""

from __future__ import annotations

import pandas as pd

from medialit.report.charts import _to_data_uri, plt

FONT = 13  # a 4-inch figure is about 390 px wide: the text stays near its printed size


def gain_chart(objectives: pd.DataFrame) -> str:
    """Per objective, the mean before (open circle) and after (filled triangle), joined by an
    arrow; the objective's name and both values are written above its row, so the chart
    needs no label column and stays wide enough to read on a phone."""
    frame = objectives.iloc[::-1].reset_index(drop=True)  # first objective at the top
    figure, axes = plt.subplots(figsize=(4, 0.7 + 0.62 * len(frame)))
    for row in frame.itertuples():
        before, after = row.before * 100, row.after * 100
        axes.annotate(
            "",
            xy=(after, row.Index),
            xytext=(before, row.Index),
            arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2, "shrinkB": 6},
        )
        axes.plot(before, row.Index, "o", markersize=8, markerfacecolor="white", color="black")
        axes.plot(after, row.Index, ">", markersize=8, color="black")
        axes.text(
            0, row.Index + 0.22, f"{row.objective}: {before:.0f}% → {after:.0f}%", fontsize=FONT - 2
        )
    axes.set_yticks([])
    axes.set_ylim(-0.5, len(frame) - 0.2)
    axes.set_xlim(0, 100)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="x", labelsize=FONT - 2)
    axes.set_xlabel("mean score (%)", fontsize=FONT - 1)
    axes.plot([], [], "o", markerfacecolor="white", color="black", label="before")
    axes.plot([], [], ">", color="black", label="after")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=FONT - 1)
    axes.grid(axis="x", linestyle=":", linewidth=0.8)
    return _to_data_uri(figure)


def calibration_chart(calibration: pd.DataFrame) -> str:
    """Mean score at each confidence rating: hatched bars before, dotted bars after, the value
    printed on each bar, and a dashed line where the rating would equal the score."""
    figure, axes = plt.subplots(figsize=(4, 3.4))
    width = 0.4
    for offset, occasion, hatch in ((-width / 2, "before", "//"), (width / 2, "after", "..")):
        rows = calibration[calibration["occasion"] == occasion]
        bars = axes.bar(
            rows["confidence"] + offset,
            rows["mean_score"] * 100,
            width,
            color="white",
            edgecolor="black",
            hatch=hatch,
            label=occasion,
        )
        for bar, value in zip(bars, rows["mean_score"] * 100, strict=True):
            axes.text(
                bar.get_x() + bar.get_width() / 2,
                value + 2,
                f"{value:.0f}",
                ha="center",
                fontsize=FONT - 3,
            )
    axes.plot([1, 5], [0, 100], "--", color="black", linewidth=1, label="rating = score")
    axes.set_xticks([1, 2, 3, 4, 5], ["1\nguess", "2", "3", "4", "5\ncertain"], fontsize=FONT - 2)
    axes.set_ylim(0, 112)
    axes.tick_params(axis="y", labelsize=FONT - 2)
    axes.set_xlabel("confidence rating", fontsize=FONT - 1)
    axes.set_ylabel("mean score (%)", fontsize=FONT - 1)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize=FONT - 2)
    return _to_data_uri(figure)
