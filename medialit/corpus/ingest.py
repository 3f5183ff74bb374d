"""Ingest raw captures into ``sources/articles/``: one cleaned, attributed file per article."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from medialit.corpus.clean import CaptureError, CleanArticle, clean_capture
from medialit.corpus.errors import SourceError
from medialit.corpus.load import HEADING_MARK, split_front_matter
from medialit.corpus.model import ArticleMeta
from medialit.corpus.textnorm import count_words
from medialit.fileio import atomic_write_text

METADATA_FILE = "metadata.yaml"
_STOPWORDS = {
    "a",
    "an",
    "the",
    "to",
    "is",
    "its",
    "his",
    "her",
    "of",
    "and",
    "but",
    "after",
    "must",
    "hasnt",
    "has",
    "be",
    "in",
    "on",
    "for",
    "with",
    "it",
    "s",
}
_EXCERPT = 120

RIGHTS_GLOBAL_RESEARCH = (
    "Republished by Global Research, whose notice in the capture grants permission to cross-post "
    "its articles on community internet sites when the source and copyright are acknowledged "
    "with a hyperlink to the original. The capture kept no link addresses, so the original is "
    "cited by publisher and date. Reproduced here for criticism, review and teaching, with full "
    "attribution."
)
RIGHTS_NO_LICENCE = (
    "The capture carries no licence. Reproduced here for criticism, review and teaching, with "
    "full attribution; an instructor can remove this article and the rest of the course still "
    "builds."
)
DEFAULT_REASONS = {
    "author": "no byline in the capture",
    "first_publisher": "the capture does not name the publisher",
    "first_published": "the capture gives no date",
}


@dataclass
class IngestResult:
    """What ingesting one capture did."""

    seed_file: str
    path: Path | None = None
    article_id: str | None = None
    error: SourceError | None = None


def article_id_from_title(title: str) -> str:
    """A stable id: the first three words of the title that carry meaning.

    >>> article_id_from_title("Moscow's Coercive Diplomacy Is Working")
    'moscows-coercive-diplomacy'
    >>> article_id_from_title("Putin hasn\u2019t changed his stance after the US election")
    'putin-changed-stance'
    """
    words = re.sub(r"['\u2019]", "", title.lower())
    kept = [word for word in re.split(r"[^a-z0-9]+", words) if word and word not in _STOPWORDS]
    return "-".join(kept[:3]) or "article"


def _format_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def attribution_line(meta: dict) -> str:
    """The line that credits the article wherever it is shown."""
    author = meta.get("author") or "Author not named"
    parts = [f"{author}, \u201c{meta['title']}\u201d"]
    if meta.get("first_publisher"):
        published = meta.get("first_published")
        parts.append(
            f"{meta['first_publisher']}" + (f", {_format_date(published)}" if published else "")
        )
    else:
        parts.append("publisher not named in the capture")
    if meta.get("republisher"):
        republished = meta.get("republished")
        parts.append(
            f"republished by {meta['republisher']}"
            + (f", {_format_date(republished)}" if republished else "")
        )
    if not meta.get("first_published") and meta.get("date_note"):
        parts.append("undated (see date note)")
    return "; ".join(parts) + "."


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "\u2026"


def front_matter(cleaned: CleanArticle, seed_file: str, article_id: str, extra: dict) -> dict:
    """The front matter of an article file, from the cleaned capture and ``metadata.yaml``."""
    meta: dict = {
        "article_id": article_id,
        "title": cleaned.title,
        "author": cleaned.author,
        "author_bio": cleaned.author_bio,
        "first_publisher": cleaned.first_publisher,
        "first_published": cleaned.first_published,
        "republisher": cleaned.republisher,
        "republished": cleaned.republished,
        "date_note": extra.get("date_note"),
        "sort_date": extra.get("sort_date"),
    }
    unknown = {name: reason for name, reason in DEFAULT_REASONS.items() if meta[name] is None}
    unknown.update(extra.get("unknown") or {})
    meta["unknown"] = unknown
    meta["seed_file"] = seed_file
    meta["rights_basis"] = (
        RIGHTS_GLOBAL_RESEARCH if cleaned.has_global_research_permission else RIGHTS_NO_LICENCE
    )
    meta["attribution"] = attribution_line(meta)
    meta["word_count"] = count_words("\n\n".join(p.text for p in cleaned.paragraphs))
    meta["site_tags"] = cleaned.site_tags
    meta["link_cues"] = [
        {"paragraph": number, "anchor_text": link.anchor_text, "start": link.start, "end": link.end}
        for number, paragraph in enumerate(cleaned.paragraphs, start=1)
        for link in paragraph.links
    ]
    meta["emphasis"] = [
        {
            "paragraph": number,
            "kind": mark.kind,
            "text": mark.text,
            "start": mark.start,
            "end": mark.end,
        }
        for number, paragraph in enumerate(cleaned.paragraphs, start=1)
        for mark in paragraph.emphasis
    ]
    removals = [
        {"rule": r.rule, "removed": _excerpt(r.text), "characters": len(r.text)}
        for r in cleaned.removed
    ]
    applied_without_removal = [
        {"rule": rule, "removed": None, "characters": 0}
        for rule in cleaned.applied
        if rule not in {r.rule for r in cleaned.removed}
    ]
    meta["cleaning"] = removals + applied_without_removal
    return meta


def render_article_file(meta: dict, cleaned: CleanArticle) -> str:
    """The text of an article file: YAML front matter, then one paragraph per block."""
    header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    blocks = [
        (HEADING_MARK + p.text) if p.kind == "heading" else p.text for p in cleaned.paragraphs
    ]
    return f"---\n{header}---\n\n" + "\n\n".join(blocks) + "\n"


def file_name(meta: dict) -> str:
    """A readable file name: date, author's surname, article id.

    >>> import datetime
    >>> file_name({"first_published": datetime.date(2021, 3, 24), "author": "M. K. Bhadrakumar",
    ...            "article_id": "russia-china-resist"})
    '2021-03-24-bhadrakumar-russia-china-resist.md'
    """
    date = meta.get("first_published")
    if date:
        stamp = date.isoformat()
    elif meta.get("sort_date"):
        stamp = f"{meta['sort_date']:%Y-%m}-undated"
    else:
        stamp = "undated"
    surname = re.sub(r"[^a-z]", "", (meta.get("author") or "anonymous").split()[-1].lower())
    return f"{stamp}-{surname}-{meta['article_id']}.md"


def _existing_ids(articles_dir: Path) -> dict[str, tuple[str, Path]]:
    """Seed file -> (article id, path) of the articles already in the folder."""
    found: dict[str, tuple[str, Path]] = {}
    for path in articles_dir.glob("*.md"):
        try:
            meta, _ = split_front_matter(path, path.read_text(encoding="utf-8"))
        except (SourceError, UnicodeDecodeError):
            continue
        if meta.get("seed_file") and meta.get("article_id"):
            found[meta["seed_file"]] = (meta["article_id"], path)
    return found


def load_metadata(raw_dir: Path) -> dict[str, dict]:
    """Facts about the captures that are not in their text (``raw/metadata.yaml``)."""
    path = raw_dir / METADATA_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SourceError(
            path,
            "top level",
            "is not a mapping of seed file names to facts",
            "write 'seed_file.txt:' then the indented facts",
        )
    return data


def ingest(seeds: Path, sources: Path) -> list[IngestResult]:
    """Copy each capture in ``seeds`` into ``sources/raw`` and write its article file.

    A capture that cannot be read or cleaned is reported and skipped; the others are written.
    Each article file is written atomically; existing article ids are kept.
    """
    raw_dir = sources / "raw"
    articles_dir = sources / "articles"
    raw_dir.mkdir(parents=True, exist_ok=True)
    articles_dir.mkdir(parents=True, exist_ok=True)
    metadata = load_metadata(raw_dir)
    existing = _existing_ids(articles_dir)
    taken = {article_id for article_id, _ in existing.values()}
    results: list[IngestResult] = []
    for seed_path in sorted(seeds.glob("*.txt")):
        result = IngestResult(seed_file=seed_path.name)
        results.append(result)
        raw = seed_path.read_bytes()
        try:
            text = raw.decode("utf-8")
            cleaned = clean_capture(text)
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            result.error = SourceError(
                seed_path,
                f"byte {error.start} (line {line})",
                "is not UTF-8 text",
                "save the capture as UTF-8",
            )
            continue
        except CaptureError as error:
            result.error = SourceError(
                seed_path, "text", str(error), "check that the file is an article capture"
            )
            continue
        if seed_path.name in existing:
            article_id, old_path = existing[seed_path.name]
        else:
            article_id, old_path = article_id_from_title(cleaned.title), None
            base, counter = article_id, 2
            while article_id in taken:
                article_id, counter = f"{base}-{counter}", counter + 1
            taken.add(article_id)
        meta = front_matter(cleaned, seed_path.name, article_id, metadata.get(seed_path.name) or {})
        try:
            ArticleMeta.model_validate(meta)
        except ValueError as error:
            result.error = SourceError(
                raw_dir / METADATA_FILE,
                seed_path.name,
                str(error),
                "add the missing facts for this capture to metadata.yaml",
            )
            continue
        if seed_path.resolve() != (raw_dir / seed_path.name).resolve():
            shutil.copyfile(seed_path, raw_dir / seed_path.name)
        target = articles_dir / file_name(meta)
        atomic_write_text(target, render_article_file(meta, cleaned))
        if old_path is not None and old_path.resolve() != target.resolve():
            old_path.unlink()
        result.path, result.article_id = target, article_id
    return results
