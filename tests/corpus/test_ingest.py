"""The ingest command: reproducible files, drop-in additions, clear errors, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from medialit.cli import main
from medialit.corpus import Corpus
from medialit.corpus.ingest import ingest

REPOSITORY = Path(__file__).resolve().parents[2]


def test_ingesting_the_raw_captures_reproduces_the_committed_article_files(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(REPOSITORY / "sources" / "raw", sources / "raw")
    results = ingest(sources / "raw", sources)
    assert all(result.error is None for result in results)
    committed = {
        p.name: p.read_text(encoding="utf-8")
        for p in (REPOSITORY / "sources" / "articles").glob("*.md")
    }
    produced = {p.name: p.read_text(encoding="utf-8") for p in (sources / "articles").glob("*.md")}
    assert produced == committed


def test_a_new_capture_dropped_in_a_folder_becomes_an_article(sources_copy, tmp_path, capsys):
    drop = tmp_path / "new-captures"
    drop.mkdir()
    (drop / "010_new.txt").write_text(
        "A Summit in Geneva Ends With Modest Steps\n\nBy [A. Writer](#)\n\n"
        "Global Research, June 17, 2021\n\n"
        "The two presidents met for three hours. They agreed to return ambassadors.\n\n"
        "Exit mobile version\n",
        encoding="utf-8",
    )
    before = len(Corpus(sources_copy))
    status = main(["corpus", "ingest", str(drop), "--sources", str(sources_copy)])
    assert status == 0
    assert "(summit-geneva-ends)" in capsys.readouterr().out
    loaded = Corpus(sources_copy)
    assert len(loaded) == before + 1
    added = loaded.article("summit-geneva-ends")
    assert added.author == "A. Writer" and added.meta.republisher == "Global Research"
    assert [p.paragraph_id for p in added.paragraphs] == ["summit-geneva-ends:p01"]
    assert (sources_copy / "raw" / "010_new.txt").exists()
    assert (drop / "010_new.txt").exists()  # the input is copied, never moved or changed


def test_an_undated_capture_needs_a_date_and_others_are_still_written(sources_copy, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(sources_copy / "raw" / "000_322b066fbe4a530c.txt", drop)
    (drop / "011_undated.txt").write_text(
        "Undated Piece on Talks\n\nSome text here.\n", encoding="utf-8"
    )
    results = {r.seed_file: r for r in ingest(drop, sources_copy)}
    assert results["000_322b066fbe4a530c.txt"].error is None
    error = results["011_undated.txt"].error
    assert error is not None and "no date" in str(error) and "metadata.yaml" in str(error)
    assert not list((sources_copy / "articles").glob("*undated-piece*"))


def test_a_capture_that_is_not_utf8_is_reported_and_skipped(sources_copy, tmp_path, capsys):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "012_latin1.txt").write_bytes("Caf\u00e9 Talk\n\nText.\n".encode("latin-1"))
    before = Corpus(sources_copy).ids()
    status = main(["corpus", "ingest", str(drop), "--sources", str(sources_copy)])
    assert status == 1
    err = capsys.readouterr().err
    assert (
        "012_latin1.txt: byte 3 (line 1): is not UTF-8 text. Fix: save the capture as UTF-8" in err
    )
    assert Corpus(sources_copy).ids() == before


def test_reingesting_keeps_ids_and_never_touches_hand_written_articles(sources_copy):
    hand = sources_copy / "articles" / "hand-written.md"
    hand.write_text(
        "---\narticle_id: hand-written\ntitle: By hand\nauthor: A. Writer\n"
        "first_publisher: Test Weekly\nfirst_published: 2021-01-01\n"
        "rights_basis: test\nattribution: test\n---\n\nText.\n",
        encoding="utf-8",
    )
    before = hand.read_bytes()
    ids = Corpus(sources_copy).ids()
    ingest(sources_copy / "raw", sources_copy)
    assert hand.read_bytes() == before
    assert sorted(Corpus(sources_copy).ids()) == sorted(ids)
    assert "hand-written" in ids


def test_an_interrupted_write_leaves_the_old_file_whole(sources_copy, monkeypatch):
    import medialit.fileio as fileio

    metadata = sources_copy / "raw" / "metadata.yaml"
    entries = yaml.safe_load(metadata.read_text(encoding="utf-8")) or {}
    row = next(
        r for r in Corpus(sources_copy).articles().itertuples() if r.seed_file not in entries
    )
    target = Path(row.path)
    before = target.read_bytes()
    with metadata.open("a", encoding="utf-8") as stream:
        stream.write(f"{row.seed_file}:\n  rights_basis: A changed fact, so a write.\n")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        ingest(sources_copy / "raw", sources_copy)
    assert target.read_bytes() == before
    assert not list((sources_copy / "articles").glob(".*.tmp"))


def test_ingest_on_a_missing_folder_says_so(tmp_path, capsys):
    assert main(["corpus", "ingest", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
