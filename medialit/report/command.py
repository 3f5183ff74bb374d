"""The ``medialit report GRADEBOOK`` sub-command: check the gradebook, write the HTML report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.grade.bundle import DEFAULT_BUNDLE


def add_parser(verbs: argparse._SubParsersAction) -> None:
    """Register the ``report`` sub-command."""
    report = verbs.add_parser(
        "report",
        help="class insights from a gradebook: scores, missed items, agreement, summaries",
        description="Write an HTML report of a class from the gradebook `medialit grade` wrote.",
    )
    report.add_argument("gradebook", help="the gradebook.csv written by `medialit grade`")
    report.add_argument(
        "--bundle",
        default=DEFAULT_BUNDLE,
        help="the grader folder written by `medialit assign` (%(default)s)",
    )
    report.add_argument(
        "--out", default=None, help="the HTML file to write (default: report.html beside it)"
    )
    report.add_argument("--title", default="Class report", help="the report's title")
    report.add_argument(
        "--release",
        default=None,
        help="the student release notebooks, whose prompts and starter text the similarity "
        "section leaves out (default: the student folder beside the bundle's grader folder)",
    )
    report.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the report; a bad gradebook or bundle is explained and nothing is written."""
    from medialit.grade.bundle import BundleError, load_bundle
    from medialit.report import ReportError, write_report

    gradebook = Path(args.gradebook)
    out = Path(args.out) if args.out else gradebook.with_name("report.html")
    try:
        bundle = load_bundle(Path(args.bundle))
        release = Path(args.release) if args.release else Path(args.bundle).parent / "student"
        path = write_report(gradebook, out, bundle, args.title, release)
    except (BundleError, ReportError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"The report is written: {path.resolve()}")
    return 0
