"""Agreement of students with the key on annotation items: Cohen's kappa, Krippendorff's alpha."""

from __future__ import annotations

import math
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from medialit.corpus.sentences import split_sentences
from medialit.grade.bundle import Bundle, Item
from medialit.report.load import parse_answer

NONE_LABEL = "(none)"
RELIABLE, TENTATIVE = 0.800, 0.667  # Krippendorff (2004)


def sentence_units(body: str) -> list[tuple[int, int]]:
    """The sentences of an article body, as offsets: the units students and key are compared on.

    >>> sentence_units("One. Two.\\n\\nThree.")
    [(0, 4), (5, 9), (11, 17)]
    """
    units, offset = [], 0
    for paragraph in body.split("\n\n"):
        units += [(offset + start, offset + end) for start, end in split_sentences(paragraph)]
        offset += len(paragraph) + 2
    return units


def code_units(units: list[tuple[int, int]], spans: list, use_labels: bool = True) -> list[str]:
    """The label each unit gets from a set of spans: the label covering most of it, or none.

    >>> code_units([(0, 10), (10, 20)], [(2, 8, "doubt"), (12, 14, "slogans")])
    ['doubt', 'slogans']
    >>> code_units([(0, 10), (10, 20)], [(2, 8, "doubt")], use_labels=False)
    ['marked', '(none)']
    """
    codes = []
    for start, end in units:
        best, best_overlap = NONE_LABEL, 0
        for span in spans:
            span_start, span_end, label = span[0], span[1], span[2] if len(span) > 2 else None
            overlap = min(end, span_end) - max(start, span_start)
            if overlap > best_overlap:
                best = str(label) if use_labels and label else "marked"
                best_overlap = overlap
        codes.append(best)
    return codes


def kappa(key_codes: list[str], student_codes: list[str]) -> float:
    """Cohen's kappa of one student against the key (1.0 when both agree on a single code).

    >>> kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"])
    1.0
    >>> round(kappa(["a", "b", "a", "b"], ["a", "a", "a", "b"]), 3)
    0.5
    """
    if key_codes == student_codes:
        return 1.0
    value = cohen_kappa_score(key_codes, student_codes)
    return 0.0 if math.isnan(value) else float(value)


def alpha(coders: list[list[str]]) -> float:
    """Krippendorff's alpha (nominal) over several coders' codes for the same units.

    >>> alpha([["a", "b", "a"], ["a", "b", "a"]])
    1.0
    """
    codes = sorted({code for row in coders for code in row})
    if len(codes) < 2:
        return 1.0
    numbers = np.array([[codes.index(code) for code in row] for row in coders], dtype=float)
    return float(krippendorff.alpha(reliability_data=numbers, level_of_measurement="nominal"))


@dataclass(frozen=True)
class ItemAgreement:
    """Agreement on one annotation item, and whether the key should be reviewed."""

    set_id: str
    item: str
    title: str
    students: int
    mean_kappa: float
    strongest_kappa: float
    alpha: float
    review_key: bool


def annotation_agreement(
    table: pd.DataFrame, bundle: Bundle, strongest: set[str]
) -> list[ItemAgreement]:
    """Kappa and alpha per annotation item; flag items where even the strongest students disagree.

    ``strongest`` names the students in the top quarter of the class by total score.
    """
    results = []
    for set_id, exercise in bundle.sets.items():
        for item in exercise.items:
            if item.kind != "annotation":
                continue
            agreement = _item_agreement(table, bundle, set_id, item, strongest)
            if agreement is not None:
                results.append(agreement)
    return results


def _item_agreement(
    table: pd.DataFrame, bundle: Bundle, set_id: str, item: Item, strongest: set[str]
) -> ItemAgreement | None:
    rows = table[(table["set"] == set_id) & (table["item"] == item.id) & table["graded"]]
    units = sentence_units(bundle.texts[item.article_id])
    key_codes = code_units(
        units, [(k["start"], k["end"], k.get("label")) for k in item.key], item.use_labels
    )
    by_student: dict[str, list[str]] = {}
    for row in rows.itertuples():
        spans = parse_answer(row.answer)
        if isinstance(spans, list) and spans:
            by_student[row.student] = code_units(units, spans, item.use_labels)
    if not by_student:
        return None
    kappas = {student: kappa(key_codes, codes) for student, codes in by_student.items()}
    top = [kappas[s] for s in kappas if s in strongest] or list(kappas.values())
    strongest_mean = float(np.mean(top))
    return ItemAgreement(
        set_id,
        item.id,
        item.title or item.id,
        len(kappas),
        round(float(np.mean(list(kappas.values()))), 3),
        round(strongest_mean, 3),
        round(alpha([key_codes, *by_student.values()]), 3),
        strongest_mean < TENTATIVE,
    )


def strongest_students(fractions: pd.Series) -> set[str]:
    """The top quarter of the class by total score (at least one student).

    >>> sorted(strongest_students(pd.Series({"a": 0.9, "b": 0.5, "c": 0.7, "d": 0.2})))
    ['a']
    """
    count = max(1, len(fractions) // 4)
    return set(fractions.sort_values(ascending=False, kind="stable").index[:count])
