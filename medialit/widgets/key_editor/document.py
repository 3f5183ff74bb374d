"""A key file edited in place: only the changed entry's lines are rewritten, the rest kept.

PyYAML's composer gives each entry's first line; an entry runs to the next one, less the blank
lines and the comments at the list's own indentation between them (those belong to the next
entry, such as the draft's ``# ---- p03: ...`` headings, and are never touched). A rewritten
entry is written again in the draft's block style; comments that were inside it, on lines of
their own or after a value, are kept on lines of their own just above it. Deleting an entry
deletes its lines, comments inside it included. Every save is checked by the key schema and
placed in the article first, then written to a temporary file and renamed over the key: a save
that would break the key is refused with the reason and the file is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from medialit.annotations.key import (
    Key,
    KeyFileError,
    Problem,
    UniqueKeyLoader,
    key_file_from,
    place,
)
from medialit.corpus import Corpus
from medialit.fileio import atomic_write_text


class KeyEditError(ValueError):
    """An edit that cannot be saved; the message says why and the file is unchanged."""


@dataclass(frozen=True)
class _Block:
    entry_id: str
    first: int  # first line (0-based) of the entry, its "- " line
    end: int  # one past its last line
    indent: int  # the column of its "- "
    fields: dict[str, tuple[int, int]]  # each field's first line and one past its last


def _comment_of(line: str) -> str | None:
    """The comment a line carries ('# ...'), outside quotes; None if it has none.

    >>> _comment_of('  span: "a # b"  # kept'), _comment_of("  # own line"), _comment_of("a: b")
    ('# kept', '# own line', None)
    """
    quote = None
    previous = " "
    index = 0
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and previous in " :[{,-":
            quote = char
        elif char == "#" and previous in " \t":
            return line[index:].rstrip()
        previous = char
        index += 1
    return None


def _is_separator(line: str, indent: int) -> bool:
    stripped = line.lstrip()
    return not stripped or (stripped.startswith("#") and len(line) - len(stripped) <= indent)


def entry_text(entry: dict[str, Any], indent: int = 0) -> str:
    """One entry in block style (lists and mappings inline), quoted only where YAML needs it.

    >>> print(entry_text({"id": "c1", "span": "He said: no", "labels": ["a", "b"]}), end="")
    - id: c1
      span: 'He said: no'
      labels: [a, b]
    """
    lines = []
    for name, value in entry.items():
        if isinstance(value, list | dict):
            shown = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
            lines.append(f"{name}: {shown.strip()}")
        else:
            shown = yaml.safe_dump({name: value}, allow_unicode=True, width=10**6)
            lines.append(shown.strip())
    pad = " " * indent
    return "".join(f"{pad}{'- ' if n == 0 else '  '}{line}\n" for n, line in enumerate(lines))


class KeyDocument:
    """One key file open for editing: its text, its raw entries, and where each entry stands."""

    def __init__(self, path: str | Path, corpus: Corpus) -> None:
        self.path = Path(path)
        self.corpus = corpus
        self.text = self.path.read_text(encoding="utf-8")
        self._read(self.text)

    # ------------------------------------------------------------------ reading

    def _read(self, text: str) -> None:
        raw, blocks = _parse(text, self.path)
        self.raw = raw
        self.blocks = blocks
        self.key: Key = _validated(raw, self.path, self.corpus)

    @property
    def entries(self) -> list[dict[str, Any]]:
        """The entries as written (plain dicts, in file order)."""
        return list(self.raw["entries"])

    def entry(self, entry_id: str) -> dict[str, Any]:
        """The raw entry with this id."""
        for entry in self.raw["entries"]:
            if entry.get("id") == entry_id:
                return dict(entry)
        raise KeyError(f"{self.path.name} has no entry {entry_id!r}")

    # ------------------------------------------------------------------ edits

    def replace(self, entry_id: str, entry: dict[str, Any]) -> Key:
        """Write ``entry`` in place of the entry ``entry_id``; return the key as saved."""
        block = self._block(entry_id)
        lines = self.text.splitlines(keepends=True)
        old = self.entry(entry_id)
        body = entry_text(entry, block.indent).splitlines(keepends=True)
        reused: set[int] = set()
        for n, name in enumerate(entry):  # an unchanged field keeps its lines as they were
            if name in old and old[name] == entry[name] and name in block.fields:
                first, end = block.fields[name]
                if (n == 0 and first == block.first) or (n > 0 and first > block.first):
                    body[n] = "".join(lines[first:end])
                    reused.update(range(first, end))
        kept = [
            " " * block.indent + comment + "\n"
            for number, line in enumerate(lines[block.first : block.end], start=block.first)
            if number not in reused and (comment := _comment_of(line)) is not None
        ]
        new = [*kept, *body]
        entries = [entry if e.get("id") == entry_id else e for e in self.raw["entries"]]
        return self._save(lines[: block.first] + new + lines[block.end :], entries)

    def delete(self, entry_id: str) -> Key:
        """Remove the entry ``entry_id`` (its lines only); return the key as saved."""
        block = self._block(entry_id)
        lines = self.text.splitlines(keepends=True)
        entries = [e for e in self.raw["entries"] if e.get("id") != entry_id]
        if not entries:
            raise KeyEditError("a key keeps at least one entry: add another before deleting this")
        return self._save(lines[: block.first] + lines[block.end :], entries)

    def add(self, entry: dict[str, Any]) -> Key:
        """Add ``entry`` after the last entry of its paragraph (or of the paragraph before it)."""
        target = _number(entry["paragraph_id"])
        after = None
        for block, old in zip(self.blocks, self.raw["entries"], strict=True):
            if _number(old.get("paragraph_id", "")) <= target:
                after = block
        lines = self.text.splitlines(keepends=True)
        if after is None:
            at, indent = self.blocks[0].first, self.blocks[0].indent
        else:
            at, indent = after.end, after.indent
        if at > 0 and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        index = 0 if after is None else self.blocks.index(after) + 1
        entries = list(self.raw["entries"])
        entries.insert(index, entry)
        return self._save([*lines[:at], entry_text(entry, indent), *lines[at:]], entries)

    def set_status(self, status: str) -> Key:
        """Change the key's ``status:`` value (draft, pilot or reviewed) where it is written."""
        node = _top_value(yaml.compose(self.text, Loader=UniqueKeyLoader), "status")
        if node is None:
            raise KeyEditError(f"{self.path.name} has no `status:` to change")
        text = self.text[: node.start_mark.index] + status + self.text[node.end_mark.index :]
        return self._save(text.splitlines(keepends=True), list(self.raw["entries"]), status)

    # ------------------------------------------------------------------ saving

    def _block(self, entry_id: str) -> _Block:
        for block in self.blocks:
            if block.entry_id == entry_id:
                return block
        raise KeyError(f"{self.path.name} has no entry {entry_id!r}")

    def _save(
        self, lines: list[str], entries: list[dict[str, Any]], status: str | None = None
    ) -> Key:
        if self.path.read_text(encoding="utf-8") != self.text:
            raise KeyEditError(
                f"{self.path.name} was changed on disk since it was opened: nothing was saved. "
                "Open it again to see the change."
            )
        text = "".join(lines)
        try:
            raw, blocks = _parse(text, self.path)
            key = _validated(raw, self.path, self.corpus)
        except KeyFileError as error:
            raise KeyEditError(
                "; ".join(problem.message for problem in error.problems) + " (nothing was saved)"
            ) from None
        intended = {**self.raw, "entries": entries}
        if status is not None:
            intended["status"] = status
        if raw != intended:  # the text says what was meant, or nothing is written
            raise KeyEditError(f"{self.path.name}: the edit did not read back as written")
        atomic_write_text(self.path, text)
        self.text, self.raw, self.blocks, self.key = text, raw, blocks, key
        return key


def _number(paragraph_id: str) -> int:
    try:
        return int(paragraph_id.rsplit(":p", 1)[1])
    except (IndexError, ValueError):
        return 0


def _top_value(root: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if key_node.value == name:
            return value_node
    return None


def _parse(text: str, path: Path) -> tuple[dict[str, Any], list[_Block]]:
    """The raw mapping and each entry's lines; a KeyFileError if it is not a block-style key."""
    shown = str(path)
    try:
        raw = yaml.load(text, Loader=UniqueKeyLoader)
        root = yaml.compose(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError as error:
        raise KeyFileError([Problem(shown, "YAML", str(error))]) from None
    entries = _top_value(root, "entries")
    if not isinstance(raw, dict) or not isinstance(entries, yaml.SequenceNode):
        raise KeyFileError([Problem(shown, "file", "has no `entries:` list")])
    if entries.flow_style or any(not isinstance(n, yaml.MappingNode) for n in entries.value):
        raise KeyFileError(
            [Problem(shown, "entries", "write each entry as a block ('- id: ...'), not inline")]
        )
    lines = text.splitlines()
    later = [
        k.start_mark.line for k, _ in root.value if k.start_mark.line > entries.start_mark.line
    ]
    stop = min(later, default=len(lines))
    starts = [node.start_mark.line for node in entries.value]
    blocks = []
    for index, first in enumerate(starts):
        if not lines[first].lstrip().startswith("-"):  # "-" alone on the line before
            first -= 1
        indent = len(lines[first]) - len(lines[first].lstrip())
        end = starts[index + 1] if index + 1 < len(starts) else stop
        while end > first + 1 and _is_separator(lines[end - 1], indent):
            end -= 1
        fields = {}
        for key_node, value_node in entries.value[index].value:
            mark = value_node.end_mark
            last = mark.line if mark.column > 0 else mark.line - 1
            fields[str(key_node.value)] = (key_node.start_mark.line, max(last, 0) + 1)
        blocks.append(_Block(str(raw["entries"][index].get("id")), first, end, indent, fields))
    return raw, blocks


def _validated(raw: dict[str, Any], path: Path, corpus: Corpus) -> Key:
    return place(key_file_from(raw, path), path, corpus)
