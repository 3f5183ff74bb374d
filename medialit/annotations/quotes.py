"""Find the quotations in an article: block quotations and text between quotation marks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from medialit.corpus import Article, Corpus, default

DOUBLE_OPEN = '\u201c"'
DOUBLE_CLOSE = '\u201d"'
SINGLE_OPEN = "\u2018'"
SINGLE_CLOSE = "\u2019'"
_BEFORE_OPENING = " \t\n([\u2014\u2013-/:"


@dataclass(frozen=True)
class Quotation:
    """A passage in quotation marks (``inline``) or a paragraph set apart as one (``block``)."""

    article_id: str
    paragraph_id: str
    start: int
    end: int
    text: str
    kind: str  # "block" or "inline"
    closed: bool  # False when the capture opens a quotation and never closes it


def _opens(text: str, index: int, marks: str) -> bool:
    """A quotation mark that opens: at the start or after a space or bracket, before a word."""
    if text[index] not in marks:
        return False
    before_ok = index == 0 or text[index - 1] in _BEFORE_OPENING or text[index - 1] in DOUBLE_OPEN
    after = text[index + 1] if index + 1 < len(text) else ""
    return before_ok and after != "" and not after.isspace()


def _closes(text: str, index: int, marks: str) -> bool:
    """A quotation mark that closes: not at a word's start, and not an apostrophe inside a word."""
    if text[index] not in marks or index == 0 or text[index - 1].isspace():
        return False
    after = text[index + 1] if index + 1 < len(text) else ""
    return not after.isalpha()


def _pairs(
    text: str, opening: str, closing: str, skip: list[tuple[int, int]]
) -> list[tuple[int, int, bool]]:
    found: list[tuple[int, int, bool]] = []
    index = 0
    while index < len(text):
        inside = next((end for start, end in skip if start <= index < end), None)
        if inside is not None:
            index = inside
            continue
        if _opens(text, index, opening):
            close = next(
                (j for j in range(index + 1, len(text)) if _closes(text, j, closing)), None
            )
            end = len(text) if close is None else close + 1
            found.append((index, end, close is not None))
            index = end
            continue
        index += 1
    return found


def find_quotations(article: Article) -> list[Quotation]:
    """Every quotation in ``article``, in text order.

    A paragraph the corpus marks as a quote is one block quotation. Elsewhere a quotation runs
    from an opening mark to the next closing mark of the same kind (double, then single marks
    outside the double ones); apostrophes inside words are not quotation marks.

    >>> from medialit import corpus
    >>> found = find_quotations(corpus.article("putin-changed-stance"))
    >>> [q.text for q in found if q.kind == "inline"][-1]
    '“striking”'
    """
    found: list[Quotation] = []
    for paragraph in article.paragraphs:
        text = paragraph.text
        if paragraph.kind == "quote":
            spans = [(0, len(text), True, "block")]
        else:
            double = _pairs(text, DOUBLE_OPEN, DOUBLE_CLOSE, [])
            single = _pairs(text, SINGLE_OPEN, SINGLE_CLOSE, [(s, e) for s, e, _ in double])
            spans = sorted([(s, e, c, "inline") for s, e, c in double + single])
        for start, end, closed, kind in spans:
            found.append(
                Quotation(
                    article.article_id,
                    paragraph.paragraph_id,
                    paragraph.start + start,
                    paragraph.start + end,
                    text[start:end],
                    kind,
                    closed,
                )
            )
    return found


def quotations(article_id: str | None = None, corpus: Corpus | None = None) -> pd.DataFrame:
    """The quotations of one article (or all) as a table, one row per quotation.

    >>> table = quotations("putin-changed-stance")
    >>> list(table.columns)
    ['article_id', 'paragraph_id', 'start', 'end', 'text', 'kind', 'closed']
    """
    source = corpus if corpus is not None else default()
    articles = [source.article(article_id)] if article_id else list(source)
    rows = [vars(quote) for article in articles for quote in find_quotations(article)]
    return pd.DataFrame(
        rows, columns=["article_id", "paragraph_id", "start", "end", "text", "kind", "closed"]
    )
