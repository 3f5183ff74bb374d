"""Gradescope's side: grade the one submission in ROOT/submission into ROOT/results/results.json.

Runs inside the autograder image as ``python3 -m medialit.grade.autograder --root /autograder``
with only the standard library and the grading modules that `medialit assign` packed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from medialit.fileio import atomic_write_text
from medialit.grade import exports
from medialit.grade.bundle import BUNDLE_FILE, load_bundle
from medialit.grade.collect import Task, locate
from medialit.grade.engine import SubmissionResult, fingerprint, grade_task
from medialit.grade.textsafe import printable


def _pick(folder: Path, wanted: str, suffix: str) -> str | None:
    """``wanted`` if present; otherwise the only file ending in ``suffix`` (Gradescope keeps
    whatever name the student uploaded, e.g. "sourcing (2).ipynb")."""
    if (folder / wanted).exists():
        return wanted
    found = sorted(p.name for p in folder.glob(f"*{suffix}") if not p.name.startswith("."))
    return found[0] if len(found) == 1 else None


def grade_submission(root: Path) -> dict:
    """Grade ROOT/submission with the bundle in ROOT/source and write ROOT/results/results.json."""
    started = time.perf_counter()
    bundle = load_bundle(root / "source" / BUNDLE_FILE)
    (set_id,) = bundle.sets  # one autograder per exercise set
    folder = root / "submission"
    found = locate(folder, set_id, set())
    notebook = found.notebook or _pick(folder, f"{set_id}.ipynb", ".ipynb") or f"{set_id}.ipynb"
    annotations = _pick(folder, f"{set_id}.answers.json", ".answers.json")
    task = Task("submission", set_id, folder, notebook, annotations, found.problem)
    result = SubmissionResult(
        task.student, set_id, fingerprint(task, bundle, 10.0), grade_task(task, bundle)
    )
    payload = exports.gradescope_results([result], bundle)
    payload["execution_time"] = round(time.perf_counter() - started, 2)
    payload["output"] = f"Graded {printable(notebook, keep='')}. " + payload["output"]
    atomic_write_text(root / "results" / "results.json", json.dumps(payload, indent=1))
    return payload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="medialit.grade.autograder", description=__doc__)
    parser.add_argument("--root", default="/autograder", help="the autograder folder")
    args = parser.parse_args(argv)
    payload = grade_submission(Path(args.root))
    print(f"score {payload['score']} from {len(payload['tests'])} items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
