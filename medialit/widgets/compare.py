"""compare(): passages side by side, with layers from the key or the student's annotations.

It shows the keys this copy of the course holds: every key in the instructor's checkout, and in
a student install only the published worked examples (the wheel carries no other key file), so
no call of compare() can show a graded answer to a student.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import ipywidgets as widgets

from medialit.corpus import Corpus, default
from medialit.render import layers
from medialit.render.compare_html import TERMS, Comparison, comparison, comparison_html
from medialit.render.layers import Highlight
from medialit.render.topics import Topic, load_topics
from medialit.widgets.session import answers_file
from medialit.widgets.store import AnswersFile

SOURCES = (("the answer key", "key"), ("my annotations", "mine"), ("both", "both"))
MODES = (
    ("Passages on a topic", "topic"),
    ("Whole articles", "articles"),
    ("Paragraph ids", "paragraphs"),
)


def parse_paragraph_ids(text: str) -> list[str]:
    """Paragraph ids typed by a student, separated by commas, spaces or new lines.

    >>> parse_paragraph_ids("russia-china-resist:p01, biden-putin-meeting:p13")
    ['russia-china-resist:p01', 'biden-putin-meeting:p13']
    """
    return [part for part in text.replace(",", " ").split() if part]


def highlights_for(
    corpus: Corpus, view: Comparison, source: str, store: AnswersFile | None
) -> tuple[list[Highlight], str]:
    """The highlights of a view's articles from the key, the student's file, or both, and a
    note for the student when one of them has nothing to show."""
    wanted = set(view.article_ids)
    found: list[Highlight] = []
    notes = []
    if source in ("key", "both"):
        try:
            key = layers.key_highlights(corpus, view.article_ids)
        except ValueError as error:  # a key file with mistakes: say so, show the rest
            key = []
            notes.append(f"The answer key could not be read: {error}")
        if not key and not notes:
            from medialit.annotations.key import key_paths

            shipped = [path.stem for path in key_paths(corpus)]
            notes.append(
                "The answer key has no annotations of these articles in this copy of the course"
                + (
                    f": it holds the key of the worked example only ({', '.join(shipped)}); the "
                    "other keys grade exercises and stay with your instructor."
                    if shipped
                    else "."
                )
            )
        found += key
    if source in ("mine", "both"):
        records = store.annotations() if store is not None else []
        mine = [h for h in layers.answer_highlights(corpus, records) if h.article_id in wanted]
        if not mine:
            notes.append("You have no saved annotations of these articles yet (use annotate()).")
        found += mine
    return found, " ".join(notes)


class CompareWidget(widgets.VBox):
    """The comparison tool: pick a topic, two articles or paragraph ids; toggle layers."""

    def __init__(
        self,
        corpus: Corpus,
        topics: dict[str, Topic],
        *,
        mode: str,
        topic: str | None,
        article_ids: Sequence[str],
        paragraph_ids: Sequence[str],
        shown: Iterable[str],
        source: str,
        store: AnswersFile | None,
    ) -> None:
        self.corpus, self.topics, self.store = corpus, topics, store
        style = {"description_width": "initial"}
        titles = [(article.title, article.article_id) for article in corpus]
        self.mode = widgets.Dropdown(options=MODES, value=mode, description="Compare", style=style)
        self.topic = widgets.Dropdown(
            options=[(t.name, t.topic_id) for t in topics.values()],
            value=topic or next(iter(topics), None),
            description="Topic",
            style=style,
        )
        ticked = set(article_ids or [article_id for _, article_id in titles[:2]])
        self.article_boxes = {
            article_id: widgets.Checkbox(
                value=article_id in ticked,
                description=title,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for title, article_id in titles
        }
        self.paragraph_ids = widgets.Text(
            value=", ".join(paragraph_ids),
            description="Paragraph ids",
            placeholder="russia-china-resist:p01, ...",
            continuous_update=False,
            style=style,
            layout=widgets.Layout(width="95%"),
        )
        self.source = widgets.Dropdown(
            options=SOURCES, value=source, description="Highlights from", style=style
        )
        shown = set(shown)
        self.layer_boxes = {
            layer: widgets.Checkbox(
                value=layer in shown,
                description=layers.layer_name(layer),
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for layer in layers.LAYER_IDS
        }
        self.layer_boxes[TERMS] = widgets.Checkbox(
            value=TERMS in shown,
            description="Shared terms",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.view = widgets.HTML()
        for control in (
            self.mode,
            self.topic,
            self.paragraph_ids,
            self.source,
            *self.article_boxes.values(),
            *self.layer_boxes.values(),
        ):
            control.observe(self.update, names="value")
        self.choosers = widgets.VBox()
        super().__init__(
            children=[
                widgets.HBox([self.mode, self.source]),
                self.choosers,
                widgets.HBox([widgets.Label("Highlight:"), *self.layer_boxes.values()]),
                self.view,
            ]
        )
        self.add_class("ml-compare")
        self.update()

    def shown_layers(self) -> list[str]:
        """The layers (and 'terms') whose boxes are ticked."""
        return [layer for layer, box in self.layer_boxes.items() if box.value]

    def current_view(self) -> Comparison:
        """The comparison the controls describe (ValueError or KeyError saying what is wrong)."""
        if self.mode.value == "topic":
            return comparison(self.corpus, topic=self.topic.value, topics=self.topics)
        if self.mode.value == "articles":
            ids = [article_id for article_id, box in self.article_boxes.items() if box.value]
            if not ids:
                raise ValueError("Tick at least one article (two or more to compare them).")
            return comparison(self.corpus, article_ids=ids)
        ids = parse_paragraph_ids(self.paragraph_ids.value)
        if not ids:
            raise ValueError(
                "Type one or more paragraph ids, like russia-china-resist:p01, separated by commas."
            )
        return comparison(self.corpus, paragraph_ids=ids)

    def update(self, change: Any = None) -> None:
        """Rebuild the view from the controls."""
        self.choosers.children = {
            "topic": [self.topic],
            "articles": [widgets.Label("Articles:"), *self.article_boxes.values()],
            "paragraphs": [self.paragraph_ids],
        }[self.mode.value]
        try:
            view = self.current_view()
        except (KeyError, ValueError) as error:
            message = str(error.args[0] if error.args else error)
            self.view.value = f'<p role="alert"><strong>Cannot show this:</strong> {message}</p>'
            return
        found, note = highlights_for(self.corpus, view, self.source.value, self.store)
        self.view.value = comparison_html(view, found, self.shown_layers(), note=note.strip())


def compare(
    articles: Sequence[str] | None = None,
    *,
    topic: str | None = None,
    paragraph_ids: Sequence[str] | None = None,
    layers_shown: Iterable[str] = ("sourcing", TERMS),
    source: str = "key",
    notebook: str | os.PathLike[str] | None = None,
    answers: str | os.PathLike[str] | AnswersFile | None = None,
    corpus: Corpus | None = None,
) -> CompareWidget:
    """The comparison widget. Start it on two (or more) articles, a topic from
    ``sources/topics.yaml`` or a list of paragraph ids; ``source`` is "key", "mine" or "both"
    ("mine" reads the answers file the annotate widget saves beside the notebook).

    >>> view = compare(topic="sanctions")
    >>> view.topic.value = "india-quad"
    >>> "putin-changed-stance:p02" in view.view.value
    True
    >>> view.layer_boxes["claims"].value = True
    >>> "CLAIM: " in view.view.value
    True
    """
    corpus = corpus or default()
    topics = load_topics(corpus, strict=False)
    mode = "paragraphs" if paragraph_ids else "articles" if articles else "topic"
    if topic is not None and topic not in topics:
        raise ValueError(f"There is no topic {topic!r}. Topics: {', '.join(topics)}.")
    store = answers_file(notebook, answers)
    return CompareWidget(
        corpus,
        topics,
        mode=mode,
        topic=topic,
        article_ids=list(articles or ()),
        paragraph_ids=list(paragraph_ids or ()),
        shown=layers_shown,
        source=source,
        store=store,
    )
