"""The per-student answers file beside the notebook: every change saved at once, nothing lost.

Format (read by the grader, ``medialit.grade.answers.read_annotations``)::

    {"schema": 1, "annotations": [{"annotation_id": "a001", "paragraph_id": "x:p07",
      "start": 120, "end": 141, "text": "...", "layer": "sourcing", "label": "official",
      "labels": {"source_types": "official", "quote_kinds": "direct"}}]}

``label`` is the label of the layer's first dimension (what older files and graders read);
``labels``, optional, holds one label per dimension of the layer (label set id -> label id).

``start``/``end`` are offsets into the article body (medialit.corpus offsets). Saving writes a
temporary file and renames it over the old one; a save cut off before the rename is recovered
the next time the file is opened; a file that cannot be read is moved aside, never deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text

SCHEMA = 1
SUFFIX = ".answers.json"
FIELDS = ("annotation_id", "paragraph_id", "start", "end", "text", "layer", "label")
OPTIONAL = ("labels",)


class AnswersFileError(OSError):
    """The answers file can neither be read nor moved aside; nothing was overwritten."""


def answers_path_for(notebook: str | os.PathLike[str]) -> Path:
    """The answers file of a notebook: ``<notebook-stem>.answers.json`` beside it.

    >>> answers_path_for("exercises/sourcing-1.ipynb").as_posix()
    'exercises/sourcing-1.answers.json'
    """
    notebook = Path(notebook)
    return notebook.with_name(notebook.name.removesuffix(".ipynb").removesuffix(".md") + SUFFIX)


def _problem(record: Any) -> str | None:
    """Why a record is not a saved annotation, or None when it is one."""
    if not isinstance(record, dict):
        return "is not a mapping"
    missing = [field for field in FIELDS if field not in record]
    if missing:
        return f"has no {', '.join(missing)}"
    for field in ("annotation_id", "paragraph_id", "text", "layer", "label"):
        if not isinstance(record[field], str):
            return f"{field} is not text"
    for field in ("start", "end"):
        if not isinstance(record[field], int) or isinstance(record[field], bool):
            return f"{field} is not a whole number"
    if not 0 <= record["start"] < record["end"]:
        return "its offsets are not in order"
    chosen = record.get("labels")
    if chosen is not None and not (
        isinstance(chosen, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in chosen.items())
    ):
        return "labels is not a mapping of label set to label"
    return None


class AnswersFile:
    """One student's saved annotations for one notebook.

    >>> import tempfile, pathlib
    >>> store = AnswersFile(pathlib.Path(tempfile.mkdtemp()) / "demo.answers.json")
    >>> record = store.add({"paragraph_id": "russia-china-resist:p11", "start": 1, "end": 4,
    ...                     "text": "o b", "layer": "claims", "label": "opinion"})
    >>> record["annotation_id"], len(AnswersFile(store.path).annotations())
    ('a001', 1)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.notices: list[str] = []  # what happened to the file that the student must know

    # ------------------------------------------------------------------ reading

    def _temporaries(self) -> list[Path]:
        return sorted(
            self.path.parent.glob(f".{self.path.name}.*.tmp"), key=lambda p: p.stat().st_mtime_ns
        )

    def _recover_interrupted_save(self) -> None:
        """Finish a save that was cut off between writing and renaming (the newest one wins)."""
        main_time = self.path.stat().st_mtime_ns if self.path.exists() else -1
        for temporary in reversed(self._temporaries()):
            if temporary.stat().st_mtime_ns < main_time:
                break
            try:
                payload = json.loads(temporary.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # cut off while writing: the old file is still the right one
            if _payload_problem(payload) is None:
                os.replace(temporary, self.path)
                self.notices.append(
                    f"Your last change had not finished saving when the notebook stopped; it was "
                    f"recovered into {self.path.name}."
                )
                return

    def _set_aside(self, reason: str) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        stem = self.path.name.removesuffix(".json")
        target = self.path.with_name(f"{stem}.unreadable-{stamp}.json")
        number = 1
        while target.exists():
            number += 1
            target = self.path.with_name(f"{stem}.unreadable-{stamp}-{number}.json")
        try:
            os.replace(self.path, target)
        except OSError as error:
            raise AnswersFileError(
                f"{self.path}: {reason}, and it could not be moved aside ({error}). Nothing was "
                f"changed. Fix: move or rename the file yourself, then run the cell again."
            ) from None
        self.notices.append(
            f"{self.path.name} could not be used ({reason}). It was kept as {target.name} "
            "(show it to your instructor if you need work from it) and a fresh file was started."
        )
        return target

    def load(self) -> dict[str, Any]:
        """The whole file as a dict (other top-level fields are kept when saving).

        A missing file is an empty one. A file that is not valid is moved aside and a fresh one
        is written (keeping every annotation of it that is still valid); ``notices`` says so.
        """
        self._recover_interrupted_save()
        if not self.path.exists():
            return {"schema": SCHEMA, "annotations": []}
        try:
            payload = json.loads(self.path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            self._set_aside(f"it is not readable JSON: {error}")
            return self._write({"schema": SCHEMA, "annotations": []})
        problem = _payload_problem(payload)
        if problem:
            self._set_aside(problem)
            return self._write({"schema": SCHEMA, "annotations": []})
        bad = [
            index
            for index, record in enumerate(payload["annotations"], start=1)
            if _problem(record)
        ]
        if bad:
            self._set_aside(f"annotation(s) {', '.join(map(str, bad))} are damaged")
            payload["annotations"] = [r for r in payload["annotations"] if not _problem(r)]
            return self._write(payload)
        return payload

    def annotations(self) -> list[dict[str, Any]]:
        """The saved annotations, in the order they were made."""
        return list(self.load()["annotations"])

    # ------------------------------------------------------------------ changing

    def _write(self, payload: dict[str, Any]) -> dict[str, Any]:
        atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return payload

    @staticmethod
    def _next_id(records: Iterable[dict[str, Any]]) -> str:
        numbers = [
            int(r["annotation_id"][1:])
            for r in records
            if r["annotation_id"][:1] == "a" and r["annotation_id"][1:].isdigit()
        ]
        return f"a{max(numbers, default=0) + 1:03d}"

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Save a new annotation (given without ``annotation_id``); return it with its id."""
        payload = self.load()
        saved = {
            "annotation_id": self._next_id(payload["annotations"]),
            **{field: record[field] for field in FIELDS[1:]},
            **{field: record[field] for field in OPTIONAL if record.get(field)},
        }
        problem = _problem(saved)
        if problem:
            raise ValueError(f"The annotation {problem}; it was not saved.")
        payload["annotations"].append(saved)
        self._write(payload)
        return saved

    def update(self, annotation_id: str, record: dict[str, Any]) -> dict[str, Any]:
        """Replace the fields of one saved annotation; return the saved version."""
        payload = self.load()
        for index, existing in enumerate(payload["annotations"]):
            if existing["annotation_id"] == annotation_id:
                saved = {**existing, **{f: record[f] for f in FIELDS[1:] + OPTIONAL if f in record}}
                problem = _problem(saved)
                if problem:
                    raise ValueError(f"The annotation {problem}; the change was not saved.")
                payload["annotations"][index] = saved
                self._write(payload)
                return saved
        raise KeyError(f"There is no annotation {annotation_id!r} in {self.path.name}.")

    def delete(self, annotation_id: str) -> None:
        """Remove one saved annotation."""
        payload = self.load()
        kept = [r for r in payload["annotations"] if r["annotation_id"] != annotation_id]
        if len(kept) == len(payload["annotations"]):
            raise KeyError(f"There is no annotation {annotation_id!r} in {self.path.name}.")
        payload["annotations"] = kept
        self._write(payload)


def _payload_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "it is not a JSON object"
    if payload.get("schema") != SCHEMA:
        return f'it does not say "schema": {SCHEMA}'
    if not isinstance(payload.get("annotations"), list):
        return "it has no list of annotations"
    return None
