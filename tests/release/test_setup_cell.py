"""The setup cell on each route: ready where the package is there, the command to run on a
laptop without it (an install where it is missing on Colab or a hub is the same pip call; see
publishing.md and the release report)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from medialit.release.build import Released
from medialit.release.settings import example_settings
from medialit.release.setup_cell import setup_source

ROUTES = {
    "Binder": {"BINDER_LAUNCH_HOST": "https://mybinder.org/"},
    "JupyterHub": {"JUPYTERHUB_USER": "student1"},
    "Colab": {"COLAB_RELEASE_TAG": "release-colab-1"},
}


def _run(python: Path, folder: Path, source: str, **extra: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BINDER", "JUPYTERHUB", "COLAB", "PYTHON", "MEDIALIT"))
    }
    script = folder / "setup_cell.py"
    script.write_text(source, encoding="utf-8")
    return subprocess.run(
        [str(python), str(script)],
        cwd=folder,
        env={**environment, **extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_where_the_package_is_installed_the_cell_only_says_so(
    route: str, release: Released, clean_venv: Path
):
    folder = release.student / "notebooks"
    source = setup_source(release.version, example_settings())
    done = _run(clean_venv / "bin" / "python", folder, source, **ROUTES[route])
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == f"medialit {release.version} is ready ({route}). Go on to the next cell."
    )


def test_on_a_laptop_without_the_package_it_says_what_to_run(release: Released, tmp_path: Path):
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    folder = release.student / "notebooks"
    done = _run(bare / "bin" / "python", folder, setup_source(release.version, example_settings()))
    assert done.returncode != 0 and "not installed yet" in done.stderr
    wheel = release.student / "dist" / release.wheel.name
    assert f"-m pip install -r requirements.txt {wheel}" in done.stdout
    assert "restart the kernel" in done.stdout
