"""Sphinx extension: article pages, comparison view, editions, offline assets, launch links."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

from medialit import __version__
from medialit.annotations.references import reference_problems
from medialit.corpus import Corpus
from medialit.fileio import atomic_write_text
from medialit.release.settings import load_settings
from medialit.render.annotator_data import ANNOTATOR_STATIC, annotation_items
from medialit.render.article_page import GENERATED_MARK, article_page, index_page
from medialit.render.class_report import publish_class_report
from medialit.render.compare_html import write_compare_view
from medialit.render.editions import (
    INSTRUCTOR_FOLDERS,
    edition_from_environment,
    edition_toc_path,
)
from medialit.render.exercise_pages import write_exercise_pages
from medialit.render.objectives import (
    OBJECTIVES_FILE,
    exercise_items,
    load_objectives,
    objectives_page,
)
from medialit.render.reader import write_reader_pages

logger = logging.getLogger(__name__)

ARTICLE_PAGES = Path("book") / "articles"
# What the executed notebooks read: a change here re-executes and re-reads every page.
CORPUS_FILES = ("articles/*.md", "annotations/*.yaml", "topics.yaml")
CORPUS_STAMP_SUFFIX = ".corpus-sha256"
STATIC = Path(__file__).parent / "static"
# Served from the site itself (see static/medialit-vendor/README.md): never from a CDN.
WIDGETS_JS = "medialit-vendor/widgets/embed.js"
MATHJAX_JS = "medialit-vendor/mathjax/tex-chtml.js"
# Each vendored bundle and the script a page loads it by: published only if some page does.
VENDORED_BUNDLES = {"medialit-vendor/widgets": WIDGETS_JS, "medialit-vendor/mathjax": MATHJAX_JS}
FOOTER = (
    "<p>medialit {version}. Code: MIT licence; course text: CC BY 4.0; the articles are quoted "
    "for criticism, review and teaching, with attribution.</p>"
)
INSTRUCTOR_BANNER = (
    "Instructor edition: answer keys, solutions and rubrics. Publish only where students cannot "
    "read it."
)


def offline_settings() -> dict[str, Any]:
    """The Sphinx settings that make myst-nb and Sphinx load the widget manager and MathJax
    from the site itself (the files are in ``static/``, which the book adds to html_static_path).

    >>> offline_settings()["mathjax_path"]
    'medialit-vendor/mathjax/tex-chtml.js'
    """
    return {"nb_ipywidgets_js": {WIDGETS_JS: {}}, "mathjax_path": MATHJAX_JS}


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)


def write_article_pages(srcdir: Path, corpus: Corpus | None = None) -> list[Path]:
    """Write one page per article and the index; remove pages of articles no longer there."""
    corpus = corpus or Corpus()
    folder = srcdir / ARTICLE_PAGES
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    items = annotation_items(srcdir)  # each page's annotate mode lists the items on it
    for article in corpus:
        path = folder / f"{article.article_id}.md"
        _write_if_changed(path, article_page(article, items))
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


def write_objectives_page(srcdir: Path) -> Path:
    """Write the guide's objectives page from the objectives file and the exercises' items."""
    path = srcdir / OBJECTIVES_FILE.with_suffix(".md")
    _write_if_changed(
        path, objectives_page(load_objectives(srcdir / OBJECTIVES_FILE), exercise_items(srcdir))
    )
    return path


def corpus_digest(sources: Path) -> str:
    """The SHA-256 of everything the notebooks read from a sources folder (names and bytes).

    >>> len(corpus_digest(Path("sources")))
    64
    """
    root = sources
    digest = hashlib.sha256()
    for pattern in CORPUS_FILES:
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def key_cache_on_corpus(cache: Path, digest: str) -> bool:
    """Clear the notebook execution cache if it was filled from another corpus; True if cleared.

    jupyter-cache keys a notebook on its own text, so without this a notebook that reads an
    article that changed (or is gone) would show its old outputs.
    """
    stamp = cache.with_name(cache.name + CORPUS_STAMP_SUFFIX)
    previous = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else None
    cleared = False
    if previous != digest:
        if cache.exists():
            shutil.rmtree(cache)
            cleared = True
        stamp.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(stamp, digest + "\n")
    return cleared


def check_references(srcdir: Path, corpus: Corpus) -> None:
    """Stop the build, listing every page that names a missing article or a changed quote."""
    problems = reference_problems(srcdir, corpus)
    if not problems:
        return
    listing = "\n".join(f"  {problem}" for problem in problems)
    message = (
        f"{len(problems)} reference(s) do not fit the corpus (an article removed or changed?):\n"
        f"{listing}\nFix each page listed (see book/instructor/swap-article.md), then build "
        "again; `python -m medialit annotations check --references` prints this list."
    )
    logger.warning(message, type="medialit", subtype="references")
    raise ExtensionError(message.splitlines()[0] + " (listed above)")


def _on_config_inited(app: Sphinx, config: Config) -> None:
    srcdir = Path(app.srcdir)
    edition = edition_from_environment()
    config.medialit_edition = edition
    corpus = Corpus()
    check_references(srcdir, corpus)
    app.medialit_corpus_digest = corpus_digest(corpus.root)
    cache = getattr(config, "nb_execution_cache_path", "") or "_build/.jupyter_cache"
    cache_path = Path(cache) if Path(cache).is_absolute() else srcdir / cache
    if key_cache_on_corpus(cache_path, app.medialit_corpus_digest):
        logger.info("medialit: the corpus changed, so every notebook runs again")
    write_article_pages(srcdir, corpus)
    write_compare_view(srcdir)
    write_exercise_pages(srcdir)  # the solutions go under book/instructor/: instructor-only
    if edition == "instructor":
        write_objectives_page(srcdir)
        write_reader_pages(srcdir)  # key text: only ever under an instructor-only folder
        # The synthetic class's report (cached in _build/class-report), at an instructor-only path.
        config.html_extra_path = [*config.html_extra_path, str(publish_class_report(srcdir))]
    config.external_toc_path = edition_toc_path(srcdir, edition, config.external_toc_path)
    if edition == "student":
        # Belt and braces: the pages are not in the student toc, and Sphinx never reads them.
        config.exclude_patterns = [
            *config.exclude_patterns,
            *(f"{folder}/**" for folder in INSTRUCTOR_FOLDERS),
        ]
    config.html_static_path = [*config.html_static_path, str(STATIC), str(ANNOTATOR_STATIC)]
    for name, value in offline_settings().items():
        setattr(config, name, value)
    # The theme reads its colour mode from html_context; left empty it logs a console error.
    config.html_context = {"default_mode": "auto", **(config.html_context or {})}
    theme_options = dict(config.html_theme_options or {})
    if edition == "instructor":
        theme_options["announcement"] = INSTRUCTOR_BANNER
    # The one setting for the release repository and the site (refuses placeholders when
    # MEDIALIT_PUBLISH=1), and the one version number, shown in every page's footer.
    config.medialit_release = load_settings(srcdir)
    config.html_baseurl = config.medialit_release.site_url  # with the GITHUB_REPOSITORY default
    theme_options["extra_footer"] = FOOTER.format(version=__version__)
    config.html_theme_options = theme_options


def _script_name(script: Any) -> str:
    return getattr(script, "filename", None) or str(script)


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove sphinx-thebe's scripts: the book has no live-code button, and the theme registers
    thebe's inline configuration twice, which is a JavaScript error on every page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        script
        for script in scripts
        if not _script_name(script).endswith("sphinx-thebe.js")
        and "THEBE_JS_URL" not in (getattr(script, "attributes", {}) or {}).get("body", "")
    ]


def label_toggles(toctree_html: str) -> str:
    """Give each icon-only disclosure toggle of the sidebar an accessible name.

    The theme draws a chapter's expand/collapse control as a ``<summary>`` holding only an
    icon, which screen readers announce with no name (axe: summary-name, serious).

    >>> labelled = label_toggles('<li><a class="reference" href="a.html">The articles</a>'
    ...     '<details><summary><span role="presentation"><i></i></span></summary></details></li>')
    >>> 'summary aria-label="Show or hide the pages under The articles"' in labelled
    True
    """
    if "<summary" not in toctree_html:
        return toctree_html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(toctree_html, "html.parser")
    for summary in soup.find_all("summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        item = summary.find_parent("li")
        link = item.find("a", class_="reference") if item else None
        title = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Show or hide the pages under {title}"
    return str(soup)


def _label_sidebar_toggles(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def generate_labelled(*args: Any, **kwargs: Any) -> Markup:
        return Markup(label_toggles(str(generate(*args, **kwargs))))

    context["generate_toctree_html"] = generate_labelled


def release_path(pagename: str) -> str | None:
    """Where a page's notebook is in the students' release repository (None: not there).

    >>> release_path("notebooks/01-who-is-speaking"), release_path("book/exercises/claims")
    ('notebooks/01-who-is-speaking.ipynb', 'exercises/claims.ipynb')
    >>> release_path("notebooks/dossier/index") is None
    True
    """
    from medialit.release.build import WALKTHROUGH

    if pagename.startswith("notebooks/") and WALKTHROUGH.match(pagename.split("/", 1)[1] + ".md"):
        return f"{pagename}.ipynb"
    if pagename.startswith("book/exercises/") and pagename.count("/") == 2:
        return f"exercises/{pagename.rsplit('/', 1)[1]}.ipynb"
    return None


def _adjust_launch_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Launch buttons open the page's notebook in the students' release repository (the one
    setting, read by medialit.release.settings), never this instructor repository; pages that
    are not in the release get none."""
    from medialit.release.readme import launch_links

    groups = context.get("header_buttons")
    if not groups:
        return
    path = release_path(pagename)
    if path is None:
        context["header_buttons"] = [g for g in groups if g.get("label") != "launch-buttons"]
        return
    links = launch_links(app.config.medialit_release, path)
    for group in groups:
        if group.get("label") != "launch-buttons":
            continue
        group["buttons"] = [
            {**button, "url": links[button.get("text")]}
            for button in group.get("buttons", [])
            if button.get("text") in links
        ]


def _drop_unused_bundles(app: Sphinx, exception: Exception | None) -> None:
    """Remove from the built site each vendored bundle that no page loads (the widget manager
    and MathJax, 3.6 MB together): a page with a widget or math gets its bundle, and a site
    without any does not carry them. Every build copies the static files again, then decides."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    pages = [
        page.read_text(encoding="utf-8", errors="replace")
        for page in out.rglob("*.html")
        if "_static" not in page.relative_to(out).parts
    ]
    for folder, script in VENDORED_BUNDLES.items():
        if not any(script in page for page in pages):
            shutil.rmtree(out / "_static" / folder, ignore_errors=True)


def _reread_when_corpus_changes(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Every page depends on the corpus: when it changes, re-read them all. Remember the pages
    that were removed, so their old HTML is deleted at the end of the build."""
    app.medialit_removed_docs = set(removed)
    digest = getattr(app, "medialit_corpus_digest", None)
    previous = getattr(env, "medialit_corpus_digest", None)
    env.medialit_corpus_digest = digest
    if previous is not None and previous != digest:
        return sorted(env.found_docs - added - changed)
    return []


def _delete_removed_pages(app: Sphinx, exception: Exception | None) -> None:
    """Delete the HTML of pages whose source is gone (e.g. the page of a removed article)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for docname in getattr(app, "medialit_removed_docs", ()):
        for stale in (
            outdir / f"{docname}.html",
            *outdir.joinpath("_sources").glob(f"{docname}.*"),
        ):
            if stale.is_file():
                stale.unlink()
                logger.info(f"medialit: removed {stale.relative_to(outdir)} (its page is gone)")


def setup(app: Sphinx) -> dict:
    """Register the page writer and edition choice (they run before the table of contents is
    read), the offline assets, and the launch-button fixes."""
    app.add_config_value("medialit_edition", "student", "env")
    app.add_config_value("medialit_release", None, "html")
    app.connect("config-inited", _on_config_inited, priority=100)
    app.connect("env-get-outdated", _reread_when_corpus_changes)
    app.connect("build-finished", _delete_removed_pages)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _adjust_launch_buttons, priority=900)
    app.connect("html-page-context", _label_sidebar_toggles, priority=900)
    app.connect("build-finished", _drop_unused_bundles)
    app.add_css_file("medialit.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
