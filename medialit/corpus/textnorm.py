"""Text normalisation for matching: curly/straight quotes, dashes and white space count as equal."""

from __future__ import annotations

import functools
import re

# Characters that are interchangeable when matching a quote against the corpus. The stored text is
# never changed: only the comparison copies are folded.
_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
}
_ELLIPSIS = "\u2026"
_SPACE = re.compile(r"\s")

OPENING_QUOTES = "\u201c\u2018\"'"
CLOSING_QUOTES = "\u201d\u2019\"'"


@functools.lru_cache(maxsize=64)
def fold_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold ``text`` for matching and return it with, for each folded character, its source index.

    Cached: locating every span of a key folds the same article body hundreds of times.

    Runs of white space (including no-break spaces) become one space, curly quotes become straight
    ones, every dash becomes a hyphen and the ellipsis character becomes three dots.

    >>> folded, where = fold_with_map("It\u2019s  \u201cstolen\u201d \u2014 no")
    >>> folded
    'It\\'s "stolen" - no'
    >>> where[4], where[5]
    (4, 6)
    """
    folded: list[str] = []
    index_map: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if _SPACE.match(char):
            if previous_space:
                continue
            folded.append(" ")
            index_map.append(index)
            previous_space = True
            continue
        previous_space = False
        if char == _ELLIPSIS:
            folded.extend("...")
            index_map.extend([index, index, index])
            continue
        folded.append(_FOLD.get(char, char))
        index_map.append(index)
    return "".join(folded), tuple(index_map)  # a tuple: the result is cached and shared


def fold(text: str) -> str:
    """Fold ``text`` for comparison (see :func:`fold_with_map`), trimming the ends.

    >>> fold("  \u201cwalk and chew gum\u201d ") == fold('"walk and chew gum"')
    True
    """
    return fold_with_map(text)[0].strip()


def count_words(text: str) -> int:
    """Count words as runs of letters or digits (apostrophes and hyphens stay inside a word).

    >>> count_words("Biden\u2019s \u201ckiller\u201d remark \u2014 a long-running gaffe, 2021.")
    7
    """
    return len(re.findall(r"[^\W_]+(?:['\u2019\-][^\W_]+)*", text))
