"""In a live JupyterLab 4: a release notebook opens as a notebook with its explanations folded
and its plotting code hidden, and with the project's Jupyter config (`make lab`) a MyST
walk-through opens as a notebook, not as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medialit.release.build import Released
from tests.live import PROJECT_CONFIG, jupyter_server, open_in_lab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "medialit-release-test"


@pytest.fixture(scope="module")
def lab(release: Released, tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab on 127.0.0.1 with the project's config (jupyter-config/, as `make lab` sets
    it) serving a folder with the release and the MyST walk-throughs."""
    base = tmp_path_factory.mktemp("release-lab")
    root = base / "root"
    shutil.copytree(release.student, root / "release")
    shutil.copytree(ROOT / "notebooks", root / "myst")
    with jupyter_server("jupyter-lab", base, root, TOKEN, config_path=PROJECT_CONFIG) as url:
        yield url


def _open(browser, url: str, path: str, workspace: str):
    return open_in_lab(
        browser,
        url,
        path,
        workspace=workspace,
        token=TOKEN,
        viewport={"width": 1300, "height": 1000},
    )


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
