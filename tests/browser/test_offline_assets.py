"""The vendored widget manager and MathJax draw widgets and math with no request leaving the site.

The course's pages may or may not hold widgets or math at any moment, so this builds a two-page
book of its own with the same offline settings the course's extension applies, and opens it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from medialit.render import sphinx_ext

pytestmark = pytest.mark.browser

NOTEBOOK = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# Widgets

```{code-cell} ipython3
import ipywidgets as widgets
widgets.HBox([widgets.HTML("<b>left</b>"), widgets.IntSlider(value=3, description="Value"),
              widgets.Button(description="Go", icon="check")])
```
"""


# The tiny book uses the theme without the course's extension, which removes these two errors
# from the course's pages (sphinx_ext._drop_thebe and the default colour mode); every other
# console error fails the test.
THEME_ERRORS_THE_EXTENSION_FIXES = (
    "Identifier 'THEBE_JS_URL' has already been declared",
    "Got invalid theme mode",
)


def _errors(visit) -> list[str]:
    return [
        error
        for error in visit.console_errors
        if not any(known in error for known in THEME_ERRORS_THE_EXTENSION_FIXES)
    ]


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny-book")
    (root / "index.md").write_text("# Math\n\nThe F1 score is $F_1 = 2PR/(P+R)$.\n")
    (root / "widgets.md").write_text(NOTEBOOK)
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: widgets\n")
    settings = "\n".join(
        f"    {key}: {value!r}" for key, value in sphinx_ext.offline_settings().items()
    )
    (root / "_config.yml").write_text(
        "title: Tiny\nexecute:\n  execute_notebooks: force\nsphinx:\n  config:\n"
        f"{settings}\n    html_static_path: [{str(sphinx_ext.STATIC)!r}]\n"
    )
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", ".", "-W", "-n"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root / "_build" / "html"


def test_widgets_and_math_render_from_the_site_alone(tiny_book, serve, open_page):
    site = serve(tiny_book)
    page, visit = open_page(site, "widgets.html")
    page.wait_for_selector(".widget-slider", timeout=20_000)
    assert page.locator("button.jupyter-button").inner_text().strip() == "Go"
    assert page.locator(".widget-html-content").inner_text().strip() == "left"
    page.wait_for_load_state("networkidle")
    assert visit.outside_requests == [] and visit.failed_responses == []
    assert _errors(visit) == []
    html = (tiny_book / "widgets.html").read_text(encoding="utf-8")
    assert f"_static/{sphinx_ext.WIDGETS_JS}" in html

    page, visit = open_page(site, "index.html")
    page.wait_for_selector("mjx-container", timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert visit.outside_requests == [] and visit.failed_responses == []
    assert _errors(visit) == []
    assert f"_static/{sphinx_ext.MATHJAX_JS}" in (tiny_book / "index.html").read_text()
