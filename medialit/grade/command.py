"""`medialit grade DIR`: the engine with a progress bar, the exports and a summary table."""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from medialit.grade.answers import DEFAULT_MAX_MB
from medialit.grade.bundle import DEFAULT_BUNDLE


def add_parser(verbs: argparse._SubParsersAction) -> None:
    """Register the ``grade`` sub-command."""
    grade = verbs.add_parser(
        "grade",
        help="grade a folder of submissions: gradebook, feedback, Gradescope and Canvas files",
        description="Grade DIR/<student>/<set>.ipynb (and <set>.answers.json) for every student.",
    )
    grade.add_argument("submissions", help="folder with one sub-folder per student")
    grade.add_argument(
        "--bundle",
        default=DEFAULT_BUNDLE,
        help="the grader folder written by `medialit assign` (%(default)s)",
    )
    grade.add_argument("--out", default=None, help="output folder (default: DIR-graded)")
    grade.add_argument(
        "--workers", type=int, default=None, help="processes to use (default: every core)"
    )
    grade.add_argument("--sets", default=None, help="comma-separated sets to grade (default: all)")
    grade.add_argument(
        "--roster",
        default=None,
        help="a Canvas gradebook export, to fill the Canvas identity columns",
    )
    grade.add_argument(
        "--submitted-at",
        default=None,
        help="CSV with the columns student,set,submitted_at (from the LMS) for the late policy; "
        "without it, each student's timestamp.txt (nbgrader's) is read",
    )
    grade.add_argument(
        "--max-notebook-mb",
        type=float,
        default=DEFAULT_MAX_MB,
        help="refuse notebooks larger than this (%(default)s)",
    )
    grade.add_argument(
        "--manual",
        nargs="+",
        action="extend",
        default=[],
        metavar="SCORES.CSV",
        help="hand scores to merge (student,set,item,points,comment[,digest]), as the marking "
        "page hand-grading.html saves them; several files allowed",
    )
    grade.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="where bubblewrap cannot run, run student code WITHOUT the kernel sandbox "
        "(rlimits and an audit hook only: code can read whatever this user can); every code "
        "row says so",
    )
    grade.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from medialit.grade import exports, isolation, late_class, regrade
    from medialit.grade.bundle import BundleError, load_bundle
    from medialit.grade.engine import Interrupted, grade_class
    from medialit.grade.manual import ManualError, read_scores
    from medialit.grade.marking import apply_hand_grading
    from medialit.grade.plugin import default_out

    console = Console(stderr=True, soft_wrap=True)  # long paths stay whole
    submissions = Path(args.submissions)
    out = Path(args.out) if args.out else default_out(submissions)
    try:
        bundle = load_bundle(Path(args.bundle))
        roster = exports.read_roster(Path(args.roster)) if args.roster else None
        submitted_at = Path(args.submitted_at) if args.submitted_at else None
        late_rule, times = late_class.load_inputs(Path(args.bundle), submitted_at)
        scores = read_scores(map(Path, args.manual), bundle)  # all checked before any grading
    except (BundleError, ManualError, OSError, ValueError) as error:
        console.print(f"error: {error}", style="bold red", markup=False)
        return 2
    if args.unsafe_no_sandbox:
        isolation.allow_unsafe()
    chosen = args.sets.split(",") if args.sets else list(bundle.sets)
    has_code = any(
        item.kind == "code" for s in chosen if s in bundle.sets for item in bundle.sets[s].items
    )
    if has_code and isolation.mode() != "bwrap":
        if isolation.mode() == "unavailable":
            console.print(
                "error: student code would run without isolation, so it is not run. "
                f"{isolation.bwrap_problem()} Or grade only the sets without code (--sets).",
                style="bold red",
                markup=False,
            )
            return 2
        console.print(
            "WARNING: grading WITHOUT the kernel sandbox (--unsafe-no-sandbox): student code can "
            "read and send anything this user can read. Every code row records this.",
            style="bold red",
            markup=False,
        )

    def finish(results: list, complete: bool) -> tuple:
        """Hand scores merged, then the late rule (hand scores counted), then every output
        written with the previous gradebook kept: the same steps for a whole or a stopped run."""
        results, merged, page = apply_hand_grading(
            submissions, bundle, out, results, scores, args.max_notebook_mb
        )
        lateness = _lateness(late_rule, results, submissions, times, console)
        written, regraded = regrade.write_with_history(
            results, bundle, out, roster, complete=complete, late=lateness
        )
        return results, written, regraded, merged, page

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("grading", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            run_ = grade_class(
                submissions,
                Path(args.bundle),
                out,
                workers=args.workers,
                sets=args.sets.split(",") if args.sets else None,
                max_mb=args.max_notebook_mb,
                progress=advance,
            )
        except (FileNotFoundError, KeyError) as error:
            console.print(f"error: {error}", style="bold red", markup=False)
            return 2
        except Interrupted as stop:
            _, written, _, _, _ = finish(stop.run.results, complete=False)
            console.print(
                f"stopped: {len(stop.run.results)} of {stop.total} submissions graded and "
                f"written to {written['gradebook']} (partial); run the same command again to "
                "grade the rest (finished ones are reused)",
                markup=False,
                soft_wrap=True,
            )
            return 130
    run_.results, written, regraded, merged, page = finish(run_.results, complete=True)
    print_summary(console, run_, bundle)
    console.print(f"graded {run_.graded}, reused {run_.reused} unchanged, in {run_.seconds:.1f} s")
    for line in merged.lines() if merged else []:
        console.print(line, markup=False, soft_wrap=True)
    if page:
        written["hand grading"] = page
    for name, path in written.items():
        console.print(f"{name}: {path}")
    console.print(regraded, markup=False, soft_wrap=True)
    return 0


def _lateness(rule: Any, results: list, submissions: Path, times: Any, console: Any) -> Any:
    """The late policy applied to each graded submission (None without a policy)."""
    from medialit.grade.late_class import for_results, summary, without_time

    assessed = for_results(rule, results, submissions, times)
    if warning := without_time(assessed):
        console.print(f"WARNING: {warning}", style="bold yellow", markup=False)
    if said := summary(assessed):
        console.print(said, markup=False)
    return assessed


def print_summary(console: Any, run_: Any, bundle: Any) -> None:
    """One row per set: submissions, mean, median, range, and rows needing attention."""
    from rich.table import Table

    from medialit.grade.exports import totals

    table = Table(title="Summary")
    for column in (
        "set",
        "students",
        "mean",
        "median",
        "min",
        "max",
        "of",
        "ungradable",
        "missing",
        "pending",
    ):
        table.add_column(column, justify="left" if column == "set" else "right")
    for set_id, exercise in bundle.sets.items():
        mine = [r for r in run_.results if r.set_id == set_id]
        if not mine:
            continue
        earned = [totals(r)[0] for r in mine]
        statuses = [item.status for r in mine for item in r.items]
        table.add_row(
            set_id,
            str(len(mine)),
            f"{statistics.mean(earned):.2f}",
            f"{statistics.median(earned):g}",
            f"{min(earned):g}",
            f"{max(earned):g}",
            f"{exercise.max_points:g}",
            str(statuses.count("ungradable")),
            str(statuses.count("missing")),
            str(statuses.count("pending")),
        )
    console.print(table)
