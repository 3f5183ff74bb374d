"""Sphinx extension: write the article pages and the comparison view before the book is read."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from medialit.corpus import Corpus
from medialit.fileio import atomic_write_text
from medialit.render.article_page import GENERATED_MARK, article_page, index_page
from medialit.render.compare_html import write_compare_view

ARTICLE_PAGES = Path("book") / "articles"
STATIC = Path(__file__).parent / "static"


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)


def write_article_pages(srcdir: Path, corpus: Corpus | None = None) -> list[Path]:
    """Write one page per article and the index; remove pages of articles no longer there."""
    corpus = corpus or Corpus()
    folder = srcdir / ARTICLE_PAGES
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for article in corpus:
        path = folder / f"{article.article_id}.md"
        _write_if_changed(path, article_page(article))
        written.append(path)
    index = folder / "index.md"
    _write_if_changed(index, index_page(corpus))
    for stale in folder.glob("*.md"):
        if (
            stale not in written
            and stale != index
            and stale.read_text(encoding="utf-8").startswith(GENERATED_MARK)
        ):
            stale.unlink()
    return [*written, index]


def _on_config_inited(app: Sphinx, config: Config) -> None:
    write_article_pages(Path(app.srcdir))
    write_compare_view(Path(app.srcdir))
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict:
    """Register the page writer (it runs before the table of contents is read) and the CSS."""
    app.connect("config-inited", _on_config_inited, priority=100)
    app.add_css_file("medialit.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
