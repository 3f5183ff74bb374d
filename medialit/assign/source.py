"""Read an instructor source (a MyST notebook with solution blocks) and make the student version."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
MD_SOLUTION = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->\n?", re.S)
INSTRUCTOR_TAG = "instructor"  # a cell tagged so never reaches students
SELF_CHECK_TAG = "self-check"
STUB_NOTE = "  # replace this line with your code"
# Item kinds and the form the widgets' self_check() checks for them (code has none: students
# run their function on the examples in the question).
SELF_CHECK_KINDS = {
    "label": "label",
    "span": "quote",
    "set": "set",
    "number": "number",
    "reflection": "reflection",
    "annotation": "annotation",
    "confidence": "number",
}


class SourceError(ValueError):
    """The instructor source cannot be assigned; the message names the file, cell and fix."""


@dataclass
class SourceNotebook:
    """An instructor notebook: where it came from, its set id and title, and its cells."""

    path: Path
    set_id: str
    title: str
    notebook: Any  # nbformat NotebookNode
    in_release: bool = True  # False: handed out in class, kept out of the students' repository
    defaults: dict[str, str] = field(default_factory=dict)  # feedback_level/visibility per set


def exercise_sources(folder: Path) -> list[Path]:
    """The instructor sources in ``folder``: ``*.md`` except READMEs and hidden files.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("claims.md", "README.md", ".draft.md", "_old.md", "notes.txt"):
    ...     _ = (folder / name).write_text("x")
    >>> [path.name for path in exercise_sources(folder)]
    ['claims.md']
    """
    return sorted(
        path
        for path in Path(folder).glob("*.md")
        if path.name.lower() != "readme.md" and not path.name.startswith((".", "_"))
    )


def read_source(path: Path) -> SourceNotebook:
    """Read ``exercises/<set>.md`` with jupytext and check its ``medialit`` front matter."""
    import jupytext

    path = Path(path)
    try:
        notebook = jupytext.read(path)
    except Exception as exc:  # jupytext raises many kinds; name the file whatever it was
        raise SourceError(f"{path}: jupytext cannot read it ({exc})") from exc
    meta = notebook.metadata.get("medialit") or {}
    set_id = meta.get("set")
    if not isinstance(set_id, str) or not set_id.isidentifier():
        raise SourceError(
            f"{path}: the front matter needs `medialit: {{set: <name>, title: ...}}` "
            "(the set name becomes the notebook's file name, e.g. sourcing)"
        )
    in_release = meta.get("student_release", True)
    if not isinstance(in_release, bool):
        raise SourceError(
            f"{path}: front matter `student_release: {in_release!r}` must be true or false "
            "(false keeps the set out of the students' repository until you hand it out)"
        )
    from medialit.grade.visibility import RELEASE_FIELDS, release_problem

    defaults = {name: meta[name] for name in RELEASE_FIELDS if name in meta}
    if problem := release_problem(defaults):
        raise SourceError(f"{path}, front matter: {problem}")
    title = str(meta.get("title") or set_id)
    return SourceNotebook(path, set_id, title, notebook, in_release, defaults)


def solution_blocks(source: str) -> list[str]:
    """The text inside each ``# BEGIN SOLUTION`` / ``# END SOLUTION`` pair of a code cell.

    >>> solution_blocks("x = 1\\n# BEGIN SOLUTION\\nq1 = 'a'\\n# END SOLUTION\\n")
    ["q1 = 'a'"]
    """
    blocks, inside, current = [], False, []
    for line in source.split("\n"):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise SourceError("a solution block opens inside another one")
            inside, current = True, []
        elif marker == END:
            if not inside:
                raise SourceError(f"{END} without {BEGIN}")
            blocks.append("\n".join(current))
            inside = False
        elif inside:
            current.append(line)
    if inside:
        raise SourceError(f"{BEGIN} is never closed with {END}")
    return blocks


def _stub(block: str, hints: dict[str, str], item_cell: bool) -> list[str]:
    """What students see instead of a solution block. In an item's cell: answers set to None,
    function signatures with their docstrings returning ``NotImplemented`` (a sentinel, not an
    error, so that Run All goes on past an unwritten function and every later check runs).
    Elsewhere (work cells): a line that leaves the work to them."""
    if not item_cell:
        return ["# your work here"]
    try:
        tree = ast.parse(block)
    except SyntaxError as exc:
        message = f"the solution block does not parse (line {exc.lineno}: {exc.msg})"
        raise SourceError(message) from exc
    lines: list[str] = []
    work = False
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.targets[0] if isinstance(node, ast.Assign) else node.target, ast.Name
        ):
            name = (node.targets[0] if isinstance(node, ast.Assign) else node.target).id
            hint = hints.get(name)
            lines.append(f"{name} = None" + (f"  # {hint}" if hint else ""))
        elif isinstance(node, ast.FunctionDef):
            body: list[ast.stmt] = []
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                body.append(node.body[0])
            body.append(ast.parse("return NotImplemented").body[0])
            stub = ast.FunctionDef(node.name, node.args, body, [], node.returns, None)
            stub.lineno = node.lineno
            lines += [
                line + STUB_NOTE if line.strip() == "return NotImplemented" else line
                for line in ast.unparse(ast.fix_missing_locations(stub)).split("\n")
            ]
        elif not work:
            lines.append("# your work here")
            work = True
    return lines


def student_code(source: str, hints: dict[str, str], item_cell: bool = True) -> str:
    """A code cell with each solution block replaced by its stub.

    >>> print(student_code("# BEGIN SOLUTION\\nq1 = 'vague'\\n# END SOLUTION", {"q1": "a label"}))
    q1 = None  # a label
    >>> print(student_code("# BEGIN SOLUTION\\nn = len('abc')\\n# END SOLUTION", {}, False))
    # your work here
    """
    out: list[str] = []
    block: list[str] | None = None
    for line in source.split("\n"):
        marker = line.strip()
        if marker == BEGIN:
            block = []
        elif marker == END and block is not None:
            out += _stub("\n".join(block), hints, item_cell)
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    return "\n".join(out).strip("\n")


def student_markdown(source: str) -> str:
    """A markdown cell without its ``<!-- BEGIN SOLUTION -->`` blocks."""
    return MD_SOLUTION.sub("", source).strip("\n")


def item_specs(source: SourceNotebook) -> list[tuple[int, dict[str, Any], str]]:
    """(cell number, the cell's ``medialit`` metadata, the cell's source) for each item cell."""
    specs = []
    for number, cell in enumerate(source.notebook.cells, start=1):
        meta = cell.metadata.get("medialit")
        if meta is None:
            continue
        if cell.cell_type != "code" or not isinstance(meta, dict):
            raise SourceError(f"{source.path}, cell {number}: item metadata belongs on a code cell")
        specs.append((number, json.loads(json.dumps(meta)), cell.source))  # plain dicts
    return specs


def solution_variable(block: str) -> str | None:
    """The name the first top-level assignment of a solution block sets."""
    for node in ast.parse(block).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return node.target.id
    return None


def self_check_code(spec: dict[str, Any], variable: str | None) -> str | None:
    """The release's form check after an answer cell; it carries only public facts (the kind
    of answer, the label set, the article, the layer), never the key.

    >>> print(self_check_code({"id": "q1", "kind": "label", "labels": "frames"}, "q1_frame"))
    from medialit.widgets.self_check import self_check
    self_check("q1", q1_frame, kind="label", label_set="frames")
    """
    kind = SELF_CHECK_KINDS.get(spec.get("kind", ""))
    if kind is None or (kind == "label" and not spec.get("labels")):
        return None
    form = {"kind": kind}
    if kind == "label":
        form["label_set"] = spec["labels"]
    if kind in ("quote", "annotation"):
        form["article_id"] = spec.get("article_id")
    if kind == "annotation":
        form["layer"] = spec.get("layer")
    if kind == "reflection" and spec.get("min_words"):
        form["min_words"] = spec["min_words"]
    arguments = [json.dumps(spec["id"])]
    if kind != "annotation":
        arguments.append(variable or "None")
    arguments += [f"{name}={value!r}".replace("'", '"') for name, value in form.items()]
    return f"from medialit.widgets.self_check import self_check\nself_check({', '.join(arguments)})"


def student_notebook(source: SourceNotebook, hints: dict[str, str]) -> Any:
    """The student release of one set: no solutions, no item metadata, no instructor cells,
    and a form check (self_check) after each answer."""
    import nbformat

    cells = []
    for cell in source.notebook.cells:
        tags = list(cell.metadata.get("tags", []))
        if INSTRUCTOR_TAG in tags:
            continue
        meta = {"tags": tags} if tags else {}
        if cell.cell_type == "code":
            spec = cell.metadata.get("medialit")
            code = student_code(cell.source, hints, spec is not None)
            cells.append(nbformat.v4.new_code_cell(code, metadata=meta))
            blocks = solution_blocks(cell.source) if spec else []
            variable = (spec or {}).get("variable") or (
                solution_variable(blocks[0]) if blocks else None
            )
            check = self_check_code(dict(spec), variable) if spec else None
            if check:
                cells.append(nbformat.v4.new_code_cell(check, metadata={"tags": [SELF_CHECK_TAG]}))
        elif cell.cell_type == "markdown":
            text = student_markdown(cell.source)
            if text:
                cells.append(nbformat.v4.new_markdown_cell(text, metadata=meta))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = dict(
        source.notebook.metadata.get("kernelspec")
        or {"display_name": "Python 3", "language": "python", "name": "python3"}
    )
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["medialit"] = {"set": source.set_id, "title": source.title}
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"{source.set_id}-{number:02d}"  # stable ids: the same release every time
    nbformat.validate(notebook)
    return notebook
