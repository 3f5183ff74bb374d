"""From the real exercises to the report: assign, synthesize a class, grade, report, and check the
report's figures against ones worked out here from the gradebook with csv and statistics only."""

from __future__ import annotations

import csv
import random
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from medialit.assign.source import exercise_sources
from medialit.cli import main
from medialit.grade.bundle import load_bundle
from medialit.grade.synthetic import reference_table, synthesize
from medialit.report.synthetic import report_title, synthetic_class_report

ROOT = Path(__file__).resolve().parents[2]
STUDENTS, SEED = 12, 11


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A class of 12, every set, code included, no endless loop (to stay fast)."""
    work = tmp_path_factory.mktemp("synthetic")
    return synthetic_class_report(ROOT, work, seed=SEED, students=STUDENTS, loops=0)


@pytest.fixture(scope="module")
def rows(made) -> list[dict[str, str]]:
    with made.gradebook.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def page(made) -> str:
    return made.report.read_text(encoding="utf-8")


class Tables(HTMLParser):
    """Each <table> of a page as {caption: [row cells, ...]} (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self.tables[self._caption] = self._rows

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


def headline(page: str) -> dict[str, str]:
    """The figures at the top of the report: {"students": "12", "mean score": "64%", ...}."""
    found = re.findall(r"<li><strong>([^<]+)</strong> ([^<]+)</li>", page)
    return {label: value for value, label in found}


def percent(text: str) -> float:
    assert text.endswith("%"), text
    return float(text[:-1]) / 100


def coursework(rows):
    """The rows the coursework sections report on: the reading checks have their own section."""
    return [row for row in rows if not re.fullmatch(r"(pretest|posttest)_[a-z]", row["set"])]


def graded(rows):
    return [row for row in coursework(rows) if row["status"] != "pending"]


def student_fractions(rows) -> dict[str, float]:
    earned, possible = defaultdict(float), defaultdict(float)
    for row in graded(rows):
        earned[row["student"]] += float(row["points"])
        possible[row["student"]] += float(row["max_points"])
    return {student: earned[student] / possible[student] for student in possible}


def test_the_class_is_every_student_and_every_item_of_every_set(made, rows):
    bundle = load_bundle(made.grader)
    students = sorted(path.name for path in made.submissions.iterdir())
    assert len(students) == STUDENTS
    checks = [s for s in bundle.sets if re.fullmatch(r"(pretest|posttest)_[a-z]", s)]
    assert sorted(checks) == ["posttest_a", "posttest_b", "pretest_a", "pretest_b"]
    assert sum(made.kinds.values()) == STUDENTS * (len(bundle.sets) - len(checks))
    # one form before for everyone, one after for most (some miss the second check)
    assert made.checks["pretest_a"] + made.checks["pretest_b"] == STUDENTS
    assert STUDENTS / 2 <= made.checks["posttest_a"] + made.checks["posttest_b"] <= STUDENTS
    items = sum(len(exercise.items) for exercise in bundle.sets.values())
    assert len(rows) == STUDENTS * items
    assert {row["student"] for row in rows} == set(students)
    assert {row["kind"] for row in rows} >= {"code", "annotation", "label", "reflection"}
    assert not [row for row in rows if "did not finish" in row["feedback"]], "loops=0: no timeout"


def test_headline_figures_match_the_gradebook(rows, page):
    fractions = student_fractions(rows)
    shown = headline(page)
    rows = coursework(rows)
    assert int(shown["students"]) == len({row["student"] for row in rows}) == STUDENTS
    assert percent(shown["mean score"]) == pytest.approx(
        statistics.mean(fractions.values()), abs=0.005
    )
    assert percent(shown["median score"]) == pytest.approx(
        statistics.median(fractions.values()), abs=0.005
    )
    assert int(shown["items"]) == len({(row["set"], row["item"]) for row in rows})
    pending = sum(row["status"] == "pending" for row in rows)
    assert pending > 0 and int(shown["answers to grade by hand"]) == pending
    # the synthetic class is a mix: neither everyone right nor everyone wrong
    assert 0.2 < statistics.mean(fractions.values()) < 0.95


def test_per_set_scores_match_the_gradebook(rows, page):
    earned, possible = defaultdict(float), defaultdict(float)
    for row in graded(rows):
        earned[row["set"], row["student"]] += float(row["points"])
        possible[row["set"], row["student"]] += float(row["max_points"])
    by_set = defaultdict(list)
    for (set_id, student), maximum in possible.items():
        by_set[set_id].append(earned[set_id, student] / maximum)
    header, *body = tables(page)["Score fraction per set"]
    assert header[:3] == ["set", "students", "mean"]
    shown = {cells[0]: cells for cells in body}
    assert set(shown) == set(by_set)
    for set_id, fractions in by_set.items():
        assert int(shown[set_id][1]) == len(fractions)
        assert percent(shown[set_id][2]) == pytest.approx(statistics.mean(fractions), abs=0.005)
        assert percent(shown[set_id][4]) == pytest.approx(statistics.median(fractions), abs=0.005)


def test_the_most_missed_item_is_the_one_with_the_lowest_mean(rows, page):
    scores, answers = defaultdict(list), defaultdict(int)
    for row in coursework(rows):
        answers[row["set"], row["item"]] += 1
    for row in graded(rows):
        scores[row["set"], row["item"]].append(float(row["points"]) / float(row["max_points"]))
    # As the report does: only items at least half of whose answers are graded take part.
    means = {
        key: statistics.mean(values)
        for key, values in scores.items()
        if len(values) >= answers[key] / 2
    }
    (set_id, item), lowest = min(means.items(), key=lambda pair: (pair[1], pair[0]))
    section = page.split("<h2>Items most often missed</h2>", 1)[1]
    first = re.search(r"<li><strong>([^<]+)</strong> .*?: mean (\d+)%", section)
    assert first is not None
    assert first.group(1) == f"{set_id}/{item}"
    assert int(first.group(2)) == pytest.approx(lowest * 100, abs=0.5)


def test_agreement_is_reported_for_every_annotation_item(rows, page):
    annotation_items = {f"{r['set']}/{r['item']}" for r in rows if r["kind"] == "annotation"}
    assert annotation_items
    header, *body = tables(page)["Agreement per annotation item"]
    assert header[:3] == ["item", "title", "students"]
    assert {cells[0] for cells in body} == annotation_items


def test_the_report_is_one_offline_page_that_says_the_class_is_synthetic(page):
    assert f"<title>{report_title(STUDENTS, SEED)}</title>" in page
    assert page.count('<img src="data:image/png;base64,') >= 4
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_the_same_seed_makes_the_same_class(made, tmp_path):
    """The class is a function of the seed: the book's report changes only with its inputs."""
    bundle = load_bundle(made.grader)
    references = reference_table(exercise_sources(ROOT / "exercises"))
    release = made.grader.parent / "student"

    def files(name: str, seed: int) -> dict[str, bytes]:
        folder = tmp_path / name
        synthesize(
            folder, list(bundle.sets), 3, release, references, bundle, random.Random(seed), 0.5
        )
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}

    first = files("one", 5)
    assert len(first) >= 3 * len(bundle.sets)
    assert files("two", 5) == first
    assert files("three", 6) != first


# ------------------------------------------------------------------ the `medialit report` command


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the gradebook with ``change(header, rows)`` applied."""
    with source.open(encoding="utf-8", newline="") as stream:
        header, *body = list(csv.reader(stream))
    header, body = change(header, body)
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(body)
    return target


def test_the_command_writes_the_report(made, tmp_path):
    out = tmp_path / "class" / "report.html"
    command = [sys.executable, "-m", "medialit", "report", str(made.gradebook)]
    command += ["--bundle", str(made.grader), "--out", str(out), "--title", "Week 6"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert f"The report is written: {out.resolve()}" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert "<h1>Week 6</h1>" in page and f"<strong>{STUDENTS}</strong> students" in page


def _drop_status(header, body):
    keep = [i for i, name in enumerate(header) if name != "status"]
    return [header[i] for i in keep], [[row[i] for i in keep] for row in body]


def _unknown_item(header, body):
    body[3][header.index("item")] = "q99"
    return header, body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_drop_status, "missing column(s) status"),
        (_unknown_item, "row(s) name items the exercises do not have (line 5: "),
        (lambda header, body: (header, []), "has a header but no rows"),
    ],
    ids=["missing-column", "unknown-item", "no-rows"],
)
def test_a_bad_gradebook_stops_the_command_and_writes_nothing(
    made, tmp_path, capsys, change, message
):
    gradebook = rewrite(made.gradebook, tmp_path / "edited.csv", change)
    before = gradebook.read_bytes()
    out = tmp_path / "report.html"
    status = main(["report", str(gradebook), "--bundle", str(made.grader), "--out", str(out)])
    error = capsys.readouterr().err
    assert status != 0
    assert message in error and "edited.csv" in error and "Fix:" in error
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))
    assert gradebook.read_bytes() == before, "the gradebook is never modified"


def test_a_missing_bundle_stops_the_command(made, tmp_path, capsys):
    out = tmp_path / "report.html"
    status = main(
        ["report", str(made.gradebook), "--bundle", str(tmp_path / "no"), "--out", str(out)]
    )
    assert status != 0 and "error:" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------------ the learning section

T_975 = {  # Student's t, 0.975 quantile, by degrees of freedom (printed tables)
    1: 12.706205, 2: 4.302653, 3: 3.182446, 4: 2.776445, 5: 2.570582, 6: 2.446912,
    7: 2.364624, 8: 2.306004, 9: 2.262157, 10: 2.228139, 11: 2.200985,
}  # fmt: skip


def test_the_learning_section_matches_the_gradebook(rows, page):
    """Overall score before and after per student, from the gradebook with csv and statistics:
    the per-student table, the "all objectives" row with its t-interval, a plausible gain."""
    earned, possible, taken = defaultdict(float), defaultdict(float), defaultdict(set)
    for row in rows:
        found = re.fullmatch(r"(pretest|posttest)_([a-z])", row["set"])
        if not found or row["kind"] == "confidence":
            continue
        occasion = "before" if found.group(1) == "pretest" else "after"
        if row["status"] != "missing":
            taken[row["student"], occasion].add(row["set"])
        earned[row["student"], occasion, row["set"]] += float(row["points"])
        possible[row["student"], occasion, row["set"]] += float(row["max_points"])
    score = {
        (student, occasion): earned[student, occasion, set_id] / possible[student, occasion, set_id]
        for (student, occasion), sets in taken.items()
        for set_id in sets
    }
    shown = {cells[0]: cells for cells in tables(page)["Reading checks per student"][1:]}
    for (student, occasion), value in score.items():
        column = 2 if occasion == "before" else 3
        assert percent(shown[student][column]) == pytest.approx(value, abs=0.005)
    paired = sorted({s for s, _ in score if (s, "before") in score and (s, "after") in score})
    changes = [score[s, "after"] - score[s, "before"] for s in paired]
    mean = statistics.mean(changes)
    half = T_975[len(changes) - 1] * statistics.stdev(changes) / len(changes) ** 0.5
    every = {cells[0]: cells for cells in tables(page)["Gain per objective"][1:]}["all objectives"]
    before = statistics.mean(score[s, "before"] for s in paired)
    after = statistics.mean(score[s, "after"] for s in paired)
    assert f"{len(paired)} student(s) took a form both before and after" in page
    assert len(paired) >= STUDENTS / 2
    shown_before, shown_after = every[1].split(" → ")
    assert percent(shown_before) == pytest.approx(before, abs=0.005)
    assert percent(shown_after) == pytest.approx(after, abs=0.005)
    change, low, high = (
        int(x) for x in re.fullmatch(r"(\S+) \((\S+) to (\S+)\)", every[2]).groups()
    )
    assert change == pytest.approx(mean * 100, abs=0.5)
    assert (low, high) == (pytest.approx((mean - half) * 100, abs=0.5),
                           pytest.approx((mean + half) * 100, abs=0.5))  # fmt: skip
    assert float(every[3]) == pytest.approx((after - before) / (1 - before), abs=0.005)
    assert 0.1 < mean < 0.5, "the synthetic class learns, plausibly"
