"""Find the submissions: one task per student folder and set, and which file holds each set.

Every entry of the submissions folder becomes a student (names starting with "." or "_"
aside): a folder that is a symbolic link, a file, a pipe, a socket or a folder whose name is
not plain text gets rows that say so, never a silent skip. A notebook saved under another name
(``sourcing (1).ipynb``, ``Copy of sourcing.ipynb``) is found by the set its metadata records.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from medialit.grade import answers
from medialit.grade.textsafe import printable, safe_name

MAX_ENTRIES = 200  # files looked at in one student folder when a notebook was renamed
METADATA_BYTES = 4 * 1024 * 1024  # a renamed notebook is read for its metadata up to this size


@dataclass(frozen=True)
class Task:
    """One student's notebook for one exercise set (the notebook may be absent).

    ``student`` is the folder name as the outputs show it; ``problem`` says why the folder
    cannot be graded at all (its rows are ungradable with that reason).
    """

    student: str
    set_id: str
    folder: Path
    notebook_file: str | None = None  # default <set>.ipynb
    annotations_file: str | None = None  # default <set>.answers.json
    problem: str | None = None

    @property
    def notebook(self) -> Path:
        return self.folder / (self.notebook_file or f"{self.set_id}.ipynb")

    @property
    def annotations(self) -> Path:
        name = self.annotations_file or f"{self.set_id}{answers.ANSWERS_SUFFIX}"
        return self.folder / name


def folder_problem(path: Path, shown: str, name_problem: str | None) -> str | None:
    """Why a student entry cannot be graded, in words the student (or staff) can act on."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"the folder {shown} cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return (
            f"{shown} is a symbolic link, not a folder; the grader does not follow links. Copy "
            "the student's files into a real folder"
        )
    if not stat.S_ISDIR(info.st_mode):
        return (
            f"{shown} is {answers.kind_of(info.st_mode)}, not a folder; put each student's "
            "files in a folder named after the student"
        )
    if name_problem:
        return (
            f"the folder name {shown} is not plain text ({name_problem}); rename the folder to "
            "the student's login and grade again"
        )
    return None


def discover(submissions: Path, set_ids: list[str]) -> list[Task]:
    """One task per entry of ``submissions`` and set, in a stable order (by the raw name)."""
    entries = sorted(
        (entry.name for entry in os.scandir(submissions) if not entry.name.startswith((".", "_"))),
        key=os.fsencode,
    )
    tasks = []
    shown_before: set[str] = set()
    for name in entries:
        shown, name_problem = safe_name(name)
        if shown in shown_before:  # cannot happen (escapes are unique); stay safe anyway
            shown = f"{shown}#{len(shown_before)}"
        shown_before.add(shown)
        folder = Path(submissions) / name
        problem = folder_problem(folder, shown, name_problem)
        tasks += [Task(shown, set_id, folder, problem=problem) for set_id in set_ids]
    return tasks


def _recorded_set(path: Path) -> str | None:
    """The set a notebook's metadata records (``metadata.medialit.set``), or None."""
    try:
        data = answers.read_bytes(path, METADATA_BYTES / 1024 / 1024)
        if data.count(b"{") + data.count(b"[") > answers.MAX_CONTAINERS:
            return None
        notebook = json.loads(data.decode("utf-8"))
    except (answers.Ungradable, ValueError, RecursionError, MemoryError):
        return None
    meta = notebook.get("metadata") if isinstance(notebook, dict) else None
    medialit = meta.get("medialit") if isinstance(meta, dict) else None
    found = medialit.get("set") if isinstance(medialit, dict) else None
    return found if isinstance(found, str) else None


@dataclass(frozen=True)
class Located:
    """Which notebook holds a set: its file name (None: none found), a note for the gradebook
    when it is not the expected name, and a problem when the choice is not clear."""

    notebook: str | None
    note: str = ""
    problem: str | None = None


def locate(folder: Path, set_id: str, other_sets: set[str]) -> Located:
    """``<set>.ipynb`` when present; otherwise the one notebook whose metadata records the set
    (an LMS or Colab renamed it). Two such notebooks are a problem the row states.

    Notebooks named after another set are not looked into; at most MAX_ENTRIES files are.
    """
    expected = f"{set_id}.ipynb"
    if os.path.lexists(folder / expected):
        return Located(expected)
    try:
        names = []
        with os.scandir(folder) as listing:
            for number, entry in enumerate(listing):
                if number >= MAX_ENTRIES:
                    break
                names.append(entry.name)
    except OSError:
        return Located(None)
    if expected in names:
        return Located(expected)
    candidates = sorted(
        name
        for name in names
        if name.endswith(".ipynb")
        and not name.startswith(".")
        and name[: -len(".ipynb")] not in other_sets
        and _recorded_set(folder / name) == set_id
    )
    shown = [printable(name, keep="") for name in candidates]
    if len(candidates) == 1:
        return Located(candidates[0], f"graded {shown[0]} (the {set_id} notebook, renamed)")
    if len(candidates) > 1:
        listed = ", ".join(repr(name) for name in shown)
        return Located(
            None,
            "",
            f"{len(candidates)} notebooks are the {set_id} set: {listed}. Keep the one you "
            f"want graded, name it {expected} and submit again",
        )
    return Located(None)
