"""Gradescope's side: grade the one submission in ROOT/submission into ROOT/results/results.json.

Runs inside the autograder image as ``python3 -m medialit.grade.autograder --root /autograder``
with only the standard library and the grading modules that `medialit assign` packed. It always
writes a results.json: when grading itself fails, one that says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.grade import exports
from medialit.grade.bundle import BUNDLE_FILE, Bundle, load_bundle
from medialit.grade.collect import MAX_ENTRIES, Task, locate
from medialit.grade.engine import SubmissionResult, fingerprint, grade_task
from medialit.grade.late import assess, load_late, show_time
from medialit.grade.textsafe import markdown_text, printable
from medialit.grade.visibility import VISIBILITIES, item_visibility, release_sentence

POLICY_FILE = "policy.json"
# The instructor's one place for the Gradescope policy (policy.json in the zip; see
# exercises/README.md): when scores, feedback and rubrics show, and how many tries are graded.
DEFAULT_POLICY: dict[str, Any] = {
    "feedback": "after_due_date",  # item scores, feedback and rubrics: one of VISIBILITIES
    "max_tries": None,  # graded submissions per student (None: no limit)
    "cooldown_minutes": 0,  # minutes between graded submissions
}
SKIPPED_FOLDERS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints")
MAX_DEPTH = 3  # folders looked into below submission/


def load_policy(source: Path) -> dict[str, Any]:
    """The policy in ``source/policy.json`` over the defaults; a bad value is an error naming
    the field and the fix (setup.sh checks it once, when the image is built)."""
    policy = dict(DEFAULT_POLICY)
    path = source / POLICY_FILE
    if path.exists():
        found = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(found) - set(DEFAULT_POLICY)
        if unknown:
            raise ValueError(f"{path}: unknown fields {sorted(unknown)}; use {list(policy)}")
        policy.update(found)
    if policy["feedback"] not in VISIBILITIES:
        raise ValueError(f"{path}: feedback must be one of {VISIBILITIES}")
    tries = policy["max_tries"]
    if tries is not None and (isinstance(tries, bool) or not isinstance(tries, int) or tries < 1):
        raise ValueError(f"{path}: max_tries must be a whole number from 1, or null")
    cooldown = policy["cooldown_minutes"]
    if isinstance(cooldown, bool) or not isinstance(cooldown, int | float) or cooldown < 0:
        raise ValueError(f"{path}: cooldown_minutes must be a number of minutes, 0 or more")
    return policy


def _folders(top: Path) -> list[Path]:
    """``top`` and the folders below it (not links, not hidden), breadth first, bounded."""
    found, queue = [], [(top, 0)]
    while queue and len(found) < MAX_ENTRIES:
        folder, depth = queue.pop(0)
        found.append(folder)
        if depth >= MAX_DEPTH:
            continue
        try:
            with os.scandir(folder) as listing:
                below = sorted(
                    entry.name
                    for entry in listing
                    if entry.is_dir(follow_symlinks=False)
                    and not entry.name.startswith(".")
                    and entry.name not in SKIPPED_FOLDERS
                )
        except OSError:
            continue
        queue += [(folder / name, depth + 1) for name in below]
    return found


def _notebooks(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as listing:
            names = [e.name for e in listing if e.name.endswith(".ipynb")]
    except OSError:
        return []
    return sorted(name for name in names if not name.startswith("."))


def find_notebook(top: Path, set_id: str) -> tuple[Path, str | None, str, str | None]:
    """Which uploaded notebook holds the set: (folder, file name or None, note, problem).

    ``<set>.ipynb`` or a renamed copy whose metadata records the set (collect.locate), at the
    top or in a folder (a zip of a folder); failing those, the only notebook uploaded. More
    than one candidate is a problem that names them all.
    """
    candidates, problems, every = [], [], []
    for folder in _folders(top):
        every += [folder / name for name in _notebooks(folder)]
        found = locate(folder, set_id, set())
        if found.problem:
            problems.append(found.problem)
        elif found.notebook:
            candidates.append(folder / found.notebook)

    def shown(path: Path) -> str:
        return printable(str(path.relative_to(top)), keep="")

    if top / f"{set_id}.ipynb" in candidates:  # the expected name at the top wins outright
        candidates, problems = [top / f"{set_id}.ipynb"], []
    if problems:
        return top, None, "", problems[0]
    if len(candidates) > 1:
        listed = ", ".join(repr(shown(p)) for p in candidates)
        return (
            top,
            None,
            "",
            (
                f"{len(candidates)} notebooks are the {set_id} set: {listed}. Submit only the one "
                f"you want graded, named {set_id}.ipynb"
            ),
        )
    if not candidates and len(every) == 1:
        candidates = every
    elif not candidates and every:
        listed = ", ".join(repr(shown(p)) for p in every)
        return (
            top,
            None,
            "",
            (
                f"none of the notebooks submitted ({listed}) is the {set_id} notebook. Submit "
                f"{set_id}.ipynb, downloaded from the {set_id} exercise"
            ),
        )
    if not candidates:
        return top, None, "", None
    (chosen,) = candidates
    others = [shown(p) for p in every if p != chosen]
    note = f" Also submitted, not graded: {', '.join(others)}." if others else ""
    return chosen.parent, chosen.name, note, None


def _pick(folder: Path, wanted: str, suffix: str) -> str | None:
    """``wanted`` if present; otherwise the only file ending in ``suffix``."""
    if (folder / wanted).exists():
        return wanted
    found = sorted(p.name for p in folder.glob(f"*{suffix}") if not p.name.startswith("."))
    return found[0] if len(found) == 1 else None


def _when(text: Any) -> datetime | None:
    """A Gradescope timestamp with its time zone, or None.

    >>> _when("2026-12-05T14:24:48.087023-07:00").isoformat(timespec="minutes")
    '2026-12-05T14:24-07:00'
    >>> _when("2026-12-05T21:24:48Z").tzname(), _when("2026-12-05 21:24"), _when(None)
    ('UTC', None, None)
    """
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def read_metadata(root: Path) -> dict[str, Any]:
    """submission_metadata.json, or {} when it is missing or unreadable (a local run)."""
    try:
        data = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def due_date(metadata: dict[str, Any], which: str = "due_date") -> datetime | None:
    """The student's own due date (an extension) when recorded, else the assignment's;
    ``which="late_due_date"`` for Gradescope's late due date the same way.

    >>> late = {"assignment": {"due_date": "2026-12-08T23:59:00+00:00"}}
    >>> due_date(late).day, due_date({**late, "users": [{"assignment": {
    ...     "due_date": "2026-12-10T23:59:00+00:00"}}]}).day, due_date({})
    (8, 10, None)
    """
    for user in metadata.get("users") or []:
        own = user.get("assignment") if isinstance(user, dict) else None
        if isinstance(own, dict) and _when(own.get(which)):
            return _when(own.get(which))
    assignment = metadata.get("assignment")
    return _when(assignment.get(which)) if isinstance(assignment, dict) else None


def _graded_before(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """Earlier submissions that were graded (not turned away by the tries policy), oldest first."""
    earlier = [p for p in metadata.get("previous_submissions") or [] if isinstance(p, dict)]
    graded = []
    for previous in earlier:
        results = previous.get("results") if isinstance(previous.get("results"), dict) else {}
        extra = results.get("extra_data") if isinstance(results.get("extra_data"), dict) else {}
        if extra.get("medialit_graded", True) and _when(previous.get("submission_time")):
            graded.append(previous)
    return sorted(graded, key=lambda p: _when(p["submission_time"]))


def turned_away(metadata: dict[str, Any], policy: dict[str, Any]) -> tuple[str, dict] | None:
    """Why this try is not graded under the policy, and the last graded try, or None."""
    graded = _graded_before(metadata)
    if not graded:
        return None
    last = graded[-1]
    tries = policy["max_tries"]
    if tries is not None and len(graded) >= tries:
        return f"You have used your {tries} graded tries.", last
    now = _when(metadata.get("created_at"))
    wait = timedelta(minutes=policy["cooldown_minutes"])
    if wait and now and now < _when(last["submission_time"]) + wait:
        next_try = (_when(last["submission_time"]) + wait).isoformat(timespec="minutes")
        return f"The next graded try opens at {next_try}.", last
    return None


def _not_graded(reason: str, last: dict[str, Any]) -> dict[str, Any]:
    """The last graded try's results again, with a message: the score stays what it was."""
    before = last.get("results") if isinstance(last.get("results"), dict) else {}
    score = last.get("score", before.get("score", 0))
    score = score if isinstance(score, int | float) and not isinstance(score, bool) else 0
    tests = [t for t in before.get("tests") or [] if isinstance(t, dict)]
    return {
        "score": score,
        "output": (
            f"This submission was not graded. {reason} Your score stays {score:g}, from your "
            "last graded submission; its results are shown below."
        ),
        "output_format": "text",
        "test_output_format": before.get("test_output_format", "md"),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"medialit_graded": False},
    }


def _form_check(result: SubmissionResult, bundle: Bundle, later: set[str]) -> dict[str, Any]:
    """A test shown at once: what the grader could read of the items whose results show
    ``later``, and their hints, never right or wrong."""
    items = {item.id: item for item in bundle.sets[result.set_id].items}
    lines = []
    for row in result.items:
        item = items[row.item]
        if row.item not in later:
            continue
        if row.status in ("missing", "ungradable"):
            lines.append(f"{row.item}: {row.feedback}")
        elif row.status == "pending":
            lines.append(f"{row.item}: received; a person grades it.")
        else:
            hint = f" Hint: {item.hint}" if item.hint else ""
            lines.append(f"{row.item}: answer read.{hint}")
    return {
        "name": "What the grader read in your notebook (right or wrong shows later)",
        "number": f"{result.set_id}.0",
        "output": "\n\n".join(markdown_text(line) for line in lines),
        "visibility": "visible",
    }


def _grade(root: Path, bundle: Bundle, policy: dict[str, Any], metadata: dict) -> dict:
    """Grade the submission; the payload's message says what was read and when results show."""
    (set_id,) = bundle.sets  # one autograder per exercise set
    folder, notebook, note, problem = find_notebook(root / "submission", set_id)
    annotations = _pick(folder, f"{set_id}.answers.json", ".answers.json")
    task = Task("submission", set_id, folder, notebook, annotations, problem)
    result = SubmissionResult(
        task.student, set_id, fingerprint(task, bundle, 10.0), grade_task(task, bundle)
    )
    late = _lateness(root, metadata, set_id, task.student)
    payload = exports.gradescope_results([result], bundle, late, policy["feedback"])
    reasons = {row.feedback for row in result.items if row.status == "ungradable"}
    if len(reasons) == 1 and all(row.status == "ungradable" for row in result.items):
        # nothing could be read: say why, show it at once, and do not count it as a try
        reason = markdown_text(reasons.pop().removeprefix("ungradable: "))
        payload["output"] = f"Not graded: {reason}."
        payload["tests"] = []  # one clear message, not a column of identical failed rows
        payload["extra_data"] = {"medialit_graded": False}
        return payload
    read = str(task.notebook.relative_to(root / "submission"))
    head = markdown_text(f"Graded {read}.{note}") + " " if notebook else ""
    items = {item.id: item for item in bundle.sets[set_id].items}
    groups: dict[str, list[str]] = {}
    for row in result.items:
        groups.setdefault(item_visibility(items[row.item], policy["feedback"]), []).append(row.item)
    later = {item for when, ids in groups.items() if when != "visible" for item in ids}
    if later:
        payload["tests"].insert(0, _form_check(result, bundle, later))
        due = due_date(metadata)
        head += release_sentence(groups, f" ({show_time(due)})" if due else "")
    if late and (said := _late_head(late[(task.student, set_id)])):
        head += said + " "
    payload["output"] = head + payload["output"]
    payload["extra_data"] = {**payload.get("extra_data", {}), "medialit_graded": True}
    return payload


def _lateness(root: Path, metadata: dict, set_id: str, student: str) -> dict | None:
    """The course's late rule (late.json) applied with Gradescope's dates: the student's own
    due date and late due date (extensions), else the assignment's, else late.yaml's."""
    rule = load_late(root / "source")
    if rule is None:
        return None
    ours = rule.due.get(set_id)
    theirs = _when((metadata.get("assignment") or {}).get("due_date"))
    if ours and theirs and ours != theirs:  # stdout: hidden from students
        print(f"late policy: Gradescope's due date {theirs} is used, not late.yaml's {ours}")
    lateness = assess(
        rule,
        set_id,
        student,
        _when(metadata.get("created_at")),
        due=due_date(metadata) or ours,
        last_chance=due_date(metadata, "late_due_date"),
        note="from submission_metadata.json",
    )
    return {(student, set_id): lateness}


def _late_head(lateness: Any) -> str:
    """The visible line of a late submission: how late and the rule, not the points (those
    show with the scores)."""
    if lateness.status not in ("grace", "late", "past cutoff"):
        return ""
    rule = {
        "grace": "within the grace period: no late penalty",
        "late": f"a {lateness.penalty_percent:g}% late penalty applies to this set's score",
        "past cutoff": "past the cutoff for late work: this set scores 0",
    }[lateness.status]
    return f"Submitted after your due date of {show_time(lateness.due)}; {rule}."


def grade_submission(root: Path) -> dict[str, Any]:
    """Grade ROOT/submission with the bundle in ROOT/source and write ROOT/results/results.json
    (or, when the tries policy turns this submission away, the last graded results again)."""
    started = time.perf_counter()
    bundle = load_bundle(root / "source" / BUNDLE_FILE)
    policy = load_policy(root / "source")
    metadata = read_metadata(root)
    away = turned_away(metadata, policy)
    payload = _not_graded(*away) if away else _grade(root, bundle, policy, metadata)
    payload["execution_time"] = round(time.perf_counter() - started, 2)
    atomic_write_text(root / "results" / "results.json", json.dumps(payload, indent=1))
    return payload


def failure_results(root: Path, why: str) -> None:
    """A results.json saying the autograder itself failed (never nothing)."""
    payload = {
        "score": 0,
        "output": (
            f"The autograder could not grade this submission ({why}). This is not about your "
            "work: your submission is kept; tell your instructor, who can see the details."
        ),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"medialit_graded": False},
    }
    (root / "results").mkdir(parents=True, exist_ok=True)
    atomic_write_text(root / "results" / "results.json", json.dumps(payload, indent=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="medialit.grade.autograder", description=__doc__)
    parser.add_argument("--root", default="/autograder", help="the autograder folder")
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        payload = grade_submission(root)
    except Exception as exc:  # the student must still get a results.json
        traceback.print_exc()
        failure_results(root, f"{type(exc).__name__} in the grader")
        return 1
    print(f"score {payload['score']} from {len(payload['tests'])} tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
