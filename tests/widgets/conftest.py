"""Fixtures for the widget tests: a folder to play the notebook's folder, and the corpus."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from medialit.corpus import Corpus, default
from medialit.widgets.store import AnswersFile
from tests.live import jupyter_server

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus() -> Corpus:
    return default()


@dataclass(frozen=True)
class Passage:
    """Two words of a paragraph of some article: what a behaviour test annotates."""

    article_id: str
    paragraph_id: str
    words: str


def passages(corpus: Corpus) -> list[Passage]:
    """Two words from each prose paragraph of every article, in corpus order (the second and
    third words, which a paragraph holds once), so that tests need no particular article."""
    found = []
    for article in corpus:
        for paragraph in article.paragraphs:
            words = paragraph.text.split()
            if paragraph.kind == "heading" or len(words) < 6:
                continue
            chosen = " ".join(words[1:3])
            if paragraph.text.count(chosen) == 1:
                found.append(Passage(article.article_id, paragraph.paragraph_id, chosen))
    return found


@pytest.fixture
def passage(corpus: Corpus) -> list[Passage]:
    """Passages of the corpus, whatever it holds: the first ones are of its first article, and
    ``passage[-1]`` is of its last."""
    return passages(corpus)


def copy_with_draft(folder: Path) -> tuple[Corpus, str, Path]:
    """A copy of the corpus' articles in ``folder/sources`` with a fresh draft key for its last
    article (what `annotations draft` writes); returns (corpus, article id, key path)."""
    from medialit.annotations.draft import write_draft

    sources = folder / "sources"
    shutil.copytree(default().root / "articles", sources / "articles")
    (sources / "annotations").mkdir()
    copy = Corpus(sources)
    article_id = copy.ids()[-1]
    return copy, article_id, Path(write_draft(copy, article_id).path)


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
