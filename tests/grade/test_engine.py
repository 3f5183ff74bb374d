"""Grading a class: one hostile or broken submission touches only its own rows; files untouched;
outputs idempotent; an interrupted run resumes."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from medialit.grade.bundle import load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import write_outputs

PARTIAL = {
    "q1_technique": "Name calling/labeling",
    "q2_claim": "According to Sergey Lavrov, the meeting in Geneva was postponed",
    "q3_sources": ["Lavrov", "Putin"],
    "q4_share": 50,
}
SCORING_FILE = Path(__file__).parents[2] / "medialit" / "grade" / "scoring.py"
LOOP = "def find_direct_quotes(text):\n    while True:\n        pass\n"


def rows_by_student(run) -> dict[str, list[tuple]]:
    table: dict[str, list[tuple]] = {}
    for submission in run.results:
        for item in submission.items:
            table.setdefault(submission.student, []).append(
                (item.item, item.points, item.status, item.feedback)
            )
    return table


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory, kit_module):
    """alice (all right) and dan (partial) and the expected rows from grading them alone."""
    root = tmp_path_factory.mktemp("class")
    kit = kit_module
    from medialit.grade.bundle import bundle_from_dict, write_bundle

    write_bundle(bundle_from_dict(kit.demo_bundle_dict(), "demo"), root / "grader")
    subs = root / "baseline"
    kit.write_submission(
        subs, "alice", kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION), kit.RIGHT_ANNOTATIONS
    )
    kit.write_submission(
        subs,
        "dan",
        kit.notebook(PARTIAL, kit.FIND_QUOTES_SOLUTION.replace("\\u201c", "")),
        kit.RIGHT_ANNOTATIONS[:1],
    )
    run = grade_class(subs, root / "grader", root / "baseline-out", workers=2)
    return root, rows_by_student(run)


@pytest.fixture(scope="module")
def kit_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "grade_kit", Path(__file__).with_name("conftest.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_baseline_is_what_we_expect(class_folder) -> None:
    _, expected = class_folder
    alice = {row[0]: row for row in expected["alice"]}
    assert all(alice[i][2] == "correct" for i in ("q1", "q2", "q3", "q4", "q5", "q6"))
    assert alice["q7"][2] == "pending"
    dan = {row[0]: row[1] for row in expected["dan"]}
    # q7, a reflection left out, waits for a person (pending, with a note), not 0 by machine
    assert dan == {"q1": 1, "q2": 1.79, "q3": 1, "q4": 0, "q5": 2.5, "q6": 2, "q7": None}


def nb(kit, answers=None, code=None, cells=()):
    return kit.notebook(
        kit.RIGHT if answers is None else answers,
        kit.FIND_QUOTES_SOLUTION if code is None else code,
        list(cells),
    )


def hostile_cases(kit, root: Path) -> dict[str, tuple]:
    """name -> (notebook, annotations, {item: status} expected for mallory)."""
    secret = str(root / "grader" / "bundle.json")
    out = str(root / "out")
    everything = dict.fromkeys(("q1", "q2", "q3", "q4", "q5", "q6", "q7"), "ungradable")
    good = {"q1": "correct", "q4": "correct", "q6": "correct"}
    code_zero = {"q1": "correct", "q4": "correct", "q6": "incorrect"}
    return {
        "not-json": (b'{"cells": [', None, everything),
        "format-version-3": (
            {"nbformat": 3, "nbformat_minor": 0, "cells": [], "worksheets": []},
            None,
            everything,
        ),
        "missing-answer": (
            nb(kit, {k: v for k, v in kit.RIGHT.items() if k != "q1_technique"}),
            kit.RIGHT_ANNOTATIONS,
            {"q1": "missing", "q4": "correct"},
        ),
        "wrong-type": (
            nb(kit, {**kit.RIGHT, "q1_technique": ["Doubt"], "q4_share": "53"}),
            kit.RIGHT_ANNOTATIONS,
            {"q1": "incorrect", "q4": "incorrect", "q2": "correct", "q6": "correct"},
        ),
        "code-in-an-answer": (
            nb(kit, cells=[f"q1_technique = open({out + '/x'!r}, 'w')"]),
            kit.RIGHT_ANNOTATIONS,
            {"q1": "incorrect", "q4": "correct"},
        ),
        "infinite-loop": (nb(kit, code=LOOP), kit.RIGHT_ANNOTATIONS, code_zero),
        "memory-bomb": (
            nb(kit, code="def find_direct_quotes(text):\n    x = [0] * 10**10\n"),
            kit.RIGHT_ANNOTATIONS,
            code_zero,
        ),
        "output-flood": (
            nb(
                kit,
                code="def find_direct_quotes(text):\n    while True:\n"
                "        print('spam' * 1000)\n",
            ),
            None,
            code_zero,
        ),
        "child-processes": (
            nb(
                kit,
                code="import os, subprocess\ndef find_direct_quotes(text):\n"
                "    subprocess.Popen(['sleep', '4242.731'], "
                "start_new_session=True)\n    os.fork()\n"
                "    return []\n",
            ),
            None,
            code_zero,
        ),
        "reads-the-keys": (
            nb(
                kit,
                code="import json\ndef find_direct_quotes(text):\n"
                f"    key = json.load(open({secret!r}))\n"
                "    return key\n",
            ),
            None,
            code_zero,
        ),
        "patches-the-grader": (
            nb(
                kit,
                code=(
                    "def find_direct_quotes(text):\n"
                    "    import sys\n"
                    f"    sys.path.insert(0, {str(Path(__file__).parents[2])!r})\n"
                    "    import medialit.grade.scoring as s\n"
                    "    s.result = lambda *a, **k: None\n"
                    f"    open({str(SCORING_FILE)!r}, 'a')"
                    ".write('# pwned')\n"
                    "    return []\n"
                ),
            ),
            None,
            code_zero,
        ),
        "writes-the-gradebook": (
            nb(
                kit,
                code=(
                    "def find_direct_quotes(text):\n"
                    f"    open({out + '/gradebook.csv'!r}, 'w').write('mallory,100')\n"
                    f"    open({out + '/cache/alice~demo.json'!r}, 'w').write('{{}}')\n"
                    "    return []\n"
                ),
            ),
            None,
            code_zero,
        ),
        "fifty-megabytes": (b"{" + b" " * (50 * 1024 * 1024) + b"}", None, everything),
        "missing-notebook": (None, kit.RIGHT_ANNOTATIONS, dict.fromkeys(everything, "missing")),
        "hostile-files-beside-it": (nb(kit), kit.RIGHT_ANNOTATIONS, good),
    }


CASES = [
    "not-json",
    "format-version-3",
    "missing-answer",
    "wrong-type",
    "code-in-an-answer",
    "infinite-loop",
    "memory-bomb",
    "output-flood",
    "child-processes",
    "reads-the-keys",
    "patches-the-grader",
    "writes-the-gradebook",
    "fifty-megabytes",
    "missing-notebook",
    "hostile-files-beside-it",
]


def tree_hashes(root: Path, kit) -> dict[str, str]:
    return kit.tree_hashes(root)


@pytest.mark.parametrize("case", CASES)
def test_one_bad_submission_touches_only_its_own_rows(case, class_folder, kit, tmp_path) -> None:
    root, expected = class_folder
    case_root = tmp_path
    (case_root / "grader").symlink_to(root / "grader")
    subs = case_root / "subs"
    for student in ("alice", "dan"):
        (subs / student).mkdir(parents=True)
        for path in (root / "baseline" / student).iterdir():
            (subs / student / path.name).write_bytes(path.read_bytes())
    notebook, annotations, statuses = hostile_cases(kit, case_root)[case]
    folder = kit.write_submission(subs, "mallory", notebook, annotations)
    marker = tmp_path / "imported"
    if case == "hostile-files-beside-it":
        for name in ("conftest.py", "sitecustomize.py", "demo.py", "medialit.py"):
            (folder / name).write_text(f"open({str(marker)!r}, 'w').write('imported')\n")
    scoring_file = Path(__file__).parents[2] / "medialit" / "grade" / "scoring.py"
    scoring_before = scoring_file.read_bytes()
    before = kit.tree_hashes(subs)

    started = time.monotonic()
    run = grade_class(subs, case_root / "grader", case_root / "out", workers=2)
    write_outputs(run.results, load_bundle(case_root / "grader"), case_root / "out")

    table = rows_by_student(run)
    assert table["alice"] == expected["alice"]
    assert table["dan"] == expected["dan"]
    mallory = {row[0]: row for row in table["mallory"]}
    for item_id, status in statuses.items():
        assert mallory[item_id][2] == status, (item_id, mallory[item_id])
        assert mallory[item_id][3], "every row carries feedback"
    if "ungradable" in statuses.values():
        assert all(row[3].startswith("ungradable: ") for row in mallory.values())
    assert kit.tree_hashes(subs) == before, "submissions must be byte-identical after grading"
    assert scoring_file.read_bytes() == scoring_before
    assert not marker.exists()
    assert not (case_root / "out" / "x").exists()
    with open(case_root / "out" / "gradebook.csv") as handle:
        gradebook = list(csv.DictReader(handle))
    assert {r["student"] for r in gradebook} == {"alice", "dan", "mallory"}
    assert "mallory,100" not in (case_root / "out" / "gradebook.csv").read_text()
    key_text = "the meeting in Geneva was postponed"
    assert key_text not in (case_root / "out" / "feedback" / "mallory.md").read_text()
    # the exact command the planted code starts: a port or path holding "4242" is not a leftover
    assert not [
        p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", "4242.731"]
    ]
    assert time.monotonic() - started < 120  # a hang guard, not a speed target


def test_regrading_is_idempotent_and_reuses_every_result(class_folder, tmp_path) -> None:
    root, _ = class_folder
    bundle = load_bundle(root / "grader")
    first = grade_class(root / "baseline", root / "grader", tmp_path / "out", workers=2)
    write_outputs(first.results, bundle, tmp_path / "out")
    snapshot = {p: p.read_bytes() for p in sorted((tmp_path / "out").rglob("*")) if p.is_file()}
    second = grade_class(root / "baseline", root / "grader", tmp_path / "out", workers=2)
    write_outputs(second.results, bundle, tmp_path / "out")
    assert (second.graded, second.reused) == (0, 2)
    again = {p: p.read_bytes() for p in sorted((tmp_path / "out").rglob("*")) if p.is_file()}
    assert again == snapshot


def test_a_changed_submission_is_regraded(class_folder, kit, tmp_path) -> None:
    root, _ = class_folder
    subs = tmp_path / "subs"
    kit.write_submission(subs, "ann", kit.notebook({"q1_technique": "Doubt"}))
    first = grade_class(subs, root / "grader", tmp_path / "out", workers=1)
    kit.write_submission(subs, "ann", kit.notebook({"q1_technique": "Repetition"}))
    second = grade_class(subs, root / "grader", tmp_path / "out", workers=1)
    assert (second.graded, second.reused) == (1, 0)
    assert first.results[0].items[0].points == 2 and second.results[0].items[0].points == 0


def test_an_interrupted_run_resumes_where_it_stopped(class_folder, kit, tmp_path) -> None:
    root, _ = class_folder
    subs = tmp_path / "subs"
    # Slow enough (5 checks of 0.1 s a submission: about 6 s for the class on 2 workers) that a
    # starved test process on a loaded machine still sees 4 results and interrupts well before
    # the last one: at 0.03 s a check the whole class was sometimes done before the interrupt.
    slow = "import time\ndef find_direct_quotes(text):\n    time.sleep(0.1)\n    return []\n"
    for number in range(24):
        kit.write_submission(subs, f"s{number:02d}", kit.notebook(kit.RIGHT, slow))
    out = tmp_path / "out"
    script = (
        "import sys\nfrom medialit.grade.engine import grade_class\n"
        f"grade_class({str(subs)!r}, {str(root / 'grader')!r}, {str(out)!r}, workers=2)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    deadline = time.monotonic() + 30
    while len(list((out / "cache").glob("*.json"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    assert process.wait(timeout=30) != 0
    done = len(list((out / "cache").glob("*.json")))
    assert 4 <= done < 24
    assert not list((out / "cache").glob(".*.tmp"))
    resumed = grade_class(subs, root / "grader", out, workers=2)
    assert (resumed.graded, resumed.reused) == (24 - done, done)
    fresh = grade_class(subs, root / "grader", tmp_path / "fresh", workers=2)
    assert [r.to_dict() for r in resumed.results] == [r.to_dict() for r in fresh.results]


def test_cache_files_hold_plain_json(class_folder) -> None:
    root, _ = class_folder
    cached = json.loads((root / "baseline-out" / "cache" / "alice~demo.json").read_text())
    assert cached["student"] == "alice" and len(cached["items"]) == 7
