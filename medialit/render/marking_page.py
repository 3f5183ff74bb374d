"""The hand-grading page: one self-contained HTML file (its ES module and CSS inline, no CDN).

The page's data (answers, rubrics, marks) travels as JSON in a ``<script type="application/
json">`` block; the module reads it with ``JSON.parse`` and puts every student's text in the
page with ``textContent``, never as markup.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).parent / "assets"


@cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """JSON that cannot end or confuse the ``<script>`` element holding it: ``<``, ``>``,
    ``&`` and the two JavaScript line separators are written as escapes.

    >>> script_json({"text": "</script><!--"})
    '{"text": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def marking_page(data: dict[str, Any], title: str = "Hand grading") -> str:
    """The page's HTML for :func:`medialit.grade.marking.marking_data`'s data.

    >>> page = marking_page({"key": "k", "items": {}, "entries": [
    ...     {"student": "<b>x</b>", "text": "<script>alert(1)</script>"}]})
    >>> "<script>alert" in page, "<b>x</b>" in page
    (False, False)
    """
    heading = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{heading}</title>
<style>{_asset("marking.css")}</style>
</head>
<body>
<div class="hg" data-hand-grading>
<header class="hg-top">
<h1>{heading}</h1>
<p class="hg-progress" role="status" aria-live="polite"></p>
<progress class="hg-bar" max="1" value="0" aria-label="Answers marked"></progress>
</header>
<noscript><p>This page needs JavaScript to mark answers.</p></noscript>
<main class="hg-main" aria-label="Marking"></main>
<script type="application/json" id="hg-data">{script_json(data)}</script>
<script type="module">{_asset("marking.js")}</script>
</div>
</body>
</html>
"""
