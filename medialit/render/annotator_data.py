"""What the annotator's front end is given: an article's words and each layer's label picker.

The same data goes to the notebook widget (as anywidget traits) and into the book's article
pages (as JSON beside the text), so that one ES module runs in both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from medialit.annotations import labels as codebook
from medialit.corpus import Article
from medialit.render import layers

_WORD = re.compile(r"\S+")
# The ES module and its CSS, in the package (medialit/widgets/frontend): read, never imported.
ANNOTATOR_STATIC = Path(__file__).resolve().parents[1] / "widgets" / "frontend"
STORAGE_KEY = "medialit-annotations-v1"  # the book's localStorage key for the student's work


def words_of(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every word of ``text``.

    >>> words_of("Trust Biden to respond.")
    [(0, 5), (6, 11), (12, 14), (15, 23)]
    """
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def dimensions(layer: str) -> list[codebook.LabelSet]:
    """The label sets a student chooses from in ``layer``: one label each, the first required.

    >>> [d.id for d in dimensions("sourcing")]
    ['source_types', 'quote_kinds']
    """
    offered = {choice.label_id for choice in layers.choices(layer)}
    return [
        codebook.label_set(set_id)
        for set_id in codebook.LAYER_LABEL_SETS[layer]
        if any(label.id in offered for label in codebook.label_set(set_id))
    ]


def layer_pickers() -> list[dict[str, Any]]:
    """Every layer with its dimensions and their labels (id, name, tag, definition).

    >>> sourcing = layer_pickers()[1]
    >>> sourcing["tag"], [d["id"] for d in sourcing["dimensions"]]
    ('SOURCE', ['source_types', 'quote_kinds'])
    """
    return [
        {
            "id": layer,
            "name": layers.layer_name(layer),
            "tag": layers.layer_tag(layer),
            "dimensions": [
                {
                    "id": label_set.id,
                    "name": label_set.name,
                    "required": number == 0,
                    "labels": [
                        {"id": x.id, "name": x.name, "tag": x.tag, "definition": x.definition}
                        for x in label_set
                    ],
                }
                for number, label_set in enumerate(dimensions(layer))
            ],
        }
        for layer in layers.LAYER_IDS
    ]


def paragraph_words(article: Article) -> list[dict[str, Any]]:
    """The article's paragraphs for the front end: id, number, kind, body offset, text, words.

    >>> from medialit import corpus
    >>> first = paragraph_words(corpus.article("russia-china-resist"))[0]
    >>> first["id"], first["words"][0]
    ('russia-china-resist:p01', [0, 3])
    """
    return [
        {
            "id": p.paragraph_id,
            "number": p.number,
            "kind": p.kind,
            "start": p.start,
            "text": p.text,
            "words": [list(w) for w in words_of(p.text)],
        }
        for p in article.paragraphs
    ]


def annotation_items(root: Path) -> list[dict[str, Any]]:
    """The annotation items of the exercises (``exercises/<set>.md``, read, nothing run): set,
    item id, title, article and layer, so that the book's annotator can list what to do.

    >>> from pathlib import Path
    >>> [(i["set"], i["id"], i["layer"]) for i in annotation_items(Path("."))][:1]
    [('sourcing', 'q7', 'sourcing')]
    """
    from medialit.assign.source import item_specs, read_source
    from medialit.render.objectives import exercise_sources

    found = []
    for path in exercise_sources(Path(root)):
        if path.suffix != ".md":
            continue
        source = read_source(path)
        for _, spec, _ in item_specs(source):
            if spec.get("kind") != "annotation":
                continue
            found.append(
                {
                    "set": source.set_id,
                    "id": str(spec.get("id")),
                    "title": str(spec.get("title") or ""),
                    "article_id": str(spec.get("article_id")),
                    "layer": str(spec.get("layer")),
                    "paragraphs": [str(p) for p in spec.get("paragraphs") or []],
                }
            )
    return found


def page_data(article: Article, items: list[dict[str, Any]]) -> str:
    """The JSON the book's annotator reads from an article page (safe inside a script tag)."""
    import json

    payload = {
        "article": {"id": article.article_id, "title": article.title},
        "paragraphs": paragraph_words(article),
        "layers": layer_pickers(),
        "items": items,
        "storage_key": STORAGE_KEY,
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")
