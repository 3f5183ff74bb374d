"""Learning from the reading checks: gain per objective (pre -> post) and calibration of confidence.

The reading checks are the exercise sets ``pretest_<form>`` and ``posttest_<form>`` (two parallel
forms, A and B, given in counterbalanced order). Their confidence items (``<item>_confidence``,
kind ``confidence``) hold a rating from 1 (a guess) to 5 (certain) in the gradebook's answer
column; they are worth no points. Figures:

- per student and occasion (before, after): the share of the form's points earned, overall and
  per objective (an item that assesses two objectives counts for both);
- per objective, over the students who took a form on both occasions: mean before, mean after,
  mean change with a 95% t-interval (mean ± t(0.975, n − 1) · sd / √n), Hake's normalised gain
  <g> = (mean after − mean before) / (1 − mean before), and the mean of each student's own
  g = (after − before) / (1 − before) over the students who did not start at 100%;
- calibration: for each confidence rating, how many answers had it and their mean score; the
  bias is the mean rating on a 0–1 scale ((rating − 1) / 4) minus the mean score (positive:
  more confident than correct).

A form counts as taken when at least one of its items is not ``missing``.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import pandas as pd

from medialit.grade.bundle import CONFIDENCE_SCALE, CONFIDENCE_SUFFIX, Bundle
from medialit.report.load import parse_answer

CHECK_SET = re.compile(r"^(?P<occasion>pretest|posttest)_(?P<form>[a-z0-9]+)$")
OCCASIONS = {"pretest": "before", "posttest": "after"}
ALL = "all objectives"
CONFIDENCE = 0.95


def is_reading_check(sets: pd.Series) -> pd.Series:
    """Whether each set id is a reading-check form (``pretest_a``, ``posttest_b``, ...).

    >>> is_reading_check(pd.Series(["pretest_a", "claims", "posttest_b"])).tolist()
    [True, False, True]
    """
    return sets.astype(str).str.fullmatch(CHECK_SET.pattern)


def t_interval(values: list[float], level: float = CONFIDENCE) -> tuple[float, float]:
    """The two-sided t-interval of the mean (NaN for fewer than two values).

    >>> [round(x, 4) for x in t_interval([0.0, 0.5, 1.0])]
    [-0.7421, 1.7421]
    """
    from scipy.stats import t

    n = len(values)
    if n < 2:
        return (math.nan, math.nan)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return (mean - half, mean + half)


def normalised_gain(before: float, after: float) -> float:
    """Hake's normalised gain (after − before) / (1 − before); NaN when before is 100%.

    >>> normalised_gain(0.5, 0.75), normalised_gain(1.0, 1.0)
    (0.5, nan)
    """
    return math.nan if before >= 1 else (after - before) / (1 - before)


@dataclass(frozen=True)
class Learning:
    """Every figure of the learning section (see the module docstring)."""

    scores: pd.DataFrame  # student, occasion, form, objective, earned, possible, fraction
    students: pd.DataFrame  # student, form_before, form_after, before, after, change, gain
    objectives: pd.DataFrame  # objective, students, before, after, change, ci_low, ci_high, ...
    calibration: pd.DataFrame  # occasion, confidence, answers, mean_score
    bias: pd.DataFrame  # occasion, answers, mean_confidence, mean_score, bias
    forms: pd.DataFrame  # occasion, form, students, mean_score: how hard each form was
    unpaired: list[str]  # students who took a form on one occasion only
    repeated: list[str]  # students who took two forms on one occasion (left out of the pairs)


def _checks(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[is_reading_check(table["set"])].copy()
    parts = rows["set"].str.extract(CHECK_SET.pattern)
    rows["occasion"] = parts["occasion"].map(OCCASIONS)
    rows["form"] = parts["form"].str.upper()
    taken = rows.groupby(["student", "set"])["status"].transform(lambda s: (s != "missing").any())
    return rows[taken]


def _scores(answers: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """Earned and possible points per student, occasion, form and objective (and overall)."""
    graded = answers[answers["graded"]].copy()
    graded["objective"] = [
        bundle.sets[s].items[[i.id for i in bundle.sets[s].items].index(item)].objectives
        for s, item in zip(graded["set"], graded["item"], strict=True)
    ]
    keys = ["student", "occasion", "form"]
    overall = graded.assign(objective=ALL)
    per_objective = graded.explode("objective").dropna(subset=["objective"])
    both = pd.concat([overall, per_objective], ignore_index=True)
    scores = (
        both.groupby([*keys, "objective"])
        .agg(earned=("points", "sum"), possible=("max_points", "sum"))
        .reset_index()
    )
    scores["fraction"] = scores["earned"] / scores["possible"]
    return scores


def _paired(scores: pd.DataFrame, students: list[str]) -> pd.DataFrame:
    wide = scores[scores["student"].isin(students)].pivot_table(
        index=["student", "objective"], columns="occasion", values="fraction"
    )
    wide = wide.reindex(columns=["before", "after"])  # no pairs: the columns still exist
    return wide.dropna(subset=["before", "after"]).reset_index()


def _per_objective(paired: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    rows = []
    for objective in order:
        one = paired[paired["objective"] == objective]
        if one.empty:
            continue
        changes = list(one["after"] - one["before"])
        gains = [
            normalised_gain(b, a) for b, a in zip(one["before"], one["after"], strict=True) if b < 1
        ]
        low, high = t_interval(changes)
        before, after = one["before"].mean(), one["after"].mean()
        rows.append(
            {
                "objective": objective,
                "students": len(one),
                "before": before,
                "after": after,
                "change": after - before,
                "ci_low": low,
                "ci_high": high,
                "hake_g": normalised_gain(before, after),
                "mean_g": sum(gains) / len(gains) if gains else math.nan,
                "g_students": len(gains),
            }
        )
    return pd.DataFrame(rows)


def _confidences(answers: pd.DataFrame) -> pd.DataFrame:
    """Each rated answer: student, occasion, item, the rating and the item's score fraction."""
    rated = answers[(answers["kind"] == "confidence") & (answers["status"] == "correct")].copy()
    rated["confidence"] = [parse_answer(a) for a in rated["answer"]]
    low, high = CONFIDENCE_SCALE
    rated = rated[rated["confidence"].map(lambda c: isinstance(c, int) and low <= c <= high)]
    rated["item"] = rated["item"].str.removesuffix(CONFIDENCE_SUFFIX)
    scored = answers[(answers["kind"] != "confidence") & answers["graded"]]
    merged = rated[["student", "set", "occasion", "item", "confidence"]].merge(
        scored[["student", "set", "item", "fraction"]], on=["student", "set", "item"]
    )
    merged["confidence"] = merged["confidence"].astype(int)
    return merged


def analyse(table: pd.DataFrame, bundle: Bundle) -> Learning | None:
    """The figures of the learning section, or None when no reading check was taken."""
    answers = _checks(table)
    if answers.empty:
        return None
    scores = _scores(answers, bundle)
    taken = answers.groupby(["student", "occasion"])["form"].agg(lambda f: sorted(set(f)))
    repeated = sorted({s for (s, _), forms in taken.items() if len(forms) > 1})
    occasions = taken.reset_index().groupby("student")["occasion"].agg(set)
    paired_students = sorted(
        s for s, o in occasions.items() if o == {"before", "after"} and s not in repeated
    )
    unpaired = sorted(s for s, o in occasions.items() if len(o) == 1 and s not in repeated)
    paired = _paired(scores, paired_students)
    order = [ALL, *sorted({o for s in bundle.sets.values() for i in s.items for o in i.objectives})]
    objectives = _per_objective(paired, order)
    overall = scores[scores["objective"] == ALL]
    students = []
    for student in sorted(occasions.index):
        row: dict[str, object] = {"student": student}
        for occasion in ("before", "after"):
            mine = overall[(overall["student"] == student) & (overall["occasion"] == occasion)]
            forms = taken.get((student, occasion), [])
            row[f"form_{occasion}"] = "+".join(forms)
            row[occasion] = (
                mine["earned"].sum() / mine["possible"].sum() if len(forms) == 1 else math.nan
            )
        row["change"] = row["after"] - row["before"]  # type: ignore[operator]
        row["gain"] = normalised_gain(row["before"], row["after"])  # type: ignore[arg-type]
        students.append(row)
    rated = _confidences(answers)
    calibration = (
        rated.groupby(["occasion", "confidence"])
        .agg(answers=("fraction", "size"), mean_score=("fraction", "mean"))
        .reset_index()
    )
    rated["scaled"] = (rated["confidence"] - CONFIDENCE_SCALE[0]) / (
        CONFIDENCE_SCALE[1] - CONFIDENCE_SCALE[0]
    )
    bias = (
        rated.groupby("occasion")
        .agg(
            answers=("fraction", "size"),
            mean_confidence=("scaled", "mean"),
            mean_score=("fraction", "mean"),
        )
        .reset_index()
    )
    bias["bias"] = bias["mean_confidence"] - bias["mean_score"]
    bias = bias.sort_values("occasion", key=lambda o: o.map({"before": 0, "after": 1}))
    forms = (
        overall.groupby(["occasion", "form"])
        .agg(
            students=("student", "nunique"), earned=("earned", "sum"), possible=("possible", "sum")
        )
        .reset_index()
    )
    forms["mean_score"] = [
        overall[(overall["occasion"] == o) & (overall["form"] == f)]["fraction"].mean()
        for o, f in zip(forms["occasion"], forms["form"], strict=True)
    ]
    forms = forms.drop(columns=["earned", "possible"]).sort_values(
        ["occasion", "form"],
        key=lambda c: c.map({"before": 0, "after": 1}) if c.name == "occasion" else c,
    )
    return Learning(
        scores, pd.DataFrame(students), objectives, calibration, bias, forms, unpaired, repeated
    )


def student_line(learning: Learning | None, student: str) -> str:
    """One student's reading checks in words, for the per-student summaries.

    >>> frame = pd.DataFrame([{"student": "ada", "form_before": "A", "form_after": "B",
    ...                        "before": 0.4, "after": 0.7}])
    >>> student_line(Learning(None, frame, None, None, None, None, [], []), "ada")
    'Reading check: before 40% (form A), after 70% (form B), change +30 points.'
    """
    if learning is None:
        return ""
    rows = learning.students[learning.students["student"] == student]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    said = []
    for occasion in ("before", "after"):
        if pd.notna(row[occasion]):
            said.append(f"{occasion} {row[occasion]:.0%} (form {row[f'form_{occasion}']})")
        elif row[f"form_{occasion}"]:
            said.append(f"{occasion}: forms {row[f'form_{occasion}']} both taken, not scored")
        else:
            said.append(f"not taken {occasion}")
    text = "Reading check: " + ", ".join(said)
    if pd.notna(row["before"]) and pd.notna(row["after"]):
        text += f", change {(row['after'] - row['before']) * 100:+.0f} points"
    return text + "."


def _points(value: float) -> str:
    return "–" if pd.isna(value) else f"{value * 100:+.0f}"


def _percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.0%}"


def _ratio(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.2f}"


def objective_view(learning: Learning) -> pd.DataFrame:
    """The per-objective table as the report prints it: few columns, so it fits a phone."""
    frame = learning.objectives
    return pd.DataFrame(
        {
            "objective": frame["objective"],
            "before → after": [
                f"{_percent(b)} → {_percent(a)}"
                for b, a in zip(frame["before"], frame["after"], strict=True)
            ],
            "change (95% CI)": [
                f"{_points(c)} ({_points(lo)} to {_points(hi)})"
                if pd.notna(lo)
                else f"{_points(c)} (–)"
                for c, lo, hi in zip(
                    frame["change"], frame["ci_low"], frame["ci_high"], strict=True
                )
            ],
            "<g>": frame["hake_g"].map(_ratio),
            "mean g (n)": [
                f"{_ratio(g)} ({n})"
                for g, n in zip(frame["mean_g"], frame["g_students"], strict=True)
            ],
        }
    )


def calibration_view(learning: Learning) -> pd.DataFrame:
    """Confidence ratings against scores, one row per rating, before and after side by side."""
    low, high = CONFIDENCE_SCALE
    rows = []
    for rating in range(low, high + 1):
        row: dict[str, object] = {"confidence": rating}
        for occasion in ("before", "after"):
            hit = learning.calibration[
                (learning.calibration["occasion"] == occasion)
                & (learning.calibration["confidence"] == rating)
            ]
            row[f"score {occasion} (answers)"] = (
                f"{_percent(hit['mean_score'].iloc[0])} ({int(hit['answers'].iloc[0])})"
                if len(hit)
                else "– (0)"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def bias_sentence(learning: Learning) -> str:
    """Over- or under-confidence on each occasion, in words."""
    said = []
    for row in learning.bias.itertuples():
        direction = (
            "over-confident"
            if row.bias > 0.05
            else "under-confident"
            if row.bias < -0.05
            else "about as confident as correct"
        )
        said.append(
            f"{row.occasion}: mean rating {row.mean_confidence:.0%} of the scale, mean score "
            f"{row.mean_score:.0%} over {row.answers} rated answers, bias "
            f"{row.bias * 100:+.0f} points ({direction})"
        )
    return "; ".join(said) + "." if said else "No confidence ratings were recorded."


def section(learning: Learning | None) -> str:
    """The report's learning section (HTML)."""
    from medialit.report import learning_charts
    from medialit.report.page import _figure, _table

    parts = ["<h2>Learning: reading checks before and after the unit</h2>"]
    if learning is None:
        parts.append("<p>No reading check (pretest_* or posttest_* set) was taken.</p>")
        return "\n".join(parts)
    paired = int(learning.objectives["students"].max()) if len(learning.objectives) else 0
    parts.append(
        f"<p>{paired} student(s) took a form both before and after the unit; only they count "
        "in the gains. Change is in percentage points of each form's points. The interval is "
        "a 95% t-interval of the mean change (not a bootstrap). &lt;g&gt; is Hake's class "
        "normalised gain, (after − before) / (1 − before) on the class means; mean g "
        "averages each student's own gain, leaving out students who scored 100% before. "
        "There is no control group: read the instructor guide's page on the reading checks "
        "before drawing conclusions.</p>"
    )
    if learning.unpaired:
        parts.append(
            f"<p>Took a form on one occasion only (left out of the gains): "
            f"{html.escape(', '.join(learning.unpaired))}.</p>"
        )
    if learning.repeated:
        parts.append(
            f'<p class="flag">Took both forms on one occasion (left out of the gains; check '
            f"which form was meant): {html.escape(', '.join(learning.repeated))}.</p>"
        )
    if len(learning.objectives):
        parts.append(_table(objective_view(learning), "Gain per objective"))
        parts.append(
            _figure(
                learning_charts.gain_chart(learning.objectives),
                "Dot plot of the mean score per objective before (open circles) and after "
                "(filled triangles) the unit; the table above gives the same figures.",
                "Before (open circle) and after (filled triangle), per objective.",
            )
        )
    parts.append(
        "<p>How hard each form was: the mean score of everyone who took it on each occasion. "
        "With counterbalanced forms, a harder form lowers one half's 'before' and the other "
        "half's 'after' by the same amount, so the class gain is fair when the halves are "
        "alike; a gap between forms on the same occasion is a gap in difficulty (or in the "
        "halves).</p>"
    )
    forms_view = pd.DataFrame(
        {
            "occasion": learning.forms["occasion"],
            "form": learning.forms["form"],
            "students": learning.forms["students"],
            "mean score": learning.forms["mean_score"].map(_percent),
        }
    )
    parts.append(_table(forms_view, "Mean score per form and occasion"))
    parts.append("<h3>Calibration: confidence against correctness</h3>")
    parts.append(f"<p>{html.escape(bias_sentence(learning))}</p>")
    parts.append(
        "<p>The bias compares the mean rating, read on a 0–100% scale (1 = 0%, 5 = 100%), "
        "with the mean score of the same answers. Calibrated students score higher the surer "
        "they say they are.</p>"
    )
    parts.append(_table(calibration_view(learning), "Mean score per confidence rating"))
    if len(learning.calibration):
        parts.append(
            _figure(
                learning_charts.calibration_chart(learning.calibration),
                "Bar chart of the mean score of the answers at each confidence rating, before "
                "(hatched) and after (dotted) the unit; the table above gives the figures.",
                "Mean score per confidence rating; the dashed line is where ratings would "
                "match scores.",
            )
        )
    view = learning.students.copy()
    per_student = pd.DataFrame(
        {
            "student": view["student"],
            "forms": [
                f"{b or '–'} → {a or '–'}"
                for b, a in zip(view["form_before"], view["form_after"], strict=True)
            ],
            "before": view["before"].map(_percent),
            "after": view["after"].map(_percent),
            "change": view["change"].map(_points),
            "g": view["gain"].map(_ratio),
        }
    )
    parts.append(_table(per_student, "Reading checks per student"))
    return "\n".join(parts)
