"""The edition rules: which pages each edition holds, from one table of contents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from medialit.render.editions import (
    EditionError,
    edition_from_environment,
    edition_toc_path,
    is_instructor_only,
    student_toc,
)

TOC = {
    "format": "jb-book",
    "root": "book/intro",
    "parts": [
        {
            "caption": "Read",
            "chapters": [
                {"file": "book/articles/index", "sections": [{"glob": "book/articles/*-*"}]},
                {
                    "file": "book/exercises/framing",
                    "sections": [{"file": "book/instructor/solutions/framing"}],
                },
            ],
        },
        {
            "caption": "Teach",
            "chapters": [
                {
                    "file": "book/instructor/index",
                    "sections": [{"file": "book/instructor/syllabus"}],
                },
            ],
        },
    ],
}


def _files(toc: dict) -> list[str]:
    found = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            found.append(entry.get("file") or entry.get("glob"))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return [path for path in found if path]


def test_student_toc_drops_instructor_pages_at_any_depth_and_empty_parts():
    files = _files(student_toc(TOC))
    assert files == [
        "book/intro",
        "book/articles/index",
        "book/articles/*-*",
        "book/exercises/framing",
    ]
    assert [part["caption"] for part in student_toc(TOC)["parts"]] == ["Read"]
    assert "sections" not in student_toc(TOC)["parts"][0]["chapters"][1]


def test_student_toc_leaves_the_input_unchanged():
    before = yaml.safe_dump(TOC)
    student_toc(TOC)
    assert yaml.safe_dump(TOC) == before


def test_instructor_only_is_by_folder_not_by_prefix():
    assert is_instructor_only("book/instructor/rubric")
    assert is_instructor_only("/book/instructor/keys/*")
    assert not is_instructor_only("book/instructors-note")
    assert not is_instructor_only("book/intro")


def test_an_instructor_only_root_is_refused():
    with pytest.raises(EditionError, match=r"root page book/instructor/index is instructor-only"):
        student_toc({**TOC, "root": "book/instructor/index"})


def test_an_entry_that_is_not_a_mapping_is_named():
    broken = {"format": "jb-book", "root": "book/intro", "chapters": ["book/oops"]}
    with pytest.raises(EditionError, match=r"_toc\.yml: chapters, entry 1 is not a mapping"):
        student_toc(broken)


def test_unknown_edition_names_the_fix():
    with pytest.raises(EditionError, match="set it to student or instructor"):
        edition_from_environment({"MEDIALIT_EDITION": "staff"})
    assert edition_from_environment({"MEDIALIT_EDITION": " "}) == "student"


def test_edition_toc_files(tmp_path: Path):
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(TOC), encoding="utf-8")
    assert edition_toc_path(tmp_path, "instructor") == "_toc.yml"
    written = Path(edition_toc_path(tmp_path, "student"))
    assert written == (tmp_path / "_build" / "toc" / "student.yml").resolve()
    assert "book/instructor" not in written.read_text(encoding="utf-8")
    stamp = written.stat().st_mtime_ns
    edition_toc_path(tmp_path, "student")
    assert written.stat().st_mtime_ns == stamp, "an unchanged toc must not be rewritten"


def test_the_books_toc_lists_the_guide_and_the_student_toc_does_not(root: Path):
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    assert "book/instructor/index" in _files(toc)
    assert not [path for path in _files(student_toc(toc)) if "instructor" in path]
