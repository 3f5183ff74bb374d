"""The curated topic index: every paragraph id exists, the required topics are there."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.corpus import SourceError
from medialit.render.topics import load_topics, student_edition_keys

REQUIRED = {
    "killer-remark": "russia-china-resist",
    "nato-ukraine": "biden-putin-meeting",
    "russia-china": "russia-china-resist",
    "sanctions": "united-states-rebalance",
    "india-quad": "putin-changed-stance",
}


def test_the_index_loads_strictly_and_names_real_paragraphs(corpus):
    topics = load_topics(corpus)  # strict: raises on any unknown article or paragraph
    for topic in topics.values():
        assert topic.paragraph_ids, topic.topic_id
        for paragraph_id in topic.paragraph_ids:
            assert corpus.paragraph(paragraph_id).paragraph_id == paragraph_id


def test_required_topics_include_the_article_that_discusses_them(corpus, shipped):
    shipped(*set(REQUIRED.values()))  # the course's own topics, about the shipped articles
    topics = load_topics(corpus)
    assert set(REQUIRED) <= set(topics)
    for topic_id, article_id in REQUIRED.items():
        assert article_id in topics[topic_id].article_ids


def test_topics_are_described_in_one_line(corpus):
    for topic in load_topics(corpus).values():
        assert "\n" not in topic.description and 20 < len(topic.description) <= 200
        assert topic.name and topic.name != topic.topic_id


def test_passages_on_a_topic_mention_it(corpus):
    """A light guard against a slipped number: each listed paragraph names the topic's subject,
    or continues a run of listed paragraphs next to it that does (a lead-in such as "He added
    with a straight face," or a reply quoted after the paragraph that gives its occasion)."""
    cues = {
        "killer-remark": ("remark", "comment", "invite", "killer", "interview", "Biden"),
        "nato-ukraine": ("NATO", "Ukraine", "eastward", "guarantee", "expansion"),
        "russia-china": ("China", "Chinese", "Beijing", "Sino"),
        "sanctions": ("sanction", "Sanction", "expel", "SWIFT", "sanctions"),
        "india-quad": ("India", "Modi", "Quad", "QUAD", "SCO", "Delhi"),
    }
    topics = load_topics(corpus)
    for topic_id, words in cues.items():
        listed = set(topics[topic_id].paragraph_ids)
        for paragraph_id in listed:
            paragraph = corpus.paragraph(paragraph_id)
            near = [paragraph_id] + [
                f"{paragraph.article_id}:p{paragraph.number + step:02d}" for step in (-1, 1)
            ]
            texts = [corpus.paragraph(pid).text for pid in near if pid in listed]
            assert any(word in text for text in texts for word in words), (topic_id, paragraph_id)


def _index(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text("schema: 1\ntopics:\n" + body, encoding="utf-8")
    return path


TOPIC = """  - id: demo
    name: Demo
    description: A topic for the test.
    paragraphs:
"""


@pytest.mark.parametrize(
    ("lines", "place", "words"),
    [
        ("      russia-china-resist: [p99]\n", "russia-china-resist", "p99 does not exist"),
        ("      no-such-article: [p01]\n", "no-such-article", "not an article"),
        ("      russia-china-resist: [p02, p01]\n", "russia-china-resist", "out of order"),
        ("      russia-china-resist: [7]\n", "russia-china-resist", "not a paragraph number"),
    ],
)
def test_a_bad_entry_names_the_file_the_place_and_the_fix(tmp_path, corpus, lines, place, words):
    path = _index(tmp_path, TOPIC + lines)
    with pytest.raises(SourceError) as caught:
        load_topics(corpus, path)
    message = str(caught.value)
    assert str(path) in message and place in message and words in message and "Fix:" in message


def test_a_two_line_description_is_refused(tmp_path, corpus):
    body = TOPIC.replace("A topic for the test.", "|\n      two\n      lines")
    path = _index(tmp_path, body + "      russia-china-resist: [p01]\n")
    with pytest.raises(SourceError, match="one line"):
        load_topics(corpus, path)


def test_a_removed_article_is_left_out_when_not_strict(tmp_path, corpus):
    path = _index(tmp_path, TOPIC + "      gone-article: [p01]\n      russia-china-resist: [p01]\n")
    with pytest.warns(UserWarning, match="gone-article"):
        topics = load_topics(corpus, path, strict=False)
    assert topics["demo"].paragraph_ids == ["russia-china-resist:p01"]


def test_student_edition_keys_are_articles_of_the_corpus(corpus):
    keys = student_edition_keys(corpus)
    assert keys and set(keys) <= set(corpus.ids())
