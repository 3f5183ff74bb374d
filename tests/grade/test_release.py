"""Release timing and detail, and late work, as students meet them: per-item visibility and
feedback level set in the exercise source, and the late rule, in Gradescope's emulated
container (results.json checked against its specification) and in the local feedback files."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.assign.build import assign
from medialit.assign.source import SourceError
from medialit.grade import exports
from medialit.grade.bundle import load_bundle
from medialit.grade.engine import SubmissionResult
from medialit.grade.scoring import ItemResult
from tests.grade.test_gradescope_emulation import META, Emulator, needs_root, notebook, report

REPO = Path(__file__).parents[2]
LATE_YAML = """timezone: UTC
due: {framing: 2026-12-08 23:59}
grace: 15 minutes
penalty: {percent: 10, every: day, max_percent: 50}
cutoff: 3 days
"""
WRONG_Q1 = {'q1_frame = "political"': 'q1_frame = "economic"\n'}


def framing_source(folder: Path, front: str = "", q1: str = "", q6: str = "") -> Path:
    """exercises/framing.md with release fields added to its front matter and items q1, q6."""
    text = (REPO / "exercises" / "framing.md").read_text(encoding="utf-8")
    title = '  title: "Graded exercises: framing"\n'
    text = text.replace(title, title + front, 1)
    text = text.replace("  id: q1\n", "  id: q1\n" + q1, 1).replace("  id: q6\n", "  id: q6\n" + q6)
    folder.mkdir(exist_ok=True)
    (folder / "framing.md").write_text(text, encoding="utf-8")
    return folder / "framing.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """framing: message-level feedback after the due date by default; q1 at once with a hint
    only; q6 never shown; and the course's late rule beside it."""
    folder = tmp_path_factory.mktemp("exercises")
    source = framing_source(
        folder,
        front="  feedback_level: message\n",
        q1="  visibility: visible\n  feedback_level: hint\n",
        q6="  visibility: hidden\n",
    )
    (folder / "late.yaml").write_text(LATE_YAML, encoding="utf-8")
    out = tmp_path_factory.mktemp("assign")
    assign([source], out)
    return out


@pytest.fixture(scope="module")
def image(built, tmp_path_factory) -> Emulator:
    zip_path = built / "grader" / "gradescope" / "framing.zip"
    return Emulator(tmp_path_factory.mktemp("gs") / "autograder", zip_path)


def test_the_bundle_carries_each_items_release(built) -> None:
    items = {item.id: item for item in load_bundle(built / "grader").sets["framing"].items}
    assert (items["q1"].visibility, items["q1"].feedback_level) == ("visible", "hint")
    assert (items["q2"].visibility, items["q2"].feedback_level) == ("", "message")
    assert items["q6"].visibility == "hidden"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            {"q1": "  feedback_level: terse\n"},
            r"framing.md, cell \d+ \(item 'q1'\).*feedback_level",
        ),
        (
            {"q6": "  visibility: later\n"},
            r"\(item 'q6'\).*visibility 'later' is not one of hidden",
        ),
        ({"front": "  feedback_level: all\n"}, r"framing.md, front matter: feedback_level 'all'"),
    ],
)
def test_assign_refuses_an_unknown_release_value(tmp_path, where, message) -> None:
    with pytest.raises(SourceError, match=message):
        assign([framing_source(tmp_path / "exercises", **where)], tmp_path / "out")


def test_local_feedback_uses_the_same_levels(built) -> None:
    bundle = load_bundle(built / "grader")
    hint = {item.id: item.hint for item in bundle.sets["framing"].items}
    rows = [
        ItemResult("q1", "label", 0, 2, "incorrect", f"Not the label that fits best. {hint['q1']}"),
        ItemResult("q2", "label", 1, 2, "partial", f"Close. Another label fits. {hint['q2']}"),
        ItemResult("q6", "number", 1, 1, "correct", "Correct."),
    ]
    text = exports.feedback_markdown("bo", [SubmissionResult("bo", "framing", "f", rows)], bundle)
    assert f"(0/2, incorrect)\n\nNot right yet. {hint['q1']}" in text
    assert f"(1/2, partial)\n\nClose. {hint['q2']}" in text and "Another label" not in text
    assert "q6: " in text and "(not released)" in text and "1/1" not in text
    gradebook = exports.gradebook_csv([SubmissionResult("bo", "framing", "f", rows)])
    assert "Not the label that fits best." in gradebook  # the grader keeps the whole message


def grading(image, case: str, files: dict, **meta) -> dict:
    payload, seconds = image.grade(files, {**META, **meta})
    report(case, seconds, payload)
    return payload


def rows_by_number(payload: dict) -> dict[str, dict]:
    return {test["number"]: test for test in payload["tests"]}


@needs_root
def test_each_item_shows_when_and_as_much_as_the_source_says(image) -> None:
    payload = grading(image, "release per item", {"framing.ipynb": notebook("framing", WRONG_Q1)})
    tests = rows_by_number(payload)
    assert tests["framing.q1"]["visibility"] == "visible"
    assert tests["framing.q1"]["output"].startswith("Not right yet.")
    assert tests["framing.q2"]["visibility"] == "after_due_date"
    assert tests["framing.q6"]["visibility"] == "hidden"
    check = tests["framing.0"]
    assert check["visibility"] == "visible" and "q1:" not in check["output"]
    assert "q2: answer read" in check["output"]
    assert "Scores and feedback of q2, q3, q4, q5 show after the due date" in payload["output"]
    assert "; of q6 from your instructor." in payload["output"]
    assert payload["extra_data"]["late"]["framing"]["status"] == "on time"


CASES = {  # submission time, Gradescope's own dates for this student -> status, score
    "on time": ("2026-12-01T10:00:00+00:00", {}, "on time", 10),
    "late within grace": ("2026-12-09T00:10:00+00:00", {}, "grace", 10),
    "late with penalty": ("2026-12-10T03:00:00+00:00", {}, "late", 8),
    "extension": (
        "2026-12-10T03:00:00+00:00",
        {"due_date": "2026-12-11T23:59:00+00:00"},
        "on time",
        10,
    ),
    "past cutoff": ("2026-12-12T00:00:00+00:00", {}, "past cutoff", 0),
    "past Gradescope's late due date": (
        "2026-12-10T03:00:00+00:00",
        {"late_due_date": "2026-12-10T00:00:00+00:00"},
        "past cutoff",
        0,
    ),
}


@needs_root
@pytest.mark.parametrize("case", list(CASES))
def test_late_work_on_gradescope(image, case) -> None:
    created, own, status, score = CASES[case]
    user = {**META["users"][0], **({"assignment": own} if own else {})}
    payload = grading(
        image, case, {"framing.ipynb": notebook("framing")}, created_at=created, users=[user]
    )
    assert payload["extra_data"]["late"]["framing"]["status"] == status
    assert payload["score"] == score
    items = [t for t in payload["tests"] if "score" in t]
    assert sum(t["score"] for t in items) == 10  # the items keep their points
    row = rows_by_number(payload).get("framing.late")
    if status == "on time":
        assert row is None and "due date of" not in payload["output"]
        return
    assert row["visibility"] == "visible"
    expected = {
        "grace": "Submitted 11 min after the due date of 8 December 2026 23:59 UTC, within the "
        "15 min grace period: no late penalty.",
        "late": "Submitted 1 day 3 h 1 min after the due date of 8 December 2026 23:59 UTC; 20% "
        "late penalty: 10 → 8.",
    }
    if status in expected:
        assert row["output"] == expected[status]
    else:
        cutoff = "1 day 0 h 1 min" if "Gradescope" in case else "3 days"
        assert (
            f"past the cutoff of {cutoff} after it: late work that late scores 0 (10 → 0)."
            in row["output"]
        )
    assert "Submitted after your due date of 8 December 2026 23:59 UTC" in payload["output"]
