"""Load and validate answer keys (sources/annotations/<article_id>.yaml); spans placed by locate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

from medialit.annotations import labels
from medialit.annotations.schema import (
    LABEL_FIELDS,
    LAYER_FIELDS,
    Annotation,
    CoverageException,
    KeyEntry,
    KeyFile,
)
from medialit.corpus import Corpus, QuoteNotFound, default
from medialit.corpus.locate import locate, locate_all
from medialit.corpus.textnorm import fold

KEY_SUFFIX = ".yaml"
# How far from its span's paragraph a `source` or `cue` may stand (e.g. "Peskov said," before a
# block quotation): the same paragraph first, then up to two paragraphs back, then one forward.
SEARCH_OFFSETS = (0, -1, -2, 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a key file: which file, where in it, what is wrong and how to fix it."""

    path: str
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}, {self.place}: {self.message}"


class KeyFileError(ValueError):
    """A key file that cannot be used; ``problems`` lists everything found wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(problem) for problem in problems]
        super().__init__(f"{len(problems)} problem(s) in the answer key:\n  " + "\n  ".join(lines))


@dataclass(frozen=True)
class Key:
    """One article's answer key, every entry placed in the text."""

    article_id: str
    path: str
    status: str
    annotators: tuple[str, ...]
    reviewed_by: tuple[str, ...]
    annotations: tuple[Annotation, ...]
    exceptions: tuple[CoverageException, ...] = field(default=())
    # A draft's entries that still have a `todo`: kept apart so nothing grades or shows them.
    unfinished: tuple[Annotation, ...] = field(default=())

    def layer(self, layer: str) -> list[Annotation]:
        """The annotations of one layer, in text order."""
        labels.LAYERS[layer]
        return [a for a in self.annotations if a.layer == layer]

    def entry(self, entry_id: str) -> Annotation:
        """The annotation with this entry id."""
        for annotation in self.annotations:
            if annotation.id == entry_id:
                return annotation
        raise KeyError(f"{self.path} has no entry {entry_id!r}")

    def frame(self) -> pd.DataFrame:
        """The key as a table, one row per annotation (see :func:`annotations_frame`)."""
        return annotations_frame(self.annotations)


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same key twice (a silent typo otherwise)."""


def _mapping_without_duplicates(loader: UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the field {key!r} is given twice in one mapping; keep one",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def key_dir(corpus: Corpus | None = None) -> Path:
    """The folder of key files: ``annotations/`` inside the corpus' sources folder."""
    return (corpus if corpus is not None else default()).root / "annotations"


def key_paths(corpus: Corpus | None = None) -> list[Path]:
    """Every key file, sorted by name."""
    folder = key_dir(corpus)
    return sorted(folder.glob(f"*{KEY_SUFFIX}")) if folder.is_dir() else []


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _entry_place(raw: Any, index: int) -> str:
    entries = raw.get("entries") if isinstance(raw, dict) else None
    if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
        entry = entries[index]
        name = f"entry {entry.get('id', f'#{index + 1}')!r}"
        if entry.get("paragraph_id"):
            name += f" ({entry['paragraph_id']})"
        return name
    return f"entry #{index + 1}"


def _describe(error: dict[str, Any]) -> str:
    loc = list(error["loc"])
    if len(loc) >= 2 and loc[0] in ("entries", "exceptions") and isinstance(loc[1], int):
        loc = loc[2:]
    location = [part for part in loc if not isinstance(part, int)]
    field_name = str(location[-1]) if location else ""
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        return f"`{field_name}` is missing: add it."
    if kind == "extra_forbidden":
        allowed = ", ".join(KeyEntry.model_fields)
        return (
            f"`{field_name}` is not a field of a key entry: check its spelling (fields: {allowed})."
        )
    if kind == "string_pattern_mismatch" and field_name == "paragraph_id":
        return "paragraph_id must look like '<article_id>:p07'."
    if kind == "string_pattern_mismatch" and field_name == "id":
        return "id must be lower-case letters, digits and hyphens, e.g. 'claim-p03-1'."
    if field_name and not message.startswith(field_name):
        return f"{field_name}: {message}"
    return message


def read_key_file(path: str | Path) -> KeyFile:
    """Parse and validate one key file, without the corpus; raise KeyFileError listing problems."""
    path = Path(path)
    shown = _shown(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
    except FileNotFoundError:
        raise KeyFileError([Problem(shown, "file", "does not exist: check the path.")]) from None
    except yaml.YAMLError as error:
        raise KeyFileError(
            [
                Problem(
                    shown,
                    "YAML",
                    f"{error}. Fix the YAML syntax (indentation, "
                    "quotes around spans that contain a colon).",
                )
            ]
        ) from None
    if not isinstance(raw, dict):
        raise KeyFileError(
            [
                Problem(
                    shown,
                    "file",
                    "is not a mapping: start it with "
                    "`article_id:`, `status:`, `annotators:` and `entries:`.",
                )
            ]
        )
    key_file = key_file_from(raw, path)
    expected = f"{key_file.article_id}{KEY_SUFFIX}"
    if path.name != expected:
        raise KeyFileError(
            [
                Problem(
                    shown,
                    "file",
                    f"holds the key of {key_file.article_id!r}, so "
                    f"it must be named {expected}: rename it.",
                )
            ]
        )
    return key_file


def key_file_from(raw: dict[str, Any], path: str | Path) -> KeyFile:
    """Validate a key file's parsed mapping; raise KeyFileError listing every problem."""
    shown = _shown(Path(path))
    problems: list[Problem] = []
    try:
        return KeyFile.model_validate(raw)
    except ValidationError as error:
        for item in error.errors():
            loc = item["loc"]
            if len(loc) >= 2 and loc[0] in ("entries", "exceptions") and isinstance(loc[1], int):
                place = (
                    _entry_place(raw, loc[1]) if loc[0] == "entries" else f"exception #{loc[1] + 1}"
                )
            else:
                place = "file"
            problems.append(Problem(shown, place, _describe(item)))
        raise KeyFileError(problems) from None


def _paragraph(corpus: Corpus, paragraph_id: str):
    try:
        return corpus.paragraph(paragraph_id)
    except KeyError as error:
        raise ValueError(f"paragraph_id: {error.args[0]}.") from None


def _find_span(corpus: Corpus, entry: KeyEntry) -> tuple[int, int, str]:
    paragraph = _paragraph(corpus, entry.paragraph_id)
    if entry.span is None:
        return paragraph.start, paragraph.end, paragraph.text
    found = locate_all(corpus, entry.span, entry.article_id)
    if not found:
        try:
            locate(corpus, entry.span, entry.article_id)
        except QuoteNotFound as error:
            raise ValueError(f"span: {error}") from None
    here = [loc for loc in found if loc.paragraph_id == entry.paragraph_id]
    if not here:
        elsewhere = ", ".join(sorted({loc.paragraph_id for loc in found}))
        raise ValueError(
            f"span is not in {entry.paragraph_id} but in {elsewhere}: correct "
            "paragraph_id (or the span)."
        )
    if len(here) > 1 and "occurrence" not in entry.model_fields_set:
        raise ValueError(
            f"span occurs {len(here)} times in {entry.paragraph_id}: lengthen it "
            f"until it is unique, or add `occurrence:` (1 to {len(here)})."
        )
    if entry.occurrence > len(here):
        raise ValueError(
            f"occurrence is {entry.occurrence} but the span occurs {len(here)} "
            f"time(s) in {entry.paragraph_id}."
        )
    location = here[entry.occurrence - 1]
    if location.end > paragraph.end:
        raise ValueError(
            "span runs past the end of its paragraph: annotate each paragraph separately."
        )
    return location.start, location.end, location.text


def _find_near(
    corpus: Corpus, entry: KeyEntry, words: str, field_name: str, span: tuple[int, int]
) -> tuple[int, int]:
    """Offsets of ``words`` (a source or cue) nearest the entry's span, in or near its paragraph."""
    number = int(entry.paragraph_id.rsplit(":p", 1)[1])
    found = locate_all(corpus, words, entry.article_id)
    for offset in SEARCH_OFFSETS:
        target = f"{entry.article_id}:p{number + offset:02d}"
        near = [loc for loc in found if loc.paragraph_id == target]
        if near:
            best = min(near, key=lambda loc: min(abs(loc.start - span[1]), abs(loc.end - span[0])))
            return best.start, best.end
    raise ValueError(
        f"{field_name} {words!r} is not in {entry.paragraph_id} or the two paragraphs before it "
        "or the one after: copy the words exactly from the article."
    )


def place_entry(corpus: Corpus, entry: KeyEntry) -> Annotation:
    """Compute the offsets of an entry's span (and of its source and cue) through locate."""
    start, end, text = _find_span(corpus, entry)
    extra: dict[str, Any] = {}
    for field_name in ("source", "cue"):
        words = getattr(entry, field_name)
        if words is not None:
            word_start, word_end = _find_near(corpus, entry, words, field_name, (start, end))
            extra[f"{field_name}_start"], extra[f"{field_name}_end"] = word_start, word_end
    if entry.technique is not None:
        extra["category"] = labels.category_of(entry.technique)
    cues = corpus.link_cues(entry.article_id)
    ranges = [(start, end)] + [
        (extra[f"{n}_start"], extra[f"{n}_end"]) for n in ("source", "cue") if f"{n}_start" in extra
    ]
    extra["linked"] = entry.layer == "sourcing" and any(
        cue.start < r_end and r_start < cue.end
        for cue in cues.itertuples()
        for r_start, r_end in ranges
    )
    data = entry.model_dump(exclude_unset=False)
    return Annotation(**data, start=start, end=end, text=text, **extra)


def place(key_file: KeyFile, path: str | Path, corpus: Corpus | None = None) -> Key:
    """Place every entry of a validated key file in its article; raise KeyFileError if any fails."""
    source = corpus if corpus is not None else default()
    shown = _shown(Path(path))
    if key_file.article_id not in source.ids():
        raise KeyFileError(
            [
                Problem(
                    shown,
                    "article_id",
                    f"{key_file.article_id!r} is not in the "
                    f"corpus; the articles are {', '.join(source.ids())}.",
                )
            ]
        )
    problems: list[Problem] = []
    placed: list[Annotation] = []
    for entry in key_file.entries:
        try:
            placed.append(place_entry(source, entry))
        except ValueError as error:
            place_name = f"entry {entry.id!r} ({entry.paragraph_id})"
            problems.append(Problem(shown, place_name, str(error)))
    for number, exception in enumerate(key_file.exceptions, start=1):
        try:
            paragraph = _paragraph(source, exception.paragraph_id)
            if exception.text is not None and fold(exception.text) not in fold(paragraph.text):
                raise ValueError(
                    f"text {exception.text!r} is not in {exception.paragraph_id}: "
                    "copy it exactly from the article."
                )
        except ValueError as error:
            problems.append(Problem(shown, f"exception #{number}", str(error)))
    if problems:
        raise KeyFileError(problems)
    placed.sort(key=lambda a: (a.start, -a.end, a.layer, a.id))
    return Key(
        key_file.article_id,
        shown,
        key_file.status,
        tuple(key_file.annotators),
        tuple(key_file.reviewed_by),
        tuple(a for a in placed if a.todo is None),
        tuple(key_file.exceptions),
        tuple(a for a in placed if a.todo is not None),
    )


def load_key(article: str | Path, corpus: Corpus | None = None) -> Key:
    """Load one key by article id (from the key folder) or by path, placed in the text.

    >>> key = load_key("putin-changed-stance")
    >>> key.entry("source-p04-modi").source_type, key.entry("source-p04-modi").cue_start > 0
    ('official', True)
    """
    path = Path(article)
    if path.suffix != KEY_SUFFIX:
        path = key_dir(corpus) / f"{article}{KEY_SUFFIX}"
    return place(read_key_file(path), path, corpus)


def load_keys(corpus: Corpus | None = None) -> dict[str, Key]:
    """Every key in the key folder, by article id; one KeyFileError lists all problems of all."""
    keys: dict[str, Key] = {}
    problems: list[Problem] = []
    for path in key_paths(corpus):
        try:
            key = load_key(path, corpus)
        except KeyFileError as error:
            problems.extend(error.problems)
            continue
        keys[key.article_id] = key
    if problems:
        raise KeyFileError(problems)
    return keys


FRAME_COLUMNS = [
    "key",
    "article_id",
    "entry_id",
    "paragraph_id",
    "layer",
    "start",
    "end",
    "text",
    *LABEL_FIELDS,
    "category",
    "alternatives",
    "source",
    "source_name",
    "cue",
    "linked",
    "verdict",
    "evidence",
    "citations",
    "event_date",
    "rationale",
]


def annotations_frame(annotations: tuple[Annotation, ...] | list[Annotation]) -> pd.DataFrame:
    """Annotations as a table: one row each, list fields as lists, the verdict flattened out."""
    rows = []
    for a in annotations:
        row: dict[str, Any] = {"key": a.key, "article_id": a.article_id, "entry_id": a.id}
        for name in FRAME_COLUMNS[3:]:
            if hasattr(a, name) and name not in ("evidence", "citations", "event_date"):
                row[name] = getattr(a, name)
        verification = a.verification
        row["verdict"] = verification.verdict if verification else None
        row["evidence"] = verification.evidence if verification else None
        row["citations"] = list(verification.citations) if verification else []
        row["event_date"] = verification.event_date if verification else None
        row["source_name"] = a.source_name or a.source
        rows.append(row)
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def annotations(
    article_id: str | None = None, layer: str | None = None, corpus: Corpus | None = None
) -> pd.DataFrame:
    """The keys as one table (all articles with a key file, or one), optionally one layer.

    >>> table = annotations("putin-changed-stance", layer="persuasion")
    >>> set(table["layer"])
    {'persuasion'}
    """
    if article_id is not None:
        chosen = [load_key(article_id, corpus)]
    else:
        chosen = list(load_keys(corpus).values())
    table = annotations_frame([a for key in chosen for a in key.annotations])
    if layer is not None:
        labels.LAYERS[layer]
        table = table[table["layer"] == layer].reset_index(drop=True)
    return table


def layer_fields(layer: str) -> tuple[str, ...]:
    """The fields an entry of ``layer`` may carry (beside the common ones)."""
    return LAYER_FIELDS[layer]
