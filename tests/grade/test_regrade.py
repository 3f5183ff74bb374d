"""Regrades: the previous gradebook is kept, and every changed score is listed with its cause."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from medialit.grade import regrade
from medialit.grade.bundle import bundle_from_dict
from medialit.grade.engine import SubmissionResult
from medialit.grade.scoring import ItemResult

HEADER = "student,set,item,kind,points,max_points,status,feedback,answer,file\n"


def _book(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def _record(items=None, subs=None, engine="3", isolation="bwrap") -> dict:
    return {
        "format": 1,
        "engine": engine,
        "bundle": "b",
        "isolation": isolation,
        "items": items or {"s/q1": "k1", "s/q2": "k2"},
        "submissions": subs or {"ann\ts": {"notebook": "n1", "annotations": "a1"}},
    }


def _report(rows: list[list[str]]) -> list[tuple]:
    return [tuple(row) for row in rows]


def test_a_key_change_is_named_for_the_item_and_its_total() -> None:
    old = _book("ann,s,q1,label,2,2,correct,,,", "ann,s,q2,label,1,1,correct,,,")
    new = _book("ann,s,q1,label,0,2,incorrect,,,", "ann,s,q2,label,1,1,correct,,,")
    now = _record(items={"s/q1": "CHANGED", "s/q2": "k2"})
    assert _report(regrade.compare(old, new, _record(), now)) == [
        ("ann", "s", "q1", "2", "0", "key or item definition changed"),
        ("ann", "s", "(total)", "3", "1", "key or item definition changed"),
    ]


def test_each_recorded_cause_is_named() -> None:
    old = _book(
        "ann,s,q1,label,2,2,correct,,,",
        "ann,s,q2,annotation,1,1,correct,,,",
        "bo,s,q1,label,1,2,partial,,,",
    )
    new = _book(
        "ann,s,q1,label,1.5,2,partial,,,",
        "ann,s,q2,annotation,0.25,1,partial,,,",
        "ann,s,q3,reflection,2,3,manual,,,",
        "cy,s,q1,label,2,2,correct,,,",
    )
    before = _record(
        subs={"ann\ts": {"notebook": "n1", "annotations": "a1"}, "bo\ts": {"notebook": "x"}}
    )
    now = _record(
        items={"s/q1": "k1", "s/q2": "k2", "s/q3": "k3"},
        subs={"ann\ts": {"notebook": "n2", "annotations": "a2"}, "cy\ts": {"notebook": "y"}},
        engine="4",
    )
    rows = _report(regrade.compare(old, new, before, now))
    notebook = "answer changed: the notebook is not the one graded before"
    engine = "grading engine changed (version 3 to 4)"
    assert rows == [
        ("ann", "s", "q1", "2", "1.5", f"{notebook}; {engine}"),
        (
            "ann",
            "s",
            "q2",
            "1",
            "0.25",
            f"{notebook}; answer changed: the annotations file is not the one graded before; "
            f"{engine}",
        ),
        ("ann", "s", "q3", "absent", "2", "item added to the exercises; hand-graded score entered"),
        (
            "ann",
            "s",
            "(total)",
            "3",
            "3.75",  # the causes of its items, each once, in the order first met
            f"{notebook}; {engine}; answer changed: the annotations file is not the one "
            "graded before; item added to the exercises; hand-graded score entered",
        ),
        ("bo", "s", "q1", "1", "absent", "not graded in this run (the student's folder is gone)"),
        (
            "bo",
            "s",
            "(total)",
            "1",
            "absent",
            "not graded in this run (the student's folder is gone)",
        ),
        ("cy", "s", "q1", "absent", "2", "first graded in this run (no row before)"),
        ("cy", "s", "(total)", "absent", "2", "first graded in this run (no row before)"),
    ]


def test_manual_scores_removed_items_and_unrecorded_runs() -> None:
    old = _book("ann,s,q1,reflection,1,3,manual,,,", "ann,s,q9,label,1,1,correct,,,")
    new = _book("ann,s,q1,reflection,2,3,manual,,,")
    rows = _report(regrade.compare(old, new, _record(), _record()))
    assert rows[0] == ("ann", "s", "q1", "1", "2", "hand-graded score changed")
    assert rows[1] == ("ann", "s", "q9", "1", "absent", "item removed from the exercises")
    assert len(rows) == 2, "an unchanged total (2 before, 2 after) has no row"
    unknown = _report(
        regrade.compare(
            _book("ann,s,q1,label,1,2,partial,,,"),
            _book("ann,s,q1,label,2,2,correct,,,"),
            None,
            _record(),
        )
    )
    assert unknown[0][5].startswith("cause unknown: the previous gradebook has no grading record")
    pending = _report(
        regrade.compare(
            _book("ann,s,q1,reflection,,3,pending,,,"),
            _book("ann,s,q1,reflection,3,3,manual,,,"),
            _record(),
            _record(),
        )
    )
    assert pending[0] == ("ann", "s", "q1", "pending", "3", "hand-graded score entered")


def test_sets_not_graded_this_run_are_left_alone() -> None:
    old = _book("ann,s,q1,label,2,2,correct,,,", "ann,t,q1,label,2,2,correct,,,")
    new = _book("ann,s,q1,label,2,2,correct,,,")
    assert regrade.compare(old, new, _record(), _record()) == []


def test_a_kept_copy_never_replaces_another(tmp_path: Path) -> None:
    first = regrade.keep_copy(tmp_path, "gradebook-X", ".csv", "one")
    again = regrade.keep_copy(tmp_path, "gradebook-X", ".csv", "one")
    other = regrade.keep_copy(tmp_path, "gradebook-X", ".csv", "two")
    assert first == again and first.read_text() == "one"
    assert other.name == "gradebook-X-2.csv" and other.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gradebook-X-2.csv", "gradebook-X.csv"]


BUNDLE = {
    "format": 1,
    "sets": {
        "s": {
            "title": "S",
            "items": [
                {"id": "q1", "kind": "label", "points": 2, "variable": "a", "key": "x"},
                {"id": "q2", "kind": "label", "points": 1, "variable": "b", "key": "y"},
            ],
        }
    },
    "texts": {},
}


def _results(q1: float, notebook: str = "n1") -> list[SubmissionResult]:
    items = [
        ItemResult("q1", "label", q1, 2, "correct" if q1 == 2 else "incorrect", ""),
        ItemResult("q2", "label", 1, 1, "correct", ""),
    ]
    inputs = {"notebook": notebook, "annotations": "absent"}
    return [SubmissionResult("ann", "s", "fp", items, "s.ipynb", inputs)]


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_runs_keep_history_and_say_what_changed(tmp_path: Path) -> None:
    bundle = bundle_from_dict(BUNDLE, "test")
    out = tmp_path / "out"
    written, said = regrade.write_with_history(_results(2), bundle, out)
    assert "first grading" in said and not (out / regrade.REPORT).exists()
    first = (out / "gradebook.csv").read_text()
    os.utime(out / "gradebook.csv", (0, 0))  # the copy is named by when the gradebook was written

    written, said = regrade.write_with_history(_results(2), bundle, out)
    assert said == "regrade: no score changed since the previous gradebook"
    assert (out / regrade.REPORT).read_text() == "student,set,item,old,new,why\n"
    assert not (out / regrade.HISTORY).exists(), "an unchanged gradebook is not copied"

    written, said = regrade.write_with_history(_results(0, notebook="n2"), bundle, out)
    assert said.startswith("regrade: 1 item score(s) of 1 student(s) changed")
    kept = out / regrade.HISTORY / "gradebook-19700101T000000Z.csv"
    assert written["previous gradebook"] == kept and kept.read_text() == first
    assert (out / regrade.HISTORY / "grading-record-19700101T000000Z.json").is_file()
    assert [(r["item"], r["old"], r["new"], r["why"]) for r in _read(out / regrade.REPORT)] == [
        ("q1", "2", "0", "answer changed: the notebook is not the one graded before"),
        ("(total)", "3", "1", "answer changed: the notebook is not the one graded before"),
    ]
    record = json.loads((out / regrade.RECORD).read_text())
    assert record["submissions"] == {"ann\ts": {"notebook": "n2", "annotations": "absent"}}


def test_the_engine_records_the_digests_of_what_it_read(demo_bundle, kit, tmp_path) -> None:
    from medialit.grade.engine import grade_class

    subs = tmp_path / "subs"
    kit.write_submission(subs, "ann", kit.notebook({"q1_technique": "Doubt"}), annotations=[])
    first = grade_class(subs, demo_bundle, tmp_path / "out", workers=1, sets=["demo"])
    again = grade_class(subs, demo_bundle, tmp_path / "out", workers=1, sets=["demo"])
    assert (again.graded, again.reused) == (0, 1)
    digests = first.results[0].inputs
    assert set(digests) == {"notebook", "annotations"} and len(digests["notebook"]) == 64
    assert again.results[0].inputs == digests, "a cached result carries the digests too"


@pytest.mark.parametrize("bad", ["", "{not json", "[]"])
def test_an_unreadable_record_means_cause_unknown(tmp_path: Path, bad: str) -> None:
    bundle = bundle_from_dict(BUNDLE, "test")
    out = tmp_path / "out"
    regrade.write_with_history(_results(2), bundle, out)
    (out / regrade.RECORD).write_text(bad)
    regrade.write_with_history(_results(0), bundle, out)
    rows = _read(out / regrade.REPORT)
    assert rows[0]["why"].startswith("cause unknown")


ROOT = Path(__file__).resolve().parents[2]


def test_a_key_change_on_the_real_exercises_is_reported(tmp_path: Path, capsys) -> None:
    """Assign the course's framing set, grade a synthetic class, change one key, grade again:
    exactly the students whose answer the old key accepted and the new one does not lose it."""
    import random

    from medialit.assign.build import GRADER, STUDENT, assign
    from medialit.assign.source import exercise_sources
    from medialit.cli import main
    from medialit.grade.bundle import load_bundle
    from medialit.grade.synthetic import reference_table, synthesize

    sources = [p for p in exercise_sources(ROOT / "exercises") if p.stem == "framing"]
    assign(sources, tmp_path / "assign")
    grader = tmp_path / "assign" / GRADER
    bundle = load_bundle(grader)
    rng = random.Random(5)
    subs = tmp_path / "class"
    student = tmp_path / "assign" / STUDENT
    synthesize(subs, ["framing"], 8, student, reference_table(sources), bundle, rng, 0)
    out = tmp_path / "graded"
    command = ["grade", str(subs), "--bundle", str(grader), "--out", str(out), "--workers", "1"]
    assert main(command) == 0
    before = (out / "gradebook.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(before)))
    had_q1 = {r["student"]: float(r["points"] or 0) for r in rows if r["item"] == "q1"}
    totals: dict[str, float] = {}
    for r in rows:
        totals[r["student"]] = totals.get(r["student"], 0) + float(r["points"] or 0)

    raw = json.loads((grader / "bundle.json").read_text(encoding="utf-8"))
    (q1,) = [i for i in raw["sets"]["framing"]["items"] if i["id"] == "q1"]
    q1["key"], q1["alternatives"] = "economic", []  # no synthetic student answers this
    (grader / "bundle.json").write_text(json.dumps(raw), encoding="utf-8")
    capsys.readouterr()
    assert main(command) == 0
    said = capsys.readouterr()
    losers = sorted(s for s, points in had_q1.items() if points > 0)
    assert losers, "the synthetic class has students the old key gave q1 points"
    assert f"{len(losers)} item score(s) of {len(losers)} student(s) changed" in said.err
    report = _read(out / regrade.REPORT)
    why = "key or item definition changed"
    expected = []
    for name in losers:
        old_total = totals[name]
        expected.append((name, "framing", "q1", f"{had_q1[name]:g}", "0", why))
        expected.append(
            (name, "framing", "(total)", f"{old_total:g}", f"{old_total - had_q1[name]:g}", why)
        )
    assert [tuple(r.values()) for r in report] == expected
    (kept,) = (out / regrade.HISTORY).glob("gradebook-*.csv")
    assert kept.read_text(encoding="utf-8") == before


def test_an_interrupted_run_compares_only_what_it_graded() -> None:
    old = _book("ann,s,q1,label,2,2,correct,,,", "bo,s,q1,label,2,2,correct,,,")
    new = _book("ann,s,q1,label,0,2,incorrect,,,")  # stopped before bo
    now = _record(items={"s/q1": "CHANGED", "s/q2": "k2"})
    rows = regrade.compare(old, new, _record(), now, scope={("ann", "s")})
    stopped = {**_record(), "complete": False}
    after = regrade.compare(new, old, stopped, _record())  # the next run grades bo again
    assert after[-1][2:] == [
        "(total)",
        "absent",
        "2",
        "not graded before: the previous run was stopped before it",
    ]
    assert [tuple(r[:5]) for r in rows] == [
        ("ann", "s", "q1", "2", "0"),
        ("ann", "s", "(total)", "2", "0"),
    ]


def test_the_pytest_plugin_keeps_history_and_reports_a_resubmission(
    demo_bundle, kit, tmp_path: Path
) -> None:
    import subprocess
    import sys

    subs, out = tmp_path / "subs", tmp_path / "out"
    kit.write_submission(subs, "ann", kit.notebook({"q1_technique": "Doubt"}), annotations=[])
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["--submissions", str(subs), "--bundle", str(demo_bundle), "--grade-out", str(out)]

    def run() -> str:
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        return done.stdout + done.stderr

    assert "first grading of this folder" in run()
    kit.write_submission(subs, "ann", kit.notebook({"q1_technique": "Repetition"}))
    said = run()
    assert "regrade: 1 item score(s) of 1 student(s) changed" in said, said
    rows = _read(out / regrade.REPORT)
    assert [(r["item"], r["old"], r["new"]) for r in rows] == [
        ("q1", "2", "0"),
        ("(total)", "2", "0"),
    ]
    assert rows[0]["why"] == "answer changed: the notebook is not the one graded before"
    assert len(list((out / regrade.HISTORY).glob("gradebook-*.csv"))) == 1
