"""Find a quote in the corpus, treating quote marks, dashes and white space as equal."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medialit.corpus.textnorm import fold, fold_with_map

if TYPE_CHECKING:
    from medialit.corpus.load import Corpus


@dataclass(frozen=True)
class Location:
    """Where a quote is: the article, the paragraph, and offsets into the article body."""

    article_id: str
    paragraph_id: str
    start: int
    end: int
    text: str  # the passage exactly as stored (curly quotes and all)


class QuoteNotFound(ValueError):
    """The quote is not verbatim in the corpus; ``nearest`` is the closest passage."""

    def __init__(self, quote: str, nearest: tuple[str, str] | None, scope: str) -> None:
        self.quote = quote
        self.nearest = nearest
        message = f"This quote is not verbatim in {scope}: {quote!r}."
        if nearest:
            message += (
                f" The nearest passage is {nearest[0]}: {nearest[1]!r}. Copy the words "
                "exactly as the article has them, typos included."
            )
        super().__init__(message)


def locate_all(corpus: Corpus, quote: str, article_id: str | None = None) -> list[Location]:
    """Every place where ``quote`` occurs (in one article, or in the whole corpus)."""
    needle = fold(quote)
    if not needle:
        raise ValueError("The quote is empty: paste the words you want to find.")
    found: list[Location] = []
    for article in [corpus.article(article_id)] if article_id else corpus:
        haystack, index_map = fold_with_map(article.body)
        position = haystack.find(needle)
        while position != -1:
            start = index_map[position]
            end = index_map[position + len(needle) - 1] + 1
            paragraph = next(p for p in article.paragraphs if p.start <= start < p.end + 2)
            found.append(
                Location(
                    article.article_id, paragraph.paragraph_id, start, end, article.body[start:end]
                )
            )
            position = haystack.find(needle, position + 1)
    return found


def locate(corpus: Corpus, quote: str, article_id: str | None = None) -> Location:
    """The first place where ``quote`` occurs, or QuoteNotFound naming the nearest passage."""
    found = locate_all(corpus, quote, article_id)
    if found:
        return found[0]
    scope = f"article {article_id}" if article_id else "the corpus"
    raise QuoteNotFound(quote, nearest_passage(corpus, quote, article_id), scope)


def nearest_passage(
    corpus: Corpus, quote: str, article_id: str | None = None
) -> tuple[str, str] | None:
    """The sentence (id, text) most like ``quote``: a hint for a student whose quote is off."""
    needle = fold(quote).lower()
    best: tuple[float, str, str] | None = None
    for sentence in corpus.sentences(article_id).itertuples():
        matcher = difflib.SequenceMatcher(None, needle, fold(sentence.text).lower(), autojunk=False)
        if matcher.real_quick_ratio() < (best[0] if best else 0):
            continue
        score = matcher.ratio()
        if best is None or score > best[0]:
            best = (score, sentence.sentence_id, sentence.text)
    return (best[1], best[2]) if best else None
