"""Assemble the class report as one self-contained HTML page (no scripts, no network)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from medialit.fileio import atomic_write_text
from medialit.grade.bundle import Bundle
from medialit.report import charts, learning, regrades, similarity, stats
from medialit.report.agreement import (
    RELIABLE,
    TENTATIVE,
    annotation_agreement,
    strongest_students,
)
from medialit.report.load import load_gradebook

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5;
color:#1b1b1b;background:#fff}
table{border-collapse:collapse;margin:1em 0;width:100%}caption{text-align:left;font-weight:600}
th,td{border:1px solid #666;padding:.3em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%;height:auto}
td{overflow-wrap:break-word}td.text{min-width:14em}.wide{overflow-x:auto;max-width:100%}
.wide:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
figure{margin:1em 0}figcaption{font-size:.95em}
@media (max-width:40em){body{margin:1em auto}th,td{padding:.25em .4em}}
.flag{font-weight:700}.flag::before{content:"\\26A0\\FE0F  "}
.headline{display:flex;gap:1.5em;flex-wrap:wrap;padding:0;list-style:none}
.headline li{border:2px solid #333;border-radius:.4em;padding:.5em 1em}
.headline strong{display:block;font-size:1.6em}
mark{background:#ffe08a;color:#1b1b1b;text-decoration:underline 2px;font-weight:700}
"""
LONG_TEXT = 30  # characters: a cell holding more is prose (a title, a summary), not a code


def _table(frame: pd.DataFrame, caption: str, percent: tuple[str, ...] = ()) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            if column in percent and pd.notna(value):
                cells.append(f'<td class="n">{float(value):.0%}</td>')
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<td class="n">{value:g}</td>' if pd.notna(value) else "<td>–</td>")
            elif len(str(value)) > LONG_TEXT:  # keeps a readable width; the region scrolls
                cells.append(f'<td class="text">{html.escape(str(value))}</td>')
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # A wide table scrolls inside its own region (focusable, so keyboards can scroll it too).
    return (
        f'<div class="wide" role="region" tabindex="0" aria-label="{html.escape(caption)}">'
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _figure(uri: str, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{uri}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def build_report(
    table: pd.DataFrame,
    bundle: Bundle,
    title: str = "Class report",
    regraded: pd.DataFrame | None = None,
    starter_texts: tuple[str, ...] = (),
) -> str:
    """The report's HTML for a checked gradebook (see :func:`load_gradebook`), with the last
    regrade report when there is one and the release's text left out of similarity."""
    is_check = learning.is_reading_check(table["set"])
    checks = learning.analyse(table, bundle)  # the reading checks have their own section
    table = table[~is_check]
    if table.empty:  # a gradebook of reading checks only: no coursework sections
        body = [f"<h1>{html.escape(title)}</h1>", regrades.section(regraded)]
        return _document(title, "\n".join([*body, learning.section(checks)]))
    totals = stats.set_totals(table)
    fractions = stats.student_fractions(table)
    items = stats.item_table(table)
    missed = stats.most_missed(table)
    by_layer = stats.difficulty(table, "layer")
    by_article = stats.difficulty(table, "article_id")
    agreement = annotation_agreement(table, bundle, strongest_students(fractions))
    pending = int((~table["graded"]).sum())
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        '<ul class="headline">'
        f"<li><strong>{len(fractions)}</strong> students</li>"
        f"<li><strong>{fractions.mean():.0%}</strong> mean score</li>"
        f"<li><strong>{fractions.median():.0%}</strong> median score</li>"
        f"<li><strong>{len(items)}</strong> items</li>"
        f"<li><strong>{pending}</strong> answers to grade by hand</li></ul>",
        regrades.section(regraded),
    ]

    parts.append("<h2>Scores per exercise set</h2>")
    per_set = (
        totals.groupby("set")["fraction"]
        .describe()[["count", "mean", "25%", "50%", "75%"]]
        .reset_index()
        .rename(columns={"count": "students", "50%": "median"})
    )
    parts.append(
        _table(per_set, "Score fraction per set", percent=("mean", "25%", "median", "75%"))
    )
    parts.append(
        _figure(
            charts.score_distribution(totals),
            "Box plots of student scores per exercise set; the table above gives the same figures.",
            "Each tick is one student; the thick line is the median.",
        )
    )

    parts.append("<h2>Scores per item</h2>")
    item_view = items[
        [
            "set",
            "item",
            "title",
            "kind",
            "students",
            "mean_fraction",
            "correct",
            "partial",
            "incorrect",
            "missing",
            "ungradable",
            "pending",
            "manual",
        ]
    ]
    parts.append(
        _table(item_view, "Mean score and status counts per item", percent=("mean_fraction",))
    )
    parts.append(
        _figure(
            charts.item_means(items),
            "Bar chart of the mean score of each item; the table above gives the same figures.",
            "Mean score per item.",
        )
    )

    parts.append("<h2>Items most often missed</h2>")
    parts.append(
        "<p>The hardest items, with the most common answers that did not earn full "
        "marks. Answers are grouped as the matcher read them (the same label, the same "
        "sentence quoted, the same set of names), not by exact spelling.</p><ol>"
    )
    for row in missed.itertuples():
        wrong = stats.common_wrong_answers(table, row.set, row.item)
        listed = (
            "".join(f"<li>{html.escape(w.answer)} — {w.count} student(s)</li>" for w in wrong)
            or "<li>no wrong answers recorded</li>"
        )
        parts.append(
            f"<li><strong>{html.escape(row.set)}/{html.escape(row.item)}</strong> "
            f"{html.escape(str(row.title))}: mean {row.mean_fraction:.0%}"
            f"<ul>{listed}</ul></li>"
        )
    parts.append("</ol>")

    parts.append("<h2>Agreement with the key on annotation items</h2>")
    if agreement:
        frame = pd.DataFrame(
            [
                {
                    "item": f"{a.set_id}/{a.item}",
                    "title": a.title,
                    "students": a.students,
                    "mean kappa": a.mean_kappa,
                    "kappa of strongest students": a.strongest_kappa,
                    "alpha (students + key)": a.alpha,
                    "key review?": "review the key" if a.review_key else "no",
                }
                for a in agreement
            ]
        )
        parts.append(
            f"<p>Units are the sentences of the article. Cohen's kappa compares each "
            f"student with the key; Krippendorff's alpha treats the key and every student "
            f"as coders. Krippendorff (2004) calls alpha ≥ {RELIABLE} reliable and ≥ "
            f"{TENTATIVE} tentative. An item is flagged when even the top quarter of the "
            f"class (by total score) averages a kappa below {TENTATIVE}: a candidate for "
            f"reviewing the key or the instructions.</p>"
        )
        parts.append(_table(frame, "Agreement per annotation item"))
        flagged = [a for a in agreement if a.review_key]
        for a in flagged:
            parts.append(
                f'<p class="flag">{html.escape(a.set_id)}/{html.escape(a.item)}: even the '
                f"strongest students agree with the key only at kappa "
                f"{a.strongest_kappa:.2f}.</p>"
            )
    else:
        parts.append("<p>No annotation answers were recorded in this gradebook.</p>")

    parts.append("<h2>Difficulty per layer and per article</h2>")
    if len(by_layer):
        parts.append(_table(by_layer, "Mean score per layer", percent=("mean_fraction",)))
        parts.append(
            _figure(
                charts.difficulty_bars(by_layer, "layer", "Mean score per layer"),
                "Bar chart of mean score per layer; the table gives the figures.",
                "Mean score per layer.",
            )
        )
    if len(by_article):
        parts.append(_table(by_article, "Mean score per article", percent=("mean_fraction",)))
        parts.append(
            _figure(
                charts.difficulty_bars(by_article, "article_id", "Mean score per article"),
                "Bar chart of mean score per article; the table gives the figures.",
                "Mean score per article.",
            )
        )

    parts.append(learning.section(checks))
    compared = int(table["kind"].isin(["reflection", "annotation"]).sum())
    pairs = similarity.find_pairs(table, bundle, starter_texts)
    parts.append(similarity.section(pairs, bundle, compared, len(fractions)))
    parts.append("<h2>Per-student summaries</h2><p>Ready to paste into feedback.</p>")
    summaries = pd.DataFrame(
        [
            {
                "student": s,
                "score": fractions[s],
                "summary": " ".join(
                    filter(
                        None, [stats.student_summary(table, s), learning.student_line(checks, s)]
                    )
                ),
            }
            for s in fractions.index
        ]
    )
    parts.append(_table(summaries, "Summary per student", percent=("score",)))
    return _document(title, "\n".join(parts))


def _document(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def write_report(
    gradebook: str | Path,
    out: str | Path,
    bundle: Bundle,
    title: str = "Class report",
    release: str | Path | None = None,
) -> Path:
    """Check the gradebook, build the report and write it atomically (nothing on error).

    A ``regrade-report.csv`` beside the gradebook adds the Regrades section; the student
    release notebooks in ``release`` (when given and there) are starter text for similarity.
    """
    table = load_gradebook(gradebook, bundle)
    regraded = regrades.load_regrades(Path(gradebook))
    starter = similarity.release_texts(Path(release)) if release else ()
    return atomic_write_text(out, build_report(table, bundle, title, regraded, starter))
