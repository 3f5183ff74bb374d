"""Write what graders use: gradebook CSV, feedback per student, Gradescope JSON, Canvas CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from medialit.fileio import atomic_write_text
from medialit.grade.bundle import Bundle, ExerciseSet
from medialit.grade.engine import SubmissionResult, file_stem
from medialit.grade.textsafe import csv_cell, markdown_text, printable

GRADEBOOK = "gradebook.csv"
CANVAS = "canvas.csv"
FEEDBACK = "feedback"
GRADESCOPE = "gradescope"
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def points_text(value: float | None) -> str:
    """Points as graders read them: '2', '1.5', '' while pending."""
    return "" if value is None else f"{value:g}"


def _csv(rows: Iterable[list[str]]) -> str:
    """CSV text whose cells are valid text and never run as spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([csv_cell(printable(str(cell))) for cell in row] for row in rows)
    return buffer.getvalue()


def gradebook_csv(results: list[SubmissionResult]) -> str:
    """One row per student and item: points, maximum, status, feedback, the answer as the
    matcher read it (JSON; what `medialit report` groups the common wrong answers by), and
    the notebook file read (a renamed copy shows its own name)."""
    rows = [
        [
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
    ]
    for submission in results:
        for item in submission.items:
            rows.append(
                [
                    submission.student,
                    submission.set_id,
                    item.item,
                    item.kind,
                    points_text(item.points),
                    points_text(item.max_points),
                    item.status,
                    item.feedback,
                    item.answer,
                    submission.file,
                ]
            )
    return _csv(rows)


def totals(submission: SubmissionResult) -> tuple[float, float, float]:
    """Points earned, points graded automatically, points waiting for a person."""
    earned = sum(i.points or 0 for i in submission.items)
    automatic = sum(i.max_points for i in submission.items if i.status != "pending")
    pending = sum(i.max_points for i in submission.items if i.status == "pending")
    return round(earned, 2), round(automatic, 2), round(pending, 2)


def read_from(submission: SubmissionResult, exercise: ExerciseSet) -> str:
    """The sentence telling a student which file was graded, when it is not the usual name
    (a renamed copy found by the set in its metadata); empty otherwise."""
    if not submission.file or submission.file == exercise.notebook:
        return ""
    return (
        f"Graded from your file {submission.file}: it is not named {exercise.notebook}, so the "
        "grader found it by the exercise set named in the notebook's metadata."
    )


def feedback_markdown(student: str, results: list[SubmissionResult], bundle: Bundle) -> str:
    """A student's feedback for every set, in markdown. Everything in it that a student or a
    student's code could have written (the folder name, feedback quoting answers, error
    messages and file names) is escaped, so it renders as typed, never as markup; titles and
    item ids come from the instructor's bundle."""
    md = markdown_text
    lines = [f"# Feedback for {md(student)}", ""]
    for submission in results:
        exercise = bundle.sets[submission.set_id]
        earned, automatic, pending = totals(submission)
        lines += [f"## {exercise.title}", ""]
        summary = f"Points so far: **{earned:g} of {automatic:g}**"
        if pending:
            summary += f" (another {pending:g} points are graded by hand)"
        lines += [summary + ".", ""]
        if said := read_from(submission, exercise):
            lines += [md(said), ""]
        titles = {item.id: item.title for item in exercise.items}
        for item in submission.items:
            name = f"{item.item}: {titles.get(item.item, '')}".rstrip(": ")
            score = "pending" if item.points is None else f"{item.points:g}/{item.max_points:g}"
            lines += [f"### {name} ({score}, {item.status})", "", md(item.feedback), ""]
    return "\n".join(lines)


def gradescope_results(results: list[SubmissionResult], bundle: Bundle) -> dict:
    """Gradescope's results.json for one student. An item waiting for a person (a reflection)
    carries no score, maximum or status, so Gradescope shows it neutral, named "pending",
    neither passed nor failed; the message speaks of hand grading only when the set has some.
    Outputs are declared markdown and escaped as such: Gradescope renders them, and a
    student's text must show as typed, not as markup."""
    tests = []
    notes = []
    waiting: list[float] = []
    for submission in results:
        exercise = bundle.sets[submission.set_id]
        if said := read_from(submission, exercise):
            notes.append(markdown_text(said))
        titles = {item.id: item.title for item in exercise.items}
        for item in submission.items:
            name = printable(
                f"{exercise.title}: {item.item} {titles.get(item.item, '')}".strip(), keep=""
            )
            test: dict = {"name": name, "number": f"{submission.set_id}.{item.item}"}
            if item.status == "pending":
                waiting.append(item.max_points)
                test["name"] = f"{name} (pending: graded by hand, {item.max_points:g} points)"
            else:
                test["score"] = item.points
                test["max_score"] = item.max_points
                full = item.status == "manual" and (item.points or 0) >= item.max_points
                test["status"] = "passed" if item.status == "correct" or full else "failed"
            test.update(output=markdown_text(item.feedback), visibility="visible")
            tests.append(test)
    score = round(sum(t.get("score", 0) for t in tests), 2)
    output = "Automatic grading finished."
    if waiting:
        items = "item waits" if len(waiting) == 1 else "items wait"
        output += (
            f" {len(waiting)} {items} for a person to grade ({sum(waiting):g} points, not in "
            "this score yet); they show as pending."
        )
    return {
        "score": score,
        "output": " ".join([output, *notes]),
        "output_format": "md",
        "test_output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """Map each student folder name to Canvas identity columns from a Canvas gradebook export.

    A folder matches a row by SIS Login ID, ID, SIS User ID or Student, in that order.
    """
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    missing = [c for c in CANVAS_IDENTITY if rows and c not in rows[0]]
    if missing:
        raise ValueError(f"{path}: the roster lacks the Canvas columns {missing}")
    roster: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.get("Student", "").strip().lower() == "points possible":
            continue
        for column in ("Student", "SIS User ID", "ID", "SIS Login ID"):
            if row.get(column):
                roster[row[column]] = {c: row.get(c, "") for c in CANVAS_IDENTITY}
    return roster


def canvas_csv(
    results: list[SubmissionResult], bundle: Bundle, roster: dict[str, dict[str, str]] | None
) -> str:
    """A Canvas gradebook import: identity columns, one column per set, a Points Possible row.

    A set's score is what has been earned so far; reflections add their points once a person
    has graded them.
    """
    set_ids = list(dict.fromkeys(r.set_id for r in results)) or list(bundle.sets)
    header = CANVAS_IDENTITY + [bundle.sets[s].title for s in set_ids]
    possible = ["Points Possible", "", "", "", ""]
    possible += [points_text(bundle.sets[s].max_points) for s in set_ids]
    rows = [header, possible]
    by_student: dict[str, dict[str, SubmissionResult]] = {}
    for submission in results:
        by_student.setdefault(submission.student, {})[submission.set_id] = submission
    for student, per_set in by_student.items():
        identity = (roster or {}).get(student) or {
            "Student": student,
            "ID": "",
            "SIS User ID": "",
            "SIS Login ID": student,
            "Section": "",
        }
        row = [identity[c] for c in CANVAS_IDENTITY]
        row += [points_text(totals(per_set[s])[0]) if s in per_set else "" for s in set_ids]
        rows.append(row)
    return _csv(rows)


def _write(path: Path, text: str, *, durable: bool = True) -> None:
    """Write atomically, skipping files whose content is already exactly this (re-runs)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text, durable=durable)


def write_outputs(
    results: list[SubmissionResult],
    bundle: Bundle,
    out: Path,
    roster: dict[str, dict[str, str]] | None = None,
) -> dict[str, Path]:
    """Write every output atomically; the same results always give byte-identical files."""
    out = Path(out)
    written = {"gradebook": out / GRADEBOOK, "canvas": out / CANVAS}
    _write(written["gradebook"], gradebook_csv(results))
    _write(written["canvas"], canvas_csv(results, bundle, roster))
    by_student: dict[str, list[SubmissionResult]] = {}
    for submission in results:
        by_student.setdefault(submission.student, []).append(submission)
    for student, mine in by_student.items():
        feedback = feedback_markdown(student, mine, bundle)
        stem = file_stem(student)
        _write(out / FEEDBACK / f"{stem}.md", feedback, durable=False)
        payload = json.dumps(gradescope_results(mine, bundle), indent=1, ensure_ascii=False)
        _write(out / GRADESCOPE / stem / "results.json", payload, durable=False)
    written["feedback"] = out / FEEDBACK
    written["gradescope"] = out / GRADESCOPE
    return written
