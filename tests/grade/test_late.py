"""Late work: the policy file, submission times, the rule, and what `medialit grade` writes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from medialit.assign.build import assign
from medialit.assign.gradescope import write_late
from medialit.assign.source import SourceError
from medialit.grade import exports, late, late_class
from medialit.grade.bundle import bundle_from_dict
from medialit.grade.engine import SubmissionResult
from medialit.grade.scoring import ItemResult

REPO = Path(__file__).parents[2]
RULE = {
    "timezone": "Europe/London",
    "due": {"demo": "2026-03-12 18:00"},
    "grace": "15 minutes",
    "penalty": {"percent": 10, "every": "day", "max_percent": 50},
    "cutoff": "7 days",
    "extensions": {"carol": "2 days", "dan": {"demo": "2026-03-20 09:00"}},
}


def rule(**changes) -> late.LatePolicy:
    return late.parse_policy({**RULE, **changes}, "late.yaml", ["demo"])


def at(text: str):
    return late.parse_time(text, "t", "Europe/London")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grace_minutes": 15}, "late.yaml: unknown field 'grace_minutes'; the fields are"),
        ({"grace": "15"}, "late.yaml: grace: '15' is not a duration"),
        ({"penalty": {"percent": 10, "every": "week"}}, "penalty: every: 'week' must be one of"),
        ({"penalty": {"percent": 150}}, "penalty: percent: 150 must be a number from 0 to 100"),
        ({"penalty": {"percent": 10, "per": "day"}}, "penalty: unknown field 'per'"),
        ({"due": {"sorcing": "2026-03-12 18:00"}}, "due: 'sorcing' is not an exercise set"),
        ({"due": {"demo": "12/03/2026"}}, "due: demo: '12/03/2026' is not a date and time"),
        ({"due": {"demo": "2026-03-12"}}, "is not a date and time; write it as 2026-03-12 18:00"),
        ({"timezone": "Mars/Olympus"}, "timezone: 'Mars/Olympus' is not a time zone"),
        ({"timezone": None}, "due: demo: '2026-03-12 18:00' has no time zone"),
        ({"extensions": {"ada": "soon"}}, "extensions: ada: 'soon' is not a duration"),
        ({"extensions": {"ada": {"claims": "1 day"}}}, "ada: 'claims' is not a set with a due"),
        ({"cutoff": 7}, "late.yaml: cutoff: 7 is not a duration"),
    ],
)
def test_a_bad_policy_names_the_field_and_the_fix(changes, message) -> None:
    with pytest.raises(late.LatePolicyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rule(**changes)


def test_the_rule_on_time_grace_late_capped_cutoff_and_extensions() -> None:
    policy = rule()
    assert policy.due["demo"].isoformat() == "2026-03-12T18:00:00+00:00"  # GMT in March

    def status(student: str, when: str) -> tuple[str, float]:
        found = late.assess(policy, "demo", student, at(when))
        return found.status, found.penalty_percent

    assert status("bo", "2026-03-12 17:59") == ("on time", 0)
    assert status("bo", "2026-03-12 18:15") == ("grace", 0)
    assert status("bo", "2026-03-12 18:16") == ("late", 10)  # grace forgives, it does not shift
    assert status("bo", "2026-03-13 21:00") == ("late", 20)  # 1 day 3 h: two days started
    assert status("bo", "2026-03-18 19:00") == ("late", 50)  # capped
    assert status("bo", "2026-03-19 18:01") == ("past cutoff", 100)
    assert status("carol", "2026-03-14 17:00") == ("on time", 0)  # 2 days, every set
    assert status("carol", "2026-03-14 19:00") == ("late", 10)
    assert status("dan", "2026-03-20 08:00") == ("on time", 0)  # a new date for one set
    hourly = rule(penalty={"percent": 2, "every": "hour"})
    assert late.assess(hourly, "demo", "bo", at("2026-03-12 20:30")).penalty_percent == 6
    assert late.assess(policy, "demo", "bo", None).status == "no time"
    assert late.assess(policy, "other", "bo", at("2026-03-30 00:00")).status == "no due date"


def test_what_the_student_reads() -> None:
    policy = rule()
    found = late.assess(policy, "demo", "bo", at("2026-03-13 21:00"))
    assert found.sentence(14) == (
        "Submitted 1 day 3 h after the due date of 12 March 2026 18:00 UTC; 20% late penalty: "
        "14 → 11.2."
    )
    grace = late.assess(policy, "demo", "bo", at("2026-03-12 18:04"))
    assert grace.sentence(14) == (
        "Submitted 4 min after the due date of 12 March 2026 18:00 UTC, within the 15 min "
        "grace period: no late penalty."
    )
    cut = late.assess(policy, "demo", "bo", at("2026-03-21 18:00"))
    assert cut.sentence(14).endswith(
        "past the cutoff of 7 days after it: late work that late scores 0 (14 → 0)."
    )
    assert late.assess(policy, "demo", "bo", at("2026-03-01 10:00")).sentence(14) == ""


def test_times_from_an_lms_file(tmp_path: Path) -> None:
    path = tmp_path / "times.csv"
    path.write_text(
        "student,set,submitted_at\nada,demo,2026-03-12 19:00\nbo,demo,2026-03-12T17:00:00-05:00\n"
    )
    times = late_class.read_times_csv(path, "Europe/London")
    assert times[("ada", "demo")].isoformat() == "2026-03-12T19:00:00+00:00"
    assert times[("bo", "demo")].isoformat() == "2026-03-12T17:00:00-05:00"
    path.write_text("student,set,submitted_at\nada,demo,yesterday\n")
    with pytest.raises(late.LatePolicyError, match=r"times.csv, line 2, submitted_at: 'yesterday'"):
        late_class.read_times_csv(path, "UTC")
    path.write_text("student,set,when\nada,demo,2026-03-12 19:00\n")
    with pytest.raises(late.LatePolicyError, match="line 1: the columns must be exactly student"):
        late_class.read_times_csv(path, "UTC")
    path.write_text(
        "student,set,submitted_at\nada,demo,2026-03-12 19:00\nada,demo,2026-03-12 19:00\n"
    )
    with pytest.raises(late.LatePolicyError, match="line 3: a second time for ada, demo"):
        late_class.read_times_csv(path, "UTC")


def test_times_from_nbgrader_timestamps_never_from_mtimes(tmp_path: Path) -> None:
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "timestamp.txt").write_text("2026-03-12 19:30:00.123456 UTC\n")
    when, note = late_class.read_timestamp(tmp_path / "ada", "Europe/London")
    assert when.isoformat() == "2026-03-12T19:30:00.123456+00:00" and note == "from timestamp.txt"
    (tmp_path / "bo").mkdir()
    (tmp_path / "bo" / "demo.ipynb").write_text("{}")
    os.utime(tmp_path / "bo" / "demo.ipynb", (2_000_000_000, 2_000_000_000))  # far after due
    assert late_class.read_timestamp(tmp_path / "bo", "UTC") == (None, "")
    found = late_class.assess_class(rule(), [("bo", "demo")], tmp_path)[("bo", "demo")]
    assert found.status == "no time" and found.note == "no timestamp.txt"
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy" / "timestamp.txt").symlink_to("/etc/hostname")
    when, note = late_class.read_timestamp(tmp_path / "cy", "UTC")
    assert when is None and "symbolic link" in note
    (tmp_path / "di").mkdir()
    (tmp_path / "di" / "timestamp.txt").write_bytes(b"\xff\xfe last tuesday")
    when, note = late_class.read_timestamp(tmp_path / "di", "UTC")
    assert when is None and note.startswith("timestamp.txt unreadable")


def demo_results(kit) -> tuple[list[SubmissionResult], object]:
    bundle = bundle_from_dict(kit.demo_bundle_dict(), "demo")
    rows = [
        ItemResult("q1", "label", 2, 2, "correct", "Correct."),
        ItemResult("q6", "code", 1, 3, "partial", "1 of 3 checks passed."),
    ]
    return [SubmissionResult("bo", "demo", "f", rows)], bundle


def test_the_penalty_is_its_own_column_never_item_points(kit) -> None:
    found, bundle = demo_results(kit)
    lateness = {("bo", "demo"): late.assess(rule(), "demo", "bo", at("2026-03-13 21:00"))}
    assert exports.gradebook_csv(found) == exports.gradebook_csv(found)  # untouched by the rule
    table = list(csv.DictReader(io.StringIO(exports.late_csv(found, lateness))))
    assert table == [
        {
            "student": "bo",
            "set": "demo",
            "submitted_at": "2026-03-13T21:00:00+00:00",
            "due": "2026-03-12T18:00:00+00:00",
            "late_by_minutes": "1620",
            "late_by": "1 day 3 h",
            "status": "late",
            "late_penalty_percent": "20",
            "points": "3",
            "max_points": "5",
            "adjusted_points": "2.4",
            "note": "",
        }
    ]
    canvas = list(csv.reader(io.StringIO(exports.canvas_csv(found, bundle, None, lateness))))
    assert canvas[2][-1] == "2.4"
    payload = exports.gradescope_results(found, bundle, lateness)
    assert payload["score"] == 2.4 and [t.get("score") for t in payload["tests"]] == [2, 1, None]
    assert payload["tests"][-1]["output"].endswith("20% late penalty: 3 → 2.4.")
    text = exports.feedback_markdown("bo", found, bundle, lateness)
    assert (
        "**Late work.** Submitted 1 day 3 h after the due date of 12 March 2026 18:00 UTC" in text
    )
    assert "### q6: find direct quotes (1/3, partial)" in text or "(1/3, partial)" in text


def run_grade(subs: Path, bundle: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "medialit", "grade", str(subs), "--bundle", str(bundle)]
    return subprocess.run(
        [*command, "--workers", "1", *extra], capture_output=True, text=True, timeout=120
    )


def late_rows(out: Path) -> dict[str, dict[str, str]]:
    text = (out / "late.csv").read_text(encoding="utf-8")
    return {row["student"]: row for row in csv.DictReader(io.StringIO(text))}


def test_medialit_grade_applies_the_course_policy(kit, demo_bundle: Path, tmp_path: Path) -> None:
    subs = tmp_path / "class"
    right = kit.notebook(kit.RIGHT)  # no code item: no sandbox to wait for
    for student, stamp in (("ada", "2026-03-12 17:00:00"), ("bo", "2026-03-13 21:00:00 UTC")):
        kit.write_submission(subs, student, right, kit.RIGHT_ANNOTATIONS)
        (subs / student / "timestamp.txt").write_text(stamp)
    kit.write_submission(subs, "cy", right, kit.RIGHT_ANNOTATIONS)  # no time at all
    plain = run_grade(subs, demo_bundle, "--out", str(tmp_path / "plain"))
    assert plain.returncode == 0, plain.stderr
    write_late(demo_bundle, rule())
    done = run_grade(subs, demo_bundle, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "no submission time for 1 submission(s) (e.g. cy, demo)" in " ".join(done.stderr.split())
    out = tmp_path / "out"
    gradebook = (out / "gradebook.csv").read_text()
    assert gradebook == (tmp_path / "plain" / "gradebook.csv").read_text()
    rows = late_rows(out)
    assert (rows["ada"]["status"], rows["bo"]["status"], rows["cy"]["status"]) == (
        "on time",
        "late",
        "no time",
    )
    earned = float(rows["bo"]["points"])
    assert float(rows["bo"]["adjusted_points"]) == round(earned * 0.8, 2)
    assert rows["cy"]["adjusted_points"] == rows["cy"]["points"]
    feedback = (out / "feedback" / "bo.md").read_text()
    assert f"20% late penalty: {earned:g} → {round(earned * 0.8, 2):g}." in feedback
    assert "Late work" not in (out / "feedback" / "ada.md").read_text()
    times = tmp_path / "times.csv"
    times.write_text("student,set,submitted_at\nada,demo,2026-03-21 09:00\n")
    lms = run_grade(subs, demo_bundle, "--out", str(out), "--submitted-at", str(times))
    assert lms.returncode == 0, lms.stderr
    rows = late_rows(out)
    assert rows["ada"]["status"] == "past cutoff" and rows["ada"]["adjusted_points"] == "0"
    assert rows["bo"]["status"] == "no time"  # the LMS file is the source when it is given
    times.write_text("student,set,submitted_at\nada,demo,soon\n")
    bad = run_grade(subs, demo_bundle, "--out", str(out), "--submitted-at", str(times))
    assert bad.returncode == 2 and "times.csv, line 2, submitted_at: 'soon'" in " ".join(
        bad.stderr.split()
    )


def test_assign_carries_late_yaml_to_the_grader_and_each_zip(tmp_path: Path) -> None:
    source = tmp_path / "exercises"
    source.mkdir()
    (source / "framing.md").write_text((REPO / "exercises" / "framing.md").read_text())
    policy = {**RULE, "due": {"framing": "2026-03-12 18:00"}, "extensions": {"carol": "2 days"}}
    (source / "late.yaml").write_text(json.dumps(policy))  # JSON is YAML
    out = tmp_path / "out"
    done = assign([source / "framing.md"], out)
    local = late.load_late(out / "grader")
    assert local.extensions == {"carol": {"*": late.parse_duration("2 days", "x")}}
    with zipfile.ZipFile(done.gradescope[0]) as archive:
        shipped = json.loads(archive.read("late.json"))
    assert shipped["due"] == {"framing": "2026-03-12T18:00:00+00:00"}
    assert shipped["extensions"] == {} and shipped["timezone"] is None  # Gradescope has its own
    (source / "late.yaml").write_text(
        "timezone: UTC\ndue: {framing: 2026-03-12 18:00}\npenalty: {percent: 10, each: day}\n"
    )
    with pytest.raises(SourceError, match=r"late.yaml: penalty: unknown field 'each'"):
        assign([source / "framing.md"], out)
    (source / "late.yaml").unlink()
    done = assign([source / "framing.md"], out)
    assert not (out / "grader" / "late.json").exists()
    assert "late.json" not in zipfile.ZipFile(done.gradescope[0]).namelist()


def test_the_pytest_plugin_applies_the_same_rule(kit, demo_bundle: Path, tmp_path: Path) -> None:
    subs = tmp_path / "class"
    kit.write_submission(subs, "bo", kit.notebook(kit.RIGHT), kit.RIGHT_ANNOTATIONS)
    kit.write_submission(subs, "cy", kit.notebook(kit.RIGHT), kit.RIGHT_ANNOTATIONS)
    write_late(demo_bundle, rule())
    times = tmp_path / "times.csv"
    times.write_text("student,set,submitted_at\nbo,demo,2026-03-13 21:00\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["--submissions", str(subs), "--bundle", str(demo_bundle)]
    command += ["--grade-out", str(tmp_path / "out"), "--submitted-at", str(times)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr  # some answers are not right
    rows = late_rows(tmp_path / "out")
    assert rows["bo"]["status"] == "late" and rows["bo"]["late_penalty_percent"] == "20"
    assert "no submission time for 1 submission(s) (e.g. cy, demo)" in done.stdout
    times.write_text("student,set\nbo,demo\n")
    bad = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert bad.returncode == 4 and "the columns must be exactly" in bad.stdout + bad.stderr


def test_hand_scores_count_before_the_penalty(kit) -> None:
    found, bundle = demo_results(kit)
    found[0].items.append(ItemResult("q7", "reflection", 2, 2, "manual", "Graded by hand: 2 of 2."))
    lateness = {("bo", "demo"): late.assess(rule(), "demo", "bo", at("2026-03-13 21:00"))}
    payload = exports.gradescope_results(found, bundle, lateness)
    assert payload["extra_data"]["late"]["demo"]["points"] == 5
    assert payload["score"] == 4  # (2 + 1 + 2 by hand) less 20%
    assert payload["tests"][-1]["output"].endswith("20% late penalty: 5 → 4.")
