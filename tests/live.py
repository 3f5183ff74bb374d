"""For the browser tests: a live Jupyter server, and pages that may reach only one server.

``jupyter_server`` starts JupyterLab 4 or Notebook 7 on 127.0.0.1, offline, in a throw-away
HOME (and Jupyter config, runtime, settings and workspace folders) so that nothing of the
machine's own Jupyter set-up leaks in; ``only_to`` makes a Playwright page abort and record every
request that would leave a given server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
# The project's Jupyter config, as `make lab` passes it (MyST walk-throughs open as notebooks).
PROJECT_CONFIG = REPOSITORY / "jupyter-config"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def only_to(page, base_url: str, outside: list[str]) -> None:
    """Let ``page`` reach ``base_url`` only: any other request is aborted and its URL appended
    to ``outside`` (which a test then expects to be empty)."""

    def route(route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)


def _offline_environment(base: Path, config_path: Path | None) -> dict[str, str]:
    """A throw-away HOME and Jupyter config, runtime, settings and workspace folders, with
    JupyterLab's news and update checks off."""
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
    notices.mkdir(parents=True, exist_ok=True)
    (notices / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8"
    )
    environment = {**os.environ, **{name: str(path) for name, path in folders.items()}}
    if config_path is not None:
        environment["JUPYTER_CONFIG_PATH"] = str(config_path)
    return environment


@contextmanager
def jupyter_server(
    app: str,
    base: Path,
    root: Path,
    token: str,
    *,
    config_path: Path | None = None,
    startup_seconds: float = 90,
) -> Iterator[str]:
    """Run ``app`` (``jupyter-lab`` or ``jupyter-notebook``) on 127.0.0.1 serving ``root``, with
    its HOME and Jupyter folders under ``base`` and, if given, ``config_path`` as
    JUPYTER_CONFIG_PATH; yield its URL once it answers, then stop it. Fails the test with the
    server's log if it does not start within ``startup_seconds``."""
    port = free_port()
    log_path = base / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name(app)),
                "--no-browser",
                "--allow-root",
                f"--ServerApp.token={token}",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--ServerApp.root_dir={root}",
                "--LabApp.news_url=",
            ],
            cwd=root,
            env=_offline_environment(base, config_path),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                with urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    server.wait()
                    log.flush()
                    pytest.fail(
                        f"{app} did not start:\n" + log_path.read_text(encoding="utf-8")[-3000:]
                    )
                time.sleep(0.3)
        try:
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def open_in_lab(browser, url: str, path: str, *, workspace: str, token: str, viewport: dict):
    """Open ``path`` in JupyterLab at ``url`` in a fresh workspace (reset, so that nothing else is
    restored beside it), in a new browser context whose page may reach only the server;
    ``page.outside`` lists what it tried to reach elsewhere. Returns (context, page)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(90_000)  # a kernel on a busy 2-core machine can take a while
    page.outside = []
    only_to(page, url, page.outside)
    page.goto(f"{url}lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    return context, page


def serious_axe_violations(page, context: str) -> list[str]:
    """axe-core's serious and critical violations inside ``context`` (a CSS selector), one line
    each: rule, help and the first few nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, context=context, options={"resultTypes": ["violations"], "preload": False}
    )
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
