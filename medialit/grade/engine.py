"""The grading engine: find submissions, grade each one (cached by content), in parallel."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import stat
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.grade import answers, scoring
from medialit.grade.bundle import Bundle, ExerciseSet, load_bundle
from medialit.grade.sandbox import Limits, run_function

ENGINE_VERSION = "2"  # bump when results change shape or meaning: caches are redone
CACHE = "cache"


@dataclass(frozen=True)
class Task:
    """One student's notebook for one exercise set (the notebook may be absent)."""

    student: str
    set_id: str
    folder: Path
    notebook_file: str | None = None  # default <set>.ipynb
    annotations_file: str | None = None  # default <set>.answers.json

    @property
    def notebook(self) -> Path:
        return self.folder / (self.notebook_file or f"{self.set_id}.ipynb")

    @property
    def annotations(self) -> Path:
        name = self.annotations_file or f"{self.set_id}{answers.ANSWERS_SUFFIX}"
        return self.folder / name


@dataclass
class SubmissionResult:
    """Every item of one set for one student, and the content fingerprint it was graded from."""

    student: str
    set_id: str
    fingerprint: str
    items: list[scoring.ItemResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "set_id": self.set_id,
            "fingerprint": self.fingerprint,
            "items": [item.to_dict() for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubmissionResult:
        items = [scoring.ItemResult(**item) for item in data["items"]]
        return cls(data["student"], data["set_id"], data["fingerprint"], items)


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
    annotate widget); folders whose names start with "." or "_" are skipped.
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
    students = sorted(
        entry.name
        for entry in os.scandir(submissions)
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith((".", "_"))
    )
    return [Task(s, set_id, submissions / s) for s in students for set_id in chosen]


def _file_digest(path: Path) -> str:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "absent"
    if not stat.S_ISREG(info.st_mode):
        return f"special:{info.st_mode}:{info.st_size}"
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(task: Task, bundle: Bundle, max_mb: float) -> str:
    """A hash of everything the result depends on: engine, bundle, set, limits, the files."""
    parts = [ENGINE_VERSION, bundle.digest, task.set_id, f"{max_mb:g}"]
    parts += [_file_digest(task.notebook), _file_digest(task.annotations)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _every_item(exercise: ExerciseSet, make: Callable) -> list[scoring.ItemResult]:
    return [make(item) for item in exercise.items]


def grade_task(task: Task, bundle: Bundle, max_mb: float = answers.DEFAULT_MAX_MB) -> list:
    """Grade one notebook: read it as data, run its functions in the sandbox, score each item.

    A problem with the whole notebook marks every item ungradable; a problem with one item
    affects that item only.
    """
    exercise = bundle.sets[task.set_id]
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
            answers.read_bytes(task.notebook, max_mb), exercise.notebook
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
                results.append(
                    scoring.score_annotations(
                        item, annotations, bundle.texts, task.annotations.name
                    )
                )
            elif item.kind == "code":
                source = answers.function_source(submission, item.function)
                run = None
                if source is not None:
                    limits = Limits(cpu_seconds=item.cpu_seconds, memory_mb=item.memory_mb)
                    run = run_function(
                        source, item.function, [case.args for case in item.cases], limits
                    )
                results.append(scoring.score_code(item, source, run))
            else:
                answer = submission.answers.get(item.variable)
                results.append(scoring.score_answer(item, answer, bundle.texts))
        except Exception as exc:  # a grader bug must not sink the batch: record it and go on
            detail = traceback.format_exception_only(exc)[-1].strip()
            results.append(
                scoring.ungradable(item, f"the grader failed on this item ({detail}); tell staff")
            )
    return results


# --------------------------------------------------------------------------- cache


def cache_path(out: Path, task: Task) -> Path:
    """``out/cache/<student>~<set>.json`` (set ids never hold "~", so names cannot clash)."""
    return Path(out) / CACHE / f"{task.student}~{task.set_id}.json"


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
    key = fingerprint(task, bundle, max_mb)
    cached = read_cached(out, task, key)
    if cached is not None:
        return cached, False
    result = SubmissionResult(task.student, task.set_id, key, grade_task(task, bundle, max_mb))
    atomic_write_text(
        cache_path(out, task), json.dumps(result.to_dict(), ensure_ascii=False), durable=False
    )  # a result lost to a power cut is simply graded again
    return result, True


# --------------------------------------------------------------------------- the class

_WORKER: dict[str, Any] = {}


def _start_worker(bundle: Bundle, out: Path, max_mb: float) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, _exit_on_term)
    _WORKER.update(bundle=bundle, out=out, max_mb=max_mb)


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(1)  # unwinds run_function's cleanup, which kills any child it started


def _work(tasks: list[Task]) -> list[tuple[dict[str, Any], bool]]:
    done = []
    for task in tasks:
        result, fresh = grade_and_store(task, _WORKER["bundle"], _WORKER["out"], _WORKER["max_mb"])
        done.append((result.to_dict(), fresh))
    return done


def _clear_temp_files(out: Path) -> None:
    for temp in (Path(out) / CACHE).glob(".*.tmp"):
        temp.unlink(missing_ok=True)


def _chunks(tasks: list[Task], workers: int) -> list[list[Task]]:
    size = max(1, min(16, len(tasks) // (workers * 8)))
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


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
    ``progress(done, total)`` is called as submissions finish.
    """
    started = time.perf_counter()
    bundle = load_bundle(bundle_path)
    tasks = discover(submissions, bundle, sets)
    out = Path(out)
    (out / CACHE).mkdir(parents=True, exist_ok=True)
    _clear_temp_files(out)
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    by_task: dict[tuple[str, str], SubmissionResult] = {}
    graded = reused = 0
    executor = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(bundle, out, max_mb),
    )
    futures: list = []
    try:
        if progress:
            progress(0, len(tasks))
        futures = [executor.submit(_work, chunk) for chunk in _chunks(tasks, workers)]
        for future in as_completed(futures):
            for data, fresh in future.result():
                result = SubmissionResult.from_dict(data)
                by_task[(result.student, result.set_id)] = result
                graded += fresh
                reused += not fresh
            if progress:
                progress(len(by_task), len(tasks))
    except BaseException:
        for future in futures:
            future.cancel()
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()  # each worker kills its sandbox child on SIGTERM
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    ordered = [by_task[(t.student, t.set_id)] for t in tasks]
    return ClassRun(ordered, graded, reused, time.perf_counter() - started)


def iter_results(run: ClassRun) -> Iterator[tuple[SubmissionResult, scoring.ItemResult]]:
    for submission in run.results:
        for item in submission.items:
            yield submission, item
