"""The key editor (the annotator's instructor mode) in a live JupyterLab, by keyboard: accept a
drafted entry, add one from words chosen in the text, shortcuts never fire, axe is clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from tests.live import serious_axe_violations
from tests.widgets import annotator_driver as drive
from tests.widgets.conftest import copy_with_draft
from tests.widgets.test_lab import SCREENSHOTS, _open, _shut_down

pytestmark = pytest.mark.browser

OUT = ".jp-OutputArea-output"
PANEL = f"{OUT} .mlk"
TEXT = f"{OUT} .mla"


def _notebook(folder: Path, name: str) -> tuple[str, Path]:
    """A copy of the corpus beside the notebook with a draft key for its last article."""
    _, article_id, path = copy_with_draft(folder)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from medialit.corpus import Corpus\n"
            "from medialit.widgets.key_editor import edit_key\n"
            f'edit_key("{article_id}", corpus=Corpus("sources"))'
        )
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / name)
    return article_id, path


def _entries(path: Path) -> dict[str, dict]:
    return {e["id"]: e for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]}


def test_the_key_editor_by_keyboard_in_jupyterlab(browser, lab):
    url, root, token = lab
    name = "key-editor-test.ipynb"
    _, path = _notebook(root, name)
    first = next(i for i, e in _entries(path).items() if "todo" in e and e["layer"] == "framing")
    context, page = _open(browser, url, name, token)
    try:
        page.locator(".jp-Cell .jp-InputArea-editor").first.click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(f"{PANEL} textarea[data-field='rationale']", timeout=90_000)
        page.wait_for_selector(f"{TEXT} .mla-w", timeout=90_000)
        heading = page.locator(f"{PANEL} .mlk-form h5")
        assert heading.inner_text().startswith(f"{first} · framing")

        # Shortcuts: keys typed in the panel never reach JupyterLab's command mode.
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        page.locator(f"{PANEL} select[data-field='frame']").focus()
        for key in ("Escape", "d", "d", "a", "m"):
            page.keyboard.press(key)
        page.wait_for_timeout(300)
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells

        # Accept the drafted entry by keyboard: type the rationale, choose, Enter on Accept.
        page.locator(f"{PANEL} select[data-field='frame']").select_option("political")
        page.locator(f"{PANEL} select[data-field='frame_mode']").select_option("thematic")
        page.locator(f"{PANEL} textarea[data-field='rationale']").focus()
        page.keyboard.type("Relations between governments.")
        page.locator(f"{PANEL} .mlk-accept").focus()
        page.keyboard.press("Enter")
        page.locator(f"{PANEL} .mlk-live").filter(has_text=f"Saved: {first} accepted").wait_for()
        saved = _entries(path)[first]
        assert "todo" not in saved and saved["frame"] == "political"
        assert saved["rationale"] == "Relations between governments."
        assert not heading.inner_text().startswith(first)  # on to the next todo

        # Add an entry from words chosen by keyboard in the text above.
        drive.choose_labels(page, TEXT, "persuasion", {"techniques": "loaded_language"})
        page.locator(f"{TEXT} .mla-w").first.focus()
        page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "s => document.querySelector(s).innerText.startsWith('tech-p')",
            arg=f"{PANEL} .mlk-form h5",
        )
        added = [e for i, e in _entries(path).items() if i.startswith("tech-p")]
        assert len(added) == 1 and added[0]["technique"] == "loaded_language" and added[0]["todo"]

        blocking = serious_axe_violations(page, OUT)
        assert blocking == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(PANEL).screenshot(path=str(SCREENSHOTS / "lab-key-editor.png"))
        assert page.outside == []
    finally:
        context.close()
        _shut_down(url, name, token)
