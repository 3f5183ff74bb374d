"""Pinned requirements for the release: the package's dependencies, resolved in this venv."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def declared(pyproject: Path, extras: tuple[str, ...] = ()) -> list[str]:
    """The runtime dependencies ``pyproject.toml`` declares (and those of ``extras``)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    names = list(project.get("dependencies", []))
    for extra in extras:
        names += project.get("optional-dependencies", {}).get(extra, [])
    return names


def closure(requirements: list[str]) -> dict[str, str]:
    """Every distribution the requirements need, transitively, with the version installed
    here: ``{name: version}``. A requirement not installed here raises LookupError.

    >>> pins = closure(["PyYAML>=6"])
    >>> list(pins) == ["PyYAML"] and pins["PyYAML"].count(".") >= 1
    True
    """
    pins: dict[str, str] = {}
    seen: set[str] = set()
    todo = [(Requirement(text), ()) for text in requirements]
    while todo:
        requirement, extras = todo.pop()
        key = canonicalize_name(requirement.name)
        marker = requirement.marker
        if marker is not None and not any(
            marker.evaluate({"extra": extra}) for extra in (*extras, "")
        ):
            continue
        wanted = (key, tuple(sorted(requirement.extras)))
        if wanted in seen:
            continue
        seen.add(wanted)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            raise LookupError(
                f"{requirement.name} is needed by the release but not installed here. Fix: "
                "make venv (it installs the pinned requirements.txt)"
            ) from None
        pins[distribution.metadata["Name"]] = distribution.version
        for text in distribution.requires or []:
            todo.append((Requirement(text), tuple(requirement.extras)))
    return dict(sorted(pins.items(), key=lambda item: item[0].lower()))


def requirements_text(pins: dict[str, str], header: str) -> str:
    """A requirements file: a comment header, then one ``name==version`` a line."""
    lines = [f"# {line}" if line else "#" for line in header.strip().split("\n")]
    return "\n".join([*lines, *(f"{name}=={version}" for name, version in pins.items())]) + "\n"
