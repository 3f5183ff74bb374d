"""Hand scores: read a grader's scores.csv, check it, and merge it into the graded results.

A reflection stays ``pending`` until a person marks it. The marking page
(``hand-grading.html``, :mod:`medialit.grade.marking`) writes ``scores.csv`` with the columns
``student, set, item, points, comment`` and the optional ``digest`` (a short digest of the
answer text that was marked) and ``rubric`` (which rubric lines the grader chose, by their
1-based numbers: the level, ``2``, or the criteria met, ``1;3``; empty when the points were
typed). A ``rubric`` value must name lines of the item's rubric (one only for a level rubric)
and agree with the points: the level's points, or the sum of the criteria ticked. Points
typed by hand that differ go with an empty ``rubric`` cell. The student's feedback then says
which criteria were met and which not yet, or which level was chosen.

``medialit grade DIR --manual scores.csv`` reads it here: every file is checked in full
before anything is written (points that are not numbers, negative or over the rubric's
maximum, and rubric cells that do not fit, stop the run with the file, line, value and fix),
rows that name no hand-graded answer are reported, and a mark whose answer has changed since
it was given (the student resubmitted) is not applied: the item stays pending and the report
says so.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from medialit.grade import answers
from medialit.grade.bundle import Bundle, Item
from medialit.grade.engine import SubmissionResult, discover, resolve
from medialit.grade.scoring import ItemResult
from medialit.grade.textsafe import FORMULA_STARTS, printable

REQUIRED = ("student", "set", "item", "points")
OPTIONAL = ("comment", "digest", "rubric")
MANUAL = "manual"  # the status of an item a person has marked
DIGEST_CHARS = 12
SHOWN_ERRORS = 10


class ManualError(ValueError):
    """A scores file cannot be used; the message names each file, line, value and the fix."""


@dataclass(frozen=True)
class ManualScore:
    """One row of a scores file: a person's points (and comment) for one student's answer."""

    student: str
    set_id: str
    item: str
    points: float
    comment: str
    digest: str
    file: str
    line: int
    rubric: tuple[int, ...] = ()  # the rubric lines chosen, 1-based; () when points were typed

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}"


@dataclass
class MergeReport:
    """What a merge did: how many marks were applied and why the others were not."""

    merged: int = 0
    files: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # "file line N: why"
    changed: list[str] = field(default_factory=list)  # the answer differs from the one marked
    unchecked: int = 0  # rows without a digest (typed by hand): merged without the check

    def lines(self) -> list[str]:
        """The report as the command prints it: one summary line, then one line per row left.

        >>> for line in MergeReport(3, ["s.csv"], ["s.csv line 4: no student 'bo'"]).lines():
        ...     print(line)
        manual scores: merged 3 from s.csv; 1 row not merged:
          s.csv line 4: no student 'bo'
        """
        left = len(self.unmatched) + len(self.changed)
        head = f"manual scores: merged {self.merged} from {', '.join(self.files)}"
        if left:
            head += f"; {left} row{'s' if left != 1 else ''} not merged:"
        lines = [head]
        lines += [f"  {line}" for line in self.changed + self.unmatched]
        if self.unchecked:
            lines.append(
                f"  {self.unchecked} merged row(s) had no digest column, so whether the answer "
                "changed since it was marked was not checked (hand-grading.html writes one)"
            )
        return lines


def rubric_mode(item: Item) -> str:
    """How an item's rubric is applied: ``criteria`` when its criteria add up to the item's
    points (tick each one met), else ``levels`` (choose the one level that fits).

    >>> rubric_mode(Item("t1", "reflection", 2, variable="t", rubric=(
    ...     {"points": 2, "criterion": "mastery"}, {"points": 1, "criterion": "emerging"},
    ...     {"points": 0, "criterion": "beginning"})))
    'levels'
    >>> rubric_mode(Item("q7", "reflection", 2, variable="q", rubric=(
    ...     {"points": 1, "criterion": "names"}, {"points": 1, "criterion": "cites"})))
    'criteria'
    """
    points = [float(c.get("points", 0)) for c in item.rubric]
    additive = len(points) > 1 and all(p > 0 for p in points)
    return "criteria" if additive and math.isclose(sum(points), item.points) else "levels"


def answer_digest(text: str | None) -> str:
    """A short digest of an answer's text: the same text always gives the same digest.

    >>> answer_digest("My reflection."), answer_digest(None) == answer_digest("")
    ('75161196c413', True)
    """
    data = (text or "").encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


def unguard(cell: str) -> str:
    """A CSV cell as typed before a spreadsheet guard (a leading apostrophe) was added.

    >>> unguard("'=x"), unguard("'ok"), unguard(" ada ")
    ('=x', "'ok", 'ada')
    """
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _items(bundle: Bundle) -> dict[tuple[str, str], Item]:
    return {(s, item.id): item for s, exercise in bundle.sets.items() for item in exercise.items}


def _points(text: str, item: Item | None) -> tuple[float | None, str]:
    """The points in a cell, or None and what is wrong with them (with the fix)."""
    try:
        value = float(text)
    except ValueError:
        fix = " (write 1.5, with a dot)" if "," in text else ""
        return None, f"points {text!r} are not a number{fix}. Fix: write the points as a number"
    if not math.isfinite(value):
        return None, f"points {text!r} are not a finite number. Fix: write the points"
    if value < 0:
        return None, f"points {text!r} are negative. Fix: give 0 or more"
    if item is not None and item.manual and value > item.points + 1e-9:
        return None, (
            f"points {text!r} are over the rubric's maximum for {item.id} ({item.points:g}). "
            f"Fix: give at most {item.points:g}"
        )
    return value, ""


def _rubric(text: str, item: Item | None, points: float) -> tuple[tuple[int, ...] | None, str]:
    """The rubric lines a cell names (1-based, in order), or None and what is wrong (with the fix).

    >>> crit = Item("q7", "reflection", 2, variable="q", rubric=(
    ...     {"points": 1, "criterion": "names"}, {"points": 1, "criterion": "cites"}))
    >>> _rubric("2;1", crit, 2), _rubric("", crit, 1)
    (((1, 2), ''), ((), ''))
    >>> _rubric("1;3", crit, 2)[1]
    "rubric '1;3' names line 3, but q7's rubric has lines 1 to 2. Fix: ..."
    """
    text = text.strip()
    if not text:
        return (), ""
    cells = [cell.strip() for cell in text.replace(",", ";").split(";")]
    if not all(cell.isdigit() for cell in cells):
        return None, (
            f"rubric {text!r} is not rubric line numbers. Fix: write the numbers of the lines "
            "chosen, separated by ';' (e.g. 2 or 1;3), or leave it empty"
        )
    numbers = tuple(sorted(set(int(cell) for cell in cells)))
    if item is None or not item.manual:
        return numbers, ""  # the row names no hand-graded item: merge() reports it
    lines = len(item.rubric)
    wrong = [n for n in numbers if not 1 <= n <= lines]
    if wrong:
        return None, (
            f"rubric {text!r} names line {wrong[0]}, but {item.id}'s rubric has lines 1 to "
            f"{lines}. Fix: give only numbers from 1 to {lines}, or leave it empty"
        )
    chosen = [float(item.rubric[n - 1].get("points", 0)) for n in numbers]
    if rubric_mode(item) == "levels":
        if len(numbers) > 1:
            return None, (
                f"rubric {text!r} chooses {len(numbers)} levels of {item.id}, whose rubric has "
                "levels. Fix: give the one level that fits, or leave it empty"
            )
        expected, what = chosen[0], f"level {numbers[0]}"
    else:
        expected, what = sum(chosen), f"criteria {';'.join(map(str, numbers))}"
    if not math.isclose(expected, points, abs_tol=1e-9):
        return None, (
            f"rubric {text!r} gives {expected:g} point{'' if expected == 1 else 's'} ({what} of "
            f"{item.id}), but the row "
            f"gives {points:g}. Fix: make the points {expected:g}, or, for points typed by "
            "hand, leave the rubric cell empty"
        )
    return numbers, ""


def read_scores(paths: Iterable[Path], bundle: Bundle) -> list[ManualScore]:
    """Every row of every scores file, checked against the bundle's rubrics.

    Raises :class:`ManualError` listing every bad file and row (not only the first) when
    any file is unreadable, lacks a column, gives points that are not numbers, negative or
    over the item's maximum, or a ``rubric`` cell that names no line of the item's rubric
    or disagrees with the points (:func:`_rubric`), or when two rows mark one answer
    differently; nothing is merged then. Rows naming no hand-graded item are kept:
    :func:`merge` reports them.
    """
    items = _items(bundle)
    rows: list[ManualScore] = []
    errors: list[str] = []
    for path in map(Path, paths):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                table = list(csv.reader(handle))
        except FileNotFoundError:
            errors.append(f"{path}: no such file. Fix: give the scores.csv hand-grading.html saved")
            continue
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            errors.append(f"{path}: not a readable UTF-8 CSV ({error}). Fix: save it as CSV UTF-8")
            continue
        header = [cell.strip().lower() for cell in (table[0] if table else [])]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            errors.append(
                f"{path}: missing column(s) {', '.join(missing)} (it has: "
                f"{', '.join(header) or 'nothing'}). Fix: the header is "
                f"{','.join(REQUIRED + OPTIONAL)} (comment, digest and rubric optional)"
            )
            continue
        for line, cells in enumerate(table[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            cell = dict(zip(header, (unguard(c) for c in cells), strict=False))
            key = (cell.get("set", ""), cell.get("item", ""))
            points, problem = _points(cell.get("points", ""), items.get(key))
            if points is None:
                errors.append(f"{path} line {line}: {problem}")
                continue
            chosen, problem = _rubric(cell.get("rubric", ""), items.get(key), points)
            if chosen is None:
                errors.append(f"{path} line {line}: {problem}")
                continue
            rows.append(
                ManualScore(
                    cell.get("student", ""),
                    key[0],
                    key[1],
                    points,
                    printable(cell.get("comment", "")),
                    cell.get("digest", "").lower(),
                    str(path),
                    line,
                    chosen,
                )
            )
    errors += _conflicts(rows)
    if errors:
        shown = "\n  ".join(errors[:SHOWN_ERRORS])
        extra = len(errors) - SHOWN_ERRORS
        more = f"\n  ... and {extra} more" if extra > 0 else ""
        raise ManualError(
            f"{len(errors)} problem(s) in the manual scores; nothing was merged or written:"
            f"\n  {shown}{more}"
        )
    return rows


def _conflicts(rows: list[ManualScore]) -> list[str]:
    """Two rows marking the same answer differently (two graders, or an old and a new file)."""
    first: dict[tuple[str, str, str], ManualScore] = {}
    errors = []
    for row in rows:
        key = (row.student, row.set_id, row.item)
        seen = first.setdefault(key, row)
        if seen is not row and (seen.points, seen.comment, seen.digest, seen.rubric) != (
            row.points,
            row.comment,
            row.digest,
            row.rubric,
        ):
            errors.append(
                f"{seen.where} and {row.where} both mark {row.student} {row.set_id} {row.item}, "
                f"differently ({seen.points:g} and {row.points:g} points). Fix: keep one of "
                "them (pass only the newest file hand-grading.html saved)"
            )
    return errors


def reflection_texts(
    submissions: Path,
    bundle: Bundle,
    results: list[SubmissionResult],
    max_mb: float = answers.DEFAULT_MAX_MB,
) -> dict[tuple[str, str, str], str | None]:
    """The text of every hand-graded answer, read again from the notebooks as the engine read
    them (as data, never run): ``(student, set, item) -> text`` (None when blank or not
    a string). Results with no hand-graded item waiting or marked are not read."""
    wanted = {
        (r.student, r.set_id)
        for r in results
        if any(row.status in ("pending", MANUAL) for row in r.items)
    }
    if not wanted:
        return {}
    texts: dict[tuple[str, str, str], str | None] = {}
    sets = sorted({set_id for _, set_id in wanted})
    for task in discover(submissions, bundle, sets):
        if (task.student, task.set_id) not in wanted:
            continue
        task = resolve(task, bundle)
        manual = [item for item in bundle.sets[task.set_id].items if item.manual]
        if task.problem or not manual:
            continue
        try:
            data = answers.read_bytes(task.notebook, max_mb)
            notebook = answers.load_notebook(data, printable(task.notebook.name, keep=""))
            found = answers.read_submission(notebook, {i.variable for i in manual if i.variable})
        except (answers.Ungradable, OSError):
            continue
        for item in manual:
            answer = found.answers.get(item.variable or "")
            value = answer.value if answer is not None and answer.error is None else None
            texts[(task.student, task.set_id, item.id)] = value if isinstance(value, str) else None
    return texts


def _line(criterion: Mapping) -> str:
    return f"{criterion['criterion']} ({float(criterion['points']):g} pt)"


def manual_feedback(item: Item, points: float, comment: str, rubric: tuple[int, ...] = ()) -> str:
    """What a student reads for a hand-marked item: the points, the level chosen (or, for a
    criteria rubric, the criteria met and those not yet met), the grader's comment and the
    rubric. Without ``rubric`` (points typed, or an older scores file) the level is named when
    the points match exactly one level, and the criteria are not split.

    >>> crit = Item("q7", "reflection", 2, variable="q", rubric=(
    ...     {"points": 1, "criterion": "names"}, {"points": 1, "criterion": "cites"}))
    >>> manual_feedback(crit, 1, "Good.", (2,))
    'Graded by hand: 1 of 2 points. Met: cites (1 pt). Not yet: names (1 pt). Comment: Good.'
    """
    said = f"Graded by hand: {points:g} of {item.points:g} points."
    lines = [item.rubric[n - 1] for n in rubric if 1 <= n <= len(item.rubric)]
    criteria = rubric_mode(item) == "criteria"
    if criteria and lines:
        met = "; ".join(map(_line, lines))
        rest = [c for n, c in enumerate(item.rubric, start=1) if n not in rubric]
        said += f" Met: {met}." + (f" Not yet: {'; '.join(map(_line, rest))}." if rest else "")
    else:
        if not lines:
            lines = [c for c in item.rubric if math.isclose(float(c.get("points", -1)), points)]
        if not criteria and len(lines) == 1:
            said += f" Level: {lines[0]['criterion']}."
    if comment.strip():
        said += f" Comment: {comment.strip()}"
    if criteria and lines:
        return said  # every criterion is listed above, met or not yet
    return f"{said} Rubric: {'; '.join(map(_line, item.rubric))}."


def _why_not(
    score: ManualScore,
    results: Mapping[tuple[str, str], SubmissionResult],
    students: set[str],
    items: dict[tuple[str, str], Item],
) -> str | None:
    """Why a row names no answer waiting for a person, or None when it does."""
    if score.student not in students:
        return f"student {score.student!r} has no submission in this class"
    item = items.get((score.set_id, score.item))
    if item is None:
        known = any(s == score.set_id for s, _ in items)
        return (
            f"set {score.set_id!r} has no item {score.item!r}"
            if known
            else f"there is no exercise set {score.set_id!r}"
        )
    if not item.manual:
        return f"{score.set_id} {score.item} is graded automatically, not by hand"
    submission = results.get((score.student, score.set_id))
    if submission is None:
        return f"{score.student} has no {score.set_id} results (not graded in this run: --sets?)"
    row = next(r for r in submission.items if r.item == score.item)
    if row.status not in ("pending", MANUAL):
        return (
            f"{score.student} {score.set_id} {score.item} is {row.status}, not waiting for a "
            "person (no notebook, or one the grader could not read): nothing to mark"
        )
    return None


def merge(
    results: list[SubmissionResult],
    scores: list[ManualScore],
    bundle: Bundle,
    texts: Mapping[tuple[str, str, str], str | None],
) -> tuple[list[SubmissionResult], MergeReport]:
    """The results with each matching hand score applied (status ``manual``), and a report.

    ``texts`` holds the answers as they are now (:func:`reflection_texts`): a row whose
    digest differs from the current answer's is not applied. The results given are not
    changed (new objects are returned), so the engine's cache keeps its automatic rows.
    """
    report = MergeReport(files=list(dict.fromkeys(Path(s.file).name for s in scores)))
    by_key = {(r.student, r.set_id): r for r in results}
    students = {r.student for r in results}
    items = _items(bundle)
    chosen: dict[tuple[str, str, str], ManualScore] = {}
    for score in scores:
        why = _why_not(score, by_key, students, items)
        if why:
            report.unmatched.append(f"{score.where}: {why}")
            continue
        key = (score.student, score.set_id, score.item)
        now = answer_digest(texts.get(key))
        if score.digest and score.digest != now:
            report.changed.append(
                f"{score.where}: {score.student} {score.set_id} {score.item}: the answer "
                f"changed since it was marked (digest {score.digest}, now {now}; resubmitted?); "
                "it stays pending: mark it again on hand-grading.html"
            )
            continue
        chosen[key] = score
    merged = []
    for submission in results:
        rows = []
        for row in submission.items:
            score = chosen.get((submission.student, submission.set_id, row.item))
            if score is not None:
                item = items[(submission.set_id, row.item)]
                feedback = manual_feedback(item, score.points, score.comment, score.rubric)
                row = ItemResult(
                    row.item, row.kind, score.points, row.max_points, MANUAL, feedback, row.answer
                )
            rows.append(row)
        merged.append(replace(submission, items=rows))
    report.merged = len(chosen)
    report.unchecked = sum(not score.digest for score in chosen.values())
    return merged, report


def marks_of(scores: list[ManualScore]) -> dict[tuple[str, str, str], ManualScore]:
    """The scores by (student, set, item), for the marking page to show as marked."""
    return {(s.student, s.set_id, s.item): s for s in scores}
