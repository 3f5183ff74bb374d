"""The widgets live in a real JupyterLab server, driven by headless Chromium."""

from __future__ import annotations

import itertools
import json
import re
import urllib.request
from pathlib import Path

import nbformat
import pytest

from medialit.corpus import default
from medialit.render.topics import load_topics
from tests.live import only_to, open_in_lab
from tests.widgets import annotator_driver as drive

pytestmark = pytest.mark.browser

CELL = """\
from medialit.widgets import annotate, compare
view = compare(topic="{topic}")
tool = annotate("{article_id}")
display(view, tool)
"""
# The corpus' first article and topic (any corpus; the comparison test is about the shipped one).
ARTICLE = default().ids()[0]
TOPIC = next(iter(load_topics(default(), strict=False)))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"
_OPENED = itertools.count(1)


def _write_notebook(folder: Path, name: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL.format(topic=TOPIC, article_id=ARTICLE))]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, folder / name)


def _open(browser, url: str, name: str, token: str):
    # A workspace of its own, reset, so that no other notebook is restored beside this one.
    workspace = name.removesuffix(".ipynb") + f"-{next(_OPENED)}"
    context, page = open_in_lab(
        browser,
        url,
        name,
        workspace=workspace,
        token=token,
        viewport={"width": 1400, "height": 1100},
    )
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
    page.wait_for_function(
        "document.querySelector('.jp-StatusBar-Widget')"
        " && document.querySelector('.jp-StatusBar-Widget').innerText"
        ".includes('Idle')",
        timeout=60_000,
    )
    return context, page


def _run_cell(page) -> None:
    page.locator(".jp-Cell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")
    try:
        page.wait_for_selector(".jp-InputPrompt:has-text('[1]:')", timeout=60_000)
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lab-failure.png"))
        raise
    page.wait_for_selector(".jp-OutputArea-output .ml-compare", timeout=90_000)
    page.wait_for_selector(".jp-OutputArea-output .mla .mla-w", timeout=90_000)


def _control(page, widget: str, label: str, kind: str = "select"):  # ipywidgets (compare)
    """The <select>/<input> of the ipywidget whose label is exactly ``label``."""
    box = page.locator(f".{widget} .widget-inline-hbox").filter(
        has=page.locator("label.widget-label", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return box.locator(kind).first


def _shown_paragraphs(page) -> list[str]:
    return page.locator(".ml-compare .ml-cmp-para").evaluate_all(
        "nodes => nodes.map(n => n.dataset.paragraphId)"
    )


def test_the_comparison_view_follows_the_controls(browser, lab, corpus, shipped):
    shipped("russia-china-resist", "united-states-rebalance", "biden-putin-meeting")
    assert TOPIC == "killer-remark"  # the shipped index's first topic
    url, root, token = lab
    _write_notebook(root, "compare-test.ipynb")
    context, page = _open(browser, url, "compare-test.ipynb", token)
    try:
        _run_cell(page)
        before = _shown_paragraphs(page)
        assert before and all(
            p.startswith(("russia-china-resist", "united-states-rebalance")) for p in before
        )
        _control(page, "ml-compare", "Topic").select_option(label="NATO expansion and Ukraine")
        page.wait_for_function(
            "() => document.querySelector('.ml-compare .ml-cmp-para')"
            ".dataset.paragraphId.startsWith('biden-putin-meeting')"
        )
        after = _shown_paragraphs(page)
        assert after != before and "biden-putin-meeting:p13" in after
        claims = page.locator(".ml-compare .widget-checkbox", has_text="Claims").locator("input")
        assert page.locator(".ml-compare .ml-cmp.ml-show-claims").count() == 0
        claims.check()
        page.wait_for_selector(".ml-compare .ml-cmp.ml-show-claims")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lab-compare.png"), full_page=False)
        assert page.outside == []
    finally:
        context.close()
        _shut_down(url, "compare-test.ipynb", token)


def _session(url: str, notebook: str, token: str) -> dict:
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}api/sessions", headers=headers)) as r:
        sessions = json.load(r)
    [session] = [s for s in sessions if s["path"].endswith(notebook)]
    return session


def _api(url: str, path: str, token: str, method: str) -> int:
    request = urllib.request.Request(
        f"{url}{path}",
        data=b"" if method == "POST" else None,
        headers={"Authorization": f"token {token}"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def _restart_kernel(url: str, notebook: str, token: str) -> None:
    kernel = _session(url, notebook, token)["kernel"]["id"]
    assert _api(url, f"api/kernels/{kernel}/restart", token, "POST") == 200


def _shut_down(url: str, notebook: str, token: str) -> None:
    """End the notebook's kernel so that the next test has the machine to itself."""
    try:
        session = _session(url, notebook, token)
    except ValueError:
        return
    _api(url, f"api/sessions/{session['id']}", token, "DELETE")


ANNOTATOR = ".jp-OutputArea-output .mla"


def _paragraphs_with_words(scope, root: str, n: int) -> list[str]:
    return scope.locator(f"{root} .mla-p").evaluate_all(
        f"ps => ps.filter(p => p.querySelectorAll('.mla-w').length > 4)"
        f".slice(0, {n}).map(p => p.dataset.pid)"
    )


def test_annotating_by_mouse_and_keyboard_survives_a_restart(browser, lab, corpus):
    """Five annotations by a real mouse drag, five by keyboard only, timed; keys typed in the
    widget never reach JupyterLab's shortcuts; the work is there after a kernel restart."""
    url, root, token = lab
    name = "annotate-test.ipynb"
    _write_notebook(root, name)
    context, page = _open(browser, url, name, token)
    try:
        _run_cell(page)
        paragraphs = _paragraphs_with_words(page, ANNOTATOR, 5)
        mouse, texts = drive.five_by_mouse(page, page, ANNOTATOR, paragraphs)
        page.locator(f"{ANNOTATOR} .mla-w").first.focus()
        keyboard = drive.five_by_keyboard(page, page, ANNOTATOR)
        # Command-mode shortcuts: "d d" deletes a cell, "a" inserts one, "m" makes markdown.
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        code_cells = page.locator(".jp-Notebook .jp-Cell.jp-CodeCell").count()
        for key in ("d", "d", "a", "m", "Escape"):
            page.keyboard.press(key)
        page.wait_for_timeout(500)
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells
        assert page.locator(".jp-Notebook .jp-Cell.jp-CodeCell").count() == code_cells
        assert "annotate(" in page.locator(".jp-Cell .jp-InputArea-editor").first.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(ANNOTATOR).screenshot(path=str(SCREENSHOTS / "lab-annotate.png"))
        (SCREENSHOTS / "lab-annotate-timing.txt").write_text(
            f"JupyterLab, five annotations: mouse {mouse:.1f} s, keyboard {keyboard:.1f} s\n",
            encoding="utf-8",
        )
        print(f"\nJupyterLab: mouse {mouse:.1f} s, keyboard {keyboard:.1f} s")
        assert page.outside == []
    finally:
        context.close()
    saved = json.loads((root / "annotate-test.answers.json").read_text(encoding="utf-8"))
    records = saved["annotations"]
    assert len(records) == 10
    body = corpus.article(ARTICLE).body
    for record, text in zip(records, texts, strict=False):
        assert record["text"] == text == body[record["start"] : record["end"]]
        assert record["labels"] == {"source_types": "official", "quote_kinds": "direct"}

    _restart_kernel(url, name, token)
    context, page = _open(browser, url, name, token)
    try:
        _run_cell(page)
        page.locator(f"{ANNOTATOR} .mla-item").nth(9).wait_for()
        assert texts[0] in page.locator(f"{ANNOTATOR} .mla-list").inner_text()
        page.locator(f"{ANNOTATOR} .mla-live").filter(
            has_text="10 annotation(s) in annotate-test.answers.json"
        ).wait_for()
    finally:
        context.close()
        _shut_down(url, name, token)


def test_the_annotator_in_notebook_7(browser, notebook7, corpus):
    url, root, token = notebook7
    name = "nb7-test.ipynb"
    _write_notebook(root, name)
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(90_000)
    outside = []
    only_to(page, url, outside)
    try:
        page.goto(f"{url}notebooks/{name}?token={token}")
        page.wait_for_selector(".jp-Cell .jp-InputArea-editor")
        accept = page.locator(".jp-Dialog button.jp-mod-accept", has_text="Select")
        try:  # Notebook 7 may ask which kernel to start
            accept.wait_for(timeout=10_000)
            accept.click()
        except Exception:
            pass
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
        for _ in range(180):  # the kernel itself says it is idle
            try:
                if _session(url, name, token)["kernel"]["execution_state"] == "idle":
                    break
            except ValueError:
                pass
            page.wait_for_timeout(500)
        page.locator(".jp-Cell .jp-InputArea-editor").first.click()
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_selector(".jp-OutputArea-output .mla .mla-w")
        except Exception:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "notebook7-failure.png"))
            raise
        paragraphs = _paragraphs_with_words(page, ANNOTATOR, 5)
        mouse, texts = drive.five_by_mouse(page, page, ANNOTATOR, paragraphs)
        page.locator(f"{ANNOTATOR} .mla-w").first.focus()
        keyboard = drive.five_by_keyboard(page, page, ANNOTATOR)
        # Notebook 7 takes shortcuts while keys are captured, before the widget sees them.
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        for key in ("d", "d", "a", "b", "m", "ArrowUp"):
            page.keyboard.press(key)
        page.locator(f"{ANNOTATOR} select[data-dim='source_types']").focus()
        page.keyboard.press("d")
        page.keyboard.press("d")
        page.wait_for_timeout(500)
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells
        assert page.locator(".jp-Notebook .jp-Cell.jp-CodeCell").count() == cells
        (SCREENSHOTS / "notebook7-annotate-timing.txt").write_text(
            f"Notebook 7, five annotations: mouse {mouse:.1f} s, keyboard {keyboard:.1f} s\n",
            encoding="utf-8",
        )
        print(f"\nNotebook 7: mouse {mouse:.1f} s, keyboard {keyboard:.1f} s")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "notebook7-annotate.png"))
        assert outside == []
    finally:
        context.close()
        _shut_down(url, name, token)
    records = json.loads((root / "nb7-test.answers.json").read_text(encoding="utf-8"))[
        "annotations"
    ]
    assert len(records) == 10
    assert [r["text"] for r in records[:5]] == texts
