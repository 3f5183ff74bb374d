"""`annotations draft`: a valid draft key with every stub, written once, and `check` lists todos."""

from __future__ import annotations

import shutil

import pytest
import yaml

from medialit.annotations.__main__ import main
from medialit.annotations.draft import claim_suggestion, draft_key, write_draft
from medialit.annotations.key import load_key
from medialit.annotations.schema import KeyFile
from medialit.corpus import Corpus, default

NEW = "harbour-town-votes"


@pytest.fixture
def new_site(new_site_corpus, tmp_path):
    target = tmp_path / "sources"
    shutil.copytree(new_site_corpus.root, target)
    return target


def test_draft_writes_a_loadable_key_with_every_stub(new_site, capsys):
    assert main(["--sources", str(new_site), "draft", NEW]) == 0
    assert "entries to finish" in capsys.readouterr().out
    path = new_site / "annotations" / f"{NEW}.yaml"
    corpus = Corpus(new_site)
    key = load_key(path, corpus)
    article = corpus.article(NEW)
    assert key.status == "draft" and key.annotations == ()
    stubs = {(a.layer, a.paragraph_id) for a in key.unfinished}
    assert all(("framing", p.paragraph_id) in stubs for p in article.paragraphs)
    claims = [a for a in key.unfinished if a.layer == "claims" and a.marker is None]
    assert [a.text for a in claims] == [s.text for s in article.sentences]
    sourcing = [a for a in key.unfinished if a.layer == "sourcing"]
    assert {a.source_type for a in sourcing} >= {"official", "anonymous_specific", "poll_data"}
    markers = {(a.text, a.marker) for a in key.unfinished if a.marker}
    assert ("likely", "hedge") in markers
    assert all(a.todo for a in key.unfinished)


def test_draft_never_replaces_a_key_without_force(new_site, capsys):
    path = new_site / "annotations" / f"{NEW}.yaml"
    path.write_text("# my work\n", encoding="utf-8")
    assert main(["--sources", str(new_site), "draft", NEW]) == 1
    assert "--force" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "# my work\n"
    assert main(["--sources", str(new_site), "draft", NEW, "--force"]) == 0
    assert "status: draft" in path.read_text(encoding="utf-8")


def test_check_lists_what_remains_in_a_draft(new_site, capsys):
    main(["--sources", str(new_site), "draft", NEW])
    capsys.readouterr()
    assert main(["--sources", str(new_site), "check"]) == 1
    captured = capsys.readouterr()
    assert f"{NEW}.yaml" in captured.out and "draft:" in captured.out
    assert "TODO frame-p01" in captured.err and "choose frame and frame_mode" in captured.err


def test_a_key_with_todo_entries_must_stay_a_draft(new_site_corpus):
    data = yaml.safe_load(draft_key(new_site_corpus.article(NEW)))
    data["status"] = "pilot"
    with pytest.raises(ValueError, match="still has `todo`"):
        KeyFile.model_validate(data)


def test_an_unknown_article_is_refused(new_site, capsys):
    assert main(["--sources", str(new_site), "draft", "no-such-article"]) == 2
    assert "harbour-town-votes" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Seven councillors voted for the motion and two against.", "verifiable_fact"),
        ("The motion will be reviewed at the council's April meeting.", "verifiable_fact"),
        ("The ferry will run again.", "prediction"),
        ("The council should keep the ferry.", "prescription"),
        ("That settled it for most of us.", None),
    ],
)
def test_check_worthy_cues(sentence, kind):
    assert claim_suggestion(sentence)[0] == kind


def test_a_finished_entry_without_todo_still_gets_every_rule(new_site_corpus):
    data = yaml.safe_load(draft_key(new_site_corpus.article(NEW)))
    frame = data["entries"][0]
    del frame["todo"]
    with pytest.raises(ValueError, match="needs frame, frame_mode"):
        KeyFile.model_validate(data)


def test_check_lists_placeholder_rationales_and_unnamed_annotators(new_site, capsys):
    """An entry whose todo was removed but whose rationale is still TODO is not finished."""
    main(["--sources", str(new_site), "draft", NEW])
    path = new_site / "annotations" / f"{NEW}.yaml"
    text = path.read_text(encoding="utf-8")
    first_todo = "  todo: choose frame and frame_mode for the paragraph, and write the rationale\n"
    path.write_text(text.replace(first_todo, "  frame: political\n  frame_mode: episodic\n", 1))
    capsys.readouterr()
    assert main(["--sources", str(new_site), "check"]) == 1
    err = capsys.readouterr().err
    assert "TODO frame-p01" in err and "write the rationale (it is still TODO)" in err
    assert "annotators: name who annotated the key" in err and "status: draft" in err


def test_every_article_of_the_corpus_gets_a_valid_draft(tmp_path):
    """A repeated hedge or span gets its `occurrence` (a draft of any article loads)."""
    sources = tmp_path / "sources"
    shutil.copytree(default().root / "articles", sources / "articles")
    (sources / "annotations").mkdir()
    corpus = Corpus(sources)
    for article_id in corpus.ids():
        assert write_draft(corpus, article_id).unfinished
