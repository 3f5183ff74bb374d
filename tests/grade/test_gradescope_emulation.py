"""Gradescope, emulated the way it runs the autograder, and every results.json checked.

As root, bubblewrap gives a container like Gradescope's: the machine's own root read-only, a
scratch folder at /autograder, a private /tmp, Docker's default capabilities only. The zip is
unpacked with ``unzip`` into /autograder/source, ``setup.sh`` runs once, then per submission
``run_autograder`` runs with a fresh submission/, results/ and submission_metadata.json.
Each results.json is checked against Gradescope's specification (SPEC below).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import jupytext
import nbformat
import pytest

from medialit.assign import gradescope
from medialit.assign.build import assign
from medialit.grade import autograder, isolation
from tests.gradescope_layout import gradescope_root

REPO = Path(__file__).parents[2]
DOCKER_CAPS = (  # Docker's default capabilities
    *("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID"),
    *("SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"),
)
# Gradescope's autograder specification (results.json), as the checks below read it.
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
OUTPUT_FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP_FIELDS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
TEST_FIELDS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
TIMES: dict[str, float] = {}

# Gradescope's container runs as root, so its emulation does too (CI runs as root). A missing
# bubblewrap is not a reason to skip: the tests then fail, as the sandbox's own tests do
# (`make bwrap` installs it).
needs_root = pytest.mark.skipif(
    os.getuid() != 0, reason="emulating Gradescope's root container needs root"
)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_results(text: str) -> dict:
    """results.json as Gradescope reads it; every departure from the specification fails."""

    def no_constants(name: str) -> None:
        raise AssertionError(f"{name} is not JSON Gradescope accepts")

    payload = json.loads(text, parse_constant=no_constants)
    assert isinstance(payload, dict) and set(payload) <= TOP_FIELDS, set(payload) - TOP_FIELDS
    tests = payload.get("tests", [])
    assert isinstance(tests, list)
    assert _number(payload.get("score")) or all(_number(t.get("score")) for t in tests)
    assert isinstance(payload.get("output", ""), str) and payload.get("output")
    assert payload.get("output_format", "text") in OUTPUT_FORMATS
    assert payload.get("visibility", "visible") in VISIBILITY
    assert payload.get("stdout_visibility", "visible") in VISIBILITY
    assert _number(payload.get("execution_time", 0))
    for test in tests:
        assert isinstance(test, dict) and set(test) <= TEST_FIELDS, set(test) - TEST_FIELDS
        for field in ("name", "number", "output"):
            assert isinstance(test.get(field, ""), str)
        assert test.get("visibility", "visible") in VISIBILITY
        assert test.get("status", "passed") in ("passed", "failed")
        if "score" in test:
            assert _number(test["score"]) and _number(test["max_score"])
            assert 0 <= test["score"] <= test["max_score"]
            if test.get("status") == "passed":  # optional; when given, it agrees with the points
                assert test["score"] == test["max_score"]
        else:  # a row with no points: a pending item or a note, neither passed nor failed
            assert "status" not in test and "max_score" not in test
    if _number(payload.get("score")) and any("score" in t for t in tests):
        # the score overrides the tests' sum only by a late penalty, which extra_data records
        late = (payload.get("extra_data") or {}).get("late") or {}
        off = sum(set_["points"] - set_["adjusted_points"] for set_ in late.values())
        assert payload["score"] == round(sum(t.get("score", 0) for t in tests) - off, 2)
        assert 0 <= payload["score"] <= sum(t.get("max_score", 0) for t in tests)
    return payload


def unzip_like_gradescope(zip_path: Path, target: Path) -> None:
    """``unzip`` when installed; otherwise the same by hand: files with their stored modes."""
    if shutil.which("unzip"):
        subprocess.run(["unzip", "-q", str(zip_path), "-d", str(target)], check=True)
        return
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            archive.extract(info, target)
            (target / info.filename).chmod((info.external_attr >> 16) & 0o777)


class Emulator:
    """One autograder image: /autograder in a scratch folder, setup.sh run once."""

    def __init__(self, scratch: Path, zip_path: Path) -> None:
        self.scratch = scratch
        scratch.mkdir(mode=0o755)
        unzip_like_gradescope(zip_path, scratch / "source")
        self.setup = self.run("bash source/setup.sh")

    def run(self, script: str) -> subprocess.CompletedProcess:
        command = ["bwrap", "--ro-bind", "/", "/", "--bind", str(self.scratch), "/autograder"]
        command += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--unshare-pid"]
        command += ["--unshare-ipc", "--die-with-parent", "--cap-drop", "ALL"]
        for cap in DOCKER_CAPS:
            command += ["--cap-add", f"CAP_{cap}"]
        command += ["--chdir", "/autograder", "env", "-i", "PATH=/usr/bin:/bin", "HOME=/root"]
        command += ["LANG=C.UTF-8", "bash", "-c", script]
        return subprocess.run(command, capture_output=True, text=True, timeout=300)

    def grade(self, files: dict[str, bytes], metadata: dict | None = None) -> tuple[dict, str]:
        for name in ("submission", "results"):
            shutil.rmtree(self.scratch / name, ignore_errors=True)
            (self.scratch / name).mkdir()
        for name, data in files.items():
            (self.scratch / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
            (self.scratch / "submission" / name).write_bytes(data)
        (self.scratch / "submission_metadata.json").write_text(json.dumps(metadata or META))
        started = time.perf_counter()
        done = self.run("cp source/run_autograder . && bash ./run_autograder")
        seconds = time.perf_counter() - started
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        text = (self.scratch / "results" / "results.json").read_text()
        return check_results(text), f"{seconds:.2f}"


META = {
    "id": 123456,
    "created_at": "2026-12-01T10:00:00.000000+00:00",
    "assignment": {
        "id": 42,
        "title": "Sourcing",
        "due_date": "2026-12-08T23:59:00.000000+00:00",
        "release_date": "2026-11-24T09:00:00.000000+00:00",
        "total_points": "13.0",
    },
    "users": [{"email": "student@example.edu", "id": 7, "name": "A Student"}],
    "previous_submissions": [],
}


@pytest.fixture(scope="module", autouse=True)
def times_per_submission():
    """Prints the time per submission at the end (a figure for the notes, not an assertion)."""
    yield
    if TIMES:
        print("\n" + "\n".join(f"{case}: {seconds:.2f} s" for case, seconds in TIMES.items()))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("assign")
    assign([REPO / "exercises" / "sourcing.md", REPO / "exercises" / "comparison.md"], out)
    return out


@pytest.fixture(scope="module")
def image(built, tmp_path_factory) -> Emulator:
    return Emulator(tmp_path_factory.mktemp("gs") / "autograder", _zip(built, "sourcing"))


def _zip(built: Path, set_id: str) -> Path:
    return built / "grader" / "gradescope" / f"{set_id}.zip"


def notebook(name: str, replace: dict[str, str] | None = None) -> bytes:
    """The reference notebook of exercises/<name>.md, code cells replaced where asked."""
    book = jupytext.read(REPO / "exercises" / f"{name}.md")
    for cell in book.cells:
        for marker, source in (replace or {}).items():
            if marker in cell.source:
                cell.source = source
    return nbformat.writes(book).encode()


def blank(built: Path, set_id: str) -> bytes:
    return (built / "student" / f"{set_id}.ipynb").read_bytes()


def seen(payload: dict) -> str:
    """What the results page shows a student now (tests 'after_due_date' not yet)."""
    lines = [f"score {payload['score']:g}: {payload['output']}"]
    for test in payload["tests"]:
        if test.get("visibility", "visible") != "visible":
            continue
        points = f"{test['score']:g}/{test['max_score']:g}" if "score" in test else "-"
        lines.append(f"  [{test.get('status', 'neutral')} {points}] {test['name']}")
    check = next((t for t in payload["tests"] if t["number"].endswith(".0")), None)
    if check:
        lines += [f"    {line[:110]}" for line in check["output"].splitlines()[:3]]
    later = sum(t.get("visibility") == "after_due_date" for t in payload["tests"])
    return "\n".join([*lines, f"  (+{later} tests shown after the due date)"])


def report(case: str, seconds: str, payload: dict) -> None:
    TIMES[case] = float(seconds)
    print(f"\n--- {case}: {seconds} s\n{seen(payload)}")


def by_number(payload: dict) -> dict[str, dict]:
    return {test["number"]: test for test in payload["tests"]}


@needs_root
def test_setup_runs_once_and_keeps_the_key_to_root(image) -> None:
    assert image.setup.returncode == 0, image.setup.stdout + image.setup.stderr
    assert "bubblewrap works" in image.setup.stdout
    assert "medialit autograder ready" in image.setup.stdout
    assert (image.scratch / "source" / "bundle.json").stat().st_mode & 0o077 == 0


def test_the_zip_keeps_the_key_to_its_owner(built) -> None:
    with zipfile.ZipFile(_zip(built, "sourcing")) as archive:
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert modes["bundle.json"] & 0o077 == 0 and modes["run_autograder"] & 0o111
    assert json.loads(zipfile.ZipFile(_zip(built, "sourcing")).read("policy.json"))


@needs_root
def test_correct_submission(image) -> None:
    payload, seconds = image.grade({"sourcing.ipynb": notebook("sourcing")})
    report("correct", seconds, payload)
    tests = by_number(payload)
    assert tests["sourcing.q6"]["status"] == "passed", tests["sourcing.q6"]["output"]
    assert payload["score"] == 16 - 3  # all but the annotations, which were not uploaded
    assert tests["sourcing.q1"]["visibility"] == "after_due_date"
    check = tests["sourcing.0"]
    assert check["visibility"] == "visible" and "q1: answer read" in check["output"]
    assert "reflection" not in payload["output"].lower() and "person" not in payload["output"]
    assert "after the due date (8 December 2026 23:59 UTC)" in payload["output"]


@needs_root
def test_blank_submission(image, built) -> None:
    payload, seconds = image.grade({"sourcing.ipynb": blank(built, "sourcing")})
    report("blank", seconds, payload)
    assert payload["score"] == 0
    assert "is empty" in by_number(payload)["sourcing.0"]["output"]


@needs_root
def test_not_json(image) -> None:
    payload, seconds = image.grade({"sourcing.ipynb": b"\x00\x01 not a notebook"})
    report("not JSON", seconds, payload)
    assert payload["score"] == 0 and payload["tests"] == []
    assert payload["output"].startswith("Not graded: sourcing.ipynb is not a notebook: its JSON")


@needs_root
def test_renamed(image) -> None:
    payload, seconds = image.grade({"sourcing (2).ipynb": notebook("sourcing")})
    report("renamed", seconds, payload)
    assert payload["score"] == 13 and payload["output"].startswith("Graded sourcing (2).ipynb.")


@needs_root
def test_notebook_in_a_folder(image) -> None:
    payload, seconds = image.grade({"my work/sourcing.ipynb": notebook("sourcing")})
    report("in a folder", seconds, payload)
    assert payload["score"] == 13 and payload["output"].startswith("Graded my work/sourcing.ipynb")


@needs_root
def test_two_notebooks_the_set_one_wins(image, built) -> None:
    files = {"sourcing.ipynb": notebook("sourcing"), "notes.ipynb": blank(built, "comparison")}
    payload, seconds = image.grade(files)
    report("two notebooks, one is the set", seconds, payload)
    assert payload["score"] == 13 and "Also submitted, not graded: notes.ipynb" in payload["output"]


@needs_root
def test_two_copies_of_the_set_are_named_both(image, built) -> None:
    files = {"a.ipynb": notebook("sourcing"), "b.ipynb": blank(built, "sourcing")}
    payload, seconds = image.grade(files)
    report("two copies of the set", seconds, payload)
    assert payload["score"] == 0
    named = "2 notebooks are the sourcing set: 'a.ipynb', 'b.ipynb'"
    assert payload["output"].startswith(f"Not graded: {named}")
    assert payload["extra_data"] == {"medialit_graded": False}  # not counted as a try


@needs_root
def test_infinite_loop(image) -> None:
    loop = "def find_direct_quotes(text):\n    while True:\n        pass\n"
    payload, seconds = image.grade(
        {"sourcing.ipynb": notebook("sourcing", {"def find_direct_quotes": loop})}
    )
    report("infinite loop", seconds, payload)
    code = by_number(payload)["sourcing.q6"]
    assert code["score"] == 0 and code["status"] == "failed" and payload["score"] == 10


@needs_root
def test_code_that_reads_the_key_finds_nothing(image) -> None:
    key_text = (image.scratch / "source" / "bundle.json").read_text()[:60]
    thief = (
        "def find_direct_quotes(text):\n"
        "    for path in ['/autograder/source/bundle.json', '/autograder/source', '/autograder']:\n"
        "        try:\n"
        "            raise ValueError(open(path).read()[:300])\n"
        "        except IsADirectoryError:\n"
        "            import os\n"
        "            raise ValueError(str(os.listdir(path)))\n"
        "        except (FileNotFoundError, PermissionError):\n"
        "            continue\n"
        "    return ['nothing visible']\n"
    )
    payload, seconds = image.grade(
        {"sourcing.ipynb": notebook("sourcing", {"def find_direct_quotes": thief})}
    )
    report("code reads /autograder/source/bundle.json", seconds, payload)
    text = json.dumps(payload)
    assert key_text not in text and "bundle.json" not in text and "policy.json" not in text
    assert "0 of 5 checks passed" in by_number(payload)["sourcing.q6"]["output"]


@needs_root
def test_reflections_are_pending_never_failed(built, tmp_path) -> None:
    image = Emulator(tmp_path / "autograder", _zip(built, "comparison"))
    assert image.setup.returncode == 0, image.setup.stderr
    for case, data in (
        ("reflections answered", notebook("comparison")),
        ("reflections blank", blank(built, "comparison")),
    ):
        payload, seconds = image.grade({"comparison.ipynb": data})
        report(case, seconds, payload)
        pending = [t for t in payload["tests"] if "pending" in t["name"]]
        assert len(pending) == 2 and all("status" not in t for t in pending)
        assert "2 items wait for a person to grade (6 points" in payload["output"]
    assert "As it stands a person will find nothing to grade" in pending[0]["output"]


def old_image(tmp_path: Path) -> dict[str, str]:
    """PATH for an image whose python3 is 3.8 and whose apt-get cannot install a newer one."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text(
        '#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.8.10" && exit 0\nexit 1\n'
    )
    (fake / "apt-get").write_text("#!/bin/sh\nexit 100\n")
    for tool in fake.iterdir():
        tool.chmod(0o755)
    return {"PATH": f"{fake}:/usr/bin:/bin", "LANG": "C.UTF-8"}


def test_setup_stops_loudly_on_an_old_python_and_runs_still_write_results(built, tmp_path):
    root = gradescope_root(tmp_path, _zip(built, "sourcing"))
    env = {**old_image(tmp_path), "AUTOGRADER_ROOT": str(root)}
    setup = subprocess.run(
        ["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True
    )
    assert setup.returncode == 1, setup.stdout + setup.stderr
    assert "needs Python 3.10 or newer; the image has Python 3.8.10" in setup.stderr
    assert "DEBIAN_FRONTEND=noninteractive" in (root / "source" / "setup.sh").read_text()
    (root / "submission" / "sourcing.ipynb").write_bytes(notebook("sourcing"))
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0
    payload = check_results((root / "results" / "results.json").read_text())
    assert "image has Python older than 3.10" in payload["output"] and payload["score"] == 0


def test_a_grader_that_crashes_still_writes_results(built, tmp_path) -> None:
    root = gradescope_root(tmp_path, _zip(built, "sourcing"))
    (root / "source" / "bundle.json").write_text("{ broken")
    (root / "submission" / "sourcing.ipynb").write_bytes(notebook("sourcing"))
    env = {"PATH": "/usr/bin:/bin", "AUTOGRADER_ROOT": str(root), "LANG": "C.UTF-8"}
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "BundleError" in done.stderr
    payload = check_results((root / "results" / "results.json").read_text())
    assert payload["output"].startswith("The autograder could not grade this submission")
    setup = subprocess.run(
        ["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True
    )
    assert setup.returncode == 1 and "cannot be loaded" in setup.stderr


def graded_before(score: float, minutes_ago: float, graded: bool = True) -> dict:
    when = datetime.fromisoformat(META["created_at"]) - timedelta(minutes=minutes_ago)
    tests = [{"name": "q1", "number": "sourcing.q1", "score": score, "max_score": 2.0}]
    extra = {"medialit_graded": graded}
    return {
        "submission_time": when.isoformat(),
        "score": score,
        "results": {"score": score, "tests": tests, "extra_data": extra},
    }


def run_policy(root: Path, policy: dict, previous: list[dict]) -> dict:
    (root / "source" / "policy.json").write_text(json.dumps(policy))
    meta = {**META, "previous_submissions": previous}
    (root / "submission_metadata.json").write_text(json.dumps(meta))
    autograder.grade_submission(root)
    return check_results((root / "results" / "results.json").read_text())


def test_tries_and_cooldown_from_the_policy(built, tmp_path) -> None:
    root = gradescope_root(tmp_path, _zip(built, "sourcing"))
    (root / "submission" / "sourcing.ipynb").write_bytes(blank(built, "sourcing"))
    two = [graded_before(1.0, 300), graded_before(2.0, 200)]
    payload = run_policy(root, {"max_tries": 2}, two)
    assert payload["output"].startswith("This submission was not graded. You have used your 2")
    assert payload["score"] == 2.0 and payload["tests"] == two[1]["results"]["tests"]
    assert payload["extra_data"] == {"medialit_graded": False}
    turned_away = [*two[:1], graded_before(2.0, 100, graded=False)]  # not a try: it was not graded
    payload = run_policy(root, {"max_tries": 2}, turned_away)
    assert payload["extra_data"] == {"medialit_graded": True} and payload["score"] == 0
    payload = run_policy(root, {"cooldown_minutes": 30}, [graded_before(1.5, 10)])
    assert "The next graded try opens at 2026-12-01T10:20+00:00" in payload["output"]
    assert payload["score"] == 1.5
    payload = run_policy(root, {"cooldown_minutes": 30}, [graded_before(1.5, 40)])
    assert payload["extra_data"] == {"medialit_graded": True}


def test_feedback_visible_at_once_when_the_instructor_says_so(built, tmp_path) -> None:
    root = gradescope_root(tmp_path, _zip(built, "sourcing"))
    (root / "submission" / "sourcing.ipynb").write_bytes(blank(built, "sourcing"))
    payload = run_policy(root, {"feedback": "visible"}, [])
    assert all(t["visibility"] == "visible" for t in payload["tests"])
    assert not any(t["number"] == "sourcing.0" for t in payload["tests"])
    payload = run_policy(root, {"feedback": "after_due_date"}, [])
    assert {t["visibility"] for t in payload["tests"][1:]} == {"after_due_date"}
    with pytest.raises(ValueError, match="max_tries must be a whole number"):
        run_policy(root, {"max_tries": 0}, [])


def test_the_course_policy_lives_beside_the_exercises(tmp_path) -> None:
    (tmp_path / "gradescope.json").write_text('{"max_tries": 3, "cooldown_minutes": 10}')
    policy = gradescope.course_policy([tmp_path / "sourcing.md"])
    assert policy == {"feedback": "after_due_date", "max_tries": 3, "cooldown_minutes": 10}
    (tmp_path / "gradescope.json").write_text('{"feedback": "soon"}')
    with pytest.raises(ValueError, match="feedback must be one of"):
        gradescope.course_policy([tmp_path / "sourcing.md"])


RUN_TWICE = """
import sys
from medialit.grade import isolation, sandbox
isolation.force_mode("unsafe")
isolation.allow_unsafe()
done = sandbox.run_function("def f(x):\\n    return x + 1\\n", "f", [[1]])
print(done.status, done.outcomes)
"""


@needs_root
def test_no_sandbox_residue_whoever_grades(tmp_path) -> None:
    """A root run, then a run by an ordinary user, on one temp folder: both grade, and neither
    leaves a folder behind (a root run's leftover once made every code item ungradable)."""
    shared = Path(tempfile.mkdtemp(prefix="medialit-residue-"))
    try:
        shared.chmod(0o1777)
        shutil.copytree(REPO / "medialit", shared / "pkg" / "medialit")
        subprocess.run(["chmod", "-R", "a+rX", str(shared / "pkg")], check=True)
        (shared / "tmp").mkdir(mode=0o1777)
        (shared / "tmp").chmod(0o1777)
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(shared / "pkg")}
        env["TMPDIR"] = str(shared / "tmp")
        python = [isolation.interpreter()[0], "-B", "-c", RUN_TWICE]  # one anyone can run
        for user in ([], ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]):
            done = subprocess.run(user + python, env=env, capture_output=True, text=True)
            assert done.stdout.startswith("ok [{'ok': True, 'value': 2}]"), done.stderr[-2000:]
            assert list((shared / "tmp").iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_which_notebook_is_graded(built, tmp_path) -> None:
    """The expected name at the top wins; otherwise one candidate anywhere; never a guess."""
    reference, other = notebook("sourcing"), blank(built, "comparison")

    def choose(files: dict[str, bytes]) -> tuple[str | None, str, str | None]:
        top = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
        for name, data in files.items():
            (top / name).parent.mkdir(parents=True, exist_ok=True)
            (top / name).write_bytes(data)
        folder, name, note, problem = autograder.find_notebook(top, "sourcing")
        return (str((folder / name).relative_to(top)) if name else None), note, problem

    found = choose({"sourcing.ipynb": reference, "old/sourcing.ipynb": reference})
    assert found == ("sourcing.ipynb", " Also submitted, not graded: old/sourcing.ipynb.", None)
    assert choose({"a/b/Copy of sourcing.ipynb": reference})[0] == "a/b/Copy of sourcing.ipynb"
    assert choose({"untitled.ipynb": b"{}"})[0] == "untitled.ipynb"  # the only notebook
    name, _, problem = choose({"x.ipynb": other, "y.ipynb": b"{}"})
    assert name is None and "none of the notebooks submitted ('x.ipynb', 'y.ipynb')" in problem
    name, _, problem = choose({"a/sourcing.ipynb": reference, "b/sourcing.ipynb": reference})
    assert name is None and "'a/sourcing.ipynb', 'b/sourcing.ipynb'" in problem
    assert choose({"__MACOSX/sourcing.ipynb": reference}) == (None, "", None)
