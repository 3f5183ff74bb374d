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
from medialit.grade.late import Lateness
from medialit.grade.late_class import late_csv_rows
from medialit.grade.textsafe import csv_cell, markdown_text, printable
from medialit.grade.visibility import item_visibility, student_feedback

GRADEBOOK = "gradebook.csv"
CANVAS = "canvas.csv"
FEEDBACK = "feedback"
GRADESCOPE = "gradescope"
LATE = "late.csv"
# How late each student's set was (late.assess), by (student, set); None: no late policy.
LateWork = dict[tuple[str, str], Lateness] | None
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


def feedback_markdown(
    student: str, results: list[SubmissionResult], bundle: Bundle, late: LateWork = None
) -> str:
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
        lateness = (late or {}).get((submission.student, submission.set_id))
        if lateness and (said := lateness.sentence(earned)):
            lines += [f"**Late work.** {md(said)}", ""]
        if said := read_from(submission, exercise):
            lines += [md(said), ""]
        specs = {item.id: item for item in exercise.items}
        for item in submission.items:
            spec = specs.get(item.item)
            name = f"{item.item}: {spec.title if spec else ''}".rstrip(": ")
            if spec and spec.visibility == "hidden":  # never shown to students, here as online
                lines += [f"### {name} (not released)", "", "Your instructor keeps it.", ""]
                continue
            score = "pending" if item.points is None else f"{item.points:g}/{item.max_points:g}"
            said = student_feedback(spec, item) if spec else item.feedback
            lines += [f"### {name} ({score}, {item.status})", "", md(said), ""]
    return "\n".join(lines)


def gradescope_results(
    results: list[SubmissionResult],
    bundle: Bundle,
    late: LateWork = None,
    default_visibility: str = "visible",
) -> dict:
    """Gradescope's results.json for one student. An item waiting for a person (a reflection)
    carries no score, maximum or status, so Gradescope shows it neutral, named "pending",
    neither passed nor failed; the message speaks of hand grading only when the set has some.
    Outputs are declared markdown and escaped as such: Gradescope renders them, and a
    student's text must show as typed, not as markup.

    Each item's test shows at its own visibility (else ``default_visibility``) and with its
    feedback level. A late penalty is a row of its own and lowers the top-level score (which
    Gradescope takes over the sum of the tests); the items keep their points."""
    tests = []
    notes = []
    waiting: list[float] = []
    late_rows, late_data, adjusted = [], {}, 0.0
    for submission in results:
        exercise = bundle.sets[submission.set_id]
        if said := read_from(submission, exercise):
            notes.append(markdown_text(said))
        specs = {item.id: item for item in exercise.items}
        for item in submission.items:
            spec = specs.get(item.item)
            title = spec.title if spec else ""
            name = printable(f"{exercise.title}: {item.item} {title}".strip(), keep="")
            test: dict = {"name": name, "number": f"{submission.set_id}.{item.item}"}
            if item.status == "pending":
                waiting.append(item.max_points)
                test["name"] = f"{name} (pending: graded by hand, {item.max_points:g} points)"
            else:
                test["score"] = item.points
                test["max_score"] = item.max_points
                full = item.status == "manual" and (item.points or 0) >= item.max_points
                test["status"] = "passed" if item.status == "correct" or full else "failed"
            said = student_feedback(spec, item) if spec else item.feedback
            test.update(
                output=markdown_text(said), visibility=item_visibility(spec, default_visibility)
            )
            tests.append(test)
        adjusted += _after_late(submission, late)
        if lateness := (late or {}).get((submission.student, submission.set_id)):
            earned = totals(submission)[0]
            late_data.update(lateness.record(submission.set_id, earned))
            late_rows += lateness.rows(exercise, earned, default_visibility)
    tests += late_rows
    score = round(adjusted, 2)
    output = "Automatic grading finished."
    if waiting:
        items = "item waits" if len(waiting) == 1 else "items wait"
        output += (
            f" {len(waiting)} {items} for a person to grade ({sum(waiting):g} points, not in "
            "this score yet); they show as pending."
        )
    payload = {
        "score": score,
        "output": " ".join([output, *notes]),
        "output_format": "md",
        "test_output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if late_data:
        payload["extra_data"] = {"late": late_data}
    return payload


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
    results: list[SubmissionResult],
    bundle: Bundle,
    roster: dict[str, dict[str, str]] | None,
    late: LateWork = None,
) -> str:
    """A Canvas gradebook import: identity columns, one column per set, a Points Possible row.

    A set's score is what has been earned so far, after the late rule when there is one
    (late.csv shows it beside the points before); reflections add their points once a person
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
        row += [points_text(_after_late(per_set[s], late)) if s in per_set else "" for s in set_ids]
        rows.append(row)
    return _csv(rows)


def _after_late(submission: SubmissionResult, late: LateWork) -> float:
    """The set's points earned, after the late rule when there is one."""
    lateness = (late or {}).get((submission.student, submission.set_id))
    earned = totals(submission)[0]
    return lateness.adjusted(earned) if lateness else earned


def late_csv(results: list[SubmissionResult], late: dict[tuple[str, str], Lateness]) -> str:
    """late.csv: per student and set, when it came, how late, and the points before and after."""
    assessed = {}
    for submission in results:
        key = (submission.student, submission.set_id)
        if key in late:
            earned, automatic, pending = totals(submission)
            assessed[key] = (late[key], earned, automatic + pending)
    return _csv(late_csv_rows(assessed))


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
    late: LateWork = None,
) -> dict[str, Path]:
    """Write every output atomically; the same results always give byte-identical files.
    With a late policy, ``late.csv`` too, and the rule applied to feedback and exports."""
    out = Path(out)
    written = {"gradebook": out / GRADEBOOK, "canvas": out / CANVAS}
    _write(written["gradebook"], gradebook_csv(results))
    _write(written["canvas"], canvas_csv(results, bundle, roster, late))
    if late is not None:
        written["late"] = out / LATE
        _write(written["late"], late_csv(results, late))
    by_student: dict[str, list[SubmissionResult]] = {}
    for submission in results:
        by_student.setdefault(submission.student, []).append(submission)
    for student, mine in by_student.items():
        feedback = feedback_markdown(student, mine, bundle, late)
        stem = file_stem(student)
        _write(out / FEEDBACK / f"{stem}.md", feedback, durable=False)
        payload = json.dumps(gradescope_results(mine, bundle, late), indent=1, ensure_ascii=False)
        _write(out / GRADESCOPE / stem / "results.json", payload, durable=False)
    written["feedback"] = out / FEEDBACK
    written["gradescope"] = out / GRADESCOPE
    return written
