"""Side-by-side passages: the comparison data, its HTML, and the self-contained book view."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path

from medialit.corpus import Article, Corpus, Paragraph
from medialit.render import layers
from medialit.render.layers import Highlight
from medialit.render.terms import TermIndex, shared_terms, term_spans
from medialit.render.topics import Topic, load_topics, student_edition_keys

ASSETS = Path(__file__).parent / "assets"
TERMS = "terms"
# What each layer's line looks like, for the legend (the line style is the non-colour cue).
LINE_STYLES = {
    "framing": "double underline (a whole paragraph: double bar at the left)",
    "sourcing": "solid underline",
    "claims": "dashed underline",
    "persuasion": "wavy underline",
}


@dataclass(frozen=True)
class Column:
    """One article's passages in a comparison."""

    article_id: str
    title: str
    byline: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Comparison:
    """What a comparison shows: a title, columns of passages, and the terms they share."""

    title: str
    description: str
    columns: tuple[Column, ...]
    shared_terms: tuple[str, ...]  # term keys (lower case), most telling first
    term_texts: tuple[str, ...] = ()  # the same terms as the articles write them

    @property
    def paragraph_ids(self) -> list[str]:
        """Every paragraph shown, column by column."""
        return [p.paragraph_id for column in self.columns for p in column.paragraphs]

    @property
    def article_ids(self) -> list[str]:
        return [column.article_id for column in self.columns]


_indexes: dict[int, tuple[Corpus, TermIndex]] = {}


def term_index(corpus: Corpus) -> TermIndex:
    """The corpus' term statistics, computed once per corpus object."""
    cached = _indexes.get(id(corpus))
    if cached is None or cached[0] is not corpus:
        cached = (corpus, TermIndex(corpus))
        _indexes[id(corpus)] = cached
    return cached[1]


def byline(article: Article) -> str:
    """Author, first publisher and date of an article, saying so where one is not known."""
    meta = article.meta
    date = (
        f"{meta.first_published.day} {meta.first_published:%B %Y}"
        if meta.first_published
        else f"undated (about {meta.date:%B %Y})"
    )
    return " · ".join(
        [meta.author or "no byline", meta.first_publisher or "publisher not named", date]
    )


def _column(article: Article, paragraphs: Iterable[Paragraph]) -> Column:
    return Column(article.article_id, article.title, byline(article), tuple(paragraphs))


def comparison(
    corpus: Corpus,
    *,
    article_ids: Sequence[str] | None = None,
    topic: str | None = None,
    paragraph_ids: Sequence[str] | None = None,
    topics: dict[str, Topic] | None = None,
) -> Comparison:
    """Build a comparison from exactly one of: articles, a topic, or paragraph ids.

    >>> from medialit import corpus
    >>> view = comparison(corpus.default(), topic="killer-remark")
    >>> view.article_ids
    ['russia-china-resist', 'united-states-rebalance']
    >>> "putin" in view.shared_terms
    True
    """
    given = [
        name
        for name, value in (
            ("article_ids", article_ids),
            ("topic", topic),
            ("paragraph_ids", paragraph_ids),
        )
        if value
    ]
    if len(given) != 1:
        raise ValueError(
            "Say what to compare with one of article_ids=[...], topic='...' or "
            f"paragraph_ids=[...] (got {', '.join(given) or 'none'})."
        )
    title, description = "", ""
    if topic:
        topics = topics if topics is not None else load_topics(corpus, strict=False)
        if topic not in topics:
            raise ValueError(f"There is no topic {topic!r}. Topics: {', '.join(topics)}.")
        chosen = topics[topic]
        title, description = chosen.name, chosen.description
        columns = [
            _column(corpus.article(article_id), (corpus.paragraph(pid) for pid in ids))
            for article_id, ids in chosen.paragraphs.items()
        ]
    elif article_ids:
        articles = [corpus.article(article_id) for article_id in dict.fromkeys(article_ids)]
        columns = [_column(article, article.paragraphs) for article in articles]
        title = " | ".join(article.title for article in articles)
    else:
        grouped: dict[str, list[Paragraph]] = defaultdict(list)
        for paragraph_id in dict.fromkeys(paragraph_ids or ()):
            paragraph = corpus.paragraph(paragraph_id)
            grouped[paragraph.article_id].append(paragraph)
        columns = [
            _column(corpus.article(article_id), sorted(found, key=lambda p: p.number))
            for article_id, found in grouped.items()
        ]
        title = "Chosen passages"
    if len(columns) > 1:
        passages = [" ".join(p.text for p in column.paragraphs) for column in columns]
    else:
        passages = [p.text for p in columns[0].paragraphs]
    index = term_index(corpus)
    terms = shared_terms(passages, index)
    return Comparison(
        title,
        description,
        tuple(columns),
        tuple(terms),
        tuple(index.surface.get(term, term) for term in terms),
    )


# --------------------------------------------------------------------------- markup


def _layer_rank(layer: str) -> int:
    return layers.LAYER_IDS.index(layer) if layer in layers.LAYER_IDS else len(layers.LAYER_IDS)


# A note on a highlight: the id of its element and its HTML (phrasing content only).
Note = tuple[str, str]


def _badge(highlight: Highlight, note: Note | None = None) -> str:
    if note is None:
        return (
            f'<span class="ml-badge ml-b-{highlight.layer} ml-o-{highlight.origin}" '
            f'title="{html.escape(highlight.title)}">{html.escape(highlight.badge)}</span>'
        )
    # With a note: the badge is a keyboard stop described by the note, shown on hover and focus.
    note_id, note_html = note
    return (
        f'<span class="ml-anchor ml-a-{highlight.layer}">'
        f'<span class="ml-badge ml-b-{highlight.layer} ml-o-{highlight.origin}" tabindex="0" '
        f'role="button" aria-describedby="{note_id}" data-note="{note_id}">'
        f"{html.escape(highlight.badge)}</span>"
        f'<span class="ml-tip" role="tooltip" id="{note_id}">{note_html}</span></span>'
    )


def _end_mark(highlight: Highlight, note: Note | None = None) -> str:
    marked = f' data-note="{note[0]}"' if note else ""
    return f'<span class="ml-end ml-b-{highlight.layer}"{marked} aria-hidden="true">⟧</span>'


def paragraph_html(
    paragraph: Paragraph,
    highlights: Sequence[Highlight],
    term_keys: Collection[str] = (),
    *,
    terms_on: bool = False,
    href: str | None = None,
    notes: Mapping[Highlight, Note] | None = None,
) -> str:
    """One paragraph with its highlights (badges, nested underlines) and term marks.

    Highlights of every layer are marked up; the container's ``ml-show-<layer>`` classes decide
    which show. ``term_keys`` are the terms to wrap (``terms_on`` marks them as shared now).
    ``notes`` (for the annotated reader) gives highlights a note: their badge becomes focusable
    and described by the note, and their marked text carries ``data-note`` instead of a title.

    >>> from medialit import corpus
    >>> p = corpus.paragraph("russia-china-resist:p11")
    >>> mine = Highlight(p.article_id, p.paragraph_id, p.start + 43, p.start + 60, "claims",
    ...                  "MINE CLAIM: OPINION", "Claims", "mine")
    >>> out = paragraph_html(p, [mine], {"phase"}, terms_on=True)
    >>> 'ml-badge ml-b-claims ml-o-mine' in out, 'class="ml-term ml-term-on"' in out
    (True, True)
    """
    text, base = paragraph.text, paragraph.start
    notes = notes or {}
    whole = [h for h in highlights if h.whole_paragraph]
    spans = sorted(
        (h for h in highlights if not h.whole_paragraph and h.end > h.start),
        key=lambda h: (h.start, -h.end, _layer_rank(h.layer)),
    )
    terms = [t for t in term_spans(text) if t.key in term_keys] if term_keys else []
    starts: dict[int, list[Highlight]] = defaultdict(list)
    ends: dict[int, list[Highlight]] = defaultdict(list)
    points = {0, len(text)}
    for highlight in spans:
        start = min(max(highlight.start - base, 0), len(text))
        end = min(max(highlight.end - base, 0), len(text))
        if end <= start:
            continue
        starts[start].append(highlight)
        ends[end].append(highlight)
        points.update((start, end))
    for term in terms:
        points.update((term.start, term.end))
    ordered = sorted(points)
    out: list[str] = []
    active: list[Highlight] = []
    term_position = 0
    term_class = "ml-term ml-term-on" if terms_on else "ml-term"
    for index, position in enumerate(ordered):
        for highlight in ends.get(position, ()):
            active.remove(highlight)
            out.append(_end_mark(highlight, notes.get(highlight)))
        if index == len(ordered) - 1:
            break
        for highlight in starts.get(position, ()):
            active.append(highlight)
            out.append(_badge(highlight, notes.get(highlight)))
        segment = html.escape(text[position : ordered[index + 1]], quote=False)
        while term_position < len(terms) and terms[term_position].end <= position:
            term_position += 1
        if term_position < len(terms) and terms[term_position].start <= position:
            key = terms[term_position].key
            segment = f'<span class="{term_class}" data-term="{html.escape(key)}">{segment}</span>'
        seen: set[tuple[str, str]] = set()
        # One mark per layer and origin; with notes, the innermost highlight's note is the one.
        order = list(reversed(active)) if notes else active
        for highlight in sorted(order, key=lambda h: _layer_rank(h.layer), reverse=True):
            if (highlight.layer, highlight.origin) in seen:
                continue
            seen.add((highlight.layer, highlight.origin))
            note = notes.get(highlight)
            described = (
                f'data-note="{note[0]}"' if note else f'title="{html.escape(highlight.title)}"'
            )
            segment = (
                f'<span class="ml-hl ml-l-{highlight.layer} ml-o-{highlight.origin}" '
                f"{described}>{segment}</span>"
            )
        out.append(segment)
    classes = ["ml-cmp-para", f"ml-kind-{paragraph.kind}"]
    classes += sorted({f"ml-p-{h.layer}" for h in whole})
    label = f"p{paragraph.number:02d}"
    number = (
        f'<a class="ml-cmp-num" href="{html.escape(href)}" '
        f'title="Open {paragraph.paragraph_id} in its article">{label}</a>'
        if href
        else f'<span class="ml-cmp-num" title="{paragraph.paragraph_id}">{label}</span>'
    )
    badges = "".join(
        _badge(h, notes.get(h)) for h in sorted(whole, key=lambda h: _layer_rank(h.layer))
    )
    return (
        f'<p class="{" ".join(classes)}" data-paragraph-id="{paragraph.paragraph_id}">'
        f"{number}{badges} {''.join(out)}</p>"
    )


def _by_paragraph(highlights: Iterable[Highlight]) -> dict[str, list[Highlight]]:
    grouped: dict[str, list[Highlight]] = defaultdict(list)
    for highlight in highlights:
        grouped[highlight.paragraph_id].append(highlight)
    return grouped


def column_html(
    column: Column,
    highlights: dict[str, list[Highlight]],
    term_keys: Collection[str],
    *,
    terms_on: bool,
    href_template: str | None,
    hidden: Collection[str] = (),
) -> str:
    """One column: the article's title, byline and passages."""
    paragraphs = []
    for paragraph in column.paragraphs:
        href = (
            href_template.format(article_id=paragraph.article_id, number=paragraph.number)
            if href_template
            else None
        )
        markup = paragraph_html(
            paragraph,
            highlights.get(paragraph.paragraph_id, ()),
            term_keys,
            terms_on=terms_on,
            href=href,
        )
        if paragraph.paragraph_id in hidden:
            markup = markup.replace("<p ", "<p hidden ", 1)
        paragraphs.append(markup)
    return (
        f'<section class="ml-cmp-col" data-article-id="{column.article_id}" '
        f'aria-label="{html.escape(column.title)}">'
        f'<h3 class="ml-cmp-title">{html.escape(column.title)}</h3>'
        f'<p class="ml-cmp-byline">{html.escape(column.byline)}</p>'
        + "\n".join(paragraphs)
        + "</section>"
    )


def _show_classes(shown: Iterable[str]) -> str:
    return " ".join(f"ml-show-{layer}" for layer in shown)


def legend_html() -> str:
    """What each layer's mark looks like and what it means."""
    items = [
        f"<li><strong>{layers.layer_tag(layer)}</strong> ({layers.layer_name(layer)}): "
        f"{LINE_STYLES[layer]}</li>"
        for layer in layers.LAYER_IDS
    ]
    items.append("<li><strong>Shared terms</strong>: bold with a dotted box</li>")
    items.append(
        "<li>A badge starting with <strong>MINE</strong> (dashed border) is your own "
        "annotation; the others come from the course's answer key.</li>"
    )
    return (
        '<details class="ml-cmp-legend-box"><summary>How highlights are marked</summary>'
        f'<ul class="ml-cmp-legend">{"".join(items)}</ul></details>'
    )


@cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _terms_html(terms: Sequence[str]) -> str:
    items = "".join(f"<li>{html.escape(term)}</li>" for term in terms)
    none = "" if terms else '<span class="ml-none">none</span>'
    return (
        f'<div class="ml-cmp-terms"><strong>Terms the passages share:</strong> '
        f"<ul>{items}</ul>{none}</div>"
    )


def comparison_html(
    view: Comparison,
    highlights: Iterable[Highlight],
    shown: Iterable[str],
    *,
    href_template: str | None = None,
    note: str = "",
) -> str:
    """The comparison as one HTML fragment (styles included): what the live widget displays.

    >>> from medialit import corpus
    >>> view = comparison(corpus.default(), topic="sanctions")
    >>> out = comparison_html(view, [], ["sourcing", "terms"])
    >>> out.count('<section class="ml-cmp-col"') == len(view.columns), "ml-show-sourcing" in out
    (True, True)
    """
    shown = list(shown)
    grouped = _by_paragraph(highlights)
    columns = "\n".join(
        column_html(column, grouped, view.shared_terms, terms_on=True, href_template=href_template)
        for column in view.columns
    )
    description = (
        f'<p class="ml-cmp-desc">{html.escape(view.description)}</p>' if view.description else ""
    )
    notice = f'<p class="ml-cmp-note">{html.escape(note)}</p>' if note else ""
    return (
        f'<div class="ml-cmp-app"><style>{_asset("compare.css")}</style>'
        f'<h3 class="ml-cmp-heading">{html.escape(view.title)}</h3>{description}{notice}'
        f"{_terms_html(view.term_texts or view.shared_terms)}"
        f'<div class="ml-cmp {_show_classes(shown)}">{columns}</div>{legend_html()}</div>'
    )


# --------------------------------------------------------------------------- the book view


def _options(pairs: Iterable[tuple[str, str]], selected: str = "") -> str:
    return "".join(
        f'<option value="{html.escape(value)}"{" selected" if value == selected else ""}>'
        f"{html.escape(text)}</option>"
        for value, text in pairs
    )


def _json_for_script(data: object) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def compare_page(
    corpus: Corpus,
    *,
    topics: dict[str, Topic] | None = None,
    highlights: Iterable[Highlight] | None = None,
    href_template: str | None = "articles/{article_id}.html#p{number:02d}",
    shown: Sequence[str] = ("sourcing", TERMS),
) -> str:
    """The comparison view for the published book: one self-contained HTML/CSS/JS string.

    Every article is rendered once with all its highlights; the script only shows and hides
    columns, passages, layers and shared-term marks. Nothing is fetched.

    >>> from medialit import corpus
    >>> page = compare_page(corpus.default())
    >>> page.count('<section class="ml-cmp-col"') == len(corpus.default()), "http" in page
    (True, False)
    >>> "<script" in page
    True
    """
    topics = topics if topics is not None else load_topics(corpus, strict=False)
    highlights = list(highlights if highlights is not None else layers.key_highlights(corpus))
    views_data: dict[str, dict] = {}
    markable: set[str] = set()
    for topic_id, topic in topics.items():
        view = comparison(corpus, topic=topic_id, topics=topics)
        markable.update(view.shared_terms)
        views_data[topic_id] = {
            "name": topic.name,
            "description": topic.description,
            "columns": view.article_ids,
            "paragraphs": view.paragraph_ids,
            "terms": [list(t) for t in zip(view.shared_terms, view.term_texts, strict=True)],
        }
    ids = corpus.ids()
    groups: dict[str, list[list[str]]] = {}
    for size in range(1, len(ids) + 1):
        for group in combinations(ids, size):
            view = comparison(corpus, article_ids=list(group))
            markable.update(view.shared_terms)
            groups["|".join(sorted(group))] = [
                list(t) for t in zip(view.shared_terms, view.term_texts, strict=True)
            ]
    data = {
        "topics": views_data,
        "groups": groups,
        "titles": {article.article_id: article.title for article in corpus},
    }
    grouped = _by_paragraph(highlights)
    columns = "\n".join(
        column_html(
            _column(article, article.paragraphs),
            grouped,
            markable,
            terms_on=False,
            href_template=href_template,
        )
        for article in corpus
    )
    boxes = [(layer, layers.layer_name(layer)) for layer in layers.LAYER_IDS]
    boxes.append((TERMS, "Shared terms"))
    layer_inputs = "".join(
        f'<label><input type="checkbox" data-role="layer" value="{layer}" '
        f'data-name="{html.escape(name)}"{" checked" if layer in shown else ""}> '
        f'{html.escape(name)} <span class="ml-count"></span></label>'
        for layer, name in boxes
    )
    article_inputs = "".join(
        f'<label><input type="checkbox" data-role="article" value="{article.article_id}"'
        f"{' checked' if number < 2 else ''}> {html.escape(article.title)}</label>"
        for number, article in enumerate(corpus)
    )
    first_topic = next(iter(topics), "")
    topic_options = _options(((t.topic_id, t.name) for t in topics.values()), first_topic)
    keyed = {h.article_id for h in highlights}
    if not keyed:
        key_note = "No answer key is shown in this edition: only shared terms can be highlighted."
    elif len(keyed) < len(corpus):
        names = "; ".join(f"“{a.title}”" for a in corpus if a.article_id in keyed)
        key_note = (
            f"Answer-key highlights are shown for {names} only; the other articles show "
            "shared terms."
        )
    else:
        key_note = ""
    key_note = f'<p class="ml-cmp-note">{html.escape(key_note)}</p>' if key_note else ""
    mode_name = "ml-cmp-mode"
    return f"""<div class="ml-cmp-app" data-ml-compare>
<style>{_asset("compare.css")}</style>
<form class="ml-cmp-controls" aria-label="Choose passages and highlights">
<fieldset><legend>Compare</legend>
<label><input type="radio" name="{mode_name}" data-role="mode" value="topic"
 {"checked" if topics else ""}> Passages on a topic</label>
<label><input type="radio" name="{mode_name}" data-role="mode" value="articles"
 {"" if topics else "checked"}> Whole articles</label>
</fieldset>
<fieldset class="ml-cmp-topic"><legend>Topic</legend>
<label>Topic <select name="topic">{topic_options}</select></label>
</fieldset>
<fieldset class="ml-cmp-articles" hidden><legend>Articles</legend>
{article_inputs}
</fieldset>
<fieldset class="ml-cmp-layers"><legend>Highlight</legend>{layer_inputs}</fieldset>
</form>
{key_note}
<p class="ml-cmp-status" role="status" aria-live="polite"></p>
<h3 class="ml-cmp-heading"></h3>
<p class="ml-cmp-desc"></p>
{_terms_html([]).replace('<span class="ml-none">', '<span class="ml-none" hidden>')}
<div class="ml-cmp {_show_classes(shown)}">
{columns}
</div>
{legend_html()}
<script type="application/json" class="ml-cmp-data">{_json_for_script(data)}</script>
<script>{_asset("compare.js")}</script>
</div>
"""


COMPARE_VIEW = Path("book") / "_generated" / "compare-view.html"
EDITION_VARIABLE = "MEDIALIT_EDITION"


def book_highlights(corpus: Corpus, edition: str) -> list[Highlight]:
    """The key highlights an edition's book may show: every key for instructors; for students
    only the worked examples that sources/topics.yaml lists under student_edition_keys."""
    if edition == "instructor":
        return layers.key_highlights(corpus)
    return layers.key_highlights(corpus, student_edition_keys(corpus))


def write_compare_view(
    srcdir: Path, corpus: Corpus | None = None, edition: str | None = None
) -> Path:
    """Write the book's comparison view (included by book/compare.md) if it changed."""
    import os

    from medialit.corpus import default
    from medialit.fileio import atomic_write_text

    corpus = corpus or default()
    edition = edition or os.environ.get(EDITION_VARIABLE, "").strip().lower() or "student"
    path = srcdir / COMPARE_VIEW
    text = compare_page(corpus, highlights=book_highlights(corpus, edition))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return path
