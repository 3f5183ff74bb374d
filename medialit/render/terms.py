"""Terms of a passage and the terms passages share, ranked by how telling they are."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from medialit.corpus import Corpus

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
# Function words and words too common in these articles to tell passages apart.
_STOPWORD_TEXT = """
a about above after again against all almost along already also although always am among an and
another any anyone are around as at away back be because been before being below between both
but by can cannot could did do does doing done down during each either else enough even ever
every few for from further had has have having he her here hers him his how however i if in into
is it its itself just least less let like made make many may me might more most much must my
near neither never no nor not now of off often on once one only or other others our ours out
over own per perhaps quite rather really said same say says seem seems she should since so some
still such than that the their theirs them themselves then there therefore these they this those
though through thus till to too toward towards under unless until up upon us very via was we
well were what whatever when where whether which while who whom whose why will with within
without would yet you your yours mr ms sen vis-a-vis vis-à-vis bring brought get got go going
gone come came take took taken put give given look looks looked see seen want wants part way
same lot lots thing things time times day days year years today
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class TermSpan:
    """One occurrence of a term: offsets into the text it was found in, and the term's key."""

    start: int
    end: int
    key: str


def term_key(token: str) -> str | None:
    """The key a word counts under, or None for a function word.

    >>> term_key("NATO’s"), term_key("US"), term_key("us"), term_key("Sanctions")
    ('nato', 'us', None, 'sanctions')
    """
    word = _POSSESSIVE.sub("", token)
    key = word.lower().replace("’", "'")
    if word.isupper() and len(word) >= 2:
        return key
    if len(key) < 3 or key in STOPWORDS:
        return None
    return key


@lru_cache(maxsize=4096)
def term_spans(text: str) -> tuple[TermSpan, ...]:
    """Every content word of ``text`` with its offsets (remembered: paragraphs recur).

    >>> [s.key for s in term_spans("Biden’s remark was outrageous")]
    ['biden', 'remark', 'outrageous']
    """
    found = []
    for match in _WORD.finditer(text):
        key = term_key(match[0])
        if key:
            found.append(TermSpan(match.start(), match.end(), key))
    return tuple(found)


class TermIndex:
    """Document frequencies of terms over every paragraph of a corpus (for ranking)."""

    def __init__(self, corpus: Corpus) -> None:
        self.paragraph_count = 0
        self.document_frequency: Counter[str] = Counter()
        self.surface: dict[str, str] = {}
        for article in corpus:
            for paragraph in article.paragraphs:
                self.paragraph_count += 1
                seen = set()
                for match in _WORD.finditer(paragraph.text):
                    key = term_key(match[0])
                    if key and key not in seen:
                        seen.add(key)
                        self.surface.setdefault(key, _POSSESSIVE.sub("", match[0]))
                self.document_frequency.update(seen)

    def weight(self, key: str) -> float:
        """Inverse document frequency: rare terms weigh more."""
        return math.log((1 + self.paragraph_count) / (1 + self.document_frequency[key])) + 1


def shared_terms(passages: Sequence[str], index: TermIndex, limit: int = 12) -> list[str]:
    """The terms at least two passages share, most telling first (keys, lower case).

    A term scores by the number of passages that use it, then by its count times its weight.

    >>> from medialit import corpus
    >>> index = TermIndex(corpus.default())
    >>> shared_terms(["NATO must not expand", "NATO expansion", "tea"], index)
    ['nato']
    """
    counts = [Counter(span.key for span in term_spans(text)) for text in passages]
    present: Counter[str] = Counter()
    for count in counts:
        present.update(count.keys())
    scored = []
    for key, passage_count in present.items():
        if passage_count < 2:
            continue
        total = sum(count[key] for count in counts)
        scored.append((-passage_count, -total * index.weight(key), key))
    return [key for *_, key in sorted(scored)[:limit]]
