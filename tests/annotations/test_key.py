"""Loading keys: offsets come from the text, and every mistake is named with its file and fix."""

from __future__ import annotations

import pytest

from medialit.annotations.key import KeyFileError, annotations, load_key, load_keys
from medialit.corpus.locate import locate

from .conftest import write_key

P04 = "putin-changed-stance:p04"


def entry(span: str, paragraph: str = P04, extra: str = "", entry_id: str = "t1") -> str:
    return (
        f"- id: {entry_id}\n  paragraph_id: {paragraph}\n  layer: persuasion\n"
        f"  span: '{span}'\n  technique: loaded_language\n  rationale: Test.\n{extra}"
    )


def problems_of(sources, corpus, text: str) -> str:
    path = write_key(sources, text)
    with pytest.raises(KeyFileError) as caught:
        load_key(path, corpus)
    message = str(caught.value)
    assert "putin-changed-stance.yaml" in message
    return message


def test_offsets_are_computed_from_the_span(sources, corpus):
    path = write_key(sources, entry("a violation of SCO charter"))
    before = path.read_bytes()
    key = load_key(path, corpus)
    (annotation,) = key.annotations
    body = corpus.article("putin-changed-stance").body
    assert (
        body[annotation.start : annotation.end] == annotation.text == "a violation of SCO charter"
    )
    found = locate(corpus, "a violation of SCO charter", "putin-changed-stance")
    assert (found.start, found.end) == (annotation.start, annotation.end)
    assert annotation.category == "manipulative_wording"
    assert path.read_bytes() == before  # loading never changes the key file


def test_straight_quotes_in_the_key_match_curly_quotes_in_the_text(sources, corpus):
    key = load_key(write_key(sources, entry('"It is unfortunate')), corpus)
    assert key.annotations[0].text == "\u201cIt is unfortunate"


def test_a_span_not_in_the_text_names_the_entry_and_the_nearest_passage(sources, corpus):
    message = problems_of(sources, corpus, entry("a violation of the SCO charter"))
    assert "entry 't1' (putin-changed-stance:p04)" in message
    assert "not verbatim" in message and "nearest passage" in message


def test_a_span_in_another_paragraph_says_which(sources, corpus):
    message = problems_of(sources, corpus, entry("Chinese wormhole"))
    assert "but in putin-changed-stance:p02" in message and "correct paragraph_id" in message


def test_a_repeated_span_needs_an_occurrence(sources, corpus):
    p06 = "putin-changed-stance:p06"
    message = problems_of(sources, corpus, entry("SCO", p06))
    assert "occurs 2 times" in message and "occurrence" in message
    key = load_key(write_key(sources, entry("SCO", p06, "  occurrence: 2\n")), corpus)
    first, second = (loc.start for loc in locate_all_in(corpus, "SCO", p06)[:2])
    assert key.annotations[0].start == second != first
    message = problems_of(sources, corpus, entry("SCO", p06, "  occurrence: 3\n"))
    assert "occurrence is 3" in message


def locate_all_in(corpus, words, paragraph_id):
    from medialit.corpus.locate import locate_all

    return [
        loc
        for loc in locate_all(corpus, words, "putin-changed-stance")
        if loc.paragraph_id == paragraph_id
    ]


def test_unknown_paragraph(sources, corpus):
    message = problems_of(sources, corpus, entry("x", "putin-changed-stance:p40"))
    assert "paragraphs 1 to 16" in message


def test_source_and_cue_are_found_near_the_span(sources, corpus):
    text = (
        "- id: s1\n  paragraph_id: putin-changed-stance:p10\n  layer: sourcing\n"
        "  span: China has started to build a clear technical lead\n  source: Justin Bronk\n"
        "  cue: writes\n  source_type: expert\n  quote_kind: direct\n  rationale: Test.\n"
    )
    key = load_key(write_key(sources, text), corpus)
    annotation = key.annotations[0]
    body = corpus.article("putin-changed-stance").body
    assert body[annotation.source_start : annotation.source_end] == "Justin Bronk"
    assert body[annotation.cue_start : annotation.cue_end] == "writes"
    far = text.replace("source: Justin Bronk", "source: Roman N Babushkin")
    message = problems_of(sources, corpus, far)
    assert "source 'Roman N Babushkin' is not in putin-changed-stance:p10" in message


def test_all_problems_of_a_file_are_reported_together(sources, corpus):
    text = entry("no such words", entry_id="a") + entry("nor these", entry_id="b")
    message = problems_of(sources, corpus, text)
    assert "2 problem(s)" in message and "entry 'a'" in message and "entry 'b'" in message


def test_schema_errors_name_the_entry_and_field(sources, corpus):
    message = problems_of(sources, corpus, entry("x").replace("loaded_language", "loaded"))
    assert "entry 't1' (putin-changed-stance:p04)" in message
    assert "technique" in message and "Did you mean 'loaded_language'" in message
    message = problems_of(sources, corpus, entry("x", extra="  start: 4\n"))
    assert "offsets are computed" in message
    message = problems_of(sources, corpus, entry("x", extra="  rationnale: typo\n"))
    assert "`rationnale` is not a field" in message


def test_duplicate_yaml_fields_and_bad_yaml(sources, corpus):
    message = problems_of(sources, corpus, entry("x", extra="  technique: repetition\n"))
    assert "given twice" in message
    message = problems_of(sources, corpus, "- id: [unclosed\n")
    assert "YAML" in message


def test_file_name_and_article_must_match(sources, corpus):
    path = write_key(sources, entry("a violation"), name="other.yaml")
    with pytest.raises(KeyFileError, match=r"must be named putin-changed-stance\.yaml"):
        load_key(path, corpus)
    header = "article_id: no-such-article\nstatus: draft\nannotators: [t]\nentries:\n"
    path = write_key(
        sources, entry("x", "no-such-article:p01"), header=header, name="no-such-article.yaml"
    )
    with pytest.raises(KeyFileError, match="not in the corpus"):
        load_key(path, corpus)


def test_missing_file(sources, corpus):
    with pytest.raises(KeyFileError, match="does not exist"):
        load_key("biden-putin-meeting", corpus)


def test_load_keys_and_table(sources, corpus):
    write_key(sources, entry("a violation of SCO charter"))
    keys = load_keys(corpus)
    assert list(keys) == ["putin-changed-stance"]
    table = annotations(corpus=corpus)
    assert table.loc[0, "key"] == "putin-changed-stance/t1"
    assert table.loc[0, "category"] == "manipulative_wording"
