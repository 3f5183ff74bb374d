"""The class report: every figure checked against one worked out by hand on a class of four."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from medialit.grade.bundle import Bundle, ExerciseSet, Item
from medialit.report import ReportError, build_report, load_gradebook, stats, write_report
from medialit.report.agreement import annotation_agreement, strongest_students

BODY = "One. Two.\n\nThree. Four."  # four sentences: the units of agreement
KEY_SPANS = [{"start": 0, "end": 4, "label": "doubt"}, {"start": 11, "end": 17, "label": "slogans"}]
HEADER = ["student", "set", "item", "kind", "points", "max_points", "status", "feedback", "answer"]
ROWS = [
    # student a: everything right
    ["a", "sourcing", "q1", "label", "2", "2", "correct", "Right.", '"named_official"'],
    [
        "a",
        "sourcing",
        "q2",
        "annotation",
        "4",
        "4",
        "correct",
        "Right.",
        '[[0, 4, "doubt"], [11, 17, "slogans"]]',
    ],
    ["a", "claims", "q1", "number", "1", "1", "correct", "Right.", "3"],
    ["a", "claims", "q2", "reflection", "", "3", "pending", "Graded by hand.", ""],
    # student b
    ["b", "sourcing", "q1", "label", "0", "2", "incorrect", "Look at who speaks.", '"vague"'],
    ["b", "sourcing", "q2", "annotation", "2", "4", "partial", "Some found.", '[[0, 4, "doubt"]]'],
    ["b", "claims", "q1", "number", "1", "1", "correct", "Right.", "3"],
    ["b", "claims", "q2", "reflection", "", "3", "pending", "Graded by hand.", ""],
    # student c
    ["c", "sourcing", "q1", "label", "1", "2", "partial", "Right category.", '"named_expert"'],
    [
        "c",
        "sourcing",
        "q2",
        "annotation",
        "0",
        "4",
        "incorrect",
        "Look again.",
        '[[5, 9, "doubt"]]',
    ],
    ["c", "claims", "q1", "number", "0", "1", "incorrect", "Count again.", "12"],
    ["c", "claims", "q2", "reflection", "", "3", "pending", "Graded by hand.", ""],
    # student d: a wrong label and nothing else
    ["d", "sourcing", "q1", "label", "0", "2", "incorrect", "Look at who speaks.", '"vague"'],
    ["d", "sourcing", "q2", "annotation", "0", "4", "missing", "No annotations file.", ""],
    ["d", "claims", "q1", "number", "0", "1", "missing", "No answer.", ""],
    ["d", "claims", "q2", "reflection", "", "3", "pending", "Graded by hand.", ""],
]


@pytest.fixture
def bundle() -> Bundle:
    sourcing = ExerciseSet(
        "sourcing",
        "Sourcing",
        (
            Item(
                "q1",
                "label",
                2,
                title="Source type",
                variable="q1",
                key="named_official",
                article_id="toy",
                layer="sourcing",
            ),
            Item(
                "q2",
                "annotation",
                4,
                title="Mark the techniques",
                key=KEY_SPANS,
                article_id="toy",
                layer="persuasion",
            ),
        ),
    )
    claims = ExerciseSet(
        "claims",
        "Claims",
        (
            Item("q1", "number", 1, title="Count", variable="q1", key=3, layer="claims"),
            Item(
                "q2",
                "reflection",
                3,
                title="Reflect",
                variable="q2",
                rubric=({"criterion": "uses evidence", "points": 3},),
            ),
        ),
    )
    return Bundle({"sourcing": sourcing, "claims": claims}, {"toy": BODY})


def write_gradebook(path: Path, rows=ROWS, header=HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def table(tmp_path, bundle):
    return load_gradebook(write_gradebook(tmp_path / "gradebook.csv"), bundle)


def test_student_totals_and_set_scores(table):
    fractions = stats.student_fractions(table)
    assert fractions.round(4).to_dict() == {"a": 1.0, "b": 0.4286, "c": 0.1429, "d": 0.0}
    per_set = stats.set_totals(table).groupby("set")["fraction"].mean().round(4).to_dict()
    assert per_set == {"claims": 0.5, "sourcing": 0.375}


def test_item_means_ignore_pending_answers(table):
    items = stats.item_table(table).set_index(["set", "item"])
    assert items.loc[("sourcing", "q1"), "mean_fraction"] == 0.375
    assert items.loc[("sourcing", "q2"), "mean_fraction"] == 0.375
    assert items.loc[("claims", "q1"), "mean_fraction"] == 0.5
    assert items.loc[("claims", "q2"), "pending"] == 4
    assert items.loc[("sourcing", "q1"), ["correct", "partial", "incorrect"]].tolist() == [1, 1, 2]


def test_most_missed_items_and_their_common_wrong_answers(table):
    missed = stats.most_missed(table, limit=2)
    assert list(zip(missed["set"], missed["item"], strict=True)) == [
        ("sourcing", "q1"),
        ("sourcing", "q2"),
    ]
    wrong = stats.common_wrong_answers(table, "sourcing", "q1")
    assert [(w.answer, w.count) for w in wrong] == [("vague", 2), ("named_expert", 1)]
    # without a recorded answer the matcher's verdict (the feedback) is the group
    claims_wrong = stats.common_wrong_answers(table, "claims", "q1")
    assert [(w.answer, w.count) for w in claims_wrong] == [("(No answer.)", 1), ("12", 1)]


def test_difficulty_per_layer_and_article(table):
    by_layer = stats.difficulty(table, "layer").set_index("layer")["mean_fraction"].to_dict()
    assert by_layer == {"persuasion": 0.375, "sourcing": 0.375, "claims": 0.5}
    by_article = stats.difficulty(table, "article_id")
    assert by_article.to_dict("records") == [
        {"article_id": "toy", "items": 2, "answers": 8, "mean_fraction": 0.375}
    ]


def test_agreement_kappa_and_alpha_match_hand_computation(table, bundle):
    strongest = strongest_students(stats.student_fractions(table))
    assert strongest == {"a"}
    (item,) = annotation_agreement(table, bundle, strongest)
    # kappas: a = 1, b = 5/9, c = -1/3  (worked out from the 4 sentence units)
    assert item.students == 3
    assert item.mean_kappa == pytest.approx((1 + 5 / 9 - 1 / 3) / 3, abs=1e-3)
    assert item.strongest_kappa == 1.0
    # Krippendorff's alpha over key, a, b, c: 1 - (20/3 / 16) / (136 / 240)
    assert item.alpha == pytest.approx(1 - (20 / 3 / 16) / (136 / 240), abs=1e-3)
    assert item.review_key is False


def test_an_item_is_flagged_when_even_the_strongest_students_disagree(tmp_path, bundle):
    rows = [list(row) for row in ROWS]
    rows[1][8] = '[[5, 9, "doubt"]]'  # the top student now marks what the key does not
    table = load_gradebook(write_gradebook(tmp_path / "g.csv", rows), bundle)
    (item,) = annotation_agreement(table, bundle, {"a"})
    assert item.strongest_kappa == pytest.approx(-1 / 3, abs=1e-3)
    assert item.review_key is True
    assert "review the key" in build_report(table, bundle)


def test_student_summary_is_ready_to_paste(table):
    assert stats.student_summary(table, "b") == (
        "b earned 3 of 7 automatically graded points (43%). Strongest set: claims (100%); the "
        "one to revisit: sourcing (33%). Items to look at again with the feedback: sourcing/q1. "
        "1 answer(s) wait for a person to grade them."
    )


def test_report_page_holds_the_headline_figures_and_no_external_resource(tmp_path, bundle):
    out = write_report(write_gradebook(tmp_path / "g.csv"), tmp_path / "report.html", bundle)
    page = out.read_text(encoding="utf-8")
    assert "<strong>4</strong> students" in page and "<strong>39%</strong> mean score" in page
    assert page.count('<img src="data:image/png;base64,') == 4
    assert "http://" not in page and "https://" not in page and "<script" not in page


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (ROWS, [c for c in HEADER if c != "status"], "missing column(s) status"),
        ([], HEADER, "has a header but no rows"),
        (
            [["a", "sourcing", "q9", "label", "1", "2", "partial", "", ""]],
            HEADER,
            "line 2: sourcing/q9",
        ),
        (
            [["a", "sourcing", "q1", "label", "two", "2", "partial", "", ""]],
            HEADER,
            "line 2: points is 'two', not a number",
        ),
    ],
)
def test_bad_gradebooks_give_a_clear_error_and_no_report(tmp_path, bundle, rows, header, message):
    gradebook = write_gradebook(tmp_path / "bad.csv", [r[: len(header)] for r in rows], header)
    out = tmp_path / "report.html"
    with pytest.raises(ReportError) as raised:
        write_report(gradebook, out, bundle)
    assert message in str(raised.value) and "bad.csv" in str(raised.value)
    assert "Fix:" in str(raised.value)
    assert not out.exists()


def test_a_missing_gradebook_file_is_named(tmp_path, bundle):
    with pytest.raises(ReportError, match="no such file"):
        load_gradebook(tmp_path / "nowhere.csv", bundle)


def test_points_typed_over_a_pending_answer_count(tmp_path, bundle):
    rows = [list(row) for row in ROWS]
    rows[3][4] = "3"  # a person graded student a's reflection but left the status as it was
    table = load_gradebook(write_gradebook(tmp_path / "g.csv", rows), bundle)
    assert stats.student_fractions(table)["a"] == 1.0
    items = stats.item_table(table).set_index(["set", "item"])
    assert items.loc[("claims", "q2"), "mean_fraction"] == 1.0  # one graded answer of four


def test_items_mostly_waiting_for_a_person_are_not_listed_as_most_missed(tmp_path, bundle):
    rows = [list(row) for row in ROWS]
    rows[15][4], rows[15][6] = "0", "ungradable"  # one reflection graded 0, three still pending
    table = load_gradebook(write_gradebook(tmp_path / "g.csv", rows), bundle)
    missed = stats.most_missed(table, limit=10)
    assert ("claims", "q2") not in set(zip(missed["set"], missed["item"], strict=True))
    assert len(missed) == 3
