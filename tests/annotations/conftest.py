"""Fixtures for the annotation tests: a throw-away sources folder with the real articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medialit.corpus import Corpus

REPOSITORY = Path(__file__).resolve().parents[2]
PILOT = REPOSITORY / "sources" / "annotations" / "putin-changed-stance.yaml"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the repository's articles with an empty annotations folder."""
    target = tmp_path / "sources"
    shutil.copytree(REPOSITORY / "sources" / "articles", target / "articles")
    (target / "annotations").mkdir()
    return target


@pytest.fixture
def corpus(sources: Path) -> Corpus:
    return Corpus(sources)


@pytest.fixture
def pilot_text() -> str:
    return PILOT.read_text(encoding="utf-8")


HEADER = "article_id: putin-changed-stance\nstatus: draft\nannotators: [tester]\nentries:\n"


def write_key(
    sources: Path, entries: str, header: str = HEADER, name: str = "putin-changed-stance.yaml"
) -> Path:
    """Write a key file made of ``header`` and YAML ``entries`` into the sources folder."""
    path = sources / "annotations" / name
    path.write_text(header + entries, encoding="utf-8")
    return path


NEW_SITE = REPOSITORY / "tests" / "corpus" / "captures" / "900_saltmarsh_courier.txt"


@pytest.fixture(scope="module")
def new_site_corpus(tmp_path_factory) -> Corpus:
    """The shipped articles plus a (fictional) capture from a site the course has never seen,
    added the documented way: ``corpus ingest`` of a folder holding the capture."""
    from medialit.corpus.ingest import ingest

    target = tmp_path_factory.mktemp("new-site") / "sources"
    shutil.copytree(REPOSITORY / "sources" / "articles", target / "articles")
    shutil.copytree(REPOSITORY / "sources" / "raw", target / "raw")
    (target / "annotations").mkdir()
    drop = target.parent / "drop"
    drop.mkdir()
    shutil.copy(NEW_SITE, drop)
    (result,) = ingest(drop, target)
    assert result.error is None, result.error
    return Corpus(target)
