"""Highlights for the readers and comparison views: the one adapter to the codebook and the keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from medialit.annotations import labels
from medialit.corpus import Corpus

# The layer shown for student annotations and key entries; order = nesting and legend order.
LAYER_IDS: tuple[str, ...] = labels.LAYERS.ids()
# Label sets a student chooses from in each layer (categories are graded, not annotated).
_CHOOSABLE_EXCLUDED = {"technique_categories", "verdicts"}


@dataclass(frozen=True)
class Choice:
    """One label a student may give in a layer: its id, display text and definition."""

    label_id: str
    text: str
    definition: str


@dataclass(frozen=True)
class Highlight:
    """A marked span of an article body, from the key or from a student's annotations.

    ``start``/``end`` are offsets into the article body (medialit.corpus offsets);
    ``badge`` is the short text shown beside the span, so no highlight relies on colour.
    """

    article_id: str
    paragraph_id: str
    start: int
    end: int
    layer: str
    badge: str
    title: str
    origin: str  # "key" or "mine"
    whole_paragraph: bool = False


def layer_name(layer: str) -> str:
    """The display name of a layer.

    >>> layer_name("persuasion")
    'Persuasion techniques'
    """
    return labels.LAYERS[layer].name


def layer_tag(layer: str) -> str:
    """The short tag of a layer, shown in every badge.

    >>> layer_tag("sourcing")
    'SOURCE'
    """
    return labels.LAYERS[layer].tag


def choices(layer: str) -> list[Choice]:
    """The labels a student may choose in ``layer``, grouped by label set.

    >>> [c.label_id for c in choices("persuasion")][:2]
    ['name_calling', 'guilt_by_association']
    """
    found: list[Choice] = []
    for set_id in labels.LAYER_LABEL_SETS[layer]:
        if set_id in _CHOOSABLE_EXCLUDED:
            continue
        label_set = labels.label_set(set_id)
        for label in label_set:
            found.append(Choice(label.id, f"{label.name} ({label_set.name})", label.definition))
    return found


def check_label(layer: str, label_id: str) -> None:
    """Raise ValueError unless ``label_id`` is a label a student may give in ``layer``.

    >>> check_label("claims", "prediction")
    >>> check_label("claims", "loaded_language")
    Traceback (most recent call last):
    ...
    ValueError: 'loaded_language' is not a label of the Claims layer (it belongs to Persuasion
    techniques). Allowed: verifiable_fact, opinion, ...
    """
    if layer not in labels.LAYERS:
        raise ValueError(labels.LAYERS.unknown_message(layer))
    allowed = [choice.label_id for choice in choices(layer)]
    if label_id in allowed:
        return
    try:
        home = f"it belongs to {labels.set_of(label_id).name}"
    except labels.UnknownLabel:
        home = "it is not in the codebook"
    raise ValueError(
        f"{label_id!r} is not a label of the {layer_name(layer)} layer ({home}). "
        f"Allowed: {', '.join(allowed)}."
    )


def label_text(label_id: str) -> tuple[str, str]:
    """A label's short tag and full name (the id itself for a label the codebook lacks)."""
    try:
        label = labels.get_label(label_id)
    except labels.UnknownLabel:
        return label_id.upper(), f"{label_id} (not in the codebook)"
    return label.tag, label.name


def badge_for(layer: str, label_ids: Iterable[str], origin: str) -> tuple[str, str]:
    """The badge text and the full title of a highlight.

    >>> badge_for("sourcing", ["official", "direct"], "key")
    ('SOURCE: OFFICIAL·DIRECT', 'Sourcing (key): Named official or official body; Direct quote')
    >>> badge_for("persuasion", ["loaded_language"], "mine")[0]
    'MINE TECH: LOADED'
    """
    tags, names = [], []
    for label_id in label_ids:
        tag, name = label_text(label_id)
        tags.append(tag)
        names.append(name)
    prefix = "MINE " if origin == "mine" else ""
    badge = f"{prefix}{layer_tag(layer)}" + (f": {'·'.join(tags)}" if tags else "")
    who = "my annotation" if origin == "mine" else "key"
    return badge, f"{layer_name(layer)} ({who}): " + "; ".join(names)


# Fields of a key entry shown in its badge, by layer (the most telling ones, in this order).
_BADGE_FIELDS: dict[str, tuple[str, ...]] = {
    "framing": ("frame", "entman_functions", "frame_mode"),
    "sourcing": ("source_type", "quote_kind"),
    "claims": ("claim_kind", "marker"),
    "persuasion": ("technique",),
}


def _entry_labels(entry: Any) -> list[str]:
    found: list[str] = []
    for field in _BADGE_FIELDS.get(entry.layer, ()):
        value = getattr(entry, field, None)
        if isinstance(value, list | tuple):
            found.extend(value)
        elif value:
            found.append(value)
    return found


_key_cache: dict[tuple[int, str], tuple[Corpus, tuple, Any]] = {}


def _load_key(corpus: Corpus, article_id: str) -> Any:
    """One article's placed key (None when it has no key file), loaded once until it changes."""
    from medialit.annotations import key as key_module

    path = key_module.key_dir(corpus) / f"{article_id}{key_module.KEY_SUFFIX}"
    signature = (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else ()
    cached = _key_cache.get((id(corpus), article_id))
    if cached is None or cached[0] is not corpus or cached[1] != signature:
        loaded = key_module.load_key(path, corpus) if signature else None
        cached = (corpus, signature, loaded)
        _key_cache[(id(corpus), article_id)] = cached
    return cached[2]


def entry_highlight(entry: Any) -> Highlight:
    """One placed key entry (a medialit.annotations Annotation) as a highlight.

    >>> from medialit.annotations.key import load_key
    >>> entry = load_key("putin-changed-stance").entry("source-p04-modi")
    >>> entry_highlight(entry).badge
    'SOURCE: OFFICIAL·DIRECT'
    """
    badge, title = badge_for(entry.layer, _entry_labels(entry), "key")
    return Highlight(
        entry.article_id,
        entry.paragraph_id,
        entry.start,
        entry.end,
        entry.layer,
        badge,
        title,
        "key",
        entry.span is None,
    )


def key_highlights(corpus: Corpus, article_ids: Iterable[str] | None = None) -> list[Highlight]:
    """The key's annotations of these articles as highlights (all articles when None); only
    the keys asked for are loaded. A key file with mistakes raises KeyFileError (a ValueError)
    that lists them."""
    found: list[Highlight] = []
    for article_id in corpus.ids() if article_ids is None else dict.fromkeys(article_ids):
        key = _load_key(corpus, article_id)
        if key is None:
            continue
        found.extend(entry_highlight(entry) for entry in key.annotations)
    return found


def answer_highlights(corpus: Corpus, annotations: Iterable[Mapping[str, Any]]) -> list[Highlight]:
    """A student's saved annotations (answers-file records) as highlights.

    Records whose paragraph is not in the corpus are left out (the annotate widget reports them).
    """
    found: list[Highlight] = []
    for record in annotations:
        try:
            paragraph = corpus.paragraph(record["paragraph_id"])
        except KeyError:
            continue
        chosen = record.get("labels") or {"": record["label"]}  # one label per dimension
        badge, title = badge_for(record["layer"], list(chosen.values()), "mine")
        whole = record["start"] == paragraph.start and record["end"] == paragraph.end
        found.append(
            Highlight(
                paragraph.article_id,
                paragraph.paragraph_id,
                record["start"],
                record["end"],
                record["layer"],
                badge,
                title,
                "mine",
                whole,
            )
        )
    return found
