"""Late work for a class graded here: submission times (an LMS export, or nbgrader's
``timestamp.txt``; never a file's modification time), the rule applied to each submission,
and the rows of ``late.csv``. The rule itself is late.py's."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

from medialit.grade.late import (
    Lateness,
    LatePolicy,
    LatePolicyError,
    assess,
    load_late,
    parse_time,
    show_duration,
)

TIMESTAMP_FILE = "timestamp.txt"  # nbgrader's record of a submission's time
TIMES_COLUMNS = ["student", "set", "submitted_at"]


def read_times_csv(path: Path, zone: str | None) -> dict[tuple[str, str], datetime]:
    """Submission times from an LMS export reshaped to ``student,set,submitted_at``."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise LatePolicyError(f"{path}: cannot be read ({exc})") from None
    if not rows or [cell.strip() for cell in rows[0]] != TIMES_COLUMNS:
        raise LatePolicyError(
            f"{path}, line 1: the columns must be exactly {','.join(TIMES_COLUMNS)} (found "
            f"{','.join(rows[0]) if rows else 'an empty file'}); one row per student and set"
        )
    times: dict[tuple[str, str], datetime] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise LatePolicyError(f"{path}, line {number}: {len(row)} cells; give 3")
        student, set_id, when = (cell.strip() for cell in row)
        if (student, set_id) in times:
            raise LatePolicyError(
                f"{path}, line {number}: a second time for {student}, {set_id}; keep one row"
            )
        times[(student, set_id)] = parse_time(when, f"{path}, line {number}, submitted_at", zone)
    return times


def read_timestamp(folder: Path, zone: str | None) -> tuple[datetime | None, str]:
    """nbgrader's ``<student>/timestamp.txt``: the time, or None and why (a bad file is that
    student's problem, not the batch's). Never a file's modification time."""
    from medialit.grade.answers import Ungradable, open_regular

    path = Path(folder) / TIMESTAMP_FILE
    try:
        fd, _ = open_regular(path)
    except Ungradable as exc:
        return None, "" if not path.exists() and not path.is_symlink() else str(exc)
    with open(fd, "rb") as handle:
        raw = handle.read(200)
    try:
        return parse_time(raw.decode("utf-8"), str(path), zone), f"from {TIMESTAMP_FILE}"
    except (UnicodeDecodeError, LatePolicyError) as exc:
        return None, f"{TIMESTAMP_FILE} unreadable: {exc}"


def late_csv_rows(assessed: dict[tuple[str, str], tuple[Lateness, float, float]]) -> list[list]:
    """late.csv: one row per student and set, the points before and after the rule."""
    rows: list[list] = [
        [
            "student",
            "set",
            "submitted_at",
            "due",
            "late_by_minutes",
            "late_by",
            "status",
            "late_penalty_percent",
            "points",
            "max_points",
            "adjusted_points",
            "note",
        ]
    ]
    for (student, set_id), (late, points, max_points) in assessed.items():
        late_by = late.late_by
        rows.append(
            [
                student,
                set_id,
                late.submitted.isoformat() if late.submitted else "",
                late.due.isoformat() if late.due else "",
                int(late_by.total_seconds() // 60),
                show_duration(late_by) if late_by else "",
                late.status,
                f"{late.penalty_percent:g}",
                f"{points:g}",
                f"{max_points:g}",
                f"{late.adjusted(points):g}",
                late.note,
            ]
        )
    return rows


def assess_class(
    policy: LatePolicy,
    pairs: list[tuple[str, str]],
    submissions: Path,
    times: dict[tuple[str, str], datetime] | None = None,
) -> dict[tuple[str, str], Lateness]:
    """Lateness for each (student, set): the time from ``times`` (the LMS file) when given,
    else from nbgrader's ``<student>/timestamp.txt``; never from a file's modification time."""
    found: dict[str, tuple[datetime | None, str]] = {}
    assessed = {}
    for student, set_id in pairs:
        if times is not None:
            submitted = times.get((student, set_id))
            note = "from the submission times file" if submitted else "no row in the times file"
        else:
            if student not in found:
                found[student] = read_timestamp(Path(submissions) / student, policy.timezone)
            submitted, note = found[student]
            note = note or f"no {TIMESTAMP_FILE}"
        assessed[(student, set_id)] = assess(policy, set_id, student, submitted, note=note)
    return assessed


def load_inputs(
    bundle_folder: Path, submitted_at: Path | None
) -> tuple[LatePolicy | None, dict[tuple[str, str], datetime] | None]:
    """The grader folder's late policy and the LMS times file, checked before any grading."""
    rule = load_late(bundle_folder)
    if submitted_at is not None and rule is None:
        raise LatePolicyError(
            f"--submitted-at: the grader folder {bundle_folder} has no late policy; write "
            "exercises/late.yaml and run `medialit assign` again"
        )
    times = read_times_csv(submitted_at, rule.timezone) if submitted_at is not None else None
    return rule, times


def for_results(
    rule: LatePolicy | None,
    results: list[Any],
    submissions: Path,
    times: dict[tuple[str, str], datetime] | None,
) -> dict[tuple[str, str], Lateness] | None:
    """The rule applied to each graded submission (a set with no notebook at all has no
    lateness); None without a policy."""
    if rule is None:
        return None
    handed_in = [r for r in results if any(row.status != "missing" for row in r.items)]
    return assess_class(rule, [(r.student, r.set_id) for r in handed_in], submissions, times)


def summary(assessed: dict[tuple[str, str], Lateness] | None) -> str:
    """One line for the grader: how many submissions the rule touched.

    >>> summary({("a", "s"): Lateness("late"), ("b", "s"): Lateness("on time")})
    'late work: 1 on time, 1 late; see late.csv'
    """
    if not assessed:
        return ""
    counts: dict[str, int] = {}
    for late in assessed.values():
        counts[late.status] = counts.get(late.status, 0) + 1
    order = ("on time", "grace", "late", "past cutoff", "no time", "no due date")
    shown = {"grace": "within grace", "no time": "without a time"}
    parts = [f"{counts[s]} {shown.get(s, s)}" for s in order if s in counts]
    return f"late work: {', '.join(parts)}; see late.csv"


def without_time(assessed: dict[tuple[str, str], Lateness] | None) -> str:
    """The grader's warning when some submissions have no time, or ""."""
    unknown = [key for key, late in (assessed or {}).items() if late.status == "no time"]
    if not unknown:
        return ""
    return (
        f"no submission time for {len(unknown)} submission(s) (e.g. {unknown[0][0]}, "
        f"{unknown[0][1]}): the late policy is not applied to them (see late.csv). Give the "
        "LMS's times with --submitted-at, or nbgrader's timestamp.txt; file modification times "
        "are never used."
    )
