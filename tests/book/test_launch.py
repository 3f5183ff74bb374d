"""Launch buttons: JupyterHub through nbgitpuller, Binder and Colab, configured in one place."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from medialit.render.sitecheck import references

ROOT = Path(__file__).resolve().parents[2]


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def _launch_links(page: Path) -> dict[str, str]:
    links = [url for url in references(page).links if url.startswith("https://")]
    config = _config()["launch_buttons"]
    found = {}
    for name, key in (
        ("hub", "jupyterhub_url"),
        ("binder", "binderhub_url"),
        ("colab", "colab_url"),
    ):
        matching = [url for url in links if url.startswith(config[key].rstrip("/"))]
        if matching:
            found[name] = matching[0]
    return found


def test_a_notebook_page_opens_on_the_hub_binder_and_colab(student_site: Path):
    config = _config()
    repository, branch = config["repository"]["url"], config["repository"]["branch"]
    links = _launch_links(student_site / "notebooks" / "01-who-is-speaking.html")
    assert set(links) == {"hub", "binder", "colab"}, links
    hub = urlsplit(links["hub"])
    assert hub.path == "/hub/user-redirect/git-pull"  # nbgitpuller's entry point
    query = parse_qs(hub.query)
    assert query["repo"] == [repository] and query["branch"] == [branch]
    repo_name = repository.rstrip("/").rsplit("/", 1)[1]
    assert query["urlpath"] == [f"lab/tree/{repo_name}/notebooks/01-who-is-speaking.md"]
    owner_repo = repository.split("github.com/")[1]
    assert links["binder"] == (
        f"https://mybinder.org/v2/gh/{owner_repo}/{branch}"
        "?urlpath=lab/tree/notebooks/01-who-is-speaking.md"
    )
    assert links["colab"] == (
        "https://colab.research.google.com/github/"
        f"{owner_repo}/blob/notebooks/notebooks/01-who-is-speaking.ipynb"
    )


def test_generated_exercise_pages_have_no_launch_buttons_but_a_download(student_site: Path):
    page = student_site / "book" / "exercises" / "sourcing.html"
    assert _launch_links(page) == {}
    assert any(url.endswith("sourcing.ipynb") for url in references(page).links)
    assert (student_site / "_sources" / "book" / "exercises" / "sourcing.ipynb").is_file()


def test_pages_that_are_not_notebooks_have_no_launch_buttons(student_site: Path):
    assert _launch_links(student_site / "book" / "intro.html") == {}
