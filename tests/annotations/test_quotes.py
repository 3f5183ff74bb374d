"""The quote finder: quotation marks of both kinds, apostrophes, block and unclosed quotations."""

from __future__ import annotations

from medialit.annotations.quotes import find_quotations, quotations
from medialit.corpus.model import Article, ArticleMeta, Paragraph


def article_of(*texts: str, kinds: tuple[str, ...] = ()) -> Article:
    meta = ArticleMeta(
        article_id="test",
        title="T",
        author=None,
        first_publisher=None,
        first_published="2021-01-01",
        rights_basis="test",
        attribution="test",
        unknown={"author": "none", "first_publisher": "none"},
    )
    paragraphs, start = [], 0
    for number, text in enumerate(texts, start=1):
        kind = kinds[number - 1] if kinds else "text"
        paragraphs.append(
            Paragraph(f"test:p{number:02d}", "test", number, kind, text, start, start + len(text))
        )
        start += len(text) + 2
    return Article(meta, "test.md", "\n\n".join(texts), paragraphs)


def texts(article: Article) -> list[str]:
    return [quote.text for quote in find_quotations(article)]


def test_curly_and_straight_double_quotes():
    article = article_of('He said “no” and then "yes" to it.')
    assert texts(article) == ["“no”", '"yes"']
    quote = find_quotations(article)[0]
    assert article.body[quote.start : quote.end] == "“no”"


def test_apostrophes_are_not_quotation_marks():
    assert texts(article_of("Russia’s and Biden's plans, the allies’ view.")) == []


def test_single_quotes_outside_double_ones_only():
    article = article_of("It called for ‘de-escalation’ and “our ‘red lines’ matter”.")
    assert texts(article) == ["‘de-escalation’", "“our ‘red lines’ matter”"]


def test_block_quotations_and_unclosed_quotes():
    article = article_of(
        "Intro,",
        "“A long quotation.”",
        "‘never closed, to the end",
        kinds=("text", "quote", "text"),
    )
    found = find_quotations(article)
    assert [(q.kind, q.closed) for q in found] == [("block", True), ("inline", False)]
    assert found[1].text == "‘never closed, to the end"


def test_the_corpus_quotations_include_the_known_ones():
    table = quotations("russia-china-resist")
    assert {"“killer”", "“walk and chew gum”"} <= set(table["text"])
    assert set(table["kind"]) == {"block", "inline"}
