"""`annotations check --references` and the book build: every page that uses a missing article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medialit.annotations.__main__ import main
from medialit.annotations.references import reference_problems
from medialit.corpus import Corpus

REPOSITORY = Path(__file__).resolve().parents[2]
MATERIAL = ("book", "notebooks", "exercises", "sources")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the course material (pages, notebooks, exercises, sources) to change freely."""
    for folder in MATERIAL:
        shutil.copytree(
            REPOSITORY / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("_build", "articles/*-*.md")
            if folder == "book"
            else None,
        )
    return tmp_path


def _remove(course: Path, article_id: str) -> None:
    (path,) = (course / "sources" / "articles").glob(f"*-{article_id}.md")
    path.unlink()


def test_the_shipped_course_has_no_broken_reference(course):
    assert reference_problems(course, Corpus(course / "sources")) == []


def test_removing_an_article_lists_every_kind_of_page_that_uses_it(course, capsys):
    corpus = Corpus(course / "sources")
    used = {a for a in corpus.ids() if (course / "sources" / "annotations" / f"{a}.yaml").exists()}
    removed = sorted(used)[0]
    before = set(reference_problems(course, corpus))  # none on a consistent course
    _remove(course, removed)
    problems = [
        p for p in reference_problems(course, Corpus(course / "sources")) if p not in before
    ]
    assert problems and all(removed in p.problem for p in problems)
    folders = {p.path.split("/")[0] for p in problems}
    assert "sources" in folders  # its key (and topic entries, if any)
    assert any(p.path == f"sources/annotations/{removed}.yaml" for p in problems)
    status = main(["--sources", str(course / "sources"), "check", "--references"])
    assert status == 1
    err = capsys.readouterr().err
    assert f"{len(problems) + len(before)} reference(s) in" in err
    for problem in problems:
        assert str(problem) in err


def test_the_moscow_article_is_used_by_notebooks_exercises_codebook_and_topics(course, shipped):
    """The shipped course: removing this article names pages of every kind."""
    shipped("moscows-coercive-diplomacy")
    _remove(course, "moscows-coercive-diplomacy")
    problems = reference_problems(course, Corpus(course / "sources"))
    paths = {p.path for p in problems}
    for expected in (
        "notebooks/01-who-is-speaking.md",
        "exercises/claims.md",
        "book/codebook/claims.md",
        "sources/topics.yaml",
        "sources/annotations/moscows-coercive-diplomacy.yaml",
    ):
        assert expected in paths
    assert any("lists the article" in p.problem for p in problems)  # a list of ids in code


def test_a_quote_no_longer_verbatim_and_a_paragraph_out_of_range_are_named(course):
    page = course / "book" / "codebook" / "sourcing.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("{.corpus-quote}")
    quote_start = text.rindex("[", 0, start) + 1
    changed = text[:quote_start] + "Plainly " + text[quote_start:]
    page.write_text(changed, encoding="utf-8")
    notebook = course / "notebooks" / "00-orientation.md"
    notebook.write_text(
        notebook.read_text(encoding="utf-8") + "\nSee `russia-china-resist:p99`.\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in reference_problems(course, Corpus(course / "sources"))]
    assert any("book/codebook/sourcing.md" in p and "verbatim" in p for p in problems)
    assert any("russia-china-resist:p99" in p and "paragraphs p01 to" in p for p in problems)


def test_the_book_build_stops_with_the_list(course):
    from sphinx.errors import ExtensionError

    from medialit.render.sphinx_ext import check_references

    corpus = Corpus(course / "sources")
    keyed = [a for a in corpus.ids() if (course / "sources" / "annotations" / f"{a}.yaml").exists()]
    _remove(course, keyed[0])  # an article with a key: at least its key names it
    with pytest.raises(ExtensionError, match=r"reference\(s\) do not fit the corpus"):
        check_references(course, Corpus(course / "sources"))


def test_the_notebook_cache_is_cleared_when_the_corpus_changes(course):
    from medialit.render.sphinx_ext import corpus_digest, key_cache_on_corpus

    cache = course / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    (cache / "entry").write_text("old outputs")
    first = corpus_digest(course / "sources")
    assert key_cache_on_corpus(cache, first)  # no stamp yet: cleared once
    cache.mkdir()
    (cache / "entry").write_text("outputs of this corpus")
    assert not key_cache_on_corpus(cache, first)
    assert (cache / "entry").exists()
    _remove(course, Corpus(course / "sources").ids()[0])
    second = corpus_digest(course / "sources")
    assert second != first
    assert key_cache_on_corpus(cache, second)
    assert not cache.exists()
