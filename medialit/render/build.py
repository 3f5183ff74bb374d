"""Build an edition of the book with jupyter-book, or reuse a build whose inputs are unchanged."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from medialit.fileio import atomic_write_text
from medialit.render.editions import EDITION_VARIABLE, EDITIONS

# What a build reads, relative to the book's root; a change in any of them makes a build stale.
INPUTS = ("_config.yml", "_toc.yml", "book", "notebooks", "exercises", "sources", "medialit")
# Code and settings that shape every page: Sphinx cannot tell that they changed, so a change in
# them rewrites every page (``--all``) instead of only the pages whose sources changed.
EVERY_PAGE_INPUTS = ("_config.yml", "_toc.yml", "medialit")  # each page shows the whole toc
# ``_generated`` holds what a build writes into the sources itself, per edition (the comparison
# view differs between them): an output, not an input. Counting it made each edition's build
# invalidate the other's, so a test worker rebuilt a site in place while another was reading it.
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".jupyter_cache", "_generated"}


class BuildError(RuntimeError):
    """jupyter-book failed; the message holds the end of its output."""


@dataclass(frozen=True)
class Build:
    """Where an edition's site is and how it was obtained."""

    edition: str
    html: Path
    seconds: float
    reused: bool


def output_folder(root: Path, edition: str) -> Path:
    """The ``--path-output`` folder of an edition (jupyter-book puts the site in ``_build/html``).

    >>> output_folder(Path("/course"), "student").as_posix()
    '/course'
    >>> output_folder(Path("/course"), "instructor").as_posix()
    '/course/_build/instructor'
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; use one of {', '.join(EDITIONS)}")
    return root if edition == "student" else root / "_build" / edition


def html_folder(root: Path, edition: str) -> Path:
    """The folder holding the edition's built site."""
    return output_folder(root, edition) / "_build" / "html"


def inputs_fingerprint(root: Path, names: tuple[str, ...] = INPUTS) -> str:
    """A digest of the path, size and modification time of every file a build reads."""
    digest = hashlib.sha256()
    for name in names:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            relative = path.relative_to(root)
            if not path.is_file() or SKIPPED_PARTS.intersection(relative.parts):
                continue
            stat = path.stat()
            digest.update(f"{relative.as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp(root: Path, edition: str) -> Path:
    return root / "_build" / f"{edition}.stamp.json"


@contextlib.contextmanager
def _exclusive(root: Path, edition: str):
    """One build of an edition at a time (test workers share the build folder): wait, then go."""
    lock = root / "_build" / f".{edition}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_edition(root: Path, edition: str, *, reuse: bool = True, timeout: float = 900) -> Build:
    """Build ``edition`` with warnings as errors (``-W -n --keep-going``).

    With ``reuse``, a previous successful build is kept when no input has changed since it ran.
    Concurrent callers (e.g. two pytest-xdist workers) wait for each other and then reuse it.
    """
    with _exclusive(root.resolve(), edition):
        return _build_edition(root, edition, reuse=reuse, timeout=timeout)


def copy_of_edition(root: Path, edition: str, target: Path) -> Build:
    """Build (or reuse) ``edition`` and copy its site to ``target`` before any other build can
    start: a browser test reads a copy that no concurrent build rewrites under it."""
    with _exclusive(root.resolve(), edition):
        build = _build_edition(root, edition, reuse=True, timeout=900)
        shutil.copytree(build.html, target, symlinks=True)
    return Build(edition, target, build.seconds, build.reused)


def _build_edition(root: Path, edition: str, *, reuse: bool, timeout: float) -> Build:
    root = root.resolve()
    html = html_folder(root, edition)
    stamp = _stamp(root, edition)
    before = inputs_fingerprint(root)
    recorded = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else {}
    built = html.joinpath("index.html").is_file()
    if reuse and built and recorded.get("inputs") == before:
        return Build(edition, html, 0.0, reused=True)
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    command = [jupyter_book, "build", ".", "-W", "-n", "--keep-going"]
    if built and recorded.get("every_page") != inputs_fingerprint(root, EVERY_PAGE_INPUTS):
        command.append("--all")
    if edition != "student":
        command += ["--path-output", str(output_folder(root, edition).relative_to(root))]
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=root,
        env={**os.environ, EDITION_VARIABLE: edition},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    failed = result.returncode != 0 or "build succeeded" not in result.stdout
    if failed:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise BuildError(
            f"the {edition} edition failed to build (exit {result.returncode}):\n{tail}"
        )
    # Building regenerates pages only when their text changes, so the inputs are as they were
    # unless someone edited a file meanwhile; then the next call simply builds again.
    record = {
        "inputs": inputs_fingerprint(root),
        "every_page": inputs_fingerprint(root, EVERY_PAGE_INPUTS),
        "seconds": round(seconds, 2),
    }
    atomic_write_text(stamp, json.dumps(record))
    return Build(edition, html, seconds, reused=False)
