"""The quoted examples on the codebook pages: ``[words]{.corpus-quote}`` and a paragraph id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CODEBOOK_PAGES = Path(__file__).resolve().parents[2] / "book" / "codebook"
# On a page: *[exact words from the article]{.corpus-quote}* (`article-id:p07`)
EXAMPLE = re.compile(
    r"\[(?P<quote>[^\]]+)\]\{\.corpus-quote\}\*?\s*\(`(?P<paragraph_id>[a-z0-9-]+:p\d{2,})`\)"
)


@dataclass(frozen=True)
class CodebookExample:
    """One quoted example: the page, its line, the words and the paragraph they are cited to."""

    page: str
    line: int
    quote: str
    paragraph_id: str


def codebook_examples(folder: str | Path | None = None) -> list[CodebookExample]:
    """Every quoted example on the codebook pages, in page and line order.

    A marker without a paragraph id after it is reported as an example with an empty id, so a
    test can catch it.

    >>> examples = codebook_examples()
    >>> all(example.quote for example in examples) and len(examples) > 50
    True
    """
    pages = Path(folder) if folder is not None else CODEBOOK_PAGES
    found: list[CodebookExample] = []
    for page in sorted(pages.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        matched: set[int] = set()
        for match in EXAMPLE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            matched.add(match.start())
            found.append(CodebookExample(page.name, line, match["quote"], match["paragraph_id"]))
        for marker in re.finditer(r"\[(?P<quote>[^\]]+)\]\{\.corpus-quote\}", text):
            if marker.start() not in matched:
                line = text.count("\n", 0, marker.start()) + 1
                found.append(CodebookExample(page.name, line, marker["quote"], ""))
    return sorted(found, key=lambda example: (example.page, example.line))
