"""Benchmark the book: cold and warm builds of each edition, page weights, and site sizes.

Run with ``.venv/bin/python benchmarks/build_book.py`` (about 2-4 minutes on 2 cores). Each edition
is built cold in its own fresh copy of the repository's tracked files (no Sphinx environment, no
notebook cache), then rebuilt with nothing changed, then rebuilt after one page is edited. Page
weight is measured in headless Chromium with an empty cache: every file a page loads (HTML, CSS,
JavaScript, fonts, images), summed raw and gzip-compressed (as GitHub Pages serves them).

Targets on this machine: cold student build < 180 s, warm rebuild < 20 s, no page over 2 MB.
Figures are printed and written to ``_build/benchmarks/book.json``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from medialit.render.build import build_edition, html_folder
from medialit.render.sitecheck import CHROMIUM, CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parents[1]

MB = 1_000_000
TARGETS = {"cold_student_s": 180, "warm_s": 20, "page_bytes": 2 * MB}
EDITED_PAGE = Path("book") / "intro.md"


def fresh_copy(destination: Path) -> Path:
    """Copy the files git tracks (what a fresh clone has) into ``destination``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def time_builds(edition: str, workdir: Path) -> dict[str, float]:
    """Cold build, warm rebuild with no change, warm rebuild after editing one page (seconds)."""
    copy = fresh_copy(workdir / edition)
    cold = build_edition(copy, edition, reuse=False)
    warm = build_edition(copy, edition, reuse=False)
    page = copy / EDITED_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = build_edition(copy, edition, reuse=False)
    return {
        "cold_s": round(cold.seconds, 1),
        "warm_s": round(warm.seconds, 1),
        "warm_after_edit_s": round(edited.seconds, 1),
    }


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def _record(
    site: Path, base: str, loaded: set[Path], outside: list[str], route, request=None
) -> None:
    """Route handler: note the file each local request reads; block and note any other."""
    url = route.request.url
    if not url.startswith(base):
        outside.append(url)
        route.abort()
        return
    file = site / unquote(urlsplit(url).path.lstrip("/"))
    loaded.add(file / "index.html" if file.is_dir() else file)
    route.continue_()


@functools.cache
def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def page_weights(site: Path) -> list[dict]:
    """For every page: the files it loads with an empty cache, their raw and gzip bytes."""
    from playwright.sync_api import sync_playwright

    server, base = _serve(site)
    pages = [
        page.relative_to(site).as_posix()
        for page in sorted(site.rglob("*.html"))
        if "_static" not in page.relative_to(site).parts
    ]
    weights = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for path in pages:
                context = browser.new_context()
                page = context.new_page()
                loaded: set[Path] = set()
                outside: list[str] = []

                page.route("**/*", functools.partial(_record, site, base, loaded, outside))
                page.goto(base + path, wait_until="networkidle")
                context.close()
                files = sorted(file for file in loaded if file.is_file())
                weights.append(
                    {
                        "page": path,
                        "files": len(files),
                        "raw_bytes": sum(file.stat().st_size for file in files),
                        "gzip_bytes": sum(_gzip_size(file) for file in files),
                        "largest_file": max(files, key=lambda file: file.stat().st_size)
                        .relative_to(site)
                        .as_posix()
                        if files
                        else None,
                        "outside_requests": outside,
                    }
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return weights


def site_size(site: Path) -> dict[str, int]:
    files = [path for path in site.rglob("*") if path.is_file()]
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-builds",
        action="store_true",
        help="measure page weights and sizes of the existing builds only",
    )
    args = parser.parse_args(argv)
    results: dict = {"machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()}}
    if not args.skip_builds:
        with tempfile.TemporaryDirectory(prefix="medialit-bench-") as workdir:
            for edition in ("student", "instructor"):
                results[f"build_{edition}"] = time_builds(edition, Path(workdir))
                print(f"{edition:10} build: {results[f'build_{edition}']}", flush=True)
    for edition in ("student", "instructor"):
        site = (
            build_edition(ROOT, edition).html
            if not args.skip_builds
            else html_folder(ROOT, edition)
        )
        weights = page_weights(site)
        heaviest = max(weights, key=lambda weight: weight["raw_bytes"])
        results[f"pages_{edition}"] = weights
        results[f"site_{edition}"] = site_size(site)
        print(
            f"{edition:10} site: {results[f'site_{edition}']['files']} files, "
            f"{results[f'site_{edition}']['bytes'] / MB:.1f} MB; {len(weights)} pages; "
            f"heaviest {heaviest['page']}: {heaviest['raw_bytes'] / MB:.2f} MB raw, "
            f"{heaviest['gzip_bytes'] / MB:.2f} MB gzip ({heaviest['files']} files)"
        )
        for weight in weights:
            print(
                f"    {weight['raw_bytes'] / MB:5.2f} MB raw  {weight['gzip_bytes'] / MB:5.2f} MB "
                f"gzip  {weight['files']:3} files  {weight['page']}"
            )
            if weight["outside_requests"]:
                print(f"      requests leaving the site: {weight['outside_requests']}")
    verdicts = []
    if "build_student" in results:
        verdicts.append(
            (
                "cold student build",
                results["build_student"]["cold_s"],
                TARGETS["cold_student_s"],
                "s",
            )
        )
        for edition in ("student", "instructor"):
            verdicts.append(
                (
                    f"warm {edition} rebuild",
                    results[f"build_{edition}"]["warm_s"],
                    TARGETS["warm_s"],
                    "s",
                )
            )
    for edition in ("student", "instructor"):
        heaviest = max(weight["raw_bytes"] for weight in results[f"pages_{edition}"])
        verdicts.append(
            (
                f"heaviest {edition} page (raw)",
                round(heaviest / MB, 2),
                TARGETS["page_bytes"] / MB,
                "MB",
            )
        )
    print("\ntarget checks:")
    for name, value, target, unit in verdicts:
        print(
            f"  {'PASS' if value < target else 'OVER'}  {name}: {value} {unit} "
            f"(target < {target} {unit})"
        )
    out = ROOT / "_build" / "benchmarks" / "book.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
