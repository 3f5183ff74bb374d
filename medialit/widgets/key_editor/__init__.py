"""The annotator's instructor mode: open a draft key, decide its entries, add new ones, save.

Instructor-only: the student release leaves this package out (``medialit.release.wheel``), and
nothing the students get imports it. In a notebook of the instructor's checkout::

    from medialit.widgets.key_editor import edit_key
    edit_key("some-article")          # sources/annotations/some-article.yaml

The article's text is the annotator's (select words, choose a layer and its labels, Add): here
each listed annotation is a key entry, and Add writes a new entry with a ``todo``. The panel
below shows one entry's values (the finder's suggestions in a draft), to accept, edit or delete;
every change is saved into the YAML at once (see :mod:`.document` for what is kept), and the
panel lists what ``annotations check`` still finds to do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets
import traitlets

from medialit.annotations import labels as codebook
from medialit.annotations.coverage import key_problems
from medialit.annotations.draft import PLACEHOLDER, left_to_do
from medialit.annotations.key import KEY_SUFFIX, Key, key_dir
from medialit.annotations.schema import ALTERNATIVE_FOR, LABEL_FIELDS, LAYER_FIELDS, LIST_FIELDS
from medialit.corpus import Corpus, default
from medialit.corpus.locate import locate_all
from medialit.widgets.annotate import AnnotateWidget
from medialit.widgets.key_editor.document import KeyDocument, KeyEditError

FRONTEND = Path(__file__).resolve().parent / "frontend"
TEXT_FIELDS = ("source", "cue", "source_name")
_CONFIDENCE = re.compile(r"confidence (\d(?:\.\d+)?)")
_PREFIX = {"framing": "frame", "sourcing": "source", "claims": "claim", "persuasion": "tech"}


def remaining(key: Key, corpus: Corpus) -> list[str]:
    """What is left to do in a key, as ``annotations check`` lists it: every todo, placeholder
    rationale, unnamed annotator and a draft's status, then the problems."""
    problems = [f"{problem.place}: {problem.message}" for problem in key_problems(key, corpus)]
    return left_to_do(key) + problems


class KeyStore:
    """The key file behind the annotator, in the shape of the students' answers file
    (``annotations()``, ``add()``, ``delete()``, ``notices``, ``path``)."""

    def __init__(self, document: KeyDocument) -> None:
        self.document = document
        self.path = document.path
        self.notices: list[str] = []

    def annotations(self) -> list[dict[str, Any]]:
        """Every entry as an annotator record (its id as annotation_id), in text order."""
        key = self.document.key
        placed = sorted(
            [*key.annotations, *key.unfinished], key=lambda a: (a.start, -a.end, a.layer, a.id)
        )
        records = []
        for entry in placed:
            chosen = {
                LABEL_FIELDS[field]: getattr(entry, field)
                for field in LAYER_FIELDS[entry.layer]
                if field in LABEL_FIELDS and field not in LIST_FIELDS and getattr(entry, field)
            }
            records.append(
                {
                    "annotation_id": entry.id,
                    "paragraph_id": entry.paragraph_id,
                    "start": entry.start,
                    "end": entry.end,
                    "text": entry.text,
                    "layer": entry.layer,
                    "label": next(iter(chosen.values()), "todo"),
                    "labels": chosen,
                }
            )
        return records

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """A new entry from the words and labels chosen in the annotator, with a ``todo``."""
        paragraph = self.document.corpus.paragraph(record["paragraph_id"])
        local = record["start"] - paragraph.start
        entry_id = f"{_PREFIX[record['layer']]}-p{paragraph.number:02d}-{local}"
        taken = {entry.get("id") for entry in self.document.entries}
        base, n = entry_id, 1
        while entry_id in taken:
            n += 1
            entry_id = f"{base}-{n}"
        entry: dict[str, Any] = {
            "id": entry_id,
            "paragraph_id": record["paragraph_id"],
            "layer": record["layer"],
            "span": record["text"],
        }
        here = [
            found.start
            for found in locate_all(self.document.corpus, record["text"], paragraph.article_id)
            if found.paragraph_id == paragraph.paragraph_id
        ]
        if len(here) > 1 and record["start"] in here:
            entry["occurrence"] = here.index(record["start"]) + 1
        for set_id, label_id in (record.get("labels") or {}).items():
            field = ALTERNATIVE_FOR[set_id]
            entry[field] = [label_id] if field in LIST_FIELDS else label_id
        entry["rationale"] = PLACEHOLDER
        entry["todo"] = "new entry: give the fields its layer needs and write the rationale"
        self.document.add(entry)
        return next(r for r in self.annotations() if r["annotation_id"] == entry_id)

    def delete(self, annotation_id: str) -> None:
        """Delete the entry (its lines only)."""
        try:
            self.document.delete(annotation_id)
        except KeyEditError as error:
            raise KeyError(str(error)) from None


class KeyAnnotator(AnnotateWidget):
    """The annotator over a key: its list is the key's entries, each with an Edit button."""

    def __init__(self, editor: KeyEditor, store: KeyStore, article_id: str) -> None:
        self.editor = editor
        super().__init__(editor.corpus, store, article_id)  # type: ignore[arg-type]
        self.articles = [a for a in self.articles if a["id"] == article_id]  # the key's only
        self.list_title = f"Entries of {store.path.name}"
        self.item_actions = ["Edit"]

    def _say_notices(self, first: bool = False) -> None:
        if first:
            self._say(f"{len(self.annotations)} entries in {self.store.path.name}.")

    def add(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """Add an entry from the chosen words and labels, then open it in the panel."""
        saved = super().add(*args, **kwargs)  # a refusal is said in the message
        if saved is not None:
            self.editor.open(saved["annotation_id"])
            self.editor.refresh()
        return saved

    def delete(self, annotation_id: str) -> bool:
        """Delete an entry; the panel moves to the next one to do."""
        done = super().delete(annotation_id)
        if done:
            self.editor.refresh(closed=annotation_id)
        return done

    def action(self, action: str, annotation_id: str) -> None:
        """Edit: open the entry in the panel below."""
        if action == "Edit":
            self.editor.open(annotation_id)


class EntryPanel(anywidget.AnyWidget):
    """The panel that shows one key entry's values; the front end sends ``save``, ``accept``,
    ``delete``, ``next``, ``show`` and ``status`` messages, which :class:`KeyEditor` handles."""

    _esm = FRONTEND / "key_editor.js"
    _css = FRONTEND / "key_editor.css"
    entry = traitlets.Dict().tag(sync=True)
    summary = traitlets.Dict().tag(sync=True)
    message = traitlets.Dict().tag(sync=True)


def _options(set_id: str) -> list[dict[str, str]]:
    return [
        {"id": label.id, "name": f"{label.name} ({label.id})"}
        for label in codebook.label_set(set_id)
    ]


def _field_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The editable fields of an entry's layer, with their values and choices."""
    rows: list[dict[str, Any]] = []
    for field in LAYER_FIELDS[entry["layer"]]:
        value = entry.get(field)
        if field in TEXT_FIELDS:
            rows.append({"name": field, "kind": "text", "value": value or ""})
        elif field == "verification":
            verdict = (value or {}).get("verdict", "") if isinstance(value, dict) else ""
            rows.append(
                {"name": field, "kind": "label", "value": verdict, "options": _options("verdicts")}
            )
        elif field in LIST_FIELDS:
            rows.append(
                {
                    "name": field,
                    "kind": "labels",
                    "value": list(value or []),
                    "options": _options(LABEL_FIELDS[field]),
                }
            )
        else:
            rows.append(
                {
                    "name": field,
                    "kind": "label",
                    "value": value or "",
                    "options": _options(LABEL_FIELDS[field]),
                }
            )
    return rows


class KeyEditor:
    """The instructor mode: the annotator over a key file, and the entry panel."""

    def __init__(self, corpus: Corpus, path: Path) -> None:
        self.corpus = corpus
        self.document = KeyDocument(path, corpus)
        self.store = KeyStore(self.document)
        self.panel = EntryPanel()
        self.annotator = KeyAnnotator(self, self.store, self.document.key.article_id)
        self.panel.on_msg(self._received)
        self._said = 0
        self.refresh()
        first = self.next_todo()
        if first:
            self.open(first)

    # ------------------------------------------------------------------ state

    def next_todo(self, after: str | None = None) -> str | None:
        """The id of the next entry with a ``todo`` (after ``after``, wrapping round)."""
        ids = [r["annotation_id"] for r in self.store.annotations()]
        unfinished = {entry.id for entry in self.document.key.unfinished}
        start = ids.index(after) + 1 if after in ids else 0
        for entry_id in ids[start:] + ids[:start]:
            if entry_id in unfinished:
                return entry_id
        return None

    def refresh(self, closed: str | None = None) -> None:
        """Re-read the key's state into both views (after every save)."""
        key = self.document.key
        self.annotator.annotations = self.store.annotations()
        self.panel.summary = {
            "file": self.document.path.name,
            "status": key.status,
            "todo": len(key.unfinished),
            "entries": len(key.annotations) + len(key.unfinished),
            "remaining": remaining(key, self.corpus),
        }
        if closed is not None and self.panel.entry.get("id") == closed:
            following = self.next_todo(closed)
            if following:
                self.open(following)
            else:
                self.panel.entry = {}

    def open(self, entry_id: str) -> dict[str, Any]:
        """Show one entry in the panel; returns what the panel shows."""
        entry = self.document.entry(entry_id)
        placed = next(r for r in self.store.annotations() if r["annotation_id"] == entry_id)
        todo = entry.get("todo")
        confidence = _CONFIDENCE.search(todo or "")
        self.panel.entry = {
            "id": entry_id,
            "paragraph_id": entry["paragraph_id"],
            "layer": entry["layer"],
            "text": placed["text"],
            "todo": todo or "",
            "confidence": confidence.group(1) if confidence else "",
            "rationale": ""
            if entry.get("rationale") == PLACEHOLDER
            else entry.get("rationale", ""),
            "fields": _field_rows(entry),
        }
        return dict(self.panel.entry)

    def _say(self, text: str, kind: str = "info") -> None:
        self._said += 1
        mark = {"info": "", "saved": "Saved: ", "error": "Not saved: "}[kind]
        self.panel.message = {"kind": kind, "text": mark + text, "n": self._said}

    # ------------------------------------------------------------------ actions

    def save(self, entry_id: str, values: dict[str, Any], *, decided: bool = False) -> bool:
        """Set the entry's fields to ``values`` (an empty value removes the field); with
        ``decided`` also remove its ``todo``. Checked by the schema before it is written."""
        try:
            entry = self.document.entry(entry_id)
            allowed = {*LAYER_FIELDS[entry["layer"]], "rationale"}
            unknown = set(values) - allowed
            if unknown:
                raise KeyEditError(f"{', '.join(sorted(unknown))} is not a field of this entry")
            if "rationale" in values and not str(values["rationale"] or "").strip():
                values = {**values, "rationale": PLACEHOLDER}  # not written yet
            for field, value in values.items():
                _set(entry, field, value)
            if decided:
                if str(entry.get("rationale", "")).strip() in ("", PLACEHOLDER):
                    raise KeyEditError("write the rationale before you accept the entry")
                entry.pop("todo", None)
            self.document.replace(entry_id, entry)
        except (KeyEditError, KeyError, OSError) as error:
            self._say(str(error.args[0] if error.args else error), "error")
            return False
        self._say(
            f"{entry_id} {'accepted' if decided else 'changed'} in {self.document.path.name}",
            "saved",
        )
        self.refresh()
        if decided:
            following = self.next_todo(entry_id)
            self.open(following) if following else self.open(entry_id)
        else:
            self.open(entry_id)
        return True

    def accept(self, entry_id: str) -> bool:
        """Accept the entry's values as they stand (remove its ``todo``)."""
        return self.save(entry_id, {}, decided=True)

    def delete(self, entry_id: str) -> bool:
        """Delete the entry from the key."""
        done = self.annotator.delete(entry_id)
        if not done:
            self._say(self.annotator.message.get("text", ""), "error")
        else:
            self._say(f"{entry_id} deleted from {self.document.path.name}", "saved")
        return done

    def set_status(self, status: str) -> bool:
        """Set the key's status (a key with a ``todo`` left must stay a draft)."""
        try:
            self.document.set_status(status)
        except (KeyEditError, OSError) as error:
            self._say(str(error), "error")
            return False
        self._say(f"status is {status}", "saved")
        self.refresh()
        return True

    def show(self, entry_id: str) -> None:
        """Choose the entry's words in the text above."""
        record = next(r for r in self.store.annotations() if r["annotation_id"] == entry_id)
        self.annotator.found = {
            "paragraph_id": record["paragraph_id"],
            "start": record["start"],
            "end": record["end"],
            "n": self._said + 1,
        }

    def _received(self, widget: Any, content: Any, buffers: Any = None) -> None:
        if not isinstance(content, dict):
            return
        kind, entry_id = content.get("type"), str(content.get("id", ""))
        if kind == "save":
            self.save(
                entry_id, dict(content.get("values") or {}), decided=bool(content.get("decided"))
            )
        elif kind == "accept":
            self.accept(entry_id)
        elif kind == "delete":
            self.delete(entry_id)
        elif kind == "next":
            following = self.next_todo(entry_id or None)
            if following:
                self.open(following)
                self.show(following)
            else:
                self._say("no entry has a todo left")
        elif kind == "show":
            self.show(entry_id)
        elif kind == "status":
            self.set_status(str(content.get("status", "")))

    def widget(self) -> ipywidgets.VBox:
        """The two views, text and list above, the entry panel below."""
        return ipywidgets.VBox([self.annotator, self.panel])


def _set(entry: dict[str, Any], field: str, value: Any) -> None:
    if field == "verification":
        if not value:
            entry.pop("verification", None)
        else:
            old = entry.get("verification") if isinstance(entry.get("verification"), dict) else {}
            entry["verification"] = {**old, "verdict": str(value)}
        return
    if isinstance(value, list):
        value = [str(item) for item in value if str(item).strip()]
    elif value is not None:
        value = str(value).strip()
    if value in (None, "", []):
        entry.pop(field, None)
    elif field in entry:
        entry[field] = value
    else:  # a new field goes before the rationale, where the draft writes the labels
        items = list(entry.items())
        at = next((n for n, (name, _) in enumerate(items) if name == "rationale"), len(items))
        items.insert(at, (field, value))
        entry.clear()
        entry.update(items)


def edit_key(
    article_id: str, *, corpus: Corpus | None = None, path: str | Path | None = None
) -> ipywidgets.VBox:
    """The instructor's key editor on ``sources/annotations/<article_id>.yaml`` (or ``path``).

    The returned box holds the editor as ``.editor`` (its methods do what the buttons do).
    """
    source = corpus if corpus is not None else default()
    target = Path(path) if path else key_dir(source) / f"{article_id}{KEY_SUFFIX}"
    if not target.is_file():
        raise FileNotFoundError(
            f"{target}: no key file. Write a draft first: python -m medialit annotations draft "
            f"{article_id}"
        )
    editor = KeyEditor(source, target)
    box = editor.widget()
    box.editor = editor  # type: ignore[attr-defined]
    return box
