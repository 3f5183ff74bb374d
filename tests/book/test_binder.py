"""The repository runs on Binder as it is: Python version, pinned requirements, postBuild."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


def test_binder_uses_the_pinned_requirements_and_python_311():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    lines = [
        line.strip()
        for line in (BINDER / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["-r ../requirements.txt"]
    assert (BINDER / lines[0].split()[1]).resolve() == ROOT / "requirements.txt"
    assert "jupytext==" in (ROOT / "requirements.txt").read_text()


def test_postbuild_installs_the_package_and_opens_markdown_as_notebooks(tmp_path: Path):
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "repo2docker runs postBuild only if it is executable"
    text = post_build.read_text()
    assert "pip install --no-cache-dir --no-deps -e ." in text
    command = next(line for line in text.splitlines() if line.startswith("jupytext-config"))
    environment = {**os.environ, "HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    executable = Path(sys.executable).with_name(command.split()[0])
    subprocess.run(
        [str(executable), *command.split()[1:]],
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )
    settings = json.loads(next(tmp_path.rglob("default_setting_overrides.json")).read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"
