"""Fixtures for the widget tests: a folder to play the notebook's folder, and the corpus."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from medialit.corpus import Corpus, default
from medialit.widgets.store import AnswersFile

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus() -> Corpus:
    return default()


@pytest.fixture
def store(tmp_path: Path) -> AnswersFile:
    """The answers file of a notebook called exercise.ipynb in a fresh folder."""
    return AnswersFile(tmp_path / "exercise.answers.json")


# --------------------------------------------------------------------------- browser fixtures
# The one Chromium session and the built, served editions come from tests/conftest.py (two
# Playwright sessions cannot be open at once in one process).


@pytest.fixture(scope="session")
def site_url(sites) -> str:
    """The student edition, served on 127.0.0.1 for the length of the session."""
    return sites["student"].base_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- live JupyterLab

LAB_TOKEN = "medialit-widget-test"


def _lab_environment(base: Path) -> dict[str, str]:
    """A throw-away HOME and Jupyter config, runtime, settings and workspace folders."""
    folders = {
        "HOME": base / "home",
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": base / "settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "workspaces",
        "IPYTHONDIR": base / "ipython",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    notices = folders["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8"
    )
    return {**os.environ, **{name: str(path) for name, path in folders.items()}}


def _jupyter_server(tmp_path_factory, app: str):
    """A Jupyter server (``jupyter-lab`` or ``jupyter-notebook``) on 127.0.0.1 serving a fresh
    folder; yields (url, folder, token), then stops it."""
    import time
    import urllib.request

    base = tmp_path_factory.mktemp(app.removeprefix("jupyter-"))
    root = base / "notebooks"
    root.mkdir()
    port = free_port()
    log = (base / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name(app)),
            "--no-browser",
            "--allow-root",
            f"--ServerApp.token={LAB_TOKEN}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
        ],
        cwd=root,
        env=_lab_environment(base),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}api/status?token={LAB_TOKEN}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail(
                    f"{app} did not start:\n"
                    + (base / "server.log").read_text(encoding="utf-8")[-3000:]
                )
            time.sleep(0.3)
    yield url, root, LAB_TOKEN
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a fresh folder; yields (url, folder, token)."""
    yield from _jupyter_server(tmp_path_factory, "jupyter-lab")


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    """A Jupyter Notebook 7 server on 127.0.0.1 serving a fresh folder; (url, folder, token)."""
    yield from _jupyter_server(tmp_path_factory, "jupyter-notebook")
