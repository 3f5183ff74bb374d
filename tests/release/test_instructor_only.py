"""The annotator's instructor mode (the key editor) and draft keys never reach students: the
wheel and the release tree hold no file of it and no word of it; a draft key listed for the
student edition stops the release."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from medialit.annotations.draft import write_draft
from medialit.corpus import Corpus
from medialit.release.build import Released
from medialit.release.wheel import ReleaseError, stage_data
from medialit.render.topics import TOPICS_FILE

ROOT = Path(__file__).resolve().parents[2]
EDITOR = ROOT / "medialit" / "widgets" / "key_editor"
WORDS = ("key_editor", "edit_key", "KeyEditor", "EntryPanel", "mlk-")
TEXT = (".py", ".js", ".css", ".ipynb", ".md", ".yaml", ".txt", ".json", ".cfg", ".toml")


def _hits(files: dict[str, str]) -> list[str]:
    return [f"{name}: {word}" for name, text in files.items() for word in WORDS if word in text]


def test_the_instructor_checkout_has_the_key_editor():  # the positive control
    texts = {
        str(path): path.read_text(encoding="utf-8") for path in EDITOR.rglob("*") if path.is_file()
    }
    assert (EDITOR / "frontend" / "key_editor.js").is_file()
    assert (EDITOR / ".instructor-only").is_file()  # what medialit.release.wheel leaves out
    assert {hit.split(": ")[1] for hit in _hits(texts)} == set(WORDS)


def test_the_wheel_has_no_key_editor(release: Released):
    with zipfile.ZipFile(release.wheel) as archive:
        names = archive.namelist()
        texts = {
            name: archive.read(name).decode("utf-8", errors="replace")
            for name in names
            if name.endswith(TEXT)
        }
    assert any(name.endswith("widgets/frontend/annotator.js") for name in names)
    assert [name for name in names if "key_editor" in name] == []
    assert _hits(texts) == []


def test_the_release_tree_has_no_key_editor(release: Released):
    texts = {
        str(path.relative_to(release.student)): path.read_text(encoding="utf-8", errors="replace")
        for path in release.student.rglob("*")
        if path.is_file() and path.name.endswith(TEXT)
    }
    assert texts and _hits(texts) == []


def test_a_draft_key_listed_for_students_stops_the_release(tmp_path):
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "sources", root / "sources", ignore=shutil.ignore_patterns("raw"))
    corpus = Corpus(root / "sources")
    article_id = corpus.ids()[0]
    write_draft(corpus, article_id, force=True)
    topics = root / "sources" / TOPICS_FILE
    index = yaml.safe_load(topics.read_text(encoding="utf-8"))
    index["student_edition_keys"] = [article_id]
    topics.write_text(yaml.safe_dump(index, sort_keys=False), encoding="utf-8")
    with pytest.raises(ReleaseError, match=f"{article_id}.*is a draft"):
        stage_data(root, tmp_path / "staged")
