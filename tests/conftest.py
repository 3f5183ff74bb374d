"""Shared browser fixtures: both editions built once, served on 127.0.0.1, one headless Chromium.

Every request that leaves the local server is blocked and recorded, so a page that would need the
internet fails its test instead of quietly loading from a CDN.

Nothing a browser check sees depends on timing (a flickering suite blocks good work):

- each edition is served from a copy taken under the build lock, so a build started by another
  test worker never rewrites a page or a style sheet while it is being read (a rebuild writes
  Sphinx's own pygments.css first and the theme's light/dark one last: in between, code tokens
  fail axe's contrast check);
- every page opens in a fixed colour scheme (``light`` or ``dark``, told to the theme through
  its stored mode before any script runs) with reduced motion, and is checked only once the
  theme has applied the scheme, the fonts are loaded and no finite animation is running.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from medialit.render.build import copy_of_edition
from medialit.render.sitecheck import CHROMIUM as CHROMIUM_PATH
from medialit.render.sitecheck import CHROMIUM_FLAGS
from tests.live import only_to

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(CHROMIUM_PATH)
SCREENSHOTS = ROOT / "_build" / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@dataclass
class Site:
    """A built edition served over HTTP."""

    edition: str
    folder: Path
    base_url: str

    def pages(self) -> list[str]:
        """Every page of the site, as paths relative to its root."""
        return [
            page.relative_to(self.folder).as_posix()
            for page in sorted(self.folder.rglob("*.html"))
            if "_static" not in page.relative_to(self.folder).parts
        ]


@dataclass
class Visit:
    """What happened while one page loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Iterator[dict[str, Site]]:
    """Both editions, each served from a copy of its build (see the module docstring)."""
    served = {}
    servers = []
    copies = tmp_path_factory.mktemp("sites")
    for edition in ("student", "instructor"):
        folder = copy_of_edition(ROOT, edition, copies / edition).html
        server, base_url = _serve(folder)
        servers.append(server)
        served[edition] = Site(edition, folder, base_url)
    yield served
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def serve():
    """Serve any folder as a Site (for planted pages); stops the servers afterwards."""
    servers = []

    def start(folder: Path, edition: str = "planted") -> Site:
        server, base_url = _serve(folder)
        servers.append(server)
        return Site(edition, folder, base_url)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Chromium through Playwright's sync API, one per test module: only one sync Playwright
    can run in a thread at a time, and other test folders start their own."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing. Fix: run `make browser` (installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


SCHEMES = ("light", "dark")
# The theme (pydata-sphinx-theme) reads the reader's choice from localStorage in an inline script
# at the top of <head>; set before any page script runs, it fixes data-theme from the first paint.
FIX_SCHEME = """(scheme) => {
    try { localStorage.setItem("mode", scheme); localStorage.setItem("theme", scheme); }
    catch (error) {}
}"""
# True once the page shows the scheme asked for (pages without the theme have no data-theme)
# and its fonts are loaded.
SETTLED = """(scheme) => {
    const theme = document.documentElement.dataset.theme;
    return (theme === undefined || theme === scheme) && document.fonts.status === "loaded";
}"""
# Wait for every finite CSS animation or transition to end (reduced motion removes most).
ANIMATIONS_DONE = """async () => {
    await document.fonts.ready;
    const finite = document.getAnimations().filter(
        (animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((animation) => animation.finished.catch(() => null)));
    return true;
}"""


def context_options(scheme: str = "light", width: int = 1280, height: int = 900) -> dict:
    """The Playwright browser-context settings of every check: one colour scheme, no motion."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown colour scheme {scheme!r}; use one of {SCHEMES}")
    return {
        "viewport": {"width": width, "height": height},
        "color_scheme": scheme,
        "reduced_motion": "reduce",
    }


def fix_scheme_script(scheme: str) -> str:
    """The init script (runs before the page's own scripts) that picks the theme's mode."""
    return f"({FIX_SCHEME})({scheme!r});"


BLOCKING_IMPACTS = {"serious", "critical"}
# preload off: axe re-fetches style sheets for one rule (css-orientation-lock) and resolves their
# @import URLs against the page instead of the sheet, which 404s on every page of the theme.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
PARALLEL_PAGES = 2  # the machine has 2 cores


async def _audit_pages(site: Site, paths: list[str], axe_paths: set[str], scheme: str) -> list[str]:
    """Load each page (2 at a time) in colour ``scheme`` with only the site reachable, run axe
    on those in ``axe_paths`` once the page has settled, and list every problem found."""
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright

    axe = Axe()
    problems: list[str] = []
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        context = await chromium.new_context(**context_options(scheme))
        await context.add_init_script(fix_scheme_script(scheme))
        limit = asyncio.Semaphore(PARALLEL_PAGES)

        async def audit(path: str) -> None:
            async with limit:
                page = await context.new_page()
                found: list[str] = []

                async def route(route) -> None:
                    if route.request.url.startswith(site.base_url):
                        await route.continue_()
                    else:
                        found.append(f"request leaves the site: {route.request.url}")
                        await route.abort()

                await page.route("**/*", route)
                page.on(
                    "console",
                    lambda message: (
                        message.type == "error"
                        and found.append(f"console error: {message.text} ({message.location})")
                    ),
                )
                page.on("pageerror", lambda error: found.append(f"uncaught error: {error}"))
                page.on(
                    "response",
                    lambda response: (
                        response.status >= 400
                        and found.append(f"HTTP {response.status} {response.url}")
                    ),
                )
                await page.goto(site.base_url + path, wait_until="load")
                text = (site.folder / path).read_text(encoding="utf-8").lower()
                if 'http-equiv="refresh"' in text:  # the root index.html redirects
                    await page.wait_for_url(lambda url: url != site.base_url + path)
                    await page.wait_for_load_state("load")
                await page.wait_for_function(SETTLED, arg=scheme)
                await page.evaluate(ANIMATIONS_DONE)
                results = await axe.run(page, options=AXE_OPTIONS) if path in axe_paths else None
                for violation in results.response["violations"] if results else []:
                    if violation.get("impact") in BLOCKING_IMPACTS:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        found.append(
                            f"axe {violation['impact']} {violation['id']}: "
                            f"{violation['help']} at {targets}"
                        )
                await page.close()
                where = path if scheme == "light" else f"{path} [{scheme}]"
                problems.extend(f"{where}: {problem}" for problem in found)

        await asyncio.gather(*(audit(path) for path in paths))
        await context.close()
        await chromium.close()
    return sorted(problems)


@pytest.fixture(scope="session")
def audit_site():
    """Audit pages of a site in a thread of its own (the async API beside the sync one)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing. Fix: run `make browser` (installs Debian's chromium).")

    def run(
        site: Site, paths: list[str], axe_paths: set[str] | None = None, scheme: str = "light"
    ) -> list[str]:
        """Problems found on ``paths`` of ``site`` shown in ``scheme`` (problems in the dark
        scheme name it: ``page.html [dark]: ...``); axe runs on ``axe_paths`` (default: all)."""
        axe_paths = set(paths) if axe_paths is None else axe_paths
        context_options(scheme)  # an unknown scheme fails here, not in the browser's thread
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            audit = _audit_pages(site, paths, axe_paths, scheme)
            return pool.submit(asyncio.run, audit).result(timeout=600)

    return run


@pytest.fixture
def open_page(browser):
    """Open a page of a site in a new tab that allows only the site's server; (page, visit).

    The page shows colour ``scheme`` at ``width`` CSS pixels and has settled (theme applied,
    fonts loaded, animations over) when it is returned."""
    contexts = {}

    def opener(
        site: Site, path: str, *, wait: str = "load", scheme: str = "light", width: int = 1280
    ):
        key = (site.edition, scheme, width)
        if key not in contexts:
            contexts[key] = browser.new_context(**context_options(scheme, width))
            contexts[key].add_init_script(fix_scheme_script(scheme))
        page = contexts[key].new_page()
        visit = Visit(site.base_url + path)
        only_to(page, site.base_url, visit.outside_requests)
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and visit.console_errors.append(f"{message.text} ({message.location})")
            ),
        )
        page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and visit.failed_responses.append(f"{response.status} {response.url}")
            ),
        )
        page.goto(visit.url, wait_until=wait)
        page.wait_for_function(SETTLED, arg=scheme)
        page.evaluate(ANIMATIONS_DONE)
        return page, visit

    yield opener
    for context in contexts.values():
        context.close()


# Tests about the shipped articles' text take the `shipped` fixture; tests about behaviour run
# on whatever corpus is there, so adding or removing an article keeps the suite meaningful.
@pytest.fixture
def shipped():
    """``shipped("article-id", ...)`` returns the corpus for a test about shipped articles.

    If an instructor removed one of them, the test is skipped with a reason naming it (the
    checks on every remaining article still run); on the shipped corpus nothing is skipped.
    """
    from medialit import corpus

    def require(*article_ids: str):
        loaded = corpus.default()
        missing = [article_id for article_id in article_ids if article_id not in loaded.ids()]
        if missing:
            pytest.skip(
                f"about the shipped article(s) {', '.join(missing)}, removed from this corpus"
            )
        return loaded

    return require
