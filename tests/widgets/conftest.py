"""Fixtures for the widget tests: a folder to play the notebook's folder, and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.corpus import Corpus, default
from medialit.widgets.store import AnswersFile

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus() -> Corpus:
    return default()


@pytest.fixture
def store(tmp_path: Path) -> AnswersFile:
    """The answers file of a notebook called exercise.ipynb in a fresh folder."""
    return AnswersFile(tmp_path / "exercise.answers.json")
