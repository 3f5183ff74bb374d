"""The widgets live in a real JupyterLab server, driven by headless Chromium."""

from __future__ import annotations

import itertools
import json
import re
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

CELL = """\
from medialit.widgets import annotate, compare
view = compare(topic="killer-remark")
tool = annotate("russia-china-resist")
display(view, tool)
"""
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"
_OPENED = itertools.count(1)


def _write_notebook(folder: Path, name: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, folder / name)


def _open(browser, url: str, name: str, token: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(90_000)  # a kernel on a busy 2-core machine can take a while
    page.outside = []

    def only_the_server(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    # A workspace of its own, reset, so that no other notebook is restored beside this one.
    workspace = name.removesuffix(".ipynb") + f"-{next(_OPENED)}"
    page.goto(f"{url}lab/workspaces/{workspace}/tree/{name}?reset&token={token}")
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
    page.wait_for_selector(".jp-OutputArea-output .ml-annotate", timeout=90_000)


def _control(page, widget: str, label: str, kind: str = "select"):
    """The <select>/<input> of the ipywidget whose label is exactly ``label``."""
    box = page.locator(f".{widget} .widget-inline-hbox").filter(
        has=page.locator("label.widget-label", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return box.locator(kind).first


def _shown_paragraphs(page) -> list[str]:
    return page.locator(".ml-compare .ml-cmp-para").evaluate_all(
        "nodes => nodes.map(n => n.dataset.paragraphId)"
    )


def test_the_comparison_view_follows_the_controls(browser, lab, corpus):
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


def test_an_annotation_survives_a_kernel_restart_and_reopening(browser, lab, corpus):
    url, root, token = lab
    name = "annotate-test.ipynb"
    _write_notebook(root, name)
    context, page = _open(browser, url, name, token)
    try:
        _run_cell(page)
        paragraph = _control(page, "ml-annotate", "Paragraph")
        paragraph.select_option(index=10)  # p11
        words = _control(page, "ml-annotate", "Or paste the exact words", "input")
        words.fill("walk and chew gum")
        words.press("Enter")
        page.wait_for_selector(".ml-annotate :text('Selected (17 characters)')")
        _control(page, "ml-annotate", "Layer").select_option(label="Persuasion techniques")
        _control(page, "ml-annotate", "Label").select_option(
            label="Slogans (Persuasion techniques)"
        )
        page.get_by_role("button", name="Add annotation").click()
        page.wait_for_selector(".ml-annotate :text('✔ Saved')")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".ml-annotate").screenshot(path=str(SCREENSHOTS / "lab-annotate.png"))
        assert page.outside == []
    finally:
        context.close()
    saved = json.loads((root / "annotate-test.answers.json").read_text(encoding="utf-8"))
    [record] = saved["annotations"]
    assert record["paragraph_id"] == "russia-china-resist:p11"
    assert record["text"] == "walk and chew gum" and record["label"] == "slogans"

    _restart_kernel(url, name, token)
    context, page = _open(browser, url, name, token)
    try:
        _run_cell(page)
        listed = page.locator(".ml-annotate select[multiple], .ml-annotate .widget-select select")
        assert "walk and chew gum" in listed.first.inner_text().replace("\xa0", " ")
        assert (
            "1 annotation(s) in annotate-test.answers.json"
            in page.locator(".ml-annotate").inner_text()
        )
    finally:
        context.close()
        _shut_down(url, name, token)
