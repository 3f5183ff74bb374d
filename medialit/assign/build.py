"""`medialit assign`: instructor sources -> student notebooks + the grader's bundle (keys apart)."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medialit.assign import source as src
from medialit.fileio import atomic_write_text
from medialit.grade.bundle import Bundle, BundleError, ExerciseSet, Item, write_bundle

STUDENT = "student"
GRADER = "grader"
ANSWER_HINTS = {
    "label": "a label id in quotes",
    "span": "the passage, copied exactly, in quotes",
    "set": "a list of names in quotes, in square brackets",
    "number": "a number, without quotes",
    "reflection": 'your paragraph, in triple quotes """..."""',
    "confidence": "how sure you are: a whole number from 1 (a guess) to 5 (certain)",
}


@dataclass
class Assigned:
    """What `assign` wrote: the student notebooks, the bundle and the Gradescope folders."""

    release: list[Path]
    bundle: Path
    gradescope: list[Path]
    late: Path | None = None  # the late policy (exercises/late.yaml, checked), when there is one


def _run_instructor_code(source: src.SourceNotebook) -> dict[str, Any]:
    """Run the instructor notebook (solutions in) top to bottom in one namespace.

    Instructor code is trusted: this is how computed keys (e.g. counts made with pandas) are
    worked out. Student code is never run here.
    """
    from medialit.grade.answers import strip_magics

    namespace: dict[str, Any] = {"__name__": "__instructor__"}
    for number, cell in enumerate(source.notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        code = strip_magics(cell.source)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"{source.path}, cell {number}", "exec"), namespace)
        except Exception as exc:
            raise src.SourceError(
                f"{source.path}, cell {number}: the instructor solution fails to run "
                f"({type(exc).__name__}: {exc}); fix the cell so the solutions run top to bottom"
            ) from exc
    return namespace


def _label_fields(spec: dict[str, Any], key: Any, where: str) -> dict[str, Any]:
    """Categories and accepted names from a codebook label set (``labels: <set id>``)."""
    from medialit.annotations import labels

    set_id = spec.pop("labels", None)
    if set_id is None:
        return {}
    label_set = labels.label_set(set_id)
    if key not in label_set:
        raise src.SourceError(
            f"{where}: the solution {key!r} is not in {set_id}: {label_set.unknown_message(key)}"
        )
    categories = {}
    for label in label_set:
        category = label.category or label.id
        categories[label.id] = category
        categories[label.name] = category
    alternatives = [*spec.get("alternatives", []), label_set[key].name]
    for alternative in spec.get("alternatives", []):
        if alternative in label_set:
            alternatives.append(label_set[alternative].name)
    return {"categories": categories, "alternatives": alternatives}


def _span_key(value: Any, article_id: str, where: str) -> list[dict[str, Any]]:
    from medialit import corpus

    quotes = [value] if isinstance(value, str) else list(value)
    spans = []
    for quote in quotes:
        try:
            found = corpus.locate(quote, article_id)
        except corpus.QuoteNotFound as exc:
            raise src.SourceError(f"{where}: {exc}") from exc
        spans.append({"start": found.start, "end": found.end, "text": found.text})
    return spans


def _annotation_key(spec: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """Key spans from the codebook's answer key for one article and layer, optionally only
    ``paragraphs`` and entries whose ``select.field`` is one of ``select.values``."""
    from medialit.annotations.key import load_key

    key = load_key(spec["article_id"])
    paragraphs = set(spec.pop("paragraphs", []) or [])
    select = spec.pop("select", None) or {}
    field, values = select.get("field"), set(select.get("values", []))
    spans = []
    for entry in key.layer(spec["layer"]):
        if paragraphs and entry.paragraph_id not in paragraphs:
            continue
        value = getattr(entry, field) if field else None
        if field and value not in values:
            continue
        spans.append({"start": entry.start, "end": entry.end, "text": entry.text, "label": value})
    if not spans:
        raise src.SourceError(
            f"{where}: the codebook key has no {spec['layer']} entries that "
            "fit this item's paragraphs and select"
        )
    return spans


def _check_reference(item: Item, source_code: str | None, where: str) -> None:
    """The reference solution must pass every hidden case, run exactly as students' code is."""
    from medialit.grade.sandbox import Limits, run_function
    from medialit.grade.scoring import case_passes

    if source_code is None:
        raise src.SourceError(f"{where}: the solution defines no function {item.function!r}")
    run = run_function(
        source_code,
        item.function,
        [c.args for c in item.cases],
        Limits(cpu_seconds=item.cpu_seconds, memory_mb=item.memory_mb),
    )
    for case, outcome in zip(item.cases, run.outcomes, strict=True):
        if not case_passes(case, outcome):
            raise src.SourceError(
                f"{where}: the reference solution fails case {case.name!r}: "
                f"got {outcome}, expected {case.expected!r}"
            )


def build_set(source: src.SourceNotebook) -> tuple[ExerciseSet, dict[str, str], Any]:
    """Items with keys, the article texts they need, and the student notebook for one set."""
    import nbformat

    from medialit import corpus
    from medialit.grade.answers import function_source, read_submission

    namespace = _run_instructor_code(source)
    reference = read_submission(nbformat.from_dict(source.notebook))
    items: list[Item] = []
    hints: dict[str, str] = {}
    texts: dict[str, str] = {}
    for number, spec, cell_source in src.item_specs(source):
        where = f"{source.path}, cell {number} (item {spec.get('id')!r})"
        for name, value in source.defaults.items():  # the set's default, unless the item says
            spec.setdefault(name, value)
        blocks = src.solution_blocks(cell_source)
        kind = spec.get("kind")
        if kind in ("label", "span", "set", "number", "reflection", "confidence"):
            variable = spec.setdefault("variable", blocks and src.solution_variable(blocks[0]))
            if not variable or variable not in namespace:
                raise src.SourceError(
                    f"{where}: no solution sets the answer variable; put "
                    f"`{variable or 'name'} = ...` in a solution block"
                )
            value = namespace[variable]
            hints[variable] = ANSWER_HINTS[kind]
            check = spec.pop("check", None)
            if check is not None and not _agrees(namespace.get(check), value, spec):
                raise src.SourceError(
                    f"{where}: the solution {value!r} disagrees with the "
                    f"computed {check} = {namespace.get(check)!r}; update it"
                )
            if kind == "label":
                spec.update(_label_fields(spec, value, where))
                spec["key"] = value
            elif kind == "span":
                spec["key"] = _span_key(value, spec.get("article_id", ""), where)
            elif kind == "number":
                spec["key"] = value
            elif kind == "set":
                spec["key"] = list(value)
        elif kind == "annotation":
            spec["key"] = _annotation_key(spec, where)
        elif kind == "code":
            spec["cases"] = [_resolve_case(case) for case in spec.get("cases", [])]
        if spec.get("article_id"):
            texts[spec["article_id"]] = corpus.article(spec["article_id"]).body
        try:
            item = Item.from_dict(spec, f"{source.path}, cell {number}")  # it adds the item
        except BundleError as exc:
            raise src.SourceError(str(exc)) from exc
        if item.kind == "code":
            _check_reference(item, function_source(reference, item.function), where)
        items.append(item)
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise src.SourceError(f"{source.path}: item ids repeat: {ids}")
    if not items:
        raise src.SourceError(f"{source.path}: no graded items (code cells with medialit metadata)")
    release = src.student_notebook(source, hints)
    _open_annotators(release, source.set_id, [i for i in items if i.kind == "annotation"])
    add_submit_cells(release, source.set_id, items)
    return ExerciseSet(source.set_id, source.title, tuple(items)), texts, release


def annotator_cell(set_id: str, article_id: str) -> str:
    """The code that opens the annotator on an item's article, saving where the grader reads.

    >>> print(annotator_cell("sourcing", "united-states-rebalance"))
    # Select words, choose the labels, add. Saved at once in sourcing.answers.json beside this
    # notebook (or use the article's page in the course book, then download that file).
    from medialit.widgets import annotate
    annotate("united-states-rebalance", notebook="sourcing.ipynb")
    """
    return (
        f"# Select words, choose the labels, add. Saved at once in {set_id}.answers.json beside "
        "this\n# notebook (or use the article's page in the course book, then download that "
        f'file).\nfrom medialit.widgets import annotate\nannotate("{article_id}", '
        f'notebook="{set_id}.ipynb")'
    )


def _open_annotators(release: Any, set_id: str, items: list[Item]) -> None:
    """Put the cell that opens the annotator before each annotation item's cell of the release
    (found by the item's self-check cell, which follows it); cell ids stay stable."""
    import nbformat

    for item in items:
        marker = f'self_check("{item.id}"'
        for index, cell in enumerate(release.cells):
            if cell.cell_type == "code" and marker in cell.source and index > 0:
                opener = nbformat.v4.new_code_cell(annotator_cell(set_id, item.article_id))
                release.cells.insert(index - 1, opener)
                break
        else:
            raise src.SourceError(
                f"{set_id}: annotation item {item.id} has no self-check cell to open it beside"
            )
    for number, cell in enumerate(release.cells):
        cell["id"] = f"{set_id}-{number:02d}"


SUBMIT_HEADING = "## Before you submit"
SUBMIT_TEXT = """{heading}

Save the notebook (File > Save Notebook, or Ctrl+S), then run the cell below. It lists the
files to hand in and checks, as the grader will, that every answer is a plain value; it says
what is still missing. It does not say whether your answers are right."""


def add_submit_cells(notebook: Any, set_id: str, items: list[Item]) -> None:
    """End the student notebook with the "before you submit" cells: the files to hand in and
    a check that every answer is a plain value (medialit.widgets.submit)."""
    import nbformat

    answers = [item.variable for item in items if getattr(item, "variable", None)]
    annotations = any(item.kind == "annotation" for item in items)
    code = (
        "from medialit.widgets.submit import before_you_submit\n"
        f"before_you_submit({set_id!r}, answers={answers!r}, annotations={annotations})"
    ).replace("'", '"')
    text = nbformat.v4.new_markdown_cell(SUBMIT_TEXT.format(heading=SUBMIT_HEADING))
    check = nbformat.v4.new_code_cell(code, metadata={"tags": ["before-you-submit"]})
    text["id"], check["id"] = f"{set_id}-submit-text", f"{set_id}-submit"
    notebook.cells += [text, check]


def _resolve_case(case: Any) -> Any:
    """Case arguments written ``{paragraph: <id>}`` become that paragraph's exact text."""
    from medialit import corpus

    if not isinstance(case, dict):
        return case
    args = [
        corpus.paragraph(arg["paragraph"]).text
        if isinstance(arg, dict) and set(arg) == {"paragraph"}
        else arg
        for arg in case.get("args", [])
    ]
    return {**case, "args": args}


def _agrees(computed: Any, value: Any, spec: dict[str, Any]) -> bool:
    """Whether the typed solution matches what the instructor's work cell computed."""
    from medialit.match import match_number

    if spec.get("kind") == "number":
        tolerance = {"abs_tol": spec.get("abs_tol", 0), "rel_tol": spec.get("rel_tol", 0)}
        return match_number(computed, value, **tolerance)
    if spec.get("kind") == "set":
        return sorted(map(str, computed or [])) == sorted(map(str, value))
    return computed == value


def assign(sources: list[Path], out: Path) -> Assigned:
    """Write ``out/student/<set>.ipynb`` for students and ``out/grader/`` for graders only
    (``bundle.json`` and one Gradescope autograder per set)."""
    import nbformat

    from medialit.assign.gradescope import (
        course_late_policy,
        course_policy,
        write_autograder,
        write_late,
    )

    out = Path(out)
    sets: dict[str, ExerciseSet] = {}
    texts: dict[str, str] = {}
    releases: dict[str, Any] = {}
    read = [src.read_source(path) for path in sorted(sources)]
    late = course_late_policy(sources, [source.set_id for source in read])  # checked first
    for source in read:
        path = source.path
        if source.set_id in sets:
            raise src.SourceError(f"{path}: set {source.set_id!r} is defined twice")
        exercise, needed, release = build_set(source)
        sets[source.set_id] = exercise
        texts.update(needed)
        releases[source.set_id] = release
    release_paths = []
    for set_id, notebook in releases.items():
        path = out / STUDENT / f"{set_id}.ipynb"
        atomic_write_text(path, nbformat.writes(notebook))
        os.chmod(path, 0o644)
        release_paths.append(path)
    bundle = Bundle(sets, texts)
    bundle_path = write_bundle(bundle, out / GRADER)
    late_path = write_late(out / GRADER, late)
    policy = course_policy(sources)
    autograders = [
        write_autograder(bundle.only([s]), out / GRADER / "gradescope", s, policy, late)
        for s in sets
    ]
    return Assigned(release_paths, bundle_path, autograders, late_path)
