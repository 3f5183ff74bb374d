"""The annotated reader: key spans at their offsets, layer toggles, badges, notes linked by aria."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from medialit import corpus as corpus_module
from medialit.annotations import labels
from medialit.annotations.key import load_key, load_keys
from medialit.corpus import Corpus
from medialit.render import layers
from medialit.render.editions import is_instructor_only, student_toc
from medialit.render.reader import (
    GENERATED_MARK,
    NO_KEY,
    NO_KEYS_PAGE,
    READER_PAGES,
    note_id,
    reader_highlight,
    reader_html,
    reader_page,
    readers_index,
    write_reader_pages,
)

ROOT = Path(__file__).resolve().parents[2]
HIDDEN_TEXT = ("ml-badge", "ml-tip", "ml-end", "ml-cmp-num")
VOID = {"input", "br", "img", "meta", "link", "hr", "wbr"}

TRICKY_ARTICLE = """---
article_id: tricky-text
title: A <b>bold</b> & "quoted" title
author: Test Author
first_publisher: Test Press
first_published: 2021-01-02
rights_basis: Test only.
attribution: Test.
---
## A heading

He said: <script>alert("x")</script> & more, 5 < 6. It will rain tomorrow.

Second paragraph with ```` backticks.
"""
TRICKY_KEY = """article_id: tricky-text
status: draft
annotators: [tester]
entries:
- id: source-p02
  paragraph_id: tricky-text:p02
  layer: sourcing
  span: <script>alert("x")</script>
  source: He
  cue: said
  source_type: vague
  quote_kind: direct
  rationale: A <i>quote</i> & "marks" from an </span> unnamed speaker.
- id: claim-p02
  paragraph_id: tricky-text:p02
  layer: claims
  span: It will rain tomorrow.
  claim_kind: prediction
  check_worthiness: check_worthy
  voice: author
  verification:
    verdict: overtaken_by_events
    evidence: It <em>did</em> rain.
    citations: ["Weather <service>, 3 January 2021"]
    event_date: 2021-01-03
  rationale: A forecast.
"""


@dataclass
class Paragraph:
    """What the reader shows of one paragraph: its text and where each note's marks are."""

    text: str = ""
    layers_at: list[set[str]] = field(default_factory=list)  # marked layers of each character
    badge_at: dict[str, int] = field(default_factory=dict)  # note id -> offset of its badge
    end_at: dict[str, int] = field(default_factory=dict)  # note id -> offset of its end mark


class ReaderParser(HTMLParser):
    """Reads a reader fragment back: paragraphs, badges, notes, toggles and every URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.paragraphs: dict[str, Paragraph] = {}
        self.current: Paragraph | None = None
        self.badges: dict[str, dict[str, str]] = {}  # note id -> badge attributes
        self.badge_text: dict[str, str] = {}
        self.notes: dict[str, dict[str, str]] = {}  # element id -> attributes of role=tooltip
        self.note_text: dict[str, str] = {}
        self.toggles: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.text_outside_tags: list[str] = []

    def _classes(self, attrs: dict[str, str]) -> set[str]:
        return set(attrs.get("class", "").split())

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attrs_list}
        for name in ("href", "src", "action"):
            if name in attrs:
                self.urls.append(attrs[name])
        classes = self._classes(attrs)
        if tag == "input" and attrs.get("data-role") == "layer":
            self.toggles.append(attrs)
        if tag == "p" and "data-paragraph-id" in attrs:
            self.current = self.paragraphs.setdefault(attrs["data-paragraph-id"], Paragraph())
        if self.current is not None:
            if "ml-badge" in classes and "data-note" in attrs:
                self.badges[attrs["data-note"]] = attrs
                self.current.badge_at[attrs["data-note"]] = len(self.current.text)
            if "ml-end" in classes and "data-note" in attrs:
                self.current.end_at[attrs["data-note"]] = len(self.current.text)
        if attrs.get("role") == "tooltip":
            self.notes[attrs["id"]] = attrs
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, attrs = self.stack.pop()
            if open_tag == "p" and "data-paragraph-id" in attrs:
                self.current = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, attrs in self.stack:
            if attrs.get("role") == "tooltip":
                self.note_text[attrs["id"]] = self.note_text.get(attrs["id"], "") + data
            if "ml-badge" in self._classes(attrs) and "data-note" in attrs:
                note = attrs["data-note"]
                self.badge_text[note] = self.badge_text.get(note, "") + data
        if self.current is None:
            return
        if any(self._classes(attrs) & set(HIDDEN_TEXT) for _, attrs in self.stack):
            return
        marked = {
            cls.removeprefix("ml-l-")
            for _, attrs in self.stack
            if "ml-hl" in self._classes(attrs)
            for cls in self._classes(attrs)
            if cls.startswith("ml-l-")
        }
        self.current.text += data
        self.current.layers_at.extend(set(marked) for _ in data)


def parse(fragment: str) -> ReaderParser:
    parser = ReaderParser()
    parser.feed(fragment)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def keys():
    return load_keys()


@pytest.fixture(scope="module")
def keyed_article_id(keys) -> str:
    assert keys, "the repository has no answer key: the reader has nothing to show"
    return sorted(keys)[0]


@pytest.fixture(scope="module")
def rendered(keys, keyed_article_id):
    key = keys[keyed_article_id]
    fragment = reader_html(corpus_module.article(keyed_article_id), key.annotations)
    return key, fragment, parse(fragment)


@pytest.fixture
def tricky(tmp_path: Path) -> Corpus:
    """A throw-away corpus of one article, and its key, full of characters HTML must escape."""
    sources = tmp_path / "sources"
    (sources / "articles").mkdir(parents=True)
    (sources / "annotations").mkdir()
    (sources / "articles" / "2021-01-02-test-tricky-text.md").write_text(
        TRICKY_ARTICLE, encoding="utf-8"
    )
    (sources / "annotations" / "tricky-text.yaml").write_text(TRICKY_KEY, encoding="utf-8")
    return Corpus(sources)


def test_every_keyed_article_paragraph_text_is_shown_whole(keys):
    for article_id, key in keys.items():
        article = corpus_module.article(article_id)
        shown = parse(reader_html(article, key.annotations)).paragraphs
        assert list(shown) == [p.paragraph_id for p in article.paragraphs]
        for paragraph in article.paragraphs:
            # the number and the whole-paragraph badges are followed by one space
            assert shown[paragraph.paragraph_id].text == " " + paragraph.text


def test_spans_are_placed_at_the_key_offsets(rendered):
    key, _, parsed = rendered
    checked = 0
    for annotation in key.annotations:
        paragraph = corpus_module.paragraph(annotation.paragraph_id)
        shown = parsed.paragraphs[annotation.paragraph_id]
        note = note_id(annotation)
        if annotation.span is None:  # a whole-paragraph entry: badge before the text, no end
            assert shown.badge_at[note] == 0, annotation.id
            assert note not in shown.end_at
            continue
        start = annotation.start - paragraph.start + 1
        end = annotation.end - paragraph.start + 1
        assert shown.text[start:end] == annotation.text, annotation.id
        assert shown.badge_at[note] == start, annotation.id
        assert shown.end_at[note] == end, annotation.id
        not_marked = [i for i in range(start, end) if annotation.layer not in shown.layers_at[i]]
        assert not_marked == [], f"{annotation.id}: characters left unmarked"
        checked += 1
    assert checked > len(key.annotations) / 2


def test_text_outside_every_span_is_not_marked(rendered):
    key, _, parsed = rendered
    paragraph_id = key.annotations[0].paragraph_id
    shown = parsed.paragraphs[paragraph_id]
    paragraph = corpus_module.paragraph(paragraph_id)
    covered: dict[str, set[int]] = {layer: set() for layer in layers.LAYER_IDS}
    for annotation in key.annotations:
        if annotation.paragraph_id == paragraph_id and annotation.span is not None:
            start = annotation.start - paragraph.start + 1
            covered[annotation.layer].update(range(start, start + len(annotation.text)))
    for offset, marked in enumerate(shown.layers_at):
        for layer in marked:
            assert offset in covered[layer], (layer, offset, shown.text[offset])


def test_every_layer_has_a_toggle_and_all_show_at_first(rendered):
    key, fragment, parsed = rendered
    assert [toggle["value"] for toggle in parsed.toggles] == list(layers.LAYER_IDS)
    assert all("checked" in toggle for toggle in parsed.toggles)
    counts = {toggle["value"]: int(toggle["data-count"]) for toggle in parsed.toggles}
    for layer in layers.LAYER_IDS:
        assert counts[layer] == len(key.layer(layer)), layer
        assert f"ml-show-{layer}" in fragment


def test_layers_shown_at_first_can_be_chosen(shipped):
    shipped("putin-changed-stance")
    article = corpus_module.article("putin-changed-stance")
    fragment = reader_html(article, load_key("putin-changed-stance").annotations, shown=["claims"])
    parsed = parse(fragment)
    assert [t["value"] for t in parsed.toggles if "checked" in t] == ["claims"]
    section = re.search(r'<section class="ml-reader-text ([^"]*)"', fragment).group(1)
    assert section.split() == ["ml-show-claims"]
    with pytest.raises(ValueError, match="framin"):
        reader_html(article, [], shown=["framin"])


def test_every_entry_has_a_focusable_badge_described_by_its_rationale(rendered):
    key, _, parsed = rendered
    ids = [note_id(annotation) for annotation in key.annotations]
    assert len(set(ids)) == len(ids)
    for annotation in key.annotations:
        note = note_id(annotation)
        badge = parsed.badges[note]
        assert badge["tabindex"] == "0" and badge["role"] == "button"
        assert badge["aria-describedby"] == note
        assert f"ml-b-{annotation.layer}" in badge["class"]
        assert parsed.badge_text[note] == reader_highlight(annotation).badge
        assert parsed.badge_text[note].startswith(layers.layer_tag(annotation.layer))
        assert note in parsed.notes, annotation.id
        assert annotation.rationale in parsed.note_text[note], annotation.id


def test_claims_show_their_verdict_in_the_badge_and_the_evidence_in_the_note(rendered):
    key, _, parsed = rendered
    verified = [a for a in key.annotations if a.verification is not None]
    assert verified, "the key has no verdict to show"
    for annotation in verified:
        verdict = labels.get_label(annotation.verification.verdict)
        note = note_id(annotation)
        assert parsed.badge_text[note].endswith(f"VERDICT: {verdict.tag}")
        assert f"Verdict: {verdict.name}" in parsed.note_text[note]
        if annotation.verification.evidence:
            assert annotation.verification.evidence in parsed.note_text[note]


def test_sourcing_notes_name_the_source_and_the_cue(rendered):
    key, _, parsed = rendered
    for annotation in key.layer("sourcing"):
        text = parsed.note_text[note_id(annotation)]
        if annotation.source:
            assert f"Source: “{annotation.source}”" in text
        if annotation.cue:
            assert f"Cue: “{annotation.cue}”" in text


def test_text_and_notes_are_escaped(tricky):
    key = load_key("tricky-text", tricky)
    fragment = reader_html(tricky.article("tricky-text"), key.annotations)
    assert "<script>alert" not in fragment and "<i>quote" not in fragment
    assert "<em>did" not in fragment and "<b>bold" not in fragment
    assert "&lt;script&gt;alert" in fragment
    parsed = parse(fragment)
    paragraph = tricky.paragraph("tricky-text:p02")
    assert parsed.paragraphs["tricky-text:p02"].text == " " + paragraph.text
    source_note = parsed.note_text["ml-note-tricky-text-source-p02"]
    assert 'A <i>quote</i> & "marks" from an </span> unnamed speaker.' in source_note
    claim_note = parsed.note_text["ml-note-tricky-text-claim-p02"]
    assert "It <em>did</em> rain." in claim_note and "Weather <service>" in claim_note
    assert "2021-01-03" in claim_note
    assert 'aria-label="A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title"' in fragment


def test_the_page_fence_is_longer_than_any_backtick_run_in_the_text(tricky):
    key = load_key("tricky-text", tricky)
    page = reader_page(tricky.article("tricky-text"), key.annotations, key.status)
    assert page.startswith(GENERATED_MARK)
    assert "\n`````{raw} html\n" in page and page.rstrip().endswith("`````")


def test_the_reader_fetches_nothing(rendered):
    _, fragment, parsed = rendered
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", fragment, re.IGNORECASE)
    assert not re.search(r"@import|url\(|fetch\(|XMLHttpRequest|import\(", fragment)
    assert "<script src" not in fragment and "<link" not in fragment
    assert parsed.urls and all(
        url.startswith("../../articles/") and url.endswith(tuple(f"#p{n:02d}" for n in range(100)))
        for url in parsed.urls
    )


def test_an_article_without_a_key_says_so_plainly(shipped):
    shipped("russia-china-resist")
    article = corpus_module.article("russia-china-resist")
    fragment = reader_html(article, [])
    parsed = parse(fragment)
    assert NO_KEY in fragment
    assert parsed.notes == {} and parsed.badges == {}
    assert [t["data-count"] for t in parsed.toggles] == ["0"] * len(layers.LAYER_IDS)
    assert set(parsed.paragraphs) == {p.paragraph_id for p in article.paragraphs}


def test_entries_of_another_article_are_refused(keys, keyed_article_id):
    other = next(a for a in corpus_module.default().ids() if a != keyed_article_id)
    with pytest.raises(ValueError, match="belong to other articles"):
        reader_html(corpus_module.article(other), keys[keyed_article_id].annotations[:2])


def test_the_index_lists_keyed_articles_and_says_which_have_none(shipped):
    shipped("putin-changed-stance")
    corpus = corpus_module.default()
    keyed = {"putin-changed-stance": "pilot"}
    page = readers_index(corpus, keyed)
    assert "[Putin hasn’t changed" in page and "(putin-changed-stance.md)" in page
    assert page.count("no key yet: no annotated reader") == len(corpus) - 1
    assert f"1 of the {len(corpus)} articles have an answer key" in page


def test_pages_are_written_for_keyed_articles_and_stale_ones_removed(tricky, tmp_path):
    srcdir = tmp_path / "book-root"
    folder = srcdir / READER_PAGES
    folder.mkdir(parents=True)
    (folder / "gone-article.md").write_text(GENERATED_MARK + "\nold", encoding="utf-8")
    (folder / "notes-by-hand.md").write_text("# Mine\n", encoding="utf-8")
    written = write_reader_pages(srcdir, tricky)
    assert sorted(p.name for p in written) == ["index.md", "tricky-text.md"]
    assert not (folder / "gone-article.md").exists()
    assert (folder / "notes-by-hand.md").read_text(encoding="utf-8") == "# Mine\n"
    page = (folder / "tricky-text.md").read_text(encoding="utf-8")
    assert "A forecast." in page and "*draft*" in page
    before = (folder / "tricky-text.md").stat().st_mtime_ns
    write_reader_pages(srcdir, tricky)
    assert (folder / "tricky-text.md").stat().st_mtime_ns == before  # unchanged: not rewritten
    assert not (folder / f"{NO_KEYS_PAGE}.md").exists()


def test_without_any_key_a_page_says_so_and_the_toc_glob_still_matches(tricky, tmp_path):
    srcdir = tmp_path / "book-root"
    folder = srcdir / READER_PAGES
    write_reader_pages(srcdir, tricky)
    (tricky.root / "annotations" / "tricky-text.yaml").unlink()
    written = write_reader_pages(srcdir, Corpus(tricky.root))
    assert sorted(p.name for p in written) == ["index.md", f"{NO_KEYS_PAGE}.md"]
    assert not (folder / "tricky-text.md").exists()
    assert "0 of the 1 articles have an answer key" in (folder / "index.md").read_text("utf-8")
    assert "no key yet" in (folder / "index.md").read_text(encoding="utf-8")
    assert "None of the 1 articles has an answer key" in (folder / f"{NO_KEYS_PAGE}.md").read_text(
        encoding="utf-8"
    )
    assert sorted(p.name for p in folder.glob("*-*.md")) == [f"{NO_KEYS_PAGE}.md"]
    (tricky.root / "annotations" / "tricky-text.yaml").write_text(TRICKY_KEY, encoding="utf-8")
    write_reader_pages(srcdir, Corpus(tricky.root))  # a key again: the stand-in page goes
    assert sorted(p.name for p in folder.glob("*-*.md")) == ["tricky-text.md"]


def test_reader_pages_are_instructor_only_and_listed_by_a_glob():
    assert is_instructor_only(READER_PAGES.as_posix())
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    text = yaml.safe_dump(toc)
    assert f"glob: {READER_PAGES.as_posix()}/*-*" in text
    assert f"file: {READER_PAGES.as_posix()}/index" in text
    assert READER_PAGES.as_posix() not in yaml.safe_dump(student_toc(toc))
