"""The third-party browser files served with the book are the ones recorded, with their licences."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from medialit.render import sphinx_ext

VENDOR = sphinx_ext.STATIC / "medialit-vendor"


def test_every_vendored_file_matches_the_manifest():
    manifest = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    recorded = {}
    for package in manifest["packages"]:
        assert (VENDOR / package["licence_file"]).is_file(), package["name"]
        assert package["integrity"].startswith("sha512-")
        recorded.update(package["files"])
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, (
            f"{name} differs from manifest.json: update it only as medialit-vendor/README.md says"
        )
    present = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.rglob("*")
        if path.is_file()
        and path.parts[-2] != "licenses"
        and path.name not in {"README.md", "manifest.json"}
    }
    assert present == set(recorded), "every vendored file is in the manifest, and only those"


def test_the_extension_points_at_vendored_files():
    for relative in (sphinx_ext.WIDGETS_JS, sphinx_ext.MATHJAX_JS):
        assert (sphinx_ext.STATIC / relative).is_file(), relative
    assert (
        VENDOR / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff"
    ).is_file()


def test_the_fontawesome_stub_overrides_the_theme_script():
    stub = sphinx_ext.STATIC / "scripts" / "fontawesome.js"
    assert stub.stat().st_size < 1000
    assert Path(stub).read_text(encoding="utf-8").lstrip().startswith("/*")


def _loads(site: Path, script: str) -> bool:
    return any(
        script in page.read_text(encoding="utf-8", errors="replace")
        for page in site.rglob("*.html")
        if "_static" not in page.relative_to(site).parts
    )


def test_a_built_site_publishes_a_vendored_bundle_only_if_a_page_loads_it(
    student_site, instructor_site
):
    for built in (student_site, instructor_site):
        for folder, script in sphinx_ext.VENDORED_BUNDLES.items():
            published = (built / "_static" / folder).is_dir()
            assert published == _loads(built, script), (built, folder)
