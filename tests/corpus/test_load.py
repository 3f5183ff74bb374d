"""Loading the article files: ids, offsets, DataFrames, and clear errors for bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from medialit import corpus
from medialit.corpus import Corpus, CorpusError

EXPECTED_IDS = [  # the shipped articles, in date order
    "putin-changed-stance",
    "russia-china-resist",
    "united-states-rebalance",
    "biden-putin-meeting",
    "moscows-coercive-diplomacy",
]


def test_the_shipped_articles_are_in_date_order(shipped):
    shipped(*EXPECTED_IDS)
    ids = corpus.articles()["article_id"].tolist()
    assert [article_id for article_id in ids if article_id in EXPECTED_IDS] == EXPECTED_IDS


def test_articles_are_in_date_order_with_undated_ones_at_their_estimate():
    dates = corpus.articles()["date"].tolist()
    assert dates == sorted(dates) and len(dates) == len(corpus.default())


def test_articles_frame_has_the_metadata_columns(shipped):
    shipped("moscows-coercive-diplomacy", "putin-changed-stance")
    frame = corpus.articles().set_index("article_id")
    assert {
        "title",
        "author",
        "first_publisher",
        "first_published",
        "republisher",
        "republished",
        "seed_file",
        "rights_basis",
        "attribution",
        "word_count",
        "paragraph_count",
        "sentence_count",
    } <= set(frame.columns)
    assert frame.loc["moscows-coercive-diplomacy", "republisher"] == "Global Research"
    assert pd.isna(frame.loc["putin-changed-stance", "author"])


def test_unknown_facts_are_null_with_a_reason(shipped):
    shipped("putin-changed-stance")
    meta = corpus.article("putin-changed-stance").meta
    assert meta.author is None and meta.unknown["author"]
    assert meta.first_published is None and meta.unknown["first_published"]
    assert "inferred" in meta.date_note


def test_paragraph_and_sentence_ids_have_the_documented_form():
    paragraphs = corpus.paragraphs()
    sentences = corpus.sentences()
    assert paragraphs["paragraph_id"].str.fullmatch(r"[a-z0-9-]+:p\d{2,}").all()
    assert sentences["sentence_id"].str.fullmatch(r"[a-z0-9-]+:p\d{2,}\.s\d{2,}").all()
    assert paragraphs["paragraph_id"].is_unique and sentences["sentence_id"].is_unique
    assert set(sentences["paragraph_id"]) <= set(paragraphs["paragraph_id"])


@pytest.mark.parametrize("article_id", corpus.default().ids())
def test_offsets_round_trip_into_the_body(article_id):
    article = corpus.article(article_id)
    for paragraph in article.paragraphs:
        assert article.body[paragraph.start : paragraph.end] == paragraph.text
    for sentence in article.sentences:
        assert article.body[sentence.start : sentence.end] == sentence.text
    for cue in corpus.link_cues(article_id).itertuples():
        assert article.body[cue.start : cue.end] == cue.anchor_text


def test_sentences_cover_every_paragraph_without_gaps():
    for article_id in corpus.default().ids():
        article = corpus.article(article_id)
        for paragraph in article.paragraphs:
            spans = [s for s in article.sentences if s.paragraph_id == paragraph.paragraph_id]
            rebuilt = " ".join(s.text for s in spans)
            assert re.sub(r"\s+", " ", rebuilt) == re.sub(r"\s+", " ", paragraph.text)


def test_paragraph_lookup_by_id(shipped):
    shipped("moscows-coercive-diplomacy")
    assert corpus.paragraph("moscows-coercive-diplomacy:p09").text.startswith(
        "Does it mean that the crisis has peaked?"
    )
    with pytest.raises(KeyError, match="paragraphs 1 to"):
        corpus.paragraph("moscows-coercive-diplomacy:p99")
    with pytest.raises(KeyError, match="no article 'nope'"):
        corpus.article("nope")


def test_link_cues_record_article_paragraph_and_anchor_text(shipped):
    shipped("russia-china-resist")
    cues = corpus.link_cues("russia-china-resist")
    row = cues[cues["anchor_text"] == "it said"].iloc[0]
    assert row["paragraph_id"] == "russia-china-resist:p10"


def _article_files(sources: Path) -> dict[str, Path]:
    return {path.name: path for path in (sources / "articles").glob("*.md")}


def test_ids_do_not_change_when_an_article_is_added(sources_copy: Path):
    before = Corpus(sources_copy)
    before_ids = {a.article_id: [p.paragraph_id for p in a.paragraphs] for a in before}
    before_sentences = before.sentences()["sentence_id"].tolist()
    new = sources_copy / "articles" / "2021-06-16-writer-geneva-summit.md"
    new.write_text(
        "---\narticle_id: geneva-summit\ntitle: A made-up test article\nauthor: A. Writer\n"
        "first_publisher: Test Weekly\nfirst_published: 2021-06-16\nrights_basis: test\n"
        "attribution: test\n---\n\nThe first paragraph. It has two sentences.\n\nA second one.\n",
        encoding="utf-8",
    )
    after = Corpus(sources_copy)
    assert len(after) == len(before) + 1
    for article_id, paragraph_ids in before_ids.items():
        assert [p.paragraph_id for p in after.article(article_id).paragraphs] == paragraph_ids
    assert set(before_sentences) <= set(after.sentences()["sentence_id"])
    earlier = sum(a.meta.date.isoformat() < "2021-06-16" for a in before)
    assert after.ids().index("geneva-summit") == earlier  # ordered by date
    assert after.article("geneva-summit").meta.word_count == 10


def test_removing_an_article_leaves_the_rest_loading(sources_copy: Path):
    before = Corpus(sources_copy)
    removed = before.ids()[0]
    Path(before.article(removed).path).unlink()
    after = Corpus(sources_copy)
    assert removed not in after.ids()
    assert after.ids() == before.ids()[1:]


GOOD_HEADER = (
    "article_id: test-article\ntitle: A test\nauthor: A. Writer\n"
    "first_publisher: Test Weekly\nfirst_published: 2021-06-16\nrights_basis: test\n"
    "attribution: test\n"
)


def _write(sources: Path, name: str, content: str | bytes) -> Path:
    path = sources / "articles" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "place", "fix"),
    [
        (GOOD_HEADER.replace("title: A test\n", ""), "title: is missing", "add 'title: ...'"),
        (
            GOOD_HEADER.replace("2021-06-16", "June 2021"),
            "first_published",
            "not a date in the form YYYY-MM-DD",
        ),
        (
            GOOD_HEADER.replace("author: A. Writer", "author: null"),
            "author is null without a reason",
            "unknown:",
        ),
        (GOOD_HEADER + "colour: red\n", "colour: is not a field", "correct its spelling"),
        (GOOD_HEADER.replace("test-article", "Test Article"), "article_id", "should match pattern"),
    ],
)
def test_bad_front_matter_names_the_file_the_field_and_the_fix(sources_copy, content, place, fix):
    path = _write(sources_copy, "bad.md", f"---\n{content}---\n\nSome text.\n")
    with pytest.raises(CorpusError) as raised:
        Corpus(sources_copy)
    message = str(raised.value)
    assert str(path) in message and place in message and fix in message
    assert "Fix:" in message


def test_a_duplicate_id_names_both_files(sources_copy):
    _write(
        sources_copy,
        "zz-copy.md",
        "---\n" + GOOD_HEADER.replace("test-article", "russia-china-resist") + "---\n\nText.\n",
    )
    with pytest.raises(
        CorpusError,
        match=r"zz-copy\.md: article_id: 'russia-china-resist' is "
        r"already used by 2021-03-24-bhadrakumar",
    ):
        Corpus(sources_copy)


def test_an_empty_body_is_an_error(sources_copy):
    _write(sources_copy, "empty.md", "---\n" + GOOD_HEADER + "---\n\n   \n")
    with pytest.raises(CorpusError, match=r"empty\.md: text: the article has no text"):
        Corpus(sources_copy)


def test_a_file_that_is_not_utf8_names_the_byte_and_line(sources_copy):
    _write(
        sources_copy, "latin1.md", ("---\n" + GOOD_HEADER + "---\n\nCaf\u00e9\n").encode("latin-1")
    )
    with pytest.raises(CorpusError, match=r"latin1.md: byte \d+ \(line 11\): is not UTF-8"):
        Corpus(sources_copy)


def test_missing_front_matter_and_broken_yaml_are_explained(sources_copy):
    _write(sources_copy, "plain.md", "Just text, no front matter.\n")
    _write(sources_copy, "broken.md", "---\ntitle: [unclosed\n---\n\nText.\n")
    with pytest.raises(CorpusError) as raised:
        Corpus(sources_copy)
    message = str(raised.value)
    assert "plain.md: line 1: the file does not start with a front matter block" in message
    assert "broken.md: front matter line" in message and "not valid YAML" in message


def test_a_bad_file_leaves_the_others_loadable_when_not_strict(sources_copy):
    _write(
        sources_copy,
        "bad.md",
        "---\n" + GOOD_HEADER.replace("title: A test\n", "") + "---\n\nText.\n",
    )
    loaded = Corpus(sources_copy, strict=False)
    assert len(loaded) == len(list((sources_copy / "articles").glob("*.md"))) - 1
    assert len(loaded.errors) == 1 and "bad.md" in str(loaded.errors[0])


def test_a_wrong_word_count_is_reported_with_the_right_number(sources_copy):
    _write(
        sources_copy,
        "count.md",
        "---\n" + GOOD_HEADER + "word_count: 99\n---\n\nThree words here.\n",
    )
    with pytest.raises(CorpusError, match="word_count: says 99 but the text has 3 words"):
        Corpus(sources_copy)


def test_loading_never_modifies_the_files(sources_copy):
    before = {path: path.read_bytes() for path in (sources_copy / "articles").glob("*.md")}
    Corpus(sources_copy)
    assert before == {path: path.read_bytes() for path in (sources_copy / "articles").glob("*.md")}
