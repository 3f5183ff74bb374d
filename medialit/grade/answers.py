"""Read a submission without running it: notebook JSON, literal answers, code, annotations."""

from __future__ import annotations

import ast
import json
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from medialit.grade.textsafe import printable

DEFAULT_MAX_MB = 10.0
MAX_CONTAINERS = 1_000_000  # JSON objects and arrays in one notebook (a real one has thousands)
MAX_CELL_CHARS = 50_000  # a code cell longer than this is not parsed (an article is ~20,000)
MAX_PARSED_CHARS = 200_000  # code parsed per notebook at most (bounds syntax-tree time and memory)
MAX_ANNOTATIONS = 5_000
MAX_OFFSET = 10_000_000  # no article is longer than this many characters
MAGIC = re.compile(r"^(\s*)[%!?]")
ANSWERS_SUFFIX = ".answers.json"


class Ungradable(Exception):
    """The whole submission cannot be read; the message says why and how to fix it."""


@dataclass
class Answer:
    """One top-level assignment found in the notebook: the value, or why it is not usable."""

    variable: str
    value: Any = None
    error: str | None = None  # set when the right side is not a Python literal
    cell: int = 0
    line: int = 0


@dataclass
class Submission:
    """What the grader knows about one notebook: answers, top-level code, unreadable cells."""

    answers: dict[str, Answer] = field(default_factory=dict)
    definitions: dict[str, ast.stmt] = field(default_factory=dict)  # def/class by name
    imports: list[ast.stmt] = field(default_factory=list)
    constants: dict[str, ast.stmt] = field(default_factory=dict)
    broken_cells: list[str] = field(default_factory=list)


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words a student understands."""
    return next(
        (
            words
            for test, words in (
                (stat.S_ISLNK, "a symbolic link"),
                (stat.S_ISDIR, "a folder"),
                (stat.S_ISFIFO, "a named pipe (FIFO)"),
                (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a device file"),
                (stat.S_ISBLK, "a device file"),
            )
            if test(mode)
        ),
        "not a regular file",
    )


def open_regular(path: Path) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading only if it is a regular file, without ever blocking (a named
    pipe or device in its place is refused, not opened for good) and without following a
    symbolic link. Returns the descriptor and its status; the caller closes it."""
    name = printable(os.fsdecode(Path(path).name))
    try:
        info = os.lstat(path)
    except FileNotFoundError as exc:
        raise Ungradable(f"{name} is missing") from exc
    if not stat.S_ISREG(info.st_mode):
        fix = "; submit the notebook file itself" if stat.S_ISLNK(info.st_mode) else ""
        raise Ungradable(f"{name} is {kind_of(info.st_mode)}, not a file{fix}")
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Ungradable(f"{name} cannot be opened ({exc.strerror})") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
        os.close(fd)
        raise Ungradable(f"{name} is {kind_of(info.st_mode)}, not a file")
    return fd, info


def read_bytes(path: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The file's bytes, refusing links, pipes, devices, sockets and files over ``max_mb``
    (never reading more than that, even from a file that grows)."""
    fd, info = open_regular(path)
    limit = int(max_mb * 1024 * 1024)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            size = info.st_size
        else:
            data = handle.read(limit + 1)
            size = len(data)
    if size > limit:
        raise Ungradable(
            f"{printable(os.fsdecode(Path(path).name))} is {size / 1024 / 1024:.1f} MB; the "
            f"grader reads notebooks up to {max_mb:g} MB. Clear the outputs (Kernel > Restart "
            "Kernel and Clear Outputs), save, and submit again"
        )
    return data


def load_notebook(data: bytes, name: str) -> dict[str, Any]:
    """Parse notebook JSON and check it is nbformat 4 with a list of cells.

    >>> load_notebook(b'{"nbformat": 3, "worksheets": []}', "a.ipynb")
    Traceback (most recent call last):
    ...
    medialit.grade.answers.Ungradable: a.ipynb is in the old notebook format version 3 ...
    """
    containers = data.count(b"{") + data.count(b"[")
    if containers > MAX_CONTAINERS:
        raise Ungradable(
            f"{name} holds {containers:,} JSON objects and lists, more than any notebook needs "
            f"({MAX_CONTAINERS:,}); clear the outputs, save, and submit again"
        )
    try:
        notebook = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Ungradable(
            f"{name} is not a text file (byte {exc.start} is not UTF-8); submit the .ipynb file "
            "that Jupyter saved"
        ) from exc
    except json.JSONDecodeError as exc:
        raise Ungradable(
            f"{name} is not a notebook: its JSON is broken at line {exc.lineno}, column "
            f"{exc.colno} ({exc.msg}). Open it in Jupyter; if it will not open, download your "
            "notebook again (File > Download) and resubmit"
        ) from exc
    except (RecursionError, MemoryError) as exc:
        raise Ungradable(f"{name} is nested too deeply to be a notebook") from exc
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        raise Ungradable(f"{name} is not a notebook: {printable(str(exc))[:200]}") from exc
    version = notebook.get("nbformat") if isinstance(notebook, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version < 4:
        raise Ungradable(
            f"{name} is in the old notebook format version {version} (IPython 3 or earlier); "
            "the grader reads format 4. Open it in a current Jupyter and save it "
            "(File > Save Notebook converts it), or run "
            "`jupyter nbconvert --to notebook --nbformat 4 "
            f"--output {name} {name}`, and submit again"
        )
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise Ungradable(f"{name} is JSON but not a Jupyter notebook (no 'cells')")
    if version != 4:
        raise Ungradable(
            f"{name} is in notebook format version {printable(repr(version))[:40]}; the grader "
            "reads version 4. "
            "Open it in a current Jupyter and save it again (File > Save Notebook)"
        )
    if not isinstance(notebook["cells"], list):
        raise Ungradable(f"{name}: 'cells' is not a list")
    return notebook


def _cell_source(cell: Any) -> str | None:
    """A code cell's source; a lone surrogate (a JSON escape such as \\udc00) becomes that
    escape written out, so inside a string it reads back as itself and is refused as text."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        source = "".join(source)
    if not isinstance(source, str):
        return None
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        source = source.encode("utf-8", "backslashreplace").decode("utf-8")
    return source


ASSIGNED = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)", re.M)


def strip_magics(source: str) -> str:
    """IPython magics and shell escapes are not Python: replace them with ``pass``."""
    return "\n".join(
        MAGIC.sub(r"\1pass  # ", line) if MAGIC.match(line) else line for line in source.split("\n")
    )


def _top_level_chunks(source: str) -> list[tuple[int, str]]:
    """Split a cell that does not parse into runs of lines starting at column 0."""
    chunks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(source.split("\n"), start=1):
        starts = line[:1] not in ("", " ", "\t", ")", "]", "}", "#")
        if starts or not chunks:
            chunks.append((number, [line]))
        else:
            chunks[-1][1].append(line)
    return [(number, "\n".join(lines)) for number, lines in chunks]


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError | MemoryError):
        return "nested too deeply"
    return printable(str(getattr(exc, "msg", None) or exc), keep="")[:120]


def _parse(
    source: str,
) -> tuple[list[tuple[int, ast.stmt]], str | None, list[tuple[int, str, str]]]:
    """Statements (with their line offset), a note when part of the cell is unreadable, and the
    unreadable chunks (first line, text, why)."""
    try:
        return [(0, node) for node in ast.parse(source).body], None, []
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        note = f"line {getattr(exc, 'lineno', '?')}: {_why(exc)}"
    statements: list[tuple[int, ast.stmt]] = []
    broken = []
    for offset, chunk in _top_level_chunks(source):
        try:
            statements += [(offset - 1, node) for node in ast.parse(chunk).body]
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            broken.append((offset, chunk, _why(exc)))
    return statements, note, broken


def _not_text(value: Any) -> bool:
    """True when a literal holds a string that is not valid text (a lone surrogate)."""
    todo = [value]
    while todo:
        current = todo.pop()
        if isinstance(current, str):
            try:
                current.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(current, list | tuple | set | frozenset):
            todo.extend(current)
        elif isinstance(current, dict):
            todo.extend(current)
            todo.extend(current.values())
    return False


def _literal(node: ast.expr) -> tuple[Any, str | None]:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None, "not a plain value (write the answer itself: text in quotes, a number, a list)"
    if _not_text(value):
        return None, (
            "text holding a character that is not valid text (a lone surrogate such as "
            "\\ud800); type the answer again without it"
        )
    return value, None


def read_submission(notebook: dict[str, Any], wanted: set[str] | None = None) -> Submission:
    """Collect every top-level ``name = <literal>`` (the last one wins, as when the notebook
    runs top to bottom), function and class definitions, and imports. Nothing is executed.
    With ``wanted`` (answer names), only cells with a line that starts by assigning one of
    them are parsed: the others cannot change an answer.

    >>> nb = {"nbformat": 4, "cells": [
    ...     {"cell_type": "code", "source": "%matplotlib inline\\nq1 = 'Doubt'\\nq2 = len('x')"},
    ...     {"cell_type": "code",
    ...      "source": ["q1 = 'Loaded language'\\n", "def f(x):\\n", "    return x"]}]}
    >>> sub = read_submission(nb)
    >>> sub.answers["q1"].value, sub.answers["q2"].error is not None, sorted(sub.definitions)
    ('Loaded language', True, ['f'])
    """
    submission = Submission()
    assigns = _assignment_pattern(frozenset(wanted)) if wanted is not None else None
    budget = MAX_PARSED_CHARS
    for index, cell in enumerate(notebook.get("cells", []), start=1):
        source = _cell_source(cell)
        if source is None or not source.strip():
            continue
        if assigns is not None and not assigns.search(source):
            continue
        if len(source) > min(MAX_CELL_CHARS, budget):
            error = (
                f"in a cell too long for the grader to read ({len(source):,} characters; it "
                f"reads {MAX_CELL_CHARS:,} per cell and {MAX_PARSED_CHARS:,} per notebook): "
                "keep data out of answer cells"
            )
            submission.broken_cells.append(f"cell {index} was not read: {error}")
            for name in set(ASSIGNED.findall(source)):
                submission.answers[name] = Answer(name, None, error, index, 0)
                submission.constants.pop(name, None)
            continue
        budget -= len(source)
        statements, note, broken = _parse(strip_magics(source))
        if note:
            submission.broken_cells.append(f"cell {index}, {note}")
        assigned_at: dict[str, int] = {}
        for offset, node in statements:
            line = offset + getattr(node, "lineno", 0)
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                submission.definitions[node.name] = node
                continue
            elif isinstance(node, ast.Import | ast.ImportFrom):
                submission.imports.append(node)
                continue
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            literal, error = _literal(value)
            submission.answers[target.id] = Answer(target.id, literal, error, index, line)
            assigned_at[target.id] = line
            if error is None:
                submission.constants[target.id] = node
            else:
                submission.constants.pop(target.id, None)
        for line, chunk, why in broken:  # an answer line Python cannot read is an answer too
            for name in set(ASSIGNED.findall(chunk)) - {
                n for n, at in assigned_at.items() if at > line
            }:
                error = f"on a line Python cannot read (line {line}: {why})"
                submission.answers[name] = Answer(name, None, error, index, line)
                submission.constants.pop(name, None)
    return submission


@lru_cache(maxsize=32)
def _assignment_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """Lines that start by assigning one of ``names`` (``name =`` or ``name: type =``)."""
    alternatives = "|".join(sorted(map(re.escape, names))) or "(?!)"
    return re.compile(rf"^(?:{alternatives})\s*[:=]", re.M)


def _names_used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _bound_by(node: ast.stmt) -> set[str]:
    names = set()
    for alias in getattr(node, "names", []):
        names.add((alias.asname or alias.name).split(".")[0])
    return names


def function_source(submission: Submission, name: str) -> str | None:
    """Source for ``name`` plus the helpers, imports and constants it uses (transitively),
    rebuilt from the syntax tree; None when the notebook defines no such function.

    >>> nb = {"nbformat": 4, "cells": [{"cell_type": "code", "source":
    ...     "import re\\nimport pandas as pd\\nPATTERN = r'x+'\\n"
    ...     "def helper(t):\\n    return re.findall(PATTERN, t)\\n"
    ...     "def count(t):\\n    return len(helper(t))\\nprint(count('xx'))"}]}
    >>> print(function_source(read_submission(nb), "count"))
    import re
    PATTERN = 'x+'
    def helper(t):
        return re.findall(PATTERN, t)
    def count(t):
        return len(helper(t))
    """
    if name not in submission.definitions:
        return None
    needed = {name}
    todo = [name]
    while todo:
        for used in _names_used(submission.definitions[todo.pop()]) - needed:
            if used in submission.definitions:
                needed.add(used)
                todo.append(used)
            elif used in submission.constants:
                needed.add(used)
    used_anywhere: set[str] = set()
    for needed_name in needed:
        node = submission.definitions.get(needed_name) or submission.constants.get(needed_name)
        used_anywhere |= _names_used(node)
    parts = [ast.unparse(node) for node in submission.imports if _bound_by(node) & used_anywhere]
    parts += [ast.unparse(submission.constants[n]) for n in submission.constants if n in needed]
    parts += [ast.unparse(submission.definitions[n]) for n in submission.definitions if n in needed]
    return "\n".join(parts)


@dataclass
class Annotations:
    """Annotations saved by the annotate widget, or why they could not be read."""

    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: bool = False
    unreadable: str | None = None  # the file is there but cannot be read at all: why


def read_annotations(path: Path, max_mb: float = DEFAULT_MAX_MB) -> Annotations:
    """Read ``<notebook-stem>.answers.json``: {"schema": 1, "annotations": [...]}; entries that
    do not fit the schema are skipped and listed in ``problems``."""
    name = printable(os.fsdecode(Path(path).name))
    try:
        data = read_bytes(path, max_mb)
    except Ungradable as exc:
        if not os.path.lexists(path):
            return Annotations(missing=True, problems=[str(exc)])
        return Annotations(problems=[str(exc)], unreadable=str(exc))
    if data.count(b"{") + data.count(b"[") > MAX_CONTAINERS:
        why = f"{name} holds more JSON objects than any annotations file"
        return Annotations(problems=[why], unreadable=why)
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError, MemoryError) as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError | MemoryError) else exc
        why = (
            f"{name} is not valid JSON ({printable(str(detail))[:200]}); submit the file the "
            "annotate widget saved"
        )
        return Annotations(problems=[why], unreadable=why)
    if not isinstance(payload, dict) or payload.get("schema") != 1:
        return Annotations(problems=[f'{name} does not have "schema": 1'])
    entries = payload.get("annotations")
    if not isinstance(entries, list):
        return Annotations(problems=[f"{name} has no list of annotations"])
    result = Annotations()
    if len(entries) > MAX_ANNOTATIONS:
        result.problems.append(
            f"{name} has {len(entries):,} annotations; only the first {MAX_ANNOTATIONS:,} were read"
        )
    for number, entry in enumerate(entries[:MAX_ANNOTATIONS], start=1):
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("paragraph_id"), str)
            and all(
                isinstance(entry.get(k), int) and not isinstance(entry.get(k), bool)
                for k in ("start", "end")
            )
            and isinstance(entry.get("layer"), str)
            and isinstance(entry.get("label"), str | None)
            and isinstance(entry.get("text"), str | None)
            and not _not_text([entry.get(k) for k in ("paragraph_id", "layer", "label", "text")])
        )
        if not ok:
            result.problems.append(f"annotation {number} does not fit the schema and was skipped")
        elif not MAX_OFFSET >= entry["end"] > entry["start"] >= 0:
            result.problems.append(
                f"annotation {number} has start {_short(entry['start'])} and end "
                f"{_short(entry['end'])}, which are not a passage of an article; it was skipped"
            )
        else:
            result.items.append(entry)
    return result


def _short(number: int) -> str:
    """A number as a student can read it in feedback, however many digits it has."""
    text = str(number) if abs(number) < 10**15 else f"{'-' if number < 0 else ''}a huge number"
    return text
