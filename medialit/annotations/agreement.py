"""Agreement between two coders' keys of one article, layer by layer (kappa and span F1).

Run it on two key files of the same article, for example the course key and a second coder's
blind recode written from the codebook alone::

    python -m medialit.annotations.agreement sources/annotations/russia-china-resist.yaml \\
        recode/russia-china-resist.yaml

It prints one row per layer: Cohen's kappa for the unit-level labels (primary frame and frame
mode per paragraph; each Entman function per paragraph; claim kind, check-worthiness and verdict
per sentence) and span F1 (SemEval-2020 Task 11 style, ``medialit.match.span_f1``) for the span
layers (sourcing, hedges and boosters, techniques). Where kappa is under 0.667 (Krippendorff's
tentative threshold) the row says so: change the codebook's rules there, not the reader.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from medialit import corpus as corpus_module
from medialit.annotations import labels
from medialit.annotations.key import Key, KeyFileError, place, read_key_file
from medialit.annotations.schema import Annotation
from medialit.corpus import Corpus
from medialit.match import span_f1

NONE = "(none)"
TENTATIVE, RELIABLE = 0.667, 0.800  # Krippendorff (2004)


@dataclass(frozen=True)
class LayerAgreement:
    """One row of the agreement table."""

    layer: str
    measure: str  # "kappa" or "span F1"
    value: float
    units: int  # paragraphs, sentences, or spans on both sides
    note: str = ""


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two codings of the same units; 1.0 when both use one code throughout.

    >>> kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"])
    1.0
    >>> round(kappa(["a", "b", "a", "b"], ["a", "a", "a", "b"]), 2)
    0.5
    """
    if len(first) != len(second):
        raise ValueError("the two codings must cover the same units")
    if not first:
        return math.nan
    if len(set(first) | set(second)) == 1:
        return 1.0
    return float(cohen_kappa_score(first, second))


def _paragraph_frames(key: Key) -> dict[str, Annotation]:
    return {a.paragraph_id: a for a in key.layer("framing") if a.frame_mode is not None}


def _sentence_codes(key: Key, units: list[tuple[int, int]], field: str) -> list[str]:
    """The value of ``field`` on the claims entry covering most of each sentence, or none."""
    entries = [a for a in key.layer("claims") if a.claim_kind is not None]
    codes = []
    for start, end in units:
        best, overlap = None, 0
        for entry in entries:
            shared = min(end, entry.end) - max(start, entry.start)
            if shared > overlap:
                best, overlap = entry, shared
        value = getattr(best, field, None) if best is not None else None
        if field == "verification":
            value = value.verdict if value is not None else None
        codes.append(str(value) if value else NONE)
    return codes


def _spans(key: Key, layer: str, label_field: str | None) -> list[tuple[int, int, str]]:
    found = []
    for annotation in key.layer(layer):
        if layer == "claims" and annotation.marker is None:
            continue
        label = getattr(annotation, label_field) if label_field else "marked"
        if label is not None:
            found.append((annotation.start, annotation.end, str(label)))
    return found


def compare(first: Key, second: Key, corpus: Corpus | None = None) -> list[LayerAgreement]:
    """Agreement of two keys of the same article, one row per layer.

    >>> from medialit.annotations.key import load_key
    >>> key = load_key("putin-changed-stance")
    >>> rows = compare(key, key)
    >>> {row.layer: row.value for row in rows}["primary frame"]
    1.0
    """
    if first.article_id != second.article_id:
        raise ValueError(
            f"the keys are for different articles ({first.article_id}, {second.article_id})"
        )
    source = corpus if corpus is not None else corpus_module.default()
    rows: list[LayerAgreement] = []

    frames_a, frames_b = _paragraph_frames(first), _paragraph_frames(second)
    paragraphs = sorted(set(frames_a) | set(frames_b))
    for name, field in (("primary frame", "frame"), ("frame mode", "frame_mode")):
        codes_a = [str(getattr(frames_a.get(p), field, None) or NONE) for p in paragraphs]
        codes_b = [str(getattr(frames_b.get(p), field, None) or NONE) for p in paragraphs]
        rows.append(LayerAgreement(name, "kappa", kappa(codes_a, codes_b), len(paragraphs)))
    for function in labels.ENTMAN_FUNCTIONS.ids():
        codes_a = [
            str(function in (getattr(frames_a.get(p), "entman_functions", None) or ()))
            for p in paragraphs
        ]
        codes_b = [
            str(function in (getattr(frames_b.get(p), "entman_functions", None) or ()))
            for p in paragraphs
        ]
        rows.append(
            LayerAgreement(f"Entman: {function}", "kappa", kappa(codes_a, codes_b), len(paragraphs))
        )

    table = source.sentences(first.article_id)
    units = list(zip(table["start"], table["end"], strict=True))
    for name, field in (
        ("claim kind", "claim_kind"),
        ("check-worthiness", "check_worthiness"),
        ("verdict", "verification"),
    ):
        codes_a = _sentence_codes(first, units, field)
        codes_b = _sentence_codes(second, units, field)
        rows.append(LayerAgreement(name, "kappa", kappa(codes_a, codes_b), len(units)))

    for name, layer, field in (
        ("sourcing spans", "sourcing", None),
        ("sourcing spans by source type", "sourcing", "source_type"),
        ("hedges and boosters", "claims", "marker"),
        ("techniques", "persuasion", "technique"),
        ("technique spans (any technique)", "persuasion", None),
    ):
        spans_a, spans_b = _spans(first, layer, field), _spans(second, layer, field)
        score = span_f1(spans_b, spans_a, use_labels=field is not None)
        rows.append(LayerAgreement(name, "span F1", score.f1, len(spans_a) + len(spans_b)))

    return [_with_note(row) for row in rows]


def _with_note(row: LayerAgreement) -> LayerAgreement:
    if math.isnan(row.value):
        note = "no units"
    elif row.value < TENTATIVE:
        note = "below 0.667: sharpen the rule in the codebook"
    elif row.value < RELIABLE:
        note = "tentative (0.667-0.800)"
    else:
        note = "reliable (>= 0.800)"
    return LayerAgreement(row.layer, row.measure, row.value, row.units, note)


def agreement_table(rows: list[LayerAgreement]) -> pd.DataFrame:
    """The rows as a table with rounded values, for printing or saving."""
    table = pd.DataFrame([row.__dict__ for row in rows])
    table["value"] = table["value"].round(3)
    return table


def load(path: str | Path, corpus: Corpus | None = None) -> Key:
    """A key file placed in its article (the one loader: ``medialit.annotations.key``)."""
    return place(read_key_file(path), path, corpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m medialit.annotations.agreement",
        description="Agreement between two key files of the same article, layer by layer.",
    )
    parser.add_argument("first", help="a key file, e.g. sources/annotations/<article>.yaml")
    parser.add_argument("second", help="a second coder's key file of the same article")
    parser.add_argument("--csv", help="also write the table to this CSV file")
    args = parser.parse_args(argv)
    try:
        first, second = load(args.first), load(args.second)
        rows = compare(first, second)
    except (KeyFileError, ValueError, OSError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    table = agreement_table(rows)
    print(f"{first.article_id}: {args.first} against {args.second}")
    print(table.to_string(index=False))
    if args.csv:
        target = Path(args.csv)
        temporary = target.with_suffix(target.suffix + ".tmp")
        table.to_csv(temporary, index=False)
        temporary.replace(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
