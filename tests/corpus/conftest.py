"""Fixtures for the corpus tests: the repository's raw captures and throw-away sources folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
RAW = REPOSITORY / "sources" / "raw"


@pytest.fixture
def raw_capture():
    """Read one of the repository's raw captures by its three-digit prefix."""

    def read(prefix: str) -> str:
        found = list(RAW.glob(f"{prefix}_*.txt"))
        if not found:  # a seed's capture removed with its article: its rule tests go with it
            pytest.skip(f"the shipped capture {prefix}_*.txt was removed from sources/raw")
        return found[0].read_text(encoding="utf-8")

    return read


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A copy of the repository's sources folder (articles and raw captures) to change freely."""
    target = tmp_path / "sources"
    shutil.copytree(REPOSITORY / "sources" / "articles", target / "articles")
    shutil.copytree(RAW, target / "raw")
    return target
