"""The learning section: every figure worked out by hand on small classes.

Each form has q1 (2 points, objective x) and q2 (1 point, objective y), each followed by a
confidence item. Students ann and cat take form A before and B after; ben takes B then A; dan
takes form A before and nothing after. The engine writes rows for every set, so a form not
taken is all "missing".
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from medialit.grade.bundle import Bundle, ExerciseSet, Item
from medialit.report import build_report, load_gradebook
from medialit.report.learning import analyse, calibration_view, student_line

HEADER = ["student", "set", "item", "kind", "points", "max_points", "status", "feedback", "answer"]
FORMS = ("pretest_a", "pretest_b", "posttest_a", "posttest_b")
T_975 = {2: 4.302653}  # Student's t, 0.975 quantile, by degrees of freedom (printed tables)


def form(set_id: str) -> ExerciseSet:
    return ExerciseSet(
        set_id,
        set_id,
        (
            Item("q1", "set", 2, variable="q1_answer", key=["a"], objectives=("x",)),
            Item("q1_confidence", "confidence", 0, variable="q1_confidence"),
            Item("q2", "number", 1, variable="q2_answer", key=1, objectives=("y",)),
            Item("q2_confidence", "confidence", 0, variable="q2_confidence"),
        ),
    )


@pytest.fixture
def bundle() -> Bundle:
    claims = ExerciseSet("claims", "Claims", (Item("q1", "number", 1, variable="n", key=3),))
    return Bundle({"claims": claims, **{s: form(s) for s in FORMS}}, {})


def rows_for(student: str, taken: dict[str, tuple]) -> list[list[str]]:
    """Rows for every form: ``taken[set] = (q1 points, conf1, q2 points, conf2)``; a confidence
    of None is left out, a text is recorded as given (graded incorrect)."""
    rows = [[student, "claims", "q1", "number", "1", "1", "correct", "", "3"]]
    for set_id in FORMS:
        if set_id not in taken:
            for item, kind, most in (
                ("q1", "set", 2),
                ("q1_confidence", "confidence", 0),
                ("q2", "number", 1),
                ("q2_confidence", "confidence", 0),
            ):
                rows.append([student, set_id, item, kind, "0", str(most), "missing", "No.", ""])
            continue
        p1, c1, p2, c2 = taken[set_id]
        for item, points, most, conf in (("q1", p1, 2, c1), ("q2", p2, 1, c2)):
            status = "correct" if points == most else "partial" if points else "incorrect"
            kind = "set" if item == "q1" else "number"
            rows.append([student, set_id, item, kind, str(points), str(most), status, "", '"x"'])
            ok = isinstance(conf, int) and 1 <= conf <= 5
            rows.append(
                [
                    student,
                    set_id,
                    f"{item}_confidence",
                    "confidence",
                    "0",
                    "0",
                    "correct" if ok else "incorrect",
                    "",
                    str(conf) if ok else f'"{conf}"',
                ]
            )
    return rows


CLASS = [
    *rows_for("ann", {"pretest_a": (1, 2, 0, 1), "posttest_b": (2, 5, 1, 4)}),
    *rows_for("ben", {"pretest_b": (2, 4, 0, 3), "posttest_a": (2, 5, 1, 5)}),
    *rows_for("cat", {"pretest_a": (0, 3, 1, 5), "posttest_b": (1, "7", 1, 4)}),
    *rows_for("dan", {"pretest_a": (2, 4, 1, 5)}),
]


def load(tmp_path: Path, bundle: Bundle, rows: list[list[str]]):
    path = tmp_path / "gradebook.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return load_gradebook(path, bundle)


def t_interval_by_hand(changes: list[float]) -> tuple[float, float]:
    n = len(changes)
    mean = sum(changes) / n
    sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / (n - 1))
    half = T_975[n - 1] * sd / math.sqrt(n)
    return mean - half, mean + half


def test_per_student_scores_forms_and_gains(tmp_path, bundle):
    result = analyse(load(tmp_path, bundle, CLASS), bundle)
    students = result.students.set_index("student")
    # ann 1/3 -> 3/3, ben 2/3 -> 3/3, cat 1/3 -> 2/3, dan 3/3 -> nothing
    assert students.loc["ann", ["form_before", "form_after"]].tolist() == ["A", "B"]
    assert students.loc["ben", ["form_before", "form_after"]].tolist() == ["B", "A"]
    assert students.loc["dan", ["form_before", "form_after"]].tolist() == ["A", ""]
    assert students["before"].round(4).to_dict() == {
        "ann": 0.3333,
        "ben": 0.6667,
        "cat": 0.3333,
        "dan": 1.0,
    }
    assert students.loc[["ann", "ben", "cat"], "after"].round(4).tolist() == [1.0, 1.0, 0.6667]
    assert math.isnan(students.loc["dan", "after"])
    # g = (after - before) / (1 - before): ann (2/3)/(2/3), ben (1/3)/(1/3), cat (1/3)/(2/3)
    assert students.loc[["ann", "ben", "cat"], "gain"].round(4).tolist() == [1.0, 1.0, 0.5]
    assert result.unpaired == ["dan"] and result.repeated == []
    # forms: before, A by ann (1/3), cat (1/3), dan (1); B by ben (2/3); after, A ben, B ann cat
    forms = result.forms.set_index(["occasion", "form"])
    assert list(forms.index) == [("before", "A"), ("before", "B"), ("after", "A"), ("after", "B")]
    assert forms["students"].tolist() == [3, 1, 1, 2]
    assert forms["mean_score"].round(4).tolist() == [0.5556, 0.6667, 1.0, 0.8333]


def test_gain_per_objective_with_t_intervals(tmp_path, bundle):
    objectives = analyse(load(tmp_path, bundle, CLASS), bundle).objectives.set_index("objective")
    assert list(objectives.index) == ["all objectives", "x", "y"]
    assert objectives["students"].tolist() == [3, 3, 3]  # dan has no "after": left out
    # all objectives: before (1/3 + 2/3 + 1/3)/3 = 4/9, after (1 + 1 + 2/3)/3 = 8/9
    every = objectives.loc["all objectives"]
    assert (round(every.before, 4), round(every.after, 4)) == (0.4444, 0.8889)
    assert round(every.change, 4) == 0.4444
    low, high = t_interval_by_hand([2 / 3, 1 / 3, 1 / 3])  # 4/9 ± 4.302653 · (1/9)
    assert (round(every.ci_low, 4), round(every.ci_high, 4)) == (round(low, 4), round(high, 4))
    assert (round(every.ci_low, 4), round(every.ci_high, 4)) == (-0.0336, 0.9225)
    assert round(every.hake_g, 4) == 0.8  # (8/9 - 4/9) / (1 - 4/9)
    assert round(every.mean_g, 4) == 0.8333 and every.g_students == 3  # (1 + 1 + 0.5) / 3
    # x (q1 only): ann .5 -> 1, ben 1 -> 1, cat 0 -> .5
    x = objectives.loc["x"]
    assert (x.before, round(x.after, 4), round(x.change, 4)) == (0.5, 0.8333, 0.3333)
    assert (round(x.ci_low, 4), round(x.ci_high, 4)) == (-0.3838, 1.0504)  # 1/3 ± 4.302653/6
    assert round(x.hake_g, 4) == 0.6667  # (1/3) / (1/2)
    assert (x.mean_g, x.g_students) == (0.75, 2)  # ben started at 100%: (1 + 0.5) / 2
    # y (q2 only): ann 0 -> 1, ben 0 -> 1, cat 1 -> 1
    y = objectives.loc["y"]
    assert (round(y.before, 4), y.after, round(y.change, 4)) == (0.3333, 1.0, 0.6667)
    assert (round(y.ci_low, 4), round(y.ci_high, 4)) == (-0.7676, 2.1009)  # 2/3 ± 4.302653/3
    assert (y.hake_g, y.mean_g, y.g_students) == (1.0, 1.0, 2)


def test_calibration_by_rating_and_bias(tmp_path, bundle):
    result = analyse(load(tmp_path, bundle, CLASS), bundle)
    table = result.calibration.set_index(["occasion", "confidence"])
    # before: ann (2: .5, 1: 0), ben (4: 1, 3: 0), cat (3: 0, 5: 1), dan (4: 1, 5: 1)
    before = table.loc["before"]
    assert before["answers"].to_dict() == {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}
    assert before["mean_score"].to_dict() == {1: 0.0, 2: 0.5, 3: 0.0, 4: 1.0, 5: 1.0}
    # after: cat's "7" is no rating; ann (5: 1, 4: 1), ben (5: 1, 5: 1), cat (4: 1)
    after = table.loc["after"]
    assert after["answers"].to_dict() == {4: 2, 5: 3}
    assert after["mean_score"].to_dict() == {4: 1.0, 5: 1.0}
    bias = result.bias.set_index("occasion")
    # before: ratings on 0-1 (.25 0 .75 .5 .5 1 .75 1) mean .59375; scores mean 4.5/8
    assert bias.loc["before", "mean_confidence"] == 0.59375
    assert bias.loc["before", "mean_score"] == 0.5625
    assert round(bias.loc["before", "bias"], 5) == 0.03125
    # after: (1 .75 1 1 .75) mean .9; scores all 1
    assert (round(bias.loc["after", "mean_confidence"], 4), bias.loc["after", "mean_score"]) == (
        0.9,
        1.0,
    )
    assert round(bias.loc["after", "bias"], 4) == -0.1
    view = calibration_view(result).set_index("confidence")
    assert view.loc[3].tolist() == ["0% (2)", "– (0)"]
    assert view.loc[5].tolist() == ["100% (2)", "100% (3)"]


def test_a_class_where_nothing_changes(tmp_path, bundle):
    rows = [
        *rows_for("eve", {"pretest_a": (1, 3, 0, 3), "posttest_b": (1, 3, 0, 3)}),
        *rows_for("fay", {"pretest_b": (2, 4, 0, 2), "posttest_a": (2, 4, 0, 2)}),
    ]
    result = analyse(load(tmp_path, bundle, rows), bundle)
    objectives = result.objectives.set_index("objective")
    assert objectives["change"].tolist() == [0.0, 0.0, 0.0]
    assert objectives["ci_low"].tolist() == [0.0, 0.0, 0.0]  # sd 0: the interval is the point
    assert objectives["ci_high"].tolist() == [0.0, 0.0, 0.0]
    # all: before (1/3 + 2/3)/2 = 1/2: <g> = 0; x: before (.5 + 1)/2: <g> = 0; y: 0 -> 0
    assert objectives["hake_g"].tolist() == [0.0, 0.0, 0.0]
    assert objectives.loc["x", ["mean_g", "g_students"]].tolist() == [0.0, 1]  # fay: 100% on x
    assert result.students["change"].tolist() == [0.0, 0.0]
    assert student_line(result, "eve") == (
        "Reading check: before 33% (form A), after 33% (form B), change +0 points."
    )


def test_a_student_who_answers_only_one_form(tmp_path, bundle):
    rows = rows_for("dan", {"pretest_a": (2, 4, 1, 5)})
    result = analyse(load(tmp_path, bundle, rows), bundle)
    assert result.objectives.empty and result.unpaired == ["dan"]
    assert student_line(result, "dan") == "Reading check: before 100% (form A), not taken after."
    assert result.calibration["answers"].sum() == 2  # the ratings still count for calibration
    page = build_report(load(tmp_path, bundle, rows), bundle)
    assert "0 student(s) took a form both before and after" in page
    assert "Took a form on one occasion only (left out of the gains): dan." in page


def test_two_forms_on_one_occasion_are_flagged_and_left_out(tmp_path, bundle):
    rows = rows_for(
        "gil", {"pretest_a": (2, 4, 1, 5), "pretest_b": (0, 1, 0, 1), "posttest_a": (2, 5, 1, 5)}
    )
    result = analyse(load(tmp_path, bundle, rows), bundle)
    assert result.repeated == ["gil"] and result.objectives.empty
    assert "forms A+B both taken, not scored" in student_line(result, "gil")


def test_the_report_shows_the_section_and_keeps_checks_out_of_coursework(tmp_path, bundle):
    page = build_report(load(tmp_path, bundle, CLASS), bundle)
    assert "<h2>Learning: reading checks before and after the unit</h2>" in page
    assert "3 student(s) took a form both before and after" in page
    # all objectives: 4/9 -> 8/9, +44 points, t-interval -3 to +92 points, <g> .8, mean g .83
    assert (
        "<td>all objectives</td><td>44% → 89%</td>"
        "<td>+44 (-3 to +92)</td><td>0.80</td><td>0.83 (3)</td>"
    ) in page
    assert "before: mean rating 59% of the scale, mean score 56% over 8 rated answers" in page
    assert "after: mean rating 90% of the scale, mean score 100% over 5 rated answers" in page
    assert "bias +3 points (about as confident as correct); after:" in page
    assert "bias -10 points (under-confident)." in page
    assert "Reading check: before 33% (form A), after 100% (form B), change +67 points." in page
    # coursework figures are about the claims set only: four students, one item
    assert "<li><strong>1</strong> items</li>" in page
    assert "pretest_a/q1" not in page.split("<h2>Learning")[0]
    learning_part = page.split("<h2>Learning")[1].split("<h2>")[0]
    assert learning_part.count("<img") == 2  # gain per objective, calibration


def test_a_gradebook_of_reading_checks_only_is_reported(tmp_path, bundle):
    rows = [r for r in CLASS if r[1] != "claims"]
    page = build_report(load(tmp_path, bundle, rows), bundle, "Checks")
    assert page.startswith("<!DOCTYPE html>") and "<h1>Checks</h1>" in page
    assert "3 student(s) took a form both before and after" in page
    assert "Scores per exercise set" not in page
