"""Load the article files of a sources folder into articles, paragraphs and sentences."""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from medialit.corpus.errors import CorpusError, SourceError
from medialit.corpus.model import (
    Article,
    ArticleMeta,
    Paragraph,
    Sentence,
    paragraph_id,
    sentence_id,
)
from medialit.corpus.sentences import split_sentences
from medialit.corpus.textnorm import CLOSING_QUOTES, OPENING_QUOTES, count_words
from medialit.yamlfile import yaml_error_place

HEADING_MARK = "## "
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*\n(?P<body>.*)\Z", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


SOURCES_ENV = "MEDIALIT_SOURCES"
# Where the data sits inside an installed student package (the wheel `make release` writes).
PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data"


def default_sources() -> Path:
    """The sources folder, the one place the package finds its data.

    ``$MEDIALIT_SOURCES`` if set; else the package data of an installed student release
    (``medialit/data/sources``: the articles, the published worked-example keys, the topic
    index); else ``sources/`` of the instructor checkout the package runs from.

    >>> default_sources().name
    'sources'
    """
    override = os.environ.get(SOURCES_ENV)
    if override:
        return Path(override)
    installed = PACKAGE_DATA / "sources"
    if (installed / "articles").is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "sources"


def course_file(relative: str) -> Path:
    """A data file the notebooks read (e.g. ``"dossier/timeline.yaml"``), found where the
    sources are: ``notebooks/`` of the checkout, or the installed student package's data.

    >>> course_file("dossier/timeline.yaml").is_file()
    True
    """
    return default_sources().parent / "notebooks" / relative


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    """Split an article file into its front matter (a dict) and its body text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SourceError(
            path,
            "line 1",
            "the file does not start with a front matter block",
            "start the file with a line '---', the YAML fields, then a line '---' and the text",
        )
    try:
        meta = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as error:
        line, problem = yaml_error_place(error, first_line=2)  # line 1 is the opening '---'
        raise SourceError(
            path,
            f"front matter {line}" if line else "front matter",
            problem,
            "correct the YAML syntax (indentation, quotes, colons)",
        ) from error
    if not isinstance(meta, dict):
        raise SourceError(
            path,
            "front matter",
            "is not a set of 'field: value' lines",
            "write one 'field: value' per line",
        )
    return meta, match["body"]


def _validation_error(path: Path, error: ValidationError) -> SourceError:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "front matter"
    kind = first["type"]
    message = first["msg"].removeprefix("Value error, ")
    if kind == "missing":
        return SourceError(
            path,
            field,
            "is missing",
            f"add '{field}: ...' to the front matter (null with a reason under "
            f"'unknown:' if it is not known)",
        )
    if kind == "extra_forbidden":
        return SourceError(
            path,
            field,
            "is not a field of an article file",
            "remove it or correct its spelling (see sources/README.md)",
        )
    return SourceError(path, field, message, "correct the value (see sources/README.md)")


def parse_article(path: Path) -> Article:
    """Read and check one article file; raise :class:`SourceError` naming what is wrong."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            path,
            f"byte {error.start} (line {line})",
            "is not UTF-8 text",
            "save the file as UTF-8 (in most editors: Save with encoding UTF-8)",
        ) from error
    meta_fields, body_text = split_front_matter(path, text.replace("\r\n", "\n"))
    try:
        meta = ArticleMeta.model_validate(meta_fields)
    except ValidationError as error:
        raise _validation_error(path, error) from error
    blocks = [block.strip() for block in _PARAGRAPH_BREAK.split(body_text) if block.strip()]
    if not blocks:
        raise SourceError(
            path,
            "text",
            "the article has no text after the front matter",
            "paste the article's paragraphs below the closing '---', separated by blank lines",
        )
    article = Article(meta=meta, path=str(path), body="", paragraphs=[])
    offset = 0
    for number, block in enumerate(blocks, start=1):
        kind = "text"
        if block.startswith(HEADING_MARK):
            kind, block = "heading", block[len(HEADING_MARK) :].strip()
        block = " ".join(block.split("\n"))
        if (
            kind == "text"
            and block[0] in OPENING_QUOTES
            and block.rstrip(".,")[-1] in CLOSING_QUOTES
        ):
            kind = "quote"
        article.paragraphs.append(
            Paragraph(
                paragraph_id(meta.article_id, number),
                meta.article_id,
                number,
                kind,
                block,
                offset,
                offset + len(block),
            )
        )
        offset += len(block) + 2
    article.body = "\n\n".join(paragraph.text for paragraph in article.paragraphs)
    _check_records(path, article)
    for paragraph in article.paragraphs:
        for number, (start, end) in enumerate(split_sentences(paragraph.text), start=1):
            article.sentences.append(
                Sentence(
                    sentence_id(meta.article_id, paragraph.number, number),
                    paragraph.paragraph_id,
                    meta.article_id,
                    number,
                    paragraph.text[start:end],
                    paragraph.start + start,
                    paragraph.start + end,
                )
            )
    words = count_words(article.body)
    if meta.word_count is None:
        meta.word_count = words
    elif meta.word_count != words:
        raise SourceError(
            path,
            "word_count",
            f"says {meta.word_count} but the text has {words} words",
            f"set 'word_count: {words}' or remove the field to have it counted",
        )
    return article


def _check_records(path: Path, article: Article) -> None:
    """Link cues and emphasis records must point at the text they name."""
    for kind, records in (
        ("link_cues", article.meta.link_cues),
        ("emphasis", article.meta.emphasis),
    ):
        for index, record in enumerate(records):
            place = f"{kind}[{index}]"
            if record.paragraph > len(article.paragraphs):
                raise SourceError(
                    path,
                    place,
                    f"names paragraph {record.paragraph}, but the "
                    f"text has {len(article.paragraphs)}",
                    "re-run the ingest command or correct the paragraph number",
                )
            text = article.paragraphs[record.paragraph - 1].text[record.start : record.end]
            expected = record.anchor_text if kind == "link_cues" else record.text
            if text != expected:
                raise SourceError(
                    path,
                    place,
                    f"offsets {record.start}-{record.end} hold {text!r}, not {expected!r}",
                    "re-run the ingest command (offsets are computed, not typed)",
                )


class Corpus:
    """All the articles in one sources folder (``sources/articles/*.md``).

    ``strict`` (the default) raises :class:`CorpusError` listing every bad file; with
    ``strict=False`` bad files are left out and listed in :attr:`errors`.
    """

    def __init__(self, root: str | Path | None = None, *, strict: bool = True) -> None:
        self.root = Path(root) if root is not None else default_sources()
        self.errors: list[SourceError] = []
        self._articles: dict[str, Article] = {}
        folder = self.root / "articles"
        if not folder.is_dir():
            raise CorpusError(
                [
                    SourceError(
                        folder,
                        "folder",
                        "does not exist",
                        "create it, or run 'python -m medialit corpus ingest'",
                    )
                ]
            )
        seen: dict[str, Path] = {}
        for path in sorted(folder.glob("*.md")):
            if path.name in ("README.md", "index.md"):
                continue
            try:
                article = parse_article(path)
            except SourceError as error:
                self.errors.append(error)
                continue
            if article.article_id in seen:
                self.errors.append(
                    SourceError(
                        path,
                        "article_id",
                        f"'{article.article_id}' is already used by "
                        f"{seen[article.article_id].name}",
                        "give one of the two articles another article_id (ids must be unique)",
                    )
                )
                continue
            seen[article.article_id] = path
            self._articles[article.article_id] = article
        if strict and self.errors:
            raise CorpusError(self.errors)
        self._articles = dict(
            sorted(self._articles.items(), key=lambda item: (item[1].meta.date, item[0]))
        )

    def __iter__(self):
        return iter(self._articles.values())

    def __len__(self) -> int:
        return len(self._articles)

    def ids(self) -> list[str]:
        """Article ids in date order."""
        return list(self._articles)

    def article(self, article_id: str) -> Article:
        """The article with this id; a KeyError lists the ids there are."""
        try:
            return self._articles[article_id]
        except KeyError:
            raise KeyError(
                f"no article {article_id!r}; the corpus has: {', '.join(self._articles)}"
            ) from None

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this id (e.g. ``'russia-china-resist:p07'``)."""
        article_id, _, number = paragraph_id.partition(":p")
        if not number.isdigit():
            raise KeyError(f"{paragraph_id!r} is not a paragraph id: write '<article-id>:pNN'")
        return self.article(article_id).paragraph(int(number))

    @cached_property
    def _articles_frame(self) -> pd.DataFrame:
        rows = []
        for article in self:
            meta = article.meta
            rows.append(
                {
                    "article_id": meta.article_id,
                    "title": meta.title,
                    "author": meta.author,
                    "first_publisher": meta.first_publisher,
                    "first_published": pd.Timestamp(meta.first_published)
                    if meta.first_published
                    else pd.NaT,
                    "republisher": meta.republisher,
                    "republished": pd.Timestamp(meta.republished) if meta.republished else pd.NaT,
                    "date": pd.Timestamp(meta.date),
                    "date_note": meta.date_note,
                    "seed_file": meta.seed_file,
                    "rights_basis": meta.rights_basis,
                    "attribution": meta.attribution,
                    "word_count": meta.word_count,
                    "paragraph_count": len(article.paragraphs),
                    "sentence_count": len(article.sentences),
                    "path": article.path,
                }
            )
        return pd.DataFrame(rows)

    def articles(self) -> pd.DataFrame:
        """One row per article with its metadata, in date order."""
        return self._articles_frame.copy()

    def paragraphs(self, article_id: str | None = None) -> pd.DataFrame:
        """Paragraphs with ids, kind, text and offsets into the article body."""
        rows = [vars(p) for a in self._select(article_id) for p in a.paragraphs]
        return pd.DataFrame(
            rows, columns=["paragraph_id", "article_id", "number", "kind", "text", "start", "end"]
        )

    def sentences(self, article_id: str | None = None) -> pd.DataFrame:
        """Sentences with ids, text and offsets into the article body."""
        rows = [vars(s) for a in self._select(article_id) for s in a.sentences]
        return pd.DataFrame(
            rows,
            columns=["sentence_id", "paragraph_id", "article_id", "number", "text", "start", "end"],
        )

    def link_cues(self, article_id: str | None = None) -> pd.DataFrame:
        """Hyperlink markers (anchor text kept in the body), with offsets into the body."""
        rows = []
        for article in self._select(article_id):
            for cue in article.meta.link_cues:
                paragraph = article.paragraphs[cue.paragraph - 1]
                rows.append(
                    {
                        "article_id": article.article_id,
                        "paragraph_id": paragraph.paragraph_id,
                        "anchor_text": cue.anchor_text,
                        "start": paragraph.start + cue.start,
                        "end": paragraph.start + cue.end,
                    }
                )
        return pd.DataFrame(
            rows, columns=["article_id", "paragraph_id", "anchor_text", "start", "end"]
        )

    def _select(self, article_id: str | None) -> list[Article]:
        return list(self) if article_id is None else [self.article(article_id)]
