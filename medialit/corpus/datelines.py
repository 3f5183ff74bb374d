"""Site-independent reading of header lines: dates, datelines, bylines, tag lines and prompts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAMES, start=1):
    MONTHS[_name] = _number
    MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
# The date shapes a page prints: 2022-02-03, 3 February 2022, February 3, 2022, Feb. 3 2022.
_DATE_SHAPES = (
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"),
    re.compile(_WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` is (whole, bar a weekday and a time), in any of the common shapes.

    >>> parse_date("Feb. 3, 2022"), parse_date("3 February 2022"), parse_date("2022-02-03")
    (datetime.date(2022, 2, 3), datetime.date(2022, 2, 3), datetime.date(2022, 2, 3))
    >>> parse_date("Thursday, February 3rd 2022 at 10:15 am") , parse_date("in February")
    (datetime.date(2022, 2, 3), None)
    """
    text = text.strip().rstrip(".")
    for shape in _DATE_SHAPES:
        match = re.fullmatch(shape.pattern + _TIME, text, flags=re.IGNORECASE)
        if match:
            return _to_date(match)
    return None


def _to_date(match: re.Match) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("mon"):
        month = int(groups["mon"])
    else:
        month = MONTHS.get(groups["month"].lower())
        if month is None:
            return None
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


@dataclass
class HeaderFacts:
    """What one header line says: author, publisher, date (each may be missing)."""

    author: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    rest: str = ""  # text after an inline dateline, which belongs to the body


_SEPARATORS = re.compile(r"\s+[|·•]\s+|\s+[-–—]\s+(?=\S)")
_PUBLISHED = re.compile(
    r"^(?:(?:first\s+)?published|posted|date|updated|last updated)(?:\s+on)?\s*:?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|al|bin|and|&))*"
_BY = re.compile(r"^By\s+(?P<name>" + _NAME + r")$")
# PLACE, <date> (Publisher) -  ... : an agency-style dateline, alone or opening the first paragraph.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’/-]{1,40}),\s+(?P<date>[A-Za-z0-9 .,]{3,40}?)\s*"
    r"\((?P<publisher>[^()]{2,60})\)\s*(?:[-–—]+|:)\s*(?P<rest>.*)$",
    re.DOTALL,
)
# PLACE, <full date> — Publisher   or   PLACE, <full date> — The first words of the body ...
_DATELINE_DASH = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’/-]{1,40}),\s+(?P<date>[A-Za-z0-9 .,]{6,40}?)\s*[-–—]+\s*"
    r"(?P<rest>.*)$",
    re.DOTALL,
)


def _is_name_of_publisher(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and text[0].isupper() and text[-1] not in ".!?:;,"


def read_dateline(line: str) -> HeaderFacts | None:
    """Read a dateline or a byline line in the common shapes; None if ``line`` is not one.

    >>> read_dateline("MOSCOW, Feb. 3 (Reuters) - Russia said on Thursday ...")
    HeaderFacts(author=None, publisher='Reuters', date=None, rest='Russia said on Thursday ...')
    >>> facts = read_dateline("By Jane Doe | The Example Times | 3 February 2022")
    >>> facts.author, facts.publisher, facts.date
    ('Jane Doe', 'The Example Times', datetime.date(2022, 2, 3))
    >>> read_dateline("Published: 2022-02-03").date
    datetime.date(2022, 2, 3)
    >>> facts = read_dateline("VILNIUS, March 14, 2022 — The Lakeshore Ledger")
    >>> facts.publisher, facts.date, facts.rest
    ('The Lakeshore Ledger', datetime.date(2022, 3, 14), '')
    >>> read_dateline("WASHINGTON, March 14, 2022 - The talks ended late.").rest
    'The talks ended late.'
    >>> read_dateline("The talks went on late into the night.") is None
    True
    """
    line = line.strip()
    if match := _DATELINE.match(line):
        return HeaderFacts(
            publisher=match["publisher"].strip(),
            date=parse_date(match["date"]),
            rest=match["rest"].strip(),
        )
    if (match := _DATELINE_DASH.match(line)) and (date := parse_date(match["date"])):
        rest = match["rest"].strip()
        if _is_name_of_publisher(rest):
            return HeaderFacts(publisher=rest, date=date)
        return HeaderFacts(date=date, rest=rest)
    if match := _PUBLISHED.match(line):
        date = parse_date(match["date"])
        return HeaderFacts(date=date) if date else None
    if date := parse_date(line):
        return HeaderFacts(date=date)
    parts = [part.strip() for part in _SEPARATORS.split(line) if part.strip()]
    if len(parts) < 2 or len(parts) > 4:
        return None
    facts = HeaderFacts()
    others: list[str] = []
    for part in parts:
        if (by := _BY.match(part)) and facts.author is None:
            facts.author = by["name"]
        elif (date := parse_date(part)) or (
            (published := _PUBLISHED.match(part)) and (date := parse_date(published["date"]))
        ):
            facts.date = date
        else:
            others.append(part)
    if facts.author is None and facts.date is None:
        return None
    if len(others) > 1 or any(len(part.split()) > 6 or part[-1] in ".!?" for part in others):
        return None
    facts.publisher = others[0] if others else None
    return facts


def read_byline(line: str) -> str | None:
    """The author named by a plain 'By Name' line.

    >>> read_byline("By Ilse Marten"), read_byline("By the time we arrived, it was over.")
    ('Ilse Marten', None)
    """
    match = _BY.match(line.strip())
    if match and len(match["name"].split()) <= 6:
        return match["name"]
    return None


_TAG_PREFIX = re.compile(
    r"^(?:tags?|topics?|categor(?:y|ies)|filed under|section|sections|region|regions|theme|"
    r"keywords|subjects?)\s*:",
    re.IGNORECASE,
)
_TAG_SEPARATORS = re.compile(r"\s*[,|·•/]\s*")


def is_tag_line(line: str) -> bool:
    """A tag or category line: 'Tags: a, b', or two or more short capitalised items.

    >>> is_tag_line("Northern Isles · Transport · Local government"), is_tag_line("Topics: ferries")
    (True, True)
    >>> is_tag_line("Ferries, buses and trains ran late on Monday.")
    False
    """
    line = line.strip()
    if _TAG_PREFIX.match(line) and len(line.split()) <= 20:
        return True
    items = [item for item in _TAG_SEPARATORS.split(line) if item]
    return (
        len(items) >= 2
        and len(line.split()) <= 16
        and all(
            item[0].isupper() and len(item.split()) <= 4 and item[-1] not in '.!?:;"”’)'
            for item in items
        )
    )


_PROMPT = re.compile(
    r"^(?:\W{0,3})(?:subscribe|sign up|sign in|log in|register|join our|get our|get the|"
    r"follow us|follow the|like us|share this|share on|share the|click here|read more|"
    r"read also|read next|related|recommended|more from|more on this|advertisement|"
    r"sponsored|support our|support independent|donate|become a (?:member|subscriber|patron)|"
    r"newsletter|print this|email this|this article was|this story was|listen to this|"
    r"download our|watch:|see also|also read|don.t miss)",
    re.IGNORECASE,
)


def is_prompt(block: str) -> bool:
    """A short site prompt: subscribe, newsletter, share, follow, related links, adverts.

    >>> is_prompt("Subscribe to our newsletter for the news every morning.")
    True
    >>> is_prompt("Subscribers to the ferry pass pay less, the council said, and it wants more.")
    False
    """
    block = block.strip()
    if len(block.split()) > 30:
        return False
    if re.match(r"^\W{0,3}subscribers?\b", block, re.IGNORECASE) and not re.match(
        r"^\W{0,3}subscribe\b", block, re.IGNORECASE
    ):
        return False
    return bool(_PROMPT.match(block))


_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b|all rights reserved)", re.IGNORECASE)


def is_copyright(line: str) -> bool:
    """A copyright or rights line, which starts a site footer.

    >>> is_copyright("© 2022 The Saltmarsh Courier. All rights reserved."), is_copyright("Copy")
    (True, False)
    """
    return bool(_COPYRIGHT.match(line.strip()))


def is_prose(block: str) -> bool:
    """A paragraph of prose: a dozen words or more, or a full sentence, ending as a sentence ends.

    >>> is_prose("The council voted on Wednesday to keep the winter ferry running until March.")
    True
    >>> is_prose("Northern Isles | Transport"), is_prose("Subscribe")
    (False, False)
    """
    text = block.strip().rstrip("*_ ")
    words = text.split()
    if not words:
        return False
    ends = text[-1] in '.!?…"”’)' or text.endswith(".”")
    return ends and (len(words) >= 8 or (len(words) >= 4 and text[0].isupper()))


_BIO = re.compile(
    r"^(?P<name>" + _NAME + r"),?\s+(?:is|was)\s+(?:an?|the)\s+[\w -]*"
    r"(?:writer|journalist|correspondent|reporter|editor|analyst|columnist|author|"
    r"fellow|professor|researcher)\b"
)


def bio_author(block: str) -> str | None:
    """The name a closing bio starts with ('Jane Doe is a contributing editor ...'), if it is one.

    >>> bio_author("Daniel Okafor is a contributing editor of The Ledger.")
    'Daniel Okafor'
    >>> bio_author("Daniel Okafor said the talks would go on.") is None
    True
    """
    match = _BIO.match(block.strip())
    if match and len(block.split()) <= 60 and len(match["name"].split()) <= 5:
        return match["name"]
    return None


def is_bio(block: str, author: str | None) -> bool:
    """An author's bio: a closing block that starts with the author's name and says who they are.

    >>> is_bio("Ilse Marten covers transport for the Courier.", "Ilse Marten")
    True
    >>> is_bio("Ilse Marten said the vote was close.", None)
    False
    """
    text = block.strip()
    if author and text.startswith(author) and len(text.split()) <= 60:
        return True
    return bio_author(text) is not None
