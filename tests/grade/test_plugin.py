"""`pytest --submissions DIR` (the plugin registered by entry point), alone and with xdist."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from medialit.grade.bundle import load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import gradebook_csv


@pytest.fixture
def graded_class(tmp_path: Path, demo_bundle: Path, kit):
    subs = tmp_path / "subs"
    kit.write_submission(
        subs, "alice", kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION), kit.RIGHT_ANNOTATIONS
    )
    kit.write_submission(subs, "bob", kit.notebook({"q1_technique": "Doubt"}))
    folder = kit.write_submission(subs, "carol", b"not a notebook")
    marker = tmp_path / "imported"
    (folder / "conftest.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    return subs, demo_bundle, marker


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfs", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_pytest_grades_the_class(graded_class, tmp_path: Path, workers) -> None:
    subs, bundle, marker = graded_class
    out = tmp_path / "out"
    done = run_pytest(
        tmp_path,
        "--submissions",
        str(subs),
        "--bundle",
        str(bundle),
        "--grade-out",
        str(out),
        *workers,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 1, report  # some answers are not right: those tests fail
    assert "alice/demo.ipynb::q1" not in [
        line for line in report.splitlines() if line.startswith("FAILED")
    ]
    failed = [line for line in report.splitlines() if line.startswith("FAILED")]
    assert any("bob/demo.ipynb::q2" in line and "missing" in line for line in failed), report
    assert any("carol/demo.ipynb::q1" in line and "ungradable" in line for line in failed)
    assert "pending manual grading" in report
    assert not marker.exists(), "a conftest.py among the submissions must never be imported"
    engine = grade_class(subs, bundle, tmp_path / "engine-out", workers=1)
    assert (out / "gradebook.csv").read_text() == gradebook_csv(engine.results)
    assert (out / "canvas.csv").exists() and (out / "feedback" / "bob.md").exists()
    assert (out / "gradescope" / "alice" / "results.json").exists()
    assert f"gradebook: {out / 'gradebook.csv'}" in report


def test_counts_match_the_gradebook(graded_class, tmp_path: Path) -> None:
    subs, bundle, _ = graded_class
    done = run_pytest(
        tmp_path,
        "--submissions",
        str(subs),
        "--bundle",
        str(bundle),
        "--grade-out",
        str(tmp_path / "out"),
    )
    summary = done.stdout.strip().splitlines()[-1]
    # alice: 6 right + 1 pending; bob: 1 right, 5 not, his unwritten reflection pending; carol: 7
    # ungradable
    assert "12 failed" in summary and "7 passed" in summary and "2 skipped" in summary, summary
    books = load_bundle(bundle)
    assert books.sets["demo"].max_points == 15


def test_without_submissions_the_plugin_stays_out_of_the_way(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x():\n    assert True\n")
    done = run_pytest(tmp_path)
    assert done.returncode == 0 and "1 passed" in done.stdout


def test_a_missing_bundle_is_a_clear_error(tmp_path: Path, graded_class) -> None:
    subs, _, _ = graded_class
    done = run_pytest(tmp_path, "--submissions", str(subs), "--bundle", str(tmp_path / "nope"))
    assert done.returncode != 0
    assert "No grader bundle at" in done.stdout + done.stderr
