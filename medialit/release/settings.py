"""Where the student release lives: the one setting (``_config.yml``) and what follows from it.

The release repository (``repository.url`` and ``repository.branch``), the published site
(``html.baseurl``) and the launch services (``launch_buttons``) are read from ``_config.yml``,
the file Jupyter Book reads too, so the book's launch buttons, the notebooks' install cell and
the publish workflow agree. Where a value is still a placeholder and ``$GITHUB_REPOSITORY``
(``owner/name``, set in GitHub Actions) is set, the release repository defaults to
``github.com/owner/name-student`` and the site to ``owner.github.io/name``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from medialit.yamlfile import read_yaml

CONFIG_FILE = "_config.yml"
# Values the repository ships with, which must be replaced before anything is published.
PLACEHOLDERS = ("YOUR-ORG", "example.org", "example.com")
RELEASE_SUFFIX = "-student"
PUBLISH_ENV = "MEDIALIT_PUBLISH"
GITHUB = re.compile(r"^https://github\.com/(?P<owner>[^/\s]+)/(?P<name>[^/\s]+?)(?:\.git)?/?$")


class SettingsError(ValueError):
    """The publishing settings are missing or placeholders; the message names the fix."""


@dataclass(frozen=True)
class ReleaseSettings:
    """Where students get the course: the release repository, the site, the launch services."""

    repository_url: str  # https://github.com/<owner>/<name>: the students' repository
    branch: str
    site_url: str  # the published student edition, ending with "/"
    hub_url: str  # a JupyterHub with nbgitpuller, or "" for none
    binder_url: str
    colab_url: str

    @property
    def owner_repo(self) -> str:
        """``owner/name`` of the release repository.

        >>> example_settings().owner_repo
        'course-org/medialit-student'
        """
        match = GITHUB.match(self.repository_url)
        if not match:
            raise SettingsError(
                f"{CONFIG_FILE}: repository.url {self.repository_url!r} is not a GitHub "
                "repository address. Fix: write https://github.com/<owner>/<name>"
            )
        return f"{match['owner']}/{match['name']}"

    def wheel_url(self, version: str) -> str:
        """Where the install cell downloads the package: the wheel inside the release repository.

        >>> example_settings().wheel_url("1.2.0")
        'https://raw.githubusercontent.com/course-org/medialit-student/main/dist/medialit-1.2.0-py3-none-any.whl'
        """
        return (
            f"https://raw.githubusercontent.com/{self.owner_repo}/{self.branch}/dist/"
            f"{wheel_name(version)}"
        )

    def page_url(self, page: str) -> str:
        """The published page of a source file (``notebooks/dossier/index`` -> ``.html``).

        >>> example_settings().page_url("book/articles/index")
        'https://course-org.github.io/medialit/book/articles/index.html'
        """
        return f"{self.site_url}{page}.html"

    def placeholders(self) -> list[str]:
        """The settings that still hold a placeholder, as 'name: value'."""
        found = []
        for name, value in (
            ("repository.url", self.repository_url),
            ("html.baseurl", self.site_url),
            ("launch_buttons.jupyterhub_url", self.hub_url),
        ):
            if any(mark in value for mark in PLACEHOLDERS):
                found.append(f"{name}: {value}")
        return found

    def check_publishable(self) -> None:
        """Refuse placeholders: a published course must not send students to YOUR-ORG."""
        found = self.placeholders()
        if found:
            raise SettingsError(
                f"{CONFIG_FILE} still holds placeholder(s): {'; '.join(found)}. Fix: set "
                "repository.url to the students' release repository (its own repository, not "
                "a branch of this one), html.baseurl to the published site, and "
                'launch_buttons.jupyterhub_url to your hub (or "" for no hub button); see '
                "book/instructor/publishing.md"
            )


def wheel_name(version: str) -> str:
    """The file name of the package for a version.

    >>> wheel_name("0.1.0")
    'medialit-0.1.0-py3-none-any.whl'
    """
    return f"medialit-{version}-py3-none-any.whl"


def example_settings() -> ReleaseSettings:
    """Settings for examples and tests: a course published by ``course-org``."""
    return ReleaseSettings(
        "https://github.com/course-org/medialit-student",
        "main",
        "https://course-org.github.io/medialit/",
        "",
        "https://mybinder.org",
        "https://colab.research.google.com",
    )


def _placeholder(value: str) -> bool:
    return not value or any(mark in value for mark in PLACEHOLDERS)


def from_config(config: Mapping, environ: Mapping[str, str] | None = None) -> ReleaseSettings:
    """The settings of a parsed ``_config.yml``, with the ``$GITHUB_REPOSITORY`` defaults.

    >>> config = {"repository": {"url": "https://github.com/YOUR-ORG/medialit-student"}}
    >>> from_config(config, {"GITHUB_REPOSITORY": "uni-x/media"}).repository_url
    'https://github.com/uni-x/media-student'
    >>> from_config(config, {"GITHUB_REPOSITORY": "uni-x/media"}).site_url
    'https://uni-x.github.io/media/'
    """
    environ = os.environ if environ is None else environ
    repository = config.get("repository") or {}
    launch = config.get("launch_buttons") or {}
    html = config.get("html") or {}
    url = str(repository.get("url") or "").rstrip("/")
    site = str(html.get("baseurl") or "")
    github = str(environ.get("GITHUB_REPOSITORY") or "")
    if "/" in github:
        owner, name = github.split("/", 1)
        if _placeholder(url):
            url = f"https://github.com/{owner}/{name}{RELEASE_SUFFIX}"
        if _placeholder(site):
            site = f"https://{owner.lower()}.github.io/{name}/"
    if site and not site.endswith("/"):
        site += "/"
    hub = launch.get("jupyterhub_url")
    return ReleaseSettings(
        repository_url=url,
        branch=str(repository.get("branch") or "main"),
        site_url=site,
        hub_url=str(hub or "").rstrip("/"),
        binder_url=str(launch.get("binderhub_url") or "https://mybinder.org").rstrip("/"),
        colab_url=str(launch.get("colab_url") or "https://colab.research.google.com").rstrip("/"),
    )


def load_settings(
    root: str | os.PathLike[str] = ".",
    environ: Mapping[str, str] | None = None,
    *,
    publishing: bool | None = None,
) -> ReleaseSettings:
    """Read ``<root>/_config.yml``; for publishing (or with ``$MEDIALIT_PUBLISH=1``) refuse
    placeholders with a message that says what to set."""
    environ = os.environ if environ is None else environ
    path = Path(root) / CONFIG_FILE
    missing = "not found. Fix: run from the course repository's root folder"
    config = read_yaml(path, SettingsError, missing=missing) or {}
    settings = from_config(config, environ)
    if publishing is None:
        publishing = environ.get(PUBLISH_ENV, "") not in ("", "0")
    if publishing:
        settings.check_publishable()
    return settings
