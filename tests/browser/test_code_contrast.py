"""Every colour the site's highlighting style gives code meets WCAG AA, in light and dark mode.

The check plants a page beside a copy of the built site: a built page of graded exercises with,
at the top of its article, one more code cell holding a token of every class that the site's
pygments.css colours, once on a plain line and once on a highlighted line. axe's colour-contrast
rule then runs on it in each scheme. The same page fails with the style sheet Sphinx wrote for
jupyter-book's default style ("sphinx") before the theme replaced it at the end of a build: a
page read in between, while another test worker rebuilt the site, made the suite flicker.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser
CODE_PAGE = "book/exercises/claims.html"
PLANTED = "book/exercises/every-token.html"
SCHEMES = ("light", "dark")
TOKEN_RULE = re.compile(r'html\[data-theme="(?:light|dark)"\] \.highlight \.([\w-]+) \{[^}]*color:')
ARTICLE = '<article class="bd-article">'


def token_classes(pygments_css: str) -> list[str]:
    """The token classes the site's highlighting style gives a colour, in either scheme."""
    return sorted(set(TOKEN_RULE.findall(pygments_css)) - {"hll"})


def _cell(classes: list[str]) -> str:
    plain = " ".join(f'<span class="{name}" id="tok-{name}">{name}_x</span>' for name in classes)
    marked = " ".join(f'<span class="{name}" id="hll-{name}">{name}_y</span>' for name in classes)
    return (
        '<div class="cell docutils container">'
        '<div class="cell_input docutils container"><div class="highlight-python notranslate">'
        f'<div class="highlight"><pre><span></span>{plain}\n<span class="hll">{marked}\n'
        "</span></pre></div></div></div></div>"
    )


def _planted_site(site_folder: Path, target: Path, pygments_css: str | None = None) -> list[str]:
    """Copy the site to ``target`` with the planted page (and, if given, another
    pygments.css); return the token classes on the page."""
    shutil.copytree(site_folder, target, symlinks=True)
    css = target / "_static" / "pygments.css"
    classes = token_classes(css.read_text(encoding="utf-8"))
    if pygments_css is not None:
        css.write_text(pygments_css, encoding="utf-8")
    page = (target / CODE_PAGE).read_text(encoding="utf-8")
    assert page.count(ARTICLE) == 1, f"{CODE_PAGE} has no {ARTICLE} to plant the tokens in"
    planted = page.replace(ARTICLE, ARTICLE + _cell(classes))
    (target / PLANTED).write_text(planted, encoding="utf-8")
    return classes


def _low_contrast_ids(open_page, site, scheme: str) -> list[str]:
    page, visit = open_page(site, PLANTED, scheme=scheme)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    results = Axe().run(page, options={"runOnly": ["color-contrast"], "preload": False})
    assert visit.console_errors == [] and visit.failed_responses == [], visit
    return sorted(
        node["target"][0]
        for violation in results.response["violations"]
        for node in violation["nodes"]
    )


def test_the_site_styles_code_for_both_schemes(sites):
    css = (sites["student"].folder / "_static" / "pygments.css").read_text(encoding="utf-8")
    for scheme in SCHEMES:
        assert f'html[data-theme="{scheme}"] .highlight .nn' in css, scheme
    assert {"nn", "c1", "kn", "s2"} <= set(token_classes(css))


def test_every_code_token_meets_wcag_aa_in_light_and_dark(sites, tmp_path, serve, open_page):
    classes = _planted_site(sites["student"].folder, tmp_path / "site")
    site = serve(tmp_path / "site")
    page, _ = open_page(site, PLANTED)
    assert page.locator(".highlight pre [id^=tok-]").count() == len(classes) > 30
    for scheme in SCHEMES:
        assert _low_contrast_ids(open_page, site, scheme) == [], scheme


def test_the_check_catches_the_sphinx_style_a_half_built_site_served(
    sites, tmp_path, serve, open_page
):
    from sphinx.highlighting import PygmentsBridge

    sphinx_css = PygmentsBridge("html", "sphinx").get_stylesheet()
    _planted_site(sites["student"].folder, tmp_path / "site", pygments_css=sphinx_css)
    failing = _low_contrast_ids(open_page, serve(tmp_path / "site"), "light")
    assert {"#tok-nn", "#tok-c1"} <= set(failing), failing
