"""Per-capture facts and fixes from ``sources/raw/metadata.yaml``, validated field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from medialit.corpus.clean import CleanArticle, CleanParagraph, Removal
from medialit.corpus.errors import SourceError
from medialit.corpus.markup import Emphasis, Link
from medialit.corpus.model import as_date
from medialit.yamlfile import yaml_error_place

METADATA_FILE = "metadata.yaml"
# Facts that replace what cleaning read off the capture, when given.
FACT_FIELDS = (
    "title",
    "author",
    "author_bio",
    "first_publisher",
    "first_published",
    "republisher",
    "republished",
)


class CaptureFacts(BaseModel):
    """What ``metadata.yaml`` may say about one capture (every field optional).

    >>> CaptureFacts(first_published="2022-02-03").first_published
    datetime.date(2022, 2, 3)
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1)
    author: str | None = None
    author_bio: str | None = None
    first_publisher: str | None = None
    first_published: dt.date | None = None
    republisher: str | None = None
    republished: dt.date | None = None
    sort_date: dt.date | None = None
    date_note: str | None = None
    unknown: dict[str, str] = Field(default_factory=dict)
    rights_basis: str | None = Field(default=None, min_length=1)
    drop_paragraphs: list[int] = Field(default_factory=list)
    join_paragraphs: list[int] = Field(default_factory=list)

    @field_validator("first_published", "republished", "sort_date", mode="before")
    @classmethod
    def _dates(cls, value: object) -> object:
        return as_date(value)

    @field_validator("drop_paragraphs", "join_paragraphs")
    @classmethod
    def _numbers(cls, value: list[int]) -> list[int]:
        if any(number < 1 for number in value):
            raise ValueError("paragraph numbers count from 1")
        return sorted(set(value))

    def facts_given(self) -> dict:
        """The fact fields this entry sets (a field set to null counts: it says 'unknown')."""
        return {name: getattr(self, name) for name in FACT_FIELDS if name in self.model_fields_set}


def _entry_error(path: Path, seed: str, error: ValidationError) -> SourceError:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        allowed = ", ".join(CaptureFacts.model_fields)
        return SourceError(
            path,
            f"{seed}: {field}",
            "is not a field of a capture's entry",
            f"correct its spelling or remove it; the fields are: {allowed}",
        )
    message = first["msg"].removeprefix("Value error, ")
    return SourceError(
        path, f"{seed}: {field}", message, "correct the value (see sources/README.md)"
    )


def load_metadata(raw_dir: Path) -> tuple[dict[str, CaptureFacts], dict[str, SourceError]]:
    """The entries of ``raw/metadata.yaml``: the valid ones, and an error per invalid one.

    A file that is not YAML or not a mapping raises :class:`SourceError`.
    """
    path = raw_dir / METADATA_FILE
    if not path.exists():
        return {}, {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        place, problem = yaml_error_place(error)
        raise SourceError(
            path, place or "file", problem, "correct the YAML syntax (indentation, colons)"
        ) from error
    if not isinstance(data, dict):
        raise SourceError(
            path,
            "top level",
            "is not a mapping of capture file names to facts",
            "write 'capture_file.txt:' then the indented facts",
        )
    entries: dict[str, CaptureFacts] = {}
    errors: dict[str, SourceError] = {}
    for seed, entry in data.items():
        if not isinstance(entry, dict):
            errors[str(seed)] = SourceError(
                path, str(seed), "is not a set of 'field: value' lines", "indent the facts under it"
            )
            continue
        try:
            entries[str(seed)] = CaptureFacts.model_validate(entry)
        except ValidationError as error:
            errors[str(seed)] = _entry_error(path, str(seed), error)
    return entries, errors


def apply_paragraph_fixes(article: CleanArticle, facts: CaptureFacts, where: Path) -> None:
    """Drop and join paragraphs as the entry says (numbers as cleaning produced them).

    >>> from medialit.corpus.clean import clean_capture
    >>> article = clean_capture("T\\n\\nOne part\\n\\nTwo.\\n\\nPlease share.\\n\\nThree.")
    >>> apply_paragraph_fixes(article, CaptureFacts(join_paragraphs=[1], drop_paragraphs=[3]),
    ...                       Path("metadata.yaml"))
    >>> [p.text for p in article.paragraphs]
    ['One part Two.', 'Three.']
    """
    total = len(article.paragraphs)
    for name in ("drop_paragraphs", "join_paragraphs"):
        numbers = getattr(facts, name)
        limit = total - 1 if name == "join_paragraphs" else total
        bad = [number for number in numbers if number > limit]
        if bad:
            raise SourceError(
                where,
                name,
                f"names paragraph {bad[0]}, but cleaning left {total} paragraph(s)"
                + (" (the last one has nothing to join)" if name == "join_paragraphs" else ""),
                "count the paragraphs in the ingested file (without overrides) and correct it",
            )
    kept: list[CleanParagraph] = []
    joining = False
    for number, paragraph in enumerate(article.paragraphs, start=1):
        if number in facts.drop_paragraphs:
            article.note("override-drop")
            article.removed.append(Removal("override-drop", paragraph.text))
            joining = False
            continue
        if joining and kept:
            _join(kept[-1], paragraph)
            article.note("override-join")
        else:
            kept.append(paragraph)
        joining = number in facts.join_paragraphs
    article.paragraphs = kept


def _join(first: CleanParagraph, second: CleanParagraph) -> None:
    shift = len(first.text) + 1
    first.text = f"{first.text} {second.text}"
    first.kind = "text"
    first.links += [
        Link(x.anchor_text, x.target, x.start + shift, x.end + shift) for x in second.links
    ]
    first.emphasis += [
        Emphasis(x.kind, x.text, x.start + shift, x.end + shift) for x in second.emphasis
    ]
