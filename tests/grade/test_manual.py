"""Hand scores: `medialit grade DIR --manual scores.csv` merges them into every export, refuses
bad points without writing anything, reports rows it cannot match, and never lets a mark stick
to an answer that has changed since it was given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medialit.grade.bundle import load_bundle
from medialit.grade.engine import CACHE
from medialit.grade.manual import answer_digest
from medialit.report.load import load_gradebook
from medialit.report.page import write_report
from medialit.report.stats import item_table
from tests.grade.hand_class import (
    ANSWERS,
    grade,
    make_class,
    page_data,
    rows,
    scores_csv,
    write_answers,
)


@pytest.fixture
def hand_class(tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path]:
    monkeypatch.setenv("COLUMNS", "500")  # rich would wrap long paths inside the messages
    bundle, submissions = make_class(tmp_path)
    return bundle, submissions, tmp_path / "graded"


def digest(student: str, variable: str) -> str:
    return answer_digest(ANSWERS[student][variable])


def by_key(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {(row["student"], row["item"]): row for row in rows(path)}


def test_a_first_run_leaves_reflections_pending_and_writes_the_marking_page(hand_class) -> None:
    bundle, submissions, out = hand_class
    assert grade(bundle, submissions, out) == 0
    book = by_key(out / "gradebook.csv")
    assert book[("ada", "e2")]["status"] == "pending" and book[("ada", "e2")]["points"] == ""
    data = page_data(out / "hand-grading.html")
    waiting = {(e["student"], e["item"]) for e in data["entries"]}
    # every reflection of every readable notebook, the blank one included; none for dee
    expected = {(s, i) for s in ("ada", "ben", "cyd", "eve") for i in ("e2", "e3")}
    assert waiting == expected
    entry = next(e for e in data["entries"] if (e["student"], e["item"]) == ("ada", "e2"))
    assert entry["digest"] == digest("ada", "e2_text")
    assert entry["text"] == ANSWERS["ada"]["e2_text"]
    assert data["items"]["essay/e2"]["mode"] == "levels"
    assert data["items"]["essay/e3"]["mode"] == "criteria"


def test_hand_scores_reach_the_gradebook_feedback_gradescope_canvas_and_report(
    hand_class, tmp_path, capsys
) -> None:
    bundle, submissions, out = hand_class
    scores = scores_csv(
        tmp_path / "scores.csv",
        [
            ["ada", "essay", "e2", "2", "Both named, with sources.", digest("ada", "e2_text")],
            ["ada", "essay", "e3", "1.5", "", digest("ada", "e3_text")],
            ["ben", "essay", "e2", "0", "=HYPERLINK(tone)", digest("ben", "e2_text")],
        ],
    )
    assert grade(bundle, submissions, out, scores) == 0
    said = capsys.readouterr().err
    assert "manual scores: merged 3 from scores.csv" in said

    book = by_key(out / "gradebook.csv")
    assert (book[("ada", "e2")]["points"], book[("ada", "e2")]["status"]) == ("2", "manual")
    assert (book[("ada", "e3")]["points"], book[("ada", "e3")]["status"]) == ("1.5", "manual")
    assert book[("ben", "e2")]["status"] == "manual" and book[("ben", "e2")]["points"] == "0"
    assert book[("ben", "e3")]["status"] == "pending"
    assert "Level: mastery: author and publisher" in book[("ada", "e2")]["feedback"]
    assert book[("ada", "e1")]["status"] == "correct"  # automatic rows untouched

    feedback = (out / "feedback" / "ada.md").read_text()
    assert "### e2: who is behind the article (2/2, manual)" in feedback
    assert "Comment: Both named, with sources." in feedback
    assert "Points so far: **4.5 of 6**" in feedback  # 1 + 2 + 1.5, every item graded
    assert "=HYPERLINK" in (out / "feedback" / "ben.md").read_text()

    results = json.loads((out / "gradescope" / "ada" / "results.json").read_text())
    assert results["score"] == 4.5
    tests = {test["number"]: test for test in results["tests"]}
    assert (tests["essay.e2"]["score"], tests["essay.e2"]["max_score"]) == (2.0, 2)
    assert tests["essay.e2"]["status"] == "passed" and tests["essay.e3"]["status"] == "failed"
    assert "pending" not in tests["essay.e3"]["name"]
    assert "wait for a person" not in results["output"]  # nothing of ada's is pending now

    canvas = {row["Student"]: row for row in rows(out / "canvas.csv")}
    assert canvas["ada"]["Essay set"] == "4.5" and canvas["ben"]["Essay set"] == "0"

    table = load_gradebook(out / "gradebook.csv", load_bundle(bundle))
    counts = item_table(table).set_index(["set", "item"])
    assert counts.loc[("essay", "e2"), ["manual", "pending"]].tolist() == [2, 2]
    assert table.set_index(["student", "item"]).loc[("ada", "e2"), "graded"]
    report = write_report(out / "gradebook.csv", out / "report.html", load_bundle(bundle))
    # 8 reflections in readable notebooks + dee's two (missing), minus the 3 marked: 5 pending
    assert "<strong>5</strong> answers to grade by hand" in report.read_text()


def test_the_cache_keeps_automatic_results_and_a_rerun_reuses_them(hand_class, tmp_path, capsys):
    bundle, submissions, out = hand_class
    scores = scores_csv(
        tmp_path / "s.csv", [["ada", "essay", "e2", "1", "", digest("ada", "e2_text")]]
    )
    assert grade(bundle, submissions, out) == 0
    capsys.readouterr()
    assert grade(bundle, submissions, out, scores) == 0
    assert "reused 5 unchanged" in capsys.readouterr().err
    cached = json.loads((out / CACHE / "ada~essay.json").read_text())
    assert {row["status"] for row in cached["items"]} == {"correct", "pending"}
    assert by_key(out / "gradebook.csv")[("ada", "e2")]["status"] == "manual"
    assert grade(bundle, submissions, out) == 0  # without the file: pending again
    assert by_key(out / "gradebook.csv")[("ada", "e2")]["status"] == "pending"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("3", "points '3' are over the rubric's maximum for e2 (2)"),
        ("-1", "points '-1' are negative"),
        ("two", "points 'two' are not a number"),
        ("1,5", "points '1,5' are not a number (write 1.5, with a dot)"),
        ("nan", "points 'nan' are not a finite number"),
        ("", "points '' are not a number"),
    ],
)
def test_bad_points_stop_the_run_naming_file_line_value_and_fix(
    hand_class, tmp_path, capsys, line, says
) -> None:
    bundle, submissions, out = hand_class
    good = ["ben", "essay", "e2", "1", "", ""]
    scores = scores_csv(tmp_path / "scores.csv", [good, ["ada", "essay", "e2", line, "", ""]])
    assert grade(bundle, submissions, out, scores) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert f"{scores} line 3: {says}" in said and "Fix:" in said
    assert "nothing was merged or written" in said
    assert not out.exists(), "nothing is written, not even the grading of the others"


def test_every_problem_is_listed_at_once_and_conflicting_rows_are_refused(
    hand_class, tmp_path, capsys
) -> None:
    bundle, submissions, out = hand_class
    first = scores_csv(
        tmp_path / "a.csv",
        [["ada", "essay", "e2", "2", "", ""], ["ben", "essay", "e3", "9", "", ""]],
    )
    second = scores_csv(tmp_path / "b.csv", [["ada", "essay", "e2", "1", "", ""]])
    broken = scores_csv(tmp_path / "c.csv", [["ada", "1"]], header="who,points")
    assert grade(bundle, submissions, out, first, second, broken, tmp_path / "none.csv") == 2
    said = " ".join(capsys.readouterr().err.split())
    assert "4 problem(s) in the manual scores" in said
    assert f"{first} line 3: points '9' are over the rubric's maximum for e3 (3)" in said
    assert f"{first} line 2 and {second} line 2 both mark ada essay e2, differently" in said
    assert f"{broken}: missing column(s) student, set, item" in said
    assert "none.csv: no such file" in said
    assert not out.exists()


def test_rows_that_match_no_hand_graded_answer_are_reported_and_the_rest_merged(
    hand_class, tmp_path, capsys
) -> None:
    bundle, submissions, out = hand_class
    scores = scores_csv(
        tmp_path / "scores.csv",
        [
            ["ada", "essay", "e2", "2", "", digest("ada", "e2_text")],
            ["bob", "essay", "e2", "1", "", ""],
            ["ada", "essay", "e9", "1", "", ""],
            ["ada", "claims", "q1", "1", "", ""],
            ["ada", "essay", "e1", "1", "", ""],
            ["dee", "essay", "e2", "1", "", ""],
            ["'=cyd", "essay", "e2", "1", "", ""],
        ],
    )
    assert grade(bundle, submissions, out, scores) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "manual scores: merged 1 from scores.csv; 6 rows not merged:" in said
    for why in (
        "line 3: student 'bob' has no submission in this class",
        "line 4: set 'essay' has no item 'e9'",
        "line 5: there is no exercise set 'claims'",
        "line 6: essay e1 is graded automatically, not by hand",
        "line 7: dee essay e2 is missing, not waiting for a person",
        "line 8: student '=cyd' has no submission",  # the spreadsheet guard is undone
    ):
        assert f"{tmp_path / 'scores.csv'} {why}" in said, why
    book = by_key(out / "gradebook.csv")
    assert book[("ada", "e2")]["status"] == "manual" and book[("dee", "e2")]["status"] == "missing"


def test_a_mark_for_an_answer_changed_since_stays_pending_and_is_reported(
    hand_class, tmp_path, capsys
) -> None:
    bundle, submissions, out = hand_class
    scores = scores_csv(
        tmp_path / "scores.csv",
        [
            ["ada", "essay", "e2", "2", "", digest("ada", "e2_text")],
            ["ben", "essay", "e2", "0", "", digest("ben", "e2_text")],
            ["cyd", "essay", "e2", "1", "typed by hand", ""],
        ],
    )
    assert grade(bundle, submissions, out) == 0
    write_answers(submissions, "ben", {**ANSWERS["ben"], "e2_text": "Ben, resubmitted, better."})
    capsys.readouterr()
    assert grade(bundle, submissions, out, scores) == 0
    said = " ".join(capsys.readouterr().err.split())
    now = answer_digest("Ben, resubmitted, better.")
    assert (
        f"line 3: ben essay e2: the answer changed since it was marked (digest "
        f"{digest('ben', 'e2_text')}, now {now}; resubmitted?); it stays pending" in said
    )
    assert "1 merged row(s) had no digest column" in said
    book = by_key(out / "gradebook.csv")
    assert book[("ben", "e2")]["status"] == "pending"
    assert book[("ada", "e2")]["status"] == book[("cyd", "e2")]["status"] == "manual"
    data = page_data(out / "hand-grading.html")
    entries = {(e["student"], e["item"]): e for e in data["entries"]}
    assert entries[("ben", "e2")]["digest"] == now and entries[("ben", "e2")]["mark"] is None
    assert entries[("ada", "e2")]["mark"] == {"points": 2.0, "comment": "", "rubric": []}


E3_RUBRIC = (
    "names the kind of claim (1 pt)",
    "names dated evidence (1 pt)",
    "separates this verdict from others (1 pt)",
)


def test_a_csv_without_the_rubric_column_gives_the_feedback_it_always_gave(
    hand_class, tmp_path
) -> None:
    bundle, submissions, out = hand_class
    scores = scores_csv(tmp_path / "old.csv", [["ada", "essay", "e3", "1.5", "", ""]])
    assert grade(bundle, submissions, out, scores) == 0
    assert by_key(out / "gradebook.csv")[("ada", "e3")]["feedback"] == (
        f"Graded by hand: 1.5 of 3 points. Rubric: {'; '.join(E3_RUBRIC)}."
    )


def test_the_rubric_column_says_what_was_met_in_every_feedback(hand_class, tmp_path) -> None:
    bundle, submissions, out = hand_class
    scores = scores_csv(
        tmp_path / "scores.csv",
        [
            ["ada", "essay", "e2", "1", "One named.", digest("ada", "e2_text"), "2"],
            ["ada", "essay", "e3", "2", "Good.", digest("ada", "e3_text"), " 3; 1 "],
            ["ben", "essay", "e3", "1.5", "Typed.", digest("ben", "e3_text"), ""],
            ["cyd", "essay", "e2", "2", "", digest("cyd", "e2_text"), "1"],
        ],
        header="student,set,item,points,comment,digest,rubric",
    )
    assert grade(bundle, submissions, out, scores) == 0
    book = by_key(out / "gradebook.csv")
    met = (
        f"Graded by hand: 2 of 3 points. Met: {E3_RUBRIC[0]}; {E3_RUBRIC[2]}. "
        f"Not yet: {E3_RUBRIC[1]}. Comment: Good."
    )
    assert book[("ada", "e3")]["feedback"] == met
    assert book[("ada", "e2")]["feedback"].startswith(
        "Graded by hand: 1 of 2 points. Level: emerging: one of them. Comment: One named."
    )
    typed = book[("ben", "e3")]["feedback"]  # points typed: no criteria claimed
    assert "Met:" not in typed and typed.endswith(f"Rubric: {'; '.join(E3_RUBRIC)}.")
    assert "Level: mastery: author and publisher, attributed." in book[("cyd", "e2")]["feedback"]
    assert met in (out / "feedback" / "ada.md").read_text()
    results = json.loads((out / "gradescope" / "ada" / "results.json").read_text())
    output = {t["number"]: t["output"] for t in results["tests"]}["essay.e3"]
    assert "Met: names the kind of claim" in output and "Not yet: names dated evidence" in output
    data = page_data(out / "hand-grading.html")
    marks = {(e["student"], e["item"]): e["mark"] for e in data["entries"] if e["mark"]}
    assert marks[("ada", "e3")]["rubric"] == [1, 3] and marks[("ben", "e3")]["rubric"] == []


@pytest.mark.parametrize(
    ("item", "points", "rubric", "says"),
    [
        ("e3", "2", "1;4", "rubric '1;4' names line 4, but e3's rubric has lines 1 to 3"),
        ("e3", "2", "1", "rubric '1' gives 1 point (criteria 1 of e3), but the row gives 2"),
        ("e3", "1", "two", "rubric 'two' is not rubric line numbers"),
        ("e2", "2", "1;2", "rubric '1;2' chooses 2 levels of e2"),
        ("e2", "1", "1", "rubric '1' gives 2 points (level 1 of e2), but the row gives 1"),
        ("e2", "0", "0", "rubric '0' names line 0, but e2's rubric has lines 1 to 3"),
    ],
)
def test_a_bad_rubric_cell_stops_the_run_naming_file_line_value_and_fix(
    hand_class, tmp_path, capsys, item, points, rubric, says
) -> None:
    bundle, submissions, out = hand_class
    scores = scores_csv(
        tmp_path / "scores.csv",
        [["ben", "essay", "e2", "1", "", "", "2"], ["ada", "essay", item, points, "", "", rubric]],
        header="student,set,item,points,comment,digest,rubric",
    )
    assert grade(bundle, submissions, out, scores) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert f"{scores} line 3: {says}" in said and "Fix:" in said
    assert "1 problem(s) in the manual scores; nothing was merged or written" in said
    assert not out.exists()
