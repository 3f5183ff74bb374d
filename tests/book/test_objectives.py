"""Learning objectives: every objective is assessed by a graded item that the exercises define."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.render.objectives import (
    OBJECTIVES_FILE,
    GradedItem,
    Objective,
    ObjectivesError,
    exercise_items,
    exercise_sources,
    load_objectives,
    objectives_page,
    problems,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_objectives_file_is_valid_and_covers_every_skill():
    objectives = load_objectives(ROOT / OBJECTIVES_FILE)
    assert len(objectives) >= 6
    assert {objective.skill for objective in objectives} >= {"framing", "sourcing", "claims"}


def test_problems_name_unassessed_objectives_practice_items_and_unknown_references():
    objectives = [Objective("a", "s", "A."), Objective("b", "s", "B.")]
    assert problems(objectives, [GradedItem("q1", 1, ("a",)), GradedItem("q2", 2, ("b",))]) == []
    assert problems(objectives, [GradedItem("q1", 1, ("a",)), GradedItem("p", 0, ("b",))]) == [
        "objective 'b' is assessed by no graded item"
    ]
    assert problems(objectives, [GradedItem("q1", 1, ("a", "b", "z"))]) == [
        "item 'q1' names unknown objective 'z'"
    ]


def test_duplicate_and_incomplete_objectives_are_refused(tmp_path: Path):
    path = tmp_path / "objectives.yaml"
    path.write_text(
        "objectives:\n  - {id: a, skill: s, text: A.}\n  - {id: a, skill: s, text: B.}\n"
    )
    with pytest.raises(ObjectivesError, match="objective 2: the id 'a' is used twice"):
        load_objectives(path)
    path.write_text("title: no list\n")
    with pytest.raises(ObjectivesError, match="no `objectives:` list"):
        load_objectives(path)


def test_the_page_lists_each_objective_with_its_items():
    page = objectives_page(
        [Objective("a", "framing", "Name the frame.")], [GradedItem("framing.q3", 2, ("a",))]
    )
    assert "| `a` | framing | Name the frame. | `framing.q3` |" in page


def test_exercise_sources_ignore_readmes_and_hidden_files(tmp_path: Path):
    folder = tmp_path / "exercises"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    (folder / "README.md").write_text("about")
    (folder / ".ipynb_checkpoints" / "x.md").write_text("copy")
    assert exercise_sources(tmp_path) == []
    (folder / "framing.md").write_text("# Framing")
    assert exercise_sources(tmp_path) == [folder / "framing.md"]


def test_every_objective_is_assessed_by_a_graded_item_of_the_exercises():
    objectives = load_objectives(ROOT / OBJECTIVES_FILE)
    items = exercise_items(ROOT)
    assert items, "the exercises define no graded items"
    assert problems(objectives, items) == []
