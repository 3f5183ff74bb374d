"""The key boundary is in the data: the release tree and the wheel hold no unpublished key text,
no unpublished entry id, no solution line and no grader bundle; the same scan finds every one
of them in the instructor tree (positive controls)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from medialit.annotations.key import read_key_file
from medialit.assign.source import BEGIN, END, read_source, student_code
from medialit.corpus import Corpus
from medialit.release.build import Released
from medialit.render.topics import student_edition_keys

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources"
MIN_LENGTH = 12  # shorter strings ("import re") are not evidence of a leak
# A bare name or one list element ("biden-putin-meeting",) is not a solution on its own.
BARE = re.compile(r'^(?:[\w.]+|"[^"]*",?|\]|\)|\}|\[)$')
ANSWER_LINE = re.compile(r"^q\d+_\w+\s*=")


def _flat(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _haystack(name: str, data: bytes) -> str:
    """The text of one file as a reader sees it: notebook cells, YAML values, or plain text."""
    text = data.decode("utf-8", errors="replace")
    parts = [text]
    if name.endswith(".ipynb"):
        notebook = json.loads(text)
        for cell in notebook["cells"]:
            source = cell["source"]
            parts.append("".join(source) if isinstance(source, list) else source)
            parts += [json.dumps(output, ensure_ascii=False) for output in cell.get("outputs", [])]
    elif name.endswith((".yaml", ".yml")):
        parts += _strings(yaml.safe_load(text))
    return _flat("\n".join(parts))


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): _haystack(path.name, path.read_bytes())
        for path in folder.rglob("*")
        if path.is_file() and path.suffix != ".whl"
    }


def _wheel(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            f"{path.name}:{name}": _haystack(name, archive.read(name))
            for name in archive.namelist()
            if not name.endswith("/")
        }


def _unpublished_keys() -> list[Path]:
    published = set(student_edition_keys(Corpus(SOURCES)))
    return [
        path
        for path in sorted((SOURCES / "annotations").glob("*.yaml"))
        if path.stem not in published
    ]


def key_needles() -> dict[str, str]:
    """Every rationale and evidence note of the unpublished keys, and their entry ids that no
    published key uses (ids like 'frame-p01' recur in every key)."""
    published_ids = {
        entry.id
        for path in (SOURCES / "annotations").glob("*.yaml")
        if path.stem in student_edition_keys(Corpus(SOURCES))
        for entry in read_key_file(path).entries
    }
    needles = {}
    for path in _unpublished_keys():
        for entry in read_key_file(path).entries:
            where = f"{path.name}, {entry.id}"
            needles[f"{where}: rationale"] = entry.rationale
            if entry.verification is not None and entry.verification.evidence:
                needles[f"{where}: evidence"] = entry.verification.evidence
            if entry.id not in published_ids:
                needles[f"{where}: id"] = f"id: {entry.id}"
    return {where: _flat(text) for where, text in needles.items() if len(text) >= MIN_LENGTH}


def _public_lines() -> set[str]:
    """Lines the course shows students anyway: the walk-throughs' sources and the package."""
    files = [*(ROOT / "notebooks").glob("*.md"), *(ROOT / "medialit").rglob("*.py")]
    return {_flat(line) for path in files for line in path.read_text(encoding="utf-8").split("\n")}


def solution_needles() -> dict[str, str]:
    """Every line inside a solution block of the exercises, except what the student stub keeps
    on purpose (signatures, docstrings), bare names and list elements, and method lines the
    walk-throughs already teach (e.g. ``paragraphs = corpus.paragraphs(...)``); an answer line
    (``q1_... = ...``) always counts."""
    public = _public_lines()
    needles = {}
    for path in sorted((ROOT / "exercises").glob("*.md")):
        if path.name == "README.md":
            continue
        for number, cell in enumerate(read_source(path).notebook.cells, start=1):
            if cell.cell_type != "code" or BEGIN not in cell.source:
                continue
            kept = {_flat(line) for line in student_code(cell.source, {}, True).split("\n")}
            inside = False
            for line in cell.source.split("\n"):
                if line.strip() in (BEGIN, END):
                    inside = line.strip() == BEGIN
                    continue
                flat = _flat(line)
                if not inside or len(flat) < MIN_LENGTH or flat in kept or BARE.match(flat):
                    continue
                if ANSWER_LINE.match(flat) or not any(flat in line for line in public):
                    needles[f"{path.name}, cell {number}: {flat[:40]}"] = flat
    return needles


def _found(needles: dict[str, str], files: dict[str, str]) -> list[str]:
    return [
        f"{where} in {name}"
        for where, needle in needles.items()
        for name, text in files.items()
        if needle in text
    ]


@pytest.fixture(scope="module")
def shipped(release: Released) -> dict[str, str]:
    return (
        _tree(release.student)
        | _wheel(release.wheel)
        | _wheel(release.student / "dist" / release.wheel.name)
    )


def test_the_scan_finds_every_needle_in_the_instructor_tree():
    keys, solutions = key_needles(), solution_needles()
    assert len(keys) > 300 and len(solutions) >= 30, (len(keys), len(solutions))
    instructor = _tree(SOURCES / "annotations") | _tree(ROOT / "exercises")
    missed = [
        where
        for where, needle in {**keys, **solutions}.items()
        if not any(needle in text for text in instructor.values())
    ]
    assert not missed, missed[:10]


def test_no_unpublished_key_text_reaches_students(shipped: dict[str, str]):
    leaks = _found(key_needles(), shipped)
    assert not leaks, leaks[:10]


def test_no_solution_line_reaches_students(shipped: dict[str, str]):
    leaks = _found(solution_needles(), shipped)
    assert not leaks, leaks[:10]


def test_the_wheel_holds_exactly_the_published_keys(release: Released):
    published = student_edition_keys(Corpus(SOURCES))
    assert published, "sources/topics.yaml publishes no worked example"
    with zipfile.ZipFile(release.wheel) as archive:
        names = archive.namelist()
    keys = sorted(
        Path(name).stem for name in names if name.startswith("medialit/data/sources/annotations/")
    )
    assert keys == sorted(published)
    articles = [n for n in names if n.startswith("medialit/data/sources/articles/")]
    assert len(articles) == len(Corpus(SOURCES))
    assert not [n for n in names if re.search(r"bundle\.json|gradescope/|exercises/", n)]


def test_the_release_tree_has_no_grader_material(release: Released):
    files = [p.relative_to(release.student).as_posix() for p in release.student.rglob("*")]
    assert not [f for f in files if re.search(r"bundle|gradescope|annotations/|sources/", f)]
    assert not [f for f in files if f.endswith(".md") and f.startswith(("notebooks/", "exer"))]
