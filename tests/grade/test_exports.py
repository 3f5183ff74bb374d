"""What graders take away: gradebook CSV, feedback, Gradescope JSON, Canvas CSV; the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from medialit.grade import exports
from medialit.grade.bundle import bundle_from_dict
from medialit.grade.engine import SubmissionResult
from medialit.grade.scoring import ItemResult


def results(kit) -> tuple[list[SubmissionResult], object]:
    bundle = bundle_from_dict(kit.demo_bundle_dict(), "demo")
    rows = [
        ItemResult("q1", "label", 2, 2, "correct", "Correct."),
        ItemResult("q2", "span", 1.79, 2, "partial", 'Trim it, "please", to the words.'),
        ItemResult("q3", "set", 0, 2, "missing", "No answer."),
        ItemResult("q4", "number", 0, 1, "ungradable", "ungradable: broken"),
        ItemResult("q5", "annotation", 3, 3, "correct", "Correct."),
        ItemResult("q6", "code", 1, 3, "partial", "1 of 3 checks passed."),
        ItemResult("q7", "reflection", None, 2, "pending", "Pending manual grading."),
    ]
    return [SubmissionResult("alice", "demo", "f", rows)], bundle


def test_gradebook_has_one_row_per_student_and_item(kit) -> None:
    found, _ = results(kit)
    table = list(csv.DictReader(io.StringIO(exports.gradebook_csv(found))))
    assert len(table) == 7
    assert list(table[0]) == [
        "student",
        "set",
        "item",
        "kind",
        "points",
        "max_points",
        "status",
        "feedback",
        "answer",
        "file",
    ]
    assert table[1]["points"] == "1.79" and table[1]["feedback"].startswith('Trim it, "please"')
    assert table[6]["points"] == "" and table[6]["status"] == "pending"


def test_gradescope_results_follow_the_specification(kit) -> None:
    found, bundle = results(kit)
    payload = exports.gradescope_results(found, bundle)
    assert payload["score"] == 7.79
    assert {"score", "output", "visibility", "tests"} <= set(payload)
    for test in payload["tests"][:-1]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert test["status"] in ("passed", "failed")
    pending = payload["tests"][-1]  # a reflection: neither passed nor failed, no 0/0
    assert not {"score", "max_score", "status"} & set(pending) and "pending" in pending["name"]
    assert "1 item waits for a person" in payload["output"]
    assert sum(t.get("max_score", 0) for t in payload["tests"]) == 13


def test_canvas_csv_imports_as_one_column_per_set(kit, tmp_path: Path) -> None:
    found, bundle = results(kit)
    rows = list(csv.reader(io.StringIO(exports.canvas_csv(found, bundle, None))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Demo set"]
    assert rows[1][0] == "Points Possible" and rows[1][5] == "15"
    assert rows[2] == ["alice", "", "", "alice", "", "7.79"]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,Other\n"
        "    Points Possible,,,,,\n"
        '"Liddell, Alice",1234,S1,alice,Sec A,x\n',
        encoding="utf-8",
    )
    rows = list(
        csv.reader(io.StringIO(exports.canvas_csv(found, bundle, exports.read_roster(roster))))
    )
    assert rows[2] == ["Liddell, Alice", "1234", "S1", "alice", "Sec A", "7.79"]


def test_feedback_markdown_reads_well(kit) -> None:
    found, bundle = results(kit)
    text = exports.feedback_markdown("alice", found, bundle)
    assert text.startswith("# Feedback for alice")
    assert "Points so far: **7.79 of 13** (another 2 points are graded by hand)." in text
    assert "### q2: the attributed claim (1.79/2, partial)" in text


def test_the_grade_command_end_to_end(kit, demo_bundle: Path, tmp_path: Path) -> None:
    subs = tmp_path / "class"
    kit.write_submission(
        subs, "alice", kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION), kit.RIGHT_ANNOTATIONS
    )
    kit.write_submission(subs, "bob", b"{")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "medialit",
            "grade",
            str(subs),
            "--bundle",
            str(demo_bundle),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "class-graded"
    assert "Summary" in done.stderr and "graded 2, reused 0" in done.stderr
    assert (out / "gradebook.csv").exists() and (out / "canvas.csv").exists()
    assert json.loads((out / "gradescope" / "bob" / "results.json").read_text())["score"] == 0
    again = subprocess.run(
        [sys.executable, "-m", "medialit", "grade", str(subs), "--bundle", str(demo_bundle)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "graded 0, reused 2" in again.stderr


def test_the_grade_command_explains_a_missing_bundle(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "medialit",
            "grade",
            str(tmp_path / "class"),
            "--bundle",
            str(tmp_path / "none"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "No grader bundle at" in done.stderr
