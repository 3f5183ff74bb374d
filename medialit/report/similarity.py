"""Similar work: pairs of students whose reflections or annotations share what is distinctive.

What is compared is what the grader recorded in the gradebook's ``answer`` column (a
reflection's text, up to 4,000 characters; an annotation item's passages and labels as read),
so the report needs no other input. Before comparing, everything students share for innocent
reasons is left out:

- reflections: the text is folded (Unicode NFKC, case, punctuation) into words and cut into
  overlapping runs of :data:`RUN` words; runs found in the articles, the item titles, hints and
  rubrics, or the student release notebooks (the prompts and starter text) are dropped, and so
  is any run used by more than :func:`common_limit` students (a stock phrase);
- annotations: an entry (passage and label) that is in the key is dropped (everyone who is
  right shares it), and so is a mistake made by more than :func:`common_limit` students (a
  common misreading, which the report's "most missed" section already shows).

A pair is flagged when it shares at least :data:`MIN_RUNS` runs (reflections) or
:data:`MIN_ENTRIES` entries (annotations) and these make up at least :data:`MIN_SHARE` of the
shorter answer's distinctive part. An inverted index counts shared runs, so the work grows with
the shared runs, not with the square of the class (``benchmarks/similarity.py``).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

from medialit.grade.bundle import Bundle
from medialit.report.load import parse_answer

RUN = 5  # words per run (shingle)
MIN_RUNS = 6  # shared runs: about ten words in a row, or several shorter passages
MIN_ENTRIES = 3  # shared annotation entries that are not in the key
MIN_SHARE = 0.5  # of the shorter answer's distinctive part
COMMON_MIN, COMMON_SHARE = 4, 0.05  # used by more students than this: common, not distinctive
WORD = re.compile(r"\w+")


def common_limit(students: int) -> int:
    """How many students may share a run or mistake before it counts as common.

    >>> common_limit(6), common_limit(30), common_limit(300)
    (4, 4, 15)
    """
    return max(COMMON_MIN, math.ceil(COMMON_SHARE * students))


def words(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their character span in ``text``.

    >>> [w for w, _, _ in words("The EU’s “analysis”, ﬁne!")]
    ['the', 'eu', 's', 'analysis', 'fine']
    """
    return [
        (unicodedata.normalize("NFKC", m.group()).casefold(), m.start(), m.end())
        for m in WORD.finditer(text)
    ]


def runs(text: str) -> dict[tuple[str, ...], list[int]]:
    """Each run of :data:`RUN` words and the word positions where it starts.

    >>> list(runs("a b c d e f"))
    [('a', 'b', 'c', 'd', 'e'), ('b', 'c', 'd', 'e', 'f')]
    """
    tokens = [w for w, _, _ in words(text)]
    found: dict[tuple[str, ...], list[int]] = {}
    for start, run in enumerate(zip(*(tokens[i:] for i in range(RUN)), strict=False)):
        found.setdefault(run, []).append(start)
    return found


@dataclass
class Pair:
    """Two students whose answers to one item share distinctive material."""

    set_id: str
    item: str
    kind: str
    first: str
    second: str
    shared: int  # runs or entries
    share: float  # of the shorter answer's distinctive part
    identical: bool
    detail: dict = field(default_factory=dict)


def _index(answers: dict[str, Iterable], excluded: set, students: int) -> tuple:
    """An inverted index of the answers' elements (runs or entries): the size of each
    student's distinctive part, how many distinctive elements each pair shares, and the test
    of distinctiveness (not ``excluded``, held by at most :func:`common_limit` students)."""
    holders: dict = defaultdict(list)
    for student, elements in answers.items():
        for element in elements:  # each element once per student (sets, dict keys)
            holders[element].append(student)
    limit = common_limit(students)

    def distinctive(element: object) -> bool:
        return element not in excluded and len(holders[element]) <= limit

    sizes = {s: sum(map(distinctive, elements)) for s, elements in answers.items()}
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for element, who in holders.items():
        if 2 <= len(who) <= limit and element not in excluded:
            for pair in combinations(sorted(who), 2):
                shared[pair] += 1
    return sizes, shared, distinctive


def _flagged(answers: dict[str, Iterable], excluded: set, students: int, least: int) -> Iterator:
    """(first, second, shared, share, distinctive) for each pair sharing at least ``least``
    distinctive elements that make up :data:`MIN_SHARE` of the smaller distinctive part."""
    sizes, pairs_shared, distinctive = _index(answers, excluded, students)
    for (a, b), shared in pairs_shared.items():
        smaller = min(sizes[a], sizes[b])
        if shared >= least and smaller and shared / smaller >= MIN_SHARE:
            yield a, b, shared, shared / smaller, distinctive


def boilerplate_runs(bundle: Bundle, extra: Iterable[str] = ()) -> set[tuple[str, ...]]:
    """Runs that come from the instructor: articles, titles, hints, rubrics, ``extra`` texts."""
    texts = list(bundle.texts.values()) + list(extra)
    for exercise in bundle.sets.values():
        for item in exercise.items:
            texts += [item.title, item.hint]
            texts += [str(criterion.get("criterion", "")) for criterion in item.rubric]
    found: set[tuple[str, ...]] = set()
    for text in texts:
        found.update(runs(text))
    return found


def reflection_pairs(
    texts: dict[str, str], boilerplate: set, set_id: str, item: str, students: int
) -> list[Pair]:
    """Flagged pairs among one reflection item's answers (student -> text)."""
    every = {s: runs(t) for s, t in texts.items()}
    pairs = []
    for a, b, shared, share, distinctive in _flagged(every, boilerplate, students, MIN_RUNS):
        common = {run for run in every[a] if run in every[b] and distinctive(run)}
        same = [w for w, _, _ in words(texts[a])] == [w for w, _, _ in words(texts[b])]
        detail = {
            "texts": (texts[a], texts[b]),
            "marks": (_marked(texts[a], every[a], common), _marked(texts[b], every[b], common)),
        }
        pairs.append(Pair(set_id, item, "reflection", a, b, shared, share, same, detail))
    return pairs


def _marked(text: str, found: dict, shared: set) -> list[tuple[int, int]]:
    """Character ranges of ``text`` covered by the shared runs, merged."""
    tokens = words(text)
    covered = [False] * len(tokens)
    for run in shared:
        for start in found.get(run, ()):
            covered[start : start + RUN] = [True] * RUN
    ranges: list[tuple[int, int]] = []
    for index, on in enumerate(covered):
        if not on:
            continue
        start, end = tokens[index][1], tokens[index][2]
        if ranges and index and covered[index - 1]:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _entries(answer: object) -> set[tuple[int, int, str]]:
    if not isinstance(answer, list):
        return set()
    found = set()
    for entry in answer:
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in entry[:2])
        ):
            found.add((entry[0], entry[1], str(entry[2] or "").casefold()))
    return found


def annotation_pairs(
    answers: dict[str, object], key: Iterable[dict], set_id: str, item: str, students: int
) -> list[Pair]:
    """Flagged pairs among one annotation item's answers (student -> entries as recorded)."""
    gold = {(k["start"], k["end"], str(k.get("label") or "").casefold()) for k in key}
    every = {s: _entries(a) for s, a in answers.items()}
    pairs = []
    for a, b, shared, share, distinctive in _flagged(every, gold, students, MIN_ENTRIES):
        common = sorted(e for e in every[a] & every[b] if distinctive(e))
        detail = {"entries": common, "sizes": (len(every[a]), len(every[b]))}
        same = every[a] == every[b]
        pairs.append(Pair(set_id, item, "annotation", a, b, shared, share, same, detail))
    return pairs


def find_pairs(table: pd.DataFrame, bundle: Bundle, extra: Iterable[str] = ()) -> list[Pair]:
    """Every flagged pair in a checked gradebook, item by item, strongest first."""
    boilerplate = boilerplate_runs(bundle, extra)
    pairs: list[Pair] = []
    students = table["student"].nunique()
    chosen = table[table["kind"].isin(["reflection", "annotation"])]
    for (set_id, item_id), rows in chosen.groupby(["set", "item"], sort=True):
        answers = {s: parse_answer(a) for s, a in zip(rows["student"], rows["answer"], strict=True)}
        item = next(i for i in bundle.sets[set_id].items if i.id == item_id)
        if item.kind == "reflection":
            texts = {s: a for s, a in answers.items() if isinstance(a, str) and a.strip()}
            pairs += reflection_pairs(texts, boilerplate, set_id, item_id, students)
        else:
            pairs += annotation_pairs(answers, item.key or (), set_id, item_id, students)
    return sorted(pairs, key=lambda p: (-p.share, -p.shared, p.set_id, p.item, p.first, p.second))


def groups(pairs: list[Pair]) -> list[tuple[str, str, list[str], float]]:
    """Students linked by flagged pairs, per item: (set, item, students, strongest share).

    >>> p = [Pair("s", "q", "reflection", "a", "b", 9, 0.9, False),
    ...      Pair("s", "q", "reflection", "b", "c", 7, 0.6, False)]
    >>> groups(p)
    [('s', 'q', ['a', 'b', 'c'], 0.9)]
    """
    found = []
    by_item: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_item[(pair.set_id, pair.item)].append(pair)
    for (set_id, item), mine in by_item.items():
        parent: dict[str, str] = {}

        def root(x: str, parent: dict[str, str] = parent) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        for pair in mine:
            parent[root(pair.first)] = root(pair.second)
        members: dict[str, list[str]] = defaultdict(list)
        for student in sorted(parent):
            members[root(student)].append(student)
        for group in members.values():
            strongest = max(p.share for p in mine if p.first in group)
            found.append((set_id, item, group, strongest))
    return sorted(found, key=lambda g: (-g[3], g[0], g[1], g[2]))


SHOWN = 40  # pairs shown in full; the rest are counted


def _with_marks(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text escaped, with the shared passages in <mark> (underlined and bold as well)."""
    import html

    parts, at = [], 0
    for start, end in ranges:
        parts += [html.escape(text[at:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def _how_much(pair: Pair) -> str:
    unit = "runs of five words" if pair.kind == "reflection" else "entries not in the key"
    said = f"{pair.share:.0%} of the shorter answer's distinctive part ({pair.shared} {unit})"
    if pair.identical:
        same = "the same words" if pair.kind == "reflection" else "the same entries"
        said = f"{same}; {said}"
    return said


def _pair_html(pair: Pair, bundle: Bundle) -> str:
    import html

    first, second = html.escape(pair.first), html.escape(pair.second)
    caption = f"{pair.set_id}/{pair.item}: {pair.first} and {pair.second}"
    head = f"<h3>{html.escape(caption)}</h3><p>{html.escape(_how_much(pair))}.</p>"
    label = html.escape(caption)
    if pair.kind == "reflection":
        texts = [pair.detail["texts"][0], pair.detail["texts"][1]]
        cells = "".join(
            f'<td class="text">{_with_marks(t, m)}</td>'
            for t, m in zip(texts, pair.detail["marks"], strict=True)
        )
        return (
            f'{head}<div class="wide" role="region" tabindex="0" aria-label="{label}">'
            f"<table><caption>{html.escape(caption)}: the two texts, shared passages marked"
            f'</caption><thead><tr><th scope="col">{first}</th><th scope="col">{second}</th>'
            f"</tr></thead><tbody><tr>{cells}</tr></tbody></table></div>"
        )
    item = next(i for i in bundle.sets[pair.set_id].items if i.id == pair.item)
    body = bundle.texts.get(item.article_id or "", "")
    key = {(k["start"], k["end"]): str(k.get("label") or "") for k in item.key or ()}
    rows = []
    for start, end, chosen in pair.detail["entries"]:
        passage = body[start:end] if 0 <= start < end <= len(body) else f"{start}-{end}"
        known = key.get((start, end))
        why = "not a passage of the key" if known is None else f"the key labels it {known}"
        rows.append(
            f'<tr><td class="text">{html.escape(passage)}</td><td>{html.escape(chosen)}</td>'
            f"<td>{html.escape(why)}</td></tr>"
        )
    sizes = pair.detail["sizes"]
    head += (
        f"<p>{first} recorded {sizes[0]} entries and {second} {sizes[1]}; "
        "both recorded these, which the key does not:</p>"
    )
    return (
        f'{head}<div class="wide" role="region" tabindex="0" aria-label="{label}">'
        f"<table><caption>{html.escape(caption)}: entries in both answers and not in the key"
        '</caption><thead><tr><th scope="col">passage</th><th scope="col">label both chose'
        '</th><th scope="col">the key</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def section(pairs: list[Pair], bundle: Bundle, compared: int, students: int) -> str:
    """The report's "Similar work to look at" section."""
    from medialit.report.page import _table

    limit = f"any passage or mistake shared by more than {common_limit(students)} students"
    parts = [
        "<h2>Similar work to look at</h2>",
        "<p><strong>This is not a finding and never a penalty:</strong> it lists answers a "
        "person should read side by side before drawing any conclusion. Students may have "
        "worked together as allowed, quoted the same source, or reached the same mistake "
        "independently. No score is changed by this section.</p>",
        f"<p>Compared: reflections (runs of {RUN} words after folding case and punctuation) and "
        "annotation answers (passages with their labels), item by item. Left out first: what "
        "everyone may share — text from the articles, the prompts, titles, hints and rubrics, "
        f"annotations that agree with the key, and {limit}. A pair is listed when it shares at "
        f"least {MIN_RUNS} runs or {MIN_ENTRIES} annotation entries making up at least "
        f"{MIN_SHARE:.0%} of the shorter answer's distinctive part.</p>",
    ]
    if not pairs:
        parts.append(
            f"<p>No pair of students shares distinctive work ({compared} answers compared).</p>"
        )
        return "\n".join(parts)
    titles = {(s, i.id): i.title or i.id for s, e in bundle.sets.items() for i in e.items}
    view = pd.DataFrame(
        [
            {
                "item": f"{set_id}/{item}",
                "title": titles[(set_id, item)],
                "students": ", ".join(members),
                "how many": len(members),
                "strongest overlap": share,
            }
            for set_id, item, members, share in groups(pairs)
        ]
    )
    parts.append(
        f"<p>{len(pairs)} pair(s) in {len(view)} group(s), from {compared} answers compared.</p>"
    )
    parts.append(_table(view, "Groups of students with similar answers", ("strongest overlap",)))
    parts.append(
        "<p>Each pair below shows both answers; in reflections the shared passages are "
        "marked (highlighted, underlined and bold).</p>"
    )
    parts += [_pair_html(pair, bundle) for pair in pairs[:SHOWN]]
    if len(pairs) > SHOWN:
        parts.append(f"<p>{len(pairs) - SHOWN} weaker pair(s) not shown in full.</p>")
    return "\n".join(parts)


def release_texts(folder: Path) -> tuple[str, ...]:
    """The text of every cell of the student release notebooks in ``folder`` (none if absent):
    prompts and starter lines that every student's notebook begins with."""
    texts = []
    for path in sorted(Path(folder).glob("*.ipynb")) if Path(folder).is_dir() else ():
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells if isinstance(cells, list) else ():
            source = cell.get("source", "") if isinstance(cell, dict) else ""
            texts.append("".join(source) if isinstance(source, list) else str(source))
    return tuple(texts)
