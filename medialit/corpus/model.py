"""The article file's front matter (validated with pydantic) and the loaded article objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ARTICLE_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Facts that must either be given or be null with a reason under ``unknown``.
FACTS_NEEDING_A_REASON = ("author", "first_publisher", "first_published")


def as_date(value: object) -> object:
    """A date field's value before pydantic validates it: a YAML timestamp becomes its date, and
    a string must be an ISO date (``YYYY-MM-DD``); anything else is left for pydantic to judge.

    >>> as_date(" 2022-02-03 "), as_date(dt.datetime(2022, 2, 3, 12, 0)), as_date(None)
    (datetime.date(2022, 2, 3), datetime.date(2022, 2, 3), None)
    >>> as_date("3 Feb 2022")
    Traceback (most recent call last):
    ValueError: '3 Feb 2022' is not a date in the form YYYY-MM-DD
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as error:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from error
    return value


class LinkCue(BaseModel):
    """A hyperlink marker kept as anchor text: evidence that the author points to a source."""

    model_config = ConfigDict(extra="forbid")
    paragraph: int = Field(ge=1)
    anchor_text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class EmphasisRecord(BaseModel):
    """Bold or italic text in the original page (the markers were removed from the text)."""

    model_config = ConfigDict(extra="forbid")
    paragraph: int = Field(ge=1)
    kind: str = Field(pattern=r"^(bold|italic)$")
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class CleaningRecord(BaseModel):
    """What one cleaning rule took out of the capture (an excerpt and its length)."""

    model_config = ConfigDict(extra="forbid")
    rule: str
    removed: str | None = None
    characters: int = 0


class ArticleMeta(BaseModel):
    """The front matter of one article file in ``sources/articles/``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    article_id: str = Field(pattern=ARTICLE_ID_PATTERN)
    title: str = Field(min_length=1)
    author: str | None
    author_bio: str | None = None
    first_publisher: str | None
    first_published: dt.date | None
    republisher: str | None = None
    republished: dt.date | None = None
    date_note: str | None = None
    sort_date: dt.date | None = None
    unknown: dict[str, str] = Field(default_factory=dict)
    seed_file: str | None = None
    rights_basis: str = Field(min_length=1)
    attribution: str = Field(min_length=1)
    word_count: int | None = Field(default=None, ge=0)
    site_tags: list[str] = Field(default_factory=list)
    link_cues: list[LinkCue] = Field(default_factory=list)
    emphasis: list[EmphasisRecord] = Field(default_factory=list)
    cleaning: list[CleaningRecord] = Field(default_factory=list)

    @field_validator("first_published", "republished", "sort_date", mode="before")
    @classmethod
    def _dates_are_dates(cls, value: object) -> object:
        return as_date(value)

    @model_validator(mode="after")
    def _unknowns_have_reasons(self) -> ArticleMeta:
        missing = [
            name
            for name in FACTS_NEEDING_A_REASON
            if getattr(self, name) is None and not self.unknown.get(name)
        ]
        if missing:
            raise ValueError(
                f"{', '.join(missing)} is null without a reason: add it under 'unknown:' "
                f"(e.g. unknown: {{{missing[0]}: 'no byline in the capture'}})"
            )
        if self.date is None:
            raise ValueError(
                "the article has no date: give first_published, or sort_date (YYYY-MM-DD) with a "
                "date_note saying how it was estimated"
            )
        return self

    @property
    def date(self) -> dt.date | None:
        """The date used to order articles: first publication, else republication, else estimate."""
        return self.first_published or self.republished or self.sort_date


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article, with its citable id and offsets into the article body."""

    paragraph_id: str
    article_id: str
    number: int
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence, with its citable id and offsets into the article body."""

    sentence_id: str
    paragraph_id: str
    article_id: str
    number: int
    text: str
    start: int
    end: int


@dataclass
class Article:
    """An article as the course uses it: metadata, the cleaned body and its paragraphs."""

    meta: ArticleMeta
    path: str
    body: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return self.meta.article_id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def author(self) -> str | None:
        return self.meta.author

    def paragraph(self, number: int) -> Paragraph:
        """Return paragraph ``number`` (counting from 1)."""
        if not 1 <= number <= len(self.paragraphs):
            raise KeyError(
                f"{self.article_id} has paragraphs 1 to {len(self.paragraphs)}, not {number}"
            )
        return self.paragraphs[number - 1]


def paragraph_id(article_id: str, number: int) -> str:
    """The citable id of paragraph ``number``.

    >>> paragraph_id("russia-china-resist", 7)
    'russia-china-resist:p07'
    """
    return f"{article_id}:p{number:02d}"


def sentence_id(article_id: str, paragraph_number: int, number: int) -> str:
    """The citable id of a sentence.

    >>> sentence_id("russia-china-resist", 7, 2)
    'russia-china-resist:p07.s02'
    """
    return f"{paragraph_id(article_id, paragraph_number)}.s{number:02d}"
