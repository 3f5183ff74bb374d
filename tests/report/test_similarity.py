"""Similar work: hand-computed pairs, what is left out (key, articles, prompts, stock phrases),
escaping, and a synthetic class with planted copies found exactly."""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from medialit.grade.bundle import Bundle, ExerciseSet, Item
from medialit.report import build_report, similarity

ARTICLE = "the minister said that the talks in geneva were useful and would go on next spring"
PROMPT = "explain in your own words what the author wants the reader to believe about the talks"
KEY = [{"start": 0, "end": 12, "label": "official"}, {"start": 17, "end": 40, "label": "claim"}]


def _bundle() -> Bundle:
    items = (
        Item("q1", "reflection", 3, title="what the author wants", variable="q1",
             rubric=({"points": 3, "criterion": "names the claim"},)),
        Item("q2", "annotation", 2, title="sources", article_id="art", layer="sourcing",
             key=KEY),
    )  # fmt: skip
    return Bundle({"s": ExerciseSet("s", "Set", items)}, {"art": ARTICLE})


def _table(reflections: dict[str, str], annotations: dict[str, list] | None = None):
    rows = []
    for student, text in reflections.items():
        rows.append([student, "s", "q1", "reflection", None, 3, "pending", json.dumps(text)])
    for student, entries in (annotations or {}).items():
        rows.append([student, "s", "q2", "annotation", 1, 2, "partial", json.dumps(entries)])
    columns = ["student", "set", "item", "kind", "points", "max_points", "status", "answer"]
    return pd.DataFrame(rows, columns=columns)


WORDS = [f"w{n}" for n in range(20)]


def _pairs(table, extra=()):
    return [
        (p.first, p.second, p.shared, round(p.share, 4), p.identical)
        for p in similarity.find_pairs(table, _bundle(), extra)
    ]


def test_a_one_word_change_in_twenty_words_is_hand_computed() -> None:
    # 20 words make 16 runs of 5; changing word 10 breaks the runs starting at 6..10 (5 runs),
    # so 11 runs are shared: 11 of 16 = 68.75% of the shorter answer.
    changed = [*WORDS[:10], "other", *WORDS[11:]]
    table = _table({"ann": " ".join(WORDS), "bo": " ".join(changed), "cy": "x " * 30})
    assert _pairs(table) == [("ann", "bo", 11, 0.6875, False)]


def test_identical_texts_are_flagged_as_identical_whatever_the_case_and_punctuation() -> None:
    table = _table({"ann": " ".join(WORDS), "bo": " ".join(WORDS).upper().replace(" ", ", ")})
    assert _pairs(table) == [("ann", "bo", 16, 1.0, True)]


def test_too_little_in_common_is_not_flagged() -> None:
    # a change at word 5 of 12 words leaves 3 shared runs, fewer than MIN_RUNS
    twelve = WORDS[:12]
    table = _table({"ann": " ".join(twelve), "bo": " ".join([*twelve[:5], "x", *twelve[6:]])})
    assert _pairs(table) == []


def test_article_quotes_prompts_and_rubrics_are_not_evidence() -> None:
    own = {s: " ".join(f"{s}{n}" for n in range(8)) for s in ("ann", "bo")}
    shared = f"{ARTICLE} names the claim"
    table = _table({s: f"{PROMPT} {shared} {own[s]}" for s in own})
    assert _pairs(table, extra=[PROMPT]) == []
    assert _pairs(table) != [], "the prompt alone is shared text when the release is not given"


def test_a_stock_phrase_used_by_many_students_is_common() -> None:
    phrase = " ".join(WORDS)
    many = {f"s{n}": f"{phrase} mine{n}" for n in range(similarity.common_limit(6) + 1)}
    assert _pairs(_table(many)) == []
    few = dict(list(many.items())[: similarity.common_limit(6)])
    assert len(_pairs(_table(few))) == len(list(combinations(few, 2)))


def test_annotations_matching_the_key_are_never_evidence() -> None:
    key = [[0, 12, "official"], [17, 40, "claim"]]
    table = _table({}, {s: key for s in ("ann", "bo", "cy")})
    assert _pairs(table) == []


def test_shared_mistakes_in_annotations_are_flagged_unless_common() -> None:
    key = [[0, 12, "official"], [17, 40, "claim"]]
    mistakes = [[41, 47, "claim"], [48, 53, "claim"], [0, 12, "expert"]]
    table = _table({}, {"ann": key + mistakes, "bo": [*mistakes, [60, 65, "x"]], "cy": key})
    # ann's distinctive part: 3 entries; bo's: 4; 3 shared = 100% of the shorter
    assert _pairs(table) == [("ann", "bo", 3, 1.0, False)]
    crowd = {f"s{n}": mistakes for n in range(5)}  # 5 > common_limit: a common misreading
    assert _pairs(_table({}, crowd)) == []


def test_the_section_escapes_student_text_and_says_it_is_not_a_penalty() -> None:
    hostile = '<img src=x onerror="alert(1)"> ' + " ".join(WORDS)
    table = _table({"<b>ann</b>": hostile, "bo&": hostile})
    table["graded"] = False
    table["fraction"] = None
    pairs = similarity.find_pairs(table, _bundle())
    page = similarity.section(pairs, _bundle(), 2, 2)
    assert "<img" not in page and "<b>ann" not in page
    unmarked = page.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in unmarked
    assert "&lt;b&gt;ann" in page
    assert "never a penalty" in page and "<mark>" in page
    assert page.count('<th scope="col">') >= 2, "the two texts sit in a table with headers"


def test_nothing_to_flag_is_said_plainly() -> None:
    page = similarity.section([], _bundle(), 7, 4)
    assert "No pair of students shares distinctive work (7 answers compared)" in page


ROOT = Path(__file__).resolve().parents[2]


def _readable(folder: Path, sets: list[str]) -> bool:
    """Whether every notebook of the student is one the grader reads (not a broken one)."""
    try:
        return all(
            json.loads((folder / f"{s}.ipynb").read_text()).get("nbformat") == 4 for s in sets
        )
    except ValueError:
        return False


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The real sourcing and comparison sets, a synthetic class of 14, two planted copies."""
    from medialit.assign.build import GRADER, STUDENT, assign
    from medialit.assign.source import exercise_sources
    from medialit.grade.bundle import load_bundle
    from medialit.grade.engine import grade_class
    from medialit.grade.exports import write_outputs
    from medialit.grade.synthetic import reference_table, synthesize
    from medialit.report import load_gradebook
    from medialit.report.synthetic import plant_similar_work

    work = tmp_path_factory.mktemp("similar")
    sets = ["sourcing", "comparison"]
    sources = [p for p in exercise_sources(ROOT / "exercises") if p.stem in sets]
    assign(sources, work / "assign")
    bundle = load_bundle(work / "assign" / GRADER)
    rng = random.Random(4)
    subs = work / "class"
    release = work / "assign" / STUDENT
    synthesize(subs, sets, 14, release, reference_table(sources), bundle, rng, 0)
    readable = [folder.name for folder in sorted(subs.iterdir()) if _readable(folder, sets)]
    copies = [(readable[0], readable[3]), (readable[5], readable[6])]
    plant_similar_work(subs, bundle, rng, copies)
    run = grade_class(subs, work / "assign" / GRADER, work / "out", workers=2, sets=sets)
    write_outputs(run.results, bundle, work / "out")
    table = load_gradebook(work / "out" / "gradebook.csv", bundle)
    return table, bundle, copies, similarity.release_texts(release)


def test_planted_copies_are_found_and_nothing_else(planted) -> None:
    table, bundle, copies, release = planted
    pairs = similarity.find_pairs(table, bundle, release)
    found = {(p.set_id, p.item, p.first, p.second) for p in pairs}
    planted_items = [
        (set_id, item.id)
        for set_id, exercise in bundle.sets.items()
        for item in exercise.items
        if item.kind in ("reflection", "annotation")
    ]
    assert len(planted_items) == 3  # two reflections, one annotation item
    assert found == {(s, i, a, b) for s, i in planted_items for a, b in copies}
    assert all(p.share >= similarity.MIN_SHARE for p in pairs)
    assert not [p for p in pairs if p.kind == "reflection" and p.identical], "4 words changed"


def test_the_report_shows_the_planted_pairs_side_by_side(planted) -> None:
    table, bundle, copies, release = planted
    page = build_report(table, bundle, "Planted", starter_texts=release)
    section = page[page.index("<h2>Similar work to look at</h2>") :]
    for a, b in copies:
        assert f"comparison/q5: {a} and {b}" in section
    assert section.count("<mark>") >= 2 * len(copies)
