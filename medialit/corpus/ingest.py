"""Ingest raw captures into ``sources/articles/``: one cleaned, attributed file per article."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from medialit.corpus.clean import CaptureError, CleanArticle, clean_capture
from medialit.corpus.errors import SourceError
from medialit.corpus.load import HEADING_MARK, split_front_matter
from medialit.corpus.model import ArticleMeta
from medialit.corpus.overrides import (
    METADATA_FILE,
    CaptureFacts,
    apply_paragraph_fixes,
    load_metadata,
)
from medialit.corpus.textnorm import count_words
from medialit.fileio import atomic_write_bytes, atomic_write_text

RECORD_FILE = "ingested.yaml"
RECORD_HEADER = (
    "# Written by `python -m medialit corpus ingest`: the SHA-256 of each article file as ingest\n"
    "# wrote it. A file whose bytes differ was edited by hand, and ingest will not overwrite it.\n"
)
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
    unchanged: bool = False


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


def front_matter(
    cleaned: CleanArticle, seed_file: str, article_id: str, extra: CaptureFacts | dict
) -> dict:
    """The front matter of an article file, from the cleaned capture and ``metadata.yaml``."""
    if isinstance(extra, dict):
        extra = CaptureFacts.model_validate(extra)
    meta: dict = {
        "article_id": article_id,
        "title": cleaned.title,
        "author": cleaned.author,
        "author_bio": cleaned.author_bio,
        "first_publisher": cleaned.first_publisher,
        "first_published": cleaned.first_published,
        "republisher": cleaned.republisher,
        "republished": cleaned.republished,
        "date_note": extra.date_note,
        "sort_date": extra.sort_date,
    }
    unknown = {name: reason for name, reason in DEFAULT_REASONS.items() if meta[name] is None}
    unknown.update(extra.unknown)
    meta["unknown"] = unknown
    meta["seed_file"] = seed_file
    meta["rights_basis"] = extra.rights_basis or (
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


def _existing(articles_dir: Path) -> tuple[dict[str, tuple[str, Path]], set[str]]:
    """Seed file -> (article id, path) of ingested articles, and every article id in the folder."""
    found: dict[str, tuple[str, Path]] = {}
    ids: set[str] = set()
    for path in articles_dir.glob("*.md"):
        try:
            meta, _ = split_front_matter(path, path.read_text(encoding="utf-8"))
        except (SourceError, UnicodeDecodeError):
            continue
        if meta.get("article_id"):
            ids.add(str(meta["article_id"]))
        if meta.get("seed_file") and meta.get("article_id"):
            found[meta["seed_file"]] = (meta["article_id"], path)
    return found, ids


def digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as the ingest record keeps it.

    >>> digest(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def read_record(articles_dir: Path) -> dict[str, dict]:
    """What ingest wrote last time: article file name -> seed file and SHA-256."""
    path = articles_dir / RECORD_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return dict(files) if isinstance(files, dict) else {}


def _write_record(articles_dir: Path, record: dict[str, dict]) -> None:
    """Write the record of what ingest wrote, forgetting files that were deleted since."""
    kept = {name: entry for name, entry in record.items() if (articles_dir / name).exists()}
    text = RECORD_HEADER + yaml.safe_dump(
        {"files": dict(sorted(kept.items()))}, sort_keys=False, width=100
    )
    path = articles_dir / RECORD_FILE
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)


def _capture_error(seed_path: Path, raw: bytes) -> tuple[CleanArticle | None, SourceError | None]:
    try:
        return clean_capture(raw.decode("utf-8")), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, SourceError(
            seed_path,
            f"byte {error.start} (line {line})",
            "is not UTF-8 text",
            "save the capture as UTF-8",
        )
    except CaptureError as error:
        return None, SourceError(
            seed_path, "text", str(error), "check that the file is an article capture"
        )


def ingest(seeds: Path, sources: Path, *, force: bool = False) -> list[IngestResult]:
    """Copy each capture in ``seeds`` into ``sources/raw`` and write its article file.

    A capture that cannot be read or cleaned is reported and skipped; the others are written.
    Each article file is written atomically, and only if its text changes; existing article ids
    are kept. A file that ingest did not write, or that was edited since (its SHA-256 differs
    from ``articles/ingested.yaml``), is never overwritten unless ``force`` is set.
    """
    raw_dir = sources / "raw"
    articles_dir = sources / "articles"
    raw_dir.mkdir(parents=True, exist_ok=True)
    articles_dir.mkdir(parents=True, exist_ok=True)
    metadata, metadata_errors = load_metadata(raw_dir)
    existing, taken = _existing(articles_dir)
    record = read_record(articles_dir)
    results: list[IngestResult] = []
    try:
        for seed_path in sorted(seeds.glob("*.txt")):
            result = IngestResult(seed_file=seed_path.name)
            results.append(result)
            result.error = _ingest_one(
                seed_path,
                raw_dir,
                articles_dir,
                metadata,
                metadata_errors,
                existing,
                taken,
                record,
                result,
                force,
            )
    finally:
        _write_record(articles_dir, record)
    return results


def _ingest_one(
    seed_path: Path,
    raw_dir: Path,
    articles_dir: Path,
    metadata: dict[str, CaptureFacts],
    metadata_errors: dict[str, SourceError],
    existing: dict[str, tuple[str, Path]],
    taken: set[str],
    record: dict[str, dict],
    result: IngestResult,
    force: bool,
) -> SourceError | None:
    """Clean and write one capture; return the error that stopped it, if any."""
    if seed_path.name in metadata_errors:
        return metadata_errors[seed_path.name]
    raw = seed_path.read_bytes()
    cleaned, error = _capture_error(seed_path, raw)
    if cleaned is None:
        return error
    facts = metadata.get(seed_path.name) or CaptureFacts()
    where = raw_dir / METADATA_FILE
    try:
        apply_paragraph_fixes(cleaned, facts, where)
    except SourceError as problem:
        return SourceError(
            where, f"{seed_path.name}: {problem.place}", problem.problem, problem.fix
        )
    for name, value in facts.facts_given().items():
        setattr(cleaned, name, value)
    if seed_path.name in existing:
        article_id, old_path = existing[seed_path.name]
    else:
        article_id, old_path = article_id_from_title(cleaned.title), None
        base, counter = article_id, 2
        while article_id in taken:
            article_id, counter = f"{base}-{counter}", counter + 1
    meta = front_matter(cleaned, seed_path.name, article_id, facts)
    try:
        ArticleMeta.model_validate(meta)
    except ValueError as problem:
        return SourceError(
            where,
            seed_path.name,
            str(problem),
            "add the missing facts for this capture to metadata.yaml",
        )
    target = articles_dir / file_name(meta)
    data = render_article_file(meta, cleaned).encode("utf-8")
    if target.exists() and (old_path is None or old_path.resolve() != target.resolve()):
        return SourceError(
            target,
            "file",
            f"already holds another article (written by hand, or from another capture), and "
            f"{seed_path.name} would be written over it",
            "rename or remove that file, or give this capture another title or date in "
            "metadata.yaml",
        )
    if old_path is not None:
        current = old_path.read_bytes()
        if current == data and old_path.resolve() == target.resolve():
            record[target.name] = {"seed_file": seed_path.name, "sha256": digest(data)}
            result.path, result.article_id, result.unchanged = target, article_id, True
            _copy_capture(seed_path, raw_dir)
            return None
        written = record.get(old_path.name, {})
        if not force and written.get("sha256") != digest(current):
            how = (
                "was edited by hand since ingest wrote it"
                if written
                else "was not written by ingest"
            )
            return SourceError(
                old_path,
                "file",
                f"{how}, so ingest will not overwrite it",
                "put the fix in sources/raw/metadata.yaml (title, author, dates, drop_paragraphs, "
                "join_paragraphs) and delete the file, or run ingest with --force to discard it",
            )
    _copy_capture(seed_path, raw_dir)
    atomic_write_bytes(target, data)
    record[target.name] = {"seed_file": seed_path.name, "sha256": digest(data)}
    if old_path is not None and old_path.resolve() != target.resolve():
        old_path.unlink()
        record.pop(old_path.name, None)
    taken.add(article_id)
    result.path, result.article_id = target, article_id
    return None


def _copy_capture(seed_path: Path, raw_dir: Path) -> None:
    target = raw_dir / seed_path.name
    if seed_path.resolve() != target.resolve() and (
        not target.exists() or target.read_bytes() != seed_path.read_bytes()
    ):
        shutil.copyfile(seed_path, target)
