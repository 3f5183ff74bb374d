"""Fixtures for the book tests: both editions, built once per session (or reused when fresh)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medialit.render.build import build_edition

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def student_site() -> Path:
    return build_edition(ROOT, "student").html


@pytest.fixture(scope="session")
def instructor_site() -> Path:
    return build_edition(ROOT, "instructor").html
