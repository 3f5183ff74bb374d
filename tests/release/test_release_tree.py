"""The students' repository as `make release` writes it: what is there and how it reads."""

from __future__ import annotations

import json
import os
import re
import tomllib
import zipfile
from pathlib import Path

import nbformat

from medialit.assign.source import SourceError, exercise_sources, read_source
from medialit.release.build import Released, walkthrough_sources
from medialit.release.settings import example_settings
from medialit.release.setup_cell import SETUP_TAG

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _notebooks(release: Released) -> dict[str, nbformat.NotebookNode]:
    return {
        path.relative_to(release.student).as_posix(): nbformat.read(path, as_version=4)
        for path in sorted(release.student.rglob("*.ipynb"))
    }


def test_the_release_holds_every_notebook_and_the_files_students_need(release: Released):
    names = {p.relative_to(release.student).as_posix() for p in release.student.rglob("*")}
    walkthroughs = {f"notebooks/{p.stem}.ipynb" for p in walkthrough_sources(ROOT)}
    sources = [read_source(p) for p in exercise_sources(ROOT / "exercises")]
    sets = {f"exercises/{s.set_id}.ipynb" for s in sources if s.in_release}
    held = {f"exercises/{s.set_id}.ipynb" for s in sources if not s.in_release}
    assert walkthroughs <= names and sets <= names and len(walkthroughs) == 7
    assert held and not held & names, "sets marked student_release: false must not ship"
    for needed in (
        "README.md",
        "LICENSE",
        "CITATION.cff",
        "CHANGELOG.md",
        "requirements.txt",
        "binder/requirements.txt",
        "binder/runtime.txt",
        "binder/postBuild",
        f"dist/medialit-{VERSION}-py3-none-any.whl",
    ):
        assert needed in names, needed
    assert release.wheel.name == f"medialit-{VERSION}-py3-none-any.whl"
    assert os.access(release.student / "binder" / "postBuild", os.X_OK)
    assert f"dist/{release.wheel.name}" in (release.student / "binder/postBuild").read_text()
    pins = (release.student / "requirements.txt").read_text()
    for name in ("pandas", "ipywidgets", "matplotlib", "pydantic", "PyYAML", "jupyterlab"):
        assert re.search(rf"^{name}==\d", pins, re.M), name


def test_the_readme_says_how_to_open_work_save_submit_and_recover(release: Released):
    readme = (release.student / "README.md").read_text()
    for heading in (
        "## 1. Open",
        "## 2. Work",
        "## 3. Save",
        "## 4. Submit",
        "## When something breaks",
    ):
        assert heading in readme
    assert f"version {VERSION}" in readme
    settings = example_settings()
    assert f"mybinder.org/v2/gh/{settings.owner_repo}/main" in readme
    assert "YOUR-ORG" not in readme


def test_notebooks_are_cleared_and_start_with_the_setup_cell(release: Released):
    for name, notebook in _notebooks(release).items():
        first = notebook.cells[0]
        assert SETUP_TAG in first.metadata["tags"], name
        assert example_settings().wheel_url(VERSION) in first.source
        assert notebook.metadata["medialit"]["release"] == VERSION
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, name
        if name.startswith("exercises/"):
            assert notebook.metadata["medialit"]["set"] == Path(name).stem
            assert "before_you_submit(" in notebook.cells[-1].source


def test_walkthroughs_fold_explanations_link_pages_and_hide_plot_code(release: Released):
    site = example_settings().site_url
    for name, notebook in _notebooks(release).items():
        markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert not re.search(r"\{(doc|admonition|dropdown|ref)\}", markdown), name
        assert ":class: dropdown" not in markdown, name
        if not name.startswith("notebooks/"):
            continue
        assert markdown.count("<details>") == markdown.count("</details>") >= 3, name
        assert re.search(r"<summary><b>Explanation[^<]*</b>", markdown), name
        for cell in notebook.cells:
            if "hide-input" in cell.metadata.get("tags", []):
                assert cell.metadata["jupyter"]["source_hidden"] is True, name
    orientation = "\n".join(
        c.source for c in _notebooks(release)["notebooks/00-orientation.ipynb"].cells
    )
    assert "](01-who-is-speaking.ipynb)" in orientation  # a notebook of the release
    assert f"]({site}book/articles/index.html)" in orientation  # a page of the site


def test_the_wheel_declares_its_dependencies_and_its_version(release: Released):
    with zipfile.ZipFile(release.wheel) as archive:
        meta = archive.read(f"medialit-{VERSION}.dist-info/METADATA").decode()
        names = archive.namelist()
    assert f"Version: {VERSION}" in meta
    for name in ("pandas", "ipywidgets", "matplotlib", "pydantic", "PyYAML"):
        assert f"Requires-Dist: {name}" in meta, name
    assert "medialit/render/assets/compare.js" in names  # the widgets' own front end
    assert "medialit/data/notebooks/self_checks.yaml" in names
    assert not [n for n in names if "/static/" in n]  # the book's vendored assets stay out
    assert json.loads(json.dumps(names))  # a plain list: nothing odd in the archive


def test_reading_checks_are_handed_out_in_class_not_shipped_from_day_one(release: Released):
    """A pre-test form and its post-test are the same questions; students who had them in
    their repository from the first day could read the check before taking it."""
    sources = {s.set_id: s for s in map(read_source, exercise_sources(ROOT / "exercises"))}
    for form in ("pretest_a", "pretest_b", "posttest_a", "posttest_b"):
        assert sources[form].in_release is False, form
        assert not (release.student / "exercises" / f"{form}.ipynb").exists()
        assert form not in (release.student / "README.md").read_text()
        handout = release.student.parent / "handouts" / "exercises" / f"{form}.ipynb"
        assert handout in release.handouts and handout.exists(), "the instructor's copy to hand out"
        first = nbformat.read(handout, as_version=4).cells[0]
        assert SETUP_TAG in first.metadata.get("tags", []) or first.get("id") == SETUP_TAG
    assert sources["sourcing"].in_release is True


def test_a_student_release_flag_that_is_not_true_or_false_names_the_file_and_fix(tmp_path):
    text = (ROOT / "exercises" / "sourcing.md").read_text()
    source = tmp_path / "sourcing.md"
    flagged = "  set: sourcing\n  student_release: later\n"
    source.write_text(text.replace("  set: sourcing\n", flagged, 1))
    try:
        read_source(source)
    except SourceError as error:
        assert str(source) in str(error) and "true or false" in str(error)
    else:
        raise AssertionError("a bad student_release value was accepted")
