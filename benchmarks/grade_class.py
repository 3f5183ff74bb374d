"""Benchmark: grade a synthetic class and print submissions per second, total time, peak memory.

Generates N synthetic submissions from the real exercises (right, partial, wrong and
malformed answers; medialit.grade.synthetic, the generator whose class the instructor edition
reports on), grades them with the engine `medialit grade` uses, writes the exports,
and reports. Targets on a 2-core machine: 1,000 submissions of the literal-answer sets in
under 10 s; a class of 200 students with the code exercises in under 60 s.

    python benchmarks/grade_class.py --literal 1000
    python benchmarks/grade_class.py --code-students 200
    python benchmarks/grade_class.py --literal 0 --code-students 100 --sandbox both

``--sandbox both`` grades the code class twice, under bubblewrap and with rlimits and the
audit hook only (the layer without the kernel sandbox), and prints the cost per code item.

``--plugin N`` grades a class of N students doing every set (code sets included) twice, with
``medialit grade`` and with the pytest plugin (``pytest --submissions ... -n WORKERS``), prints
the time and cost per gradebook row of each, and checks that both wrote the same gradebook.

    python benchmarks/grade_class.py --literal 0 --code-students 0 --plugin 60 --workers 2
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

from medialit.assign.build import assign
from medialit.assign.source import exercise_sources
from medialit.grade import isolation
from medialit.grade.bundle import load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import write_outputs
from medialit.grade.synthetic import reference_table, synthesize

REPO = Path(__file__).resolve().parents[1]


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
    code_runs = sum(
        1
        for result in graded.results
        for item in result.items
        if item.kind == "code" and item.status != "missing"
    )
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
    print(f"isolation          {isolation.mode()}")
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
    if code_runs:
        per_item = (graded_at - started) * (workers or os.cpu_count() or 1) / code_runs
        print(f"code items run     {code_runs} ({per_item * 1000:.0f} ms of worker time each)")
        print(f"CPU per code item  {cpu / code_runs * 1000:.0f} ms (all processes)")


def run_both_routes(
    students: int, work: Path, assigned: Path, references: dict, workers: int | None, seed: int
) -> None:
    """One class through `medialit grade` and through the pytest plugin: time, rows, equality."""
    bundle = load_bundle(assigned / "grader")
    sets = list(bundle.sets)
    submissions = work / "both-class"
    synthesize(
        submissions,
        sets,
        students,
        assigned / "student",
        references,
        bundle,
        random.Random(seed),
        0.0,
    )
    workers = workers or os.cpu_count() or 1
    figures = {}
    for route in ("command", "plugin"):
        out = work / f"both-{route}"
        if route == "command":
            command = [sys.executable, "-m", "medialit", "grade", str(submissions)]
            command += ["--bundle", str(assigned / "grader"), "--out", str(out)]
            command += ["--workers", str(workers)]
        else:
            command = [sys.executable, "-m", "pytest", "--submissions", str(submissions)]
            command += ["--bundle", str(assigned / "grader"), "--grade-out", str(out)]
            command += ["-n", str(workers), "-q", "-p", "no:cacheprovider", "--no-header"]
        started = time.perf_counter()
        subprocess.run(command, cwd=work, capture_output=True, check=False)
        figures[route] = (time.perf_counter() - started, out / "gradebook.csv")
    command_rows = figures["command"][1].read_text(encoding="utf-8").splitlines()
    plugin_rows = figures["plugin"][1].read_text(encoding="utf-8").splitlines()
    rows = len(command_rows) - 1
    print(f"\n== both routes: {students} students x {len(sets)} sets, {rows} gradebook rows")
    print(f"workers            {workers} (load average {os.getloadavg()[0]:.1f})")
    for route, (seconds, _path) in figures.items():
        print(f"{route:<18} {seconds:.2f} s  ({seconds / max(rows, 1) * 1000:.2f} ms per row)")
    differ = len(set(command_rows) ^ set(plugin_rows))
    same = "identical" if command_rows == plugin_rows else f"{differ} rows differ"
    print(f"gradebooks         {same}")


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
    parser.add_argument(
        "--sandbox",
        choices=("bwrap", "unsafe", "both"),
        default="bwrap",
        help="run code under bubblewrap, without it (rlimits + audit hook), or both",
    )
    parser.add_argument(
        "--plugin",
        type=int,
        default=0,
        help="students in a class graded by both `medialit grade` and the pytest plugin",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="medialit-bench-"))
    try:
        os.chdir(REPO)
        sources = exercise_sources(REPO / "exercises")
        assign(sources, work / "assign")
        bundle = load_bundle(work / "assign" / "grader")
        references = reference_table(sources)
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
        modes = ("bwrap", "unsafe") if args.sandbox == "both" else (args.sandbox,)
        for mode in modes if args.code_students else ():
            isolation.force_mode(mode)
            run(
                f"code-{mode}",
                code,
                args.code_students,
                work,
                work / "assign",
                references,
                args.workers,
                args.loops,
                args.seed,
            )
        isolation.force_mode(None)
        if args.plugin:
            run_both_routes(args.plugin, work, work / "assign", references, args.workers, args.seed)
    finally:
        if args.keep:
            print(f"\nfiles kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
