"""The first cell of every release notebook: make the course package importable on any route.

It recognises Colab, Binder, a JupyterHub and a laptop. Where the pinned package is installed
it only says so; where it is missing it installs it (from the wheel in the release folder when
the notebook sits in one, else from the release repository); on a laptop it says what to run.
"""

from __future__ import annotations

import nbformat

from medialit.release.settings import ReleaseSettings, wheel_name

SETUP_TAG = "medialit-setup"

_TEMPLATE = '''\
# Setup: run this cell first. It makes the course package available and does nothing where it
# is already installed (Binder, or a hub or laptop set up from the course's README).
MEDIALIT_VERSION = {version!r}
MEDIALIT_WHEEL_URL = {url!r}
import importlib, importlib.metadata, os, pathlib, subprocess, sys


def _medialit_route():
    if "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ:
        return "Colab"
    if "BINDER_LAUNCH_HOST" in os.environ or "BINDER_REPO_URL" in os.environ:
        return "Binder"
    if "JUPYTERHUB_USER" in os.environ or "JUPYTERHUB_API_URL" in os.environ:
        return "JupyterHub"
    return "laptop"


def _medialit_installed():
    try:
        return importlib.metadata.version("medialit")
    except importlib.metadata.PackageNotFoundError:
        return None


def _medialit_wheel():
    """The wheel in the release folder around this notebook, else the release repository's."""
    for folder in (pathlib.Path.cwd(), *pathlib.Path.cwd().parents[:2]):
        local = folder / "dist" / {wheel!r}
        if local.is_file():
            return str(local)
    return MEDIALIT_WHEEL_URL


_route, _found = _medialit_route(), _medialit_installed()
if _found == MEDIALIT_VERSION:
    print(f"medialit {{_found}} is ready ({{_route}}). Go on to the next cell.")
elif _route == "laptop":
    _wheel = _medialit_wheel()
    print(
        f"The course package medialit {{MEDIALIT_VERSION}} is "
        + ("missing" if _found is None else f"at version {{_found}}")
        + " in this Python. In a terminal, in the course folder, run:\\n\\n"
        f"    {{sys.executable}} -m pip install -r requirements.txt {{_wheel}}\\n\\n"
        "then restart the kernel (Kernel > Restart Kernel) and run this cell again. "
        "README.md explains each step."
    )
    raise SystemExit("medialit is not installed yet: see the message above")
else:
    _wheel = _medialit_wheel()
    print(f"Installing medialit {{MEDIALIT_VERSION}} on {{_route}} (about a minute)...")
    _done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", _wheel],
        capture_output=True, text=True,
    )
    if _done.returncode != 0:
        print(_done.stdout[-2000:], _done.stderr[-2000:])
        raise SystemExit(
            f"pip could not install {{_wheel}}. Check the internet connection, then run this "
            "cell again; if it fails again, send this message to your instructor."
        )
    importlib.invalidate_caches()
    print(f"medialit {{_medialit_installed()}} is installed. Go on to the next cell.")
    if _route == "Colab" and "pandas" in sys.modules:
        print("If a later cell fails with an import error: Runtime > Restart session, then "
              "run the notebook again from the top.")
'''


def setup_source(version: str, settings: ReleaseSettings) -> str:
    """The Python source of the setup cell for one release.

    >>> from medialit.release.settings import example_settings
    >>> source = setup_source("0.1.0", example_settings())
    >>> compile(source, "setup", "exec") and "medialit-0.1.0-py3-none-any.whl" in source
    True
    """
    return _TEMPLATE.format(
        version=version, url=settings.wheel_url(version), wheel=wheel_name(version)
    )


def setup_cell(version: str, settings: ReleaseSettings) -> nbformat.NotebookNode:
    """The cell itself, tagged so tests and tools can find it."""
    return nbformat.v4.new_code_cell(
        setup_source(version, settings), metadata={"tags": [SETUP_TAG]}
    )
