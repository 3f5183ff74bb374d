"""The root conftest's rule for doctests: an example that names a shipped article the corpus no
longer has is skipped with its name; on a corpus that has it, the example runs (and can fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from medialit.corpus import Corpus, default
from medialit.corpus.load import SOURCES_ENV
from tests.shipped import SHIPPED_ARTICLES

ROOT = Path(__file__).resolve().parents[1]
MODULE = '''
def example():
    """
    >>> from medialit import corpus
    >>> corpus.article("{article_id}").article_id == "{article_id}"
    False
    """
'''


def _run(tmp_path: Path, sources: Path, article_id: str) -> str:
    module = tmp_path / "about_an_article.py"
    module.write_text(MODULE.format(article_id=article_id), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            "--noconftest",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "--doctest-modules",
            "-rs",
            "--rootdir",
            str(tmp_path),
            str(module),
        ],
        cwd=ROOT,
        env={**os.environ, SOURCES_ENV: str(sources)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout + done.stderr


def test_a_doctest_about_a_removed_shipped_article_is_skipped_naming_it(tmp_path):
    present = [a for a in SHIPPED_ARTICLES if a in default().ids()]
    assert present, "the corpus has none of the shipped articles"
    removed = tmp_path / "removed" / "sources"
    shutil.copytree(default().root / "articles", removed / "articles")
    gone = Corpus(removed).article(present[0])
    Path(gone.path).unlink()
    skipped = _run(tmp_path, removed, present[0])
    assert "1 skipped" in skipped and f"shipped article(s) {present[0]}, removed" in skipped
    failed = _run(tmp_path, default().root, present[0])  # there, the (wrong) example runs
    assert "1 failed" in failed, failed
