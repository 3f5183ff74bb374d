"""The grading engine: find submissions, grade each one (cached by content), in parallel."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.grade import answers, collect, isolation, scoring
from medialit.grade.bundle import Bundle, ExerciseSet, load_bundle
from medialit.grade.collect import Task
from medialit.grade.sandbox import Limits, run_function
from medialit.grade.textsafe import printable
from medialit.grade.workers import Pool, deadline_for, stop_on_signals

ENGINE_VERSION = "3"  # bump when results change shape or meaning: caches are redone
CACHE = "cache"


@dataclass
class SubmissionResult:
    """Every item of one set for one student, and the content fingerprint it was graded from."""

    student: str
    set_id: str
    fingerprint: str
    items: list[scoring.ItemResult] = field(default_factory=list)
    file: str = ""  # the notebook read (it may have been renamed); empty when none was
    inputs: dict[str, str] = field(default_factory=dict)  # digests of the files read (regrades)

    def to_dict(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "set_id": self.set_id,
            "fingerprint": self.fingerprint,
            "items": [item.to_dict() for item in self.items],
            "file": self.file,
            "inputs": self.inputs,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubmissionResult:
        items = [scoring.ItemResult(**item) for item in data["items"]]
        return cls(
            data["student"],
            data["set_id"],
            data["fingerprint"],
            items,
            data.get("file", ""),
            dict(data.get("inputs") or {}),
        )


@dataclass
class ClassRun:
    """The outcome of grading a class: results in a stable order, and how the work went."""

    results: list[SubmissionResult]
    graded: int
    reused: int
    seconds: float


def discover(submissions: Path, bundle: Bundle, sets: list[str] | None = None) -> list[Task]:
    """One task per student folder and exercise set, in a stable order.

    The layout is ``DIR/<student>/<set>.ipynb`` (plus ``<set>.answers.json`` from the
    annotate widget); entries whose names start with "." or "_" are skipped, every other entry
    gets rows (an entry that is not a usable folder gets rows that say why).
    """
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise FileNotFoundError(
            f"{submissions} is not a folder. Put one folder per student in it, each holding "
            "that student's notebooks (e.g. submissions/alice/sourcing.ipynb)"
        )
    chosen = sets or list(bundle.sets)
    unknown = [s for s in chosen if s not in bundle.sets]
    if unknown:
        raise KeyError(f"Unknown exercise set(s) {unknown}; the bundle has {list(bundle.sets)}")
    return collect.discover(submissions, chosen)


def resolve(task: Task, bundle: Bundle) -> Task:
    """The task with its notebook found: the expected name, or a renamed copy of the set (from
    the notebook's metadata); a choice that is not clear becomes the task's problem."""
    if task.problem or task.notebook_file:
        return task
    found = collect.locate(task.folder, task.set_id, set(bundle.sets) - {task.set_id})
    if found.problem:
        return replace(task, problem=found.problem)
    if found.notebook and found.notebook != f"{task.set_id}.ipynb":
        return replace(task, notebook_file=found.notebook)
    return task


def _file_digest(path: Path, max_mb: float) -> str:
    """The file's sha256 (read without blocking or following links, up to the size limit), or
    a description of what stands in its place."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_mb * 1024 * 1024:
        return f"special:{info.st_mode}:{info.st_size}"
    try:
        fd, _ = answers.open_regular(path)
    except answers.Ungradable as exc:
        return f"refused:{exc}"
    digest = hashlib.sha256()
    left = int(max_mb * 1024 * 1024) + 1
    with os.fdopen(fd, "rb") as handle:
        while left > 0 and (chunk := handle.read(min(1 << 20, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def input_digests(task: Task, max_mb: float) -> dict[str, str]:
    """The digests of the files a task reads (none when the folder itself is the problem)."""
    if task.problem:
        return {}
    return {
        "notebook": _file_digest(task.notebook, max_mb),
        "annotations": _file_digest(task.annotations, max_mb),
    }


def fingerprint(
    task: Task, bundle: Bundle, max_mb: float, inputs: dict[str, str] | None = None
) -> str:
    """A hash of everything the result depends on: engine, bundle, set, limits, the files
    (and which files), and how code is isolated (a run without the sandbox is redone)."""
    parts = [ENGINE_VERSION, bundle.digest, task.set_id, f"{max_mb:g}", isolation.mode()]
    parts += [task.problem or "", os.fsencode(task.notebook.name).hex()]
    if not task.problem:
        found = input_digests(task, max_mb) if inputs is None else inputs
        parts += [found["notebook"], found["annotations"]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _every_item(exercise: ExerciseSet, make: Callable) -> list[scoring.ItemResult]:
    return [make(item) for item in exercise.items]


def grade_task(task: Task, bundle: Bundle, max_mb: float = answers.DEFAULT_MAX_MB) -> list:
    """Grade one notebook: read it as data, run its functions in the sandbox, score each item.

    A problem with the whole notebook marks every item ungradable; a problem with one item
    affects that item only.
    """
    exercise = bundle.sets[task.set_id]
    if task.problem:
        return _every_item(exercise, lambda item: scoring.ungradable(item, task.problem))
    try:
        os.lstat(task.notebook)
    except FileNotFoundError:
        return _every_item(
            exercise,
            lambda item: scoring.ItemResult(
                item.id,
                item.kind,
                0.0,
                item.points,
                "missing",
                f"No {exercise.notebook} was submitted.",
            ),
        )
    try:
        notebook = answers.load_notebook(
            answers.read_bytes(task.notebook, max_mb), printable(task.notebook.name, keep="")
        )
        needs_code = any(item.kind == "code" for item in exercise.items)
        wanted = None if needs_code else {i.variable for i in exercise.items if i.variable}
        submission = answers.read_submission(notebook, wanted)
    except answers.Ungradable as exc:
        reason = str(exc)
        return _every_item(exercise, lambda item: scoring.ungradable(item, reason))
    annotations = None
    results = []
    for item in exercise.items:
        try:
            if item.kind == "annotation":
                if annotations is None:
                    annotations = answers.read_annotations(task.annotations, max_mb)
                if annotations.unreadable:
                    results.append(scoring.ungradable(item, annotations.unreadable))
                    continue
                results.append(
                    scoring.score_annotations(
                        item, annotations, bundle.texts, task.annotations.name
                    )
                )
            elif item.kind == "code":
                results.append(_grade_code(item, submission))
            else:
                answer = submission.answers.get(item.variable)
                results.append(scoring.score_answer(item, answer, bundle.texts))
        except Exception as exc:  # a grader bug must not sink the batch: record it and go on
            detail = printable(traceback.format_exception_only(exc)[-1].strip())[:200]
            results.append(
                scoring.ungradable(item, f"the grader failed on this item ({detail}); tell staff")
            )
    return [_printable_row(row) for row in results]


def _grade_code(item: Any, submission: answers.Submission) -> scoring.ItemResult:
    """Run a code item in the sandbox; refuse it (with the fix) where the sandbox cannot run."""
    source = answers.function_source(submission, item.function)
    if source is None:
        return scoring.score_code(item, None, None)
    limits = Limits(cpu_seconds=item.cpu_seconds, memory_mb=item.memory_mb)
    try:
        run = run_function(source, item.function, [case.args for case in item.cases], limits)
    except isolation.SandboxUnavailable as exc:
        return scoring.ungradable(
            item, f"your code was not run: the grading machine cannot isolate it. Staff: {exc}"
        )
    row = scoring.score_code(item, source, run)
    if run.isolation != "bwrap":
        row.feedback += (
            f" [graded WITHOUT the kernel sandbox ({isolation.UNSAFE_FLAG}): rlimits and an "
            "audit hook only]"
        )
    return row


def _printable_row(row: scoring.ItemResult) -> scoring.ItemResult:
    """Feedback and answer as valid text without control characters, whatever they quote."""
    row.feedback = printable(row.feedback)
    row.answer = printable(row.answer)
    return row


# --------------------------------------------------------------------------- cache


def file_stem(student: str) -> str:
    """A student's name as a file name: as shown, or shortened with a hash when too long.

    >>> file_stem("ada"), len(file_stem("x" * 400))
    ('ada', 137)
    """
    if len(student.encode()) <= 120:
        return student
    digest = hashlib.sha256(student.encode()).hexdigest()[:16]
    return f"{student.encode()[:120].decode('utf-8', 'ignore')}-{digest}"


def cache_path(out: Path, task: Task) -> Path:
    """``out/cache/<student>~<set>.json`` (set ids never hold "~", so names cannot clash)."""
    return Path(out) / CACHE / f"{file_stem(task.student)}~{task.set_id}.json"


def read_cached(out: Path, task: Task, key: str) -> SubmissionResult | None:
    """The stored result when it was graded from exactly these files and this bundle."""
    try:
        data = json.loads(cache_path(out, task).read_text(encoding="utf-8"))
        if data.get("fingerprint") == key:
            return SubmissionResult.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def grade_and_store(
    task: Task, bundle: Bundle, out: Path, max_mb: float = answers.DEFAULT_MAX_MB
) -> tuple[SubmissionResult, bool]:
    """Grade a task unless an identical one is cached (then ``fresh`` is False); store the
    result atomically, so an interrupted run never leaves half a result behind."""
    task = resolve(task, bundle)
    inputs = input_digests(task, max_mb)
    key = fingerprint(task, bundle, max_mb, inputs)
    cached = read_cached(out, task, key)
    if cached is not None:
        cached.inputs = inputs
        return cached, False
    read = "" if task.problem else printable(task.notebook.name, keep="")
    rows = grade_task(task, bundle, max_mb)
    if all(row.status == "missing" for row in rows):
        read = ""
    result = SubmissionResult(task.student, task.set_id, key, rows, read, inputs)
    atomic_write_text(
        cache_path(out, task), json.dumps(result.to_dict(), ensure_ascii=False), durable=False
    )  # a result lost to a power cut is simply graded again
    return result, True


# --------------------------------------------------------------------------- the class


def _clear_temp_files(out: Path) -> None:
    for temp in (Path(out) / CACHE).glob(".*.tmp"):
        temp.unlink(missing_ok=True)


class Interrupted(Exception):
    """SIGINT or SIGTERM stopped the run; ``run`` holds the submissions graded before."""

    def __init__(self, run: ClassRun, total: int) -> None:
        super().__init__(f"stopped after {len(run.results)} of {total} submissions")
        self.run = run
        self.total = total


def grade_class(
    submissions: Path,
    bundle_path: Path,
    out: Path,
    *,
    workers: int | None = None,
    sets: list[str] | None = None,
    max_mb: float = answers.DEFAULT_MAX_MB,
    progress: Callable[[int, int], None] | None = None,
) -> ClassRun:
    """Grade every submission in ``submissions`` into ``out`` using a pool of processes.

    Results are cached per submission under ``out/cache``: a second run reuses every result
    whose files and bundle are unchanged, and an interrupted run resumes where it stopped.
    Each submission has a deadline (:mod:`workers`); SIGINT or SIGTERM raise
    :class:`Interrupted` with what was graded. ``progress(done, total)`` is called as
    submissions finish.
    """
    started = time.perf_counter()
    bundle = load_bundle(bundle_path)
    tasks = discover(submissions, bundle, sets)
    out = Path(out)
    (out / CACHE).mkdir(parents=True, exist_ok=True)
    _clear_temp_files(out)
    isolation.mode()  # probe bubblewrap once, before the workers fork
    workers_ = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    by_index: dict[int, SubmissionResult] = {}
    graded = reused = 0

    def grade(task: Task) -> tuple[dict, bool]:
        result, fresh = grade_and_store(task, bundle, out, max_mb)
        return result.to_dict(), fresh

    pool = Pool(workers_, grade, bundle)
    undo = stop_on_signals()
    try:
        if progress:
            progress(0, len(tasks))
        deadlines = [deadline_for(task, bundle) for task in tasks]
        for index, data, fresh in pool.run(tasks, deadlines):
            by_index[index] = SubmissionResult.from_dict(data)
            graded += fresh
            reused += not fresh
            if progress:
                progress(len(by_index), len(tasks))
    except KeyboardInterrupt:
        pool.close()
        undo()
        done = [by_index[i] for i in sorted(by_index)]
        partial = ClassRun(done, graded, reused, time.perf_counter() - started)
        raise Interrupted(partial, len(tasks)) from None
    finally:
        pool.close()
        undo()
    ordered = [by_index[i] for i in range(len(tasks))]
    return ClassRun(ordered, graded, reused, time.perf_counter() - started)


def iter_results(run: ClassRun) -> Iterator[tuple[SubmissionResult, scoring.ItemResult]]:
    for submission in run.results:
        for item in submission.items:
            yield submission, item
