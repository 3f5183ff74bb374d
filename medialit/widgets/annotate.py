"""annotate(): select words of an article, label them; every change is saved at once.

The front end is one ES module and its CSS (``frontend/annotator.js``/``.css``, run by anywidget);
the same module runs in the published book's article pages over a small local model. Python keeps
the logic: every span and label the front end sends is checked here before it is saved.
"""

from __future__ import annotations

import os
from typing import Any

import anywidget
import traitlets

from medialit import match
from medialit.annotations import labels as codebook
from medialit.corpus import Article, Corpus, Paragraph, QuoteNotFound, default
from medialit.corpus.locate import locate
from medialit.render import layers
from medialit.render.annotator_data import (
    ANNOTATOR_STATIC,
    dimensions,
    layer_pickers,
    paragraph_words,
    words_of,
)
from medialit.widgets.session import answers_file
from medialit.widgets.store import AnswersFile

SHORT = 70


# --------------------------------------------------------------------------- plain functions


def span_of_words(paragraph: Paragraph, first: int, last: int) -> tuple[int, int]:
    """Body offsets of words ``first`` to ``last`` (counting from 1) of a paragraph."""
    words = words_of(paragraph.text)
    if not 1 <= first <= last <= len(words):
        raise ValueError(
            f"{paragraph.paragraph_id} has words 1 to {len(words)}; "
            f"{first} to {last} is outside it."
        )
    return paragraph.start + words[first - 1][0], paragraph.start + words[last - 1][1]


def span_of_quote(corpus: Corpus, paragraph: Paragraph, quote: str) -> tuple[int, int]:
    """Body offsets of ``quote`` inside the paragraph (quotes, dashes and spaces folded).

    >>> from medialit import corpus
    >>> p = corpus.paragraph("russia-china-resist:p11")
    >>> start, end = span_of_quote(corpus.default(), p, '"walk and chew gum"')
    >>> corpus.article("russia-china-resist").body[start:end]
    '“walk and chew gum”'
    """
    if not quote.strip():
        raise ValueError("The quote is empty: paste the words you want to mark.")
    found = match.find_quote(quote, paragraph.text)
    if found is None:
        try:
            elsewhere = locate(corpus, quote, paragraph.article_id)
        except QuoteNotFound:
            elsewhere = None
        if elsewhere is not None and elsewhere.paragraph_id != paragraph.paragraph_id:
            raise ValueError(
                f"These words are not in {paragraph.paragraph_id} but in "
                f"{elsewhere.paragraph_id}: choose that paragraph first."
            )
        raise ValueError(
            f"These words are not in {paragraph.paragraph_id} word for word. Copy "
            "them exactly as the article has them, typos included."
        )
    return paragraph.start + found[0], paragraph.start + found[1]


def span_of_offsets(paragraph: Paragraph, start: int, end: int) -> tuple[int, int]:
    """Body offsets ``start``/``end`` checked: inside the paragraph, on whole words.

    >>> from medialit import corpus
    >>> p = corpus.paragraph("russia-china-resist:p11")
    >>> span_of_offsets(p, p.start, p.start + 3)
    Traceback (most recent call last):
    ...
    ValueError: The span must start and end on whole words of russia-china-resist:p11.
    """
    words = [(paragraph.start + s, paragraph.start + e) for s, e in words_of(paragraph.text)]
    if not (isinstance(start, int) and isinstance(end, int)) or not (
        paragraph.start <= start < end <= paragraph.end
    ):
        raise ValueError(
            f"The span {start}-{end} is not inside {paragraph.paragraph_id}: choose words of "
            "one paragraph."
        )
    if start not in {s for s, _ in words} or end not in {e for _, e in words}:
        raise ValueError(f"The span must start and end on whole words of {paragraph.paragraph_id}.")
    return start, end


def span_of(
    corpus: Corpus,
    paragraph: Paragraph,
    *,
    quote: str | None = None,
    words: tuple[int, int] | None = None,
    offsets: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """Body offsets of the quote, else the words, else the offsets, else the whole paragraph."""
    if quote:
        return span_of_quote(corpus, paragraph, quote)
    if words:
        return span_of_words(paragraph, *words)
    if offsets:
        return span_of_offsets(paragraph, *offsets)
    return paragraph.start, paragraph.end


def check_labels(layer: str, chosen: dict[str, str]) -> dict[str, str]:
    """One label per dimension of the layer, in codebook order; the first dimension is required.

    >>> check_labels("sourcing", {"quote_kinds": "direct", "source_types": "official"})
    {'source_types': 'official', 'quote_kinds': 'direct'}
    >>> check_labels("sourcing", {"quote_kinds": "direct"})
    Traceback (most recent call last):
    ...
    ValueError: Choose a label of Source types first.
    """
    if layer not in codebook.LAYERS:
        raise ValueError(codebook.LAYERS.unknown_message(layer))
    sets = dimensions(layer)
    unknown = set(chosen) - {d.id for d in sets}
    if unknown:
        raise ValueError(
            f"{', '.join(sorted(unknown))} is not a dimension of the {layers.layer_name(layer)} "
            f"layer; its dimensions are {', '.join(d.id for d in sets)}."
        )
    checked: dict[str, str] = {}
    for label_set in sets:
        label_id = chosen.get(label_set.id)
        if not label_id:
            continue
        if label_id not in label_set:
            raise ValueError(label_set.unknown_message(label_id))
        layers.check_label(layer, label_id)
        checked[label_set.id] = label_id
    if sets[0].id not in checked:
        raise ValueError(f"Choose a label of {sets[0].name} first.")
    return checked


def make_record(
    corpus: Corpus,
    paragraph_id: str,
    layer: str,
    label: str | None = None,
    *,
    labels: dict[str, str] | None = None,
    quote: str | None = None,
    words: tuple[int, int] | None = None,
    offsets: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """An annotation record, checked: the paragraph exists, the labels fit the layer (one per
    dimension, given as ``labels`` or as the one ``label``), and the span is the quote, the
    words, the body offsets, or (given none) the whole paragraph.

    >>> from medialit import corpus
    >>> record = make_record(corpus.default(), "russia-china-resist:p22", "persuasion",
    ...                      "slogans", words=(52, 54))
    >>> record["text"], record["layer"], record["label"]
    ('Trust Biden to', 'persuasion', 'slogans')
    >>> make_record(corpus.default(), "russia-china-resist:p03", "sourcing", quote="Moscow sees",
    ...             labels={"source_types": "vague", "quote_kinds": "indirect"})["labels"]
    {'source_types': 'vague', 'quote_kinds': 'indirect'}
    """
    paragraph = corpus.paragraph(paragraph_id)
    if labels is None:
        if label is None:
            raise ValueError("Choose a label first.")
        layers.check_label(layer, label)
        labels = {codebook.set_of(label).id: label}
    chosen = check_labels(layer, labels)
    start, end = span_of(corpus, paragraph, quote=quote, words=words, offsets=offsets)
    body = corpus.article(paragraph.article_id).body
    return {
        "paragraph_id": paragraph_id,
        "start": start,
        "end": end,
        "text": body[start:end],
        "layer": layer,
        "label": next(iter(chosen.values())),
        "labels": chosen,
    }


def describe(record: dict[str, Any]) -> str:
    """One line for the list of annotations.

    >>> describe({"annotation_id": "a003", "paragraph_id": "x:p07", "text": "Trust Biden",
    ...           "layer": "persuasion", "label": "slogans"})
    'a003 · x:p07 · TECH: SLOGAN · “Trust Biden”'
    >>> describe({"annotation_id": "a004", "paragraph_id": "x:p09", "text": "we will",
    ...           "layer": "sourcing", "label": "official",
    ...           "labels": {"source_types": "official", "quote_kinds": "direct"}})
    'a004 · x:p09 · SOURCE: OFFICIAL·DIRECT · “we will”'
    """
    chosen = record.get("labels") or {"": record["label"]}
    tag = "·".join(layers.label_text(label_id)[0] for label_id in chosen.values())
    text = record["text"] if len(record["text"]) <= SHORT else record["text"][: SHORT - 1] + "…"
    return (
        f"{record['annotation_id']} · {record['paragraph_id']} · "
        f"{layers.layer_tag(record['layer'])}: {tag} · “{text}”"
    )


def check_saved(corpus: Corpus, record: dict[str, Any]) -> str | None:
    """Why a saved record no longer fits the corpus or codebook (None when it fits)."""
    try:
        paragraph = corpus.paragraph(record["paragraph_id"])
        layers.check_label(record["layer"], record["label"])
        if record.get("labels"):
            check_labels(record["layer"], record["labels"])
    except (KeyError, ValueError) as error:
        return str(error.args[0] if error.args else error)
    body = corpus.article(paragraph.article_id).body
    if match.find_quote(record["text"], body[record["start"] : record["end"]]) is None:
        return "its text is no longer at its place in the article"
    return None


# --------------------------------------------------------------------------- the widget


def _reason(error: BaseException) -> str:
    return str(error.args[0] if error.args else error)


class AnnotateWidget(anywidget.AnyWidget):
    """The annotator: select words, choose one label per dimension, add; saved at once.

    The front end (``frontend/annotator.js``) sends ``add``, ``delete`` and ``find`` messages;
    the methods of the same names do the work, so tests drive them without a browser.
    """

    _esm = ANNOTATOR_STATIC / "annotator.js"
    _css = ANNOTATOR_STATIC / "annotator.css"
    articles = traitlets.List().tag(sync=True)
    article_id = traitlets.Unicode().tag(sync=True)
    paragraphs = traitlets.List().tag(sync=True)
    layers = traitlets.List().tag(sync=True)
    annotations = traitlets.List().tag(sync=True)
    message = traitlets.Dict().tag(sync=True)  # {"kind": info|saved|error, "text", "n"}
    found = traitlets.Dict().tag(sync=True)  # the span a pasted quote was found at
    list_title = traitlets.Unicode("My annotations").tag(sync=True)
    # Extra buttons on each listed annotation; a click sends {"type": "action", "action",
    # "annotation_id"} (none for students; the instructor's key editor adds "Edit").
    item_actions = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, corpus: Corpus, store: AnswersFile, article_id: str | None = None) -> None:
        self.corpus = corpus
        self.store = store
        self._said = 0
        super().__init__(
            articles=[{"id": a.article_id, "title": a.title} for a in corpus],
            article_id=article_id or corpus.ids()[0],
            layers=layer_pickers(),
        )
        self.paragraphs = paragraph_words(corpus.article(self.article_id))
        self.observe(self._article_changed, names="article_id")
        self.on_msg(self._received)
        self.annotations = self.store.annotations()
        self._say_notices(first=True)

    # ------------------------------------------------------------------ front end

    def _article_changed(self, change: Any) -> None:
        article: Article = self.corpus.article(change["new"])
        self.paragraphs = paragraph_words(article)

    def _received(self, widget: Any, content: Any, buffers: Any = None) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "add":
            self.add(
                content.get("paragraph_id", ""),
                content.get("layer", ""),
                dict(content.get("labels") or {}),
                offsets=(content.get("start"), content.get("end")),
            )
        elif kind == "delete":
            self.delete(str(content.get("annotation_id", "")))
        elif kind == "find":
            self.find(str(content.get("quote", "")))
        elif kind == "action":
            self.action(str(content.get("action", "")), str(content.get("annotation_id", "")))

    def _say(self, text: str, kind: str = "info") -> None:
        mark = {"info": "", "saved": "Saved: ", "error": "Not saved: "}[kind]
        self._said += 1
        self.message = {"kind": kind, "text": mark + text, "n": self._said}

    def _say_notices(self, first: bool = False) -> None:
        if self.store.notices:
            self._say(" ".join(self.store.notices), "info")
            self.store.notices.clear()
        elif first:
            count = len(self.annotations)
            self._say(
                f"{count} annotation(s) in {self.store.path.name}; every change is saved "
                "there at once."
                if count
                else f"Your annotations will be saved in {self.store.path.name} as you work."
            )

    # ------------------------------------------------------------------ actions

    def add(
        self,
        paragraph_id: str,
        layer: str,
        labels: dict[str, str],
        *,
        offsets: tuple[int, int] | None = None,
        quote: str | None = None,
    ) -> dict[str, Any] | None:
        """Check and save one annotation; returns it (None, with the reason said, if wrong)."""
        try:
            record = make_record(
                self.corpus, paragraph_id, layer, labels=labels, offsets=offsets, quote=quote
            )
            saved = self.store.add(record)
        except (ValueError, KeyError, TypeError, OSError) as error:
            self._say(_reason(error), "error")
            return None
        self.annotations = self.store.annotations()
        self._say(f"{describe(saved)} (in {self.store.path.name})", "saved")
        self._say_notices()
        return saved

    def delete(self, annotation_id: str) -> bool:
        """Delete one saved annotation."""
        try:
            self.store.delete(annotation_id)
        except (KeyError, OSError) as error:
            self._say(_reason(error), "error")
            return False
        self.annotations = self.store.annotations()
        self._say(f"deleted {annotation_id}", "saved")
        self._say_notices()
        return True

    def action(self, action: str, annotation_id: str) -> None:
        """An extra list button was pressed (see ``item_actions``); the annotator has none."""

    def find(self, quote: str) -> dict[str, Any] | None:
        """Choose the words of a pasted quote in the current article (quotes, dashes, spaces
        folded); says where they are when they are in another paragraph or not found."""
        article = self.corpus.article(self.article_id)
        for paragraph in article.paragraphs:
            try:
                start, end = span_of_quote(self.corpus, paragraph, quote)
            except ValueError:
                continue
            words = [
                (paragraph.start + s, paragraph.start + e) for s, e in words_of(paragraph.text)
            ]
            start = max((s for s, e in words if s <= start), default=paragraph.start)
            end = min((e for s, e in words if e >= end), default=paragraph.end)
            self.found = {
                "paragraph_id": paragraph.paragraph_id,
                "start": start,
                "end": end,
                "n": self._said + 1,
            }
            self._say(f"Found in paragraph {paragraph.number}: “{article.body[start:end]}”.")
            return dict(self.found)
        try:
            span_of_quote(self.corpus, article.paragraphs[0], quote)
        except ValueError as error:
            message = _reason(error).replace(article.paragraphs[0].paragraph_id, "this article")
        self._say(message, "error")
        return None


def annotate(
    article_id: str | None = None,
    *,
    notebook: str | os.PathLike[str] | None = None,
    answers: str | os.PathLike[str] | AnswersFile | None = None,
    corpus: Corpus | None = None,
) -> AnnotateWidget:
    """The annotator on one article. Work is saved in ``<notebook-stem>.answers.json`` beside
    the notebook (give ``notebook='name.ipynb'`` if the widget cannot tell its name).

    >>> import json, pathlib, tempfile
    >>> notebook = pathlib.Path(tempfile.mkdtemp()) / "lesson.ipynb"
    >>> tool = annotate("biden-putin-meeting", notebook=notebook)
    >>> tool.find("virtually nil")["paragraph_id"]
    'biden-putin-meeting:p13'
    >>> saved = tool.add("biden-putin-meeting:p13", "claims", {"claim_kinds": "prediction"},
    ...                  offsets=(tool.found["start"], tool.found["end"]))
    >>> saved = json.loads(notebook.with_name("lesson.answers.json").read_text())
    >>> [(a["annotation_id"], a["text"], a["label"]) for a in saved["annotations"]]
    [('a001', 'virtually nil.', 'prediction')]
    """
    return AnnotateWidget(corpus or default(), answers_file(notebook, answers), article_id)
