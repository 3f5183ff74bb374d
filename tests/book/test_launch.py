"""Launch buttons open the students' release repository (the one setting in _config.yml), never
this instructor repository: JupyterHub through nbgitpuller, Binder and Colab, on the .ipynb."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from medialit import __version__
from medialit.release.settings import load_settings
from medialit.render.sitecheck import references

ROOT = Path(__file__).resolve().parents[2]


def _launch_links(page: Path) -> dict[str, str]:
    links = [url for url in references(page).links if url.startswith("https://")]
    settings = load_settings(ROOT, {})
    found = {}
    for name, prefix in (
        ("hub", settings.hub_url),
        ("binder", settings.binder_url),
        ("colab", settings.colab_url),
    ):
        matching = [url for url in links if prefix and url.startswith(prefix)]
        if matching:
            found[name] = matching[0]
    return found


def test_a_notebook_page_opens_its_release_notebook_on_the_hub_binder_and_colab(
    student_site: Path,
):
    settings = load_settings(ROOT, {})
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert settings.repository_url == config["repository"]["url"].rstrip("/")
    owner_repo, branch = settings.owner_repo, settings.branch
    links = _launch_links(student_site / "notebooks" / "01-who-is-speaking.html")
    assert set(links) == {"hub", "binder", "colab"}, links
    hub = urlsplit(links["hub"])
    assert hub.path == "/hub/user-redirect/git-pull"  # nbgitpuller's entry point
    query = parse_qs(hub.query)
    assert query["repo"] == [settings.repository_url] and query["branch"] == [branch]
    repo_name = owner_repo.split("/")[1]
    assert query["urlpath"] == [f"lab/tree/{repo_name}/notebooks/01-who-is-speaking.ipynb"]
    assert links["binder"] == (
        f"https://mybinder.org/v2/gh/{owner_repo}/{branch}"
        "?urlpath=lab/tree/notebooks/01-who-is-speaking.ipynb"
    )
    assert links["colab"] == (
        "https://colab.research.google.com/github/"
        f"{owner_repo}/blob/{branch}/notebooks/01-who-is-speaking.ipynb"
    )


def test_no_page_launches_the_instructor_repository(student_site: Path):
    for page in student_site.rglob("*.html"):
        for url in _launch_links(page).values():
            assert "/medialit/" not in url.split("?")[0] + "/", (page, url)
            assert ".md" not in url, (page, url)


def test_exercise_pages_open_the_release_exercise_set(student_site: Path):
    links = _launch_links(student_site / "book" / "exercises" / "sourcing.html")
    assert set(links) == {"hub", "binder", "colab"}
    assert all(
        "exercises/sourcing.ipynb" in url or "exercises%2Fsourcing" in url for url in links.values()
    ), links


def test_pages_not_in_the_release_have_no_launch_buttons(student_site: Path):
    assert _launch_links(student_site / "book" / "intro.html") == {}
    assert _launch_links(student_site / "notebooks" / "dossier" / "index.html") == {}


def test_every_page_shows_the_version(student_site: Path):
    page = (student_site / "book" / "intro.html").read_text(encoding="utf-8")
    assert f"medialit {__version__}" in page and "CC BY 4.0" in page
