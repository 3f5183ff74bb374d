"""medialit: read the news critically — corpus, codebook, widgets and grader for the course."""

from __future__ import annotations


def _version() -> str:
    """The one version number: pyproject.toml's in a checkout, the installed metadata otherwise."""
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "medialit" and project.get("version"):
            return str(project["version"])
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("medialit")
    except PackageNotFoundError:  # pragma: no cover - a copy of the source without metadata
        return "0+unknown"


__version__ = _version()
