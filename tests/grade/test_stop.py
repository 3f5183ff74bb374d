"""The batch always finishes: a watchdog per submission, and SIGINT / SIGTERM stop a run cleanly
(what was graded is written, atomically) for `medialit grade` and the pytest plugin; a re-run
resumes."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medialit.grade import engine
from medialit.grade.bundle import bundle_from_dict, write_bundle

SLOW = "import time\ndef find_direct_quotes(text):\n    time.sleep(0.25)\n    return []\n"


@pytest.fixture
def slow_class(tmp_path: Path, kit) -> tuple[Path, Path]:
    write_bundle(bundle_from_dict(kit.demo_bundle_dict(), "demo"), tmp_path / "grader")
    subs = tmp_path / "subs"
    for number in range(10):
        kit.write_submission(subs, f"s{number:02d}", kit.notebook(kit.RIGHT, SLOW))
    return subs, tmp_path / "grader"


def test_a_submission_that_hangs_the_grader_is_stopped_by_the_watchdog(
    tmp_path: Path, kit, monkeypatch
) -> None:
    write_bundle(bundle_from_dict(kit.demo_bundle_dict(), "demo"), tmp_path / "grader")
    subs = tmp_path / "subs"
    for name in ("a", "stuck", "z"):
        kit.write_submission(subs, name, kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION))
    real = engine.grade_task

    def hangs_for_stuck(task, bundle, max_mb=10.0):
        if task.student == "stuck":
            time.sleep(3600)  # a grader bug or a pathological input: the worker never returns
        return real(task, bundle, max_mb)

    monkeypatch.setattr(engine, "grade_task", hangs_for_stuck)
    monkeypatch.setattr(engine, "deadline_for", lambda task, bundle: 4.0)
    started = time.monotonic()
    run = engine.grade_class(subs, tmp_path / "grader", tmp_path / "out", workers=1)
    assert time.monotonic() - started < 60
    by_student = {r.student: r for r in run.results}
    assert [r.student for r in run.results] == ["a", "stuck", "z"]
    assert all(i.status == "ungradable" for i in by_student["stuck"].items)
    assert "took longer than the grader allows" in by_student["stuck"].items[0].feedback
    assert by_student["z"].items[0].status == "correct"  # a new worker took over
    assert not (tmp_path / "out" / "cache" / "stuck~demo.json").exists()  # retried next run


def _wait_for_cache(out: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(list((out / "cache").glob("*.json"))) < count:
        assert process.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() < deadline, "no results were cached"
        time.sleep(0.05)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_medialit_grade_stops_cleanly_and_resumes(slow_class, tmp_path, signum) -> None:
    subs, grader = slow_class
    out = tmp_path / "out"
    command = [sys.executable, "-m", "medialit", "grade", str(subs), "--bundle", str(grader)]
    command += ["--out", str(out), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_cache(out, 4, process)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "run the same command again" in " ".join(err.split())
    cached = {path.name.split("~")[0] for path in (out / "cache").glob("*.json")}
    written = {row["student"] for row in _rows(out / "gradebook.csv")}
    assert 4 <= len(cached) < 10
    # What the run had received is written; each of the 2 workers may have cached one more
    # result that had not reached the run when it stopped (the re-run reuses it).
    assert written <= cached and len(written) >= len(cached) - 2
    done = len(cached)
    assert not list(out.rglob(".*.tmp"))
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    graded, reused = map(int, re.search(r"graded (\d+), reused (\d+)", again.stderr).groups())
    assert reused >= done and graded + reused == 10
    assert len(_rows(out / "gradebook.csv")) == 10 * 7


def test_the_pytest_plugin_stops_cleanly_on_sigterm_and_resumes(slow_class, tmp_path) -> None:
    subs, grader = slow_class
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0"]
    command += ["--submissions", str(subs), "--bundle", str(grader), "--grade-out", str(out)]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    _wait_for_cache(out, 3, process)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2, output[-2000:]  # pytest's "interrupted"
    assert "stopped:" in output
    written = {row["student"] for row in _rows(out / "gradebook.csv")}
    assert 3 <= len(written) < 10
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1, again.stdout[-2000:]  # reflections pending, q5 missing
    assert len(_rows(out / "gradebook.csv")) == 10 * 7


def test_no_worker_outlives_a_stopped_run(slow_class, tmp_path) -> None:
    subs, grader = slow_class
    out = tmp_path / "out"
    command = [sys.executable, "-m", "medialit", "grade", str(subs), "--bundle", str(grader)]
    command += ["--out", str(out), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_cache(out, 2, process)
    import psutil

    family = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    time.sleep(0.5)
    alive = [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == [], [p.cmdline() for p in alive]
    assert os.path.exists(out / "gradebook.csv")


def test_without_bubblewrap_code_rows_say_why_and_the_rest_is_graded(
    tmp_path: Path, kit, monkeypatch
) -> None:
    from medialit.grade import isolation

    write_bundle(bundle_from_dict(kit.demo_bundle_dict(), "demo"), tmp_path / "grader")
    subs = tmp_path / "subs"
    kit.write_submission(subs, "ann", kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION))
    monkeypatch.setattr(isolation, "bwrap_problem", lambda: "bwrap does not run here. Fix: X")
    monkeypatch.setattr(isolation, "_UNSAFE", [])
    monkeypatch.delenv(isolation.UNSAFE_ENV, raising=False)
    refused = engine.grade_class(subs, tmp_path / "grader", tmp_path / "out", workers=1)
    rows = {item.item: item for item in refused.results[0].items}
    assert (
        rows["q6"].status == "ungradable"
        and "Staff: bwrap does not run here" in rows["q6"].feedback
    )
    assert rows["q1"].status == "correct"
    isolation.allow_unsafe()
    unsafe = engine.grade_class(subs, tmp_path / "grader", tmp_path / "out", workers=1)
    assert unsafe.graded == 1  # the refusal is not reused from the cache
    row = next(item for item in unsafe.results[0].items if item.item == "q6")
    assert row.status == "correct" and "WITHOUT the kernel sandbox" in row.feedback


def test_medialit_grade_refuses_code_without_bubblewrap_and_says_how_to_fix(
    tmp_path: Path, kit
) -> None:
    write_bundle(bundle_from_dict(kit.demo_bundle_dict(), "demo"), tmp_path / "grader")
    subs = tmp_path / "subs"
    kit.write_submission(subs, "ann", kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION))
    (tmp_path / "empty").mkdir()
    env = {**os.environ, "PATH": str(tmp_path / "empty")}  # no bwrap on the PATH
    env.pop("MEDIALIT_UNSAFE_NO_SANDBOX", None)
    command = [sys.executable, "-m", "medialit", "grade", str(subs), "--bundle"]
    command += [str(tmp_path / "grader"), "--out", str(tmp_path / "out")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "apt-get install -y bubblewrap" in message and "--unsafe-no-sandbox" in message
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_a_grader_error_on_one_notebook_becomes_its_rows(tmp_path: Path, kit, monkeypatch) -> None:
    write_bundle(bundle_from_dict(kit.demo_bundle_dict(), "demo"), tmp_path / "grader")
    subs = tmp_path / "subs"
    for name in ("a", "breaks", "z"):
        kit.write_submission(subs, name, kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION))
    real = engine.grade_task

    def fails_for_one(task, bundle, max_mb=10.0):
        if task.student == "breaks":
            raise OSError("a bug the grader did not expect")
        return real(task, bundle, max_mb)

    monkeypatch.setattr(engine, "grade_task", fails_for_one)
    run = engine.grade_class(subs, tmp_path / "grader", tmp_path / "out", workers=1)
    by_student = {r.student: r for r in run.results}
    feedback = by_student["breaks"].items[0].feedback
    assert feedback.startswith("ungradable: the grader failed on this notebook (OSError")
    assert by_student["z"].items[0].status == "correct"
