"""`medialit assign`: write the student notebooks and the grader's bundle from exercises/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.grade.bundle import ASSIGN_OUT


def add_parser(verbs: argparse._SubParsersAction) -> None:
    """Register the ``assign`` sub-command."""
    assign = verbs.add_parser(
        "assign",
        help="instructor exercise sources -> student notebooks + grader bundle",
        description="Read exercises/*.md (solutions marked), write OUT/student/<set>.ipynb "
        "without solutions or keys, and OUT/grader/ (bundle.json, Gradescope autograders).",
    )
    assign.add_argument("sources", nargs="*", help="instructor sources (default: exercises/*.md)")
    assign.add_argument("--out", default=ASSIGN_OUT, help="output folder (%(default)s)")
    assign.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from medialit.assign.build import assign
    from medialit.assign.source import SourceError, exercise_sources

    sources = [Path(s) for s in args.sources] or exercise_sources(Path("exercises"))
    if not sources:
        print(
            "error: no exercise sources: give their paths, or run from the repository root "
            "(exercises/*.md)",
            file=sys.stderr,
        )
        return 2
    try:
        done = assign(sources, Path(args.out))
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in done.release:
        print(f"student  {path}")
    print(f"grader   {done.bundle}  (keys: keep it away from students)")
    if done.late:
        print(f"late     {done.late}  (the late policy; in every zip too)")
    for path in done.gradescope:
        print(f"upload   {path}  (Gradescope autograder)")
    return 0
