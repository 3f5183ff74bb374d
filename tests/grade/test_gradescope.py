"""The Gradescope autograder, run locally against Gradescope's folder layout in a temp dir."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest

from medialit.assign.build import assign
from medialit.grade.bundle import load_bundle
from medialit.grade.engine import Task, grade_task
from tests.gradescope_layout import gradescope_root

REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("assign")
    done = assign([REPO / "exercises" / "sourcing.md"], out)
    (zip_path,) = done.gradescope
    return zip_path


def run(script: Path, root: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "AUTOGRADER_ROOT": str(root), "LANG": "C.UTF-8"}
    return subprocess.run(
        ["bash", str(script)], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_zip_has_what_gradescope_needs(autograder_zip) -> None:
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "bundle.json", "medialit/grade/engine.py"} <= names
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert not any(name.startswith("medialit/widgets") for name in names)


def test_run_autograder_grades_one_submission(tmp_path, autograder_zip) -> None:
    root = gradescope_root(tmp_path, autograder_zip)
    setup = run(root / "source" / "setup.sh", root)
    assert setup.returncode == 0, setup.stderr
    source = nbformat.writes(jupytext.read(REPO / "exercises" / "sourcing.md"))
    (root / "submission" / "sourcing (2).ipynb").write_text(source, encoding="utf-8")
    done = run(root / "source" / "run_autograder", root)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    bundle = load_bundle(root / "source")
    by_number = {test["number"]: test for test in results["tests"]}
    check = by_number.pop("sourcing.0")  # what was read, shown at once; scores after the due date
    assert check["visibility"] == "visible" and "score" not in check
    assert {test["visibility"] for test in by_number.values()} == {"after_due_date"}
    assert set(by_number) == {f"sourcing.{item.id}" for item in bundle.sets["sourcing"].items}
    # the reference answers score full marks except the annotations, which were not uploaded
    assert by_number["sourcing.q7"]["score"] == 0 and by_number["sourcing.q7"]["status"] == "failed"
    assert results["score"] == bundle.sets["sourcing"].max_points - 3
    expected = grade_task(Task("x", "sourcing", root / "submission", "sourcing (2).ipynb"), bundle)
    assert [test["score"] for test in by_number.values()] == [row.points for row in expected]
    assert all(test["output"] for test in results["tests"])


def test_a_broken_upload_still_gets_results(tmp_path, autograder_zip) -> None:
    root = gradescope_root(tmp_path, autograder_zip)
    upload = b"\x00\x01 not a notebook"
    (root / "submission" / "sourcing.ipynb").write_bytes(upload)
    done = run(root / "source" / "run_autograder", root)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0
    assert results["tests"] == [] and results["output"].startswith("Not graded: sourcing.ipynb")
    assert (root / "submission" / "sourcing.ipynb").read_bytes() == upload


def test_student_code_cannot_see_the_bundle_or_the_autograder(tmp_path, autograder_zip) -> None:
    """The bundle (keys, hidden cases) sits in /autograder/source; the sandbox shows none of it,
    so neither an exception message nor a return value can carry it into the results."""
    root = gradescope_root(tmp_path, autograder_zip)
    bundle_path = root / "source" / "bundle.json"
    bundle_path.chmod(0o644)  # readable by anyone on the machine: only the sandbox stands guard
    key_text = bundle_path.read_text()[:40]
    notebook = jupytext.read(REPO / "exercises" / "sourcing.md")
    for cell in notebook.cells:
        if "def find_direct_quotes" in cell.source:
            cell.source = (
                "import os\n"
                "def find_direct_quotes(text):\n"
                f"    for path in [{str(bundle_path)!r}, {str(root)!r}, '/autograder']:\n"
                "        try:\n"
                "            raise ValueError(open(path).read()[:200])\n"
                "        except IsADirectoryError:\n"
                "            raise ValueError(str(os.listdir(path)))\n"
                "        except FileNotFoundError:\n"
                "            continue\n"
                "    return ['nothing visible']\n"
            )
    (root / "submission" / "sourcing.ipynb").write_text(nbformat.writes(notebook))
    done = run(root / "source" / "run_autograder", root)
    assert done.returncode == 0, done.stdout + done.stderr
    results = (root / "results" / "results.json").read_text()
    assert key_text not in results and "bundle.json" not in results
    assert "0 of 5 checks passed" in results  # it ran, and found nothing to read


DOCKER_CAPS = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FSETID",
    "FOWNER",
    "MKNOD",
    "NET_RAW",
    "SETGID",
    "SETUID",
    "SETFCAP",
    "SETPCAP",
    "NET_BIND_SERVICE",
    "SYS_CHROOT",
    "KILL",
    "AUDIT_WRITE",
]


@pytest.mark.skipif(os.getuid() != 0, reason="emulating Gradescope's root container needs root")
def test_in_a_gradescope_like_container_student_code_still_runs_under_bubblewrap(
    tmp_path, autograder_zip
) -> None:
    """Gradescope runs the autograder as root in a container with Docker's default
    capabilities (no CAP_SYS_ADMIN) and a masked /proc: emulated here with bubblewrap."""
    root = gradescope_root(tmp_path, autograder_zip)
    source = nbformat.writes(jupytext.read(REPO / "exercises" / "sourcing.md"))
    (root / "submission" / "sourcing.ipynb").write_text(source, encoding="utf-8")
    command = ["bwrap", "--bind", "/", "/", "--bind", str(root), "/autograder", "--dev", "/dev"]
    command += ["--proc", "/proc", "--tmpfs", "/tmp", "--unshare-pid", "--unshare-ipc"]
    command += ["--die-with-parent", "--cap-drop", "ALL"]
    for cap in DOCKER_CAPS:
        command += ["--cap-add", f"CAP_{cap}"]
    command += ["--chdir", "/autograder", "env", "-i", "PATH=/usr/bin:/bin", "bash", "-c"]
    command += ["bash source/setup.sh && cp source/run_autograder . && bash ./run_autograder"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "bubblewrap works" in done.stdout
    results = json.loads((root / "results" / "results.json").read_text())
    code = next(test for test in results["tests"] if test["number"] == "sourcing.q6")
    assert code["status"] == "passed", code["output"]
