"""Time of the class report's similarity section on large synthetic classes.

Each student writes five reflections of about 150 words (words drawn from the course's
articles, with a shared prompt sentence and a stock phrase used by many) and answers one
annotation item with the key plus a few mistakes; five pairs copy each other. Prints, per class
size, the seconds to find the pairs and render the section, and checks that exactly the planted
pairs are found (so a fast but wrong version cannot pass unseen).

Run: ``.venv/bin/python benchmarks/similarity.py [students ...]`` (default 100 300 1000).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time

import pandas as pd

from medialit.corpus import default
from medialit.grade.bundle import Bundle, ExerciseSet, Item
from medialit.report import similarity

PROMPT = "In your own words explain what the author asks the reader to believe and why"
STOCK = "on the other hand it is important to note that"


def make_class(students: int, rng: random.Random) -> tuple[pd.DataFrame, Bundle, set]:
    corpus = default()
    article = corpus.articles()["article_id"].iloc[0]
    body = corpus.article(article).body
    vocabulary = sorted({w.lower() for w in re.findall(r"[A-Za-z]+", body)})
    key = [{"start": s, "end": s + 40, "label": "official"} for s in range(0, 2000, 200)]
    rubric = ({"points": 3, "criterion": "answers the question"},)
    reflections = [
        Item(f"r{n}", "reflection", 3, title=f"reflection {n}", variable=f"r{n}", rubric=rubric)
        for n in range(5)
    ]
    annotation = Item(
        "a1", "annotation", 4, title="sources", article_id=article, layer="sourcing", key=key
    )
    items = (*reflections, annotation)
    bundle = Bundle({"s": ExerciseSet("s", "Set", items)}, {article: body})
    names = [f"student{n:04d}" for n in range(students)]
    copies = {(names[n], names[n + 1]) for n in range(0, 10, 2)}
    copied = dict(copies)
    rows, texts = [], {}
    for name in names:
        for item in items[:5]:
            if name in copied.values():
                source = next(a for a, b in copies if b == name)
                words = texts[(source, item.id)].split()
                words[rng.randrange(len(words))] = "however"
                text = " ".join(words)
            else:
                own = " ".join(rng.choice(vocabulary) for _ in range(150))
                text = f"{PROMPT}. {own} {STOCK if rng.random() < 0.3 else ''}"
            texts[(name, item.id)] = text
            rows.append([name, "s", item.id, "reflection", None, 3, "pending", json.dumps(text)])
        mistakes = [[s, s + 30, "expert"] for s in rng.sample(range(2100, 9000, 37), 3)]
        if name in copied.values() or name in copied:
            pair = next(n for n, p in enumerate(sorted(copies)) if name in p)
            mistakes = [[9100 + 50 * pair + k, 9130 + 50 * pair + k, "planted"] for k in range(4)]
        entries = [[k["start"], k["end"], k["label"]] for k in key] + mistakes
        rows.append([name, "s", "a1", "annotation", 2, 4, "partial", json.dumps(entries)])
    columns = ["student", "set", "item", "kind", "points", "max_points", "status", "answer"]
    return pd.DataFrame(rows, columns=columns), bundle, copies


def main(sizes: list[int]) -> int:
    print(f"{'students':>9} {'answers':>8} {'pairs':>6} {'find (s)':>9} {'render (s)':>11}")
    for students in sizes:
        table, bundle, copies = make_class(students, random.Random(students))
        started = time.perf_counter()
        pairs = similarity.find_pairs(table, bundle, [PROMPT])
        found_at = time.perf_counter()
        page = similarity.section(pairs, bundle, len(table), students)
        rendered = time.perf_counter()
        expected = {
            (item, a, b) for a, b in copies for item in ("r0", "r1", "r2", "r3", "r4", "a1")
        }
        got = {(p.item, p.first, p.second) for p in pairs}
        if got != expected or "<mark>" not in page:
            print(f"WRONG for {students}: missing {expected - got}, extra {got - expected}")
            return 1
        print(
            f"{students:>9} {len(table):>8} {len(pairs):>6} {found_at - started:>9.2f} "
            f"{rendered - found_at:>11.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [100, 300, 1000]))
