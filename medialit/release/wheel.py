"""The student package: the code, and as package data only what students may see.

The wheel carries the articles, the topic index, the walk-through self-checks and the answer
keys of the published worked examples (``student_edition_keys`` in ``sources/topics.yaml``),
nothing else: the other keys stay in the instructor repository and the grader bundle, so no
call in a student's notebook can show them. ``medialit.corpus.default_sources`` finds the data
inside the installed package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from medialit.corpus import Corpus
from medialit.release.settings import wheel_name
from medialit.render.topics import TOPICS_FILE, student_edition_keys

DATA = Path("medialit") / "data"
FORMS = Path("notebooks") / "self_checks.yaml"
# Data files the walk-throughs read through medialit.corpus.course_file.
NOTEBOOK_DATA = (FORMS, Path("notebooks") / "dossier" / "timeline.yaml")
# The book's vendored web assets stay out of the student package, and so does every folder of
# instructor-only code: one that holds a file named INSTRUCTOR_ONLY (e.g. the key editor).
LEFT_OUT = ("__pycache__", "*.pyc", "static")
INSTRUCTOR_ONLY = ".instructor-only"


def _left_out(folder: str, names: list[str]) -> set[str]:
    """The names ``copytree`` leaves out of the staged package (see LEFT_OUT)."""
    left = shutil.ignore_patterns(*LEFT_OUT)(folder, names)
    return left | {name for name in names if (Path(folder) / name / INSTRUCTOR_ONLY).is_file()}


KEY_SUFFIX = ".yaml"


class ReleaseError(RuntimeError):
    """The release cannot be built; the message names the file and the fix."""


def _status(key: Path) -> object:
    try:
        data = yaml.safe_load(key.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    return data.get("status") if isinstance(data, dict) else None


def stage_data(root: Path, target: Path) -> list[str]:
    """Copy the student data of checkout ``root`` into ``target`` (``medialit/data``); return
    the article ids whose key is shipped (the published worked examples)."""
    sources = root / "sources"
    corpus = Corpus(sources)
    published = student_edition_keys(corpus, sources / TOPICS_FILE)
    articles = target / "sources" / "articles"
    articles.mkdir(parents=True)
    for article in corpus:
        shutil.copy2(article.path, articles / Path(article.path).name)
    shutil.copy2(sources / TOPICS_FILE, target / "sources" / TOPICS_FILE)
    keys = target / "sources" / "annotations"
    keys.mkdir()
    for article_id in published:
        key = sources / "annotations" / f"{article_id}{KEY_SUFFIX}"
        if not key.is_file():
            raise ReleaseError(
                f"{sources / TOPICS_FILE}: student_edition_keys lists {article_id!r}, but "
                f"{key} does not exist. Fix: write the key or remove it from the list"
            )
        if _status(key) == "draft":
            raise ReleaseError(
                f"{sources / TOPICS_FILE}: student_edition_keys lists {article_id!r}, but "
                f"{key} is a draft (status: draft). Fix: finish the key (python -m medialit "
                "annotations check) or remove it from the list"
            )
        shutil.copy2(key, keys / key.name)
    for relative in NOTEBOOK_DATA:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target / relative)
    return published


def build_wheel(root: Path, out: Path, version: str, readme: str, license_text: str) -> Path:
    """Build ``out/medialit-<version>-py3-none-any.whl`` from a staged copy of the package
    (the checkout is not touched) with pip and the build backend ``pyproject.toml`` names."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="medialit-wheel-") as work:
        stage = Path(work) / "medialit-src"
        shutil.copytree(root / "medialit", stage / "medialit", ignore=_left_out)
        stage_data(root, stage / DATA)
        shutil.copy2(root / "pyproject.toml", stage / "pyproject.toml")
        (stage / "README.md").write_text(readme, encoding="utf-8")
        (stage / "LICENSE").write_text(license_text, encoding="utf-8")
        built = Path(work) / "wheel"
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(built), "."],
            cwd=stage,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise ReleaseError(
                f"pip could not build the wheel:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        wheel = built / wheel_name(version)
        if not wheel.is_file():
            found = ", ".join(path.name for path in built.iterdir())
            raise ReleaseError(
                f"pip built {found}, not {wheel.name}: pyproject.toml's version is not {version}"
            )
        target = out / wheel.name
        shutil.copy2(wheel, target)
    return target
