"""Tolerant matchers shared by the self-checks and the grader: spans, sets, labels, numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from medialit.corpus.textnorm import fold, fold_with_map

__all__ = [
    "LabelMatch",
    "Score",
    "SetScore",
    "Span",
    "canonical_names",
    "find_quote",
    "match_label",
    "match_number",
    "normalize_label",
    "normalize_name",
    "set_f1",
    "span_f1",
]


class Score(NamedTuple):
    """Precision, recall and their harmonic mean, each between 0 and 1."""

    precision: float
    recall: float
    f1: float


class SetScore(NamedTuple):
    """Set F1 plus the counts feedback needs (how many found, missed, extra)."""

    precision: float
    recall: float
    f1: float
    found: int
    missed: int
    extra: int


class Span(NamedTuple):
    """A character span ``[start, end)``; spans with different documents or labels never overlap.

    ``document`` is usually an article id; ``label`` is None when labels are not compared.
    """

    start: int
    end: int
    label: str | None = None
    document: str | None = None


class LabelMatch(NamedTuple):
    """A label's credit (1, 0.5 or 0) and why: exact, alternative, category, wrong, unknown."""

    credit: float
    outcome: str


def _harmonic(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


# --------------------------------------------------------------------------- spans


def _as_span(value: Any) -> Span:
    if isinstance(value, Span):
        span = value
    elif isinstance(value, Mapping):
        span = Span(
            int(value["start"]),
            int(value["end"]),
            value.get("label"),
            value.get("document", value.get("article_id")),
        )
    else:
        span = Span(*value)
    if span.end < span.start:
        raise ValueError(f"span {tuple(span)} ends before it starts")
    return span


def _merge(spans: Iterable[Span], use_labels: bool) -> list[Span]:
    """Merge overlapping spans that share document (and label), so no character counts twice."""
    groups: dict[tuple, list[Span]] = {}
    for span in spans:
        if span.end == span.start:
            continue
        label = span.label if use_labels else None
        groups.setdefault((span.document, label), []).append(span._replace(label=label))
    merged: list[Span] = []
    for group in groups.values():
        group.sort()
        current = group[0]
        for span in group[1:]:
            if span.start < current.end:
                current = current._replace(end=max(current.end, span.end))
            else:
                merged.append(current)
                current = span
        merged.append(current)
    return merged


def span_f1(predicted: Iterable[Any], gold: Iterable[Any], *, use_labels: bool = True) -> Score:
    """Span-overlap precision, recall and F1 (SemEval-2020 Task 11 style), in characters.

    Each overlapping (predicted s, gold t) pair with the same document (and label, when
    ``use_labels``) earns precision credit |s∩t|/|s| and recall credit |s∩t|/|t|; the sums
    are divided by the number of predicted and of gold spans. Spans are ``Span`` tuples,
    ``(start, end[, label[, document]])`` tuples or mappings with start/end/label/article_id.
    Overlapping spans on the same side are merged first, so repeating a span gains nothing.

    >>> span_f1([(0, 10)], [(0, 10)])
    Score(precision=1.0, recall=1.0, f1=1.0)
    >>> span_f1([(0, 10)], [(5, 15)])          # half of each span overlaps
    Score(precision=0.5, recall=0.5, f1=0.5)
    >>> span_f1([(0, 20)], [(0, 10)])          # too long: full recall, half precision
    Score(precision=0.5, recall=1.0, f1=0.6666666666666666)
    >>> span_f1([(0, 10, "Doubt")], [(0, 10, "Loaded language")])
    Score(precision=0.0, recall=0.0, f1=0.0)
    >>> span_f1([(0, 10, "Doubt")], [(0, 10, "Loaded language")], use_labels=False).f1
    1.0
    >>> span_f1([], [])                        # nothing to find and nothing found
    Score(precision=1.0, recall=1.0, f1=1.0)
    >>> span_f1([], [(0, 5)])
    Score(precision=0.0, recall=0.0, f1=0.0)
    """
    pred = _merge((_as_span(s) for s in predicted), use_labels)
    gold_spans = _merge((_as_span(t) for t in gold), use_labels)
    if not pred and not gold_spans:
        return Score(1.0, 1.0, 1.0)
    if not pred or not gold_spans:
        return Score(0.0, 0.0, 0.0)
    precision_credit = 0.0
    recall_credit = 0.0
    for s in pred:
        for t in gold_spans:
            if s.document != t.document or s.label != t.label:
                continue
            overlap = min(s.end, t.end) - max(s.start, t.start)
            if overlap > 0:
                precision_credit += overlap / (s.end - s.start)
                recall_credit += overlap / (t.end - t.start)
    precision = min(1.0, precision_credit / len(pred))
    recall = min(1.0, recall_credit / len(gold_spans))
    return Score(precision, recall, _harmonic(precision, recall))


# --------------------------------------------------------------------------- names and sets

_NON_WORD = re.compile(r"[\W_]+")


def normalize_label(text: str) -> str:
    """Fold a label for comparison: case, accents kept, punctuation and spacing ignored.

    >>> normalize_label("  Name calling/Labeling ")
    'name calling labeling'
    >>> normalize_label("Exaggeration / minimisation")
    'exaggeration minimisation'
    >>> normalize_label("loaded_language") == normalize_label("Loaded language")
    True
    >>> normalize_label("“Appeal to fear–prejudice”")
    'appeal to fear prejudice'
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def normalize_name(text: str) -> str:
    """Fold a name or title for set matching: like labels, and a leading "the" is dropped.

    >>> normalize_name("The White House")
    'white house'
    >>> normalize_name("Sergey  Lavrov,")
    'sergey lavrov'
    """
    folded = normalize_label(text)
    return folded[4:] if folded.startswith("the ") else folded


def _alias_table(aliases: Mapping[str, Iterable[str]] | None) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, variants in (aliases or {}).items():
        key = normalize_name(canonical)
        table[key] = key
        for variant in [variants] if isinstance(variants, str) else variants:
            table[normalize_name(variant)] = key
    return table


def canonical_names(
    names: Iterable[str], aliases: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """The names as :func:`set_f1` compares them: folded, aliases mapped to their canonical
    name, blanks dropped, each once, sorted.

    >>> canonical_names(["Lavrov", "the Kremlin", "Sergei Lavrov", " "],
    ...                 {"Sergey Lavrov": ["Lavrov", "Sergei Lavrov"]})
    ['kremlin', 'sergey lavrov']
    """
    table = _alias_table(aliases)
    folded = (normalize_name(name) for name in names)
    return sorted({table.get(name, name) for name in folded} - {""})


def set_f1(
    predicted: Iterable[str],
    gold: Iterable[str],
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> SetScore:
    """Set precision, recall and F1 after folding names and mapping aliases to one name.

    ``aliases`` maps a canonical name to its accepted variants; case, punctuation, spacing and
    a leading "the" never matter. Listing the same person twice counts once.

    >>> aliases = {"Sergey Lavrov": ["Lavrov", "Sergei Lavrov", "Russian Foreign Minister"]}
    >>> set_f1(["lavrov", "Joe Biden"], ["Sergey Lavrov", "Joe Biden"], aliases)
    SetScore(precision=1.0, recall=1.0, f1=1.0, found=2, missed=0, extra=0)
    >>> set_f1(["Lavrov", "Sergei Lavrov", "Xi Jinping"], ["Sergey Lavrov", "Joe Biden"], aliases)
    SetScore(precision=0.5, recall=0.5, f1=0.5, found=1, missed=1, extra=1)
    >>> set_f1([], [])
    SetScore(precision=1.0, recall=1.0, f1=1.0, found=0, missed=0, extra=0)
    """
    pred = set(canonical_names(predicted, aliases))
    gold_set = set(canonical_names(gold, aliases))
    if not pred and not gold_set:
        return SetScore(1.0, 1.0, 1.0, 0, 0, 0)
    found = len(pred & gold_set)
    precision = found / len(pred) if pred else 0.0
    recall = found / len(gold_set) if gold_set else 0.0
    return SetScore(
        precision,
        recall,
        _harmonic(precision, recall),
        found,
        len(gold_set) - found,
        len(pred) - found,
    )


# --------------------------------------------------------------------------- labels


_CATEGORY_CACHE: dict[int, tuple[Mapping[str, str], dict[str, str]]] = {}


def _folded_categories(categories: Mapping[str, str]) -> dict[str, str]:
    """``categories`` with folded labels, remembered per mapping (a grader reuses one per item)."""
    cached = _CATEGORY_CACHE.get(id(categories))
    if cached is None or cached[0] is not categories:
        folded = {normalize_label(label): category for label, category in categories.items()}
        cached = _CATEGORY_CACHE[id(categories)] = (categories, folded)
        if len(_CATEGORY_CACHE) > 256:
            _CATEGORY_CACHE.pop(next(iter(_CATEGORY_CACHE)))
    return cached[1]


def match_label(
    answer: str,
    key: str,
    *,
    alternatives: Iterable[str] = (),
    categories: Mapping[str, str] | None = None,
) -> LabelMatch:
    """Score a label: 1 for the key or an accepted alternative, 0.5 for another label of
    the key's category, 0 otherwise ("unknown" when the answer is not an allowed label).

    ``categories`` maps every allowed label to its category; without it there is no half
    credit and no "unknown".

    >>> cats = {"Doubt": "Attack on reputation", "Name calling/labeling": "Attack on reputation",
    ...         "Loaded language": "Manipulative wording"}
    >>> match_label("name calling / labeling", "Name calling/labeling", categories=cats)
    LabelMatch(credit=1.0, outcome='exact')
    >>> match_label("Doubt", "Name calling/labeling", categories=cats)
    LabelMatch(credit=0.5, outcome='category')
    >>> match_label("Loaded language", "Name calling/labeling", categories=cats)
    LabelMatch(credit=0.0, outcome='wrong')
    >>> match_label("Smear", "Name calling/labeling", categories=cats)
    LabelMatch(credit=0.0, outcome='unknown')
    >>> match_label("expert", "named expert or analyst", alternatives=["expert", "analyst"])
    LabelMatch(credit=1.0, outcome='alternative')
    """
    given = normalize_label(answer)
    if given == normalize_label(key):
        return LabelMatch(1.0, "exact")
    if any(given == normalize_label(alt) for alt in alternatives):
        return LabelMatch(1.0, "alternative")
    if categories:
        folded = _folded_categories(categories)
        if given not in folded:
            return LabelMatch(0.0, "unknown")
        if folded[given] == folded.get(normalize_label(key)):
            return LabelMatch(0.5, "category")
    return LabelMatch(0.0, "wrong")


# --------------------------------------------------------------------------- numbers


def match_number(answer: Any, key: float, *, abs_tol: float = 0.0, rel_tol: float = 0.0) -> bool:
    """True when ``answer`` is a real number within ``abs_tol`` or ``rel_tol`` of ``key``.

    Booleans, strings and non-finite numbers never match.

    >>> match_number(0.53, 53 / 100)
    True
    >>> match_number(412, 415, abs_tol=5)
    True
    >>> match_number(380, 415, rel_tol=0.05)
    False
    >>> match_number(True, 1)
    False
    """
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return False
    if not math.isfinite(answer):
        return False
    return math.isclose(answer, key, rel_tol=rel_tol, abs_tol=max(abs_tol, 1e-9))


# --------------------------------------------------------------------------- quotes


@lru_cache(maxsize=64)
def _folded_text(text: str) -> tuple[str, tuple[int, ...]]:
    """The corpus's folded form of ``text`` (quotes, dashes, spaces) and each char's origin."""
    folded, origin = fold_with_map(text)
    return folded, tuple(origin)


@lru_cache(maxsize=4096)
def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs verbatim in ``text``, treating curly and straight quotes, dashes
    and runs of whitespace as equal (the corpus's folding); None when it does not occur.

    >>> body = "He said \u201cwe will see\u201d \u2014 and left."
    >>> find_quote('"we will see" - and', body)
    (8, 27)
    >>> find_quote("we shall see", body) is None
    True
    """
    needle = fold(quote)
    if not needle:
        return None
    folded, origin = _folded_text(text)
    at = folded.find(needle)
    if at < 0:
        return None
    last = at + len(needle) - 1
    return origin[at], origin[last] + 1
