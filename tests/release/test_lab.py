"""In a live JupyterLab 4: a release notebook opens as a notebook with its explanations folded
and its plotting code hidden, and with the project's Jupyter config (`make lab`) a MyST
walk-through opens as a notebook, not as text."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from medialit.release.build import Released

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "medialit-release-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(release: Released, tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab on 127.0.0.1 with the project's config (jupyter-config/, as `make lab` sets
    it) serving a folder with the release and the MyST walk-throughs."""
    base = tmp_path_factory.mktemp("release-lab")
    root = base / "root"
    shutil.copytree(release.student, root / "release")
    shutil.copytree(ROOT / "notebooks", root / "myst")
    folders = {
        name: base / name.lower()
        for name in (
            "HOME",
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTERLAB_SETTINGS_DIR",
            "JUPYTERLAB_WORKSPACES_DIR",
            "IPYTHONDIR",
        )
    }
    for folder in folders.values():
        folder.mkdir()
    notices = folders["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8"
    )
    environment = {
        **os.environ,
        **{name: str(path) for name, path in folders.items()},
        "JUPYTER_CONFIG_PATH": str(ROOT / "jupyter-config"),  # what `make lab` passes
    }
    port = _free_port()
    log = (base / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("jupyter-lab")),
            "--no-browser",
            "--allow-root",
            f"--ServerApp.token={TOKEN}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=",
        ],
        cwd=root,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}api/status?token={TOKEN}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (base / "server.log").read_text())
            time.sleep(0.3)
    yield url
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def _open(browser, url: str, path: str, workspace: str):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.outside = []

    def only_the_server(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    page.goto(f"{url}lab/workspaces/{workspace}/tree/{path}?reset&token={TOKEN}")
    return context, page


def test_a_release_notebook_opens_with_explanations_folded(browser, lab):
    context, page = _open(browser, lab, "release/notebooks/00-orientation.ipynb", "release")
    try:
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
        page.wait_for_selector(".jp-RenderedMarkdown details summary")
        details = page.locator(".jp-RenderedMarkdown details")
        assert details.count() >= 1
        first = details.first
        assert first.get_attribute("open") is None
        first.scroll_into_view_if_needed()
        summary = first.locator("summary")
        assert "Explanation" in (summary.text_content() or "")
        # JupyterLab renders cells lazily: wait until the scrolled-to cell is drawn
        page.wait_for_function(
            "el => el.innerText.includes('Explanation')", arg=summary.element_handle()
        )
        assert summary.is_visible()
        body = first.locator("p").first
        assert not body.is_visible(), "the explanation shows before it is opened"
        summary.click()
        page.wait_for_function("() => document.querySelector('.jp-RenderedMarkdown details[open]')")
        assert body.is_visible()
        # plotting code starts folded (jupyter.source_hidden): JupyterLab shows a placeholder
        assert page.locator(".jp-Cell .jp-InputPlaceholder").count() >= 1
        # no MyST directive shows as raw text
        text = page.locator(".jp-Notebook").inner_text()
        assert ":class: dropdown" not in text and "{doc}" not in text and "{admonition}" not in text
        assert page.outside == []
    finally:
        context.close()


def test_make_lab_opens_a_myst_walkthrough_as_a_notebook(browser, lab):
    context, page = _open(browser, lab, "myst/00-orientation.md", "myst")
    try:
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
        assert page.locator(".jp-FileEditor").count() == 0
        # rendered as notebook cells: the title is a rendered heading, not a line of text
        page.wait_for_selector(".jp-RenderedMarkdown h1:has-text('Orientation')")
        assert "jupytext:" not in page.locator(".jp-Notebook").inner_text()
    finally:
        context.close()
