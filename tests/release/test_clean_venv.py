"""Each release notebook runs top to bottom (Run All) in a clean venv that holds only the wheel,
in a folder with no repository around it: the package finds its data inside itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from medialit.annotations.key import key_paths
from medialit.corpus import default
from medialit.release.build import Released
from medialit.release.setup_cell import SETUP_TAG
from medialit.render.topics import student_edition_keys

ROOT = Path(__file__).resolve().parents[2]
TIMINGS = ROOT / "_build" / "release-timings"  # one file per notebook (xdist workers in parallel)


@pytest.fixture(scope="module")
def kernel(clean_venv: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kernelspec that runs the clean venv's Python, found through JUPYTER_PATH."""
    where = tmp_path_factory.mktemp("kernels")
    spec = where / "kernels" / "medialit-clean"
    spec.mkdir(parents=True)
    argv = [str(clean_venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f"]
    (spec / "kernel.json").write_text(
        json.dumps(
            {"argv": [*argv, "{connection_file}"], "display_name": "clean", "language": "python"}
        ),
        encoding="utf-8",
    )
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(where)
    yield "medialit-clean"
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


@pytest.fixture(scope="module")
def outside(release: Released, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the students' repository in a temporary folder outside /work."""
    folder = tmp_path_factory.mktemp("student-home") / "course"
    shutil.copytree(release.student, folder)
    for handout in release.handouts:  # handed out on the day, saved beside the other sets
        shutil.copy2(handout, folder / handout.parent.name / handout.name)
    assert not str(folder).startswith(str(ROOT))
    return folder


def _run_python(venv: Path, folder: Path, script: str) -> subprocess.CompletedProcess:
    """Run ``script`` with the venv's Python in ``folder``, with no MEDIALIT_* or PYTHON*
    variable of this session; fails the test with its stderr if the script fails."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIALIT", "PYTHON"))}
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_installed_package_finds_its_own_data(clean_venv: Path, outside: Path):
    script = (
        "import medialit, medialit.corpus as c, pathlib;"
        "from medialit.annotations.key import key_paths;"
        "print(medialit.__file__); print(medialit.__version__);"
        "print(c.default_sources()); print(len(c.default()));"
        "print([p.stem for p in key_paths()])"
    )
    done = _run_python(clean_venv, outside, script)
    package, version, sources, count, keys = done.stdout.strip().split("\n")
    assert package.startswith(str(clean_venv)) and sources.startswith(str(clean_venv))
    assert version == ROOT.joinpath("pyproject.toml").read_text().split('version = "')[1][:5]
    corpus = default()  # the instructor's corpus, all of which ships, with the published keys
    assert count == str(len(corpus)) and keys == str(student_edition_keys(corpus))


def test_no_call_in_a_student_install_shows_an_unpublished_key(clean_venv: Path, outside: Path):
    corpus = default()
    [published] = student_edition_keys(corpus)[:1]
    keyed = [path.stem for path in key_paths(corpus)]
    unpublished = [article_id for article_id in keyed if article_id != published][:2]
    assert unpublished, "the corpus has no unpublished key to test with"
    script = f"""
from medialit.widgets import compare
from medialit.annotations.key import load_key
view = compare({unpublished!r}, source="key")
assert "worked example only ({published})" in view.view.value, view.view.value
try:
    load_key("{unpublished[0]}")
except (OSError, ValueError) as error:
    print("refused", type(error).__name__)
print(len(load_key("{published}").annotations))
"""
    done = _run_python(clean_venv, outside, script)
    refused, shown = done.stdout.strip().split("\n")
    assert refused.startswith("refused") and int(shown) > 20


def _notebooks() -> list[str]:
    from medialit.release.build import walkthrough_sources

    names = [f"notebooks/{p.stem}.ipynb" for p in walkthrough_sources(ROOT)]
    return names + [
        f"exercises/{p.stem}.ipynb"
        for p in sorted((ROOT / "exercises").glob("*.md"))
        if p.name != "README.md"
    ]


@pytest.mark.parametrize("name", _notebooks())
def test_a_release_notebook_runs_top_to_bottom(name: str, kernel: str, outside: Path):
    path = outside / name
    notebook = nbformat.read(path, as_version=4)
    assert SETUP_TAG in notebook.cells[0].metadata.get("tags", [])
    started = time.monotonic()
    NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()  # raises CellExecutionError at the first cell that fails
    seconds = time.monotonic() - started
    first = "".join(output.get("text", "") for output in notebook.cells[0].outputs)
    assert "is ready" in first, first
    checks = [cell for cell in notebook.cells if "self_check(" in cell.source]
    assert checks and all(cell.outputs for cell in checks), "every self-check shows its result"
    if name.startswith("exercises/"):
        last = notebook.cells[-1]
        assert "before_you_submit(" in last.source
        shown = json.dumps(last.outputs)
        assert "Not ready yet" in shown and "has no answer yet" in shown
    TIMINGS.mkdir(parents=True, exist_ok=True)
    (TIMINGS / f"{name.replace('/', '--')}.txt").write_text(f"{name}\t{seconds:.1f} s\n")
    print(f"{name}: {seconds:.1f} s in the clean venv")
