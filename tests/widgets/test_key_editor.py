"""The annotator's instructor mode, driven through its methods and traits (no browser): a draft
key opened, entries accepted, edited, deleted and added, saved in place; `check` afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from medialit.annotations.__main__ import main as annotations_main
from medialit.annotations.key import load_key
from medialit.corpus import Corpus
from medialit.widgets.key_editor import edit_key
from medialit.widgets.key_editor.document import KeyDocument, KeyEditError
from tests.widgets.conftest import copy_with_draft


@pytest.fixture
def draft(tmp_path) -> tuple[Corpus, str, Path]:
    """A copy of the corpus (any corpus) with a fresh draft key for its last article."""
    return copy_with_draft(tmp_path)


def _first(editor, layer: str) -> str:
    return next(e["id"] for e in editor.document.entries if e["layer"] == layer and "todo" in e)


def _blocks(text: str) -> dict[str, str]:
    """Each entry's lines by id (comments between entries left out)."""
    found, current = {}, None
    for line in text.splitlines(keepends=True):
        if line.startswith("- id: "):
            current = line.split()[2]
            found[current] = ""
        elif not line.startswith("  "):
            current = None
        if current:
            found[current] += line
    return found


def test_the_editor_opens_the_first_todo_and_shows_the_finders_suggestions(draft):
    corpus, article_id, path = draft
    editor = edit_key(article_id, corpus=corpus).editor
    first = editor.panel.entry
    assert first["todo"] and first["id"] == editor.next_todo()
    assert editor.panel.summary["todo"] == len(load_key(path, corpus).unfinished) > 0
    sourcing = editor.open(_first(editor, "sourcing"))
    fields = {row["name"]: row for row in sourcing["fields"]}
    assert set(fields) >= {"source", "cue", "source_type", "quote_kind"}
    raw = editor.document.entry(sourcing["id"])
    assert fields["source_type"]["value"] == raw["source_type"]
    assert "official" in [option["id"] for option in fields["source_type"]["options"]]
    assert sourcing["confidence"] and float(sourcing["confidence"]) <= 1
    # The annotator above lists every entry, each with an Edit button.
    assert len(editor.annotator.annotations) == len(editor.document.entries)
    assert editor.annotator.item_actions == ["Edit"]
    editor.annotator.action("Edit", sourcing["id"])
    assert editor.panel.entry["id"] == sourcing["id"]


def test_accept_edit_and_delete_rewrite_only_their_entries_and_keep_comments(draft):
    corpus, article_id, path = draft
    sourcing_id = next(e["id"] for e in KeyDocument(path, corpus).entries if "cue" in e)
    text = path.read_text(encoding="utf-8")
    block = _blocks(text)[sourcing_id]
    marked = block.replace("\n  source_type:", "\n  # checked twice\n  source_type:").replace(
        "\n  quote_kind:", "  # the type is odd\n  quote_kind:"
    )
    path.write_text(text.replace(block, marked), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    editor = edit_key(article_id, corpus=corpus).editor
    framing_id = _first(editor, "framing")
    claim_id = _first(editor, "claims")

    assert editor.save(
        framing_id,
        {"frame": "political", "frame_mode": "thematic", "rationale": "A test: rationale."},
        decided=True,
    ), editor.panel.message
    assert editor.save(sourcing_id, {"source_type": "vague", "rationale": "Vague."})
    assert editor.delete(claim_id)

    after = path.read_text(encoding="utf-8")
    old, new = _blocks(before), _blocks(after)
    untouched = set(old) - {framing_id, sourcing_id, claim_id}
    assert [i for i in untouched if new[i] != old[i]] == []
    assert claim_id not in new and "todo" not in new[framing_id]
    # The comments inside an edited entry are kept (on lines of their own, above it).
    assert "# the type is odd" in after and "# checked twice" in after
    assert all(line in after for line in before.splitlines() if line.startswith("#"))
    key = load_key(path, corpus)
    assert key.entry(framing_id).frame == "political"
    saved = yaml.safe_load(after)
    [source] = [e for e in saved["entries"] if e["id"] == sourcing_id]
    assert source["source_type"] == "vague" and source["todo"]  # saved, still to decide


def test_a_change_the_schema_refuses_is_not_saved_and_says_why(draft):
    corpus, article_id, path = draft
    editor = edit_key(article_id, corpus=corpus).editor
    before = path.read_bytes()
    sourcing_id = next(
        e["id"] for e in editor.document.entries if e["layer"] == "sourcing" and "source" in e
    )
    assert not editor.accept(sourcing_id)  # the rationale is still TODO
    assert "write the rationale" in editor.panel.message["text"]
    assert not editor.save(
        sourcing_id, {"source": "", "source_type": "official", "rationale": "Named."}, decided=True
    )
    assert "needs `source`" in editor.panel.message["text"]
    assert not editor.save(sourcing_id, {"frame": "political"})
    assert not editor.set_status("pilot")  # todos are left
    assert "still has `todo`" in editor.panel.message["text"]
    assert path.read_bytes() == before


def test_a_key_changed_on_disk_since_it_was_opened_is_not_overwritten(draft):
    corpus, article_id, path = draft
    editor = edit_key(article_id, corpus=corpus).editor
    path.write_text(path.read_text(encoding="utf-8") + "# edited elsewhere\n", encoding="utf-8")
    edited = path.read_bytes()
    assert not editor.save(_first(editor, "framing"), {"rationale": "Mine."})
    assert "changed on disk" in editor.panel.message["text"]
    assert path.read_bytes() == edited


def test_words_selected_in_the_text_become_a_new_entry_with_a_todo(draft):
    corpus, article_id, path = draft
    editor = edit_key(article_id, corpus=corpus).editor
    paragraph = next(p for p in corpus.article(article_id).paragraphs if p.kind != "heading")
    words = paragraph.text.split()
    end = paragraph.start + len(" ".join(words[:3]))
    saved = editor.annotator.add(
        paragraph.paragraph_id,
        "persuasion",
        {"techniques": "loaded_language"},
        offsets=(paragraph.start, end),
    )
    assert saved is not None, editor.annotator.message
    entry = editor.document.entry(saved["annotation_id"])
    assert entry["span"] == " ".join(words[:3]) and entry["technique"] == "loaded_language"
    assert entry["todo"] and editor.panel.entry["id"] == saved["annotation_id"]
    placed = load_key(path, corpus).unfinished
    assert any(a.id == saved["annotation_id"] and a.start == paragraph.start for a in placed)
    assert editor.annotator.delete(saved["annotation_id"])
    assert saved["annotation_id"] not in path.read_text(encoding="utf-8")


def test_check_afterwards_lists_what_remains(draft, capsys):
    corpus, article_id, _ = draft
    sources = ["--sources", str(corpus.root)]
    assert annotations_main([*sources, "check"]) == 1
    before = capsys.readouterr().err.count("  TODO ")
    editor = edit_key(article_id, corpus=corpus).editor
    framing_id = _first(editor, "framing")
    editor.save(
        framing_id,
        {"frame": "political", "frame_mode": "episodic", "rationale": "Test."},
        decided=True,
    )
    assert annotations_main([*sources, "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("  TODO ") == before - 1 and f"TODO {framing_id} " not in err
    assert "status: draft" in err
    left = editor.panel.summary["remaining"]
    assert any(line.startswith("status: draft") for line in left)
    assert not any(framing_id in line for line in left)


def test_a_key_written_inline_is_refused_rather_than_rewritten(draft):
    corpus, _, path = draft
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data, default_flow_style=True), encoding="utf-8")
    with pytest.raises(Exception, match="block"):
        KeyDocument(path, corpus)
    with pytest.raises(KeyEditError):
        raise KeyEditError("x")
