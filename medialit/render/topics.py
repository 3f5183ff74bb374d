"""The curated topic index (sources/topics.yaml): topic -> paragraph ids per article, checked."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import yaml

from medialit.corpus import Corpus, SourceError
from medialit.yamlfile import yaml_error_place

TOPICS_FILE = "topics.yaml"
TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARAGRAPH_NUMBER = re.compile(r"^p(\d{2,})$")
MAX_DESCRIPTION = 200


@dataclass(frozen=True)
class Topic:
    """One topic: its id, name, one-line description and paragraph ids by article (text order)."""

    topic_id: str
    name: str
    description: str
    paragraphs: dict[str, tuple[str, ...]]

    @property
    def article_ids(self) -> list[str]:
        """The articles that discuss the topic, in the order the index lists them."""
        return list(self.paragraphs)

    @property
    def paragraph_ids(self) -> list[str]:
        """Every paragraph id of the topic, article by article."""
        return [pid for ids in self.paragraphs.values() for pid in ids]


def topics_path(corpus: Corpus) -> Path:
    """The topic index of a sources folder."""
    return corpus.root / TOPICS_FILE


def _fail(path: Path, place: str, problem: str, fix: str) -> SourceError:
    return SourceError(path, place, problem, fix)


def _topic(path: Path, index: int, raw: object, corpus: Corpus, strict: bool) -> Topic:
    place = f"topics[{index}]"
    if not isinstance(raw, dict):
        raise _fail(
            path,
            place,
            "is not a mapping",
            "write id:, name:, description: and paragraphs: under '- '",
        )
    missing = [field for field in ("id", "name", "description", "paragraphs") if field not in raw]
    if missing:
        raise _fail(
            path,
            place,
            f"has no {', '.join(missing)}",
            "give every topic an id, a name, a one-line description and paragraphs",
        )
    extra = sorted(set(raw) - {"id", "name", "description", "paragraphs"})
    if extra:
        raise _fail(
            path,
            place,
            f"has unknown field(s) {', '.join(extra)}",
            "remove them or correct the spelling (id, name, description, paragraphs)",
        )
    topic_id = str(raw["id"])
    place = f"topic {topic_id!r}"
    if not TOPIC_ID.match(topic_id):
        raise _fail(
            path,
            place,
            "the id is not lower-case words joined by hyphens",
            "use an id like 'nato-ukraine'",
        )
    description = str(raw["description"]).strip()
    if not description or "\n" in description or len(description) > MAX_DESCRIPTION:
        raise _fail(
            path,
            f"{place}, description",
            f"must be one line of at most {MAX_DESCRIPTION} characters",
            "describe the topic in one neutral sentence",
        )
    by_article = raw["paragraphs"]
    if not isinstance(by_article, dict) or not by_article:
        raise _fail(
            path,
            f"{place}, paragraphs",
            "is not a mapping of article id to paragraphs",
            "write 'article-id: [p01, p02]' lines under paragraphs:",
        )
    paragraphs: dict[str, tuple[str, ...]] = {}
    for article_id, numbers in by_article.items():
        where = f"{place}, paragraphs, {article_id}"
        if article_id not in corpus.ids():
            if strict:
                raise _fail(
                    path,
                    where,
                    "is not an article of the corpus",
                    f"use one of {', '.join(corpus.ids())}, or remove the line",
                )
            warnings.warn(
                f"{path}: {where}: not in the corpus; left out of the topic", stacklevel=2
            )
            continue
        article = corpus.article(article_id)
        if not isinstance(numbers, list) or not numbers:
            raise _fail(path, where, "is not a list of paragraph numbers", "write [p01, p02]")
        ids: list[str] = []
        for number in numbers:
            match = PARAGRAPH_NUMBER.match(str(number))
            if not match:
                raise _fail(
                    path,
                    where,
                    f"{number!r} is not a paragraph number like p07",
                    "write paragraph numbers as p01, p02, ...",
                )
            if not 1 <= int(match[1]) <= len(article.paragraphs):
                raise _fail(
                    path,
                    where,
                    f"{number} does not exist: the article has paragraphs "
                    f"p01 to p{len(article.paragraphs):02d}",
                    "correct the number (see the article page)",
                )
            ids.append(f"{article_id}:{number}")
        if len(set(ids)) != len(ids) or ids != sorted(ids):
            raise _fail(
                path,
                where,
                "lists a paragraph twice or out of order",
                "list each paragraph once, in text order",
            )
        paragraphs[article_id] = tuple(ids)
    return Topic(topic_id, str(raw["name"]).strip(), description, paragraphs)


def _read_index(path: Path) -> dict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(
            path,
            "file",
            "does not exist",
            "create it (see the comments at the top of sources/topics.yaml)",
        ) from None
    except yaml.YAMLError as error:
        line, problem = yaml_error_place(error)
        raise _fail(
            path,
            line or "file",
            f"is {problem}",
            "correct the indentation, colons and brackets",
        ) from None
    if (
        not isinstance(raw, dict)
        or raw.get("schema") != 1
        or not isinstance(raw.get("topics"), list)
    ):
        raise _fail(
            path,
            "file",
            "is not a topic index",
            "start it with 'schema: 1' and a list under 'topics:'",
        )
    extra = sorted(set(raw) - {"schema", "topics", "student_edition_keys"})
    if extra:
        raise _fail(
            path,
            "file",
            f"has unknown field(s) {', '.join(extra)}",
            "keep to schema, student_edition_keys and topics",
        )
    return raw


def student_edition_keys(corpus: Corpus, path: str | Path | None = None) -> list[str]:
    """The articles whose key the student edition's comparison view may show.

    >>> from medialit import corpus
    >>> student_edition_keys(corpus.default())
    ['putin-changed-stance']
    """
    path = Path(path) if path is not None else topics_path(corpus)
    listed = _read_index(path).get("student_edition_keys") or []
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise _fail(
            path,
            "student_edition_keys",
            "is not a list of article ids",
            "write student_edition_keys: [article-id, ...] (or [] for none)",
        )
    return [article_id for article_id in listed if article_id in corpus.ids()]


def load_topics(
    corpus: Corpus, path: str | Path | None = None, *, strict: bool = True
) -> dict[str, Topic]:
    """Read and check the topic index; raise SourceError naming the file, the place and the fix.

    With ``strict=False`` articles the corpus does not have (an instructor removed one) are left
    out of their topics, and topics left with no article are dropped, instead of failing.

    >>> from medialit import corpus
    >>> topics = load_topics(corpus.default())
    >>> topics["sanctions"].article_ids[0]
    'united-states-rebalance'
    """
    path = Path(path) if path is not None else topics_path(corpus)
    raw = _read_index(path)
    topics: dict[str, Topic] = {}
    for index, item in enumerate(raw["topics"]):
        topic = _topic(path, index, item, corpus, strict)
        if topic.topic_id in topics:
            raise _fail(
                path, f"topic {topic.topic_id!r}", "is defined twice", "give each topic its own id"
            )
        if topic.paragraphs:
            topics[topic.topic_id] = topic
    return topics
