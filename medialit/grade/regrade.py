"""Regrades: keep the previous gradebook and list every score a new run changed, and why.

Each run writes ``grading-record.json`` beside the gradebook: the engine version, the bundle's
digest, a digest per item (its definition, key and article text) and the digests of the files
each submission was graded from. When a gradebook is already there, the next run

- copies it (and its record) into ``history/`` as ``gradebook-<UTC time it was written>.csv``,
  never overwriting an earlier copy, whenever the new gradebook differs from it, and
- writes ``regrade-report.csv`` (``student, set, item, old, new, why``): one row per item score
  that changed and one ``(total)`` row per set total that changed; ``why`` is read from the two
  records (key or item changed, notebook or annotations file changed, engine changed, item added
  or removed, hand-graded score changed), never guessed. No change: the header alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.grade import exports, isolation
from medialit.grade.bundle import Bundle
from medialit.grade.engine import ENGINE_VERSION, SubmissionResult
from medialit.grade.manual import MANUAL

RECORD = "grading-record.json"
REPORT = "regrade-report.csv"
HISTORY = "history"
COLUMNS = ["student", "set", "item", "old", "new", "why"]
TOTAL = "(total)"

Key = tuple[str, str, str]  # student, set, item


@dataclass(frozen=True)
class Previous:
    """The gradebook and record on disk before this run wrote its own."""

    gradebook: str
    record: dict[str, Any] | None
    written: float  # the gradebook's modification time (seconds since the epoch)
    report: str | None  # the regrade report that went with it, if any


def item_digests(bundle: Bundle) -> dict[str, str]:
    """A digest per ``set/item`` of everything that scores it: fields, key, article text.

    >>> from medialit.grade.bundle import bundle_from_dict
    >>> raw = {"format": 1, "sets": {"s": {"items": [{"id": "q1", "kind": "label",
    ...        "points": 1, "variable": "a", "key": "x"}]}}}
    >>> one = item_digests(bundle_from_dict(raw, "demo"))
    >>> raw["sets"]["s"]["items"][0]["key"] = "y"
    >>> one == item_digests(bundle_from_dict(raw, "demo")), list(one)
    (False, ['s/q1'])
    """
    digests = {}
    for set_id, exercise in bundle.sets.items():
        for item in exercise.items:
            text = bundle.texts.get(item.article_id or "", "")
            blob = json.dumps([item.to_dict(), text], sort_keys=True, default=str)
            digests[f"{set_id}/{item.id}"] = hashlib.sha256(blob.encode()).hexdigest()
    return digests


def grading_record(
    results: list[SubmissionResult], bundle: Bundle, complete: bool = True
) -> dict[str, Any]:
    """What this run's scores were computed from (see the module's docstring)."""
    return {
        "format": 1,
        "complete": complete,  # False: a run stopped by Ctrl-C, whose gradebook is partial
        "engine": ENGINE_VERSION,
        "bundle": bundle.digest,
        "isolation": isolation.mode(),
        "items": item_digests(bundle),
        "submissions": {f"{r.student}\t{r.set_id}": r.inputs for r in results},
    }


def read_previous(out: Path) -> Previous | None:
    """The gradebook already in ``out`` with its record, or None on a first run."""
    out = Path(out)
    try:
        text = (out / exports.GRADEBOOK).read_text(encoding="utf-8")
        written = (out / exports.GRADEBOOK).stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return None
    try:
        record = json.loads((out / RECORD).read_text(encoding="utf-8"))
        record = record if isinstance(record, dict) else None
    except (OSError, ValueError):
        record = None
    try:
        report = (out / REPORT).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        report = None
    return Previous(text, record, written, report)


def _rows(gradebook: str) -> dict[Key, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(gradebook))
    return {(r["student"], r["set"], r["item"]): r for r in reader if r.get("item") is not None}


def _points(row: dict[str, str] | None) -> float | None:
    if row is None or not row.get("points", "").strip():
        return None
    try:
        return float(row["points"])
    except ValueError:
        return None


def _shown(value: float | None, row: dict[str, str] | None) -> str:
    """A score as the report shows it: points, ``pending``, or ``absent`` (no row)."""
    if row is None:
        return "absent"
    return "pending" if value is None else exports.points_text(round(value, 2))


def _item_reasons(
    key: Key,
    old: dict[str, str] | None,
    new: dict[str, str] | None,
    before: dict[str, Any] | None,
    now: dict[str, Any],
    old_pairs: set[tuple[str, str]],
    new_pairs: set[tuple[str, str]],
) -> list[str]:
    """Why one item's score moved, from the rows and the two grading records."""
    student, set_id, item = key
    reasons = []
    item_key = f"{set_id}/{item}"
    if old is None:
        if before and item_key not in before.get("items", {}):
            reasons.append("item added to the exercises")
        elif (student, set_id) not in old_pairs:
            stopped = before is not None and before.get("complete") is False
            reasons.append(
                "not graded before: the previous run was stopped before it"
                if stopped
                else "first graded in this run (no row before)"
            )
    if new is None:
        if item_key not in now["items"]:
            reasons.append("item removed from the exercises")
        elif (student, set_id) not in new_pairs:
            reasons.append("not graded in this run (the student's folder is gone)")
    statuses = {(old or {}).get("status"), (new or {}).get("status")}
    if MANUAL in statuses:
        if (old or {}).get("status") != MANUAL:
            reasons.append("hand-graded score entered")
        elif (new or {}).get("status") != MANUAL:
            reasons.append("hand-graded score withdrawn")
        else:
            reasons.append("hand-graded score changed")
    if old is None or new is None:
        return reasons
    if before is None:
        return reasons or [
            "cause unknown: the previous gradebook has no grading record (written before "
            "records were kept)"
        ]
    if before.get("items", {}).get(item_key) != now["items"].get(item_key):
        reasons.append("key or item definition changed")
    was = before.get("submissions", {}).get(f"{student}\t{set_id}") or {}
    is_ = now["submissions"].get(f"{student}\t{set_id}") or {}
    if was.get("notebook") != is_.get("notebook"):
        reasons.append("answer changed: the notebook is not the one graded before")
    if was.get("annotations") != is_.get("annotations") and new.get("kind") == "annotation":
        reasons.append("answer changed: the annotations file is not the one graded before")
    if before.get("engine") != now["engine"]:
        reasons.append(
            f"grading engine changed (version {before.get('engine')} to {now['engine']})"
        )
    if before.get("isolation") != now["isolation"] and new.get("kind") == "code":
        reasons.append(f"code isolation changed ({before.get('isolation')} to {now['isolation']})")
    return reasons or [
        "no recorded input changed (a code item near its time limit can score differently)"
    ]


def compare(
    old_text: str,
    new_text: str,
    before: dict[str, Any] | None,
    now: dict[str, Any],
    scope: set[tuple[str, str]] | None = None,
) -> list[list[str]]:
    """Report rows for every changed item score and set total, in gradebook order.

    Only sets graded in this run are compared (``--sets`` leaves the others alone); with
    ``scope`` (an interrupted run) only those (student, set) pairs.
    """
    old_rows, new_rows = _rows(old_text), _rows(new_text)
    graded_sets = {s for _, s, _ in new_rows}
    old_pairs = {(s, t) for s, t, _ in old_rows}
    new_pairs = {(s, t) for s, t, _ in new_rows}

    def wanted(key: Key) -> bool:
        pair = key[:2]
        return key[1] in graded_sets and (scope is None or pair in scope)

    keys = [k for k in new_rows if wanted(k)]
    keys += [k for k in old_rows if k not in new_rows and wanted(k)]
    keys.sort(key=lambda k: (k[0], k[1]))  # stable: gradebook order within a submission
    report: list[list[str]] = []
    totals: dict[tuple[str, str], list] = {}
    for key in keys:
        old, new = old_rows.get(key), new_rows.get(key)
        total = totals.setdefault(key[:2], [0.0, 0.0, [], False, False])
        was, is_ = _points(old), _points(new)
        total[0] += was or 0
        total[1] += is_ or 0
        total[3] |= old is not None
        total[4] |= new is not None
        if was == is_ and (old is None) == (new is None):
            continue
        why = _item_reasons(key, old, new, before, now, old_pairs, new_pairs)
        total[2] += [w for w in why if w not in total[2]]
        report.append([*key, _shown(was, old), _shown(is_, new), "; ".join(why)])
    ordered: list[list[str]] = []
    for pair, (was, is_, why, had, has) in totals.items():
        ordered += [row for row in report if tuple(row[:2]) == pair]
        if round(was, 2) != round(is_, 2) or had != has:
            old_total = exports.points_text(round(was, 2)) if had else "absent"
            new_total = exports.points_text(round(is_, 2)) if has else "absent"
            ordered.append([*pair, TOTAL, old_total, new_total, "; ".join(why)])
    return ordered


def _csv(rows: Iterable[list[str]]) -> str:
    return exports._csv([COLUMNS, *rows])  # the gradebook's own safe CSV writer


def _stamp(seconds: float) -> str:
    """A UTC time as a file name part.

    >>> _stamp(0)
    '19700101T000000Z'
    """
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def keep_copy(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """Write ``folder/<stem><suffix>`` (or ``<stem>-2<suffix>``, ...) without ever replacing a
    file: written to a temporary file, then linked to the first free name."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        number = 1
        while True:
            target = folder / f"{stem}{'' if number == 1 else f'-{number}'}{suffix}"
            try:
                os.link(temp, target)
                return target
            except FileExistsError:
                if target.read_text(encoding="utf-8") == text:
                    return target  # this very gradebook was kept already
                number += 1
    finally:
        Path(temp).unlink(missing_ok=True)


@dataclass(frozen=True)
class Outcome:
    """What the regrade step wrote and a line for the console."""

    written: dict[str, Path]
    message: str


def record_run(
    out: Path,
    previous: Previous | None,
    results: list[SubmissionResult],
    bundle: Bundle,
    *,
    complete: bool = True,
) -> Outcome:
    """After the gradebook is written: keep the previous one, write the record and report."""
    out = Path(out)
    now = grading_record(results, bundle, complete)
    new_text = (out / exports.GRADEBOOK).read_text(encoding="utf-8")
    written: dict[str, Path] = {}
    if previous is None:
        (out / REPORT).unlink(missing_ok=True)  # a stale report would describe another run
        atomic_write_text(out / RECORD, json.dumps(now, indent=1, ensure_ascii=False))
        return Outcome({}, "first grading of this folder: no previous gradebook to compare")
    if previous.gradebook != new_text:
        stamp = _stamp(previous.written)
        history = out / HISTORY
        written["previous gradebook"] = keep_copy(
            history, f"gradebook-{stamp}", ".csv", previous.gradebook
        )
        if previous.record is not None:
            keep_copy(history, f"grading-record-{stamp}", ".json", json.dumps(previous.record))
    scope = None if complete else {(r.student, r.set_id) for r in results}
    rows = compare(previous.gradebook, new_text, previous.record, now, scope)
    atomic_write_text(out / RECORD, json.dumps(now, indent=1, ensure_ascii=False))
    text = _csv(rows)
    if previous.report is not None and previous.report not in (text, _csv([])):
        keep_copy(
            out / HISTORY, f"regrade-report-{_stamp(previous.written)}", ".csv", previous.report
        )
    written["regrade report"] = atomic_write_text(out / REPORT, text)
    changed = [r for r in rows if r[2] != TOTAL]
    if not changed:
        return Outcome(written, "regrade: no score changed since the previous gradebook")
    students = len({r[0] for r in changed})
    return Outcome(
        written,
        f"regrade: {len(changed)} item score(s) of {students} student(s) changed; "
        f"see {out / REPORT}",
    )


def write_with_history(
    results: list[SubmissionResult],
    bundle: Bundle,
    out: Path,
    roster: dict[str, dict[str, str]] | None = None,
    *,
    complete: bool = True,
    **options: Any,
) -> tuple[dict[str, Path], str]:
    """:func:`exports.write_outputs`, keeping the previous gradebook and reporting regrades."""
    previous = read_previous(out)
    written = exports.write_outputs(results, bundle, out, roster, **options)
    outcome = record_run(out, previous, results, bundle, complete=complete)
    return {**written, **outcome.written}, outcome.message
