"""The answers go beside the running notebook, .ipynb or MyST .md, or the widget says where."""

from __future__ import annotations

from medialit.widgets import annotate


def test_a_myst_notebook_gets_its_own_answers_file(corpus, tmp_path, monkeypatch, passage):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/01-who-is-speaking.md")
    widget = annotate(passage[0].article_id, corpus=corpus)
    assert widget.store.path == tmp_path / "01-who-is-speaking.answers.json"
    widget.find(passage[0].words)
    widget.add(
        widget.found["paragraph_id"],
        "sourcing",
        {"source_types": "vague"},
        offsets=(widget.found["start"], widget.found["end"]),
    )
    assert (tmp_path / "01-who-is-speaking.answers.json").exists()
    assert not (tmp_path / "notebook.answers.json").exists()


def test_without_a_name_the_widget_says_where_it_saves(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    widget = annotate(corpus=corpus)
    assert widget.store.path == tmp_path / "notebook.answers.json"
    assert "could not be found" in widget.message["text"]
    assert "notebook='name.ipynb'" in widget.message["text"]
