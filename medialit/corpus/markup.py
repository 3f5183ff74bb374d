"""Read the inline markup of a capture: ``[anchor](#)`` links and ``**bold**`` / ``*italic*``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")
_ESCAPABLE = set("\\`*_{}[]()#+-.!|")


@dataclass(frozen=True)
class Link:
    """A hyperlink marker: its anchor text and where it sits in the plain text."""

    anchor_text: str
    target: str
    start: int
    end: int


@dataclass(frozen=True)
class Emphasis:
    """A bold or italic run removed from the text but kept on record."""

    kind: str  # "bold" or "italic"
    text: str
    start: int
    end: int


@dataclass
class Plain:
    """Plain text with the links and emphasis that were taken out of it."""

    text: str
    links: list[Link] = field(default_factory=list)
    emphasis: list[Emphasis] = field(default_factory=list)


def strip_markup(source: str) -> Plain:
    """Remove link and emphasis markup from ``source``, recording where each one was.

    >>> plain = strip_markup("*Biden\u2019s **killer** [remark](#) was \\\\(not\\\\) new.*")
    >>> plain.text
    'Biden\u2019s killer remark was (not) new.'
    >>> [(link.anchor_text, link.start, link.end) for link in plain.links]
    [('remark', 15, 21)]
    >>> sorted((e.kind, e.text) for e in plain.emphasis)
    [('bold', 'killer'), ('italic', 'Biden\u2019s killer remark was (not) new.')]
    """
    result = Plain(text="")
    _scan(source, result)
    return result


def _scan(source: str, result: Plain) -> None:
    out: list[str] = [result.text]
    open_marks: dict[str, int] = {}
    position = 0

    def current_length() -> int:
        return sum(len(part) for part in out)

    while position < len(source):
        char = source[position]
        if char == "\\" and position + 1 < len(source) and source[position + 1] in _ESCAPABLE:
            out.append(source[position + 1])
            position += 2
            continue
        if char == "[":
            match = _LINK.match(source, position)
            if match:
                inner = Plain(text="")
                _scan(match.group(1), inner)
                start = current_length()
                out.append(inner.text)
                for emphasis in inner.emphasis:
                    result.emphasis.append(
                        Emphasis(
                            emphasis.kind,
                            emphasis.text,
                            emphasis.start + start,
                            emphasis.end + start,
                        )
                    )
                result.links.append(
                    Link(inner.text, match.group(2), start, start + len(inner.text))
                )
                position = match.end()
                continue
        if char == "*":
            mark = "**" if source.startswith("**", position) else "*"
            kind = "bold" if mark == "**" else "italic"
            if kind in open_marks:
                start = open_marks.pop(kind)
                end = current_length()
                text = "".join(out)[start:end]
                result.emphasis.append(Emphasis(kind, text, start, end))
                position += len(mark)
                continue
            if _closes_later(source, position + len(mark), mark):
                open_marks[kind] = current_length()
                position += len(mark)
                continue
        out.append(char)
        position += 1
    result.text = "".join(out)


def _closes_later(source: str, position: int, mark: str) -> bool:
    """Is the emphasis mark opened at ``position`` closed later on (so it is markup, not a star)?"""
    rest = source[position:]
    if not rest or rest[0].isspace():
        return False
    if mark == "*":
        # a single star closes at a star that is not part of a double star
        return re.search(r"(?<!\*)\*(?!\*)|\*\*\*", rest) is not None
    return "**" in rest
