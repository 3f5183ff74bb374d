"""The instructor edition's class report is made once per version of its inputs, then reused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from medialit.render import class_report
from medialit.render.class_report import (
    KEY_INPUTS,
    SITE_PATH,
    cached_class_report,
    publish_class_report,
    report_key,
)
from medialit.report import synthetic

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of what the report reads from the book: the exercises and the articles' keys."""
    for name in KEY_INPUTS:
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def made(monkeypatch) -> list[dict]:
    """Stand in for the 20-second class: record each call and write a page naming its seed."""
    calls: list[dict] = []

    def fake(root, work, *, seed, students, loops, workers=None):
        calls.append({"seed": seed, "students": students, "loops": loops})
        report = Path(work) / "report.html"
        report.write_text(f"<p>seed {seed}, {students} students</p>", encoding="utf-8")
        return synthetic.SyntheticClass(work, work, work, report, {})

    monkeypatch.setattr(synthetic, "synthetic_class_report", fake)
    return calls


def test_the_key_follows_contents_and_settings_not_modification_times(root):
    key = report_key(root)
    assert report_key(root) == key
    exercise = root / "exercises" / "claims.md"
    os.utime(exercise, (1, 1))
    assert report_key(root) == key, "a touched file with the same content keeps the cache"
    exercise.write_text(exercise.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = report_key(root)
    assert changed != key
    assert report_key(root, seed=8) != changed and report_key(root, students=41) != changed
    annotations = sorted((root / "sources" / "annotations").iterdir())[0]
    annotations.write_bytes(annotations.read_bytes() + b"\n")
    assert report_key(root) != changed


def test_the_report_is_made_once_and_reused_until_an_input_changes(root, made, tmp_path):
    cache = tmp_path / "cache"
    first = cached_class_report(root, cache, seed=3, students=5)
    assert first.read_text(encoding="utf-8") == "<p>seed 3, 5 students</p>"
    assert cached_class_report(root, cache, seed=3, students=5) == first
    assert len(made) == 1, "a warm rebuild makes nothing"
    second = cached_class_report(root, cache, seed=4, students=5)
    assert len(made) == 2 and second != first
    assert sorted(cache.glob("*.html")) == [second], "the stale report is removed"


def test_the_report_is_published_at_an_instructor_only_path(root, made, tmp_path):
    site = publish_class_report(root, tmp_path / "cache")
    page = site / SITE_PATH
    assert SITE_PATH.startswith("book/instructor/")
    assert page.read_text(encoding="utf-8") == (
        f"<p>seed {class_report.SEED}, {class_report.STUDENTS} students</p>"
    )
    assert [p for p in site.rglob("*") if p.is_file()] == [page]
    publish_class_report(root, tmp_path / "cache")
    assert len(made) == 1
