"""Turn a raw capture into clean paragraphs and metadata, one documented rule at a time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from medialit.corpus import datelines
from medialit.corpus.markup import Emphasis, Link, strip_markup
from medialit.corpus.textnorm import CLOSING_QUOTES

# Every cleaning rule, by id. The ingest log and sources/README.md name them; tests cover each.
RULES: dict[str, str] = {
    "blank-nbsp-lines": "Lines holding only white space or no-break spaces count as blank lines.",
    "title": "The first block of the capture is the title.",
    "header-byline": "'By [Name](#)' after the title gives the author and is removed.",
    "header-republished": "'Global Research, Month D, YYYY' gives the republisher and date.",
    "header-first-published": "'[Publisher](#) D Month YYYY' gives the first publisher and date.",
    "header-furniture": "Region, Theme and In-depth Report tags, translation banners, newsletter "
    "and Instagram prompts are site furniture and are removed.",
    "site-tags": "A line right after the title listing only short comma-separated tags is removed.",
    "footer": "From a lone '*' or 'Note to readers' to the end: featured-image captions, the "
    "original-source and copyright lines, comment and membership prompts, 'Articles by', the "
    "disclaimer; removed (the original-source line is read for the publisher first).",
    "exit-mobile": "'Exit mobile version' (a mobile-site footer) is removed.",
    "trailing-byline": "A name repeated at the end followed by a line starting with it is the "
    "byline and author's bio: recorded as author and author_bio, removed from the text.",
    "spaces": "No-break spaces inside a paragraph become plain spaces; runs of spaces become one.",
    "rejoin-split": "A paragraph that stops mid-sentence (no closing punctuation) and a next one "
    "that starts in lower case are one paragraph split by the capture: rejoined with a space.",
    "links": "'[anchor](#)' keeps its anchor text in the text; the link is recorded as a cue.",
    "emphasis": "'**bold**' and '*italic*' markers are removed; the emphasised runs are recorded.",
    "headings": "A short line (at most 8 words) with no closing punctuation between paragraphs "
    "is a subheading.",
    # Site-independent rules (medialit.corpus.datelines), tried after the rules above.
    "dateline": "A dateline or byline line in a common shape ('MOSCOW, Feb. 3 (Reuters) -', "
    "'By X | Publisher | 3 February 2022', 'Published: 2022-02-03', a date alone) gives the "
    "author, publisher and date and is removed; a dateline opening the first paragraph is cut "
    "from it.",
    "byline": "A plain 'By Name' line in the header gives the author and is removed.",
    "tag-line": "A tag, category or region line ('Tags: ...', 'A · B · C') is removed.",
    "prompts": "Short subscribe, newsletter, share, follow, 'read more' and advert prompts are "
    "removed wherever they are.",
    "lead-in": "Short blocks that are not prose before the first prose paragraph are site "
    "furniture and are removed.",
    "copyright-footer": "From a copyright or 'All rights reserved' line to the end is the site's "
    "footer and is removed.",
    "bio": "A closing block that starts with the author's name (or 'Name is a writer ...') is the "
    "author's bio: recorded as author_bio and removed.",
    "closing-furniture": "Short blocks that are not prose after the last prose paragraph are "
    "site furniture and are removed.",
    # Per-article overrides from sources/raw/metadata.yaml (medialit.corpus.overrides).
    "override-drop": "A paragraph listed under drop_paragraphs in metadata.yaml is removed.",
    "override-join": "A paragraph listed under join_paragraphs in metadata.yaml is joined to the "
    "next one with a space.",
}

# The rules that no seed capture needs: general rules for other sites, and metadata.yaml fixes.
GENERAL_RULES = frozenset(
    {"dateline", "byline", "tag-line", "prompts", "lead-in", "copyright-footer", "bio"}
    | {"closing-furniture", "override-drop", "override-join"}
)

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
_HEADER_FURNITURE = re.compile(
    r"^(Region:|Theme:|In-depth Report:|All Global Research articles|To receive Global Research"
    r"|Visit and follow us on Instagram)"
)
_FOOTER_START = re.compile(r"^(\*|Note to readers:?.*)$")
_LEAD_IN_WORDS = 12
_BYLINE = re.compile(r"^By \[(?P<name>[^\]]+)\]\(#?[^)]*\)$")
_REPUBLISHED = re.compile(
    r"^(?P<publisher>Global Research), (?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})$"
)
_FIRST_PUBLISHED = re.compile(
    r"^\[(?P<publisher>[^\]]+)\]\(#?[^)]*\) "
    r"(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4})$"
)
_ORIGINAL_SOURCE = re.compile(r"^The original source of this article is \[(?P<publisher>[^\]]+)\]")
_TERMINAL = ".!?:;…" + CLOSING_QUOTES + ")]"
GLOBAL_RESEARCH_PERMISSION = "grants permission to cross-post Global Research articles"


@dataclass
class Removal:
    """One piece of text a rule took out of the capture."""

    rule: str
    text: str


@dataclass
class CleanParagraph:
    """A paragraph of the article body after cleaning."""

    text: str
    kind: str = "text"  # "text" or "heading"
    links: list[Link] = field(default_factory=list)
    emphasis: list[Emphasis] = field(default_factory=list)


@dataclass
class CleanArticle:
    """What cleaning one capture produced: metadata read off the text, paragraphs and a log."""

    title: str
    paragraphs: list[CleanParagraph]
    author: str | None = None
    author_bio: str | None = None
    first_publisher: str | None = None
    first_published: dt.date | None = None
    republisher: str | None = None
    republished: dt.date | None = None
    site_tags: list[str] = field(default_factory=list)
    has_global_research_permission: bool = False
    removed: list[Removal] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)

    def note(self, rule: str, text: str | None = None) -> None:
        """Record that ``rule`` fired (and what it removed, if anything)."""
        if rule not in RULES:  # pragma: no cover - a programming error, caught by the tests
            raise KeyError(f"unknown cleaning rule {rule!r}")
        if rule not in self.applied:
            self.applied.append(rule)
        if text is not None:
            self.removed.append(Removal(rule, text))


class CaptureError(ValueError):
    """A capture could not be cleaned; the message names the file, the place and the fix."""


def _date(day: str, month: str, year: str) -> dt.date | None:
    number = _MONTHS.get(month)
    if number is None:
        return None
    try:
        return dt.date(int(year), number, int(day))
    except ValueError:
        return None


def split_blocks(text: str, article: CleanArticle | None = None) -> list[list[str]]:
    """Split a capture into blocks of non-blank lines (a blank line may hold only no-break spaces).

    >>> split_blocks("Title\\n\\nOne\\ntwo\\n\\u00a0\\nThree\\n")
    [['Title'], ['One', 'two'], ['Three']]
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.rstrip()
        if not line.strip():
            if raw_line and article is not None:
                article.note("blank-nbsp-lines")
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _is_site_tags(line: str) -> bool:
    """'Putin, Russia' style tag lines: two or more short capitalised items, no sentence."""
    items = [item.strip() for item in line.split(",")]
    return len(items) >= 2 and all(
        item and item[0].isupper() and len(item.split()) <= 3 and item[-1] not in _TERMINAL
        for item in items
    )


def _take_header(blocks: list[list[str]], article: CleanArticle) -> list[list[str]]:
    """Read and remove the furniture between the title and the first paragraph."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        line = block[0]
        if byline := _BYLINE.match(line):
            article.author = byline["name"].strip()
            article.note("header-byline", "\n".join(block))
        elif republished := _REPUBLISHED.match(line):
            article.republisher = republished["publisher"]
            article.republished = _date(
                republished["day"], republished["month"], republished["year"]
            )
            article.note("header-republished", "\n".join(block))
        elif first := _FIRST_PUBLISHED.match(line):
            article.first_publisher = first["publisher"]
            article.first_published = _date(first["day"], first["month"], first["year"])
            article.note("header-first-published", "\n".join(block))
        elif _HEADER_FURNITURE.match(line):
            article.note("header-furniture", "\n".join(block))
        elif index == 0 and len(block) == 1 and _is_site_tags(line):
            article.site_tags = [item.strip() for item in line.split(",")]
            article.note("site-tags", line)
        elif not _take_general_header_line(block, article):
            break
        index += 1
    return blocks[index:]


def _plain_line(block: list[str]) -> str:
    return strip_markup(" ".join(line.strip() for line in block)).text.strip()


def _take_general_header_line(block: list[str], article: CleanArticle) -> bool:
    """The site-independent header rules; True if ``block`` was furniture (and is noted)."""
    line = _plain_line(block)
    facts = datelines.read_dateline(line)
    if facts is not None and not facts.rest:
        _record_facts(facts, article)
        article.note("dateline", "\n".join(block))
    elif author := datelines.read_byline(line):
        article.author = article.author or author
        article.note("byline", "\n".join(block))
    elif datelines.is_tag_line(line):
        article.site_tags = article.site_tags or [
            item.strip() for item in re.split(r"[,|·•/]", line.split(":", 1)[-1]) if item.strip()
        ]
        article.note("tag-line", "\n".join(block))
    elif datelines.is_prompt(line):
        article.note("prompts", "\n".join(block))
    else:
        return False
    return True


def _record_facts(facts: datelines.HeaderFacts, article: CleanArticle) -> None:
    article.author = article.author or facts.author
    article.first_publisher = article.first_publisher or facts.publisher
    article.first_published = article.first_published or facts.date


def _take_lead_in(blocks: list[list[str]], article: CleanArticle) -> list[list[str]]:
    """Drop short non-prose blocks before the first prose paragraph; cut an inline dateline."""
    first_prose = next(
        (i for i, block in enumerate(blocks) if datelines.is_prose(_plain_line(block))), None
    )
    if first_prose is None:
        return blocks
    for block in blocks[:first_prose]:
        if len(_plain_line(block).split()) > _LEAD_IN_WORDS:
            return blocks
    for block in blocks[:first_prose]:
        article.note("lead-in", "\n".join(block))
    blocks = blocks[first_prose:]
    facts = datelines.read_dateline(blocks[0][0])
    if facts is not None and facts.rest and (facts.publisher or facts.date):
        _record_facts(facts, article)
        article.note("dateline", blocks[0][0][: len(blocks[0][0]) - len(facts.rest)].strip())
        blocks = [[facts.rest, *blocks[0][1:]], *blocks[1:]]
    return blocks


def _take_footer(blocks: list[list[str]], article: CleanArticle) -> list[list[str]]:
    """Remove the site footer, reading the original publisher from it."""
    for index, block in enumerate(blocks):
        if datelines.is_copyright(block[0]):
            article.note("copyright-footer", "\n\n".join("\n".join(b) for b in blocks[index:]))
            blocks = blocks[:index]
            break
        if _FOOTER_START.match(block[0]):
            for footer_block in blocks[index:]:
                for line in footer_block:
                    if (source := _ORIGINAL_SOURCE.match(line)) and not article.first_publisher:
                        article.first_publisher = source["publisher"]
            article.note("footer", "\n\n".join("\n".join(b) for b in blocks[index:]))
            blocks = blocks[:index]
            break
    if blocks and blocks[-1] == ["Exit mobile version"]:
        article.note("exit-mobile", "Exit mobile version")
        blocks = blocks[:-1]
    if blocks:
        last = blocks[-1]
        name = last[0].strip()
        repeats = [line for line in last if line.strip() == name]
        bio = [line for line in last if line.strip() != name]
        if (
            len(repeats) >= 2
            and len(name.split()) <= 5
            and all(word[:1].isupper() for word in name.split())
            and all(line.startswith(name) for line in bio)
        ):
            article.author = article.author or name
            article.author_bio = " ".join(bio) or None
            article.note("trailing-byline", "\n".join(last))
            blocks = blocks[:-1]
    return _take_closing(blocks, article)


def _take_closing(blocks: list[list[str]], article: CleanArticle) -> list[list[str]]:
    """Drop prompts, a bio and short non-prose blocks after the last prose paragraph."""
    prose = [i for i, block in enumerate(blocks) if datelines.is_prose(_plain_line(block))]
    while prose and len(blocks) > 1:
        line = _plain_line(blocks[-1])
        if datelines.is_prompt(line):
            article.note("prompts", "\n".join(blocks[-1]))
        elif datelines.is_bio(line, article.author):
            article.author = article.author or datelines.bio_author(line)
            article.author_bio = article.author_bio or line
            article.note("bio", "\n".join(blocks[-1]))
        elif (
            prose[0] < len(blocks) - 1
            and not datelines.is_prose(line)
            and len(line.split()) <= _LEAD_IN_WORDS
            and not line[:1].islower()  # the tail of a sentence the capture split
        ):
            article.note("closing-furniture", "\n".join(blocks[-1]))
        else:
            break
        blocks = blocks[:-1]
    kept = []
    for block in blocks:
        if len(block) == 1 and datelines.is_prompt(_plain_line(block)):
            article.note("prompts", block[0])
        else:
            kept.append(block)
    return kept


def _rejoin(blocks: list[list[str]], article: CleanArticle) -> list[str]:
    """Join each block's lines, then rejoin paragraphs the capture split mid-sentence."""
    paragraphs: list[str] = []
    for block in blocks:
        joined = " ".join(line.strip() for line in block)
        text = re.sub(r"[ \u00a0]{2,}|\u00a0", " ", joined).strip()
        if text != joined:
            article.note("spaces")
        if paragraphs and paragraphs[-1].rstrip()[-1] not in _TERMINAL and text[:1].islower():
            article.note("rejoin-split")
            paragraphs[-1] = paragraphs[-1].rstrip() + " " + text
            continue
        paragraphs.append(text)
    return paragraphs


def _is_heading(text: str, position: int, total: int) -> bool:
    words = text.split()
    return (
        0 < position < total - 1
        and len(words) <= 8
        and text[0].isupper()
        and text[-1] not in _TERMINAL + ","
    )


def clean_capture(text: str) -> CleanArticle:
    """Clean one capture's text (see :data:`RULES`) into a :class:`CleanArticle`.

    >>> capture = ("Title here\\n\\nBy [A. Writer](#)\\n\\nFirst part of a\\n\\nsentence."
    ...            "\\n\\n*\\n\\nNote to readers: share.")
    >>> article = clean_capture(capture)
    >>> article.title, article.author, [p.text for p in article.paragraphs]
    ('Title here', 'A. Writer', ['First part of a sentence.'])
    """
    article = CleanArticle(title="", paragraphs=[])
    blocks = split_blocks(text, article)
    if not blocks:
        raise CaptureError("the capture is empty")
    article.title = strip_markup(" ".join(blocks[0])).text.strip()
    article.note("title")
    article.has_global_research_permission = GLOBAL_RESEARCH_PERMISSION in text
    body_blocks = _take_lead_in(_take_footer(_take_header(blocks[1:], article), article), article)
    raw_paragraphs = _rejoin(body_blocks, article)
    for position, raw in enumerate(raw_paragraphs):
        plain = strip_markup(raw)
        if plain.links:
            article.note("links")
        if plain.emphasis:
            article.note("emphasis")
        paragraph = CleanParagraph(plain.text.strip(), links=plain.links, emphasis=plain.emphasis)
        if not plain.links and _is_heading(paragraph.text, position, len(raw_paragraphs)):
            paragraph.kind = "heading"
            article.note("headings")
        article.paragraphs.append(paragraph)
    if not article.paragraphs:
        raise CaptureError("no article text is left after removing the site furniture")
    return article
