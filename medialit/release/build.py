"""`medialit release`: the students' repository and the wheel, built from the instructor source.

``out/student/`` is the release repository as students meet it: the walk-throughs and exercise
sets as ``.ipynb`` (outputs cleared, a setup cell first), README, LICENSE, CITATION.cff,
CHANGELOG.md, pinned requirements, a Binder configuration and ``dist/<wheel>``. ``out/dist/``
holds the wheel. ``out/handouts/`` holds the sets an instructor hands out on the day
(``student_release: false`` in their front matter: the reading checks), made the same way but
kept out of the repository students have from the first day. Nothing of the answer keys
reaches any of them, apart from the published worked-example keys the wheel carries; the
exercise sets come from `medialit assign`, whose grader bundle is written to a temporary
folder and thrown away.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from medialit.fileio import atomic_write_text
from medialit.release import pins
from medialit.release.notebooks import linker, release_notebook
from medialit.release.readme import student_readme
from medialit.release.settings import ReleaseSettings, load_settings
from medialit.release.setup_cell import SETUP_TAG, setup_cell
from medialit.release.wheel import ReleaseError, build_wheel

RELEASE_OUT = Path("_build") / "release"
WALKTHROUGH = re.compile(r"^\d\d-[a-z0-9-]+\.md$")
COPIED = ("LICENSE", "CITATION.cff", "CHANGELOG.md")
RUNTIME_HEADER = """\
Pinned for Python 3.11: the course package's dependencies and JupyterLab, as tested.
Install with the package: pip install -r requirements.txt dist/{wheel}"""
STUDENT_GITIGNORE = ".ipynb_checkpoints/\n__pycache__/\n.venv/\n"


@dataclass
class Released:
    """What `release` wrote."""

    student: Path
    wheel: Path
    notebooks: list[Path]
    version: str
    handouts: list[Path]  # sets with `student_release: false`, beside the repository, not in it


def project_version(root: Path) -> str:
    """The one version number: ``[project] version`` in pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def walkthrough_sources(root: Path) -> list[Path]:
    """The walk-through notebooks: ``notebooks/NN-name.md``."""
    return sorted(p for p in (root / "notebooks").glob("*.md") if WALKTHROUGH.match(p.name))


def _binder(student: Path, wheel: str) -> None:
    binder = student / "binder"
    binder.mkdir()
    (binder / "runtime.txt").write_text("python-3.11\n", encoding="utf-8")
    (binder / "requirements.txt").write_text(
        "# Binder (repo2docker) installs this file: the release's pinned set.\n"
        "-r ../requirements.txt\n",
        encoding="utf-8",
    )
    post_build = binder / "postBuild"
    post_build.write_text(
        "#!/usr/bin/env bash\n"
        "# Binder runs this once after binder/requirements.txt, from the repository root.\n"
        "set -euo pipefail\n"
        f"python -m pip install --no-cache-dir --no-deps dist/{wheel}\n",
        encoding="utf-8",
    )
    os.chmod(post_build, 0o755)


def _write_notebook(path: Path, notebook: object) -> None:
    import nbformat

    nbformat.validate(notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, nbformat.writes(notebook) + "\n")
    os.chmod(path, 0o644)


def _notebooks(
    root: Path, student: Path, handouts: Path, settings: ReleaseSettings, version: str
) -> list[Path]:
    """Write the walk-throughs and the exercise sets into ``student``, and the sets handed out
    in class (``student_release: false``) into ``handouts``."""
    import jupytext
    import nbformat

    from medialit.assign.build import assign
    from medialit.assign.source import exercise_sources, read_source

    walkthroughs = walkthrough_sources(root)
    exercise_files = exercise_sources(root / "exercises")
    held = {s.set_id for s in map(read_source, exercise_files) if not s.in_release}
    with tempfile.TemporaryDirectory(prefix="medialit-assign-") as work:
        assigned = assign(exercise_files, Path(work))
        sets = {path.stem: nbformat.read(path, as_version=4) for path in assigned.release}
    released = {f"notebooks/{p.stem}": f"notebooks/{p.stem}.ipynb" for p in walkthroughs}
    released |= {f"book/exercises/{name}": f"exercises/{name}.ipynb" for name in sets}
    handed_out = {f"book/exercises/{name}" for name in held}
    sources = {f"notebooks/{p.stem}": jupytext.read(p) for p in walkthroughs}
    sources |= {f"book/exercises/{name}": notebook for name, notebook in sets.items()}
    written = []
    for page, notebook in sources.items():
        out = release_notebook(notebook, linker(root, page, released, settings))
        first = setup_cell(version, settings)
        first["id"] = SETUP_TAG
        out.cells.insert(0, first)
        meta = out.metadata.setdefault("medialit", {})
        meta["release"] = version
        if page.startswith("notebooks/"):
            meta["walkthrough"] = Path(page).name
            for number, cell in enumerate(out.cells[1:], start=1):
                cell["id"] = f"{Path(page).name[:2]}-{number:03d}"  # stable: same release twice
        path = (handouts if page in handed_out else student) / released[page]
        _write_notebook(path, out)
        written.append(path)
    return written


def build_release(
    root: str | os.PathLike[str] = ".",
    out: str | os.PathLike[str] = RELEASE_OUT,
    settings: ReleaseSettings | None = None,
) -> Released:
    """Write ``out/student/`` and ``out/dist/<wheel>`` from the checkout at ``root``.

    The student tree is written beside its final place and moved there at the end, so a
    failed build leaves the previous release as it was.
    """
    root = Path(root).resolve()
    out = Path(out)
    settings = settings or load_settings(root)
    version = project_version(root)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".student-", dir=out))
    staged_handouts = Path(tempfile.mkdtemp(prefix=".handouts-", dir=out))
    try:
        written = _notebooks(root, staging, staged_handouts, settings, version)
        notebooks = [p for p in written if p.is_relative_to(staging)]
        walkthroughs = [
            p.relative_to(staging).as_posix() for p in notebooks if "notebooks" in p.parts
        ]
        exercises = [p.relative_to(staging).as_posix() for p in notebooks if "exercises" in p.parts]
        readme = student_readme(settings, version, walkthroughs, exercises)
        (staging / "README.md").write_text(readme, encoding="utf-8")
        for name in COPIED:
            shutil.copy2(root / name, staging / name)
        wheel = build_wheel(
            root, out / "dist", version, readme, (root / "LICENSE").read_text(encoding="utf-8")
        )
        (staging / "dist").mkdir()
        shutil.copy2(wheel, staging / "dist" / wheel.name)
        try:
            pinned = pins.closure(pins.declared(root / "pyproject.toml", ("lab",)))
        except LookupError as error:
            raise ReleaseError(str(error)) from None
        pinned.pop("medialit", None)
        (staging / "requirements.txt").write_text(
            pins.requirements_text(pinned, RUNTIME_HEADER.format(wheel=wheel.name)),
            encoding="utf-8",
        )
        _binder(staging, wheel.name)
        (staging / ".gitignore").write_text(STUDENT_GITIGNORE, encoding="utf-8")
        student, handouts = out / "student", out / "handouts"
        for final, staged in ((student, staging), (handouts, staged_handouts)):
            if final.exists():
                shutil.rmtree(final)
            staged.rename(final)
            os.chmod(final, 0o755)  # mkdtemp made it private
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(staged_handouts, ignore_errors=True)
        raise
    moved = [student / p.relative_to(staging) for p in notebooks]
    handed = [handouts / p.relative_to(staged_handouts) for p in written if p not in notebooks]
    return Released(student, wheel, moved, version, handed)
