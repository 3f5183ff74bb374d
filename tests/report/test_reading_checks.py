"""The reading checks as written: two parallel forms, each given before and after the unit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medialit import corpus
from medialit.assign.build import build_set
from medialit.assign.source import read_source
from medialit.render.exercise_pages import write_exercise_pages
from medialit.render.objectives import OBJECTIVES_FILE, load_objectives

ROOT = Path(__file__).resolve().parents[2]
FORMS = ("a", "b")


def as_occasion(text: str, occasion: str) -> str:
    """A pretest source as the posttest of the same form: only the set id and title differ."""
    text = re.sub(r"(?m)^  set: pretest_", f"  set: {occasion}_", text, count=1)
    return text.replace("Reading check before the unit", "Reading check after the unit", 1)


@pytest.fixture(scope="module")
def sets():
    return {
        f"{occasion}_{form}": build_set(read_source(ROOT / "exercises" / f"{occasion}_{form}.md"))[
            0
        ]
        for occasion in ("pretest", "posttest")
        for form in FORMS
    }


@pytest.mark.parametrize("form", FORMS)
def test_the_posttest_is_the_pretest_of_the_same_form(form) -> None:
    pre = (ROOT / "exercises" / f"pretest_{form}.md").read_text(encoding="utf-8")
    post = (ROOT / "exercises" / f"posttest_{form}.md").read_text(encoding="utf-8")
    assert post == as_occasion(pre, "posttest"), (
        f"exercises/posttest_{form}.md must be exercises/pretest_{form}.md with the set id "
        "posttest_... and the title 'after the unit': edit the pretest, then copy it over"
    )


def test_each_form_assesses_every_objective(sets) -> None:
    objectives = {o.id for o in load_objectives(ROOT / OBJECTIVES_FILE)}
    for set_id, exercise in sets.items():
        assessed = {o for item in exercise.items for o in item.objectives}
        assert assessed == objectives, f"{set_id} misses {sorted(objectives - assessed)}"


def test_the_forms_are_parallel(sets) -> None:
    """Item by item: the same kind, points and objectives; the same total."""
    shape = {
        set_id: [(i.id, i.kind, i.points, i.objectives) for i in exercise.items]
        for set_id, exercise in sets.items()
    }
    assert shape["pretest_a"] == shape["pretest_b"] == shape["posttest_a"] == shape["posttest_b"]
    assert 15 <= sets["pretest_a"].max_points <= 20  # about fifteen minutes
    pairs = zip(sets["pretest_a"].items, sets["pretest_b"].items, strict=True)
    keys = [(a.key, b.key) for a, b in pairs]
    assert sum(a != b for a, b in keys if a is not None) >= 4, "the forms are not one test twice"


def test_every_scored_item_is_followed_by_its_confidence_rating(sets) -> None:
    for set_id, exercise in sets.items():
        items = exercise.items
        scored = [item for item in items if item.kind != "confidence"]
        assert len(items) == 2 * len(scored), set_id
        for item, rating in zip(items[::2], items[1::2], strict=True):
            assert item.kind != "confidence" and rating.kind == "confidence", set_id
            assert rating.id == f"{item.id}_confidence" and rating.points == 0


def test_the_passages_are_not_from_the_corpus(sets) -> None:
    """The forms are written for the course: they name no article, and the corpus does not hold
    their passages (so nothing else in the course shows or grades them)."""
    ids = corpus.default().ids()
    for form in FORMS:
        text = (ROOT / "exercises" / f"pretest_{form}.md").read_text(encoding="utf-8")
        assert "written for this course" in text
        assert not [a for a in ids if a in text]
        sentences = re.findall(r"\*\*\[\d\.\d\]\*\* ([^*]+?)(?= \*\*\[|\n\n)", text)
        assert len(sentences) == 15  # three passages of five sentences
        for sentence in sentences:
            words = " ".join(sentence.replace("\n> ", " ").split()[:6])
            for article_id in ids:
                assert not corpus.locate_all(words, article_id), (words, article_id)


def test_the_forms_are_not_previewed_on_the_student_site(tmp_path) -> None:
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    for name in ("pretest_a.md", "claims.md"):
        (exercises / name).write_text((ROOT / "exercises" / name).read_text(encoding="utf-8"))
    written = {p.relative_to(tmp_path).as_posix() for p in write_exercise_pages(tmp_path)}
    assert written == {
        "book/exercises/claims.ipynb",
        "book/instructor/solutions/claims.ipynb",
        "book/instructor/solutions/pretest_a.ipynb",
    }
