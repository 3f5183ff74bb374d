"""Exercise pages of the book: the student release, and the solutions folded for instructors."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.render.objectives import exercise_sources

STUDENT_PAGES = Path("book") / "exercises"
SOLUTION_PAGES = Path("book") / "instructor" / "solutions"
STAMP = ".generated.json"
ASSIGN_CODE = Path(__file__).resolve().parents[1] / "assign"
MARKDOWN_SOLUTION = re.compile(
    r"<!--\s*BEGIN SOLUTION\s*-->\n?(.*?)<!--\s*END SOLUTION\s*-->\n?", re.DOTALL
)
# The book shows exercises; students run them in Jupyter. Nothing in them runs at build time.
NOT_EXECUTED = {"execution_mode": "off"}


def fold_markdown_solutions(text: str) -> str:
    """Put each marked model answer of a markdown cell into a closed dropdown.

    >>> print(fold_markdown_solutions("Why?\\n<!-- BEGIN SOLUTION -->\\nBecause.\\n"
    ...                               "<!-- END SOLUTION -->\\n"))
    Why?
    :::{dropdown} Model answer
    Because.
    :::
    <BLANKLINE>
    """
    return MARKDOWN_SOLUTION.sub(
        lambda match: f":::{{dropdown}} Model answer\n{match.group(1).strip()}\n:::\n", text
    )


def solutions_notebook(notebook: Any) -> Any:
    """The instructor source as a page: solution code folded, model answers in dropdowns."""
    import nbformat

    page = copy.deepcopy(notebook)
    titled = False
    for cell in page.cells:
        if cell.cell_type == "markdown":
            if not titled and cell.source.lstrip().startswith("# "):
                heading, _, rest = cell.source.lstrip()[2:].partition("\n")
                cell.source = f"# Solutions: {heading}\n{rest}"
                titled = True
            cell.source = fold_markdown_solutions(cell.source)
        elif cell.cell_type == "code" and (
            "medialit" in cell.metadata
            or "instructor" in cell.metadata.get("tags", [])
            or "BEGIN SOLUTION" in cell.source
        ):
            tags = list(cell.metadata.get("tags", []))
            cell.metadata["tags"] = [*tags, "hide-input"] if "hide-input" not in tags else tags
    page.metadata["mystnb"] = dict(NOT_EXECUTED)
    nbformat.validate(page)
    return page


def _fingerprint(sources: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in [*sources, *sorted(ASSIGN_CODE.glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_exercise_pages(srcdir: Path) -> list[Path]:
    """Write ``book/exercises/<set>.ipynb`` (what students receive, from medialit.assign) and
    ``book/instructor/solutions/<set>.ipynb``; skipped when no source has changed."""
    import nbformat

    from medialit.assign import source as assign_source
    from medialit.assign.build import build_set

    sources = exercise_sources(srcdir)
    student_folder, solution_folder = srcdir / STUDENT_PAGES, srcdir / SOLUTION_PAGES
    stamp = student_folder / STAMP
    fingerprint = _fingerprint(sources)
    recorded = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else {}
    if recorded.get("fingerprint") == fingerprint and all(
        (srcdir / page).is_file() for page in recorded.get("pages", [])
    ):
        return [srcdir / page for page in recorded["pages"]]
    written = []
    for path in sources:
        source = assign_source.read_source(path)
        solutions = solutions_notebook(source.notebook)  # before build_set fills in the keys
        _, _, release = build_set(source)
        release.metadata["mystnb"] = dict(NOT_EXECUTED)
        pages = [(student_folder, release), (solution_folder, solutions)]
        if (source.notebook.metadata.get("medialit") or {}).get("student_page") is False:
            pages = pages[1:]  # a pre/post reading check: handed out as a notebook, not previewed
        for folder, notebook in pages:
            target = folder / f"{source.set_id}.ipynb"
            text = nbformat.writes(notebook)
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                atomic_write_text(target, text)
            written.append(target)
    for folder in (student_folder, solution_folder):
        for stale in folder.glob("*.ipynb") if folder.is_dir() else []:
            if stale not in written:
                stale.unlink()
    pages = [page.relative_to(srcdir).as_posix() for page in written]
    atomic_write_text(stamp, json.dumps({"fingerprint": fingerprint, "pages": pages}))
    return written
