"""The answers file: saved at once, survives a crash between write and rename, loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medialit.grade.answers import read_annotations
from medialit.widgets.store import AnswersFile, AnswersFileError, answers_path_for

RECORD = {
    "paragraph_id": "russia-china-resist:p11",
    "start": 2584,
    "end": 2601,
    "text": "walk and chew gum",
    "layer": "persuasion",
    "label": "slogans",
}


def test_every_change_is_on_disk_at_once_and_a_new_object_sees_it(store):
    first = store.add(RECORD)
    second = store.add({**RECORD, "label": "loaded_language"})
    assert [r["annotation_id"] for r in AnswersFile(store.path).annotations()] == ["a001", "a002"]
    store.update(first["annotation_id"], {"label": "repetition"})
    assert AnswersFile(store.path).annotations()[0]["label"] == "repetition"
    store.delete(second["annotation_id"])
    saved = json.loads(store.path.read_text(encoding="utf-8"))
    assert saved == {"schema": 1, "annotations": [{**first, "label": "repetition"}]}


def test_the_grader_reads_what_the_widget_saves(store):
    store.add(RECORD)
    read = read_annotations(store.path)
    assert read.problems == [] and read.items[0]["label"] == "slogans"
    assert read.items[0]["start"] == RECORD["start"]


def test_the_answers_file_sits_beside_the_notebook():
    assert answers_path_for("/course/ex/sourcing-2.ipynb") == Path(
        "/course/ex/sourcing-2.answers.json"
    )


def test_other_fields_of_the_file_are_kept(store):
    store.path.write_text(json.dumps({"schema": 1, "annotations": [], "note": "x"}), "utf-8")
    store.add(RECORD)
    assert json.loads(store.path.read_text(encoding="utf-8"))["note"] == "x"


def _crash_during_save(path: Path, when: str) -> subprocess.CompletedProcess:
    """Run a child that saves one more annotation and is killed (SIGKILL) at ``when``."""
    script = textwrap.dedent(f"""
        import os, signal, json
        from medialit.widgets.store import AnswersFile
        real_fdopen = os.fdopen
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        if {when!r} == "before-rename":
            os.replace = die            # written and flushed to disk, never renamed
        else:
            class Half:
                def __init__(self, handle, mode): self.stream = real_fdopen(handle, mode)
                def __enter__(self): return self
                def __exit__(self, *exc): return False
                def write(self, data):
                    self.stream.write(data[: len(data) // 2]); self.stream.flush(); die()
            os.fdopen = Half            # cut off half-way through writing the temporary file
        AnswersFile({str(path)!r}).add({json.dumps({**RECORD, "label": "doubt"})})
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)


def test_a_crash_between_write_and_rename_loses_nothing(store):
    store.add(RECORD)
    before = store.path.read_bytes()
    child = _crash_during_save(store.path, "before-rename")
    assert child.returncode == -9, child.stderr.decode()
    assert store.path.read_bytes() == before  # the old file was never touched
    assert list(store.path.parent.glob(".exercise.answers.json.*.tmp"))  # the finished write
    reopened = AnswersFile(store.path)
    labels = [r["label"] for r in reopened.annotations()]
    assert labels == ["slogans", "doubt"]  # ... is recovered when the notebook is reopened
    assert "recovered" in " ".join(reopened.notices)
    assert json.loads(store.path.read_text(encoding="utf-8"))["annotations"][1]["label"] == "doubt"


def test_a_crash_while_writing_keeps_the_old_file(store):
    store.add(RECORD)
    before = store.path.read_bytes()
    child = _crash_during_save(store.path, "while-writing")
    assert child.returncode == -9, child.stderr.decode()
    assert store.path.read_bytes() == before
    reopened = AnswersFile(store.path)
    assert [r["label"] for r in reopened.annotations()] == ["slogans"]
    assert reopened.notices == []
    reopened.add({**RECORD, "label": "doubt"})  # and work goes on
    assert len(AnswersFile(store.path).annotations()) == 2


@pytest.mark.parametrize(
    "content",
    [b'{"schema": 1, "annotations": [', b"\xff\xfe not text", b"[1, 2]", b'{"schema": 7}'],
    ids=["cut-off JSON", "not UTF-8", "not an object", "unknown schema"],
)
def test_a_corrupt_file_is_moved_aside_never_deleted(store, content):
    store.path.write_bytes(content)
    assert store.annotations() == []
    kept = list(store.path.parent.glob("exercise.answers.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == content  # byte for byte
    assert kept[0].name in " ".join(store.notices) and "fresh file" in " ".join(store.notices)
    assert json.loads(store.path.read_text(encoding="utf-8")) == {"schema": 1, "annotations": []}
    store.add(RECORD)
    assert len(AnswersFile(store.path).annotations()) == 1


def test_damaged_entries_are_set_aside_and_good_ones_kept(store):
    good = {**RECORD, "annotation_id": "a001"}
    payload = {"schema": 1, "annotations": [good, {"annotation_id": "a002", "start": "x"}]}
    store.path.write_text(json.dumps(payload), encoding="utf-8")
    assert store.annotations() == [good]
    kept = list(store.path.parent.glob("exercise.answers.unreadable-*.json"))
    assert json.loads(kept[0].read_text(encoding="utf-8")) == payload
    assert "annotation(s) 2" in store.notices[0]


def test_two_corrupt_files_in_the_same_second_are_both_kept(store):
    for content in (b"{broken", b"{broken again"):
        store.path.write_bytes(content)
        AnswersFile(store.path).annotations()
    kept = sorted(p.read_bytes() for p in store.path.parent.glob("*.unreadable-*.json"))
    assert kept == [b"{broken", b"{broken again"]


def test_a_file_that_cannot_be_moved_aside_is_not_overwritten(store, monkeypatch):
    store.path.write_bytes(b"{broken")

    def refuse(source, target):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(AnswersFileError, match="could not be moved aside"):
        store.add(RECORD)
    assert store.path.read_bytes() == b"{broken"


def test_bad_records_are_refused_before_saving(store):
    with pytest.raises(ValueError, match="offsets"):
        store.add({**RECORD, "start": 10, "end": 5})
    assert not store.path.exists() or store.annotations() == []
    with pytest.raises(KeyError, match="no annotation 'a009'"):
        store.delete("a009")
