"""A synthetic class of 40 end to end: grade, read the marking page's data, mark every answer
as the page would write it, merge, and find no reflection pending in any export or the report."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from medialit.assign.build import GRADER, STUDENT, assign
from medialit.grade.bundle import load_bundle
from medialit.grade.synthetic import reference_table, synthesize
from medialit.report.load import load_gradebook
from medialit.report.page import write_report
from tests.grade.hand_class import grade, page_data, rows, scores_csv

ROOT = Path(__file__).resolve().parents[2]
SETS = ("comparison", "lateral_tasks")  # the sets with reflections


def test_a_class_of_40_is_marked_merged_and_reported(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COLUMNS", "500")
    sources = [ROOT / "exercises" / f"{name}.md" for name in SETS]
    assign(sources, tmp_path / "assign")
    bundle_folder = tmp_path / "assign" / GRADER
    bundle = load_bundle(bundle_folder)
    submissions, out = tmp_path / "class", tmp_path / "graded"
    references = reference_table(sources)
    release = tmp_path / "assign" / STUDENT
    synthesize(submissions, list(SETS), 40, release, references, bundle, random.Random(5), 0)
    assert grade(bundle_folder, submissions, out) == 0

    book = rows(out / "gradebook.csv")
    pending = {(r["student"], r["set"], r["item"]) for r in book if r["status"] == "pending"}
    data = page_data(out / "hand-grading.html")
    entries = {(e["student"], e["set"], e["item"]): e for e in data["entries"]}
    assert set(entries) == pending and len(pending) > 150  # 40 students x 5 reflections

    marks, given = [], {}
    pick = random.Random(1)
    for (student, set_id, item_id), entry in sorted(entries.items()):
        item = data["items"][f"{set_id}/{item_id}"]
        if item["mode"] == "levels":
            points = pick.choice([line["points"] for line in item["rubric"]])
        else:
            points = float(pick.randint(0, len(item["rubric"])))
        comment = pick.choice(["", "Name the evidence.", "Good, attributed."])
        marks.append([student, set_id, item_id, f"{points:g}", comment, entry["digest"]])
        given[(student, set_id, item_id)] = points
    scores = scores_csv(tmp_path / "scores.csv", marks)
    capsys.readouterr()
    assert grade(bundle_folder, submissions, out, scores) == 0
    said = capsys.readouterr().err
    assert f"manual scores: merged {len(marks)} from scores.csv\n" in said, said

    book = rows(out / "gradebook.csv")
    assert not [r for r in book if r["status"] == "pending"]
    manual = {(r["student"], r["set"], r["item"]): r for r in book if r["status"] == "manual"}
    assert set(manual) == set(given)
    assert all(float(manual[key]["points"]) == points for key, points in given.items())

    totals: dict[tuple[str, str], float] = defaultdict(float)
    for row in book:
        totals[(row["student"], row["set"])] += float(row["points"] or 0)
    canvas = {row["Student"]: row for row in rows(out / "canvas.csv")}
    titles = {set_id: bundle.sets[set_id].title for set_id in SETS}
    for (student, set_id), total in totals.items():
        assert float(canvas[student][titles[set_id]]) == round(total, 2)
        results = json.loads((out / "gradescope" / student / "results.json").read_text())
        per_set = [t for t in results["tests"] if t["number"].startswith(f"{set_id}.")]
        assert round(sum(t.get("score", 0) for t in per_set), 2) == round(total, 2)

    table = load_gradebook(out / "gradebook.csv", bundle)
    assert table["graded"].all()  # every row has points, the hand-marked ones included
    report = write_report(out / "gradebook.csv", out / "report.html", bundle)
    assert "<strong>0</strong> answers to grade by hand" in report.read_text()
