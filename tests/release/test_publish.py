"""The publish workflow's shell steps (.github/publish.sh) on a copy of the repository, with a
local bare repository as the release repository; and the placeholder refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from medialit.release.settings import SettingsError, from_config, load_settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".github" / "publish.sh"


def _checkout(folder: Path) -> Path:
    """The repository's files (tracked and new, not ignored) copied to ``folder``."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def _run(checkout: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MEDIALIT_"))},
        "PYTHON": sys.executable,
        "PUBLISH_BOOK": "0",  # the site build has tests of its own
        **environment,
    }
    return subprocess.run(
        ["bash", str(checkout / ".github" / "publish.sh")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_workflow_runs_the_script():
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert any("bash .github/publish.sh" in run for run in steps)
    assert workflow["permissions"]["contents"] == "read"  # it pushes elsewhere, with a token
    tests = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text())
    assert "pull_request" in tests[True] and "bash .ci/run" in str(tests["jobs"])


def test_publishing_pushes_the_release_to_its_own_repository(tmp_path: Path):
    checkout = _checkout(tmp_path / "instructor")
    config = checkout / "_config.yml"
    config.write_text(
        config.read_text().replace("https://jupyterhub.example.org", '""'), encoding="utf-8"
    )
    remote = tmp_path / "release.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    done = _run(
        checkout,
        GITHUB_REPOSITORY="course-org/media",
        GITHUB_SHA="abc123",
        RELEASE_REMOTE=remote.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "course-org/media-student" in done.stdout
    files = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "main"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "README.md" in files and "binder/postBuild" in files
    assert "notebooks/00-orientation.ipynb" in files and "exercises/sourcing.ipynb" in files
    assert any(name.startswith("dist/medialit-") and name.endswith(".whl") for name in files)
    assert not [
        name
        for name in files
        if name.startswith(("sources/", "exercises/")) and not name.endswith(".ipynb")
    ]
    readme = subprocess.run(
        ["git", "show", "main:README.md"], cwd=remote, capture_output=True, text=True, check=True
    ).stdout
    assert "mybinder.org/v2/gh/course-org/media-student/main" in readme
    assert "YOUR-ORG" not in readme and "example.org" not in readme


def test_publishing_refuses_the_placeholders_with_a_clear_message(tmp_path: Path):
    checkout = _checkout(tmp_path / "instructor")
    done = _run(checkout, RELEASE_REMOTE=(tmp_path / "nowhere.git").as_uri())
    assert done.returncode != 0
    assert "placeholder" in done.stderr and "repository.url" in done.stderr
    assert not (checkout / "_build" / "release").exists()


def test_placeholders_are_refused_and_github_repository_fills_them():
    with pytest.raises(SettingsError, match=r"YOUR-ORG.*Fix: set repository.url"):
        load_settings(ROOT, {}, publishing=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    settings = from_config(config, {"GITHUB_REPOSITORY": "Uni-X/media"})
    assert settings.repository_url == "https://github.com/Uni-X/media-student"
    assert settings.site_url == "https://uni-x.github.io/media/"
    assert settings.placeholders() == [f"launch_buttons.jupyterhub_url: {settings.hub_url}"]
    assert load_settings(ROOT, {}).placeholders()  # a local build accepts them (not publishing)


def test_a_config_that_is_not_yaml_names_the_line(tmp_path):
    (tmp_path / "_config.yml").write_text("title: x\nrepository: [a\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"_config.yml, line 3: not valid YAML \("):
        load_settings(tmp_path, {})
    with pytest.raises(SettingsError, match=r"not found\. Fix: run from the course"):
        load_settings(tmp_path / "elsewhere", {})
