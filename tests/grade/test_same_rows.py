"""`medialit grade` and the pytest plugin write the same gradebook for the same class, a class
holding every kind of row; a run of the same code gives the same result every time; and a
renamed notebook's feedback says which file was graded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medialit.grade.sandbox import Limits, run_function

CHANCY = "def find_direct_quotes(text):\n    return {chancy}\n"
CHANCES = [
    "['b'] if hash('{salt}') % 2 else ['zz']",  # string hashing: seeded per process
    "sorted(['b'], key=id) if hash(('{salt}', 1)) % 2 else []",
    "list({{'b', 'x y', '{salt}'}})[:1]",  # a set's order
    "['b'] if __import__('random').random() < 0.5 else ['{salt}']",  # the random module
]


def test_the_same_code_gives_the_same_values_in_every_run() -> None:
    source = (
        "import random\n"
        "def f():\n"
        "    return [hash('medialit'), list({'a', 'b', 'c', 'd', 'e', 'f'}), random.random()]\n"
    )
    values = {
        json.dumps(
            run_function(source, "f", [[]], Limits(cpu_seconds=1, wall_seconds=20)).outcomes[0][
                "value"
            ]
        )
        for _ in range(4)
    }
    assert len(values) == 1, values


@pytest.fixture
def every_kind_of_row(tmp_path: Path, demo_bundle: Path, kit):
    subs = tmp_path / "subs"
    right = kit.notebook(kit.RIGHT, kit.FIND_QUOTES_SOLUTION)
    kit.write_submission(subs, "alice", right, kit.RIGHT_ANNOTATIONS)  # correct, pending
    half = {"q1_technique": "Name calling/labeling", "q3_sources": ["Lavrov", "Putin"]}
    kit.write_submission(subs, "bob", kit.notebook(half))  # partial, missing, no code
    kit.write_submission(subs, "carol", b"{not json")  # ungradable notebook
    (subs / "dave").mkdir(parents=True)  # no notebook at all
    loop = "def find_direct_quotes(text):\n    while True:\n        pass\n"
    kit.write_submission(subs, "erin", kit.notebook({"q4_share": 10**400}, loop))
    renamed = {**right, "metadata": {"medialit": {"set": "demo", "title": "Demo"}}}
    (subs / "frank").mkdir()
    (subs / "frank" / "demo (1).ipynb").write_text(json.dumps(renamed), encoding="utf-8")
    (subs / "gina").mkdir()
    for name in ("demo (1).ipynb", "Copy of demo.ipynb"):
        (subs / "gina" / name).write_text(json.dumps(renamed), encoding="utf-8")
    (subs / "hal").mkdir()
    (subs / "hal" / "demo.ipynb").write_text(json.dumps(right), encoding="utf-8")
    (subs / "hal" / "demo.answers.json").write_bytes(b"\xff[[")  # unreadable annotations
    crash = "def find_direct_quotes(text):\n    raise ValueError('\\x1b[31m<b>no</b>')\n"
    kit.write_submission(subs, "ivy", kit.notebook(kit.RIGHT, crash))
    for number in range(8):  # code whose result depends on hashing, set order, random
        chancy = CHANCES[number % len(CHANCES)].format(salt=f"s{number}")
        kit.write_submission(
            subs, f"z{number}", kit.notebook(kit.RIGHT, CHANCY.format(chancy=chancy))
        )
    return subs, demo_bundle, tmp_path


def _grade(route: str, subs: Path, bundle: Path, out: Path, cwd: Path) -> None:
    if route == "command":
        command = [sys.executable, "-m", "medialit", "grade", str(subs), "--bundle", str(bundle)]
        command += ["--out", str(out), "--workers", "2"]
    else:
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2"]
        command += ["--submissions", str(subs), "--bundle", str(bundle), "--grade-out", str(out)]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    assert "INTERNALERROR" not in done.stdout + done.stderr


def test_both_graders_write_the_same_gradebook(every_kind_of_row) -> None:
    subs, bundle, root = every_kind_of_row
    _grade("command", subs, bundle, root / "command-out", root)
    _grade("plugin", subs, bundle, root / "plugin-out", root)
    command = (root / "command-out" / "gradebook.csv").read_text(encoding="utf-8")
    plugin = (root / "plugin-out" / "gradebook.csv").read_text(encoding="utf-8")
    statuses = {line.split(",")[6] for line in command.splitlines()[1:]}
    assert {"correct", "partial", "incorrect", "missing", "ungradable", "pending"} <= statuses
    assert "demo (1).ipynb" in command
    assert command.splitlines() == plugin.splitlines()
    assert command == plugin
    for name in ("feedback/frank.md", "gradescope/frank/results.json"):
        assert (root / "command-out" / name).read_bytes() == (
            root / "plugin-out" / name
        ).read_bytes()


def test_a_renamed_notebooks_feedback_says_which_file_was_graded(every_kind_of_row) -> None:
    subs, bundle, root = every_kind_of_row
    _grade("command", subs, bundle, root / "out", root)
    feedback = (root / "out" / "feedback" / "frank.md").read_text(encoding="utf-8")
    assert "Graded from your file demo (1).ipynb" in feedback
    assert "not named demo.ipynb" in feedback
    results = json.loads((root / "out" / "gradescope" / "frank" / "results.json").read_text())
    assert "demo (1).ipynb" in results["output"]
    alice = (root / "out" / "feedback" / "alice.md").read_text(encoding="utf-8")
    assert "Graded from" not in alice
