"""Passages the course shows as examples: codebook quotes and the notebooks' cited quotations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CODEBOOK_PAGES = Path(__file__).resolve().parents[2] / "book" / "codebook"
# On a page: *[exact words from the article]{.corpus-quote}* (`article-id:p07`)
EXAMPLE = re.compile(
    r"\[(?P<quote>[^\]]+)\]\{\.corpus-quote\}\*?\s*\(`(?P<paragraph_id>[a-z0-9-]+:p\d{2,})`\)"
)


NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# In a notebook: “exact words from the article” (`article-id:p07`) or (`article-id:p07.s02`)
NOTEBOOK_QUOTE = re.compile(
    r"“(?P<quote>[^“”]+)”\s*\(`(?P<paragraph_id>[a-z0-9-]+:p\d{2,})(?:\.s\d{2,})?`\)"
)


@dataclass(frozen=True)
class CodebookExample:
    """One quoted example: the page, its line, the words and the paragraph they are cited to."""

    page: str
    line: int
    quote: str
    paragraph_id: str
    folder: str = "book/codebook"

    @property
    def where(self) -> str:
        """The file and line, for messages: ``book/codebook/claims.md line 12``."""
        return f"{self.folder}/{self.page} line {self.line}"


def notebook_examples(folder: str | Path | None = None) -> list[CodebookExample]:
    """Every cited quotation in the walk-through notebooks (students read these as worked
    examples, so a graded item must not ask for them).

    >>> examples = notebook_examples()
    >>> all(example.paragraph_id for example in examples) and len(examples) > 20
    True
    """
    pages = Path(folder) if folder is not None else NOTEBOOKS
    found: list[CodebookExample] = []
    for page in sorted(pages.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in NOTEBOOK_QUOTE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(
                CodebookExample(page.name, line, match["quote"], match["paragraph_id"], "notebooks")
            )
    return found


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
