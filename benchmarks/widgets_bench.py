"""Benchmark the widgets: a comparison view of the two longest articles with all layers, and
saving one annotation. Targets (median, this machine): under 50 ms and under 20 ms.

Run: ``.venv/bin/python benchmarks/widgets_bench.py`` (prints the figures; exit 1 if a target
is missed).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from medialit.corpus import default
from medialit.render import layers
from medialit.render.compare_html import TERMS, comparison, comparison_html
from medialit.render.layers import Highlight
from medialit.widgets import compare
from medialit.widgets.store import AnswersFile

RUNS = 30
ALL_LAYERS = [*layers.LAYER_IDS, TERMS]


def _times(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _report(name: str, times: list[float], target: float) -> bool:
    median = statistics.median(times)
    ok = median < target
    print(
        f"{name:<62} median {median:7.2f} ms  p90 {sorted(times)[int(0.9 * len(times))]:7.2f}"
        f" ms  max {max(times):7.2f} ms  target < {target:.0f} ms  {'OK' if ok else 'MISSED'}"
    )
    return ok


def _dense_highlights(corpus, article_ids: list[str]) -> list[Highlight]:
    """A key as dense as a finished one: every paragraph framed, every sentence a claim, every
    second sentence a source and every third a technique (all four layers overlapping)."""
    found = []
    for article_id in article_ids:
        article = corpus.article(article_id)
        for paragraph in article.paragraphs:
            found.append(
                Highlight(
                    article_id,
                    paragraph.paragraph_id,
                    paragraph.start,
                    paragraph.end,
                    "framing",
                    "FRAME: SECUR·THEME",
                    "Framing",
                    "key",
                    True,
                )
            )
        for number, sentence in enumerate(article.sentences):
            middle = (sentence.start + sentence.end) // 2
            found.append(
                Highlight(
                    article_id,
                    sentence.paragraph_id,
                    sentence.start,
                    sentence.end,
                    "claims",
                    "CLAIM: OPINION",
                    "Claims",
                    "key",
                )
            )
            if number % 2 == 0:
                found.append(
                    Highlight(
                        article_id,
                        sentence.paragraph_id,
                        sentence.start,
                        middle,
                        "sourcing",
                        "SOURCE: OFFICIAL·DIRECT",
                        "Sourcing",
                        "key",
                    )
                )
            if number % 3 == 0:
                found.append(
                    Highlight(
                        article_id,
                        sentence.paragraph_id,
                        middle - 5,
                        sentence.end,
                        "persuasion",
                        "TECH: LOADED",
                        "Persuasion",
                        "key",
                    )
                )
    return found


def main() -> int:
    corpus = default()
    table = corpus.articles().sort_values("word_count", ascending=False)
    longest = list(table["article_id"][:2])
    words = list(table["word_count"][:2])
    print(f"Two longest articles: {longest[0]} ({words[0]} words), {longest[1]} ({words[1]} words)")
    started = time.perf_counter()
    key = layers.key_highlights(corpus, longest)
    comparison(corpus, article_ids=longest)
    cold = (time.perf_counter() - started) * 1000
    print(f"First build in a fresh process (loads the keys, indexes terms): {cold:.0f} ms")
    dense = _dense_highlights(corpus, longest)
    print(f"Highlights: {len(key)} from the repository's key, {len(dense)} in the dense key")

    def build(highlights: list[Highlight]) -> Callable[[], str]:
        def action() -> str:
            found = [*layers.key_highlights(corpus, longest), *highlights]
            return comparison_html(comparison(corpus, article_ids=longest), found, ALL_LAYERS)

        return action

    ok = _report("comparison view, all layers, repository key", _times(build([])), 50)
    ok &= _report(
        "comparison view, all layers, dense key (every sentence)", _times(build(dense)), 50
    )
    widget = compare(longest, layers_shown=ALL_LAYERS, corpus=corpus)
    flip = iter(range(10**6))

    def toggle() -> None:  # one click on a layer box: the widget rebuilds its view
        widget.layer_boxes["claims"].value = next(flip) % 2 == 0

    ok &= _report("compare() widget: redraw after a layer toggle", _times(toggle), 50)

    with tempfile.TemporaryDirectory() as folder:
        store = AnswersFile(Path(folder) / "bench.answers.json")
        record = {
            "paragraph_id": "russia-china-resist:p11",
            "start": 2584,
            "end": 2601,
            "text": "walk and chew gum",
            "layer": "persuasion",
            "label": "slogans",
        }
        for _ in range(50):  # a student's file after a long session
            store.add(record)
        ok &= _report(
            "save one annotation (file already holds 50; fsync + rename)",
            _times(lambda: store.add(record)),
            20,
        )
    print(f"size of the HTML of the dense view: {len(build(dense)()) / 1024:.0f} KiB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
