"""annotate(): mark a span or paragraph with a codebook label; every change is saved at once."""

from __future__ import annotations

import html
import os
import re
from typing import Any

import ipywidgets as widgets

from medialit import match
from medialit.corpus import Corpus, Paragraph, QuoteNotFound, default
from medialit.corpus.locate import locate
from medialit.render import layers
from medialit.render.compare_html import _asset, paragraph_html
from medialit.widgets.session import answers_file
from medialit.widgets.store import AnswersFile

_WORD = re.compile(r"\S+")
SHORT = 70


# --------------------------------------------------------------------------- plain functions


def words_of(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every word of ``text``.

    >>> words_of("Trust Biden to respond.")
    [(0, 5), (6, 11), (12, 14), (15, 23)]
    """
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


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


def span_of(
    corpus: Corpus,
    paragraph: Paragraph,
    *,
    quote: str | None = None,
    words: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """Body offsets of the quote, else of the words, else of the whole paragraph."""
    if quote:
        return span_of_quote(corpus, paragraph, quote)
    if words:
        return span_of_words(paragraph, *words)
    return paragraph.start, paragraph.end


def make_record(
    corpus: Corpus,
    paragraph_id: str,
    layer: str,
    label: str,
    *,
    quote: str | None = None,
    words: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """An annotation record, checked: the paragraph exists, the label fits the layer, and the
    span is the quote, the words, or (given neither) the whole paragraph.

    >>> from medialit import corpus
    >>> record = make_record(corpus.default(), "russia-china-resist:p22", "persuasion",
    ...                      "slogans", words=(52, 54))
    >>> record["text"], record["layer"], record["label"]
    ('Trust Biden to', 'persuasion', 'slogans')
    """
    paragraph = corpus.paragraph(paragraph_id)
    layers.check_label(layer, label)
    start, end = span_of(corpus, paragraph, quote=quote, words=words)
    body = corpus.article(paragraph.article_id).body
    return {
        "paragraph_id": paragraph_id,
        "start": start,
        "end": end,
        "text": body[start:end],
        "layer": layer,
        "label": label,
    }


def describe(record: dict[str, Any]) -> str:
    """One line for the list of annotations.

    >>> describe({"annotation_id": "a003", "paragraph_id": "x:p07", "text": "Trust Biden",
    ...           "layer": "persuasion", "label": "slogans"})
    'a003 · x:p07 · TECH: SLOGAN · “Trust Biden”'
    """
    tag, _ = layers.label_text(record["label"])
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
    except (KeyError, ValueError) as error:
        return str(error.args[0] if error.args else error)
    body = corpus.article(paragraph.article_id).body
    if match.find_quote(record["text"], body[record["start"] : record["end"]]) is None:
        return "its text is no longer at its place in the article"
    return None


# --------------------------------------------------------------------------- the widget


class AnnotateWidget(widgets.VBox):
    """The annotation tool: choose a passage and a label, add, edit or delete; saved at once."""

    def __init__(self, corpus: Corpus, store: AnswersFile, article_id: str | None = None) -> None:
        self.corpus = corpus
        self.store = store
        self._loading = False
        layout = widgets.Layout(width="auto")
        style = {"description_width": "initial"}
        self.article = widgets.Dropdown(
            options=[(a.title, a.article_id) for a in corpus],
            description="Article",
            value=article_id or corpus.ids()[0],
            style=style,
            layout=layout,
        )
        self.paragraph = widgets.Dropdown(description="Paragraph", style=style, layout=layout)
        self.whole = widgets.Checkbox(value=False, description="The whole paragraph", indent=False)
        self.words = widgets.IntRangeSlider(
            description="Words",
            min=1,
            max=1,
            value=(1, 1),
            style=style,
            continuous_update=False,
            layout=widgets.Layout(width="95%"),
        )
        self.quote = widgets.Text(
            description="Or paste the exact words",
            placeholder="copied from the paragraph",
            style=style,
            continuous_update=False,
            layout=widgets.Layout(width="95%"),
        )
        self.preview = widgets.HTML()
        self.layer = widgets.Dropdown(
            options=[(layers.layer_name(layer), layer) for layer in layers.LAYER_IDS],
            description="Layer",
            style=style,
        )
        self.label = widgets.Dropdown(description="Label", style=style, layout=layout)
        self.definition = widgets.HTML()
        self.add_button = widgets.Button(
            description="Add annotation",
            button_style="primary",
            icon="plus",
            tooltip="Save this annotation",
            layout=widgets.Layout(width="auto"),
        )
        self.save_button = widgets.Button(
            description="Save changes to selected",
            icon="save",
            tooltip="Replace the selected annotation with this one",
            layout=widgets.Layout(width="auto"),
        )
        self.delete_button = widgets.Button(
            description="Delete selected",
            icon="trash",
            button_style="danger",
            tooltip="Delete the selected annotation",
            layout=widgets.Layout(width="auto"),
        )
        self.saved = widgets.Select(
            description="My annotations", rows=6, style=style, layout=widgets.Layout(width="95%")
        )
        self.status = widgets.HTML()
        for control, handler in (
            (self.article, self._article_changed),
            (self.paragraph, self._span_changed),
            (self.whole, self._span_changed),
            (self.words, self._span_changed),
            (self.quote, self._span_changed),
            (self.layer, self._layer_changed),
            (self.label, self._label_changed),
            (self.saved, self._selection_changed),
        ):
            control.observe(handler, names="value")
        self.add_button.on_click(lambda _: self.add())
        self.save_button.on_click(lambda _: self.save_selected())
        self.delete_button.on_click(lambda _: self.delete_selected())
        super().__init__(
            children=[
                widgets.HTML(
                    f"<style>{_asset('compare.css')}</style><strong>Choose a passage</strong>"
                ),
                self.article,
                self.paragraph,
                self.whole,
                self.words,
                self.quote,
                self.preview,
                widgets.HTML("<strong>Choose a label</strong>"),
                self.layer,
                self.label,
                self.definition,
                widgets.HBox([self.add_button, self.save_button, self.delete_button]),
                self.saved,
                self.status,
            ]
        )
        self.add_class("ml-annotate")
        self._article_changed()
        self._layer_changed()
        self.records = self._refresh()
        self._say_notices(first=True)

    # ------------------------------------------------------------------ form

    def _article_changed(self, change: Any = None) -> None:
        article = self.corpus.article(self.article.value)
        self._loading = True
        self.paragraph.options = [
            (f"p{p.number:02d} · {p.text[:60]}{'…' if len(p.text) > 60 else ''}", p.paragraph_id)
            for p in article.paragraphs
        ]
        self._loading = False
        self._span_changed()

    def _span_changed(self, change: Any = None) -> None:
        if self._loading or self.paragraph.value is None:
            return
        paragraph = self.corpus.paragraph(self.paragraph.value)
        count = len(words_of(paragraph.text))
        if (change is not None and change["owner"] is self.paragraph) or self.words.max != count:
            self._loading = True
            self.words.min, self.words.max = 1, max(count, 1)
            self.words.value = (1, count)
            self._loading = False
        self.words.disabled = self.whole.value or bool(self.quote.value.strip())
        self.quote.disabled = self.whole.value
        self._show_preview()

    def _layer_changed(self, change: Any = None) -> None:
        self.label.options = [(c.text, c.label_id) for c in layers.choices(self.layer.value)]
        self._label_changed()

    def _label_changed(self, change: Any = None) -> None:
        chosen = next(
            (c for c in layers.choices(self.layer.value) if c.label_id == self.label.value), None
        )
        self.definition.value = (
            f"<em>{html.escape(chosen.text)}</em>: {html.escape(chosen.definition)}"
            if chosen
            else ""
        )

    def _span_choice(self) -> dict[str, Any]:
        whole = self.whole.value
        quote = None if whole else self.quote.value.strip() or None
        return {"quote": quote, "words": None if whole or quote else self.words.value}

    def current_record(self) -> dict[str, Any]:
        """The annotation the form describes now (raises ValueError saying what to fix)."""
        if self.label.value is None:
            raise ValueError("Choose a label first.")
        return make_record(
            self.corpus,
            self.paragraph.value,
            self.layer.value,
            self.label.value,
            **self._span_choice(),
        )

    def _show_preview(self) -> None:
        paragraph = self.corpus.paragraph(self.paragraph.value)
        mine = layers.answer_highlights(
            self.corpus,
            [
                r
                for r in getattr(self, "records", [])
                if r["paragraph_id"] == paragraph.paragraph_id
            ],
        )
        try:
            start, end = span_of(self.corpus, paragraph, **self._span_choice())
            text = self.corpus.article(paragraph.article_id).body[start:end]
            selected = (
                f"<p><strong>Selected ({len(text)} characters):</strong> “{html.escape(text)}”</p>"
            )
        except (ValueError, KeyError) as error:
            selected = f"<p><strong>Selection problem:</strong> {html.escape(str(error))}</p>"
        shown = " ".join(f"ml-show-{layer}" for layer in layers.LAYER_IDS)
        self.preview.value = (
            f'<div class="ml-cmp-app"><div class="ml-cmp {shown}">'
            f"{paragraph_html(paragraph, mine)}</div>{selected}</div>"
        )

    # ------------------------------------------------------------------ saved list

    def _refresh(self, select: str | None = None) -> list[dict[str, Any]]:
        self.records = self.store.annotations()
        self._loading = True
        self.saved.options = [(describe(r), r["annotation_id"]) for r in self.records]
        self.saved.value = select if select in {r["annotation_id"] for r in self.records} else None
        self._loading = False
        has_selection = self.saved.value is not None
        self.save_button.disabled = not has_selection
        self.delete_button.disabled = not has_selection
        if self.paragraph.value is not None:
            self._show_preview()
        return self.records

    def _selection_changed(self, change: Any = None) -> None:
        if self._loading:
            return
        has_selection = self.saved.value is not None
        self.save_button.disabled = not has_selection
        self.delete_button.disabled = not has_selection
        record = next((r for r in self.records if r["annotation_id"] == self.saved.value), None)
        if record is None:
            return
        paragraph = self.corpus.paragraph(record["paragraph_id"])
        self.article.value = paragraph.article_id
        self.paragraph.value = paragraph.paragraph_id
        self.whole.value = record["start"] == paragraph.start and record["end"] == paragraph.end
        self.quote.value = "" if self.whole.value else record["text"]
        self.layer.value = record["layer"]
        if record["label"] in self.label.options or any(
            value == record["label"] for _, value in self.label.options
        ):
            self.label.value = record["label"]
        problem = check_saved(self.corpus, record)
        self._say(
            f"Editing {record['annotation_id']}: change the passage or label, then "
            "press “Save changes to selected”." + (f" Note: {problem}." if problem else "")
        )

    def _say(self, message: str, kind: str = "info") -> None:
        mark = {"info": "ℹ", "saved": "✔ Saved", "error": "✖ Not saved"}[kind]
        self.status.value = f'<p role="status"><strong>{mark}</strong> {html.escape(message)}</p>'

    def _say_notices(self, first: bool = False) -> None:
        if self.store.notices:
            self._say(" ".join(self.store.notices), "info")
            self.store.notices.clear()
        elif first:
            count = len(self.records)
            self._say(
                f"{count} annotation(s) in {self.store.path.name}; every change is saved "
                "there at once."
                if count
                else f"Your annotations will be saved in {self.store.path.name} as you work."
            )

    # ------------------------------------------------------------------ actions

    def add(self) -> dict[str, Any] | None:
        """Save the annotation the form describes; returns it (None when the form is wrong)."""
        try:
            saved = self.store.add(self.current_record())
        except (ValueError, KeyError, OSError) as error:
            self._say(str(error.args[0] if error.args else error), "error")
            return None
        self._refresh(select=None)
        self._say(f"{describe(saved)} (in {self.store.path.name})", "saved")
        self._say_notices()
        return saved

    def save_selected(self) -> dict[str, Any] | None:
        """Replace the selected annotation with what the form describes now."""
        annotation_id = self.saved.value
        if annotation_id is None:
            self._say("Select an annotation in the list first.", "error")
            return None
        try:
            saved = self.store.update(annotation_id, self.current_record())
        except (ValueError, KeyError, OSError) as error:
            self._say(str(error.args[0] if error.args else error), "error")
            return None
        self._refresh(select=annotation_id)
        self._say(f"changed {describe(saved)}", "saved")
        self._say_notices()
        return saved

    def delete_selected(self) -> bool:
        """Delete the selected annotation."""
        annotation_id = self.saved.value
        if annotation_id is None:
            self._say("Select an annotation in the list first.", "error")
            return False
        try:
            self.store.delete(annotation_id)
        except (KeyError, OSError) as error:
            self._say(str(error.args[0] if error.args else error), "error")
            return False
        self._refresh()
        self._say(f"deleted {annotation_id}", "saved")
        self._say_notices()
        return True


def annotate(
    article_id: str | None = None,
    *,
    notebook: str | os.PathLike[str] | None = None,
    answers: str | os.PathLike[str] | AnswersFile | None = None,
    corpus: Corpus | None = None,
) -> AnnotateWidget:
    """The annotation widget. Work is saved in ``<notebook-stem>.answers.json`` beside the
    notebook (give ``notebook='name.ipynb'`` if the widget cannot tell its name).

    >>> import json, pathlib, tempfile
    >>> notebook = pathlib.Path(tempfile.mkdtemp()) / "lesson.ipynb"
    >>> tool = annotate("biden-putin-meeting", notebook=notebook)
    >>> tool.paragraph.value = "biden-putin-meeting:p13"
    >>> tool.quote.value = "virtually nil"
    >>> tool.layer.value, tool.label.value = "claims", "prediction"
    >>> tool.add_button.click()
    >>> saved = json.loads(notebook.with_name("lesson.answers.json").read_text())
    >>> [(a["annotation_id"], a["text"], a["label"]) for a in saved["annotations"]]
    [('a001', 'virtually nil', 'prediction')]
    """
    return AnnotateWidget(corpus or default(), answers_file(notebook, answers), article_id)
