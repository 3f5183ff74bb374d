"""The student release built once per test session (in a temporary folder), and a clean venv
holding only its wheel (outside the repository, reused while the wheel is the same)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from medialit.release.build import Released, build_release
from medialit.release.settings import example_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Released:
    """`make release` with a publishable setting, into a temporary folder."""
    return build_release(ROOT, tmp_path_factory.mktemp("release"), example_settings())


def _python311() -> str:
    found = shutil.which("python3.11") or sys.executable
    return found


@pytest.fixture(scope="session")
def clean_venv(release: Released) -> Path:
    """A venv outside any checkout with only the wheel, its declared dependencies (as pinned in
    requirements.txt) and ipykernel. The venv is kept while the dependencies are the same;
    the wheel of this session is reinstalled into it every time."""
    inputs = (ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    digest = hashlib.sha256(inputs).hexdigest()[:12]
    base = Path(tempfile.gettempdir()) / "medialit-release-venvs"
    base.mkdir(exist_ok=True)
    venv = base / f"venv-{digest}"
    python = str(venv / "bin" / "python")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def pip_install(*arguments: str, timeout: int) -> None:
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", *arguments],
            check=True,
            timeout=timeout,
            cwd=base,
            env=environment,
        )

    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wheel = base / release.wheel.name  # installed from outside the repository
        shutil.copy2(release.wheel, wheel)
        if not (venv / ".ready").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([_python311(), "-m", "venv", str(venv)], check=True, timeout=300)
            pip_install("-c", str(ROOT / "requirements.txt"), str(wheel), "ipykernel", timeout=900)
            (venv / ".ready").touch()
        # Reinstall only a wheel with other contents: parallel workers build the same one, and
        # reinstalling under a running test would pull the package from under it.
        marker = venv / ".wheel-contents"
        contents = _contents(release.wheel)
        if not marker.exists() or marker.read_text() != contents:
            pip_install("--no-deps", "--force-reinstall", str(wheel), timeout=300)
            marker.write_text(contents)
    return venv


def _contents(wheel: Path) -> str:
    """A digest of what the wheel holds (its RECORD: every file's hash), not of the zip bytes."""
    with zipfile.ZipFile(wheel) as archive:
        record = next(name for name in archive.namelist() if name.endswith(".dist-info/RECORD"))
        return hashlib.sha256(archive.read(record)).hexdigest()
