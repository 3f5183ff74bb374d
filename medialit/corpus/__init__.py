"""The course corpus: the one way in to the articles for notebooks, widgets, keys and grader.

>>> from medialit import corpus
>>> corpus.article("russia-china-resist").author
'M. K. Bhadrakumar'
>>> corpus.locate('"walk and chew gum"').paragraph_id
'russia-china-resist:p11'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from medialit.corpus.errors import CorpusError, SourceError
from medialit.corpus.load import Corpus, course_file, default_sources
from medialit.corpus.locate import Location, QuoteNotFound
from medialit.corpus.locate import locate as _locate
from medialit.corpus.locate import locate_all as _locate_all
from medialit.corpus.model import Article, Paragraph, Sentence

__all__ = [
    "Article",
    "Corpus",
    "CorpusError",
    "Location",
    "Paragraph",
    "QuoteNotFound",
    "Sentence",
    "SourceError",
    "article",
    "articles",
    "course_file",
    "default",
    "link_cues",
    "locate",
    "locate_all",
    "paragraph",
    "paragraphs",
    "sentences",
]

_cache: dict[Path, tuple[tuple, Corpus]] = {}


def _signature(root: Path) -> tuple:
    folder = root / "articles"
    return (
        tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.md")))
        if folder.is_dir()
        else ()
    )


def default() -> Corpus:
    """The repository's corpus, loaded once and reloaded when an article file changes."""
    root = default_sources()
    signature = _signature(root)
    cached = _cache.get(root)
    if cached is None or cached[0] != signature:
        cached = (signature, Corpus(root))
        _cache[root] = cached
    return cached[1]


def articles() -> pd.DataFrame:
    """One row per article (id, title, author, publishers, dates, rights, counts)."""
    return default().articles()


def paragraphs(article_id: str | None = None) -> pd.DataFrame:
    """Paragraphs with citable ids, text and offsets into the article body."""
    return default().paragraphs(article_id)


def sentences(article_id: str | None = None) -> pd.DataFrame:
    """Sentences with citable ids, text and offsets into the article body."""
    return default().sentences(article_id)


def link_cues(article_id: str | None = None) -> pd.DataFrame:
    """The hyperlink markers of the captures: anchor texts the sourcing layer treats as cues."""
    return default().link_cues(article_id)


def article(article_id: str) -> Article:
    """One article: ``.meta``, ``.body``, ``.paragraphs``, ``.sentences``."""
    return default().article(article_id)


def paragraph(paragraph_id: str) -> Paragraph:
    """One paragraph by its id, e.g. ``'biden-putin-meeting:p13'``."""
    return default().paragraph(paragraph_id)


def locate(quote: str, article_id: str | None = None) -> Location:
    """Find ``quote`` (curly or straight quotes, any dash, any spacing); raise QuoteNotFound."""
    return _locate(default(), quote, article_id)


def locate_all(quote: str, article_id: str | None = None) -> list[Location]:
    """Every occurrence of ``quote`` in the corpus (or in one article)."""
    return _locate_all(default(), quote, article_id)
