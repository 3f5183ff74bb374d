"""Ingest from any site: metadata overrides, untouched unchanged files, no clobbered hand edits."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from medialit.cli import main
from medialit.corpus import Corpus
from medialit.corpus.ingest import RECORD_FILE, ingest

NEW_SITE = Path(__file__).parent / "captures" / "900_saltmarsh_courier.txt"


def _metadata(sources: Path, text: str) -> None:
    with (sources / "raw" / "metadata.yaml").open("a", encoding="utf-8") as stream:
        stream.write(text)


def _only(results, seed):
    (result,) = [r for r in results if r.seed_file == seed]
    return result


def test_a_capture_from_a_new_site_is_added_with_its_dateline_facts(sources_copy, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(NEW_SITE, drop / "950_new_site.txt")
    (result,) = ingest(drop, sources_copy)
    assert result.error is None, result.error
    article = Corpus(sources_copy).article(result.article_id)
    assert result.article_id.startswith("harbour-town-votes")  # -2 if the course already has it
    assert len(article.paragraphs) == 7
    assert article.meta.first_publisher == "The Saltmarsh Courier"
    assert str(article.meta.first_published) == "2022-02-03"
    assert result.path.name == f"2022-02-03-marten-{result.article_id}.md"
    assert [cue.anchor_text for cue in article.meta.link_cues] == [
        "survey by the island's community trust"
    ]


def test_metadata_overrides_facts_and_drops_and_joins_paragraphs(sources_copy):
    shutil.copy(NEW_SITE, sources_copy / "raw" / "901_override.txt")
    _metadata(
        sources_copy,
        "901_override.txt:\n"
        "  title: The Winter Ferry Stays\n"
        "  author: null\n"
        "  unknown: {author: the byline is a desk name}\n"
        "  first_publisher: Saltmarsh Courier (print edition)\n"
        "  first_published: 2022-02-04\n"
        "  drop_paragraphs: [7]\n"
        "  join_paragraphs: [1]\n",
    )
    result = _only(ingest(sources_copy / "raw", sources_copy), "901_override.txt")
    assert result.error is None, result.error
    article = Corpus(sources_copy).article(result.article_id)
    assert result.article_id == "winter-ferry-stays"
    assert article.meta.author is None and article.meta.unknown["author"]
    assert article.meta.first_publisher == "Saltmarsh Courier (print edition)"
    assert str(article.meta.first_published) == "2022-02-04"
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].text.endswith(
        'eight weeks," said council leader Agnes Rowe '
        'after the vote. "That settled it for most of us."'
    )
    assert "April meeting" not in article.body
    # the link cue moved with its paragraph and still points at its anchor text
    cue = article.meta.link_cues[0]
    assert article.paragraphs[cue.paragraph - 1].text[cue.start : cue.end] == (
        "survey by the island's community trust"
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  publisher: Example\n", "publisher: is not a field of a capture's entry"),
        ("  first_published: 3 Feb 2022\n", "is not a date in the form YYYY-MM-DD"),
        ("  drop_paragraphs: [40]\n", "names paragraph 40, but cleaning left 7"),
    ],
)
def test_a_bad_metadata_entry_is_an_error_naming_field_and_fix(sources_copy, entry, message):
    shutil.copy(NEW_SITE, sources_copy / "raw" / "901_bad.txt")
    _metadata(sources_copy, "901_bad.txt:\n" + entry)
    results = ingest(sources_copy / "raw", sources_copy)
    error = str(_only(results, "901_bad.txt").error)
    assert "metadata.yaml" in error and "901_bad.txt" in error
    assert message in error and "Fix:" in error
    assert all(r.error is None for r in results if r.seed_file != "901_bad.txt")


def test_reingest_leaves_unchanged_files_untouched(sources_copy):
    ingest(sources_copy / "raw", sources_copy)
    files = sorted((sources_copy / "articles").glob("*.md"))
    for path in files:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    results = ingest(sources_copy / "raw", sources_copy)
    assert all(r.unchanged for r in results)
    assert [p.stat().st_mtime_ns for p in files] == [1_000_000_000] * len(files)


def _unlisted(sources: Path):
    """An ingested article whose capture has no metadata.yaml entry yet."""
    entries = yaml.safe_load((sources / "raw" / "metadata.yaml").read_text(encoding="utf-8"))
    return next(r for r in Corpus(sources).articles().itertuples() if r.seed_file not in entries)


def test_a_hand_edited_article_is_never_overwritten(sources_copy, capsys):
    row = _unlisted(sources_copy)
    target = Path(row.path)
    text = target.read_text(encoding="utf-8")
    edited = text.replace(" the ", " a ", 1)
    assert edited != text
    target.write_text(edited, encoding="utf-8")
    _metadata(sources_copy, f"{row.seed_file}:\n  author_bio: A new fact.\n")
    status = main(["corpus", "ingest", str(sources_copy / "raw"), "--sources", str(sources_copy)])
    assert status == 1
    err = capsys.readouterr().err
    assert "was edited by hand since ingest wrote it" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == edited
    assert (
        main(
            [
                "corpus",
                "ingest",
                str(sources_copy / "raw"),
                "--sources",
                str(sources_copy),
                "--force",
            ]
        )
        == 0
    )
    assert "A new fact." in target.read_text(encoding="utf-8")


def test_an_article_ingest_did_not_write_is_not_overwritten(sources_copy):
    (sources_copy / "articles" / RECORD_FILE).unlink()
    row = _unlisted(sources_copy)
    _metadata(sources_copy, f"{row.seed_file}:\n  author_bio: A new fact.\n")
    result = _only(ingest(sources_copy / "raw", sources_copy), row.seed_file)
    assert "was not written by ingest" in str(result.error)


def _write_by_hand(sources_copy: Path, article_id: str) -> tuple[Path, bytes]:
    """A hand-written article with ``article_id`` at the path ingest would give the new site's
    capture; returns the file and its bytes."""
    hand = sources_copy / "articles" / "2022-02-03-marten-harbour-town-votes.md"
    hand.write_text(
        f"---\narticle_id: {article_id}\ntitle: By hand\nauthor: A. Writer\n"
        "first_publisher: Test Weekly\nfirst_published: 2021-01-01\n"
        "rights_basis: test\nattribution: test\n---\n\nText.\n",
        encoding="utf-8",
    )
    return hand, hand.read_bytes()


def _drop_of_the_new_site(tmp_path: Path) -> Path:
    """A drop folder holding only the new site's capture."""
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(NEW_SITE, drop / "950_new_site.txt")
    return drop


def test_a_hand_written_article_with_the_same_id_is_not_duplicated_or_overwritten(
    sources_copy, tmp_path
):
    hand, before = _write_by_hand(sources_copy, "harbour-town-votes")
    drop = _drop_of_the_new_site(tmp_path)
    count = len(Corpus(sources_copy))
    (result,) = ingest(drop, sources_copy)
    assert hand.read_bytes() == before
    assert result.error is None and result.article_id == "harbour-town-votes-2"
    assert len(Corpus(sources_copy)) == count + 1  # no duplicate id


def test_a_hand_written_file_at_the_target_path_is_not_overwritten(sources_copy, tmp_path):
    hand, before = _write_by_hand(sources_copy, "by-hand")
    drop = _drop_of_the_new_site(tmp_path)
    (result,) = ingest(drop, sources_copy)
    assert hand.read_bytes() == before
    assert "already holds another article" in str(result.error)
