"""Fixtures for the widget tests: a folder to play the notebook's folder, and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.corpus import Corpus, default
from medialit.widgets.store import AnswersFile
from tests.live import jupyter_server

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus() -> Corpus:
    return default()


@pytest.fixture
def store(tmp_path: Path) -> AnswersFile:
    """The answers file of a notebook called exercise.ipynb in a fresh folder."""
    return AnswersFile(tmp_path / "exercise.answers.json")


# --------------------------------------------------------------------------- browser fixtures
# The one Chromium session and the built, served editions come from tests/conftest.py (two
# Playwright sessions cannot be open at once in one process).


@pytest.fixture(scope="session")
def site_url(sites) -> str:
    """The student edition, served on 127.0.0.1 for the length of the session."""
    return sites["student"].base_url


# --------------------------------------------------------------------------- live Jupyter

LAB_TOKEN = "medialit-widget-test"


def _jupyter_server(tmp_path_factory, app: str):
    """A Jupyter server (``jupyter-lab`` or ``jupyter-notebook``) on 127.0.0.1 serving a fresh
    folder; yields (url, folder, token), then stops it."""
    base = tmp_path_factory.mktemp(app.removeprefix("jupyter-"))
    root = base / "notebooks"
    root.mkdir()
    with jupyter_server(app, base, root, LAB_TOKEN) as url:
        yield url, root, LAB_TOKEN


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a fresh folder; yields (url, folder, token)."""
    yield from _jupyter_server(tmp_path_factory, "jupyter-lab")


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    """A Jupyter Notebook 7 server on 127.0.0.1 serving a fresh folder; (url, folder, token)."""
    yield from _jupyter_server(tmp_path_factory, "jupyter-notebook")
