"""Score one item from what was read or run, with feedback that teaches without giving the key."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from medialit import match
from medialit.grade.answers import Annotations, Answer
from medialit.grade.bundle import CONFIDENCE_SCALE, Case, Item
from medialit.grade.sandbox import RunResult
from medialit.grade.textsafe import strip_ansi

STATUSES = ("correct", "partial", "incorrect", "missing", "ungradable", "pending", "manual")
KIND_WORDS = {
    "label": 'a label in quotes, like "..."',
    "span": "a passage copied from the article, in quotes (or a list of passages)",
    "set": 'a list in square brackets, like ["...", "..."]',
    "number": "a number without quotes",
    "reflection": "your paragraph in triple quotes",
    "confidence": "a whole number from 1 (a guess) to 5 (certain)",
}


@dataclass
class ItemResult:
    """One row of the gradebook: points (None while pending), maximum, status, feedback."""

    item: str
    kind: str
    points: float | None
    max_points: float
    status: str
    feedback: str
    answer: str = ""  # the answer as the matcher read it, as JSON (for the class report)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)  # flat fields: faster than dataclasses.asdict


def _round(value: float) -> float:
    return math.floor(value * 100 + 0.5 + 1e-9) / 100


def result(item: Item, credit: float, feedback: str, status: str | None = None) -> ItemResult:
    """Points from a credit between 0 and 1 (rounded to hundredths) and a status to match."""
    credit = min(1.0, max(0.0, credit))
    if status is None:
        status = "correct" if credit >= 1 else "partial" if credit > 0 else "incorrect"
    return ItemResult(
        item.id, item.kind, _round(item.points * credit), item.points, status, feedback.strip()
    )


def ungradable(item: Item, reason: str) -> ItemResult:
    return ItemResult(item.id, item.kind, 0.0, item.points, "ungradable", f"ungradable: {reason}")


def _hint(item: Item) -> str:
    return f" {item.hint}" if item.hint else ""


def _missing(item: Item, what: str) -> ItemResult:
    if item.manual:  # a person grades it, blank or not: pending, with a note, never 0 points
        note = f"Pending manual grading. {what} As it stands a person will find nothing to grade."
        return ItemResult(item.id, item.kind, None, item.points, "pending", note)
    return result(item, 0, f"{what}{_hint(item)}", "missing")


def _is_blank(value: Any) -> bool:
    return (
        value is None or value is ... or (isinstance(value, str | list | tuple | set) and not value)
    )


def _digits(value: int) -> int:
    """How many decimal digits an int has, without converting it to text (no size limit)."""
    return max(1, int(abs(value).bit_length() * 0.30103) + 1)


def _type_name(value: Any) -> str:
    """What a value is, in a student's words, naming what is odd about it.

    >>> _type_name(10**5000), _type_name(float("inf"))
    ('a number too large to compare (about 5001 digits)', 'an infinite number')
    >>> _type_name(1j), _type_name(b"x"), _type_name([1])
    ('a complex number', 'bytes (b"..."), not text', 'a list')
    """
    if isinstance(value, bool):
        return "True/False"
    if isinstance(value, int):
        return (
            "a number"
            if _digits(value) <= 300
            else (f"a number too large to compare (about {_digits(value)} digits)")
        )
    if isinstance(value, float):
        if math.isnan(value):
            return "not a number (nan)"
        return "an infinite number" if math.isinf(value) else "a number"
    return {
        str: "text",
        bytes: 'bytes (b"..."), not text',
        complex: "a complex number",
        list: "a list",
        tuple: "a tuple",
        dict: "a dictionary",
        set: "a set",
        frozenset: "a frozenset",
        type(None): "None",
        type(...): "... (Ellipsis)",
    }.get(type(value), type(value).__name__)


def _short_text(text: str, limit: int = 60) -> str:
    """A student's text quoted back in feedback, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def score_answer(item: Item, answer: Answer | None, texts: dict[str, str]) -> ItemResult:
    """Score a literal answer (label, span, set, number, reflection)."""
    variable = item.variable
    if answer is None:
        return _missing(
            item,
            f"No answer: the notebook never sets {variable}. Write "
            f"{variable} = {KIND_WORDS[item.kind]} in the answer cell.",
        )
    if answer.error:
        return result(item, 0, f"{variable} (cell {answer.cell}) is {answer.error}.", "incorrect")
    value = answer.value
    if _is_blank(value):
        return _missing(
            item, f"No answer yet: {variable} is empty. Replace it with {KIND_WORDS[item.kind]}."
        )
    scorer = {
        "label": _label,
        "span": _span,
        "set": _set,
        "number": _number,
        "reflection": _reflection,
        "confidence": _confidence,
    }[item.kind]
    row = scorer(item, value, texts)
    row.answer = _recorded(item, value, texts)
    return row


def _storable(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of an answer: numbers too large to write out, non-finite floats,
    bytes, complex numbers and sets are described, never raised on."""
    if depth > 20:
        return "(nested too deeply)"
    if isinstance(value, str):
        return strip_ansi(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if _digits(value) <= 300 else f"(a number of about {_digits(value)} digits)"
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, list | tuple):
        return [_storable(v, depth + 1) for v in value[:1000]]
    if isinstance(value, set | frozenset):
        return sorted((_storable(v, depth + 1) for v in list(value)[:1000]), key=_sort_key)
    if isinstance(value, dict):
        return {
            str(_storable(k, depth + 1)): _storable(v, depth + 1)
            for k, v in list(value.items())[:1000]
        }
    return f"({_type_name(value)}: {repr(value)[:100]})"


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _json(value: Any) -> str:
    text = json.dumps(_storable(value), ensure_ascii=False)
    return text if len(text) <= 4000 else text[:3997] + "..."


def _recorded(item: Item, value: Any, texts: dict[str, str]) -> str:
    """The answer as the matcher reads it, so equal readings group together in the report."""
    if item.kind == "label" and isinstance(value, str):
        return _json(match.normalize_label(value))
    if (
        item.kind == "set"
        and isinstance(value, list | tuple | set)
        and all(isinstance(v, str) for v in value)
    ):
        return _json(match.canonical_names(value, item.aliases))
    if item.kind == "span" and (quotes := _as_quotes(value)) is not None:
        body = texts[item.article_id]
        found = [match.find_quote(quote, body) for quote in quotes]
        return _json(
            [body[w[0] : w[1]] if w else quote for quote, w in zip(quotes, found, strict=True)]
        )
    return _json(value)


def _wrong_type(item: Item, value: Any) -> ItemResult:
    """The answer is not of the kind asked for: say what it is instead; for a list whose
    entries are the problem, say which entry is not text (never "should be a list; it is a
    list")."""
    what = _type_name(value)
    if item.kind in ("set", "span") and isinstance(value, list | tuple | set | frozenset):
        entries = list(value)
        bad = next((n for n, v in enumerate(entries, start=1) if not isinstance(v, str)), None)
        if bad is not None:
            return result(
                item,
                0,
                f"{item.variable} should be {KIND_WORDS[item.kind]}: every entry text in "
                f"quotes; entry {bad} is {_type_name(entries[bad - 1])}.",
                "incorrect",
            )
    if item.kind == "confidence" and _type_name(value) == "a number" and isinstance(value, int):
        what = f"{value}, outside the scale"
    return result(
        item, 0, f"{item.variable} should be {KIND_WORDS[item.kind]}; it is {what}.", "incorrect"
    )


def _label(item: Item, value: Any, texts: dict[str, str]) -> ItemResult:
    if not isinstance(value, str):
        return _wrong_type(item, value)
    verdict = match.match_label(
        value, item.key, alternatives=item.alternatives, categories=item.categories or None
    )
    if verdict.outcome in ("exact", "alternative"):
        return result(item, 1, "Correct.")
    if verdict.outcome == "category":
        return result(
            item,
            0.5,
            "Half credit: your label is in the right family, but another "
            "label in that family fits this passage better." + _hint(item),
        )
    if verdict.outcome == "unknown":
        return result(
            item,
            0,
            f"{_short_text(value)} is not one of the labels this question allows; "
            "choose one from the list given in the question.",
        )
    return result(item, 0, "Not the label that fits best." + _hint(item))


def _as_quotes(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _span_feedback(score: match.Score, credit: float) -> str:
    if credit >= 1:
        return "Correct."
    if score.f1 == 0:
        return "Your passage is not the one this question is about."
    if score.precision < score.recall:
        return (
            "Your passage takes in the right words but also text around them; trim it to "
            "the words that do the work."
        )
    return "Your passage is part of the right one; take in the whole of it."


def _span(item: Item, value: Any, texts: dict[str, str]) -> ItemResult:
    quotes = _as_quotes(value)
    if quotes is None:
        return _wrong_type(item, value)
    body = texts[item.article_id]
    predicted, not_found = [], []
    for quote in quotes:
        where = match.find_quote(quote, body)
        if where is None:
            not_found.append(quote)
        else:
            predicted.append(match.Span(*where))
    gold = [match.Span(k["start"], k["end"]) for k in item.key]
    score = match.span_f1(predicted, gold)
    credit = min(1.0, score.f1 / item.full_credit_at) if item.full_credit_at else score.f1
    feedback = _span_feedback(score, credit)
    if not_found:
        note = (
            f"{len(not_found)} of your {len(quotes)} passage(s) is not in the article word "
            "for word: copy it exactly (curly or straight quotation marks do not matter)."
        )
        feedback = f"{note} {feedback}" if predicted else note
    if credit < 1:
        feedback += _hint(item)
    return result(item, credit, feedback)


def _set(item: Item, value: Any, texts: dict[str, str]) -> ItemResult:
    if not isinstance(value, list | tuple | set) or not all(isinstance(v, str) for v in value):
        return _wrong_type(item, value)
    score = match.set_f1(value, item.key, item.aliases)
    credit = min(1.0, score.f1 / item.full_credit_at) if item.full_credit_at else score.f1
    if credit >= 1:
        return result(item, 1, "Correct.")
    total = score.found + score.missed
    feedback = f"You found {score.found} of {total}."
    if score.extra:
        feedback += (
            f" {score.extra} of the entries you listed {'is' if score.extra == 1 else 'are'}"
            " not among them."
        )
    return result(item, credit, feedback + _hint(item))


def _number(item: Item, value: Any, texts: dict[str, str]) -> ItemResult:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _wrong_type(item, value)
    if _type_name(value) != "a number":  # too large to compare, infinite, nan
        return result(
            item,
            0,
            f"{item.variable} should be {KIND_WORDS[item.kind]} that the data give; it is "
            f"{_type_name(value)}.",
            "incorrect",
        )
    if match.match_number(value, item.key, abs_tol=item.abs_tol, rel_tol=item.rel_tol):
        return result(item, 1, "Correct.")
    return result(item, 0, "Not the number the data give." + _hint(item))


def _confidence(item: Item, value: Any, texts: dict[str, str]) -> ItemResult:
    """A confidence rating is recorded, never scored: worth 0 points, status correct when it
    is a whole number on the scale (the class report reads it from the answer column)."""
    low, high = CONFIDENCE_SCALE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return _wrong_type(item, value)
    return ItemResult(
        item.id, item.kind, 0.0, 0.0, "correct", f"Confidence {value} of {high} recorded."
    )


def _reflection(item: Item, value: Any, texts: dict[str, str]) -> ItemResult:
    if not isinstance(value, str):
        return _wrong_type(item, value)
    words = len(value.split())
    rubric = "; ".join(f"{c['criterion']} ({c['points']:g} pt)" for c in item.rubric)
    note = ""
    if item.min_words and words < item.min_words:
        note = f" It is shorter than the {item.min_words} words asked for."
    return ItemResult(
        item.id,
        item.kind,
        None,
        item.points,
        "pending",
        f"Pending manual grading ({words} words).{note} Rubric: {rubric}.",
    )


def score_annotations(
    item: Item, annotations: Annotations, texts: dict[str, str], file_name: str
) -> ItemResult:
    """Score the widget's annotations of one layer of one article against the key spans; the
    row's answer records the spans read, as ``[[start, end, label], ...]``."""
    spans: list[tuple] = []
    row = _score_annotations(item, annotations, texts, file_name, spans)
    if spans:
        row.answer = _json(sorted(list(span) for span in spans))
    return row


def _score_annotations(
    item: Item, annotations: Annotations, texts: dict[str, str], file_name: str, read: list
) -> ItemResult:
    if annotations.missing:
        return _missing(
            item,
            f"No annotations file: {file_name} was not found beside the "
            "notebook. The annotate widget saves it as you work; submit it too.",
        )
    body = texts[item.article_id]
    prefix = f"{item.article_id}:"
    dimensions = _dimensions(item.key)
    predicted = []
    for entry in annotations.items:
        if entry["layer"] != item.layer or not entry["paragraph_id"].startswith(prefix):
            continue
        start, end = entry["start"], entry["end"]
        text = entry.get("text")
        if isinstance(text, str) and match.find_quote(text, body[start:end]) != (0, end - start):
            where = match.find_quote(text, body)
            if where is None:
                continue
            start, end = where
        predicted.append((start, end, _label_in(entry, dimensions)))
    read.extend(predicted)
    if not predicted:
        why = " ".join(annotations.problems[:3])
        return _missing(
            item,
            f"No {item.layer} annotations of this article were found in {file_name}. {why}".strip(),
        )
    gold = [(k["start"], k["end"], k.get("label")) for k in item.key]

    def labelled(spans: list, fold) -> list[match.Span]:
        return [match.Span(s, e, fold(label)) for s, e, label in spans]

    same = match.span_f1(
        labelled(predicted, _fold_label), labelled(gold, _fold_label), use_labels=item.use_labels
    )
    f1 = same.f1
    if item.use_labels and item.categories:
        category = {match.normalize_label(k): v for k, v in item.categories.items()}
        by_family = match.span_f1(
            labelled(predicted, lambda x: category.get(_fold_label(x))),
            labelled(gold, lambda x: category.get(_fold_label(x))),
        )
        f1 = max(f1, 0.5 * by_family.f1)
    credit = min(1.0, f1 / item.full_credit_at) if item.full_credit_at else f1
    if credit >= 1:
        return result(item, 1, "Correct.")
    notes = []
    unlabelled = match.span_f1(
        labelled(predicted, _fold_label), labelled(gold, _fold_label), use_labels=False
    )
    if unlabelled.recall < 0.8:
        notes.append("Some passages of this kind are not marked yet.")
    if unlabelled.precision < 0.8:
        notes.append(
            "Some of your highlights are not passages of this kind, or take in more than they need."
        )
    if item.use_labels and unlabelled.f1 > same.f1 + 0.05:
        notes.append("Some highlights are in the right place but carry a different label.")
    return result(item, credit, " ".join(notes) + _hint(item))


def _dimensions(key: list[dict[str, Any]]) -> set[str]:
    """The label sets (dimensions) the key's labels come from, e.g. {"quote_kinds"}."""
    from medialit.annotations import labels

    found = set()
    for entry in key:
        try:
            found.add(labels.set_of(entry["label"]).id)
        except (KeyError, TypeError, labels.UnknownLabel):
            continue
    return found


def _label_in(entry: dict[str, Any], dimensions: set[str]) -> Any:
    """The label a student gave in the dimension the key is about: a sourcing annotation has
    one label per dimension (``labels``: source type and quote kind); ``label`` is the first.

    >>> entry = {"label": "official", "labels": {"source_types": "official",
    ...                                          "quote_kinds": "direct"}}
    >>> [_label_in(entry, d) for d in ({"quote_kinds"}, {"source_types"}, set())]
    ['direct', 'official', 'official']
    """
    chosen = entry.get("labels")
    if isinstance(chosen, dict):
        for dimension in dimensions:
            if isinstance(chosen.get(dimension), str):
                return chosen[dimension]
    return entry.get("label")


def _fold_label(label: Any) -> str | None:
    return match.normalize_label(label) if isinstance(label, str) else None


def case_passes(case: Case, outcome: dict | None) -> bool:
    if not outcome or not outcome.get("ok"):
        return False
    value = outcome["value"]
    if case.compare == "unordered":
        if not isinstance(value, list) or not isinstance(case.expected, list):
            return False
        return sorted(map(repr, value)) == sorted(map(repr, case.expected))
    if case.compare == "close":
        return match.match_number(value, case.expected, abs_tol=case.abs_tol)
    return _same(value, case.expected)


def _same(value: Any, expected: Any) -> bool:
    """Equal, with the same JSON types all the way down (True is not 1; 2 and 2.0 are equal)."""
    numbers = (int, float)
    if isinstance(expected, bool) or isinstance(value, bool):
        return value is expected
    if isinstance(expected, numbers) and isinstance(value, numbers):
        return value == expected
    if type(value) is not type(expected):
        return False
    if isinstance(expected, list):
        return len(value) == len(expected) and all(map(_same, value, expected))
    if isinstance(expected, dict):
        return value.keys() == expected.keys() and all(
            _same(value[k], expected[k]) for k in expected
        )
    return value == expected


def score_code(item: Item, source: str | None, run: RunResult | None) -> ItemResult:
    """Score a code exercise from the child's returned values: the share of checks passed."""
    if source is None or run is None:
        return _missing(
            item,
            f"No function named {item.function} was found in the notebook: "
            f"define it with `def {item.function}(...):` at the top level of a "
            "code cell.",
        )
    if run.status == "error" and not any(run.outcomes):
        return result(item, 0, f"{run.message}.{_hint(item)}", "incorrect")
    passed = [case_passes(c, o) for c, o in zip(item.cases, run.outcomes, strict=False)]
    credit = sum(passed) / len(item.cases)
    if credit >= 1:
        return result(item, 1, "All checks passed.")
    failed = []
    for case, outcome, ok in zip(item.cases, run.outcomes, passed, strict=False):
        if ok:
            continue
        if outcome is None:
            failed.append(f"{case.name} (did not finish)")
        elif not outcome["ok"]:
            failed.append(f"{case.name} (raised {outcome['error']})")
        else:
            failed.append(case.name)
    feedback = (
        f"{sum(passed)} of {len(item.cases)} checks passed. Not yet right: "
        + "; ".join(failed)
        + "."
    )
    if run.status != "ok":
        feedback += f" Also, {run.message}."
    return result(item, credit, feedback + _hint(item))
