"""Split a paragraph into sentences with character offsets (rule based, no model to download)."""

from __future__ import annotations

import re

from medialit.corpus.textnorm import CLOSING_QUOTES

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gen",
    "gov",
    "st",
    "vs",
    "etc",
    "no",
    "jr",
    "sr",
    "lt",
    "col",
    "capt",
    "fm",
    "pm",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "approx",
    "fig",
}
_BOUNDARY = re.compile(
    r"(?P<end>[.!?]+|\.\.\.|\u2026)(?P<close>[" + re.escape(CLOSING_QUOTES) + r")\]]*)"
    r"(?P<space>\s+)(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of each sentence in ``text``.

    >>> text = "Sen. Menendez wrote Mr. Blinken. \u201cIt is over,\u201d he said. M. K. Rao nods."
    >>> for start, end in split_sentences(text):
    ...     print(text[start:end])
    Sen. Menendez wrote Mr. Blinken.
    \u201cIt is over,\u201d he said.
    M. K. Rao nods.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start("space")
        if _is_abbreviation(text, match.start("end"), match.group("end")):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end("space")
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _is_abbreviation(text: str, dot_position: int, mark: str) -> bool:
    """Is the full stop at ``dot_position`` part of an abbreviation or an initial?"""
    if mark != ".":
        return False
    word_match = re.search(r"([\w.]+)$", text[:dot_position])
    if not word_match:
        return False
    word = word_match.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "M. K. Bhadrakumar", "Roman N Babushkin"
        return True
    return word.lower() in _ABBREVIATIONS or word.lower().rstrip(".") in _ABBREVIATIONS
