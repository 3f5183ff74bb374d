"""Precision and recall of the attribution finder against the expert keys, per source type.

A found attribution *matches* a key's sourcing entry when its span shares characters with the
entry's span, source or cue in the same article; it is *typed right* when it also has the
entry's source type (or one of its accepted alternatives). Recall counts key entries,
precision counts found attributions.

Run: ``.venv/bin/python benchmarks/attributions.py`` (prints the table; no target to miss:
the figures are for the instructor guide, book/instructor/attribution-finder.md).
"""

from __future__ import annotations

import sys
from collections import Counter

from medialit.annotations.attributions import find_attributions
from medialit.annotations.key import load_keys
from medialit.annotations.labels import label_set
from medialit.corpus import default


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _spans(entry) -> list[tuple[int, int]]:
    """Where a key entry sits: its span, and its source and cue where the key places them."""
    spans = [(entry.start, entry.end)]
    for start, end in ((entry.source_start, entry.source_end), (entry.cue_start, entry.cue_end)):
        if start is not None and end is not None:
            spans.append((start, end))
    return spans


def _matches(found, entry) -> bool:
    return any(_overlap(found.start, found.end, start, end) for start, end in _spans(entry))


def evaluate() -> tuple[dict[str, Counter], list[tuple]]:
    """Counts per source type, and the differences (for the guide's teaching examples)."""
    corpus = default()
    counts: dict[str, Counter] = {}
    differences: list[tuple] = []
    for article_id, key in load_keys(corpus).items():
        gold = [a for a in key.layer("sourcing")]
        found = find_attributions(corpus.article(article_id))
        for entry in gold:
            types = {entry.source_type, *(entry.alternatives or ())}
            hits = [f for f in found if _matches(f, entry)]
            row = counts.setdefault(entry.source_type, Counter())
            row["gold"] += 1
            row["gold_found"] += bool(hits)
            row["gold_typed"] += any(f.source_type in types for f in hits)
            if not hits:
                differences.append(("missed", article_id, entry.source_type, entry.text))
            elif not any(f.source_type in types for f in hits):
                differences.append(
                    (
                        "mistyped",
                        article_id,
                        f"{entry.source_type}->{hits[0].source_type}",
                        entry.text,
                    )
                )
        for attribution in found:
            matching = [
                g for g in gold if _overlap(g.start, g.end, attribution.start, attribution.end)
            ]
            row = counts.setdefault(attribution.source_type, Counter())
            row["found"] += 1
            row["found_matched"] += bool(matching)
            row["found_typed"] += any(
                attribution.source_type in {g.source_type, *(g.alternatives or ())}
                for g in matching
            )
            if not matching:
                differences.append(
                    ("extra", article_id, attribution.source_type, attribution.content)
                )
    return counts, differences


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:6.2f}" if whole else "     -"


def main() -> int:
    counts, differences = evaluate()
    order = [label for label in label_set("source_types").ids() if label in counts]
    total = sum(counts.values(), Counter())
    print(
        f"{'source type':<20}{'key':>5}{'found':>7}{'recall':>8}{'typed R':>9}"
        f"{'precision':>11}{'typed P':>9}"
    )
    for label in [*order, "all"]:
        row = total if label == "all" else counts[label]
        print(
            f"{label:<20}{row['gold']:>5}{row['found']:>7}"
            f"{_ratio(row['gold_found'], row['gold']):>8}"
            f"{_ratio(row['gold_typed'], row['gold']):>9}"
            f"{_ratio(row['found_matched'], row['found']):>11}"
            f"{_ratio(row['found_typed'], row['found']):>9}"
        )
    if "--differences" in sys.argv:
        for difference in differences:
            print(" | ".join(str(part)[:110] for part in difference))
    return 0


if __name__ == "__main__":
    sys.exit(main())
