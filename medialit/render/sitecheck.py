"""Read a built site: its text files, the URLs each page loads or links to, and its ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

# Debian's Chromium and the flags that work on a closed network (COURSE.md §7): the tests and the
# benchmarks open the built site with these.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEXT_SUFFIXES = {".html", ".js", ".css", ".txt", ".md", ".ipynb", ".json", ".xml", ".svg", ".inv"}
# (tag, attribute) pairs whose URL the browser fetches by itself when the page loads.
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("track", "src"),
}
LOADED_LINK_RELS = {
    "stylesheet",
    "preload",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def text_files(site: Path) -> Iterator[Path]:
    """Every file of the site a reader's browser could show as text."""
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path


class References(HTMLParser):
    """Collects the ids of a page and the URLs it links to or loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name, value in values.items():
            if (tag, name) in LOADED:
                self.loaded.append(value)
        if tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            (self.loaded if rels & LOADED_LINK_RELS else self.links).append(values["href"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if "style" in values:
            self.loaded.extend(match[0] or match[1] for match in CSS_URL.findall(values["style"]))


def references(page: Path) -> References:
    """The ids, links and loaded URLs of one HTML page.

    >>> import tempfile, pathlib
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "p.html"
    >>> _ = page.write_text('<p id="a"><a href="b.html#c">x</a><script src="s.js"></script>')
    >>> found = references(page)
    >>> sorted(found.ids), found.links, found.loaded
    (['a'], ['b.html#c'], ['s.js'])
    """
    parser = References()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def is_external(url: str) -> bool:
    """Whether a URL leaves the site (any scheme with a host, or protocol-relative).

    >>> is_external("https://cdn.example/x.js"), is_external("//cdn.example/x.js")
    (True, True)
    >>> is_external("../_static/x.js"), is_external("#p07")
    (False, False)
    """
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url.strip(), re.IGNORECASE))
