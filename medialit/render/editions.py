"""The book's two editions: which pages each one holds, decided from one table of contents."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from medialit.fileio import atomic_write_text

EDITIONS = ("student", "instructor")
EDITION_VARIABLE = "MEDIALIT_EDITION"
# Folders whose pages only the instructor edition holds (relative to the book's root, no suffix).
INSTRUCTOR_FOLDERS = ("book/instructor",)
EDITION_TOC_FOLDER = PurePosixPath("_build") / "toc"


class EditionError(ValueError):
    """The edition asked for, or the table of contents, cannot make an edition."""


def edition_from_environment(environ: dict[str, str] | None = None) -> str:
    """The edition named by ``MEDIALIT_EDITION``; the student edition when it is unset.

    The safe default matters: a plain ``jupyter-book build .`` must never publish the keys.

    >>> edition_from_environment({})
    'student'
    >>> edition_from_environment({"MEDIALIT_EDITION": "Instructor"})
    'instructor'
    >>> edition_from_environment({"MEDIALIT_EDITION": "teacher"})
    Traceback (most recent call last):
    ...
    medialit.render.editions.EditionError: MEDIALIT_EDITION='teacher' is not an edition. Fix: ...
    """
    environ = os.environ if environ is None else environ
    value = environ.get(EDITION_VARIABLE, "").strip().lower() or "student"
    if value not in EDITIONS:
        raise EditionError(
            f"{EDITION_VARIABLE}={environ[EDITION_VARIABLE]!r} is not an edition. Fix: set it to "
            "student or instructor (or leave it unset for the student edition)."
        )
    return value


def is_instructor_only(path: str, folders: Iterable[str] = INSTRUCTOR_FOLDERS) -> bool:
    """Whether a toc entry (a file or a glob, relative to the book root) is instructor-only.

    >>> is_instructor_only("book/instructor/syllabus"), is_instructor_only("book/intro")
    (True, False)
    >>> is_instructor_only("book/instructor-notes")
    False
    """
    parts = PurePosixPath(path.strip("/")).parts
    for folder in folders:
        folder_parts = PurePosixPath(folder.strip("/")).parts
        if parts[: len(folder_parts)] == folder_parts:
            return True
    return False


def _entry_path(entry: dict[str, Any]) -> str | None:
    return entry.get("file") or entry.get("glob")


def _filter_entries(
    entries: list[dict[str, Any]], folders: Iterable[str], where: str, toc_file: str
) -> list[dict[str, Any]]:
    kept = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise EditionError(
                f"{toc_file}: {where}, entry {position} is not a mapping. Fix: "
                "write each entry as `- file: path/to/page`."
            )
        path = _entry_path(entry)
        if path is not None and is_instructor_only(path, folders):
            continue
        entry = dict(entry)
        if (
            path is None
            and "url" not in entry
            and not any(key in entry for key in ("sections", "chapters", "parts"))
        ):
            raise EditionError(f"{toc_file}: {where}, entry {position} has no file, glob or url.")
        for key in ("sections", "chapters", "parts"):
            if key in entry:
                entry[key] = _filter_entries(entry[key], folders, f"{where} > {key}", toc_file)
                if not entry[key]:
                    del entry[key]
        if (
            path is None
            and "url" not in entry
            and not any(key in entry for key in ("sections", "chapters", "parts"))
        ):
            continue  # a part or subtree left empty: every page in it was instructor-only
        kept.append(entry)
    return kept


def student_toc(
    toc: dict[str, Any], folders: Iterable[str] = INSTRUCTOR_FOLDERS, toc_file: str = "_toc.yml"
) -> dict[str, Any]:
    """The table of contents without the instructor-only pages (parts left empty are dropped).

    >>> toc = {"format": "jb-book", "root": "book/intro", "parts": [
    ...     {"caption": "Read", "chapters": [{"file": "book/articles/index"}]},
    ...     {"caption": "Teach", "chapters": [
    ...         {"file": "book/instructor/index",
    ...          "sections": [{"file": "book/instructor/syllabus"}]}]}]}
    >>> [part["caption"] for part in student_toc(toc)["parts"]]
    ['Read']
    """
    root = toc.get("root")
    if not isinstance(root, str):
        raise EditionError(f"{toc_file}: no `root` page. Fix: add `root: book/intro`.")
    if is_instructor_only(root, folders):
        raise EditionError(
            f"{toc_file}: the root page {root} is instructor-only; the student "
            "edition needs a root page outside " + ", ".join(folders) + "."
        )
    filtered = dict(toc)
    for key in ("parts", "chapters", "sections"):
        if key in filtered:
            filtered[key] = _filter_entries(filtered[key], folders, key, toc_file)
    return filtered


def edition_toc_path(
    srcdir: Path,
    edition: str,
    toc_path: str = "_toc.yml",
    folders: Iterable[str] = INSTRUCTOR_FOLDERS,
) -> str:
    """The toc file an edition builds from (``toc_path``: absolute or relative to ``srcdir``).

    The instructor edition uses the book's toc as written; the student edition a copy without the
    instructor-only pages, written to ``<srcdir>/_build/toc/student.yml`` (only when its text
    changes, so a warm rebuild stays warm); its absolute path is returned.
    """
    if edition == "instructor":
        return toc_path
    source = srcdir / toc_path
    try:
        toc = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EditionError(f"{source}: cannot read the table of contents ({error}).") from None
    if not isinstance(toc, dict):
        raise EditionError(f"{source}: the table of contents is not a mapping.")
    text = (
        "# Generated by medialit.render.editions from "
        + Path(toc_path).name
        + ": the student edition's pages. Do not edit.\n"
        + yaml.safe_dump(student_toc(toc, folders, toc_path), sort_keys=False)
    )
    target = srcdir / EDITION_TOC_FOLDER / f"{edition}.yml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        atomic_write_text(target, text)
    return target.resolve().as_posix()
