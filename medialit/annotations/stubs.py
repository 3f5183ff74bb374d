"""Pieces of the key files that ``annotations skeleton`` and ``annotations draft`` write."""

from __future__ import annotations

from medialit.corpus import Paragraph


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML string.

    >>> print(quoted('He said "no" \\\\ twice'))
    "He said \\"no\\" \\\\ twice"
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def framing_stub_opening(paragraph: Paragraph) -> tuple[str, list[str]]:
    """The paragraph's number and the lines that open its framing stub: a blank line, a comment
    with the paragraph's first words, then the entry's id, paragraph_id and layer."""
    number = paragraph.paragraph_id.rsplit(":p", 1)[1]
    return number, [
        "",
        f"# ---- p{number}: {paragraph.text[:70]}",
        f"- id: frame-p{number}",
        f"  paragraph_id: {paragraph.paragraph_id}",
        "  layer: framing",
    ]
