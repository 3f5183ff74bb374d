"""The article pages are generated from the corpus, one per article, with paragraph anchors."""

from __future__ import annotations

import re
from pathlib import Path

from medialit.corpus import Corpus
from medialit.render.article_page import GENERATED_MARK
from medialit.render.sphinx_ext import write_article_pages


def test_one_page_per_article_with_an_anchor_per_paragraph(tmp_path):
    loaded = Corpus()
    paths = write_article_pages(tmp_path, loaded)
    assert sorted(p.stem for p in paths) == sorted([*loaded.ids(), "index"])
    for article in loaded:
        page = (tmp_path / "book" / "articles" / f"{article.article_id}.md").read_text()
        anchors = re.findall(r'id="(p\d{2})"', page)
        assert anchors == [f"p{n:02d}" for n in range(1, len(article.paragraphs) + 1)]
        assert article.meta.attribution in page and article.meta.rights_basis in page
        assert f"# {article.title}" in page


def test_pages_follow_the_corpus_when_an_article_is_added_or_removed(tmp_path, sources_copy):
    site = tmp_path / "site"
    write_article_pages(site, Corpus(sources_copy))
    folder = site / "book" / "articles"
    loaded = Corpus(sources_copy)
    removed = loaded.ids()[0]
    Path(loaded.article(removed).path).unlink()
    keep = folder / "notes.md"
    keep.write_text("hand-written page\n")
    write_article_pages(site, Corpus(sources_copy))
    assert not (folder / f"{removed}.md").exists()
    assert keep.exists()  # only generated pages are removed
    assert f"({removed}.md)" not in (folder / "index.md").read_text()
    assert (folder / "index.md").read_text().startswith(GENERATED_MARK)


def test_paragraph_text_is_escaped_and_link_cues_are_marked(tmp_path, shipped):
    shipped("russia-china-resist")
    write_article_pages(tmp_path, Corpus())
    page = (tmp_path / "book" / "articles" / "russia-china-resist.md").read_text()
    assert '<span class="ml-link-cue"' in page and ">it said</span>" in page
    text = page.split('<div class="ml-article"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in text  # the article's own words never become markup
    # The annotate mode's data sits in a JSON script that no article text can close early.
    data = page.split('id="ml-annotator-data">', 1)[1].split("</script>", 1)[0]
    assert "</" not in data
