"""Benchmark: grade a synthetic class and print submissions per second, total time, peak memory.

Generates N synthetic submissions from the real exercises (right, partial, wrong and
malformed answers), grades them with the engine `medialit grade` uses, writes the exports,
and reports. Targets on a 2-core machine: 1,000 submissions of the literal-answer sets in
under 10 s; a class of 200 students with the code exercises in under 60 s.

    python benchmarks/grade_class.py --literal 1000
    python benchmarks/grade_class.py --code-students 200
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import jupytext
import nbformat
import psutil

from medialit.assign.build import assign
from medialit.assign.source import read_source
from medialit.grade.answers import function_source, read_submission
from medialit.grade.bundle import load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import write_outputs

REPO = Path(__file__).resolve().parents[1]
LOOP = "def {name}(*args):\n    while True:\n        pass\n"
WRONG_CODE = "def {name}(*args):\n    return None\n"


class PeakMemory:
    """Samples the resident memory of this process and all its descendants."""

    def __init__(self, every: float = 0.05) -> None:
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def reference_answers(path: Path) -> tuple[str, dict[str, object], dict[str, str]]:
    """Set id, the solution values of the answer variables, and the solution functions."""
    source = read_source(path)
    submission = read_submission(nbformat.from_dict(jupytext.read(path)))
    values = {
        name: answer.value for name, answer in submission.answers.items() if answer.error is None
    }
    functions = {name: function_source(submission, name) for name in submission.definitions}
    return source.set_id, values, functions


def wrong_value(value: object, rng: random.Random) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + rng.choice([1, 2, 5])
    if isinstance(value, list):
        return [*value[: len(value) // 2], "Someone else"]
    if isinstance(value, str):
        return value[: max(1, len(value) // 2)] if len(value) > 30 else "opinion"
    return None


def make_notebook(release: str, answers: dict[str, object], code: str) -> str:
    notebook = nbformat.reads(release, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for name, value in answers.items():
                cell.source = re.sub(
                    rf"^{name} = None.*$", f"{name} = {value!r}", cell.source, flags=re.M
                )
    if code:
        notebook.cells.append(nbformat.v4.new_code_cell(code))
    return nbformat.writes(notebook)


def synthesize(
    out: Path,
    sets: list[str],
    students: int,
    release_dir: Path,
    references: dict,
    bundle,
    rng: random.Random,
    loops: float,
) -> Counter:
    """Write DIR/<student>/<set>.ipynb (+ annotations) for a mix of answer qualities."""
    kinds: Counter = Counter()
    releases = {s: (release_dir / f"{s}.ipynb").read_text(encoding="utf-8") for s in sets}
    for number in range(students):
        student = out / f"student{number:04d}"
        student.mkdir(parents=True)
        for set_id in sets:
            values, functions = references[set_id]
            items = bundle.sets[set_id].items
            kind = rng.choices(["right", "partial", "wrong", "malformed"], [4, 3, 2, 1])[0]
            kinds[kind] += 1
            path = student / f"{set_id}.ipynb"
            if kind == "malformed":
                broken = rng.choice(["json", "version", "types"])
                if broken == "json":
                    path.write_text(releases[set_id][: len(releases[set_id]) // 2])
                    continue
                if broken == "version":
                    path.write_text(json.dumps({"nbformat": 3, "worksheets": [], "cells": []}))
                    continue
                answers = {name: [value] for name, value in values.items()}
            elif kind == "right":
                answers = dict(values)
            elif kind == "partial":
                answers = {
                    name: (value if rng.random() < 0.5 else wrong_value(value, rng))
                    for name, value in values.items()
                }
            else:
                answers = {name: wrong_value(value, rng) for name, value in values.items()}
            code = ""
            for item in items:
                if item.kind != "code":
                    continue
                if kind in ("right", "partial") and rng.random() < 0.8:
                    code += functions[item.function] + "\n"
                elif rng.random() < loops:
                    code += LOOP.format(name=item.function)
                else:
                    code += WRONG_CODE.format(name=item.function)
            path.write_text(make_notebook(releases[set_id], answers, code), encoding="utf-8")
            annotation_items = [item for item in items if item.kind == "annotation"]
            if annotation_items and kind != "malformed":
                entries = []
                for item in annotation_items:
                    for span in item.key:
                        if kind == "right" or rng.random() < 0.5:
                            entries.append(
                                {
                                    "paragraph_id": f"{item.article_id}:p01",
                                    "start": span["start"],
                                    "end": span["end"],
                                    "text": span["text"],
                                    "layer": item.layer,
                                    "label": span.get("label"),
                                }
                            )
                (student / f"{set_id}.answers.json").write_text(
                    json.dumps({"schema": 1, "annotations": entries})
                )
    return kinds


def _cpu_seconds() -> float:
    """User + system time of this process and its finished children (workers, sandboxes)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(
    label: str,
    sets: list[str],
    students: int,
    work: Path,
    assigned: Path,
    references: dict,
    workers: int | None,
    loops: float,
    seed: int,
) -> None:
    bundle = load_bundle(assigned / "grader")
    submissions = work / f"{label}-class"
    kinds = synthesize(
        submissions,
        sets,
        students,
        assigned / "student",
        references,
        bundle,
        random.Random(seed),
        loops,
    )
    count = sum(kinds.values())
    out = work / f"{label}-graded"
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with PeakMemory() as memory:
        graded = grade_class(submissions, assigned / "grader", out, workers=workers, sets=sets)
        graded_at = time.perf_counter()
        write_outputs(graded.results, bundle, out)
    total = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    again_started = time.perf_counter()
    again = grade_class(submissions, assigned / "grader", out, workers=workers, sets=sets)
    write_outputs(again.results, bundle, out)
    again_total = time.perf_counter() - again_started
    statuses = Counter(item.status for result in graded.results for item in result.items)
    print(f"\n== {label}: {students} students x {len(sets)} sets ({', '.join(sets)})")
    print(
        f"submissions        {count}  ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})"
    )
    print(f"workers            {workers or os.cpu_count()}")
    print(f"grading            {graded_at - started:.2f} s")
    print(f"exports            {total - (graded_at - started):.2f} s")
    print(f"total              {total:.2f} s")
    print(f"submissions/s      {count / total:.1f}")
    load = os.getloadavg()[0]
    load = os.getloadavg()[0]
    print(f"CPU time           {cpu:.2f} s (grader, workers, sandboxes; load average {load:.1f})")
    print(f"peak memory        {memory.peak / 2**20:.0f} MiB (grader and all its processes)")
    print(f"item statuses      {dict(sorted(statuses.items()))}")
    print(f"re-run (cached)    {again_total:.2f} s, reused {again.reused} of {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--literal",
        type=int,
        default=1000,
        help="submissions of the literal-answer sets (0 to skip)",
    )
    parser.add_argument(
        "--code-students",
        type=int,
        default=200,
        help="students in the class with code exercises (0 to skip)",
    )
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--loops",
        type=float,
        default=0.01,
        help="share of wrong code submissions that loop forever",
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="medialit-bench-"))
    try:
        os.chdir(REPO)
        sources = sorted((REPO / "exercises").glob("*.md"))
        assign(sources, work / "assign")
        bundle = load_bundle(work / "assign" / "grader")
        references = {}
        for path in sources:
            set_id, values, functions = reference_answers(path)
            references[set_id] = (values, functions)
        literal = [s for s, e in bundle.sets.items() if all(i.kind != "code" for i in e.items)]
        code = [s for s, e in bundle.sets.items() if any(i.kind == "code" for i in e.items)]
        if args.literal:
            students = -(-args.literal // len(literal))
            run(
                "literal",
                literal,
                students,
                work,
                work / "assign",
                references,
                args.workers,
                args.loops,
                args.seed,
            )
        if args.code_students:
            run(
                "code",
                code,
                args.code_students,
                work,
                work / "assign",
                references,
                args.workers,
                args.loops,
                args.seed,
            )
    finally:
        if args.keep:
            print(f"\nfiles kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
